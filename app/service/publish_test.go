package service_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"practicepost/app"
	"practicepost/app/auth"
	"practicepost/app/consent"
	bsfake "practicepost/app/publish/bluesky/blueskytest"
	fbfake "practicepost/app/publish/facebook/facebooktest"
	"practicepost/app/publish/fault"
	mafake "practicepost/app/publish/mastodon/mastodontest"
	"practicepost/app/publish/queue"
	"practicepost/app/service"
)

// waitJobs polls until every job of the draft satisfies ok, or fails.
func waitJobs(t *testing.T, w *world, draftID int64, what string, ok func([]service.JobView) bool) []service.JobView {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		jobs, err := w.pub.Jobs(draftID)
		if err != nil {
			t.Fatal(err)
		}
		if ok(jobs) {
			return jobs
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s: %+v", what, jobs)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func allIn(state app.PublishState, n int) func([]service.JobView) bool {
	return func(js []service.JobView) bool {
		if len(js) != n {
			return false
		}
		for _, j := range js {
			if j.State != state {
				return false
			}
		}
		return true
	}
}

func addImage(t *testing.T, w *world) string {
	t.Helper()
	return keepDeclared(t, w, pngBytes(t, 120, 90), "image/png", 120, 90)
}

// keepDeclared puts an image in the Studio library as the Studio keeps a
// photo the manager declared shows no patient (the premises), so the gate
// knows where its pixels came from.
func keepDeclared(t *testing.T, w *world, data []byte, mime string, width, height int) string {
	t.Helper()
	db, _ := w.c.DB()
	kept, err := db.KeepMedia(context.Background(), "set-"+app.SHA256Hex(data)[:12], "A bright, empty treatment room", []app.NewMedia{{
		Data: data, MIME: mime, Template: "caption", SizeID: "square", Width: width, Height: height, ImageText: "",
		Sources: []app.ImageSource{{Kind: app.SourceDeclared, Declared: "premises"}}, SourcesKnown: true}})
	if err != nil {
		t.Fatal(err)
	}
	return kept[0].SHA256
}

func newDraft(t *testing.T, w *world, in service.DraftInput) int64 {
	t.Helper()
	v, err := w.drafts.Create(service.DraftInput{Channels: in.Channels})
	if err != nil {
		t.Fatal(err)
	}
	in.ID = v.Draft.ID
	if _, err := w.drafts.Save(in); err != nil {
		t.Fatal(err)
	}
	return v.Draft.ID
}

func connectMastodon(t *testing.T, w *world, m *mafake.Server) service.ChannelView {
	t.Helper()
	v, err := w.ch.ConnectMastodon(m.URL)
	if err != nil {
		t.Fatal(err)
	}
	<-w.browser.errs
	return v
}

func progressSteps(w *world, jobID int64) []string {
	var out []string
	for _, e := range w.rec.all() {
		if p, ok := e.data.(queue.Progress); ok && e.name == service.EventPublishProgress && p.JobID == jobID {
			out = append(out, string(p.Step))
		}
	}
	return out
}

// threePlatforms is a world with Mastodon, Bluesky and a Facebook Page
// connected, each to its fake, closed when the test ends.
func threePlatforms(t *testing.T) (*world, *mafake.Server, *bsfake.Server, *fbfake.Server) {
	t.Helper()
	masto := mafake.New(mafake.Config{})
	t.Cleanup(masto.Close)
	bs := bsfake.New(bsfake.Config{})
	t.Cleanup(bs.Close)
	fb := fbfake.New(fbfake.Config{})
	t.Cleanup(fb.Close)
	w := newWorld(t, t.TempDir(), startClock(), auth.NewMemoryStore())
	connectMastodon(t, w, masto)
	if _, err := w.ch.ConnectBluesky("smiledental.bsky.social", "abcd-efgh-ijkl-mnop", bs.URL); err != nil {
		t.Fatal(err)
	}
	w.ch.FacebookGraphURL = fb.URL
	if _, err := w.ch.ConnectFacebook("100200300", "page-token"); err != nil {
		t.Fatal(err)
	}
	return w, masto, bs, fb
}

func TestPublishDraftWithImageToThreePlatforms(t *testing.T) {
	w, masto, bs, fb := threePlatforms(t)

	sha := addImage(t, w)
	id := newDraft(t, w, service.DraftInput{Title: "Brushing", Body: "Top tip: brush for two minutes, twice a day.", Channels: []string{"facebook", "mastodon", "bluesky"},
		Hashtags: []string{"#DentalTips"}, Link: "https://harbour.example/tips", UTM: true,
		Media: []app.DraftMedia{{SHA256: sha, AltText: "A toothbrush beside a timer"}}})

	res, err := w.pub.Publish(service.PublishInput{DraftID: id})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Jobs) != 3 || res.RequestID == 0 || res.Check.Blocked {
		t.Fatalf("publish: %+v", res)
	}
	jobs := waitJobs(t, w, id, "every channel published", allIn(app.JobPublished, 3))
	for _, j := range jobs {
		if j.RemoteID == "" || j.RemoteURL == "" || j.ChannelName == "" {
			t.Errorf("%s: published without id or link: %+v", j.Platform, j)
		}
		steps := strings.Join(progressSteps(w, j.ID), ",")
		for _, want := range []string{"queued", "uploading_image", "creating_post", "confirming", "published"} {
			if !strings.Contains(steps, want) {
				t.Errorf("%s: no %s step in %s", j.Platform, want, steps)
			}
		}
	}

	sts := masto.Statuses()
	if len(sts) != 1 || len(sts[0].MediaIDs) != 1 {
		t.Fatalf("mastodon: %+v", sts)
	}
	if m, _ := masto.Media(sts[0].MediaIDs[0]); m.Description != "A toothbrush beside a timer" {
		t.Errorf("mastodon alt text %q", m.Description)
	}
	if !strings.Contains(sts[0].Text, "utm_source=mastodon") || !strings.Contains(sts[0].Text, "#DentalTips") {
		t.Errorf("mastodon text not composed for the platform: %q", sts[0].Text)
	}
	recs := bs.Records()
	if len(recs) != 1 || !strings.Contains(string(recs[0].Value), `"alt":"A toothbrush beside a timer"`) || !strings.Contains(recs[0].Text, "utm_source=bluesky") {
		t.Fatalf("bluesky: %+v", recs)
	}
	posts := fb.Posts()
	if len(posts) != 1 || len(posts[0].Photo) == 0 || !strings.Contains(posts[0].Message, "utm_source=facebook") {
		t.Fatalf("facebook: %+v", posts)
	}

	deadline := time.Now().Add(5 * time.Second)
	for {
		v, err := w.drafts.Get(id)
		if err != nil {
			t.Fatal(err)
		}
		if v.Draft.Status == app.DraftPublished {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the draft was not marked published: %s", v.Draft.Status)
		}
		time.Sleep(20 * time.Millisecond)
	}
	// Home's "went out this week" lists all three, newest first, with links;
	// a week later they have left it.
	recent, err := w.pub.Recent()
	if err != nil || len(recent) != 3 {
		t.Fatalf("recent: %d %v", len(recent), err)
	}
	for i, j := range recent {
		if j.State != app.JobPublished || j.RemoteURL == "" || (i > 0 && j.PublishedAt.After(recent[i-1].PublishedAt)) {
			t.Errorf("recent[%d] = %+v", i, j)
		}
	}
	// Published "now", it had no day: the calendar shows it on the day and
	// minute it went out, in the practice's zone.
	now := w.clock.Now()
	defer func() {
		w.clock.Advance(8 * 24 * time.Hour)
		if recent, err := w.pub.Recent(); err != nil || len(recent) != 0 {
			t.Errorf("a week later: %d %v", len(recent), err)
		}
	}()
	london, _ := time.LoadLocation("Europe/London")
	day := now.In(london).Format("2006-01-02")
	r, err := service.NewCalendarService(w.c, service.NewLockService(w.c)).Range(day, now.In(london).AddDate(0, 0, 1).Format("2006-01-02"))
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, p := range r.Posts {
		if p.ID == id {
			found = true
			if p.Status != app.DraftPublished || !strings.HasPrefix(p.Start, day+"T") {
				t.Errorf("published post on the calendar: %+v", p)
			}
		}
	}
	if !found {
		t.Errorf("the published post is missing from the calendar: %+v", r.Posts)
	}
}

