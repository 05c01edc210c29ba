package consent

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/signintech/gopdf"

	"practicepost/app"
	"practicepost/assets"
)

// SignatureLimits bound the drawn-signature PNG embedded in the PDF.
var SignatureLimits = app.ImageLimits{MaxBytes: 5 << 20, MaxWidth: 4000, MaxHeight: 4000, Formats: []string{"png"}}

// PDFOptions tune the signed-form PDF. The zero value is what the app uses.
type PDFOptions struct {
	// NoCompression writes content streams uncompressed (for inspection).
	NoCompression bool
}

const (
	pdfMargin   = 50.0
	bodySize    = 10.0
	headingSize = 14.0
	smallSize   = 8.0
)

// PDF renders the signed consent for the patient's copy and the practice's
// records: practice, patient, the exact text shown, every choice ticked or
// not, the signature, when and how it was signed, and the evidence hash.
// signaturePNG is the drawn signature (nil for paper or email consents); it
// must be the image whose hash the consent recorded.
func PDF(c app.Consent, signaturePNG []byte, opt PDFOptions) ([]byte, error) {
	var sig app.ImageInfo
	if len(signaturePNG) > 0 {
		var err error
		if sig, err = app.InspectImage(signaturePNG, SignatureLimits, "The signature image"); err != nil {
			return nil, err
		}
		if sig.SHA256 != c.Signature.ImageSHA256 {
			return nil, app.Errorf(app.ECONFLICT, "The signature image does not match the one recorded with this consent, so the PDF was not made.")
		}
	}
	loc, err := zone(c.Practice.Zone)
	if err != nil {
		return nil, err
	}
	w, err := newWriter(c.Country, opt)
	if err != nil {
		return nil, err
	}
	title := "Signed consent"
	if c.Country == "US" {
		title = "Signed authorization"
	}
	w.para(title+": "+c.Practice.Name, "B", headingSize, 0)
	w.para(joinNonEmpty(" · ", c.Practice.Address, c.Practice.Email, c.Practice.Phone), "", smallSize, 0)
	w.gap(8)
	w.field("Patient", fmt.Sprintf("%s (date of birth %s, reference %s)", c.Patient.FullName, formatCivil(c.Country, c.Patient.DateOfBirth), orNone(c.Patient.Ref, "none")))
	w.field("Signed by", c.Signer.Name+", "+signerCapacity(c.Signer))
	w.field("Signed at", c.SignedAt.In(loc).Format(DateLayout(c.Country)+" 15:04 MST")+" ("+c.SignedAt.UTC().Format(time.RFC3339)+")")
	w.field("Method", methodLabels[c.Method])
	w.field("Valid until", "the end of "+formatDate(c.Country, LastValidDay(c.ExpiresAt, loc)))
	w.gap(8)

	w.para("Text shown to the patient", "B", 12, 0)
	for _, line := range strings.Split(strings.TrimRight(c.Text, "\n"), "\n") {
		w.markdownLine(line)
	}
	w.gap(8)

	w.para("Choices", "B", 12, 0)
	for _, ch := range IdentityChoices {
		w.choice(ch.Label, slices.Contains(c.Scope.Identity, ch.Value))
	}
	for _, ch := range ChannelChoices {
		w.choice(ch.Label, slices.Contains(c.Scope.Channels, ch.Value))
	}
	w.field("Remuneration", remunerationText(c.Remuneration))
	w.gap(8)

	w.para("Signature", "B", 12, 0)
	if len(signaturePNG) > 0 {
		if err := w.image(signaturePNG, sig); err != nil {
			return nil, err
		}
	}
	if c.Signature.TypedName != "" {
		w.field("Typed name", c.Signature.TypedName)
	}
	if c.Signature.ScanSHA256 != "" {
		w.field("Paper scan", "sha256 "+c.Signature.ScanSHA256)
	}
	w.gap(8)

	w.para("Evidence", "B", 12, 0)
	w.field("Form version", c.TemplateVersion+" (sha256 "+c.TemplateSHA256+")")
	w.field("Text shown", "sha256 "+c.TextSHA256)
	w.field("Testimonial", "sha256 "+c.QuoteSHA256)
	for _, m := range c.Media {
		w.field("Media", orNone(m.Label, "untitled")+" ("+orNone(mediaKindNames[m.Kind], m.Kind)+"): sha256 "+m.SHA256)
	}
	w.field("Evidence hash", c.EvidenceHash)
	if w.err != nil {
		return nil, app.Internal(w.err, "The consent PDF could not be made.")
	}
	w.footer()
	return w.bytes("The consent PDF could not be made.")
}

// writer lays text out top to bottom, wrapping lines and adding pages. The
// first error sticks and later calls do nothing.
type writer struct {
	pdf  *gopdf.GoPdf
	page *gopdf.Rect
	y    float64
	err  error
}

