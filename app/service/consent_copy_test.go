package service_test

import (
	"bytes"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	gomail "github.com/emersion/go-message/mail"

	"practicepost/app"
	"practicepost/app/service"
)

// attachments returns the files of a raw email by name.
func attachments(t *testing.T, raw []byte) map[string][]byte {
	t.Helper()
	r, err := gomail.CreateReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for {
		p, err := r.NextPart()
		if err == io.EOF {
			return out
		} else if err != nil {
			t.Fatal(err)
		}
		if h, ok := p.Header.(*gomail.AttachmentHeader); ok {
			name, _ := h.Filename()
			out[name], _ = io.ReadAll(p.Body)
		}
	}
}

// The form promises the patient a copy (HIPAA 164.508(c)(4)): the manager
// emails it from the consent's page, or records handing it over, and sees
// which happened. The email carries the signed PDF as stored, asks nothing
// (no request reference), and a withdrawal sent in reply is read as any
// withdrawal from the patient's address is.
func TestPatientGetsTheirSignedCopy(t *testing.T) {
	w := newMailWorld(t)
	w.setPIN(t)
	p := w.patient(t, "Maud Finch", "1962-02-03") // email p@example.com
	cid := signOnScreen(t, w.consentWorld, w.request(t, p), facebookFirstName)

	pc, err := w.mail.PatientCopy(cid)
	if err != nil || pc.Given || len(pc.Copies) != 0 || pc.EmailTo != "p@example.com" || !strings.Contains(pc.CannotEmail, "Settings → Mailbox") {
		t.Fatalf("before a mailbox: %+v %v", pc, err)
	}
	if _, err := w.mail.EmailPatientCopy(cid); app.ErrorCode(err) != app.EINVALID || !strings.Contains(app.ErrorMessage(err), "Settings → Mailbox") {
		t.Fatalf("emailed without a mailbox: %v", err)
	}
	w.configure(t)
	waitFor(t, "first sync", func() bool { st, _ := w.mail.Status(); return st.Watching && st.LastSync != "" })

	due, err := w.mail.CopiesDue()
	if err != nil || len(due) != 1 || due[0].ConsentID != cid || due[0].PatientName != "Maud Finch" || due[0].MethodLabel != "Signed on screen" {
		t.Fatalf("Home's reminder before the copy: %+v %v", due, err)
	}
	pc, err = w.mail.EmailPatientCopy(cid)
	if err != nil || !pc.Given || pc.CannotEmail != "" || len(pc.Copies) != 1 {
		t.Fatalf("emailed: %+v %v", pc, err)
	}
	if c := pc.Copies[0]; c.Method != app.CopyByEmail || c.State != app.MailSent || c.To != "p@example.com" || c.Text != "Emailed" || c.EmailURL == "" || c.At == "" {
		t.Fatalf("the copy: %+v", c)
	}
	msgs := w.srv.messages()
	if len(msgs) != 1 {
		t.Fatalf("%d emails sent", len(msgs))
	}
	h := header(t, msgs[0])
	subj, _ := h.Subject()
	to, _ := h.AddressList("To")
	if subj != "Your signed consent form – Harbour Dental" || len(to) != 1 || to[0].Address != "p@example.com" || to[0].Name != "Signer Name" {
		t.Fatalf("subject %q to %v", subj, to)
	}
	// Not a request: nothing in it asks for, or is matched to, an answer.
	if strings.Contains(string(msgs[0]), "PP-") || h.Get("X-PracticePost-Request") != "" {
		t.Fatal("the copy carries a request reference")
	}
	d, err := w.consents.Get(cid)
	if err != nil {
		t.Fatal(err)
	}
	rr := httptest.NewRecorder()
	service.AssetHandler(w.core).ServeHTTP(rr, httptest.NewRequest("GET", d.Consent.PDFURL, nil))
	pdf := rr.Body.Bytes()
	if rr.Code != 200 || len(pdf) == 0 {
		t.Fatalf("the stored PDF: %d", rr.Code)
	}
	files := attachments(t, msgs[0])
	if got := files["Signed consent 2026-11-22.pdf"]; len(files) != 1 || !bytes.Equal(got, pdf) {
		t.Fatalf("attachments %d, the PDF matches the stored copy: %v", len(files), bytes.Equal(got, pdf))
	}

	// Handed over at reception as well: both are listed, newest first.
	w.clock.Advance(time.Hour)
	if pc, err = w.mail.RecordCopyHandedOver(cid); err != nil || len(pc.Copies) != 2 || pc.Copies[0].Method != app.CopyInPerson || pc.Copies[0].To != "" ||
		!strings.Contains(pc.Copies[0].Text, "in person") {
		t.Fatalf("handed over: %+v %v", pc, err)
	}
	if due, err := w.mail.CopiesDue(); err != nil || len(due) != 0 {
		t.Fatalf("Home's reminder once given: %+v %v", due, err)
	}
	if _, err := w.mail.RecordCopyHandedOver(cid + 99); app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatalf("an unknown consent: %v", err)
	}

	// "Reply to this email to withdraw", as the copy says: the reply holds
	// the consent like any withdrawal from the patient's address. An
	// ordinary reply before it is the practice's mail, not PracticePost's.
	w.srv.deliver(t, replyTo(t, msgs[0], "Maud Finch <p@example.com>", "thanks@example.com", "Got it, thank you!"), w.clock.T)
	w.srv.deliver(t, replyTo(t, msgs[0], "Maud Finch <p@example.com>", "wd@example.com", "Thanks. Actually I withdraw my consent, please don't use my photo."), w.clock.T)
	waitFor(t, "the withdrawal", func() bool { st, _ := w.mail.Status(); return st.Pending == 1 })
	if views, _ := w.consents.List(p.Patient.ID); len(views) != 1 || views[0].Status != "on_hold" {
		t.Fatalf("consent after the reply: %+v", views)
	}
	if list, _ := w.mail.Replies("pending"); len(list) != 1 {
		t.Fatalf("%d replies kept", len(list))
	}
}

