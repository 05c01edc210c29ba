package mail

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"html/template"
	"io"
	netmail "net/mail"
	"regexp"
	"strings"
	texttemplate "text/template"
	"time"

	"github.com/emersion/go-message/mail"

	"practicepost/app"
)

// DefaultScope is the checklist of compliance.md §3.5 B and C, as tick boxes.
func DefaultScope() []app.ScopeOption {
	return []app.ScopeOption{
		{Key: "website", Label: "Practice website", Aliases: []string{"website", "web site", "our website"}},
		{Key: "facebook", Label: "Facebook", Aliases: []string{"FB"}},
		{Key: "instagram", Label: "Instagram", Aliases: []string{"Insta", "IG"}},
		{Key: "linkedin", Label: "LinkedIn", Aliases: []string{"Linked In"}},
		{Key: "google_business", Label: "Google Business Profile", Aliases: []string{"Google", "Google Business", "Google Maps"}},
		{Key: "x", Label: "X (Twitter)", Aliases: []string{"X", "Twitter"}},
		{Key: "newsletter", Label: "Email newsletter", Aliases: []string{"Newsletter"}},
		{Key: "print", Label: "Printed material", Aliases: []string{"Print", "Leaflets", "Printed"}},
		{Key: "paid_ads", Label: "Paid or boosted adverts", Aliases: []string{"Paid ads", "Adverts", "Ads", "Paid adverts", "Boosted posts"}},
		{Key: "review_sites", Label: "Review websites", Aliases: []string{"Review sites", "Reviews"}},
		{Key: "full_name", Label: "My full name"},
		{Key: "first_name", Label: "My first name only", Aliases: []string{"First name only", "First name"}},
		{Key: "initials", Label: "My initials only", Aliases: []string{"Initials"}},
		{Key: "face", Label: "Photos showing my face", Aliases: []string{"Face visible", "My face", "Face"}},
		{Key: "before_after", Label: "Before and after photos", Aliases: []string{"Before/after", "Before & after", "Before and after"}},
		{Key: "video", Label: "Video", Aliases: []string{"Videos"}},
		{Key: "voice", Label: "My voice", Aliases: []string{"Voice", "Audio"}},
		{Key: "age", Label: "My age", Aliases: []string{"Age"}},
		{Key: "town", Label: "My town", Aliases: []string{"Town"}},
		{Key: "tag", Label: "Tagging my own social media account", Aliases: []string{"Tag me", "Tagging", "Tag"}},
	}
}

// Request is what the practice wants to send to one patient.
type Request struct {
	Kind         app.RequestKind
	Token        string // "" generates one
	PatientName  string
	PatientEmail string
	PracticeName string
	// Note is an optional personal line from the practice, shown first.
	Note string
	// ConsentText is the full consent wording (compliance.md §3.5), shown
	// verbatim. Required for KindConsent.
	ConsentText string
	// Scope lists the tick boxes offered. Required for KindConsent.
	Scope []app.ScopeOption
	// Form is the printable consent form (PDF), attached when set.
	Form *File
	// For KindQuoteApproval: the words the patient approved, the new words
	// and what the practice says it changed (all required).
	ApprovedWords, NewWords, Statement string
}

// File is an attachment going out or coming in.
type File struct {
	Filename    string `json:"filename"`
	ContentType string `json:"contentType"`
	Data        []byte `json:"-"`
}

// Outgoing is a composed message ready for Account.Send. Raw is exactly what
// goes over the wire; keep it as the copy of what the patient was shown.
type Outgoing struct {
	Sent app.SentRequest
	From string
	To   string
	Raw  []byte
}

// RequestHeader carries the token on every request; patients' mail programs
// drop it from replies, so matching also uses the subject and Message-ID.
const RequestHeader = "X-PracticePost-Request"

var tokenRe = regexp.MustCompile(`(?i)(?:^|[^0-9A-Za-z])PP-([0-9A-Za-z]{6})(?:$|[^0-9A-Za-z])`)

