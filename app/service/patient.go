package service

import (
	"context"
	"strings"
	"time"

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

// patient reads the form as a patient and checks it (app.Patient.Validate
// says what is wrong and how to fix it).
func (in PatientInput) patient(today app.CivilDate) (app.Patient, error) {
	p := app.Patient{FullName: in.FullName, Email: in.Email, Phone: in.Phone, Ref: in.Ref, NeedsRepresentative: in.NeedsRepresentative}
	p.Normalize()
	// A date that cannot be read stays zero, which Validate reports as
	// missing, after any fault in the name.
	if dob, err := app.ParseCivilDate(strings.TrimSpace(in.DateOfBirth)); err == nil {
		p.DateOfBirth = dob
	}
	return p, p.Validate(today)
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
	return PatientView{Patient: p, Age: app.AgeOn(p.DateOfBirth, day), NeedsRepresentative: consent.NeedsRepresentative(p, country, day)}
}

// Create adds a patient.
func (s *PatientService) Create(in PatientInput) (PatientView, error) {
	return withDB(s.c, func(ctx context.Context, db *store.DB) (PatientView, error) {
		day, country := today(ctx, s.c, db)
		p, err := in.patient(day)
		if err != nil {
			return PatientView{}, err
		}
		p, err = db.CreatePatient(ctx, p)
		if err != nil {
			return PatientView{}, err
		}
		return s.view(p, day, country), nil
	})
}

// List finds patients by name, reference or email; empty lists everyone.
func (s *PatientService) List(query string) ([]PatientView, error) {
	return withDB(s.c, func(ctx context.Context, db *store.DB) ([]PatientView, error) {
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
	})
}

// Get reads one patient.
func (s *PatientService) Get(id int64) (PatientView, error) {
	return withDB(s.c, func(ctx context.Context, db *store.DB) (PatientView, error) {
		p, err := db.Patient(ctx, id)
		if err != nil {
			return PatientView{}, err
		}
		day, country := today(ctx, s.c, db)
		return s.view(p, day, country), nil
	})
}

// Update corrects a patient's details. Consents already signed keep the
// details they were signed with.
func (s *PatientService) Update(id int64, in PatientInput) (PatientView, error) {
	return withDB(s.c, func(ctx context.Context, db *store.DB) (PatientView, error) {
		day, country := today(ctx, s.c, db)
		p, err := in.patient(day)
		if err != nil {
			return PatientView{}, err
		}
		p.ID = id
		p, err = db.UpdatePatient(ctx, p)
		if err != nil {
			return PatientView{}, err
		}
		return s.view(p, day, country), nil
	})
}

// Delete removes a patient added by mistake. A patient with signed
// consents, testimonials or emailed requests stays: those are evidence.
func (s *PatientService) Delete(id int64) error {
	return s.c.withDB(func(ctx context.Context, db *store.DB) error {
		return db.DeletePatient(ctx, id)
	})
}
