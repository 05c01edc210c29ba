package service

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"practicepost/app"
	"practicepost/app/store"
	"practicepost/app/studio"
)

// EventStudioProgress reports "Render all sizes" progress: {renderId, done, total}.
const EventStudioProgress = "studio:progress"

// Photos kept decoded for the editing session. A 12 MP photo is about 20 MB
// decoded, so a handful is plenty for before/after and a few tries.
const studioSessionPhotos = 6

// Rendered sets kept in memory until kept or exported.
const studioPendingRenders = 3

// studioExportBudget is the smallest image budget of any platform (Bluesky), so a
// kept or exported file can be posted anywhere without re-encoding.
var studioExportBudget = func() int {
	b := math.MaxInt
	for _, v := range studio.Budgets {
		b = min(b, v)
	}
	return b
}()

// StudioService makes branded images: templates filled in with a live
// preview, photos with a focal point and redactions, every platform size in
// one go, and a library of kept images.
type StudioService struct {
	c *Core

	engOnce sync.Once
	eng     *studio.Engine
	engErr  error

	mu      sync.Mutex
	photos  []*studioSessionPhoto // least recently used first
	renders []*studioPendingRender
	logoSHA string
	logo    *studio.Logo

	rendering sync.Mutex
}

type studioSessionPhoto struct {
	id     string
	name   string
	src    *studio.Source
	source app.ImageSource // where the pixels came from; kept into every render
}

type studioPendingRender struct {
	id       string
	template string
	layout   string
	variants []studio.Variant
	// What the guard needs when a post uses these images.
	testimonialID int64
	identity      app.IdentityElement
	words         string
	sources       []app.ImageSource // one per photo the design draws
	attribution   string            // whose words a quote card carries
}

func NewStudioService(c *Core) *StudioService { return &StudioService{c: c} }

func (s *StudioService) engine() (*studio.Engine, error) {
	s.engOnce.Do(func() { s.eng, s.engErr = studio.New() })
	return s.eng, s.engErr
}

// StudioOption is a value with the words the UI shows for it.
type StudioOption struct {
	Value string `json:"value"`
	Label string `json:"label"`
}

// StudioLayout names one layout of a template.
type StudioLayout struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// StudioTemplate is a template as the picker and form need it.
type StudioTemplate struct {
	ID          string             `json:"id"`
	Name        string             `json:"name"`
	Description string             `json:"description"`
	Fields      []studio.Field     `json:"fields"`
	Photos      []studio.PhotoSlot `json:"photos"`
	Layouts     []StudioLayout     `json:"layouts"`
}

// StudioSetup is everything the Studio screen needs before the first preview.
type StudioSetup struct {
	Templates        []StudioTemplate `json:"templates"`
	Sizes            []studio.Size    `json:"sizes"`
	Clinicians       []app.Clinician  `json:"clinicians"`
	AttributionModes []StudioOption   `json:"attributionModes"`
	ColorRoles       []StudioOption   `json:"colorRoles"`
	Colors           app.BrandColors  `json:"colors"`
	ExportFolder     string           `json:"exportFolder"`
	MaxPhotoMB       int              `json:"maxPhotoMb"`
	MaxAltText       int              `json:"maxAltText"`
	ExportBudget     int              `json:"exportBudget"`
	Redactions       []StudioOption   `json:"redactionModes"`
	Backgrounds      []StudioOption   `json:"backgrounds"`
	LogoURL          string           `json:"logoUrl"`
	PracticeName     string           `json:"practiceName"`
	PreviewLongSide  int              `json:"previewLongSide"`
	AttributionNote  string           `json:"attributionNote"`
	PhotoFormatsNote string           `json:"photoFormatsNote"`
	// Declarations are what a photo that shows no patient can be declared as.
	Declarations []StudioOption `json:"declarations"`
}

