package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"strconv"
	"strings"

	"practicepost/app"
)

// CreateMailRequest records a request as 'sending' together with the exact
// email that is about to go out. Call it before sending.
func (d *DB) CreateMailRequest(ctx context.Context, r app.MailRequest, raw []byte) (app.MailRequest, error) {
	err := d.Tx(ctx, func(tx *Tx) error {
		var err error
		r, err = tx.CreateMailRequest(ctx, r, raw)
		return err
	})
	return r, err
}

// CreateMailRequest is DB.CreateMailRequest inside tx: the mail service
// judges the email with the gate in the same transaction that records it.
func (tx *Tx) CreateMailRequest(ctx context.Context, r app.MailRequest, raw []byte) (app.MailRequest, error) {
	if !app.ValidToken(r.Token) || r.PatientID == 0 || r.MessageID == "" || len(raw) == 0 {
		return r, app.Internal(nil, "PracticePost prepared an incomplete email request. Try again.")
	}
	if r.Scope == nil {
		r.Scope = []app.ScopeOption{}
	}
	if r.Detail == "" {
		r.Detail = "{}"
	}
	scope, _ := json.Marshal(r.Scope)
	sha, err := tx.PutBlob(ctx, raw, "message/rfc822", 0, 0)
	if err != nil {
		return r, err
	}
	r.SentSHA256, r.State, r.Error, r.CreatedAt = sha, app.MailSending, "", tx.now
	// The id is chosen first: the sealed name, address and detail are bound to it.
	if err := tx.nextID(ctx, "mail_requests", &r.ID); err != nil {
		return r, app.Internal(err, "PracticePost could not record the email request.")
	}
	row := rowID(r.ID)
	_, err = tx.ExecContext(ctx, `INSERT INTO mail_requests (id, token, kind, patient_id, patient_name, patient_email, message_id,
		scope, detail, state, error, sent_sha256, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.ID, r.Token, string(r.Kind), r.PatientID, tx.sealText("mail_requests", "patient_name", row, r.PatientName),
		tx.sealText("mail_requests", "patient_email", row, r.PatientEmail), r.MessageID, string(scope),
		tx.sealText("mail_requests", "detail", row, r.Detail), app.MailSending, tx.sealText("mail_requests", "error", row, ""), sha,
		formatTime(tx.now), formatTime(tx.now))
	if err != nil {
		switch {
		case constraint(err) == constraintForeignKey:
			return r, app.Errorf(app.ENOTFOUND, "That patient is not in PracticePost.")
		case constraint(err) == constraintUnique:
			return r, app.Errorf(app.ECONFLICT, "PracticePost made a request reference that is already in use. Try again.")
		case constraint(err) == constraintCheck:
			return r, app.Internal(err, "PracticePost prepared an unknown kind of email request.")
		}
		return r, app.Internal(err, "PracticePost could not record the email request.")
	}
	return r, tx.Audit(ctx, "practice manager", "mail.request.create", "mail-request:"+strconv.FormatInt(r.ID, 10),
		map[string]string{"patient": strconv.FormatInt(r.PatientID, 10), "kind": string(r.Kind), "email": sha})
}

// MarkMailRequest records the outcome of sending: MailSent, or MailFailed
// with the plain-language reason.
func (d *DB) MarkMailRequest(ctx context.Context, id int64, state, reason string) (app.MailRequest, error) {
	if state != app.MailSent && state != app.MailFailed {
		return app.MailRequest{}, app.Internal(nil, "PracticePost tried to record an unknown sending state.")
	}
	err := d.Tx(ctx, func(tx *Tx) error {
		var sentAt any
		if state == app.MailSent {
			sentAt, reason = formatTime(tx.now), ""
		}
		res, err := tx.ExecContext(ctx, `UPDATE mail_requests SET state = ?, error = ?, sent_at = COALESCE(?, sent_at), updated_at = ?
			WHERE id = ? AND state IN ('sending', 'failed')`, state, tx.sealText("mail_requests", "error", rowID(id), reason), sentAt, formatTime(tx.now), id)
		if err != nil {
			return app.Internal(err, "PracticePost could not record that the email was sent.")
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return app.Errorf(app.ECONFLICT, "This email request was already sent or answered.")
		}
		return tx.Audit(ctx, "practice manager", "mail.request."+state, "mail-request:"+strconv.FormatInt(id, 10), nil)
	})
	if err != nil {
		return app.MailRequest{}, err
	}
	return d.MailRequest(ctx, id)
}

const mailRequestCols = `id, token, kind, patient_id, patient_name, patient_email, message_id, scope, detail, state, error,
	COALESCE(sent_sha256, ''), created_at, COALESCE(sent_at, '')`

func (d *DB) scanMailRequest(s scanner) (app.MailRequest, error) {
	var r app.MailRequest
	var kind, scope, created, sent string
	if err := s.Scan(&r.ID, &r.Token, &kind, &r.PatientID, d.text("mail_requests", "patient_name", &r.ID, &r.PatientName),
		d.text("mail_requests", "patient_email", &r.ID, &r.PatientEmail), &r.MessageID, &scope, d.text("mail_requests", "detail", &r.ID, &r.Detail),
		&r.State, d.text("mail_requests", "error", &r.ID, &r.Error), &r.SentSHA256, &created, &sent); err != nil {
		return r, err
	}
	r.Kind = app.RequestKind(kind)
	if err := json.Unmarshal([]byte(scope), &r.Scope); err != nil {
		return r, err
	}
	var err error
	r.CreatedAt, r.SentAt, err = parseSpan(created, sent)
	return r, err
}

// MailRequest reads one request.
func (d *DB) MailRequest(ctx context.Context, id int64) (app.MailRequest, error) {
	return readOne(ctx, d, "That email request is not in PracticePost.",
		"PracticePost could not read the email request.", d.scanMailRequest, "SELECT "+mailRequestCols+" FROM mail_requests WHERE id = ?", id)
}

// ListMailRequests returns requests newest first; patientID 0 means all.
func (d *DB) ListMailRequests(ctx context.Context, patientID int64, limit int) ([]app.MailRequest, error) {
	q := "SELECT " + mailRequestCols + " FROM mail_requests"
	args := []any{}
	if patientID != 0 {
		q += " WHERE patient_id = ?"
		args = append(args, patientID)
	}
	q += " ORDER BY created_at DESC, id DESC LIMIT ?"
	args = append(args, limit)
	return readAll(ctx, d, "PracticePost could not read the email requests.", d.scanMailRequest, q, args...)
}

// GetSyncState implements mail.SyncStates.
func (d *DB) GetSyncState(ctx context.Context, mailbox string) (app.MailSyncState, error) {
	st := app.MailSyncState{Mailbox: mailbox}
	var raw string
	err := d.read(func(db querier) error {
		return db.QueryRowContext(ctx, "SELECT state FROM mail_sync_state WHERE mailbox = ?", mailbox).Scan(&raw)
	})
	if errors.Is(err, sql.ErrNoRows) {
		return st, nil
	} else if err != nil {
		return st, err
	}
	if err := json.Unmarshal([]byte(raw), &st); err != nil {
		// A damaged bookmark only costs a re-read of the mailbox; replies
		// already recorded are not recorded twice.
		return app.MailSyncState{Mailbox: mailbox}, nil
	}
	st.Mailbox = mailbox
	return st, nil
}

// PutSyncState implements mail.SyncStates.
func (d *DB) PutSyncState(ctx context.Context, st app.MailSyncState) error {
	b, err := json.Marshal(st)
	if err != nil {
		return err
	}
	return d.Tx(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO mail_sync_state (mailbox, state) VALUES (?, ?)
			ON CONFLICT(mailbox) DO UPDATE SET state = excluded.state`, st.Mailbox, string(b))
		return err
	})
}