func TestPublishRefusedByGuardAndWithoutChannel(t *testing.T) {
	masto := mafake.New(mafake.Config{})
	defer masto.Close()
	w := newWorld(t, t.TempDir(), startClock(), auth.NewMemoryStore())

	id := newDraft(t, w, service.DraftInput{Body: "Lovely to see you again!", Channels: []string{"mastodon", "bluesky"}})
	if _, err := w.pub.Publish(service.PublishInput{DraftID: id}); app.ErrorField(err) != "channels" || !strings.Contains(app.ErrorMessage(err), "Connect Mastodon and Bluesky") {
		t.Fatalf("publishing to unconnected platforms: %v", err)
	}
	connectMastodon(t, w, masto)
	id = newDraft(t, w, service.DraftInput{Body: "Welcome back, patient 943 476 5919!", Channels: []string{"mastodon"}})
	_, err := w.pub.Publish(service.PublishInput{DraftID: id})
	if app.ErrorCode(err) != app.EINVALID || !strings.Contains(app.ErrorMessage(err), "cannot be published yet") {
		t.Fatalf("an NHS number went through the guard: %v", err)
	}
	if jobs, _ := w.pub.Jobs(id); len(jobs) != 0 {
		t.Fatalf("jobs queued for a blocked post: %+v", jobs)
	}
	if len(masto.Statuses()) != 0 {
		t.Fatal("a blocked post reached Mastodon")
	}
}

