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

// InsertQuoteApproval stores the patient's approval of an edited quote with
// its evidence (the signature image as a blob), and logs it, in one
// transaction. The testimonial must still be bound to the consent and still
// carry exactly the approved words, so an edit made in between is never
// approved by mistake. Approvals are never changed or removed.
func (d *DB) InsertQuoteApproval(ctx context.Context, n app.NewQuoteApproval) (app.QuoteApproval, error) {
	a := n.Approval
	if a.ConsentID == 0 || n.TestimonialID == 0 || a.SHA256 == "" || a.ApprovedAt.IsZero() {
		return a, app.Errorf(app.EINVALID, "The approval is incomplete (consent, testimonial, words or time missing), so it was not stored.")
	}
	var sig, reply any
	switch a.How {
	case app.ApprovedOnScreen:
		if len(n.SignaturePNG) == 0 || n.Evidence.SignatureSHA256 == "" || n.Evidence.ShownText == "" {
			return a, app.Errorf(app.EINVALID, "An approval on screen needs the patient's signature and the words shown, so it was not stored.")
		}
	case app.ApprovedByEmail:
		if n.Evidence.ReplyID == 0 {
			return a, app.Errorf(app.EINVALID, "An approval by email needs the patient's reply, so it was not stored.")
		}
		reply = n.Evidence.ReplyID
	default:
		return a, app.Errorf(app.EINVALID, "Say how the patient approved the new words (on screen or by email).")
	}
	err := d.Tx(ctx, func(tx *Tx) error { return tx.insertQuoteApproval(ctx, "practice manager", n, sig, reply) })
	return a, err
}

// ApproveQuoteByReply stores the approval an emailed reply gives (how =
// email, Evidence.ReplyID the reply) and marks the reply confirmed and its
// request answered, in one transaction: the approval exists exactly when
// the reply is on record as what gave it.
// actor is who decided it counts: "patient" for a plain yes, "practice
// manager" for an unclear reply the manager confirmed (note says how).
func (d *DB) ApproveQuoteByReply(ctx context.Context, actor, note string, n app.NewQuoteApproval) (app.QuoteApproval, error) {
	a := n.Approval
	if a.How != app.ApprovedByEmail || n.Evidence.ReplyID == 0 || a.ConsentID == 0 || n.TestimonialID == 0 || a.SHA256 == "" || a.ApprovedAt.IsZero() {
		return a, app.Errorf(app.EINVALID, "An approval by email needs the patient's reply, the consent, the testimonial and the words, so it was not stored.")
	}
	err := d.Tx(ctx, func(tx *Tx) error {
		req, err := tx.pendingReply(ctx, n.Evidence.ReplyID)
		if err != nil {
			return err
		}
		if err := tx.insertQuoteApproval(ctx, actor, n, nil, n.Evidence.ReplyID); err != nil {
			return err
		}
		// The reply names no testimonial row: the approval (and the request)
		// record which testimonial it was, and the testimonial may be deleted.
		return tx.decideReply(ctx, actor, n.Evidence.ReplyID, req, app.ReplyConfirmed, note, 0, 0)
	})
	return a, err
}

