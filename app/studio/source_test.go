package studio

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"practicepost/app"
)

// withSOFSize rewrites the dimensions in a baseline JPEG's SOF0 header.
func withSOFSize(t *testing.T, jpg []byte, w, h int) []byte {
	out := append([]byte(nil), jpg...)
	i := bytes.Index(out, []byte{0xFF, 0xC0})
	if i < 0 {
		t.Fatal("no SOF0")
	}
	binary.BigEndian.PutUint16(out[i+5:], uint16(h))
	binary.BigEndian.PutUint16(out[i+7:], uint16(w))
	return out
}

func TestBadInputs(t *testing.T) {
	good := encodeJPEG(t, photoLike(320, 240, true), 90)
	goodPNG := encodePNG(t, photoLike(64, 48, false))
	heic := append([]byte{0, 0, 0, 0x18}, []byte("ftypheic\x00\x00\x00\x00mif1heic")...)
	for _, c := range []struct {
		name, want string
		data       []byte
	}{
		{"truncated JPEG", "damaged", good[:len(good)/2]},
		{"truncated PNG", "damaged", goodPNG[:len(goodPNG)*2/3]},
		{"60 MP header", "megapixels", withSOFSize(t, good, 8000, 7500)},
		{"too wide", "pixels", withSOFSize(t, good, 30000, 100)},
		{"text file", "not a PNG or JPEG", []byte("Dear patient,\nyour appointment is on Monday.\n")},
		{"HEIC", "HEIC", heic},
		{"HEIF mif1", "HEIC", []byte("\x00\x00\x00\x1cftypmif1\x00\x00\x00\x00mif1heic")},
		{"empty", "empty", nil},
		{"over 40 MB", "MB", append(append([]byte(nil), good...), make([]byte, 41<<20)...)},
		{"only SOI", "not a PNG or JPEG", []byte{0xFF, 0xD8}},
	} {
		t.Run(c.name, func(t *testing.T) {
			s, err := Load(c.data)
			if s != nil || app.ErrorCode(err) != app.EINVALID {
				t.Fatalf("got %v, %v", s, err)
			}
			if msg := app.ErrorMessage(err); !strings.Contains(msg, c.want) {
				t.Errorf("message %q lacks %q", msg, c.want)
			}
		})
	}
	if _, err := LoadLogo([]byte("<svg/>")); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("svg logo: %v", err)
	}
}

// display is the upright test picture: four quadrants in distinct colours.
var quadrants = [4]color.RGBA{{220, 30, 30, 255}, {30, 200, 30, 255}, {30, 30, 220, 255}, {240, 240, 240, 255}}

func quadrantAt(x, y, w, h int) color.RGBA {
	i := 0
	if x >= w/2 {
		i++
	}
	if y >= h/2 {
		i += 2
	}
	return quadrants[i]
}

// storedFor makes the pixels a camera stores for a display image of
// dw×dh when it writes orientation o.
func storedFor(o Orientation, dw, dh int) *image.RGBA {
	rw, rh := dw, dh
	if o >= 5 {
		rw, rh = dh, dw
	}
	m := image.NewRGBA(image.Rect(0, 0, rw, rh))
	for y := 0; y < dh; y++ {
		for x := 0; x < dw; x++ {
			u, v := toRaw(o, (float64(x)+0.5)/float64(dw), (float64(y)+0.5)/float64(dh))
			m.SetRGBA(int(u*float64(rw)), int(v*float64(rh)), quadrantAt(x, y, dw, dh))
		}
	}
	return m
}

func near(a, b color.RGBA) bool {
	d := func(x, y uint8) int { return max(int(x)-int(y), int(y)-int(x)) }
	return d(a.R, b.R) < 40 && d(a.G, b.G) < 40 && d(a.B, b.B) < 40
}

