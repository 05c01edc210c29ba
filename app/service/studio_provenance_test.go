package service_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"slices"
	"strings"
	"testing"
	"time"

	"practicepost/app"
	"practicepost/app/service"
	"practicepost/app/store"
	"practicepost/app/studio"
)

// gpsPhoto is a JPEG as a phone writes it: an EXIF block with the camera
// make, the orientation (6: turned a quarter) and a GPS IFD with latitude
// and longitude, then the image.
func gpsPhoto(t *testing.T, w, h int, shade uint8) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.RGBA{shade, uint8(x * 255 / w), uint8(y * 255 / h), 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	le := binary.LittleEndian
	tf := []byte("II")
	tf = le.AppendUint16(tf, 42)
	tf = le.AppendUint32(tf, 8)
	entry := func(tag, typ uint16, count, value uint32) {
		tf = le.AppendUint16(tf, tag)
		tf = le.AppendUint16(tf, typ)
		tf = le.AppendUint32(tf, count)
		tf = le.AppendUint32(tf, value)
	}
	gps := uint32(8 + 2 + 3*12 + 4)
	mk := gps + 2 + 2*12 + 4
	lat := mk + 12
	tf = le.AppendUint16(tf, 3)
	entry(0x010F, 2, 12, mk) // Make
	entry(0x0112, 3, 1, 6)   // Orientation
	entry(0x8825, 4, 1, gps) // GPS IFD
	tf = le.AppendUint32(tf, 0)
	tf = le.AppendUint16(tf, 2)
	entry(0x0001, 2, 2, 'N') // GPSLatitudeRef
	entry(0x0002, 5, 3, lat) // GPSLatitude
	tf = le.AppendUint32(tf, 0)
	tf = append(tf, "HarbourCam\x00\x00"...)
	for _, v := range []uint32{50, 1, 9, 1, 1234, 100} {
		tf = le.AppendUint32(tf, v)
	}
	seg := append([]byte("Exif\x00\x00"), tf...)
	out := []byte{0xFF, 0xD8, 0xFF, 0xE1}
	out = binary.BigEndian.AppendUint16(out, uint16(len(seg)+2))
	out = append(out, seg...)
	return append(out, buf.Bytes()[2:]...)
}

// latitude is the GPS latitude as gpsPhoto stores it (50/1, 9/1).
var latitude = []byte{50, 0, 0, 0, 1, 0, 0, 0, 9, 0, 0, 0, 1, 0, 0, 0}

// provWorld is a practice with consent settings and a Studio on one data file.
type provWorld struct {
	*consentWorld
	db     *store.DB
	studio *service.StudioService
}

func newProvWorld(t *testing.T) *provWorld {
	t.Helper()
	w := &provWorld{consentWorld: newConsentWorld(t, "GB")}
	w.db, _ = w.core.DB()
	w.studio = service.NewStudioService(w.core)
	return w
}

// photoConsent stores a consent signed an hour ago that covers media and
// allows what identity lists, on Facebook, for twelve months.
func (w *provWorld) photoConsent(t *testing.T, name string, media []app.ConsentMedia, identity ...app.IdentityElement) app.Consent {
	t.Helper()
	pv := w.patient(t, name, "1980-03-04")
	return storeConsent(t, w.db, pv.Patient, w.clock.T.Add(-time.Hour), terms{identity: append([]app.IdentityElement{app.IdentityAnonymous}, identity...),
		channels: []app.ConsentChannel{app.ChannelFacebook}, media: media, address: "12 Quay Street, Falmouth TR11 3HH"}).Consent
}

