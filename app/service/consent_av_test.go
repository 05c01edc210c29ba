package service_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"practicepost/app"
	"practicepost/app/consent"
	"practicepost/app/service"
)

// ftypFile is the smallest ISO base media file a browser would recognise:
// an ftyp box (size, "ftyp", major brand, minor version, compatible
// brands) followed by a free box of filler so files differ by seed.
func ftypFile(major string, compatible []string, seed byte) []byte {
	var b bytes.Buffer
	size := 16 + 4*len(compatible)
	binary.Write(&b, binary.BigEndian, uint32(size))
	b.WriteString("ftyp" + major)
	binary.Write(&b, binary.BigEndian, uint32(0x200))
	for _, c := range compatible {
		b.WriteString(c)
	}
	binary.Write(&b, binary.BigEndian, uint32(8+64))
	b.WriteString("free")
	b.Write(bytes.Repeat([]byte{seed}, 64))
	return b.Bytes()
}

// mp3Frames is two MPEG-1 layer III frames (128 kbit/s, 44.1 kHz: 417 bytes each).
func mp3Frames() []byte {
	f := append([]byte{0xFF, 0xFB, 0x90, 0x00}, make([]byte, 413)...)
	return append(append([]byte{}, f...), f...)
}

func TestUploadVideoAndRecording(t *testing.T) {
	w := newConsentWorld(t, "GB")
	for _, c := range []struct {
		name       string
		data       []byte
		kind, mime string
	}{
		{"clip.mp4", ftypFile("isom", []string{"isom", "iso2", "avc1", "mp41"}, 1), "video", "video/mp4"},
		{"clip.mov", ftypFile("qt  ", []string{"qt  "}, 2), "video", "video/quicktime"},
		{"phone.m4v", ftypFile("M4V ", []string{"M4V ", "M4A ", "mp42", "isom"}, 3), "video", "video/mp4"},
		{"voice.m4a", ftypFile("M4A ", []string{"M4A ", "mp42", "isom"}, 4), "audio", "audio/mp4"},
		{"voice.mp3", append([]byte("ID3\x04\x00\x00\x00\x00\x00\x00"), mp3Frames()...), "audio", "audio/mpeg"},
		{"bare.mp3", mp3Frames(), "audio", "audio/mpeg"},
		// The name says nothing: a video called .jpg is still a video.
		{"named-like-a-photo.jpg", ftypFile("mp42", []string{"mp42", "isom"}, 5), "video", "video/mp4"},
		{"smile.png", pngBytes(t, 20, 10), "photo", "image/png"},
	} {
		v, err := w.consents.UploadMedia(c.name, b64(c.data))
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if v.Kind != c.kind || v.MIME != c.mime || v.Size != len(c.data) || v.SHA256 != app.SHA256Hex(c.data) || v.URL != service.MediaURL(v.SHA256) {
			t.Errorf("%s: %+v", c.name, v)
		}
		if c.kind != "photo" && (v.Width != 0 || v.Height != 0) {
			t.Errorf("%s has pixels: %+v", c.name, v)
		}
	}

	db, err := w.core.DB()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		data []byte
		want string
	}{
		{"notes.mp4", []byte("These are my notes, not a video at all."), "PracticePost accepts photos (PNG or JPEG), videos (MP4 or MOV) and recordings (M4A or MP3)"},
		{"song.mp3", []byte("ID3 but not really a tag, just text"), "PracticePost accepts photos"},
		{"photo.heic", ftypFile("heic", []string{"mif1", "heic"}, 6), "PracticePost accepts photos"},
		{"short.mp4", []byte("\x00\x00\x00\x18ftypisom"), "PracticePost accepts photos"},
		{"empty.m4a", nil, "is empty"},
	} {
		_, err := w.consents.UploadMedia(c.name, b64(c.data))
		if app.ErrorCode(err) != app.EINVALID || !strings.Contains(app.ErrorMessage(err), c.want) || !strings.Contains(app.ErrorMessage(err), c.name) {
			t.Errorf("%s: %v", c.name, err)
		}
		if len(c.data) > 0 {
			if _, err := db.Blob(context.Background(), app.SHA256Hex(c.data)); err == nil {
				t.Errorf("%s was stored although refused", c.name)
			}
		}
	}

	big := ftypFile("isom", []string{"isom"}, 7)
	big = append(big, make([]byte, 51<<20-len(big))...)
	_, err = w.consents.UploadMedia("whole-visit.mp4", b64(big))
	if msg := app.ErrorMessage(err); app.ErrorCode(err) != app.EINVALID || !strings.Contains(msg, "50 MB") || !strings.Contains(msg, "Trim the clip") || !strings.Contains(msg, "by other means") {
		t.Fatalf("51 MB video: %v", err)
	}
	if _, err := db.Blob(context.Background(), app.SHA256Hex(big)); err == nil {
		t.Fatal("the 51 MB video was stored")
	}
}

