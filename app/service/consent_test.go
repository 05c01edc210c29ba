package service_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"practicepost/app"
	"practicepost/app/consent"
	"practicepost/app/service"
	"practicepost/app/store"
)

// fakeSave is the save dialog: it answers path and remembers the file
// names it was offered.
type fakeSave struct {
	path  string
	asked []string
}

func (f *fakeSave) SaveFile(title, defaultName, patternName, pattern string) (string, error) {
	f.asked = append(f.asked, defaultName)
	return f.path, nil
}

// consentWorld is a started app with a brand kit and consent settings, as a
// practice would have it after the first-run steps.
type consentWorld struct {
	core     *service.Core
	clock    *busyClock
	rec      *recorder
	lock     *service.LockService
	consents *service.ConsentService
	patients *service.PatientService
	testims  *service.TestimonialService
	save     *fakeSave
}

func newConsentWorld(t *testing.T, country string) *consentWorld {
	t.Helper()
	rec := &recorder{}
	clock := &app.FixedClock{T: time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)}
	c := startCore(t, t.TempDir(), rec, nil, clock)
	w := &consentWorld{core: c, clock: &busyClock{FixedClock: clock}, rec: rec, save: &fakeSave{}}
	w.lock = service.NewLockService(c)
	w.clock.lock = w.lock
	w.consents = service.NewConsentService(c, w.lock, w.save)
	w.patients = service.NewPatientService(c, w.lock)
	w.testims = service.NewTestimonialService(c, w.lock)

	brand := service.NewBrandService(c)
	k := brandKit(t, brand)
	k.PracticeName, k.Address, k.Email, k.Country = "Harbour Dental", "12 Quay Street, Falmouth TR11 3HH", "hello@harbour.example", country
	if _, err := brand.Save(k); err != nil {
		t.Fatal(err)
	}
	su, err := w.consents.Setup()
	if err != nil {
		t.Fatal(err)
	}
	if len(su.Missing) != 2 {
		t.Fatalf("missing before settings: %v", su.Missing)
	}
	st := su.Settings
	st.PrivacyNoticeURL, st.WithdrawalMethod = "https://harbour.example/privacy", "email privacy@harbour.example or tell reception"
	if su, err = w.consents.SaveSettings(st); err != nil || len(su.Missing) != 0 {
		t.Fatalf("settings: %v %v", su.Missing, err)
	}
	return w
}

func (w *consentWorld) patient(t *testing.T, name, dob string) service.PatientView {
	t.Helper()
	return w.addPatient(t, service.PatientInput{FullName: name, DateOfBirth: dob, Email: "p@example.com", Ref: "R1"})
}

