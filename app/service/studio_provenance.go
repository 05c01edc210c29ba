package service

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"practicepost/app"
	"practicepost/app/consent"
	"practicepost/app/gate"
	"practicepost/app/store"
)

// Where a photo in the Studio comes from. Every photo is opened with its
// provenance: chosen from a signed consent's media (the pixels are that
// media's stored bytes), or declared by the manager as showing no patient.
// The provenance goes with the photo through crop, redaction and render
// into every kept size, where the consent gate reads it.

// studioDeclarationLabels are the words the UI shows for each declaration.
var studioDeclarationLabels = map[string]string{
	"team":         "Our team (staff who agreed to appear)",
	"premises":     "Our premises or equipment, no people",
	"stock":        "A stock photo we have a licence for",
	"illustration": "An illustration or graphic",
}

// StudioDeclarations lists the no-patient declarations in the order the
// photo picker offers them.
func StudioDeclarations() []StudioOption {
	out := make([]StudioOption, 0, len(app.SourceDeclarations))
	for _, d := range app.SourceDeclarations {
		out = append(out, StudioOption{Value: d, Label: studioDeclarationLabels[d]})
	}
	return out
}

// sourceLabel says in plain words where a photo came from (no patient name:
// the label is shown beside the design and may be read over a shoulder).
func sourceLabel(s app.ImageSource) string {
	switch s.Kind {
	case app.SourceConsent:
		l := fmt.Sprintf("From consent %d", s.ConsentID)
		if slices.Contains(s.Shows, app.IdentityBeforeAfter) {
			l += " · before-and-after"
		}
		if slices.Contains(s.Shows, app.IdentityFace) {
			return l + " · shows the face"
		}
		return l + " · face not shown"
	case app.SourceDeclared:
		return "No patient: " + strings.ToLower(strings.SplitN(studioDeclarationLabels[s.Declared], " (", 2)[0])
	}
	return "Source not recorded"
}

// provenanceLabel says where a kept image's photos came from, and whose
// words a quote card carries, in one line for the library.
func provenanceLabel(m app.Media) string {
	var parts []string
	switch {
	case !m.SourcesKnown:
		parts = append(parts, "Photo source not recorded: say what it shows on Home")
	case len(m.Sources) == 0:
		parts = append(parts, "No photo")
	default:
		for _, src := range m.Sources {
			parts = append(parts, sourceLabel(src))
		}
	}
	switch {
	case m.Attribution == app.AttributionTestimonial:
		parts = append(parts, "words from the patient's testimonial")
	case m.Attribution == app.AttributionNotPatient:
		parts = append(parts, "words of a team member or public figure")
	case m.WordsUnattributed():
		parts = append(parts, "whose words not recorded: say on Home")
	}
	return strings.Join(parts, "; ")
}

// StudioConsentPhoto is one photo a consent covers, as the picker shows it.
type StudioConsentPhoto struct {
	SHA256 string `json:"sha256"`
	Kind   string `json:"kind"` // "photo" or "before_after"
	Label  string `json:"label"`
	URL    string `json:"url"`
}

// StudioConsentChoice is a signed consent with photos, and whether its
// photos can go on an image today.
type StudioConsentChoice struct {
	ConsentID   int64                `json:"consentId"`
	PatientName string               `json:"patientName"`
	SignedOn    string               `json:"signedOn"`
	Photos      []StudioConsentPhoto `json:"photos"`
	// FaceAllowed: the patient agreed their face may be shown.
	FaceAllowed bool `json:"faceAllowed"`
	// BeforeAfterAllowed: the patient agreed to before-and-after photos.
	BeforeAfterAllowed bool `json:"beforeAfterAllowed"`
	Usable             bool `json:"usable"`
	// Reason says why not, when not usable, and what to do.
	Reason string `json:"reason"`
}

// perPostCodes are problems the gate judges per post and channel; they do
// not stop a photo entering the Studio.
var perPostCodes = []string{consent.CodeChannelNotCovered, consent.CodePaidNotCovered, consent.CodeUndisclosedPayment, consent.CodeQuoteChanged}

