package gate_test

import (
	"slices"
	"testing"

	"practicepost/app"
	"practicepost/app/gate"
	"practicepost/app/guard"
)

// Jobs store the platform's name, the guard judges by channel: every
// platform must land on a channel the guard has rules for, Google Business
// Profile under its own spelling, and an unknown name passes as spelled.
func TestChannelOf(t *testing.T) {
	seen := map[guard.Channel]bool{}
	for _, d := range app.Platforms() {
		ch := gate.ChannelOf(string(d.Name))
		if !slices.Contains(guard.Channels, ch) {
			t.Errorf("ChannelOf(%q) = %q, which the guard has no rules for", d.Name, ch)
		}
		seen[ch] = true
	}
	if len(seen) != len(guard.Channels) {
		t.Errorf("the platforms reach %d of the guard's %d channels", len(seen), len(guard.Channels))
	}
	if got := gate.ChannelOf("google"); got != guard.GoogleBusiness {
		t.Errorf(`ChannelOf("google") = %q, want %q`, got, guard.GoogleBusiness)
	}
	if got := gate.ChannelOf("myspace"); got != "myspace" {
		t.Errorf(`ChannelOf("myspace") = %q, want it as spelled`, got)
	}
}
