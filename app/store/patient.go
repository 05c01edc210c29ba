package store

import (
	"context"
	"strconv"
	"strings"

	"practicepost/app"
)

// CreatePatient stores a new patient (already validated) and returns it with
// its id. The activity log gets the id only, never the name.
func (d *DB) CreatePatient(ctx context.Context, p app.Patient) (app.Patient, error) {
	err := d.Tx(ctx, func(tx *Tx) error {
		p.CreatedAt = tx.now
		res, err := tx.ExecContext(ctx, `INSERT INTO patients (ref, full_name, date_of_birth, email, phone, needs_representative, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, p.Ref, p.FullName, p.DateOfBirth.String(), p.Email, p.Phone, p.NeedsRepresentative, formatTime(tx.now))
		if err != nil {
			return app.Internal(err, "PracticePost could not save the patient.")
		}
		if p.ID, err = res.LastInsertId(); err != nil {
			return app.Internal(err, "PracticePost could not save the patient.")
		}
		return tx.Audit(ctx, "practice manager", "patient.create", "patient:"+strconv.FormatInt(p.ID, 10), nil)
	})
	return p, err
}

const patientCols = "id, ref, full_name, date_of_birth, email, phone, needs_representative, created_at"

// Patient reads one patient.
func (d *DB) Patient(ctx context.Context, id int64) (app.Patient, error) {
	return readOne(ctx, d, "That patient is not in PracticePost.",
		"PracticePost could not read the patient.", scanPatient, "SELECT "+patientCols+" FROM patients WHERE id = ?", id)
}

// ListPatients returns patients whose name, reference or email contains
// query (all when empty), by name, at most limit.
func (d *DB) ListPatients(ctx context.Context, query string, limit int) ([]app.Patient, error) {
	like := "%" + escapeLike(strings.TrimSpace(query)) + "%"
	return readAll(ctx, d, "PracticePost could not read the patient list.", scanPatient, "SELECT "+patientCols+` FROM patients
		WHERE full_name LIKE ? ESCAPE '\' OR ref LIKE ? ESCAPE '\' OR email LIKE ? ESCAPE '\'
		ORDER BY full_name COLLATE NOCASE, id LIMIT ?`, like, like, like, limit)
}

type scanner interface{ Scan(dest ...any) error }

func scanPatient(s scanner) (app.Patient, error) {
	var p app.Patient
	var dob, created string
	if err := s.Scan(&p.ID, &p.Ref, &p.FullName, &dob, &p.Email, &p.Phone, &p.NeedsRepresentative, &created); err != nil {
		return p, err
	}
	var err error
	if p.DateOfBirth, err = app.ParseCivilDate(dob); err != nil {
		return p, err
	}
	p.CreatedAt, err = parseTime(created)
	return p, err
}

// escapeLike makes user text match literally inside a LIKE pattern.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
