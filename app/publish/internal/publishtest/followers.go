package publishtest

import (
	"context"
	"testing"
	"time"

	"practicepost/app/publish"
)

// FollowerCounter is a connector as the Insights collector reads its
// follower count (collect.FollowerCounter, which each connector's test
// asserts; publishtest cannot import the collector, which uses the store).
type FollowerCounter interface {
	Followers(ctx context.Context) (int, error)
}

// FollowersRig is one connector's follower count against its fake, for
// Followers. C is what a case sets up differently (the fake's Config, or
// what the connector is given instead, such as the organisation it asks
// for or the scope its token has); S is what a case breaks (the fake, or
// the test's env when the connector is needed too).
type FollowersRig[C, S any] struct {
	Want int // the count the fake serves
	// Start starts a fake set up by cfg that serves Want followers, and
	// returns a connector against it.
	Start func(t *testing.T, cfg C) (FollowerCounter, S)
	// Read, when set, checks more once the count has been read (which
	// node the connector asked, say).
	Read  func(t *testing.T, s S)
	Cases []FollowersCase[C, S]
}

// FollowersCase is one way the count is not given.
type FollowersCase[C, S any] struct {
	Name   string
	Config C                       // zero: the defaults
	Prep   func(t *testing.T, s S) // what goes wrong before the read; nil when Config says it
	Kind   publish.Kind
	Code   string    // the error's code; "": not checked
	Status int       // the error's HTTP status; 0: not checked
	Reset  time.Time // when the channel may try again; zero: not checked
	// Recovers says the failure passes (a fault for one request): the
	// next read gives the count.
	Recovers bool
}

// Followers checks the follower count a connector reads for Insights: the
// count the fake serves, and for each case no count (0, never a made-up
// zero the collector would chart) with an error of the case's kind, so
// the collector goes on, waits or asks to reconnect as that kind says.
func Followers[C, S any](t *testing.T, rig FollowersRig[C, S]) {
	t.Helper()
	ctx := context.Background()
	var defaults C
	c, s := rig.Start(t, defaults)
	if n, err := c.Followers(ctx); err != nil || n != rig.Want {
		t.Fatalf("followers = %d, %v; want %d", n, err, rig.Want)
	}
	if rig.Read != nil {
		rig.Read(t, s)
	}
	for _, tc := range rig.Cases {
		t.Run(tc.Name, func(t *testing.T) {
			c, s := rig.Start(t, tc.Config)
			if tc.Prep != nil {
				tc.Prep(t, s)
			}
			n, err := c.Followers(ctx)
			pe := Err(t, err)
			if n != 0 || pe.Kind != tc.Kind || (tc.Code != "" && pe.Code != tc.Code) || (tc.Status != 0 && pe.Status != tc.Status) {
				t.Fatalf("got %d, kind=%s code=%s status=%d; want kind=%s code=%q status=%d", n, pe.Kind, pe.Code, pe.Status, tc.Kind, tc.Code, tc.Status)
			}
			if !tc.Reset.IsZero() && !pe.ResetAt.Equal(tc.Reset) {
				t.Errorf("ResetAt = %v, want %v", pe.ResetAt, tc.Reset)
			}
			if tc.Recovers {
				if n, err := c.Followers(ctx); err != nil || n != rig.Want {
					t.Fatalf("after the failure passed: %d, %v; want %d", n, err, rig.Want)
				}
			}
		})
	}
}
