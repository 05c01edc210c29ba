package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strconv"

	"practicepost/app"
)

// CreateTestimonial stores a testimonial (already validated). Its media
// must already be stored as blobs.
func (d *DB) CreateTestimonial(ctx context.Context, t app.Testimonial) (app.Testimonial, error) {
	err := d.Tx(ctx, func(tx *Tx) error {
		var err error
		t, err = tx.insertTestimonial(ctx, t)
		return err
	})
	return t, err
}

func (tx *Tx) insertTestimonial(ctx context.Context, t app.Testimonial) (app.Testimonial, error) {
	if t.Media == nil {
		t.Media = []app.ConsentMedia{}
	}
	media, _ := json.Marshal(t.Media)
	var consent any
	if t.ConsentID != 0 {
		consent = t.ConsentID
	}
	t.CreatedAt = tx.now
	res, err := tx.ExecContext(ctx, `INSERT INTO testimonials (patient_id, consent_id, quote, source, said_on, name_as, shows_face, media, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, t.PatientID, consent, t.Quote, t.Source, t.SaidOn.String(), string(t.NameAs), t.ShowsFace, string(media), formatTime(tx.now))
	if err != nil {
		return t, app.Internal(err, "PracticePost could not save the testimonial.")
	}
	if t.ID, err = res.LastInsertId(); err != nil {
		return t, app.Internal(err, "PracticePost could not save the testimonial.")
	}
	detail := map[string]string{"patient": strconv.FormatInt(t.PatientID, 10)}
	if t.ConsentID != 0 {
		detail["consent"] = strconv.FormatInt(t.ConsentID, 10)
	}
	return t, tx.Audit(ctx, "practice manager", "testimonial.create", "testimonial:"+strconv.FormatInt(t.ID, 10), detail)
}

const testimonialCols = "id, patient_id, COALESCE(consent_id, 0), quote, source, said_on, name_as, shows_face, media, created_at"

// ListTestimonials returns every testimonial, newest first.
func (d *DB) ListTestimonials(ctx context.Context) ([]app.Testimonial, error) {
	out := []app.Testimonial{}
	err := d.read(func(db *sql.DB) error {
		rows, err := db.QueryContext(ctx, "SELECT "+testimonialCols+" FROM testimonials ORDER BY created_at DESC, id DESC")
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			t, err := scanTestimonial(rows)
			if err != nil {
				return err
			}
			out = append(out, t)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, app.Internal(err, "PracticePost could not read the testimonials.")
	}
	return out, nil
}

// Testimonial reads one testimonial.
func (d *DB) Testimonial(ctx context.Context, id int64) (app.Testimonial, error) {
	var t app.Testimonial
	err := d.read(func(db *sql.DB) error {
		var err error
		t, err = scanTestimonial(db.QueryRowContext(ctx, "SELECT "+testimonialCols+" FROM testimonials WHERE id = ?", id))
		return err
	})
	if errors.Is(err, sql.ErrNoRows) {
		return t, app.Errorf(app.ENOTFOUND, "That testimonial is not in PracticePost.")
	} else if err != nil {
		return t, app.Internal(err, "PracticePost could not read the testimonial.")
	}
	return t, nil
}

func scanTestimonial(s scanner) (app.Testimonial, error) {
	var t app.Testimonial
	var said, nameAs, media, created string
	if err := s.Scan(&t.ID, &t.PatientID, &t.ConsentID, &t.Quote, &t.Source, &said, &nameAs, &t.ShowsFace, &media, &created); err != nil {
		return t, err
	}
	t.NameAs = app.IdentityElement(nameAs)
	if err := t.SaidOn.UnmarshalText([]byte(said)); err != nil {
		return t, err
	}
	if err := json.Unmarshal([]byte(media), &t.Media); err != nil {
		return t, err
	}
	var err error
	t.CreatedAt, err = parseTime(created)
	return t, err
}
