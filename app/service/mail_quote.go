package service

import (
	"cmp"
	"context"
	"encoding/json"
	"strings"
	"time"
	"unicode/utf8"

	"practicepost/app"
	"practicepost/app/consent"
	"practicepost/app/gate"
	"practicepost/app/mail"
	"practicepost/app/store"
)

// Asking a patient by email to approve the edited words of their signed
// testimonial: the email shows the words they approved and the new ones,
// the reply comes in with the other replies (mail.Syncer), and
// consent.JudgeApprovalReply decides when it counts. A plain yes from the
// patient's address is recorded at once after the sync that brought it; a
// plain no declines; anything else waits for the manager, here, on the
// testimonial's approval dialog.

// quoteMailDetail is what an approval request asked, kept (sealed) with it.
type quoteMailDetail struct {
	TestimonialID int64  `json:"testimonialId"`
	ConsentID     int64  `json:"consentId"`
	SHA256        string `json:"sha256"` // of the new words the email showed
	Approved      string `json:"approved"`
	Edited        string `json:"edited"`
	Statement     string `json:"statement"`
}

// Email approval states, as EmailApprovalView.State says them.
const (
	EmailApprovalNone     = ""           // nothing asked by email for these words
	EmailApprovalWaiting  = "waiting"    // sent, no reply that counts yet
	EmailApprovalApproved = "approved"   // the patient approved by email
	EmailApprovalDeclined = "declined"   // the patient (or the manager reading the reply) said no
	EmailApprovalToRead   = "needs_look" // an unclear reply waits for the manager
	EmailApprovalExpired  = "expired"    // no reply that counts while the request was open
)

// EmailApprovalView is where an emailed approval of a testimonial's words
// stands, for its card and its approval dialog. Dates are RFC 3339; the
// screen writes them in the practice's format.
type EmailApprovalView struct {
	State     string `json:"state"`
	FirstName string `json:"firstName"` // the patient's
	To        string `json:"to"`        // the address the request went to
	Since     string `json:"since"`     // when the request was sent
	At        string `json:"at"`        // when it was approved or declined
	Until     string `json:"until"`     // when the request closes
	RequestID int64  `json:"requestId"`
	// ReplyID and Reply are the reply the manager must read (needs_look)
	// or the one that declined.
	ReplyID int64  `json:"replyId"`
	Reply   string `json:"reply"`
	// Notes say what did not count and why (another address, too late).
	Notes []string `json:"notes"`
}

// EmailApprovalReadiness says whether the approval can be asked by email,
// and when not, why (for the disabled button).
type EmailApprovalReadiness struct {
	CanSend bool   `json:"canSend"`
	Reason  string `json:"reason"`
	To      string `json:"to"`
}

func firstName(full string) string {
	if f := strings.Fields(full); len(f) > 0 {
		return f[0]
	}
	return full
}

// EmailApprovalReady says whether "Send to the patient by email" can be
// used for testimonial id: a mailbox connected and an address on record.
func (s *MailService) EmailApprovalReady(id int64) (EmailApprovalReadiness, error) {
	return withDB(s.c, func(ctx context.Context, db *store.DB) (EmailApprovalReadiness, error) {
		t, err := db.Testimonial(ctx, id)
		if err != nil {
			return EmailApprovalReadiness{}, err
		}
		if _, ok, err := s.loadSettings(ctx, db); err != nil {
			return EmailApprovalReadiness{}, err
		} else if !ok {
			return EmailApprovalReadiness{Reason: "No mailbox is connected. Connect the practice mailbox in Settings → Mailbox first."}, nil
		}
		p, err := db.Patient(ctx, t.PatientID)
		if err != nil {
			return EmailApprovalReadiness{}, err
		}
		if strings.TrimSpace(p.Email) == "" {
			return EmailApprovalReadiness{Reason: firstName(p.FullName) + " has no email address on record. Add one on Patients, then come back."}, nil
		}
		return EmailApprovalReadiness{CanSend: true, To: p.Email}, nil
	})
}

