package insights

import (
	"fmt"
	"testing"
)

// TestFollowerSeriesAnswersAsFollowersOn holds the dashboard's binary
// search to the plain scan it stands in for, on days that come unsorted,
// with gaps, readings without a count, and a day read twice (the scan
// keeps the first of equal days).
func TestFollowerSeriesAnswersAsFollowersOn(t *testing.T) {
	n := func(v int) *int { return &v }
	days := []ChannelDay{
		{Day: "2026-03-10", Followers: n(110)},
		{Day: "2026-03-01", Followers: n(100)},
		{Day: "2026-03-05"}, // location counts only
		{Day: "2026-03-07", Followers: n(107)},
		{Day: "2026-03-07", Followers: n(999)}, // the same day again: the first stays
		{Day: "2026-03-12"},
		{Day: "2026-03-03", Followers: n(103)},
	}
	f := newFollowerSeries(days)
	for d := 0; d <= 14; d++ {
		day := fmt.Sprintf("2026-02-%02d", 28) // before any reading
		if d > 0 {
			day = fmt.Sprintf("2026-03-%02d", d)
		}
		want, got := followersOn(days, day), f.on(day)
		if (want == nil) != (got == nil) || (want != nil && *want != *got) {
			t.Fatalf("%s: series says %v, the scan %v", day, deref(got), deref(want))
		}
	}
	// The literal answers the scan gives, so the comparison above is not vacuous.
	for day, want := range map[string]int{"2026-03-02": 100, "2026-03-06": 103, "2026-03-07": 107, "2026-03-14": 110} {
		if got := f.on(day); got == nil || *got != want {
			t.Fatalf("%s: %v, want %d", day, deref(got), want)
		}
	}
	if got := f.on("2026-02-28"); got != nil {
		t.Fatalf("before the first reading: %d, want none", *got)
	}
}

func deref(p *int) any {
	if p == nil {
		return nil
	}
	return *p
}
