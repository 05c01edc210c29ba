package service

import (
	"context"
	"fmt"
	"strings"
	"time"

	"practicepost/app"
	"practicepost/app/consent"
	"practicepost/app/gate"
	"practicepost/app/mail"
	"practicepost/app/store"
)

// CopyView is one time the patient was given their copy of a signed form.
type CopyView struct {
	ID       int64  `json:"id"`
	Method   string `json:"method"` // app.CopyByEmail or app.CopyInPerson
	To       string `json:"to"`
	State    string `json:"state"` // sending, sent, failed
	Text     string `json:"text"`  // what happened, in words
	At       string `json:"at"`    // RFC 3339: when it was sent, recorded or tried
	EmailURL string `json:"emailUrl"`
}

// PatientCopy is the consent page's "Patient's copy" card: whether the
// patient has been given the copy the form promises, and how they can be.
type PatientCopy struct {
	Given bool `json:"given"` // a copy was emailed or handed over
	// EmailTo is the address on the patient's record the copy would go to.
	EmailTo string `json:"emailTo"`
	// CannotEmail says why the copy cannot be emailed now ("" when it can).
	CannotEmail string     `json:"cannotEmail"`
	Copies      []CopyView `json:"copies"` // newest first
}

var copyStateText = map[string]string{
	app.MailSending: "Being sent (or PracticePost closed while sending it): look in the mailbox's Sent folder, or send it again",
	app.MailSent:    "Emailed",
	app.MailFailed:  "Not sent",
}

func copyView(c app.ConsentCopy) CopyView {
	v := CopyView{ID: c.ID, Method: c.Method, To: c.To, State: c.State, Text: copyStateText[c.State], At: c.CreatedAt.Format(time.RFC3339)}
	switch {
	case c.Method == app.CopyInPerson:
		v.Text = "Handed over in person (as you recorded)"
	case c.State == app.MailFailed:
		v.Text = "Not sent: " + c.Error
	}
	if !c.SentAt.IsZero() {
		v.At = c.SentAt.Format(time.RFC3339)
	}
	if c.SentSHA256 != "" {
		v.EmailURL = MediaURL(c.SentSHA256)
	}
	return v
}

// PatientCopy tells the consent page how the patient got, or can get,
// their copy of consent id.
func (s *MailService) PatientCopy(id int64) (PatientCopy, error) {
	return withDB(s.c, func(ctx context.Context, db *store.DB) (PatientCopy, error) {
		return s.patientCopy(ctx, db, id)
	})
}

func (s *MailService) patientCopy(ctx context.Context, db *store.DB, id int64) (PatientCopy, error) {
	e, err := db.Consent(ctx, id)
	if err != nil {
		return PatientCopy{}, err
	}
	p, err := db.Patient(ctx, e.Consent.PatientID)
	if err != nil {
		return PatientCopy{}, err
	}
	cs, err := db.ConsentCopies(ctx, id)
	if err != nil {
		return PatientCopy{}, err
	}
	out := PatientCopy{EmailTo: strings.TrimSpace(p.Email), Copies: make([]CopyView, len(cs))}
	for i, c := range cs {
		out.Copies[i] = copyView(c)
		out.Given = out.Given || c.State == app.MailSent
	}
	if _, ok, err := s.loadSettings(ctx, db); err != nil || !ok {
		out.CannotEmail = "Set up the practice mailbox in Settings → Mailbox to email it."
	}
	if out.EmailTo == "" {
		out.CannotEmail = "There is no email address on " + p.FullName + "'s record. Add one on the Patients screen to email it."
	}
	return out, nil
}

