package service_test

import (
	"bytes"
	"encoding/base64"
	"image"
	"image/color"
	"image/jpeg"
	"math"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"practicepost/app"
	"practicepost/app/service"
	"practicepost/app/studio"
)

// progressLog keeps the studio's progress events with their data.
type progressLog struct {
	mu   sync.Mutex
	done []int
}

func (p *progressLog) Emit(name string, data any) {
	if name != service.EventStudioProgress {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done = append(p.done, data.(map[string]any)["done"].(int))
}

type folderPicker struct{ dir, start string }

func (f *folderPicker) ChooseFolder(title, start string) (string, error) {
	f.start = start
	return f.dir, nil
}
func (f *folderPicker) ChooseFile(title, start, patternName, pattern string) (string, error) {
	return "", nil
}

func studioWorld(t *testing.T) (*service.StudioService, *progressLog, *folderPicker) {
	t.Helper()
	log := &progressLog{}
	picker := &folderPicker{dir: t.TempDir()}
	c := startCore(t, t.TempDir(), log, picker, &app.FixedClock{T: time.Date(2026, 11, 22, 10, 30, 0, 0, time.UTC)})
	b := service.NewBrandService(c)
	v, err := b.Get()
	if err != nil {
		t.Fatal(err)
	}
	k := v.Kit
	k.PracticeName = "Harbour Dental Care"
	k.Website = "https://www.harbourdental.example"
	k.Clinicians = []app.Clinician{{Name: "Dr Amy Shah", Role: "Dentist", Regulator: "GDC", Number: "123456"}}
	if _, err := b.Save(k); err != nil {
		t.Fatal(err)
	}
	return service.NewStudioService(c), log, picker
}

// noisyJPEG is a photo-like JPEG with a camera EXIF segment carrying GPS
// coordinates spliced in after SOI, as phones write them.
func noisyJPEG(t *testing.T, w, h int) []byte {
	t.Helper()
	rng := rand.New(rand.NewSource(7))
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.RGBA{uint8(rng.Intn(256)), uint8(x * 255 / w), uint8(y * 255 / h), 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	// TIFF little-endian, IFD0 with one entry: GPSInfo (0x8825) → IFD at 26,
	// which holds GPSLatitudeRef "N".
	tiff := []byte{'I', 'I', 42, 0, 8, 0, 0, 0,
		1, 0, 0x25, 0x88, 4, 0, 1, 0, 0, 0, 26, 0, 0, 0, 0, 0, 0, 0,
		1, 0, 1, 0, 2, 0, 2, 0, 0, 0, 'N', 0, 0, 0, 0, 0, 0, 0}
	seg := append([]byte("Exif\x00\x00"), tiff...)
	app1 := append([]byte{0xFF, 0xE1, byte((len(seg) + 2) >> 8), byte(len(seg) + 2)}, seg...)
	out := append([]byte{0xFF, 0xD8}, app1...)
	out = append(out, buf.Bytes()[2:]...)
	if !studio.HasEXIF(out) {
		t.Fatal("test photo should carry EXIF")
	}
	return out
}

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

func quoteDesign(photoID string) service.StudioDesign {
	d := service.StudioDesign{Template: "testimonial", Layout: "photo",
		Fields:      map[string]string{"quote": "The whole team made me feel at ease. My new smile is better than I hoped.", "treatment": "Whitening"},
		Attribution: &studio.AttributionSpec{Mode: studio.AttrFirstName, Name: "Jane Smith"},
		WordsOf:     app.AttributionNotPatient,
	}
	if photoID != "" {
		d.Photos = map[string]service.StudioPhotoInput{"main": {PhotoID: photoID, Focus: studio.Point{X: 0.4, Y: 0.3},
			Redactions: []studio.Redaction{{Box: studio.Rect{X: 0.1, Y: 0.1, W: 0.2, H: 0.1}, Mode: studio.RedactPixelate}}}}
	}
	return d
}

func TestStudioSetup(t *testing.T) {
	s, _, _ := studioWorld(t)
	v, err := s.Setup()
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Templates) != 7 || len(v.Sizes) != 6 || len(v.Clinicians) != 1 || v.PracticeName != "Harbour Dental Care" {
		t.Fatalf("setup: %d templates, %d sizes, %d clinicians, %q", len(v.Templates), len(v.Sizes), len(v.Clinicians), v.PracticeName)
	}
	if v.ExportBudget != 1_000_000 {
		t.Fatalf("export budget %d, want Bluesky's 1,000,000", v.ExportBudget)
	}
	for _, tpl := range v.Templates {
		if len(tpl.Layouts) < 2 || tpl.Fields == nil || tpl.Photos == nil {
			t.Fatalf("template %s: %+v", tpl.ID, tpl)
		}
	}
	f, err := s.ClinicianFields(0)
	if err != nil || f["name"] != "Dr Amy Shah" || f["registration"] != "GDC No. 123456" {
		t.Fatalf("clinician fields %v %v", f, err)
	}
	if _, err := s.ClinicianFields(3); app.ErrorField(err) != "clinician" {
		t.Fatalf("missing clinician: %v", err)
	}
}

func TestStudioUploadPhotoRefusals(t *testing.T) {
	s, _, _ := studioWorld(t)
	good := noisyJPEG(t, 64, 48)
	cases := []struct {
		name, file, data, want string
	}{
		{"not base64", "a.jpg", "%%%not base64", "a.jpg could not be read"},
		{"text file", "notes.jpg", b64([]byte("Dear patient, this is a letter.\n")), "notes.jpg is not a PNG or JPEG"},
		{"truncated", "cut.jpg", b64(good[:len(good)/2]), "cut.jpg could not be read to the end"},
		{"heic", "IMG_0001.HEIC", b64(append([]byte{0, 0, 0, 24, 'f', 't', 'y', 'p', 'h', 'e', 'i', 'c'}, make([]byte, 40)...)), "HEIC format"},
		{"too large", "huge.jpg", strings.Repeat("A", (studio.PhotoLimits.MaxBytes/3+2)*4), "larger than 40 MB"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.UploadPhoto(tc.file, tc.data, "stock")
			if app.ErrorCode(err) != app.EINVALID || !strings.Contains(app.ErrorMessage(err), tc.want) {
				t.Fatalf("got %v, want invalid with %q", err, tc.want)
			}
		})
	}
	p, err := s.UploadPhoto(`C:\Users\amy\Pictures\smile.jpg`, "data:image/jpeg;base64,"+b64(good), "stock")
	if err != nil {
		t.Fatal(err)
	}
	if p.Name != "smile.jpg" || p.Width != 64 || p.Height != 48 || p.Format != "jpeg" {
		t.Fatalf("photo %+v", p)
	}
	again, err := s.UploadPhoto("copy.jpg", b64(good), "stock")
	if err != nil || again.ID != p.ID {
		t.Fatalf("same bytes should reuse the open photo: %v %v", again.ID, err)
	}
}

