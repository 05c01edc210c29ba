package app

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Media is one image in the library: a size of a Studio design, with the
// alt text that is posted alongside it.
type Media struct {
	ID        int64     `json:"id"`
	SetID     string    `json:"setId"`
	SHA256    string    `json:"sha256"`
	MIME      string    `json:"mime"`
	Template  string    `json:"template"`
	Layout    string    `json:"layout"`
	SizeID    string    `json:"sizeId"`
	Width     int       `json:"width"`
	Height    int       `json:"height"`
	Bytes     int       `json:"bytes"`
	AltText   string    `json:"altText"`
	CreatedAt time.Time `json:"createdAt"`
	// TestimonialID is the testimonial the image was made from (0: none).
	TestimonialID int64 `json:"testimonialId"`
	// Identity is how the image names the patient; "" when it names no one.
	Identity IdentityElement `json:"identity"`
	// ImageText is every word drawn into the image, one text element per
	// line. TextRecorded is false for images kept before PracticePost
	// recorded it: their words are unknown, not absent.
	ImageText    string `json:"imageText"`
	TextRecorded bool   `json:"textRecorded"`
	// Sources is where each photo placed in the design came from (empty:
	// no photo). SourcesKnown is false for images kept before PracticePost
	// asked, until the manager declares them: the gate blocks their posts.
	Sources      []ImageSource `json:"sources"`
	SourcesKnown bool          `json:"sourcesKnown"`
	// Attribution is whose words a quote card carries: app.AttributionTestimonial
	// (TestimonialID names it), app.AttributionNotPatient, or "" when the
	// design quotes no one. See WordsUnattributed.
	Attribution string `json:"attribution"`
}

// WordsUnattributed reports a hand-typed quote card kept before PracticePost
// asked whose words they are: it names someone (Identity) but does not say
// whether a patient or not. The gate treats its words as a patient's with
// no consent until the card is made again.
func (m Media) WordsUnattributed() bool {
	return m.Identity != "" && m.Attribution == ""
}

// NewMedia is an image about to be kept.
type NewMedia struct {
	Data          []byte
	MIME          string
	Template      string
	Layout        string
	SizeID        string
	Width         int
	Height        int
	TestimonialID int64           // 0 when the words were typed by hand
	Identity      IdentityElement // "" when the design names no one
	ImageText     string          // the words drawn into the image
	// Sources: one per photo placed in the design, kept for every size.
	// SourcesKnown false stores the image as unknown (nothing recorded).
	Sources      []ImageSource
	SourcesKnown bool
	// Attribution: app.AttributionTestimonial (set for TestimonialID),
	// app.AttributionNotPatient, or "" for a design that quotes no one.
	Attribution string
}

// MaxAltText is the longest alt text kept: X allows 1,000 characters, the
// strictest of the platforms PracticePost posts to.
const MaxAltText = 1000

// CheckAltText validates alt text the way KeepMedia does, so the UI can say
// what is wrong before anything is written.
func CheckAltText(alt string) (string, error) {
	alt = strings.TrimSpace(alt)
	if alt == "" {
		return "", FieldError("altText", "Describe the image in a sentence (alt text). Screen readers read it aloud to people who cannot see the picture, and the platforms show it when the image does not load.")
	}
	if n := utf8.RuneCountInString(alt); n > MaxAltText {
		return "", FieldError("altText", "The alt text is %d characters; the most the platforms accept is %d. Shorten it.", n, MaxAltText)
	}
	return alt, nil
}

// MediaPage is a page of the library, newest first.
type MediaPage struct {
	Items []Media `json:"items"`
	Total int     `json:"total"`
}

// UnplacedImage is a design in the library whose provenance is incomplete:
// its photos' source is unknown (kept before PracticePost asked), or it is a
// hand-typed quote card that does not say whose words it carries. Posts
// that use it are held until the manager declares it.
type UnplacedImage struct {
	SetID     string    `json:"setId"`
	Template  string    `json:"template"`
	AltText   string    `json:"altText"`
	SHA256    string    `json:"sha256"` // the smallest size, for a thumbnail
	Sizes     int       `json:"sizes"`
	CreatedAt time.Time `json:"createdAt"`
	// SourcesUnknown: the photos' source is not recorded.
	SourcesUnknown bool `json:"sourcesUnknown"`
	// WordsUnknown: a quote card that names someone without saying whose words they are.
	WordsUnknown bool `json:"wordsUnknown"`
	// Drafts counts the unpublished drafts that use any size of it.
	Drafts int `json:"drafts"`
}

// ImageDeclaration is what the manager says about a design whose
// provenance was not recorded. Declared (one of app.SourceDeclarations)
// answers for its photos; NotPatientWords answers for a hand-typed quote
// card: the words are a team member's or a public figure's.
type ImageDeclaration struct {
	Declared        string `json:"declared"`
	NotPatientWords bool   `json:"notPatientWords"`
}