// RequestByToken implements mail.Requests.
func (d *DB) RequestByToken(ctx context.Context, token string) (app.SentRequest, bool, error) {
	r, err := readWith(d, func(db querier) (app.MailRequest, error) {
		return d.scanMailRequest(db.QueryRowContext(ctx, "SELECT "+mailRequestCols+" FROM mail_requests WHERE token = ?", token))
	})
	if errors.Is(err, sql.ErrNoRows) {
		return app.SentRequest{}, false, nil
	} else if err != nil {
		return app.SentRequest{}, false, err
	}
	return r.Sent(), true, nil
}

// KnownReply implements mail.ReplySink.
func (d *DB) KnownReply(ctx context.Context, key string) (bool, error) {
	var n int
	err := d.read(func(db querier) error {
		return db.QueryRowContext(ctx, "SELECT COUNT(*) FROM mail_replies WHERE key IN (?, ?)", d.replyKey(key), key).Scan(&n)
	})
	return n > 0, err
}

// replyKey is what the data file keeps of a reply's key: a keyed digest,
// since a Message-ID often carries the sender's name or family domain
// ("zoe.bronte@bronte-family.example"). Lookups try the plain key too, for
// a row kept before the digest, until opening the file digests it.
func (d *DB) replyKey(key string) string {
	return d.sealer.Digest("mail_replies.key", []byte(key))
}

