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
	"practicepost/app/studio"
)

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
}

// ConfirmConsent turns a reviewed reply into a signed consent (method
// "email"): the patient's reply is the signature, kept as the evidence file.
// Only now does a consent exist.
func (s *MailService) ConfirmConsent(id int64, in ConfirmConsentInput) (ReplyView, error) {
	s.decideMu.Lock()
	defer s.decideMu.Unlock()
	ctx := context.Background()
	db, err := s.c.open(ctx, s.lock)
	if err != nil {
		return ReplyView{}, err
	}
	r, req, err := s.pendingWithRequest(ctx, db, id, mail.KindConsent)
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
	e, err := db.InsertConsent(ctx, store.NewConsent{Consent: c, Scan: raw.Data, ScanMIME: "message/rfc822", PDF: pdf,
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
	switch consent.MissingField(err) {
	case "identity":
		return app.FieldError("identity", "Tick how the patient agreed to be named (full name, first name, initials or anonymous). If the reply does not say, ask the patient.")
	case "channels":
		return app.FieldError("channels", "Tick at least one place the patient agreed to. If they agreed to none, reject the reply.")
	}
	return err
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
	ctx := context.Background()
	db, err := s.c.open(ctx, s.lock)
	if err != nil {
		return ReplyView{}, err
	}
	r, req, err := s.pendingWithRequest(ctx, db, id, mail.KindTestimonial)
	if err != nil {
		return ReplyView{}, err
	}
	switch {
	case req.State == store.MailAnswered || r.Item.HasFlag(mail.FlagAfterAnswer):
		return ReplyView{}, app.Errorf(app.ECONFLICT, "This request was already answered, so a later reply cannot become a second testimonial. Read it, then reject or ignore it.")
	case r.Item.Intent == mail.IntentWithdrawal:
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
	var clean []store.BlobData
	for n, sha := range in.Photos {
		i := slices.IndexFunc(r.Item.Attachments, func(a mail.Attachment) bool { return a.SHA256 == sha })
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
		clean = append(clean, store.BlobData{Data: data, MIME: info.MIME, Width: info.Width, Height: info.Height})
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
	ctx := context.Background()
	db, err := s.c.open(ctx, s.lock)
	if err != nil {
		return ReplyView{}, err
	}
	if status != store.ReplyRejected && status != store.ReplyIgnored {
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
}
