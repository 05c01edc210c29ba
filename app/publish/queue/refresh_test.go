package queue_test

import (
	"strings"
	"testing"
	"time"

	"practicepost/app"
	"practicepost/app/auth"
	"practicepost/app/auth/authfake"
	"practicepost/app/publish"
	"practicepost/app/publish/gbp"
	gbpfake "practicepost/app/publish/gbp/gbptest"
	"practicepost/app/publish/internal/publishtest"
	"practicepost/app/publish/queue"
	"practicepost/app/publish/x"
	xfake "practicepost/app/publish/x/xtest"
)

// refreshing connects X or Google the way the app does: through an
// auth.TokenSource whose access token has just run out, so the next call
// refreshes it at idp. posts counts what is on the platform's fake.
func (e *env) refreshing(platform publish.Platform, idp *authfake.Server) (ch string, ts *auth.TokenSource, store *auth.MemoryStore, posts func() int) {
	e.t.Helper()
	store = auth.NewMemoryStore()
	key := "channel:" + string(platform) + ":1"
	tok := auth.Token{AccessToken: "stale", RefreshToken: idp.IssueRefreshToken(), TokenType: "Bearer", Expiry: e.clock.Now().Add(-time.Minute), AccountID: "1"}
	if err := auth.SaveToken(store, key, tok); err != nil {
		e.t.Fatal(err)
	}
	ts = auth.NewTokenSource(ctx, platform.Title(), idp.Config(), store, key, tok, e.clock)
	var pub publish.Publisher
	switch platform {
	case publish.X:
		ch = chX
		idp.AccessToken = "x-token"
		xs := xfake.New(xfake.Config{Now: e.clock.Now})
		e.t.Cleanup(xs.Close)
		pub = x.NewClient(xs.URL, "", x.Options{HTTP: e.hc, Clock: e.clock, Tokens: ts})
		posts = func() int { return len(xs.Posts()) }
	case publish.Google:
		ch = chGB
		idp.AccessToken = "g-token"
		g := gbpfake.New(gbpfake.Config{Now: e.clock.Now})
		e.t.Cleanup(g.Close)
		pub = gbp.NewClient(g.URL, "1122334455", "9988776655", "", gbp.Options{HTTP: e.hc, Clock: e.clock, Tokens: ts, InfoURL: g.URL})
		posts = func() int { return len(g.Posts()) }
	}
	e.pubsMu.Lock()
	e.pubs[ch] = pub
	e.pubsMu.Unlock()
	return ch, ts, store, posts
}

// Issue 7: a transient refresh failure (network, 5xx, 429) never
// disconnects a channel. The job waits and goes out once the token
// endpoint answers again; only a refused grant asks for reconnecting.
func TestTokenRefreshFailureDuringPublish(t *testing.T) {
	for _, platform := range []publish.Platform{publish.X, publish.Google} {
		for _, f := range publishtest.TokenFailures {
			t.Run(string(platform)+"/"+f.Name, func(t *testing.T) {
				e := newEnv(t, nil)
				idp := authfake.New()
				t.Cleanup(idp.Close)
				ch, ts, secrets, posts := e.refreshing(platform, idp)
				idp.FailNext(f.Fail)
				j := e.enqueue(queue.Request{Text: "Open late on Thursdays.", Targets: []queue.Target{{Channel: ch, Platform: platform}}})[0]
				e.run()
				j = e.job(j.ID)
				saved, err := auth.LoadToken(secrets, "channel:"+string(platform)+":1")
				if err != nil {
					t.Fatal(err)
				}
				if posts() != 0 || j.ErrorKind != string(f.Kind) {
					t.Fatalf("after the failed refresh: %s %s %q, %d posts", j.State, j.ErrorKind, j.ErrorMessage, posts())
				}
				if f.Reconnect {
					if j.State != app.JobFailed || len(e.recon) != 1 || e.recon[0] != ch || !saved.NeedsReconnect || ts.Status().State != auth.StateNeedsReconnect {
						t.Fatalf("a refused grant must ask to reconnect: %s, told %v, saved %v, state %s", j.State, e.recon, saved.NeedsReconnect, ts.Status().State)
					}
					return
				}
				if j.State != app.JobWaiting || j.Reconcile || len(e.recon) != 0 || saved.NeedsReconnect || ts.Status().State == auth.StateNeedsReconnect {
					t.Fatalf("a passing failure disconnected %s: %s reconcile=%v told %v saved %v state %s",
						platform, j.State, j.Reconcile, e.recon, saved.NeedsReconnect, ts.Status().State)
				}
				if f.Kind == publish.KindRateLimited {
					if wait := j.NextAt.Sub(t0); wait < f.Wait || wait > f.Wait+3*time.Second {
						t.Errorf("waits %v, want the token endpoint's %v and a moment", wait, f.Wait)
					}
				} else if !strings.Contains(j.ErrorMessage, "still connected") {
					t.Errorf("the manager is told %q", j.ErrorMessage)
				}
				j = e.next(j.ID)
				if j.State != app.JobPublished || posts() != 1 || len(e.recon) != 0 || ts.Status().State != auth.StateConnected {
					t.Fatalf("after the endpoint recovered: %s %q, %d posts, told %v, state %s", j.State, j.ErrorMessage, posts(), e.recon, ts.Status().State)
				}
			})
		}
	}
}
