package app

import (
	"net/mail"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// Patient is the minimum the practice keeps about someone whose testimonial
// it wants to use. DateOfBirth is for matching and the age check only; it is
// never published.
type Patient struct {
	ID          int64     `json:"id"`
	Ref         string    `json:"ref"` // the practice's own patient reference
	FullName    string    `json:"fullName"`
	DateOfBirth CivilDate `json:"dateOfBirth"`
	Email       string    `json:"email"`
	Phone       string    `json:"phone"` // optional
	// NeedsRepresentative marks an adult or older child who must not sign for
	// themselves (UK: under-16 policy override, lacks capacity, LPA in place).
	NeedsRepresentative bool      `json:"needsRepresentative"`
	CreatedAt           time.Time `json:"createdAt"`
}

// AgeOn is the patient's age in whole years on day. Someone born on 29
// February turns a year older on 1 March in years without one; that is the
// later of the two readings, so a representative is asked for when in doubt.
func AgeOn(dob CivilDate, day CivilDate) int {
	age := day.Year - dob.Year
	bd := CivilDate{Year: day.Year, Month: dob.Month, Day: dob.Day}
	// Day 0 of March is the last day of February.
	if dob.Month == time.February && dob.Day == 29 && time.Date(day.Year, time.March, 0, 0, 0, 0, 0, time.UTC).Day() == 28 {
		bd = CivilDate{Year: day.Year, Month: time.March, Day: 1}
	}
	if day.Before(bd) {
		age--
	}
	return age
}

// Normalize tidies what was typed into the patient form: runs of spaces in
// the name become one, and the other fields lose their outer spaces.
func (p *Patient) Normalize() {
	p.FullName = strings.Join(strings.Fields(p.FullName), " ")
	p.Email = strings.TrimSpace(p.Email)
	p.Phone = strings.TrimSpace(p.Phone)
	p.Ref = strings.TrimSpace(p.Ref)
}

var patientPhone = regexp.MustCompile(`^\+?[0-9 ()\-.]+$`)

// Validate reports the first field the practice manager must fix before the
// patient can be saved, with how to fix it; today is the practice's date. A
// zero DateOfBirth is one that was missing or could not be read. Call
// Normalize first.
func (p *Patient) Validate(today CivilDate) error {
	if n := utf8.RuneCountInString(p.FullName); n < 2 || n > 120 {
		return FieldError("fullName", "Enter the patient's full name as it should appear on the consent form.")
	}
	if p.DateOfBirth.IsZero() {
		return FieldError("dateOfBirth", "Enter the date of birth: the day, month and year in the order shown under the field.")
	}
	if today.Before(p.DateOfBirth) {
		return FieldError("dateOfBirth", "The date of birth is in the future. Check the year.")
	}
	if AgeOn(p.DateOfBirth, today) > 120 {
		return FieldError("dateOfBirth", "That date of birth makes the patient over 120. Check the year.")
	}
	if p.Email == "" {
		return FieldError("email", "Enter the patient's email address: the signed copy and any withdrawal go through it.")
	}
	// One bare address (no display name) whose domain has a dot: the signed
	// copy goes there, so "ann@localhost" or "Ann <a@b.co>" will not do.
	if a, err := mail.ParseAddress(p.Email); err != nil || a.Address != p.Email || !strings.Contains(p.Email[strings.LastIndex(p.Email, "@")+1:], ".") {
		return FieldError("email", "That email address does not look right. It should look like name@example.com.")
	}
	if p.Phone != "" {
		digits := 0
		for _, r := range p.Phone {
			if r >= '0' && r <= '9' {
				digits++
			}
		}
		if !patientPhone.MatchString(p.Phone) || digits < 6 || digits > 15 {
			return FieldError("phone", "That phone number does not look right. Use digits, spaces and an optional + at the start, or leave it empty.")
		}
	}
	if utf8.RuneCountInString(p.Ref) > 40 {
		return FieldError("ref", "Keep the practice reference to 40 characters.")
	}
	return nil
}