func TestRateLimitShowsTheWaitThenPosts(t *testing.T) {
	clock := startClock()
	masto := mafake.New(mafake.Config{Now: clock.Now})
	defer masto.Close()
	w := newWorld(t, t.TempDir(), clock, auth.NewMemoryStore())
	connectMastodon(t, w, masto)
	masto.Faults.Add(fault.Fault{Method: http.MethodPost, Path: "/api/v1/statuses", Status: http.StatusTooManyRequests, Reset: 30 * time.Second, Times: 1})

	id := newDraft(t, w, service.DraftInput{Body: "Open late on Thursdays.", Channels: []string{"mastodon"}})
	start := clock.Now()
	if _, err := w.pub.Publish(service.PublishInput{DraftID: id}); err != nil {
		t.Fatal(err)
	}
	jobs := waitJobs(t, w, id, "the rate-limit wait", allIn(app.JobWaiting, 1))
	j := jobs[0]
	if j.ErrorKind != "rate_limited" || !strings.Contains(j.ErrorMessage, "tries again by itself in about a minute") {
		t.Fatalf("wait not explained: %+v", j)
	}
	if wait := j.NextAt.Sub(start); wait < 30*time.Second || wait > 34*time.Second {
		t.Fatalf("retry planned %v after the 429, want just past the 30 s reset", wait)
	}
	var shown *queue.Progress
	for _, e := range w.rec.all() {
		if p, ok := e.data.(queue.Progress); ok && p.JobID == j.ID && p.Step == queue.StepWaiting {
			shown = &p
		}
	}
	if shown == nil || !shown.RetryAt.Equal(j.NextAt) || shown.Message == "" {
		t.Fatalf("the waiting event must carry the retry time and message: %+v", shown)
	}
	if len(masto.Statuses()) != 0 {
		t.Fatal("posted during the limit")
	}
	// Nothing happens before the reset...
	time.Sleep(100 * time.Millisecond)
	if len(masto.Statuses()) != 0 {
		t.Fatal("posted before the reset")
	}
	// ...and the post goes out once it has passed.
	clock.Advance(35 * time.Second)
	waitJobs(t, w, id, "the post after the reset", allIn(app.JobPublished, 1))
	if n := len(masto.Statuses()); n != 1 {
		t.Fatalf("%d statuses after the reset, want exactly 1", n)
	}
}

