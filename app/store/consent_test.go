package store_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"practicepost/app"
	"practicepost/app/consent"
	"practicepost/app/store"
	"practicepost/app/store/storetest"
)

func addPatient(t *testing.T, db *store.DB, name string) app.Patient {
	t.Helper()
	p, err := db.CreatePatient(ctx, app.Patient{FullName: name, Ref: "P-1", Email: "pat@example.com",
		DateOfBirth: app.CivilDate{Year: 1980, Month: time.May, Day: 4}})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func shippedTemplate(t *testing.T, db *store.DB, country string) app.ConsentTemplate {
	t.Helper()
	return storetest.Template(t, db, country)
}

// quayForm is the consent form the store tests sign: the shipped GB
// template, Quay Dental, the patient signing for themself on screen, with
// no payment. Callers set the scope, quote, media and method they test.
func quayForm(t *testing.T, db *store.DB, p app.Patient, scope app.ConsentScope) consent.Form {
	t.Helper()
	return consent.Form{
		Template: shippedTemplate(t, db, "GB"),
		Practice: app.ConsentPractice{Name: "Quay Dental", Address: "1 Quay St, Falmouth", Email: "hi@quay.example",
			PrivacyNoticeURL: "https://quay.example/privacy", Zone: "Europe/London"},
		Patient:          p,
		Signer:           app.Signer{Name: p.FullName},
		Scope:            scope,
		Remuneration:     app.Remuneration{Kind: app.RemunerationNone},
		WithdrawalMethod: "email hi@quay.example",
		Method:           app.SignOnScreen,
	}
}

// sign signs f with sig, typed with the patient's name, on the morning the
// store tests' clock reads.
func sign(t *testing.T, f consent.Form, sig app.Signature) app.Consent {
	t.Helper()
	at := time.Date(2026, 11, 22, 8, 30, 0, 0, time.UTC)
	text, err := f.Text(at)
	if err != nil {
		t.Fatal(err)
	}
	sig.TypedName = f.Patient.FullName
	c, err := consent.Sign(f, consent.Signing{Signature: sig, SignedAt: at, ShownTextSHA256: app.SHA256Hex([]byte(text))}, at)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// signed builds a real signed consent for p with the given signature PNG bytes.
func signed(t *testing.T, db *store.DB, p app.Patient, sigPNG []byte, channels ...app.ConsentChannel) app.Consent {
	t.Helper()
	f := quayForm(t, db, p, app.ConsentScope{Identity: []app.IdentityElement{app.IdentityFirstName}, Channels: channels})
	f.Quote = "Lovely team."
	return sign(t, f, app.Signature{ImageSHA256: app.SHA256Hex(sigPNG),
		Strokes: [][]app.StrokePoint{{{X: 1.5, Y: 2, T: 0}, {X: 30.25, Y: 12, T: 40}}}})
}

func TestPatientsCreateSearchList(t *testing.T) {
	db := MustOpenDB(t)
	for _, n := range []string{"Zoë Ångström", "amy 100% Real", "Bob Jones"} {
		addPatient(t, db, n)
	}
	cases := []struct {
		q    string
		want []string
	}{
		{"", []string{"amy 100% Real", "Bob Jones", "Zoë Ångström"}},
		{"JONES", []string{"Bob Jones"}},
		{"100%", []string{"amy 100% Real"}},
		{"%", []string{"amy 100% Real"}}, // literal, not a wildcard
		{"_", nil},
		{"p-1", []string{"amy 100% Real", "Bob Jones", "Zoë Ångström"}},
		{"nobody", nil},
	}
	for _, c := range cases {
		got, err := db.ListPatients(ctx, c.q, 50)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, p := range got {
			names = append(names, p.FullName)
		}
		if strings.Join(names, "|") != strings.Join(c.want, "|") {
			t.Errorf("search %q = %v, want %v", c.q, names, c.want)
		}
	}
	p := addPatient(t, db, "Carol King")
	back, err := db.Patient(ctx, p.ID)
	if err != nil || back.DateOfBirth != p.DateOfBirth || back.Email != p.Email || back.CreatedAt.IsZero() {
		t.Fatalf("read back %+v, %v", back, err)
	}
	if _, err := db.Patient(ctx, 999); app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatalf("missing patient: %v", err)
	}
	page, _ := db.ListAudit(ctx, 100, 0)
	for _, e := range page.Entries {
		if strings.Contains(e.Subject+e.Action+strings.Join(values(e.Detail), " "), "Carol") {
			t.Fatalf("patient name in the activity log: %+v", e)
		}
	}
}

func values(m map[string]string) []string {
	var out []string
	for k, v := range m {
		out = append(out, k, v)
	}
	return out
}

func TestConsentStoredImmutableAndRoundTrips(t *testing.T) {
	db := MustOpenDB(t)
	p := addPatient(t, db, "Dana Scully")
	sig := []byte("\x89PNG fake signature bytes")
	c := signed(t, db, p, sig, app.ChannelFacebook)
	tm := app.Testimonial{Quote: c.Quote, Source: "consent form", NameAs: app.IdentityFirstName}
	e, err := db.InsertConsent(ctx, app.NewConsent{Consent: c, SignaturePNG: sig, PDF: []byte("%PDF-1.7 test"), Testimonial: &tm})
	if err != nil {
		t.Fatal(err)
	}
	if e.Consent.ID == 0 || e.PDFSHA256 != app.SHA256Hex([]byte("%PDF-1.7 test")) {
		t.Fatalf("entry %+v", e)
	}
	back, err := db.Consent(ctx, e.Consent.ID)
	if err != nil {
		t.Fatal(err)
	}
	if consent.EvidenceHash(back.Consent) != c.EvidenceHash || back.Revocation != nil {
		t.Fatal("the stored consent no longer matches its evidence hash")
	}
	if b, err := db.Blob(ctx, c.Signature.ImageSHA256); err != nil || string(b.Data) != string(sig) {
		t.Fatalf("signature blob: %v", err)
	}
	if b, err := db.Blob(ctx, e.PDFSHA256); err != nil || b.MIME != "application/pdf" {
		t.Fatalf("pdf blob: %+v %v", b.MIME, err)
	}
	ts, _ := db.ListTestimonials(ctx)
	if len(ts) != 1 || ts[0].ConsentID != e.Consent.ID || ts[0].PatientID != p.ID {
		t.Fatalf("testimonial bound to the consent: %+v", ts)
	}

	// No update or delete path, even with raw SQL on the file.
	sdb := rawDB(t, db.Path())
	for _, q := range []string{
		"UPDATE consents SET expires_at = '2099-01-01T00:00:00.000000000Z'",
		"UPDATE consents SET record = '{}'",
		"DELETE FROM consents",
		"UPDATE consent_templates SET body = 'x'",
		"DELETE FROM consent_templates",
	} {
		if _, err := sdb.Exec(q); err == nil {
			t.Errorf("%s was allowed", q)
		}
	}

	// A queued post relying on the consent, to see the withdrawal block it.
	if err := db.Tx(ctx, func(tx *store.Tx) error {
		return tx.CreatePublishRequest(ctx, &app.PublishRequest{Text: "Dana's story", Zone: "UTC", ConsentIDs: []string{strconv.FormatInt(e.Consent.ID, 10)}}, nil, "test")
	}); err != nil {
		t.Fatal(err)
	}
	rev, err := consent.Revoke(back.Consent, time.Date(2026, 11, 22, 8, 45, 0, 0, time.UTC), "email", "", time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if err := db.RevokeConsent(ctx, rev); err != nil {
		t.Fatal(err)
	}
	if err := db.RevokeConsent(ctx, rev); app.ErrorCode(err) != app.ECONFLICT {
		t.Fatalf("second withdrawal: %v", err)
	}
	rev.ConsentID = 999
	if err := db.RevokeConsent(ctx, rev); app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatalf("withdrawal of a missing consent: %v", err)
	}
	var blocked int
	sdb.QueryRow("SELECT COUNT(*) FROM publish_consents WHERE consent_id = ? AND revoked_at IS NOT NULL", strconv.FormatInt(e.Consent.ID, 10)).Scan(&blocked)
	if blocked != 1 {
		t.Fatal("the withdrawal did not block the queued post that relies on it")
	}
	back, _ = db.Consent(ctx, e.Consent.ID)
	if back.Revocation == nil || back.Revocation.ReceivedBy != "email" || !back.Revocation.At.Equal(rev.At) {
		t.Fatalf("revocation %+v", back.Revocation)
	}
	if consent.EvidenceHash(back.Consent) != c.EvidenceHash {
		t.Fatal("revoking changed the consent")
	}
	for _, q := range []string{"UPDATE consent_revocations SET at = '2020-01-01T00:00:00Z'", "DELETE FROM consent_revocations"} {
		if _, err := sdb.Exec(q); err == nil {
			t.Errorf("%s was allowed", q)
		}
	}

	page, _ := db.ListAudit(ctx, 100, 0)
	var actions []string
	for _, e := range page.Entries {
		actions = append(actions, e.Action)
		if strings.Contains(e.Subject+strings.Join(values(e.Detail), " "), "Dana") {
			t.Fatalf("patient name in the activity log: %+v", e)
		}
	}
	for _, want := range []string{"patient.create", "consent.sign", "testimonial.create", "consent.revoke"} {
		if !strings.Contains(strings.Join(actions, " "), want) {
			t.Errorf("activity log lacks %s: %v", want, actions)
		}
	}
	if v, _ := db.VerifyAudit(ctx); !v.OK {
		t.Fatalf("audit chain broken: %+v", v.Break)
	}
}

func TestInsertConsentRefusesBadInputAndStoresNothing(t *testing.T) {
	db := MustOpenDB(t)
	p := addPatient(t, db, "Eve Moss")
	sig := []byte("sig")
	good := signed(t, db, p, sig, app.ChannelWebsite)
	before, _ := db.ListAudit(ctx, 1, 0)

	orphan := good
	orphan.PatientID = 4242
	stored := good
	stored.ID = 3
	cases := []struct {
		name string
		n    app.NewConsent
		code string
	}{
		{"signature swapped", app.NewConsent{Consent: good, SignaturePNG: []byte("other"), PDF: []byte("%PDF")}, app.ECONFLICT},
		{"no pdf", app.NewConsent{Consent: good, SignaturePNG: sig}, app.EINVALID},
		{"unsigned", app.NewConsent{Consent: app.Consent{}, PDF: []byte("%PDF")}, app.EINVALID},
		{"already has an id", app.NewConsent{Consent: stored, SignaturePNG: sig, PDF: []byte("%PDF")}, app.EINVALID},
		{"unknown patient", app.NewConsent{Consent: orphan, SignaturePNG: sig, PDF: []byte("%PDF")}, app.ENOTFOUND},
	}
	for _, c := range cases {
		if _, err := db.InsertConsent(ctx, c.n); app.ErrorCode(err) != c.code {
			t.Errorf("%s: got %v, want %s", c.name, err, c.code)
		}
	}
	list, _ := db.ListConsents(ctx, app.ConsentFilter{})
	after, _ := db.ListAudit(ctx, 1, 0)
	if len(list) != 0 || after.Total != before.Total {
		t.Fatalf("a refused consent left %d rows and %d new log entries", len(list), after.Total-before.Total)
	}
	if _, err := db.Blob(ctx, app.SHA256Hex([]byte("other"))); app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatal("the refused signature was stored")
	}
}