// Setup lists templates, sizes and the brand kit's clinicians and colours.
func (s *StudioService) Setup() (StudioSetup, error) {
	if err := s.c.manager(); err != nil {
		return StudioSetup{}, err
	}
	eng, err := s.engine()
	if err != nil {
		return StudioSetup{}, err
	}
	db, err := s.c.DB()
	if err != nil {
		return StudioSetup{}, err
	}
	ctx := context.Background()
	b, err := db.BrandKit(ctx)
	if err != nil {
		return StudioSetup{}, err
	}
	folder, err := s.exportFolder(ctx, db)
	if err != nil {
		return StudioSetup{}, err
	}
	out := StudioSetup{
		Sizes:      studio.Sizes,
		Clinicians: b.Clinicians,
		AttributionModes: []StudioOption{
			{string(studio.AttrFullName), "Full name"}, {string(studio.AttrFirstName), "First name"},
			{string(studio.AttrInitials), "Initials"}, {string(studio.AttrAnonymous), "Anonymous"},
		},
		ColorRoles: []StudioOption{
			{"primary", "Primary"}, {"secondary", "Secondary"}, {"accent", "Accent"}, {"background", "Background"}, {"text", "Text"},
		},
		Colors:           b.Colors,
		ExportFolder:     folder,
		MaxPhotoMB:       studio.PhotoLimits.MaxBytes >> 20,
		MaxAltText:       app.MaxAltText,
		ExportBudget:     studioExportBudget,
		Redactions:       []StudioOption{{string(studio.RedactBlur), "Blur"}, {string(studio.RedactPixelate), "Pixelate"}},
		Backgrounds:      []StudioOption{{"photo", "Photo"}, {"solid", "Solid colour"}, {"gradient", "Gradient"}},
		PracticeName:     b.PracticeName,
		PreviewLongSide:  studio.PreviewLongSide,
		AttributionNote:  "Choose the testimonial to fill in the quote and offer only the names its consent allows. Words typed by hand are checked for patients' names and details whenever the image is used in a post.",
		PhotoFormatsNote: "JPEG or PNG, up to " + strconv.Itoa(studio.PhotoLimits.MaxBytes>>20) + " MB and 50 megapixels.",
		Declarations:     StudioDeclarations(),
	}
	if b.LogoSHA256 != "" {
		out.LogoURL = MediaURL(b.LogoSHA256)
	}
	for _, t := range eng.Templates() {
		v := StudioTemplate{ID: t.ID, Name: t.Name, Description: t.Description, Fields: t.Fields, Photos: t.Photos}
		if v.Fields == nil {
			v.Fields = []studio.Field{}
		}
		if v.Photos == nil {
			v.Photos = []studio.PhotoSlot{}
		}
		for _, l := range t.Layouts {
			v.Layouts = append(v.Layouts, StudioLayout{ID: l.ID, Name: l.Name})
		}
		out.Templates = append(out.Templates, v)
	}
	return out, nil
}

// ClinicianFields fills the meet-the-team fields from the brand kit's
// clinician at index (0-based, in brand-kit order).
func (s *StudioService) ClinicianFields(index int) (map[string]string, error) {
	db, err := s.c.open(context.Background(), nil)
	if err != nil {
		return nil, err
	}
	b, err := db.BrandKit(context.Background())
	if err != nil {
		return nil, err
	}
	if index < 0 || index >= len(b.Clinicians) {
		return nil, app.FieldError("clinician", "That clinician is no longer in the brand kit. Choose another, or add them in Settings → Practice & brand.")
	}
	return studio.TeamFields(b.Clinicians[index]), nil
}

// StudioPhoto describes a photo opened for editing.
type StudioPhoto struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Format string `json:"format"`
	Width  int    `json:"width"` // upright, after the camera's orientation is applied
	Height int    `json:"height"`
	Bytes  int    `json:"bytes"`
	// Source is where the photo came from; SourceLabel says it in words.
	Source      app.ImageSource `json:"source"`
	SourceLabel string          `json:"sourceLabel"`
}

var studioDataURLPrefix = regexp.MustCompile(`^data:[^,]*,`)

