package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"practicepost/app"
)

const draftCols = `id, title, body, versions, channels, hashtags, link, utm, campaign, pillar, media, testimonials, paid,
	status, scheduled_at, local_time, zone, awareness_id, created_at, updated_at, alt_texts`

// CreateDraft stores a new draft and returns it with its id. Only the id
// goes into the activity log: draft text may name patients.
func (d *DB) CreateDraft(ctx context.Context, dr app.Draft) (app.Draft, error) {
	err := d.Tx(ctx, func(tx *Tx) error {
		dr.Status, dr.ScheduledAt = app.DraftEditing, nil
		dr.CreatedAt, dr.UpdatedAt = tx.now, tx.now
		// The id is chosen first: the sealed words are bound to it. Drafts
		// are only ever marked deleted, so an id is never used twice.
		if err := tx.nextID(ctx, "drafts", &dr.ID); err != nil {
			return app.Internal(err, "PracticePost could not save the draft.")
		}
		cols, err := tx.draftContent(dr)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO drafts (title, body, versions, channels, hashtags, link, utm, campaign, pillar, media, testimonials, paid,
			alt_texts, status, local_time, zone, awareness_id, created_at, updated_at, id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'draft', ?, ?, ?, ?, ?, ?)`,
			append(cols, dr.LocalTime, dr.Zone, dr.AwarenessID, formatTime(tx.now), formatTime(tx.now), dr.ID)...)
		if err != nil {
			return app.Internal(err, "PracticePost could not save the draft.")
		}
		return tx.Audit(ctx, "practice manager", "draft.create", draftSubject(dr.ID), nil)
	})
	return dr, err
}

func draftSubject(id int64) string { return "draft:" + strconv.FormatInt(id, 10) }

// draftContent is the editable columns in INSERT/UPDATE order, title to
// paid, then alt_texts; the words the manager types (title, text,
// per-channel texts, hashtags, link, campaign name, the images' alt texts)
// sealed for draft dr.ID. The images' JSON keeps no alt text: the
// store reads it in SQL, so it holds only what says which image.
func (tx *Tx) draftContent(dr app.Draft) ([]any, error) {
	alts := make([]string, len(dr.Media))
	media := make([]app.DraftMedia, len(dr.Media))
	for i, m := range dr.Media {
		alts[i], media[i] = m.AltText, m
		media[i].AltText = ""
	}
	dr.Media = media
	enc := func(v any, empty string) (string, error) {
		b, err := json.Marshal(v)
		if err != nil {
			return "", app.Internal(err, "PracticePost could not save the draft.")
		}
		if string(b) == "null" {
			return empty, nil
		}
		return string(b), nil
	}
	var out []string
	for _, v := range []struct {
		v     any
		empty string
	}{{dr.Versions, "{}"}, {dr.Channels, "[]"}, {dr.Hashtags, "[]"}, {dr.Media, "[]"}, {dr.Testimonials, "[]"}, {alts, "[]"}} {
		s, err := enc(v.v, v.empty)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	row := rowID(dr.ID)
	return []any{tx.sealText("drafts", "title", row, dr.Title), tx.sealText("drafts", "body", row, dr.Body), tx.sealText("drafts", "versions", row, out[0]),
		out[1], tx.sealText("drafts", "hashtags", row, out[2]), tx.sealText("drafts", "link", row, dr.Link), dr.UTM, tx.sealText("drafts", "campaign", row, dr.Campaign),
		string(dr.Pillar), out[3], out[4], dr.Paid, tx.sealText("drafts", "alt_texts", row, out[5])}, nil
}

// SaveDraft writes a draft's content (text, channels, link, images,
// pillar). It is called on every pause in typing, so it is not logged, and
// it leaves the schedule alone: SetDraftSchedule changes that.
func (d *DB) SaveDraft(ctx context.Context, dr app.Draft) (app.Draft, error) {
	var saved app.Draft
	err := d.Tx(ctx, func(tx *Tx) error {
		cols, err := tx.draftContent(dr)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE drafts SET title = ?, body = ?, versions = ?, channels = ?, hashtags = ?, link = ?, utm = ?,
			campaign = ?, pillar = ?, media = ?, testimonials = ?, paid = ?, alt_texts = ?, updated_at = ? WHERE id = ? AND deleted_at IS NULL`,
			append(cols, formatTime(tx.now), dr.ID)...)
		if err != nil {
			return app.Internal(err, "PracticePost could not save the draft.")
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errDraftGone
		}
		saved, err = readDraft(ctx, d, tx, dr.ID)
		return err
	})
	return saved, err
}

var errDraftGone = app.Errorf(app.ENOTFOUND, "That draft is no longer in PracticePost (it may have been deleted).")

