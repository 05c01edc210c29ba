package store

import (
	"context"
	"database/sql"
	"sort"
	"strconv"
	"strings"
	"sync"

	"practicepost/app"
)

// Patients' names, dates of birth, emails, phones and references are sealed
// (sealed.go), so SQL cannot search or sort them. The list is opened once
// into memory and searched there; it is read again only when a patient is
// added, changed or removed (patients.version counts those writes).
const patientsVersionKey = "patients.version"

type patientIndex struct {
	mu   sync.Mutex
	key  string
	list []app.Patient // sorted by name, then id
	low  []string      // lower-cased name, reference and email per entry, for search
}

// change brings the opened list up to date after a committed write of one
// patient (p.ID with deleted, or p as now stored), so the next search need
// not open the whole list again. It applies only when the list was current
// just before the write (before); otherwise the next search reads it anew.
func (d *DB) change(ctx context.Context, before string, p app.Patient, deleted bool) {
	idx := d.index
	if d.view != nil || idx == nil {
		return
	}
	after, err := d.PatientNamesKey(ctx)
	idx.mu.Lock()
	defer idx.mu.Unlock()
	if err != nil || idx.key != before || before == "" {
		idx.key = ""
		return
	}
	// Drop the old entry, then insert the new one at its place by name.
	for i := range idx.list {
		if idx.list[i].ID == p.ID {
			idx.list = append(idx.list[:i], idx.list[i+1:]...)
			idx.low = append(idx.low[:i], idx.low[i+1:]...)
			break
		}
	}
	if !deleted {
		name := strings.ToLower(p.FullName)
		i := sort.Search(len(idx.list), func(i int) bool {
			n := strings.ToLower(idx.list[i].FullName)
			return n > name || (n == name && idx.list[i].ID > p.ID)
		})
		idx.list = append(idx.list, app.Patient{})
		copy(idx.list[i+1:], idx.list[i:])
		idx.list[i] = p
		idx.low = append(idx.low, "")
		copy(idx.low[i+1:], idx.low[i:])
		idx.low[i] = lowEntry(p)
	}
	idx.key = after
}

func lowEntry(p app.Patient) string {
	return strings.ToLower(p.FullName + "\x00" + p.Ref + "\x00" + p.Email)
}

// keyBefore is the list's key as a write to it begins.
func (tx *Tx) keyBefore(ctx context.Context) string {
	k, err := tx.Reader().PatientNamesKey(ctx)
	if err != nil {
		return ""
	}
	return k
}

