package service

import (
	"context"
	"encoding/json"
	"strings"
	"time"
	"unicode/utf8"

	"practicepost/app"
	"practicepost/app/consent"
	"practicepost/app/gate"
	"practicepost/app/guard"
	"practicepost/app/mail"
	"practicepost/app/store"
)

// MailRequestView is a sent (or failed) request in a patient's history.
type MailRequestView struct {
	ID          int64  `json:"id"`
	Kind        string `json:"kind"`
	PatientID   int64  `json:"patientId"`
	PatientName string `json:"patientName"`
	To          string `json:"to"`
	Token       string `json:"token"`
	State       string `json:"state"`
	StateText   string `json:"stateText"`
	Error       string `json:"error"`
	CreatedAt   string `json:"createdAt"`
	SentAt      string `json:"sentAt"`
	EmailURL    string `json:"emailUrl"` // the email exactly as sent
}

var requestStateText = map[string]string{
	app.MailSending:  "Being sent (or the app closed while sending)",
	app.MailSent:     "Sent, waiting for the reply",
	app.MailFailed:   "Not sent",
	app.MailAnswered: "Answered",
}

func requestView(r app.MailRequest) MailRequestView {
	v := MailRequestView{ID: r.ID, Kind: string(r.Kind), PatientID: r.PatientID, PatientName: r.PatientName, To: r.PatientEmail,
		Token: r.Token, State: r.State, StateText: requestStateText[r.State], Error: r.Error,
		CreatedAt: r.CreatedAt.Format(time.RFC3339)}
	if !r.SentAt.IsZero() {
		v.SentAt = r.SentAt.Format(time.RFC3339)
	}
	if r.State == app.MailFailed && strings.HasPrefix(r.Error, mail.BouncedPrefix) {
		v.StateText = "Came back undelivered"
	}
	if r.SentSHA256 != "" {
		v.EmailURL = MediaURL(r.SentSHA256)
	}
	return v
}

// mailDetail is what a consent request covers, kept with the request so
// the reply can be turned into exactly the consent that was asked for.
type mailDetail struct {
	Request ConsentRequest `json:"request"`
	Note    string         `json:"note"`
	// Terms are the practice's words the emailed form showed; a reply is
	// signed on them. Requests sent before they were kept have none.
	Terms *consent.Terms `json:"terms,omitempty"`
}

// ConsentMailInput is the "Send consent request" form.
type ConsentMailInput struct {
	Request ConsentRequest `json:"request"`
	Note    string         `json:"note"` // optional personal line
}

// scopeOptions are the consent form's boxes as tick lines in the email,
// with the words patients type for them.
func scopeOptions() []app.ScopeOption {
	aliases := map[string][]string{}
	for _, o := range mail.DefaultScope() {
		key := o.Key
		if key == "tag" {
			key = string(app.IdentitySocialTag)
		}
		aliases[key] = append([]string{o.Label}, o.Aliases...)
	}
	aliases[string(app.IdentityAnonymous)] = []string{"Anonymous", "No name"}
	var out []app.ScopeOption
	add := func(key, label string) {
		var as []string
		for _, a := range aliases[key] {
			if !strings.EqualFold(a, label) {
				as = append(as, a)
			}
		}
		out = append(out, app.ScopeOption{Key: key, Label: label, Aliases: as})
	}
	for _, c := range consent.IdentityChoices {
		add(string(c.Value), c.Label)
	}
	for _, c := range consent.ChannelChoices {
		add(string(c.Value), c.Label)
	}
	return out
}

// emailText is the form text without its own tick lists: the email asks
// for the ticks once, under "How to answer", so a patient cannot answer in
// two places.
func emailText(text string) string {
	labels := map[string]bool{}
	for _, o := range scopeOptions() {
		labels[o.Label] = true
	}
	var out []string
	inList := false
	for _, l := range strings.Split(text, "\n") {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(l), "- [ ] "); ok && labels[rest] {
			if !inList {
				out = append(out, "(Tick your choices in the list under HOW TO ANSWER below.)")
			}
			inList = true
			continue
		}
		inList = false
		out = append(out, l)
	}
	return strings.Join(out, "\n")
}

// openAccount opens the data file and the practice mailbox requests are
// sent from, refusing when none is set up.
func (s *MailService) openAccount() (context.Context, *store.DB, *mail.Account, error) {
	ctx := context.Background()
	db, err := s.c.open(ctx)
	if err != nil {
		return ctx, nil, nil, err
	}
	st, ok, err := s.loadSettings(ctx, db)
	if err != nil {
		return ctx, db, nil, err
	}
	if !ok {
		return ctx, db, nil, app.Errorf(app.EINVALID, "Set up the practice mailbox in Settings → Mailbox before sending requests by email.")
	}
	return ctx, db, s.account(st), nil
}

func patientForMail(ctx context.Context, db *store.DB, id int64) (app.Patient, error) {
	if id == 0 {
		return app.Patient{}, app.FieldError("patientId", "Choose the patient first.")
	}
	p, err := db.Patient(ctx, id)
	if err != nil {
		return p, err
	}
	if strings.TrimSpace(p.Email) == "" {
		return p, app.FieldError("patientEmail", "This patient has no email address. Add one to the patient's record first.")
	}
	return p, nil
}

