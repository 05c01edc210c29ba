package app_test

import (
	"testing"

	"practicepost/app"
)

// Stored names must keep their meaning: jobs say "google", consent records
// (signed) say "google_business".
func TestPlatformNamesRoundTrip(t *testing.T) {
	for _, d := range app.Platforms() {
		if got := d.Name.Channel(); got != d.Channel {
			t.Errorf("%s.Channel() = %q, want %q", d.Name, got, d.Channel)
		}
		if got := app.PlatformOf(d.Channel); got != d.Name {
			t.Errorf("PlatformOf(%q) = %q, want %q", d.Channel, got, d.Name)
		}
		if d.Title == "" || d.MaxImages == 0 || d.FeedCut == 0 || d.FeedAspect == 0 {
			t.Errorf("%s: incomplete descriptor %+v", d.Name, d)
		}
	}
	if got := app.PlatformGoogle.Channel(); got != "google_business" {
		t.Errorf("google's consent channel = %q", got)
	}
	if got := app.PlatformOf("website"); got != "website" {
		t.Errorf("a channel that is no platform changed name: %q", got)
	}
	if got := app.Platform("myspace").Title(); got != "myspace" {
		t.Errorf("unknown platform title = %q", got)
	}
}
