// Package calendar knows the dates a practice plans around: health
// awareness days (with each year's date worked out for the moving ones), the
// wall-clock arithmetic that keeps a 09:00 post at 09:00 across a clock
// change, and the starter ideas library. Everything is pure.
package calendar

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"practicepost/app"
	"practicepost/assets"
)

// Rule says when an awareness day falls in a given year.
//
//	fixed           Month/Day every year
//	nth             the Nth Weekday of Month (N = -1: the last), plus Offset days
//	weekday_before  the last Weekday strictly before Month/Day
//	month           the whole of Month
//	easter          Easter Sunday (Western) plus Offset days
type Rule struct {
	Type    string `json:"type"`
	Month   int    `json:"month"`
	Day     int    `json:"day"`
	Weekday string `json:"weekday"`
	N       int    `json:"n"`
	Offset  int    `json:"offset"`
}

// Day is one awareness day, week or month.
type Day struct {
	ID          string   `json:"id"`
	Name        string   `json:"name"`
	Countries   []string `json:"countries"`   // "GB", "US"
	Specialties []string `json:"specialties"` // dental, physio, gp, aesthetics
	Organiser   string   `json:"organiser"`
	Rule        Rule     `json:"rule"`
	Days        int      `json:"days"` // length; 0 = one day (a whole month for "month")
	About       string   `json:"about"`
	Idea        string   `json:"idea"`
	Hashtags    []string `json:"hashtags"`
}

// Occurrence is a Day in one year. Start and End are inclusive dates.
type Occurrence struct {
	Day
	Start app.CivilDate `json:"start"`
	End   app.CivilDate `json:"end"`
}

// Specialties a practice can be.
var Specialties = []string{"dental", "physio", "gp", "aesthetics"}

var weekdays = map[string]time.Weekday{
	"sunday": time.Sunday, "monday": time.Monday, "tuesday": time.Tuesday, "wednesday": time.Wednesday,
	"thursday": time.Thursday, "friday": time.Friday, "saturday": time.Saturday,
}

// ParseDays reads an awareness calendar and checks every rule, so a bad
// entry is caught when the file is loaded rather than in December.
func ParseDays(data []byte) ([]Day, error) {
	var f struct {
		Days []Day `json:"days"`
	}
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("awareness calendar: %w", err)
	}
	seen := map[string]bool{}
	for _, d := range f.Days {
		if d.ID == "" || seen[d.ID] {
			return nil, fmt.Errorf("awareness calendar: missing or repeated id %q", d.ID)
		}
		seen[d.ID] = true
		if d.Name == "" || len(d.Countries) == 0 || len(d.Specialties) == 0 {
			return nil, fmt.Errorf("awareness day %s: name, countries and specialties are required", d.ID)
		}
		for _, s := range d.Specialties {
			if !slices.Contains(Specialties, s) {
				return nil, fmt.Errorf("awareness day %s: unknown specialty %q", d.ID, s)
			}
		}
		if d.Days < 0 || d.Days > 62 {
			return nil, fmt.Errorf("awareness day %s: length %d days", d.ID, d.Days)
		}
		if _, err := d.Rule.Start(2026); err != nil {
			return nil, fmt.Errorf("awareness day %s: %w", d.ID, err)
		}
	}
	return f.Days, nil
}

var shipped = sync.OnceValues(func() ([]Day, error) { return ParseDays(assets.AwarenessDays) })

// ShippedDays is the bundled UK and US awareness calendar.
func ShippedDays() ([]Day, error) { return shipped() }

func civil(t time.Time) app.CivilDate {
	return app.CivilDate{Year: t.Year(), Month: t.Month(), Day: t.Day()}
}

func dateOf(c app.CivilDate) time.Time {
	return time.Date(c.Year, c.Month, c.Day, 12, 0, 0, 0, time.UTC)
}

// AddDays moves a civil date by n days.
func AddDays(c app.CivilDate, n int) app.CivilDate { return civil(dateOf(c).AddDate(0, 0, n)) }

