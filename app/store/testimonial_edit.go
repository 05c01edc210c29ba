package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"practicepost/app"
)

// UpdateTestimonial saves an edited testimonial (already validated): its
// words, where and when they were said, how posts name the patient, the
// face and the photos. The patient and the consent stay as they were; a
// consent covers the words it was signed for, so changed words are blocked
// by the consent check until the patient approves them.
func (d *DB) UpdateTestimonial(ctx context.Context, t app.Testimonial) (app.Testimonial, error) {
	var out app.Testimonial
	err := d.Tx(ctx, func(tx *Tx) error {
		old, err := tx.db.scanTestimonial(tx.QueryRowContext(ctx, "SELECT "+testimonialCols+" FROM testimonials WHERE id = ?", t.ID))
		if errors.Is(err, sql.ErrNoRows) {
			return app.Errorf(app.ENOTFOUND, "That testimonial is no longer in PracticePost. It may have been deleted.")
		} else if err != nil {
			return app.Internal(err, "PracticePost could not read the testimonial.")
		}
		if t.Media == nil {
			t.Media = []app.ConsentMedia{}
		}
		media, labels := splitLabels(t.Media)
		row := rowID(t.ID)
		if _, err := tx.ExecContext(ctx, `UPDATE testimonials SET quote = ?, source = ?, said_on = ?, name_as = ?, shows_face = ?, media = ?, media_labels = ? WHERE id = ?`,
			tx.sealText("testimonials", "quote", row, t.Quote), tx.sealText("testimonials", "source", row, t.Source), t.SaidOn.String(), string(t.NameAs), t.ShowsFace,
			media, tx.sealText("testimonials", "media_labels", row, labels), t.ID); err != nil {
			return app.Internal(err, "PracticePost could not save the testimonial.")
		}
		// The log says what changed, never the words themselves.
		var changed []string
		if old.Quote != t.Quote {
			changed = append(changed, "words")
		}
		if old.Source != t.Source || old.SaidOn != t.SaidOn {
			changed = append(changed, "source")
		}
		if old.NameAs != t.NameAs || old.ShowsFace != t.ShowsFace {
			changed = append(changed, "identity")
		}
		if om, ol := splitLabels(old.Media); om != media || ol != labels {
			changed = append(changed, "media")
		}
		out = old
		out.Quote, out.Source, out.SaidOn, out.NameAs, out.ShowsFace, out.Media = t.Quote, t.Source, t.SaidOn, t.NameAs, t.ShowsFace, t.Media
		return tx.Audit(ctx, "practice manager", "testimonial.edit", "testimonial:"+rowID(t.ID), map[string]string{"changed": strings.Join(changed, ",")})
	})
	return out, err
}

// DeleteTestimonial removes a testimonial nothing relies on. One that a
// post quotes (waiting, sent or draft), a Studio image shows, or an emailed
// reply was filed as is refused with what uses it: deleting it would cut
// the link the pre-publish check and the evidence rely on.
func (d *DB) DeleteTestimonial(ctx context.Context, id int64) error {
	return d.Tx(ctx, func(tx *Tx) error {
		var patient int64
		err := tx.QueryRowContext(ctx, "SELECT patient_id FROM testimonials WHERE id = ?", id).Scan(&patient)
		if errors.Is(err, sql.ErrNoRows) {
			return app.Errorf(app.ENOTFOUND, "That testimonial is no longer in PracticePost. It may have been deleted already.")
		} else if err != nil {
			return app.Internal(err, "PracticePost could not read the testimonial.")
		}
		uses, err := tx.testimonialUses(ctx, id)
		if err != nil {
			return app.Internal(err, "PracticePost could not check what uses the testimonial.")
		}
		if len(uses) > 0 {
			return app.Errorf(app.ECONFLICT, "This testimonial cannot be deleted: %s. %s", strings.Join(uses, "; "),
				"Remove it from those first (a post that went out keeps it as the record of what was published).")
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM testimonials WHERE id = ?", id); err != nil {
			return app.Internal(err, "PracticePost could not delete the testimonial.")
		}
		return tx.Audit(ctx, "practice manager", "testimonial.delete", "testimonial:"+rowID(id), map[string]string{"patient": strconv.FormatInt(patient, 10)})
	})
}

// testimonialUses says, in words, what relies on testimonial id.
func (tx *Tx) testimonialUses(ctx context.Context, id int64) ([]string, error) {
	var uses []string
	rows, err := tx.QueryContext(ctx, `SELECT d.id, d.title, d.status FROM drafts d, json_each(d.testimonials) j WHERE j.value = ? ORDER BY d.id`, id)
	if err != nil {
		return nil, err
	}
	posts, err := scanAll(rows, func(s scanner) (string, error) {
		var draft int64
		var title, status string
		if err := s.Scan(&draft, tx.db.text("drafts", "title", &draft, &title), &status); err != nil {
			return "", err
		}
		if title == "" {
			title = "Untitled"
		}
		return fmt.Sprintf("“%s” (%s)", title, status), nil
	})
	if err != nil {
		return nil, err
	}
	if len(posts) > 0 {
		uses = append(uses, "the post "+strings.Join(posts, ", ")+" quotes it")
	}
	count := func(q string) (int, error) {
		var n int
		err := tx.QueryRowContext(ctx, q, id).Scan(&n)
		return n, err
	}
	sent, err := count(`SELECT COUNT(*) FROM publish_requests p, json_each(p.testimonials) j WHERE j.value = ?`)
	if err != nil {
		return nil, err
	}
	if sent > 0 && len(posts) == 0 {
		uses = append(uses, strconv.Itoa(sent)+" "+app.Plural(sent, "post sent to the channels quotes it", "posts sent to the channels quote it"))
	}
	images, err := count(`SELECT COUNT(*) FROM media WHERE testimonial_id = ?`)
	if err != nil {
		return nil, err
	}
	if images > 0 {
		uses = append(uses, strconv.Itoa(images)+" "+app.Plural(images, "Studio image shows it", "Studio images show it"))
	}
	replies, err := count(`SELECT COUNT(*) FROM mail_replies WHERE testimonial_id = ?`)
	if err != nil {
		return nil, err
	}
	if replies > 0 {
		uses = append(uses, strconv.Itoa(replies)+" "+app.Plural(replies, "emailed reply was filed with it", "emailed replies were filed with it"))
	}
	return uses, nil
}
