package studio

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"image"
	"image/color"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"practicepost/app"
)

var update = flag.Bool("update", false, "rewrite the golden images in testdata/golden")

// goldenSpec fills every field any template uses, with accents and quotes.
func goldenSpec(t testing.TB, tpl string, src *Source) Spec {
	return Spec{Template: tpl, Brand: testBrand(), Logo: testLogo(t),
		Fields: map[string]string{
			"quote":     `"I was terrified of the dentist for twenty years. The team here changed that completely – I actually look forward to my check-ups now."`,
			"treatment": "Invisalign patient", "title": "Floss before you brush",
			"body": "Flossing first loosens food and plaque so brushing can sweep it away and fluoride reaches between teeth.",
			"myth": "Whitening damages your enamel.",
			"fact": "Professional whitening, used as directed, is safe for enamel.",
			"name": "Dr Amélie Okafor", "role": "Principal dentist", "registration": "GDC No. 123456",
			"bio":  "Amélie has cared for Riverside's patients for twelve years.",
			"when": "Saturday 14 June, 10am–2pm", "details": "Free kids' check-ups and tours of the practice.",
			"cta": "Book at riverside-dental.example", "caption": "Our new treatment room is open — brighter, calmer and quieter."},
		Attribution: &AttributionSpec{Mode: AttrFirstName, Name: "Mrs Jane Smith"},
		Photos: map[string]Photo{"main": {Source: src}, "portrait": {Source: src, Focus: Point{0.3, 0.4}},
			"before": {Source: src}, "after": {Source: src, Focus: Point{0.7, 0.55}}},
	}
}

// quarter box-averages an RGBA image to 1/4 size: goldens stay small in git
// and tolerant of sub-pixel anti-aliasing changes.
func quarter(m *image.RGBA) *image.RGBA {
	w, h := m.Rect.Dx()/4, m.Rect.Dy()/4
	out := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			var s [3]int
			for dy := 0; dy < 4; dy++ {
				for dx := 0; dx < 4; dx++ {
					p := m.Pix[m.PixOffset(4*x+dx, 4*y+dy):]
					s[0] += int(p[0])
					s[1] += int(p[1])
					s[2] += int(p[2])
				}
			}
			q := out.Pix[out.PixOffset(x, y):]
			q[0], q[1], q[2], q[3] = uint8(s[0]/16), uint8(s[1]/16), uint8(s[2]/16), 255
		}
	}
	return out
}

// imageDiff is the mean absolute channel difference and the share of
// pixels with any channel off by more than 24.
func imageDiff(a, b image.Image) (mean, bad float64) {
	ab := a.Bounds()
	var sum, n, off int
	for y := ab.Min.Y; y < ab.Max.Y; y++ {
		for x := ab.Min.X; x < ab.Max.X; x++ {
			c1 := color.RGBAModel.Convert(a.At(x, y)).(color.RGBA)
			c2 := color.RGBAModel.Convert(b.At(x, y)).(color.RGBA)
			worst := 0
			for _, d := range []int{int(c1.R) - int(c2.R), int(c1.G) - int(c2.G), int(c1.B) - int(c2.B)} {
				d = max(d, -d)
				sum += d
				worst = max(worst, d)
			}
			if worst > 24 {
				off++
			}
			n++
		}
	}
	return float64(sum) / float64(3*n), float64(off) / float64(n)
}

func TestGoldenTemplatesAllSizes(t *testing.T) {
	e := mustEngine(t)
	src := mustLoad(t, encodeJPEG(t, photoLike(1200, 900, false), 92))
	for _, tp := range e.Templates() {
		sc, err := e.scene(goldenSpec(t, tp.ID, src), false, true)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range Sizes {
			name := fmt.Sprintf("%s-%s.png", tp.ID, s.ID)
			t.Run(name, func(t *testing.T) {
				img, ov, _, err := e.paint(sc, job{size: s, w: s.Width, h: s.Height, k: 1}, &faceCache{})
				if err != nil {
					t.Fatal(err)
				}
				if len(ov) > 0 {
					t.Errorf("golden content overflows: %+v", ov)
				}
				got := quarter(img)
				path := filepath.Join("testdata", "golden", name)
				if *update {
					if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(path, encodePNG(t, got), 0o644); err != nil {
						t.Fatal(err)
					}
					return
				}
				b, err := os.ReadFile(path)
				if err != nil {
					t.Fatalf("%v (run go test ./app/studio -run Golden -update)", err)
				}
				want := decodeAny(t, b)
				if want.Bounds() != got.Bounds() {
					t.Fatalf("size %v, golden %v", got.Bounds(), want.Bounds())
				}
				if mean, bad := imageDiff(got, want); mean > 1.0 || bad > 0.005 {
					t.Errorf("differs from golden: mean %.2f, %.2f%% pixels off", mean, bad*100)
				}
			})
		}
	}
}

