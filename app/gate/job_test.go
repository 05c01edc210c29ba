package gate_test

import (
	"testing"

	"practicepost/app/gate"
	"practicepost/app/guard"
)

// Jobs store the platform's name, the guard judges by channel: the two
// differ for Google Business Profile only, and an unknown name passes as
// spelled.
func TestChannelOf(t *testing.T) {
	tests := []struct {
		platform string
		want     guard.Channel
	}{
		{"google", guard.GoogleBusiness},
		{"facebook", guard.Facebook},
		{"instagram", guard.Instagram},
		{"linkedin", guard.LinkedIn},
		{"mastodon", guard.Mastodon},
		{"bluesky", guard.Bluesky},
		{"x", guard.X},
		{"myspace", guard.Channel("myspace")},
	}
	for _, tt := range tests {
		if got := gate.ChannelOf(tt.platform); got != tt.want {
			t.Errorf("ChannelOf(%q) = %q, want %q", tt.platform, got, tt.want)
		}
	}
}
