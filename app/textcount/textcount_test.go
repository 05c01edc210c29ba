package textcount

import (
	"slices"
	"testing"
)

// mastodon counts as an instance reserving w characters for each link.
func mastodon(w int) func(string) int {
	return func(text string) int { return Mastodon(text, w) }
}

func TestCounts(t *testing.T) {
	tests := []struct {
		name  string
		count func(string) int
		text  string
		want  int
	}{
		{"X", X, "", 0},
		{"X", X, "hello", 5},
		{"X", X, "café", 4},
		{"X", X, "caf\u0065\u0301", 4}, // NFC folds e + combining acute into é
		{"X", X, "日本語", 6},
		{"X", X, "🦷", 2},
		{"X", X, "👩‍⚕️", 2}, // ZWJ sequence is one emoji
		{"X", X, "🇬🇧", 2},
		{"X", X, "1️⃣", 2},
		{"X", X, "Book at https://harbourdental.co.uk/book?utm_source=x now", 8 + XURLWeight + 4},
		{"X", X, "See harbourdental.co.uk.", 4 + XURLWeight + 1},
		{"X", X, "mail hello@harbourdental.co.uk", 30}, // an email address is no link
		{"X", X, "“quotes” – dash", 15},
		{"X", X, "a http://x.io b https://y.org", 2 + XURLWeight + 3 + XURLWeight},

		{"Graphemes", Graphemes, "", 0},
		{"Graphemes", Graphemes, "ok", 2},
		{"Graphemes", Graphemes, "👩‍⚕️ok", 3},
		{"Graphemes", Graphemes, "🇬🇧", 1},
		{"Graphemes", Graphemes, "caf\u0065\u0301", 4},
		{"Graphemes", Graphemes, "日本語", 3},

		{"Mastodon 23", mastodon(23), "", 0},
		{"Mastodon 23", mastodon(23), "Hi @ann@example.social see https://example.com/very/long/path", len("Hi @ann see ") + 23},
		{"Mastodon 23", mastodon(23), "see example.com", 15}, // bare domains are text on Mastodon
		{"Mastodon 40", mastodon(40), "see https://example.com/x", 4 + 40},
		{"Mastodon 23", mastodon(23), "@ann hello", 10}, // a local mention is counted as written
		{"Mastodon 23", mastodon(23), "🦷 https://a.io", 2 + 23},
	}
	for _, tt := range tests {
		if got := tt.count(tt.text); got != tt.want {
			t.Errorf("%s(%q) = %d, want %d", tt.name, tt.text, got, tt.want)
		}
	}
}

func TestURLSpans(t *testing.T) {
	text := "Visit harbourdental.co.uk/prices, or https://example.com/a. Mail hi@example.com"
	tests := []struct {
		bare bool
		want []string
	}{
		{true, []string{"harbourdental.co.uk/prices", "https://example.com/a"}},
		{false, []string{"https://example.com/a"}},
	}
	for _, tt := range tests {
		var got []string
		for _, s := range URLSpans(text, tt.bare) {
			got = append(got, text[s[0]:s[1]])
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("URLSpans(bare=%v) = %q, want %q", tt.bare, got, tt.want)
		}
	}
}
