package x_test

import (
	"net/http"
	"testing"

	"practicepost/app"
	"practicepost/app/auth"
	"practicepost/app/publish"
	"practicepost/app/publish/internal/publishtest"
	"practicepost/app/publish/x"
	"practicepost/app/publish/x/xtest"
)

func TestRefreshFailureDuringPublish(t *testing.T) {
	publishtest.RefreshFailures(t, publishtest.RefreshRig{
		Name: "X", Provider: "X", Scopes: x.Scopes,
		Key: "channel:x:1500100900", AccountID: "1500100900",
		AccessToken: "x-token", Now: now,
		Start: func(t *testing.T, clock *app.FixedClock, ts *auth.TokenSource, hc *http.Client) (publish.Publisher, func() int) {
			srv := xtest.New(xtest.Config{Now: clock.Now})
			t.Cleanup(srv.Close)
			c := x.NewClient(srv.URL, "", x.Options{HTTP: hc, Clock: clock, Tokens: ts})
			return c, func() int { return len(srv.Posts()) }
		},
	})
}
