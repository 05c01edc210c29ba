package textcount

import (
	"slices"
	"testing"
)

func TestX(t *testing.T) {
	tests := []struct {
		text string
		want int
	}{
		{"", 0},
		{"hello", 5},
		{"café", 4},
		{"caf\u0065\u0301", 4}, // NFC folds e + combining acute into é
		{"日本語", 6},
		{"🦷", 2},
		{"👩‍⚕️", 2}, // ZWJ sequence is one emoji
		{"🇬🇧", 2},
		{"1️⃣", 2},
		{"Book at https://harbourdental.co.uk/book?utm_source=x now", 8 + XURLWeight + 4},
		{"See harbourdental.co.uk.", 4 + XURLWeight + 1},
		{"mail hello@harbourdental.co.uk", 30}, // an email address is no link
		{"“quotes” – dash", 15},
		{"a http://x.io b https://y.org", 2 + XURLWeight + 3 + XURLWeight},
	}
	for _, tt := range tests {
		if got := X(tt.text); got != tt.want {
			t.Errorf("X(%q) = %d, want %d", tt.text, got, tt.want)
		}
	}
}

func TestGraphemes(t *testing.T) {
	tests := []struct {
		text string
		want int
	}{
		{"", 0},
		{"ok", 2},
		{"👩‍⚕️ok", 3},
		{"🇬🇧", 1},
		{"caf\u0065\u0301", 4},
		{"日本語", 3},
	}
	for _, tt := range tests {
		if got := Graphemes(tt.text); got != tt.want {
			t.Errorf("Graphemes(%q) = %d, want %d", tt.text, got, tt.want)
		}
	}
}

func TestMastodon(t *testing.T) {
	tests := []struct {
		text      string
		urlWeight int
		want      int
	}{
		{"", 23, 0},
		{"Hi @ann@example.social see https://example.com/very/long/path", 23, len("Hi @ann see ") + 23},
		{"see example.com", 23, 15}, // bare domains are text on Mastodon
		{"see https://example.com/x", 40, 4 + 40},
		{"@ann hello", 23, 10}, // a local mention is counted as written
		{"🦷 https://a.io", 23, 2 + 23},
	}
	for _, tt := range tests {
		if got := Mastodon(tt.text, tt.urlWeight); got != tt.want {
			t.Errorf("Mastodon(%q, %d) = %d, want %d", tt.text, tt.urlWeight, got, tt.want)
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
