// Package studio renders the practice's branded images: templates as data,
// photos decoded once per session with redaction applied to the source,
// text that always fits its box, and exports without metadata that meet
// each platform's size budget.
package studio

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/draw"
	"math"
	"runtime"
	"strings"
	"sync"

	"github.com/disintegration/imaging"

	"practicepost/app"
	"practicepost/assets"
)

// Photo is a photo placed in a slot.
type Photo struct {
	Source     *Source     `json:"-"`
	Focus      Point       `json:"focus"` // kept inside every crop; zero value means the centre
	Redactions []Redaction `json:"redactions"`
}

// Background chooses what a template's background element shows.
type Background struct {
	Kind  string  `json:"kind"`  // "" (template default), "photo", "solid" or "gradient"
	Color string  `json:"color"` // role or #RRGGBB; "" keeps the template's
	To    string  `json:"to"`    // gradient end
	Angle float64 `json:"angle"`
}

// Spec is everything one design needs.
type Spec struct {
	Template string            `json:"template"`
	Layout   string            `json:"layout"` // "" for the first
	Brand    app.BrandKit      `json:"brand"`
	Logo     *Logo             `json:"-"`
	Fields   map[string]string `json:"fields"`
	// Attribution, when set, fills {{attribution}} from the consented mode.
	Attribution *AttributionSpec `json:"attribution"`
	Background  Background       `json:"background"`
	Photos      map[string]Photo `json:"photos"`
}

// AttributionSpec is the consented naming mode and the patient's name.
type AttributionSpec struct {
	Mode AttributionMode `json:"mode"`
	Name string          `json:"name"`
}

// Overflow says that a text box could not hold its text even at the
// template's minimum size; the export shows it cut with an ellipsis.
type Overflow struct {
	Element string `json:"element"`
	Field   string `json:"field"`
	Size    string `json:"size"`
	Cut     int    `json:"cut"` // about how many characters to remove
	Message string `json:"message"`
}

// Variant is one rendered image.
type Variant struct {
	Size      Size       `json:"size"`
	Width     int        `json:"width"`
	Height    int        `json:"height"`
	MIME      string     `json:"mime"`
	Data      []byte     `json:"data"`
	Quality   int        `json:"quality"` // JPEG quality used; 0 for PNG
	Overflows []Overflow `json:"overflows"`
	Warnings  []string   `json:"warnings"`
}

// Engine holds the parsed templates and fonts. It is safe for concurrent use.
type Engine struct {
	templates []*Template
	fonts     fonts
}

// New loads the bundled templates.
func New() (*Engine, error) {
	ts, err := LoadTemplates(assets.DesignTemplates())
	if err != nil {
		return nil, app.Internal(err, "The design templates bundled with PracticePost are damaged; reinstall PracticePost.")
	}
	return &Engine{templates: ts}, nil
}

// Templates lists the designs for the template picker.
func (e *Engine) Templates() []Template {
	out := make([]Template, len(e.templates))
	for i, t := range e.templates {
		out[i] = *t
	}
	return out
}

func (e *Engine) template(id string) (*Template, error) {
	for _, t := range e.templates {
		if t.ID == id {
			return t, nil
		}
	}
	return nil, app.FieldError("template", "Choose a design from the list.")
}

// design is the template and layout spec names, or the field error that
// asks the user to choose them.
func (e *Engine) design(spec Spec) (*Template, *Layout, error) {
	t, err := e.template(spec.Template)
	if err != nil {
		return nil, nil, err
	}
	l, ok := t.layout(spec.Layout)
	if !ok {
		return nil, nil, app.FieldError("layout", "Choose a layout for the %s design.", t.Name)
	}
	return t, l, nil
}

// Logo is a decoded brand logo.
type Logo struct{ img *image.NRGBA }

