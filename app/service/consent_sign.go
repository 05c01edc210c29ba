package service

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"practicepost/app"
	"practicepost/app/consent"
	"practicepost/app/store"
)

// pendingConsent is the request on the locked screen, kept in the data file
// so a reload or a restart shows the same form.
type pendingConsent struct {
	Request         ConsentRequest `json:"request"`
	SignedConsentID int64          `json:"signedConsentId"`
}

func readPending(ctx context.Context, db *store.DB) (*pendingConsent, error) {
	p, ok, err := readSealedState[pendingConsent](ctx, db, keyPending, "The consent form on screen could not be read. Unlock and start again.")
	if !ok {
		return nil, err
	}
	return &p, nil
}

// onScreen returns the data file and the form handed to the patient.
func (s *ConsentService) onScreen(ctx context.Context) (*store.DB, *pendingConsent, error) {
	return handedOver(ctx, s.c, readPending, "There is no consent form to sign. Hand the screen back to the practice.")
}

// handedOver returns the data file and what read finds handed to the
// patient on the locked screen, or none (the patient's next step) when
// nothing is. It does not guard: the patient calls it while the app is
// locked.
func handedOver[T any](ctx context.Context, c *Core, read func(context.Context, *store.DB) (*T, error), none string) (*store.DB, *T, error) {
	db, err := c.DB()
	if err != nil {
		return nil, nil, err
	}
	p, err := read(ctx, db)
	if err != nil {
		return nil, nil, err
	}
	if p == nil {
		return nil, nil, app.Errorf(app.ENOTFOUND, "%s", none)
	}
	return db, p, nil
}

func (s *ConsentService) checkReady(ctx context.Context, db *store.DB) error {
	su, err := s.setup(ctx, db)
	if err != nil {
		return err
	}
	if len(su.Missing) > 0 {
		return app.Errorf(app.EINVALID, "Before asking for consent, fill in: %s", strings.Join(su.Missing, " "))
	}
	return nil
}

// HandToPatient locks the app and shows the signing screen for r.
func (s *ConsentService) HandToPatient(r ConsentRequest) (LockStatus, error) {
	return withDB(s.c, func(ctx context.Context, db *store.DB) (LockStatus, error) {
		if err := s.checkReady(ctx, db); err != nil {
			return LockStatus{}, err
		}
		if err := s.checkRequest(ctx, db, &r); err != nil {
			return LockStatus{}, err
		}
		if err := checkNewestTemplate(ctx, db, r.TemplateVersion); err != nil {
			return LockStatus{}, err
		}
		// Render once now so a form that cannot be shown fails here, with the
		// manager, and not in front of the patient.
		f, err := s.form(ctx, db, r, SigningDraft{}, app.SignOnScreen)
		if err != nil {
			return LockStatus{}, err
		}
		if _, err := f.Text(s.c.Clock.Now()); err != nil {
			return LockStatus{}, err
		}
		b, _ := json.Marshal(pendingConsent{Request: r})
		err = s.lock.lock(ctx, db, "consent signing", func(tx *store.Tx) error {
			if err := tx.SetSealedState(ctx, keyPending, string(b)); err != nil {
				return app.Internal(err, "PracticePost could not prepare the form.")
			}
			return tx.Audit(ctx, "practice manager", "consent.request", "patient:"+strconv.FormatInt(r.PatientID, 10),
				map[string]string{"form": r.TemplateVersion, "method": string(app.SignOnScreen)})
		})
		if err != nil {
			return LockStatus{}, err
		}
		return s.lock.status(ctx, db)
	})
}

// SigningView is the patient-facing screen.
type SigningView struct {
	Active              bool         `json:"active"` // a form is waiting to be signed or has just been
	Signed              bool         `json:"signed"`
	Title               string       `json:"title"`
	PracticeName        string       `json:"practiceName"`
	PatientName         string       `json:"patientName"`
	Country             string       `json:"country"`
	NeedsRepresentative bool         `json:"needsRepresentative"`
	Identity            []ChoiceView `json:"identity"`
	Channels            []ChoiceView `json:"channels"`
	Authorities         []string     `json:"authorities"`
	Media               []MediaRef   `json:"media"` // the photos the form lists, to show beside their lines
	Preview             PreviewView  `json:"preview"`
}

// PreviewView is the exact text as the patient sees it, and its hash.
type PreviewView struct {
	Text   string `json:"text"`
	SHA256 string `json:"sha256"`
}

// Signing returns the form on the locked screen. It works while locked.
func (s *ConsentService) Signing() (SigningView, error) {
	ctx := context.Background()
	db, err := s.c.DB()
	if err != nil {
		return SigningView{}, err
	}
	p, err := readPending(ctx, db)
	if err != nil || p == nil {
		return SigningView{}, err
	}
	v := SigningView{Active: true, Signed: p.SignedConsentID != 0}
	f, err := s.form(ctx, db, p.Request, SigningDraft{}, app.SignOnScreen)
	if err != nil {
		return v, err
	}
	v.Title, v.PracticeName, v.PatientName, v.Country = f.Template.Title, f.Practice.Name, f.Patient.FullName, f.Template.Country
	v.NeedsRepresentative = consent.NeedsRepresentative(f.Patient, f.Template.Country, s.civilToday(f.Practice.Zone))
	v.Identity = choices(consent.IdentityChoices)
	v.Channels = choices(consent.ChannelChoices)
	v.Media = []MediaRef{}
	for _, m := range p.Request.Media {
		v.Media = append(v.Media, MediaRef{m.SHA256, m.Kind, m.Label, MediaURL(m.SHA256)})
	}
	v.Authorities = []string{"Parent with parental responsibility", "Legal guardian", "Lasting power of attorney for health and welfare", "Court-appointed deputy"}
	if f.Template.Country == "US" {
		v.Authorities = []string{"Parent of a minor", "Legal guardian", "Health care power of attorney", "Court-appointed conservator"}
	}
	if !v.Signed {
		v.Preview, err = s.preview(f)
	}
	return v, err
}