func TestScheduledFacebookNativeAndMissedWhileClosed(t *testing.T) {
	clock := &safeClock{t: time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)}
	masto := mafake.New(mafake.Config{Now: clock.Now})
	defer masto.Close()
	fb := fbfake.New(fbfake.Config{Now: clock.Now})
	defer fb.Close()
	home, secrets := t.TempDir(), auth.NewMemoryStore()
	w := newWorld(t, home, clock, secrets)
	connectMastodon(t, w, masto)
	w.ch.FacebookGraphURL = fb.URL
	if _, err := w.ch.ConnectFacebook("100200300", "page-token"); err != nil {
		t.Fatal(err)
	}
	id := newDraft(t, w, service.DraftInput{Body: "Christmas opening hours are on our website.", Channels: []string{"facebook", "mastodon"}})
	if _, err := w.pub.Publish(service.PublishInput{DraftID: id, Date: "2026-11-23", Clock: "09:00"}); err != nil {
		t.Fatal(err)
	}
	jobs := waitJobs(t, w, id, "facebook holding the post", func(js []service.JobView) bool {
		return len(js) == 2 && js[0].State == app.JobScheduledRemote && js[1].State == app.JobQueued
	})
	if !strings.Contains(jobs[0].NativeNote, "even if this computer is off") || jobs[1].NativeNote != "" {
		t.Fatalf("native note: %q / %q", jobs[0].NativeNote, jobs[1].NativeNote)
	}
	if p := fb.Posts(); len(p) != 1 || p[0].Published || !p[0].ScheduledAt.Equal(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)) {
		t.Fatalf("facebook should hold the post for 09:00 London: %+v", p)
	}
	if d, _ := w.drafts.Get(id); d.Draft.Status != app.DraftScheduled {
		t.Fatalf("draft status %s", d.Draft.Status)
	}
	queued, err := w.pub.Queue()
	if err != nil || len(queued) != 2 {
		t.Fatalf("queue: %+v %v", queued, err)
	}

	// PracticePost is closed over the post's time.
	w.c.Stop()
	clock.Advance(26 * time.Hour)
	w = newWorld(t, home, clock, secrets)
	w.ch.FacebookGraphURL = fb.URL
	jobs = waitJobs(t, w, id, "missed on Mastodon, confirmed on Facebook", func(js []service.JobView) bool {
		return len(js) == 2 && js[0].State == app.JobPublished && js[1].State == app.JobMissed
	})
	if len(masto.Statuses()) != 0 {
		t.Fatal("a missed post went out late without being asked")
	}
	if !strings.Contains(jobs[1].ErrorMessage, "Publish now") {
		t.Fatalf("missed message: %q", jobs[1].ErrorMessage)
	}
	// A new time for the missed post, then publish now instead.
	if _, err := w.pub.Reschedule(jobs[1].ID, "2026-11-01", "09:00"); app.ErrorField(err) != "time" {
		t.Fatalf("a past time accepted: %v", err)
	}
	if _, err := w.pub.PublishNow(jobs[1].ID); err != nil {
		t.Fatal(err)
	}
	waitJobs(t, w, id, "the missed post sent on request", allIn(app.JobPublished, 2))
	if len(masto.Statuses()) != 1 {
		t.Fatalf("statuses: %d", len(masto.Statuses()))
	}
}