// LoadLogo decodes logo bytes within app.LogoLimits.
func LoadLogo(data []byte) (*Logo, error) {
	if _, err := app.InspectImage(data, app.LogoLimits, "The logo"); err != nil {
		return nil, err
	}
	var img image.Image
	err := func() (err error) {
		defer func() {
			if r := recover(); r != nil {
				err = fmt.Errorf("decode panic: %v", r)
			}
		}()
		img, _, err = image.Decode(bytes.NewReader(data))
		return err
	}()
	if err != nil {
		return nil, &app.Error{Code: app.EINVALID, Err: err, Message: "The logo file is damaged or incomplete. Export it again as PNG and upload it in Settings → Practice & brand."}
	}
	return &Logo{img: imaging.Clone(img)}, nil
}

// job is one canvas to paint.
type job struct {
	size    Size
	w, h    int     // pixels of the image being drawn
	k       float64 // drawn pixels per output pixel (1 for exports)
	preview bool
}

// prepared render inputs shared by every size of one call.
type scene struct {
	t      *Template
	layout *Layout
	fields map[string]string
	pal    palette
	spec   Spec
	pyr    map[string]*pyramid
}

func (e *Engine) scene(spec Spec, preview, strict bool) (*scene, error) {
	t, l, err := e.design(spec)
	if err != nil {
		return nil, err
	}
	fields := brandValues(spec.Brand)
	for _, f := range t.Fields {
		v := f.Default
		if s, ok := spec.Fields[f.ID]; ok {
			v = s
		}
		fields[f.ID] = v
	}
	if spec.Attribution != nil {
		a, err := Attribution(spec.Attribution.Mode, spec.Attribution.Name)
		if err != nil {
			return nil, err
		}
		fields["attribution"] = a
	}
	if strict {
		for _, f := range t.Fields {
			if f.Required && strings.TrimSpace(fields[f.ID]) == "" {
				return nil, app.FieldError(f.ID, "Fill in “%s” before exporting.", f.Label)
			}
		}
		for _, p := range t.Photos {
			if ph, ok := spec.Photos[p.ID]; p.Required && (!ok || ph.Source == nil) {
				return nil, app.FieldError("photos."+p.ID, "Add the %s photo before exporting.", strings.ToLower(p.Label))
			}
		}
	}
	for _, f := range t.Fields {
		if f.MaxLen > 0 && len([]rune(fields[f.ID])) > f.MaxLen {
			return nil, app.FieldError(f.ID, "“%s” is longer than %d characters; shorten it.", f.Label, f.MaxLen)
		}
	}
	sc := &scene{t: t, layout: l, fields: fields, pal: newPalette(spec.Brand), spec: spec, pyr: map[string]*pyramid{}}
	for id, ph := range spec.Photos {
		if ph.Source != nil {
			sc.pyr[id] = ph.Source.pyramidFor(preview, ph.Redactions)
		}
	}
	return sc, nil
}

// brandFields are the {{fields}} every template may use.
var brandFields = map[string]bool{"practice": true, "website": true, "phone": true, "email": true, "disclaimer": true, "address": true}

func brandValues(b app.BrandKit) map[string]string {
	site := strings.TrimPrefix(strings.TrimPrefix(b.Website, "https://"), "http://")
	site = strings.TrimSuffix(strings.TrimPrefix(site, "www."), "/")
	return map[string]string{
		"practice": b.PracticeName, "website": site, "phone": b.Phone, "email": b.Email,
		"disclaimer": b.Disclaimer, "address": b.Address,
	}
}

// TeamFields fills the meet-the-team fields from a brand-kit clinician.
func TeamFields(c app.Clinician) map[string]string {
	reg := ""
	if c.Number != "" {
		reg = strings.TrimSpace(c.Regulator + " No. " + c.Number)
	}
	return map[string]string{"name": c.Name, "role": c.Role, "registration": reg}
}