func TestStudioPreview(t *testing.T) {
	s, _, _ := studioWorld(t)
	p, err := s.UploadPhoto("smile.jpg", b64(noisyJPEG(t, 600, 400)), "stock")
	if err != nil {
		t.Fatal(err)
	}
	for _, size := range studio.Sizes {
		v, err := s.Preview(quoteDesign(p.ID), size.ID, 0)
		if err != nil {
			t.Fatalf("%s: %v", size.ID, err)
		}
		if max(v.Width, v.Height) != studio.PreviewLongSide || !strings.HasPrefix(v.Image, "data:image/jpeg;base64,") {
			t.Fatalf("%s: %dx%d %.30s", size.ID, v.Width, v.Height, v.Image)
		}
		if len(v.Overflows) != 0 || len(v.Warnings) != 0 {
			t.Fatalf("%s: overflows %v warnings %v", size.ID, v.Overflows, v.Warnings)
		}
		raw, _ := base64.StdEncoding.DecodeString(strings.TrimPrefix(v.Image, "data:image/jpeg;base64,"))
		cfg, err := jpeg.DecodeConfig(bytes.NewReader(raw))
		if err != nil || cfg.Width != v.Width || cfg.Height != v.Height {
			t.Fatalf("%s: preview image %v %+v", size.ID, err, cfg)
		}
	}

	// While typing, a missing patient name is a note, not an error.
	// The photo layout also asks for its photo.
	d := quoteDesign("")
	d.Attribution.Name = ""
	v, err := s.Preview(d, "square", 300)
	if err != nil || len(v.Warnings) != 2 || !strings.Contains(v.Warnings[0], "Anonymous") || !strings.Contains(v.Warnings[1], "Add a photo") || v.Width != 300 {
		t.Fatalf("no name: %v %+v", err, v.Warnings)
	}
	// Text that cannot fit is reported per size with the engine's message.
	d = quoteDesign("")
	d.Fields["quote"] = shouting
	v, err = s.Preview(d, "square", 0)
	if err != nil || len(v.Overflows) == 0 || v.Overflows[0].Field != "quote" || !strings.Contains(v.Overflows[0].Message, "shorten it") {
		t.Fatalf("overflow: %v %+v", err, v.Overflows)
	}

	bad := []struct {
		name  string
		edit  func(*service.StudioDesign)
		size  string
		field string
	}{
		{"unknown template", func(d *service.StudioDesign) { d.Template = "poster" }, "square", "template"},
		{"unknown layout", func(d *service.StudioDesign) { d.Layout = "zigzag" }, "square", "layout"},
		{"unknown size", func(d *service.StudioDesign) {}, "billboard", "size"},
		{"photo not open", func(d *service.StudioDesign) {
			d.Photos["main"] = service.StudioPhotoInput{PhotoID: "0123456789abcdef0123"}
		}, "square", "photos.main"},
		{"box outside", func(d *service.StudioDesign) {
			d.Photos["main"] = service.StudioPhotoInput{PhotoID: p.ID, Redactions: []studio.Redaction{{Box: studio.Rect{X: 0.9, Y: 0, W: 0.5, H: 0.2}, Mode: studio.RedactBlur}}}
		}, "square", "photos.main"},
		{"box not a number", func(d *service.StudioDesign) {
			d.Photos["main"] = service.StudioPhotoInput{PhotoID: p.ID, Redactions: []studio.Redaction{{Box: studio.Rect{X: math.NaN(), W: 0.1, H: 0.1}, Mode: studio.RedactBlur}}}
		}, "square", "photos.main"},
		{"unknown redaction", func(d *service.StudioDesign) {
			d.Photos["main"] = service.StudioPhotoInput{PhotoID: p.ID, Redactions: []studio.Redaction{{Box: studio.Rect{W: 0.1, H: 0.1}, Mode: "smudge"}}}
		}, "square", "photos.main"},
		{"unknown background", func(d *service.StudioDesign) { d.Background.Kind = "plaid" }, "square", "background"},
		{"bad colour", func(d *service.StudioDesign) {
			d.Background = studio.Background{Kind: "solid", Color: "url(javascript:x)"}
		}, "square", "background"},
		{"quote too long", func(d *service.StudioDesign) { d.Fields["quote"] = strings.Repeat("x", 601) }, "square", "quote"},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			d := quoteDesign(p.ID)
			tc.edit(&d)
			_, err := s.Preview(d, tc.size, 0)
			if app.ErrorCode(err) != app.EINVALID || app.ErrorField(err) != tc.field {
				t.Fatalf("got %v (field %q), want invalid on %q", err, app.ErrorField(err), tc.field)
			}
		})
	}
}