func TestWithdrawnConsentBlocksAndTakesDown(t *testing.T) {
	ctx := context.Background()
	clock := &safeClock{t: time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)}
	masto := mafake.New(mafake.Config{Now: clock.Now})
	defer masto.Close()
	fb := fbfake.New(fbfake.Config{Now: clock.Now})
	defer fb.Close()
	w := newWorld(t, t.TempDir(), clock, auth.NewMemoryStore())
	connectMastodon(t, w, masto)
	w.ch.FacebookGraphURL = fb.URL
	if _, err := w.ch.ConnectFacebook("100200300", "page-token"); err != nil {
		t.Fatal(err)
	}

	db, _ := w.c.DB()
	p := addPatient(t, w.c, "Ada Quinn")
	quote := "The whole team put me at ease."
	entry := storeConsent(t, db, p, time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC), terms{identity: []app.IdentityElement{app.IdentityInitials},
		channels: []app.ConsentChannel{app.ChannelMastodon, app.ChannelFacebook}, quote: quote})
	tm, err := db.CreateTestimonial(ctx, app.Testimonial{PatientID: p.ID, ConsentID: entry.Consent.ID, Quote: quote, Source: "in clinic",
		SaidOn: app.CivilDate{Year: 2026, Month: 11, Day: 1}, NameAs: app.IdentityInitials})
	if err != nil {
		t.Fatal(err)
	}
	body := "“" + quote + "” A.Q."
	live := newDraft(t, w, service.DraftInput{Body: body, Channels: []string{"mastodon"}, Testimonials: []int64{tm.ID}, Pillar: app.PillarTestimonial})
	if _, err := w.pub.Publish(service.PublishInput{DraftID: live}); err != nil {
		t.Fatal(err)
	}
	liveJobs := waitJobs(t, w, live, "the testimonial live", allIn(app.JobPublished, 1))
	later := newDraft(t, w, service.DraftInput{Body: body, Channels: []string{"mastodon", "facebook"}, Testimonials: []int64{tm.ID}, Pillar: app.PillarTestimonial})
	if _, err := w.pub.Publish(service.PublishInput{DraftID: later, Date: "2026-11-29", Clock: "10:00"}); err != nil {
		t.Fatal(err)
	}
	waitJobs(t, w, later, "scheduled", func(js []service.JobView) bool {
		return len(js) == 2 && js[0].State == app.JobScheduledRemote && js[1].State == app.JobQueued
	})

	// A third post uses the testimonial only as a quote card: no linked
	// testimonial, no quote in the text. Its job must carry the consent too.
	kept, err := db.KeepMedia(ctx, "set-quote-card", "A quote card: The whole team put me at ease.", []app.NewMedia{{
		Data: pngBytes(t, 120, 120), MIME: "image/png", Template: "quote", SizeID: "square", Width: 120, Height: 120,
		TestimonialID: tm.ID, Identity: app.IdentityInitials, ImageText: "“" + quote + "” A.Q.", SourcesKnown: true, Attribution: app.AttributionTestimonial}})
	if err != nil {
		t.Fatal(err)
	}
	cardOnly := newDraft(t, w, service.DraftInput{Body: "Kind words from a patient this week.", Channels: []string{"mastodon"},
		Media: []app.DraftMedia{{MediaID: kept[0].ID, SHA256: kept[0].SHA256, AltText: kept[0].AltText}}, Pillar: app.PillarTestimonial})
	if _, err := w.pub.Publish(service.PublishInput{DraftID: cardOnly, Date: "2026-11-29", Clock: "11:00"}); err != nil {
		t.Fatal(err)
	}
	waitJobs(t, w, cardOnly, "the quote card scheduled", allIn(app.JobQueued, 1))

	// Home's expiry warning counts the posts that rely on the consent: the
	// two scheduled jobs, the Facebook one held by Facebook, and the live one.
	consents := service.NewConsentService(w.c, service.NewLockService(w.c), nil)
	ws, err := consents.Expiring(366)
	if err != nil || len(ws) != 1 || ws[0].ConsentID != entry.Consent.ID || ws[0].Scheduled != 3 || ws[0].Live != 1 {
		t.Fatalf("expiring with its posts: %+v %v", ws, err)
	}

	// The patient withdraws.
	withdrawByEmail(t, w, entry.Consent, clock.Now())
	blocked := waitJobs(t, w, later, "both scheduled posts blocked, Facebook's copy deleted", func(js []service.JobView) bool {
		return len(js) == 2 && js[0].State == app.JobBlocked && js[0].Takedown == app.TakedownDeleted && js[1].State == app.JobBlocked
	})
	waitJobs(t, w, cardOnly, "the quote-card-only post blocked", allIn(app.JobBlocked, 1))
	if !strings.Contains(blocked[1].ErrorMessage, "withdrawn") {
		t.Fatalf("blocked message: %q", blocked[1].ErrorMessage)
	}
	if p := fb.Posts(); len(p) != 1 || !p[0].Deleted {
		t.Fatalf("Facebook still holds the withdrawn post: %+v", p)
	}

	tds, err := w.pub.Takedowns(entry.Consent.ID)
	if err != nil || len(tds) != 1 || tds[0].JobID != liveJobs[0].ID || tds[0].URL == "" {
		t.Fatalf("takedown list: %+v %v", tds, err)
	}
	// The list the consent screen shows names the same post by job id.
	pubs, err := db.TakedownList(ctx, entry.Consent.ID)
	if err != nil || len(pubs) != 1 || pubs[0].PostID != liveJobs[0].ID {
		t.Fatalf("consent takedown list: %+v %v", pubs, err)
	}
	// Mastodon is down at first: the failure is recorded and PracticePost
	// tries again by itself.
	masto.Faults.Add(fault.Fault{Method: http.MethodDelete, Status: http.StatusBadGateway, Times: 1})
	j, err := w.pub.Takedown(liveJobs[0].ID)
	if err != nil || j.Takedown != app.TakedownPending || !strings.Contains(j.TakedownError, "try again") {
		t.Fatalf("takedown during an outage: %+v %v", j, err)
	}
	if tds, _ = w.pub.Takedowns(entry.Consent.ID); len(tds) != 1 || tds[0].Error == "" {
		t.Fatalf("the failed attempt is not shown: %+v", tds)
	}
	if sts := masto.Statuses(); sts[0].Deleted {
		t.Fatal("deleted during the outage?")
	}
	clock.Advance(time.Minute)
	deadline := time.Now().Add(10 * time.Second)
	for {
		tds, _ = w.pub.Takedowns(entry.Consent.ID)
		if len(tds) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("not deleted after the outage: %+v", tds)
		}
		time.Sleep(20 * time.Millisecond)
	}
	// Asking again for a post already deleted is harmless.
	if j, err = w.pub.Takedown(liveJobs[0].ID); err != nil || j.Takedown != app.TakedownDeleted {
		t.Fatalf("second takedown: %+v %v", j, err)
	}
	if sts := masto.Statuses(); len(sts) != 1 || !sts[0].Deleted {
		t.Fatalf("the live post is still up: %+v", sts)
	}
	if pubs, _ := db.TakedownList(ctx, entry.Consent.ID); len(pubs) != 0 {
		t.Fatalf("still on the consent's takedown list: %+v", pubs)
	}
	if tds, _ := w.pub.Takedowns(entry.Consent.ID); len(tds) != 0 {
		t.Fatalf("still offered for takedown: %+v", tds)
	}
	page, _ := db.ListAudit(ctx, 200, 0)
	found := false
	for _, e := range page.Entries {
		if e.Action == "publish.takedown_deleted" && e.Subject == "publish_job:"+strconv.FormatInt(liveJobs[0].ID, 10) {
			found = true
		}
		b, _ := json.Marshal(e.Detail)
		if strings.Contains(string(b), quote) {
			t.Fatalf("post text in the activity log: %s", b)
		}
	}
	if !found {
		t.Fatal("the takedown is not in the activity log")
	}
}

