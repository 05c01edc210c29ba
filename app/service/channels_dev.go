//go:build dev

package service

import (
	"os"
	"strconv"

	"practicepost/app/release"
)

// EventDevOpenURL carries every address the dev build would open in the
// system browser, so the end-to-end suite can follow a sign-in itself.
const EventDevOpenURL = "dev:open-url"

// devChannelDefaults points the platforms at fake servers when asked to
// (cmd/fakeplatforms prints the addresses).
func devChannelDefaults(s *ChannelService) {
	if u := os.Getenv("PRACTICEPOST_FACEBOOK_GRAPH_URL"); u != "" {
		s.FacebookGraphURL = u
	}
	p := &s.Providers
	for env, dst := range map[string]*string{"PRACTICEPOST_INSTAGRAM_GRAPH_URL": &p.InstagramGraphURL, "PRACTICEPOST_LINKEDIN_URL": &p.LinkedInURL,
		"PRACTICEPOST_X_URL": &p.XURL} {
		if u := os.Getenv(env); u != "" {
			*dst = u
		}
	}
	// One fake serves Google's four hosts.
	if u := os.Getenv("PRACTICEPOST_GOOGLE_URL"); u != "" {
		p.GoogleURL, p.GoogleInfoURL, p.GoogleAccountsURL, p.GooglePerfURL = u, u, u, u
	}
	client := os.Getenv("PRACTICEPOST_OAUTH_CLIENT_ID")
	if client == "" {
		client = "practicepost-test"
	}
	for env, a := range map[string]*OAuthApp{"PRACTICEPOST_X_OAUTH": &p.X, "PRACTICEPOST_GOOGLE_OAUTH": &p.Google, "PRACTICEPOST_LINKEDIN_OAUTH": &p.LinkedIn} {
		if u := os.Getenv(env); u != "" {
			a.ClientID, a.ClientSecret, a.AuthURL, a.TokenURL = client, "", u+"/authorize", u+"/token"
		}
	}
	// The fake sign-in server stands in for the release's sign-in app, so
	// the screens that list missing sign-ins see this copy as having it.
	for id, a := range map[*string]*OAuthApp{&release.XClientID: &p.X, &release.GoogleClientID: &p.Google, &release.LinkedInClientID: &p.LinkedIn} {
		if a.ClientID != "" && *id == "" {
			*id = a.ClientID
		}
	}
	if n, err := strconv.Atoi(os.Getenv("PRACTICEPOST_X_PORT")); err == nil {
		p.X.Port = n
	}
}

// openBrowser hands the address to the page as an event; with
// PRACTICEPOST_E2E=1 nothing else happens (the test's browser follows it).
func (s *ChannelService) openBrowser(url string) error {
	s.c.Emit.Emit(EventDevOpenURL, url)
	if os.Getenv("PRACTICEPOST_E2E") == "1" {
		return nil
	}
	if s.OpenBrowser == nil {
		return errNoBrowser
	}
	return s.OpenBrowser(url)
}