// paint draws one canvas and reports text that did not fit.
func (e *Engine) paint(sc *scene, j job, faces *faceCache) (*image.RGBA, []Overflow, []string, error) {
	W, H := float64(j.size.Width), float64(j.size.Height)
	canvas := image.NewRGBA(image.Rect(0, 0, j.w, j.h))
	fr := sc.layout.frameFor(W / H)
	safe := j.size.Safe
	area := rectF{float64(safe.Left), float64(safe.Top), W - float64(safe.Left+safe.Right), H - float64(safe.Top+safe.Bottom)}
	// Style sizes are px on a 1080×1080 canvas and scale with the square
	// root of the area text may use, so wide and tall canvases get text of
	// a similar weight to the square post.
	unit := math.Sqrt(area.w*area.h) / 1080
	var overflows []Overflow
	var warnings []string
	for _, el := range fr.Elements {
		a := area
		if el.Bleed {
			a = rectF{0, 0, W, H}
		}
		// Output-pixel box, then the drawn box at scale k.
		ox, oy := a.x+el.Box.X*a.w, a.y+el.Box.Y*a.h
		ow, oh := el.Box.W*a.w, el.Box.H*a.h
		if !el.Bleed && (el.Kind == KindFill || el.Kind == KindBand || el.Kind == KindPhoto) {
			// Shapes that touch the safe area's edge run on to the canvas
			// edge: a caption band must not float above the story's reply bar.
			ox, oy, ow, oh = extend(ox, oy, ow, oh, a, W, H)
		}
		box := image.Rect(int(math.Round(ox*j.k)), int(math.Round(oy*j.k)), int(math.Round((ox+ow)*j.k)), int(math.Round((oy+oh)*j.k)))
		if box.Empty() {
			continue
		}
		switch el.Kind {
		case KindBackground:
			e.background(sc, canvas, box, el)
		case KindFill:
			fillRect(canvas, box, el.Fill, sc.pal)
		case KindPhoto:
			if !e.photo(sc, canvas, box, el) {
				fillRect(canvas, box, Paint{Color: "secondary"}, sc.pal)
				warnings = append(warnings, fmt.Sprintf("Add a photo for “%s”.", slotLabel(sc.t, el.Photo)))
			}
		case KindBand:
			if el.Blur > 0 {
				boxBlur(canvas.Pix, canvas.Stride, 4, box.Intersect(canvas.Rect), int(math.Round(el.Blur*unit*j.k)), 3)
			}
			fillRect(canvas, box, el.Fill, sc.pal)
		case KindLogo:
			if sc.spec.Logo != nil {
				drawLogo(canvas, box, sc.spec.Logo, el.Style.Align)
				continue
			}
			el.Text = "{{practice}}"
			fallthrough
		case KindText:
			text := expand(el.Text, sc.fields)
			if text == "" {
				continue
			}
			family := sc.spec.Brand.BodyFont
			if el.Style.Font == "heading" {
				family = sc.spec.Brand.HeadingFont
			}
			p, err := e.fonts.pair(family, el.Style.Bold, el.Style.Italic)
			if err != nil {
				return nil, nil, nil, app.Internal(err, "A font bundled with PracticePost is damaged; reinstall PracticePost.")
			}
			pt := prepareText(p, text, el.Style.Upper, el.Style.SmartQuotes)
			f := fit(pt, ow, oh, el.Style.Min*unit, el.Style.Max*unit, el.Style.LineHeight)
			f.draw(canvas, box, el.Style, image.NewUniform(sc.pal.color(el.Style.Color)), j.k, faces)
			if f.overflow {
				overflows = append(overflows, overflowOf(sc.t, el, j.size, pt.runes-f.shown))
			}
			if len(pt.missing) > 0 {
				warnings = append(warnings, fmt.Sprintf("Some characters cannot be shown in this font and were left out: %s", string(pt.missing)))
			}
		}
	}
	return canvas, overflows, warnings, nil
}

func extend(x, y, w, h float64, a rectF, W, H float64) (float64, float64, float64, float64) {
	const eps = 0.5
	if x <= a.x+eps {
		w += x
		x = 0
	}
	if y <= a.y+eps {
		h += y
		y = 0
	}
	if x+w >= a.x+a.w-eps {
		w = W - x
	}
	if y+h >= a.y+a.h-eps {
		h = H - y
	}
	return x, y, w, h
}

