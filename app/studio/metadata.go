package studio

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"

	"practicepost/app"
)

// StripMetadata returns a JPEG or PNG without the data a camera or editor
// adds beside the pixels: EXIF (camera, serial numbers, GPS location, the
// embedded thumbnail), XMP, IPTC, comments, text chunks and anything after
// the end of the image (multi-picture trailers carry their own EXIF). The
// pixels are not decoded or re-encoded, so nothing is lost from them. Only
// what displaying the picture needs stays: the colour profile and, when the
// camera was turned, a minimal EXIF holding just the orientation, so the
// photo still shows upright. Other formats are refused.
func StripMetadata(data []byte) ([]byte, error) {
	switch {
	case bytes.HasPrefix(data, []byte(pngSig)):
		return stripPNG(data)
	case len(data) >= 4 && data[0] == 0xFF && data[1] == 0xD8:
		return stripJPEG(data)
	}
	return nil, app.Errorf(app.EINVALID, "Only JPEG and PNG photos can be cleaned of camera and location data. Export the photo as JPEG and add it again.")
}

const pngSig = "\x89PNG\r\n\x1a\n"

// errStripDamaged is a fresh error each time: callers may wrap or rename it.
func errStripDamaged() error { return app.Errorf(app.EINVALID, "%s", damaged) }

// orientationEXIF is an EXIF block with IFD0 holding only the orientation.
func orientationEXIF(o Orientation) []byte {
	b := []byte("MM\x00\x2a\x00\x00\x00\x08" + // big-endian TIFF header, IFD0 at 8
		"\x00\x01" + // one entry
		"\x01\x12\x00\x03\x00\x00\x00\x01") // tag 0x0112, SHORT, count 1
	b = binary.BigEndian.AppendUint16(b, uint16(o))
	return append(b, 0, 0, 0, 0, 0, 0) // value padding, no next IFD
}

// jpegKeep says whether a marker segment before or between scans is kept:
// everything the decoder needs, JFIF, the ICC colour profile and Adobe's
// colour-transform flag; never EXIF/XMP (APP1), IPTC (APP13), comments or
// any other application segment.
func jpegKeep(m byte, seg []byte) bool {
	switch {
	case m == 0xE0: // APP0: JFIF / JFXX (JFXX may hold a thumbnail)
		return bytes.HasPrefix(seg, []byte("JFIF\x00"))
	case m == 0xE2:
		return bytes.HasPrefix(seg, []byte("ICC_PROFILE\x00"))
	case m == 0xEE:
		return bytes.HasPrefix(seg, []byte("Adobe"))
	case m >= 0xE0 && m <= 0xEF, m == 0xFE:
		return false
	}
	return true
}

func stripJPEG(data []byte) ([]byte, error) {
	o := jpegOrientation(data)
	out := make([]byte, 0, len(data))
	out = append(out, 0xFF, 0xD8)
	if o != 1 {
		exif := append([]byte("Exif\x00\x00"), orientationEXIF(o)...)
		out = append(out, 0xFF, 0xE1)
		out = binary.BigEndian.AppendUint16(out, uint16(len(exif)+2))
		out = append(out, exif...)
	}
	i := 2
	for {
		if i+2 > len(data) || data[i] != 0xFF {
			return nil, errStripDamaged()
		}
		m := data[i+1]
		switch {
		case m == 0xFF: // fill byte
			i++
			continue
		case m == 0xD9: // end of image: whatever follows is dropped
			return append(out, 0xFF, 0xD9), nil
		case m == 0x01 || (m >= 0xD0 && m <= 0xD7) || m == 0xD8:
			return nil, errStripDamaged()
		}
		if i+4 > len(data) {
			return nil, errStripDamaged()
		}
		n := int(binary.BigEndian.Uint16(data[i+2:]))
		if n < 2 || i+2+n > len(data) {
			return nil, errStripDamaged()
		}
		seg := data[i+4 : i+2+n]
		if jpegKeep(m, seg) {
			out = append(out, data[i:i+2+n]...)
		}
		i += 2 + n
		if m != 0xDA {
			continue
		}
		// Entropy-coded data follows a scan header up to the next marker
		// that is not a stuffed 0xFF00 or a restart marker.
		start := i
		for {
			if i+1 >= len(data) {
				return nil, errStripDamaged()
			}
			if data[i] == 0xFF && data[i+1] != 0x00 && !(data[i+1] >= 0xD0 && data[i+1] <= 0xD7) && data[i+1] != 0xFF {
				break
			}
			i++
		}
		out = append(out, data[start:i]...)
	}
}

// pngKeep lists the chunks kept besides the critical ones: transparency,
// colour and pixel-size information a viewer needs to show the picture as
// it was taken. Text (tEXt, zTXt, iTXt: XMP, comments), eXIf and tIME go.
var pngKeep = map[string]bool{"tRNS": true, "gAMA": true, "cHRM": true, "sRGB": true, "iCCP": true, "sBIT": true,
	"bKGD": true, "pHYs": true, "cICP": true, "mDCv": true, "cLLi": true}

func stripPNG(data []byte) ([]byte, error) {
	o := pngOrientation(data)
	out := append(make([]byte, 0, len(data)), pngSig...)
	i := len(pngSig)
	for {
		if i+12 > len(data) {
			return nil, errStripDamaged()
		}
		n := int(binary.BigEndian.Uint32(data[i:]))
		if n < 0 || n > len(data)-i-12 {
			return nil, errStripDamaged()
		}
		typ := string(data[i+4 : i+8])
		chunk := data[i : i+12+n]
		critical := typ[0] >= 'A' && typ[0] <= 'Z'
		if typ == "IDAT" && o != 1 {
			// eXIf must precede the image data; write it before the first IDAT.
			out = appendPNGChunk(out, "eXIf", orientationEXIF(o))
			o = 1
		}
		if critical || pngKeep[typ] {
			out = append(out, chunk...)
		}
		i += 12 + n
		if typ == "IEND" {
			return out, nil
		}
	}
}

func appendPNGChunk(out []byte, typ string, body []byte) []byte {
	out = binary.BigEndian.AppendUint32(out, uint32(len(body)))
	start := len(out)
	out = append(out, typ...)
	out = append(out, body...)
	return binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(out[start:]))
}
