package store_test

import (
	"io"
	"strconv"
	"testing"
	"time"

	"practicepost/app"
	"practicepost/app/insights"
	"practicepost/app/store"
)

// benchData is two years of a busy practice: 1,500 posts over 7 channels,
// each read daily for the 90 days the collector reads it, and each
// channel's daily figures. Built once per benchmark binary run.
func benchData(b *testing.B) (*store.DB, time.Time) {
	b.Helper()
	db := MustOpenDB(b)
	end := time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
	start := end.AddDate(-2, 0, 0)
	plats := []string{"facebook", "instagram", "linkedin", "google", "x", "mastodon", "bluesky"}
	pillars := []app.Pillar{app.PillarTip, app.PillarMythFact, app.PillarTeam, app.PillarTestimonial, app.PillarEvent, app.PillarNews}
	n := func(v int) *int { return &v }
	err := db.Tx(ctx, func(tx *store.Tx) error {
		for i := range 1500 {
			plat := plats[i%len(plats)]
			ch := plat + ":1"
			at := start.Add(time.Duration(i) * (end.Sub(start) / 1500))
			req := app.PublishRequest{DraftID: "", Text: "Post " + strconv.Itoa(i), Zone: "Europe/London"}
			jobs := []app.PublishJob{{Channel: ch, Platform: plat, State: app.JobQueued, Text: "Post " + strconv.Itoa(i) + " " + string(pillars[i%6]), IdemKey: "k" + strconv.Itoa(i)}}
			if err := tx.CreatePublishRequest(ctx, &req, jobs, "system"); err != nil {
				return err
			}
			j := jobs[0]
			j.State, j.RemoteID, j.PublishedAt = app.JobPublished, "r"+strconv.Itoa(i), at
			if err := tx.SavePublishJob(ctx, &j, "system"); err != nil {
				return err
			}
			if plat == "google" {
				continue
			}
			for d := 1; d <= 90; d++ {
				day := at.AddDate(0, 0, d)
				if day.After(end) {
					break
				}
				if err := tx.SaveMetricSnapshot(ctx, insights.Snapshot{JobID: j.ID, At: day, Counts: insights.Counts{Reactions: d + i%7, Comments: d / 3, Shares: d / 5, Reach: n(d * 40)}}); err != nil {
					return err
				}
			}
		}
		for _, p := range plats {
			for day := start; !day.After(end); day = day.AddDate(0, 0, 1) {
				if err := tx.SaveChannelDay(ctx, insights.ChannelDay{Channel: p + ":1", Followers: n(500 + day.YearDay()), Views: n(day.Day())}, day); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return db, end
}

// BenchmarkDashboard90Days is the Insights page for the last 90 days: the
// three reads and the aggregation (the budget: 50 ms).
func BenchmarkDashboard90Days(b *testing.B) {
	db, end := benchData(b)
	loc, _ := time.LoadLocation("Europe/London")
	p := insights.Period{From: end.AddDate(0, 0, -89).Format(time.DateOnly), To: end.Format(time.DateOnly)}
	b.ResetTimer()
	defer reportCPU(b)()
	for b.Loop() {
		posts, days := postsAndDays(b, db, p)
		snaps, err := db.MetricLatest(ctx, p.From, p.To)
		if err != nil {
			b.Fatal(err)
		}
		gains, err := db.MetricDailyGains(ctx, p.From, p.To)
		if err != nil {
			b.Fatal(err)
		}
		d := insights.Compute(insights.Input{Period: p, Loc: loc, Posts: posts, Snapshots: snaps, Days: days, Gains: gains})
		if d.Totals.Posts == 0 {
			b.Fatal("no posts in the period")
		}
	}
}

// BenchmarkExportCSV writes every metric of the two years (budget: 1 s).
func BenchmarkExportCSV(b *testing.B) {
	db, end := benchData(b)
	p := insights.Period{From: end.AddDate(-2, 0, 0).Format(time.DateOnly), To: end.Format(time.DateOnly)}
	b.ResetTimer()
	defer reportCPU(b)()
	for b.Loop() {
		posts, days := postsAndDays(b, db, p)
		snaps, err := db.MetricSnapshots(ctx, p.From, p.To)
		if err != nil {
			b.Fatal(err)
		}
		if err := insights.WriteCSV(io.Discard, posts, snaps, days, nil, p, time.UTC); err != nil {
			b.Fatal(err)
		}
	}
}

// postsAndDays is what the page and the export both read besides the
// readings: the posts and the channels' days up to the period's end.
func postsAndDays(b *testing.B, db *store.DB, p insights.Period) ([]insights.Post, []insights.ChannelDay) {
	posts, err := db.InsightPosts(ctx)
	if err != nil {
		b.Fatal(err)
	}
	days, err := db.ChannelDays(ctx, p.To)
	if err != nil {
		b.Fatal(err)
	}
	return posts, days
}

// reportCPU adds cpu-ms/op, the process's CPU time per iteration, to a
// benchmark; call it just before the loop and run what it returns after.
// Unlike ns/op it does not grow while the benchmark waits for a core.
func reportCPU(b *testing.B) func() {
	start, ok := processCPU()
	return func() {
		end, _ := processCPU()
		if ok && b.N > 0 {
			b.ReportMetric(float64(end-start)/float64(b.N)/1e6, "cpu-ms/op")
		}
	}
}