// SendQuoteApproval emails the patient of testimonial id the words they
// approved and the new ones, asking them to reply yes or no.
func (s *MailService) SendQuoteApproval(id int64) (EmailApprovalView, error) {
	ctx, db, acct, err := s.openAccount()
	if err != nil {
		return EmailApprovalView{}, err
	}
	t, e, qe, err := quoteEdit(ctx, db, id)
	if err != nil {
		return EmailApprovalView{}, err
	}
	if err := approvalNeeded(t, e); err != nil {
		return EmailApprovalView{}, err
	}
	p, err := patientForMail(ctx, db, t.PatientID)
	if err != nil {
		return EmailApprovalView{}, err
	}
	practice := e.Consent.Practice.Name
	d := quoteMailDetail{TestimonialID: t.ID, ConsentID: e.Consent.ID, SHA256: consent.QuoteHash(t.Quote),
		Approved: qe.Approved, Edited: qe.Edited, Statement: approvalStatement(practice, qe.Change.LengthOrTypos)}
	detail, _ := json.Marshal(d)
	req := mail.Request{Kind: app.KindQuoteApproval, PatientName: p.FullName, PatientEmail: p.Email, PracticeName: practice,
		ApprovedWords: d.Approved, NewWords: d.Edited, Statement: d.Statement}
	if _, err := s.send(ctx, db, acct, req, gate.MailPost{PatientID: p.ID, ConsentID: e.Consent.ID, Words: d.Edited}, string(detail)); err != nil {
		return EmailApprovalView{}, err
	}
	s.c.Emit.Emit(EventConsentChanged, nil) // the card shows the request
	return emailApprovalOf(ctx, db, s.c.Clock.Now(), t)
}

// EmailApproval says where the emailed approval of testimonial id stands.
func (s *MailService) EmailApproval(id int64) (EmailApprovalView, error) {
	return withDB(s.c, func(ctx context.Context, db *store.DB) (EmailApprovalView, error) {
		t, err := db.Testimonial(ctx, id)
		if err != nil {
			return EmailApprovalView{}, err
		}
		return emailApprovalOf(ctx, db, s.c.Clock.Now(), t)
	})
}

// quoteRequest is an approval request with what it asked.
type quoteRequest struct {
	req    app.MailRequest
	detail quoteMailDetail
}

// quoteRequests lists the approval requests that reached the server (or
// may have), newest first.
func quoteRequests(ctx context.Context, db *store.DB) ([]quoteRequest, error) {
	rs, err := db.MailRequestsOfKind(ctx, app.KindQuoteApproval, 500)
	if err != nil {
		return nil, err
	}
	var out []quoteRequest
	for _, r := range rs {
		if r.State == app.MailFailed {
			continue
		}
		q, err := quoteRequestOf(r)
		if err != nil {
			continue // unreadable: nothing can be approved from it
		}
		out = append(out, q)
	}
	return out, nil
}

// quoteRequestOf reads what approval request r asked.
func quoteRequestOf(r app.MailRequest) (quoteRequest, error) {
	var d quoteMailDetail
	err := json.Unmarshal([]byte(r.Detail), &d)
	return quoteRequest{req: r, detail: d}, err
}

// sentAt is when the request went out; one still being sent counts from
// when it was made.
func (q quoteRequest) sentAt() time.Time {
	if q.req.SentAt.IsZero() {
		return q.req.CreatedAt
	}
	return q.req.SentAt
}

// judged is one reply to an approval request and what it amounts to.
type judged struct {
	reply   app.MailReply
	verdict consent.ApprovalVerdict
}

