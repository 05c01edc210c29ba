package store_test

import (
	"encoding/json"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"practicepost/app"
	"practicepost/app/insights"
	"practicepost/app/store"
)

func iv(v int) *int { return &v }

// publishedJob makes a draft and a request with one published job on channel.
func publishedJob(t *testing.T, db *store.DB, channel, platform string, dr app.Draft, tids []int64, at time.Time) app.PublishJob {
	t.Helper()
	dr, err := db.CreateDraft(ctx, dr)
	if err != nil {
		t.Fatal(err)
	}
	req := app.PublishRequest{DraftID: strconv.FormatInt(dr.ID, 10), Text: "Brush twice a day", Zone: "Europe/London", Testimonials: tids,
		Media: []app.PublishMedia{{SHA256: "feed", Alt: "A toothbrush"}}}
	jobs := []app.PublishJob{{Channel: channel, Platform: platform, State: app.JobQueued, Text: "Brush twice a day, every day", IdemKey: "k-" + channel + dr.Title}}
	err = db.Tx(ctx, func(tx *store.Tx) error {
		if err := tx.CreatePublishRequest(ctx, &req, jobs, "practice manager"); err != nil {
			return err
		}
		j := jobs[0]
		j.State, j.RemoteID, j.RemoteURL, j.PublishedAt = app.JobPublished, "r-"+strconv.FormatInt(j.ID, 10), "https://example.social/1", at
		jobs[0] = j
		return tx.SavePublishJob(ctx, &j, "system")
	})
	if err != nil {
		t.Fatal(err)
	}
	return jobs[0]
}

func TestInsightsPostsAndSnapshotsRoundTrip(t *testing.T) {
	db := MustOpenDB(t)
	at := time.Date(2026, 11, 3, 9, 0, 0, 0, time.UTC)
	j1 := publishedJob(t, db, "mastodon:1", "mastodon", app.Draft{Title: "Floss facts", Pillar: app.PillarMythFact, AwarenessID: "smile-month"}, nil, at)
	j2 := publishedJob(t, db, "instagram:2", "instagram", app.Draft{Title: "", Body: "x", Pillar: app.PillarTestimonial}, []int64{4}, at.Add(time.Hour))
	// A job still queued is not a post yet.
	newRequest(t, db, nil, "mastodon:queued")

	posts, err := db.InsightPosts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(posts) != 2 {
		t.Fatalf("%d posts, want the 2 published", len(posts))
	}
	p := posts[0]
	if p.JobID != j1.ID || p.Title != "Floss facts" || p.Pillar != app.PillarMythFact || p.AwarenessID != "smile-month" || p.Testimonial ||
		p.Thumb != "feed" || !p.PublishedAt.Equal(at) || p.Platform != "mastodon" {
		t.Fatalf("post 1 = %+v", p)
	}
	// No title: the start of the text as sent.
	if q := posts[1]; q.JobID != j2.ID || !q.Testimonial || q.Title != "Brush twice a day, every day" || q.Pillar != app.PillarTestimonial {
		t.Fatalf("post 2 = %+v", q)
	}

	save := func(s insights.Snapshot) {
		t.Helper()
		if err := db.Tx(ctx, func(tx *store.Tx) error { return tx.SaveMetricSnapshot(ctx, s) }); err != nil {
			t.Fatal(err)
		}
	}
	save(insights.Snapshot{JobID: j1.ID, At: time.Date(2026, 11, 4, 8, 0, 0, 0, time.UTC), Counts: insights.Counts{Reactions: 3}})
	// A later reading the same day replaces the earlier one.
	save(insights.Snapshot{JobID: j1.ID, At: time.Date(2026, 11, 4, 20, 0, 0, 0, time.UTC), Counts: insights.Counts{Reactions: 5, Shares: 1}})
	save(insights.Snapshot{JobID: j1.ID, At: time.Date(2026, 11, 9, 8, 0, 0, 0, time.UTC), Counts: insights.Counts{Reactions: 7}})
	save(insights.Snapshot{JobID: j2.ID, At: time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC), Counts: insights.Counts{Reactions: 9, Saves: 2, Reach: iv(80), Views: iv(0)}})

	// From 5 Nov: the 9 Nov and 20 Nov readings, plus post 1's last before (4 Nov).
	got, err := db.MetricSnapshots(ctx, "2026-11-05", "2026-11-30")
	if err != nil {
		t.Fatal(err)
	}
	sort.Slice(got, func(i, j int) bool {
		return got[i].JobID < got[j].JobID || got[i].JobID == got[j].JobID && got[i].Day < got[j].Day
	})
	if len(got) != 3 || got[0].Day != "2026-11-04" || got[0].Reactions != 5 || got[0].Shares != 1 || got[1].Day != "2026-11-09" || got[2].JobID != j2.ID {
		t.Fatalf("snapshots = %+v", got)
	}
	// nil stays nil, 0 stays 0.
	if got[0].Reach != nil || got[2].Reach == nil || *got[2].Reach != 80 || got[2].Views == nil || *got[2].Views != 0 || got[2].Clicks != nil {
		t.Fatalf("optional figures = %+v / %+v", got[0].Counts, got[2].Counts)
	}
	one, err := db.PostSnapshots(ctx, j1.ID)
	if err != nil || len(one) != 2 {
		t.Fatalf("post 1 snapshots = %+v, %v", one, err)
	}

	// Channel days: a later reading without followers keeps the earlier count.
	err = db.Tx(ctx, func(tx *store.Tx) error {
		if err := tx.SaveChannelDay(ctx, insights.ChannelDay{Channel: "mastodon:1", Day: "2026-11-04", Followers: iv(400)}, time.Time{}); err != nil {
			return err
		}
		return tx.SaveChannelDay(ctx, insights.ChannelDay{Channel: "mastodon:1", Day: "2026-11-04", Views: iv(3)}, time.Time{})
	})
	if err != nil {
		t.Fatal(err)
	}
	cd, err := db.ChannelDays(ctx, "2026-11-30")
	if err != nil || len(cd) != 1 || *cd[0].Followers != 400 || *cd[0].Views != 3 || cd[0].Clicks != nil {
		t.Fatalf("channel days = %+v, %v", cd, err)
	}

	// Collector state round trip.
	st := app.CollectState{Channel: "instagram:2", Platform: "instagram", NextAt: time.Date(2026, 11, 22, 13, 0, 0, 0, time.UTC),
		ErrorKind: "rate_limited", ErrorMessage: "Instagram asked PracticePost to slow down.", Failures: 1, PostsRead: 4}
	if err := db.Tx(ctx, func(tx *store.Tx) error { return tx.SaveCollectState(ctx, st) }); err != nil {
		t.Fatal(err)
	}
	sts, err := db.CollectStates(ctx)
	if err != nil || len(sts) != 1 || !sts[0].NextAt.Equal(st.NextAt) || !sts[0].LastOKAt.IsZero() || sts[0].ErrorMessage != st.ErrorMessage || sts[0].PostsRead != 4 {
		t.Fatalf("collect states = %+v, %v", sts, err)
	}
}