func TestOrientationAllEight(t *testing.T) {
	const dw, dh = 192, 128
	for o := Orientation(1); o <= 8; o++ {
		for _, big := range []bool{false, true} {
			t.Run(fmt.Sprintf("o%d-bigendian=%v", o, big), func(t *testing.T) {
				data := withEXIF(encodeJPEG(t, storedFor(o, dw, dh), 95), exifSegment(uint16(o), big))
				if got := jpegOrientation(data); got != o {
					t.Fatalf("parsed orientation %d", got)
				}
				s := mustLoad(t, data)
				if in := s.Info(); in.DisplayWidth != dw || in.DisplayHeight != dh {
					t.Fatalf("display size %dx%d", in.DisplayWidth, in.DisplayHeight)
				}
				for _, preview := range []bool{false, true} {
					img := s.pyramidFor(preview, nil).cropFill(Point{0.5, 0.5}, dw, dh)
					for _, p := range []image.Point{{dw / 4, dh / 4}, {3 * dw / 4, dh / 4}, {dw / 4, 3 * dh / 4}, {3 * dw / 4, 3 * dh / 4}} {
						if got, want := img.RGBAAt(p.X, p.Y), quadrantAt(p.X, p.Y, dw, dh); !near(got, want) {
							t.Errorf("preview=%v at %v: %v, want %v", preview, p, got, want)
						}
					}
				}
			})
		}
	}
}

func TestOrientationFromPNG(t *testing.T) {
	png := encodePNG(t, storedFor(6, 64, 32))
	seg := exifSegment(6, false)[10:] // the TIFF block without the APP1 header
	chunk := binary.BigEndian.AppendUint32(nil, uint32(len(seg)))
	chunk = append(append(chunk, "eXIf"...), seg...)
	chunk = binary.BigEndian.AppendUint32(chunk, 0) // CRC is not checked by the reader
	data := append(append(append([]byte(nil), png[:33]...), chunk...), png[33:]...)
	if got := pngOrientation(data); got != 6 {
		t.Errorf("PNG orientation %d", got)
	}
	if !HasEXIF(data) || HasEXIF(png) {
		t.Error("HasEXIF on PNG")
	}
}

func TestOrientationIgnoresNonsense(t *testing.T) {
	base := encodeJPEG(t, photoLike(16, 16, false), 80)
	for name, data := range map[string][]byte{
		"no exif":          base,
		"orientation 0":    withEXIF(base, exifSegment(0, false)),
		"orientation 9":    withEXIF(base, exifSegment(9, true)),
		"bad byte order":   withEXIF(base, bytes.Replace(exifSegment(6, false), []byte("II*"), []byte("XX*"), 1)),
		"segment too long": withEXIF(base, []byte{0xFF, 0xE1, 0xFF, 0xFF, 'E', 'x', 'i', 'f', 0, 0}),
		"not a jpeg":       []byte("hello"),
	} {
		if got := jpegOrientation(data); got != 1 {
			t.Errorf("%s: %d", name, got)
		}
	}
}

// FuzzJPEGOrientation checks that the hand-written EXIF walker never panics
// or reads out of range and always yields a valid orientation. Seeds live
// in testdata/fuzz/FuzzJPEGOrientation.
func FuzzJPEGOrientation(f *testing.F) {
	base := encodeJPEG(f, photoLike(8, 8, false), 80)
	f.Add(withEXIF(base, exifSegment(6, false)))
	f.Add(withEXIF(base, exifSegment(3, true)))
	f.Add(base)
	f.Fuzz(func(t *testing.T, data []byte) {
		o := jpegOrientation(data)
		if o < 1 || o > 8 {
			t.Fatalf("orientation %d", o)
		}
		po := tiffOrientation(data)
		if po < 1 || po > 8 {
			t.Fatalf("tiff orientation %d", po)
		}
		pngOrientation(data)
		HasEXIF(data)
	})
}

func TestFuzzSeedsCheckedIn(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("testdata", "fuzz", "FuzzJPEGOrientation", "*"))
	if len(files) < 3 {
		t.Fatalf("%d fuzz seeds in testdata/fuzz/FuzzJPEGOrientation", len(files))
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil || !bytes.HasPrefix(b, []byte("go test fuzz v1\n")) {
			t.Errorf("%s is not a fuzz corpus file", f)
		}
	}
}
