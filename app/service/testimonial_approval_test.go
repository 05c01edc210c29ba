package service_test

import (
	"encoding/base64"
	"strings"
	"testing"

	"practicepost/app"
	"practicepost/app/service"
)

// signedThenEdited is Maud's testimonial signed on screen for Facebook,
// then edited to words.
func signedThenEdited(t *testing.T, w *consentWorld, words string) service.TestimonialView {
	t.Helper()
	p := w.patient(t, "Maud Finch", "1962-02-03")
	tv := w.waiting(t, p, "The whole team was kind and my new crown looks great.")
	signOnScreen(t, w, w.askFor(t, tv), facebookFirstName)
	signed := onlyTestimonial(t, w)
	in := service.TestimonialInput{PatientID: p.Patient.ID, Quote: words, Source: "in clinic", NameAs: app.IdentityFirstName, Media: signed.Testimonial.Media}
	edited, err := w.testims.Update(signed.Testimonial.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	if edited.Publishable != 0 {
		t.Fatalf("edited words publishable on %d channels before approval", edited.Publishable)
	}
	return edited
}

func drawnBy(t *testing.T, name string) service.SignatureInput {
	return service.SignatureInput{PNGBase64: base64.StdEncoding.EncodeToString(pngBytes(t, 200, 80)), Strokes: strokes(12), TypedName: name}
}

// The patient approves shortened words on the locked screen: the approval
// is stored with its evidence, the manager learns it on unlocking, and the
// testimonial may go out again. Manager calls refuse while the patient
// holds the screen; bad answers change nothing.
func TestQuoteApprovedOnScreen(t *testing.T) {
	w := newConsentWorld(t, "GB")
	w.setPIN(t)
	tv := signedThenEdited(t, w, "The whole team was kind.")
	id := tv.Testimonial.ID
	if tv.WordsApprovedOn != "" {
		t.Errorf("edited words not yet approved, but the card says approved on %q", tv.WordsApprovedOn)
	}

	qe, err := w.testims.QuoteEdit(id)
	if err != nil {
		t.Fatal(err)
	}
	if !qe.Change.LengthOrTypos || len(qe.Change.Added) != 0 || qe.Edited != "The whole team was kind." || !strings.HasPrefix(qe.Approved, "The whole team was kind and") {
		t.Fatalf("quote edit %+v", qe)
	}
	if _, err := w.testims.HandApprovalToPatient(id); err != nil {
		t.Fatal(err)
	}
	for name, call := range map[string]func() error{
		"List":                  func() error { _, err := w.testims.List(); return err },
		"QuoteEdit":             func() error { _, err := w.testims.QuoteEdit(id); return err },
		"HandApprovalToPatient": func() error { _, err := w.testims.HandApprovalToPatient(id); return err },
	} {
		if err := call(); app.ErrorCode(err) != app.ELOCKED {
			t.Errorf("%s while the patient holds the screen: %v", name, err)
		}
	}

	sc, err := w.testims.ApprovalScreen()
	if err != nil {
		t.Fatal(err)
	}
	if !sc.Active || sc.Outcome != "" || sc.PatientName != "Maud Finch" || sc.PracticeName != "Harbour Dental" || sc.Edited != "The whole team was kind." ||
		!strings.Contains(sc.Statement, "only to make them shorter or to correct typing mistakes") || !strings.Contains(sc.ShownText, sc.Approved) || len(sc.Change.Parts) == 0 {
		t.Fatalf("screen %+v", sc)
	}
	if _, err := w.testims.ApproveQuote(drawnBy(t, "Maud Finch"), "not what was shown"); app.ErrorCode(err) != app.ECONFLICT {
		t.Errorf("approval of other words: %v", err)
	}
	if _, err := w.testims.ApproveQuote(service.SignatureInput{TypedName: "Maud Finch"}, sc.ShownSHA256); app.ErrorField(err) != "signature" {
		t.Errorf("approval without a signature: %v", err)
	}
	if _, err := w.testims.ApproveQuote(drawnBy(t, " "), sc.ShownSHA256); app.ErrorField(err) != "typedName" {
		t.Errorf("approval without a typed name: %v", err)
	}
	done, err := w.testims.ApproveQuote(drawnBy(t, "Maud Finch"), sc.ShownSHA256)
	if err != nil || done.Outcome != "approved" {
		t.Fatalf("approve: %+v %v", done.Outcome, err)
	}
	if _, err := w.testims.ApproveQuote(drawnBy(t, "Maud Finch"), sc.ShownSHA256); app.ErrorCode(err) != app.ECONFLICT {
		t.Errorf("a second approval: %v", err)
	}
	if _, err := w.testims.DeclineQuote(); app.ErrorCode(err) != app.ECONFLICT {
		t.Errorf("a decline after approving: %v", err)
	}

	if _, err := w.lock.Unlock("0000"); err == nil {
		t.Fatal("a wrong PIN unlocked")
	}
	st, err := w.lock.Unlock("4821")
	if err != nil || st.QuoteOutcome != "approved" || st.QuoteTestimonialID != id {
		t.Fatalf("unlock: %+v %v", st, err)
	}
	if sc, err := w.testims.ApprovalScreen(); err != nil || sc.Active {
		t.Errorf("approval screen after unlocking: %+v %v", sc, err)
	}
	back, err := w.testims.Get(id)
	if err != nil || back.Publishable != 1 {
		t.Fatalf("after approval publishable on %d channels: %v", back.Publishable, err)
	}
	// The card says when: the day the clock stands at (22 Nov 2026, 10:00 UTC), in London.
	if back.WordsApprovedOn != "2026-11-22" {
		t.Errorf("words approved on %q", back.WordsApprovedOn)
	}
	if _, err := w.testims.HandApprovalToPatient(id); app.ErrorCode(err) != app.ECONFLICT || !strings.Contains(app.ErrorMessage(err), "already approved") {
		t.Errorf("asking again: %v", err)
	}
}

// A patient who declines leaves nothing approved; the manager is told on
// unlocking and the testimonial stays blocked. Words beyond length or
// typos are said to be so, to the manager and to the patient.
func TestQuoteDeclinedOnScreen(t *testing.T) {
	w := newConsentWorld(t, "GB")
	w.setPIN(t)
	tv := signedThenEdited(t, w, "The whole team was kind and my new crown looks perfect, best in Cornwall.")
	id := tv.Testimonial.ID
	qe, err := w.testims.QuoteEdit(id)
	if err != nil {
		t.Fatal(err)
	}
	if qe.Change.LengthOrTypos || strings.Join(qe.Change.Added, " ") != "perfect best in Cornwall" {
		t.Fatalf("quote edit: length or typos %v, added %q", qe.Change.LengthOrTypos, qe.Change.Added)
	}
	if _, err := w.testims.HandApprovalToPatient(id); err != nil {
		t.Fatal(err)
	}
	sc, err := w.testims.ApprovalScreen()
	if err != nil || !strings.Contains(sc.Statement, "more than shortening them") {
		t.Fatalf("screen statement %q %v", sc.Statement, err)
	}
	if d, err := w.testims.DeclineQuote(); err != nil || d.Outcome != "declined" {
		t.Fatalf("decline: %+v %v", d, err)
	}
	if _, err := w.testims.ApproveQuote(drawnBy(t, "Maud Finch"), sc.ShownSHA256); app.ErrorCode(err) != app.ECONFLICT {
		t.Errorf("an approval after declining: %v", err)
	}
	st, err := w.lock.Unlock("4821")
	if err != nil || st.QuoteOutcome != "declined" || st.QuoteTestimonialID != id {
		t.Fatalf("unlock: %+v %v", st, err)
	}
	back, _ := w.testims.Get(id)
	if back.Publishable != 0 {
		t.Errorf("declined words publishable on %d channels", back.Publishable)
	}
	if back.Consent == nil {
		t.Fatal("no consent")
	}
	log := auditActions(t, w)
	if !strings.Contains(log, "quote.approval.decline") || strings.Contains(log, "quote.approve ") {
		t.Errorf("activity log: %s", log)
	}
}

// Asking for an approval that cannot help is refused before the screen is
// handed over, and the patient's calls with nothing on screen say so.
func TestQuoteApprovalRefusals(t *testing.T) {
	w := newConsentWorld(t, "GB")
	p := w.patient(t, "Ivy Marsh", "1970-05-06")
	waiting := w.waiting(t, p, "Lovely people.")
	if _, err := w.testims.HandApprovalToPatient(waiting.Testimonial.ID); app.ErrorCode(err) != app.ECONFLICT || !strings.Contains(app.ErrorMessage(err), "no signed consent") {
		t.Errorf("a testimonial waiting for consent: %v", err)
	}
	if _, err := w.testims.HandApprovalToPatient(9999); app.ErrorCode(err) != app.ENOTFOUND {
		t.Errorf("a missing testimonial: %v", err)
	}
	if sc, err := w.testims.ApprovalScreen(); err != nil || sc.Active {
		t.Errorf("screen with nothing handed over: %+v %v", sc, err)
	}
	if _, err := w.testims.DeclineQuote(); app.ErrorCode(err) != app.ENOTFOUND {
		t.Errorf("decline with nothing handed over: %v", err)
	}
	if _, err := w.testims.ApproveQuote(drawnBy(t, "Ivy Marsh"), ""); app.ErrorCode(err) != app.ENOTFOUND {
		t.Errorf("approve with nothing handed over: %v", err)
	}
}

func auditActions(t *testing.T, w *consentWorld) string {
	t.Helper()
	page, err := service.NewActivityService(w.core).List(0, 200)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range page.Entries {
		out = append(out, e.Action)
	}
	return strings.Join(out, " ") + " "
}
