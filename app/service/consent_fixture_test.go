package service_test

import (
	"context"
	"testing"
	"time"

	"practicepost/app"
	"practicepost/app/consent"
	"practicepost/app/service"
	"practicepost/app/store"
	"practicepost/app/store/storetest"
)

// terms are what a test's consent covers; the rest of the form is the
// same everywhere (see storeConsent).
type terms struct {
	identity []app.IdentityElement
	channels []app.ConsentChannel
	quote    string
	media    []app.ConsentMedia
	address  string // the practice's; "" for the Bristol one
}

// storeConsent stores a consent p signed on screen at at, on the shipped UK
// form, for Harbour Dental, for twelve months with nothing given in return,
// covering tm.
func storeConsent(t *testing.T, db *store.DB, p app.Patient, at time.Time, tm terms) app.ConsentEntry {
	t.Helper()
	ctx := context.Background()
	tpl := storetest.Template(t, db, "GB")
	if tm.address == "" {
		tm.address = "12 Quay Street, Bristol BS1 4QA"
	}
	f := consent.Form{Template: tpl, Patient: p, Signer: app.Signer{Name: p.FullName}, ExpiryMonths: 12, Method: app.SignOnScreen,
		Practice: app.ConsentPractice{Name: "Harbour Dental", Address: tm.address, Email: "hello@harbour.example",
			PrivacyNoticeURL: "https://harbour.example/privacy", Zone: "Europe/London"},
		Scope:            app.ConsentScope{Identity: tm.identity, Channels: tm.channels},
		Quote:            tm.quote,
		Media:            tm.media,
		Remuneration:     app.Remuneration{Kind: app.RemunerationNone},
		WithdrawalMethod: "email hello@harbour.example"}
	text, err := f.Text(at)
	if err != nil {
		t.Fatal(err)
	}
	// Each patient's signature is its own image.
	sig := []byte("sig " + p.FullName)
	signed, err := consent.Sign(f, consent.Signing{SignedAt: at, ShownTextSHA256: app.SHA256Hex([]byte(text)),
		Signature: app.Signature{TypedName: p.FullName, ImageSHA256: app.SHA256Hex(sig), Strokes: [][]app.StrokePoint{{{X: 1, Y: 1}, {X: 4, Y: 2, T: 9}}}}}, at)
	if err != nil {
		t.Fatal(err)
	}
	e, err := db.InsertConsent(ctx, app.NewConsent{Consent: signed, SignaturePNG: sig, PDF: []byte("%PDF-1.4 " + p.FullName)})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// withdrawByEmail records that the patient withdrew c by email at now and
// tells publishing, as the Consents screen does.
func withdrawByEmail(t *testing.T, w *world, c app.Consent, now time.Time) {
	t.Helper()
	ctx := context.Background()
	db, _ := w.c.DB()
	r, err := consent.Revoke(c, now, "email", "", now)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.RevokeConsent(ctx, r); err != nil {
		t.Fatal(err)
	}
	if err := service.ConsentRevoked(w.pub, ctx, c.ID); err != nil {
		t.Fatal(err)
	}
}
