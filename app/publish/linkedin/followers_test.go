package linkedin_test

import (
	"context"
	"testing"
	"time"

	"practicepost/app/insights/collect"
	"practicepost/app/publish"
	"practicepost/app/publish/internal/publishtest"
	"practicepost/app/publish/linkedin"
	"practicepost/app/publish/linkedin/linkedintest"
)

// The collector reads followers from any connector that can give them.
var _ collect.FollowerCounter = (*linkedin.Client)(nil)

// TestFollowers is the organisation's follower count against the fake
// LinkedIn API, and the ways it is not given: an organisation the member
// is not an admin of (403: no count this time, the collector goes on),
// the count left out (no count is not zero), a 429 without headers (the
// channel waits for midnight UTC) and a revoked token (reconnect).
func TestFollowers(t *testing.T) {
	ctx := context.Background()
	c, srv, _ := setup(t, linkedintest.Config{}, linkedin.Options{})
	srv.SetFollowers(356)
	if n, err := c.Followers(ctx); err != nil || n != 356 {
		t.Fatalf("followers = %d, %v; want 356", n, err)
	}

	// 14 Sep 2026 09:30 UTC: LinkedIn's daily limits reset at midnight UTC.
	midnight := time.Date(2026, 9, 15, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name  string
		org   string
		prep  func(*linkedintest.Server)
		kind  publish.Kind
		reset time.Time
	}{
		{name: "not an admin of the page", org: "999", kind: publish.KindPermission},
		{name: "count left out", prep: func(s *linkedintest.Server) { s.SetFollowers(-1) }, kind: publish.KindRejected},
		{name: "429 without headers", prep: func(s *linkedintest.Server) { s.Faults.Add(linkedintest.Fault{Status: 429, Times: 1}) },
			kind: publish.KindRateLimited, reset: midnight},
		{name: "revoked token", prep: func(s *linkedintest.Server) { s.RevokeToken() }, kind: publish.KindAuth},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, srv, clock := setup(t, linkedintest.Config{}, linkedin.Options{})
			srv.SetFollowers(356)
			if tt.org != "" {
				c = linkedin.NewClient(srv.URL, tt.org, "li-token", linkedin.Options{Clock: clock})
			}
			if tt.prep != nil {
				tt.prep(srv)
			}
			n, err := c.Followers(ctx)
			pe := publishtest.Err(t, err)
			if n != 0 || pe.Kind != tt.kind {
				t.Fatalf("got %d, kind=%s code=%s; want kind=%s", n, pe.Kind, pe.Code, tt.kind)
			}
			if !tt.reset.IsZero() && !pe.ResetAt.Equal(tt.reset) {
				t.Errorf("ResetAt = %v, want %v", pe.ResetAt, tt.reset)
			}
		})
	}
}
