package service

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"practicepost/app"
	"practicepost/app/consent"
	"practicepost/app/mail"
	"practicepost/app/store"
)

// The reply is the evidence: a consent confirmed from an email covers at
// most what the reply agreed to, a reply read two ways waits for the
// manager's record of how it was resolved, a doubtful sender for their
// record of how it was verified, and a withdrawal holds the patient's
// consents from the moment it is recorded.

// ResolutionInput is the manager's record of how an unclear reply was
// settled, e.g. "Phoned the patient", "Sam at reception", "2026-12-06 10:15".
type ResolutionInput struct {
	How  string `json:"how"`
	Who  string `json:"who"`
	When string `json:"when"`
}

func (r *ResolutionInput) clean() {
	r.How, r.Who, r.When = strings.TrimSpace(r.How), strings.TrimSpace(r.Who), strings.TrimSpace(r.When)
}

// replyResolution is what is kept with the reply (mail_replies.resolution).
type replyResolution struct {
	Resolution  *ResolutionInput `json:"resolution,omitempty"`
	SenderCheck string           `json:"senderCheck,omitempty"`
	// NameCheck is how the manager confirmed the name the consent is
	// signed with when the reply gave none or another; NameTyped is the
	// name the reply gave ("" for none), so the evidence shows which name
	// came from the patient and which from the practice.
	NameCheck string `json:"nameCheck,omitempty"`
	NameTyped string `json:"nameTyped,omitempty"`
	// Narrowed lists the boxes the reply agreed to that the manager left
	// out of the consent.
	Narrowed []string `json:"narrowed,omitempty"`
}

func checkResolution(r ResolutionInput) error {
	switch {
	case r.How == "":
		return app.FieldError("resolution.how", "Say how the unclear answer was settled, for example \"Phoned the patient, who confirmed Facebook only\".")
	case r.Who == "":
		return app.FieldError("resolution.who", "Say who settled it (your name, or who spoke to the patient).")
	case r.When == "":
		return app.FieldError("resolution.when", "Say when it was settled (date and time).")
	}
	for _, v := range []string{r.How, r.Who, r.When} {
		if utf8.RuneCountInString(v) > 500 {
			return app.FieldError("resolution.how", "Keep each part of the record to 500 characters.")
		}
	}
	return nil
}

// replyAllows is what a reply lets a confirmed consent cover: the boxes it
// agreed to, and, once the manager recorded how an unclear reading was
// resolved, the boxes it answered unclearly. A box left blank, declined or
// missing can never be ticked.
type replyAllows struct {
	boxes map[string]bool
}

func allowsFrom(sr app.ScopeReading, resolved bool) replyAllows {
	a := replyAllows{boxes: map[string]bool{}}
	for _, k := range sr.Agreed {
		a.boxes[k] = true
	}
	if resolved {
		for _, k := range sr.Ambiguous {
			a.boxes[k] = true
		}
	}
	return a
}

// identity reports whether naming or showing the patient as e stays within
// the reply: a name form is allowed when the reply agreed to it or to a
// more revealing one (first name only is narrower than full name).
func (a replyAllows) identity(e app.IdentityElement) bool {
	if a.boxes[string(e)] {
		return true
	}
	if app.NameRank(e) < 0 {
		return false
	}
	for k := range a.boxes {
		if allowed := app.IdentityElement(k); app.NameRank(allowed) >= 0 && app.NameFits(e, allowed) {
			return true
		}
	}
	return false
}

// checkNarrowing refuses a confirmation that ticks anything the reply did
// not agree to, naming the first such box.
func checkNarrowing(a replyAllows, identity []app.IdentityElement, channels []app.ConsentChannel) error {
	for _, e := range identity {
		if !a.identity(e) {
			return app.FieldError("identity", "The patient's reply did not agree to “%s”, so it cannot be ticked. You can only leave out boxes the patient ticked, never add one; ask the patient for a new consent to cover more.", consent.IdentityLabel(e))
		}
	}
	for _, c := range channels {
		if !a.boxes[string(c)] {
			return app.FieldError("channels", "The patient's reply did not agree to “%s”, so it cannot be ticked. You can only leave out boxes the patient ticked, never add one; ask the patient for a new consent to cover more.", consent.ChannelLabel(c))
		}
	}
	return nil
}