func jpegSize(t *testing.T, b []byte) (int, int) {
	t.Helper()
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return cfg.Width, cfg.Height
}

func TestStudioRenderKeepExport(t *testing.T) {
	s, log, picker := studioWorld(t)
	p, err := s.UploadPhoto("smile.jpg", b64(noisyJPEG(t, 1200, 900)), "stock")
	if err != nil {
		t.Fatal(err)
	}
	// Export refuses an empty required field; the preview allowed it.
	d := quoteDesign(p.ID)
	d.Fields["quote"] = " "
	if _, err := s.Render(d); app.ErrorField(err) != "quote" {
		t.Fatalf("empty quote: %v", err)
	}
	d = quoteDesign(p.ID)
	d.Attribution.Name = ""
	if _, err := s.Render(d); app.ErrorField(err) != "attribution" {
		t.Fatalf("no name: %v", err)
	}

	log.done = nil
	r, err := s.Render(quoteDesign(p.ID))
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Variants) != 6 || len(r.Overflows) != 0 {
		t.Fatalf("render: %d variants, overflows %v", len(r.Variants), r.Overflows)
	}
	for i, v := range r.Variants {
		want := studio.Sizes[i]
		raw, _ := base64.StdEncoding.DecodeString(strings.TrimPrefix(v.Image, "data:image/jpeg;base64,"))
		w, h := jpegSize(t, raw)
		if v.SizeID != want.ID || w != want.Width || h != want.Height || v.Bytes != len(raw) || v.Bytes > 1_000_000 || studio.HasEXIF(raw) {
			t.Fatalf("variant %d: %s %dx%d %d bytes exif=%v", i, v.SizeID, w, h, v.Bytes, studio.HasEXIF(raw))
		}
	}
	if got := log.done; len(got) != 4 || got[0] != 0 || got[3] != 6 {
		t.Fatalf("progress %v", got)
	}

	// Alt text first, and it explains why.
	if _, err := s.Keep(r.ID, "  ", false); app.ErrorField(err) != "altText" || !strings.Contains(app.ErrorMessage(err), "Screen readers") {
		t.Fatalf("keep without alt: %v", err)
	}
	alt := "Quote card: “The whole team made me feel at ease.” – Jane"
	kept, err := s.Keep(r.ID, alt, false)
	if err != nil {
		t.Fatal(err)
	}
	lib, err := s.Library(50, 0)
	if err != nil {
		t.Fatal(err)
	}
	if kept.Total != 6 || lib.Total != 6 || lib.Items[0].AltText != alt || !strings.HasPrefix(lib.Items[0].URL, "/media/") || lib.Items[0].Template != "testimonial" || lib.Items[0].Layout != "photo" {
		t.Fatalf("library %+v", lib.Items[0])
	}

	// Export: the native picker proposes a sensible folder first.
	dir, err := s.ChooseExportFolder()
	if err != nil || dir != picker.dir || picker.start == "" {
		t.Fatalf("picker: %q %v start %q", dir, err, picker.start)
	}
	out, err := s.Export(r.ID, dir, alt, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Files) != 6 {
		t.Fatalf("files %v", out.Files)
	}
	for i, f := range out.Files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		w, h := jpegSize(t, b)
		if w != studio.Sizes[i].Width || h != studio.Sizes[i].Height || studio.HasEXIF(b) {
			t.Fatalf("%s: %dx%d exif=%v", f, w, h, studio.HasEXIF(b))
		}
		if !strings.HasPrefix(filepath.Base(f), "harbour-dental-care-testimonial-2026-11-22-") || !strings.HasSuffix(f, "-"+studio.Sizes[i].ID+".jpg") {
			t.Fatalf("file name %s", f)
		}
	}
	if b, _ := os.ReadFile(out.AltTextFile); strings.TrimSpace(string(b)) != alt {
		t.Fatalf("alt text file %q", b)
	}
	// A second export never overwrites the first.
	again, err := s.Export(r.ID, dir, alt, false)
	if err != nil {
		t.Fatal(err)
	}
	if again.Files[0] == out.Files[0] || !strings.HasSuffix(again.Files[0], "-square-2.jpg") {
		t.Fatalf("second export %s", again.Files[0])
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 14 {
		t.Fatalf("%d files in the folder, want 14", len(ents))
	}
	// The folder is remembered for next time.
	setup, _ := s.Setup()
	if setup.ExportFolder != dir {
		t.Fatalf("export folder %q", setup.ExportFolder)
	}

	folders := []struct{ name, folder, want string }{
		{"relative", "exports", "full path"},
		{"missing parent", filepath.Join(dir, "no", "such"), "does not exist"},
		{"a file", out.Files[0], "does not exist"},
	}
	for _, tc := range folders {
		if _, err := s.Export(r.ID, tc.folder, alt, false); app.ErrorField(err) != "folder" || !strings.Contains(app.ErrorMessage(err), tc.want) {
			t.Fatalf("%s: %v", tc.name, err)
		}
	}
	// A new folder inside an existing one is made.
	if _, err := s.Export(r.ID, filepath.Join(dir, "November"), alt, false); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Export("feedfacefeedface", dir, alt, false); app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatalf("unknown render: %v", err)
	}

	if err := s.DeleteMedia(lib.Items[0].ID); err != nil {
		t.Fatal(err)
	}
	if lib, _ = s.Library(50, 0); lib.Total != 5 {
		t.Fatalf("after delete %d", lib.Total)
	}
}

