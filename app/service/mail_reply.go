package service

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"practicepost/app"
	"practicepost/app/consent"
	"practicepost/app/mail"
	"practicepost/app/store"
)

// FlagView is a flag explained in plain words.
type FlagView struct {
	Flag  string `json:"flag"`
	Title string `json:"title"`
	Text  string `json:"text"`
}

var flagWords = map[mail.Flag][2]string{
	mail.FlagAmbiguous:          {"Unclear answer", "At least one answer could be read two ways. Check each box below against the patient's words before confirming."},
	mail.FlagNoScope:            {"No boxes answered", "The reply does not say yes or no to any of the boxes. Ask the patient to answer the boxes, or reject the reply."},
	mail.FlagUnsigned:           {"Not signed", "The patient did not type their full name and attached no signed form. A consent needs a signature: ask them to reply with their full name."},
	mail.FlagNameMismatch:       {"Different name", "The name typed in the reply is not the name on the patient's record. Check who answered; a parent or carer needs the paper or on-screen form."},
	mail.FlagSenderMismatch:     {"Different email address", "The reply came from an address other than the one the request went to. Make sure it really is the patient before confirming."},
	mail.FlagNoMatchingRequest:  {"No matching request", "The reply mentions a request reference PracticePost does not know. It cannot become a consent; ignore it or deal with it in your email program."},
	mail.FlagConflictingTokens:  {"Two requests mentioned", "The reply mentions more than one request. Check it answers the request shown here."},
	mail.FlagAttachmentTooLarge: {"Attachment too large", "An attachment was too large to keep. Ask the patient for a smaller scan or photo."},
	mail.FlagAttachmentRejected: {"Attachment not kept", "An attachment was not a PDF, JPEG or PNG, so it was not kept. Ask the patient to send it in one of those formats."},
	mail.FlagMessageTooLarge:    {"Email too large", "The email was too large to keep in full; only its header was stored. Open it in your email program."},
	mail.FlagUnreadableText:     {"Hard to read", "Part of the email could not be read (an unusual character set or encoding). Open it in your email program to check the wording."},
	mail.FlagAnsweredInQuote:    {"Ticked in the quoted email", "The patient ticked the boxes inside the copy of our email rather than in their own reply. Check the ticks carefully."},
	mail.FlagMissingBoxes:       {"Boxes missing", "Some of the boxes we sent are missing from the reply. Boxes not in the reply count as not agreed; before confirming, check with the patient and record how you did."},
	mail.FlagWithdrawal:         {"Reads as a withdrawal", "The patient's words read as a request to withdraw. Their consents are on hold: confirm the withdrawal or release the hold on Home."},
	mail.FlagAfterAnswer:        {"Request already answered", "This request was already answered and confirmed, so this later reply can never become a consent. Read it and deal with it by hand."},
	mail.FlagSenderFailed:       {"Sender not confirmed", "Your mail provider could not confirm this email came from the address it shows. It may be forged: check with the patient another way before confirming."},
	mail.FlagNoReference:        {"No reference", "The email does not mention a request; it was matched to the patient by the address it came from because it reads as a withdrawal."},
	mail.FlagForgedAuth:         {"Forged sender check", "The email carries a sender check your mail provider did not write, claiming a pass. Treat it as forged until the patient confirms another way."},
}

// ScopeOptionView is one box of the request and how the reply answered it.
type ScopeOptionView struct {
	Key    string `json:"key"`
	Label  string `json:"label"`
	Group  string `json:"group"`  // identity or channel
	Answer string `json:"answer"` // yes, no, ambiguous, unanswered
	Line   string `json:"line"`   // the patient's line it was read from
}

// AttachmentView is a file kept from a reply.
type AttachmentView struct {
	Filename    string `json:"filename"`
	ContentType string `json:"contentType"`
	Size        int64  `json:"size"`
	SHA256      string `json:"sha256"`
	URL         string `json:"url"`
	IsImage     bool   `json:"isImage"`
}

// ReplySummary is one row of the queue.
type ReplySummary struct {
	ID          int64    `json:"id"`
	Kind        string   `json:"kind"` // consent, testimonial, or "" when unmatched
	PatientName string   `json:"patientName"`
	FromAddress string   `json:"fromAddress"`
	Subject     string   `json:"subject"`
	ReceivedAt  string   `json:"receivedAt"`
	Status      string   `json:"status"`
	Flags       []string `json:"flags"`
	Preview     string   `json:"preview"`
	Intent      string   `json:"intent"` // answer, withdrawal, needs_look or unmatched
}