func TestGoldensStaySmall(t *testing.T) {
	var total int64
	filepath.Walk("testdata", func(_ string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			total += fi.Size()
		}
		return nil
	})
	if total > 5<<20 {
		t.Errorf("testdata holds %d bytes; keep it under 5 MB", total)
	}
}

func TestRenderConcurrentAllSizes(t *testing.T) {
	e := mustEngine(t)
	data := withEXIF(encodeJPEG(t, photoLike(1200, 900, true), 90), exifSegment(1, false))
	src := mustLoad(t, data)
	vs, err := e.Render(context.Background(), goldenSpec(t, "caption", src), Sizes, ExportFor("instagram"))
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) != len(Sizes) {
		t.Fatalf("%d variants", len(vs))
	}
	for i, v := range vs {
		if v.Size != Sizes[i] || v.MIME != "image/jpeg" || v.Quality != 88 {
			t.Errorf("variant %d: %+v", i, v.Size)
		}
		cfg, format, err := image.DecodeConfig(bytes.NewReader(v.Data))
		if err != nil || format != "jpeg" || cfg.Width != Sizes[i].Width || cfg.Height != Sizes[i].Height {
			t.Errorf("%s: decoded %v %s %dx%d", v.Size.ID, err, format, cfg.Width, cfg.Height)
		}
	}
}

func TestMetadataNeverExported(t *testing.T) {
	e := mustEngine(t)
	in := withEXIF(encodeJPEG(t, photoLike(640, 480, true), 90), exifSegment(1, false))
	if !HasEXIF(in) || !bytes.Contains(in, []byte("Exif\x00\x00")) {
		t.Fatal("test input lacks its GPS EXIF segment")
	}
	src := mustLoad(t, in)
	for _, f := range []Format{JPEG, PNG} {
		vs, err := e.Render(context.Background(), goldenSpec(t, "caption", src), Sizes[:2], Export{Format: f})
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range vs {
			if HasEXIF(v.Data) || bytes.Contains(v.Data, []byte("Exif\x00")) || bytes.Contains(v.Data, []byte("eXIf")) {
				t.Errorf("%s %s output carries EXIF", f, v.Size.ID)
			}
		}
	}
}

func TestBudgetStepsQualityDown(t *testing.T) {
	e := mustEngine(t)
	src := mustLoad(t, encodeJPEG(t, photoLike(1600, 1200, true), 95))
	spec := goldenSpec(t, "caption", src)
	full, err := e.Render(context.Background(), spec, Sizes[:1], Export{Format: JPEG})
	if err != nil {
		t.Fatal(err)
	}
	budget := len(full[0].Data) * 2 / 3
	vs, err := e.Render(context.Background(), spec, Sizes[:1], Export{Format: JPEG, MaxBytes: budget})
	if err != nil {
		t.Fatal(err)
	}
	if len(vs[0].Data) > budget || vs[0].Quality >= 88 || vs[0].Quality < minQuality {
		t.Errorf("%d bytes at q%d for a budget of %d", len(vs[0].Data), vs[0].Quality, budget)
	}
	_, err = e.Render(context.Background(), spec, Sizes[:1], Export{Format: JPEG, MaxBytes: 20_000})
	if app.ErrorCode(err) != app.EINVALID || !strings.Contains(app.ErrorMessage(err), "lowest quality") {
		t.Errorf("impossible budget: %v", err)
	}
	_, err = e.Render(context.Background(), spec, Sizes[:1], Export{Format: PNG, MaxBytes: 20_000})
	if app.ErrorCode(err) != app.EINVALID || !strings.Contains(app.ErrorMessage(err), "JPEG") {
		t.Errorf("PNG over budget: %v", err)
	}
}

