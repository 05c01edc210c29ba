package service

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	"practicepost/app"
	"practicepost/app/consent"
	"practicepost/app/store"
)

// ChoiceState is one box of a signed form, ticked or not.
type ChoiceState struct {
	Value  string `json:"value"`
	Label  string `json:"label"`
	Ticked bool   `json:"ticked"`
}

// MediaRef is a covered photo with where to load it.
type MediaRef struct {
	SHA256 string `json:"sha256"`
	Kind   string `json:"kind"`
	Label  string `json:"label"`
	URL    string `json:"url"`
}

// RevocationView is a recorded withdrawal.
type RevocationView struct {
	At                time.Time `json:"at"`
	On                string    `json:"on"`
	ReceivedBy        string    `json:"receivedBy"`
	ReceivedByLabel   string    `json:"receivedByLabel"`
	Note              string    `json:"note"`
	InWritingRequired bool      `json:"inWritingRequired"`
}

// ConsentView is a signed consent as the manager sees it.
type ConsentView struct {
	ID              int64           `json:"id"`
	PatientID       int64           `json:"patientId"`
	PatientName     string          `json:"patientName"`
	Country         string          `json:"country"`
	Method          string          `json:"method"`
	MethodLabel     string          `json:"methodLabel"`
	TemplateVersion string          `json:"templateVersion"`
	SignedAt        time.Time       `json:"signedAt"`
	SignedOn        string          `json:"signedOn"`
	ExpiresAt       time.Time       `json:"expiresAt"`
	LastValidDay    string          `json:"lastValidDay"`
	Status          string          `json:"status"` // valid, expiring, expired, revoked, on_hold, damaged
	StatusText      string          `json:"statusText"`
	Identity        []ChoiceState   `json:"identity"`
	Channels        []ChoiceState   `json:"channels"`
	Quote           string          `json:"quote"`
	HealthDetails   string          `json:"healthDetails"`
	Media           []MediaRef      `json:"media"`
	Remuneration    string          `json:"remuneration"`
	Signer          app.Signer      `json:"signer"`
	EvidenceHash    string          `json:"evidenceHash"`
	PDFURL          string          `json:"pdfUrl"`
	SignatureURL    string          `json:"signatureUrl"`
	ScanURL         string          `json:"scanUrl"`
	Revocation      *RevocationView `json:"revocation"`
}

var methodLabels = map[app.SigningMethod]string{app.SignOnScreen: "Signed on screen", app.SignPaper: "Signed on paper", app.SignEmail: "Signed by email"}

const expiringDays = 30

func zoneOf(c app.Consent) *time.Location {
	if l, err := time.LoadLocation(c.Practice.Zone); err == nil {
		return l
	}
	return time.UTC
}