// A copy the server refuses is recorded as not sent, with why.
func TestPatientCopyThatCannotBeSent(t *testing.T) {
	w := newMailWorld(t)
	w.setPIN(t)
	w.configure(t)
	p := w.addPatient(t, service.PatientInput{FullName: "Tom Ray", DateOfBirth: "1970-01-01", Email: "tom@rejected.example"})
	cid := signOnScreen(t, w.consentWorld, w.request(t, p), facebookFirstName)
	if _, err := w.mail.EmailPatientCopy(cid); app.ErrorCode(err) != app.EINVALID || !strings.Contains(app.ErrorMessage(err), "tom@rejected.example") {
		t.Fatalf("refused: %v", err)
	}
	pc, err := w.mail.PatientCopy(cid)
	if err != nil || pc.Given || len(pc.Copies) != 1 || pc.Copies[0].State != app.MailFailed || !strings.HasPrefix(pc.Copies[0].Text, "Not sent: ") ||
		!strings.Contains(pc.Copies[0].Text, "tom@rejected.example") {
		t.Fatalf("after the refusal: %+v %v", pc, err)
	}

	if len(w.srv.messages()) != 0 {
		t.Fatal("the server kept a refused email")
	}
	// Not given, so still due; a month on, no longer Home's to remind.
	if due, _ := w.mail.CopiesDue(); len(due) != 1 || due[0].ConsentID != cid {
		t.Fatalf("due after a refused email: %+v", due)
	}
	w.clock.Advance(31 * 24 * time.Hour)
	if due, _ := w.mail.CopiesDue(); len(due) != 0 {
		t.Fatalf("due a month on: %+v", due)
	}
	// The address and the server's answer, which repeats it, are sealed.
	if bytes.Contains(dataFile(t, w.core.Home), []byte("rejected.example")) {
		t.Fatal("the data file holds the patient's address in the clear")
	}
}
