package service

import (
	"context"
	"fmt"
	"strings"

	"practicepost/app"
	"practicepost/app/consent"
	"practicepost/app/store"
)

// TestimonialService keeps testimonials and says, per channel, whether
// each may be published today under its consent.
type TestimonialService struct {
	c    *Core
	lock *LockService
}

func NewTestimonialService(c *Core, lock *LockService) *TestimonialService {
	return &TestimonialService{c: c, lock: lock}
}

// TestimonialInput is the add-testimonial form.
type TestimonialInput struct {
	PatientID int64               `json:"patientId"`
	ConsentID int64               `json:"consentId"` // 0: no consent yet
	Quote     string              `json:"quote"`
	Source    string              `json:"source"`
	SaidOn    string              `json:"saidOn"` // YYYY-MM-DD, optional
	NameAs    app.IdentityElement `json:"nameAs"`
	ShowsFace bool                `json:"showsFace"`
	Media     []app.ConsentMedia  `json:"media"`
}

// TestimonialView is one card of the testimonial list.
type TestimonialView struct {
	Testimonial app.Testimonial          `json:"testimonial"`
	PatientName string                   `json:"patientName"`
	Media       []MediaRef               `json:"media"`
	Consent     *ConsentView             `json:"consent"` // nil when none is linked
	Verdicts    []consent.ChannelVerdict `json:"verdicts"`
	Publishable int                      `json:"publishable"` // channels it may go out on today
	Summary     string                   `json:"summary"`
	// Disclosure is the wording posts must carry when the patient received
	// something for the testimonial; "" when nothing was given.
	Disclosure string `json:"disclosure"`
	// EmailApproval is where the patient's approval of edited words by
	// email stands; nil when the words are the signed ones or nothing was
	// asked by email.
	EmailApproval *EmailApprovalView `json:"emailApproval"`
	// WordsApprovedOn is the day ("2026-12-06", in the consent's zone) the
	// patient approved the testimonial's current words, when they are not
	// the words signed for; "" otherwise. The card writes it in the
	// practice's order.
	WordsApprovedOn string `json:"wordsApprovedOn"`
}

// Create adds a testimonial, optionally bound to one of the patient's consents.
func (s *TestimonialService) Create(in TestimonialInput) (TestimonialView, error) {
	return withDB(s.c, func(ctx context.Context, db *store.DB) (TestimonialView, error) {
		t := app.Testimonial{PatientID: in.PatientID, ConsentID: in.ConsentID}
		if _, err := db.Patient(ctx, t.PatientID); err != nil {
			if app.ErrorCode(err) == app.ENOTFOUND {
				return TestimonialView{}, app.FieldError("patientId", "Choose the patient who gave the testimonial.")
			}
			return TestimonialView{}, err
		}
		if t.ConsentID != 0 {
			e, err := db.Consent(ctx, t.ConsentID)
			if err != nil {
				return TestimonialView{}, err
			}
			if e.Consent.PatientID != t.PatientID {
				return TestimonialView{}, app.FieldError("consentId", "That consent belongs to another patient. Choose one of this patient's consents.")
			}
		}
		t, err := s.fill(ctx, db, t, in)
		if err != nil {
			return TestimonialView{}, err
		}
		if t, err = db.CreateTestimonial(ctx, t); err != nil {
			return TestimonialView{}, err
		}
		s.c.Emit.Emit(EventConsentChanged, nil)
		return s.viewOne(ctx, db, t)
	})
}

