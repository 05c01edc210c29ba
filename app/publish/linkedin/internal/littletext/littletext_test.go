package littletext_test

import (
	"testing"

	"practicepost/app/publish/linkedin/internal/littletext"
)

func TestEscapeUnescape(t *testing.T) {
	cases := map[string]string{
		"plain text":    "plain text",
		"#1 smile":      `\#1 smile`,
		`a\b`:           `a\\b`,
		"(call) <now>":  `\(call\) \<now\>`,
		"email@x.com":   `email\@x.com`,
		"snake_case~*|": `snake\_case\~\*\|`,
		"{[ ]}":         `\{\[ \]\}`,
		"emoji 😀 #ok":   `emoji 😀 \#ok`,
	}
	for in, want := range cases {
		if got := littletext.Escape(in); got != want {
			t.Errorf("Escape(%q) = %q, want %q", in, got, want)
		}
		if got := littletext.Unescape(want); got != in {
			t.Errorf("Unescape(%q) = %q, want %q", want, got, in)
		}
	}
}