// shouting is a 600-character capitalised quote: the longest the template
// takes, in the widest letters, so it cannot fit at the smallest size.
var shouting = strings.TrimSpace(strings.Repeat("AMAZING WONDERFUL CARE! ", 25))

func TestStudioOverflowBlocksUntilAccepted(t *testing.T) {
	s, _, _ := studioWorld(t)
	d := quoteDesign("")
	d.Layout = "classic"
	d.Fields["quote"] = shouting
	r, err := s.Render(d)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Overflows) == 0 {
		t.Fatal("expected the long quote to overflow somewhere")
	}
	dir := t.TempDir()
	_, err = s.Export(r.ID, dir, "A quote card", false)
	if app.ErrorField(err) != "overflow" || !strings.Contains(app.ErrorMessage(err), "Use these images anyway") {
		t.Fatalf("export with overflow: %v", err)
	}
	if _, err := s.Keep(r.ID, "A quote card", false); app.ErrorField(err) != "overflow" {
		t.Fatalf("keep with overflow: %v", err)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Fatalf("files written despite the overflow: %d", len(ents))
	}
	if _, err := s.Export(r.ID, dir, "A quote card", true); err != nil {
		t.Fatal(err)
	}
}

// localSpread is the mean absolute difference between horizontal
// neighbours in a region: high for noise, near zero once redacted.
func localSpread(m image.Image, r image.Rectangle) float64 {
	var sum, n float64
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X-1; x++ {
			a, _, _, _ := m.At(x, y).RGBA()
			b, _, _, _ := m.At(x+1, y).RGBA()
			sum += math.Abs(float64(a>>8) - float64(b>>8))
			n++
		}
	}
	return sum / n
}