// findTokens returns the distinct well-formed tokens in s, in order.
func findTokens(s string) []string {
	var out []string
	seen := map[string]bool{}
	for _, m := range tokenRe.FindAllStringSubmatch(s, -1) {
		t := "PP-" + strings.ToUpper(m[1])
		if app.ValidToken(t) && !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	return out
}

// Compose builds the request email: a plain-text part, a simple HTML
// alternative, and the form as a PDF attachment.
func Compose(req Request, s Settings, now time.Time) (*Outgoing, error) {
	if err := validateRequest(&req); err != nil {
		return nil, err
	}
	var rnd [8]byte
	if _, err := io.ReadFull(rand.Reader, rnd[:]); err != nil {
		return nil, app.Internal(err, "PracticePost could not prepare the email. Try again.")
	}
	msgID := req.Token + "." + hex.EncodeToString(rnd[:])
	h, err := header(s, now, msgID, &mail.Address{Name: req.PatientName, Address: req.PatientEmail}, subject(req))
	if err != nil {
		return nil, err
	}
	msgID, _ = h.MessageID()
	h.Set(RequestHeader, req.Token)

	text, html := bodies(req)
	raw, err := writeMessage(h, text, html, req.Form)
	if err != nil {
		return nil, err
	}
	return &Outgoing{
		Sent: app.SentRequest{
			Token: req.Token, Kind: req.Kind, MessageID: msgID,
			PatientName: req.PatientName, PatientEmail: req.PatientEmail,
			Scope: req.Scope, SentAt: now.UTC(),
		},
		From: s.FromAddress,
		To:   req.PatientEmail,
		Raw:  raw,
	}, nil
}

// header is the header of an email from the practice mailbox in s to to:
// its Message-ID is local at the practice's domain, and auto-responders are
// asked not to answer, since their replies would only be noise.
func header(s Settings, now time.Time, local string, to *mail.Address, subject string) (mail.Header, error) {
	var h mail.Header
	if s.FromAddress == "" {
		return h, app.FieldError("fromAddress", "Set up the practice email address in Settings → Mailbox before sending email.")
	}
	h.SetDate(now)
	h.SetMessageID(local + "@" + s.FromAddress[strings.LastIndexByte(s.FromAddress, '@')+1:])
	h.SetAddressList("From", []*mail.Address{{Name: s.FromName, Address: s.FromAddress}})
	h.SetAddressList("To", []*mail.Address{to})
	h.SetSubject(subject)
	h.Set("X-Auto-Response-Suppress", "OOF, AutoReply")
	return h, nil
}

// writeMessage writes a message with header h: a plain-text part, its HTML
// alternative, and file (when set) as an attachment.
func writeMessage(h mail.Header, text, html string, file *File) ([]byte, error) {
	fail := func(err error) ([]byte, error) {
		return nil, app.Internal(err, "PracticePost could not prepare the email. Try again.")
	}
	var buf bytes.Buffer
	w, err := mail.CreateWriter(&buf, h)
	if err != nil {
		return fail(err)
	}
	iw, err := w.CreateInline()
	if err != nil {
		return fail(err)
	}
	for _, part := range []struct{ typ, body string }{{"text/plain", text}, {"text/html", html}} {
		var ph mail.InlineHeader
		ph.SetContentType(part.typ, map[string]string{"charset": "utf-8"})
		ph.Set("Content-Transfer-Encoding", "quoted-printable")
		pw, err := iw.CreatePart(ph)
		if err != nil {
			return fail(err)
		}
		io.WriteString(pw, part.body)
		pw.Close()
	}
	iw.Close()
	if file != nil {
		var ah mail.AttachmentHeader
		ct := file.ContentType
		if ct == "" {
			ct = "application/pdf"
		}
		ah.SetContentType(ct, nil)
		ah.SetFilename(file.Filename)
		aw, err := w.CreateAttachment(ah)
		if err != nil {
			return fail(err)
		}
		aw.Write(file.Data)
		aw.Close()
	}
	if err := w.Close(); err != nil {
		return fail(err)
	}
	return buf.Bytes(), nil
}

func validateRequest(req *Request) error {
	switch req.Kind {
	case app.KindConsent, app.KindTestimonial, app.KindQuoteApproval:
	default:
		return app.Errorf(app.EINVALID, "Choose whether to ask for consent or for a testimonial.")
	}
	if req.Token == "" {
		req.Token = app.NewToken()
	} else if !app.ValidToken(req.Token) {
		return app.Internal(nil, "PracticePost made an invalid request reference. Try again.")
	}
	a, err := netmail.ParseAddress(req.PatientEmail)
	if err != nil || a.Address != req.PatientEmail {
		return app.FieldError("patientEmail", "The patient's email address %q is not valid. Correct it on the patient's record.", req.PatientEmail)
	}
	if strings.TrimSpace(req.PatientName) == "" || strings.ContainsAny(req.PatientName, "\r\n") {
		return app.FieldError("patientName", "The patient needs a name before a request can be sent.")
	}
	if strings.TrimSpace(req.PracticeName) == "" || strings.ContainsAny(req.PracticeName, "\r\n") {
		return app.FieldError("practiceName", "Enter the practice name in Settings → Practice & brand before sending requests.")
	}
	if req.Kind == app.KindConsent {
		if strings.TrimSpace(req.ConsentText) == "" {
			return app.FieldError("consentText", "The consent wording is empty. Choose a consent template first.")
		}
		if len(req.Scope) == 0 {
			return app.FieldError("scope", "Choose at least one place or use the patient can agree to.")
		}
		seen := map[string]bool{}
		for _, o := range req.Scope {
			if o.Key == "" || strings.TrimSpace(o.Label) == "" || seen[o.Key] {
				return app.FieldError("scope", "Each consent option needs its own name.")
			}
			seen[o.Key] = true
		}
	}
	if req.Kind == app.KindQuoteApproval && (strings.TrimSpace(req.ApprovedWords) == "" || strings.TrimSpace(req.NewWords) == "" || req.Statement == "") {
		return app.FieldError("newWords", "The testimonial has no words to approve.")
	}
	if req.Form != nil && (req.Form.Filename == "" || len(req.Form.Data) == 0) {
		return app.FieldError("form", "The consent form PDF is empty. Create the form again.")
	}
	return nil
}

func subject(req Request) string {
	if req.Kind == app.KindQuoteApproval {
		return "[" + req.Token + "] Please approve the new wording of your testimonial – " + req.PracticeName
	}
	if req.Kind == app.KindTestimonial {
		return "[" + req.Token + "] Would you share a few words about your visit? – " + req.PracticeName
	}
	return "[" + req.Token + "] Your permission to share your story – " + req.PracticeName
}

type bodyData struct {
	Request
	Boxes []string
}

func bodies(req Request) (text, html string) {
	d := bodyData{Request: req}
	for _, o := range req.Scope {
		d.Boxes = append(d.Boxes, "[ ] "+o.Label)
	}
	var tb, hb bytes.Buffer
	switch req.Kind {
	case app.KindQuoteApproval:
		must(textQuoteApproval.Execute(&tb, d))
		must(htmlQuoteApproval.Execute(&hb, d))
	case app.KindTestimonial:
		must(textTestimonial.Execute(&tb, d))
		must(htmlTestimonial.Execute(&hb, d))
	default:
		must(textConsent.Execute(&tb, d))
		must(htmlConsent.Execute(&hb, d))
	}
	return strings.ReplaceAll(tb.String(), "\n", "\r\n"), hb.String()
}

func must(err error) {
	if err != nil {
		panic(err) // templates are constants; a failure is a programming error
	}
}

var textConsent = texttemplate.Must(texttemplate.New("t").Parse(`Dear {{.PatientName}},
{{if .Note}}
{{.Note}}
{{end}}
{{.PracticeName}} would like your permission to share your story in its marketing. Please read the consent below. You do not have to agree, and saying no will not affect your care in any way.

---------------- Consent ----------------
{{.ConsentText}}
-----------------------------------------

HOW TO ANSWER

Reply to this email. For each line below, put an x between the brackets if you agree, like this: [x]. Leave the brackets empty if you do not agree.

{{range .Boxes}}{{.}}
{{end}}
Then type your full name after "Full name:".

Full name:

If you prefer, print the attached form, sign it, and reply with a scan or photo of it (PDF, JPEG or PNG).

You can change your mind and withdraw at any time by replying to this email.

Please keep the reference [{{.Token}}] in the subject line when you reply.

{{.PracticeName}}
`))

var textTestimonial = texttemplate.Must(texttemplate.New("t").Parse(`Dear {{.PatientName}},
{{if .Note}}
{{.Note}}
{{end}}
Thank you for choosing {{.PracticeName}}. Would you be willing to share a few words about your experience with us?

Just reply to this email in your own words. We will only correct spelling or shorten it, and we will ask you to approve the final version. Nothing will be published without your separate written consent.

You do not have to do this, it will not affect your care in any way, and we are not offering any payment or gift for it.

Please keep the reference [{{.Token}}] in the subject line when you reply.

{{.PracticeName}}
`))

var htmlConsent = template.Must(template.New("h").Parse(`<!DOCTYPE html>
<html><body style="font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5;color:#222">
<p>Dear {{.PatientName}},</p>
{{if .Note}}<p>{{.Note}}</p>{{end}}
<p>{{.PracticeName}} would like your permission to share your story in its marketing. Please read the consent below. You do not have to agree, and saying no will not affect your care in any way.</p>
<div style="border:1px solid #ccc;padding:12px;white-space:pre-wrap">{{.ConsentText}}</div>
<h3>How to answer</h3>
<p>Reply to this email. For each line below, put an x between the brackets if you agree, like this: [x]. Leave the brackets empty if you do not agree.</p>
<pre style="font-size:16px">{{range .Boxes}}{{.}}
{{end}}</pre>
<p>Then type your full name after "Full name:".</p>
<pre style="font-size:16px">Full name:</pre>
<p>If you prefer, print the attached form, sign it, and reply with a scan or photo of it (PDF, JPEG or PNG).</p>
<p>You can change your mind and withdraw at any time by replying to this email.</p>
<p>Please keep the reference [{{.Token}}] in the subject line when you reply.</p>
<p>{{.PracticeName}}</p>
</body></html>
`))

var htmlTestimonial = template.Must(template.New("h").Parse(`<!DOCTYPE html>
<html><body style="font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5;color:#222">
<p>Dear {{.PatientName}},</p>
{{if .Note}}<p>{{.Note}}</p>{{end}}
<p>Thank you for choosing {{.PracticeName}}. Would you be willing to share a few words about your experience with us?</p>
<p>Just reply to this email in your own words. We will only correct spelling or shorten it, and we will ask you to approve the final version. Nothing will be published without your separate written consent.</p>
<p>You do not have to do this, it will not affect your care in any way, and we are not offering any payment or gift for it.</p>
<p>Please keep the reference [{{.Token}}] in the subject line when you reply.</p>
<p>{{.PracticeName}}</p>
</body></html>
`))

// The approval email asks for a plain yes or no on a line of its own: the
// reply is read by consent.ReadApprovalAnswer, and anything but a plain
// answer waits for the practice to read it.
var textQuoteApproval = texttemplate.Must(texttemplate.New("t").Parse(`Dear {{.PatientName}},
{{if .Note}}
{{.Note}}
{{end}}
Thank you for your testimonial. {{.Statement}}

---------------- Your words as you approved them ----------------
{{.ApprovedWords}}
---------------- The new words ----------------
{{.NewWords}}
------------------------------------------------

HOW TO ANSWER

Reply to this email with "I approve" (or "yes") if we may use the new words.
Reply with "I do not approve" (or "no") if we may not. Until you approve them, we will not publish the new words.

You do not have to approve them, and saying no will not affect your care in any way.

Please keep the reference [{{.Token}}] in the subject line when you reply.

{{.PracticeName}}
`))

var htmlQuoteApproval = template.Must(template.New("h").Parse(`<!DOCTYPE html>
<html><body style="font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5;color:#222">
<p>Dear {{.PatientName}},</p>
{{if .Note}}<p>{{.Note}}</p>{{end}}
<p>Thank you for your testimonial. {{.Statement}}</p>
<h3>Your words as you approved them</h3>
<div style="border:1px solid #ccc;padding:12px;white-space:pre-wrap">{{.ApprovedWords}}</div>
<h3>The new words</h3>
<div style="border:1px solid #ccc;padding:12px;white-space:pre-wrap">{{.NewWords}}</div>
<h3>How to answer</h3>
<p>Reply to this email with “I approve” (or “yes”) if we may use the new words.<br>
Reply with “I do not approve” (or “no”) if we may not. Until you approve them, we will not publish the new words.</p>
<p>You do not have to approve them, and saying no will not affect your care in any way.</p>
<p>Please keep the reference [{{.Token}}] in the subject line when you reply.</p>
<p>{{.PracticeName}}</p>
</body></html>
`))