// UploadPhoto opens a photo from the computer for this editing session.
// declared says what it shows, as the manager declares it: one of
// app.SourceDeclarations (team, premises, stock, illustration). A photo of a
// patient is never added this way: it is chosen from the patient's signed
// consent (PhotoFromConsent), so the consent is checked wherever it is used.
// The size is checked before the base64 is decoded and the header before
// the pixels are, so a huge or hostile file is refused cheaply.
func (s *StudioService) UploadPhoto(fileName, dataBase64, declared string) (StudioPhoto, error) {
	if err := s.c.manager(); err != nil {
		return StudioPhoto{}, err
	}
	name := filepath.Base(strings.ReplaceAll(fileName, "\\", "/"))
	if name == "." || name == "/" {
		name = "photo"
	}
	if !slices.Contains(app.SourceDeclarations, declared) {
		return StudioPhoto{}, app.FieldError("source", "Say what %s shows before adding it: our team, our premises, a stock photo or an illustration. If it shows a patient, choose it from the patient's signed consent instead (“From a patient's consent”).", name)
	}
	dataBase64 = studioDataURLPrefix.ReplaceAllString(dataBase64, "")
	limit := studio.PhotoLimits.MaxBytes
	if base64.StdEncoding.DecodedLen(len(dataBase64)) > limit+3 {
		return StudioPhoto{}, app.Errorf(app.EINVALID, "%s is larger than %d MB, the most PracticePost accepts. Save a smaller copy (for example by sharing it from the phone at a smaller size) and add it again.", name, limit>>20)
	}
	data, err := base64.StdEncoding.DecodeString(dataBase64)
	if err != nil {
		return StudioPhoto{}, app.Errorf(app.EINVALID, "%s could not be read. Add it again.", name)
	}
	db, err := s.c.DB()
	if err != nil {
		return StudioPhoto{}, err
	}
	// A patient's photo does not become "stock" by being added again from
	// a folder: the same file attached to a consent or testimonial is theirs,
	// as stored or as it was before its camera data was removed at intake.
	shas := []string{app.SHA256Hex(data)}
	if clean, err := studio.StripMetadata(data); err == nil {
		shas = append(shas, app.SHA256Hex(clean))
	}
	for _, sha := range shas {
		if n, err := db.PatientMediaUses(context.Background(), sha); err != nil {
			return StudioPhoto{}, err
		} else if n > 0 {
			return StudioPhoto{}, app.FieldError("source", "%s is a patient's photo: it is attached to a consent or testimonial in PracticePost. Choose it under “From a patient's consent”, so the consent is checked whenever the image is used.", name)
		}
	}
	return s.openPhoto(name, data, app.ImageSource{Kind: app.SourceDeclared, Declared: declared})
}

// openPhoto decodes a photo with its provenance into the session.
func (s *StudioService) openPhoto(name string, data []byte, source app.ImageSource) (StudioPhoto, error) {
	id := app.SHA256Hex(append([]byte(studioSourceKey(source)+"\x00"), data...))[:20]
	if p := s.photo(id); p != nil {
		return studioPhotoView(p, len(data)), nil
	}
	src, err := studio.Load(data)
	if err != nil {
		// The engine's messages say "The photo"; name the file the user chose.
		var ae *app.Error
		if errors.As(err, &ae) && ae.Code != app.EINTERNAL {
			msg := strings.Replace(ae.Message, "The photo", name, 1)
			if msg == ae.Message {
				msg = name + ": " + ae.Message
			}
			return StudioPhoto{}, &app.Error{Code: ae.Code, Err: ae.Err, Field: "photo", Message: msg}
		}
		return StudioPhoto{}, err
	}
	p := &studioSessionPhoto{id: id, name: name, src: src, source: source}
	s.mu.Lock()
	s.photos = append(s.photos, p)
	if len(s.photos) > studioSessionPhotos {
		s.photos = s.photos[len(s.photos)-studioSessionPhotos:]
	}
	s.mu.Unlock()
	return studioPhotoView(p, len(data)), nil
}

func studioPhotoView(p *studioSessionPhoto, n int) StudioPhoto {
	info := p.src.Info()
	return StudioPhoto{ID: p.id, Name: p.name, Format: info.Format, Width: info.DisplayWidth, Height: info.DisplayHeight, Bytes: n,
		Source: p.source, SourceLabel: sourceLabel(p.source)}
}

