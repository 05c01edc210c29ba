package report

import (
	"testing"

	"practicepost/app/insights"
)

func TestGroupNote(t *testing.T) {
	for _, tc := range []struct {
		g    insights.Group
		want string
	}{
		// 81 interactions over 4 posts = 20.25: half up to 20.3, as the page rounds.
		{insights.Group{Label: "Tip", Posts: 4, Mean: 20.25}, "20.3 (4 posts)"},
		// 150 ÷ 4 = 37.5 stays 37.5.
		{insights.Group{Label: "Myth or fact", Posts: 4, Mean: 37.5}, "37.5 (4 posts)"},
		{insights.Group{Label: "Team", Posts: 1, Mean: 26}, "26.0 (1 post)"},
		// A pillar nothing went out in has no average, not one of 0.0.
		{insights.Group{Label: "Testimonial"}, "no posts"},
	} {
		if got := groupNote(tc.g); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.g.Label, got, tc.want)
		}
	}
}

// Rates and means read the same on the report as on the page.
func TestOneDecimal(t *testing.T) {
	for v, want := range map[float64]string{
		10.25:            "10.3", // 41 ÷ 400: a half, rounded up as toFixed does (%.1f: 10.2)
		43.0 / 400 * 100: "10.8", // 10.75
		32.0 / 308 * 100: "10.4", // 10.389…
		0:                "0.0",
	} {
		if got := oneDecimal(v); got != want {
			t.Errorf("%v: %q, want %q", v, got, want)
		}
	}
}
