package store_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"practicepost/app"
	"practicepost/app/consent"
	"practicepost/app/store"
)

// signedTestimonial stores a consent signed on screen for "Lovely team."
// with its testimonial, then edits the testimonial's words to edited.
func signedTestimonial(t *testing.T, db *store.DB, edited string) (app.ConsentEntry, app.Testimonial) {
	t.Helper()
	p := addPatient(t, db, "Imelda Rookwood")
	sig := []byte("\x89PNG consent signature")
	c := signed(t, db, p, sig, app.ChannelFacebook)
	tm := app.Testimonial{Quote: c.Quote, Source: "consent form", NameAs: app.IdentityFirstName}
	e, err := db.InsertConsent(ctx, app.NewConsent{Consent: c, SignaturePNG: sig, PDF: []byte("%PDF-1.7 test"), Testimonial: &tm})
	if err != nil {
		t.Fatal(err)
	}
	ts, err := db.ListTestimonials(ctx)
	if err != nil || len(ts) != 1 {
		t.Fatalf("testimonials %v %v", ts, err)
	}
	got := ts[0]
	got.Quote = edited
	if got, err = db.UpdateTestimonial(ctx, got); err != nil {
		t.Fatal(err)
	}
	return e, got
}

func onScreenApproval(e app.ConsentEntry, tm app.Testimonial, png []byte, shown string) app.NewQuoteApproval {
	return app.NewQuoteApproval{
		Approval:      app.QuoteApproval{ConsentID: e.Consent.ID, SHA256: consent.QuoteHash(tm.Quote), ApprovedAt: time.Date(2026, 11, 22, 9, 5, 0, 0, time.UTC), How: app.ApprovedOnScreen},
		TestimonialID: tm.ID,
		Evidence: app.QuoteEvidence{ShownText: shown, ShownSHA256: app.SHA256Hex([]byte(shown)), TypedName: "Imelda Rookwood",
			SignatureSHA256: app.SHA256Hex(png), Strokes: [][]app.StrokePoint{{{X: 1, Y: 2}, {X: 30, Y: 9, T: 40}}}},
		SignaturePNG: png,
	}
}

