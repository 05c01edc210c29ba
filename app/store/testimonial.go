package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
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
	media, labels := splitLabels(t.Media)
	var consent any
	if t.ConsentID != 0 {
		consent = t.ConsentID
	}
	t.CreatedAt = tx.now
	// The id is chosen before the insert because the sealed quote is bound to it.
	if err := tx.nextID(ctx, "testimonials", &t.ID); err != nil {
		return t, app.Internal(err, "PracticePost could not save the testimonial.")
	}
	row := rowID(t.ID)
	_, err := tx.ExecContext(ctx, `INSERT INTO testimonials (id, patient_id, consent_id, quote, source, said_on, name_as, shows_face, media, media_labels, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, t.ID, t.PatientID, consent, tx.sealText("testimonials", "quote", row, t.Quote),
		tx.sealText("testimonials", "source", row, t.Source), t.SaidOn.String(), string(t.NameAs), t.ShowsFace, media,
		tx.sealText("testimonials", "media_labels", row, labels), formatTime(tx.now))
	if err != nil {
		return t, app.Internal(err, "PracticePost could not save the testimonial.")
	}
	detail := map[string]string{"patient": strconv.FormatInt(t.PatientID, 10)}
	if t.ConsentID != 0 {
		detail["consent"] = strconv.FormatInt(t.ConsentID, 10)
	}
	return t, tx.Audit(ctx, "practice manager", "testimonial.create", "testimonial:"+strconv.FormatInt(t.ID, 10), detail)
}

const testimonialCols = "id, patient_id, COALESCE(consent_id, 0), quote, source, said_on, name_as, shows_face, media, created_at, media_labels"

// ListTestimonials returns every testimonial, newest first.
func (d *DB) ListTestimonials(ctx context.Context) ([]app.Testimonial, error) {
	return readAll(ctx, d, "PracticePost could not read the testimonials.", d.scanTestimonial, "SELECT "+testimonialCols+" FROM testimonials ORDER BY created_at DESC, id DESC")
}

// Testimonial reads one testimonial.
func (d *DB) Testimonial(ctx context.Context, id int64) (app.Testimonial, error) {
	return readOne(ctx, d, "That testimonial is not in PracticePost.",
		"PracticePost could not read the testimonial.", d.scanTestimonial, "SELECT "+testimonialCols+" FROM testimonials WHERE id = ?", id)
}

func (d *DB) scanTestimonial(s scanner) (app.Testimonial, error) {
	var t app.Testimonial
	var said, nameAs, media, created, labels string
	if err := s.Scan(&t.ID, &t.PatientID, &t.ConsentID, d.text("testimonials", "quote", &t.ID, &t.Quote), d.text("testimonials", "source", &t.ID, &t.Source),
		&said, &nameAs, &t.ShowsFace, &media, &created, d.text("testimonials", "media_labels", &t.ID, &labels)); err != nil {
		return t, err
	}
	t.NameAs = app.IdentityElement(nameAs)
	if err := t.SaidOn.UnmarshalText([]byte(said)); err != nil {
		return t, err
	}
	var ls []string
	if err := json.Unmarshal([]byte(media), &t.Media); err != nil {
		return t, err
	}
	if err := json.Unmarshal([]byte(labels), &ls); err != nil {
		return t, err
	}
	if err := withAlts(len(t.Media), ls, func(i int, l string) { t.Media[i].Label = l }); err != nil {
		return t, fmt.Errorf("testimonial %d labels: %w", t.ID, err)
	}
	var err error
	t.CreatedAt, err = parseTime(created)
	return t, err
}

// LinkTestimonialConsent binds a waiting testimonial to an already stored
// consent, in one transaction with its activity log entry.
func (d *DB) LinkTestimonialConsent(ctx context.Context, consentID int64, l app.TestimonialLink) (app.Testimonial, error) {
	var t app.Testimonial
	err := d.Tx(ctx, func(tx *Tx) error {
		var rec string
		err := tx.QueryRowContext(ctx, "SELECT record FROM consents WHERE id = ?", consentID).Scan(tx.db.text("consents", "record", &consentID, &rec))
		if errors.Is(err, sql.ErrNoRows) {
			return app.Errorf(app.ENOTFOUND, "That consent is not in PracticePost.")
		} else if err != nil {
			return app.Internal(err, "PracticePost could not read the consent.")
		}
		var c app.Consent
		if err := json.Unmarshal([]byte(rec), &c); err != nil {
			return app.Internal(err, "PracticePost could not read the consent.")
		}
		c.ID = consentID
		t, err = tx.linkTestimonial(ctx, c, l)
		return err
	})
	return t, err
}

// linkTestimonial sets the testimonial's consent. Signed consents are never
// changed, so the link lives on the testimonial's side. Linking the same
// pair again changes nothing; a testimonial bound to another consent is a
// conflict.
func (tx *Tx) linkTestimonial(ctx context.Context, c app.Consent, l app.TestimonialLink) (app.Testimonial, error) {
	t, err := tx.db.scanTestimonial(tx.QueryRowContext(ctx, "SELECT "+testimonialCols+" FROM testimonials WHERE id = ?", l.TestimonialID))
	if errors.Is(err, sql.ErrNoRows) {
		return t, app.Errorf(app.ENOTFOUND, "The testimonial this consent is for is no longer in PracticePost.")
	} else if err != nil {
		return t, app.Internal(err, "PracticePost could not read the testimonial.")
	}
	switch {
	case t.PatientID != c.PatientID:
		return t, app.Errorf(app.EINVALID, "That testimonial is another patient's. A consent can only cover the signer's own testimonial.")
	case t.ConsentID == c.ID:
		return t, nil
	case t.ConsentID != 0:
		return t, app.Errorf(app.ECONFLICT, "This testimonial is already covered by consent #%d. It needs no second consent; if the patient changed their mind, withdraw that one first.", t.ConsentID)
	}
	sameQuote, sameMedia := app.SameWords(t.Quote, t.Media, c.Quote, c.Media)
	if !l.UseConsentWords {
		if !sameQuote {
			return t, app.FieldError("quote", "The consent covers different words from the testimonial's, so the testimonial could never be published under it. Keep the testimonial's exact words, or choose to use the edited words.")
		}
		if !sameMedia {
			return t, app.FieldError("media", "The consent covers different photos from the testimonial's. Attach exactly the testimonial's photos, or choose to use the edited words and photos.")
		}
	}
	replaced := l.UseConsentWords && (!sameQuote || !sameMedia)
	if replaced {
		t.Quote, t.Media = app.NormalQuote(c.Quote), slices.Clone(c.Media)
	}
	if t.Media == nil {
		t.Media = []app.ConsentMedia{}
	}
	t.ConsentID, t.NameAs, t.ShowsFace = c.ID, app.NameWithin(t.NameAs, c.Scope), t.ShowsFace || l.ShowsFace
	media, labels := splitLabels(t.Media)
	res, err := tx.ExecContext(ctx, `UPDATE testimonials SET consent_id = ?, quote = ?, media = ?, media_labels = ?, name_as = ?, shows_face = ?
		WHERE id = ? AND consent_id IS NULL`, c.ID, tx.sealText("testimonials", "quote", rowID(t.ID), t.Quote), media,
		tx.sealText("testimonials", "media_labels", rowID(t.ID), labels), string(t.NameAs), t.ShowsFace, t.ID)
	if err != nil {
		return t, app.Internal(err, "PracticePost could not link the testimonial to its consent.")
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return t, app.Errorf(app.ECONFLICT, "The testimonial changed while the consent was being saved. Open Testimonials and check it.")
	}
	detail := map[string]string{"consent": strconv.FormatInt(c.ID, 10), "patient": strconv.FormatInt(t.PatientID, 10), "words": "kept"}
	if replaced {
		detail["words"] = "replaced by the consent's"
	}
	return t, tx.Audit(ctx, "practice manager", "testimonial.consent.link", "testimonial:"+strconv.FormatInt(t.ID, 10), detail)
}

// splitLabels is a testimonial's files as the media JSON keeps them (what
// each file is, which the store reads in SQL) and their labels apart, in
// order, for sealing: a label is the name a file came with, which may be
// the patient's ("jane_smith_before.jpg").
func splitLabels(ms []app.ConsentMedia) (media, labels string) {
	plain := make([]app.ConsentMedia, len(ms))
	ls := make([]string, len(ms))
	for i, m := range ms {
		plain[i], ls[i] = m, m.Label
		plain[i].Label = ""
	}
	b, _ := json.Marshal(plain)
	l, _ := json.Marshal(ls)
	return string(b), string(l)
}