// judgeReplies applies consent.JudgeApprovalReply to every reply to q. The
// patient's address is the one on record now: a reply must come from it.
func judgeReplies(ctx context.Context, db *store.DB, q quoteRequest, currentSHA string) ([]judged, error) {
	rs, err := db.RepliesToRequest(ctx, q.req.ID)
	if err != nil {
		return nil, err
	}
	p, err := db.Patient(ctx, q.req.PatientID)
	if err != nil {
		return nil, err
	}
	sent := q.sentAt()
	out := make([]judged, 0, len(rs))
	for _, r := range rs {
		it := r.Item
		manager := consent.ManagerNone
		switch r.Status {
		case app.ReplyConfirmed:
			manager = consent.ManagerApproves
		case app.ReplyRejected, app.ReplyIgnored:
			manager = consent.ManagerDeclines
		}
		v := consent.JudgeApprovalReply(consent.ApprovalReply{
			Answer:        consent.ReadApprovalAnswer(it.Words),
			FromPatient:   p.Email != "" && strings.EqualFold(strings.TrimSpace(it.FromAddress), strings.TrimSpace(p.Email)) && !it.HasFlag(app.FlagSenderMismatch),
			SenderInDoubt: it.HasFlag(app.FlagSenderFailed) || it.HasFlag(app.FlagForgedAuth) || it.HeadersOnly,
			SentAt:        sent, ReceivedAt: r.ReceivedAt,
			WordsChanged: q.detail.SHA256 != currentSHA,
			Manager:      manager,
		})
		out = append(out, judged{reply: r, verdict: v})
	}
	return out, nil
}

// emailApprovalOf builds the view for testimonial t from the newest request
// for its current words.
func emailApprovalOf(ctx context.Context, db *store.DB, now time.Time, t app.Testimonial) (EmailApprovalView, error) {
	if t.ConsentID == 0 {
		return EmailApprovalView{Notes: []string{}}, nil
	}
	e, err := db.Consent(ctx, t.ConsentID)
	if err != nil {
		return EmailApprovalView{}, err
	}
	return emailApprovalWith(ctx, db, now, t, e.QuoteApprovals)
}

// emailApprovalWith is emailApprovalOf for a caller that has already read
// the consent's approvals.
func emailApprovalWith(ctx context.Context, db *store.DB, now time.Time, t app.Testimonial, approvals []app.QuoteApproval) (EmailApprovalView, error) {
	v := EmailApprovalView{Notes: []string{}}
	sha := consent.QuoteHash(t.Quote)
	qs, err := quoteRequests(ctx, db)
	if err != nil {
		return v, err
	}
	var q *quoteRequest
	for i := range qs {
		if qs[i].detail.TestimonialID == t.ID && qs[i].detail.SHA256 == sha {
			q = &qs[i]
			break
		}
	}
	for _, a := range approvals {
		if a.SHA256 == sha && a.How == app.ApprovedByEmail {
			v.State, v.At = EmailApprovalApproved, a.ApprovedAt.UTC().Format(time.RFC3339)
		}
	}
	if q == nil {
		return v, nil
	}
	v.FirstName, v.To, v.RequestID = firstName(q.req.PatientName), q.req.PatientEmail, q.req.ID
	sent := q.sentAt()
	v.Since = sent.UTC().Format(time.RFC3339)
	v.Until = sent.AddDate(0, 0, consent.ApprovalRequestDays).UTC().Format(time.RFC3339)
	if v.State == EmailApprovalApproved {
		return v, nil
	}
	js, err := judgeReplies(ctx, db, *q, sha)
	if err != nil {
		return v, err
	}
	v.State = EmailApprovalWaiting
	for _, j := range js {
		r := j.reply
		switch j.verdict {
		case consent.VerdictDeclined:
			at := r.DecidedAt // the patient's plain no is recorded at the sync that brings it
			if at.IsZero() {
				at = r.ReceivedAt
			}
			v.State, v.At, v.ReplyID, v.Reply = EmailApprovalDeclined, at.UTC().Format(time.RFC3339), r.ID, r.Item.Words
		case consent.VerdictNeedsManager:
			if v.State != EmailApprovalDeclined {
				v.State, v.ReplyID, v.Reply = EmailApprovalToRead, r.ID, r.Item.Words
			}
		case consent.VerdictApproved:
			// A plain yes the next sync records; until then it is not yet
			// an approval on record, so the card still says waiting.
		case consent.VerdictNotFromPatient:
			v.Notes = append(v.Notes, "A reply came from "+cmp.Or(strings.TrimSpace(r.Item.FromAddress), "an unknown address")+
				", not from the address on record, or its sender could not be confirmed. It does not count.")
		case consent.VerdictExpired:
			v.Notes = append(v.Notes, "A reply came after the request closed. It does not count: send the request again.")
		}
	}
	if v.State == EmailApprovalWaiting && now.After(sent.AddDate(0, 0, consent.ApprovalRequestDays)) {
		v.State = EmailApprovalExpired
	}
	return v, nil
}

