package service_test

import (
	"encoding/json"
	"strings"
	"testing"

	"practicepost/app"
	"practicepost/app/auth"
	fbfake "practicepost/app/publish/facebook/facebooktest"
)

// A practice without developer tools pastes a system user's token from
// Meta Business Settings: the Page connects with the Page's own token, kept
// in the keychain, and shows no expiry (neither token expires). A system
// user never given the Page is told how to give it, and nothing is saved.
func TestConnectFacebookWithASystemUserToken(t *testing.T) {
	clock := startClock()
	w := newWorld(t, t.TempDir(), clock, auth.NewMemoryStore())
	noPage := fbfake.New(fbfake.Config{SystemUserToken: "su-token", SystemUserNoPage: true, Now: clock.Now})
	t.Cleanup(noPage.Close)
	w.ch.FacebookGraphURL = noPage.URL
	if _, err := w.ch.ConnectFacebook("100200300", "su-token"); app.ErrorCode(err) != app.EFORBIDDEN || !strings.Contains(app.ErrorMessage(err), "Assign assets") {
		t.Fatalf("system user without the Page: %v", err)
	}
	if chs, _ := w.ch.List(); len(chs) != 0 {
		t.Fatalf("a refused token left a channel: %+v", chs)
	}

	fb := fbfake.New(fbfake.Config{SystemUserToken: "su-token", Now: clock.Now})
	t.Cleanup(fb.Close)
	w.ch.FacebookGraphURL = fb.URL
	v, err := w.ch.ConnectFacebook("100200300", "su-token")
	if err != nil {
		t.Fatal(err)
	}
	if v.Name != "Smile Dental" || v.State != "connected" {
		t.Fatalf("connected: %+v", v)
	}
	raw, err := w.secrets.Get(v.SecretKey())
	if err != nil {
		t.Fatal(err)
	}
	var tok auth.Token
	if err := json.Unmarshal([]byte(raw), &tok); err != nil || tok.AccessToken != "page-token" {
		t.Fatalf("kept %q (%v), want the Page's own token", tok.AccessToken, err)
	}
}
