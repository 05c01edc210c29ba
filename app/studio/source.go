package studio

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	_ "image/jpeg" // decoders for image.Decode
	_ "image/png"
	"math"
	"sync"

	"practicepost/app"
)

// PhotoLimits bound what the studio decodes: 50 megapixels and 40 MB cover
// every current phone camera while keeping a decode under ~150 MB of memory.
var PhotoLimits = app.ImageLimits{MaxBytes: 40 << 20, MaxWidth: 20000, MaxHeight: 20000, MaxPixels: 50_000_000, Formats: []string{"jpeg", "png"}}

// WorkingLongSide is the long side of the copy that previews are made from.
const WorkingLongSide = 1600

// Source is a photo decoded once per editing session. It keeps the full
// image for exports and a small working copy for previews; both stay in the
// camera's stored orientation, which is applied to the small outputs.
type Source struct {
	info   app.ImageInfo
	orient Orientation
	full   *image.YCbCr
	work   *image.YCbCr

	mu     sync.Mutex
	cached map[bool]*pyramid // redaction-free pyramids, by preview
}

// SourceInfo describes a loaded photo as the user sees it (upright).
type SourceInfo struct {
	app.ImageInfo
	Orientation Orientation `json:"orientation"`
	// DisplayWidth and DisplayHeight are after orientation.
	DisplayWidth  int `json:"displayWidth"`
	DisplayHeight int `json:"displayHeight"`
}

// Info returns the header facts and the upright size.
func (s *Source) Info() SourceInfo {
	w, h := s.info.Width, s.info.Height
	if s.orient >= 5 {
		w, h = h, w
	}
	return SourceInfo{ImageInfo: s.info, Orientation: s.orient, DisplayWidth: w, DisplayHeight: h}
}

// heicBrands are the ISO-BMFF brands of HEIF/HEIC/AVIF files.
var heicBrands = []string{"heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1", "avif"}

func isHEIC(data []byte) bool {
	if len(data) < 12 || string(data[4:8]) != "ftyp" {
		return false
	}
	brand := string(data[8:12])
	for _, b := range heicBrands {
		if brand == b {
			return true
		}
	}
	return false
}

// Load checks the header against PhotoLimits, decodes the pixels and makes
// the working copy. Every failure is an EINVALID app.Error a practice
// manager can act on; a malformed file never panics.
func Load(data []byte) (*Source, error) {
	if isHEIC(data) {
		return nil, app.Errorf(app.EINVALID, "This photo is in HEIC format (the iPhone default), which PracticePost cannot read. Export or share it as JPEG (on the iPhone: Settings → Camera → Formats → Most Compatible), then add it again.")
	}
	info, err := app.InspectImage(data, PhotoLimits, "The photo")
	if err != nil {
		return nil, err
	}
	o := Orientation(1)
	if info.Format == "jpeg" {
		o = jpegOrientation(data)
	} else {
		o = pngOrientation(data)
	}
	m, err := decode(data)
	if err != nil {
		return nil, err
	}
	s := &Source{info: info, orient: o, full: m, cached: map[bool]*pyramid{}}
	s.work = workingCopy(m)
	return s, nil
}

func decode(data []byte) (m *image.YCbCr, err error) {
	defer func() {
		// The standard decoders are hardened, but a photo from a patient's
		// phone must never take the app down, whatever is inside it.
		if r := recover(); r != nil {
			m, err = nil, &app.Error{Code: app.EINVALID, Err: fmt.Errorf("decode panic: %v", r), Message: damaged}
		}
	}()
	img, _, derr := image.Decode(bytes.NewReader(data))
	if derr != nil {
		return nil, &app.Error{Code: app.EINVALID, Err: derr, Message: damaged}
	}
	return toYCbCr(img), nil
}

const damaged = "The photo could not be read to the end: the file is damaged or was not copied completely. Copy or export it again from the phone or camera, then add it again."

func workingCopy(m *image.YCbCr) *image.YCbCr {
	w, h := m.Rect.Dx(), m.Rect.Dy()
	long := max(w, h)
	if long <= WorkingLongSide {
		return m
	}
	k := float64(WorkingLongSide) / float64(long)
	src := m
	// Halve first while the image stays above twice the target: box halving
	// is far cheaper than a wide filter and loses nothing at this ratio.
	for float64(max(src.Rect.Dx(), src.Rect.Dy()))/2 >= WorkingLongSide {
		src = shrink2(src)
	}
	return resizeYCbCr(src, max(1, int(math.Round(float64(w)*k))), max(1, int(math.Round(float64(h)*k))))
}

// toYCbCr brings every decodable image into one planar form. Transparent
// PNG pixels are flattened onto white, as a photo has no transparency.
func toYCbCr(img image.Image) *image.YCbCr {
	b := img.Bounds()
	switch m := img.(type) {
	case *image.YCbCr:
		if b.Min == (image.Point{}) {
			return m
		}
	case *image.Gray:
		out := image.NewYCbCr(image.Rect(0, 0, b.Dx(), b.Dy()), image.YCbCrSubsampleRatio420)
		for y := 0; y < b.Dy(); y++ {
			copy(out.Y[y*out.YStride:y*out.YStride+b.Dx()], m.Pix[y*m.Stride:])
		}
		for i := range out.Cb {
			out.Cb[i], out.Cr[i] = 128, 128
		}
		return out
	}
	out := image.NewYCbCr(image.Rect(0, 0, b.Dx(), b.Dy()), image.YCbCrSubsampleRatio444)
	put := func(x, y int, r, g, bl uint8) {
		i := y*out.YStride + x
		out.Y[i], out.Cb[i], out.Cr[i] = color.RGBToYCbCr(r, g, bl)
	}
	switch m := img.(type) {
	case *image.NRGBA:
		for y := 0; y < b.Dy(); y++ {
			row := m.Pix[y*m.Stride:]
			for x := 0; x < b.Dx(); x++ {
				p := row[x*4 : x*4+4]
				a := uint32(p[3])
				put(x, y, overWhite(p[0], a), overWhite(p[1], a), overWhite(p[2], a))
			}
		}
	case *image.RGBA:
		for y := 0; y < b.Dy(); y++ {
			row := m.Pix[y*m.Stride:]
			for x := 0; x < b.Dx(); x++ {
				p := row[x*4 : x*4+4]
				w := 255 - uint32(p[3])
				put(x, y, uint8(uint32(p[0])+w), uint8(uint32(p[1])+w), uint8(uint32(p[2])+w))
			}
		}
	default:
		for y := 0; y < b.Dy(); y++ {
			for x := 0; x < b.Dx(); x++ {
				r, g, bl, a := img.At(b.Min.X+x, b.Min.Y+y).RGBA()
				w := 0xFFFF - a
				put(x, y, uint8((r+w)>>8), uint8((g+w)>>8), uint8((bl+w)>>8))
			}
		}
	}
	return out
}

func overWhite(c uint8, a uint32) uint8 {
	return uint8((uint32(c)*a + 255*(255-a) + 127) / 255)
}
