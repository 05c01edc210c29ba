package studio

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/draw"
	"testing"

	"practicepost/app"
)

// phoneEXIF is a TIFF block as a phone writes it: camera make and model,
// the orientation, and a GPS IFD with latitude and longitude as rationals.
func phoneEXIF(orient uint16) []byte {
	bo := binary.LittleEndian
	t := []byte("II")
	t = bo.AppendUint16(t, 42)
	t = bo.AppendUint32(t, 8)
	const ifd0 = 8
	const entries = 3
	gpsOff := uint32(ifd0 + 2 + entries*12 + 4)
	makeOff := gpsOff + 2 + 3*12 + 4
	latOff := makeOff + 16
	lonOff := latOff + 24
	t = bo.AppendUint16(t, entries)
	entry := func(tag, typ uint16, count, value uint32) {
		t = bo.AppendUint16(t, tag)
		t = bo.AppendUint16(t, typ)
		t = bo.AppendUint32(t, count)
		t = bo.AppendUint32(t, value)
	}
	entry(0x010F, 2, 16, makeOff)           // Make
	entry(0x0112, 3, 1, uint32(orient))     // Orientation (SHORT, little-endian: low bytes first)
	entry(0x8825, 4, 1, gpsOff)             // GPS IFD
	t = bo.AppendUint32(t, 0)               // no next IFD
	t = bo.AppendUint16(t, 3)               // GPS IFD
	entry(0x0001, 2, 2, uint32('N'))        // GPSLatitudeRef
	entry(0x0002, 5, 3, latOff)             // GPSLatitude
	entry(0x0004, 5, 3, lonOff)             // GPSLongitude
	t = bo.AppendUint32(t, 0)               //
	t = append(t, "PracticeCam X12\x00"...) // 16 bytes
	for _, v := range []uint32{50, 1, 9, 1, 1234, 100, 5, 1, 4, 1, 4321, 100} {
		t = bo.AppendUint32(t, v)
	}
	return t
}

func app1(payload []byte) []byte {
	seg := []byte{0xFF, 0xE1}
	seg = binary.BigEndian.AppendUint16(seg, uint16(len(payload)+2))
	return append(seg, payload...)
}

// gpsJPEG is a real JPEG carrying EXIF with GPS, XMP with a location, an
// IPTC block, a comment and a trailer after the end of the image.
func gpsJPEG(t *testing.T, orient uint16) ([]byte, image.Image) {
	m := photoLike(64, 48, true)
	plain := encodeJPEG(t, m, 90)
	var b bytes.Buffer
	b.Write(plain[:2])
	b.Write(app1(append([]byte("Exif\x00\x00"), phoneEXIF(orient)...)))
	b.Write(app1([]byte("http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta><exif:GPSLatitude>50,9.12N</exif:GPSLatitude></x:xmpmeta>")))
	iptc := []byte("Photoshop 3.0\x008BIM\x04\x04\x00\x00\x00\x00\x00\x10\x1c\x02\x5a\x00\x08Falmouth")
	b.Write([]byte{0xFF, 0xED})
	b.Write(binary.BigEndian.AppendUint16(nil, uint16(len(iptc)+2)))
	b.Write(iptc)
	com := []byte("Taken at 1 Quay St")
	b.Write([]byte{0xFF, 0xFE})
	b.Write(binary.BigEndian.AppendUint16(nil, uint16(len(com)+2)))
	b.Write(com)
	b.Write(plain[2:])
	b.WriteString("MPF trailer Exif GPS PracticeCam")
	return b.Bytes(), decodeAny(t, plain)
}

var leaks = []string{"PracticeCam", "GPSLatitude", "xmpmeta", "Falmouth", "Quay St", "trailer", "8BIM"}

func assertClean(t *testing.T, what string, data []byte) {
	t.Helper()
	for _, l := range leaks {
		if bytes.Contains(data, []byte(l)) {
			t.Errorf("%s still carries %q", what, l)
		}
	}
	// The GPS latitude rationals (50/1, 9/1, 1234/100) are gone too.
	lat := binary.LittleEndian.AppendUint32(binary.LittleEndian.AppendUint32(nil, 50), 1)
	if bytes.Contains(data, lat) {
		t.Errorf("%s still carries the latitude", what)
	}
}

func samePixels(t *testing.T, a, b image.Image) {
	t.Helper()
	ra, rb := image.NewRGBA(a.Bounds()), image.NewRGBA(b.Bounds())
	draw.Draw(ra, ra.Rect, a, a.Bounds().Min, draw.Src)
	draw.Draw(rb, rb.Rect, b, b.Bounds().Min, draw.Src)
	if ra.Rect != rb.Rect || !bytes.Equal(ra.Pix, rb.Pix) {
		t.Fatal("the pixels changed")
	}
}

