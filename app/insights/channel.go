package insights

import (
	"fmt"
	"time"

	"practicepost/app"
)

// basisWords names what a rate was divided by, for the page's notes.
var basisWords = map[Basis]string{BasisReach: "people reached", BasisViews: "impressions", BasisFollowers: "followers"}

// channelRate sets the channel's engagement rate: the interactions of its
// posts rated on one basis ÷ the sum of that basis. The platform's own
// basis (RateBasis) when any post has it; else the one basis all its rated
// posts share (a small Facebook Page: followers). Posts rated on another
// figure are left out, and said to be, since reach and followers added
// into one denominator mean nothing. Posts on different fallbacks and none
// on the platform's basis: no rate, with a note why.
func channelRate(ct *ChannelTotals, rows []PostRow, days []ChannelDay) {
	type sum struct{ interactions, den, posts int }
	by := map[Basis]*sum{}
	rated := 0
	for _, r := range rows {
		if r.Channel != ct.ID || !r.HasRate {
			continue
		}
		var den *int
		switch r.Basis {
		case BasisReach:
			den = r.Reach
		case BasisViews:
			den = r.Views
		case BasisFollowers:
			den = followersOn(days, r.ReadAt)
		}
		if den == nil || *den <= 0 {
			continue
		}
		s := by[r.Basis]
		if s == nil {
			s = &sum{}
			by[r.Basis] = s
		}
		s.interactions += r.Interactions
		s.den += *den
		s.posts++
		rated++
	}
	if rated == 0 {
		return
	}
	basis := RateBasis[ct.Platform].Basis
	if by[basis] == nil {
		if len(by) > 1 {
			ct.BasisNote = join(ct.BasisNote, fmt.Sprintf("No rate for this channel: its %d rated posts were measured against different figures, which cannot be added up.", rated))
			return
		}
		for b := range by {
			basis = b
		}
	}
	s := by[basis]
	ct.Basis, ct.Rate, ct.HasRate = basis, float64(s.interactions)/float64(s.den), true
	if left := rated - s.posts; left > 0 {
		ct.BasisNote = join(ct.BasisNote, fmt.Sprintf("The channel's rate is over the %d %s measured against %s; %d %s measured against another figure %s left out.",
			s.posts, app.Plural(s.posts, "post", "posts"), basisWords[basis], left, app.Plural(left, "post", "posts"), app.Plural(left, "is", "are")))
	}
}

func join(a, b string) string {
	if a == "" {
		return b
	}
	return a + " " + b
}

// growth is the followers gained in p: the count at its end less the last
// count before it, if that is from no more than GrowthLookbackDays before p
// starts. Otherwise it is counted from the first count in p, and since is
// that day when it is after p's first day (the figure covers only part of
// p). nil when there is nothing to count from.
func growth(days []ChannelDay, p Period, end *int) (n *int, since string) {
	if end == nil {
		return nil, ""
	}
	var last *ChannelDay
	for i := range days {
		d := &days[i]
		if d.Followers != nil && d.Day < p.From && (last == nil || d.Day > last.Day) {
			last = d
		}
	}
	if last != nil && last.Day >= daysBefore(p.From, GrowthLookbackDays) {
		return ptr(*end - *last.Followers), ""
	}
	var first *ChannelDay
	for i := range days {
		d := &days[i]
		if d.Followers != nil && p.Contains(d.Day) && (first == nil || d.Day < first.Day) {
			first = d
		}
	}
	if first == nil {
		return nil, ""
	}
	if first.Day > p.From {
		since = first.Day
	}
	return ptr(*end - *first.Followers), since
}

func daysBefore(day string, n int) string {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return ""
	}
	return t.AddDate(0, 0, -n).Format(time.DateOnly)
}
