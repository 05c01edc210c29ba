package service_test

import (
	"encoding/base64"
	"strings"
	"testing"

	"practicepost/app"
	"practicepost/app/service"
)

// waiting adds a testimonial with no consent yet, with one uploaded photo.
func (w *consentWorld) waiting(t *testing.T, p service.PatientView, quote string) service.TestimonialView {
	t.Helper()
	m := w.upload(t, "smile.png", pngBytes(t, 64+len(quote), 48))
	tv, err := w.testims.Create(service.TestimonialInput{PatientID: p.Patient.ID, Quote: quote, Source: "email", NameAs: app.IdentityFirstName,
		Media: []app.ConsentMedia{{SHA256: m.SHA256, Kind: "photo", Label: "smile.png"}}})
	if err != nil {
		t.Fatal(err)
	}
	return tv
}

// askFor is the consent request prefilled from a waiting testimonial, as the
// "Ask for consent" action on the testimonials list builds it.
func (w *consentWorld) askFor(t *testing.T, tv service.TestimonialView) service.ConsentRequest {
	t.Helper()
	return service.ConsentRequest{PatientID: tv.Testimonial.PatientID, TemplateVersion: w.defaultTemplate(t), TestimonialID: tv.Testimonial.ID,
		Quote: tv.Testimonial.Quote, Source: tv.Testimonial.Source, Media: tv.Testimonial.Media}
}

func verdictsOf(tv service.TestimonialView) map[app.ConsentChannel]bool {
	out := map[app.ConsentChannel]bool{}
	for _, v := range tv.Verdicts {
		out[v.Channel] = v.MayPublish
	}
	return out
}

func onlyTestimonial(t *testing.T, w *consentWorld) service.TestimonialView {
	t.Helper()
	ts, err := w.testims.List()
	if err != nil {
		t.Fatal(err)
	}
	if len(ts) != 1 {
		t.Fatalf("%d testimonials, want exactly the waiting one", len(ts))
	}
	return ts[0]
}

var facebookFirstName = service.SigningDraft{Identity: []app.IdentityElement{app.IdentityFirstName}, Channels: []app.ConsentChannel{app.ChannelFacebook}}

func TestWaitingTestimonialSignedOnScreenGetsThatConsent(t *testing.T) {
	w := newConsentWorld(t, "GB")
	w.setPIN(t)
	p := w.patient(t, "Maud Finch", "1962-02-03")
	tv := w.waiting(t, p, "The whole team was kind and my new crown looks great.")
	if tv.Summary != "Waiting for consent: not publishable anywhere." || tv.Publishable != 0 || tv.Consent != nil {
		t.Fatalf("waiting testimonial %+v", tv)
	}
	if got, err := w.testims.Get(tv.Testimonial.ID); err != nil || got.Testimonial.Quote != tv.Testimonial.Quote || len(got.Media) != 1 || got.Media[0].URL == "" {
		t.Fatalf("get: %+v %v", got, err)
	}
	if _, err := w.testims.Get(9999); app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatalf("get a missing testimonial: %v", err)
	}

	id := signOnScreen(t, w, w.askFor(t, tv), facebookFirstName)

	after := onlyTestimonial(t, w)
	if after.Testimonial.ID != tv.Testimonial.ID || after.Testimonial.ConsentID != id || after.Consent == nil || after.Consent.ID != id {
		t.Fatalf("the waiting testimonial is not the one bound to consent %d: %+v", id, after.Testimonial)
	}
	if after.Testimonial.NameAs != app.IdentityFirstName || after.Testimonial.Quote != tv.Testimonial.Quote {
		t.Fatalf("linked testimonial %+v", after.Testimonial)
	}
	v := verdictsOf(after)
	if !v[app.ChannelFacebook] || v[app.ChannelInstagram] || after.Publishable != 1 {
		t.Fatalf("verdicts do not follow the consent: %v", v)
	}
	for _, vd := range after.Verdicts {
		if vd.Channel == app.ChannelInstagram && vd.Problems[0].Reason != "The consent does not cover Instagram." {
			t.Fatalf("instagram reason %+v", vd.Problems)
		}
	}

	// Asking again for the same testimonial is refused before anything is shown.
	_, err := w.consents.HandToPatient(w.askFor(t, tv))
	if app.ErrorCode(err) != app.ECONFLICT || !strings.Contains(app.ErrorMessage(err), "already covered by consent #") {
		t.Fatalf("a second consent for a covered testimonial: %v", err)
	}
	// Withdrawing the consent blocks the same testimonial everywhere.
	if _, err := w.consents.Revoke(id, "", "email", ""); err != nil {
		t.Fatal(err)
	}
	if after = onlyTestimonial(t, w); after.Publishable != 0 {
		t.Fatalf("after withdrawal %d channels", after.Publishable)
	}
}

