package service_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"practicepost/app"
	"practicepost/app/auth"
	hostfake "practicepost/app/publish/hosting/hostingtest"
	igfake "practicepost/app/publish/instagram/instagramtest"
	"practicepost/app/service"
)

// A testimonial post on Instagram whose consent is withdrawn: Instagram's
// API cannot delete it, so the manager deletes it in the app and marks it
// removed; the consent's takedown list and the activity log follow.
func TestInstagramPostRemovedByHandAfterWithdrawal(t *testing.T) {
	ctx := context.Background()
	clock := startClock()
	bucket := hostfake.New(hostfake.Config{Now: clock.Now})
	defer bucket.Close()
	ig := igfake.New(igfake.Config{ProcessingPolls: 1})
	defer ig.Close()
	w := newWorld(t, t.TempDir(), clock, auth.NewMemoryStore())
	h := service.NewHostingService(w.c, nil, w.secrets, w.ch)
	w.ch.Providers.InstagramGraphURL = ig.URL
	if _, err := w.ch.ConnectInstagram("100200300", "ig-token"); err != nil {
		t.Fatal(err)
	}
	if _, err := h.Save(bucketInput(bucket)); err != nil {
		t.Fatal(err)
	}

	db, _ := w.c.DB()
	p := addPatient(t, w.c, "Ada Quinn")
	signedAt := clock.Now().Add(-24 * time.Hour)
	quote := "The whole team put me at ease."
	entry := storeConsent(t, db, p, signedAt, terms{identity: []app.IdentityElement{app.IdentityInitials},
		channels: []app.ConsentChannel{app.ChannelInstagram}, quote: quote})
	tm, err := db.CreateTestimonial(ctx, app.Testimonial{PatientID: p.ID, ConsentID: entry.Consent.ID, Quote: quote, Source: "in clinic",
		SaidOn: app.CivilDate{Year: signedAt.Year(), Month: signedAt.Month(), Day: signedAt.Day()}, NameAs: app.IdentityInitials})
	if err != nil {
		t.Fatal(err)
	}
	sha := addJPEG(t, w)
	id := newDraft(t, w, service.DraftInput{Body: "“" + quote + "” A.Q.", Channels: []string{"instagram"}, Testimonials: []int64{tm.ID},
		Pillar: app.PillarTestimonial, Media: []app.DraftMedia{{SHA256: sha, AltText: "The practice's reception"}}})
	if _, err := w.pub.Publish(service.PublishInput{DraftID: id}); err != nil {
		t.Fatal(err)
	}
	jobs := waitJobs(t, w, id, "live on instagram", allIn(app.JobPublished, 1))
	if len(ig.Media()) != 1 {
		t.Fatalf("instagram media: %+v", ig.Media())
	}

	// Nothing to mark while the consent stands and the post could stay.
	if _, err := w.pub.MarkRemoved(jobs[0].ID+100, ""); app.ErrorCode(err) != app.ENOTFOUND {
		t.Errorf("unknown job: %v", err)
	}

	withdrawByEmail(t, w, entry.Consent, clock.Now())
	tds, err := w.pub.Takedowns(entry.Consent.ID)
	if err != nil || len(tds) != 1 || !tds[0].Manual || !strings.Contains(tds[0].Instructions, "Instagram app") ||
		!strings.HasPrefix(tds[0].URL, "https://www.instagram.com/p/") {
		t.Fatalf("takedowns %+v %v", tds, err)
	}
	// Delete is answered with what to do instead.
	if _, err := w.pub.Takedown(jobs[0].ID); err == nil || !strings.Contains(app.ErrorMessage(err), "mark it as removed here") {
		t.Fatalf("delete on instagram: %v", err)
	}

	before := len(w.rec.all())
	v, err := w.pub.MarkRemoved(jobs[0].ID, "Deleted on the practice phone")
	if err != nil || v.Takedown != app.TakedownRemovedManually || v.State != app.JobPublished || v.Title != "Instagram" {
		t.Fatalf("marked %+v %v", v, err)
	}
	consentChanged := false
	for _, e := range w.rec.all()[before:] {
		consentChanged = consentChanged || e.name == service.EventConsentChanged
	}
	if !consentChanged {
		t.Error("the consent screen is not told to reload")
	}
	tds, _ = w.pub.Takedowns(entry.Consent.ID)
	if len(tds) != 1 || tds[0].Takedown != app.TakedownRemovedManually || tds[0].RemovedAt.IsZero() || tds[0].Note != "Deleted on the practice phone" {
		t.Fatalf("after marking: %+v", tds)
	}
	if pubs, _ := db.TakedownList(ctx, entry.Consent.ID); len(pubs) != 0 {
		t.Errorf("still on the consent's takedown list: %+v", pubs)
	}
	// The post is still on the fake (only the manager can delete it there).
	if len(ig.Media()) != 1 {
		t.Errorf("instagram media changed: %+v", ig.Media())
	}
	page, _ := db.ListAudit(ctx, 300, 0)
	found := false
	for _, e := range page.Entries {
		found = found || e.Action == "publish.takedown_removed_manually"
		b, _ := json.Marshal(e.Detail)
		if strings.Contains(string(b), quote) || strings.Contains(string(b), "practice phone") {
			t.Fatalf("text in the activity log: %s %s", e.Action, b)
		}
	}
	if !found {
		t.Error("the manual removal is not in the activity log")
	}
}
