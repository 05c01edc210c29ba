package store_test

import (
	"testing"
	"time"

	"practicepost/app"
	"practicepost/app/insights"
	"practicepost/app/store"
)

func dashboardOf(t *testing.T, db *store.DB, p insights.Period, loc *time.Location) insights.Dashboard {
	t.Helper()
	posts, err := db.InsightPosts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	snaps, err := db.MetricLatest(ctx, p.From, p.To)
	if err != nil {
		t.Fatal(err)
	}
	gains, err := db.MetricDailyGains(ctx, p.From, p.To)
	if err != nil {
		t.Fatal(err)
	}
	days, err := db.ChannelDays(ctx, p.To)
	if err != nil {
		t.Fatal(err)
	}
	return insights.Compute(insights.Input{Period: p, Loc: loc, Posts: posts, Snapshots: snaps, Days: days, Gains: gains})
}

func saveReading(t *testing.T, db *store.DB, s insights.Snapshot) {
	t.Helper()
	if err := db.Tx(ctx, func(tx *store.Tx) error { return tx.SaveMetricSnapshot(ctx, s) }); err != nil {
		t.Fatal(err)
	}
}

func gainsSum(t *testing.T, db *store.DB, from, to string) map[string]int {
	t.Helper()
	g, err := db.MetricDailyGains(ctx, from, to)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	for _, p := range g {
		out[p.Day] += p.Interactions
	}
	return out
}

// A New York practice's 20:00 reading of a post sent that morning is that
// day's, not the next UTC day's: the evening dashboard shows its numbers
// and what it gained today.
func TestInsightsEveningReadingFiledUnderPracticeDay(t *testing.T) {
	db := MustOpenDB(t)
	ny, _ := time.LoadLocation("America/New_York")
	j := publishedJob(t, db, "mastodon:1", "mastodon", app.Draft{Title: "Winter smiles"}, nil, time.Date(2026, 12, 6, 10, 0, 0, 0, ny))
	// As the collector saves: At in the practice's zone, the day left to the store.
	saveReading(t, db, insights.Snapshot{JobID: j.ID, At: time.Date(2026, 12, 6, 20, 0, 0, 0, ny), Counts: insights.Counts{Reactions: 12}})
	err := db.Tx(ctx, func(tx *store.Tx) error {
		return tx.SaveChannelDay(ctx, insights.ChannelDay{Channel: "mastodon:1", Followers: iv(300)}, time.Date(2026, 12, 6, 20, 0, 0, 0, ny))
	})
	if err != nil {
		t.Fatal(err)
	}
	d := dashboardOf(t, db, insights.Period{From: "2026-11-30", To: "2026-12-06"}, ny)
	if len(d.Posts) != 1 || !d.Posts[0].Read || d.Posts[0].ReadAt != "2026-12-06" || d.Totals.Interactions != 12 {
		t.Fatalf("posts %+v totals %+v: the evening reading is not today's", d.Posts, d.Totals)
	}
	if len(d.Series) != 1 || d.Series[0].Day != "2026-12-06" || d.Series[0].Interactions != 12 {
		t.Fatalf("series %+v, want 12 gained on 6 Dec", d.Series)
	}
	if c := d.Channels[0]; c.Followers == nil || *c.Followers != 300 {
		t.Fatalf("followers %+v: the evening count is not today's", c)
	}
}

// The first reading of a post that went out weeks before (Insights added
// by an update, a channel reconnected) is not one day's gain; the first
// reading of a new post is.
func TestInsightsFirstReadingOfOldPostIsNoGain(t *testing.T) {
	db := MustOpenDB(t)
	old := publishedJob(t, db, "mastodon:1", "mastodon", app.Draft{Title: "Old post"}, nil, time.Date(2026, 9, 1, 9, 0, 0, 0, time.UTC))
	recent := publishedJob(t, db, "mastodon:1", "mastodon", app.Draft{Title: "New post"}, nil, time.Date(2026, 11, 19, 18, 0, 0, 0, time.UTC))
	saveReading(t, db, insights.Snapshot{JobID: old.ID, At: time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC), Counts: insights.Counts{Reactions: 300, Views: iv(5000)}})
	saveReading(t, db, insights.Snapshot{JobID: recent.ID, At: time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC), Counts: insights.Counts{Reactions: 7}})
	saveReading(t, db, insights.Snapshot{JobID: old.ID, At: time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC), Counts: insights.Counts{Reactions: 304, Views: iv(5010)}})
	g, err := db.MetricDailyGains(ctx, "2026-11-01", "2026-11-30")
	if err != nil {
		t.Fatal(err)
	}
	if len(g) != 2 || g[0].Interactions != 7 || g[0].Views != 0 || g[1].Interactions != 4 || g[1].Views != 10 {
		t.Fatalf("gains %+v, want 7 on 20 Nov (the new post only), then 4 and 10 views", g)
	}
}

