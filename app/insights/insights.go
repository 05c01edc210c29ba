// Package insights turns metric snapshots into what the Insights page, the
// CSV export and the monthly report show. It is pure: it takes the posts,
// their snapshots and the channels' daily figures as values and returns
// values, so every number on the page is tested without a data file.
//
// Snapshots hold a post's cumulative counters as the platform reported them
// at one reading (one row per post per day; older days are rolled up to the
// last reading of each month). Metrics hold no patient data: counts, dates
// and the post's title only.
package insights

import (
	"sort"
	"time"

	"practicepost/app"
)

// Counts are one post's cumulative numbers on one channel at one reading.
// Views, Reach and Clicks are nil where the platform does not report them:
// a missing figure is not a zero.
type Counts struct {
	Reactions int  `json:"reactions"`
	Comments  int  `json:"comments"`
	Shares    int  `json:"shares"`
	Quotes    int  `json:"quotes"`
	Saves     int  `json:"saves"`
	Views     *int `json:"views"`
	Reach     *int `json:"reach"`
	Clicks    *int `json:"clicks"`
}

// Interactions are everything a person did with the post.
func (c Counts) Interactions() int {
	return c.Reactions + c.Comments + c.Shares + c.Quotes + c.Saves
}

// Snapshot is one reading of one post on one channel.
type Snapshot struct {
	JobID int64     `json:"jobId"` // the post on one channel (publish job)
	Day   string    `json:"day"`   // "2026-12-06": the practice's day of the reading
	At    time.Time `json:"at"`
	Month bool      `json:"month"` // a monthly rollup (the month's last reading)
	Counts
}

// Post is one published post on one channel, with what only PracticePost
// knows about it.
type Post struct {
	JobID       int64      `json:"jobId"`
	DraftID     string     `json:"draftId"`
	Channel     string     `json:"channel"`
	Platform    string     `json:"platform"`
	Title       string     `json:"title"`
	URL         string     `json:"url"`
	PublishedAt time.Time  `json:"publishedAt"`
	Pillar      app.Pillar `json:"pillar"`
	AwarenessID string     `json:"awarenessId"`
	Testimonial bool       `json:"testimonial"`
	Thumb       string     `json:"thumb"` // sha256 of the first image; "" for text posts
	// Removed: taken down (consent withdrawn, or by hand); its numbers are
	// kept but no longer read.
	Removed  bool   `json:"removed"`
	RemoteID string `json:"-"` // the platform's id, what Metrics takes
}

// ChannelDay is one channel's own figures for one day: its follower count
// at the reading, and for Google Business Profile the location's daily
// counts (Google has no per-post numbers).
type ChannelDay struct {
	Channel    string `json:"channel"`
	Day        string `json:"day"`
	Followers  *int   `json:"followers"`
	Views      *int   `json:"views"`
	Clicks     *int   `json:"clicks"`
	Calls      *int   `json:"calls"`
	Directions *int   `json:"directions"`
}

// Channel names a connected channel.
type Channel struct {
	ID       string `json:"id"`
	Platform string `json:"platform"`
	Name     string `json:"name"`
}

// Basis is what an engagement rate is divided by.
type Basis string

const (
	BasisReach     Basis = "reach"     // people who saw it
	BasisViews     Basis = "views"     // times it was shown (impressions)
	BasisFollowers Basis = "followers" // the channel's followers at the reading
	BasisNone      Basis = ""          // no figure to divide by: no rate
)

// RateBasis is, per platform, what its engagement rate is divided by and
// the sentence the page shows about it. One place for this fact.
var RateBasis = map[string]struct {
	Basis Basis
	Note  string
}{
	"facebook":  {BasisReach, "Facebook: interactions ÷ people reached (unique viewers). Pages under 100 likes get no reach, then ÷ followers."},
	"instagram": {BasisReach, "Instagram: interactions ÷ accounts reached."},
	"linkedin":  {BasisReach, "LinkedIn: interactions ÷ unique impressions."},
	"x":         {BasisViews, "X: interactions ÷ impressions (X reports no reach)."},
	"mastodon":  {BasisFollowers, "Mastodon: interactions ÷ followers (Mastodon reports no reach)."},
	"bluesky":   {BasisFollowers, "Bluesky: interactions ÷ followers (Bluesky reports no reach)."},
	"google":    {BasisNone, "Google Business Profile: location totals only (Google gives no numbers per post)."},
}

// Rate is interactions divided by the best figure this post has: reach,
// then views where the platform's basis is views, then followers. ok is
// false when there is nothing to divide by.
func Rate(platform string, c Counts, followers *int) (rate float64, basis Basis, ok bool) {
	div := func(n *int) (float64, bool) {
		if n == nil || *n <= 0 {
			return 0, false
		}
		return float64(c.Interactions()) / float64(*n), true
	}
	want := RateBasis[platform].Basis
	if want == BasisNone {
		return 0, BasisNone, false
	}
	if r, ok := div(c.Reach); ok {
		return r, BasisReach, true
	}
	if want == BasisViews {
		if r, ok := div(c.Views); ok {
			return r, BasisViews, true
		}
	}
	if r, ok := div(followers); ok {
		return r, BasisFollowers, true
	}
	return 0, BasisNone, false
}

// Period is a range of practice-local days, both ends included.
type Period struct {
	From string `json:"from"` // "2026-11-07"
	To   string `json:"to"`   // "2026-12-06"
}

// Contains reports whether day ("2006-01-02") is in the period.
func (p Period) Contains(day string) bool { return day >= p.From && day <= p.To }

// Days is the number of days in the period.
func (p Period) Days() int {
	f, err1 := time.Parse(time.DateOnly, p.From)
	t, err2 := time.Parse(time.DateOnly, p.To)
	if err1 != nil || err2 != nil || t.Before(f) {
		return 0
	}
	return int(t.Sub(f).Hours()/24) + 1
}

