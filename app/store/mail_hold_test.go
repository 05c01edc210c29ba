package store_test

import (
	"slices"
	"strconv"
	"testing"
	"time"

	"practicepost/app"
	"practicepost/app/consent"
	"practicepost/app/store"
)

// A withdrawal reply holds every current consent of its patient in the
// transaction that records it (not a withdrawn one, not another patient's),
// every consent read carries the hold, a second withdrawal while one stands
// adds none, and a hold ends only once: confirmed (with the revocation on
// record) or released.
func TestWithdrawalReplyHoldsInTheSameTransaction(t *testing.T) {
	db := MustOpenDB(t)
	zoe, ben := addPatient(t, db, "Zoë Brontë"), addPatient(t, db, "Ben Jones")
	insert := func(p app.Patient, i byte) int64 {
		sig := []byte{i}
		e, err := db.InsertConsent(ctx, app.NewConsent{Consent: signed(t, db, p, sig, app.ChannelFacebook), SignaturePNG: sig, PDF: []byte{'%', i}})
		if err != nil {
			t.Fatal(err)
		}
		return e.Consent.ID
	}
	z1, z2, z3, b1 := insert(zoe, 1), insert(zoe, 2), insert(zoe, 3), insert(ben, 4)
	e3, _ := db.Consent(ctx, z3)
	rev, err := consent.Revoke(e3.Consent, e3.Consent.SignedAt.Add(1), "phone", "", e3.Consent.SignedAt.Add(2))
	if err != nil {
		t.Fatal(err)
	}
	if err := db.RevokeConsent(ctx, rev); err != nil {
		t.Fatal(err)
	}
	r := newMailRequest(t, db, zoe, app.KindConsent)

	// An ordinary answer holds nothing.
	if res, err := db.RecordReply(ctx, reviewItem(r, "mid:answer@x", "[x] Facebook")); err != nil || !res.Created || len(res.Held) != 0 {
		t.Fatalf("answer: %+v %v", res, err)
	}
	it := reviewItem(r, "mid:wd@x", "Please take my photo down")
	it.Intent, it.Withdrawal = app.IntentWithdrawal, "Please take my photo down"
	res, err := db.RecordReply(ctx, it)
	if err != nil || !res.Created || !slices.Equal(res.Held, []int64{z1, z2}) {
		t.Fatalf("withdrawal: %+v %v", res, err)
	}
	all, err := db.ListConsents(ctx, app.ConsentFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range all {
		want := e.Consent.ID == z1 || e.Consent.ID == z2
		if (e.Hold != nil) != want || (want && (!e.Hold.Active(it.ReceivedAt) || e.Hold.ReplyID == 0 || e.Hold.Reason == "")) {
			t.Errorf("consent %d hold %+v", e.Consent.ID, e.Hold)
		}
	}
	if e, _ := db.Consent(ctx, b1); e.Hold != nil {
		t.Fatalf("another patient's consent held: %+v", e.Hold)
	}
	// The same message again changes nothing; another withdrawal while
	// the holds stand adds none.
	if res, err := db.RecordReply(ctx, it); err != nil || res.Created || len(res.Held) != 0 {
		t.Fatalf("again: %+v %v", res, err)
	}
	again := reviewItem(r, "mid:wd2@x", "withdraw")
	again.Intent = app.IntentWithdrawal
	if res, err := db.RecordReply(ctx, again); err != nil || len(res.Held) != 0 {
		t.Fatalf("second withdrawal: %+v %v", res, err)
	}
	if hs, _ := db.StandingHolds(ctx); len(hs) != 2 {
		t.Fatalf("standing holds %+v", hs)
	}
	stopped(t, db, it.ReceivedAt, []int64{z3}, []int64{z1, z2})

	// Ending a hold: a confirmed withdrawal needs the revocation first.
	if err := db.EndHold(ctx, z1, app.HoldWithdrawn, "by email"); app.ErrorCode(err) != app.ECONFLICT {
		t.Fatalf("withdrawn without a revocation: %v", err)
	}
	e1, _ := db.Consent(ctx, z1)
	rev, err = consent.Revoke(e1.Consent, e1.Consent.SignedAt.Add(1), "email", "", e1.Consent.SignedAt.Add(2))
	if err != nil {
		t.Fatal(err)
	}
	if err := db.RevokeConsent(ctx, rev); err != nil {
		t.Fatal(err)
	}
	if err := db.EndHold(ctx, z1, app.HoldWithdrawn, "by email"); err != nil {
		t.Fatal(err)
	}
	if err := db.EndHold(ctx, z2, app.HoldReleased, "She meant the noticeboard."); err != nil {
		t.Fatal(err)
	}
	if err := db.EndHold(ctx, z2, app.HoldReleased, "again"); app.ErrorCode(err) != app.ECONFLICT {
		t.Fatalf("released twice: %v", err)
	}
	if err := db.EndHold(ctx, z2, "maybe", ""); err == nil {
		t.Fatal("unknown outcome accepted")
	}
	e2, _ := db.Consent(ctx, z2)
	if e2.Hold == nil || e2.Hold.ReleasedAt.IsZero() || e2.Hold.ReleaseNote != "She meant the noticeboard." || e2.Hold.Active(e2.Hold.ReleasedAt) {
		t.Fatalf("released hold %+v", e2.Hold)
	}
	if hs, _ := db.StandingHolds(ctx); len(hs) != 0 {
		t.Fatalf("standing holds %+v", hs)
	}
	// A new withdrawal holds again the consent still in force (z2) only.
	third := reviewItem(r, "mid:wd3@x", "please stop using my photo")
	third.Intent = app.IntentWithdrawal
	if res, err := db.RecordReply(ctx, third); err != nil || !slices.Equal(res.Held, []int64{z2}) {
		t.Fatalf("third withdrawal: %+v %v", res, err)
	}
	// z1 withdrawn after its hold, z2 held again, z3 withdrawn from the start;
	// before the first hold began, only z3 was stopped.
	stopped(t, db, third.ReceivedAt, []int64{z1, z3}, []int64{z2})
	stopped(t, db, it.ReceivedAt.Add(-time.Hour), []int64{z1, z3}, nil)
	// The hold is readable inside a transaction too, for a check that must
	// see the same state as the write it guards.
	err = db.Tx(ctx, func(tx *store.Tx) error {
		h, err := tx.ConsentHold(ctx, z2)
		if err != nil || h == nil || !h.ReleasedAt.IsZero() {
			t.Errorf("in-transaction hold %+v %v", h, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// The log names ids only.
	if entries := auditActions(t, db, "consent.hold"); len(entries) != 3 {
		t.Fatalf("hold audit entries %v", entries)
	}
}

func auditActions(t *testing.T, db *store.DB, action string) []string {
	t.Helper()
	page, err := db.ListAudit(ctx, 1000, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range page.Entries {
		if e.Action == action {
			out = append(out, e.Subject+" "+strconv.Itoa(len(e.Detail)))
		}
	}
	return out
}

// RequestsTo finds the requests sent to an address, whatever its case,
// newest first, leaving out ones that never left.
func TestRequestsTo(t *testing.T) {
	db := MustOpenDB(t)
	zoe, ben := addPatient(t, db, "Zoë Brontë"), addPatient(t, db, "Ben Jones")
	r1 := newMailRequest(t, db, zoe, app.KindConsent)
	r2 := newMailRequest(t, db, zoe, app.KindTestimonial)
	failed := newMailRequest(t, db, zoe, app.KindConsent)
	if _, err := db.MarkMailRequest(ctx, failed.ID, app.MailFailed, "refused"); err != nil {
		t.Fatal(err)
	}
	newMailRequest(t, db, ben, app.KindConsent) // same address in this fixture: a family sharing one
	got, err := db.RequestsTo(ctx, "PAT@Example.COM")
	if err != nil {
		t.Fatal(err)
	}
	var refs []string
	for _, r := range got {
		refs = append(refs, r.Ref)
	}
	if len(got) != 3 || slices.Contains(refs, strconv.FormatInt(failed.ID, 10)) || !slices.Contains(refs, strconv.FormatInt(r1.ID, 10)) ||
		!slices.Contains(refs, strconv.FormatInt(r2.ID, 10)) || refs[0] < refs[len(refs)-1] {
		t.Fatalf("requests to the address: %v", refs)
	}
	if none, err := db.RequestsTo(ctx, "nobody@example.com"); err != nil || len(none) != 0 {
		t.Fatalf("unknown address: %v %v", none, err)
	}
}

// stopped checks StoppedConsents at moment, and that it says what reading
// every consent with its hold would (the queue's replay used to do that).
func stopped(t *testing.T, db *store.DB, moment time.Time, withdrawn, held []int64) {
	t.Helper()
	w, h, err := db.StoppedConsents(ctx, moment)
	if err != nil || !slices.Equal(w, withdrawn) || !slices.Equal(h, held) {
		t.Fatalf("stopped at %v: withdrawn %v held %v (%v), want %v and %v", moment, w, h, err, withdrawn, held)
	}
	all, err := db.ListConsents(ctx, app.ConsentFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var fw, fh []int64
	for _, e := range all {
		switch {
		case e.Revocation != nil:
			fw = append(fw, e.Consent.ID)
		case e.Hold.Active(moment):
			fh = append(fh, e.Consent.ID)
		}
	}
	slices.Sort(fw)
	slices.Sort(fh)
	if !slices.Equal(fw, w) || !slices.Equal(fh, h) {
		t.Fatalf("stopped at %v: %v %v, but the consents read say %v %v", moment, w, h, fw, fh)
	}
}