// EmailPatientCopy emails the patient their copy of signed consent id, as a
// PDF, from the practice mailbox, to the address on their record. The gate
// judges the email in the transaction that records it; the email as sent is
// kept. A withdrawn consent's copy can still be sent: it is the patient's
// record of what they signed.
func (s *MailService) EmailPatientCopy(id int64) (PatientCopy, error) {
	ctx, db, acct, err := s.openAccount()
	if err != nil {
		return PatientCopy{}, err
	}
	e, err := db.Consent(ctx, id)
	if err != nil {
		return PatientCopy{}, err
	}
	p, err := patientForMail(ctx, db, e.Consent.PatientID)
	if err != nil {
		return PatientCopy{}, err
	}
	pdf, err := db.Blob(ctx, e.PDFSHA256)
	if err != nil {
		return PatientCopy{}, err
	}
	c := e.Consent
	practice := c.Practice.Name
	if practice == "" {
		kit, err := db.BrandKit(ctx)
		if err != nil {
			return PatientCopy{}, err
		}
		practice = kit.PracticeName
	}
	loc := zoneOf(c)
	out, err := mail.ComposeCopy(mail.Copy{SignerName: c.Signer.Name, Email: p.Email, PracticeName: practice,
		SignedOn: c.SignedAt.In(loc).Format(consent.DateLayout(c.Country)),
		Form:     mail.File{Filename: fmt.Sprintf("Signed consent %s.pdf", c.SignedAt.In(loc).Format("2006-01-02")), ContentType: "application/pdf", Data: pdf.Data},
	}, acct.Settings, s.c.Clock.Now())
	if err != nil {
		return PatientCopy{}, err
	}
	var rec app.ConsentCopy
	err = db.Tx(ctx, func(tx *store.Tx) error {
		res, err := s.c.Gate.Mail(ctx, tx.Reader(), gate.MailPost{PatientID: p.ID}, tx.Now())
		if err != nil {
			return err
		}
		if res.Blocked {
			return mailRefused(res)
		}
		rec, err = tx.CreateConsentCopy(ctx, app.ConsentCopy{ConsentID: id, Method: app.CopyByEmail, To: p.Email}, out.Raw)
		return err
	})
	if err != nil {
		return PatientCopy{}, err
	}
	sctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	state, reason := app.MailSent, ""
	serr := acct.Send(sctx, out)
	if serr != nil {
		logError("send patient's copy", serr)
		state, reason = app.MailFailed, app.ErrorMessage(serr)
	}
	if _, err := db.MarkConsentCopy(ctx, rec.ID, state, reason); err != nil {
		return PatientCopy{}, err
	}
	s.c.Emit.Emit(EventConsentChanged, nil)
	if serr != nil {
		return PatientCopy{}, serr
	}
	return s.patientCopy(ctx, db, id)
}

// RecordCopyHandedOver records that the manager gave the patient a printed
// copy of consent id (in the surgery, or by post).
func (s *MailService) RecordCopyHandedOver(id int64) (PatientCopy, error) {
	return withDB(s.c, func(ctx context.Context, db *store.DB) (PatientCopy, error) {
		if _, err := db.Consent(ctx, id); err != nil {
			return PatientCopy{}, err
		}
		if err := db.Tx(ctx, func(tx *store.Tx) error {
			_, err := tx.CreateConsentCopy(ctx, app.ConsentCopy{ConsentID: id, Method: app.CopyInPerson}, nil)
			return err
		}); err != nil {
			return PatientCopy{}, err
		}
		s.c.Emit.Emit(EventConsentChanged, nil)
		return s.patientCopy(ctx, db, id)
	})
}

// CopyDue is a recent consent whose patient has not been given their copy.
type CopyDue struct {
	ConsentID   int64  `json:"consentId"`
	PatientName string `json:"patientName"`
	SignedOn    string `json:"signedOn"`
	MethodLabel string `json:"methodLabel"`
}

// copyDueDays is how far back Home looks: a copy is given at signing or
// soon after, and older consents were often handed over before
// PracticePost recorded it.
const copyDueDays = 30

// CopiesDue lists the consents signed in the last 30 days whose patient
// has not been given their copy, newest first (Home's reminder).
func (s *MailService) CopiesDue() ([]CopyDue, error) {
	return withDB(s.c, func(ctx context.Context, db *store.DB) ([]CopyDue, error) {
		given, err := db.ConsentsGivenACopy(ctx)
		if err != nil {
			return nil, err
		}
		es, err := db.ListConsents(ctx, app.ConsentFilter{SignedSince: s.c.Clock.Now().AddDate(0, 0, -copyDueDays)})
		if err != nil {
			return nil, err
		}
		out := []CopyDue{}
		for _, e := range es {
			c := e.Consent
			if given[c.ID] {
				continue
			}
			out = append(out, CopyDue{ConsentID: c.ID, PatientName: c.Patient.FullName,
				SignedOn: c.SignedAt.In(zoneOf(c)).Format(consent.DateLayout(c.Country)), MethodLabel: methodLabels[c.Method]})
		}
		return out, nil // newest first, as ListConsents reads them
	})
}