// List returns every testimonial with its verdict per channel for today.
func (s *TestimonialService) List() ([]TestimonialView, error) {
	return withDB(s.c, func(ctx context.Context, db *store.DB) ([]TestimonialView, error) {
		ts, err := db.ListTestimonials(ctx)
		if err != nil {
			return nil, err
		}
		out := make([]TestimonialView, 0, len(ts))
		for _, t := range ts {
			v, err := s.viewOne(ctx, db, t)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	})
}

// Get returns one testimonial with its verdicts, e.g. to prefill the
// consent request for a testimonial waiting for consent.
func (s *TestimonialService) Get(id int64) (TestimonialView, error) {
	return withDB(s.c, func(ctx context.Context, db *store.DB) (TestimonialView, error) {
		t, err := db.Testimonial(ctx, id)
		if err != nil {
			return TestimonialView{}, err
		}
		return s.viewOne(ctx, db, t)
	})
}

// Use is how the consent check sees a post of t: its name form, face and
// media, the exact quote, and the agreed disclosure when one is needed.
func testimonialUse(t app.Testimonial, disclosure string) consent.Use {
	u := consent.Use{Identity: t.Identity(), Quote: t.Quote, PostText: disclosure}
	for _, m := range t.Media {
		u.MediaSHA256 = append(u.MediaSHA256, m.SHA256)
	}
	return u
}

func (s *TestimonialService) viewOne(ctx context.Context, db *store.DB, t app.Testimonial) (TestimonialView, error) {
	v := TestimonialView{Testimonial: t, Media: []MediaRef{}}
	if p, err := db.Patient(ctx, t.PatientID); err == nil {
		v.PatientName = p.FullName
	}
	for _, m := range t.Media {
		v.Media = append(v.Media, MediaRef{m.SHA256, m.Kind, m.Label, MediaURL(m.SHA256)})
	}
	now := s.c.Clock.Now()
	if t.ConsentID == 0 {
		for _, ch := range consent.ChannelChoices {
			if ch.Value == app.ChannelPaidAds {
				continue
			}
			no := []consent.Problem{{Code: "no_consent", Reason: "Waiting for the patient's consent: ask for it from Testimonials."}}
			v.Verdicts = append(v.Verdicts, consent.ChannelVerdict{Channel: ch.Value, Label: ch.Label, Problems: no, BoostProblems: no})
		}
		v.Summary = "Waiting for consent: not publishable anywhere."
		return v, nil
	}
	e, err := db.Consent(ctx, t.ConsentID)
	if err != nil {
		return v, err
	}
	tpl, err := db.Template(ctx, e.Consent.TemplateVersion)
	if err != nil && app.ErrorCode(err) != app.ENOTFOUND {
		return v, err
	}
	cv := (&ConsentService{c: s.c}).view(e, now)
	v.Consent = &cv
	if k := e.Consent.Remuneration.Kind; k != "" && k != app.RemunerationNone {
		v.Disclosure = e.Consent.Remuneration.Disclosure
		if v.Disclosure == "" {
			v.Disclosure = "Received " + strings.ToLower(e.Consent.Remuneration.Description)
		}
	}
	rec := consent.Record{Consent: e.Consent, Template: tpl, Revocation: e.Revocation, QuoteApprovals: e.QuoteApprovals}
	v.Verdicts = consent.Summarize(rec, testimonialUse(t, v.Disclosure), now)
	if a, ok := consent.ApprovedEdit(rec, t.Quote, now); ok {
		v.WordsApprovedOn = civilIn(a.ApprovedAt, zoneOf(e.Consent)).String()
	}
	for _, vd := range v.Verdicts {
		if vd.MayPublish {
			v.Publishable++
		}
	}
	// Only edited words can have been sent for approval: the common case
	// reads no requests.
	if consent.QuoteHash(t.Quote) != e.Consent.QuoteSHA256 {
		ea, err := emailApprovalWith(ctx, db, now, t, e.QuoteApprovals)
		if err != nil {
			return v, err
		}
		if ea.State != EmailApprovalNone {
			v.EmailApproval = &ea
		}
	}
	switch {
	case v.Publishable == 0:
		v.Summary = "Cannot be published anywhere today."
	case v.Publishable == len(v.Verdicts):
		v.Summary = "May be published on every channel today."
	default:
		v.Summary = fmt.Sprintf("May be published on %d of %d channels today.", v.Publishable, len(v.Verdicts))
	}
	return v, nil
}