func TestMediaServedWithRanges(t *testing.T) {
	w := newConsentWorld(t, "GB")
	data := ftypFile("isom", []string{"isom", "mp41"}, 9)
	v := w.upload(t, "clip.mp4", data)
	h := service.AssetHandler(w.core)
	req := httptest.NewRequest("GET", v.URL, nil)
	req.Header.Set("Range", "bytes=4-11")
	rr := httptest.NewRecorder()
	h.ServeHTTP(rr, req)
	if rr.Code != 206 || rr.Header().Get("Content-Type") != "video/mp4" || rr.Body.String() != "ftypisom" ||
		rr.Header().Get("Content-Range") != "bytes 4-11/"+strconv.Itoa(len(data)) || rr.Header().Get("Accept-Ranges") != "bytes" {
		t.Fatalf("range: %d %v %q", rr.Code, rr.Header(), rr.Body.String())
	}
	rr = httptest.NewRecorder()
	h.ServeHTTP(rr, httptest.NewRequest("GET", v.URL, nil))
	if rr.Code != 200 || !bytes.Equal(rr.Body.Bytes(), data) || rr.Header().Get("Cache-Control") == "" {
		t.Fatalf("whole file: %d %v", rr.Code, rr.Header())
	}
	req = httptest.NewRequest("GET", v.URL, nil)
	req.Header.Set("Range", "bytes=5000-6000")
	rr = httptest.NewRecorder()
	h.ServeHTTP(rr, req)
	if rr.Code != 416 {
		t.Fatalf("range past the end: %d", rr.Code)
	}
	a := w.upload(t, "voice.m4a", ftypFile("M4A ", []string{"M4A "}, 9))
	rr = httptest.NewRecorder()
	h.ServeHTTP(rr, httptest.NewRequest("GET", a.URL, nil))
	if rr.Code != 200 || rr.Header().Get("Content-Type") != "audio/mp4" {
		t.Fatalf("recording: %d %v", rr.Code, rr.Header())
	}
}

