package x_test

import (
	"context"
	"testing"
	"time"

	"practicepost/app/insights/collect"
	"practicepost/app/publish"
	"practicepost/app/publish/internal/publishtest"
	"practicepost/app/publish/x"
	"practicepost/app/publish/x/xtest"
)

// The collector reads followers from any connector that can give them.
var _ collect.FollowerCounter = (*x.Client)(nil)

// TestFollowers is the account's follower count against the fake X API,
// and the ways it is not given: a token without users.read (permission:
// no count this time, the collector goes on), public_metrics left out (no
// count is not zero), a 429 (the channel waits for the reset) and an
// expired token (reconnect).
func TestFollowers(t *testing.T) {
	ctx := context.Background()
	c, srv, _ := setup(t, xtest.Config{}, 5*time.Second)
	srv.SetFollowers(1234)
	if n, err := c.Followers(ctx); err != nil || n != 1234 {
		t.Fatalf("followers = %d, %v; want 1234", n, err)
	}

	tests := []struct {
		name  string
		cfg   xtest.Config
		prep  func(*xtest.Server)
		kind  publish.Kind
		reset time.Duration
	}{
		{name: "missing permission", cfg: xtest.Config{Scopes: []string{"tweet.read", "tweet.write", "media.write"}}, kind: publish.KindPermission},
		{name: "count left out", prep: func(s *xtest.Server) { s.SetFollowers(-1) }, kind: publish.KindRejected},
		{name: "rate limited", prep: func(s *xtest.Server) {
			s.Faults.Add(xtest.Fault{Path: "/2/users/me", Status: 429, Reset: 9 * time.Minute, Times: 1})
		}, kind: publish.KindRateLimited, reset: 9 * time.Minute},
		{name: "token expired", prep: func(s *xtest.Server) { s.ExpireToken() }, kind: publish.KindAuth},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, srv, clock := setup(t, tt.cfg, 5*time.Second)
			srv.SetFollowers(1234)
			if tt.prep != nil {
				tt.prep(srv)
			}
			n, err := c.Followers(ctx)
			pe := publishtest.Err(t, err)
			if n != 0 || pe.Kind != tt.kind {
				t.Fatalf("got %d, kind=%s code=%s; want kind=%s", n, pe.Kind, pe.Code, tt.kind)
			}
			if tt.reset != 0 && !pe.ResetAt.Equal(clock.Now().Add(tt.reset)) {
				t.Errorf("ResetAt = %v, want %v", pe.ResetAt, clock.Now().Add(tt.reset))
			}
		})
	}
}