func overflowOf(t *Template, el Element, s Size, cut int) Overflow {
	refs := fieldRefs(el.Text)
	field, label := "", "The text"
	if len(refs) > 0 {
		field = refs[0]
		for _, f := range t.Fields {
			if f.ID == field {
				label = "“" + f.Label + "”"
			}
		}
	}
	cut = max(cut, 1)
	return Overflow{Element: el.ID, Field: field, Size: s.ID, Cut: cut,
		Message: fmt.Sprintf("%s does not fit the %s even at the smallest text size: shorten it by about %d characters or choose another layout.", label, s.Name, cut)}
}

func slotLabel(t *Template, id string) string {
	for _, p := range t.Photos {
		if p.ID == id {
			return p.Label
		}
	}
	return id
}

func (e *Engine) background(sc *scene, dst *image.RGBA, box image.Rectangle, el Element) {
	bg := sc.spec.Background
	pt := el.Fill
	if bg.Color != "" {
		pt.Color = bg.Color
	}
	switch bg.Kind {
	case "solid":
		pt.To = ""
	case "gradient":
		pt.To, pt.Angle = bg.To, bg.Angle
		if pt.To == "" {
			pt.To = "secondary"
		}
	case "", "photo":
		if el.Photo != "" && e.photo(sc, dst, box, el) {
			return
		}
	}
	pt.Opacity = 1
	fillRect(dst, box, pt, sc.pal)
}

// photo crop-fills a slot's photo into box; false when the slot is empty.
func (e *Engine) photo(sc *scene, dst *image.RGBA, box image.Rectangle, el Element) bool {
	p := sc.pyr[el.Photo]
	if p == nil {
		return false
	}
	f := sc.spec.Photos[el.Photo].Focus
	if f == (Point{}) {
		f = Point{0.5, 0.5}
	}
	img := p.cropFill(f, box.Dx(), box.Dy())
	if el.Shape == "circle" {
		draw.DrawMask(dst, box, img, image.Point{}, circleMask(box.Dx(), box.Dy()), image.Point{}, draw.Over)
	} else {
		draw.Draw(dst, box, img, image.Point{}, draw.Src)
	}
	return true
}

func drawLogo(dst *image.RGBA, box image.Rectangle, l *Logo, align string) {
	lw, lh := l.img.Rect.Dx(), l.img.Rect.Dy()
	k := math.Min(float64(box.Dx())/float64(lw), float64(box.Dy())/float64(lh))
	w, h := max(1, int(math.Round(float64(lw)*k))), max(1, int(math.Round(float64(lh)*k)))
	m := imaging.Resize(l.img, w, h, imaging.CatmullRom)
	x := box.Min.X
	switch align {
	case "center":
		x += (box.Dx() - w) / 2
	case "right":
		x += box.Dx() - w
	}
	y := box.Min.Y + (box.Dy()-h)/2
	draw.Draw(dst, image.Rect(x, y, x+w, y+h), m, image.Point{}, draw.Over)
}

// Render makes every size concurrently from the full-resolution photos.
// Variants come back in the order of sizes.
func (e *Engine) Render(ctx context.Context, spec Spec, sizes []Size, ex Export) ([]Variant, error) {
	sc, err := e.scene(spec, false, true)
	if err != nil {
		return nil, err
	}
	jobs := make([]job, len(sizes))
	for i, s := range sizes {
		if s.Width <= 0 || s.Height <= 0 || s.Width > 4096 || s.Height > 4096 {
			return nil, app.Errorf(app.EINVALID, "The image size %d×%d is not supported.", s.Width, s.Height)
		}
		jobs[i] = job{size: s, w: s.Width, h: s.Height, k: 1}
	}
	out := make([]Variant, len(sizes))
	errs := make([]error, len(sizes))
	// Largest canvases first so the last worker is not left with the
	// heaviest one while the other core idles.
	order := make([]int, len(sizes))
	for i := range order {
		order[i] = i
	}
	sortBy(order, func(i int) int { return -sizes[i].Width * sizes[i].Height })
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(sizes)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			faces := &faceCache{}
			for i := range next {
				out[i], errs[i] = e.renderOne(ctx, sc, jobs[i], ex, faces)
			}
		}()
	}
	for _, i := range order {
		next <- i
	}
	close(next)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (e *Engine) renderOne(ctx context.Context, sc *scene, j job, ex Export, faces *faceCache) (Variant, error) {
	if err := ctx.Err(); err != nil {
		return Variant{}, app.Errorf(app.EUNAVAILABLE, "Rendering was cancelled.")
	}
	img, ov, warn, err := e.paint(sc, j, faces)
	if err != nil {
		return Variant{}, err
	}
	data, q, mime, err := encode(img, ex, j.size.Name)
	if err != nil {
		return Variant{}, err
	}
	return Variant{Size: j.size, Width: j.w, Height: j.h, MIME: mime, Data: data, Quality: q, Overflows: ov, Warnings: warn}, nil
}

