package store

import (
	"context"
	"strconv"

	"practicepost/app"
)

// CreateConsentCopy records that the patient is being given their copy of
// consent c.ConsentID: an email about to be sent (raw is the message as it
// will go over the wire, kept as the evidence of what they received), or a
// copy handed over in person, which is done once recorded. Call it inside
// the transaction in which the gate judged the email.
func (tx *Tx) CreateConsentCopy(ctx context.Context, c app.ConsentCopy, raw []byte) (app.ConsentCopy, error) {
	var sha any
	switch {
	case c.ConsentID == 0:
		return c, app.Internal(nil, "PracticePost tried to record a copy without its consent.")
	case c.Method == app.CopyByEmail && (c.To == "" || len(raw) == 0):
		return c, app.Internal(nil, "PracticePost prepared an incomplete email. Try again.")
	case c.Method == app.CopyByEmail:
		s, err := tx.PutBlob(ctx, raw, "message/rfc822", 0, 0)
		if err != nil {
			return c, err
		}
		c.SentSHA256, c.State, sha = s, app.MailSending, s
	case c.Method == app.CopyInPerson:
		c.To, c.State, c.SentAt = "", app.MailSent, tx.now
	default:
		return c, app.Internal(nil, "PracticePost tried to record an unknown way of giving a copy.")
	}
	c.Error, c.CreatedAt = "", tx.now
	// The id is chosen first: the sealed address and error are bound to it.
	if err := tx.nextID(ctx, "consent_copies", &c.ID); err != nil {
		return c, app.Internal(err, "PracticePost could not record the patient's copy.")
	}
	var sentAt any
	if !c.SentAt.IsZero() {
		sentAt = formatTime(c.SentAt)
	}
	row := rowID(c.ID)
	_, err := tx.ExecContext(ctx, `INSERT INTO consent_copies (id, consent_id, method, sent_to, state, error, sent_sha256, created_at, sent_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, c.ID, c.ConsentID, c.Method, tx.sealText("consent_copies", "sent_to", row, c.To), c.State,
		tx.sealText("consent_copies", "error", row, ""), sha, formatTime(tx.now), sentAt, formatTime(tx.now))
	if err != nil {
		if constraint(err) == constraintForeignKey {
			return c, app.Errorf(app.ENOTFOUND, "That consent is not in PracticePost.")
		}
		return c, app.Internal(err, "PracticePost could not record the patient's copy.")
	}
	return c, tx.Audit(ctx, "practice manager", "consent.copy."+c.Method, "consent:"+strconv.FormatInt(c.ConsentID, 10),
		map[string]string{"copy": row, "email": c.SentSHA256})
}

// MarkConsentCopy records how sending an emailed copy ended: MailSent, or
// MailFailed with the plain-language reason.
func (d *DB) MarkConsentCopy(ctx context.Context, id int64, state, reason string) (app.ConsentCopy, error) {
	if state != app.MailSent && state != app.MailFailed {
		return app.ConsentCopy{}, app.Internal(nil, "PracticePost tried to record an unknown sending state.")
	}
	err := d.Tx(ctx, func(tx *Tx) error {
		var sentAt any
		if state == app.MailSent {
			sentAt, reason = formatTime(tx.now), ""
		}
		res, err := tx.ExecContext(ctx, `UPDATE consent_copies SET state = ?, error = ?, sent_at = COALESCE(?, sent_at), updated_at = ?
			WHERE id = ? AND state = 'sending'`, state, tx.sealText("consent_copies", "error", rowID(id), reason), sentAt, formatTime(tx.now), id)
		if err != nil {
			return app.Internal(err, "PracticePost could not record that the copy was sent.")
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return app.Errorf(app.ECONFLICT, "This copy was already sent.")
		}
		return tx.Audit(ctx, "practice manager", "consent.copy."+state, "consent-copy:"+rowID(id), nil)
	})
	if err != nil {
		return app.ConsentCopy{}, err
	}
	return readOne(ctx, d, "That copy is not in PracticePost.", "PracticePost could not read the patient's copy.",
		d.scanConsentCopy, "SELECT "+consentCopyCols+" FROM consent_copies WHERE id = ?", id)
}

// ConsentCopies lists the copies given for a consent, newest first.
func (d *DB) ConsentCopies(ctx context.Context, consentID int64) ([]app.ConsentCopy, error) {
	return readAll(ctx, d, "PracticePost could not read the patient's copies.", d.scanConsentCopy,
		"SELECT "+consentCopyCols+" FROM consent_copies WHERE consent_id = ? ORDER BY created_at DESC, id DESC", consentID)
}

const consentCopyCols = `id, consent_id, method, sent_to, state, error, COALESCE(sent_sha256, ''), created_at, COALESCE(sent_at, '')`

func (d *DB) scanConsentCopy(s scanner) (app.ConsentCopy, error) {
	var c app.ConsentCopy
	var created, sent string
	if err := s.Scan(&c.ID, &c.ConsentID, &c.Method, d.text("consent_copies", "sent_to", &c.ID, &c.To), &c.State,
		d.text("consent_copies", "error", &c.ID, &c.Error), &c.SentSHA256, &created, &sent); err != nil {
		return c, err
	}
	var err error
	c.CreatedAt, c.SentAt, err = parseSpan(created, sent)
	return c, err
}

// ConsentsGivenACopy are the consents whose patient was given their copy
// (emailed and taken by the server, or handed over).
func (d *DB) ConsentsGivenACopy(ctx context.Context) (map[int64]bool, error) {
	out := map[int64]bool{}
	err := d.read(func(db querier) error {
		ids, err := queryIDs(ctx, db, "SELECT DISTINCT consent_id FROM consent_copies WHERE state = 'sent'")
		for _, id := range ids {
			out[id] = true
		}
		return err
	})
	if err != nil {
		return nil, app.Internal(err, "PracticePost could not read the patients' copies.")
	}
	return out, nil
}