// RequestsTo implements mail.Requests.
func (d *DB) RequestsTo(ctx context.Context, address string) ([]app.SentRequest, error) {
	// Addresses are sealed, so the match is made here rather than in SQL;
	// a practice sends tens of requests a month, not thousands.
	rs, err := readAll(ctx, d, "PracticePost could not read the email requests.", d.scanMailRequest,
		"SELECT "+mailRequestCols+" FROM mail_requests WHERE state != 'failed' ORDER BY created_at DESC, id DESC")
	if err != nil {
		return nil, err
	}
	address = strings.TrimSpace(address)
	out := []app.SentRequest{}
	for _, r := range rs {
		if strings.EqualFold(r.PatientEmail, address) && len(out) < 20 {
			out = append(out, r.Sent())
		}
	}
	return out, nil
}

// PatientsAt returns the patients whose email on record is address (any
// case), from the patient list kept in memory: emails are sealed, so SQL
// cannot match them.
func (d *DB) PatientsAt(ctx context.Context, address string) ([]app.PatientAt, error) {
	idx, err := d.patients(ctx)
	if err != nil {
		return nil, err
	}
	address = strings.TrimSpace(address)
	var out []app.PatientAt
	for _, p := range idx.list {
		if p.Email != "" && strings.EqualFold(p.Email, address) {
			out = append(out, app.PatientAt{ID: p.ID, Name: p.FullName})
		}
	}
	return out, nil
}