func newWriter(country string, opt PDFOptions) (*writer, error) {
	page := gopdf.PageSizeA4
	if country == "US" {
		page = gopdf.PageSizeLetter
	}
	w := &writer{pdf: &gopdf.GoPdf{}, page: page}
	w.pdf.Start(gopdf.Config{PageSize: *page, Unit: gopdf.UnitPT})
	if opt.NoCompression {
		w.pdf.SetNoCompression()
	}
	for _, f := range []struct{ family, style, file string }{
		{"noto", "", "NotoSans-Regular.ttf"},
		{"noto", "B", "NotoSans-Bold.ttf"},
	} {
		data, err := assets.FontFile(f.file)
		if err != nil {
			return nil, app.Internal(err, "The consent PDF font is missing from this copy of PracticePost.")
		}
		style := gopdf.Regular
		if f.style == "B" {
			style = gopdf.Bold
		}
		if err := w.pdf.AddTTFFontDataWithOption(f.family, data, gopdf.TtfOption{Style: style}); err != nil {
			return nil, app.Internal(err, "The consent PDF font could not be loaded.")
		}
	}
	w.newPage()
	return w, nil
}

func (w *writer) newPage() {
	w.pdf.AddPage()
	w.y = pdfMargin
}

func (w *writer) width() float64 { return w.page.W - 2*pdfMargin }

func (w *writer) gap(h float64) { w.y += h }

func (w *writer) ensure(h float64) {
	if w.y+h > w.page.H-pdfMargin-smallSize*2 {
		w.newPage()
	}
}

// para writes text wrapped to the page width, indented by indent points.
func (w *writer) para(text, style string, size, indent float64) {
	if w.err != nil {
		return
	}
	if w.err = w.pdf.SetFont("noto", style, size); w.err != nil {
		return
	}
	text = w.printable(text)
	lh := size * 1.4
	if strings.TrimSpace(text) == "" {
		w.gap(lh / 2)
		return
	}
	lines, err := w.pdf.SplitTextWithWordWrap(text, w.width()-indent)
	if err != nil {
		w.err = err
		return
	}
	for _, l := range lines {
		w.ensure(lh)
		w.pdf.SetXY(pdfMargin+indent, w.y)
		if w.err = w.pdf.Cell(nil, l); w.err != nil {
			return
		}
		w.y += lh
	}
}

// printable replaces characters the bundled font cannot draw, so a missing
// glyph shows as "?" rather than silently vanishing from a legal record.
func (w *writer) printable(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\t' {
			return ' '
		}
		if ok, err := w.pdf.IsCurrFontContainGlyph(r); err != nil || !ok {
			return '?'
		}
		return r
	}, s)
}

func (w *writer) field(name, value string) {
	w.para(name+": "+value, "", bodySize, 0)
}

func (w *writer) choice(label string, ticked bool) {
	if ticked {
		w.para("[x] "+label+" (ticked)", "B", bodySize, 12)
	} else {
		w.para("[ ] "+label+" (not ticked)", "", bodySize, 12)
	}
}

// markdownLine draws one line of the form's Markdown: headings in bold,
// quotes and list items indented, emphasis markers dropped. The words are
// the text shown, unchanged; its exact Markdown is what the hash covers.
func (w *writer) markdownLine(line string) {
	plain := strings.ReplaceAll(line, "**", "")
	switch t := strings.TrimSpace(plain); {
	case strings.HasPrefix(t, "#"):
		w.gap(4)
		w.para(strings.TrimSpace(strings.TrimLeft(t, "#")), "B", 11, 0)
	case strings.HasPrefix(t, ">"):
		w.para(strings.TrimSpace(strings.TrimPrefix(t, ">")), "", bodySize, 18)
	case strings.HasPrefix(t, "- "):
		w.para(t, "", bodySize, 12)
	default:
		w.para(plain, "", bodySize, 0)
	}
}

func (w *writer) image(png []byte, info app.ImageInfo) error {
	h := 80.0
	width := h * float64(info.Width) / float64(info.Height)
	if width > w.width() {
		width, h = w.width(), w.width()*float64(info.Height)/float64(info.Width)
	}
	w.ensure(h)
	holder, err := gopdf.ImageHolderByBytes(png)
	if err != nil {
		return app.Internal(err, "The signature image could not be added to the PDF.")
	}
	if err := w.pdf.ImageByHolder(holder, pdfMargin, w.y, &gopdf.Rect{W: width, H: h}); err != nil {
		return app.Internal(err, "The signature image could not be added to the PDF.")
	}
	w.y += h + 4
	return nil
}

// bytes is the finished PDF, or an internal error saying fail when drawing
// or writing it went wrong.
func (w *writer) bytes(fail string) ([]byte, error) {
	if w.err != nil {
		return nil, app.Internal(w.err, fail)
	}
	var buf bytes.Buffer
	if _, err := w.pdf.WriteTo(&buf); err != nil {
		return nil, app.Internal(err, fail)
	}
	return buf.Bytes(), nil
}

func (w *writer) footer() {
	n := w.pdf.GetNumberOfPages()
	for i := 1; i <= n; i++ {
		if w.pdf.SetPage(i) != nil || w.pdf.SetFont("noto", "", smallSize) != nil {
			return
		}
		w.pdf.SetXY(pdfMargin, w.page.H-pdfMargin)
		_ = w.pdf.Cell(nil, fmt.Sprintf("Page %d of %d", i, n))
	}
}
