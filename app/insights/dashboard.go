package insights

import (
	"fmt"
	"sort"
	"time"

	"practicepost/app"
)

// PostRow is one post on one channel with its numbers as of the period's
// last day.
type PostRow struct {
	Post
	Counts
	Interactions int     `json:"interactions"`
	Rate         float64 `json:"rate"` // 0 when HasRate is false
	HasRate      bool    `json:"hasRate"`
	Basis        Basis   `json:"basis"` // what Rate was divided by
	ReadAt       string  `json:"readAt"`
	Read         bool    `json:"read"` // any reading yet
}

// ChannelTotals are one channel's numbers for the period.
type ChannelTotals struct {
	Channel
	Posts        int  `json:"posts"`
	Interactions int  `json:"interactions"`
	Reactions    int  `json:"reactions"`
	Comments     int  `json:"comments"`
	Shares       int  `json:"shares"`
	Saves        int  `json:"saves"`
	Reach        *int `json:"reach"`
	Views        *int `json:"views"`
	Clicks       *int `json:"clicks"`
	Followers    *int `json:"followers"` // at the period's end
	Growth       *int `json:"growth"`    // followers gained in the period
	// GrowthSince is the day Growth is counted from when that is after the
	// period's first day (no count from just before it: a gap in reading, or
	// a new channel); "" when Growth covers the whole period.
	GrowthSince string `json:"growthSince"`
	// Rate is the interactions ÷ the summed basis of the posts rated on the
	// channel's basis (Basis); posts rated on another figure are left out
	// (BasisNote says so). No rate when they share no basis.
	Rate      float64 `json:"rate"`
	HasRate   bool    `json:"hasRate"`
	Basis     Basis   `json:"basis"`
	BasisNote string  `json:"basisNote"`
	// Location figures (Google Business Profile), summed over the period.
	Calls      *int `json:"calls"`
	Directions *int `json:"directions"`
}

// DayPoint is what one channel gained on one day.
type DayPoint struct {
	Day          string `json:"day"`
	Channel      string `json:"channel"`
	Interactions int    `json:"interactions"`
	Views        int    `json:"views"`
}

// Totals are the headline numbers of the period.
type Totals struct {
	Posts        int  `json:"posts"`
	Interactions int  `json:"interactions"`
	Reach        *int `json:"reach"` // posts that report reach, or views where that is the basis
	Clicks       *int `json:"clicks"`
	Growth       *int `json:"growth"`
	// GrowthSince: the latest day a channel's growth is counted from, when
	// one's is later than the period's first day; "" when all cover it.
	GrowthSince string `json:"growthSince"`
}

// Dashboard is the Insights page for one period.
type Dashboard struct {
	Period      Period          `json:"period"`
	Totals      Totals          `json:"totals"`
	Previous    Totals          `json:"previous"` // see Period.Previous
	Channels    []ChannelTotals `json:"channels"`
	Series      []DayPoint      `json:"series"` // every day of the period, per channel
	Posts       []PostRow       `json:"posts"`  // published in the period, most interactions first
	Pillars     []Group         `json:"pillars"`
	Awareness   []Group         `json:"awareness"`
	Testimonial []Group         `json:"testimonial"` // testimonial posts, then the rest
	Slots       Slots           `json:"slots"`
}

