package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"practicepost/app"
)

func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return formatTime(t)
}

func scanNullTime(s sql.NullString) (time.Time, error) {
	if !s.Valid || s.String == "" {
		return time.Time{}, nil
	}
	return parseTime(s.String)
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// CreatePublishRequest stores r and its jobs (one per channel) in tx and
// fills in their ids. Jobs take text, link and times from r unless they
// set their own text, and the images of r meant for their platform
// (app.MediaFor): a design's sizes are tagged with the platforms that take them.
func (tx *Tx) CreatePublishRequest(ctx context.Context, r *app.PublishRequest, jobs []app.PublishJob, actor string) error {
	// The images' JSON is read in SQL (does a request still need a blob?),
	// so their alt texts, which may name a patient, are sealed apart.
	ms := nonNilMedia(r.Media)
	alts := make([]string, len(ms))
	plain := make([]app.PublishMedia, len(ms))
	for i, m := range ms {
		alts[i], plain[i] = m.Alt, m
		plain[i].Alt = ""
	}
	media, err := json.Marshal(plain)
	if err != nil {
		return err
	}
	altsJSON, err := json.Marshal(alts)
	if err != nil {
		return err
	}
	if r.Testimonials == nil {
		r.Testimonials = []int64{}
	}
	tids, err := json.Marshal(r.Testimonials)
	if err != nil {
		return err
	}
	r.CreatedAt = tx.now
	// Ids are chosen first: the sealed text is bound to them. Requests and
	// jobs are never deleted, so an id is never used twice.
	if err := tx.nextID(ctx, "publish_requests", &r.ID); err != nil {
		return app.Internal(err, "PracticePost could not save the post for publishing.")
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO publish_requests (id, draft_id, text, link, media, alts, scheduled_at, zone, testimonials, paid, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, r.ID, r.DraftID, tx.sealText("publish_requests", "text", rowID(r.ID), r.Text), tx.sealText("publish_requests", "link", rowID(r.ID), r.Link), string(media),
		tx.sealText("publish_requests", "alts", rowID(r.ID), string(altsJSON)), nullTime(r.ScheduledAt), r.Zone, string(tids), boolInt(r.Paid), formatTime(tx.now))
	if err != nil {
		return app.Internal(err, "PracticePost could not save the post for publishing.")
	}
	for _, c := range r.ConsentIDs {
		if _, err := tx.ExecContext(ctx, "INSERT OR IGNORE INTO publish_consents (request_id, consent_id) VALUES (?, ?)", r.ID, c); err != nil {
			return app.Internal(err, "PracticePost could not save the post for publishing.")
		}
	}
	for i := range jobs {
		j := &jobs[i]
		j.RequestID, j.DraftID, j.Media, j.ConsentIDs, j.Zone = r.ID, r.DraftID, app.MediaFor(r.Media, j.Platform), r.ConsentIDs, r.Zone
		j.Testimonials, j.Paid = r.Testimonials, r.Paid
		j.CreatedAt, j.UpdatedAt = tx.now, tx.now
		if err := tx.nextID(ctx, "publish_jobs", &j.ID); err != nil {
			return app.Internal(err, "PracticePost could not save the post for publishing.")
		}
		row := rowID(j.ID)
		_, err := tx.ExecContext(ctx, `INSERT INTO publish_jobs (id, request_id, channel, platform, state, text, link, scheduled_at, zone,
			next_at, native, idem_key, error_message, platform_message, takedown_note, takedown_error, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			j.ID, r.ID, j.Channel, j.Platform, string(j.State), tx.sealText("publish_jobs", "text", row, j.Text), tx.sealText("publish_jobs", "link", row, j.Link),
			nullTime(j.ScheduledAt), j.Zone,
			nullTime(j.NextAt), boolInt(j.Native), j.IdemKey, tx.sealText("publish_jobs", "error_message", row, j.ErrorMessage),
			tx.sealText("publish_jobs", "platform_message", row, j.PlatformMessage), tx.sealText("publish_jobs", "takedown_note", row, j.TakedownNote),
			tx.sealText("publish_jobs", "takedown_error", row, j.TakedownError), formatTime(tx.now), formatTime(tx.now))
		if err != nil {
			if constraint(err) == constraintUnique {
				return app.Errorf(app.EINVALID, "The same channel is listed twice for this post. Pick each channel once.")
			}
			return app.Internal(err, "PracticePost could not save the post for publishing.")
		}
		if err := tx.Audit(ctx, actor, "publish.queue", jobSubject(j.ID), map[string]string{
			"request": strconv.FormatInt(r.ID, 10), "channel": j.Channel, "platform": j.Platform, "state": string(j.State),
		}); err != nil {
			return err
		}
	}
	return nil
}

func nonNilMedia(m []app.PublishMedia) []app.PublishMedia {
	if m == nil {
		return []app.PublishMedia{}
	}
	return m
}

func jobSubject(id int64) string { return "publish_job:" + strconv.FormatInt(id, 10) }

const jobColumns = `j.id, j.request_id, r.draft_id, j.channel, j.platform, j.state, j.text, j.link, r.media, r.testimonials, r.paid,
	j.scheduled_at, j.zone, j.next_at, j.native, j.attempts, j.retries, j.waits, j.idem_key, j.sent_created_at,
	j.attempt_started_at, j.reconcile, j.error_kind, j.error_code, j.error_message, j.platform_message,
	j.remote_id, j.remote_url, j.remote_scheduled_at, j.published_at, j.takedown, j.takedown_at, j.takedown_error,
	j.takedown_by, j.takedown_note, j.created_at, j.updated_at, r.alts`

func (d *DB) scanJob(sc scanner) (app.PublishJob, error) {
	var j app.PublishJob
	var state, media, tids, alts string
	var paid int
	var sched, next, sent, started, remoteSched, published, takedownAt sql.NullString
	var created, updated string
	var native, reconcile int
	err := sc.Scan(&j.ID, &j.RequestID, &j.DraftID, &j.Channel, &j.Platform, &state, d.text("publish_jobs", "text", &j.ID, &j.Text), d.text("publish_jobs", "link", &j.ID, &j.Link), &media, &tids, &paid,
		&sched, &j.Zone, &next, &native, &j.Attempts, &j.Retries, &j.Waits, &j.IdemKey, &sent,
		&started, &reconcile, &j.ErrorKind, &j.ErrorCode, d.text("publish_jobs", "error_message", &j.ID, &j.ErrorMessage),
		d.text("publish_jobs", "platform_message", &j.ID, &j.PlatformMessage),
		&j.RemoteID, &j.RemoteURL, &remoteSched, &published, &j.Takedown, &takedownAt, d.text("publish_jobs", "takedown_error", &j.ID, &j.TakedownError),
		&j.TakedownBy, d.text("publish_jobs", "takedown_note", &j.ID, &j.TakedownNote), &created, &updated, d.text("publish_requests", "alts", &j.RequestID, &alts))
	if err != nil {
		return j, err
	}
	j.Takedown = takedownState(j.Takedown, j.TakedownBy)
	j.State, j.Native, j.Reconcile = app.PublishState(state), native != 0, reconcile != 0
	var all []app.PublishMedia
	var altList []string
	if err := json.Unmarshal([]byte(media), &all); err != nil {
		return j, fmt.Errorf("job %d media: %w", j.ID, err)
	}
	if err := json.Unmarshal([]byte(alts), &altList); err != nil {
		return j, fmt.Errorf("job %d alt texts: %w", j.ID, err)
	}
	if err := withAlts(len(all), altList, func(i int, alt string) { all[i].Alt = alt }); err != nil {
		return j, fmt.Errorf("job %d: %w", j.ID, err)
	}
	j.Media = app.MediaFor(all, j.Platform)
	if err := json.Unmarshal([]byte(tids), &j.Testimonials); err != nil {
		return j, fmt.Errorf("job %d testimonials: %w", j.ID, err)
	}
	j.Paid = paid != 0
	for _, p := range []struct {
		dst *time.Time
		src sql.NullString
	}{{&j.ScheduledAt, sched}, {&j.NextAt, next}, {&j.SentCreatedAt, sent}, {&j.AttemptStartedAt, started},
		{&j.RemoteScheduledAt, remoteSched}, {&j.PublishedAt, published}, {&j.TakedownAt, takedownAt},
		{&j.CreatedAt, sql.NullString{String: created, Valid: true}}, {&j.UpdatedAt, sql.NullString{String: updated, Valid: true}}} {
		if *p.dst, err = scanNullTime(p.src); err != nil {
			return j, err
		}
	}
	return j, nil
}

func queryJobs(ctx context.Context, d *DB, q querier, f app.PublishJobFilter) ([]app.PublishJob, error) {
	var where []string
	var args []any
	if f.RequestID != 0 {
		where, args = append(where, "j.request_id = ?"), append(args, f.RequestID)
	}
	if f.DraftID != "" {
		where, args = append(where, "r.draft_id = ?"), append(args, f.DraftID)
	}
	if f.Channel != "" {
		where, args = append(where, "j.channel = ?"), append(args, f.Channel)
	}
	if f.ConsentID != "" {
		where, args = append(where, "j.request_id IN (SELECT request_id FROM publish_consents WHERE consent_id = ?)"), append(args, f.ConsentID)
	}
	if len(f.States) > 0 {
		where = append(where, "j.state IN (?"+strings.Repeat(", ?", len(f.States)-1)+")")
		for _, s := range f.States {
			args = append(args, string(s))
		}
	}
	if !f.DueBy.IsZero() {
		where, args = append(where, "j.next_at IS NOT NULL AND j.next_at <= ?"), append(args, formatTime(f.DueBy))
	}
	sqlText := "SELECT " + jobColumns + " FROM publish_jobs j JOIN publish_requests r ON r.id = j.request_id"
	if len(where) > 0 {
		sqlText += " WHERE " + strings.Join(where, " AND ")
	}
	if !f.DueBy.IsZero() {
		sqlText += " ORDER BY j.next_at, j.id"
	} else {
		sqlText += " ORDER BY j.id"
	}
	if f.Limit > 0 {
		sqlText += " LIMIT " + strconv.Itoa(f.Limit)
	}
	rows, err := q.QueryContext(ctx, sqlText, args...)
	if err != nil {
		return nil, err
	}
	out, err := scanAll(rows, d.scanJob)
	if err != nil {
		return nil, err
	}
	for i := range out {
		if out[i].ConsentIDs, err = requestConsents(ctx, q, out[i].RequestID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func requestConsents(ctx context.Context, q querier, requestID int64) ([]string, error) {
	rows, err := q.QueryContext(ctx, "SELECT consent_id FROM publish_consents WHERE request_id = ? ORDER BY consent_id", requestID)
	if err != nil {
		return nil, err
	}
	return scanAll(rows, func(s scanner) (c string, err error) {
		err = s.Scan(&c)
		return c, err
	})
}

// PublishJobs lists jobs matching f.
func (d *DB) PublishJobs(ctx context.Context, f app.PublishJobFilter) ([]app.PublishJob, error) {
	out, err := readWith(d, func(db querier) ([]app.PublishJob, error) { return queryJobs(ctx, d, db, f) })
	if err != nil {
		return nil, app.Internal(err, "PracticePost could not read the publishing queue.")
	}
	return out, nil
}

// PublishJobs lists jobs matching f inside tx.
func (tx *Tx) PublishJobs(ctx context.Context, f app.PublishJobFilter) ([]app.PublishJob, error) {
	out, err := queryJobs(ctx, tx.db, tx, f)
	if err != nil {
		return nil, app.Internal(err, "PracticePost could not read the publishing queue.")
	}
	return out, nil
}

var errNoJob = errors.New("no such publish job")

func oneJob(ctx context.Context, d *DB, q querier, id int64) (app.PublishJob, error) {
	row := q.QueryRowContext(ctx, "SELECT "+jobColumns+" FROM publish_jobs j JOIN publish_requests r ON r.id = j.request_id WHERE j.id = ?", id)
	j, err := d.scanJob(row)
	if errors.Is(err, sql.ErrNoRows) {
		return j, errNoJob
	}
	if err != nil {
		return j, err
	}
	j.ConsentIDs, err = requestConsents(ctx, q, j.RequestID)
	return j, err
}

func jobErr(err error) error {
	if errors.Is(err, errNoJob) {
		return app.Errorf(app.ENOTFOUND, "That post is no longer in the publishing queue.")
	}
	return app.Internal(err, "PracticePost could not read the publishing queue.")
}

// PublishJob reads one job.
func (d *DB) PublishJob(ctx context.Context, id int64) (app.PublishJob, error) {
	j, err := readWith(d, func(db querier) (app.PublishJob, error) { return oneJob(ctx, d, db, id) })
	if err != nil {
		return j, jobErr(err)
	}
	return j, nil
}

// PublishJob reads one job inside tx, so a change can be decided on the
// row as it is now (the transaction holds the write lock).
func (tx *Tx) PublishJob(ctx context.Context, id int64) (app.PublishJob, error) {
	j, err := oneJob(ctx, tx.db, tx, id)
	if err != nil {
		return j, jobErr(err)
	}
	return j, nil
}

// SavePublishJob writes j's mutable fields. A change of state or takedown
// gets an activity log entry (ids and kinds only, never text).
func (tx *Tx) SavePublishJob(ctx context.Context, j *app.PublishJob, actor string) error {
	var prevState, prevTakedown, prevBy string
	if err := tx.QueryRowContext(ctx, "SELECT state, takedown, takedown_by FROM publish_jobs WHERE id = ?", j.ID).Scan(&prevState, &prevTakedown, &prevBy); err != nil {
		return jobErr(ifNoRows(err))
	}
	prevTakedown = takedownState(prevTakedown, prevBy)
	storedTakedown, takedownBy := j.Takedown, j.TakedownBy
	switch j.Takedown {
	case app.TakedownRemovedManually:
		storedTakedown = app.TakedownDeleted
		if takedownBy == "" {
			return app.Errorf(app.EINVALID, "Say who removed the post by hand.")
		}
	default:
		// Only a manual removal names a person; anything else clears it.
		takedownBy = ""
	}
	j.UpdatedAt = tx.now
	raw, rawSet := any(nil), j.Raw != nil
	if rawSet {
		raw = tx.seal("publish_jobs", "raw", rowID(j.ID), j.Raw)
	}
	_, err := tx.ExecContext(ctx, `UPDATE publish_jobs SET state = ?, text = ?, link = ?, scheduled_at = ?, zone = ?, next_at = ?, native = ?,
		attempts = ?, retries = ?, waits = ?, sent_created_at = ?, attempt_started_at = ?, reconcile = ?,
		error_kind = ?, error_code = ?, error_message = ?, platform_message = ?,
		remote_id = ?, remote_url = ?, remote_scheduled_at = ?, published_at = ?,
		takedown = ?, takedown_at = ?, takedown_error = ?, takedown_by = ?, takedown_note = ?, updated_at = ?,
		raw = CASE WHEN ? THEN ? ELSE raw END
		WHERE id = ?`,
		string(j.State), tx.sealText("publish_jobs", "text", rowID(j.ID), j.Text), tx.sealText("publish_jobs", "link", rowID(j.ID), j.Link), nullTime(j.ScheduledAt), j.Zone, nullTime(j.NextAt), boolInt(j.Native),
		j.Attempts, j.Retries, j.Waits, nullTime(j.SentCreatedAt), nullTime(j.AttemptStartedAt), boolInt(j.Reconcile),
		j.ErrorKind, j.ErrorCode, tx.sealText("publish_jobs", "error_message", rowID(j.ID), j.ErrorMessage),
		tx.sealText("publish_jobs", "platform_message", rowID(j.ID), j.PlatformMessage),
		j.RemoteID, j.RemoteURL, nullTime(j.RemoteScheduledAt), nullTime(j.PublishedAt),
		storedTakedown, nullTime(j.TakedownAt), tx.sealText("publish_jobs", "takedown_error", rowID(j.ID), j.TakedownError), takedownBy, tx.sealText("publish_jobs", "takedown_note", rowID(j.ID), j.TakedownNote), formatTime(tx.now),
		boolInt(rawSet), raw, j.ID)
	if err != nil {
		return app.Internal(err, "PracticePost could not save the publishing state.")
	}
	detail := map[string]string{"channel": j.Channel, "platform": j.Platform, "state": string(j.State)}
	if j.ErrorKind != "" && (j.State == app.JobFailed || j.State == app.JobWaiting) {
		detail["kind"] = j.ErrorKind
	}
	if j.Attempts > 0 {
		detail["attempt"] = strconv.Itoa(j.Attempts)
	}
	if prevState != string(j.State) {
		detail["from"] = prevState
		if err := tx.Audit(ctx, actor, "publish."+string(j.State), jobSubject(j.ID), detail); err != nil {
			return err
		}
	}
	if prevTakedown != j.Takedown && j.Takedown != "" {
		if err := tx.Audit(ctx, actor, "publish.takedown_"+j.Takedown, jobSubject(j.ID), map[string]string{"channel": j.Channel, "platform": j.Platform}); err != nil {
			return err
		}
	}
	if j.State == app.JobPublished && prevState != string(app.JobPublished) {
		if err := tx.linkConsents(ctx, j); err != nil {
			return err
		}
	}
	if takedownDone(j.Takedown) && !takedownDone(prevTakedown) && j.RemoteID != "" {
		if _, err := tx.ExecContext(ctx, "UPDATE consent_publications SET removed_at = ? WHERE platform = ? AND remote_id = ? AND removed_at IS NULL",
			formatTime(tx.now), j.Platform, j.RemoteID); err != nil {
			return app.Internal(err, "PracticePost could not record the takedown.")
		}
	}
	return nil
}

// takedownState maps the stored takedown to the one the code sees: a
// deleted post with a person named was removed by hand.
func takedownState(stored, by string) string {
	if stored == app.TakedownDeleted && by != "" {
		return app.TakedownRemovedManually
	}
	return stored
}

// takedownDone reports whether a takedown state means the post is down.
func takedownDone(t string) bool { return t == app.TakedownDeleted || t == app.TakedownRemovedManually }

// linkConsents adds a published job to the consent's list of posts that
// relied on it (consent_publications), for each of its consent ids that is
// a signed consent in this file, so a withdrawal lists the post.
func (tx *Tx) linkConsents(ctx context.Context, j *app.PublishJob) error {
	for _, c := range j.ConsentIDs {
		id, err := strconv.ParseInt(c, 10, 64)
		if err != nil {
			continue
		}
		var known, linked int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM consents WHERE id = ?", id).Scan(&known); err != nil {
			return app.Internal(err, "PracticePost could not link the post to its consent.")
		}
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM consent_publications WHERE consent_id = ? AND platform = ? AND remote_id = ?",
			id, j.Platform, j.RemoteID).Scan(&linked); err != nil {
			return app.Internal(err, "PracticePost could not link the post to its consent.")
		}
		if known == 0 || linked > 0 {
			continue
		}
		if err := tx.LinkPublication(ctx, app.Publication{ConsentID: id, PostID: j.ID, Platform: j.Platform, RemoteID: j.RemoteID,
			URL: j.RemoteURL, PublishedAt: formatTime(j.PublishedAt)}); err != nil {
			return err
		}
	}
	return nil
}

func ifNoRows(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return errNoJob
	}
	return err
}

// PublishJobRaw is the last platform response saved with a job.
func (d *DB) PublishJobRaw(ctx context.Context, id int64) ([]byte, error) {
	var raw sql.NullString
	err := d.read(func(db querier) error {
		return db.QueryRowContext(ctx, "SELECT raw FROM publish_jobs WHERE id = ?", id).Scan(d.nullText("publish_jobs", "raw", &id, &raw))
	})
	if err != nil {
		return nil, jobErr(ifNoRows(err))
	}
	if !raw.Valid {
		return nil, nil
	}
	return []byte(raw.String), nil
}

// RevokePublishConsent marks consentID revoked on every request relying on
// it and returns how many requests that touched. Idempotent.
func (tx *Tx) RevokePublishConsent(ctx context.Context, consentID string) (int, error) {
	res, err := tx.ExecContext(ctx, "UPDATE publish_consents SET revoked_at = ? WHERE consent_id = ? AND revoked_at IS NULL", formatTime(tx.now), consentID)
	if err != nil {
		return 0, app.Internal(err, "PracticePost could not record the withdrawn consent.")
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// PublishJobRevoked reports whether any consent job's request relies on
// has been revoked.
func (tx *Tx) PublishJobRevoked(ctx context.Context, jobID int64) (bool, error) {
	var n int
	err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM publish_consents c JOIN publish_jobs j ON j.request_id = c.request_id
		WHERE j.id = ? AND c.revoked_at IS NOT NULL`, jobID).Scan(&n)
	if err != nil {
		return false, app.Internal(err, "PracticePost could not read the publishing queue.")
	}
	return n > 0, nil
}

// lastDeleteError is the error kind and code of a job's latest delete call
// ("" when it has none or it succeeded).
func lastDeleteError(ctx context.Context, q querier, jobID int64) (kind, code string, err error) {
	err = q.QueryRowContext(ctx, `SELECT error_kind, error_code FROM publish_attempts WHERE job_id = ? AND action = 'delete'
		ORDER BY id DESC LIMIT 1`, jobID).Scan(&kind, &code)
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", nil
	}
	if err != nil {
		return "", "", app.Internal(err, "PracticePost could not read the publishing history.")
	}
	return kind, code, nil
}

// LastDeleteError is the error kind and code of a job's latest delete call,
// so a platform's refusal can be told from an outage.
func (d *DB) LastDeleteError(ctx context.Context, jobID int64) (kind, code string, err error) {
	err = d.read(func(db querier) error {
		kind, code, err = lastDeleteError(ctx, db, jobID)
		return err
	})
	return kind, code, err
}

// LastDeleteError is DB.LastDeleteError inside tx.
func (tx *Tx) LastDeleteError(ctx context.Context, jobID int64) (kind, code string, err error) {
	return lastDeleteError(ctx, tx, jobID)
}

// LinkRequestConsents records that a request relies on each of consentIDs
// (as the consent gate found when it last checked the post), so a later
// withdrawal blocks its jobs and lists their live posts for takedown. A
// consent already withdrawn is linked as withdrawn.
func (tx *Tx) LinkRequestConsents(ctx context.Context, requestID int64, consentIDs []string) error {
	for _, c := range consentIDs {
		_, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO publish_consents (request_id, consent_id, revoked_at)
			VALUES (?, ?, (SELECT MIN(r.recorded_at) FROM consent_revocations r WHERE CAST(r.consent_id AS TEXT) = ?))`, requestID, c, c)
		if err != nil {
			return app.Internal(err, "PracticePost could not save the post for publishing.")
		}
	}
	return nil
}

// PublishTx runs fn in one write transaction, as the publishing queue sees
// it (app.PublishTx).
func (d *DB) PublishTx(ctx context.Context, fn func(app.PublishTx) error) error {
	return d.Tx(ctx, func(tx *Tx) error { return fn(tx) })
}

// View is Reader as the consent gate reads it (app.ConsentView).
func (tx *Tx) View() app.ConsentView { return tx.Reader() }

var _ app.PublishTx = (*Tx)(nil)
