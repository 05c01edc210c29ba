package store

import (
	"context"
	"database/sql"

	"practicepost/app"
)

// Publishing attempts (each call made to a platform, with its answer) and
// the images an attempt placed on a media host.

// StartPublishAttempt records a call about to be made and returns its id.
func (tx *Tx) StartPublishAttempt(ctx context.Context, a *app.PublishAttempt) error {
	a.StartedAt = tx.now
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM publish_attempts WHERE job_id = ?", a.JobID).Scan(&n); err != nil {
		return app.Internal(err, "PracticePost could not save the publishing state.")
	}
	a.N = n + 1
	res, err := tx.ExecContext(ctx, `INSERT INTO publish_attempts (job_id, n, action, idem_key, created_at_sent, started_at)
		VALUES (?, ?, ?, ?, ?, ?)`, a.JobID, a.N, a.Action, a.IdemKey, nullTime(a.CreatedAtSent), formatTime(tx.now))
	if err != nil {
		return app.Internal(err, "PracticePost could not save the publishing state.")
	}
	a.ID, err = res.LastInsertId()
	return err
}

// EndPublishAttempt records how a call ended. The platform's answer is
// sealed: some echo the post's text.
func (tx *Tx) EndPublishAttempt(ctx context.Context, a app.PublishAttempt) error {
	var raw any
	if a.Raw != nil {
		raw = tx.seal("publish_attempts", "raw", rowID(a.ID), a.Raw)
	}
	_, err := tx.ExecContext(ctx, `UPDATE publish_attempts SET ended_at = ?, outcome = ?, error_kind = ?, status = ?, error_code = ?, raw = ?
		WHERE id = ?`, formatTime(tx.now), a.Outcome, a.ErrorKind, a.Status, a.ErrorCode, raw, a.ID)
	if err != nil {
		return app.Internal(err, "PracticePost could not save the publishing state.")
	}
	return nil
}

// AddHostedMedia records an image attempt placed on a host (see
// app.HostedMedia); recording the same key twice keeps one row.
func (tx *Tx) AddHostedMedia(ctx context.Context, jobID, attemptID int64, key string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO publish_hosted (job_id, attempt_id, key, placed_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (job_id, key) DO NOTHING`, jobID, attemptID, key, formatTime(tx.now))
	if err != nil {
		return app.Internal(err, "PracticePost could not save the publishing state.")
	}
	return nil
}

// HostedRemoved forgets a hosted image the host removed, or counts one more
// failed removal.
func (tx *Tx) HostedRemoved(ctx context.Context, id int64, removed bool) error {
	q := "UPDATE publish_hosted SET tries = tries + 1 WHERE id = ?"
	if removed {
		q = "DELETE FROM publish_hosted WHERE id = ?"
	}
	if _, err := tx.ExecContext(ctx, q, id); err != nil {
		return app.Internal(err, "PracticePost could not save the publishing state.")
	}
	return nil
}

// HostedMedia lists hosted images not yet removed, of one job or (jobID 0)
// of all, oldest first.
func (d *DB) HostedMedia(ctx context.Context, jobID int64) ([]app.HostedMedia, error) {
	return readAll(ctx, d, "PracticePost could not read the publishing state.", scanHosted,
		`SELECT h.id, h.job_id, h.attempt_id, j.channel, h.key, h.placed_at, h.tries
		FROM publish_hosted h JOIN publish_jobs j ON j.id = h.job_id
		WHERE ? = 0 OR h.job_id = ? ORDER BY h.id`, jobID, jobID)
}

func scanHosted(s scanner) (app.HostedMedia, error) {
	var h app.HostedMedia
	var placed string
	if err := s.Scan(&h.ID, &h.JobID, &h.AttemptID, &h.Channel, &h.Key, &placed, &h.Tries); err != nil {
		return h, err
	}
	var err error
	h.PlacedAt, err = parseTime(placed)
	return h, err
}

// PublishAttempts lists a job's recorded calls, oldest first, with the
// platform's raw responses (for support; never log them).
func (d *DB) PublishAttempts(ctx context.Context, jobID int64) ([]app.PublishAttempt, error) {
	return readAll(ctx, d, "PracticePost could not read the publishing history.", d.scanAttempt,
		`SELECT id, job_id, n, action, idem_key, created_at_sent, started_at, ended_at, outcome,
		error_kind, status, error_code, raw FROM publish_attempts WHERE job_id = ? ORDER BY id`, jobID)
}

func (d *DB) scanAttempt(s scanner) (app.PublishAttempt, error) {
	var a app.PublishAttempt
	var sent, ended, raw sql.NullString
	var started string
	err := s.Scan(&a.ID, &a.JobID, &a.N, &a.Action, &a.IdemKey, &sent, &started, &ended, &a.Outcome,
		&a.ErrorKind, &a.Status, &a.ErrorCode, d.nullText("publish_attempts", "raw", &a.ID, &raw))
	if err != nil {
		return a, err
	}
	if raw.Valid {
		a.Raw = []byte(raw.String)
	}
	if a.CreatedAtSent, err = scanNullTime(sent); err != nil {
		return a, err
	}
	if a.StartedAt, err = parseTime(started); err != nil {
		return a, err
	}
	a.EndedAt, err = scanNullTime(ended)
	return a, err
}
