package app

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"image"
	_ "image/jpeg" // registered for DecodeConfig
	_ "image/png"
)

// ImageLimits bound what PracticePost will decode. Dimensions are read from
// the header first so a hostile or huge file is refused before it is decoded.
type ImageLimits struct {
	MaxBytes  int
	MaxWidth  int
	MaxHeight int
	MaxPixels int      // 0: no pixel-count limit
	Formats   []string // as image.DecodeConfig names them: "jpeg", "png"
}

// LogoLimits are the brand-kit logo limits.
var LogoLimits = ImageLimits{MaxBytes: 20 << 20, MaxWidth: 8000, MaxHeight: 8000, Formats: []string{"jpeg", "png"}}

// ImageInfo is what the header says about an image.
type ImageInfo struct {
	Format string `json:"format"`
	Width  int    `json:"width"`
	Height int    `json:"height"`
	Size   int    `json:"size"`
	MIME   string `json:"mime"`
	SHA256 string `json:"sha256"`
}

// InspectImage checks an uploaded image against limits without decoding its
// pixels. what names the image in messages ("The logo").
func InspectImage(data []byte, lim ImageLimits, what string) (ImageInfo, error) {
	if len(data) == 0 {
		return ImageInfo{}, Errorf(EINVALID, "%s file is empty. Choose a PNG or JPEG image.", what)
	}
	if lim.MaxBytes > 0 && len(data) > lim.MaxBytes {
		return ImageInfo{}, Errorf(EINVALID, "%s is %.1f MB; the most PracticePost accepts is %d MB. Save a smaller copy and try again.", what, float64(len(data))/(1<<20), lim.MaxBytes>>20)
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return ImageInfo{}, &Error{Code: EINVALID, Err: err, Message: what + " is not a PNG or JPEG image PracticePost can read (the file may be damaged, or another kind of file renamed). Export it again as PNG or JPEG."}
	}
	if !contains(lim.Formats, format) {
		return ImageInfo{}, Errorf(EINVALID, "%s is a %s image; only PNG and JPEG are accepted.", what, format)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return ImageInfo{}, Errorf(EINVALID, "%s has no pixels.", what)
	}
	if (lim.MaxWidth > 0 && cfg.Width > lim.MaxWidth) || (lim.MaxHeight > 0 && cfg.Height > lim.MaxHeight) {
		return ImageInfo{}, Errorf(EINVALID, "%s is %d×%d pixels; the most accepted is %d×%d. Resize it and try again.", what, cfg.Width, cfg.Height, lim.MaxWidth, lim.MaxHeight)
	}
	if lim.MaxPixels > 0 && cfg.Width*cfg.Height > lim.MaxPixels {
		return ImageInfo{}, Errorf(EINVALID, "%s has %.0f megapixels; the most accepted is %d. Resize it and try again.", what, float64(cfg.Width*cfg.Height)/1e6, lim.MaxPixels/1_000_000)
	}
	mime := "image/" + format
	return ImageInfo{Format: format, Width: cfg.Width, Height: cfg.Height, Size: len(data), MIME: mime, SHA256: SHA256Hex(data)}, nil
}

// SHA256Hex is the content address of a blob.
func SHA256Hex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// SourceKind says where the pixels of a photo in an image came from. Every
// photo a post carries has one, recorded when it enters PracticePost and
// kept through crop, redaction and rendering, so the consent gate knows
// whether a patient is shown and under which consent.
type SourceKind string

const (
	// SourceConsent: made from a consent's media (a patient is shown).
	SourceConsent SourceKind = "consent"
	// SourceDeclared: the practice manager declared the photo shows no
	// patient (team, premises, stock, illustration); the declaration is in
	// the activity log.
	SourceDeclared SourceKind = "declared"
)

// Declarations a manager can make for a photo that shows no patient.
var SourceDeclarations = []string{"team", "premises", "stock", "illustration"}

// ImageSource is the provenance of one photo placed in an image.
type ImageSource struct {
	Kind SourceKind `json:"kind"`
	// For SourceConsent: the consent, the consent media's sha256 the photo
	// was made from, and what the image shows of the patient as the patient
	// agreed to (face, before_after), checked against the consent's scope.
	ConsentID   int64             `json:"consentId,omitempty"`
	MediaSHA256 string            `json:"mediaSha256,omitempty"`
	Shows       []IdentityElement `json:"shows,omitempty"`
	// For SourceDeclared: one of SourceDeclarations.
	Declared string `json:"declared,omitempty"`
}

// Attribution says whose words a quote card carries.
const (
	AttributionTestimonial = "testimonial" // a patient's testimonial: its consent applies
	AttributionNotPatient  = "not_patient" // a team member or public figure
)