// SetDraftSchedule plans, schedules, moves or unschedules a draft and logs
// it under action ("draft.schedule", "draft.move", "draft.unschedule", ...).
func (d *DB) SetDraftSchedule(ctx context.Context, id int64, s app.Schedule, action string) (app.Draft, error) {
	var saved app.Draft
	err := d.Tx(ctx, func(tx *Tx) error {
		var at any
		if s.ScheduledAt != nil {
			at = formatTime(*s.ScheduledAt)
		}
		res, err := tx.ExecContext(ctx, `UPDATE drafts SET status = ?, scheduled_at = ?, local_time = ?, zone = ?, updated_at = ?
			WHERE id = ? AND deleted_at IS NULL`, string(s.Status), at, s.LocalTime, s.Zone, formatTime(tx.now), id)
		if err != nil {
			if constraint(err) == constraintCheck {
				return app.Errorf(app.EINVALID, "A scheduled post needs a day, a time and a time zone.")
			}
			return app.Internal(err, "PracticePost could not save the schedule.")
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errDraftGone
		}
		detail := map[string]string{"status": string(s.Status), "local": s.LocalTime, "zone": s.Zone}
		if err := tx.Audit(ctx, "practice manager", action, draftSubject(id), detail); err != nil {
			return err
		}
		saved, err = readDraft(ctx, d, tx, id)
		return err
	})
	return saved, err
}

// Draft reads one draft.
func (d *DB) Draft(ctx context.Context, id int64) (app.Draft, error) {
	dr, err := readWith(d, func(db querier) (app.Draft, error) { return readDraft(ctx, d, db, id) })
	return dr, err
}

func readDraft(ctx context.Context, d *DB, q querier, id int64) (app.Draft, error) {
	dr, err := d.scanDraft(q.QueryRowContext(ctx, "SELECT "+draftCols+" FROM drafts WHERE id = ? AND deleted_at IS NULL", id))
	if errors.Is(err, sql.ErrNoRows) {
		return dr, errDraftGone
	} else if err != nil {
		return dr, app.Internal(err, "PracticePost could not read the draft.")
	}
	return dr, nil
}

func (d *DB) scanDraft(s scanner) (app.Draft, error) {
	var dr app.Draft
	var versions, channels, tags, media, testimonials, pillar, status, created, updated, altTexts string
	var at sql.NullString
	if err := s.Scan(&dr.ID, d.text("drafts", "title", &dr.ID, &dr.Title), d.text("drafts", "body", &dr.ID, &dr.Body), d.text("drafts", "versions", &dr.ID, &versions), &channels, d.text("drafts", "hashtags", &dr.ID, &tags),
		d.text("drafts", "link", &dr.ID, &dr.Link), &dr.UTM, d.text("drafts", "campaign", &dr.ID, &dr.Campaign), &pillar, &media, &testimonials, &dr.Paid,
		&status, &at, &dr.LocalTime, &dr.Zone, &dr.AwarenessID, &created, &updated, d.text("drafts", "alt_texts", &dr.ID, &altTexts)); err != nil {
		return dr, err
	}
	dr.Pillar, dr.Status = app.Pillar(pillar), app.DraftStatus(status)
	var alts []string
	for _, f := range []struct {
		src string
		dst any
	}{{versions, &dr.Versions}, {channels, &dr.Channels}, {tags, &dr.Hashtags}, {media, &dr.Media}, {testimonials, &dr.Testimonials}, {altTexts, &alts}} {
		if err := json.Unmarshal([]byte(f.src), f.dst); err != nil {
			return dr, err
		}
	}
	if err := withAlts(len(dr.Media), alts, func(i int, alt string) { dr.Media[i].AltText = alt }); err != nil {
		return dr, fmt.Errorf("draft %d: %w", dr.ID, err)
	}
	if dr.Versions == nil {
		dr.Versions = map[string]string{}
	}
	for _, p := range []*[]string{&dr.Channels, &dr.Hashtags} {
		if *p == nil {
			*p = []string{}
		}
	}
	if dr.Media == nil {
		dr.Media = []app.DraftMedia{}
	}
	if dr.Testimonials == nil {
		dr.Testimonials = []int64{}
	}
	var err error
	if at.Valid {
		t, err := parseTime(at.String)
		if err != nil {
			return dr, err
		}
		dr.ScheduledAt = &t
	}
	if dr.CreatedAt, err = parseTime(created); err != nil {
		return dr, err
	}
	dr.UpdatedAt, err = parseTime(updated)
	return dr, err
}

// ListDrafts returns drafts on the calendar between From and To in
// wall-clock order, or the unplanned ones newest first.
func (d *DB) ListDrafts(ctx context.Context, f app.DraftFilter) ([]app.Draft, error) {
	if f.Limit <= 0 {
		f.Limit = 500
	}
	q := "SELECT " + draftCols + " FROM drafts WHERE deleted_at IS NULL"
	var args []any
	if f.Unplanned {
		q += " AND local_time = '' ORDER BY updated_at DESC, id DESC"
	} else {
		q += " AND local_time != ''"
		if f.From != "" {
			q += " AND local_time >= ?"
			args = append(args, f.From)
		}
		if f.To != "" {
			q += " AND local_time < ?"
			args = append(args, f.To)
		}
		q += " ORDER BY local_time, id"
	}
	q += " LIMIT ?"
	args = append(args, f.Limit)
	return readAll(ctx, d, "PracticePost could not read the drafts.", d.scanDraft, q, args...)
}

