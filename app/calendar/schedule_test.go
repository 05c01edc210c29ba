package calendar

import (
	"testing"
	"time"
)

func utc(y int, m time.Month, day, h, min int) time.Time {
	return time.Date(y, m, day, h, min, 0, 0, time.UTC)
}

// The UK changes on the last Sundays of March and October (29 March and
// 25 October 2026); New York on the second Sunday of March and the first of
// November (8 March and 1 November 2026).
func TestMoveKeepsWallClockAcrossDST(t *testing.T) {
	cases := []struct {
		zone     string
		from     time.Time // a 09:00 local post
		to       LocalTime // the day it is dragged to
		wantUTC  time.Time
		fromHour int
	}{
		{"Europe/London", utc(2026, 3, 27, 9, 0), LocalTime{Date: d(2026, 3, 30)}, utc(2026, 3, 30, 8, 0), 9},    // GMT → BST
		{"Europe/London", utc(2026, 10, 23, 8, 0), LocalTime{Date: d(2026, 10, 26)}, utc(2026, 10, 26, 9, 0), 9}, // BST → GMT
		{"America/New_York", utc(2026, 3, 6, 14, 0), LocalTime{Date: d(2026, 3, 9)}, utc(2026, 3, 9, 13, 0), 9},  // EST → EDT
		{"America/New_York", utc(2026, 10, 30, 13, 0), LocalTime{Date: d(2026, 11, 2)}, utc(2026, 11, 2, 14, 0), 9},
		{"America/New_York", utc(2026, 3, 9, 13, 0), LocalTime{Date: d(2026, 3, 2)}, utc(2026, 3, 2, 14, 0), 9}, // and back again
	}
	for _, c := range cases {
		loc := zone(t, c.zone)
		if h := c.from.In(loc).Hour(); h != c.fromHour {
			t.Fatalf("%s: fixture %s is %02d:00 local, want %02d:00", c.zone, c.from, h, c.fromHour)
		}
		got, shifted := MoveToDay(c.from, loc, c.to.Date)
		if shifted || !got.Equal(c.wantUTC) {
			t.Errorf("%s: move %s to %s = %s (shifted %v), want %s", c.zone, c.from, c.to.Date, got.UTC(), shifted, c.wantUTC)
		}
		if l := LocalOf(got, loc); l.Hour != 9 || l.Minute != 0 || l.Date != c.to.Date {
			t.Errorf("%s: moved post reads %s locally", c.zone, l)
		}
	}
}

func TestWeeklySeriesStaysAtNine(t *testing.T) {
	for _, c := range []struct {
		zone  string
		start LocalTime
		utcH  []int
	}{
		{"Europe/London", LocalTime{Date: d(2026, 3, 16), Hour: 9}, []int{9, 9, 8, 8}},
		{"Europe/London", LocalTime{Date: d(2026, 10, 12), Hour: 9}, []int{8, 8, 9, 9}},
		{"America/New_York", LocalTime{Date: d(2026, 2, 23), Hour: 9}, []int{14, 14, 13, 13}},
		{"America/New_York", LocalTime{Date: d(2026, 10, 19), Hour: 9}, []int{13, 13, 14, 14}},
	} {
		loc := zone(t, c.zone)
		ts := Repeat(c.start, loc, 7, 4)
		for i, tm := range ts {
			if tm.UTC().Hour() != c.utcH[i] || tm.In(loc).Hour() != 9 {
				t.Errorf("%s week %d: %s (local %s), want %02d:00 UTC and 09:00 local", c.zone, i, tm.UTC(), tm.In(loc).Format("15:04 MST"), c.utcH[i])
			}
		}
	}
}

func TestResolveGapAndRepeatedHour(t *testing.T) {
	cases := []struct {
		zone    string
		at      LocalTime
		want    time.Time
		shifted bool
		reads   string
	}{
		// Spring forward: 01:30 London and 02:30 New York do not exist.
		{"Europe/London", LocalTime{Date: d(2026, 3, 29), Hour: 1, Minute: 30}, utc(2026, 3, 29, 1, 30), true, "02:30 BST"},
		{"America/New_York", LocalTime{Date: d(2026, 3, 8), Hour: 2, Minute: 30}, utc(2026, 3, 8, 7, 30), true, "03:30 EDT"},
		// Fall back: 01:30 happens twice; the first (summer time) is taken.
		{"Europe/London", LocalTime{Date: d(2026, 10, 25), Hour: 1, Minute: 30}, utc(2026, 10, 25, 0, 30), false, "01:30 BST"},
		{"America/New_York", LocalTime{Date: d(2026, 11, 1), Hour: 1, Minute: 30}, utc(2026, 11, 1, 5, 30), false, "01:30 EDT"},
		// Ordinary times on change days.
		{"Europe/London", LocalTime{Date: d(2026, 3, 29), Hour: 9}, utc(2026, 3, 29, 8, 0), false, "09:00 BST"},
		{"America/New_York", LocalTime{Date: d(2026, 11, 1), Hour: 9}, utc(2026, 11, 1, 14, 0), false, "09:00 EST"},
	}
	for _, c := range cases {
		loc := zone(t, c.zone)
		got, shifted := Resolve(c.at, loc)
		if !got.Equal(c.want) || shifted != c.shifted || got.In(loc).Format("15:04 MST") != c.reads {
			t.Errorf("%s %s = %s (%s, shifted %v), want %s (%s, shifted %v)", c.zone, c.at, got.UTC(), got.In(loc).Format("15:04 MST"), shifted, c.want, c.reads, c.shifted)
		}
	}
}

// Every wall-clock hour of 2026 that exists resolves to an instant that
// reads back as the same wall-clock time.
func TestResolveRoundTripsAllYear(t *testing.T) {
	for _, name := range []string{"Europe/London", "America/New_York", "Australia/Lord_Howe"} {
		loc := zone(t, name)
		gaps := 0
		for day := d(2026, 1, 1); day.Year == 2026; day = AddDays(day, 1) {
			for h := 0; h < 24; h++ {
				for _, m := range []int{0, 30} {
					l := LocalTime{Date: day, Hour: h, Minute: m}
					got, shifted := Resolve(l, loc)
					if shifted {
						gaps++
						continue
					}
					if back := LocalOf(got, loc); back != l {
						t.Fatalf("%s: %s resolved to %s which reads %s", name, l, got.UTC(), back)
					}
				}
			}
		}
		// London and New York skip one hour (two half-hours); Lord Howe skips half an hour.
		want := map[string]int{"Europe/London": 2, "America/New_York": 2, "Australia/Lord_Howe": 1}[name]
		if gaps != want {
			t.Errorf("%s: %d skipped half-hours in 2026, want %d", name, gaps, want)
		}
	}
}

func TestParseLocal(t *testing.T) {
	l, err := ParseLocal("2026-03-30T09:05")
	if err != nil || l != (LocalTime{Date: d(2026, 3, 30), Hour: 9, Minute: 5}) || l.String() != "2026-03-30T09:05" || l.Clock() != "09:05" {
		t.Errorf("ParseLocal = %+v, %v", l, err)
	}
	for _, bad := range []string{"", "2026-03-30", "2026-02-30T09:00", "2026-03-30T25:00", "2026-03-30T9am"} {
		if _, err := ParseLocal(bad); err == nil {
			t.Errorf("ParseLocal(%q) accepted", bad)
		}
	}
}