// PreviewLongSide is the default preview size.
const PreviewLongSide = 540

// Preview renders one size small, from the working copies. Text is fitted
// at the export size and drawn scaled, so the preview wraps and overflows
// exactly like the export will; missing fields and photos are allowed.
func (e *Engine) Preview(ctx context.Context, spec Spec, size Size, longSide int) (Variant, error) {
	if longSide <= 0 {
		longSide = PreviewLongSide
	}
	sc, err := e.scene(spec, true, false)
	if err != nil {
		return Variant{}, err
	}
	k := float64(longSide) / float64(max(size.Width, size.Height))
	j := job{size: size, w: max(1, int(math.Round(float64(size.Width)*k))), h: max(1, int(math.Round(float64(size.Height)*k))), k: k, preview: true}
	return e.renderOne(ctx, sc, j, Export{Format: JPEG, Quality: 85}, &faceCache{})
}

func sortBy(idx []int, key func(int) int) {
	for i := 1; i < len(idx); i++ {
		for j := i; j > 0 && key(idx[j]) < key(idx[j-1]); j-- {
			idx[j], idx[j-1] = idx[j-1], idx[j]
		}
	}
}

// Words lists the text a design draws, across every frame of its layout
// (each size uses one), one element per line without repeats: the quote,
// the attribution as consented, captions, headlines and the practice's own
// details. The pre-publish guard scans it, since words in pixels are as
// public as words in the post.
func (e *Engine) Words(spec Spec) (string, error) {
	sc, err := e.scene(spec, false, false)
	if err != nil {
		return "", err
	}
	seen := map[string]bool{}
	var lines []string
	for _, fr := range sc.layout.Frames {
		for _, el := range fr.Elements {
			text := ""
			switch el.Kind {
			case KindText:
				text = expand(el.Text, sc.fields)
			case KindLogo:
				if spec.Logo == nil {
					text = expand("{{practice}}", sc.fields)
				}
			}
			text = strings.TrimSpace(text)
			if text != "" && !seen[text] {
				seen[text] = true
				lines = append(lines, text)
			}
		}
	}
	return strings.Join(lines, "\n"), nil
}

// PhotosDrawn lists the photo slots whose photo a design actually draws, in
// the template's slot order: the slot holds a photo and some frame of the
// layout paints it (a background paints its photo only when the background
// is a photo). Their provenance is what the image shows, so the consent gate
// gets one source per slot listed here and none for photos left undrawn.
func (e *Engine) PhotosDrawn(spec Spec) ([]string, error) {
	t, l, err := e.design(spec)
	if err != nil {
		return nil, err
	}
	drawn := map[string]bool{}
	for _, fr := range l.Frames {
		for _, el := range fr.Elements {
			switch {
			case el.Photo == "":
			case el.Kind == KindPhoto:
				drawn[el.Photo] = true
			case el.Kind == KindBackground && (spec.Background.Kind == "" || spec.Background.Kind == "photo"):
				drawn[el.Photo] = true
			}
		}
	}
	out := []string{}
	for _, p := range t.Photos {
		if ph, ok := spec.Photos[p.ID]; ok && ph.Source != nil && drawn[p.ID] {
			out = append(out, p.ID)
		}
	}
	return out, nil
}
