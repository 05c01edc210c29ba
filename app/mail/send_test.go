package mail

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-message/mail"

	"practicepost/app"
)

func consentRequest() Request {
	return Request{
		Kind: app.KindConsent, PatientName: "Zoë Brontë", PatientEmail: "zoe@example.org",
		PracticeName: "Riverside Dental",
		ConsentText:  "I agree that Riverside Dental may use my testimonial and photos in its marketing.\nI can withdraw at any time.",
		Scope:        consentScope,
		Form:         &File{Filename: "consent-form.pdf", ContentType: "application/pdf", Data: []byte(minimalPDF)},
	}
}

func TestComposeAndSendConsentRequest(t *testing.T) {
	smtpSrv := startSMTP(t, nil)
	a := testAccount(1, smtpSrv.port)
	now := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	out, err := Compose(consentRequest(), a.Settings, now)
	if err != nil {
		t.Fatal(err)
	}
	if !app.ValidToken(out.Sent.Token) || !strings.HasPrefix(out.Sent.MessageID, out.Sent.Token+".") {
		t.Fatalf("token %q / message id %q", out.Sent.Token, out.Sent.MessageID)
	}
	if err := a.Send(context.Background(), out); err != nil {
		t.Fatal(err)
	}
	got := smtpSrv.backend.Messages()
	if len(got) != 1 || got[0].From != testUser || len(got[0].To) != 1 || got[0].To[0] != "zoe@example.org" {
		t.Fatalf("envelope: %+v", got)
	}
	mr, err := mail.CreateReader(bytes.NewReader(got[0].Data))
	if err != nil {
		t.Fatal(err)
	}
	subj, _ := mr.Header.Subject()
	if !strings.HasPrefix(subj, "["+out.Sent.Token+"] ") || !strings.Contains(subj, "Riverside Dental") {
		t.Errorf("subject %q", subj)
	}
	if h := mr.Header.Get(RequestHeader); h != out.Sent.Token {
		t.Errorf("%s = %q", RequestHeader, h)
	}
	if id, _ := mr.Header.MessageID(); id != out.Sent.MessageID {
		t.Errorf("Message-ID %q, recorded %q", id, out.Sent.MessageID)
	}
	to, _ := mr.Header.AddressList("To")
	if len(to) != 1 || to[0].Name != "Zoë Brontë" {
		t.Errorf("To %+v", to)
	}
	var text, html string
	var pdf []byte
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(p.Body)
		switch h := p.Header.(type) {
		case *mail.InlineHeader:
			ct, _, _ := h.ContentType()
			if ct == "text/plain" {
				text = string(b)
			} else if ct == "text/html" {
				html = string(b)
			}
		case *mail.AttachmentHeader:
			name, _ := h.Filename()
			if name != "consent-form.pdf" {
				t.Errorf("attachment name %q", name)
			}
			pdf = b
		}
	}
	for _, want := range []string{"Dear Zoë Brontë", "[ ] Facebook", "[ ] Paid or boosted adverts", "Full name:", "withdraw", "will not affect your care", "I can withdraw at any time.", out.Sent.Token} {
		if !strings.Contains(text, want) {
			t.Errorf("text part lacks %q", want)
		}
	}
	if !strings.Contains(html, "[ ] Instagram") || !strings.Contains(html, "Zoë") {
		t.Errorf("html part: %s", html)
	}
	if !bytes.Equal(pdf, []byte(minimalPDF)) {
		t.Error("PDF attachment differs from what was passed in")
	}
	// The request's own quoted text must not read as an answer.
	words, quoted := stripQuoted(quote(text))
	if r := ReadScope(words, quoted, consentScope); len(r.Agreed)+len(r.Ambiguous) != 0 || r.FromQuote {
		t.Errorf("unticked request read as %+v", r)
	}
}

func quote(s string) string {
	lines := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	for i, l := range lines {
		lines[i] = "> " + l
	}
	return strings.Join(lines, "\n")
}