// settleQuoteReplies records what plain answers to approval requests say,
// after every sync: a plain yes from the patient is the approval (stored
// with the reply as evidence), a plain no is recorded as declined. Anything
// else stays for the manager. It runs in the background, like the sync.
func (s *MailService) settleQuoteReplies(ctx context.Context, db *store.DB) {
	s.decideMu.Lock()
	defer s.decideMu.Unlock()
	qs, err := quoteRequests(ctx, db)
	if err != nil {
		logError("read approval requests", err)
		return
	}
	changed := false
	for _, q := range qs {
		if q.req.State == app.MailAnswered {
			continue
		}
		t, err := db.Testimonial(ctx, q.detail.TestimonialID)
		if app.ErrorCode(err) == app.ENOTFOUND {
			continue
		} else if err != nil {
			logError("read testimonial for approval", err)
			continue
		}
		js, err := judgeReplies(ctx, db, q, consent.QuoteHash(t.Quote))
		if err != nil {
			logError("judge approval replies", err)
			continue
		}
		for _, j := range js {
			if j.reply.Status != app.ReplyPending {
				continue
			}
			switch {
			case j.verdict == consent.VerdictApproved && j.reply.Item.Intent != app.IntentWithdrawal:
				// A yes in a reply that also reads as a withdrawal is for
				// the manager to read: it stays on Email replies.
				err = s.approveByReply(ctx, db, q, j.reply, "patient", "")
			case j.verdict == consent.VerdictDeclined && j.reply.Item.Intent != app.IntentWithdrawal:
				err = db.RecordPatientDecline(ctx, j.reply.ID, "The patient declined the new words.")
			// A no in withdrawal words ("please don't use them") has put the
			// patient's consents on hold: it stays on Email replies, where
			// the manager confirms the withdrawal or releases the hold.
			// Either way it counts as declined here.
			default:
				continue
			}
			if err != nil {
				logError("record approval reply", err)
				continue
			}
			changed = true
			if j.verdict == consent.VerdictApproved {
				break // the request is answered
			}
		}
	}
	if changed {
		s.c.Emit.Emit(EventConsentChanged, nil)
		s.c.Emit.Emit(EventMailChanged, nil)
	}
}

// approveByReply stores the approval reply r gives to request q.
func (s *MailService) approveByReply(ctx context.Context, db *store.DB, q quoteRequest, r app.MailReply, actor, note string) error {
	at := r.ReceivedAt
	if now := s.c.Clock.Now(); at.IsZero() || at.After(now) {
		at = now
	}
	_, err := db.ApproveQuoteByReply(ctx, actor, note, app.NewQuoteApproval{
		Approval:      app.QuoteApproval{ConsentID: q.detail.ConsentID, SHA256: q.detail.SHA256, ApprovedAt: at, How: app.ApprovedByEmail},
		TestimonialID: q.detail.TestimonialID,
		Evidence: app.QuoteEvidence{ReplyID: r.ID, ShownText: "Your words as you approved them:\n" + q.detail.Approved +
			"\n\nThe new words:\n" + q.detail.Edited + "\n\n" + q.detail.Statement},
	})
	return err
}

