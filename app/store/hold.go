package store

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"practicepost/app"
)

// PutHold stores a standing hold on a consent from at; replyID is the
// emailed reply behind it (0 for none). The caller logs it and blocks the
// consent's queued posts.
func (tx *Tx) PutHold(ctx context.Context, consentID, replyID int64, at time.Time, reason string) error {
	var reply any
	if replyID != 0 {
		reply = replyID
	}
	var hid int64
	if err := tx.nextID(ctx, "consent_holds", &hid); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO consent_holds (id, consent_id, reply_id, at, reason, release_note, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		hid, consentID, reply, formatTime(at), tx.sealText("consent_holds", "reason", rowID(hid), reason),
		tx.sealText("consent_holds", "release_note", rowID(hid), ""), formatTime(tx.now))
	return err
}

// holdReason is what a hold says; the patient's words stay in the reply.
const holdReason = "The patient replied by email in words that read as a withdrawal."

// holdPatientConsents puts every current consent of the patient (not
// withdrawn, not expired, not already on hold) on hold from at.
func (tx *Tx) holdPatientConsents(ctx context.Context, patientID, replyID int64, at time.Time) ([]int64, error) {
	ids, err := queryIDs(ctx, tx, `SELECT c.id FROM consents c WHERE c.patient_id = ? AND c.expires_at > ?
		AND NOT EXISTS (SELECT 1 FROM consent_revocations r WHERE r.consent_id = c.id)
		AND NOT EXISTS (SELECT 1 FROM consent_holds h WHERE h.consent_id = c.id AND h.released_at IS NULL)
		ORDER BY c.id`, patientID, formatTime(tx.now))
	if err != nil {
		return nil, err
	}
	for _, cid := range ids {
		if err := tx.PutHold(ctx, cid, replyID, at, holdReason); err != nil {
			return nil, err
		}
		if err := tx.Audit(ctx, "system", "consent.hold", "consent:"+strconv.FormatInt(cid, 10),
			map[string]string{"reply": strconv.FormatInt(replyID, 10), "at": formatTime(at)}); err != nil {
			return nil, err
		}
	}
	return ids, nil
}