// photo finds a session photo and marks it recently used.
func (s *StudioService) photo(id string) *studioSessionPhoto {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, p := range s.photos {
		if p.id == id {
			s.photos = append(append(s.photos[:i:i], s.photos[i+1:]...), p)
			return p
		}
	}
	return nil
}

// ForgetPhoto closes a photo so its pixels leave memory.
func (s *StudioService) ForgetPhoto(id string) error {
	if err := s.c.manager(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, p := range s.photos {
		if p.id == id {
			s.photos = append(s.photos[:i:i], s.photos[i+1:]...)
		}
	}
	return nil
}

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

// StudioPreview is one size drawn small from the working copies.
type StudioPreview struct {
	SizeID    string            `json:"sizeId"`
	Image     string            `json:"image"` // data: URL
	Width     int               `json:"width"`
	Height    int               `json:"height"`
	Overflows []studio.Overflow `json:"overflows"`
	Warnings  []string          `json:"warnings"`
	Millis    float64           `json:"millis"` // engine time, for the speed goal (≤ 50 ms)
}

// Preview draws one size at longSide pixels (0: the default 540).
func (s *StudioService) Preview(in StudioDesign, sizeID string, longSide int) (StudioPreview, error) {
	if err := s.c.manager(); err != nil {
		return StudioPreview{}, err
	}
	eng, err := s.engine()
	if err != nil {
		return StudioPreview{}, err
	}
	size, ok := studio.SizeByID(sizeID)
	if !ok {
		return StudioPreview{}, app.FieldError("size", "Choose one of the image sizes.")
	}
	longSide = min(max(longSide, 0), 1600)
	ctx := context.Background()
	sp, notes, _, err := s.spec(ctx, in, true)
	if err != nil {
		return StudioPreview{}, err
	}
	start := time.Now()
	v, err := eng.Preview(ctx, sp, size, longSide)
	if err != nil {
		return StudioPreview{}, err
	}
	ms := float64(time.Since(start).Microseconds()) / 1000
	return StudioPreview{SizeID: size.ID, Image: studioDataURL(v.MIME, v.Data), Width: v.Width, Height: v.Height,
		Overflows: studioNonNil(v.Overflows), Warnings: studioNonNil(append(notes, v.Warnings...)), Millis: ms}, nil
}

func studioDataURL(mime string, b []byte) string {
	return "data:" + mime + ";base64," + base64.StdEncoding.EncodeToString(b)
}

func studioNonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// StudioVariant is one rendered size.
type StudioVariant struct {
	SizeID    string            `json:"sizeId"`
	Name      string            `json:"name"`
	Width     int               `json:"width"`
	Height    int               `json:"height"`
	Bytes     int               `json:"bytes"`
	Quality   int               `json:"quality"`
	Image     string            `json:"image"` // data: URL of the exported file itself
	Overflows []studio.Overflow `json:"overflows"`
	Warnings  []string          `json:"warnings"`
}

// StudioRender is every size of one design, ready to keep or export.
type StudioRender struct {
	ID        string            `json:"id"`
	Template  string            `json:"template"`
	Variants  []StudioVariant   `json:"variants"`
	Overflows []studio.Overflow `json:"overflows"` // all sizes; export waits until fixed or accepted
	Millis    int64             `json:"millis"`
}

// Render makes every size at full resolution, reporting progress as pairs
// of sizes finish (the engine renders each pair on both cores).
func (s *StudioService) Render(in StudioDesign) (StudioRender, error) {
	if err := s.c.manager(); err != nil {
		return StudioRender{}, err
	}
	if !s.rendering.TryLock() {
		return StudioRender{}, app.Errorf(app.ECONFLICT, "The sizes are already being rendered. Wait for them to finish.")
	}
	defer s.rendering.Unlock()
	eng, err := s.engine()
	if err != nil {
		return StudioRender{}, err
	}
	ctx := context.Background()
	sp, _, prov, err := s.spec(ctx, in, false)
	if err != nil {
		return StudioRender{}, err
	}
	words, err := eng.Words(sp)
	if err != nil {
		return StudioRender{}, err
	}
	// One source per photo the design draws: a photo placed in a slot the
	// layout or background does not paint is not in the image.
	drawn, err := eng.PhotosDrawn(sp)
	if err != nil {
		return StudioRender{}, err
	}
	sources := make([]app.ImageSource, 0, len(drawn))
	for _, slot := range drawn {
		sources = append(sources, prov.sources[slot])
	}
	var identity app.IdentityElement
	if sp.Attribution != nil {
		identity = app.IdentityElement(sp.Attribution.Mode)
	}
	id := studioNewID()
	start := time.Now()
	total := len(studio.Sizes)
	s.c.Emit.Emit(EventStudioProgress, map[string]any{"renderId": id, "done": 0, "total": total})
	var vs []studio.Variant
	ex := studio.Export{Format: studio.JPEG, Quality: 88, MaxBytes: studioExportBudget}
	for i := 0; i < total; i += 2 {
		part, err := eng.Render(ctx, sp, studio.Sizes[i:min(i+2, total)], ex)
		if err != nil {
			return StudioRender{}, err
		}
		vs = append(vs, part...)
		s.c.Emit.Emit(EventStudioProgress, map[string]any{"renderId": id, "done": len(vs), "total": total})
	}
	out := StudioRender{ID: id, Template: in.Template, Overflows: []studio.Overflow{}, Millis: time.Since(start).Milliseconds()}
	for _, v := range vs {
		out.Variants = append(out.Variants, StudioVariant{SizeID: v.Size.ID, Name: v.Size.Name, Width: v.Width, Height: v.Height,
			Bytes: len(v.Data), Quality: v.Quality, Image: studioDataURL(v.MIME, v.Data), Overflows: studioNonNil(v.Overflows), Warnings: studioNonNil(v.Warnings)})
		out.Overflows = append(out.Overflows, v.Overflows...)
	}
	layout := in.Layout
	if layout == "" {
		for _, t := range eng.Templates() {
			if t.ID == in.Template && len(t.Layouts) > 0 {
				layout = t.Layouts[0].ID
			}
		}
	}
	s.mu.Lock()
	s.renders = append(s.renders, &studioPendingRender{id: id, template: in.Template, layout: layout, variants: vs,
		testimonialID: in.TestimonialID, identity: identity, words: words, sources: sources, attribution: prov.attribution})
	if len(s.renders) > studioPendingRenders {
		s.renders = s.renders[len(s.renders)-studioPendingRenders:]
	}
	s.mu.Unlock()
	return out, nil
}

func studioNewID() string {
	var b [8]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// pending finds a render and checks it may leave the Studio: text that
// does not fit holds it back until the user has looked and accepted.
func (s *StudioService) pending(renderID string, acceptOverflow bool) (*studioPendingRender, error) {
	s.mu.Lock()
	var r *studioPendingRender
	for _, x := range s.renders {
		if x.id == renderID {
			r = x
		}
	}
	s.mu.Unlock()
	if r == nil {
		return nil, app.Errorf(app.ENOTFOUND, "These images are no longer ready (PracticePost keeps the last %d renders until you keep or export them). Click “Render all sizes” again.", studioPendingRenders)
	}
	if !acceptOverflow {
		var sizes []string
		for _, v := range r.variants {
			if len(v.Overflows) > 0 {
				sizes = append(sizes, v.Size.Name)
			}
		}
		if len(sizes) > 0 {
			return nil, app.FieldError("overflow", "Some text does not fit the %s: it would be cut off. Shorten the text or choose another layout, or tick “Use these images anyway”.", strings.Join(sizes, ", "))
		}
	}
	return r, nil
}

// StudioLibraryItem is a kept image with the URL the UI shows it from.
type StudioLibraryItem struct {
	app.Media
	URL string `json:"url"`
	// Provenance says in words where the image's photos came from.
	Provenance string `json:"provenance"`
}

func studioLibraryItem(m app.Media) StudioLibraryItem {
	return StudioLibraryItem{Media: m, URL: MediaURL(m.SHA256), Provenance: provenanceLabel(m)}
}

// StudioLibrary is a page of the library, newest first.
type StudioLibrary struct {
	Items []StudioLibraryItem `json:"items"`
	Total int                 `json:"total"`
}

// Keep stores every size of a render in the library with its alt text,
// the testimonial it was made from and the words it shows, so the guard can
// check them whenever a post uses it.
func (s *StudioService) Keep(renderID, altText string, acceptOverflow bool) (StudioLibrary, error) {
	if err := s.c.manager(); err != nil {
		return StudioLibrary{}, err
	}
	if _, err := app.CheckAltText(altText); err != nil {
		return StudioLibrary{}, err
	}
	r, err := s.pending(renderID, acceptOverflow)
	if err != nil {
		return StudioLibrary{}, err
	}
	db, err := s.c.DB()
	if err != nil {
		return StudioLibrary{}, err
	}
	items := make([]app.NewMedia, len(r.variants))
	for i, v := range r.variants {
		items[i] = app.NewMedia{Data: v.Data, MIME: v.MIME, Template: r.template, Layout: r.layout, SizeID: v.Size.ID, Width: v.Width, Height: v.Height,
			TestimonialID: r.testimonialID, Identity: r.identity, ImageText: r.words,
			Sources: r.sources, SourcesKnown: true, Attribution: r.attribution}
	}
	kept, err := db.KeepMedia(context.Background(), r.id, altText, items)
	if err != nil {
		return StudioLibrary{}, err
	}
	out := StudioLibrary{Total: len(kept)}
	for _, m := range kept {
		out.Items = append(out.Items, studioLibraryItem(m))
	}
	return out, nil
}

// Library lists kept images, newest first.
func (s *StudioService) Library(limit, offset int) (StudioLibrary, error) {
	db, err := s.c.open(context.Background(), nil)
	if err != nil {
		return StudioLibrary{}, err
	}
	p, err := db.ListMedia(context.Background(), limit, max(offset, 0))
	if err != nil {
		return StudioLibrary{}, err
	}
	out := StudioLibrary{Items: []StudioLibraryItem{}, Total: p.Total}
	for _, m := range p.Items {
		out.Items = append(out.Items, studioLibraryItem(m))
	}
	return out, nil
}

// DeleteMedia removes one image from the library.
func (s *StudioService) DeleteMedia(id int64) error {
	db, err := s.c.open(context.Background(), nil)
	if err != nil {
		return err
	}
	return db.DeleteMedia(context.Background(), id)
}

const studioExportFolderKey = "studio.exportFolder"

func (s *StudioService) exportFolder(ctx context.Context, db *store.DB) (string, error) {
	f, err := db.State(ctx, studioExportFolderKey)
	if err != nil || f != "" {
		return f, err
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", nil
	}
	for _, d := range []string{"Pictures", "Documents"} {
		if st, err := os.Stat(filepath.Join(home, d)); err == nil && st.IsDir() {
			return filepath.Join(home, d, "PracticePost"), nil
		}
	}
	return filepath.Join(home, "PracticePost images"), nil
}

// ChooseExportFolder opens the native folder picker; "" if cancelled.
func (s *StudioService) ChooseExportFolder() (string, error) {
	if err := s.c.manager(); err != nil {
		return "", err
	}
	if s.c.Dialogs == nil {
		return "", app.Errorf(app.EUNAVAILABLE, "Folder picking is not available here; type the folder's full path instead.")
	}
	db, err := s.c.DB()
	if err != nil {
		return "", err
	}
	start, err := s.exportFolder(context.Background(), db)
	if err != nil {
		return "", err
	}
	return s.c.Dialogs.ChooseFolder("Choose where to save the images", start)
}

// StudioExport says where the files went.
type StudioExport struct {
	Folder      string   `json:"folder"`
	Files       []string `json:"files"`
	AltTextFile string   `json:"altTextFile"`
}

// Export writes every size of a render to folder as JPEG files without any
// metadata, with the alt text beside them in a text file to paste when
// posting by hand. Existing files are never overwritten.
func (s *StudioService) Export(renderID, folder, altText string, acceptOverflow bool) (StudioExport, error) {
	if err := s.c.manager(); err != nil {
		return StudioExport{}, err
	}
	alt, err := app.CheckAltText(altText)
	if err != nil {
		return StudioExport{}, err
	}
	folder = strings.TrimSpace(folder)
	if folder == "" || !filepath.IsAbs(folder) {
		return StudioExport{}, app.FieldError("folder", "Choose a folder, or type its full path (for example %s).", filepath.Join(string(filepath.Separator)+"Users", "you", "Pictures"))
	}
	folder = filepath.Clean(folder)
	r, err := s.pending(renderID, acceptOverflow)
	if err != nil {
		return StudioExport{}, err
	}
	db, err := s.c.DB()
	if err != nil {
		return StudioExport{}, err
	}
	ctx := context.Background()
	if st, err := os.Stat(folder); err != nil || !st.IsDir() {
		parent, perr := os.Stat(filepath.Dir(folder))
		if err == nil || perr != nil || !parent.IsDir() {
			return StudioExport{}, app.FieldError("folder", "The folder %s does not exist. Choose a folder that does.", folder)
		}
		if err := os.Mkdir(folder, 0o755); err != nil {
			return StudioExport{}, app.FieldError("folder", "PracticePost could not create the folder %s. Choose another folder.", folder)
		}
	}
	b, err := db.BrandKit(ctx)
	if err != nil {
		return StudioExport{}, err
	}
	stamp := s.c.Clock.Now().Local().Format("2006-01-02 1504")
	base := strings.Trim(studioSlug(b.PracticeName)+"-"+r.template+"-"+strings.ReplaceAll(stamp, " ", "-"), "-")
	out := StudioExport{Folder: folder}
	var written []string
	fail := func(err error) (StudioExport, error) {
		for _, f := range written {
			os.Remove(f)
		}
		return StudioExport{}, app.Internal(err, fmt.Sprintf("PracticePost could not save the images in %s. Check that you can write there and that the disk is not full, then try again.", folder))
	}
	for _, v := range r.variants {
		p, err := studioWriteNew(folder, base+"-"+v.Size.ID, ".jpg", v.Data)
		if err != nil {
			return fail(err)
		}
		written = append(written, p)
		out.Files = append(out.Files, p)
	}
	p, err := studioWriteNew(folder, base+"-alt-text", ".txt", []byte(alt+"\n"))
	if err != nil {
		return fail(err)
	}
	written = append(written, p)
	out.AltTextFile = p
	err = db.Tx(ctx, func(tx *store.Tx) error {
		if err := tx.SetState(ctx, studioExportFolderKey, folder); err != nil {
			return app.Internal(err, "PracticePost could not remember the folder.")
		}
		return tx.Audit(ctx, "practice manager", "media.export", "design "+r.template, map[string]string{"images": strconv.Itoa(len(r.variants)), "set": r.id})
	})
	if err != nil {
		return fail(err)
	}
	return out, nil
}

// studioWriteNew writes data to folder/name+ext, or name-2, name-3… when taken.
func studioWriteNew(folder, name, ext string, data []byte) (string, error) {
	for i := 1; i < 1000; i++ {
		p := filepath.Join(folder, name+ext)
		if i > 1 {
			p = filepath.Join(folder, name+"-"+strconv.Itoa(i)+ext)
		}
		f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if os.IsExist(err) {
			continue
		}
		if err != nil {
			return "", err
		}
		if _, err := f.Write(data); err != nil {
			f.Close()
			os.Remove(p)
			return "", err
		}
		if err := f.Close(); err != nil {
			os.Remove(p)
			return "", err
		}
		return p, nil
	}
	return "", fmt.Errorf("no free file name for %s", name)
}

var studioNonSlug = regexp.MustCompile(`[^a-z0-9]+`)

func studioSlug(s string) string {
	s = studioNonSlug.ReplaceAllString(strings.ToLower(s), "-")
	s = strings.Trim(s, "-")
	if len(s) > 40 {
		s = strings.TrimRight(s[:40], "-")
	}
	return s
}
