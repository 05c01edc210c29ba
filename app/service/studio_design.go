package service

import (
	"context"
	"math"
	"regexp"
	"slices"
	"strings"

	"practicepost/app"
	"practicepost/app/store"
	"practicepost/app/studio"
)

// StudioPhotoInput places a session photo in a template's photo slot.
type StudioPhotoInput struct {
	PhotoID    string             `json:"photoId"`
	Focus      studio.Point       `json:"focus"`
	Redactions []studio.Redaction `json:"redactions"`
}

// StudioDesign is the design being edited, as the form holds it.
type StudioDesign struct {
	Template    string                      `json:"template"`
	Layout      string                      `json:"layout"`
	Fields      map[string]string           `json:"fields"`
	Attribution *studio.AttributionSpec     `json:"attribution"`
	Background  studio.Background           `json:"background"`
	Photos      map[string]StudioPhotoInput `json:"photos"`
	// TestimonialID, when set, makes a quote card from that testimonial:
	// its approved words and the patient's name as far as the consent
	// allows, whatever the form typed.
	TestimonialID int64 `json:"testimonialId"`
	// WordsOf says whose words a quote card typed by hand carries:
	// app.AttributionNotPatient (a team member or public figure). A
	// patient's words come from their testimonial (TestimonialID) instead.
	WordsOf string `json:"wordsOf"`
}

const studioMaxRedactions = 30

var studioHexColor = regexp.MustCompile(`^#[0-9A-Fa-f]{6}$`)

// studioProvenance is what a design carries besides its pixels: where each
// placed photo came from (by slot) and whose words a quote card carries.
type studioProvenance struct {
	sources     map[string]app.ImageSource
	attribution string
}

// isQuoteCard reports a design that quotes someone (it names who said it).
func (s *StudioService) isQuoteCard(template string) bool {
	eng, err := s.engine()
	if err != nil {
		return false
	}
	for _, t := range eng.Templates() {
		if t.ID == template {
			return slices.ContainsFunc(t.Fields, func(f studio.Field) bool { return f.Kind == "attribution" })
		}
	}
	return false
}

// spec turns the form into an engine spec with the current brand kit. A
// preview forgives what export refuses (a missing patient name, a quote
// card that does not say whose words it carries) and says so.
func (s *StudioService) spec(ctx context.Context, in StudioDesign, preview bool) (studio.Spec, []string, studioProvenance, error) {
	var notes []string
	prov := studioProvenance{sources: map[string]app.ImageSource{}}
	sp, notes, err := s.specInto(ctx, in, preview, notes, &prov)
	return sp, notes, prov, err
}