// Compute builds the dashboard. History is the posts used for "best time
// to post": the practice's whole history, not just this period.
func Compute(in Input) Dashboard {
	jobs := bySnapshotJob(in.Snapshots)
	daysByChannel := map[string][]ChannelDay{}
	for _, d := range in.Days {
		daysByChannel[d.Channel] = append(daysByChannel[d.Channel], d)
	}
	fol := map[string]followerSeries{}
	for ch, ds := range daysByChannel {
		fol[ch] = newFollowerSeries(ds)
	}
	chans := in.Channels
	want := map[string]bool{}
	for _, c := range chans {
		want[c.ID] = true
	}
	if len(chans) == 0 {
		seen := map[string]bool{}
		for _, p := range in.Posts {
			if !seen[p.Channel] {
				seen[p.Channel] = true
				chans = append(chans, Channel{ID: p.Channel, Platform: p.Platform, Name: p.Channel})
			}
		}
		for _, d := range in.Days {
			if !seen[d.Channel] {
				seen[d.Channel] = true
				chans = append(chans, Channel{ID: d.Channel, Name: d.Channel})
			}
		}
		for _, c := range chans {
			want[c.ID] = true
		}
	}

	out := Dashboard{Period: in.Period, Channels: []ChannelTotals{}}
	rows := rowsFor(in, in.Period, jobs, fol, want)
	out.Posts = rows
	out.Totals = totals(rows, in, in.Period, daysByChannel, chans)
	prev := in.Period.Previous()
	out.Previous = totals(rowsFor(in, prev, jobs, fol, want), in, prev, daysByChannel, chans)

	for _, c := range chans {
		out.Channels = append(out.Channels, channelTotals(c, rows, in.Period, daysByChannel[c.ID]).ChannelTotals)
	}
	if in.Gains != nil {
		out.Series = []DayPoint{}
		for _, g := range in.Gains {
			if want[g.Channel] && in.Period.Contains(g.Day) {
				out.Series = append(out.Series, g)
			}
		}
	} else {
		out.Series = series(in, jobs, want)
	}
	out.Pillars = byPillar(rows)
	out.Awareness = byAwareness(rows)
	out.Testimonial = byTestimonial(rows)
	all := rowsFor(in, Period{From: "0000-01-01", To: in.Period.To}, jobs, fol, want)
	out.Slots = BestTime(all, in.Loc)
	return out
}

func rowsFor(in Input, p Period, jobs map[int64][]Snapshot, fol map[string]followerSeries, want map[string]bool) []PostRow {
	rows := []PostRow{}
	for _, post := range in.Posts {
		if !want[post.Channel] || !p.Contains(localDay(post.PublishedAt, in.Loc)) {
			continue
		}
		r := PostRow{Post: post}
		if s, ok := lastOnOrBefore(jobs[post.JobID], p.To); ok {
			r.Counts, r.ReadAt, r.Read = s.Counts, s.Day, true
			r.Interactions = s.Interactions()
			r.Rate, r.Basis, r.HasRate = Rate(post.Platform, s.Counts, fol[post.Channel].on(s.Day))
		}
		rows = append(rows, r)
	}
	sort.SliceStable(rows, func(i, j int) bool {
		if rows[i].Interactions != rows[j].Interactions {
			return rows[i].Interactions > rows[j].Interactions
		}
		return rows[i].PublishedAt.After(rows[j].PublishedAt)
	})
	return rows
}

func reachOf(r PostRow) *int {
	if r.Reach != nil {
		return r.Reach
	}
	if RateBasis[r.Platform].Basis == BasisViews {
		return r.Views
	}
	return nil
}

func totals(rows []PostRow, in Input, p Period, days map[string][]ChannelDay, chans []Channel) Totals {
	var t Totals
	for _, r := range rows {
		t.Posts++
		t.Interactions += r.Interactions
		addPtr(&t.Reach, reachOf(r))
		addPtr(&t.Clicks, r.Clicks)
	}
	for _, c := range chans {
		ct := channelTotals(c, nil, p, days[c.ID])
		addPtr(&t.Growth, ct.Growth)
		if ct.Growth != nil && ct.GrowthSince > t.GrowthSince {
			t.GrowthSince = ct.GrowthSince
		}
		addPtr(&t.Clicks, ct.locationClicks)
	}
	return t
}

// channelTotals sums the rows of channel c. Location figures and followers
// come from its ChannelDays.
func channelTotals(c Channel, rows []PostRow, p Period, days []ChannelDay) channelTotalsOut {
	ct := ChannelTotals{Channel: c, BasisNote: RateBasis[c.Platform].Note, Basis: RateBasis[c.Platform].Basis}
	for _, r := range rows {
		if r.Channel != c.ID {
			continue
		}
		ct.Posts++
		ct.Interactions += r.Interactions
		ct.Reactions += r.Reactions
		ct.Comments += r.Comments
		ct.Shares += r.Shares + r.Quotes
		ct.Saves += r.Saves
		addPtr(&ct.Reach, r.Reach)
		addPtr(&ct.Views, r.Views)
		addPtr(&ct.Clicks, r.Clicks)
	}
	channelRate(&ct, rows, days)
	var loc *int
	for _, d := range days {
		if !p.Contains(d.Day) {
			continue
		}
		addPtr(&ct.Views, d.Views)
		addPtr(&loc, d.Clicks)
		addPtr(&ct.Calls, d.Calls)
		addPtr(&ct.Directions, d.Directions)
	}
	addPtr(&ct.Clicks, loc)
	ct.Followers = followersOn(days, p.To)
	ct.Growth, ct.GrowthSince = growth(days, p, ct.Followers)
	return channelTotalsOut{ChannelTotals: ct, locationClicks: loc}
}