// The sidebar's "waiting" line counts posts, not channel jobs: one post to
// Mastodon and Bluesky is one post waiting, and two posts are two.
func TestBackgroundCountsPostsNotChannels(t *testing.T) {
	clock := &safeClock{t: time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)}
	masto := mafake.New(mafake.Config{Now: clock.Now})
	defer masto.Close()
	bs := bsfake.New(bsfake.Config{})
	defer bs.Close()
	w := newWorld(t, t.TempDir(), clock, auth.NewMemoryStore())
	if b, err := w.pub.Background(); err != nil || b.Waiting != 0 || b.Posts != 0 || b.Message != "" {
		t.Fatalf("nothing scheduled: %+v %v", b, err)
	}
	connectMastodon(t, w, masto)
	if _, err := w.ch.ConnectBluesky("smiledental.bsky.social", "abcd-efgh-ijkl-mnop", bs.URL); err != nil {
		t.Fatal(err)
	}
	id := newDraft(t, w, service.DraftInput{Body: "Open on Saturday mornings from December.", Channels: []string{"mastodon", "bluesky"}})
	if _, err := w.pub.Publish(service.PublishInput{DraftID: id, Date: "2026-11-23", Clock: "09:00"}); err != nil {
		t.Fatal(err)
	}
	waitJobs(t, w, id, "both channels queued", allIn(app.JobQueued, 2))
	b, err := w.pub.Background()
	if err != nil || b.Waiting != 2 || b.Posts != 1 || !strings.Contains(b.Message, "1 scheduled post(s)") || !strings.Contains(b.Message, "this computer is on") {
		t.Fatalf("one post to two channels: %+v %v", b, err)
	}
	other := newDraft(t, w, service.DraftInput{Body: "Half-term check-ups are filling up.", Channels: []string{"mastodon"}})
	if _, err := w.pub.Publish(service.PublishInput{DraftID: other, Date: "2026-11-24", Clock: "09:00"}); err != nil {
		t.Fatal(err)
	}
	waitJobs(t, w, other, "queued", allIn(app.JobQueued, 1))
	if b, err := w.pub.Background(); err != nil || b.Waiting != 3 || b.Posts != 2 {
		t.Fatalf("two posts, three channels: %+v %v", b, err)
	}
}