func TestStripMetadataJPEGKeepsPixelsAndOrientationOnly(t *testing.T) {
	for _, orient := range []uint16{1, 6} {
		in, pixels := gpsJPEG(t, orient)
		if !HasEXIF(in) || jpegOrientation(in) != Orientation(orient) {
			t.Fatal("the test photo should carry EXIF")
		}
		out, err := StripMetadata(in)
		if err != nil {
			t.Fatal(err)
		}
		assertClean(t, "stripped JPEG", out)
		samePixels(t, pixels, decodeAny(t, out))
		if jpegOrientation(out) != Orientation(orient) {
			t.Errorf("orientation %d became %d", orient, jpegOrientation(out))
		}
		// Upright photos keep no EXIF at all; turned ones only the orientation.
		if HasEXIF(out) != (orient != 1) {
			t.Errorf("orientation %d: HasEXIF=%v", orient, HasEXIF(out))
		}
		if _, err := app.InspectImage(out, PhotoLimits, "The photo"); err != nil {
			t.Fatal(err)
		}
		again, err := StripMetadata(out)
		if err != nil || !bytes.Equal(again, out) {
			t.Errorf("stripping twice changed the file: %v", err)
		}
	}
}

func TestStripMetadataLeavesACleanJPEGByteForByte(t *testing.T) {
	// A file already clean passes through with its scan data byte for byte.
	plain := encodeJPEG(t, photoLike(33, 17, true), 75)
	out, err := StripMetadata(plain)
	if err != nil || !bytes.Equal(out, plain) {
		t.Fatalf("a clean JPEG changed: %v", err)
	}
}

func pngChunk(typ string, body []byte) []byte {
	return appendPNGChunk(nil, typ, body)
}

func TestStripMetadataPNG(t *testing.T) {
	m := photoLike(40, 30, false)
	plain := encodePNG(t, m)
	ihdrEnd := len(pngSig) + 12 + 13
	var b bytes.Buffer
	b.Write(plain[:ihdrEnd])
	b.Write(pngChunk("eXIf", phoneEXIF(3)))
	b.Write(pngChunk("tEXt", []byte("Comment\x00Taken at 1 Quay St")))
	b.Write(pngChunk("iTXt", []byte("XML:com.adobe.xmp\x00\x00\x00\x00\x00<x:xmpmeta>GPSLatitude</x:xmpmeta>")))
	b.Write(pngChunk("pHYs", []byte{0, 0, 11, 19, 0, 0, 11, 19, 1}))
	b.Write(plain[ihdrEnd:])
	b.WriteString("trailer PracticeCam")
	in := b.Bytes()
	if pngOrientation(in) != 3 || !HasEXIF(in) {
		t.Fatal("the test PNG should carry EXIF")
	}
	out, err := StripMetadata(in)
	if err != nil {
		t.Fatal(err)
	}
	assertClean(t, "stripped PNG", out)
	samePixels(t, decodeAny(t, plain), decodeAny(t, out))
	if pngOrientation(out) != 3 || !bytes.Contains(out, []byte("pHYs")) || bytes.Contains(out, []byte("tEXt")) {
		t.Errorf("orientation %d, pHYs kept %v", pngOrientation(out), bytes.Contains(out, []byte("pHYs")))
	}
	// Every chunk's checksum is right.
	for i := len(pngSig); i < len(out); {
		n := int(binary.BigEndian.Uint32(out[i:]))
		if crc32.ChecksumIEEE(out[i+4:i+8+n]) != binary.BigEndian.Uint32(out[i+8+n:]) {
			t.Fatalf("bad CRC on %s", out[i+4:i+8])
		}
		i += 12 + n
	}
}

func TestStripMetadataRefusesDamagedWithoutPanic(t *testing.T) {
	in, _ := gpsJPEG(t, 6)
	for _, cut := range []int{3, 10, 40, 200, len(in) / 2} {
		if _, err := StripMetadata(in[:cut]); app.ErrorCode(err) != app.EINVALID {
			t.Errorf("cut at %d: %v", cut, err)
		}
	}
	p := encodePNG(t, photoLike(8, 8, false))
	if _, err := StripMetadata(p[:len(p)-6]); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("truncated PNG: %v", err)
	}
	if _, err := StripMetadata([]byte("GIF89a....")); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("GIF: %v", err)
	}
}

func FuzzStripMetadata(f *testing.F) {
	f.Add([]byte{0xFF, 0xD8, 0xFF, 0xD9})
	f.Add([]byte(pngSig))
	f.Fuzz(func(t *testing.T, data []byte) {
		out, err := StripMetadata(data)
		if err == nil && len(out) > len(data)+64 {
			t.Fatalf("grew from %d to %d", len(data), len(out))
		}
	})
}
