package x_test

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
	"practicepost/app/publish/x"
	"practicepost/app/publish/x/xtest"
)

// A token endpoint that is down, throttling or unreachable must leave X
// connected: the post waits and goes out once a refresh works. Only a
// refused grant asks the user to reconnect (issue 7).
func TestRefreshFailureDuringPublish(t *testing.T) {
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
			clock := &app.FixedClock{T: now}
			srv := xtest.New(xtest.Config{Now: clock.Now})
			t.Cleanup(srv.Close)
			idp := authfake.New()
			t.Cleanup(idp.Close)
			idp.AccessToken = "x-token"
			store := auth.NewMemoryStore()
			tok := auth.Token{AccessToken: "stale", RefreshToken: idp.IssueRefreshToken(), TokenType: "Bearer", Expiry: now.Add(-time.Minute), AccountID: "1500100900"}
			if err := auth.SaveToken(store, "channel:x:1500100900", tok); err != nil {
				t.Fatal(err)
			}
			hc := &http.Client{Timeout: 5 * time.Second}
			ts := auth.NewTokenSource(ctx, "X", idp.Config(x.Scopes...), store, "channel:x:1500100900", tok, clock)
			c := x.NewClient(srv.URL, "", x.Options{HTTP: hc, Clock: clock, Tokens: ts})

			idp.FailNext(tc.fail)
			p := publish.Post{Text: "Open late on Thursdays."}
			_, err := c.CreatePost(ctx, p)
			pe := pubErr(t, err)
			if pe.Kind != tc.kind || pe.Uncertain || pe.Status != 0 {
				t.Fatalf("kind %s uncertain %v status %d (%v)", pe.Kind, pe.Uncertain, pe.Status, pe)
			}
			if len(srv.Posts()) != 0 {
				t.Fatal("a post went out without a token")
			}
			saved, err := auth.LoadToken(store, "channel:x:1500100900")
			if err != nil {
				t.Fatal(err)
			}
			if tc.reconnect {
				if !strings.Contains(pe.Message, "reconnect X") || !saved.NeedsReconnect || ts.Status().State != auth.StateNeedsReconnect {
					t.Fatalf("a refused grant must ask to reconnect: %q, saved %v, state %s", pe.Message, saved.NeedsReconnect, ts.Status().State)
				}
				return
			}
			if saved.NeedsReconnect || ts.Status().State == auth.StateNeedsReconnect || strings.Contains(pe.Message, "reconnect") {
				t.Fatalf("a passing failure disconnected X: %q, state %s", pe.Message, ts.Status().State)
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
			if posts := srv.Posts(); len(posts) != 1 || res.ID == "" {
				t.Fatalf("%d posts, result %+v", len(posts), res)
			}
			if ts.Status().State != auth.StateConnected {
				t.Errorf("state %s", ts.Status().State)
			}
		})
	}
}