// Start is the first day of the rule's occurrence in year.
func (r Rule) Start(year int) (app.CivilDate, error) {
	if r.Type != "easter" && (r.Month < 1 || r.Month > 12) {
		return app.CivilDate{}, fmt.Errorf("month %d out of range", r.Month)
	}
	m := time.Month(r.Month)
	switch r.Type {
	case "fixed":
		// Day-of-month limits in a leap year, so 29 February is accepted.
		if r.Day < 1 || r.Day > time.Date(2024, m+1, 0, 12, 0, 0, 0, time.UTC).Day() {
			return app.CivilDate{}, fmt.Errorf("day %d of month %d does not exist", r.Day, r.Month)
		}
		d := app.CivilDate{Year: year, Month: m, Day: r.Day}
		if last := time.Date(year, m+1, 0, 12, 0, 0, 0, time.UTC).Day(); d.Day > last {
			d.Day = last // a leap-day event falls on 28 February in other years
		}
		return AddDays(d, r.Offset), nil
	case "month":
		return app.CivilDate{Year: year, Month: m, Day: 1}, nil
	case "nth":
		wd, ok := weekdays[strings.ToLower(r.Weekday)]
		if !ok || r.N == 0 || r.N > 5 || r.N < -1 {
			return app.CivilDate{}, fmt.Errorf("nth rule needs a weekday and n of 1-5 or -1 (last)")
		}
		d, err := NthWeekday(year, m, wd, r.N)
		if err != nil {
			return d, err
		}
		return AddDays(d, r.Offset), nil
	case "weekday_before":
		wd, ok := weekdays[strings.ToLower(r.Weekday)]
		if !ok || r.Day < 1 || r.Day > 31 {
			return app.CivilDate{}, fmt.Errorf("weekday_before needs a weekday and a day")
		}
		t := time.Date(year, m, r.Day, 12, 0, 0, 0, time.UTC).AddDate(0, 0, -1)
		for t.Weekday() != wd {
			t = t.AddDate(0, 0, -1)
		}
		return AddDays(civil(t), r.Offset), nil
	case "easter":
		return AddDays(Easter(year), r.Offset), nil
	}
	return app.CivilDate{}, fmt.Errorf("unknown rule type %q", r.Type)
}

// NthWeekday is the nth given weekday of a month (n = -1: the last one).
func NthWeekday(year int, m time.Month, wd time.Weekday, n int) (app.CivilDate, error) {
	if n == -1 {
		t := time.Date(year, m+1, 1, 12, 0, 0, 0, time.UTC).AddDate(0, 0, -1)
		for t.Weekday() != wd {
			t = t.AddDate(0, 0, -1)
		}
		return civil(t), nil
	}
	t := time.Date(year, m, 1, 12, 0, 0, 0, time.UTC)
	t = t.AddDate(0, 0, (int(wd)-int(t.Weekday())+7)%7+7*(n-1))
	if t.Month() != m {
		return app.CivilDate{}, fmt.Errorf("%s %d has no %d. %s", m, year, n, wd)
	}
	return civil(t), nil
}

// Easter is Western (Gregorian) Easter Sunday: the anonymous Gregorian
// algorithm (Meeus/Jones/Butcher).
func Easter(year int) app.CivilDate {
	a := year % 19
	b, c := year/100, year%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return app.CivilDate{Year: year, Month: time.Month(month), Day: day}
}

// In returns the day's occurrence in year.
func (d Day) In(year int) (Occurrence, error) {
	s, err := d.Rule.Start(year)
	if err != nil {
		return Occurrence{}, err
	}
	e := s
	switch {
	case d.Rule.Type == "month" && d.Days == 0:
		e = civil(time.Date(s.Year, s.Month+1, 1, 12, 0, 0, 0, time.UTC).AddDate(0, 0, -1))
	case d.Days > 1:
		e = AddDays(s, d.Days-1)
	}
	return Occurrence{Day: d, Start: s, End: e}, nil
}

// Filter picks the days for a practice's country and specialties (none =
// every specialty).
func Filter(days []Day, country string, specialties []string) []Day {
	var out []Day
	for _, d := range days {
		if country != "" && !slices.Contains(d.Countries, strings.ToUpper(country)) {
			continue
		}
		if len(specialties) > 0 && !slices.ContainsFunc(d.Specialties, func(s string) bool { return slices.Contains(specialties, s) }) {
			continue
		}
		out = append(out, d)
	}
	return out
}

// Between lists the occurrences that overlap the inclusive range [from, to],
// earliest first. Ranges may cross a new year.
func Between(days []Day, from, to app.CivilDate) []Occurrence {
	var out []Occurrence
	if to.Before(from) {
		return out
	}
	for y := from.Year - 1; y <= to.Year; y++ {
		for _, d := range days {
			o, err := d.In(y)
			if err != nil || o.End.Before(from) || to.Before(o.Start) {
				continue
			}
			out = append(out, o)
		}
	}
	slices.SortStableFunc(out, func(a, b Occurrence) int {
		switch {
		case a.Start.Before(b.Start):
			return -1
		case b.Start.Before(a.Start):
			return 1
		}
		return strings.Compare(a.Name, b.Name)
	})
	return out
}