// CreatePatient stores a new patient (already validated) and returns it with
// its id. The activity log gets the id only, never the name.
func (d *DB) CreatePatient(ctx context.Context, p app.Patient) (app.Patient, error) {
	var before string
	err := d.Tx(ctx, func(tx *Tx) error {
		before = tx.keyBefore(ctx)
		p.CreatedAt = tx.now
		// The id is chosen before the insert because the sealed values are
		// bound to it.
		if err := tx.nextID(ctx, "patients", &p.ID); err != nil {
			return app.Internal(err, "PracticePost could not save the patient.")
		}
		row := rowID(p.ID)
		_, err := tx.ExecContext(ctx, `INSERT INTO patients (id, ref, full_name, date_of_birth, email, phone, needs_representative, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, p.ID,
			tx.sealText("patients", "ref", row, p.Ref), tx.sealText("patients", "full_name", row, p.FullName),
			tx.sealText("patients", "date_of_birth", row, p.DateOfBirth.String()), tx.sealText("patients", "email", row, p.Email),
			tx.sealText("patients", "phone", row, p.Phone), p.NeedsRepresentative, formatTime(tx.now))
		if err != nil {
			return app.Internal(err, "PracticePost could not save the patient.")
		}
		if err := tx.bumpPatients(ctx); err != nil {
			return err
		}
		return tx.Audit(ctx, "practice manager", "patient.create", "patient:"+row, nil)
	})
	if err == nil {
		d.change(ctx, before, p, false)
	}
	return p, err
}

// UpdatePatient replaces a patient's details (already validated). Signed
// consents keep the details as they were signed; this changes what new
// forms and emails use.
func (d *DB) UpdatePatient(ctx context.Context, p app.Patient) (app.Patient, error) {
	var before string
	err := d.Tx(ctx, func(tx *Tx) error {
		before = tx.keyBefore(ctx)
		row := rowID(p.ID)
		res, err := tx.ExecContext(ctx, `UPDATE patients SET ref = ?, full_name = ?, date_of_birth = ?, email = ?, phone = ?, needs_representative = ?
			WHERE id = ?`,
			tx.sealText("patients", "ref", row, p.Ref), tx.sealText("patients", "full_name", row, p.FullName),
			tx.sealText("patients", "date_of_birth", row, p.DateOfBirth.String()), tx.sealText("patients", "email", row, p.Email),
			tx.sealText("patients", "phone", row, p.Phone), p.NeedsRepresentative, p.ID)
		return tx.patientWritten(ctx, res, err, "PracticePost could not save the patient.", "patient.update", p.ID)
	})
	if err != nil {
		return p, err
	}
	p, err = d.Patient(ctx, p.ID)
	if err == nil {
		d.change(ctx, before, p, false)
	}
	return p, err
}

// patientWritten finishes a write to patient id's row: a failed write is
// an internal error saying fail, no row is not found; otherwise the key of
// the patients' names moves on (the guard rebuilds its matcher) and the
// activity log records action.
func (tx *Tx) patientWritten(ctx context.Context, res sql.Result, err error, fail, action string, id int64) error {
	if err != nil {
		return app.Internal(err, fail)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return app.Errorf(app.ENOTFOUND, "That patient is not in PracticePost.")
	}
	if err := tx.bumpPatients(ctx); err != nil {
		return err
	}
	return tx.Audit(ctx, "practice manager", action, "patient:"+rowID(id), nil)
}

// DeletePatient removes a patient who has no signed consent, testimonial or
// emailed request: those are evidence and keep the patient they belong to.
func (d *DB) DeletePatient(ctx context.Context, id int64) error {
	var before string
	err := d.Tx(ctx, func(tx *Tx) error {
		before = tx.keyBefore(ctx)
		var uses int
		err := tx.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM consents WHERE patient_id = ?)
			+ (SELECT COUNT(*) FROM testimonials WHERE patient_id = ?)
			+ (SELECT COUNT(*) FROM mail_requests WHERE patient_id = ?)`, id, id, id).Scan(&uses)
		if err != nil {
			return app.Internal(err, "PracticePost could not remove the patient.")
		}
		if uses > 0 {
			return app.Errorf(app.ECONFLICT, "This patient has signed consents, testimonials or emailed requests, which are kept as evidence, so the patient stays. To stop using their consent, withdraw it on the Patients screen.")
		}
		res, err := tx.ExecContext(ctx, "DELETE FROM patients WHERE id = ?", id)
		return tx.patientWritten(ctx, res, err, "PracticePost could not remove the patient.", "patient.delete", id)
	})
	if err == nil {
		d.change(ctx, before, app.Patient{ID: id}, true)
	}
	return err
}