// narrowed lists the agreed boxes the manager left out.
func narrowed(sr app.ScopeReading, identity []app.IdentityElement, channels []app.ConsentChannel) []string {
	var out []string
	for _, k := range sr.Agreed {
		if !slices.Contains(identity, app.IdentityElement(k)) && !slices.Contains(channels, app.ConsentChannel(k)) {
			out = append(out, k)
		}
	}
	return out
}

// checkReplyEvidence refuses a confirmation the reply does not support and
// returns what to keep with the reply (JSON; "" when nothing needed
// recording): the resolution of an unclear reading, how a doubtful sender
// was verified, and which agreed boxes the manager left out.
func checkReplyEvidence(r app.MailReply, req app.MailRequest, in *ConfirmConsentInput) (string, error) {
	it := r.Item
	switch {
	case req.State == app.MailAnswered || it.HasFlag(app.FlagAfterAnswer):
		return "", app.Errorf(app.ECONFLICT, "This request was already answered and confirmed, so a later reply cannot become a second consent. Read it, and reject or ignore it; if the patient wants to change their consent, send a new request.")
	case it.Intent == app.IntentNeedsLook || it.Intent == app.IntentUnmatched || it.HasFlag(app.FlagNoReference):
		return "", app.Errorf(app.EINVALID, "This reply is not an answer to an open request, so it cannot become a consent. Read it, then reject or ignore it.")
	}
	in.Resolution.clean()
	in.SenderCheck = strings.TrimSpace(in.SenderCheck)
	var rec replyResolution
	if it.NeedsResolution() {
		if err := checkResolution(in.Resolution); err != nil {
			return "", err
		}
		rec.Resolution = &in.Resolution
	}
	if it.NeedsSenderCheck() {
		if in.SenderCheck == "" {
			return "", app.FieldError("senderCheck", "This reply's sender could not be confirmed. Before confirming, check with the patient (for example by phone, on the number in their record) and say how you did.")
		}
		if utf8.RuneCountInString(in.SenderCheck) > 500 {
			return "", app.FieldError("senderCheck", "Keep the note to 500 characters.")
		}
		rec.SenderCheck = in.SenderCheck
	}
	in.NameCheck = strings.TrimSpace(in.NameCheck)
	signer := strings.Join(strings.Fields(in.SignerName), " ")
	if typed := strings.Join(strings.Fields(it.TypedName), " "); typed != "" && signer != "" && !mail.SameName(signer, typed) {
		return "", app.FieldError("signerName", "The reply is signed “%s”: a consent records the name the patient signed with. If the patient should sign with another name, ask them to reply again with it.", typed)
	}
	if it.NeedsNameCheck() {
		if in.NameCheck == "" {
			return "", app.FieldError("nameCheck", "The reply is not signed with the patient's name on record. Before confirming, check with the patient (for example by phone) the name they sign with, and say how you did.")
		}
		if utf8.RuneCountInString(in.NameCheck) > 500 {
			return "", app.FieldError("nameCheck", "Keep the note to 500 characters.")
		}
		rec.NameCheck, rec.NameTyped = in.NameCheck, strings.TrimSpace(it.TypedName)
	}
	if err := checkNarrowing(allowsFrom(it.Scope, it.NeedsResolution()), in.Identity, in.Channels); err != nil {
		if len(it.Scope.Agreed)+len(it.Scope.Ambiguous) == 0 && len(it.Attachments) > 0 {
			return "", app.FieldError(app.ErrorField(err), "The reply ticks no boxes in its words. If the patient sent the signed form as a scan or photo, record it under Consents → Paper form instead.")
		}
		return "", err
	}
	rec.Narrowed = narrowed(it.Scope, in.Identity, in.Channels)
	if rec.Resolution == nil && rec.SenderCheck == "" && rec.NameCheck == "" && len(rec.Narrowed) == 0 {
		return "", nil
	}
	b, _ := json.Marshal(rec)
	return string(b), nil
}

