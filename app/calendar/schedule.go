package calendar

import (
	"fmt"
	"strings"
	"time"

	"practicepost/app"
)

// LocalTime is a wall-clock time on a date in the practice's zone: what the
// practice manager picks ("Tuesday at 09:00"). It is kept beside the
// instant so moving a post, or a clock change, never shifts its hour.
type LocalTime struct {
	Date   app.CivilDate
	Hour   int
	Minute int
}

// ParseLocal reads "2026-03-30T09:00" (the stored form).
func ParseLocal(s string) (LocalTime, error) {
	d, c, ok := strings.Cut(s, "T")
	if !ok {
		return LocalTime{}, app.FieldError("time", "Give the date and time, for example 2026-03-30T09:00.")
	}
	return ParseDateClock(d, c)
}

// ParseDateClock reads a date ("2026-03-30") and a 24-hour clock ("09:00").
func ParseDateClock(date, clock string) (LocalTime, error) {
	day, err := app.ParseCivilDate(strings.TrimSpace(date))
	if err != nil {
		return LocalTime{}, app.FieldError("date", "Choose a day, for example 2026-03-30.")
	}
	t, err := time.Parse("15:04", strings.TrimSpace(clock))
	if err != nil {
		return LocalTime{}, app.FieldError("time", "Give the time as hours and minutes, for example 09:00 or 17:30.")
	}
	return LocalTime{Date: day, Hour: t.Hour(), Minute: t.Minute()}, nil
}

// String is the stored form, "2026-03-30T09:00".
func (l LocalTime) String() string {
	return fmt.Sprintf("%sT%02d:%02d", l.Date, l.Hour, l.Minute)
}

// Clock is "09:00".
func (l LocalTime) Clock() string { return fmt.Sprintf("%02d:%02d", l.Hour, l.Minute) }

// LocalOf is the wall-clock time of instant t in loc.
func LocalOf(t time.Time, loc *time.Location) LocalTime {
	l := t.In(loc)
	return LocalTime{Date: civil(l), Hour: l.Hour(), Minute: l.Minute()}
}

// Resolve turns a wall-clock time in loc into an instant. When the clocks
// go back the time happens twice and the first is taken; when they go
// forward it does not exist, and the post moves forward by the size of the
// gap (01:30 on the morning the UK springs forward becomes 02:30 BST):
// shifted then says so, for the screen to explain.
func Resolve(l LocalTime, loc *time.Location) (t time.Time, shifted bool) {
	naive := time.Date(l.Date.Year, l.Date.Month, l.Date.Day, l.Hour, l.Minute, 0, 0, time.UTC)
	// Every offset in force within a day and a half either side: zones
	// change at most once in that span.
	_, before := naive.Add(-36 * time.Hour).In(loc).Zone()
	_, after := naive.Add(36 * time.Hour).In(loc).Zone()
	var best time.Time
	for _, off := range []int{before, after} {
		u := naive.Add(-time.Duration(off) * time.Second)
		if LocalOf(u, loc) == l && (best.IsZero() || u.Before(best)) {
			best = u
		}
	}
	if !best.IsZero() {
		return best, false
	}
	return naive.Add(-time.Duration(before) * time.Second), true
}

// MoveToDay keeps t's wall-clock time in loc and puts it on day: dragging a
// 09:00 post across a clock change leaves it at 09:00.
func MoveToDay(t time.Time, loc *time.Location, day app.CivilDate) (time.Time, bool) {
	l := LocalOf(t, loc)
	l.Date = day
	return Resolve(l, loc)
}

// Repeat returns n instants every `every` days from start, each at the same
// wall-clock time (a weekly 09:00 tip stays at 09:00 all year).
func Repeat(start LocalTime, loc *time.Location, every, n int) []time.Time {
	out := make([]time.Time, 0, n)
	for i := range n {
		l := start
		l.Date = AddDays(start.Date, i*every)
		t, _ := Resolve(l, loc)
		out = append(out, t)
	}
	return out
}