// correlation is Pearson's r between two equal-length samples.
func correlation(a, b []float64) float64 {
	var ma, mb float64
	for i := range a {
		ma += a[i]
		mb += b[i]
	}
	ma /= float64(len(a))
	mb /= float64(len(b))
	var sab, saa, sbb float64
	for i := range a {
		sab += (a[i] - ma) * (b[i] - mb)
		saa += (a[i] - ma) * (a[i] - ma)
		sbb += (b[i] - mb) * (b[i] - mb)
	}
	return sab / math.Sqrt(saa*sbb)
}

func lumaIn(t *testing.T, data []byte, r image.Rectangle) []float64 {
	m := decodeAny(t, data)
	var out []float64
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			c := color.GrayModel.Convert(m.At(x, y)).(color.Gray)
			out = append(out, float64(c.Y))
		}
	}
	return out
}

func TestRedactionDestroysSourcePixels(t *testing.T) {
	// A square photo with a high-detail patch standing in for a face or a
	// name badge; square so output pixels map 1:1 to photo coordinates.
	m := photoLike(900, 900, false)
	seed := uint32(7)
	for y := 300; y < 600; y++ {
		for x := 300; x < 600; x++ {
			seed = seed*1664525 + 1013904223
			m.Y[y*m.YStride+x] = uint8(seed >> 24)
		}
	}
	src := mustLoad(t, encodeJPEG(t, m, 95))
	e := mustEngine(t)
	box := Rect{X: 1.0 / 3, Y: 1.0 / 3, W: 1.0 / 3, H: 1.0 / 3}
	inner := image.Rect(380, 380, 700, 700) // output pixels well inside the box (1080/900 scale)
	outer := image.Rect(40, 40, 300, 300)
	render := func(red []Redaction) []byte {
		spec := goldenSpec(t, "caption", src)
		spec.Layout = "band"
		spec.Photos = map[string]Photo{"main": {Source: src, Redactions: red}}
		vs, err := e.Render(context.Background(), spec, Sizes[:1], Export{Format: PNG})
		if err != nil {
			t.Fatal(err)
		}
		return vs[0].Data
	}
	plain := render(nil)
	for _, mode := range []RedactMode{RedactBlur, RedactPixelate} {
		red := render([]Redaction{{Box: box, Mode: mode}})
		if r := correlation(lumaIn(t, plain, inner), lumaIn(t, red, inner)); math.Abs(r) > 0.2 {
			t.Errorf("%s: redacted area still correlates with the source: r = %.3f", mode, r)
		}
		if r := correlation(lumaIn(t, plain, outer), lumaIn(t, red, outer)); r < 0.99 {
			t.Errorf("%s: area outside the box changed: r = %.3f", mode, r)
		}
	}
	// The preview must be redacted as well (it comes from the working copy).
	spec := goldenSpec(t, "caption", src)
	spec.Photos = map[string]Photo{"main": {Source: src, Redactions: []Redaction{{Box: box, Mode: RedactPixelate}}}}
	pv, err := e.Preview(context.Background(), spec, Sizes[0], 540)
	if err != nil {
		t.Fatal(err)
	}
	spec.Photos = map[string]Photo{"main": {Source: src}}
	pp, err := e.Preview(context.Background(), spec, Sizes[0], 540)
	if err != nil {
		t.Fatal(err)
	}
	in := image.Rect(190, 190, 350, 350)
	if r := correlation(lumaIn(t, pp.Data, in), lumaIn(t, pv.Data, in)); math.Abs(r) > 0.2 {
		t.Errorf("preview: redacted area correlates with the source: r = %.3f", r)
	}
}