// ---- holds from emailed withdrawals

// HoldView is one consent on hold, as Home shows it: urgent until the
// manager confirms the withdrawal or releases the hold.
type HoldView struct {
	ConsentID   int64  `json:"consentId"`
	PatientID   int64  `json:"patientId"`
	PatientName string `json:"patientName"`
	Since       string `json:"since"` // RFC 3339
	SinceText   string `json:"sinceText"`
	Reason      string `json:"reason"`
	ReplyID     int64  `json:"replyId"`
	Words       string `json:"words"`    // the patient's line that reads as a withdrawal
	Channels    string `json:"channels"` // what the consent covers, in words
}

// OnHoldHook is told which consents an emailed withdrawal just put on hold.
type OnHoldHook func(ctx context.Context, consentIDs []int64)

// onHold runs after a withdrawal reply is stored: the hold is already in
// the database (the gate sees it); this tells the publishing queue and the
// screens.
func (s *MailService) onHold(ctx context.Context, ids []int64) {
	if s.OnHold != nil {
		s.OnHold(ctx, ids)
	}
	s.c.Emit.Emit(EventConsentChanged, nil)
	s.c.Emit.Emit(EventMailChanged, nil)
}

// Holds lists the consents on hold after an emailed withdrawal, oldest
// first.
func (s *MailService) Holds() ([]HoldView, error) {
	return withDB(s.c, func(ctx context.Context, db *store.DB) ([]HoldView, error) {
		hs, err := db.StandingHolds(ctx)
		if err != nil {
			return nil, err
		}
		out := make([]HoldView, 0, len(hs))
		for _, h := range hs {
			e, err := db.Consent(ctx, h.Hold.ConsentID)
			if err != nil {
				return nil, err
			}
			c := e.Consent
			v := HoldView{ConsentID: c.ID, PatientID: c.PatientID, PatientName: c.Patient.FullName, Since: h.Hold.At.UTC().Format(time.RFC3339),
				SinceText: h.Hold.At.In(zoneOf(c)).Format(consent.DateLayout(c.Country) + " 15:04"), Reason: h.Hold.Reason, ReplyID: h.Hold.ReplyID}
			var ch []string
			for _, x := range c.Scope.Channels {
				ch = append(ch, consent.ChannelLabel(x))
			}
			v.Channels = strings.Join(ch, ", ")
			if h.Hold.ReplyID != 0 {
				if r, err := db.MailReply(ctx, h.Hold.ReplyID); err == nil {
					v.Words = r.Item.Withdrawal
				}
			}
			out = append(out, v)
		}
		return out, nil
	})
}

