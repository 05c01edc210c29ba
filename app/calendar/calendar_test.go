package calendar

import (
	"slices"
	"testing"
	"time"

	"practicepost/app"
)

func d(y int, m time.Month, day int) app.CivilDate { return app.CivilDate{Year: y, Month: m, Day: day} }

func zone(t *testing.T, name string) *time.Location {
	t.Helper()
	l, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func TestEaster(t *testing.T) {
	// Published Western Easter dates, including both extremes (22 March, 25 April).
	want := map[int]app.CivilDate{
		1818: d(1818, 3, 22), 1943: d(1943, 4, 25), 2019: d(2019, 4, 21), 2024: d(2024, 3, 31),
		2025: d(2025, 4, 20), 2026: d(2026, 4, 5), 2027: d(2027, 3, 28), 2038: d(2038, 4, 25), 2285: d(2285, 3, 22),
	}
	for y, e := range want {
		if got := Easter(y); got != e {
			t.Errorf("Easter(%d) = %s, want %s", y, got, e)
		}
	}
}

func TestMovingDays(t *testing.T) {
	days, err := ShippedDays()
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]Day{}
	for _, x := range days {
		byID[x.ID] = x
	}
	cases := []struct {
		id         string
		year       int
		start, end app.CivilDate
	}{
		{"mothering-sunday", 2024, d(2024, 3, 10), d(2024, 3, 10)}, // Easter 31 March − 21 days
		{"mothering-sunday", 2025, d(2025, 3, 30), d(2025, 3, 30)},
		{"mothering-sunday", 2026, d(2026, 3, 15), d(2026, 3, 15)},
		{"mens-health-week", 2025, d(2025, 6, 9), d(2025, 6, 15)}, // ends on Father's Day, 15 June
		{"mens-health-week", 2026, d(2026, 6, 15), d(2026, 6, 21)},
		{"no-smoking-day", 2025, d(2025, 3, 12), d(2025, 3, 12)}, // second Wednesday
		{"no-smoking-day", 2026, d(2026, 3, 11), d(2026, 3, 11)},
		{"world-sleep-day", 2025, d(2025, 3, 14), d(2025, 3, 14)}, // Friday before 20 March
		{"world-sleep-day", 2026, d(2026, 3, 13), d(2026, 3, 13)}, // 20 March 2026 is itself a Friday
		{"time-to-talk-day", 2026, d(2026, 2, 5), d(2026, 2, 5)},
		{"self-care-week", 2025, d(2025, 11, 17), d(2025, 11, 23)},
		{"great-american-smokeout", 2025, d(2025, 11, 20), d(2025, 11, 20)},
		{"mental-health-awareness-week", 2025, d(2025, 5, 12), d(2025, 5, 18)},
		{"mothers-day-us", 2026, d(2026, 5, 10), d(2026, 5, 10)},
		{"heart-month-uk", 2028, d(2028, 2, 1), d(2028, 2, 29)}, // leap year
		{"heart-month-uk", 2027, d(2027, 2, 1), d(2027, 2, 28)},
		{"national-smile-month", 2026, d(2026, 5, 13), d(2026, 6, 13)},
		{"world-oral-health-day", 2026, d(2026, 3, 20), d(2026, 3, 20)},
		{"dry-january", 2027, d(2027, 1, 1), d(2027, 1, 31)},
	}
	for _, c := range cases {
		day, ok := byID[c.id]
		if !ok {
			t.Fatalf("%s is not in the shipped calendar", c.id)
		}
		o, err := day.In(c.year)
		if err != nil {
			t.Fatal(err)
		}
		if o.Start != c.start || o.End != c.end {
			t.Errorf("%s %d = %s..%s, want %s..%s", c.id, c.year, o.Start, o.End, c.start, c.end)
		}
	}
}

func TestShippedDaysEveryYear(t *testing.T) {
	days, err := ShippedDays()
	if err != nil {
		t.Fatal(err)
	}
	if len(days) < 40 {
		t.Fatalf("only %d awareness days shipped", len(days))
	}
	for _, sp := range Specialties {
		for _, country := range []string{"GB", "US"} {
			if n := len(Filter(days, country, []string{sp})); n < 5 {
				t.Errorf("%s %s practices get only %d awareness days", country, sp, n)
			}
		}
	}
	for y := 2024; y <= 2040; y++ {
		for _, x := range days {
			o, err := x.In(y)
			if err != nil {
				t.Fatalf("%s in %d: %v", x.ID, y, err)
			}
			if o.End.Before(o.Start) || o.Start.Year != y {
				t.Errorf("%s in %d: %s..%s", x.ID, y, o.Start, o.End)
			}
		}
	}
}

func TestNthWeekday(t *testing.T) {
	if got, _ := NthWeekday(2026, time.May, time.Monday, -1); got != d(2026, 5, 25) {
		t.Errorf("last Monday of May 2026 = %s", got)
	}
	if got, _ := NthWeekday(2026, time.March, time.Sunday, -1); got != d(2026, 3, 29) {
		t.Errorf("last Sunday of March 2026 = %s (the UK clock change)", got)
	}
	if _, err := NthWeekday(2026, time.February, time.Monday, 5); err == nil {
		t.Error("February 2026 has four Mondays; the fifth must be an error")
	}
}

