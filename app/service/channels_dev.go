//go:build dev

package service

import "os"

// EventDevOpenURL carries every address the dev build would open in the
// system browser, so the end-to-end suite can follow a sign-in itself.
const EventDevOpenURL = "dev:open-url"

// devChannelDefaults points Facebook at a fake Graph API when asked to.
func devChannelDefaults(s *ChannelService) {
	if u := os.Getenv("PRACTICEPOST_FACEBOOK_GRAPH_URL"); u != "" {
		s.FacebookGraphURL = u
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
