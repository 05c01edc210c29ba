package store_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"practicepost/app"
	"practicepost/app/consent"
	"practicepost/app/store"
)

// signedFor is a real signed consent for p covering quote and media, for
// Facebook, naming the patient by first name plus any extra identity.
func signedFor(t *testing.T, db *store.DB, p app.Patient, quote string, media []app.ConsentMedia, extra ...app.IdentityElement) app.Consent {
	t.Helper()
	f := quayForm(t, db, p, app.ConsentScope{Identity: append([]app.IdentityElement{app.IdentityFirstName}, extra...), Channels: []app.ConsentChannel{app.ChannelFacebook}})
	f.Quote, f.Media, f.Method = quote, media, app.SignPaper
	scan := []byte("%PDF-1.4 scan of " + quote)
	return sign(t, f, app.Signature{ScanSHA256: app.SHA256Hex(scan)})
}

func newPaper(c app.Consent, link *app.TestimonialLink) app.NewConsent {
	return app.NewConsent{Consent: c, Scan: []byte("%PDF-1.4 scan of " + c.Quote), ScanMIME: "application/pdf", PDF: []byte("%PDF-1.7 copy " + c.EvidenceHash), Link: link}
}

func draft(t *testing.T, db *store.DB, p app.Patient, quote string, media ...app.ConsentMedia) app.Testimonial {
	t.Helper()
	tm, err := db.CreateTestimonial(ctx, app.Testimonial{PatientID: p.ID, Quote: quote, Source: "email", NameAs: app.IdentityAnonymous, Media: media})
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

func auditCount(t *testing.T, db *store.DB, action string) int {
	t.Helper()
	page, err := db.ListAudit(ctx, 500, 0)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range page.Entries {
		if e.Action == action {
			n++
		}
	}
	return n
}

func counts(t *testing.T, db *store.DB) (consents, testimonials int) {
	t.Helper()
	cs, err := db.ListConsents(ctx, app.ConsentFilter{})
	if err != nil {
		t.Fatal(err)
	}
	ts, err := db.ListTestimonials(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return len(cs), len(ts)
}

func TestConsentLinksTheWaitingTestimonialOnce(t *testing.T) {
	db := MustOpenDB(t)
	p := addPatient(t, db, "Nora Quill")
	photo := app.ConsentMedia{SHA256: strings.Repeat("ab", 32), Kind: "photo", Label: "smile.png"}
	w := draft(t, db, p, "My crown looks great.\r\n", photo)
	// Posts were set to use the full name; the consent allows the first name only.
	sdb := rawDB(t, db.Path())
	if _, err := sdb.Exec("UPDATE testimonials SET name_as = 'full_name' WHERE id = ?", w.ID); err != nil {
		t.Fatal(err)
	}

	c := signedFor(t, db, p, "My crown looks great.", []app.ConsentMedia{{SHA256: photo.SHA256, Kind: "photo", Label: "Photo 1"}}, app.IdentityFace)
	e, err := db.InsertConsent(ctx, newPaper(c, &app.TestimonialLink{TestimonialID: w.ID, ShowsFace: true}))
	if err != nil {
		t.Fatal(err)
	}
	if nc, nt := counts(t, db); nc != 1 || nt != 1 {
		t.Fatalf("%d consents, %d testimonials: the waiting testimonial must be linked, not duplicated", nc, nt)
	}
	got, err := db.Testimonial(ctx, w.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.ConsentID != e.Consent.ID || got.NameAs != app.IdentityFirstName || !got.ShowsFace || got.Quote != "My crown looks great.\r\n" || len(got.Media) != 1 {
		t.Fatalf("linked testimonial %+v", got)
	}
	// Its verdicts now come from that consent: Facebook yes, Instagram no.
	rec := consent.Record{Consent: e.Consent, Template: shippedTemplate(t, db, "GB")}
	use := consent.Use{Identity: got.Identity(), Quote: got.Quote, MediaSHA256: []string{photo.SHA256}}
	moment := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	for _, v := range consent.Summarize(rec, use, moment) {
		want := v.Channel == app.ChannelFacebook
		if v.MayPublish != want {
			t.Errorf("%s: may publish %v, want %v (%v)", v.Channel, v.MayPublish, want, v.Problems)
		}
	}

	// Linking the same pair again changes nothing and logs nothing new.
	if _, err := db.LinkTestimonialConsent(ctx, e.Consent.ID, app.TestimonialLink{TestimonialID: w.ID}); err != nil {
		t.Fatalf("repeat link: %v", err)
	}
	if n := auditCount(t, db, "testimonial.consent.link"); n != 1 {
		t.Fatalf("%d link entries in the activity log", n)
	}

	// A second consent for the same testimonial is refused, and not stored.
	c2 := signedFor(t, db, p, "My crown looks great.", []app.ConsentMedia{photo})
	_, err = db.InsertConsent(ctx, newPaper(c2, &app.TestimonialLink{TestimonialID: w.ID}))
	if app.ErrorCode(err) != app.ECONFLICT || !strings.Contains(app.ErrorMessage(err), fmt.Sprintf("consent #%d", e.Consent.ID)) {
		t.Fatalf("second consent for a linked testimonial: %v", err)
	}
	if nc, nt := counts(t, db); nc != 1 || nt != 1 {
		t.Fatalf("refused link left %d consents, %d testimonials", nc, nt)
	}

	// The signed consent itself was never touched, and the log names ids only.
	back, _ := db.Consent(ctx, e.Consent.ID)
	if consent.EvidenceHash(back.Consent) != c.EvidenceHash {
		t.Fatal("linking changed the signed consent")
	}
	page, _ := db.ListAudit(ctx, 100, 0)
	for _, a := range page.Entries {
		all := a.Subject + strings.Join(values(a.Detail), " ")
		if strings.Contains(all, "Nora") || strings.Contains(all, "crown") {
			t.Fatalf("patient data in the activity log: %+v", a)
		}
		if a.Action == "testimonial.consent.link" && (a.Subject != fmt.Sprintf("testimonial:%d", w.ID) || a.Detail["consent"] != fmt.Sprint(e.Consent.ID)) {
			t.Fatalf("link entry %+v", a)
		}
	}
	if v, _ := db.VerifyAudit(ctx); !v.OK {
		t.Fatalf("audit chain broken: %+v", v.Break)
	}
}

func TestConsentLinkRefusesDifferentWordsUnlessChosen(t *testing.T) {
	photo := app.ConsentMedia{SHA256: strings.Repeat("cd", 32), Kind: "photo", Label: "a.png"}
	other := app.ConsentMedia{SHA256: strings.Repeat("ef", 32), Kind: "photo", Label: "b.png"}
	cases := []struct {
		name         string
		draftQuote   string
		draftMedia   []app.ConsentMedia
		consentQuote string
		consentMedia []app.ConsentMedia
		useConsent   bool
		field        string // "" when the link is made
		wantQuote    string
	}{
		{name: "edited quote refused", draftQuote: "Kind staff, great results.", consentQuote: "Kind staff, great result.", field: "quote"},
		{name: "photo dropped refused", draftQuote: "Kind staff.", draftMedia: []app.ConsentMedia{photo, other}, consentQuote: "Kind staff.", consentMedia: []app.ConsentMedia{photo}, field: "media"},
		{name: "photo swapped refused", draftQuote: "Kind staff.", draftMedia: []app.ConsentMedia{photo}, consentQuote: "Kind staff.", consentMedia: []app.ConsentMedia{other}, field: "media"},
		{name: "only spacing differs", draftQuote: "  Kind staff.\r\n", consentQuote: "Kind staff.", wantQuote: "  Kind staff.\r\n"},
		{name: "edited words chosen", draftQuote: "Kind staff, great results!!", draftMedia: []app.ConsentMedia{photo, other},
			consentQuote: "Kind staff, great results.", consentMedia: []app.ConsentMedia{photo}, useConsent: true, wantQuote: "Kind staff, great results."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			db := MustOpenDB(t)
			p := addPatient(t, db, "Olga Price")
			w := draft(t, db, p, tc.draftQuote, tc.draftMedia...)
			c := signedFor(t, db, p, tc.consentQuote, tc.consentMedia)
			e, err := db.InsertConsent(ctx, newPaper(c, &app.TestimonialLink{TestimonialID: w.ID, UseConsentWords: tc.useConsent}))
			if tc.field != "" {
				if app.ErrorCode(err) != app.EINVALID || app.ErrorField(err) != tc.field || !strings.Contains(app.ErrorMessage(err), "use the edited words") {
					t.Fatalf("want a clear %s refusal, got %v", tc.field, err)
				}
				if nc, nt := counts(t, db); nc != 0 || nt != 1 {
					t.Fatalf("refused: %d consents, %d testimonials", nc, nt)
				}
				if got, _ := db.Testimonial(ctx, w.ID); got.ConsentID != 0 || got.Quote != tc.draftQuote {
					t.Fatalf("refused link changed the testimonial: %+v", got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got, _ := db.Testimonial(ctx, w.ID)
			if got.ConsentID != e.Consent.ID || got.Quote != tc.wantQuote {
				t.Fatalf("linked %+v", got)
			}
			if consent.QuoteHash(got.Quote) != e.Consent.QuoteSHA256 {
				t.Fatal("the linked testimonial's words are not the ones the consent hashes")
			}
			if same, sameMedia := app.SameWords(got.Quote, got.Media, c.Quote, c.Media); !same || !sameMedia {
				t.Fatalf("testimonial %+v differs from consent", got)
			}
			replaced := auditDetail(t, db, "testimonial.consent.link")["words"]
			if (replaced == "replaced by the consent's") != tc.useConsent {
				t.Fatalf("activity log words=%q", replaced)
			}
		})
	}
}

func auditDetail(t *testing.T, db *store.DB, action string) map[string]string {
	t.Helper()
	page, _ := db.ListAudit(ctx, 100, 0)
	for _, e := range page.Entries {
		if e.Action == action {
			return e.Detail
		}
	}
	t.Fatalf("no %s entry", action)
	return nil
}

func TestConsentLinkRefusals(t *testing.T) {
	db := MustOpenDB(t)
	p := addPatient(t, db, "Pia Roe")
	q := addPatient(t, db, "Quin Sato")
	theirs := draft(t, db, q, "Lovely team.")
	c := signedFor(t, db, p, "Lovely team.", nil)

	if _, err := db.InsertConsent(ctx, newPaper(c, &app.TestimonialLink{TestimonialID: theirs.ID})); app.ErrorCode(err) != app.EINVALID ||
		!strings.Contains(app.ErrorMessage(err), "another patient's") {
		t.Fatalf("another patient's testimonial: %v", err)
	}
	if _, err := db.InsertConsent(ctx, newPaper(c, &app.TestimonialLink{TestimonialID: 9999})); app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatalf("missing testimonial: %v", err)
	}
	both := newPaper(c, &app.TestimonialLink{TestimonialID: theirs.ID})
	both.Testimonial = &app.Testimonial{Quote: c.Quote, Source: "form"}
	if _, err := db.InsertConsent(ctx, both); app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("link and new testimonial at once: %v", err)
	}
	if _, err := db.LinkTestimonialConsent(ctx, 4242, app.TestimonialLink{TestimonialID: theirs.ID}); app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatalf("missing consent: %v", err)
	}
	if nc, nt := counts(t, db); nc != 0 || nt != 1 {
		t.Fatalf("refusals left %d consents, %d testimonials", nc, nt)
	}

	// A consent stored on its own can be linked afterwards, once.
	e, err := db.InsertConsent(ctx, newPaper(c, nil))
	if err != nil {
		t.Fatal(err)
	}
	mine := draft(t, db, p, "Lovely team.")
	got, err := db.LinkTestimonialConsent(ctx, e.Consent.ID, app.TestimonialLink{TestimonialID: mine.ID})
	if err != nil || got.ConsentID != e.Consent.ID {
		t.Fatalf("later link: %+v %v", got, err)
	}
	if _, err := db.LinkTestimonialConsent(ctx, e.Consent.ID, app.TestimonialLink{TestimonialID: theirs.ID}); app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("linking another patient's testimonial afterwards: %v", err)
	}
}