func TestStudioRedactionReachesTheExport(t *testing.T) {
	s, _, _ := studioWorld(t)
	p, err := s.UploadPhoto("room.jpg", b64(noisyJPEG(t, 900, 900)), "premises")
	if err != nil {
		t.Fatal(err)
	}
	render := func(red []studio.Redaction) image.Image {
		d := service.StudioDesign{Template: "caption", Layout: "band", Fields: map[string]string{"caption": "Our new treatment room"},
			Photos: map[string]service.StudioPhotoInput{"main": {PhotoID: p.ID, Redactions: red}}}
		r, err := s.Render(d)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := base64.StdEncoding.DecodeString(strings.TrimPrefix(r.Variants[0].Image, "data:image/jpeg;base64,"))
		m, err := jpeg.Decode(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	region := image.Rect(120, 120, 320, 320) // inside the box below on the square post
	plain := localSpread(render(nil), region)
	for _, mode := range []studio.RedactMode{studio.RedactBlur, studio.RedactPixelate} {
		red := localSpread(render([]studio.Redaction{{Box: studio.Rect{X: 0.08, Y: 0.08, W: 0.28, H: 0.28}, Mode: mode}}), region)
		if red > plain/5 {
			t.Fatalf("%s: neighbour spread %.1f in the box, %.1f without redaction", mode, red, plain)
		}
	}
}