// RecordReply implements mail.ReplySink: the message, its attachments and
// the review row are stored in one transaction, or nothing is. A reply in
// withdrawal words puts the patient's current consents on hold in that same
// transaction, so no post relying on them can be judged clear once the
// reply is on record.
func (d *DB) RecordReply(ctx context.Context, it app.ReviewItem) (app.ReplyRecorded, error) {
	var out app.ReplyRecorded
	if it.Key == "" || len(it.Raw) == 0 {
		return out, errors.New("store: reply without key or bytes")
	}
	err := d.Tx(ctx, func(tx *Tx) error {
		out = app.ReplyRecorded{}
		var exists int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM mail_replies WHERE key IN (?, ?)", d.replyKey(it.Key), it.Key).Scan(&exists); err != nil {
			return err
		}
		if exists > 0 {
			return nil
		}
		rawSHA, err := tx.PutBlob(ctx, it.Raw, "message/rfc822", 0, 0)
		if err != nil {
			return err
		}
		for i := range it.Attachments {
			a := &it.Attachments[i]
			if len(a.Data) == 0 {
				continue
			}
			if a.SHA256, err = tx.PutBlob(ctx, a.Data, a.ContentType, 0, 0); err != nil {
				return err
			}
		}
		var reqID any
		var patientID int64
		if id, err := strconv.ParseInt(it.RequestRef, 10, 64); err == nil && id > 0 {
			err := tx.QueryRowContext(ctx, "SELECT patient_id FROM mail_requests WHERE id = ?", id).Scan(&patientID)
			switch {
			case err == nil:
				reqID = id
			case !errors.Is(err, sql.ErrNoRows):
				return err
			}
		}
		item, err := json.Marshal(it)
		if err != nil {
			return err
		}
		received := it.ReceivedAt
		if received.IsZero() || received.After(tx.now) {
			received = tx.now
		}
		var id int64
		if err := tx.nextID(ctx, "mail_replies", &id); err != nil {
			return err
		}
		// A returned request needs nobody's review: it is kept, as
		// evidence, already set aside, and its request is marked not sent.
		status, note := app.ReplyPending, ""
		if it.Intent == app.IntentBounced {
			status, note = app.ReplyIgnored, "Returned by the patient's mail server."
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO mail_replies (id, key, request_id, mailbox, uid_validity, uid, item, raw_sha256,
			status, note, resolution, received_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			id, d.replyKey(it.Key), reqID, it.Mailbox, it.UIDValidity, it.UID, tx.seal("mail_replies", "item", rowID(id), item), rawSHA, status,
			tx.sealText("mail_replies", "note", rowID(id), note), tx.sealText("mail_replies", "resolution", rowID(id), ""),
			formatTime(received), formatTime(tx.now)); err != nil {
			return err
		}
		if it.Intent == app.IntentBounced && reqID != nil {
			reason := strings.Join(it.Notes, " ")
			if _, err := tx.ExecContext(ctx, `UPDATE mail_requests SET state = ?, error = ?, updated_at = ? WHERE id = ? AND state = ?`,
				app.MailFailed, tx.sealText("mail_requests", "error", rowID(reqID.(int64)), reason), formatTime(tx.now), reqID, app.MailSent); err != nil {
				return err
			}
		}
		detail := map[string]string{"email": rawSHA}
		if reqID != nil {
			detail["request"] = it.RequestRef
		}
		out.Created = true
		if err := tx.Audit(ctx, "system", "mail.reply.receive", "mail-reply:"+strconv.FormatInt(id, 10), detail); err != nil {
			return err
		}
		if it.Intent == app.IntentWithdrawal && patientID != 0 {
			out.Held, err = tx.holdPatientConsents(ctx, patientID, id, received)
			return err
		}
		if it.Intent == app.IntentWithdrawal && reqID == nil {
			// From a patient's address on record, with no request.
			for _, pid := range it.Patients {
				held, err := tx.holdPatientConsents(ctx, pid, id, received)
				if err != nil {
					return err
				}
				out.Held = append(out.Held, held...)
			}
		}
		return nil
	})
	if err != nil {
		out = app.ReplyRecorded{}
	}
	return out, err
}

// RecordReplyResolution keeps how the manager resolved an unclear reply or
// verified its sender (JSON), before the consent made from it is stored.
func (d *DB) RecordReplyResolution(ctx context.Context, id int64, resolution string) error {
	return d.Tx(ctx, func(tx *Tx) error {
		if _, err := tx.pendingReply(ctx, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE mail_replies SET resolution = ? WHERE id = ?", tx.sealText("mail_replies", "resolution", rowID(id), resolution), id); err != nil {
			return app.Internal(err, "PracticePost could not record how the reply was checked.")
		}
		// The log names the reply only: the record may name the patient.
		sum := sha256.Sum256([]byte(resolution))
		return tx.Audit(ctx, "practice manager", "mail.reply.resolve", "mail-reply:"+strconv.FormatInt(id, 10),
			map[string]string{"record": hex.EncodeToString(sum[:])})
	})
}

const mailReplyCols = `id, COALESCE(request_id, 0), item, raw_sha256, status, COALESCE(consent_id, 0), COALESCE(testimonial_id, 0),
	note, received_at, COALESCE(decided_at, ''), resolution`

func (d *DB) scanMailReply(s scanner) (app.MailReply, error) {
	var r app.MailReply
	var item, received, decided string
	if err := s.Scan(&r.ID, &r.RequestID, d.text("mail_replies", "item", &r.ID, &item), &r.RawSHA256, &r.Status, &r.ConsentID, &r.TestimonialID,
		d.text("mail_replies", "note", &r.ID, &r.Note), &received, &decided, d.text("mail_replies", "resolution", &r.ID, &r.Resolution)); err != nil {
		return r, err
	}
	if err := json.Unmarshal([]byte(item), &r.Item); err != nil {
		return r, err
	}
	var err error
	r.ReceivedAt, r.DecidedAt, err = parseSpan(received, decided)
	return r, err
}