// composeParsed composes req and reads the message back as a reply
// would be read, for the tests that check what the patient is shown.
func composeParsed(t *testing.T, req Request) (*Outgoing, *Parsed) {
	t.Helper()
	out, err := Compose(req, testAccount(1, 1).Settings, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	p, err := ParseMessage(out.Raw, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	return out, p
}

func TestComposeTestimonialRequest(t *testing.T) {
	req := Request{Kind: app.KindTestimonial, PatientName: "Sam Patel", PatientEmail: "sam@example.org", PracticeName: "Riverside Dental", Note: "Lovely to see you on Tuesday!"}
	out, p := composeParsed(t, req)
	for _, want := range []string{"share a few words", "own words", "approve the final version", "not offering any payment", "Lovely to see you"} {
		if !strings.Contains(p.Words, want) {
			t.Errorf("testimonial request lacks %q", want)
		}
	}
	if out.Sent.Kind != app.KindTestimonial {
		t.Errorf("kind %q", out.Sent.Kind)
	}
}

// The approval email shows both texts and how to answer, and is refused
// without the words it asks about.
func TestComposeQuoteApprovalRequest(t *testing.T) {
	req := Request{Kind: app.KindQuoteApproval, PatientName: "Sam Patel", PatientEmail: "sam@example.org", PracticeName: "Riverside Dental",
		ApprovedWords: "Kind and quick, and the whole team was lovely.", NewWords: "Kind and quick.",
		Statement: "Riverside Dental edited your words only to make them shorter."}
	out, p := composeParsed(t, req)
	for _, want := range []string{req.ApprovedWords, req.NewWords, req.Statement, `"I approve"`, `"I do not approve"`, "[" + out.Sent.Token + "]", "will not affect your care"} {
		if !strings.Contains(p.Words, want) {
			t.Errorf("approval request lacks %q", want)
		}
	}
	if out.Sent.Kind != app.KindQuoteApproval || !strings.HasPrefix(p.Subject, "["+out.Sent.Token+"] Please approve the new wording") {
		t.Errorf("kind %q subject %q", out.Sent.Kind, p.Subject)
	}
	for _, blank := range []func(*Request){func(r *Request) { r.NewWords = " " }, func(r *Request) { r.ApprovedWords = "" }, func(r *Request) { r.Statement = "" }} {
		r := req
		blank(&r)
		_, err := Compose(r, testAccount(1, 1).Settings, time.Now())
		wantAppError(t, err, app.EINVALID, "newWords")
	}
}

func TestComposeRejectsBadRequests(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Request)
		field  string
	}{
		{"bad email", func(r *Request) { r.PatientEmail = "zoe at example" }, "patientEmail"},
		{"header injection in name", func(r *Request) { r.PatientName = "Zoe\r\nBcc: all@example.org" }, "patientName"},
		{"no consent text", func(r *Request) { r.ConsentText = "  " }, "consentText"},
		{"no scope", func(r *Request) { r.Scope = nil }, "scope"},
		{"duplicate scope key", func(r *Request) { r.Scope = append(r.Scope, r.Scope[0]) }, "scope"},
		{"empty form", func(r *Request) { r.Form.Data = nil }, "form"},
		{"no practice name", func(r *Request) { r.PracticeName = "" }, "practiceName"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := consentRequest()
			tt.change(&r)
			_, err := Compose(r, testAccount(1, 1).Settings, time.Now())
			wantAppError(t, err, app.EINVALID, tt.field)
		})
	}
}

func TestSendFailures(t *testing.T) {
	smtpSrv := startSMTP(t, nil)
	tests := []struct {
		name  string
		setup func(*Account, *Outgoing)
		code  string
		field string
	}{
		{"wrong password", func(a *Account, _ *Outgoing) {
			a.Password = func(context.Context) (string, error) { return "nope", nil }
		}, app.EFORBIDDEN, "password"},
		{"recipient refused", func(_ *Account, o *Outgoing) { o.To = "zoe@rejected.example" }, app.EINVALID, ""},
		{"server down", func(a *Account, _ *Outgoing) { a.Settings.SMTP.Port = closedPort(t) }, app.EUNAVAILABLE, "smtp.port"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := testAccount(1, smtpSrv.port)
			out, err := Compose(consentRequest(), a.Settings, time.Now())
			if err != nil {
				t.Fatal(err)
			}
			before := len(smtpSrv.backend.Messages())
			tt.setup(a, out)
			wantAppError(t, a.Send(context.Background(), out), tt.code, tt.field)
			if len(smtpSrv.backend.Messages()) != before {
				t.Error("a message was delivered despite the failure")
			}
		})
	}
}

func TestTokens(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		tok := app.NewToken()
		if !app.ValidToken(tok) {
			t.Fatalf("invalid token %q", tok)
		}
		seen[tok] = true
	}
	if len(seen) < 999 {
		t.Errorf("only %d distinct tokens in 1000", len(seen))
	}
	got := findTokens("Re: [pp-7k3m9q] thanks; see also PP-7K3M9Q and APP-123456, PP-ILOU12, xPP-ABCDEF, (PP-0000ZZ)")
	want := []string{"PP-7K3M9Q", "PP-0000ZZ"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("findTokens = %v, want %v", got, want)
	}
}
