package gate_test

import (
	"bytes"
	"image"
	"image/png"
	"slices"
	"strconv"
	"strings"
	"testing"

	"practicepost/app"
	"practicepost/app/gate"
	"practicepost/app/guard"
	"practicepost/app/publish/queue"
)

// sizedPNG is a PNG of w×h whose pixels depend on seed.
func sizedPNG(w, h, seed int) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = byte(seed*13 + i%11)
	}
	var b bytes.Buffer
	png.Encode(&b, img)
	return b.Bytes()
}

// keepQuoteCard keeps a quote card of tm in two sizes, Facebook's square and
// Mastodon's wide, as the Studio keeps a design: one row per size, each
// with the design's provenance.
func keepQuoteCard(r *rig, tm app.Testimonial) (square, wide app.Media) {
	r.t.Helper()
	var items []app.NewMedia
	for _, s := range []struct {
		id   string
		w, h int
	}{{"square", 108, 108}, {"wide", 160, 90}} {
		items = append(items, app.NewMedia{Data: sizedPNG(s.w, s.h, int(tm.ID)), MIME: "image/png", Template: "testimonial", SizeID: s.id, Width: s.w, Height: s.h,
			TestimonialID: tm.ID, Identity: app.IdentityInitials, ImageText: "“" + quote + "” — M.O.", SourcesKnown: true, Attribution: app.AttributionTestimonial})
	}
	kept, err := r.db.KeepMedia(ctx, "design-q", "A quote card", items)
	if err != nil {
		r.t.Fatal(err)
	}
	return kept[0], kept[1]
}

// designDraft attaches the design as the post editor does (its square size
// shown, the design's set id recorded), for Facebook and Mastodon. It
// quotes no testimonial in its text: what the gate finds, it finds in the
// images.
func designDraft(sq app.Media) app.Draft {
	return app.Draft{ID: 7, Body: "Kind words from a patient this week.", Channels: []string{"facebook", "mastodon"},
		Media: []app.DraftMedia{{MediaID: sq.ID, SHA256: sq.SHA256, AltText: "A quote card", SetID: sq.SetID}}}
}

// sizedRequest is the draft's request as Publish builds it: each channel
// with the images the draft check judged for it.
func sizedRequest(t *testing.T, dr gate.DraftResult) queue.Request {
	req := queue.Request{DraftID: "7", Text: "Kind words from a patient this week.", Zone: "Europe/London"}
	for _, p := range dr.Posts {
		tg := queue.Target{Channel: chMA, Platform: "mastodon", Text: p.Text, Media: []queue.Media{}}
		if p.Channel == guard.Facebook {
			tg.Channel, tg.Platform = chFB, "facebook"
		}
		for _, im := range p.Images {
			tg.Media = append(tg.Media, queue.Media{SHA256: im.SHA256, MediaID: im.MediaID, Alt: im.Alt})
		}
		req.Targets = append(req.Targets, tg)
	}
	if len(req.Targets) != 2 {
		t.Fatalf("targets = %d", len(req.Targets))
	}
	return req
}