// ReplyView is one reply as the reviewer sees it.
type ReplyView struct {
	ReplySummary
	FromName      string            `json:"fromName"`
	Words         string            `json:"words"`
	HTMLOnly      bool              `json:"htmlOnly"`
	TypedName     string            `json:"typedName"`
	Attachments   []AttachmentView  `json:"attachments"`
	FlagViews     []FlagView        `json:"flagViews"`
	Notes         []string          `json:"notes"`
	Options       []ScopeOptionView `json:"options"`
	Unclear       []string          `json:"unclear"`
	RawURL        string            `json:"rawUrl"`
	Request       *MailRequestView  `json:"request"`
	PatientID     int64             `json:"patientId"`
	RecordName    string            `json:"recordName"` // the patient's name on record
	Quote         string            `json:"quote"`      // what the consent request covers
	Media         []MediaRef        `json:"media"`
	ConsentID     int64             `json:"consentId"`
	TestimonialID int64             `json:"testimonialId"`
	Note          string            `json:"note"`
	CanConfirm    bool              `json:"canConfirm"`

	// ReplySummary.Intent says what the reply is.
	Withdrawal  string           `json:"withdrawal"` // the patient's withdrawal line
	Sender      mail.SenderCheck `json:"sender"`
	HeadersOnly bool             `json:"headersOnly"`
	// NeedsResolution: unclear; confirming needs the record of how it was
	// resolved. NeedsSenderCheck: confirming needs how the sender was
	// verified.
	NeedsResolution  bool   `json:"needsResolution"`
	NeedsSenderCheck bool   `json:"needsSenderCheck"`
	Resolution       string `json:"resolution"` // as recorded (JSON), "" when none
	// Held lists the consents this reply put on hold that still stand.
	Held []int64 `json:"held"`
}

func preview(words string) string {
	w := strings.Join(strings.Fields(words), " ")
	if utf8.RuneCountInString(w) > 140 {
		w = string([]rune(w)[:139]) + "…"
	}
	return w
}

func (s *MailService) summary(r store.MailReply, req *store.MailRequest) ReplySummary {
	it := r.Item
	v := ReplySummary{ID: r.ID, FromAddress: it.FromAddress, Subject: it.Subject, ReceivedAt: r.ReceivedAt.Format(time.RFC3339),
		Status: r.Status, Flags: []string{}, Preview: preview(it.Words), PatientName: it.FromName, Intent: string(it.Intent)}
	if v.Intent == "" {
		v.Intent = string(mail.IntentAnswer) // replies recorded before intents were read
	}
	for _, f := range it.Flags {
		v.Flags = append(v.Flags, string(f))
	}
	if req != nil {
		v.Kind, v.PatientName = string(req.Kind), req.PatientName
	}
	return v
}

func (s *MailService) replyView(ctx context.Context, db *store.DB, r store.MailReply) (ReplyView, error) {
	var req *store.MailRequest
	if r.RequestID != 0 {
		q, err := db.MailRequest(ctx, r.RequestID)
		if err != nil {
			return ReplyView{}, err
		}
		req = &q
	}
	it := r.Item
	v := ReplyView{ReplySummary: s.summary(r, req), FromName: it.FromName, Words: it.Words, HTMLOnly: it.HTMLOnly, TypedName: it.TypedName,
		Attachments: []AttachmentView{}, FlagViews: []FlagView{}, Notes: slices.Clone(it.Notes), Options: []ScopeOptionView{},
		Unclear: slices.Clone(it.Scope.Unclear), RawURL: MediaURL(r.RawSHA256), Media: []MediaRef{},
		ConsentID: r.ConsentID, TestimonialID: r.TestimonialID, Note: r.Note,
		Withdrawal: it.Withdrawal, Sender: it.Sender, HeadersOnly: it.HeadersOnly, NeedsResolution: it.NeedsResolution(),
		NeedsSenderCheck: it.NeedsSenderCheck(), Resolution: r.Resolution, Held: []int64{}}
	if hs, err := db.StandingHolds(ctx); err == nil {
		for _, h := range hs {
			if h.Hold.ReplyID == r.ID {
				v.Held = append(v.Held, h.Hold.ConsentID)
			}
		}
	}
	if v.Notes == nil {
		v.Notes = []string{}
	}
	if v.Unclear == nil {
		v.Unclear = []string{}
	}
	for _, a := range it.Attachments {
		av := AttachmentView{Filename: a.Filename, ContentType: a.ContentType, Size: a.Size, SHA256: a.SHA256,
			IsImage: a.ContentType == "image/jpeg" || a.ContentType == "image/png"}
		if a.SHA256 != "" {
			av.URL = MediaURL(a.SHA256)
		}
		v.Attachments = append(v.Attachments, av)
	}
	for _, f := range it.Flags {
		w, ok := flagWords[f]
		if !ok {
			w = [2]string{string(f), "Check this reply carefully."}
		}
		v.FlagViews = append(v.FlagViews, FlagView{Flag: string(f), Title: w[0], Text: w[1]})
	}
	if req != nil {
		rv := requestView(*req)
		v.Request, v.PatientID = &rv, req.PatientID
		if p, err := db.Patient(ctx, req.PatientID); err == nil {
			v.RecordName = p.FullName
		}
		v.CanConfirm = r.Status == store.ReplyPending && req.State != store.MailAnswered &&
			(it.Intent == "" || it.Intent == mail.IntentAnswer ||
				(it.Intent == mail.IntentWithdrawal && !it.HasFlag(mail.FlagAfterAnswer) && !it.HasFlag(mail.FlagNoReference)))
		if req.Kind == mail.KindConsent {
			var d mailDetail
			if err := json.Unmarshal([]byte(req.Detail), &d); err == nil {
				v.Quote = d.Request.Quote
				for _, m := range d.Request.Media {
					v.Media = append(v.Media, MediaRef{m.SHA256, m.Kind, m.Label, MediaURL(m.SHA256)})
				}
			}
			v.Options = optionViews(req.Scope, it.Scope)
		}
	}
	return v, nil
}

