package store_test

import (
	"database/sql"
	"testing"
	"time"

	"practicepost/app"
	"practicepost/app/insights"
	"practicepost/app/store"
)

// TestInsightsChannelGainsFollowEveryWrite holds the per-channel daily sums
// kept by migration 0015's triggers to the sum they replace (every reading's
// gain, joined to its post's channel) through each way a reading is
// written: a new day, the same day read again, a late reading that lands
// before later ones (whose gain is then recomputed), and the monthly
// rollup, which deletes days and moves their gains.
func TestInsightsChannelGainsFollowEveryWrite(t *testing.T) {
	db := MustOpenDB(t)
	start := time.Date(2024, 9, 1, 12, 0, 0, 0, time.UTC)
	a := publishedJob(t, db, "mastodon:1", "mastodon", app.Draft{Title: "A"}, nil, start)
	b := publishedJob(t, db, "mastodon:1", "mastodon", app.Draft{Title: "B"}, nil, start)
	c := publishedJob(t, db, "facebook:1", "facebook", app.Draft{Title: "C"}, nil, start)
	raw := rawDB(t, db.Path())

	check := func(step string) {
		t.Helper()
		want := map[string][2]int{}
		rows, err := raw.Query(`SELECT s.day || ' ' || j.channel, SUM(s.gain), SUM(s.gain_views)
			FROM metric_snapshots s JOIN publish_jobs j ON j.id = s.job_id GROUP BY s.day, j.channel`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var k string
			var g, v int
			if err := rows.Scan(&k, &g, &v); err != nil {
				t.Fatal(err)
			}
			want[k] = [2]int{g, v}
		}
		got, err := db.MetricDailyGains(ctx, "0000-01-01", "9999-12-31")
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) {
			t.Fatalf("%s: %d channel days kept, %d in the readings", step, len(got), len(want))
		}
		for _, p := range got {
			if w, ok := want[p.Day+" "+p.Channel]; !ok || w != [2]int{p.Interactions, p.Views} {
				t.Fatalf("%s: %s %s kept %d/%d, the readings sum to %v", step, p.Day, p.Channel, p.Interactions, p.Views, w)
			}
		}
		if len(want) == 0 {
			t.Fatalf("%s: nothing to compare", step)
		}
	}
	save := func(job int64, at time.Time, reactions int, views *int) {
		t.Helper()
		err := db.Tx(ctx, func(tx *store.Tx) error {
			return tx.SaveMetricSnapshot(ctx, insights.Snapshot{JobID: job, At: at, Counts: insights.Counts{Reactions: reactions, Views: views}})
		})
		if err != nil {
			t.Fatal(err)
		}
	}

	// Four months of daily readings, every third day skipped for b, with
	// counters that sometimes fall (a fall counts as 0).
	for d := 0; d < 120; d++ {
		at := start.AddDate(0, 0, d)
		save(a.ID, at, d*2+(d%5)*3, iv(d*10))
		if d%3 != 0 {
			save(b.ID, at, d, nil)
		}
		save(c.ID, at, 100-d%7, iv(d*d))
	}
	check("daily readings")

	// The same day read again, lower and higher.
	save(a.ID, start.AddDate(0, 0, 40).Add(3*time.Hour), 5, iv(1))
	save(c.ID, start.AddDate(0, 0, 41).Add(3*time.Hour), 500, iv(99999))
	check("same day read again")

	// A late reading for a day b skipped: its own gain and the next day's change.
	save(b.ID, start.AddDate(0, 0, 30), 1000, nil)
	check("late reading between two others")

	// Two years on, September and October 2024 are rolled up to their last day.
	var folded int64
	err := db.Tx(ctx, func(tx *store.Tx) error {
		var err error
		folded, err = tx.RollupMetrics(ctx, time.Date(2026, 11, 15, 3, 0, 0, 0, time.UTC))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if folded == 0 {
		t.Fatal("the rollup folded nothing")
	}
	check("after the monthly rollup")
	var monthDays int
	if err := raw.QueryRow(`SELECT COUNT(*) FROM metric_channel_gains WHERE day < '2024-11-01'`).Scan(&monthDays); err != nil && err != sql.ErrNoRows {
		t.Fatal(err)
	}
	// Each post keeps its month's last reading: 30 Sep for all three; 31 Oct
	// for a and c, but b skipped 31 Oct (day 60, a multiple of 3), so its
	// October ends on the 30th: Sep 30 × 2 channels + Oct 31 × 2 + Oct 30
	// for mastodon = 5.
	if monthDays != 5 {
		t.Fatalf("%d channel days kept before November 2024, want 5", monthDays)
	}
}
