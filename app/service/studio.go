package service

import (
	"context"
	"math"
	"strconv"
	"sync"

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
	return withDB(s.c, func(ctx context.Context, db *store.DB) (StudioSetup, error) {
		eng, err := s.engine()
		if err != nil {
			return StudioSetup{}, err
		}
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
	})
}

// ClinicianFields fills the meet-the-team fields from the brand kit's
// clinician at index (0-based, in brand-kit order).
func (s *StudioService) ClinicianFields(index int) (map[string]string, error) {
	return withDB(s.c, func(ctx context.Context, db *store.DB) (map[string]string, error) {
		b, err := db.BrandKit(ctx)
		if err != nil {
			return nil, err
		}
		if index < 0 || index >= len(b.Clinicians) {
			return nil, app.FieldError("clinician", "That clinician is no longer in the brand kit. Choose another, or add them in Settings → Practice & brand.")
		}
		return studio.TeamFields(b.Clinicians[index]), nil
	})
}