func TestInsightsRollupKeepsTwoYearsDailyThenMonthly(t *testing.T) {
	db := MustOpenDB(t)
	j := publishedJob(t, db, "mastodon:1", "mastodon", app.Draft{Title: "Old post"}, nil, time.Date(2024, 9, 1, 9, 0, 0, 0, time.UTC))
	// Daily readings from 1 Sep 2024 to 31 Dec 2024: Reactions = day of year, so each
	// month's last reading is recognisable. Channel: followers = 100 + day index, one call a day.
	start := time.Date(2024, 9, 1, 12, 0, 0, 0, time.UTC)
	err := db.Tx(ctx, func(tx *store.Tx) error {
		for d := start; d.Year() == 2024; d = d.AddDate(0, 0, 1) {
			if err := tx.SaveMetricSnapshot(ctx, insights.Snapshot{JobID: j.ID, At: d, Counts: insights.Counts{Reactions: d.YearDay()}}); err != nil {
				return err
			}
			if err := tx.SaveChannelDay(ctx, insights.ChannelDay{Channel: "google:1", Followers: iv(d.YearDay()), Calls: iv(1)}, d); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Now 15 Nov 2026: two years back is 15 Nov 2024, so whole months before
	// November 2024 (September, October) are rolled up; November and December stay daily.
	now := time.Date(2026, 11, 15, 3, 0, 0, 0, time.UTC)
	var folded int64
	err = db.Tx(ctx, func(tx *store.Tx) error {
		var err error
		folded, err = tx.RollupMetrics(ctx, now)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	// September 30 days + October 31 days = 61 rows each in snapshots and channel
	// days, less the 2 kept per table: (61-2) × 2 = 118.
	if folded != 118 {
		t.Fatalf("folded %d rows, want 118", folded)
	}
	snaps, err := db.PostSnapshots(ctx, j.ID)
	if err != nil {
		t.Fatal(err)
	}
	// 2 monthly + 30 November + 31 December = 63.
	if len(snaps) != 63 {
		t.Fatalf("%d snapshots after rollup, want 63", len(snaps))
	}
	// 30 Sep 2024 is day 274 of the year, 31 Oct is day 305.
	if s := snaps[0]; s.Day != "2024-09-30" || !s.Month || s.Reactions != 274 {
		t.Fatalf("September rollup = %+v", s)
	}
	if s := snaps[1]; s.Day != "2024-10-31" || !s.Month || s.Reactions != 305 {
		t.Fatalf("October rollup = %+v", s)
	}
	if s := snaps[2]; s.Day != "2024-11-01" || s.Month {
		t.Fatalf("November should stay daily: %+v", s)
	}
	// The month rows keep the month's daily gains: September's first reading
	// counts whole (245, 1 Sep being day 245) plus 1 a day for 29 days = 274;
	// October 31 × 1 = 31.
	gains, err := db.MetricDailyGains(ctx, "2024-09-01", "2024-10-31")
	if err != nil || len(gains) != 2 || gains[0].Interactions != 274 || gains[1].Interactions != 31 {
		t.Fatalf("gains after rollup %+v %v", gains, err)
	}
	days, err := db.ChannelDays(ctx, "2024-12-31")
	if err != nil {
		t.Fatal(err)
	}
	if len(days) != 63 {
		t.Fatalf("%d channel days after rollup, want 63", len(days))
	}
	// September: 30 calls summed, followers the last reading (274). October: 31 calls, 305.
	if d := days[0]; d.Day != "2024-09-30" || *d.Calls != 30 || *d.Followers != 274 {
		t.Fatalf("September channel rollup = %+v calls %d", d, *d.Calls)
	}
	if d := days[1]; d.Day != "2024-10-31" || *d.Calls != 31 || *d.Followers != 305 {
		t.Fatalf("October channel rollup = %+v", d)
	}
	// Running it again changes nothing.
	err = db.Tx(ctx, func(tx *store.Tx) error {
		var err error
		folded, err = tx.RollupMetrics(ctx, now)
		return err
	})
	if err != nil || folded != 0 {
		t.Fatalf("second rollup folded %d, %v", folded, err)
	}
	days, _ = db.ChannelDays(ctx, "2024-12-31")
	if *days[0].Calls != 30 {
		t.Fatalf("second rollup summed again: %d calls", *days[0].Calls)
	}
}

// The data file's shortcut (latest readings + daily gains summed by a
// window query) gives the same dashboard as the aggregation over every
// reading, falls and missing views included.
func TestInsightsDashboardFromStoreMatchesFullAggregation(t *testing.T) {
	db := MustOpenDB(t)
	loc, _ := time.LoadLocation("Europe/London")
	start := time.Date(2026, 9, 20, 9, 0, 0, 0, time.UTC)
	var jobs []app.PublishJob
	for i, ch := range []string{"facebook:1", "mastodon:1", "x:1", "facebook:1", "mastodon:1"} {
		plat, _, _ := strings.Cut(ch, ":")
		jobs = append(jobs, publishedJob(t, db, ch, plat, app.Draft{Title: "P" + strconv.Itoa(i), Pillar: app.Pillars[i%6]}, nil, start.AddDate(0, 0, i*9)))
	}
	err := db.Tx(ctx, func(tx *store.Tx) error {
		for i, j := range jobs {
			for d := 0; d < 60; d++ {
				r := d*(i+1) + (d%4)*3 // wobbles: some days fall
				var views *int
				if i%2 == 0 && d%5 != 0 {
					views = iv(d * 10 * (i + 1))
				}
				if err := tx.SaveMetricSnapshot(ctx, insights.Snapshot{JobID: j.ID, At: j.PublishedAt.AddDate(0, 0, d+1),
					Counts: insights.Counts{Reactions: r, Comments: d / 2, Views: views, Reach: views}}); err != nil {
					return err
				}
			}
		}
		return tx.SaveChannelDay(ctx, insights.ChannelDay{Channel: "mastodon:1", Day: "2026-10-01", Followers: iv(250)}, time.Time{})
	})
	if err != nil {
		t.Fatal(err)
	}
	posts, _ := db.InsightPosts(ctx)
	var ids []int64
	for _, j := range jobs {
		ids = append(ids, j.ID)
	}
	all, _ := db.PostSnapshots(ctx, ids...)
	days, _ := db.ChannelDays(ctx, "2026-12-31")
	for _, p := range []insights.Period{{From: "2026-10-01", To: "2026-10-31"}, {From: "2026-11-01", To: "2026-11-30"}, {From: "2026-09-01", To: "2026-12-31"}} {
		full := insights.Compute(insights.Input{Period: p, Loc: loc, Posts: posts, Snapshots: all, Days: days})
		latest, err := db.MetricLatest(ctx, p.From, p.To)
		if err != nil {
			t.Fatal(err)
		}
		gains, err := db.MetricDailyGains(ctx, p.From, p.To)
		if err != nil {
			t.Fatal(err)
		}
		fast := insights.Compute(insights.Input{Period: p, Loc: loc, Posts: posts, Snapshots: latest, Days: days, Gains: gains})
		a, _ := json.Marshal(full)
		b, _ := json.Marshal(fast)
		if string(a) != string(b) {
			t.Fatalf("%+v: the store's shortcut differs:\nfull %s\nfast %s", p, a, b)
		}
		if len(full.Series) == 0 {
			t.Fatalf("%+v: no daily gains to compare", p)
		}
	}
}