// DeleteDraft removes a draft from every list. The row is kept (marked
// deleted) so the activity log's reference still resolves.
func (d *DB) DeleteDraft(ctx context.Context, id int64) error {
	return d.Tx(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, "UPDATE drafts SET deleted_at = ?, status = 'draft', scheduled_at = NULL WHERE id = ? AND deleted_at IS NULL", formatTime(tx.now), id)
		if err != nil {
			return app.Internal(err, "PracticePost could not delete the draft.")
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errDraftGone
		}
		return tx.Audit(ctx, "practice manager", "draft.delete", draftSubject(id), nil)
	})
}

const keyIdeasSeeded = "ideas.seeded"

// EnsureIdeas copies the bundled ideas into the library the first time it
// is opened. After that the practice's edits and deletions stand.
func (d *DB) EnsureIdeas(ctx context.Context, seeds []app.Idea) error {
	if v, err := d.State(ctx, keyIdeasSeeded); err != nil || v != "" {
		return err
	}
	return d.Tx(ctx, func(tx *Tx) error {
		var done string
		if err := tx.QueryRowContext(ctx, "SELECT value FROM app_state WHERE key = ?", keyIdeasSeeded).Scan(&done); err == nil {
			return nil // another call seeded it first
		}
		for i, s := range seeds {
			tags, _ := json.Marshal(nonNil(s.Hashtags))
			if _, err := tx.ExecContext(ctx, `INSERT INTO ideas (source_id, specialty, pillar, title, text, hashtags, position, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, s.SourceID, s.Specialty, string(s.Pillar), s.Title, s.Text, string(tags), i, formatTime(tx.now)); err != nil {
				return app.Internal(err, "PracticePost could not set up the ideas library.")
			}
		}
		return tx.SetState(ctx, keyIdeasSeeded, formatTime(tx.now))
	})
}

// Ideas lists the library in its order.
func (d *DB) Ideas(ctx context.Context) ([]app.Idea, error) {
	return readAll(ctx, d, "PracticePost could not read the ideas library.", scanIdea,
		"SELECT id, source_id, specialty, pillar, title, text, hashtags FROM ideas ORDER BY position, id")
}

func scanIdea(s scanner) (app.Idea, error) {
	var i app.Idea
	var pillar, tags string
	if err := s.Scan(&i.ID, &i.SourceID, &i.Specialty, &pillar, &i.Title, &i.Text, &tags); err != nil {
		return i, err
	}
	i.Pillar = app.Pillar(pillar)
	err := json.Unmarshal([]byte(tags), &i.Hashtags)
	return i, err
}

// SaveIdea adds an idea (ID 0) or replaces one.
func (d *DB) SaveIdea(ctx context.Context, i app.Idea) (app.Idea, error) {
	err := d.Tx(ctx, func(tx *Tx) error {
		tags, _ := json.Marshal(nonNil(i.Hashtags))
		if i.ID == 0 {
			res, err := tx.ExecContext(ctx, `INSERT INTO ideas (source_id, specialty, pillar, title, text, hashtags, position, updated_at)
				VALUES ('', ?, ?, ?, ?, ?, (SELECT COALESCE(MAX(position), 0) + 1 FROM ideas), ?)`,
				i.Specialty, string(i.Pillar), i.Title, i.Text, string(tags), formatTime(tx.now))
			if err != nil {
				return app.Internal(err, "PracticePost could not save the idea.")
			}
			i.ID, err = res.LastInsertId()
			return err
		}
		res, err := tx.ExecContext(ctx, "UPDATE ideas SET specialty = ?, pillar = ?, title = ?, text = ?, hashtags = ?, updated_at = ? WHERE id = ?",
			i.Specialty, string(i.Pillar), i.Title, i.Text, string(tags), formatTime(tx.now), i.ID)
		if err != nil {
			return app.Internal(err, "PracticePost could not save the idea.")
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return app.Errorf(app.ENOTFOUND, "That idea is no longer in the library.")
		}
		return nil
	})
	return i, err
}

// DeleteIdea removes an idea from the library.
func (d *DB) DeleteIdea(ctx context.Context, id int64) error {
	return d.Tx(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, "DELETE FROM ideas WHERE id = ?", id)
		if err != nil {
			return app.Internal(err, "PracticePost could not delete the idea.")
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return app.Errorf(app.ENOTFOUND, "That idea is no longer in the library.")
		}
		return nil
	})
}