// A new consent photo loses its camera and location data before it is
// hashed: the hash the consent records is the clean file's, the stored
// bytes are the clean file, and the photo still shows upright. A file
// already stored as signed evidence is left exactly as it was.
func TestConsentPhotoLosesLocationBeforeItIsHashed(t *testing.T) {
	w := newProvWorld(t)
	orig := gpsPhoto(t, 60, 40, 90)
	if !bytes.Contains(orig, []byte("HarbourCam")) || !bytes.Contains(orig, latitude) {
		t.Fatal("the test photo should carry its camera and GPS data")
	}
	// Evidence from before: the same original file stored as it was signed.
	err := w.db.Tx(context.Background(), func(tx *store.Tx) error {
		_, err := tx.PutBlob(context.Background(), orig, "image/jpeg", 60, 40)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}

	v := w.upload(t, "IMG_2231.jpg", orig)
	blob, err := w.db.Blob(context.Background(), v.SHA256)
	if err != nil {
		t.Fatal(err)
	}
	if v.SHA256 == app.SHA256Hex(orig) || v.SHA256 != app.SHA256Hex(blob.Data) || v.Size != len(blob.Data) {
		t.Fatalf("the hash must be of the stripped bytes: %s (orig %s, stored %s)", v.SHA256, app.SHA256Hex(orig), app.SHA256Hex(blob.Data))
	}
	if bytes.Contains(blob.Data, latitude) || bytes.Contains(blob.Data, []byte("HarbourCam")) || bytes.Contains(blob.Data, []byte{0x25, 0x88}) {
		t.Fatal("the stored consent photo still carries GPS or camera data")
	}
	src, err := studio.Load(blob.Data)
	if err != nil {
		t.Fatal(err)
	}
	if info := src.Info(); info.Orientation != 6 || info.DisplayWidth != 40 || info.DisplayHeight != 60 {
		t.Fatalf("the photo no longer shows upright: %+v", info)
	}
	if v.Width != 60 || v.Height != 40 || v.Kind != "photo" {
		t.Fatalf("view %+v", v)
	}
	old, err := w.db.Blob(context.Background(), app.SHA256Hex(orig))
	if err != nil || !bytes.Equal(old.Data, orig) {
		t.Fatalf("signed evidence changed: %v", err)
	}
	// A PNG with nothing beside its pixels is stored byte for byte.
	plain := pngBytes(t, 30, 20)
	if pv := w.upload(t, "smile.png", plain); pv.SHA256 != app.SHA256Hex(plain) {
		t.Fatal("a clean PNG was changed")
	}
}

func TestStudioPhotoFromConsentKeepsItsSourceInEverySize(t *testing.T) {
	w := newProvWorld(t)
	smile := w.upload(t, "smile.jpg", gpsPhoto(t, 900, 700, 40))
	before := w.upload(t, "before.jpg", gpsPhoto(t, 800, 800, 120))
	after := w.upload(t, "after.jpg", gpsPhoto(t, 800, 800, 200))
	c := w.photoConsent(t, "Mary Owen", []app.ConsentMedia{
		{SHA256: smile.SHA256, Kind: "photo", Label: "Smile"},
		{SHA256: before.SHA256, Kind: "before_after", Label: "Before"},
		{SHA256: after.SHA256, Kind: "before_after", Label: "After"},
	}, app.IdentityFirstName, app.IdentityFace, app.IdentityBeforeAfter)

	list, err := w.studio.ConsentPhotos()
	if err != nil || len(list) != 1 || !list[0].Usable || list[0].PatientName != "Mary Owen" || len(list[0].Photos) != 3 || !list[0].FaceAllowed || !list[0].BeforeAfterAllowed {
		t.Fatalf("consent photos: %v %+v", err, list)
	}

	p, err := w.studio.PhotoFromConsent(c.ID, smile.SHA256, true)
	if err != nil {
		t.Fatal(err)
	}
	want := app.ImageSource{Kind: app.SourceConsent, ConsentID: c.ID, MediaSHA256: smile.SHA256, Shows: []app.IdentityElement{app.IdentityFace}}
	if p.Source.Kind != want.Kind || p.Source.ConsentID != c.ID || !slices.Equal(p.Source.Shows, want.Shows) || p.Name != "Smile" ||
		!strings.Contains(p.SourceLabel, "shows the face") || p.Width != 700 || p.Height != 900 {
		t.Fatalf("photo %+v", p)
	}
	// Cropped and redacted, it is still that consent's photo in every size.
	d := service.StudioDesign{Template: "tip", Layout: "photo", Fields: map[string]string{"title": "Smile!", "body": "Book a check-up."},
		Photos: map[string]service.StudioPhotoInput{"main": {PhotoID: p.ID, Focus: studio.Point{X: 0.3, Y: 0.2},
			Redactions: []studio.Redaction{{Box: studio.Rect{X: 0.6, Y: 0.6, W: 0.2, H: 0.2}, Mode: studio.RedactBlur}}}}}
	lib := keepDesign(t, w.studio, d)
	for _, m := range lib.Items {
		if !m.SourcesKnown || len(m.Sources) != 1 || m.Sources[0].ConsentID != c.ID || m.Sources[0].MediaSHA256 != smile.SHA256 ||
			!slices.Equal(m.Sources[0].Shows, want.Shows) || m.Attribution != "" {
			t.Fatalf("%s: %+v", m.SizeID, m.Media)
		}
		raw, _ := w.db.Blob(context.Background(), m.SHA256)
		if studio.HasEXIF(raw.Data) || bytes.Contains(raw.Data, latitude) {
			t.Fatalf("%s carries metadata", m.SizeID)
		}
	}
	if len(lib.Items) != len(studio.Sizes) {
		t.Fatalf("kept %d sizes", len(lib.Items))
	}
	if got := lib.Items[0].Provenance; got != fmt.Sprintf("From consent %d · shows the face", c.ID) {
		t.Fatalf("library says %q", got)
	}

	// Before and after: both photos, in slot order, each recorded as a
	// before-and-after; "shows the face" left unticked.
	pb, err := w.studio.PhotoFromConsent(c.ID, before.SHA256, false)
	if err != nil {
		t.Fatal(err)
	}
	pa, err := w.studio.PhotoFromConsent(c.ID, after.SHA256, false)
	if err != nil {
		t.Fatal(err)
	}
	ba := keepDesign(t, w.studio, service.StudioDesign{Template: "beforeafter", Layout: "side", Fields: map[string]string{"caption": "Whitening"},
		Photos: map[string]service.StudioPhotoInput{"before": {PhotoID: pb.ID}, "after": {PhotoID: pa.ID}}})
	for _, m := range ba.Items {
		if len(m.Sources) != 2 || m.Sources[0].MediaSHA256 != before.SHA256 || m.Sources[1].MediaSHA256 != after.SHA256 ||
			!slices.Equal(m.Sources[0].Shows, []app.IdentityElement{app.IdentityBeforeAfter}) {
			t.Fatalf("%s: %+v", m.SizeID, m.Sources)
		}
	}

	// A photo placed in a slot the layout does not draw is not in the
	// image: the classic quote card shows only brand colours.
	card := keepDesign(t, w.studio, service.StudioDesign{Template: "testimonial", Layout: "classic", WordsOf: app.AttributionNotPatient,
		Fields:      map[string]string{"quote": "Prevention beats cure."},
		Attribution: &studio.AttributionSpec{Mode: studio.AttrFullName, Name: "Dr Amy Shah"},
		Photos:      map[string]service.StudioPhotoInput{"main": {PhotoID: p.ID}}})
	if m := card.Items[0]; !m.SourcesKnown || len(m.Sources) != 0 || m.Attribution != app.AttributionNotPatient {
		t.Fatalf("classic card %+v", m.Media)
	}
	if got := card.Items[0].Provenance; got != "No photo; words of a team member or public figure" {
		t.Fatalf("library says %q", got)
	}
	// A solid background does not draw the background photo either.
	band := keepDesign(t, w.studio, service.StudioDesign{Template: "caption", Layout: "band", Fields: map[string]string{"caption": "Open Saturdays"},
		Background: studio.Background{Kind: "solid", Color: "primary"}, Photos: map[string]service.StudioPhotoInput{"main": {PhotoID: p.ID}}})
	if m := band.Items[0]; !m.SourcesKnown || len(m.Sources) != 0 {
		t.Fatalf("solid band %+v", m.Sources)
	}
}

func keepDesign(t *testing.T, s *service.StudioService, d service.StudioDesign) service.StudioLibrary {
	t.Helper()
	r, err := s.Render(d)
	if err != nil {
		t.Fatal(err)
	}
	lib, err := s.Keep(r.ID, "A design for the practice", true)
	if err != nil {
		t.Fatal(err)
	}
	return lib
}

func TestStudioDeclaredPhotoAndRefusalsWithoutProvenance(t *testing.T) {
	w := newProvWorld(t)
	room := noisyJPEG(t, 500, 400)
	for _, declared := range []string{"", "patient", "selfie"} {
		if _, err := w.studio.UploadPhoto("room.jpg", b64(room), declared); app.ErrorField(err) != "source" || !strings.Contains(app.ErrorMessage(err), "From a patient's consent") {
			t.Fatalf("declared %q: %v", declared, err)
		}
	}
	p, err := w.studio.UploadPhoto("room.jpg", b64(room), "premises")
	if err != nil {
		t.Fatal(err)
	}
	if p.Source.Kind != app.SourceDeclared || p.Source.Declared != "premises" || p.Source.ConsentID != 0 || !strings.Contains(p.SourceLabel, "premises") {
		t.Fatalf("declared photo %+v", p)
	}
	// The same file declared differently is a different photo.
	p2, err := w.studio.UploadPhoto("room.jpg", b64(room), "stock")
	if err != nil || p2.ID == p.ID {
		t.Fatalf("same pixels, other declaration: %v %s %s", err, p2.ID, p.ID)
	}
	lib := keepDesign(t, w.studio, service.StudioDesign{Template: "caption", Layout: "panel", Fields: map[string]string{"caption": "Our new surgery"},
		Photos: map[string]service.StudioPhotoInput{"main": {PhotoID: p.ID}}})
	for _, m := range lib.Items {
		if len(m.Sources) != 1 || m.Sources[0].Kind != app.SourceDeclared || m.Sources[0].Declared != "premises" || !m.SourcesKnown {
			t.Fatalf("%s: %+v", m.SizeID, m.Sources)
		}
	}
	page, _ := w.db.ListAudit(context.Background(), 1, 0)
	if a := page.Entries[0]; a.Action != "media.keep" || a.Detail["photos"] != "declared premises" {
		t.Fatalf("audit %+v", a)
	}

	// A patient's consent photo cannot come back in as "stock".
	smileFile := gpsPhoto(t, 300, 300, 10)
	smile := w.upload(t, "smile.jpg", smileFile)
	c := w.photoConsent(t, "Mary Owen", []app.ConsentMedia{{SHA256: smile.SHA256, Kind: "photo", Label: "Smile"}}, app.IdentityFirstName)
	stored, _ := w.db.Blob(context.Background(), smile.SHA256)
	if _, err := w.studio.UploadPhoto("smile.jpg", b64(stored.Data), "stock"); app.ErrorField(err) != "source" || !strings.Contains(app.ErrorMessage(err), "a patient's photo") {
		t.Fatalf("laundering a consent photo: %v", err)
	}
	// Nor the original file from the phone, GPS and all.
	if _, err := w.studio.UploadPhoto("IMG_0001.jpg", b64(smileFile), "team"); app.ErrorField(err) != "source" || !strings.Contains(app.ErrorMessage(err), "a patient's photo") {
		t.Fatalf("laundering the original of a consent photo: %v", err)
	}

	// Consent photos are checked when chosen.
	if _, err := w.studio.PhotoFromConsent(9999, smile.SHA256, false); app.ErrorField(err) != "source" {
		t.Fatalf("unknown consent: %v", err)
	}
	if _, err := w.studio.PhotoFromConsent(c.ID, app.SHA256Hex([]byte("other")), false); app.ErrorField(err) != "source" || !strings.Contains(app.ErrorMessage(err), "not one this consent covers") {
		t.Fatalf("media not covered: %v", err)
	}
	// This consent does not allow the face.
	_, err = w.studio.PhotoFromConsent(c.ID, smile.SHA256, true)
	if app.ErrorField(err) != "source" || !strings.Contains(app.ErrorMessage(err), "face") || !strings.Contains(app.ErrorMessage(err), "blur the face") {
		t.Fatalf("face not allowed: %v", err)
	}
	if _, err := w.studio.PhotoFromConsent(c.ID, smile.SHA256, false); err != nil {
		t.Fatalf("without the face: %v", err)
	}
	// Withdrawn: refused, and listed as unusable with the reason.
	if err := w.db.RevokeConsent(context.Background(), app.ConsentRevocation{ConsentID: c.ID, At: w.clock.T.Add(-time.Minute), ReceivedBy: "email", RecordedAt: w.clock.T}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.studio.PhotoFromConsent(c.ID, smile.SHA256, false); app.ErrorField(err) != "source" || !strings.Contains(app.ErrorMessage(err), "withdrew") {
		t.Fatalf("withdrawn consent: %v", err)
	}
	list, _ := w.studio.ConsentPhotos()
	if len(list) != 1 || list[0].Usable || !strings.Contains(list[0].Reason, "withdrew") {
		t.Fatalf("listed %+v", list)
	}
	// Expired: a consent that ended yesterday is refused too.
	fresh := w.upload(t, "fresh.jpg", gpsPhoto(t, 200, 200, 77))
	c2 := w.photoConsent(t, "Ann Lee", []app.ConsentMedia{{SHA256: fresh.SHA256, Kind: "photo", Label: "Smile"}}, app.IdentityFirstName)
	w.clock.T = w.clock.T.AddDate(1, 0, 2)
	if _, err := w.studio.PhotoFromConsent(c2.ID, fresh.SHA256, false); app.ErrorField(err) != "source" || !strings.Contains(app.ErrorMessage(err), "expired") {
		t.Fatalf("expired consent: %v", err)
	}
}

// A quote card typed by hand must say whose words it carries; one made
// from a testimonial carries the patient's.
func TestStudioQuoteCardSaysWhoseWords(t *testing.T) {
	w := newQuoteWorld(t)
	hand := service.StudioDesign{Template: "testimonial", Layout: "classic", Fields: map[string]string{"quote": "Prevention beats cure."},
		Attribution: &studio.AttributionSpec{Mode: studio.AttrInitials, Name: "Amy Shah"}}
	if _, err := w.studio.Render(hand); app.ErrorField(err) != "wordsOf" {
		t.Fatalf("hand-typed card without whose words: %v", err)
	}
	pv, err := w.studio.Preview(hand, "square", 300)
	if err != nil || !slices.ContainsFunc(pv.Warnings, func(s string) bool { return strings.Contains(s, "whose words") }) {
		t.Fatalf("preview should say what is missing: %v %v", err, pv.Warnings)
	}
	odd := hand
	odd.WordsOf = "patient"
	if _, err := w.studio.Render(odd); app.ErrorField(err) != "wordsOf" {
		t.Fatalf("unknown wordsOf: %v", err)
	}
	hand.WordsOf = app.AttributionNotPatient
	pv, _ = w.studio.Preview(hand, "square", 300)
	if !slices.ContainsFunc(pv.Warnings, func(s string) bool { return strings.Contains(s, "Initials read like a patient's") }) {
		t.Fatalf("initials on a not-a-patient card: %v", pv.Warnings)
	}
	if m := w.card(t, hand); m.Attribution != app.AttributionNotPatient || m.TestimonialID != 0 {
		t.Fatalf("hand card %+v", m.Media)
	}
	if m := w.card(t, fromTestimonial(w.tm.ID, studio.AttrFirstName)); m.Attribution != app.AttributionTestimonial || m.TestimonialID != w.tm.ID {
		t.Fatalf("testimonial card %+v", m.Media)
	}
	// Designs that quote no one carry no attribution and need none.
	if m := w.card(t, service.StudioDesign{Template: "tip", Fields: map[string]string{"title": "Floss", "body": "Daily."}}); m.Attribution != "" || !m.SourcesKnown {
		t.Fatalf("tip %+v", m.Media)
	}
}

// Home lists images whose provenance is unknown and lets the manager
// declare them; the declaration covers every size and is in the log.
func TestHomeImagesWaitingForTheirSource(t *testing.T) {
	w := newProvWorld(t)
	items := make([]app.NewMedia, 3)
	for i := range items {
		items[i] = app.NewMedia{Data: noisyJPEG(t, 40+i, 40), MIME: "image/jpeg", Template: "team", Layout: "circle", SizeID: studio.Sizes[i].ID, Width: 40 + i, Height: 40}
	}
	if _, err := w.db.KeepMedia(context.Background(), "old-set", "Our hygienist", items); err != nil {
		t.Fatal(err)
	}
	list, err := w.studio.UnplacedImages()
	if err != nil || len(list) != 1 || list[0].SetID != "old-set" || list[0].Sizes != 3 || !list[0].SourcesUnknown || list[0].URL != service.MediaURL(list[0].SHA256) {
		t.Fatalf("waiting: %v %+v", err, list)
	}
	if lib, _ := w.studio.Library(10, 0); lib.Items[0].Provenance != "Photo source not recorded: say what it shows on Home" {
		t.Fatalf("library says %q", lib.Items[0].Provenance)
	}
	if _, err := w.studio.DeclareImage("old-set", app.ImageDeclaration{Declared: "patient"}); app.ErrorField(err) != "declared" {
		t.Fatalf("bad declaration: %v", err)
	}
	after, err := w.studio.DeclareImage("old-set", app.ImageDeclaration{Declared: "team"})
	if err != nil || len(after) != 0 {
		t.Fatalf("after declaring: %v %+v", err, after)
	}
	set, _ := w.db.MediaSet(context.Background(), "old-set")
	for _, m := range set {
		if !m.SourcesKnown || len(m.Sources) != 1 || m.Sources[0].Declared != "team" {
			t.Fatalf("%+v", m)
		}
	}
}

// A damaged photo is refused at intake, naming the file, and nothing is stored.
func TestConsentPhotoDamagedIsRefusedNamingTheFile(t *testing.T) {
	w := newProvWorld(t)
	good := gpsPhoto(t, 60, 40, 90)
	cut := good[:len(good)-len(good)/3]
	_, err := w.consents.UploadMedia("IMG_2231.jpg", b64(cut))
	if app.ErrorCode(err) != app.EINVALID || !strings.Contains(app.ErrorMessage(err), "IMG_2231.jpg") {
		t.Fatalf("damaged photo: %v", err)
	}
	if _, err := w.db.Blob(context.Background(), app.SHA256Hex(cut)); app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatalf("a refused photo was stored: %v", err)
	}
}
