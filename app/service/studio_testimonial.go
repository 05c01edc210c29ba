package service

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"practicepost/app"
	"practicepost/app/consent"
	"practicepost/app/gate"
	"practicepost/app/store"
	"practicepost/app/studio"
)

var studioModeLabels = map[app.IdentityElement]string{
	app.IdentityFullName: "Full name", app.IdentityFirstName: "First name", app.IdentityInitials: "Initials", app.IdentityAnonymous: "Anonymous",
}

// agreedNaming says in plain words how far a consent lets the patient be named.
var agreedNaming = map[app.IdentityElement]string{
	app.IdentityFullName:  "to be named in full",
	app.IdentityFirstName: "to be named by their first name only",
	app.IdentityInitials:  "to be named by their initials only",
	app.IdentityAnonymous: "to be quoted only without their name",
}

// StudioModeChoice is one way of naming the patient, and whether the
// consent behind the chosen testimonial allows it.
type StudioModeChoice struct {
	Value   string `json:"value"`
	Label   string `json:"label"`
	Allowed bool   `json:"allowed"`
	Reason  string `json:"reason"` // why not, when not allowed
}

// StudioQuoteSource is a testimonial as the quote card uses it: its exact
// words, the patient's name (drawn only as the chosen mode allows) and the
// naming modes its consent permits.
type StudioQuoteSource struct {
	TestimonialID int64              `json:"testimonialId"`
	Quote         string             `json:"quote"`
	PatientName   string             `json:"patientName"`
	Modes         []StudioModeChoice `json:"modes"`
	Mode          string             `json:"mode"`   // the fullest allowed: the default choice
	Agreed        string             `json:"agreed"` // "The patient agreed to be named by their first name only (consent signed 1 March 2026)."
}

// studioSource is what the render needs from a testimonial.
type studioSource struct {
	t      app.Testimonial
	name   string
	broad  app.IdentityElement // fullest name form the consent allows
	agreed string
}

// quoteSource reads a testimonial and checks that its consent lets it be
// used today at all (signed, not withdrawn, not expired, words unchanged).
// Which platforms it may go to is checked when a post uses the image.
func (s *StudioService) quoteSource(ctx context.Context, db *store.DB, id int64) (studioSource, error) {
	t, err := db.Testimonial(ctx, id)
	if app.ErrorCode(err) == app.ENOTFOUND {
		return studioSource{}, app.FieldError("testimonial", "That testimonial is no longer in PracticePost. Choose another, or type the quote by hand.")
	} else if err != nil {
		return studioSource{}, err
	}
	if strings.TrimSpace(t.Quote) == "" {
		return studioSource{}, app.FieldError("testimonial", "That testimonial has photos but no words to put on a quote card. Choose one with a quote.")
	}
	if t.ConsentID == 0 {
		return studioSource{}, app.FieldError("testimonial", "That testimonial has no signed consent yet, so it cannot go on an image. Ask the patient for consent from Testimonials first.")
	}
	e, err := db.Consent(ctx, t.ConsentID)
	if err != nil {
		return studioSource{}, err
	}
	rec, err := gate.Record(ctx, db, e, map[string]app.ConsentTemplate{})
	if err != nil {
		return studioSource{}, err
	}
	now := s.c.Clock.Now()
	use := consent.Use{Identity: []app.IdentityElement{app.IdentityAnonymous}, Quote: t.Quote}
	for _, ch := range e.Consent.Scope.Channels {
		if ch != app.ChannelPaidAds {
			use.Channel = ch
			break
		}
	}
	for _, p := range consent.Validate(rec, use, now) {
		switch p.Code {
		case consent.CodeRevoked:
			return studioSource{}, app.FieldError("testimonial", "%s This testimonial can no longer be used on any image or post; choose another.", p.Reason)
		case consent.CodeExpired:
			return studioSource{}, app.FieldError("testimonial", "%s Until then this testimonial cannot be used on an image.", p.Reason)
		case consent.CodeQuoteChanged:
			return studioSource{}, app.FieldError("testimonial", "The testimonial's words differ from what the patient approved when signing, so they cannot go on an image. Put the approved words back in Testimonials, or ask the patient to approve the new wording.")
		case consent.CodeChannelNotCovered, consent.CodePaidNotCovered, consent.CodeUndisclosedPayment, consent.CodeMediaNotCovered, consent.CodeIdentityNotCovered:
			// Per post and platform: the guard checks these when a post uses the image.
		default:
			return studioSource{}, app.FieldError("testimonial", "The consent for this testimonial cannot be relied on: %s", p.Reason)
		}
	}
	src := studioSource{t: t, name: e.Consent.Patient.FullName, broad: app.BroadestName(e.Consent.Scope)}
	if p, err := db.Patient(ctx, t.PatientID); err == nil && strings.TrimSpace(p.FullName) != "" {
		src.name = p.FullName
	}
	loc, _ := practiceZone(ctx, db)
	src.agreed = fmt.Sprintf("The patient agreed %s (consent signed %s).", agreedNaming[src.broad], e.Consent.SignedAt.In(loc).Format("2 January 2006"))
	return src, nil
}

