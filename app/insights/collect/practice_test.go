package collect_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"practicepost/app/insights/collect"
	"practicepost/app/publish/fault"
)

func (w *world) collectorIn(zone, country string) *collect.Collector {
	loc, err := time.LoadLocation(zone)
	if err != nil {
		panic(err)
	}
	return collect.New(w.db, w, collect.Options{Clock: w.clock, Emitter: w,
		Practice: func(context.Context) (*time.Location, string) { return loc, country }})
}

// The rate-limit message gives the time reading resumes on the practice's
// clock: London's summer time, a US practice's 12-hour clock.
func TestCollectRateLimitTimeOnPracticeClock(t *testing.T) {
	for _, c := range []struct{ zone, country, want string }{
		{"Europe/London", "GB", "at 11:25."},
		{"America/New_York", "US", "at 6:25 AM."},
	} {
		w := newWorld(t)
		w.clock.T = time.Date(2026, 7, 1, 10, 0, 0, 0, time.UTC)
		xp := w.post(t, "x:1", "Summer post", w.clock.T.Add(-time.Hour))
		w.x.SetEngagement(xp, 1, 0, 0, 0, 10)
		w.x.Faults.Add(fault.Fault{Path: "/2/tweets/" + xp, Method: http.MethodGet, Status: http.StatusTooManyRequests, Reset: 25 * time.Minute, Times: 1})
		got, err := w.collectorIn(c.zone, c.country).Collect(ctx, false)
		if err != nil {
			t.Fatal(err)
		}
		if msg := states(t, got)["x:1"].ErrorMessage; !strings.Contains(msg, c.want) || strings.Contains(msg, "UTC") {
			t.Errorf("%s: message %q, want the practice's %q", c.zone, msg, c.want)
		}
	}
}

// A New York practice's reading at 20:00 (01:00 UTC the next day) is filed
// under that evening's day, the post's and the follower count's.
func TestCollectFilesReadingsUnderPracticeDay(t *testing.T) {
	w := newWorld(t)
	w.clock.T = time.Date(2026, 12, 6, 1, 0, 0, 0, time.UTC)
	xp := w.post(t, "x:1", "Evening post", w.clock.T.Add(-2*time.Hour))
	w.x.SetEngagement(xp, 4, 1, 0, 0, 50)
	if _, err := w.collectorIn("America/New_York", "US").Collect(ctx, false); err != nil {
		t.Fatal(err)
	}
	snaps, err := w.db.PostSnapshots(ctx, w.jobs["x:1"]...)
	if err != nil {
		t.Fatal(err)
	}
	if len(snaps) != 1 || snaps[0].Day != "2026-12-05" {
		t.Fatalf("readings %+v, want one filed under 5 Dec (New York)", snaps)
	}
	days, err := w.db.ChannelDays(ctx, "2026-12-31")
	if err != nil {
		t.Fatal(err)
	}
	var filed []string
	for _, d := range days {
		if d.Channel == "x:1" {
			filed = append(filed, d.Day)
		}
	}
	if len(filed) != 1 || filed[0] != "2026-12-05" {
		t.Fatalf("X's follower count filed under %v, want 2026-12-05", filed)
	}
}
