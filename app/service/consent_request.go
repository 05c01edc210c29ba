package service

import (
	"context"
	"slices"
	"strings"

	"practicepost/app"
	"practicepost/app/consent"
	"practicepost/app/store"
)

// ConsentRequest is what the manager prepares before the patient signs:
// the form version and the testimonial and media it covers.
type ConsentRequest struct {
	PatientID       int64              `json:"patientId"`
	TemplateVersion string             `json:"templateVersion"`
	Quote           string             `json:"quote"`
	Source          string             `json:"source"`
	HealthDetails   string             `json:"healthDetails"`
	Media           []app.ConsentMedia `json:"media"`
	ExpiryMonths    int                `json:"expiryMonths"`
	Remuneration    app.Remuneration   `json:"remuneration"`
	ShowsFace       bool               `json:"showsFace"` // a photo shows the patient's face
	// TestimonialID is the testimonial waiting for this consent (one made
	// from an emailed reply, or added without consent); 0 for none. Signing
	// links the consent to it instead of storing a new testimonial.
	TestimonialID int64 `json:"testimonialId"`
	// Words is the manager's choice when the quote or photos differ from
	// that testimonial's: WordsUseEdited or WordsNewTestimonial. Left empty,
	// a difference is refused, so the words can never silently diverge from
	// the ones the patient signs.
	Words string `json:"words"`
}

// What happens to a waiting testimonial whose words were edited in the request.
const (
	// WordsUseEdited: the testimonial takes the edited words and photos
	// when the consent is signed.
	WordsUseEdited = "use_edited"
	// WordsNewTestimonial: the edited words become a new testimonial; the
	// waiting one stays as it is, still waiting.
	WordsNewTestimonial = "new_testimonial"
)

func (s *ConsentService) checkRequest(ctx context.Context, db *store.DB, r *ConsentRequest) error {
	r.Quote = app.NormalQuote(r.Quote)
	r.Source = strings.TrimSpace(r.Source)
	r.HealthDetails = strings.TrimSpace(r.HealthDetails)
	if r.PatientID == 0 {
		return app.FieldError("patientId", "Choose the patient first.")
	}
	if _, err := db.Patient(ctx, r.PatientID); err != nil {
		return err
	}
	if r.TemplateVersion == "" {
		return app.FieldError("templateVersion", "Choose a consent form.")
	}
	if _, err := db.Template(ctx, r.TemplateVersion); err != nil {
		return err
	}
	if err := consent.CheckRequest(r.Quote, r.Source, r.HealthDetails, len(r.Media)); err != nil {
		return err
	}
	seen := map[string]int{}
	for i := range r.Media {
		m := &r.Media[i]
		if err := consent.CheckMediaKind(i+1, m.Kind); err != nil {
			return err
		}
		word := consent.MediaWord(m.Kind)
		seen[word]++
		b, err := db.Blob(ctx, m.SHA256)
		if err != nil {
			return app.FieldError("media", "%s %d is no longer in PracticePost. Add it again.", word, seen[word])
		}
		if err := consent.CheckMediaFile(i+1, m.Kind, b.MIME); err != nil {
			return err
		}
		m.Label = strings.TrimSpace(m.Label)
		if m.Label == "" {
			m.Label = consent.MediaLabel(m.Kind, i+1, seen[word])
		}
	}
	var err error
	if r.ExpiryMonths, err = consent.CheckExpiry(r.ExpiryMonths); err != nil {
		return err
	}
	if err := checkWaitingTestimonial(ctx, db, r); err != nil {
		return err
	}
	r.Remuneration.Description = strings.TrimSpace(r.Remuneration.Description)
	r.Remuneration.Disclosure = strings.TrimSpace(r.Remuneration.Disclosure)
	switch r.Remuneration.Kind {
	case "":
		r.Remuneration.Kind = app.RemunerationNone
	case app.RemunerationNone:
		r.Remuneration.Description, r.Remuneration.Disclosure = "", ""
	case app.RemunerationDiscount, app.RemunerationGift, app.RemunerationPayment, app.RemunerationThirdParty:
		if r.Remuneration.Description == "" {
			return app.FieldError("remuneration", "Describe what the patient received, for example “20%% off whitening”.")
		}
	default:
		return app.FieldError("remuneration", "Say whether the patient received anything for the testimonial.")
	}
	return nil
}

// SigningDraft is what the person signing has chosen so far.
type SigningDraft struct {
	Identity       []app.IdentityElement `json:"identity"`
	Channels       []app.ConsentChannel  `json:"channels"`
	SignerName     string                `json:"signerName"`
	Representative bool                  `json:"representative"`
	Relationship   string                `json:"relationship"`
	Authority      string                `json:"authority"`
}

