package studio

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math"
	"testing"

	"practicepost/app"
)

// photoLike draws a deterministic scene with gradients, discs and, when
// grain is set, sensor-like noise that makes JPEG sizes realistic.
func photoLike(w, h int, grain bool) *image.YCbCr {
	m := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
	seed := uint32(12345)
	for y := 0; y < h; y++ {
		fy := float64(y) / float64(h)
		for x := 0; x < w; x++ {
			fx := float64(x) / float64(w)
			v := 60 + 120*fy + 40*math.Sin(fx*9+fy*4)
			for i, c := range [][3]float64{{0.3, 0.4, 0.18}, {0.7, 0.55, 0.12}, {0.5, 0.8, 0.1}} {
				d := math.Hypot(fx-c[0], (fy-c[1])*float64(h)/float64(w))
				if d < c[2] {
					v = 30 + float64(i)*80 + 60*(d/c[2])
				}
			}
			if grain {
				seed = seed*1664525 + 1013904223
				v += float64(seed>>24)/255*24 - 12
			}
			m.Y[y*m.YStride+x] = uint8(math.Max(0, math.Min(255, v)))
		}
	}
	for y := 0; y < (h+1)/2; y++ {
		for x := 0; x < (w+1)/2; x++ {
			fx, fy := float64(2*x)/float64(w), float64(2*y)/float64(h)
			m.Cb[y*m.CStride+x] = uint8(128 + 40*math.Sin(fx*5))
			m.Cr[y*m.CStride+x] = uint8(128 + 40*math.Cos(fy*6+fx))
		}
	}
	return m
}

func encodeJPEG(t testing.TB, m image.Image, q int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, m, &jpeg.Options{Quality: q}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func encodePNG(t testing.TB, m image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, m); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// exifSegment builds an APP1 Exif segment with IFD0 holding the orientation
// and a GPS IFD with a latitude, as a phone writes it.
func exifSegment(orient uint16, bigEndian bool) []byte {
	var bo binary.AppendByteOrder = binary.LittleEndian
	hdr := "II"
	if bigEndian {
		bo, hdr = binary.BigEndian, "MM"
	}
	t := []byte(hdr)
	t = bo.AppendUint16(t, 42)
	t = bo.AppendUint32(t, 8)
	// IFD0: orientation + GPS pointer.
	t = bo.AppendUint16(t, 2)
	t = bo.AppendUint16(t, 0x0112)
	t = bo.AppendUint16(t, 3)
	t = bo.AppendUint32(t, 1)
	t = bo.AppendUint16(t, orient)
	t = bo.AppendUint16(t, 0)
	gpsOff := uint32(8 + 2 + 2*12 + 4)
	t = bo.AppendUint16(t, 0x8825)
	t = bo.AppendUint16(t, 4)
	t = bo.AppendUint32(t, 1)
	t = bo.AppendUint32(t, gpsOff)
	t = bo.AppendUint32(t, 0)
	// GPS IFD: GPSLatitudeRef "N".
	t = bo.AppendUint16(t, 1)
	t = bo.AppendUint16(t, 0x0001)
	t = bo.AppendUint16(t, 2)
	t = bo.AppendUint32(t, 2)
	t = append(t, 'N', 0, 0, 0)
	t = bo.AppendUint32(t, 0)
	payload := append([]byte("Exif\x00\x00"), t...)
	seg := []byte{0xFF, 0xE1}
	seg = binary.BigEndian.AppendUint16(seg, uint16(len(payload)+2))
	return append(seg, payload...)
}

// withEXIF splices an APP1 segment right after a JPEG's SOI marker.
func withEXIF(jpg, seg []byte) []byte {
	out := append([]byte{}, jpg[:2]...)
	out = append(out, seg...)
	return append(out, jpg[2:]...)
}

func testBrand() app.BrandKit {
	b := app.DefaultBrandKit()
	b.PracticeName = "Riverside Dental Care"
	b.Website = "https://www.riverside-dental.example"
	return b
}

// testLogo is a two-colour mark with a transparent surround.
func testLogo(t testing.TB) *Logo {
	m := image.NewNRGBA(image.Rect(0, 0, 300, 100))
	for y := 10; y < 90; y++ {
		for x := 10; x < 290; x++ {
			c := color.NRGBA{11, 110, 110, 255}
			if x > 150 {
				c = color.NRGBA{242, 165, 65, 255}
			}
			m.SetNRGBA(x, y, c)
		}
	}
	l, err := LoadLogo(encodePNG(t, m))
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func mustEngine(t testing.TB) *Engine {
	t.Helper()
	e, err := New()
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func mustLoad(t testing.TB, data []byte) *Source {
	t.Helper()
	s, err := Load(data)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func decodeAny(t testing.TB, data []byte) image.Image {
	t.Helper()
	m, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return m
}