// channelTotalsOut carries the location clicks apart, so the headline can
// add them without counting post clicks twice.
type channelTotalsOut struct {
	ChannelTotals
	locationClicks *int
}

// series is what each channel gained on each day of the period: the rise
// of every post's counters above their highest earlier reading, so a
// counter that fell (someone took back a like, the platform recounted)
// gives 0 that day rather than a negative bar, and its climb back is not
// counted again. A post's first reading counts whole only when it came
// within FirstReadingGain of the post going out; a later one gains 0 (its
// numbers built up over days nobody read). store.MetricDailyGains keeps
// the same sums as readings are saved, held to this by a test.
func series(in Input, jobs map[int64][]Snapshot, want map[string]bool) []DayPoint {
	postOf := map[int64]Post{}
	for _, p := range in.Posts {
		postOf[p.JobID] = p
	}
	type key struct{ day, ch string }
	sum := map[key]*DayPoint{}
	for job, ss := range jobs {
		post, ok := postOf[job]
		ch := post.Channel
		if !ok || !want[ch] {
			continue
		}
		var topI, topV int
		for i, s := range ss {
			views := 0
			if s.Views != nil {
				views = *s.Views
			}
			gi, gv := s.Interactions()-topI, views-topV
			if i == 0 && !FirstReadingCounts(post.PublishedAt, s, in.Loc) {
				gi, gv = 0, 0
			}
			topI, topV = max(topI, s.Interactions()), max(topV, views)
			if !in.Period.Contains(s.Day) {
				continue
			}
			k := key{s.Day, ch}
			if sum[k] == nil {
				sum[k] = &DayPoint{Day: s.Day, Channel: ch}
			}
			sum[k].Interactions += max(gi, 0)
			sum[k].Views += max(gv, 0)
		}
	}
	out := make([]DayPoint, 0, len(sum))
	for _, p := range sum {
		out = append(out, *p)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Day != out[j].Day {
			return out[i].Day < out[j].Day
		}
		return out[i].Channel < out[j].Channel
	})
	return out
}

// Group is the posts sharing one trait (pillar, weekday, hour, ...).
type Group struct {
	Key          string  `json:"key"`
	Label        string  `json:"label"`
	Posts        int     `json:"posts"` // with at least one reading
	Interactions int     `json:"interactions"`
	Mean         float64 `json:"mean"` // interactions per post
	MeanRate     float64 `json:"meanRate"`
	Rated        int     `json:"rated"` // posts with a rate
}

var pillarLabels = map[app.Pillar]string{app.PillarTip: "Tip", app.PillarMythFact: "Myth or fact", app.PillarTeam: "Team",
	app.PillarTestimonial: "Testimonial", app.PillarEvent: "Event", app.PillarNews: "News", "": "No pillar"}

func group(rows []PostRow, keys []string, label func(string) string, keyOf func(PostRow) (string, bool)) []Group {
	idx := map[string]*Group{}
	out := make([]*Group, 0, len(keys))
	for _, k := range keys {
		g := &Group{Key: k, Label: label(k)}
		idx[k] = g
		out = append(out, g)
	}
	for _, r := range rows {
		if !r.Read {
			continue
		}
		k, ok := keyOf(r)
		if !ok {
			continue
		}
		g := idx[k]
		if g == nil {
			g = &Group{Key: k, Label: label(k)}
			idx[k] = g
			out = append(out, g)
		}
		g.Posts++
		g.Interactions += r.Interactions
		if r.HasRate {
			g.MeanRate += r.Rate
			g.Rated++
		}
	}
	res := make([]Group, 0, len(out))
	for _, g := range out {
		if g.Posts > 0 {
			g.Mean = float64(g.Interactions) / float64(g.Posts)
		}
		if g.Rated > 0 {
			g.MeanRate /= float64(g.Rated)
		}
		res = append(res, *g)
	}
	return res
}