// send judges the email with the one gate and records the request in the
// same transaction, then sends it, then records the outcome. A failure to
// send leaves a 'failed' request with the reason; an email the gate refuses
// is neither recorded nor sent.
func (s *MailService) send(ctx context.Context, db *store.DB, acct *mail.Account, req mail.Request, mp gate.MailPost, detail string) (MailRequestView, error) {
	out, err := mail.Compose(req, acct.Settings, s.c.Clock.Now())
	if err != nil {
		return MailRequestView{}, err
	}
	var rec app.MailRequest
	err = db.Tx(ctx, func(tx *store.Tx) error {
		res, err := s.c.Gate.Mail(ctx, tx.Reader(), mp, tx.Now())
		if err != nil {
			return err
		}
		if res.Blocked {
			return mailRefused(res)
		}
		rec, err = tx.CreateMailRequest(ctx, app.MailRequest{Token: out.Sent.Token, Kind: req.Kind, PatientID: mp.PatientID,
			PatientName: req.PatientName, PatientEmail: req.PatientEmail, MessageID: out.Sent.MessageID, Scope: req.Scope, Detail: detail}, out.Raw)
		return err
	})
	if err != nil {
		return MailRequestView{}, err
	}
	sctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	if serr := acct.Send(sctx, out); serr != nil {
		logError("send request email", serr)
		if _, err := db.MarkMailRequest(ctx, rec.ID, app.MailFailed, app.ErrorMessage(serr)); err != nil {
			logError("record failed send", err)
		}
		s.c.Emit.Emit(EventMailChanged, nil)
		return MailRequestView{}, serr
	}
	rec, err = db.MarkMailRequest(ctx, rec.ID, app.MailSent, "")
	if err != nil {
		return MailRequestView{}, err
	}
	s.c.Emit.Emit(EventMailChanged, nil)
	return requestView(rec), nil
}

// mailRefused is the gate's refusal of an email as the form shows it: on
// the personal note when that is what the gate read in it (the testimonial's
// words have no field on the card that sends them).
func mailRefused(res gate.MailResult) error {
	e := &app.Error{Code: app.EINVALID, Message: "This email was not sent: " + strings.Join(res.Reasons(), " ")}
	if res.Field == "note" {
		e.Field = "note"
	}
	for _, f := range res.Findings {
		if f.Severity != guard.Block {
			continue
		}
		if !strings.Contains(e.Message, f.Fix) {
			e.Message += " " + f.Fix
		}
	}
	return e
}

// SendConsentRequest emails the patient the consent form for what the
// request covers, with tick boxes to answer in the reply and the form as a
// PDF to print and sign.
func (s *MailService) SendConsentRequest(in ConsentMailInput) (MailRequestView, error) {
	ctx, db, acct, err := s.openAccount()
	if err != nil {
		return MailRequestView{}, err
	}
	if err := s.consents.checkReady(ctx, db); err != nil {
		return MailRequestView{}, err
	}
	r := in.Request
	if err := s.consents.checkRequest(ctx, db, &r); err != nil {
		return MailRequestView{}, err
	}
	if err := checkNewestTemplate(ctx, db, r.TemplateVersion); err != nil {
		return MailRequestView{}, err
	}
	p, err := patientForMail(ctx, db, r.PatientID)
	if err != nil {
		return MailRequestView{}, err
	}
	note := strings.TrimSpace(in.Note)
	if utf8.RuneCountInString(note) > 1000 {
		return MailRequestView{}, app.FieldError("note", "Keep the personal note to 1,000 characters.")
	}
	f, err := s.consents.form(ctx, db, r, SigningDraft{SignerName: p.FullName}, app.SignEmail)
	if err != nil {
		return MailRequestView{}, err
	}
	text, err := f.Text(s.c.Clock.Now())
	if err != nil {
		return MailRequestView{}, err
	}
	opts := scopeOptions()
	pdf, err := consent.BlankPDF(f, text, consent.PDFOptions{})
	if err != nil {
		return MailRequestView{}, err
	}
	terms := f.Terms()
	detail, _ := json.Marshal(mailDetail{Request: r, Note: note, Terms: &terms})
	req := mail.Request{Kind: app.KindConsent, PatientName: p.FullName, PatientEmail: p.Email, PracticeName: f.Practice.Name,
		Note: note, ConsentText: emailText(text), Scope: opts,
		Form: &mail.File{Filename: "Consent form.pdf", ContentType: "application/pdf", Data: pdf}}
	return s.send(ctx, db, acct, req, gate.MailPost{PatientID: p.ID, Note: note}, string(detail))
}

// SendTestimonialRequest asks the patient, by email, for a few words about
// their visit. The reply becomes a draft testimonial awaiting consent.
func (s *MailService) SendTestimonialRequest(patientID int64, note string) (MailRequestView, error) {
	ctx, db, acct, err := s.openAccount()
	if err != nil {
		return MailRequestView{}, err
	}
	p, err := patientForMail(ctx, db, patientID)
	if err != nil {
		return MailRequestView{}, err
	}
	kit, err := db.BrandKit(ctx)
	if err != nil {
		return MailRequestView{}, err
	}
	note = strings.TrimSpace(note)
	if utf8.RuneCountInString(note) > 1000 {
		return MailRequestView{}, app.FieldError("note", "Keep the personal note to 1,000 characters.")
	}
	detail, _ := json.Marshal(mailDetail{Note: note})
	req := mail.Request{Kind: app.KindTestimonial, PatientName: p.FullName, PatientEmail: p.Email, PracticeName: kit.PracticeName, Note: note}
	return s.send(ctx, db, acct, req, gate.MailPost{PatientID: p.ID, Note: note}, string(detail))
}

// Requests lists email requests, newest first (patientID 0: everyone's).
func (s *MailService) Requests(patientID int64) ([]MailRequestView, error) {
	return withDB(s.c, func(ctx context.Context, db *store.DB) ([]MailRequestView, error) {
		rs, err := db.ListMailRequests(ctx, patientID, 200)
		if err != nil {
			return nil, err
		}
		out := make([]MailRequestView, len(rs))
		for i, r := range rs {
			out[i] = requestView(r)
		}
		return out, nil
	})
}