func (tx *Tx) insertQuoteApproval(ctx context.Context, actor string, n app.NewQuoteApproval, sig, reply any) error {
	a := n.Approval
	d := tx.db
	{
		var consent sql.NullInt64
		var quote string
		var tid int64
		err := tx.QueryRowContext(ctx, "SELECT id, consent_id, quote FROM testimonials WHERE id = ?", n.TestimonialID).
			Scan(&tid, &consent, d.text("testimonials", "quote", &tid, &quote))
		if errors.Is(err, sql.ErrNoRows) {
			return app.Errorf(app.ENOTFOUND, "That testimonial is no longer in PracticePost, so the approval was not stored.")
		} else if err != nil {
			return app.Internal(err, "PracticePost could not read the testimonial.")
		}
		if !consent.Valid || consent.Int64 != a.ConsentID {
			return app.Errorf(app.ECONFLICT, "That testimonial is not covered by consent #%d, so the approval was not stored.", a.ConsentID)
		}
		if app.QuoteSHA256(quote) != a.SHA256 {
			return app.Errorf(app.ECONFLICT, "The testimonial's words were changed while the patient was approving them, so the approval was not stored. Ask the patient again.")
		}
		if len(n.SignaturePNG) > 0 {
			s, err := tx.PutBlob(ctx, n.SignaturePNG, "image/png", 0, 0)
			if err != nil {
				return err
			}
			if s != n.Evidence.SignatureSHA256 {
				return app.Errorf(app.ECONFLICT, "The signature image does not match the one the approval records.")
			}
			sig = s
		}
		ev, err := json.Marshal(n.Evidence)
		if err != nil {
			return app.Internal(err, "PracticePost could not save the approval.")
		}
		// The id is chosen before the insert because the sealed evidence is
		// bound to it.
		var id int64
		if err := tx.nextID(ctx, "quote_approvals", &id); err != nil {
			return app.Internal(err, "PracticePost could not save the approval.")
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO quote_approvals (id, consent_id, testimonial_id, sha256, approved_at, how, evidence, signature_sha256, reply_id, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, id, a.ConsentID, n.TestimonialID, a.SHA256, formatTime(a.ApprovedAt), a.How,
			tx.seal("quote_approvals", "evidence", rowID(id), ev), sig, reply, formatTime(tx.now))
		if err != nil {
			if constraint(err) == constraintForeignKey {
				return app.Errorf(app.ENOTFOUND, "That consent or reply is not in PracticePost, so the approval was not stored.")
			}
			return app.Internal(err, "PracticePost could not save the approval.")
		}
		// The hash identifies the words without repeating them.
		return tx.Audit(ctx, actor, "quote.approve", "consent:"+strconv.FormatInt(a.ConsentID, 10), map[string]string{
			"testimonial": strconv.FormatInt(n.TestimonialID, 10), "how": a.How, "sha256": a.SHA256,
		})
	}
}

// QuoteApprovalEvidence reads the evidence stored with every approval of
// consentID, oldest first.
func (d *DB) QuoteApprovalEvidence(ctx context.Context, consentID int64) ([]app.QuoteEvidence, error) {
	return readAll(ctx, d, "PracticePost could not read the approvals of new words.", func(s scanner) (app.QuoteEvidence, error) {
		var id int64
		var raw string
		var ev app.QuoteEvidence
		if err := s.Scan(&id, d.text("quote_approvals", "evidence", &id, &raw)); err != nil {
			return ev, err
		}
		if err := json.Unmarshal([]byte(raw), &ev); err != nil {
			return ev, fmt.Errorf("quote approval %d: unreadable evidence: %w", id, err)
		}
		return ev, nil
	}, "SELECT id, evidence FROM quote_approvals WHERE consent_id = ? ORDER BY id", consentID)
}

func scanQuoteApproval(s scanner) (app.QuoteApproval, error) {
	var a app.QuoteApproval
	var at string
	if err := s.Scan(&a.ConsentID, &a.SHA256, &at, &a.How); err != nil {
		return a, err
	}
	var err error
	a.ApprovedAt, err = parseTime(at)
	return a, err
}

// withQuoteApprovals fills ConsentEntry.QuoteApprovals in place, so every
// consent check built from an entry honours the approved edits.
func (d *DB) withQuoteApprovals(ctx context.Context, es []app.ConsentEntry) error {
	if len(es) == 0 {
		return nil
	}
	q := "SELECT consent_id, sha256, approved_at, how FROM quote_approvals"
	var args []any
	if len(es) == 1 {
		q += " WHERE consent_id = ?"
		args = append(args, es[0].Consent.ID)
	}
	all, err := readAll(ctx, d, "PracticePost could not read the approvals of new words.", scanQuoteApproval, q+" ORDER BY id", args...)
	if err != nil {
		return err
	}
	by := map[int64][]app.QuoteApproval{}
	for _, a := range all {
		by[a.ConsentID] = append(by[a.ConsentID], a)
	}
	for i := range es {
		es[i].QuoteApprovals = by[es[i].Consent.ID]
		if es[i].QuoteApprovals == nil {
			es[i].QuoteApprovals = []app.QuoteApproval{}
		}
	}
	return nil
}