// MailReply reads one reply.
func (d *DB) MailReply(ctx context.Context, id int64) (app.MailReply, error) {
	return readOne(ctx, d, "That reply is not in PracticePost.",
		"PracticePost could not read the reply.", d.scanMailReply, "SELECT "+mailReplyCols+" FROM mail_replies WHERE id = ?", id)
}

// ListMailReplies returns replies in one status ("" for all), oldest
// first for pending (the queue order) and newest first otherwise.
func (d *DB) ListMailReplies(ctx context.Context, status string, limit int) ([]app.MailReply, error) {
	q := "SELECT " + mailReplyCols + " FROM mail_replies"
	args := []any{}
	order := " ORDER BY received_at DESC, id DESC"
	if status != "" {
		q += " WHERE status = ?"
		args = append(args, status)
		if status == app.ReplyPending {
			order = " ORDER BY received_at, id"
		}
	}
	args = append(args, limit)
	return readAll(ctx, d, "PracticePost could not read the replies.", d.scanMailReply, q+order+" LIMIT ?", args...)
}

// CountMailReplies counts replies in one status.
func (d *DB) CountMailReplies(ctx context.Context, status string) (int, error) {
	var n int
	err := d.read(func(db querier) error {
		return db.QueryRowContext(ctx, "SELECT COUNT(*) FROM mail_replies WHERE status = ?", status).Scan(&n)
	})
	if err != nil {
		return 0, app.Internal(err, "PracticePost could not count the replies.")
	}
	return n, nil
}

// pendingReply locks in the reply for a decision inside tx.
func (tx *Tx) pendingReply(ctx context.Context, id int64) (requestID int64, err error) {
	var status string
	err = tx.QueryRowContext(ctx, "SELECT status, COALESCE(request_id, 0) FROM mail_replies WHERE id = ?", id).Scan(&status, &requestID)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, app.Errorf(app.ENOTFOUND, "That reply is not in PracticePost.")
	} else if err != nil {
		return 0, app.Internal(err, "PracticePost could not read the reply.")
	}
	if status != app.ReplyPending {
		return 0, app.Errorf(app.ECONFLICT, "This reply was already dealt with (%s).", status)
	}
	return requestID, nil
}

// actor is who decided: the practice manager, or the patient whose plain
// answer the app recorded.
func (tx *Tx) decideReply(ctx context.Context, actor string, id, requestID int64, status, note string, consentID, testimonialID int64) error {
	var c, t any
	if consentID != 0 {
		c = consentID
	}
	if testimonialID != 0 {
		t = testimonialID
	}
	if _, err := tx.ExecContext(ctx, `UPDATE mail_replies SET status = ?, note = ?, consent_id = ?, testimonial_id = ?, decided_at = ?
		WHERE id = ?`, status, tx.sealText("mail_replies", "note", rowID(id), note), c, t, formatTime(tx.now), id); err != nil {
		return app.Internal(err, "PracticePost could not record the decision.")
	}
	if status == app.ReplyConfirmed && requestID != 0 {
		if _, err := tx.ExecContext(ctx, "UPDATE mail_requests SET state = ?, updated_at = ? WHERE id = ?", app.MailAnswered, formatTime(tx.now), requestID); err != nil {
			return app.Internal(err, "PracticePost could not record the decision.")
		}
	}
	detail := map[string]string{}
	if requestID != 0 {
		detail["request"] = strconv.FormatInt(requestID, 10)
	}
	if consentID != 0 {
		detail["consent"] = strconv.FormatInt(consentID, 10)
	}
	if testimonialID != 0 {
		detail["testimonial"] = strconv.FormatInt(testimonialID, 10)
	}
	return tx.Audit(ctx, actor, "mail.reply."+status, "mail-reply:"+strconv.FormatInt(id, 10), detail)
}