// A withdrawal recorded while the queue did not hear of it (PracticePost
// stopped between the two) is replayed when PracticePost starts again:
// the post relying on it is blocked before the queue runs, and another
// patient's post keeps its place.
func TestWithdrawalMissedByTheQueueIsReplayedAtStart(t *testing.T) {
	ctx := context.Background()
	clock := &safeClock{t: time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)}
	masto := mafake.New(mafake.Config{Now: clock.Now})
	defer masto.Close()
	home, secrets := t.TempDir(), auth.NewMemoryStore()
	w := newWorld(t, home, clock, secrets)
	connectMastodon(t, w, masto)
	db, _ := w.c.DB()
	post := func(name, quote string) (app.ConsentEntry, int64) {
		p := addPatient(t, w.c, name)
		e := storeConsent(t, db, p, time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC), terms{identity: []app.IdentityElement{app.IdentityInitials},
			channels: []app.ConsentChannel{app.ChannelMastodon}, quote: quote})
		tm, err := db.CreateTestimonial(ctx, app.Testimonial{PatientID: p.ID, ConsentID: e.Consent.ID, Quote: quote, Source: "in clinic",
			SaidOn: app.CivilDate{Year: 2026, Month: 11, Day: 1}, NameAs: app.IdentityInitials})
		if err != nil {
			t.Fatal(err)
		}
		id := newDraft(t, w, service.DraftInput{Body: "“" + quote + "”", Channels: []string{"mastodon"}, Testimonials: []int64{tm.ID}, Pillar: app.PillarTestimonial})
		if _, err := w.pub.Publish(service.PublishInput{DraftID: id, Date: "2026-11-29", Clock: "10:00"}); err != nil {
			t.Fatal(err)
		}
		waitJobs(t, w, id, name+"'s post scheduled", allIn(app.JobQueued, 1))
		return e, id
	}
	ada, adaPost := post("Ada Quinn", "The whole team put me at ease.")
	_, benPost := post("Ben Hale", "Painless, and on time.")

	r, err := consent.Revoke(ada.Consent, clock.Now(), "email", "", clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := db.RevokeConsent(ctx, r); err != nil {
		t.Fatal(err)
	}
	// The queue was not told, so its job still waits.
	waitJobs(t, w, adaPost, "Ada's post still queued before the restart", allIn(app.JobQueued, 1))
	w.c.Stop()

	w = newWorld(t, home, clock, secrets)
	jobs := waitJobs(t, w, adaPost, "Ada's post blocked after the restart", allIn(app.JobBlocked, 1))
	if !strings.Contains(jobs[0].ErrorMessage, "withdrawn") {
		t.Fatalf("blocked message: %q", jobs[0].ErrorMessage)
	}
	waitJobs(t, w, benPost, "Ben's post still scheduled", allIn(app.JobQueued, 1))
	if len(masto.Statuses()) != 0 {
		t.Fatal("something was sent")
	}
}
