package mail

import (
	"context"
	"strings"
	"testing"

	"practicepost/app"
)

// Our request's own words are set aside, not the line they stand in: the
// patient's words around them are read.
func TestReadWithdrawalReadsPastTheRequestsWords(t *testing.T) {
	for _, words := range []string{
		"I'm using my right to withdraw - please take my photos down.",
		"You can change your mind and withdraw at any time, it said. I have. Please remove my photo.",
		"Re how to withdraw: I don't want you to use my picture any more",
	} {
		if _, ok := ReadWithdrawal(words); !ok {
			t.Errorf("%q not read as a withdrawal", words)
		}
	}
	// The request's sentence alone, pasted back, is still not one.
	for _, words := range []string{
		"You can change your mind and withdraw at any time by replying to this email.",
		"> You can withdraw at any time.\nYes please, happy for Facebook.",
	} {
		if p, ok := ReadWithdrawal(words); ok {
			t.Errorf("%q read as a withdrawal (%q)", words, p)
		}
	}
}

// Apple Mail and others send the words before and after an inline photo as
// two text parts of a multipart/mixed message: both are the patient's.
func TestWithdrawalAfterAnInlinePhotoIsRead(t *testing.T) {
	st := NewMemStore()
	st.AddRequest(testRequest(tokA, "zoe@example.org"))
	raw := "From: Zoe Bronte <zoe@example.org>\r\nTo: " + testUser + "\r\nSubject: Re: [" + tokA + "] Your permission\r\n" +
		"Message-ID: <ap1@example.org>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n" +
		"--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nHere is the photo you mentioned:\r\n" +
		"--b\r\nContent-Type: image/jpeg\r\nContent-Disposition: inline; filename=IMG_1.jpg\r\nContent-Transfer-Encoding: base64\r\n\r\n/9j/4AAQ\r\n" +
		"--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nBut on reflection I've changed my mind, please don't use my photos at all.\r\n--b--\r\n"
	it, keep, err := BuildItem(context.Background(), st, []byte(raw), Intake{})
	if err != nil || !keep {
		t.Fatal(keep, err)
	}
	if it.Intent != app.IntentWithdrawal || !strings.Contains(it.Words, "Here is the photo") || !strings.Contains(it.Words, "changed my mind") {
		t.Fatalf("intent %s, words %q", it.Intent, it.Words)
	}
	// An alternative of the same words in HTML is not read twice.
	alt := "From: Zoe Bronte <zoe@example.org>\r\nTo: " + testUser + "\r\nSubject: Re: [" + tokA + "] Your permission\r\n" +
		"Message-ID: <ap2@example.org>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=b\r\n\r\n" +
		"--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nYes to Facebook.\r\n" +
		"--b\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>Yes to Facebook.</p>\r\n--b--\r\n"
	p, err := ParseMessage([]byte(alt), Limits{})
	if err != nil || strings.TrimSpace(p.Words) != "Yes to Facebook." {
		t.Fatalf("alternative: %q %v", p.Words, err)
	}
}

// A withdrawal from a patient's email on record that no request went to is
// kept and names every patient at that address (a family may share one);
// their ordinary mail is not PracticePost's to keep.
func TestWithdrawalFromAnAddressOnRecord(t *testing.T) {
	st := NewMemStore()
	st.AddPatient("Family@Example.org", app.PatientAt{ID: 7, Name: "Ann Moss"})
	st.AddPatient("family@example.org", app.PatientAt{ID: 9, Name: "Bea Moss"})
	msg := func(id, words string) []byte {
		return []byte("From: The Moss family <family@example.org>\r\nTo: " + testUser + "\r\nSubject: Photos\r\nMessage-ID: <" + id + "@example.org>\r\n" +
			"Content-Type: text/plain; charset=utf-8\r\n\r\n" + words + "\r\n")
	}
	it, keep, err := BuildItem(context.Background(), st, msg("w1", "Please take our photos down, we have changed our minds."), Intake{})
	if err != nil || !keep || it.Intent != app.IntentWithdrawal || len(it.Patients) != 2 || it.Patients[0] != 7 || it.Patients[1] != 9 ||
		!it.HasFlag(app.FlagNoReference) || it.RequestRef != "" || !strings.Contains(strings.Join(it.Notes, " "), "Ann Moss and Bea Moss") {
		t.Fatalf("kept %v %v: %+v", keep, err, it)
	}
	if _, keep, err := BuildItem(context.Background(), st, msg("h1", "Thanks, see you on Tuesday."), Intake{}); err != nil || keep {
		t.Fatalf("ordinary mail kept: %v %v", keep, err)
	}
	if _, keep, _ := BuildItem(context.Background(), st, []byte(strings.Replace(string(msg("w2", "I withdraw my consent.")), "family@", "stranger@", 1)), Intake{}); keep {
		t.Fatal("a withdrawal from an address nobody has was kept")
	}
}