// photoProblems checks a consent's photo can be used today: signed, intact,
// not withdrawn, on hold or expired, covering this media and what the image
// shows. Which platforms it may go to is checked when a post uses it.
func (s *StudioService) photoProblems(ctx context.Context, db *store.DB, e app.ConsentEntry, sha string, shows []app.IdentityElement) ([]consent.Problem, error) {
	rec, err := gate.Record(ctx, db, e, map[string]app.ConsentTemplate{})
	if err != nil {
		return nil, err
	}
	if rec.Hold == nil {
		rec.Hold = e.Hold
	}
	now := s.c.Clock.Now()
	use := consent.Use{Identity: append([]app.IdentityElement{app.IdentityAnonymous}, shows...), MediaSHA256: []string{sha}, CheckedAt: now}
	for _, ch := range e.Consent.Scope.Channels {
		if ch != app.ChannelPaidAds {
			use.Channel = ch
			break
		}
	}
	var out []consent.Problem
	for _, p := range consent.Validate(rec, use, now) {
		if !slices.Contains(perPostCodes, p.Code) {
			out = append(out, p)
		}
	}
	return out, nil
}

func consentPhotos(c app.Consent) []StudioConsentPhoto {
	out := []StudioConsentPhoto{}
	for _, m := range c.Media {
		if m.Kind == "photo" || m.Kind == "before_after" {
			out = append(out, StudioConsentPhoto{SHA256: m.SHA256, Kind: m.Kind, Label: m.Label, URL: MediaURL(m.SHA256)})
		}
	}
	return out
}

// ConsentPhotos lists the signed consents that cover photos, those that
// can be used today first, each unusable one with the reason.
func (s *StudioService) ConsentPhotos() ([]StudioConsentChoice, error) {
	return withDB(s.c, func(ctx context.Context, db *store.DB) ([]StudioConsentChoice, error) {
		list, err := db.ListConsents(ctx, app.ConsentFilter{})
		if err != nil {
			return nil, err
		}
		loc, _ := practiceZone(ctx, db)
		out := []StudioConsentChoice{}
		for _, e := range list {
			photos := consentPhotos(e.Consent)
			if len(photos) == 0 {
				continue
			}
			c := StudioConsentChoice{ConsentID: e.Consent.ID, PatientName: e.Consent.Patient.FullName, Photos: photos,
				SignedOn:           e.Consent.SignedAt.In(loc).Format(consent.DateLayout(e.Consent.Country)),
				FaceAllowed:        slices.Contains(e.Consent.Scope.Identity, app.IdentityFace),
				BeforeAfterAllowed: slices.Contains(e.Consent.Scope.Identity, app.IdentityBeforeAfter)}
			if p, err := db.Patient(ctx, e.Consent.PatientID); err == nil && strings.TrimSpace(p.FullName) != "" {
				c.PatientName = p.FullName
			}
			probs, err := s.photoProblems(ctx, db, e, photos[0].SHA256, nil)
			if err != nil {
				return nil, err
			}
			c.Usable = len(probs) == 0
			if !c.Usable {
				c.Reason = probs[0].Reason
			}
			out = append(out, c)
		}
		// Usable first; ListConsents already gives newest first within each.
		slices.SortStableFunc(out, func(a, b StudioConsentChoice) int {
			switch {
			case a.Usable == b.Usable:
				return 0
			case a.Usable:
				return -1
			}
			return 1
		})
		return out, nil
	})
}