func optionViews(opts []mail.ScopeOption, sr mail.ScopeReading) []ScopeOptionView {
	identity := map[string]bool{}
	for _, c := range consent.IdentityChoices {
		identity[string(c.Value)] = true
	}
	lines := map[string]string{}
	for _, l := range sr.Lines {
		if _, seen := lines[l.Key]; !seen {
			lines[l.Key] = l.Text
		}
	}
	out := make([]ScopeOptionView, 0, len(opts))
	for _, o := range opts {
		v := ScopeOptionView{Key: o.Key, Label: o.Label, Group: "channel", Answer: string(mail.AnswerUnanswered), Line: lines[o.Key]}
		if identity[o.Key] {
			v.Group = "identity"
		}
		switch {
		case slices.Contains(sr.Agreed, o.Key):
			v.Answer = string(mail.AnswerYes)
		case slices.Contains(sr.Declined, o.Key):
			v.Answer = string(mail.AnswerNo)
		case slices.Contains(sr.Ambiguous, o.Key):
			v.Answer = string(mail.AnswerAmbiguous)
		}
		out = append(out, v)
	}
	return out
}

// Replies lists replies in one status: pending (the queue, oldest first),
// confirmed, rejected, ignored, or "" for all.
func (s *MailService) Replies(status string) ([]ReplySummary, error) {
	ctx := context.Background()
	db, err := s.c.open(ctx, s.lock)
	if err != nil {
		return nil, err
	}
	switch status {
	case "", store.ReplyPending, store.ReplyConfirmed, store.ReplyRejected, store.ReplyIgnored:
	default:
		return nil, app.FieldError("status", "Choose which replies to show: waiting, confirmed, rejected or ignored.")
	}
	rs, err := db.ListMailReplies(ctx, status, 500)
	if err != nil {
		return nil, err
	}
	reqs := map[int64]*store.MailRequest{}
	out := make([]ReplySummary, len(rs))
	for i, r := range rs {
		req, ok := reqs[r.RequestID]
		if !ok && r.RequestID != 0 {
			if q, err := db.MailRequest(ctx, r.RequestID); err == nil {
				req = &q
			}
			reqs[r.RequestID] = req
		}
		out[i] = s.summary(r, req)
	}
	return out, nil
}

// Reply returns one reply with everything the reviewer needs.
func (s *MailService) Reply(id int64) (ReplyView, error) {
	ctx := context.Background()
	db, err := s.c.open(ctx, s.lock)
	if err != nil {
		return ReplyView{}, err
	}
	r, err := db.MailReply(ctx, id)
	if err != nil {
		return ReplyView{}, err
	}
	return s.replyView(ctx, db, r)
}

func (s *MailService) decided(ctx context.Context, db *store.DB, id int64) (ReplyView, error) {
	r, err := db.MailReply(ctx, id)
	if err != nil {
		return ReplyView{}, err
	}
	s.c.Emit.Emit(EventMailChanged, nil)
	s.emitStatus()
	return s.replyView(ctx, db, r)
}

func (s *MailService) pendingWithRequest(ctx context.Context, db *store.DB, id int64, kind mail.RequestKind) (store.MailReply, store.MailRequest, error) {
	r, err := db.MailReply(ctx, id)
	if err != nil {
		return r, store.MailRequest{}, err
	}
	if r.Status != store.ReplyPending {
		return r, store.MailRequest{}, app.Errorf(app.ECONFLICT, "This reply was already dealt with (%s).", r.Status)
	}
	if r.RequestID == 0 {
		return r, store.MailRequest{}, app.Errorf(app.EINVALID, "This reply does not answer a request PracticePost sent, so it cannot be confirmed. Ignore it, or record the consent on paper.")
	}
	req, err := db.MailRequest(ctx, r.RequestID)
	if err != nil {
		return r, req, err
	}
	if req.Kind != kind {
		return r, req, app.Errorf(app.EINVALID, "This reply answers a %s request, not a %s request.", req.Kind, kind)
	}
	return r, req, nil
}
