package app_test

import (
	"strings"
	"testing"
	"time"

	"practicepost/app"
)

func civil(y int, m time.Month, d int) app.CivilDate { return app.CivilDate{Year: y, Month: m, Day: d} }

func TestAgeOn(t *testing.T) {
	cases := []struct {
		dob, on app.CivilDate
		want    int
	}{
		{civil(2008, 5, 10), civil(2026, 5, 10), 18},
		{civil(2008, 5, 10), civil(2026, 5, 9), 17},
		{civil(2008, 2, 29), civil(2026, 2, 28), 17},
		{civil(2008, 2, 29), civil(2026, 3, 1), 18},
		{civil(2008, 2, 29), civil(2028, 2, 29), 20},
		{civil(2010, 12, 31), civil(2026, 1, 1), 15},
	}
	for _, c := range cases {
		if got := app.AgeOn(c.dob, c.on); got != c.want {
			t.Errorf("AgeOn(%v, %v) = %d, want %d", c.dob, c.on, got, c.want)
		}
	}
}

func TestPatientNormalize(t *testing.T) {
	p := app.Patient{FullName: "  Ann \t  Lee ", Email: " ann@example.com ", Phone: " +44 7700 900123 ", Ref: " R1 "}
	p.Normalize()
	if p.FullName != "Ann Lee" || p.Email != "ann@example.com" || p.Phone != "+44 7700 900123" || p.Ref != "R1" {
		t.Fatalf("normalized %+v", p)
	}
}

func TestPatientValidate(t *testing.T) {
	today := civil(2026, 11, 22)
	ok := app.Patient{FullName: "Ann Lee", DateOfBirth: civil(1980, 1, 1), Email: "a@b.co"}
	cases := []struct {
		name  string
		edit  func(*app.Patient)
		field string // "" when the patient is fine
		msg   string
	}{
		{"fine", func(*app.Patient) {}, "", ""},
		{"one-letter name", func(p *app.Patient) { p.FullName = "A" }, "fullName", "Enter the patient's full name as it should appear on the consent form."},
		{"two-letter name", func(p *app.Patient) { p.FullName = "Al" }, "", ""},
		{"name too long", func(p *app.Patient) { p.FullName = strings.Repeat("é", 121) }, "fullName", "Enter the patient's full name"},
		{"name of 120 letters", func(p *app.Patient) { p.FullName = strings.Repeat("é", 120) }, "", ""},
		{"name before date", func(p *app.Patient) { p.FullName, p.DateOfBirth = "", app.CivilDate{} }, "fullName", ""},
		{"no date of birth", func(p *app.Patient) { p.DateOfBirth = app.CivilDate{} }, "dateOfBirth", "Enter the date of birth: the day, month and year in the order shown under the field."},
		{"born tomorrow", func(p *app.Patient) { p.DateOfBirth = civil(2026, 11, 23) }, "dateOfBirth", "The date of birth is in the future. Check the year."},
		{"born today", func(p *app.Patient) { p.DateOfBirth = today }, "", ""},
		{"over 120", func(p *app.Patient) { p.DateOfBirth = civil(1905, 11, 22) }, "dateOfBirth", "That date of birth makes the patient over 120. Check the year."},
		{"120 today", func(p *app.Patient) { p.DateOfBirth = civil(1906, 11, 22) }, "", ""},
		{"no email", func(p *app.Patient) { p.Email = "" }, "email", "Enter the patient's email address: the signed copy and any withdrawal go through it."},
		{"email without a dot", func(p *app.Patient) { p.Email = "ann@localhost" }, "email", "That email address does not look right. It should look like name@example.com."},
		{"email with a name", func(p *app.Patient) { p.Email = "Ann <a@b.co>" }, "email", "It should look like name@example.com."},
		{"email not an address", func(p *app.Patient) { p.Email = "ann" }, "email", "It should look like name@example.com."},
		{"phone in words", func(p *app.Patient) { p.Phone = "call me" }, "phone", "That phone number does not look right. Use digits, spaces and an optional + at the start, or leave it empty."},
		{"phone too short", func(p *app.Patient) { p.Phone = "12345" }, "phone", "That phone number does not look right."},
		{"phone of 6 digits", func(p *app.Patient) { p.Phone = "123456" }, "", ""},
		{"phone too long", func(p *app.Patient) { p.Phone = "+1234567890123456" }, "phone", "That phone number does not look right."},
		{"phone with punctuation", func(p *app.Patient) { p.Phone = "+44 (0)117 496-0000." }, "", ""},
		{"ref too long", func(p *app.Patient) { p.Ref = strings.Repeat("R", 41) }, "ref", "Keep the practice reference to 40 characters."},
		{"ref of 40", func(p *app.Patient) { p.Ref = strings.Repeat("R", 40) }, "", ""},
	}
	for _, c := range cases {
		p := ok
		c.edit(&p)
		err := p.Validate(today)
		if app.ErrorField(err) != c.field || (c.field == "" && err != nil) {
			t.Errorf("%s: got %v, want a %q error", c.name, err, c.field)
			continue
		}
		if err != nil && !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%s: %q does not say %q", c.name, err, c.msg)
		}
	}
}
