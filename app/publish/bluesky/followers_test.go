package bluesky_test

import (
	"context"
	"testing"
	"time"

	"practicepost/app/insights/collect"
	"practicepost/app/publish"
	"practicepost/app/publish/bluesky"
	"practicepost/app/publish/bluesky/blueskytest"
	"practicepost/app/publish/internal/publishtest"
)

// The collector reads followers from any connector that can give them.
var _ collect.FollowerCounter = (*bluesky.Client)(nil)

// TestFollowersUnhappy is getProfile's follower count when it is not
// given: the PDS's 429 (the channel waits for RateLimit-Reset) and a
// session that can no longer be refreshed, with the app password changed
// (reconnect). An app password has no read scopes to lack, so there is no
// missing-permission case on Bluesky. The count itself: TestDeleteAndMetrics.
func TestFollowersUnhappy(t *testing.T) {
	ctx := context.Background()
	t.Run("rate limited", func(t *testing.T) {
		e := setup(t, blueskytest.Config{}, 0, nil)
		e.srv.SetFollowers(412)
		e.srv.Faults.Add(blueskytest.Fault{Status: 429, Reset: 4 * time.Minute, Path: "getProfile", Times: 1})
		n, err := e.cli.Followers(ctx)
		pe := publishtest.Err(t, err)
		if n != 0 || pe.Kind != publish.KindRateLimited || !pe.ResetAt.Equal(t0.Add(4*time.Minute)) {
			t.Fatalf("got %d, kind=%s reset=%v", n, pe.Kind, pe.ResetAt)
		}
		// Once the limit has passed, the count comes.
		if n, err := e.cli.Followers(ctx); err != nil || n != 412 {
			t.Fatalf("after the limit: %d, %v", n, err)
		}
	})
	t.Run("session gone", func(t *testing.T) {
		e := setup(t, blueskytest.Config{}, 0, nil)
		if _, err := e.cli.Verify(ctx); err != nil {
			t.Fatal(err)
		}
		e.srv.ExpireAccessTokens()
		e.srv.ExpireRefreshTokens()
		e.srv.ChangePassword("new-pass-word-here")
		n, err := e.cli.Followers(ctx)
		if pe := publishtest.Err(t, err); n != 0 || pe.Kind != publish.KindAuth {
			t.Fatalf("got %d, kind=%s code=%s", n, pe.Kind, pe.Code)
		}
	})
}