// A platform's recount down and back up is counted once: the daily gains
// add up to what the post has, also when a late reading lands among them.
func TestInsightsRecountDownAndUpCountedOnce(t *testing.T) {
	db := MustOpenDB(t)
	j := publishedJob(t, db, "x:1", "x", app.Draft{Title: "Recount"}, nil, time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC))
	for i, r := range []int{100, 90, 100, 92, 100} {
		saveReading(t, db, insights.Snapshot{JobID: j.ID, At: time.Date(2026, 11, 1+i*2, 18, 0, 0, 0, time.UTC), Counts: insights.Counts{Reactions: r}})
	}
	total := func() int {
		sum := 0
		for _, n := range gainsSum(t, db, "2026-11-01", "2026-11-30") {
			sum += n
		}
		return sum
	}
	d := dashboardOf(t, db, insights.Period{From: "2026-11-01", To: "2026-11-30"}, time.UTC)
	if s := total(); s != 100 || d.Totals.Interactions != 100 {
		t.Fatalf("daily gains sum to %d; the post has %d interactions", s, d.Totals.Interactions)
	}
	// A late reading of 4 Nov at 130, then 140 on 12 Nov: 30 then 10 more.
	saveReading(t, db, insights.Snapshot{JobID: j.ID, At: time.Date(2026, 11, 4, 18, 0, 0, 0, time.UTC), Counts: insights.Counts{Reactions: 130}})
	saveReading(t, db, insights.Snapshot{JobID: j.ID, At: time.Date(2026, 11, 12, 18, 0, 0, 0, time.UTC), Counts: insights.Counts{Reactions: 140}})
	if s := total(); s != 140 {
		t.Fatalf("after a late reading the daily gains sum to %d, want 140", s)
	}
}

// Readings filed under their UTC day before are filed again under the
// practice's day, once, with every gain worked out again by today's rule;
// Google's own location days stay.
func TestInsightsReadingsFiledAgainUnderPracticeDays(t *testing.T) {
	db := MustOpenDB(t)
	ny, _ := time.LoadLocation("America/New_York")
	utc := func(d, h int) time.Time { return time.Date(2026, 12, d, h, 0, 0, 0, time.UTC) }
	j := publishedJob(t, db, "mastodon:1", "mastodon", app.Draft{Title: "Winter smiles"}, nil, utc(5, 15))
	old := publishedJob(t, db, "mastodon:1", "mastodon", app.Draft{Title: "Autumn"}, nil, time.Date(2026, 9, 1, 15, 0, 0, 0, time.UTC))
	// As filed before: UTC days. 6 Dec 01:00 UTC is 5 Dec 20:00 in New York,
	// later than 5 Dec 16:00 UTC (11:00): 5 Dec keeps the 01:00 reading.
	for _, r := range []struct {
		job int64
		at  time.Time
		n   int
	}{{j.ID, utc(5, 16), 3}, {j.ID, utc(6, 1), 8}, {j.ID, utc(7, 2), 20}, {old.ID, utc(6, 1), 500}, {old.ID, utc(7, 2), 510}} {
		saveReading(t, db, insights.Snapshot{JobID: r.job, At: r.at, Counts: insights.Counts{Reactions: r.n}})
	}
	err := db.Tx(ctx, func(tx *store.Tx) error {
		if err := tx.SaveChannelDay(ctx, insights.ChannelDay{Channel: "mastodon:1", Followers: iv(300)}, utc(7, 2)); err != nil {
			return err
		}
		// A day given apart from the reading's stays.
		if err := tx.SaveChannelDay(ctx, insights.ChannelDay{Channel: "mastodon:2", Day: "2026-12-01", Followers: iv(90)}, utc(7, 2)); err != nil {
			return err
		}
		return tx.SaveChannelDay(ctx, insights.ChannelDay{Channel: "google:1", Day: "2026-12-07", Calls: iv(4)}, utc(7, 2))
	})
	if err != nil {
		t.Fatal(err)
	}
	var moved bool
	if err := db.Tx(ctx, func(tx *store.Tx) (err error) { moved, err = tx.FileMetricsIn(ctx, ny); return }); err != nil || !moved {
		t.Fatalf("filing again: %v, %v", moved, err)
	}
	snaps, err := db.PostSnapshots(ctx, j.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(snaps) != 2 || snaps[0].Day != "2026-12-05" || snaps[0].Reactions != 8 || snaps[1].Day != "2026-12-06" || snaps[1].Reactions != 20 {
		t.Fatalf("readings filed again: %+v", snaps)
	}
	if g := gainsSum(t, db, "2026-12-01", "2026-12-31"); len(g) != 2 || g["2026-12-05"] != 8 || g["2026-12-06"] != 12+10 {
		t.Fatalf("gains after filing again %v, want 8 on 5 Dec, 12+10 on 6 Dec", g)
	}
	days, err := db.ChannelDays(ctx, "2026-12-31")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, d := range days {
		got[d.Channel] = d.Day
	}
	if got["mastodon:1"] != "2026-12-06" || got["google:1"] != "2026-12-07" || got["mastodon:2"] != "2026-12-01" {
		t.Fatalf("channel days filed again: %v, want the follower count on 6 Dec and Google's day kept", got)
	}
	// Once only.
	if err := db.Tx(ctx, func(tx *store.Tx) (err error) { moved, err = tx.FileMetricsIn(ctx, ny); return }); err != nil || moved {
		t.Fatalf("filing again a second time: %v, %v", moved, err)
	}
}
