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

// TokenFailure is one way a token endpoint fails a refresh, and what the
// channel makes of it.
type TokenFailure struct {
	Name      string
	Fail      authfake.Failure
	Kind      publish.Kind
	Wait      time.Duration // when the post may try again
	Reconnect bool          // only a refused grant asks the user to reconnect
}

// TokenFailures are the token-endpoint failures every refreshing channel
// must come through (issue 7), for the connectors' tests and the queue's.
var TokenFailures = []TokenFailure{
	{Name: "token endpoint 503", Fail: authfake.Failure{Status: 503}, Kind: publish.KindTransient, Wait: auth.DefaultRetryDelay},
	{Name: "token endpoint 500 server_error", Fail: authfake.Failure{Status: 500, Error: "server_error"}, Kind: publish.KindTransient, Wait: auth.DefaultRetryDelay},
	{Name: "token endpoint 429", Fail: authfake.Failure{Status: 429, RetryAfter: 90}, Kind: publish.KindRateLimited, Wait: 90 * time.Second},
	{Name: "connection dropped", Fail: authfake.Failure{Drop: true}, Kind: publish.KindTransient, Wait: auth.DefaultRetryDelay},
	{Name: "invalid_grant", Fail: authfake.Failure{Status: 400, Error: "invalid_grant"}, Kind: publish.KindAuth, Reconnect: true},
}

// RefreshFailures checks that a token endpoint that is down, throttling or
// unreachable leaves the channel connected: the post waits and goes out
// once a refresh works. Only a refused grant asks the user to reconnect
// (issue 7).
func RefreshFailures(t *testing.T, rig RefreshRig) {
	for _, tc := range TokenFailures {
		t.Run(tc.Name, func(t *testing.T) {
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

			idp.FailNext(tc.Fail)
			p := publish.Post{Text: "Open late on Thursdays."}
			_, err := c.CreatePost(ctx, p)
			pe := Err(t, err)
			if pe.Kind != tc.Kind || pe.Uncertain || pe.Status != 0 {
				t.Fatalf("kind %s uncertain %v status %d (%v)", pe.Kind, pe.Uncertain, pe.Status, pe)
			}
			if live() != 0 {
				t.Fatal("a post went out without a token")
			}
			saved, err := auth.LoadToken(store, rig.Key)
			if err != nil {
				t.Fatal(err)
			}
			if tc.Reconnect {
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
			if tc.Kind == publish.KindRateLimited && d != tc.Wait {
				t.Errorf("waits %v, want the token endpoint's %v", d, tc.Wait)
			}
			if tc.Kind == publish.KindTransient && !strings.Contains(pe.Message, "still connected") {
				t.Errorf("message %q", pe.Message)
			}

			clock.Advance(tc.Wait + time.Second)
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