func (s *ConsentService) view(e app.ConsentEntry, now time.Time) ConsentView {
	c := e.Consent
	loc := zoneOf(c)
	layout := consent.DateLayout(c.Country)
	v := ConsentView{ID: c.ID, PatientID: c.PatientID, PatientName: c.Patient.FullName, Country: c.Country, Method: string(c.Method),
		MethodLabel: methodLabels[c.Method], TemplateVersion: c.TemplateVersion, SignedAt: c.SignedAt,
		SignedOn: c.SignedAt.In(loc).Format(layout), ExpiresAt: c.ExpiresAt, LastValidDay: consent.LastValidDay(c.ExpiresAt, loc).Format(layout),
		Quote: c.Quote, HealthDetails: c.HealthDetails, Signer: c.Signer, EvidenceHash: c.EvidenceHash, PDFURL: MediaURL(e.PDFSHA256),
		Media: []MediaRef{}}
	for _, ch := range consent.IdentityChoices {
		v.Identity = append(v.Identity, ChoiceState{string(ch.Value), ch.Label, slices.Contains(c.Scope.Identity, ch.Value)})
	}
	for _, ch := range consent.ChannelChoices {
		v.Channels = append(v.Channels, ChoiceState{string(ch.Value), ch.Label, slices.Contains(c.Scope.Channels, ch.Value)})
	}
	for _, m := range c.Media {
		v.Media = append(v.Media, MediaRef{m.SHA256, m.Kind, m.Label, MediaURL(m.SHA256)})
	}
	v.Remuneration = "None"
	if c.Remuneration.Kind != app.RemunerationNone && c.Remuneration.Kind != "" {
		v.Remuneration = c.Remuneration.Description
	}
	if c.Signature.ImageSHA256 != "" {
		v.SignatureURL = MediaURL(c.Signature.ImageSHA256)
	}
	if c.Signature.ScanSHA256 != "" {
		v.ScanURL = MediaURL(c.Signature.ScanSHA256)
	}
	if r := e.Revocation; r != nil {
		v.Revocation = &RevocationView{At: r.At, On: r.At.In(loc).Format(layout), ReceivedBy: r.ReceivedBy, ReceivedByLabel: receivedByLabels[r.ReceivedBy],
			Note: r.Note, InWritingRequired: consent.InWritingRequired(c.Country, r.ReceivedBy)}
	}
	left := consent.ExpiringWithin([]consent.Record{{Consent: c}}, now, expiringDays)
	switch {
	case consent.EvidenceHash(c) != c.EvidenceHash || app.SHA256Hex([]byte(c.Text)) != c.TextSHA256:
		v.Status, v.StatusText = "damaged", "This record does not match its evidence hash. Do not rely on it; ask the patient to sign again."
	case e.Revocation != nil && !e.Revocation.At.After(now):
		v.Status, v.StatusText = "revoked", "Withdrawn on "+v.Revocation.On
	case e.Hold.Active(now):
		// An emailed withdrawal not yet confirmed (mail_evidence.go).
		v.Status, v.StatusText = "on_hold", "On hold: the patient asked by email to withdraw on "+e.Hold.At.In(loc).Format(layout)+". Confirm or release it on Home."
	case !now.Before(c.ExpiresAt):
		v.Status, v.StatusText = "expired", "Expired at the end of "+v.LastValidDay
	case len(left) > 0:
		v.Status, v.StatusText = "expiring", "Ends at the end of "+v.LastValidDay
	default:
		v.Status, v.StatusText = "valid", "Valid until the end of "+v.LastValidDay
	}
	return v
}

// List returns the consents of one patient (0: everyone), newest first.
func (s *ConsentService) List(patientID int64) ([]ConsentView, error) {
	return withDB(s.c, func(ctx context.Context, db *store.DB) ([]ConsentView, error) {
		es, err := db.ListConsents(ctx, app.ConsentFilter{PatientID: patientID})
		if err != nil {
			return nil, err
		}
		now := s.c.Clock.Now()
		out := make([]ConsentView, len(es))
		for i, e := range es {
			out[i] = s.view(e, now)
		}
		return out, nil
	})
}

// ConsentDetail is one consent with the exact text and the takedown list.
type ConsentDetail struct {
	Consent  ConsentView       `json:"consent"`
	Text     string            `json:"text"`
	Takedown []app.Publication `json:"takedown"`
}

// Get returns one consent.
func (s *ConsentService) Get(id int64) (ConsentDetail, error) {
	return withDB(s.c, func(ctx context.Context, db *store.DB) (ConsentDetail, error) {
		e, err := db.Consent(ctx, id)
		if err != nil {
			return ConsentDetail{}, err
		}
		t, err := db.TakedownList(ctx, id)
		if err != nil {
			return ConsentDetail{}, err
		}
		return ConsentDetail{Consent: s.view(e, s.c.Clock.Now()), Text: e.Consent.Text, Takedown: t}, nil
	})
}