// allows reports whether the consent lets the card name the patient so.
func (src studioSource) allows(mode app.IdentityElement) bool {
	return app.NameFits(mode, src.broad)
}

func (src studioSource) allowedLabels() string {
	var ls []string
	for _, m := range slices.Backward(app.NameForms) {
		if src.allows(m) {
			ls = append(ls, studioModeLabels[m])
		}
	}
	if len(ls) <= 1 {
		return strings.Join(ls, "")
	}
	return strings.Join(ls[:len(ls)-1], ", ") + " or " + ls[len(ls)-1]
}

// refuse explains why a naming mode is not allowed for this testimonial.
func (src studioSource) refuse(mode app.IdentityElement) string {
	return fmt.Sprintf("%s The card cannot show %s; choose %s.", src.agreed, strings.ToLower(studioModeLabels[mode]), src.allowedLabels())
}

// FromTestimonial is what the quote card needs from a testimonial: its
// words, the patient's name and the naming modes its consent allows, each
// refused one with the reason. A testimonial without valid consent is
// refused with what to do.
func (s *StudioService) FromTestimonial(id int64) (StudioQuoteSource, error) {
	return withDB(s.c, func(ctx context.Context, db *store.DB) (StudioQuoteSource, error) {
		src, err := s.quoteSource(ctx, db, id)
		if err != nil {
			return StudioQuoteSource{}, err
		}
		out := StudioQuoteSource{TestimonialID: id, Quote: src.t.Quote, PatientName: src.name, Mode: string(src.broad), Agreed: src.agreed}
		for _, m := range slices.Backward(app.NameForms) {
			c := StudioModeChoice{Value: string(m), Label: studioModeLabels[m], Allowed: src.allows(m)}
			if !c.Allowed {
				c.Reason = src.refuse(m)
			}
			out.Modes = append(out.Modes, c)
		}
		return out, nil
	})
}

// fromTestimonial fills a quote card from its testimonial: the approved
// words exactly and the patient's name as the consent allows. What the
// form typed in those fields is ignored.
func (s *StudioService) fromTestimonial(ctx context.Context, db *store.DB, in StudioDesign, sp *studio.Spec) error {
	eng, err := s.engine()
	if err != nil {
		return err
	}
	var tpl *studio.Template
	for _, t := range eng.Templates() {
		if t.ID == in.Template {
			tpl = &t
		}
	}
	if tpl == nil {
		return app.FieldError("template", "Choose a design from the list.")
	}
	hasQuote, hasAttr := false, false
	for _, f := range tpl.Fields {
		hasQuote = hasQuote || f.ID == "quote"
		hasAttr = hasAttr || f.Kind == "attribution"
	}
	if !hasQuote || !hasAttr {
		return app.FieldError("testimonial", "Only the testimonial quote card can be made from a testimonial. Choose that design, or clear the testimonial.")
	}
	src, err := s.quoteSource(ctx, db, in.TestimonialID)
	if err != nil {
		return err
	}
	for _, f := range tpl.Fields {
		if f.ID == "quote" && f.MaxLen > 0 && utf8.RuneCountInString(src.t.Quote) > f.MaxLen {
			return app.FieldError("testimonial", "This testimonial is %d characters; a quote card holds at most %d, and the patient's approved words cannot be cut. Quote it in the post text instead, or ask the patient to approve a shorter version.", utf8.RuneCountInString(src.t.Quote), f.MaxLen)
		}
	}
	fields := make(map[string]string, len(sp.Fields)+1)
	for k, v := range sp.Fields {
		fields[k] = v
	}
	fields["quote"] = src.t.Quote
	sp.Fields = fields
	mode := src.broad
	if in.Attribution != nil && in.Attribution.Mode != "" {
		mode = app.IdentityElement(in.Attribution.Mode)
	}
	if app.NameRank(mode) < 0 {
		return app.FieldError("attribution", "Choose how the patient is named: %s.", src.allowedLabels())
	}
	if !src.allows(mode) {
		return app.FieldError("attribution", "%s", src.refuse(mode))
	}
	sp.Attribution = &studio.AttributionSpec{Mode: studio.AttributionMode(mode), Name: src.name}
	return nil
}