// unclearReply reads reply id, which must be an unclear answer to an
// approval request still waiting for the manager.
func (s *MailService) unclearReply(ctx context.Context, db *store.DB, id int64) (quoteRequest, app.MailReply, app.Testimonial, error) {
	r, req, err := pendingWithRequest(ctx, db, id, app.KindQuoteApproval)
	if err != nil {
		return quoteRequest{}, r, app.Testimonial{}, err
	}
	q, err := quoteRequestOf(req)
	if err != nil {
		return quoteRequest{}, r, app.Testimonial{}, app.Internal(err, "The request this reply answers could not be read. Send the patient a new request from the testimonial.")
	}
	t, err := db.Testimonial(ctx, q.detail.TestimonialID)
	if err != nil {
		return q, r, t, err
	}
	js, err := judgeReplies(ctx, db, q, consent.QuoteHash(t.Quote))
	if err != nil {
		return q, r, t, err
	}
	for _, j := range js {
		if j.reply.ID != id {
			continue
		}
		if r.Item.Intent == app.IntentWithdrawal {
			return q, r, t, app.Errorf(app.ECONFLICT, "This reply reads as the patient withdrawing their consent, which is on hold. On Email replies, confirm the withdrawal or release the hold first; it cannot approve new words.")
		}
		switch j.verdict {
		case consent.VerdictNeedsManager:
			return q, r, t, nil
		case consent.VerdictNotFromPatient:
			return q, r, t, app.Errorf(app.ECONFLICT, "This reply did not come from the patient's address on record (or its sender could not be confirmed), so it cannot approve the words. On Testimonials, send the request again.")
		case consent.VerdictExpired:
			return q, r, t, app.Errorf(app.ECONFLICT, "This reply came after the request closed, so it cannot approve the words. On Testimonials, send the request again.")
		case consent.VerdictWordsChanged:
			return q, r, t, app.Errorf(app.ECONFLICT, "The testimonial's words were changed after this email was sent, so the reply approves nothing. On Testimonials, send the new words.")
		case consent.VerdictDeclined:
			return q, r, t, app.Errorf(app.ECONFLICT, "The patient said no in this reply; only a new request can ask again.")
		default:
			return q, r, t, app.Errorf(app.ECONFLICT, "This reply is a plain yes and is recorded on its own at the next check for replies.")
		}
	}
	return q, r, t, app.Errorf(app.ENOTFOUND, "That reply is not in PracticePost.")
}

// ConfirmQuoteReply records that an unclear reply approves the new words,
// on the manager's word: how says how they made sure (e.g. "Phoned Zoë on
// 3 Nov, she approves the new words"), and is kept with the reply.
func (s *MailService) ConfirmQuoteReply(id int64, how string) (EmailApprovalView, error) {
	s.decideMu.Lock()
	defer s.decideMu.Unlock()
	return withDB(s.c, func(ctx context.Context, db *store.DB) (EmailApprovalView, error) {
		how = strings.Join(strings.Fields(how), " ")
		if how == "" {
			return EmailApprovalView{}, app.FieldError("how", "Say how you made sure the patient approves these words, for example “Phoned them on 3 November; they approve”.")
		}
		if utf8.RuneCountInString(how) > 500 {
			return EmailApprovalView{}, app.FieldError("how", "Keep it to 500 characters.")
		}
		q, r, t, err := s.unclearReply(ctx, db, id)
		if err != nil {
			return EmailApprovalView{}, err
		}
		if err := s.approveByReply(ctx, db, q, r, "practice manager", how); err != nil {
			return EmailApprovalView{}, err
		}
		s.c.Emit.Emit(EventConsentChanged, nil)
		s.c.Emit.Emit(EventMailChanged, nil)
		s.emitStatus()
		return emailApprovalOf(ctx, db, s.c.Clock.Now(), t)
	})
}

// DeclineQuoteReply records that an unclear reply does not approve the new
// words. The testimonial stays blocked.
func (s *MailService) DeclineQuoteReply(id int64) (EmailApprovalView, error) {
	s.decideMu.Lock()
	defer s.decideMu.Unlock()
	return withDB(s.c, func(ctx context.Context, db *store.DB) (EmailApprovalView, error) {
		_, _, t, err := s.unclearReply(ctx, db, id)
		if err != nil {
			return EmailApprovalView{}, err
		}
		if err := db.DismissMailReply(ctx, id, app.ReplyRejected, "Read by the practice manager: it does not approve the new words."); err != nil {
			return EmailApprovalView{}, err
		}
		s.c.Emit.Emit(EventConsentChanged, nil)
		s.c.Emit.Emit(EventMailChanged, nil)
		s.emitStatus()
		return emailApprovalOf(ctx, db, s.c.Clock.Now(), t)
	})
}