// form builds the consent form from the request and the signer's choices.
func (s *ConsentService) form(ctx context.Context, db *store.DB, r ConsentRequest, d SigningDraft, method app.SigningMethod) (consent.Form, error) {
	kit, err := db.BrandKit(ctx)
	if err != nil {
		return consent.Form{}, err
	}
	st, err := loadSettings(ctx, db, kit.Country)
	if err != nil {
		return consent.Form{}, err
	}
	t, err := db.Template(ctx, r.TemplateVersion)
	if err != nil {
		return consent.Form{}, err
	}
	p, err := db.Patient(ctx, r.PatientID)
	if err != nil {
		return consent.Form{}, err
	}
	for _, e := range d.Identity {
		if !slices.ContainsFunc(consent.IdentityChoices, func(c consent.Choice[app.IdentityElement]) bool { return c.Value == e }) {
			return consent.Form{}, app.FieldError("identity", "Unknown choice %q.", e)
		}
	}
	for _, ch := range d.Channels {
		if !slices.ContainsFunc(consent.ChannelChoices, func(c consent.Choice[app.ConsentChannel]) bool { return c.Value == ch }) {
			return consent.Form{}, app.FieldError("channels", "Unknown choice %q.", ch)
		}
	}
	signer := app.Signer{Name: strings.Join(strings.Fields(d.SignerName), " ")}
	if d.Representative {
		signer.Representative = true
		signer.Relationship = strings.TrimSpace(d.Relationship)
		signer.Authority = strings.TrimSpace(d.Authority)
	}
	return consent.Form{
		Template: t,
		Practice: app.ConsentPractice{Name: kit.PracticeName, Address: kit.Address, Email: kit.Email, Phone: kit.Phone,
			PrivacyNoticeURL: st.PrivacyNoticeURL, PrivacyContact: st.PrivacyContact, Zone: st.Zone},
		AuthorisedUsers:  st.AuthorisedUsers,
		Patient:          p,
		Signer:           signer,
		Scope:            app.ConsentScope{Identity: slices.Clone(d.Identity), Channels: slices.Clone(d.Channels)},
		HealthDetails:    r.HealthDetails,
		Quote:            r.Quote,
		Media:            r.Media,
		ExpiryMonths:     r.ExpiryMonths,
		Remuneration:     r.Remuneration,
		WithdrawalMethod: st.WithdrawalMethod,
		RemovalDays:      st.RemovalDays,
		Method:           method,
	}, nil
}

// checkWaitingTestimonial checks a request made for a testimonial waiting
// for consent: the same patient's, not covered yet, and either exactly its
// words and photos or an explicit choice of what the edit means.
func checkWaitingTestimonial(ctx context.Context, db *store.DB, r *ConsentRequest) error {
	if r.TestimonialID == 0 {
		r.Words = ""
		return nil
	}
	t, err := db.Testimonial(ctx, r.TestimonialID)
	if app.ErrorCode(err) == app.ENOTFOUND {
		return app.FieldError("testimonialId", "The testimonial this consent was for is no longer in PracticePost. Start again from Testimonials.")
	} else if err != nil {
		return err
	}
	if t.PatientID != r.PatientID {
		return app.FieldError("patientId", "That testimonial is another patient's. Ask the patient who gave it.")
	}
	if t.ConsentID != 0 {
		return app.Errorf(app.ECONFLICT, "This testimonial is already covered by consent #%d, so it needs no second consent. Open it from Testimonials.", t.ConsentID)
	}
	sameQuote, sameMedia := app.SameWords(t.Quote, t.Media, r.Quote, r.Media)
	if sameQuote && sameMedia {
		r.Words = ""
		return nil
	}
	switch r.Words {
	case WordsUseEdited, WordsNewTestimonial:
		return nil
	case "":
	default:
		return app.FieldError("words", "Choose whether the testimonial takes the edited words or they become a new testimonial.")
	}
	if !sameQuote {
		return app.FieldError("quote", "These words differ from the testimonial the patient gave, and the patient must consent to exactly the words that are published. Put the original words back, or choose “Use the edited words” or “Save as a new testimonial”.")
	}
	return app.FieldError("media", "These photos differ from the testimonial's, and the patient must consent to exactly the photos that are published. Attach the testimonial's photos, or choose “Use the edited words” or “Save as a new testimonial”.")
}

// testimonialFor says what a signed consent does to testimonials: link the
// waiting one it was asked for, or store the new one the patient agreed to.
func testimonialFor(r ConsentRequest, c app.Consent, day app.CivilDate) (*app.Testimonial, *app.TestimonialLink) {
	if r.TestimonialID != 0 && r.Words != WordsNewTestimonial {
		return nil, &app.TestimonialLink{TestimonialID: r.TestimonialID, UseConsentWords: r.Words == WordsUseEdited, ShowsFace: r.ShowsFace}
	}
	return testimonialFrom(r, c, day), nil
}

// testimonialFrom is the testimonial the patient just agreed to, bound to
// the new consent and named as broadly as the patient allowed.
func testimonialFrom(r ConsentRequest, c app.Consent, day app.CivilDate) *app.Testimonial {
	if r.Quote == "" && len(r.Media) == 0 {
		return nil
	}
	source := r.Source
	if source == "" {
		source = "Consent form"
	}
	return &app.Testimonial{Quote: r.Quote, Source: source, SaidOn: day, NameAs: app.BroadestName(c.Scope), ShowsFace: r.ShowsFace, Media: slices.Clone(r.Media)}
}