func TestConsentCoversVideo(t *testing.T) {
	w := newConsentWorld(t, "GB")
	w.setPIN(t)
	p := w.patient(t, "Maya Patel", "1980-03-04")
	video := w.upload(t, "clip.mp4", ftypFile("isom", []string{"isom", "avc1"}, 1))
	voice := w.upload(t, "voice.m4a", ftypFile("M4A ", []string{"M4A "}, 2))
	photo := w.upload(t, "smile.png", pngBytes(t, 40, 30))
	req := w.request(t, p)

	// A kind must match the file it names, both ways.
	for _, m := range []app.ConsentMedia{{SHA256: video.SHA256, Kind: "photo"}, {SHA256: video.SHA256, Kind: "audio"}, {SHA256: photo.SHA256, Kind: "video"}, {SHA256: voice.SHA256, Kind: "before_after", Label: "Before"}} {
		bad := req
		bad.Media = []app.ConsentMedia{m}
		if _, err := w.consents.HandToPatient(bad); app.ErrorField(err) != "media" || !strings.Contains(app.ErrorMessage(err), "Mark it as what it is") {
			t.Errorf("%s marked as %s: %v", m.SHA256[:8], m.Kind, err)
		}
	}
	if v, _ := w.consents.Signing(); v.Active {
		t.Fatal("a refused request reached the signing screen")
	}

	req.Media = []app.ConsentMedia{{SHA256: photo.SHA256, Kind: "photo"}, {SHA256: video.SHA256, Kind: "video"}, {SHA256: voice.SHA256, Kind: "audio"}}
	if _, err := w.consents.HandToPatient(req); err != nil {
		t.Fatal(err)
	}
	v, err := w.consents.Signing()
	if err != nil || !v.Active {
		t.Fatalf("signing %+v %v", v, err)
	}
	for _, want := range []string{"- Photo 1 (photo, fingerprint " + photo.SHA256[:16] + ")", "- Video 1 (video, fingerprint " + video.SHA256[:16] + ")", "- Recording 1 (audio, fingerprint " + voice.SHA256[:16] + ")"} {
		if !strings.Contains(v.Preview.Text, want) {
			t.Errorf("the patient is not shown %q:\n%s", want, v.Preview.Text)
		}
	}
	if len(v.Media) != 3 || v.Media[1].Kind != "video" || v.Media[1].URL != video.URL || v.Media[2].Kind != "audio" {
		t.Fatalf("signing screen media %+v", v.Media)
	}

	draft := service.SigningDraft{Identity: []app.IdentityElement{app.IdentityFirstName, app.IdentityVideo, app.IdentityVoice},
		Channels: []app.ConsentChannel{app.ChannelFacebook}, SignerName: "Maya Patel"}
	pv, err := w.consents.Preview(draft)
	if err != nil {
		t.Fatal(err)
	}
	sig := service.SignatureInput{PNGBase64: b64(pngBytes(t, 300, 100)), Strokes: strokes(20), TypedName: "Maya Patel"}
	if _, err := w.consents.Sign(draft, sig, pv.SHA256); err != nil {
		t.Fatal(err)
	}
	st, err := w.lock.Unlock("4821")
	if err != nil || st.SignedConsentID == 0 {
		t.Fatalf("unlock %+v %v", st, err)
	}
	d, err := w.consents.Get(st.SignedConsentID)
	if err != nil {
		t.Fatal(err)
	}
	if d.Text != pv.Text || !strings.Contains(d.Text, "Video 1 (video, fingerprint "+video.SHA256[:16]) {
		t.Fatalf("stored text:\n%s", d.Text)
	}

	db, err := w.core.DB()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	e, err := db.Consent(ctx, st.SignedConsentID)
	if err != nil {
		t.Fatal(err)
	}
	tpl, err := db.Template(ctx, e.Consent.TemplateVersion)
	if err != nil {
		t.Fatal(err)
	}
	rec := consent.Record{Consent: e.Consent, Template: tpl}
	use := consent.Use{Channel: app.ChannelFacebook, Identity: []app.IdentityElement{app.IdentityFirstName, app.IdentityVideo, app.IdentityVoice},
		MediaSHA256: []string{video.SHA256, voice.SHA256}}
	now := w.clock.Now()
	if ps := consent.Validate(rec, use, now); len(ps) != 0 {
		t.Fatalf("the signed video and recording: %+v", ps)
	}
	// A re-encoded or trimmed clip is another file with another hash.
	edited, _ := w.consents.UploadMedia("clip-trimmed.mp4", b64(ftypFile("isom", []string{"isom", "avc1"}, 3)))
	use.MediaSHA256 = []string{edited.SHA256, voice.SHA256}
	ps := consent.Validate(rec, use, now)
	if len(ps) != 1 || ps[0].Code != consent.CodeMediaNotCovered {
		t.Fatalf("a changed video: %+v", ps)
	}
	// Nor can the record itself be edited to cover it unnoticed.
	tampered := e.Consent
	tampered.Media = append([]app.ConsentMedia{}, tampered.Media...)
	tampered.Media[1].SHA256 = edited.SHA256
	if consent.EvidenceHash(tampered) == e.Consent.EvidenceHash || consent.EvidenceHash(e.Consent) != e.Consent.EvidenceHash {
		t.Fatal("the evidence hash does not cover the video's hash")
	}
}