func TestFocalPointStaysInEveryCrop(t *testing.T) {
	for _, dims := range [][2]float64{{4032, 3024}, {3024, 4032}, {1000, 1000}, {5000, 800}} {
		for _, s := range Sizes {
			for _, f := range []Point{{0, 0}, {1, 1}, {0.02, 0.97}, {0.5, 0.5}, {0.9, 0.1}, {0.33, 0.71}} {
				c := focalCrop(dims[0], dims[1], float64(s.Width)/float64(s.Height), f)
				if f.X < c.X-1e-9 || f.X > c.X+c.W+1e-9 || f.Y < c.Y-1e-9 || f.Y > c.Y+c.H+1e-9 {
					t.Errorf("%v %s focus %v outside crop %+v", dims, s.ID, f, c)
				}
				if c.X < -1e-9 || c.Y < -1e-9 || c.X+c.W > 1+1e-9 || c.Y+c.H > 1+1e-9 {
					t.Errorf("%v %s crop %+v leaves the photo", dims, s.ID, c)
				}
				if got := c.W * dims[0] / (c.H * dims[1]); math.Abs(got-float64(s.Width)/float64(s.Height)) > 1e-6 {
					t.Errorf("%v %s crop aspect %.4f", dims, s.ID, got)
				}
			}
		}
	}
}

func TestStorySafeZoneKeepsTextOut(t *testing.T) {
	e := mustEngine(t)
	story, _ := SizeByID("story")
	if story.Safe.Top != 250 || story.Safe.Bottom != 340 {
		t.Fatalf("story safe zone %+v", story.Safe)
	}
	src := mustLoad(t, encodeJPEG(t, photoLike(800, 800, false), 90))
	for _, tp := range e.Templates() {
		spec := goldenSpec(t, tp.ID, src)
		spec.Background = Background{Kind: "solid", Color: "#808080"}
		sc, err := e.scene(spec, false, true)
		if err != nil {
			t.Fatal(err)
		}
		// Paint twice, with and without text, and check that nothing but
		// shapes and photos differ inside the unsafe strips.
		withText, _, _, err := e.paint(sc, job{size: story, w: story.Width, h: story.Height, k: 1}, &faceCache{})
		if err != nil {
			t.Fatal(err)
		}
		sc.fields = map[string]string{}
		blank := sc.layout
		stripped := *blank
		stripped.Frames = nil
		for _, fr := range blank.Frames {
			nf := Frame{MinAspect: fr.MinAspect, MaxAspect: fr.MaxAspect}
			for _, el := range fr.Elements {
				if el.Kind != KindText && el.Kind != KindLogo {
					nf.Elements = append(nf.Elements, el)
				}
			}
			stripped.Frames = append(stripped.Frames, nf)
		}
		sc.layout = &stripped
		noText, _, _, _ := e.paint(sc, job{size: story, w: story.Width, h: story.Height, k: 1}, &faceCache{})
		for _, strip := range []image.Rectangle{image.Rect(0, 0, 1080, 250), image.Rect(0, 1920-340, 1080, 1920)} {
			a := withText.SubImage(strip)
			b := noText.SubImage(strip)
			if mean, _ := imageDiff(a, b); mean != 0 {
				t.Errorf("%s: text or logo inside the story's unsafe strip %v", tp.ID, strip)
			}
		}
	}
}

