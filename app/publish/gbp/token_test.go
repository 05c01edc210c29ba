package gbp_test

import (
	"net/http"
	"testing"

	"practicepost/app"
	"practicepost/app/auth"
	"practicepost/app/publish"
	"practicepost/app/publish/gbp"
	"practicepost/app/publish/gbp/gbptest"
	"practicepost/app/publish/internal/publishtest"
)

func TestRefreshFailureDuringPublish(t *testing.T) {
	publishtest.RefreshFailures(t, publishtest.RefreshRig{
		Name: "Google", Provider: "Google Business Profile", Scopes: []string{gbp.Scope},
		Key: "channel:google:1122334455/9988776655", AccountID: "1122334455/9988776655",
		AccessToken: "g-token", Now: now,
		Start: func(t *testing.T, clock *app.FixedClock, ts *auth.TokenSource, hc *http.Client) (publish.Publisher, func() int) {
			srv := gbptest.New(gbptest.Config{Now: clock.Now})
			t.Cleanup(srv.Close)
			c := gbp.NewClient(srv.URL, "1122334455", "9988776655", "", gbp.Options{HTTP: hc, Clock: clock, Tokens: ts, InfoURL: srv.URL})
			return c, srv.Live
		},
	})
}