func (s *StudioService) specInto(ctx context.Context, in StudioDesign, preview bool, notes []string, prov *studioProvenance) (studio.Spec, []string, error) {
	db, err := s.c.DB()
	if err != nil {
		return studio.Spec{}, nil, err
	}
	b, err := db.BrandKit(ctx)
	if err != nil {
		return studio.Spec{}, nil, err
	}
	logo, err := s.brandLogo(ctx, db, b.LogoSHA256)
	if err != nil {
		return studio.Spec{}, nil, err
	}
	sp := studio.Spec{Template: in.Template, Layout: in.Layout, Brand: b, Logo: logo, Fields: in.Fields,
		Background: in.Background, Photos: map[string]studio.Photo{}}
	switch in.Background.Kind {
	case "", "photo", "solid", "gradient":
	default:
		return sp, nil, app.FieldError("background", "Choose a photo, solid or gradient background.")
	}
	for _, c := range []string{in.Background.Color, in.Background.To} {
		if c != "" && !studioHexColor.MatchString(c) && !studioIsRole(c) {
			return sp, nil, app.FieldError("background", "Choose a brand colour or a colour like #1D4E89 for the background.")
		}
	}
	switch in.WordsOf {
	case "", app.AttributionNotPatient:
	default:
		return sp, nil, app.FieldError("wordsOf", "Say whose words the quote card carries: a patient's testimonial, or a team member or public figure.")
	}
	if in.TestimonialID != 0 {
		if err := s.fromTestimonial(ctx, db, in, &sp); err != nil {
			return sp, nil, err
		}
		prov.attribution = app.AttributionTestimonial
	} else if s.isQuoteCard(in.Template) {
		// Hand-typed words on a quote card: they must be said not to be a
		// patient's, or come from the patient's testimonial.
		switch {
		case in.WordsOf == app.AttributionNotPatient:
			prov.attribution = app.AttributionNotPatient
			if a := in.Attribution; a != nil && a.Mode == studio.AttrInitials {
				notes = append(notes, "Initials read like a patient's. Name the team member or public figure in full, or make the card from the patient's testimonial.")
			}
		case preview:
			notes = append(notes, "Say whose words these are: choose the patient's testimonial, or “A team member or public figure”.")
		default:
			return sp, nil, app.FieldError("wordsOf", "Say whose words the quote card carries: choose the patient's testimonial under “From a testimonial” (their consent then applies), or “A team member or public figure”.")
		}
	}
	if in.TestimonialID == 0 && in.Attribution != nil {
		a := in.Attribution
		mode := studio.AttributionMode(a.Mode)
		if preview && mode != studio.AttrAnonymous && strings.TrimSpace(a.Name) == "" {
			if in.WordsOf == app.AttributionNotPatient {
				notes = append(notes, "Enter their name, or choose “Anonymous”.")
			} else {
				notes = append(notes, "Enter the patient's name, or choose “Anonymous”.")
			}
		} else {
			sp.Attribution = &studio.AttributionSpec{Mode: mode, Name: a.Name}
		}
	}
	for slot, p := range in.Photos {
		if p.PhotoID == "" {
			continue
		}
		ph := s.photo(p.PhotoID)
		if ph == nil {
			return sp, nil, app.FieldError("photos."+slot, "The photo is no longer open (PracticePost keeps only the last %d). Add it again.", studioSessionPhotos)
		}
		if len(p.Redactions) > studioMaxRedactions {
			return sp, nil, app.FieldError("photos."+slot, "A photo can have at most %d redaction boxes. Draw one larger box over neighbouring areas instead.", studioMaxRedactions)
		}
		for _, r := range p.Redactions {
			if r.Mode != studio.RedactBlur && r.Mode != studio.RedactPixelate {
				return sp, nil, app.FieldError("photos."+slot, "Choose blur or pixelate for each redaction box.")
			}
			if !studioFinite(r.Box.X, r.Box.Y, r.Box.W, r.Box.H) || r.Box.W <= 0 || r.Box.H <= 0 || r.Box.X < 0 || r.Box.Y < 0 || r.Box.X+r.Box.W > 1.0001 || r.Box.Y+r.Box.H > 1.0001 {
				return sp, nil, app.FieldError("photos."+slot, "A redaction box lies outside the photo. Remove it and draw it again.")
			}
		}
		f := p.Focus
		if !studioFinite(f.X, f.Y) {
			f = studio.Point{}
		}
		f.X, f.Y = math.Min(math.Max(f.X, 0), 1), math.Min(math.Max(f.Y, 0), 1)
		if ph.source.Kind == "" {
			return sp, nil, app.FieldError("photos."+slot, "PracticePost does not know where this photo comes from. Remove it and add it again, from a patient's consent or saying what it shows.")
		}
		sp.Photos[slot] = studio.Photo{Source: ph.src, Focus: f, Redactions: p.Redactions}
		prov.sources[slot] = ph.source
	}
	return sp, notes, nil
}

func studioFinite(vs ...float64) bool {
	for _, v := range vs {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return false
		}
	}
	return true
}

func studioIsRole(c string) bool {
	switch c {
	case "primary", "secondary", "accent", "text", "background", "white", "black":
		return true
	}
	return false
}

// brandLogo decodes the brand logo once per logo change.
func (s *StudioService) brandLogo(ctx context.Context, db *store.DB, sha string) (*studio.Logo, error) {
	if sha == "" {
		return nil, nil
	}
	s.mu.Lock()
	if s.logoSHA == sha {
		l := s.logo
		s.mu.Unlock()
		return l, nil
	}
	s.mu.Unlock()
	blob, err := db.Blob(ctx, sha)
	if err != nil {
		return nil, err
	}
	l, err := studio.LoadLogo(blob.Data)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.logoSHA, s.logo = sha, l
	s.mu.Unlock()
	return l, nil
}
