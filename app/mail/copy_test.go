package mail

import (
	"strings"
	"testing"
	"time"

	"practicepost/app"
)

// A copy is composed only for a valid address, a signed PDF and a
// practice mailbox; each missing part is named, nothing is half-built.
func TestComposeCopyRefusesWhatIsMissing(t *testing.T) {
	now := time.Date(2026, 12, 8, 10, 0, 0, 0, time.UTC)
	good := Copy{SignerName: "Zoë Brontë", Email: "zoe@example.org", PracticeName: "Harbour Dental", SignedOn: "8 December 2026",
		Form: File{Filename: "Signed consent 2026-12-08.pdf", ContentType: "application/pdf", Data: []byte("%PDF-1.7 …")}}
	s := Settings{FromAddress: "hello@harbour.example", FromName: "Harbour Dental"}
	for _, tc := range []struct {
		name  string
		edit  func(c *Copy, s *Settings)
		field string
		code  string
	}{
		{"address", func(c *Copy, _ *Settings) { c.Email = "Zoë <zoe@example.org>" }, "patientEmail", app.EINVALID},
		{"no PDF", func(c *Copy, _ *Settings) { c.Form.Data = nil }, "", app.EINVALID},
		{"no mailbox", func(_ *Copy, s *Settings) { s.FromAddress = "" }, "fromAddress", app.EINVALID},
		{"header injection", func(c *Copy, _ *Settings) { c.SignerName = "Zoë\r\nBcc: x@evil.example" }, "", app.EINTERNAL},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, st := good, s
			tc.edit(&c, &st)
			out, err := ComposeCopy(c, st, now)
			if out != nil || app.ErrorCode(err) != tc.code || app.ErrorField(err) != tc.field {
				t.Fatalf("got %v, %v (field %q)", out != nil, err, app.ErrorField(err))
			}
		})
	}
	out, err := ComposeCopy(good, s, now)
	if err != nil || out.To != "zoe@example.org" || out.From != "hello@harbour.example" {
		t.Fatalf("%+v %v", out, err)
	}
	p, err := ParseMessage(out.Raw, Limits{})
	if err != nil || !strings.Contains(p.Words, "signed on 8 December 2026") || !strings.Contains(p.Words, "replying to this email") ||
		len(findTokens(string(out.Raw))) != 0 || p.Subject != "Your signed consent form – Harbour Dental" {
		t.Fatalf("parsed %+v %v", p, err)
	}
}
