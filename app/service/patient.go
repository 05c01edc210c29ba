package service

import (
	"context"
	"net/mail"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"practicepost/app"
	"practicepost/app/consent"
	"practicepost/app/store"
)

// PatientService keeps the minimum the practice needs about a patient.
type PatientService struct {
	c    *Core
	lock *LockService
}

func NewPatientService(c *Core, lock *LockService) *PatientService {
	return &PatientService{c: c, lock: lock}
}

// PatientInput is the add-patient form.
type PatientInput struct {
	FullName            string `json:"fullName"`
	DateOfBirth         string `json:"dateOfBirth"` // YYYY-MM-DD
	Email               string `json:"email"`
	Phone               string `json:"phone"`
	Ref                 string `json:"ref"`
	NeedsRepresentative bool   `json:"needsRepresentative"`
}

// PatientView is a patient with what the screens show beside them.
type PatientView struct {
	Patient app.Patient `json:"patient"`
	Age     int         `json:"age"`
	// NeedsRepresentative is true when someone else must sign for them
	// today (a minor for the practice's country, or flagged).
	NeedsRepresentative bool `json:"needsRepresentative"`
}

var phoneChars = regexp.MustCompile(`^\+?[0-9 ()\-.]+$`)

// normalize checks the form and returns the patient to store, or the first
// field at fault with a message saying how to fix it.
func (in PatientInput) normalize(today app.CivilDate) (app.Patient, error) {
	p := app.Patient{
		FullName: strings.Join(strings.Fields(in.FullName), " "),
		Email:    strings.TrimSpace(in.Email),
		Phone:    strings.TrimSpace(in.Phone),
		Ref:      strings.TrimSpace(in.Ref),

		NeedsRepresentative: in.NeedsRepresentative,
	}
	if utf8.RuneCountInString(p.FullName) < 2 || utf8.RuneCountInString(p.FullName) > 120 {
		return p, app.FieldError("fullName", "Enter the patient's full name as it should appear on the consent form.")
	}
	dob, err := app.ParseCivilDate(strings.TrimSpace(in.DateOfBirth))
	if err != nil {
		return p, app.FieldError("dateOfBirth", "Enter the date of birth, for example 1984-07-21.")
	}
	if today.Before(dob) {
		return p, app.FieldError("dateOfBirth", "The date of birth is in the future. Check the year.")
	}
	if consent.AgeOn(dob, today) > 120 {
		return p, app.FieldError("dateOfBirth", "That date of birth makes the patient over 120. Check the year.")
	}
	p.DateOfBirth = dob
	if p.Email == "" {
		return p, app.FieldError("email", "Enter the patient's email address: the signed copy and any withdrawal go through it.")
	}
	if a, err := mail.ParseAddress(p.Email); err != nil || a.Address != p.Email || !strings.Contains(p.Email[strings.LastIndex(p.Email, "@")+1:], ".") {
		return p, app.FieldError("email", "That email address does not look right. It should look like name@example.com.")
	}
	if p.Phone != "" {
		digits := 0
		for _, r := range p.Phone {
			if r >= '0' && r <= '9' {
				digits++
			}
		}
		if !phoneChars.MatchString(p.Phone) || digits < 6 || digits > 15 {
			return p, app.FieldError("phone", "That phone number does not look right. Use digits, spaces and an optional + at the start, or leave it empty.")
		}
	}
	if utf8.RuneCountInString(p.Ref) > 40 {
		return p, app.FieldError("ref", "Keep the practice reference to 40 characters.")
	}
	return p, nil
}

// today is the civil date in the practice's zone (consent settings), or
// UTC before a zone is set.
func today(ctx context.Context, c *Core, db *store.DB) (app.CivilDate, string) {
	kit, err := db.BrandKit(ctx)
	country := "GB"
	if err == nil && kit.Country != "" {
		country = kit.Country
	}
	loc := time.UTC
	if st, err := loadSettings(ctx, db, country); err == nil {
		if l, err := time.LoadLocation(st.Zone); err == nil {
			loc = l
		}
	}
	n := c.Clock.Now().In(loc)
	return app.CivilDate{Year: n.Year(), Month: n.Month(), Day: n.Day()}, country
}

func (s *PatientService) view(p app.Patient, day app.CivilDate, country string) PatientView {
	return PatientView{Patient: p, Age: consent.AgeOn(p.DateOfBirth, day), NeedsRepresentative: consent.NeedsRepresentative(p, country, day)}
}

// Create adds a patient.
func (s *PatientService) Create(in PatientInput) (PatientView, error) {
	ctx := context.Background()
	db, err := s.c.open(ctx, s.lock)
	if err != nil {
		return PatientView{}, err
	}
	day, country := today(ctx, s.c, db)
	p, err := in.normalize(day)
	if err != nil {
		return PatientView{}, err
	}
	p, err = db.CreatePatient(ctx, p)
	if err != nil {
		return PatientView{}, err
	}
	return s.view(p, day, country), nil
}

// List finds patients by name, reference or email; empty lists everyone.
func (s *PatientService) List(query string) ([]PatientView, error) {
	ctx := context.Background()
	db, err := s.c.open(ctx, s.lock)
	if err != nil {
		return nil, err
	}
	ps, err := db.ListPatients(ctx, query, 500)
	if err != nil {
		return nil, err
	}
	day, country := today(ctx, s.c, db)
	out := make([]PatientView, len(ps))
	for i, p := range ps {
		out[i] = s.view(p, day, country)
	}
	return out, nil
}

// Get reads one patient.
func (s *PatientService) Get(id int64) (PatientView, error) {
	ctx := context.Background()
	db, err := s.c.open(ctx, s.lock)
	if err != nil {
		return PatientView{}, err
	}
	p, err := db.Patient(ctx, id)
	if err != nil {
		return PatientView{}, err
	}
	day, country := today(ctx, s.c, db)
	return s.view(p, day, country), nil
}

// Update corrects a patient's details. Consents already signed keep the
// details they were signed with.
func (s *PatientService) Update(id int64, in PatientInput) (PatientView, error) {
	ctx := context.Background()
	db, err := s.c.open(ctx, s.lock)
	if err != nil {
		return PatientView{}, err
	}
	day, country := today(ctx, s.c, db)
	p, err := in.normalize(day)
	if err != nil {
		return PatientView{}, err
	}
	p.ID = id
	p, err = db.UpdatePatient(ctx, p)
	if err != nil {
		return PatientView{}, err
	}
	return s.view(p, day, country), nil
}

// Delete removes a patient added by mistake. A patient with signed
// consents, testimonials or emailed requests stays: those are evidence.
func (s *PatientService) Delete(id int64) error {
	ctx := context.Background()
	db, err := s.c.open(ctx, s.lock)
	if err != nil {
		return err
	}
	return db.DeletePatient(ctx, id)
}