// DismissMailReply marks a pending reply rejected (not consent, e.g. the
// patient said no or it is not from them) or ignored (not about a request).
// The message stays stored.
func (d *DB) DismissMailReply(ctx context.Context, id int64, status, note string) error {
	if status != app.ReplyRejected && status != app.ReplyIgnored {
		return app.Internal(nil, "PracticePost tried to record an unknown decision.")
	}
	return d.Tx(ctx, func(tx *Tx) error {
		req, err := tx.pendingReply(ctx, id)
		if err != nil {
			return err
		}
		return tx.decideReply(ctx, "practice manager", id, req, status, note, 0, 0)
	})
}

// RecordPatientDecline marks a pending reply rejected because the patient's
// own plain answer declined what was asked (the activity log names the
// patient, not the manager). The message stays stored.
func (d *DB) RecordPatientDecline(ctx context.Context, id int64, note string) error {
	return d.Tx(ctx, func(tx *Tx) error {
		req, err := tx.pendingReply(ctx, id)
		if err != nil {
			return err
		}
		return tx.decideReply(ctx, "patient", id, req, app.ReplyRejected, note, 0, 0)
	})
}

// LinkReplyConsent marks a pending reply confirmed by the consent made
// from it (stored first with InsertConsent).
func (d *DB) LinkReplyConsent(ctx context.Context, id, consentID int64) error {
	return d.Tx(ctx, func(tx *Tx) error {
		req, err := tx.pendingReply(ctx, id)
		if err != nil {
			return err
		}
		return tx.decideReply(ctx, "practice manager", id, req, app.ReplyConfirmed, "", consentID, 0)
	})
}

// ConsentByEvidence finds the consent whose evidence file (the scan, or for
// an emailed consent the reply message) has this sha256. Confirming a reply
// is two steps (store the consent, then mark the reply); this lets a
// confirmation cut short by a crash finish without a second consent.
func (d *DB) ConsentByEvidence(ctx context.Context, sha string) (int64, bool, error) {
	var id int64
	err := d.read(func(db querier) error {
		return db.QueryRowContext(ctx, "SELECT id FROM consents WHERE scan_sha256 = ? ORDER BY id LIMIT 1", sha).Scan(&id)
	})
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	} else if err != nil {
		return 0, false, app.Internal(err, "PracticePost could not read the consents.")
	}
	return id, true, nil
}

// ConfirmReplyTestimonial stores the draft testimonial made from a reply
// and marks the reply confirmed, in one transaction.
func (d *DB) ConfirmReplyTestimonial(ctx context.Context, id int64, t app.Testimonial, photos ...app.BlobData) (app.Testimonial, error) {
	err := d.Tx(ctx, func(tx *Tx) error {
		req, err := tx.pendingReply(ctx, id)
		if err != nil {
			return err
		}
		for _, p := range photos {
			if _, err := tx.PutBlob(ctx, p.Data, p.MIME, p.Width, p.Height); err != nil {
				return err
			}
		}
		if t, err = tx.insertTestimonial(ctx, t); err != nil {
			if constraint(err) == constraintForeignKey {
				return app.Errorf(app.ENOTFOUND, "That patient is not in PracticePost.")
			}
			return err
		}
		return tx.decideReply(ctx, "practice manager", id, req, app.ReplyConfirmed, "", 0, t.ID)
	})
	return t, err
}

// RepliesToRequest lists the replies matched to request id, oldest first.
func (d *DB) RepliesToRequest(ctx context.Context, id int64) ([]app.MailReply, error) {
	return readAll(ctx, d, "PracticePost could not read the replies.", d.scanMailReply,
		"SELECT "+mailReplyCols+" FROM mail_replies WHERE request_id = ? ORDER BY received_at, id", id)
}

// MailRequestsOfKind lists requests of one kind, newest first.
func (d *DB) MailRequestsOfKind(ctx context.Context, kind app.RequestKind, limit int) ([]app.MailRequest, error) {
	return readAll(ctx, d, "PracticePost could not read the email requests.", d.scanMailRequest,
		"SELECT "+mailRequestCols+" FROM mail_requests WHERE kind = ? ORDER BY created_at DESC, id DESC LIMIT ?", string(kind), limit)
}