// ConfirmWithdrawal records the emailed withdrawal of a consent on hold
// through the ordinary withdrawal (posts blocked, takedown list), dated the
// day the email arrived, and ends the hold.
func (s *MailService) ConfirmWithdrawal(consentID int64, note string) (RevokeResult, error) {
	return withDB(s.c, func(ctx context.Context, db *store.DB) (RevokeResult, error) {
		e, err := db.Consent(ctx, consentID)
		if err != nil {
			return RevokeResult{}, err
		}
		if !e.Hold.Active(s.c.Clock.Now()) {
			return RevokeResult{}, app.Errorf(app.ECONFLICT, "This consent is not on hold any more. Open it under Consents to see what was decided.")
		}
		note = strings.TrimSpace(note)
		if note == "" {
			note = "Withdrawn by email."
		}
		var res RevokeResult
		if e.Revocation == nil {
			on := e.Hold.At.In(zoneOf(e.Consent)).Format("2006-01-02")
			if res, err = s.consents.Revoke(consentID, on, "email", note); err != nil {
				return RevokeResult{}, err
			}
		} else {
			// A confirmation cut short after the withdrawal was recorded.
			d, err := s.consents.Get(consentID)
			if err != nil {
				return RevokeResult{}, err
			}
			res = RevokeResult{Consent: d.Consent, InWritingRequired: consent.InWritingRequired(e.Consent.Country, "email"), Takedown: d.Takedown}
		}
		if err := db.EndHold(ctx, consentID, app.HoldWithdrawn, note); err != nil {
			return RevokeResult{}, err
		}
		s.c.Emit.Emit(EventConsentChanged, nil)
		s.c.Emit.Emit(EventMailChanged, nil)
		return res, nil
	})
}

// ReleaseHold ends a hold without a withdrawal, for instance when the
// patient, asked, said they meant something else. The note is required.
func (s *MailService) ReleaseHold(consentID int64, note string) (HoldView, error) {
	return withDB(s.c, func(ctx context.Context, db *store.DB) (HoldView, error) {
		note = strings.TrimSpace(note)
		if note == "" {
			return HoldView{}, app.FieldError("note", "Say why the hold can be released, for example \"Phoned the patient on 6 Dec: she meant the newsletter, not her testimonial\".")
		}
		if utf8.RuneCountInString(note) > 1000 {
			return HoldView{}, app.FieldError("note", "Keep the note to 1,000 characters.")
		}
		e, err := db.Consent(ctx, consentID)
		if err != nil {
			return HoldView{}, err
		}
		if !e.Hold.Active(s.c.Clock.Now()) {
			return HoldView{}, app.Errorf(app.ECONFLICT, "This consent is not on hold any more.")
		}
		if err := db.EndHold(ctx, consentID, app.HoldReleased, note); err != nil {
			return HoldView{}, err
		}
		s.c.Emit.Emit(EventConsentChanged, nil)
		s.c.Emit.Emit(EventMailChanged, nil)
		return HoldView{ConsentID: consentID, PatientID: e.Consent.PatientID, PatientName: e.Consent.Patient.FullName}, nil
	})
}

// LookBack reads the mailbox again from days ago (1 to 365): replies that
// arrived before the mailbox was connected. Replies already recorded are
// not recorded twice.
func (s *MailService) LookBack(days int) (MailStatus, error) {
	return withDB(s.c, func(ctx context.Context, db *store.DB) (MailStatus, error) {
		if days < 1 || days > 365 {
			return MailStatus{}, app.FieldError("days", "Choose between 1 and 365 days.")
		}
		st, ok, err := s.loadSettings(ctx, db)
		if err != nil {
			return MailStatus{}, err
		}
		if !ok {
			return MailStatus{}, app.Errorf(app.EINVALID, "Set up the practice mailbox in Settings → Mailbox first.")
		}
		ss, err := db.GetSyncState(ctx, orINBOX(st.Mailbox))
		if err != nil {
			return MailStatus{}, app.Internal(err, "PracticePost could not read its email bookmark.")
		}
		ss.Since = s.c.Clock.Now().AddDate(0, 0, -days)
		ss.LastUID, ss.Marks = 0, nil
		if err := db.PutSyncState(ctx, ss); err != nil {
			return MailStatus{}, app.Internal(err, "PracticePost could not save its email bookmark. Check there is free disk space.")
		}
		if err := db.Tx(ctx, func(tx *store.Tx) error {
			return tx.Audit(ctx, "practice manager", "mail.lookback", "mailbox", map[string]string{"days": strconv.Itoa(days)})
		}); err != nil {
			return MailStatus{}, err
		}
		return s.CheckNow()
	})
}
