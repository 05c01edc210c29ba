package publishtest

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"practicepost/app"
	"practicepost/app/auth"
	"practicepost/app/auth/authfake"
	"practicepost/app/publish"
)

// RefreshRig is one OAuth connector, set up for RefreshFailures.
type RefreshRig struct {
	Name        string   // as messages name the platform: "Google", "X"
	Provider    string   // the token source's provider name
	Scopes      []string // what the sign-in asks for
	Key         string   // where the token is kept
	AccountID   string
	AccessToken string // the token the platform's fake accepts
	Now         time.Time
	// Start starts the platform's fake on clock and returns a connector
	// that gets its tokens from ts, and a count of the posts that went out.
	Start func(t *testing.T, clock *app.FixedClock, ts *auth.TokenSource, hc *http.Client) (publish.Publisher, func() int)
}

// RefreshFailures checks that a token endpoint that is down, throttling or
// unreachable leaves the channel connected: the post waits and goes out
// once a refresh works. Only a refused grant asks the user to reconnect
// (issue 7).
func RefreshFailures(t *testing.T, rig RefreshRig) {
	cases := []struct {
		name      string
		fail      authfake.Failure
		kind      publish.Kind
		wait      time.Duration // when the job may try again
		reconnect bool
	}{
		{name: "token endpoint 503", fail: authfake.Failure{Status: 503}, kind: publish.KindTransient, wait: auth.DefaultRetryDelay},
		{name: "token endpoint 500 server_error", fail: authfake.Failure{Status: 500, Error: "server_error"}, kind: publish.KindTransient, wait: auth.DefaultRetryDelay},
		{name: "token endpoint 429", fail: authfake.Failure{Status: 429, RetryAfter: 90}, kind: publish.KindRateLimited, wait: 90 * time.Second},
		{name: "connection dropped", fail: authfake.Failure{Drop: true}, kind: publish.KindTransient, wait: auth.DefaultRetryDelay},
		{name: "invalid_grant", fail: authfake.Failure{Status: 400, Error: "invalid_grant"}, kind: publish.KindAuth, reconnect: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			clock := &app.FixedClock{T: rig.Now}
			idp := authfake.New()
			t.Cleanup(idp.Close)
			idp.AccessToken = rig.AccessToken
			store := auth.NewMemoryStore()
			tok := auth.Token{AccessToken: "stale", RefreshToken: idp.IssueRefreshToken(), TokenType: "Bearer", Expiry: rig.Now.Add(-time.Minute), AccountID: rig.AccountID}
			if err := auth.SaveToken(store, rig.Key, tok); err != nil {
				t.Fatal(err)
			}
			hc := &http.Client{Timeout: 5 * time.Second}
			ts := auth.NewTokenSource(ctx, rig.Provider, idp.Config(rig.Scopes...), store, rig.Key, tok, clock)
			c, live := rig.Start(t, clock, ts, hc)

			idp.FailNext(tc.fail)
			p := publish.Post{Text: "Open late on Thursdays."}
			_, err := c.CreatePost(ctx, p)
			pe := Err(t, err)
			if pe.Kind != tc.kind || pe.Uncertain || pe.Status != 0 {
				t.Fatalf("kind %s uncertain %v status %d (%v)", pe.Kind, pe.Uncertain, pe.Status, pe)
			}
			if live() != 0 {
				t.Fatal("a post went out without a token")
			}
			saved, err := auth.LoadToken(store, rig.Key)
			if err != nil {
				t.Fatal(err)
			}
			if tc.reconnect {
				if !strings.Contains(pe.Message, "reconnect "+rig.Name) || !saved.NeedsReconnect || ts.Status().State != auth.StateNeedsReconnect {
					t.Fatalf("a refused grant must ask to reconnect: %q, saved %v, state %s", pe.Message, saved.NeedsReconnect, ts.Status().State)
				}
				return
			}
			if saved.NeedsReconnect || ts.Status().State == auth.StateNeedsReconnect || strings.Contains(pe.Message, "reconnect") {
				t.Fatalf("a passing failure disconnected %s: %q, state %s", rig.Name, pe.Message, ts.Status().State)
			}
			d, ok := publish.RetryDelay(pe, clock.Now(), 1)
			if !ok {
				t.Fatal("not retryable")
			}
			if tc.kind == publish.KindRateLimited && d != tc.wait {
				t.Errorf("waits %v, want the token endpoint's %v", d, tc.wait)
			}
			if tc.kind == publish.KindTransient && !strings.Contains(pe.Message, "still connected") {
				t.Errorf("message %q", pe.Message)
			}

			clock.Advance(tc.wait + time.Second)
			res, err := c.CreatePost(ctx, p)
			if err != nil {
				t.Fatalf("after the endpoint recovered: %v", err)
			}
			if n := live(); n != 1 || res.ID == "" {
				t.Fatalf("%d live, result %+v", n, res)
			}
			if ts.Status().State != auth.StateConnected {
				t.Errorf("state %s", ts.Status().State)
			}
		})
	}
}