// holdForLaterWithdrawal puts a new consent on hold when the patient has
// already emailed words that read as a withdrawal after the moment the
// consent counts as signed: an emailed "yes" confirmed once a later "please
// don't use my photo" is in. Had the consent existed when that reply
// arrived, the reply would have held it; it is held now, as of the reply.
// A reply the manager dismissed, or whose hold they released as not a
// withdrawal, holds nothing; the reply the consent is made from is not a
// later one.
func (tx *Tx) holdForLaterWithdrawal(ctx context.Context, c app.Consent) (bool, error) {
	// A withdrawal with no request behind it came from the patient's email
	// on record (its item names the patients at that address); which
	// patients is sealed in the item, so those are read below.
	rows, err := tx.QueryContext(ctx, `SELECT r.id, r.item, r.received_at, r.request_id IS NULL FROM mail_replies r LEFT JOIN mail_requests q ON q.id = r.request_id
		WHERE (q.patient_id = ? OR r.request_id IS NULL) AND r.received_at >= ? AND r.status IN (?, ?) AND r.raw_sha256 != ?
		AND NOT EXISTS (SELECT 1 FROM consent_holds h WHERE h.reply_id = r.id AND h.outcome = ?)
		ORDER BY r.received_at, r.id`,
		c.PatientID, formatTime(c.SignedAt), app.ReplyPending, app.ReplyConfirmed, c.Signature.ScanSHA256, app.HoldReleased)
	if err != nil {
		return false, err
	}
	var replyID int64
	var at string
	for rows.Next() {
		var id int64
		var raw, received string
		var byAddress bool
		if err := rows.Scan(&id, tx.db.text("mail_replies", "item", &id, &raw), &received, &byAddress); err != nil {
			rows.Close()
			return false, err
		}
		var it app.ReviewItem
		if err := json.Unmarshal([]byte(raw), &it); err != nil {
			rows.Close()
			return false, fmt.Errorf("reply %d: %w", id, err)
		}
		if it.Intent == app.IntentWithdrawal && (!byAddress || slices.Contains(it.Patients, c.PatientID)) {
			replyID, at = id, received
			break
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil || replyID == 0 {
		return false, err
	}
	when, err := parseTime(at)
	if err != nil {
		return false, err
	}
	if err := tx.PutHold(ctx, c.ID, replyID, when, holdReason); err != nil {
		return false, err
	}
	return true, tx.Audit(ctx, "system", "consent.hold", "consent:"+strconv.FormatInt(c.ID, 10),
		map[string]string{"reply": strconv.FormatInt(replyID, 10), "at": at})
}

const holdCols = `id, consent_id, COALESCE(reply_id, 0), at, reason, COALESCE(released_at, ''), release_note, outcome`

func (d *DB) scanHold(s scanner) (app.Hold, error) {
	var h app.Hold
	var at, released string
	if err := s.Scan(&h.ID, &h.Hold.ConsentID, &h.Hold.ReplyID, &at, d.text("consent_holds", "reason", &h.ID, &h.Hold.Reason), &released,
		d.text("consent_holds", "release_note", &h.ID, &h.Hold.ReleaseNote), &h.Outcome); err != nil {
		return h, err
	}
	var err error
	h.Hold.At, h.Hold.ReleasedAt, err = parseSpan(at, released)
	return h, err
}

// StandingHolds lists the holds not yet confirmed or released, oldest
// first: Home shows each as urgent.
func (d *DB) StandingHolds(ctx context.Context) ([]app.Hold, error) {
	return readAll(ctx, d, "PracticePost could not read the consents on hold.", d.scanHold,
		"SELECT "+holdCols+" FROM consent_holds WHERE released_at IS NULL ORDER BY at, id")
}

// latestHolds reads the newest hold of each consent in ids (all consents
// when ids is empty), active or ended.
func (d *DB) latestHolds(ctx context.Context, q querier, ids []int64) (map[int64]*app.ConsentHold, error) {
	query := "SELECT " + holdCols + " FROM consent_holds WHERE id IN (SELECT MAX(id) FROM consent_holds GROUP BY consent_id)"
	var args []any
	var want map[int64]bool // past SQLite's comfortable number of parameters, filter here
	switch {
	case len(ids) > 500:
		want = map[int64]bool{}
		for _, id := range ids {
			want[id] = true
		}
	case len(ids) > 0:
		query += " AND consent_id IN (" + strings.TrimSuffix(strings.Repeat("?,", len(ids)), ",") + ")"
		for _, id := range ids {
			args = append(args, id)
		}
	}
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]*app.ConsentHold{}
	for rows.Next() {
		h, err := d.scanHold(rows)
		if err != nil {
			return nil, err
		}
		if want != nil && !want[h.Hold.ConsentID] {
			continue
		}
		out[h.Hold.ConsentID] = &h.Hold
	}
	return out, rows.Err()
}

// ConsentHold is the newest hold of one consent (nil when it never had
// one), read inside a transaction, for a check that must see the same
// state as the write it guards.
func (tx *Tx) ConsentHold(ctx context.Context, consentID int64) (*app.ConsentHold, error) {
	m, err := tx.ConsentHolds(ctx, []int64{consentID})
	if err != nil {
		return nil, err
	}
	return m[consentID], nil
}

// ConsentHolds reads the newest hold (active or ended) of each consent in
// ids, keyed by consent id; consents never held are absent. For read views
// that assemble consents themselves.
func (d *DB) ConsentHolds(ctx context.Context, ids []int64) (map[int64]*app.ConsentHold, error) {
	if len(ids) == 0 {
		return map[int64]*app.ConsentHold{}, nil
	}
	m, err := readWith(d, func(db querier) (map[int64]*app.ConsentHold, error) { return d.latestHolds(ctx, db, ids) })
	if err != nil {
		return nil, app.Internal(err, "PracticePost could not read whether the consents are on hold.")
	}
	return m, nil
}

// ConsentHolds is DB.ConsentHolds inside a transaction.
func (tx *Tx) ConsentHolds(ctx context.Context, ids []int64) (map[int64]*app.ConsentHold, error) {
	if len(ids) == 0 {
		return map[int64]*app.ConsentHold{}, nil
	}
	m, err := tx.db.latestHolds(ctx, tx, ids)
	if err != nil {
		return nil, app.Internal(err, "PracticePost could not read whether the consents are on hold.")
	}
	return m, nil
}

// withHolds fills ConsentEntry.Hold in place.
func (d *DB) withHolds(ctx context.Context, es []app.ConsentEntry) error {
	if len(es) == 0 {
		return nil
	}
	ids := make([]int64, len(es))
	for i, e := range es {
		ids[i] = e.Consent.ID
	}
	m, err := d.ConsentHolds(ctx, ids)
	if err != nil {
		return err
	}
	for i := range es {
		es[i].Hold = m[es[i].Consent.ID]
	}
	return nil
}

// EndHold ends the standing hold of a consent: HoldWithdrawn once the
// withdrawal is on record (RevokeConsent first), or HoldReleased with the
// manager's note. A consent with no standing hold is a conflict.
func (d *DB) EndHold(ctx context.Context, consentID int64, outcome, note string) error {
	if outcome != app.HoldWithdrawn && outcome != app.HoldReleased {
		return app.Internal(nil, "PracticePost tried to end a hold in an unknown way.")
	}
	return d.Tx(ctx, func(tx *Tx) error {
		if outcome == app.HoldWithdrawn {
			var n int
			if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM consent_revocations WHERE consent_id = ?", consentID).Scan(&n); err != nil {
				return app.Internal(err, "PracticePost could not read the consent.")
			}
			if n == 0 {
				return app.Errorf(app.ECONFLICT, "The withdrawal is not on record yet, so the hold stays.")
			}
		}
		// At most one hold stands per consent (a unique index); its note is
		// sealed to its row.
		var hid int64
		if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(id), 0) FROM consent_holds WHERE consent_id = ? AND released_at IS NULL", consentID).Scan(&hid); err != nil {
			return app.Internal(err, "PracticePost could not record the decision about the hold.")
		}
		res, err := tx.ExecContext(ctx, `UPDATE consent_holds SET released_at = ?, release_note = ?, outcome = ?
			WHERE id = ? AND released_at IS NULL`, formatTime(tx.now), tx.sealText("consent_holds", "release_note", rowID(hid), note), outcome, hid)
		if err != nil {
			return app.Internal(err, "PracticePost could not record the decision about the hold.")
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return app.Errorf(app.ECONFLICT, "This consent is not on hold any more.")
		}
		return tx.Audit(ctx, "practice manager", "consent.hold."+outcome, "consent:"+strconv.FormatInt(consentID, 10), nil)
	})
}