func civilIn(t time.Time, loc *time.Location) app.CivilDate {
	l := t.In(loc)
	return app.CivilDate{Year: l.Year(), Month: l.Month(), Day: l.Day()}
}

// SavePDF asks where to save the signed copy and writes it there. It
// returns the path, or "" when the manager cancelled.
func (s *ConsentService) SavePDF(id int64) (string, error) {
	return withDB(s.c, func(ctx context.Context, db *store.DB) (string, error) {
		e, err := db.Consent(ctx, id)
		if err != nil {
			return "", err
		}
		b, err := db.Blob(ctx, e.PDFSHA256)
		if err != nil {
			return "", err
		}
		if s.save == nil {
			return "", app.Errorf(app.EUNAVAILABLE, "Saving files is not available here. Use “Open PDF” instead.")
		}
		// The file name carries the consent number and date, not the patient's
		// name: file names end up in recent-file lists and cloud sync logs.
		name := fmt.Sprintf("Consent %d signed %s.pdf", e.Consent.ID, e.Consent.SignedAt.In(zoneOf(e.Consent)).Format("2006-01-02"))
		path, err := savePath(s.save, "Save the signed consent", name, "PDF documents (*.pdf)", "*.pdf")
		if err != nil || path == "" {
			return "", err
		}
		// Saved whole and private, also over an older file of the same
		// name, which would otherwise keep its own, readable permissions.
		if err := saveChosen(path, b.Data, "signed consent", "On the consent, click Save PDF again"); err != nil {
			return "", err
		}
		if err := db.Tx(ctx, func(tx *store.Tx) error {
			return tx.Audit(ctx, "practice manager", "consent.pdf.save", "consent:"+strconv.FormatInt(id, 10), nil)
		}); err != nil {
			return "", err
		}
		return path, nil
	})
}

// Expiring lists unrevoked consents that end within days (Home's warning).
func (s *ConsentService) Expiring(days int) ([]ConsentExpiry, error) {
	return withDB(s.c, func(ctx context.Context, db *store.DB) ([]ConsentExpiry, error) {
		if days < 0 || days > 366 {
			return nil, app.FieldError("days", "Ask for 0 to 366 days.")
		}
		es, err := db.ListConsents(ctx, app.ConsentFilter{})
		if err != nil {
			return nil, err
		}
		recs := make([]consent.Record, len(es))
		for i, e := range es {
			recs[i] = consent.Record{Consent: e.Consent, Revocation: e.Revocation}
		}
		out := []ConsentExpiry{}
		for _, w := range consent.ExpiringWithin(recs, s.c.Clock.Now(), days) {
			e := ConsentExpiry{ExpiryWarning: w}
			jobs, err := db.PublishJobs(ctx, app.PublishJobFilter{ConsentID: strconv.FormatInt(w.ConsentID, 10)})
			if err != nil {
				return nil, err
			}
			for _, j := range jobs {
				switch {
				case j.State == app.JobPublished && j.Takedown == "":
					e.Live++
				case j.State == app.JobQueued || j.State == app.JobAttempting || j.State == app.JobWaiting ||
					j.State == app.JobMissed || j.State == app.JobScheduledRemote:
					e.Scheduled++
				}
			}
			out = append(out, e)
		}
		// The ones behind posts first: those are what the expiry will stop.
		slices.SortStableFunc(out, func(a, b ConsentExpiry) int {
			return cmp.Compare(b.Scheduled+b.Live, a.Scheduled+a.Live)
		})
		return out, nil
	})
}

// ConsentExpiry is a consent that ends soon and the posts that rely on it:
// the scheduled ones will be blocked if it is not renewed before their time.
type ConsentExpiry struct {
	consent.ExpiryWarning
	Scheduled int `json:"scheduled"`
	Live      int `json:"live"`
}

// formatDay writes a calendar day as the practice's forms do.
func formatDay(country string, d app.CivilDate) string {
	return time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC).Format(consent.DateLayout(country))
}
