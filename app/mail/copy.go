package mail

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"html/template"
	"io"
	netmail "net/mail"
	"strings"
	texttemplate "text/template"
	"time"

	"github.com/emersion/go-message/mail"

	"practicepost/app"
)

// Copy is a patient's copy of their signed consent form, to email them:
// the form promises it, and HIPAA 164.508(c)(4) entitles them to it.
type Copy struct {
	SignerName   string // who signed: the patient, or their representative
	Email        string // the address on the patient's record
	PracticeName string
	SignedOn     string // the day it was signed, in the practice's format
	Form         File   // the signed PDF
}

// ComposeCopy builds the email that carries c. It has no request
// reference: it asks nothing, so a reply is ordinary mail for the practice
// to read, except a withdrawal from the patient's address, which the
// mailbox watcher reads as it reads any other.
func ComposeCopy(c Copy, s Settings, now time.Time) (*Outgoing, error) {
	a, err := netmail.ParseAddress(c.Email)
	if err != nil || a.Address != c.Email {
		return nil, app.FieldError("patientEmail", "The patient's email address %q is not valid. Correct it on the patient's record.", c.Email)
	}
	for _, v := range []string{c.SignerName, c.PracticeName, c.SignedOn} {
		if strings.TrimSpace(v) == "" || strings.ContainsAny(v, "\r\n") {
			return nil, app.Internal(nil, "PracticePost prepared an incomplete email. Try again.")
		}
	}
	if c.Form.Filename == "" || len(c.Form.Data) == 0 {
		return nil, app.Errorf(app.EINVALID, "The signed copy (PDF) is missing from the data file, so there is nothing to send.")
	}
	var rnd [12]byte
	if _, err := io.ReadFull(rand.Reader, rnd[:]); err != nil {
		return nil, app.Internal(err, "PracticePost could not prepare the email. Try again.")
	}
	h, err := header(s, now, "copy."+hex.EncodeToString(rnd[:]), &mail.Address{Name: c.SignerName, Address: c.Email}, "Your signed consent form – "+c.PracticeName)
	if err != nil {
		return nil, err
	}

	var tb, hb bytes.Buffer
	must(textCopy.Execute(&tb, c))
	must(htmlCopy.Execute(&hb, c))
	raw, err := writeMessage(h, strings.ReplaceAll(tb.String(), "\n", "\r\n"), hb.String(), &c.Form)
	if err != nil {
		return nil, err
	}
	return &Outgoing{From: s.FromAddress, To: c.Email, Raw: raw}, nil
}

var textCopy = texttemplate.Must(texttemplate.New("t").Parse(`Dear {{.SignerName}},

Thank you for your consent, signed on {{.SignedOn}}. As the form says, you are entitled to a copy of it: it is attached to this email ({{.Form.Filename}}). Please keep it.

You can withdraw your consent at any time, free of charge, in any of the ways the form gives, or simply by replying to this email. Withdrawing will not affect your care in any way.

{{.PracticeName}}
`))

var htmlCopy = template.Must(template.New("h").Parse(`<!DOCTYPE html>
<html><body style="font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5;color:#222">
<p>Dear {{.SignerName}},</p>
<p>Thank you for your consent, signed on {{.SignedOn}}. As the form says, you are entitled to a copy of it: it is attached to this email ({{.Form.Filename}}). Please keep it.</p>
<p>You can withdraw your consent at any time, free of charge, in any of the ways the form gives, or simply by replying to this email. Withdrawing will not affect your care in any way.</p>
<p>{{.PracticeName}}</p>
</body></html>
`))