func TestPreviewMatchesExportOverflow(t *testing.T) {
	e := mustEngine(t)
	// The bundled layouts hold a full-length quote at their minimum size, so
	// this test adds a design with a deliberately small box.
	tiny, err := ParseTemplate([]byte(`{"id":"tiny","name":"Tiny","fields":[{"id":"quote","label":"Quote"}],"photos":[],
		"layouts":[{"id":"l","name":"L","frames":[{"elements":[{"id":"bg","kind":"background","box":{"x":0,"y":0,"w":1,"h":1},"bleed":true,"fill":{"color":"secondary"}},
		{"id":"q","kind":"text","box":{"x":0.1,"y":0.1,"w":0.5,"h":0.2},"text":"{{quote}}","style":{"min":30,"max":60,"smartQuotes":true}}]}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	e.templates = append(e.templates, tiny)
	spec := goldenSpec(t, "tiny", nil)
	spec.Photos = nil
	spec.Fields["quote"] = strings.Repeat("The care here was wonderful, everyone was kind. ", 6)
	overflowed := 0
	for _, s := range Sizes {
		pv, err := e.Preview(context.Background(), spec, s, 540)
		if err != nil {
			t.Fatal(err)
		}
		vs, err := e.Render(context.Background(), spec, []Size{s}, ExportFor("x"))
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(pv.Overflows) != fmt.Sprint(vs[0].Overflows) {
			t.Errorf("%s: preview overflows %+v, export %+v", s.ID, pv.Overflows, vs[0].Overflows)
		}
		for _, o := range vs[0].Overflows {
			overflowed++
			if o.Field != "quote" || o.Size != s.ID || o.Cut <= 0 || !strings.Contains(o.Message, "shorten it") {
				t.Errorf("%s: overflow %+v", s.ID, o)
			}
		}
	}
	if overflowed != len(Sizes) {
		t.Errorf("%d of %d sizes report the overflow", overflowed, len(Sizes))
	}
}

func TestRequiredInputsForExport(t *testing.T) {
	e := mustEngine(t)
	spec := goldenSpec(t, "beforeafter", nil)
	spec.Photos = nil
	_, err := e.Render(context.Background(), spec, Sizes[:1], ExportFor("x"))
	if app.ErrorField(err) != "photos.before" {
		t.Errorf("missing photo: %v", err)
	}
	pv, err := e.Preview(context.Background(), spec, Sizes[0], 540)
	if err != nil || len(pv.Warnings) == 0 {
		t.Errorf("preview without photos: %v %v", err, pv.Warnings)
	}
	spec = goldenSpec(t, "testimonial", nil)
	spec.Fields["quote"] = "  "
	if _, err := e.Render(context.Background(), spec, Sizes[:1], ExportFor("x")); app.ErrorField(err) != "quote" {
		t.Errorf("missing quote: %v", err)
	}
	spec.Template = "nope"
	if _, err := e.Render(context.Background(), spec, Sizes[:1], ExportFor("x")); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("unknown template: %v", err)
	}
}

func TestAttribution(t *testing.T) {
	for _, c := range []struct {
		mode AttributionMode
		name string
		want string
		ok   bool
	}{
		{AttrFullName, "  Jane   Smith ", "Jane Smith", true},
		{AttrFirstName, "Mrs Jane Smith", "Jane", true},
		{AttrInitials, "Jane Smith", "J. S.", true},
		{AttrInitials, "élodie o'neil", "É. O.", true},
		{AttrInitials, "Dr. Mary-Jane Watson", "M. W.", true},
		{AttrAnonymous, "Jane Smith", AnonymousAttribution, true},
		{AttrAnonymous, "", AnonymousAttribution, true},
		{AttrFirstName, "  ", "", false},
		{"nickname", "Jane", "", false},
	} {
		got, err := Attribution(c.mode, c.name)
		if (err == nil) != c.ok || got != c.want {
			t.Errorf("Attribution(%q, %q) = %q, %v", c.mode, c.name, got, err)
		}
		if err != nil && app.ErrorField(err) != "attribution" {
			t.Errorf("error not tied to the attribution field: %v", err)
		}
	}
}

func TestTemplateParsingRejectsBadData(t *testing.T) {
	good := `{"id":"x","name":"X","fields":[{"id":"a","label":"A"}],"photos":[],"layouts":[{"id":"l","name":"L","frames":[{"elements":[
		{"id":"t","kind":"text","box":{"x":0,"y":0,"w":1,"h":1},"text":"{{a}} {{practice}}","style":{"min":10,"max":20}}]}]}]}`
	if _, err := ParseTemplate([]byte(good)); err != nil {
		t.Fatalf("good template: %v", err)
	}
	for name, bad := range map[string]string{
		"unknown kind":  strings.Replace(good, `"kind":"text"`, `"kind":"video"`, 1),
		"box outside":   strings.Replace(good, `"w":1`, `"w":1.5`, 1),
		"unknown field": strings.Replace(good, "{{a}}", "{{b}}", 1),
		"sizes":         strings.Replace(good, `"min":10`, `"min":30`, 1),
		"unknown key":   strings.Replace(good, `"name":"X"`, `"name":"X","colour":1`, 1),
		"no catch-all":  strings.Replace(good, `"frames":[{"elements"`, `"frames":[{"minAspect":2,"elements"`, 1),
		"not json":      good[:40],
	} {
		if _, err := ParseTemplate([]byte(bad)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
