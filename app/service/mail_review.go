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
	"practicepost/app/store"
	"practicepost/app/studio"
)

// FlagView is a flag explained in plain words.
type FlagView struct {
	Flag  string `json:"flag"`
	Title string `json:"title"`
	Text  string `json:"text"`
}

var flagWords = map[app.ReplyFlag][2]string{
	app.FlagAmbiguous:          {"Unclear answer", "At least one answer could be read two ways. Check each box below against the patient's words before confirming."},
	app.FlagNoScope:            {"No boxes answered", "The reply does not say yes or no to any of the boxes. Ask the patient to answer the boxes, or reject the reply."},
	app.FlagUnsigned:           {"Not signed", "The patient did not type their full name and attached no signed form. A consent needs a signature: ask them to reply with their full name."},
	app.FlagNameMismatch:       {"Different name", "The name typed in the reply is not the name on the patient's record. Check who answered; a parent or carer needs the paper or on-screen form."},
	app.FlagSenderMismatch:     {"Different email address", "The reply came from an address other than the one the request went to. Make sure it really is the patient before confirming."},
	app.FlagNoMatchingRequest:  {"No matching request", "The reply mentions a request reference PracticePost does not know. It cannot become a consent; ignore it or deal with it in your email program."},
	app.FlagConflictingTokens:  {"Two requests mentioned", "The reply mentions more than one request. Check it answers the request shown here."},
	app.FlagAttachmentTooLarge: {"Attachment too large", "An attachment was too large to keep. Ask the patient for a smaller scan or photo."},
	app.FlagAttachmentRejected: {"Attachment not kept", "An attachment was not a PDF, JPEG or PNG, so it was not kept. Ask the patient to send it in one of those formats."},
	app.FlagMessageTooLarge:    {"Email too large", "The email was too large to keep in full; only its header was stored. Open it in your email program."},
	app.FlagUnreadableText:     {"Hard to read", "Part of the email could not be read (an unusual character set or encoding). Open it in your email program to check the wording."},
	app.FlagAnsweredInQuote:    {"Ticked in the quoted email", "The patient ticked the boxes inside the copy of our email rather than in their own reply. Check the ticks carefully."},
	app.FlagMissingBoxes:       {"Boxes missing", "Some of the boxes we sent are missing from the reply. Boxes not in the reply count as not agreed; before confirming, check with the patient and record how you did."},
	app.FlagWithdrawal:         {"Reads as a withdrawal", "The patient's words read as a request to withdraw. Their consents are on hold: confirm the withdrawal or release the hold on Home."},
	app.FlagAfterAnswer:        {"Request already answered", "This request was already answered and confirmed, so this later reply can never become a consent. Read it and deal with it by hand."},
	app.FlagSenderFailed:       {"Sender not confirmed", "Your mail provider could not confirm this email came from the address it shows. It may be forged: check with the patient another way before confirming."},
	app.FlagNoReference:        {"No reference", "The email does not mention a request; it was matched to the patient by the address it came from because it reads as a withdrawal."},
	app.FlagForgedAuth:         {"Forged sender check", "The email carries a sender check your mail provider did not write, claiming a pass. Treat it as forged until the patient confirms another way."},
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
	Withdrawal  string          `json:"withdrawal"` // the patient's withdrawal line
	Sender      app.SenderCheck `json:"sender"`
	HeadersOnly bool            `json:"headersOnly"`
	// NeedsResolution: unclear; confirming needs the record of how it was
	// resolved. NeedsSenderCheck: confirming needs how the sender was
	// verified. NeedsNameCheck: the reply is unsigned or signed with
	// another name; confirming needs how the name was confirmed.
	NeedsResolution  bool   `json:"needsResolution"`
	NeedsSenderCheck bool   `json:"needsSenderCheck"`
	NeedsNameCheck   bool   `json:"needsNameCheck"`
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

func (s *MailService) summary(r app.MailReply, req *app.MailRequest) ReplySummary {
	it := r.Item
	v := ReplySummary{ID: r.ID, FromAddress: it.FromAddress, Subject: it.Subject, ReceivedAt: r.ReceivedAt.Format(time.RFC3339),
		Status: r.Status, Flags: []string{}, Preview: preview(it.Words), PatientName: it.FromName, Intent: string(it.Intent)}
	if v.Intent == "" {
		v.Intent = string(app.IntentAnswer) // replies recorded before intents were read
	}
	for _, f := range it.Flags {
		v.Flags = append(v.Flags, string(f))
	}
	if req != nil {
		v.Kind, v.PatientName = string(req.Kind), req.PatientName
	}
	return v
}

func (s *MailService) replyView(ctx context.Context, db *store.DB, r app.MailReply) (ReplyView, error) {
	var req *app.MailRequest
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
		NeedsSenderCheck: it.NeedsSenderCheck(), NeedsNameCheck: it.NeedsNameCheck(), Resolution: r.Resolution, Held: []int64{}}
	if v.Notes == nil {
		v.Notes = []string{}
	}
	if req == nil && len(it.Patients) > 0 {
		// A withdrawal from a patient's address on record, answering no request.
		var names []string
		for _, id := range it.Patients {
			if p, err := db.Patient(ctx, id); err == nil {
				names = append(names, p.FullName)
			}
		}
		v.PatientID, v.RecordName = it.Patients[0], strings.Join(names, ", ")
		if len(names) > 0 {
			v.PatientName = v.RecordName
		}
	}
	if hs, err := db.StandingHolds(ctx); err == nil {
		for _, h := range hs {
			if h.Hold.ReplyID == r.ID {
				v.Held = append(v.Held, h.Hold.ConsentID)
			}
			if r.ConsentID != 0 && h.Hold.ConsentID == r.ConsentID && h.Hold.ReplyID != r.ID {
				v.Notes = append(v.Notes, "The patient has since replied in words that read as a withdrawal, so the consent made from this reply is on hold: nothing relying on it is published. Home lists it: confirm the withdrawal, or release the hold once you have checked with the patient.")
			}
		}
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
		v.CanConfirm = r.Status == app.ReplyPending && req.State != app.MailAnswered &&
			(it.Intent == "" || it.Intent == app.IntentAnswer ||
				(it.Intent == app.IntentWithdrawal && !it.HasFlag(app.FlagAfterAnswer) && !it.HasFlag(app.FlagNoReference)))
		if req.Kind == app.KindQuoteApproval {
			// Answered from the testimonial's approval dialog, where the
			// words it approves are shown.
			v.CanConfirm = false
			v.Notes = append(v.Notes, "This reply answers a request to approve the new words of a testimonial. A plain yes or no is recorded on its own; otherwise read it and decide on Testimonials (the testimonial's ⋯ menu → Ask the patient to approve the new words).")
		}
		if req.Kind == app.KindConsent {
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

func optionViews(opts []app.ScopeOption, sr app.ScopeReading) []ScopeOptionView {
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
		v := ScopeOptionView{Key: o.Key, Label: o.Label, Group: "channel", Answer: string(app.AnswerUnanswered), Line: lines[o.Key]}
		if identity[o.Key] {
			v.Group = "identity"
		}
		switch {
		case slices.Contains(sr.Agreed, o.Key):
			v.Answer = string(app.AnswerYes)
		case slices.Contains(sr.Declined, o.Key):
			v.Answer = string(app.AnswerNo)
		case slices.Contains(sr.Ambiguous, o.Key):
			v.Answer = string(app.AnswerAmbiguous)
		}
		out = append(out, v)
	}
	return out
}

// Replies lists replies in one status: pending (the queue, oldest first),
// confirmed, rejected, ignored, or "" for all.
func (s *MailService) Replies(status string) ([]ReplySummary, error) {
	return withDB(s.c, func(ctx context.Context, db *store.DB) ([]ReplySummary, error) {
		switch status {
		case "", app.ReplyPending, app.ReplyConfirmed, app.ReplyRejected, app.ReplyIgnored:
		default:
			return nil, app.FieldError("status", "Choose which replies to show: waiting, confirmed, rejected or ignored.")
		}
		rs, err := db.ListMailReplies(ctx, status, 500)
		if err != nil {
			return nil, err
		}
		reqs := map[int64]*app.MailRequest{}
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
	})
}

// Reply returns one reply with everything the reviewer needs.
func (s *MailService) Reply(id int64) (ReplyView, error) {
	return withDB(s.c, func(ctx context.Context, db *store.DB) (ReplyView, error) {
		r, err := db.MailReply(ctx, id)
		if err != nil {
			return ReplyView{}, err
		}
		return s.replyView(ctx, db, r)
	})
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

// openPending opens the data file and reads reply id, still waiting for
// review, with the request of kind it answers.
func (s *MailService) openPending(id int64, kind app.RequestKind) (context.Context, *store.DB, app.MailReply, app.MailRequest, error) {
	ctx := context.Background()
	db, err := s.c.open(ctx)
	if err != nil {
		return ctx, nil, app.MailReply{}, app.MailRequest{}, err
	}
	r, req, err := pendingWithRequest(ctx, db, id, kind)
	return ctx, db, r, req, err
}

func pendingWithRequest(ctx context.Context, db *store.DB, id int64, kind app.RequestKind) (app.MailReply, app.MailRequest, error) {
	r, err := db.MailReply(ctx, id)
	if err != nil {
		return r, app.MailRequest{}, err
	}
	if r.Status != app.ReplyPending {
		return r, app.MailRequest{}, app.Errorf(app.ECONFLICT, "This reply was already dealt with (%s).", r.Status)
	}
	if r.RequestID == 0 {
		return r, app.MailRequest{}, app.Errorf(app.EINVALID, "This reply does not answer a request PracticePost sent, so it cannot be confirmed. Ignore it, or record the consent on paper.")
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

// ConfirmConsentInput is the reviewer's reading of a consent reply: the
// boxes the patient agreed to (corrected where needed) and the name they
// signed with.
type ConfirmConsentInput struct {
	Identity   []app.IdentityElement `json:"identity"`
	Channels   []app.ConsentChannel  `json:"channels"`
	SignerName string                `json:"signerName"`
	// Resolution is required when the reply was unclear (ReplyView.
	// NeedsResolution): how, by whom and when it was settled.
	Resolution ResolutionInput `json:"resolution"`
	// SenderCheck is required when the sender is in doubt (ReplyView.
	// NeedsSenderCheck): how the manager verified it was the patient.
	SenderCheck string `json:"senderCheck"`
	// NameCheck is required when the reply is unsigned or signed with
	// another name (ReplyView.NeedsNameCheck): how the manager confirmed
	// the name the consent is signed with.
	NameCheck string `json:"nameCheck"`
}

// ConfirmConsent turns a reviewed reply into a signed consent (method
// "email"): the patient's reply is the signature, kept as the evidence file.
// Only now does a consent exist.
func (s *MailService) ConfirmConsent(id int64, in ConfirmConsentInput) (ReplyView, error) {
	s.decideMu.Lock()
	defer s.decideMu.Unlock()
	ctx, db, r, req, err := s.openPending(id, app.KindConsent)
	if err != nil {
		return ReplyView{}, err
	}
	// A confirmation cut short after the consent was stored finishes here
	// instead of storing a second consent.
	if cid, found, err := db.ConsentByEvidence(ctx, r.RawSHA256); err != nil {
		return ReplyView{}, err
	} else if found {
		if err := db.LinkReplyConsent(ctx, id, cid); err != nil {
			return ReplyView{}, err
		}
		return s.decided(ctx, db, id)
	}
	evidence, err := checkReplyEvidence(r, req, &in)
	if err != nil {
		return ReplyView{}, err
	}
	var d mailDetail
	if err := json.Unmarshal([]byte(req.Detail), &d); err != nil {
		return ReplyView{}, app.Internal(err, "The request this reply answers could not be read. Send the patient a new request.")
	}
	cr := d.Request
	if err := s.consents.checkRequest(ctx, db, &cr); err != nil {
		return ReplyView{}, err
	}
	signer := strings.Join(strings.Fields(in.SignerName), " ")
	if signer == "" {
		return ReplyView{}, app.FieldError("signerName", "Enter the full name the patient signed with. If the reply has no name, ask the patient to reply with their full name.")
	}
	f, err := s.consents.form(ctx, db, cr, SigningDraft{Identity: in.Identity, Channels: in.Channels, SignerName: signer}, app.SignEmail)
	if err != nil {
		return ReplyView{}, err
	}
	if d.Terms != nil {
		// Signed on the words the email showed, whatever the practice's
		// settings say today.
		f = f.WithTerms(*d.Terms)
	}
	now := s.c.Clock.Now()
	at := r.ReceivedAt
	if at.IsZero() || at.After(now) {
		at = now
	}
	if !req.CreatedAt.IsZero() && at.Before(req.CreatedAt) {
		at = req.CreatedAt
	}
	// Judged on the day the reply counts as signed, not today.
	if _, alone := consent.SignsAloneUnderAge(f, at); alone {
		return ReplyView{}, app.Errorf(app.EINVALID, "On the day of this reply the patient needed a parent, guardian or other representative to sign for them, so the reply cannot be their consent. On Email replies, reject this reply; then take consent with the parent or guardian on the signing screen (Ask for consent → Hand to patient) or on paper.")
	}
	text, err := f.Text(at)
	if err != nil {
		return ReplyView{}, err
	}
	raw, err := db.Blob(ctx, r.RawSHA256)
	if err != nil {
		return ReplyView{}, err
	}
	c, err := consent.Sign(f, consent.Signing{Signature: app.Signature{TypedName: signer, ScanSHA256: r.RawSHA256},
		SignedAt: at, ShownTextSHA256: app.SHA256Hex([]byte(text))}, now)
	if err != nil {
		return ReplyView{}, reviewerWords(err)
	}
	pdf, err := consent.PDF(c, nil, consent.PDFOptions{})
	if err != nil {
		return ReplyView{}, err
	}
	nt, link := testimonialFor(cr, c, civilIn(at, zoneOf(c)))
	if evidence != "" {
		if err := db.RecordReplyResolution(ctx, id, evidence); err != nil {
			return ReplyView{}, err
		}
	}
	e, err := db.InsertConsent(ctx, app.NewConsent{Consent: c, Scan: raw.Data, ScanMIME: "message/rfc822", PDF: pdf,
		Testimonial: nt, Link: link})
	if err != nil {
		return ReplyView{}, err
	}
	if err := db.LinkReplyConsent(ctx, id, e.Consent.ID); err != nil {
		return ReplyView{}, err
	}
	s.c.Emit.Emit(EventConsentChanged, nil)
	return s.decided(ctx, db, id)
}

// reviewerWords turns "cannot be signed yet" into what the reviewer fixes.
func reviewerWords(err error) error {
	return missingWords(err, "Tick how the patient agreed to be named (full name, first name, initials or anonymous). If the reply does not say, ask the patient.",
		"Tick at least one place the patient agreed to. If they agreed to none, reject the reply.")
}

// ConfirmTestimonialInput is the reviewer's draft from a testimonial reply.
type ConfirmTestimonialInput struct {
	Quote  string   `json:"quote"`
	Photos []string `json:"photos"` // sha256 of the image attachments to keep
}

// ConfirmTestimonial turns a testimonial reply into a draft testimonial
// awaiting consent: the patient's words and the photos chosen.
func (s *MailService) ConfirmTestimonial(id int64, in ConfirmTestimonialInput) (ReplyView, error) {
	s.decideMu.Lock()
	defer s.decideMu.Unlock()
	ctx, db, r, req, err := s.openPending(id, app.KindTestimonial)
	if err != nil {
		return ReplyView{}, err
	}
	switch {
	case req.State == app.MailAnswered || r.Item.HasFlag(app.FlagAfterAnswer):
		return ReplyView{}, app.Errorf(app.ECONFLICT, "This request was already answered, so a later reply cannot become a second testimonial. Read it, then reject or ignore it.")
	case r.Item.Intent == app.IntentWithdrawal:
		return ReplyView{}, app.Errorf(app.EINVALID, "This reply reads as the patient withdrawing, so it cannot become a testimonial. Read it, then reject it.")
	}
	quote := app.NormalQuote(in.Quote)
	if quote == "" && len(in.Photos) == 0 {
		return ReplyView{}, app.FieldError("quote", "Keep the patient's words or at least one photo; otherwise reject the reply.")
	}
	if err := app.CheckQuoteLength(quote, "Shorten it (the patient approves any edit when they consent)."); err != nil {
		return ReplyView{}, err
	}
	media := []app.ConsentMedia{}
	var clean []app.BlobData
	for n, sha := range in.Photos {
		i := slices.IndexFunc(r.Item.Attachments, func(a app.MailAttachment) bool { return a.SHA256 == sha })
		if i < 0 {
			return ReplyView{}, app.FieldError("photos", "Photo %d is not one of this reply's attachments.", n+1)
		}
		b, err := db.Blob(ctx, sha)
		if err != nil {
			return ReplyView{}, err
		}
		what := "The attachment " + r.Item.Attachments[i].Filename
		if _, err := app.InspectImage(b.Data, PhotoLimits, what); err != nil {
			return ReplyView{}, err
		}
		// The testimonial keeps the photo without its camera and location
		// data; the email keeps the file as it came, as evidence.
		data, err := studio.StripMetadata(b.Data)
		if err != nil {
			return ReplyView{}, app.FieldError("photos", "%s could not be read. Ask the patient to send it again.", what)
		}
		info, err := app.InspectImage(data, PhotoLimits, what)
		if err != nil {
			return ReplyView{}, err
		}
		clean = append(clean, app.BlobData{Data: data, MIME: info.MIME, Width: info.Width, Height: info.Height})
		media = append(media, app.ConsentMedia{SHA256: info.SHA256, Kind: "photo", Label: r.Item.Attachments[i].Filename})
	}
	at := r.ReceivedAt
	if at.IsZero() {
		at = s.c.Clock.Now()
	}
	t := app.Testimonial{PatientID: req.PatientID, Quote: quote, Source: "email", SaidOn: civilIn(at, time.UTC),
		NameAs: app.IdentityAnonymous, Media: media}
	if _, err := db.ConfirmReplyTestimonial(ctx, id, t, clean...); err != nil {
		return ReplyView{}, err
	}
	s.c.Emit.Emit(EventConsentChanged, nil)
	return s.decided(ctx, db, id)
}

// Dismiss rejects a reply (it is not consent: the patient said no, or it is
// not from them) or ignores it (not an answer to a request). The email stays
// stored and nothing else changes.
func (s *MailService) Dismiss(id int64, status, note string) (ReplyView, error) {
	return withDB(s.c, func(ctx context.Context, db *store.DB) (ReplyView, error) {
		if status != app.ReplyRejected && status != app.ReplyIgnored {
			return ReplyView{}, app.FieldError("status", "Choose whether to reject or ignore the reply.")
		}
		note = strings.TrimSpace(note)
		if utf8.RuneCountInString(note) > 500 {
			return ReplyView{}, app.FieldError("note", "Keep the note to 500 characters.")
		}
		if err := db.DismissMailReply(ctx, id, status, note); err != nil {
			return ReplyView{}, err
		}
		return s.decided(ctx, db, id)
	})
}