// addPatient adds the patient as the Patients screen does.
func (w *consentWorld) addPatient(t *testing.T, in service.PatientInput) service.PatientView {
	t.Helper()
	p, err := w.patients.Create(in)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func (w *consentWorld) request(t *testing.T, p service.PatientView) service.ConsentRequest {
	t.Helper()
	return service.ConsentRequest{PatientID: p.Patient.ID, TemplateVersion: w.defaultTemplate(t),
		Quote: "The team made me feel at ease.", Source: "Said in clinic", HealthDetails: "Whitening"}
}

// defaultTemplate is the consent form new requests use.
func (w *consentWorld) defaultTemplate(t *testing.T) string {
	t.Helper()
	su, err := w.consents.Setup()
	if err != nil {
		t.Fatal(err)
	}
	return su.DefaultTemplate
}

// upload adds a photo, video or recording for a consent, as the request
// form's upload does.
func (w *consentWorld) upload(t *testing.T, name string, data []byte) service.MediaView {
	t.Helper()
	v, err := w.consents.UploadMedia(name, b64(data))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// setPIN sets the PIN the tests unlock with, so that handing the screen
// to a patient can lock it.
func (w *consentWorld) setPIN(t *testing.T) {
	t.Helper()
	if _, err := w.lock.SetPIN("4821", "4821"); err != nil {
		t.Fatal(err)
	}
}

func strokes(n int) [][]app.StrokePoint {
	var s []app.StrokePoint
	for i := range n {
		s = append(s, app.StrokePoint{X: float64(10 + 3*i), Y: float64(40 + i%5), T: int64(16 * i)})
	}
	return [][]app.StrokePoint{s}
}

func TestPatientValidation(t *testing.T) {
	w := newConsentWorld(t, "GB")
	cases := []struct {
		in    service.PatientInput
		field string
	}{
		{service.PatientInput{FullName: "A", DateOfBirth: "1980-01-01", Email: "a@b.co"}, "fullName"},
		{service.PatientInput{FullName: "Ann Lee", DateOfBirth: "1980-02-30", Email: "a@b.co"}, "dateOfBirth"},
		{service.PatientInput{FullName: "Ann Lee", DateOfBirth: "21/07/1984", Email: "a@b.co"}, "dateOfBirth"},
		{service.PatientInput{FullName: "Ann Lee", DateOfBirth: "2027-01-01", Email: "a@b.co"}, "dateOfBirth"},
		{service.PatientInput{FullName: "Ann Lee", DateOfBirth: "1880-01-01", Email: "a@b.co"}, "dateOfBirth"},
		{service.PatientInput{FullName: "Ann Lee", DateOfBirth: "1980-01-01", Email: ""}, "email"},
		{service.PatientInput{FullName: "Ann Lee", DateOfBirth: "1980-01-01", Email: "ann@localhost"}, "email"},
		{service.PatientInput{FullName: "Ann Lee", DateOfBirth: "1980-01-01", Email: "Ann <a@b.co>"}, "email"},
		{service.PatientInput{FullName: "Ann Lee", DateOfBirth: "1980-01-01", Email: "a@b.co", Phone: "call me"}, "phone"},
		{service.PatientInput{FullName: "Ann Lee", DateOfBirth: "1980-01-01", Email: "a@b.co", Phone: "123"}, "phone"},
	}
	for _, c := range cases {
		if _, err := w.patients.Create(c.in); app.ErrorField(err) != c.field {
			t.Errorf("%+v: got %v, want a %s error", c.in, err, c.field)
		}
	}
	p := w.addPatient(t, service.PatientInput{FullName: "  Ann   Lee ", DateOfBirth: "2012-11-23", Email: "ann@example.com", Phone: "+44 7700 900123"})
	if p.Patient.FullName != "Ann Lee" || p.Age != 13 || !p.NeedsRepresentative {
		t.Fatalf("patient view %+v", p)
	}
	list, _ := w.patients.List("lee")
	if len(list) != 1 {
		t.Fatalf("search found %d", len(list))
	}
}

func TestPINRulesAndRateLimit(t *testing.T) {
	w := newConsentWorld(t, "GB")
	p := w.patient(t, "Maya Patel", "1980-03-04")
	if _, err := w.consents.HandToPatient(w.request(t, p)); app.ErrorCode(err) != app.ECONFLICT || !strings.Contains(app.ErrorMessage(err), "Set a manager PIN") {
		t.Fatalf("hand over without a PIN: %v", err)
	}
	for _, c := range []struct{ pin, confirm, field string }{
		{"12", "12", "pin"}, {"12ab", "12ab", "pin"}, {"4821", "4822", "confirm"}, {"7777", "7777", "pin"}, {"3456", "3456", "pin"}, {"１２３４", "１２３４", "pin"},
	} {
		if _, err := w.lock.SetPIN(c.pin, c.confirm); app.ErrorField(err) != c.field {
			t.Errorf("PIN %q/%q: %v, want a %s error", c.pin, c.confirm, err, c.field)
		}
	}
	st, err := w.lock.SetPIN("4821", "4821")
	if err != nil || !st.PinSet || st.Locked {
		t.Fatalf("set PIN: %+v %v", st, err)
	}
	if _, err := w.lock.SetPIN("9051", "9051"); app.ErrorCode(err) != app.ECONFLICT {
		t.Fatalf("second SetPIN: %v", err)
	}
	if _, err := w.consents.HandToPatient(w.request(t, p)); err != nil {
		t.Fatal(err)
	}
	if _, err := w.patients.List(""); app.ErrorCode(err) != app.ELOCKED {
		t.Fatalf("patient list while locked: %v", err)
	}
	if _, err := w.lock.ChangePIN("4821", "9051", "9051"); app.ErrorCode(err) != app.ELOCKED {
		t.Fatalf("PIN change while locked: %v", err)
	}

	// Five wrong tries are free; the fifth starts a 30 s wait, then it doubles.
	for i := 1; i <= 5; i++ {
		_, err := w.lock.Unlock("0000")
		if app.ErrorField(err) != "pin" {
			t.Fatalf("wrong PIN %d: %v", i, err)
		}
		if i == 4 && !strings.Contains(app.ErrorMessage(err), "One more try") {
			t.Errorf("4th wrong PIN message: %s", app.ErrorMessage(err))
		}
		if i == 5 && !strings.Contains(app.ErrorMessage(err), "wait 30 seconds") {
			t.Errorf("5th wrong PIN message: %s", app.ErrorMessage(err))
		}
	}
	// Even the right PIN waits.
	if st, err := w.lock.Unlock("4821"); app.ErrorCode(err) != app.EFORBIDDEN || !st.Locked || st.WaitSeconds != 30 {
		t.Fatalf("during the wait: %+v %v", st, err)
	}
	// The lock and the wait survive a restart of the app on the same data.
	home := w.core.Home
	w.core.Stop()
	c2 := service.NewCore(home, nil, nil, w.clock)
	if err := c2.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer c2.Stop()
	lock2 := service.NewLockService(c2)
	if st, _ := lock2.Status(); !st.Locked || st.WaitSeconds != 30 {
		t.Fatalf("after restart: %+v", st)
	}
	w.clock.Advance(31 * time.Second)
	if _, err := lock2.Unlock("1111"); !strings.Contains(app.ErrorMessage(err), "wait 60 seconds") {
		t.Fatalf("6th wrong PIN: %v", err)
	}
	w.clock.Advance(61 * time.Second)
	st, err = lock2.Unlock("4821")
	if err != nil || st.Locked || st.SignedConsentID != 0 {
		t.Fatalf("right PIN: %+v %v", st, err)
	}
	if _, err := service.NewPatientService(c2, lock2).List(""); err != nil {
		t.Fatalf("after unlock: %v", err)
	}
	if _, err := lock2.ChangePIN("0000", "9051", "9051"); app.ErrorField(err) != "current" {
		t.Fatalf("change with a wrong current PIN: %v", err)
	}
	if _, err := lock2.ChangePIN("4821", "9051", "9051"); err != nil {
		t.Fatal(err)
	}
}

func TestSignOnScreenEndToEnd(t *testing.T) {
	w := newConsentWorld(t, "GB")
	w.setPIN(t)
	p := w.patient(t, "Maya Patel", "1980-03-04")
	before := w.upload(t, "before.png", pngBytes(t, 40, 30))
	after := w.upload(t, "after.png", pngBytes(t, 41, 30))
	if _, err := w.consents.UploadMedia("notes.png", base64.StdEncoding.EncodeToString([]byte("not a picture"))); app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("text file as photo: %v", err)
	}
	req := w.request(t, p)
	req.Media = []app.ConsentMedia{{SHA256: before.SHA256, Kind: "before_after", Label: "Before"}, {SHA256: after.SHA256, Kind: "before_after", Label: "After"}}

	bad := req
	bad.Media = append(bad.Media, app.ConsentMedia{SHA256: strings.Repeat("ab", 32), Kind: "photo"})
	if _, err := w.consents.HandToPatient(bad); app.ErrorField(err) != "media" {
		t.Fatalf("unknown photo: %v", err)
	}
	if v, _ := w.consents.Signing(); v.Active {
		t.Fatal("a refused request reached the signing screen")
	}
	if _, err := w.consents.HandToPatient(req); err != nil {
		t.Fatal(err)
	}
	if st, _ := w.lock.Status(); !st.Locked {
		t.Fatal("not locked after handing over")
	}
	v, err := w.consents.Signing()
	if err != nil || !v.Active || v.Signed || v.NeedsRepresentative || v.PatientName != "Maya Patel" {
		t.Fatalf("signing view %+v %v", v, err)
	}
	if !strings.Contains(v.Preview.Text, "- [ ] Facebook") || strings.Contains(v.Preview.Text, "[x]") {
		t.Fatalf("every box starts unticked:\n%s", v.Preview.Text)
	}

	draft := service.SigningDraft{Identity: []app.IdentityElement{app.IdentityFirstName, app.IdentityBeforeAfter},
		Channels: []app.ConsentChannel{app.ChannelFacebook}, SignerName: "Maya Patel"}
	pv, err := w.consents.Preview(draft)
	if err != nil || !strings.Contains(pv.Text, "- [x] Facebook") || !strings.Contains(pv.Text, "- [ ] Instagram") {
		t.Fatalf("preview %v\n%s", err, pv.Text)
	}
	sig := service.SignatureInput{PNGBase64: base64.StdEncoding.EncodeToString(pngBytes(t, 300, 100)), Strokes: strokes(20), TypedName: "Maya Patel"}

	if _, err := w.consents.Sign(draft, sig, v.Preview.SHA256); app.ErrorCode(err) != app.ECONFLICT {
		t.Fatalf("signing with the hash of another text: %v", err)
	}
	none := draft
	none.Channels = nil
	pn, _ := w.consents.Preview(none)
	if _, err := w.consents.Sign(none, sig, pn.SHA256); app.ErrorField(err) != "channels" {
		t.Fatalf("no channel ticked: %v", err)
	}
	dot := sig
	dot.Strokes = strokes(2)
	if _, err := w.consents.Sign(draft, dot, pv.SHA256); app.ErrorField(err) != "signature" {
		t.Fatalf("a dot is not a signature: %v", err)
	}
	typed := sig
	typed.TypedName = "  "
	if _, err := w.consents.Sign(draft, typed, pv.SHA256); app.ErrorField(err) != "typedName" {
		t.Fatalf("no typed name: %v", err)
	}
	if _, err := w.consents.Sign(draft, sig, pv.SHA256); err != nil {
		t.Fatal(err)
	}
	if _, err := w.consents.Sign(draft, sig, pv.SHA256); app.ErrorCode(err) != app.ECONFLICT {
		t.Fatalf("signing twice: %v", err)
	}
	if v, _ := w.consents.Signing(); !v.Signed {
		t.Fatal("the screen does not show the thank-you after signing")
	}
	if _, err := w.consents.List(0); app.ErrorCode(err) != app.ELOCKED {
		t.Fatalf("consent list while the patient still holds the screen: %v", err)
	}
	st, err := w.lock.Unlock("4821")
	if err != nil || st.Locked || st.SignedConsentID == 0 {
		t.Fatalf("unlock %+v %v", st, err)
	}
	id := st.SignedConsentID

	d, err := w.consents.Get(id)
	if err != nil {
		t.Fatal(err)
	}
	cv := d.Consent
	if cv.Status != "valid" || cv.Method != "on_screen" || cv.SignatureURL == "" || cv.LastValidDay != "22 November 2028" || len(d.Takedown) != 0 {
		t.Fatalf("consent view %+v", cv)
	}
	if d.Text != pv.Text {
		t.Fatal("the stored text is not the text the patient saw")
	}

	// The signed copy is served as a PDF from the media URL.
	rr := httptest.NewRecorder()
	service.AssetHandler(w.core).ServeHTTP(rr, httptest.NewRequest("GET", cv.PDFURL, nil))
	if rr.Code != 200 || rr.Header().Get("Content-Type") != "application/pdf" || !bytes.HasPrefix(rr.Body.Bytes(), []byte("%PDF-")) {
		t.Fatalf("PDF at %s: %d %s", cv.PDFURL, rr.Code, rr.Header().Get("Content-Type"))
	}
	w.save.path = filepath.Join(t.TempDir(), "copy")
	saved, err := w.consents.SavePDF(id)
	if err != nil || !strings.HasSuffix(saved, "copy.pdf") {
		t.Fatalf("save %q %v", saved, err)
	}
	if b, _ := os.ReadFile(saved); !bytes.Equal(b, rr.Body.Bytes()) {
		t.Fatal("the saved PDF differs from the stored one")
	}
	if strings.Contains(w.save.asked[0], "Maya") {
		t.Fatalf("the suggested file name carries the patient's name: %s", w.save.asked[0])
	}
	w.save.path = ""
	if p, err := w.consents.SavePDF(id); p != "" || err != nil {
		t.Fatalf("cancelled save: %q %v", p, err)
	}

	// The testimonial made from the consent: Facebook yes, Instagram no.
	ts, err := w.testims.List()
	if err != nil || len(ts) != 1 {
		t.Fatalf("testimonials %d %v", len(ts), err)
	}
	tv := ts[0]
	verdict := func(tv service.TestimonialView, ch app.ConsentChannel) consent.ChannelVerdict {
		for _, v := range tv.Verdicts {
			if v.Channel == ch {
				return v
			}
		}
		t.Fatalf("no verdict for %s", ch)
		return consent.ChannelVerdict{}
	}
	if fb := verdict(tv, app.ChannelFacebook); !fb.MayPublish || fb.MayBoost {
		t.Fatalf("facebook %+v", fb)
	}
	ig := verdict(tv, app.ChannelInstagram)
	if ig.MayPublish || len(ig.Problems) != 1 || ig.Problems[0].Reason != "The consent does not cover Instagram." {
		t.Fatalf("instagram %+v", ig)
	}
	if tv.Publishable != 1 || tv.Testimonial.NameAs != app.IdentityFirstName || tv.Consent == nil {
		t.Fatalf("testimonial view %+v", tv)
	}

	// Withdrawal: blocked everywhere, with the reason; a second one is refused.
	if _, err := w.consents.Revoke(id, "2026-11-23", "email", ""); app.ErrorField(err) != "at" {
		t.Fatalf("withdrawal dated tomorrow: %v", err)
	}
	if _, err := w.consents.Revoke(id, "", "pigeon", ""); app.ErrorField(err) != "receivedBy" {
		t.Fatalf("unknown channel: %v", err)
	}
	w.clock.Advance(time.Hour)
	var hooked []int64
	w.consents.AfterRevoke = func(_ context.Context, cid int64) error { hooked = append(hooked, cid); return nil }
	rv, err := w.consents.Revoke(id, "", "phone", "Called reception")
	if len(hooked) != 1 || hooked[0] != id {
		t.Fatalf("AfterRevoke calls %v", hooked)
	}
	if err != nil || rv.Consent.Status != "revoked" || rv.InWritingRequired {
		t.Fatalf("revoke %+v %v", rv, err)
	}
	if _, err := w.consents.Revoke(id, "", "email", ""); app.ErrorCode(err) != app.ECONFLICT {
		t.Fatalf("second withdrawal: %v", err)
	}
	ts, _ = w.testims.List()
	if ts[0].Publishable != 0 {
		t.Fatalf("still publishable on %d channels after withdrawal", ts[0].Publishable)
	}
	for _, vd := range ts[0].Verdicts {
		if vd.MayPublish || !strings.Contains(vd.Problems[0].Reason+vd.Problems[len(vd.Problems)-1].Reason, "withdrew") {
			t.Errorf("%s after withdrawal: %+v", vd.Channel, vd.Problems)
		}
	}

	// The activity log names ids, never the patient.
	page, _ := service.NewActivityService(w.core).List(0, 200)
	for _, e := range page.Entries {
		for k, v := range e.Detail {
			if strings.Contains(k+v+e.Subject, "Maya") || strings.Contains(k+v+e.Subject, "Patel") {
				t.Fatalf("patient name in the activity log: %+v", e)
			}
		}
	}
}

func TestUSWithdrawalByPhoneNeedsWriting(t *testing.T) {
	w := newConsentWorld(t, "US")
	w.setPIN(t)
	p := w.patient(t, "Jo Smith", "1970-01-02")
	req := w.request(t, p)
	if !strings.HasPrefix(req.TemplateVersion, "us-hipaa") {
		t.Fatalf("US practice defaults to %s", req.TemplateVersion)
	}
	id := signOnScreen(t, w, req, service.SigningDraft{Identity: []app.IdentityElement{app.IdentityAnonymous}, Channels: []app.ConsentChannel{app.ChannelWebsite}})
	rv, err := w.consents.Revoke(id, "", "phone", "")
	if err != nil || !rv.InWritingRequired || !rv.Consent.Revocation.InWritingRequired {
		t.Fatalf("US phone withdrawal: %+v %v", rv, err)
	}
}

// signOnScreen runs the whole hand-over for req and returns the consent id.
func signOnScreen(t *testing.T, w *consentWorld, req service.ConsentRequest, d service.SigningDraft) int64 {
	t.Helper()
	if _, err := w.consents.HandToPatient(req); err != nil {
		t.Fatal(err)
	}
	if d.SignerName == "" {
		d.SignerName = "Signer Name"
	}
	pv, err := w.consents.Preview(d)
	if err != nil {
		t.Fatal(err)
	}
	sig := service.SignatureInput{PNGBase64: base64.StdEncoding.EncodeToString(pngBytes(t, 200, 80)), Strokes: strokes(12), TypedName: d.SignerName}
	if _, err := w.consents.Sign(d, sig, pv.SHA256); err != nil {
		t.Fatal(err)
	}
	st, err := w.lock.Unlock("4821")
	if err != nil {
		t.Fatal(err)
	}
	return st.SignedConsentID
}

func TestMinorNeedsRepresentative(t *testing.T) {
	w := newConsentWorld(t, "GB")
	w.setPIN(t)
	p := w.patient(t, "Leo Brown", "2012-05-05")
	if _, err := w.consents.HandToPatient(w.request(t, p)); err != nil {
		t.Fatal(err)
	}
	v, _ := w.consents.Signing()
	if !v.NeedsRepresentative || len(v.Authorities) == 0 {
		t.Fatalf("signing view for a 14-year-old: %+v", v)
	}
	d := service.SigningDraft{Identity: []app.IdentityElement{app.IdentityInitials}, Channels: []app.ConsentChannel{app.ChannelWebsite}, SignerName: "Leo Brown"}
	sig := service.SignatureInput{PNGBase64: base64.StdEncoding.EncodeToString(pngBytes(t, 200, 80)), Strokes: strokes(12), TypedName: "Leo Brown"}
	pv, _ := w.consents.Preview(d)
	if _, err := w.consents.Sign(d, sig, pv.SHA256); app.ErrorField(err) != "representative" {
		t.Fatalf("a minor signing alone: %v", err)
	}
	d.SignerName, sig.TypedName, d.Representative, d.Relationship = "Kim Brown", "Kim Brown", true, "Mother"
	pv, _ = w.consents.Preview(d)
	if _, err := w.consents.Sign(d, sig, pv.SHA256); app.ErrorField(err) != "representative" {
		t.Fatalf("a representative without authority: %v", err)
	}
	d.Authority = v.Authorities[0]
	pv, _ = w.consents.Preview(d)
	if !strings.Contains(pv.Text, "Mother of the patient, acting as their representative") {
		t.Fatalf("the text does not name the representative:\n%s", pv.Text)
	}
	if _, err := w.consents.Sign(d, sig, pv.SHA256); err != nil {
		t.Fatal(err)
	}
	st, _ := w.lock.Unlock("4821")
	d2, _ := w.consents.Get(st.SignedConsentID)
	if !d2.Consent.Signer.Representative || d2.Consent.Signer.Authority != v.Authorities[0] {
		t.Fatalf("signer %+v", d2.Consent.Signer)
	}
}

func TestRecordPaperConsent(t *testing.T) {
	w := newConsentWorld(t, "GB")
	p := w.patient(t, "Ruth Adams", "1950-06-07")
	req := w.request(t, p)
	pdf := []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
	in := service.PaperInput{Request: req, SignedOn: "2026-11-20", ScanFileName: "scan.pdf", ScanBase64: base64.StdEncoding.EncodeToString(pdf),
		Draft: service.SigningDraft{Identity: []app.IdentityElement{app.IdentityFullName}, Channels: []app.ConsentChannel{app.ChannelPrint, app.ChannelWebsite}, SignerName: "Ruth Adams"}}
	cases := []struct {
		name  string
		edit  func(*service.PaperInput)
		field string
	}{
		{"no scan", func(in *service.PaperInput) { in.ScanBase64 = "" }, "scan"},
		{"text file", func(in *service.PaperInput) { in.ScanBase64 = base64.StdEncoding.EncodeToString([]byte("hello")) }, ""},
		{"cut-off pdf", func(in *service.PaperInput) { in.ScanBase64 = base64.StdEncoding.EncodeToString(pdf[:20]) }, ""},
		{"future date", func(in *service.PaperInput) { in.SignedOn = "2026-11-30" }, "signedOn"},
		{"bad date", func(in *service.PaperInput) { in.SignedOn = "20 Nov" }, "signedOn"},
		{"no signer", func(in *service.PaperInput) { in.Draft.SignerName = "" }, "signerName"},
	}
	for _, c := range cases {
		x := in
		c.edit(&x)
		_, err := w.consents.RecordPaper(x)
		if app.ErrorCode(err) != app.EINVALID || app.ErrorField(err) != c.field {
			t.Errorf("%s: %v", c.name, err)
		}
	}
	if l, _ := w.consents.List(0); len(l) != 0 {
		t.Fatalf("refused paper forms left %d consents", len(l))
	}
	cv, err := w.consents.RecordPaper(in)
	if err != nil {
		t.Fatal(err)
	}
	if cv.Method != "paper" || cv.ScanURL == "" || cv.SignatureURL != "" || cv.SignedOn != "20 November 2026" || cv.Status != "valid" {
		t.Fatalf("paper consent %+v", cv)
	}
	ts, _ := w.testims.List()
	if len(ts) != 1 || ts[0].Publishable != 2 {
		t.Fatalf("paper testimonial: %+v", ts)
	}
}

func TestExpiringAndTestimonialsWithoutConsent(t *testing.T) {
	w := newConsentWorld(t, "GB")
	w.setPIN(t)
	p := w.patient(t, "Ida Bell", "1990-01-01")
	other := w.patient(t, "Other One", "1990-01-01")
	req := w.request(t, p)
	req.ExpiryMonths = 1
	id := signOnScreen(t, w, req, service.SigningDraft{Identity: []app.IdentityElement{app.IdentityFirstName}, Channels: []app.ConsentChannel{app.ChannelX}})

	// Its last day is 22 December: 30 days from today.
	if ws, err := w.consents.Expiring(29); err != nil || len(ws) != 0 {
		t.Fatalf("last day in 30 days, warned within 29: %+v %v", ws, err)
	}
	if l, _ := w.consents.List(0); l[0].Status != "expiring" {
		t.Fatalf("status %s", l[0].Status)
	}
	w.clock.Advance(2 * 24 * time.Hour)
	ws, _ := w.consents.Expiring(30)
	if len(ws) != 1 || ws[0].ConsentID != id || ws[0].DaysLeft != 28 {
		t.Fatalf("expiring %+v", ws)
	}
	if l, _ := w.consents.List(0); l[0].Status != "expiring" {
		t.Fatalf("status %s", l[0].Status)
	}

	tv, err := w.testims.Create(service.TestimonialInput{PatientID: p.Patient.ID, Quote: "Great care", Source: "Google review", NameAs: app.IdentityFullName})
	if err != nil || tv.Publishable != 0 || tv.Verdicts[0].Problems[0].Code != "no_consent" {
		t.Fatalf("no consent: %+v %v", tv, err)
	}
	if _, err := w.testims.Create(service.TestimonialInput{PatientID: other.Patient.ID, ConsentID: id, Quote: "x", Source: "y"}); app.ErrorField(err) != "consentId" {
		t.Fatalf("another patient's consent: %v", err)
	}
	// Bound to the consent, but naming more than it allows and with changed words.
	tv, err = w.testims.Create(service.TestimonialInput{PatientID: p.Patient.ID, ConsentID: id, Quote: "The team made me feel at ease!", Source: "Said in clinic", NameAs: app.IdentityFullName})
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, v := range tv.Verdicts {
		if v.Channel == app.ChannelX {
			for _, p := range v.Problems {
				codes = append(codes, p.Code)
			}
		}
	}
	if strings.Join(codes, ",") != consent.CodeIdentityNotCovered+","+consent.CodeQuoteChanged {
		t.Fatalf("X verdict codes %v", codes)
	}
	w.clock.Advance(40 * 24 * time.Hour)
	if l, _ := w.consents.List(0); l[0].Status != "expired" {
		t.Fatalf("status after the end %s", l[0].Status)
	}
}

// While a patient signs on screen, the form handed to them (their words and
// health details) is kept in the data file so a restart does not lose it:
// sealed, as every other patient value is, and still shown after a restart.
func TestTheFormOnScreenIsSealed(t *testing.T) {
	w := newConsentWorld(t, "GB")
	w.setPIN(t)
	p := w.patient(t, "Orla Pennick", "1974-06-02")
	req := w.request(t, p)
	req.Quote, req.HealthDetails = "Quillon Amberley sorted my crooked incisor", "bruxism-night-guard-2291"
	if _, err := w.consents.HandToPatient(req); err != nil {
		t.Fatal(err)
	}
	file := dataFile(t, w.core.Home)
	for _, s := range []string{"Quillon Amberley", "bruxism-night-guard-2291"} {
		if bytes.Contains(file, []byte(s)) {
			t.Errorf("%q is readable in the data file while the patient signs", s)
		}
	}
	v, err := w.consents.Signing()
	if err != nil || !v.Active || !strings.Contains(v.Preview.Text, req.Quote) || !strings.Contains(v.Preview.Text, req.HealthDetails) {
		t.Fatalf("the form on screen: %+v %v", v, err)
	}
}

// dataFile is the data file in home and its WAL, as someone who copied
// them has.
func dataFile(t *testing.T, home string) []byte {
	t.Helper()
	var file []byte
	for _, n := range []string{store.FileName, store.FileName + "-wal"} {
		b, err := os.ReadFile(filepath.Join(home, n))
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		file = append(file, b...)
	}
	return file
}