func TestBetweenAndFilter(t *testing.T) {
	days, _ := ShippedDays()
	// A range across New Year finds Dry January 2027 and not 2026's.
	got := Between(Filter(days, "GB", []string{"gp"}), d(2026, 12, 20), d(2027, 1, 10))
	i := slices.IndexFunc(got, func(o Occurrence) bool { return o.ID == "dry-january" })
	if i < 0 || got[i].Start != d(2027, 1, 1) {
		t.Fatalf("Dry January 2027 missing from %v", got)
	}
	// A month-long event that started before the range still shows.
	mid := Between(days, d(2026, 11, 20), d(2026, 11, 22))
	if !slices.ContainsFunc(mid, func(o Occurrence) bool { return o.ID == "movember" }) {
		t.Error("Movember overlaps 20–22 November but was left out")
	}
	for i := 1; i < len(mid); i++ {
		if mid[i].Start.Before(mid[i-1].Start) {
			t.Error("occurrences are not in date order")
		}
	}
	if us := Filter(days, "US", nil); slices.ContainsFunc(us, func(x Day) bool { return x.ID == "stoptober" }) {
		t.Error("Stoptober (NHS) shown to a US practice")
	}
	if aes := Filter(days, "GB", []string{"aesthetics"}); slices.ContainsFunc(aes, func(x Day) bool { return x.ID == "no-smoking-day" }) {
		t.Error("an aesthetics-only practice got a day not tagged for it")
	}
	if len(Between(days, d(2026, 5, 2), d(2026, 5, 1))) != 0 {
		t.Error("an empty range returned days")
	}
}

func TestParseDaysRefusesBadRules(t *testing.T) {
	bad := map[string]string{
		"not JSON":       `{"days": [`,
		"repeated id":    `{"days":[{"id":"a","name":"A","countries":["GB"],"specialties":["gp"],"rule":{"type":"fixed","month":1,"day":1}},{"id":"a","name":"B","countries":["GB"],"specialties":["gp"],"rule":{"type":"fixed","month":1,"day":2}}]}`,
		"30 February":    `{"days":[{"id":"a","name":"A","countries":["GB"],"specialties":["gp"],"rule":{"type":"fixed","month":2,"day":30}}]}`,
		"unknown rule":   `{"days":[{"id":"a","name":"A","countries":["GB"],"specialties":["gp"],"rule":{"type":"lunar","month":2}}]}`,
		"bad weekday":    `{"days":[{"id":"a","name":"A","countries":["GB"],"specialties":["gp"],"rule":{"type":"nth","month":2,"weekday":"funday","n":1}}]}`,
		"month 13":       `{"days":[{"id":"a","name":"A","countries":["GB"],"specialties":["gp"],"rule":{"type":"month","month":13}}]}`,
		"no specialties": `{"days":[{"id":"a","name":"A","countries":["GB"],"specialties":[],"rule":{"type":"month","month":3}}]}`,
		"bad specialty":  `{"days":[{"id":"a","name":"A","countries":["GB"],"specialties":["vet"],"rule":{"type":"month","month":3}}]}`,
	}
	for name, src := range bad {
		if _, err := ParseDays([]byte(src)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	leap, err := ParseDays([]byte(`{"days":[{"id":"a","name":"A","countries":["GB"],"specialties":["gp"],"rule":{"type":"fixed","month":2,"day":29}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if o, _ := leap[0].In(2027); o.Start != d(2027, 2, 28) {
		t.Errorf("a 29 February day in 2027 = %s, want 28 February", o.Start)
	}
}

func TestStarterIdeas(t *testing.T) {
	ideas, err := StarterIdeas()
	if err != nil {
		t.Fatal(err)
	}
	for _, sp := range Specialties {
		n := 0
		for _, i := range ideas {
			if i.Specialty == sp {
				n++
			}
		}
		if n < 4 {
			t.Errorf("%s has %d starter ideas", sp, n)
		}
	}
	if _, err := ParseIdeas([]byte(`{"ideas":[{"id":"x","specialty":"dental","pillar":"gossip","title":"t","text":"x"}]}`)); err == nil {
		t.Error("an unknown pillar was accepted")
	}
}

// A practice opening the calendar in any month should find something to post
// about: December and July were once empty.
func TestShippedDaysCoverEveryMonth(t *testing.T) {
	days, err := ShippedDays()
	if err != nil {
		t.Fatal(err)
	}
	for y := 2026; y <= 2035; y++ {
		for _, country := range []string{"GB", "US"} {
			for m := time.January; m <= time.December; m++ {
				first := app.CivilDate{Year: y, Month: m, Day: 1}
				last := AddDays(app.CivilDate{Year: y, Month: m + 1, Day: 1}, -1)
				if m == time.December {
					last = app.CivilDate{Year: y, Month: m, Day: 31}
				}
				if n := len(Between(Filter(days, country, nil), first, last)); n < 2 {
					t.Errorf("%s %d-%02d: only %d awareness days", country, y, m, n)
				}
			}
			for _, sp := range Specialties {
				months := map[time.Month]bool{}
				for _, o := range Between(Filter(days, country, []string{sp}), app.CivilDate{Year: y, Month: 1, Day: 1}, app.CivilDate{Year: y, Month: 12, Day: 31}) {
					for d := o.Start; !o.End.Before(d); d = AddDays(d, 1) {
						if d.Year == y {
							months[d.Month] = true
						}
					}
				}
				if len(months) < 10 {
					t.Errorf("%s %s practices in %d have awareness days in only %d months", country, sp, y, len(months))
				}
			}
		}
	}
}
