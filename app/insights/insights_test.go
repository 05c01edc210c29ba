package insights

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"practicepost/app"
)

func n(v int) *int { return &v }

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestInsightsRatePerPlatform(t *testing.T) {
	cases := []struct {
		name      string
		platform  string
		c         Counts
		followers *int
		want      float64
		basis     Basis
		ok        bool
	}{
		// 10+3+2+0+5 = 20 interactions ÷ 200 reached = 0.1
		{"instagram reach", "instagram", Counts{Reactions: 10, Comments: 3, Shares: 2, Saves: 5, Reach: n(200), Views: n(900)}, n(5000), 0.1, BasisReach, true},
		// X has no reach: 20+3+2 = 25 ÷ 1000 impressions = 0.025
		{"x views", "x", Counts{Reactions: 20, Comments: 3, Quotes: 2, Views: n(1000)}, nil, 0.025, BasisViews, true},
		// Facebook views are not its basis; no reach (small Page): 12 ÷ 400 followers = 0.03
		{"facebook small page falls back to followers", "facebook", Counts{Reactions: 12, Views: n(50)}, n(400), 0.03, BasisFollowers, true},
		// 6+2 = 8 ÷ 400 followers = 0.02
		{"mastodon followers", "mastodon", Counts{Reactions: 6, Shares: 2}, n(400), 0.02, BasisFollowers, true},
		{"mastodon without a follower count has no rate", "mastodon", Counts{Reactions: 6}, nil, 0, BasisNone, false},
		{"zero reach is not divided by", "instagram", Counts{Reactions: 3, Reach: n(0)}, nil, 0, BasisNone, false},
		{"google has no per-post rate", "google", Counts{Reactions: 3, Reach: n(10)}, n(10), 0, BasisNone, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, b, ok := Rate(c.platform, c.c, c.followers)
			if !near(r, c.want) || b != c.basis || ok != c.ok {
				t.Fatalf("Rate = %v %q %v, want %v %q %v", r, b, ok, c.want, c.basis, c.ok)
			}
		})
	}
	for _, p := range []string{"facebook", "instagram", "linkedin", "x", "mastodon", "bluesky", "google"} {
		if RateBasis[p].Note == "" {
			t.Errorf("platform %s has no rate basis sentence for the page", p)
		}
	}
}

func TestInsightsPeriod(t *testing.T) {
	p := Period{From: "2026-11-01", To: "2026-11-30"}
	if p.Days() != 30 {
		t.Fatalf("Days = %d, want 30", p.Days())
	}
	// A calendar month is compared with the calendar month before.
	if got := p.Previous(); got != (Period{From: "2026-10-01", To: "2026-10-31"}) {
		t.Fatalf("Previous = %+v", got)
	}
	// Any other period: the same number of days just before. 30 days before 2 Nov: 3 Oct .. 1 Nov.
	if got := (Period{From: "2026-11-02", To: "2026-12-01"}).Previous(); got != (Period{From: "2026-10-03", To: "2026-11-01"}) {
		t.Fatalf("Previous of 30 days = %+v", got)
	}
	if (Period{From: "2026-11-02", To: "2026-11-01"}).Days() != 0 {
		t.Fatal("a reversed period has days")
	}
}