func (tx *Tx) bumpPatients(ctx context.Context) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO app_state (key, value) VALUES (?, '1')
		ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1`, patientsVersionKey)
	if err != nil {
		return app.Internal(err, "PracticePost could not save the patient.")
	}
	return nil
}

const patientCols = "id, ref, full_name, date_of_birth, email, phone, needs_representative, created_at"

// Patient reads one patient.
func (d *DB) Patient(ctx context.Context, id int64) (app.Patient, error) {
	return readOne(ctx, d, "That patient is not in PracticePost.",
		"PracticePost could not read the patient.", d.scanPatient, "SELECT "+patientCols+" FROM patients WHERE id = ?", id)
}

// ListPatients returns patients whose name, reference or email contains
// query, ignoring case (all when empty), by name, at most limit.
func (d *DB) ListPatients(ctx context.Context, query string, limit int) ([]app.Patient, error) {
	idx, err := d.patients(ctx)
	if err != nil {
		return nil, err
	}
	q := strings.ToLower(strings.TrimSpace(query))
	out := []app.Patient{}
	for i, p := range idx.list {
		if len(out) >= limit {
			break
		}
		if q == "" || strings.Contains(idx.low[i], q) {
			out = append(out, p)
		}
	}
	return out, nil
}

// PatientNamesKey changes whenever a patient is added, changed or removed,
// so the gate's name matcher is rebuilt only then.
func (d *DB) PatientNamesKey(ctx context.Context) (string, error) {
	var n, maxID int64
	var version string
	err := d.read(func(db querier) error {
		return db.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(MAX(id), 0),
			COALESCE((SELECT value FROM app_state WHERE key = ?), '0') FROM patients`, patientsVersionKey).Scan(&n, &maxID, &version)
	})
	if err != nil {
		return "", app.Internal(err, "PracticePost could not read the patient list.")
	}
	return strconv.FormatInt(n, 10) + ":" + strconv.FormatInt(maxID, 10) + ":" + version, nil
}

// PatientNames returns every patient's id and name, for the name matcher.
func (d *DB) PatientNames(ctx context.Context) (map[int64]string, error) {
	idx, err := d.patients(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]string, len(idx.list))
	for _, p := range idx.list {
		out[p.ID] = p.FullName
	}
	return out, nil
}

// patients returns the opened patient list. The root handle keeps it
// between calls; a transaction's read view builds its own, because what it
// sees may yet be rolled back.
func (d *DB) patients(ctx context.Context) (*patientIndex, error) {
	key, err := d.PatientNamesKey(ctx)
	if err != nil {
		return nil, err
	}
	cache := d.index
	if d.view == nil && cache != nil {
		cache.mu.Lock()
		defer cache.mu.Unlock()
		if cache.key == key {
			return cache, nil
		}
	}
	list, err := readAll(ctx, d, "PracticePost could not read the patient list.", d.scanPatient, "SELECT "+patientCols+" FROM patients")
	if err != nil {
		return nil, err
	}
	// Lower-case once, not in every comparison of the sort.
	type entry struct {
		name string
		p    app.Patient
	}
	es := make([]entry, len(list))
	for i, p := range list {
		es[i] = entry{strings.ToLower(p.FullName), p}
	}
	sort.Slice(es, func(i, j int) bool {
		if es[i].name != es[j].name {
			return es[i].name < es[j].name
		}
		return es[i].p.ID < es[j].p.ID
	})
	idx := &patientIndex{key: key, list: list, low: make([]string, len(list))}
	for i, e := range es {
		list[i] = e.p
		idx.low[i] = lowEntry(e.p)
	}
	if d.view == nil && cache != nil {
		cache.key, cache.list, cache.low = idx.key, idx.list, idx.low
	}
	return idx, nil
}

type scanner interface{ Scan(dest ...any) error }

func (d *DB) scanPatient(s scanner) (app.Patient, error) {
	var p app.Patient
	var dob, created string
	if err := s.Scan(&p.ID, d.text("patients", "ref", &p.ID, &p.Ref), d.text("patients", "full_name", &p.ID, &p.FullName),
		d.text("patients", "date_of_birth", &p.ID, &dob), d.text("patients", "email", &p.ID, &p.Email),
		d.text("patients", "phone", &p.ID, &p.Phone), &p.NeedsRepresentative, &created); err != nil {
		return p, err
	}
	var err error
	if p.DateOfBirth, err = app.ParseCivilDate(dob); err != nil {
		return p, err
	}
	p.CreatedAt, err = parseTime(created)
	return p, err
}