// Previous is the period just before p: for a calendar month (the first
// day to the last), the calendar month before, so March is compared with
// February; otherwise the same number of days just before p.
func (p Period) Previous() Period {
	n := p.Days()
	f, err := time.Parse(time.DateOnly, p.From)
	if err != nil || n == 0 {
		return Period{}
	}
	if p.IsMonth() {
		m := f.AddDate(0, -1, 0)
		return Period{From: m.Format(time.DateOnly), To: f.AddDate(0, 0, -1).Format(time.DateOnly)}
	}
	return Period{From: f.AddDate(0, 0, -n).Format(time.DateOnly), To: f.AddDate(0, 0, -1).Format(time.DateOnly)}
}

// IsMonth reports whether p is one whole calendar month.
func (p Period) IsMonth() bool {
	f, err := time.Parse(time.DateOnly, p.From)
	if err != nil || f.Day() != 1 {
		return false
	}
	return p.To == f.AddDate(0, 1, -1).Format(time.DateOnly)
}

// FirstReadingGain is how soon after a post went out its first reading must
// come for what it shows to count as gained on that reading's day. A later
// first reading (Insights added by an update, a channel reconnected, a post
// beyond the reading window) shows interactions gathered over weeks: it
// starts the post's count at 0 gained instead of one day's spike. A day,
// not the collector's four hours: PracticePost may be closed right after
// publishing and read the post first the next morning.
const FirstReadingGain = 24 * time.Hour

// GrowthLookbackDays is how far before a period's first day a follower count
// may be and still be where the period's growth is measured from. An older
// one would count the followers gained while nothing was read as the
// period's.
const GrowthLookbackDays = 3

// Input is everything one dashboard is computed from.
type Input struct {
	Period   Period
	Loc      *time.Location // the practice's zone: publish days, weekdays and hours
	Channels []Channel      // the channels asked for; empty: every channel seen
	Posts    []Post
	// Snapshots and Days may hold readings from before and after the
	// period; the aggregation picks what it needs.
	Snapshots []Snapshot
	Days      []ChannelDay
	// Gains, when not nil, are the period's daily gains already summed per
	// channel (the data file does this with a window query, see
	// store.MetricDailyGains, held to the same rule by a test); Snapshots then need only each post's last
	// reading before the period and its last in it. Nil: computed here.
	Gains []DayPoint
}

// latest returns the last snapshot of each post on or before day, with the
// snapshots grouped by post in day order.
func bySnapshotJob(snaps []Snapshot) map[int64][]Snapshot {
	out := map[int64][]Snapshot{}
	for _, s := range snaps {
		out[s.JobID] = append(out[s.JobID], s)
	}
	for _, ss := range out {
		sort.Slice(ss, func(i, j int) bool { return ss[i].Day < ss[j].Day })
	}
	return out
}

func lastOnOrBefore(ss []Snapshot, day string) (Snapshot, bool) {
	i := sort.Search(len(ss), func(i int) bool { return ss[i].Day > day })
	if i == 0 {
		return Snapshot{}, false
	}
	return ss[i-1], true
}

// followersOn is the channel's follower count on the last reading on or
// before day; nil when none.
func followersOn(days []ChannelDay, day string) *int {
	var best *ChannelDay
	for i := range days {
		d := &days[i]
		if d.Followers == nil || d.Day > day {
			continue
		}
		if best == nil || d.Day > best.Day {
			best = d
		}
	}
	if best == nil {
		return nil
	}
	return best.Followers
}

// followerSeries answers followersOn for one channel by binary search: the
// dashboard asks it for every post of two years, and a scan of the
// channel's 730 days each time was most of the aggregation's time.
type followerSeries struct {
	days   []string // ascending, one entry a day, readings with a count only
	counts []*int
}

func newFollowerSeries(days []ChannelDay) followerSeries {
	var with []ChannelDay
	for _, d := range days {
		if d.Followers != nil {
			with = append(with, d)
		}
	}
	// Stable, and the first of equal days kept: the one followersOn picks.
	sort.SliceStable(with, func(i, j int) bool { return with[i].Day < with[j].Day })
	var f followerSeries
	for _, d := range with {
		if n := len(f.days); n > 0 && f.days[n-1] == d.Day {
			continue
		}
		f.days, f.counts = append(f.days, d.Day), append(f.counts, d.Followers)
	}
	return f
}

// on is followersOn(days, day) for the days the series was made from.
func (f followerSeries) on(day string) *int {
	i := sort.SearchStrings(f.days, day)
	if i < len(f.days) && f.days[i] == day {
		return f.counts[i]
	}
	if i == 0 {
		return nil
	}
	return f.counts[i-1]
}

func localDay(t time.Time, loc *time.Location) string {
	if loc == nil {
		loc = time.UTC
	}
	return t.In(loc).Format(time.DateOnly)
}

func ptr(n int) *int { return &n }

func addPtr(sum **int, n *int) {
	if n == nil {
		return
	}
	if *sum == nil {
		*sum = ptr(0)
	}
	**sum += *n
}

// FirstReadingCounts reports whether a post's first reading s counts whole
// as gained: it came within FirstReadingGain of the post going out. A
// reading without its instant (read by day, see store.MetricSnapshots) is
// taken at the start of its day in loc, the earliest it can have been.
func FirstReadingCounts(published time.Time, s Snapshot, loc *time.Location) bool {
	at := s.At
	if at.IsZero() {
		if loc == nil {
			loc = time.UTC
		}
		d, err := time.ParseInLocation(time.DateOnly, s.Day, loc)
		if err != nil {
			return false
		}
		at = d
	}
	return at.Sub(published) <= FirstReadingGain
}