// One design goes to two channels in two sizes, and the gate judges each
// job by its own image's provenance: both relied on the patient's consent
// through their own size, and each platform received the size it takes.
func TestDesignSizesEachJobGated(t *testing.T) {
	r := newRig(t)
	_, c, tm := quoted(r, terms{})
	sq, wide := keepQuoteCard(r, tm)
	g := gate.New()
	dr, err := g.Draft(ctx, r.db, designDraft(sq), t0, t0)
	if err != nil {
		t.Fatal(err)
	}
	want := map[guard.Channel]app.Media{guard.Facebook: sq, guard.Mastodon: wide}
	for i, p := range dr.Posts {
		if len(p.Images) != 1 || p.Images[0].SHA256 != want[p.Channel].SHA256 || p.Images[0].MediaID != want[p.Channel].ID {
			t.Errorf("%s's post carries %+v, want its %s size", p.Channel, p.Images, want[p.Channel].SizeID)
		}
		if dr.Results[i].Blocked() || !slices.Contains(dr.Results[i].Relied, c.Consent.ID) {
			t.Errorf("%s: blocked %v, relied %v; want clear, relying on consent %d", p.Channel, dr.Results[i].Reasons(), dr.Results[i].Relied, c.Consent.ID)
		}
		if dr.SizeNotes[p.Channel] != "" {
			t.Errorf("%s: size note %q for a design that has its size", p.Channel, dr.SizeNotes[p.Channel])
		}
	}

	jobs, err := r.enqueue(sizedRequest(t, dr))
	if err != nil {
		t.Fatal(err)
	}
	for _, j := range jobs {
		stored := r.job(j.ID)
		wantMedia := want[gate.ChannelOf(stored.Platform)]
		if len(stored.Media) != 1 || stored.Media[0].SHA256 != wantMedia.SHA256 {
			t.Fatalf("%s job stored %+v, want only its %s size", stored.Platform, stored.Media, wantMedia.SizeID)
		}
		// The gate as the queue calls it on the claim: the job's own image
		// is what ties it to the consent.
		res, err := g.Job(ctx, r.db, stored, nil, t0, t0)
		if err != nil {
			t.Fatal(err)
		}
		if res.Blocked() || !slices.Contains(res.Relied, c.Consent.ID) {
			t.Errorf("%s job: blocked %v, relied %v", stored.Platform, res.Reasons(), res.Relied)
		}
	}
	r.run()
	if n := r.wentLive(); n != 2 {
		t.Fatalf("%d posts live, want 2", n)
	}
	fbPosts := r.fb.Posts()
	if len(fbPosts) != 1 || !sameSize(fbPosts[0].Photo, 108, 108) {
		t.Errorf("Facebook received %d posts, not the 108×108 square", len(fbPosts))
	}
	st := r.ma.Statuses()
	if len(st) != 1 || len(st[0].MediaIDs) != 1 {
		t.Fatalf("Mastodon statuses %+v", st)
	}
	if m, ok := r.ma.Media(st[0].MediaIDs[0]); !ok || !sameSize(m.Data, 160, 90) {
		t.Errorf("Mastodon did not receive the 160×90 wide size")
	}

	// A withdrawal lists both live posts for takedown, whichever size each
	// carried: each job was linked to the consent through its own image.
	now := r.clock.Now()
	revocation, err := consentRevoke(c, now)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.db.RevokeConsent(ctx, revocation); err != nil {
		t.Fatal(err)
	}
	out, err := r.q.Revoke(ctx, strconv.FormatInt(c.Consent.ID, 10))
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Takedowns) != 2 {
		t.Errorf("%d posts listed for takedown after the withdrawal, want both", len(out.Takedowns))
	}
}

func sameSize(data []byte, w, h int) bool {
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	return err == nil && cfg.Width == w && cfg.Height == h
}

// A design whose testimonial's consent covers Facebook only is blocked on
// Mastodon only: in the editor's check, at the queue's door, and by the
// gate on a Mastodon job carrying its size.
func TestDesignSizeBlockedOnOneChannel(t *testing.T) {
	r := newRig(t)
	_, c, tm := quoted(r, terms{channels: []app.ConsentChannel{app.ChannelFacebook}})
	sq, wide := keepQuoteCard(r, tm)
	g := gate.New()
	dr, err := g.Draft(ctx, r.db, designDraft(sq), t0, t0)
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range dr.Posts {
		res := dr.Results[i]
		switch p.Channel {
		case guard.Facebook:
			if res.Blocked() || !slices.Contains(res.Relied, c.Consent.ID) {
				t.Errorf("Facebook: blocked %v, relied %v; want clear on the consent", res.Reasons(), res.Relied)
			}
		case guard.Mastodon:
			if !res.Blocked() || p.Images[0].SHA256 != wide.SHA256 {
				t.Errorf("Mastodon with the wide size %v: blocked %v, want blocked", p.Images[0].SHA256 == wide.SHA256, res.Blocked())
			}
		}
	}

	// Both channels at once: the queue refuses, naming Mastodon, and
	// nothing is stored or sent.
	req := sizedRequest(t, dr)
	if _, err := r.enqueue(req); err == nil || !strings.Contains(err.Error(), "Mastodon") || strings.Contains(err.Error(), "Facebook:") {
		t.Fatalf("enqueue to both = %v, want refused for Mastodon", err)
	}
	if js, _ := r.q.Jobs(ctx, queue.Filter{}); len(js) != 0 {
		t.Fatalf("%d jobs stored after a refusal", len(js))
	}
	// Facebook alone goes.
	fbOnly := req
	fbOnly.Targets = slices.DeleteFunc(slices.Clone(req.Targets), func(tg queue.Target) bool { return tg.Platform != "facebook" })
	if _, err := r.enqueue(fbOnly); err != nil {
		t.Fatalf("Facebook alone refused: %v", err)
	}
	r.run()
	if n := r.wentLive(); n != 1 || len(r.ma.Statuses()) != 0 {
		t.Fatalf("%d posts live (Mastodon %d), want Facebook's only", n, len(r.ma.Statuses()))
	}
	// The gate on a Mastodon job carrying the design's wide size blocks it
	// by that image alone (the job quotes no testimonial).
	res, err := g.Job(ctx, r.db, app.PublishJob{Platform: "mastodon", Text: "Kind words from a patient this week.",
		Media: []app.PublishMedia{{SHA256: wide.SHA256, MediaID: wide.ID, Alt: "A quote card"}}}, nil, t0, t0)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Blocked() {
		t.Errorf("a Mastodon job with the quote card's wide size passed the gate")
	}
}