func byPillar(rows []PostRow) []Group {
	keys := make([]string, 0, len(app.Pillars))
	for _, p := range app.Pillars {
		keys = append(keys, string(p))
	}
	return group(rows, keys, func(k string) string { return pillarLabels[app.Pillar(k)] },
		func(r PostRow) (string, bool) { return string(r.Pillar), true })
}

func byAwareness(rows []PostRow) []Group {
	return splitBy(rows, "awareness", "On an awareness day", "Other days", func(r PostRow) bool { return r.AwarenessID != "" })
}

func byTestimonial(rows []PostRow) []Group {
	return splitBy(rows, "testimonial", "Testimonial posts", "All other posts", func(r PostRow) bool {
		return r.Testimonial || r.Pillar == app.PillarTestimonial
	})
}

// splitBy groups rows in two: those in (under key, labelled yes) and the
// rest (under "other", labelled no).
func splitBy(rows []PostRow, key, yes, no string, in func(PostRow) bool) []Group {
	return group(rows, []string{key, "other"}, func(k string) string {
		if k == key {
			return yes
		}
		return no
	}, func(r PostRow) (string, bool) {
		if in(r) {
			return key, true
		}
		return "other", true
	})
}

// Minimum sample for "best time to post": no claim is made on fewer posts
// in all or in the winning slot, since two lucky posts prove nothing.
const (
	MinPostsForBest = 12
	MinPostsInSlot  = 3
)

// Slots is the weekday and hour breakdown and, when the data allow, the
// best of each.
type Slots struct {
	Weekdays []Group `json:"weekdays"` // Monday first
	Hours    []Group `json:"hours"`    // 0..23, practice time
	Posts    int     `json:"posts"`    // posts with a reading
	BestDay  *Group  `json:"bestDay"`
	BestHour *Group  `json:"bestHour"`
	Note     string  `json:"note"` // why no best is named, or what it rests on
}

// BestTime buckets posts by the weekday and hour they went out in the
// practice's zone, so a 09:00 post is 09:00 in winter and in summer.
func BestTime(rows []PostRow, loc *time.Location) Slots {
	if loc == nil {
		loc = time.UTC
	}
	days := []string{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}
	dayNames := map[string]string{"Mon": "Monday", "Tue": "Tuesday", "Wed": "Wednesday", "Thu": "Thursday", "Fri": "Friday", "Sat": "Saturday", "Sun": "Sunday"}
	hours := make([]string, 24)
	for h := range hours {
		hours[h] = fmt.Sprintf("%02d", h)
	}
	s := Slots{
		Weekdays: group(rows, days, func(k string) string { return dayNames[k] }, func(r PostRow) (string, bool) {
			return days[(int(r.PublishedAt.In(loc).Weekday())+6)%7], true
		}),
		Hours: group(rows, hours, func(k string) string { return k + ":00" }, func(r PostRow) (string, bool) {
			return fmt.Sprintf("%02d", r.PublishedAt.In(loc).Hour()), true
		}),
	}
	for _, r := range rows {
		if r.Read {
			s.Posts++
		}
	}
	if s.Posts < MinPostsForBest {
		s.Note = fmt.Sprintf("Not enough posts yet to say when is best: %d with numbers, at least %d needed.", s.Posts, MinPostsForBest)
		return s
	}
	overall := 0.0
	for _, r := range rows {
		overall += float64(r.Interactions)
	}
	overall /= float64(s.Posts)
	s.BestDay = best(s.Weekdays, overall)
	s.BestHour = best(s.Hours, overall)
	switch {
	case s.BestDay == nil && s.BestHour == nil:
		s.Note = fmt.Sprintf("No day or hour stands out yet: none has %d or more posts doing better than the average of %.1f interactions.", MinPostsInSlot, overall)
	default:
		s.Note = fmt.Sprintf("From %d posts; a slot needs at least %d posts to count. Average: %.1f interactions a post.", s.Posts, MinPostsInSlot, overall)
	}
	return s
}

// best is the group with the highest mean among those with enough posts,
// if it beats the overall mean; ties go to the larger sample.
func best(gs []Group, overall float64) *Group {
	var b *Group
	for i := range gs {
		g := gs[i]
		if g.Posts < MinPostsInSlot || g.Mean <= overall {
			continue
		}
		if b == nil || g.Mean > b.Mean || (g.Mean == b.Mean && g.Posts > b.Posts) {
			b = &g
		}
	}
	return b
}
