package service_test

import (
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"practicepost/app"
	"practicepost/app/service"
)

// nothingStored fails the test when the patient has any consent or the
// practice any testimonial: a refused signing must leave no trace.
func nothingStored(t *testing.T, w *consentWorld, patientID int64) {
	t.Helper()
	if cs, err := w.consents.List(patientID); err != nil || len(cs) != 0 {
		t.Fatalf("a refused signing stored %d consents (%v)", len(cs), err)
	}
	if ts, err := w.testims.List(); err != nil || len(ts) != 0 {
		t.Fatalf("a refused signing stored %d testimonials (%v)", len(ts), err)
	}
}

// On screen: a patient under 16 today cannot sign alone; nothing is stored
// and the screen says who must sign.
func TestSignOnScreenRefusesUnderAgeSelfSignature(t *testing.T) {
	w := newConsentWorld(t, "GB")
	w.setPIN(t)
	p := w.patient(t, "Leo Brown", "2010-11-23") // 16 tomorrow
	if _, err := w.consents.HandToPatient(w.request(t, p)); err != nil {
		t.Fatal(err)
	}
	d := service.SigningDraft{Identity: []app.IdentityElement{app.IdentityInitials}, Channels: []app.ConsentChannel{app.ChannelWebsite}, SignerName: "Leo Brown"}
	sig := service.SignatureInput{PNGBase64: base64.StdEncoding.EncodeToString(pngBytes(t, 200, 80)), Strokes: strokes(12), TypedName: "Leo Brown"}
	pv, err := w.consents.Preview(d)
	if err != nil {
		t.Fatal(err)
	}
	_, err = w.consents.Sign(d, sig, pv.SHA256)
	if app.ErrorCode(err) != app.EINVALID || app.ErrorField(err) != "representative" || !strings.Contains(app.ErrorMessage(err), "“I am signing for the patient”") {
		t.Fatalf("under 16 signing alone: %v", err)
	}
	st, err := w.lock.Unlock("4821")
	if err != nil || st.SignedConsentID != 0 {
		t.Fatalf("unlock after the refusal: %+v %v", st, err)
	}
	nothingStored(t, w, p.Patient.ID)

	// The twin: a day later he is 16 and signs alone.
	w.clock.Advance(24 * time.Hour)
	if _, err := w.consents.HandToPatient(w.request(t, p)); err != nil {
		t.Fatal(err)
	}
	pv, err = w.consents.Preview(d)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.consents.Sign(d, sig, pv.SHA256); err != nil {
		t.Fatalf("16 on the day: %v", err)
	}
}

// On paper: age is judged on the date written on the form, not on the day
// the manager records it.
func TestRecordPaperJudgesAgeOnTheSigningDate(t *testing.T) {
	w := newConsentWorld(t, "GB") // today is 22 November 2026
	p := w.patient(t, "Mia Brown", "2010-11-21")
	pdf := []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
	in := service.PaperInput{Request: w.request(t, p), SignedOn: "2026-11-20", ScanFileName: "scan.pdf", ScanBase64: base64.StdEncoding.EncodeToString(pdf),
		Draft: service.SigningDraft{Identity: []app.IdentityElement{app.IdentityInitials}, Channels: []app.ConsentChannel{app.ChannelWebsite}, SignerName: "Mia Brown"}}

	_, err := w.consents.RecordPaper(in) // she was 15 on the 20th, 16 today
	msg := app.ErrorMessage(err)
	if app.ErrorCode(err) != app.EINVALID || app.ErrorField(err) != "representative" ||
		!strings.Contains(msg, "(20 November 2026) the patient was 15") || !strings.Contains(msg, "“A representative signed for the patient”") || !strings.Contains(msg, "parent or guardian") {
		t.Fatalf("paper signed alone at 15: %v", err)
	}
	nothingStored(t, w, p.Patient.ID)

	// Twins: signed alone on her birthday; signed on the 20th by her mother.
	ok := in
	ok.SignedOn = "2026-11-21"
	if _, err := w.consents.RecordPaper(ok); err != nil {
		t.Fatalf("signed alone at 16: %v", err)
	}
	rep := in
	rep.Draft.SignerName, rep.Draft.Representative, rep.Draft.Relationship, rep.Draft.Authority = "Kim Brown", true, "Mother", "parent with parental responsibility"
	if _, err := w.consents.RecordPaper(rep); err != nil {
		t.Fatalf("signed by her mother at 15: %v", err)
	}
	if cs, _ := w.consents.List(p.Patient.ID); len(cs) != 2 {
		t.Fatalf("%d consents after two good forms", len(cs))
	}
}

// By email: a reply sent while the patient was 15 cannot be confirmed as
// their consent after they turn 16.
func TestConfirmEmailConsentJudgesAgeOnTheReplyDate(t *testing.T) {
	w := newMailWorld(t)
	w.clock.Set(time.Date(2026, 11, 19, 10, 0, 0, 0, time.UTC))
	p := w.addPatient(t, service.PatientInput{FullName: "Ava Brown", DateOfBirth: "2010-11-21", Email: "ava@example.org", Ref: "R9"})
	w.configure(t)
	waitFor(t, "first sync", func() bool { st, _ := w.mail.Status(); return st.Watching && st.LastSync != "" })
	if _, err := w.mail.SendConsentRequest(service.ConsentMailInput{Request: w.request(t, p)}); err != nil {
		t.Fatal(err)
	}
	msgs := w.srv.messages()
	reply := replyTo(t, msgs[0], "Ava Brown <ava@example.org>", "r9@mail.example.org",
		"Yes!\n\n[x] My initials only\n[x] Facebook\n\nFull name: Ava Brown\n")
	w.srv.deliver(t, reply, time.Date(2026, 11, 20, 18, 0, 0, 0, time.UTC))
	waitFor(t, "the reply in the queue", func() bool { st, _ := w.mail.Status(); return st.Pending == 1 })
	list, err := w.mail.Replies("pending")
	if err != nil || len(list) != 1 {
		t.Fatalf("queue: %+v %v", list, err)
	}

	w.clock.Set(time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)) // she is 16 now
	// The reply leaves the other boxes out, so how that was settled is on
	// record; the age rule still refuses it.
	in := service.ConfirmConsentInput{Identity: []app.IdentityElement{app.IdentityInitials}, Channels: []app.ConsentChannel{app.ChannelFacebook}, SignerName: "Ava Brown",
		Resolution: service.ResolutionInput{How: "Phoned Ava, who confirmed Facebook and initials only", Who: "Sam", When: "today"}}
	_, err = w.mail.ConfirmConsent(list[0].ID, in)
	msg := app.ErrorMessage(err)
	if app.ErrorCode(err) != app.EINVALID || !strings.Contains(msg, "On Email replies, reject this reply") || !strings.Contains(msg, "parent or guardian") {
		t.Fatalf("reply sent at 15, confirmed at 16: %v", err)
	}
	nothingStored(t, w.consentWorld, p.Patient.ID)
	if v, err := w.mail.Reply(list[0].ID); err != nil || v.Status != "pending" || v.ConsentID != 0 {
		t.Fatalf("the reply changed: %+v %v", v, err)
	}
}
