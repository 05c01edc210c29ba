package app

import (
	"bytes"
	"encoding/binary"
)

// AVMaxBytes bounds a video or recording. Every upload travels through the
// bridge as base64 and is kept inside the one database file, so a longer
// clip belongs elsewhere.
const AVMaxBytes = 50 << 20

// AVInfo is what the header says about a video or audio recording.
type AVInfo struct {
	Kind   string `json:"kind"` // "video" or "audio"
	MIME   string `json:"mime"`
	Size   int    `json:"size"`
	SHA256 string `json:"sha256"`
}

// AcceptedMedia names every kind of file a consent can cover, for messages.
const AcceptedMedia = "photos (PNG or JPEG), videos (MP4 or MOV) and recordings (M4A or MP3)"

// AVTooLarge is the refusal for a clip past AVMaxBytes.
func AVTooLarge(what string, size int) error {
	return Errorf(EINVALID, "%s is %.1f MB; the most PracticePost accepts for a video or recording is %d MB. Trim the clip to the part that will be used, or send it by other means.", what, float64(size)/(1<<20), AVMaxBytes>>20)
}

// Brands of the ISO base media file format (the ftyp box) that browsers
// play. 3GP and HEIF share the box but are not offered.
var (
	videoBrands = map[string]bool{"isom": true, "iso2": true, "iso4": true, "iso5": true, "iso6": true,
		"mp41": true, "mp42": true, "avc1": true, "M4V ": true, "M4VH": true, "M4VP": true, "MSNV": true, "dash": true}
	audioBrands = map[string]bool{"M4A ": true, "M4B ": true}
)

// SniffAV names the MIME type of a video or recording from its first bytes,
// or returns "" when the data is neither. The file name plays no part: a
// renamed file is judged by what it holds.
func SniffAV(data []byte) string {
	if mime := sniffFtyp(data); mime != "" {
		return mime
	}
	if sniffMP3(data) {
		return "audio/mpeg"
	}
	return ""
}

func sniffFtyp(data []byte) string {
	if len(data) < 16 || string(data[4:8]) != "ftyp" {
		return ""
	}
	size := int(binary.BigEndian.Uint32(data[:4]))
	if size < 16 || size > len(data) || size > 4096 {
		return ""
	}
	switch major := string(data[8:12]); {
	case audioBrands[major]:
		return "audio/mp4"
	case major == "qt  ":
		return "video/quicktime"
	case videoBrands[major]:
		return "video/mp4"
	}
	// An unlisted major brand still plays when a compatible brand is one
	// browsers know.
	for i := 16; i+4 <= size; i += 4 {
		if videoBrands[string(data[i:i+4])] {
			return "video/mp4"
		}
		if audioBrands[string(data[i:i+4])] {
			return "audio/mp4"
		}
	}
	return ""
}

// sniffMP3 accepts an ID3v2 tag or an MPEG audio layer III frame header.
// A bare frame header is only two bytes of sync, so when the data holds
// more than one frame the next header must follow where the first says.
func sniffMP3(data []byte) bool {
	if len(data) >= 10 && bytes.HasPrefix(data, []byte("ID3")) {
		return data[3] >= 2 && data[3] <= 4 && data[4] != 0xFF &&
			data[6] < 0x80 && data[7] < 0x80 && data[8] < 0x80 && data[9] < 0x80
	}
	n, ok := mp3Frame(data)
	if !ok {
		return false
	}
	if len(data) >= n+4 {
		_, ok = mp3Frame(data[n:])
	}
	return ok
}

var (
	mp3Bitrates1 = [16]int{0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 0}
	mp3Bitrates2 = [16]int{0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160, 0}
	mp3Rates     = [4][3]int{{11025, 12000, 8000}, {}, {22050, 24000, 16000}, {44100, 48000, 32000}} // by version bits
)

// mp3Frame reads a layer III frame header and returns the frame's length.
func mp3Frame(h []byte) (int, bool) {
	if len(h) < 4 || h[0] != 0xFF || h[1]&0xE0 != 0xE0 {
		return 0, false
	}
	version := (h[1] >> 3) & 3 // 0: MPEG 2.5, 1: reserved, 2: MPEG 2, 3: MPEG 1
	layer := (h[1] >> 1) & 3   // 1: layer III
	bi, ri := h[2]>>4, (h[2]>>2)&3
	if version == 1 || layer != 1 || bi == 0 || bi == 15 || ri == 3 {
		return 0, false
	}
	rate := mp3Rates[version][ri]
	pad := int(h[2]>>1) & 1
	if version == 3 {
		return 144*mp3Bitrates1[bi]*1000/rate + pad, true
	}
	return 72*mp3Bitrates2[bi]*1000/rate + pad, true
}

// InspectAV checks an uploaded video or recording. what names the file in
// messages ("The file clip.mp4").
func InspectAV(data []byte, what string) (AVInfo, error) {
	if len(data) == 0 {
		return AVInfo{}, Errorf(EINVALID, "%s is empty. PracticePost accepts %s.", what, AcceptedMedia)
	}
	if len(data) > AVMaxBytes {
		return AVInfo{}, AVTooLarge(what, len(data))
	}
	mime := SniffAV(data)
	if mime == "" {
		return AVInfo{}, Errorf(EINVALID, "%s is not a video or recording PracticePost can play (it may be damaged, or another kind of file renamed). PracticePost accepts %s.", what, AcceptedMedia)
	}
	kind := "video"
	if mime == "audio/mp4" || mime == "audio/mpeg" {
		kind = "audio"
	}
	return AVInfo{Kind: kind, MIME: mime, Size: len(data), SHA256: SHA256Hex(data)}, nil
}
