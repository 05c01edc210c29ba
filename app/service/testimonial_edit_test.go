package service_test

import (
	"strings"
	"testing"

	"practicepost/app"
	"practicepost/app/service"
)

// A signed testimonial whose words are edited is blocked (the consent
// covers the words the patient signed) with the reason; editing them back
// publishes again. The patient cannot be changed; bad input changes
// nothing; a testimonial nothing uses can be deleted.
func TestEditAndDeleteTestimonial(t *testing.T) {
	w := newConsentWorld(t, "GB")
	w.lock.SetPIN("4821", "4821")
	p := w.patient(t, "Maud Finch", "1962-02-03")
	tv := w.waiting(t, p, "The whole team was kind and my new crown looks great.")
	signOnScreen(t, w, w.askFor(t, tv), facebookFirstName)
	signed := onlyTestimonial(t, w)
	if signed.Publishable != 1 {
		t.Fatalf("signed testimonial publishable on %d channels", signed.Publishable)
	}
	in := service.TestimonialInput{PatientID: p.Patient.ID, Quote: "The whole team was kind and my crown looks great.", Source: "in clinic",
		SaidOn: "2026-11-20", NameAs: app.IdentityFirstName, Media: signed.Testimonial.Media}
	edited, err := w.testims.Update(signed.Testimonial.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	if edited.Testimonial.Quote != in.Quote || edited.Testimonial.Source != "in clinic" || edited.Testimonial.SaidOn.String() != "2026-11-20" || edited.Testimonial.ConsentID != signed.Testimonial.ConsentID {
		t.Fatalf("edited %+v", edited.Testimonial)
	}
	if edited.Publishable != 0 {
		t.Fatalf("changed words still publishable on %d channels", edited.Publishable)
	}
	for _, v := range edited.Verdicts {
		if v.Channel != app.ChannelFacebook {
			continue
		}
		if len(v.Problems) != 1 || !strings.Contains(v.Problems[0].Reason, "differs from the text the patient approved") {
			t.Errorf("facebook after the edit: %+v", v.Problems)
		}
	}
	in.Quote = signed.Testimonial.Quote
	if back, err := w.testims.Update(signed.Testimonial.ID, in); err != nil || back.Publishable != 1 {
		t.Fatalf("words put back: %d %v", back.Publishable, err)
	}

	// Bad input: a date in the future, another patient, a missing testimonial.
	bad := in
	bad.SaidOn = "2099-01-01"
	if _, err := w.testims.Update(signed.Testimonial.ID, bad); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("a future date: %v", err)
	}
	other := w.patient(t, "Ivy Marsh", "1970-05-06")
	bad = in
	bad.PatientID = other.Patient.ID
	if _, err := w.testims.Update(signed.Testimonial.ID, bad); app.ErrorField(err) != "patientId" {
		t.Errorf("another patient: %v", err)
	}
	if got, _ := w.testims.Get(signed.Testimonial.ID); got.Testimonial.Quote != in.Quote || got.Testimonial.PatientID != p.Patient.ID {
		t.Errorf("refused edits changed it: %+v", got.Testimonial)
	}
	if _, err := w.testims.Update(9999, in); app.ErrorCode(err) != app.ENOTFOUND {
		t.Errorf("a missing testimonial: %v", err)
	}

	if err := w.testims.Delete(signed.Testimonial.ID); err != nil {
		t.Fatal(err)
	}
	if list, _ := w.testims.List(); len(list) != 0 {
		t.Errorf("%d testimonials after delete", len(list))
	}
}