func london(t *testing.T) *time.Location {
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func at(loc *time.Location, s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
	if err != nil {
		panic(err)
	}
	return t
}

func dashboardFixture(t *testing.T) Input {
	loc := london(t)
	return Input{
		Period: Period{From: "2026-11-01", To: "2026-11-30"},
		Loc:    loc,
		Channels: []Channel{
			{ID: "facebook:1", Platform: "facebook", Name: "Smile Page"},
			{ID: "instagram:2", Platform: "instagram", Name: "smile.dental"},
			{ID: "mastodon:3", Platform: "mastodon", Name: "@smile"},
		},
		Posts: []Post{
			{JobID: 1, Channel: "facebook:1", Platform: "facebook", Title: "Floss daily", PublishedAt: at(loc, "2026-11-03 09:00"), Pillar: app.PillarTip},
			{JobID: 2, Channel: "instagram:2", Platform: "instagram", Title: "Sam's smile", PublishedAt: at(loc, "2026-11-05 18:30"), Pillar: app.PillarTestimonial, Testimonial: true},
			{JobID: 3, Channel: "mastodon:3", Platform: "mastodon", Title: "Myth: sugar", PublishedAt: at(loc, "2026-10-20 12:00"), Pillar: app.PillarMythFact},
			{JobID: 4, Channel: "facebook:1", Platform: "facebook", Title: "New hygienist", PublishedAt: at(loc, "2026-10-15 10:00"), Pillar: app.PillarNews, AwarenessID: "oral-health-month"},
			// Not asked for: a channel outside the filter.
			{JobID: 5, Channel: "x:9", Platform: "x", Title: "Open late", PublishedAt: at(loc, "2026-11-04 10:00"), Pillar: app.PillarNews},
			// Published, not read yet: counted as a post, no numbers.
			{JobID: 6, Channel: "instagram:2", Platform: "instagram", Title: "Team day", PublishedAt: at(loc, "2026-11-29 10:00"), Pillar: app.PillarTeam},
		},
		Snapshots: []Snapshot{
			{JobID: 1, Day: "2026-11-04", Counts: Counts{Reactions: 10, Comments: 2, Shares: 1, Reach: n(100), Clicks: n(4)}},
			{JobID: 1, Day: "2026-11-10", Counts: Counts{Reactions: 20, Comments: 4, Shares: 2, Reach: n(300), Clicks: n(9)}},
			{JobID: 1, Day: "2026-12-02", Counts: Counts{Reactions: 30, Comments: 5, Shares: 2, Reach: n(400)}},
			{JobID: 2, Day: "2026-11-06", Counts: Counts{Reactions: 5, Comments: 1, Saves: 2, Reach: n(50)}},
			{JobID: 3, Day: "2026-10-21", Counts: Counts{Reactions: 4}},
			{JobID: 3, Day: "2026-11-02", Counts: Counts{Reactions: 6}},
			{JobID: 4, Day: "2026-10-16", Counts: Counts{Reactions: 7, Reach: n(70)}},
			{JobID: 5, Day: "2026-11-05", Counts: Counts{Reactions: 99, Views: n(1000)}},
		},
		Days: []ChannelDay{
			{Channel: "mastodon:3", Day: "2026-10-31", Followers: n(400)},
			{Channel: "mastodon:3", Day: "2026-11-30", Followers: n(430)},
			{Channel: "instagram:2", Day: "2026-11-15", Followers: n(1000)},
			{Channel: "instagram:2", Day: "2026-11-30", Followers: n(1010)},
		},
	}
}

func TestInsightsDashboard(t *testing.T) {
	d := Compute(dashboardFixture(t))

	// Posts published in November on the asked channels: 1, 2 and 6 (5 is X, not asked).
	// Interactions as of 30 Nov: post 1 on 10 Nov 20+4+2 = 26; post 2 5+1+2 = 8; post 6 none = 0. 26+8 = 34.
	// Reach: 300 + 50 = 350. Clicks: post 1's 9.
	// Followers: Mastodon 430-400 = 30; Instagram has no reading before November, so
	// from its first in it: 1010-1000 = 10. 30+10 = 40.
	want := Totals{Posts: 3, Interactions: 34, Reach: n(350), Clicks: n(9), Growth: n(40)}
	if !sameTotals(d.Totals, want) {
		t.Fatalf("Totals = %s, want %s", show(d.Totals), show(want))
	}
	// October: posts 3 (4 as of 21 Oct) and 4 (7): 11 interactions, reach 70 (post 4 only).
	// Growth: Mastodon's only reading by 31 Oct is 400 → 0; Instagram has none.
	wantPrev := Totals{Posts: 2, Interactions: 11, Reach: n(70), Growth: n(0)}
	if !sameTotals(d.Previous, wantPrev) {
		t.Fatalf("Previous = %s, want %s", show(d.Previous), show(wantPrev))
	}

	if len(d.Posts) != 3 || d.Posts[0].JobID != 1 || d.Posts[1].JobID != 2 || d.Posts[2].JobID != 6 {
		got := []int64{}
		for _, p := range d.Posts {
			got = append(got, p.JobID)
		}
		t.Fatalf("top posts order = %v, want 1, 2, 6", got)
	}
	if d.Posts[2].Read {
		t.Fatal("a post with no reading shows as read")
	}
	// Post 1: 26 ÷ 300 reached.
	if !d.Posts[0].HasRate || !near(d.Posts[0].Rate, 26.0/300) || d.Posts[0].Basis != BasisReach {
		t.Fatalf("post 1 rate = %+v", d.Posts[0])
	}

	ch := map[string]ChannelTotals{}
	for _, c := range d.Channels {
		ch[c.ID] = c
	}
	if len(d.Channels) != 3 {
		t.Fatalf("channels = %d, want the 3 asked for", len(d.Channels))
	}
	fb := ch["facebook:1"]
	// One November post: 26 interactions ÷ 300 reach.
	if fb.Posts != 1 || fb.Interactions != 26 || !fb.HasRate || !near(fb.Rate, 26.0/300) || !strings.Contains(fb.BasisNote, "reached") {
		t.Fatalf("facebook totals = %+v", fb)
	}
	ms := ch["mastodon:3"]
	if ms.Posts != 0 || ms.Growth == nil || *ms.Growth != 30 || *ms.Followers != 430 {
		t.Fatalf("mastodon totals = %+v", ms)
	}

	// Daily gains in November: Mastodon 6-4 = 2 on 2 Nov; Facebook 13 on 4 Nov (first
	// reading) and 26-13 = 13 on 10 Nov; Instagram 8 on 6 Nov. The 2 Dec reading is
	// outside; X is not asked for.
	wantSeries := []DayPoint{
		{Day: "2026-11-02", Channel: "mastodon:3", Interactions: 2},
		{Day: "2026-11-04", Channel: "facebook:1", Interactions: 13},
		{Day: "2026-11-06", Channel: "instagram:2", Interactions: 8},
		{Day: "2026-11-10", Channel: "facebook:1", Interactions: 13},
	}
	if len(d.Series) != len(wantSeries) {
		t.Fatalf("series = %+v", d.Series)
	}
	for i := range wantSeries {
		if d.Series[i] != wantSeries[i] {
			t.Fatalf("series[%d] = %+v, want %+v", i, d.Series[i], wantSeries[i])
		}
	}

	pill := map[string]Group{}
	for _, g := range d.Pillars {
		pill[g.Key] = g
	}
	// Every pillar listed, in the editor's order, even with no posts.
	if len(d.Pillars) != 6 || d.Pillars[0].Key != "tip" {
		t.Fatalf("pillars = %+v", d.Pillars)
	}
	// Tip: post 1 (26). Testimonial: post 2 (8), rate 8 ÷ 50 = 0.16. Team: post 6 has no reading, so 0 posts.
	if g := pill["tip"]; g.Posts != 1 || g.Interactions != 26 || !near(g.Mean, 26) {
		t.Fatalf("tip = %+v", g)
	}
	if g := pill["testimonial"]; g.Posts != 1 || !near(g.Mean, 8) || !near(g.MeanRate, 0.16) {
		t.Fatalf("testimonial = %+v", g)
	}
	if g := pill["team"]; g.Posts != 0 {
		t.Fatalf("team counts an unread post: %+v", g)
	}
	// Testimonial posts 8 per post against the rest 26 per post.
	if d.Testimonial[0].Key != "testimonial" || d.Testimonial[0].Posts != 1 || !near(d.Testimonial[0].Mean, 8) ||
		d.Testimonial[1].Posts != 1 || !near(d.Testimonial[1].Mean, 26) {
		t.Fatalf("testimonial vs rest = %+v", d.Testimonial)
	}
	if d.Testimonial[0].Label != "Testimonial posts" || d.Testimonial[1].Key != "other" || d.Testimonial[1].Label != "All other posts" {
		t.Fatalf("testimonial groups named %+v", d.Testimonial)
	}
	// The one awareness-day post (4) went out in October: in November both
	// read posts fall on other days.
	if len(d.Awareness) != 2 || d.Awareness[0].Key != "awareness" || d.Awareness[0].Label != "On an awareness day" || d.Awareness[0].Posts != 0 ||
		d.Awareness[1].Key != "other" || d.Awareness[1].Label != "Other days" || d.Awareness[1].Posts != 2 {
		t.Fatalf("awareness vs other days = %+v", d.Awareness)
	}
}

func sameTotals(a, b Totals) bool {
	eq := func(x, y *int) bool { return (x == nil) == (y == nil) && (x == nil || *x == *y) }
	return a.Posts == b.Posts && a.Interactions == b.Interactions && eq(a.Reach, b.Reach) && eq(a.Clicks, b.Clicks) && eq(a.Growth, b.Growth)
}

func show(t Totals) string {
	p := func(x *int) string {
		if x == nil {
			return "nil"
		}
		return fmt.Sprint(*x)
	}
	return fmt.Sprintf("{posts %d interactions %d reach %s clicks %s growth %s}", t.Posts, t.Interactions, p(t.Reach), p(t.Clicks), p(t.Growth))
}

func TestInsightsCounterThatFallsGivesNoNegativeDay(t *testing.T) {
	in := dashboardFixture(t)
	in.Snapshots = []Snapshot{
		{JobID: 1, Day: "2026-11-04", Counts: Counts{Reactions: 10}},
		// Someone took a like back: 10 → 9 is a 0 day, then 9 → 12 is +2
		// (above the 10 it had: the 1 taken back and given again is not new).
		{JobID: 1, Day: "2026-11-05", Counts: Counts{Reactions: 9}},
		{JobID: 1, Day: "2026-11-06", Counts: Counts{Reactions: 12}},
	}
	d := Compute(in)
	got := map[string]int{}
	for _, p := range d.Series {
		got[p.Day] = p.Interactions
	}
	if got["2026-11-04"] != 10 || got["2026-11-05"] != 0 || got["2026-11-06"] != 2 {
		t.Fatalf("series = %v", got)
	}
}

// bestTimeRows: n posts at local time hhmm on the given dates, each with k interactions.
func bestTimeRows(loc *time.Location, dates []string, hhmm string, k int) []PostRow {
	var out []PostRow
	for _, d := range dates {
		out = append(out, PostRow{Post: Post{Platform: "facebook", PublishedAt: at(loc, d+" "+hhmm)},
			Counts: Counts{Reactions: k}, Interactions: k, Read: true})
	}
	return out
}

func TestInsightsBestTimeAcrossDST(t *testing.T) {
	loc := london(t)
	// Six Tuesday posts at 09:00 London: three in winter (GMT, 09:00 UTC) and three in
	// summer (BST, 08:00 UTC), 20 interactions each. Six Thursday posts at 14:00, 5 each.
	rows := bestTimeRows(loc, []string{"2026-01-06", "2026-01-13", "2026-01-20", "2026-07-07", "2026-07-14", "2026-07-21"}, "09:00", 20)
	rows = append(rows, bestTimeRows(loc, []string{"2026-01-08", "2026-01-15", "2026-01-22", "2026-07-09", "2026-07-16", "2026-07-23"}, "14:00", 5)...)
	s := BestTime(rows, loc)
	// Average: (6×20 + 6×5) ÷ 12 = 150 ÷ 12 = 12.5.
	if s.Posts != 12 || s.BestHour == nil || s.BestHour.Key != "09" || s.BestHour.Posts != 6 || !near(s.BestHour.Mean, 20) {
		t.Fatalf("best hour = %+v (note %q)", s.BestHour, s.Note)
	}
	if s.BestDay == nil || s.BestDay.Label != "Tuesday" {
		t.Fatalf("best day = %+v", s.BestDay)
	}
	if s.Hours[8].Posts != 0 {
		t.Fatalf("summer posts were bucketed by UTC hour: hour 08 has %d", s.Hours[8].Posts)
	}
	if !strings.Contains(s.Note, "12.5") {
		t.Fatalf("note = %q", s.Note)
	}

	// The same posts read in UTC would split 09:00 into 09 and 08: the zone matters.
	u := BestTime(rows, time.UTC)
	if u.Hours[8].Posts != 3 || u.Hours[9].Posts != 3 {
		t.Fatalf("UTC hours 08/09 = %d/%d, want 3/3", u.Hours[8].Posts, u.Hours[9].Posts)
	}
}

func TestInsightsBestTimeMakesNoClaimOnTooLittle(t *testing.T) {
	loc := london(t)
	// Eleven posts: one short of MinPostsForBest.
	rows := bestTimeRows(loc, []string{"2026-01-06", "2026-01-13", "2026-01-20", "2026-01-27", "2026-02-03", "2026-02-10"}, "09:00", 20)
	rows = append(rows, bestTimeRows(loc, []string{"2026-01-08", "2026-01-15", "2026-01-22", "2026-01-29", "2026-02-05"}, "14:00", 5)...)
	s := BestTime(rows, loc)
	if s.BestDay != nil || s.BestHour != nil || !strings.Contains(s.Note, "11 with numbers, at least 12") {
		t.Fatalf("claimed a best time on 11 posts: %+v %+v %q", s.BestDay, s.BestHour, s.Note)
	}

	// Twelve posts, but the standout hour (07:00, 100 each) has only 2: it is not named.
	// Ten posts at 14:00 with 5 each. Average (200+50) ÷ 12 = 20.8; 14:00 is below it.
	rows = bestTimeRows(loc, []string{"2026-03-03", "2026-03-10"}, "07:00", 100)
	rows = append(rows, bestTimeRows(loc, []string{"2026-03-05", "2026-03-12", "2026-03-19", "2026-03-26", "2026-04-02", "2026-04-09", "2026-04-16", "2026-04-23", "2026-04-30", "2026-05-07"}, "14:00", 5)...)
	s = BestTime(rows, loc)
	if s.BestHour != nil || !strings.Contains(s.Note, "No day or hour stands out") {
		t.Fatalf("named a best hour from a 2-post slot: %+v %q", s.BestHour, s.Note)
	}
}

func TestInsightsSuggestionsRestOnData(t *testing.T) {
	d := Dashboard{
		Totals: Totals{Posts: 9},
		Pillars: []Group{
			{Key: "tip", Label: "Tip", Posts: 4, Mean: 24.5},
			{Key: "myth_fact", Label: "Myth or fact", Posts: 1, Mean: 90}, // one post: not compared
			{Key: "team", Label: "Team", Posts: 0},
			{Key: "testimonial", Label: "Testimonial", Posts: 2, Mean: 30},
			{Key: "event", Label: "Event", Posts: 0},
			{Key: "news", Label: "News", Posts: 2, Mean: 6},
		},
		Testimonial: []Group{{Key: "testimonial", Posts: 2, Mean: 30}, {Key: "other", Posts: 7, Mean: 15}},
		Slots:       Slots{Posts: 9},
	}
	s := Suggest(d)
	want := []string{
		// Testimonial 30 (2 posts) is the top pillar with 2+ posts; news 6 the lowest.
		"Plan more testimonial posts.|Testimonial posts averaged 30.0 interactions (2 posts), against 6.0 for news (2 posts).",
		"Ask more happy patients for a testimonial (with their signed consent).|Testimonial posts averaged 30.0 interactions (2 posts), the rest 15.0 (7 posts).",
		"Keep posting at different days and times.|9 posts have numbers so far; with 12 or more the report can say when yours do best.",
		"Try a team post next month.|No team posts had numbers this period, so there is nothing to compare yet.",
	}
	if len(s) != len(want) {
		t.Fatalf("%d suggestions: %+v", len(s), s)
	}
	for i, w := range want {
		if got := s[i].Text + "|" + s[i].Basis; got != w {
			t.Errorf("suggestion %d:\n got %s\nwant %s", i, got, w)
		}
	}
	// A quiet month: nothing to compare, nothing claimed.
	if s := Suggest(Dashboard{Slots: Slots{Posts: 0}}); len(s) != 1 || s[0].Text != "Keep posting at different days and times." {
		t.Fatalf("empty month: %+v", s)
	}
}

// The rate basis and the platform descriptor state one fact twice from two
// sides (no numbers per post ⇔ nothing to divide a post's interactions by);
// they must agree for every platform, and every platform has a basis.
func TestRateBasisAgreesWithDescriptor(t *testing.T) {
	for _, d := range app.Platforms() {
		b, ok := RateBasis[string(d.Name)]
		if !ok {
			t.Errorf("%s has no rate basis", d.Name)
			continue
		}
		if (b.Basis == BasisNone) == d.PostMetrics {
			t.Errorf("%s: basis %v but descriptor PostMetrics=%v", d.Name, b.Basis, d.PostMetrics)
		}
		if d.Replies != "comments" && d.Replies != "reviews" {
			t.Errorf("%s: replies %q", d.Name, d.Replies)
		}
	}
}
