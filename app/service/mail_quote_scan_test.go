package service_test

import (
	"strings"
	"testing"

	"practicepost/app"
	"practicepost/app/service"
)

// The edited words a quote-approval email asks the patient to approve are
// the manager's wording, like the personal note: the gate scans them, so
// an email to one patient never carries another's name or NHS number.
func TestQuoteApprovalEmailIsScannedForOtherPatients(t *testing.T) {
	w := newMailWorld(t)
	w.setPIN(t)
	w.configure(t)
	w.addPatient(t, service.PatientInput{FullName: "Margaret Okafor", DateOfBirth: "1961-04-02", Email: "m@example.com"})
	tv := signedThenEdited(t, w.consentWorld, "The whole team was kind, just like Margaret Okafor (NHS 943 476 5919) told me.")
	_, err := w.mail.SendQuoteApproval(tv.Testimonial.ID)
	if msg := app.ErrorMessage(err); app.ErrorCode(err) != app.EINVALID || !strings.Contains(msg, "The testimonial's new words contain") ||
		!strings.Contains(msg, "Edit the testimonial") || app.ErrorField(err) != "" {
		t.Fatalf("sent or refused wrongly: %v (field %q)", err, app.ErrorField(err))
	}
	if n := len(w.srv.messages()); n != 0 {
		t.Fatalf("%d emails sent", n)
	}
	// The patient's own name in the new words is theirs to read.
	w = newMailWorld(t)
	w.setPIN(t)
	w.configure(t)
	tv = signedThenEdited(t, w.consentWorld, "Maud Finch here: the whole team was kind and my crown looks great.")
	if _, err := w.mail.SendQuoteApproval(tv.Testimonial.ID); err != nil || len(w.srv.messages()) != 1 {
		t.Fatalf("their own words refused: %v", err)
	}
}
