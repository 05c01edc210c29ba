package consent

import (
	"time"

	"practicepost/app"
)

// ExpiresAt is the instant a consent signed at signedAt stops being valid:
// the end of the calendar day `months` months after the signing date, both
// days read in the practice's zone. A consent is valid strictly before this
// instant, so "ends at the end of 3 March 2027" holds until 23:59:59.999…
// local time and not at midnight. When the month is shorter (signed on 31
// August, six months on) the last day of that month is used, never a day in
// the month after.
func ExpiresAt(signedAt time.Time, months int, loc *time.Location) time.Time {
	l := signedAt.In(loc)
	y, m := l.Year(), l.Month()+time.Month(months)
	d := min(l.Day(), daysIn(y, m))
	// Midnight starting the next day; Go normalises overflowing days/months.
	return time.Date(y, m, d+1, 0, 0, 0, 0, loc).UTC()
}

// LastValidDay is the local calendar day on which a consent expiring at
// expires ends, for messages such as "expires 3 March 2027".
func LastValidDay(expires time.Time, loc *time.Location) time.Time {
	return expires.Add(-time.Nanosecond).In(loc)
}

func daysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// AdultAge is the age from which a patient may sign for themselves: 18 in
// the US (state law varies and this is the safe common value), 16 in the UK
// (ICO advice for marketing use; Gillick competence is a clinical judgement
// the practice records with Patient.NeedsRepresentative instead).
func AdultAge(country string) int {
	if country == "US" {
		return 18
	}
	return 16
}

// NeedsRepresentative reports whether p may not sign alone on day (the
// signing date in the practice's zone).
func NeedsRepresentative(p app.Patient, country string, day app.CivilDate) bool {
	return p.NeedsRepresentative || app.AgeOn(p.DateOfBirth, day) < AdultAge(country)
}

func civil(t time.Time) app.CivilDate {
	return app.CivilDate{Year: t.Year(), Month: t.Month(), Day: t.Day()}
}
