package instagram_test

import (
	"context"
	"testing"
	"time"

	"practicepost/app/insights/collect"
	"practicepost/app/publish"
	"practicepost/app/publish/instagram"
	"practicepost/app/publish/instagram/instagramtest"
	"practicepost/app/publish/internal/publishtest"
)

// The collector reads followers from any connector that can give them.
var _ collect.FollowerCounter = (*instagram.Client)(nil)

// TestFollowers is the account's follower count against the fake Graph
// API, and the ways it is not given: a token without instagram_basic
// (permission: no count this time, the collector goes on), the field left
// out (no count is not zero), Meta's throttling (the channel waits for
// the reset) and an expired token (reconnect).
func TestFollowers(t *testing.T) {
	ctx := context.Background()
	e := setup(t, instagramtest.Config{}, 5*time.Second)
	e.ig.SetFollowers(2048)
	if n, err := e.c.Followers(ctx); err != nil || n != 2048 {
		t.Fatalf("followers = %d, %v; want 2048", n, err)
	}

	tests := []struct {
		name  string
		cfg   instagramtest.Config
		prep  func(*instagramtest.Server)
		kind  publish.Kind
		code  string
		reset time.Duration
	}{
		{name: "missing permission", cfg: instagramtest.Config{TokenScopes: []string{"instagram_content_publish", "pages_show_list"}}, kind: publish.KindPermission, code: "10"},
		{name: "count left out", prep: func(s *instagramtest.Server) { s.SetFollowers(-1) }, kind: publish.KindRejected, code: "no_followers_count"},
		// The connector waits Graph's rolling hour on Instagram, whatever the usage header says.
		{name: "throttled", prep: func(s *instagramtest.Server) {
			s.Faults.Add(instagramtest.Fault{Status: 429, Code: 4, Reset: 12 * time.Minute, Times: 1})
		}, kind: publish.KindRateLimited, code: "4", reset: time.Hour},
		{name: "token expired", prep: func(s *instagramtest.Server) { s.ExpireToken() }, kind: publish.KindAuth, code: "190/463"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := setup(t, tt.cfg, 5*time.Second)
			e.ig.SetFollowers(2048)
			if tt.prep != nil {
				tt.prep(e.ig)
			}
			n, err := e.c.Followers(ctx)
			pe := publishtest.Err(t, err)
			if n != 0 || pe.Kind != tt.kind || pe.Code != tt.code {
				t.Fatalf("got %d, kind=%s code=%s; want kind=%s code=%s", n, pe.Kind, pe.Code, tt.kind, tt.code)
			}
			if tt.reset != 0 && !pe.ResetAt.Equal(e.clock.Now().Add(tt.reset)) {
				t.Errorf("ResetAt = %v, want %v", pe.ResetAt, e.clock.Now().Add(tt.reset))
			}
		})
	}
}
