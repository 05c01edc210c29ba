package gate_test

import (
	"strings"
	"testing"
	"time"

	"practicepost/app"
	"practicepost/app/consent"
	"practicepost/app/gate"
	"practicepost/app/guard"
)

// A post quoting a testimonial whose words were edited after signing is
// blocked at every door until the patient approves the new words; once
// the approval is stored, the gate (its cached consents included) and the
// queue's check inside the claiming transaction let it through.
func TestEditedQuotePassesTheGateOnlyAfterApproval(t *testing.T) {
	r := newRig(t)
	_, c, tm := quoted(r, terms{})
	tm.Quote = "The team put me at ease."
	tm, err := r.db.UpdateTestimonial(ctx, tm)
	if err != nil {
		t.Fatal(err)
	}
	post := func(at time.Time) error {
		req := request("“The team put me at ease.” — M.O. #HarbourDental", at, chMA)
		req.Testimonials = []int64{tm.ID}
		_, err := r.enqueue(req)
		return err
	}
	g := gate.New()
	check := func() []guard.Finding {
		res, err := g.Check(ctx, r.db, []gate.Post{{Channel: guard.Mastodon, Text: "“The team put me at ease.” — M.O.", Testimonials: []int64{tm.ID}}}, r.clock.Now(), r.clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		return res[0].Report.Findings
	}
	quoteChanged := func(fs []guard.Finding) bool {
		for _, f := range fs {
			if f.Kind == guard.KindConsentPrefix+guard.Kind(consent.CodeQuoteChanged) {
				return true
			}
		}
		return false
	}

	if fs := check(); !quoteChanged(fs) {
		t.Fatalf("before approval the gate did not see the changed quote: %+v", fs)
	}
	if err := post(time.Time{}); app.ErrorCode(err) != app.EINVALID || !strings.Contains(app.ErrorMessage(err), "approved") {
		t.Fatalf("publish now before approval: %v", err)
	}
	r.run()
	if n := r.wentLive(); n != 0 {
		t.Fatalf("%d posts went live before approval", n)
	}

	png := []byte("\x89PNG approval")
	if _, err := r.db.InsertQuoteApproval(ctx, app.NewQuoteApproval{
		Approval:      app.QuoteApproval{ConsentID: c.Consent.ID, SHA256: consent.QuoteHash(tm.Quote), ApprovedAt: r.clock.Now(), How: app.ApprovedOnScreen},
		TestimonialID: tm.ID, SignaturePNG: png,
		Evidence: app.QuoteEvidence{ShownText: "shown", SignatureSHA256: app.SHA256Hex(png), TypedName: "Margaret Okafor"},
	}); err != nil {
		t.Fatal(err)
	}
	if fs := check(); quoteChanged(fs) {
		t.Fatalf("after approval the gate (same instance, cached consents) still blocks: %+v", fs)
	}
	if err := post(r.clock.Now().Add(time.Hour)); err != nil {
		t.Fatalf("scheduling after approval: %v", err)
	}
	r.advance(time.Hour + time.Minute)
	if n := r.wentLive(); n != 1 {
		t.Fatalf("%d posts went live after approval, want 1", n)
	}
}