// Signed at the same instant, the later-stored consent comes first.
func TestListConsentsByPatientNewestFirst(t *testing.T) {
	db := MustOpenDB(t)
	a, b := addPatient(t, db, "Ann"), addPatient(t, db, "Ben")
	for i, p := range []app.Patient{a, b, a} {
		sig := []byte{byte(i)}
		if _, err := db.InsertConsent(ctx, app.NewConsent{Consent: signed(t, db, p, sig, app.ChannelX), SignaturePNG: sig, PDF: []byte{'%', byte(i)}}); err != nil {
			t.Fatal(err)
		}
	}
	all, _ := db.ListConsents(ctx, app.ConsentFilter{})
	mine, _ := db.ListConsents(ctx, app.ConsentFilter{PatientID: a.ID})
	if len(all) != 3 || len(mine) != 2 || mine[0].Consent.ID < mine[1].Consent.ID {
		t.Fatalf("all %d, Ann's %d (%d, %d)", len(all), len(mine), mine[0].Consent.ID, mine[1].Consent.ID)
	}
	if _, err := db.Consent(ctx, 77); app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatalf("missing consent: %v", err)
	}
}

func TestTemplatesAreVersionedNeverEdited(t *testing.T) {
	db := MustOpenDB(t)
	tpl := shippedTemplate(t, db, "US")
	if err := db.EnsureTemplates(ctx, []app.ConsentTemplate{tpl}); err != nil {
		t.Fatalf("storing the same version twice: %v", err)
	}
	// The practice saves its own wording as version 2.
	mine, err := consent.NewVersion(tpl, tpl.Body+"\nOur own closing line.", time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if err := db.AddTemplateVersion(ctx, mine, "practice manager"); err != nil {
		t.Fatal(err)
	}
	// A later release ships new wording also numbered 2: it must not stop
	// the app, nor overwrite the practice's version 2. It becomes version 3.
	update := tpl
	update.Version = 2
	update.Body += "\nA clause the law now asks for."
	update.SHA256 = app.SHA256Hex([]byte(update.Body))
	for range 2 { // and starting again changes nothing
		if err := db.EnsureTemplates(ctx, []app.ConsentTemplate{tpl, update}); err != nil {
			t.Fatalf("shipped update over a practice edit: %v", err)
		}
	}
	got, err := db.Template(ctx, tpl.VersionID())
	if err != nil || got.Body != tpl.Body || got.SHA256 != tpl.SHA256 {
		t.Fatalf("version 1 changed: %v", err)
	}
	if got, err := db.Template(ctx, mine.VersionID()); err != nil || got.SHA256 != mine.SHA256 {
		t.Fatalf("the practice's version 2 changed: %+v %v", got, err)
	}
	if got, err := db.Template(ctx, tpl.Key+"@3"); err != nil || got.SHA256 != update.SHA256 {
		t.Fatalf("the shipped update is not version 3: %+v %v", got, err)
	}
	all, _ := db.Templates(ctx)
	if len(all) != 4 {
		t.Fatalf("templates: %d, want 4 (two shipped, one edit, one update)", len(all))
	}
	for _, id := range []string{"nope", "us-hipaa-marketing@9", "x@y"} {
		if _, err := db.Template(ctx, id); app.ErrorCode(err) != app.ENOTFOUND {
			t.Errorf("%s: %v", id, err)
		}
	}
}

func TestTakedownList(t *testing.T) {
	db := MustOpenDB(t)
	p := addPatient(t, db, "Fay")
	sig := []byte("s")
	e, err := db.InsertConsent(ctx, app.NewConsent{Consent: signed(t, db, p, sig, app.ChannelFacebook), SignaturePNG: sig, PDF: []byte("%PDF")})
	if err != nil {
		t.Fatal(err)
	}
	if l, err := db.TakedownList(ctx, e.Consent.ID); err != nil || len(l) != 0 {
		t.Fatalf("new consent has posts: %v %v", l, err)
	}
	err = db.Tx(ctx, func(tx *store.Tx) error {
		return tx.LinkPublication(ctx, app.Publication{ConsentID: e.Consent.ID, PostID: 5, Platform: "facebook", RemoteID: "123_456",
			URL: "https://facebook.com/123_456", PublishedAt: "2026-11-22T10:00:00Z"})
	})
	if err != nil {
		t.Fatal(err)
	}
	l, _ := db.TakedownList(ctx, e.Consent.ID)
	if len(l) != 1 || l[0].RemoteID != "123_456" {
		t.Fatalf("takedown list %+v", l)
	}
	err = db.Tx(ctx, func(tx *store.Tx) error {
		return tx.LinkPublication(ctx, app.Publication{ConsentID: 999, Platform: "x", PublishedAt: "2026-11-22T10:00:00Z"})
	})
	if err == nil {
		t.Fatal("a post linked to a missing consent was accepted")
	}
}