func TestWaitingTestimonialEditedWordsNeedAChoice(t *testing.T) {
	w := newConsentWorld(t, "GB")
	w.setPIN(t)
	p := w.patient(t, "Nell Gray", "1970-08-09")
	other := w.patient(t, "Owen Hart", "1970-08-09")
	tv := w.waiting(t, p, "Lovely team, brilliant results!! Would recommend")

	edited := w.askFor(t, tv)
	edited.Quote = "Lovely team, brilliant results. Would recommend."
	noPhoto := w.askFor(t, tv)
	noPhoto.Media = nil
	theirs := w.askFor(t, tv)
	theirs.PatientID = other.Patient.ID
	odd := edited
	odd.Words = "whatever"
	cases := []struct {
		name  string
		req   service.ConsentRequest
		field string
		says  string
	}{
		{"edited quote", edited, "quote", "These words differ from the testimonial the patient gave"},
		{"photo removed", noPhoto, "media", "These photos differ from the testimonial's"},
		{"another patient", theirs, "patientId", "another patient's"},
		{"unknown choice", odd, "words", "Choose whether"},
	}
	for _, c := range cases {
		_, err := w.consents.HandToPatient(c.req)
		if app.ErrorCode(err) != app.EINVALID || app.ErrorField(err) != c.field || !strings.Contains(app.ErrorMessage(err), c.says) {
			t.Errorf("%s: %v", c.name, err)
		}
		if _, err := w.consents.RecordPaper(service.PaperInput{Request: c.req}); app.ErrorField(err) != c.field {
			t.Errorf("%s on paper: %v", c.name, err)
		}
	}
	if st, _ := w.lock.Status(); st.Locked {
		t.Fatal("a refused request locked the screen")
	}
	if cs, _ := w.consents.List(0); len(cs) != 0 {
		t.Fatalf("refused requests stored %d consents", len(cs))
	}

	// "Save as a new testimonial": the edited words are a testimonial of
	// their own, and the original keeps waiting with its own words.
	asNew := edited
	asNew.Words = service.WordsNewTestimonial
	id := signOnScreen(t, w, asNew, facebookFirstName)
	ts, _ := w.testims.List()
	if len(ts) != 2 {
		t.Fatalf("%d testimonials after saving the edit as new", len(ts))
	}
	for _, x := range ts {
		switch x.Testimonial.ID {
		case tv.Testimonial.ID:
			if x.Testimonial.ConsentID != 0 || x.Testimonial.Quote != tv.Testimonial.Quote {
				t.Fatalf("the original changed: %+v", x.Testimonial)
			}
		default:
			if x.Testimonial.ConsentID != id || x.Testimonial.Quote != edited.Quote || x.Publishable != 1 {
				t.Fatalf("the new testimonial %+v", x)
			}
		}
	}

	// "Use the edited words": the waiting testimonial takes the words the
	// patient signs, so it is publishable under them.
	use := edited
	use.Words = service.WordsUseEdited
	id2 := signOnScreen(t, w, use, facebookFirstName)
	got, err := w.testims.Get(tv.Testimonial.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Testimonial.ConsentID != id2 || got.Testimonial.Quote != edited.Quote || !verdictsOf(got)[app.ChannelFacebook] {
		t.Fatalf("after using the edited words: %+v %v", got.Testimonial, verdictsOf(got))
	}
	if ts, _ := w.testims.List(); len(ts) != 2 {
		t.Fatalf("%d testimonials: using the edited words must not add one", len(ts))
	}
}

func TestWaitingTestimonialSignedOnPaper(t *testing.T) {
	w := newConsentWorld(t, "GB")
	p := w.patient(t, "Pam Ives", "1950-06-07")
	tv := w.waiting(t, p, "Best dentist in Cornwall.")
	pdf := []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
	req := w.askFor(t, tv)
	req.ShowsFace = true
	cv, err := w.consents.RecordPaper(service.PaperInput{Request: req, SignedOn: "2026-11-20", ScanFileName: "scan.pdf",
		ScanBase64: base64.StdEncoding.EncodeToString(pdf), Draft: service.SigningDraft{SignerName: "Pam Ives",
			Identity: []app.IdentityElement{app.IdentityFullName}, Channels: []app.ConsentChannel{app.ChannelWebsite, app.ChannelPrint}}})
	if err != nil {
		t.Fatal(err)
	}
	after := onlyTestimonial(t, w)
	// The form allowed the full name; the testimonial keeps naming them by
	// first name, as it was set up: a link never reveals more than that.
	if after.Testimonial.ID != tv.Testimonial.ID || after.Testimonial.ConsentID != cv.ID || after.Testimonial.NameAs != app.IdentityFirstName || !after.Testimonial.ShowsFace {
		t.Fatalf("paper link %+v", after.Testimonial)
	}
	// The request said a photo shows the face, and the paper form did not
	// allow it: nothing may go out, and the reason says why.
	if after.Publishable != 0 || !strings.Contains(after.Verdicts[0].Problems[0].Reason, "face") {
		t.Fatalf("face not consented: %+v", after.Verdicts[0])
	}
}

func TestTestimonialByEmailThenConsentByEmailIsOneTestimonial(t *testing.T) {
	w := newMailWorld(t)
	w.configure(t)
	w.askAnnForTestimonial(t)
	photo := strings.TrimSpace(wrap76(pngBytes(t, 40, 30)))
	w.srv.deliver(t, replyTo(t, w.srv.messages()[0], "Ann Kerr <ann@example.org>", "t1@x",
		"The whole team was kind and my new crown looks great.", [3]string{"smile.png", "image/png", photo}), w.clock.T)
	waitFor(t, "the testimonial reply", func() bool { st, _ := w.mail.Status(); return st.Pending == 1 })
	list, _ := w.mail.Replies("pending")
	rv, err := w.mail.Reply(list[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.mail.ConfirmTestimonial(rv.ID, service.ConfirmTestimonialInput{Quote: rv.Words, Photos: []string{rv.Attachments[0].SHA256}}); err != nil {
		t.Fatal(err)
	}
	tv := onlyTestimonial(t, w.consentWorld)

	// The consent request by email is made for that testimonial.
	sent, err := w.mail.SendConsentRequest(service.ConsentMailInput{Request: w.askFor(t, tv)})
	if err != nil {
		t.Fatal(err)
	}
	msgs := w.srv.messages()
	reply := replyTo(t, msgs[len(msgs)-1], "Ann Kerr <ann@example.org>", "c1@x",
		"Yes.\n\n[x] My first name only\n[x] Facebook\n[ ] Instagram\n\nFull name: Ann Kerr\n")
	w.srv.deliver(t, reply, w.clock.T)
	waitFor(t, "the consent reply", func() bool { st, _ := w.mail.Status(); return st.Pending == 1 })
	list, _ = w.mail.Replies("pending")
	if len(list) != 1 || list[0].Kind != "consent" {
		t.Fatalf("queue %+v (request %s)", list, sent.Token)
	}
	done, err := w.mail.ConfirmConsent(list[0].ID, service.ConfirmConsentInput{SignerName: "Ann Kerr",
		Identity: []app.IdentityElement{app.IdentityFirstName}, Channels: []app.ConsentChannel{app.ChannelFacebook},
		// The reply leaves boxes out, so it is held for this record.
		Resolution: service.ResolutionInput{How: "Phoned Ann", Who: "Sam", When: "today"}})
	if err != nil {
		t.Fatal(err)
	}
	after := onlyTestimonial(t, w.consentWorld)
	if after.Testimonial.ID != tv.Testimonial.ID || after.Testimonial.ConsentID != done.ConsentID || after.Consent.Method != string(app.SignEmail) {
		t.Fatalf("email consent not bound to the waiting testimonial: %+v", after.Testimonial)
	}
	if v := verdictsOf(after); !v[app.ChannelFacebook] || v[app.ChannelInstagram] {
		t.Fatalf("verdicts %v", v)
	}
}
