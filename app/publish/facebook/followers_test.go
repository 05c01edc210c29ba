package facebook_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"practicepost/app/insights/collect"
	"practicepost/app/publish"
	"practicepost/app/publish/facebook"
	"practicepost/app/publish/facebook/facebooktest"
	"practicepost/app/publish/internal/publishtest"
)

// The collector reads followers from any connector that can give them.
var _ collect.FollowerCounter = (*facebook.Client)(nil)

// TestFollowers is the Page's follower count against the fake Graph API,
// and the ways it is not given: a token without pages_read_engagement
// (permission: no count this time, the collector goes on), a field left
// out (no count is not zero), Graph throttling (the channel waits for the
// reset) and an expired token (reconnect).
func TestFollowers(t *testing.T) {
	ctx := context.Background()

	e := setup(t, facebooktest.Config{}, 0)
	e.srv.SetFollowers(812)
	if n, err := e.cli.Followers(ctx); err != nil || n != 812 {
		t.Fatalf("followers = %d, %v; want 812", n, err)
	}
	if !slices.ContainsFunc(e.srv.Requests(), func(r string) bool { return r == "GET /100200300" }) {
		t.Errorf("requests %v: want the Page node read", e.srv.Requests())
	}

	tests := []struct {
		name  string
		cfg   facebooktest.Config
		prep  func(*facebooktest.Server)
		kind  publish.Kind
		code  string
		reset time.Duration
	}{
		{name: "missing permission", cfg: facebooktest.Config{Scopes: []string{"pages_manage_posts", "pages_show_list"}}, kind: publish.KindPermission, code: "10"},
		{name: "count left out", prep: func(s *facebooktest.Server) { s.SetFollowers(-1) }, kind: publish.KindRejected, code: "no_followers_count"},
		{name: "page throttled", prep: func(s *facebooktest.Server) {
			s.Faults.Add(facebooktest.Fault{Status: 429, Code: 32, Reset: 17 * time.Minute})
		},
			kind: publish.KindRateLimited, code: "32", reset: 17 * time.Minute},
		{name: "token expired", prep: func(s *facebooktest.Server) { s.ExpireToken() }, kind: publish.KindAuth, code: "190/463"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := setup(t, tt.cfg, 0)
			e.srv.SetFollowers(812)
			if tt.prep != nil {
				tt.prep(e.srv)
			}
			n, err := e.cli.Followers(ctx)
			pe := publishtest.Err(t, err)
			if n != 0 || pe.Kind != tt.kind || pe.Code != tt.code {
				t.Fatalf("got %d, kind=%s code=%s; want kind=%s code=%s", n, pe.Kind, pe.Code, tt.kind, tt.code)
			}
			if tt.reset != 0 && !pe.ResetAt.Equal(t0.Add(tt.reset)) {
				t.Errorf("ResetAt = %v, want %v", pe.ResetAt, t0.Add(tt.reset))
			}
		})
	}
}