// PhotoFromConsent opens a photo a signed consent covers for this editing
// session: its pixels are the consent's stored media, so the image is
// provably made from what the patient agreed to. showsFace is the manager's
// answer to "does the photo show the patient's face?"; a before-and-after
// photo is recorded as such from the consent itself.
func (s *StudioService) PhotoFromConsent(consentID int64, mediaSHA256 string, showsFace bool) (StudioPhoto, error) {
	return withDB(s.c, func(ctx context.Context, db *store.DB) (StudioPhoto, error) {
		e, err := db.Consent(ctx, consentID)
		if app.ErrorCode(err) == app.ENOTFOUND {
			return StudioPhoto{}, app.FieldError("source", "That consent is not in PracticePost. Choose another consent, or ask the patient for consent from Patients.")
		} else if err != nil {
			return StudioPhoto{}, err
		}
		i := slices.IndexFunc(e.Consent.Media, func(m app.ConsentMedia) bool {
			return m.SHA256 == mediaSHA256 && (m.Kind == "photo" || m.Kind == "before_after")
		})
		if i < 0 {
			return StudioPhoto{}, app.FieldError("source", "That photo is not one this consent covers. Choose one of the photos shown under the consent.")
		}
		media := e.Consent.Media[i]
		src := app.ImageSource{Kind: app.SourceConsent, ConsentID: consentID, MediaSHA256: mediaSHA256}
		if showsFace {
			src.Shows = append(src.Shows, app.IdentityFace)
		}
		if media.Kind == "before_after" {
			src.Shows = append(src.Shows, app.IdentityBeforeAfter)
		}
		probs, err := s.photoProblems(ctx, db, e, mediaSHA256, src.Shows)
		if err != nil {
			return StudioPhoto{}, err
		}
		// The first problem is the one to fix first; the others often follow from it.
		if len(probs) > 0 {
			p := probs[0]
			msg := p.Reason
			switch {
			case p.Code == consent.CodeIdentityNotCovered && slices.Contains(src.Shows, app.IdentityFace) && !slices.Contains(e.Consent.Scope.Identity, app.IdentityFace):
				msg += " Choose a photo that does not show the face, or untick “Shows the patient's face” only if you will crop or blur the face out."
			case p.Code == consent.CodeIdentityNotCovered:
				msg += " This photo cannot go on an image; choose another consent's photo."
			default:
				msg += " Its photos cannot go on an image; choose another consent."
			}
			return StudioPhoto{}, app.FieldError("source", "%s", msg)
		}
		blob, err := db.Blob(ctx, mediaSHA256)
		if app.ErrorCode(err) == app.ENOTFOUND {
			return StudioPhoto{}, app.FieldError("source", "The photo's file is missing from PracticePost's data. Restore a backup from Settings → Backup, or ask the patient for a new consent with the photo.")
		} else if err != nil {
			return StudioPhoto{}, err
		}
		name := media.Label
		if strings.TrimSpace(name) == "" {
			name = fmt.Sprintf("Photo from consent %d", consentID)
		}
		return s.openPhoto(name, blob.Data, src)
	})
}

// studioSourceKey keeps photos apart by provenance: the same pixels opened
// once as "shows the face" and once as "face not shown" are two photos.
func studioSourceKey(src app.ImageSource) string {
	var shows []string
	for _, e := range src.Shows {
		shows = append(shows, string(e))
	}
	return fmt.Sprintf("%s|%d|%s|%s|%s", src.Kind, src.ConsentID, src.MediaSHA256, strings.Join(shows, ","), src.Declared)
}

// UnplacedImages lists the library images whose provenance PracticePost
// does not know (made before it asked), for Home. Posts that use them are
// held by the consent gate until they are declared.
func (s *StudioService) UnplacedImages() ([]StudioUnplaced, error) {
	return withDB(s.c, func(ctx context.Context, db *store.DB) ([]StudioUnplaced, error) {
		list, err := db.UnplacedImages(ctx)
		if err != nil {
			return nil, err
		}
		names := map[string]string{}
		if eng, err := s.engine(); err == nil {
			for _, t := range eng.Templates() {
				names[t.ID] = t.Name
			}
		}
		out := make([]StudioUnplaced, 0, len(list))
		for _, u := range list {
			name := names[u.Template]
			if name == "" {
				name = u.Template
			}
			out = append(out, StudioUnplaced{UnplacedImage: u, URL: MediaURL(u.SHA256), TemplateName: name})
		}
		return out, nil
	})
}

// Declarations lists what a photo that shows no patient can be declared as,
// for screens that declare without opening the Studio (Home).
func (s *StudioService) Declarations() ([]StudioOption, error) {
	if err := s.c.manager(); err != nil {
		return nil, err
	}
	return StudioDeclarations(), nil
}

// StudioUnplaced is an image waiting for its provenance, with where the UI
// loads its thumbnail from.
type StudioUnplaced struct {
	app.UnplacedImage
	URL          string `json:"url"`
	TemplateName string `json:"templateName"`
}

// DeclareImage records the manager's declaration for every size of an
// image whose provenance is unknown: its photos show no patient (team,
// premises, stock, illustration), and/or a hand-typed quote card's words
// are a team member's or public figure's. It is written to the activity
// log. A photo that shows a patient cannot be declared: the image must be
// made again from the patient's consent in the Studio.
func (s *StudioService) DeclareImage(setID string, dec app.ImageDeclaration) ([]StudioUnplaced, error) {
	return withDB(s.c, func(ctx context.Context, db *store.DB) ([]StudioUnplaced, error) {
		if err := db.DeclareImage(ctx, setID, dec); err != nil {
			return nil, err
		}
		return s.UnplacedImages()
	})
}