func (s *ConsentService) civilToday(zone string) app.CivilDate {
	loc, err := time.LoadLocation(zone)
	if err != nil {
		loc = time.UTC
	}
	n := s.c.Clock.Now().In(loc)
	return app.CivilDate{Year: n.Year(), Month: n.Month(), Day: n.Day()}
}

func (s *ConsentService) preview(f consent.Form) (PreviewView, error) {
	text, err := f.Text(s.c.Clock.Now())
	if err != nil {
		return PreviewView{}, err
	}
	return PreviewView{Text: text, SHA256: app.SHA256Hex([]byte(text))}, nil
}

// Preview renders the form with the choices made so far; the patient
// signs exactly this text. It works while locked.
func (s *ConsentService) Preview(d SigningDraft) (PreviewView, error) {
	ctx := context.Background()
	db, p, err := s.onScreen(ctx)
	if err != nil {
		return PreviewView{}, err
	}
	f, err := s.form(ctx, db, p.Request, d, app.SignOnScreen)
	if err != nil {
		return PreviewView{}, err
	}
	return s.preview(f)
}

// SignatureInput is the drawn signature: the pad's PNG and its strokes.
type SignatureInput struct {
	PNGBase64 string              `json:"pngBase64"`
	Strokes   [][]app.StrokePoint `json:"strokes"`
	TypedName string              `json:"typedName"`
}

const maxStrokePoints = 50_000

// Sign records the patient's signature on the form shown (shownSHA256 is
// the hash from the last Preview). The screen stays locked until the
// manager unlocks it.
func (s *ConsentService) Sign(d SigningDraft, sig SignatureInput, shownSHA256 string) (SigningView, error) {
	s.signMu.Lock()
	defer s.signMu.Unlock()
	ctx := context.Background()
	db, p, err := s.onScreen(ctx)
	if err != nil {
		return SigningView{}, err
	}
	if p.SignedConsentID != 0 {
		return SigningView{}, app.Errorf(app.ECONFLICT, "This form has already been signed. Thank you. Please hand the screen back to the practice.")
	}
	if st, err := s.lock.status(ctx, db); err != nil || !st.Locked {
		return SigningView{}, app.Errorf(app.ECONFLICT, "The signing screen was closed. Ask the practice to start again.")
	}
	dr, err := drawnSignature(sig)
	if err != nil {
		return SigningView{}, err
	}
	typed, png := dr.typed, dr.png
	d.SignerName = typed
	f, err := s.form(ctx, db, p.Request, d, app.SignOnScreen)
	if err != nil {
		return SigningView{}, err
	}
	now := s.c.Clock.Now()
	if msg := s.signerProblem(f, now); msg != "" {
		return SigningView{}, app.FieldError("representative", "%s", msg)
	}
	c, err := consent.Sign(f, consent.Signing{
		Signature: app.Signature{TypedName: typed, ImageSHA256: dr.sha, Strokes: sig.Strokes},
		SignedAt:  now, ShownTextSHA256: shownSHA256,
	}, now)
	if err != nil {
		return SigningView{}, patientWords(err)
	}
	pdf, err := consent.PDF(c, png, consent.PDFOptions{})
	if err != nil {
		return SigningView{}, err
	}
	nt, link := testimonialFor(p.Request, c, s.civilToday(c.Practice.Zone))
	e, err := db.InsertConsent(ctx, app.NewConsent{Consent: c, SignaturePNG: png, PDF: pdf, Testimonial: nt, Link: link})
	if err != nil {
		return SigningView{}, err
	}
	p.SignedConsentID = e.Consent.ID
	b, _ := json.Marshal(p)
	if err := db.Tx(ctx, func(tx *store.Tx) error { return tx.SetSealedState(ctx, keyPending, string(b)) }); err != nil {
		return SigningView{}, err
	}
	s.c.Emit.Emit(EventConsentChanged, nil)
	return SigningView{Active: true, Signed: true, Title: f.Template.Title, PracticeName: f.Practice.Name, PatientName: f.Patient.FullName, Country: c.Country,
		Identity: []ChoiceView{}, Channels: []ChoiceView{}, Authorities: []string{}, Media: []MediaRef{}}, nil
}

// signerProblem checks who signs at the signing time at: a minor on that
// day (or a patient flagged as needing one) needs a representative with a
// relationship and an authority.
func (s *ConsentService) signerProblem(f consent.Form, at time.Time) string {
	_, alone := consent.SignsAloneUnderAge(f, at)
	switch {
	case alone:
		return "A parent, guardian or other representative must sign for this patient. Tick “I am signing for the patient” and fill in your details."
	case f.Signer.Representative && (f.Signer.Relationship == "" || f.Signer.Authority == ""):
		return "Please say how you are related to the patient and what gives you the authority to sign for them."
	}
	return ""
}

// patientWords turns the form's "cannot be signed yet" list into something
// the person at the screen can act on.
func patientWords(err error) error {
	return missingWords(err, "Please tick at least one box to say how you may be named (it can be “No name (anonymous)”).",
		"Please tick at least one place where the practice may use your testimonial.")
}

// missingWords points whoever fills in a consent at the scope choice the
// refusal err is about: how the patient may be named (identity) or where
// the testimonial may be used (channels). Any other refusal stays as it is.
func missingWords(err error, identity, channels string) error {
	switch f := consent.MissingField(err); f {
	case "identity":
		return app.FieldError(f, "%s", identity)
	case "channels":
		return app.FieldError(f, "%s", channels)
	}
	return err
}
