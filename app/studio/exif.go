package studio

import (
	"bytes"
	"encoding/binary"
)

// Orientation is the EXIF orientation tag (1..8): how the camera's stored
// pixels must be turned to look upright. 1 means "already upright".
type Orientation int

// jpegOrientation reads the EXIF orientation from a JPEG's APP1 segment. It
// never fails: anything it cannot read means 1, because a wrongly rotated
// preview is recoverable (the user sees it) while a refused photo is not.
func jpegOrientation(data []byte) Orientation {
	if len(data) < 4 || data[0] != 0xFF || data[1] != 0xD8 {
		return 1
	}
	i := 2
	for i+4 <= len(data) {
		if data[i] != 0xFF {
			return 1
		}
		m := data[i+1]
		switch {
		case m == 0xFF: // fill byte before a marker
			i++
			continue
		case m == 0x01 || m == 0xD8 || (m >= 0xD0 && m <= 0xD7):
			i += 2
			continue
		case m == 0xDA || m == 0xD9: // image data starts: APP segments are behind us
			return 1
		}
		n := int(binary.BigEndian.Uint16(data[i+2:]))
		if n < 2 || i+2+n > len(data) {
			return 1
		}
		seg := data[i+4 : i+2+n]
		if m == 0xE1 && bytes.HasPrefix(seg, []byte("Exif\x00\x00")) {
			return tiffOrientation(seg[6:])
		}
		i += 2 + n
	}
	return 1
}

// pngOrientation reads the orientation from a PNG eXIf chunk, which browsers
// honour, so a PNG exported by a phone looks the same here as there.
func pngOrientation(data []byte) Orientation {
	const sig = "\x89PNG\r\n\x1a\n"
	if !bytes.HasPrefix(data, []byte(sig)) {
		return 1
	}
	i := len(sig)
	for i+8 <= len(data) {
		n := int(binary.BigEndian.Uint32(data[i:]))
		typ := string(data[i+4 : i+8])
		if n < 0 || n > len(data)-i-12 {
			return 1
		}
		switch typ {
		case "eXIf":
			return tiffOrientation(data[i+8 : i+8+n])
		case "IDAT", "IEND": // eXIf must come before the image data
			return 1
		}
		i += 12 + n
	}
	return 1
}

// tiffOrientation finds tag 0x0112 in IFD0 of a TIFF-structured EXIF block.
func tiffOrientation(t []byte) Orientation {
	if len(t) < 8 {
		return 1
	}
	var bo binary.ByteOrder
	switch string(t[:2]) {
	case "II":
		bo = binary.LittleEndian
	case "MM":
		bo = binary.BigEndian
	default:
		return 1
	}
	if bo.Uint16(t[2:]) != 42 {
		return 1
	}
	off := uint64(bo.Uint32(t[4:]))
	if off+2 > uint64(len(t)) {
		return 1
	}
	count := uint64(bo.Uint16(t[off:]))
	for k := uint64(0); k < count; k++ {
		e := off + 2 + 12*k
		if e+12 > uint64(len(t)) {
			return 1
		}
		if bo.Uint16(t[e:]) != 0x0112 {
			continue
		}
		var v uint32
		switch bo.Uint16(t[e+2:]) {
		case 3: // SHORT, stored left-justified in the value field
			v = uint32(bo.Uint16(t[e+8:]))
		case 4: // LONG: out of spec but written by some tools
			v = bo.Uint32(t[e+8:])
		default:
			return 1
		}
		if v < 1 || v > 8 {
			return 1
		}
		return Orientation(v)
	}
	return 1
}

// HasEXIF reports whether a JPEG carries an APP1 Exif segment (camera data,
// possibly GPS) or a PNG an eXIf chunk. Exports never do; the guard can use
// this to check files that did not come through the studio.
func HasEXIF(data []byte) bool {
	if bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")) {
		i := 8
		for i+8 <= len(data) {
			n := int(binary.BigEndian.Uint32(data[i:]))
			if n < 0 || n > len(data)-i-12 {
				return false
			}
			if string(data[i+4:i+8]) == "eXIf" {
				return true
			}
			i += 12 + n
		}
		return false
	}
	if len(data) < 4 || data[0] != 0xFF || data[1] != 0xD8 {
		return false
	}
	i := 2
	for i+4 <= len(data) {
		if data[i] != 0xFF {
			return false
		}
		m := data[i+1]
		switch {
		case m == 0xFF:
			i++
			continue
		case m == 0x01 || m == 0xD8 || (m >= 0xD0 && m <= 0xD7):
			i += 2
			continue
		case m == 0xDA || m == 0xD9:
			return false
		}
		n := int(binary.BigEndian.Uint16(data[i+2:]))
		if n < 2 || i+2+n > len(data) {
			return false
		}
		if m == 0xE1 && bytes.HasPrefix(data[i+4:i+2+n], []byte("Exif")) {
			return true
		}
		i += 2 + n
	}
	return false
}