// An approval is stored sealed with its signature, comes back with every
// read of the consent, changes the gate's cache key, is logged without
// the words, and can be neither changed nor removed.
func TestQuoteApprovalStoredSealedAppendOnly(t *testing.T) {
	db := MustOpenDB(t)
	e, tm := signedTestimonial(t, db, "Lovely team, Wrenfield surgery.")
	before, err := db.ConsentsKey(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if back, _ := db.Consent(ctx, e.Consent.ID); len(back.QuoteApprovals) != 0 {
		t.Fatalf("approvals before any: %+v", back.QuoteApprovals)
	}
	png := []byte("\x89PNG approval signature")
	shown := "You approved: Lovely team. New words: Lovely team, Wrenfield surgery."
	if _, err := db.InsertQuoteApproval(ctx, onScreenApproval(e, tm, png, shown)); err != nil {
		t.Fatal(err)
	}

	one, err := db.Consent(ctx, e.Consent.ID)
	if err != nil {
		t.Fatal(err)
	}
	all, err := db.ListConsents(ctx, app.ConsentFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, got := range [][]app.QuoteApproval{one.QuoteApprovals, all[0].QuoteApprovals} {
		if len(got) != 1 || got[0].ConsentID != e.Consent.ID || got[0].SHA256 != consent.QuoteHash(tm.Quote) || got[0].How != app.ApprovedOnScreen ||
			!got[0].ApprovedAt.Equal(time.Date(2026, 11, 22, 9, 5, 0, 0, time.UTC)) {
			t.Fatalf("read back %+v", got)
		}
	}
	if after, _ := db.ConsentsKey(ctx); after == before {
		t.Error("ConsentsKey did not change with the approval: the gate would keep judging without it")
	}
	ev, err := db.QuoteApprovalEvidence(ctx, e.Consent.ID)
	if err != nil || len(ev) != 1 || ev[0].ShownText != shown || ev[0].TypedName != "Imelda Rookwood" || len(ev[0].Strokes) != 1 {
		t.Fatalf("evidence %+v %v", ev, err)
	}
	if b, err := db.Blob(ctx, app.SHA256Hex(png)); err != nil || !bytes.Equal(b.Data, png) {
		t.Fatalf("signature blob: %v", err)
	}
	for _, s := range []string{"wrenfield", "imelda"} {
		if bytes.Contains(fileBytes(t, db.Path()), []byte(s)) {
			t.Errorf("%q is readable in the data file", s)
		}
	}
	d := auditDetail(t, db, "quote.approve")
	if d["how"] != "on_screen" || d["sha256"] != consent.QuoteHash(tm.Quote) {
		t.Errorf("logged %v", d)
	}
	for _, v := range d {
		if strings.Contains(strings.ToLower(v), "wrenfield") {
			t.Errorf("the words reached the activity log: %v", d)
		}
	}

	sdb := rawDB(t, db.Path())
	for _, q := range []string{"UPDATE quote_approvals SET sha256 = 'x'", "UPDATE quote_approvals SET approved_at = '2020-01-01T00:00:00Z'", "DELETE FROM quote_approvals"} {
		if _, err := sdb.Exec(q); err == nil {
			t.Errorf("%s was allowed", q)
		}
	}
	if back, _ := db.Consent(ctx, e.Consent.ID); len(back.QuoteApprovals) != 1 {
		t.Fatalf("after the refused changes: %+v", back.QuoteApprovals)
	}
}

// Bad input is refused with a clear message and stores nothing: missing
// parts, a signature that is not the one recorded, an approval for words
// the testimonial no longer has, and a consent that does not cover it.
func TestQuoteApprovalRefusals(t *testing.T) {
	db := MustOpenDB(t)
	e, tm := signedTestimonial(t, db, "Lovely team, truly.")
	png := []byte("\x89PNG approval signature")
	good := onScreenApproval(e, tm, png, "shown words")
	other := addPatient(t, db, "Other Person")
	loose := draft(t, db, other, "Lovely team, truly.")

	for name, c := range map[string]struct {
		change func(*app.NewQuoteApproval)
		code   string
		says   string
	}{
		"no consent":        {func(n *app.NewQuoteApproval) { n.Approval.ConsentID = 0 }, app.EINVALID, "incomplete"},
		"no time":           {func(n *app.NewQuoteApproval) { n.Approval.ApprovedAt = time.Time{} }, app.EINVALID, "incomplete"},
		"unknown how":       {func(n *app.NewQuoteApproval) { n.Approval.How = "in_person" }, app.EINVALID, "on screen or by email"},
		"no signature":      {func(n *app.NewQuoteApproval) { n.SignaturePNG = nil }, app.EINVALID, "signature"},
		"email no reply":    {func(n *app.NewQuoteApproval) { n.Approval.How = app.ApprovedByEmail }, app.EINVALID, "reply"},
		"other signature":   {func(n *app.NewQuoteApproval) { n.Evidence.SignatureSHA256 = app.SHA256Hex([]byte("x")) }, app.ECONFLICT, "signature image"},
		"words changed":     {func(n *app.NewQuoteApproval) { n.Approval.SHA256 = consent.QuoteHash("Lovely team.") }, app.ECONFLICT, "changed while"},
		"not its consent":   {func(n *app.NewQuoteApproval) { n.TestimonialID = loose.ID }, app.ECONFLICT, "not covered by consent"},
		"no testimonial":    {func(n *app.NewQuoteApproval) { n.TestimonialID = 999 }, app.ENOTFOUND, "no longer in PracticePost"},
		"consent not found": {func(n *app.NewQuoteApproval) { n.Approval.ConsentID = 999 }, app.ECONFLICT, "not covered"},
	} {
		n := good
		n.Evidence.Strokes = good.Evidence.Strokes
		c.change(&n)
		_, err := db.InsertQuoteApproval(ctx, n)
		if app.ErrorCode(err) != c.code || !strings.Contains(app.ErrorMessage(err), c.says) {
			t.Errorf("%s: %v (%s)", name, err, app.ErrorCode(err))
		}
	}
	if back, _ := db.Consent(ctx, e.Consent.ID); len(back.QuoteApprovals) != 0 {
		t.Fatalf("a refused approval was stored: %+v", back.QuoteApprovals)
	}
	if auditCount(t, db, "quote.approve") != 0 {
		t.Error("a refused approval was logged")
	}
}
