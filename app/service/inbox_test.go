package service_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"practicepost/app"
	"practicepost/app/auth"
	"practicepost/app/inbox"
	"practicepost/app/internal/loopback"
	fbfake "practicepost/app/publish/facebook/facebooktest"
	"practicepost/app/publish/fault"
	gbpfake "practicepost/app/publish/gbp/gbptest"
	xfake "practicepost/app/publish/x/xtest"
	"practicepost/app/service"
	"practicepost/app/store"
)

// A negative Google review arrives; a reply naming the reviewer and her
// treatment is blocked with the reason and a safe rewrite, and nothing
// leaves; the template reply is sent, the review shows as answered, the
// unanswered count drops, and the activity log has every step.
func TestInboxNegativeGoogleReview(t *testing.T) {
	clock := startClock()
	w, g := googleWorld(t, clock)
	db, ctx := practiceContact(t, w, "Your Smile Dental", "hello@yoursmile.example")
	g.AddReview("Jane Smith", 1, "My crown came loose two days after my appointment.", clock.Now().Add(-2*time.Hour))
	g.AddReview("Tom", 5, "Lovely team!", clock.Now().Add(-time.Hour))

	ib := service.NewInboxService(w.c, nil, w.ch)
	res, err := ib.Refresh()
	if err != nil || len(res.Channels) != 1 || res.Channels[0].Added != 2 || res.Channels[0].Error != "" {
		t.Fatalf("refresh %+v %v", res, err)
	}
	if s, _ := ib.Summary(); s.Unanswered != 2 {
		t.Fatalf("summary %+v", s)
	}
	v, err := ib.List(inbox.Filter{Platform: "google", Unanswered: true})
	if err != nil || len(v.Threads) != 2 {
		t.Fatalf("list %+v %v", v, err)
	}
	th := v.Threads[0] // the longest waiting
	if th.Root.Stars != 1 || th.Suggested != string(inbox.NegativeReview) || th.Caps.Hide || !th.Caps.Reply || th.Title != "Google Business Profile" {
		t.Fatalf("thread %+v", th)
	}
	id := th.Root.ID

	bad := "Sorry your crown came loose, Mrs Smith"
	chk, err := ib.Check(id, bad)
	if err != nil || !chk.Blocked {
		t.Fatalf("check %+v %v", chk, err)
	}
	var named, confirms bool
	for _, f := range chk.Findings {
		named = named || f.Kind == "reply_name" && f.Text == "Mrs Smith"
		confirms = confirms || f.Kind == "reply_confirms_patient" && strings.Contains(f.Fix, "0117 496 0123")
	}
	if !named || !confirms {
		t.Errorf("findings %+v", chk.Findings)
	}
	out, err := ib.Reply(id, bad)
	if err != nil || !out.Blocked || out.Sent || !strings.Contains(out.Message, "Not sent") {
		t.Fatalf("blocked reply: %+v %v", out, err)
	}
	if r := g.Reviews()[0]; r.Reply != "" {
		t.Fatal("a blocked reply reached Google")
	}
	if acts, _ := db.InboxActions(ctx, id); len(acts) != 0 {
		t.Fatalf("a blocked reply was recorded as an attempt: %+v", acts)
	}

	var tpl string
	for _, f := range v.Templates {
		if f.Situation == inbox.NegativeReview {
			tpl = f.Text
		}
	}
	out, err = ib.Reply(id, tpl)
	if err != nil || !out.Sent {
		t.Fatalf("template reply: %+v %v", out, err)
	}
	if r := g.Reviews()[0]; r.Reply != tpl {
		t.Fatalf("Google has %q", r.Reply)
	}
	if s, _ := ib.Summary(); s.Unanswered != 1 {
		t.Errorf("unanswered after the reply: %+v", s)
	}
	// The next collection reads the reply back from Google and agrees.
	if _, err := ib.Refresh(); err != nil {
		t.Fatal(err)
	}
	v, _ = ib.List(inbox.Filter{})
	for _, th := range v.Threads {
		if th.Root.ID == id && (th.Waiting != nil || th.Root.ReplyState != "APPROVED") {
			t.Errorf("after refresh: %+v", th)
		}
	}
	acts, _ := db.InboxActions(ctx, id)
	if len(acts) != 1 || acts[0].State != "done" || acts[0].Text != tpl {
		t.Errorf("actions %+v", acts)
	}
	page, _ := db.ListAudit(ctx, 50, 0)
	var seen []string
	for _, e := range page.Entries {
		if strings.HasPrefix(e.Action, "inbox.") {
			seen = append(seen, e.Action)
			for _, v := range e.Detail {
				if strings.Contains(v, "crown") || strings.Contains(v, "Smith") {
					t.Errorf("the activity log holds message text: %+v", e)
				}
			}
		}
	}
	for _, want := range []string{"inbox.reply_blocked", "inbox.reply_attempt", "inbox.reply"} {
		if !strings.Contains(strings.Join(seen, " ")+" ", want+" ") {
			t.Errorf("activity log lacks %s: %v", want, seen)
		}
	}

	// Google does not let a business hide or delete a review.
	if _, err := ib.Hide(id, true); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("hide a review: %v", err)
	}
	if _, err := ib.Delete(id); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("delete a review: %v", err)
	}
	// Bad input changes nothing.
	if _, err := ib.Reply(id, "   "); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("empty reply: %v", err)
	}
	if _, err := ib.Reply(999, "Hello"); app.ErrorCode(err) != app.ENOTFOUND {
		t.Errorf("unknown item: %v", err)
	}
}

// A channel that fails (expired sign-in) is reported by name and the
// collection carries on.
func TestInboxRefreshReportsAChannelsFailure(t *testing.T) {
	clock := startClock()
	w, g := googleWorld(t, clock)
	g.ExpireToken()
	ib := service.NewInboxService(w.c, nil, w.ch)
	res, err := ib.Refresh()
	if err != nil || len(res.Channels) != 1 || !strings.Contains(res.Channels[0].Error, "reconnect") {
		t.Fatalf("%+v %v", res, err)
	}
}

// A reply whose answer was lost on the way back may have gone out: the
// next Send looks on the platform first and does not post it twice.
func TestInboxUncertainReplyIsNotSentTwice(t *testing.T) {
	clock := startClock()
	w, g := googleWorld(t, clock)
	g.AddReview("Ann", 4, "Good", clock.Now().Add(-time.Hour))
	ib := service.NewInboxService(w.c, nil, w.ch)
	if _, err := ib.Refresh(); err != nil {
		t.Fatal(err)
	}
	v, _ := ib.List(inbox.Filter{})
	id := v.Threads[0].Root.ID
	// No brand kit here: the practice has no number yet, so the reply offers none.
	text := "Thank you so much for the kind words!"
	g.Faults.Add(fault.Fault{Method: "PUT", Path: "/reply", AfterCommit: fault.Drop, Times: 1})
	out, err := ib.Reply(id, text)
	if err != nil || out.Sent || !strings.Contains(out.Message, "may have gone out") {
		t.Fatalf("lost answer: %+v %v", out, err)
	}
	db, _ := w.c.DB()
	acts, _ := db.InboxActions(context.Background(), id)
	if len(acts) != 1 || acts[0].State != "uncertain" {
		t.Fatalf("actions %+v", acts)
	}
	out, err = ib.Reply(id, text)
	if err != nil || out.Sent || !strings.Contains(out.Message, "did reach Google Business Profile after all") {
		t.Fatalf("second send: %+v %v", out, err)
	}
	acts, _ = db.InboxActions(context.Background(), id)
	if len(acts) != 1 || acts[0].State != "done" {
		t.Fatalf("after reconciling %+v", acts)
	}
	if s, _ := ib.Summary(); s.Unanswered != 0 {
		t.Errorf("summary %+v", s)
	}
}

// Comments on a published Facebook post: collected, answered through the
// checks, hidden and deleted, every step in the activity log.
func TestInboxFacebookCommentsOnAPublishedPost(t *testing.T) {
	clock := &safeClock{t: time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)}
	fb := fbfake.New(fbfake.Config{Now: clock.Now})
	defer fb.Close()
	w := newWorld(t, t.TempDir(), clock, auth.NewMemoryStore())
	w.ch.FacebookGraphURL = fb.URL
	if _, err := w.ch.ConnectFacebook("100200300", "page-token"); err != nil {
		t.Fatal(err)
	}
	db, ctx := practiceContact(t, w, "Harbour Physio", "")
	publishClinicHours(t, w, "facebook", "Facebook")
	post := fb.Posts()[0].ID
	ask := fb.AddComment(post, "", "Priya Shah", "Is the clinic open on Saturday afternoons too?", clock.Now())
	spam := fb.AddComment(post, "", "Cheap Followers", "Buy followers at spam.example", clock.Now())

	ib := service.NewInboxService(w.c, nil, w.ch)
	res, err := ib.Refresh()
	if err != nil || res.Channels[0].Added != 2 || res.Channels[0].Error != "" {
		t.Fatalf("refresh %+v %v", res, err)
	}
	v, _ := ib.List(inbox.Filter{Platform: "facebook"})
	if len(v.Threads) != 2 || !v.Threads[0].Caps.Hide || v.Threads[0].Root.Kind != app.InboxComment {
		t.Fatalf("threads %+v", v.Threads)
	}
	byRemote := map[string]int64{}
	for _, th := range v.Threads {
		byRemote[th.Root.RemoteID] = th.Root.ID
	}
	// Naming the commenter is blocked; a plain answer goes out.
	if out, _ := ib.Reply(byRemote[ask], "Thanks Priya, yes until 5pm!"); !out.Blocked {
		t.Fatalf("named reply not blocked: %+v", out)
	}
	out, err := ib.Reply(byRemote[ask], "Thanks for asking! We're open until 5pm on Saturdays. Call us on 0117 496 0123 to book.")
	if err != nil || !out.Sent {
		t.Fatalf("reply %+v %v", out, err)
	}
	cs := fb.Comments()
	if last := cs[len(cs)-1]; last.ParentID != ask || last.FromID != "100200300" {
		t.Errorf("reply on Facebook %+v", last)
	}
	if _, err := ib.Hide(byRemote[spam], true); err != nil {
		t.Fatal(err)
	}
	if _, err := ib.Delete(byRemote[spam]); err != nil {
		t.Fatal(err)
	}
	for _, c := range fb.Comments() {
		if c.ID == spam && (!c.Hidden || !c.Deleted) {
			t.Errorf("spam %+v", c)
		}
	}
	if s, _ := ib.Summary(); s.Unanswered != 0 {
		t.Errorf("summary %+v", s)
	}
	page, _ := db.ListAudit(ctx, 100, 0)
	got := map[string]bool{}
	for _, e := range page.Entries {
		got[e.Action] = true
	}
	for _, a := range []string{"inbox.reply_blocked", "inbox.reply_attempt", "inbox.reply", "inbox.hide_attempt", "inbox.hide", "inbox.delete_attempt", "inbox.delete"} {
		if !got[a] {
			t.Errorf("activity log lacks %s", a)
		}
	}
}

// A platform that rate-limits the collection is left alone until its reset
// time: the next collection reports the wait without calling it.
func TestInboxRefreshRespectsRateLimits(t *testing.T) {
	clock := startClock()
	w, g := googleWorld(t, clock)
	g.AddReview("Ann", 5, "Great", clock.Now())
	g.Faults.Add(fault.Fault{Path: "/reviews", Status: http.StatusTooManyRequests, Times: 1})
	ib := service.NewInboxService(w.c, nil, w.ch)
	res, err := ib.Refresh()
	if err != nil || !strings.Contains(res.Channels[0].Error, "slow down") || res.Channels[0].Added != 0 {
		t.Fatalf("rate limited: %+v %v", res, err)
	}
	// The fault is spent, but the reset time has not come: no call is made.
	res, _ = ib.Refresh()
	if !strings.Contains(res.Channels[0].Error, "wait") || res.Channels[0].Added != 0 {
		t.Fatalf("before the reset: %+v", res)
	}
	// After a restart (a new service on the same data file) the wait holds.
	again := service.NewInboxService(w.c, nil, w.ch)
	res, _ = again.Refresh()
	if !strings.Contains(res.Channels[0].Error, "wait") || res.Channels[0].Added != 0 {
		t.Fatalf("after a restart, before the reset: %+v", res)
	}
	clock.Advance(2 * time.Minute)
	res, _ = again.Refresh()
	if res.Channels[0].Error != "" || res.Channels[0].Added != 1 {
		t.Fatalf("after the reset: %+v", res)
	}
}

// xWithAPost is a world with X connected and one post published there.
func xWithAPost(t *testing.T, clock *safeClock) (*world, *xfake.Server) {
	t.Helper()
	xs := xfake.New(xfake.Config{Now: clock.Now})
	t.Cleanup(xs.Close)
	w := newWorld(t, t.TempDir(), clock, auth.NewMemoryStore())
	w.ch.Providers.XURL = xs.URL
	w.ch.Providers.X = app2(oauthFake(t, "x-token", 7200), loopback.FreePort(t))
	if _, err := w.ch.ConnectX(); err != nil {
		t.Fatal(err)
	}
	<-w.browser.errs
	publishClinicHours(t, w, "x", "X")
	return w, xs
}

// X refuses a reply to someone who did not tag the practice: the Inbox says
// so, offers the post on X, records the attempt as failed and logs it.
func TestInboxXRefusalOffersThePostOnX(t *testing.T) {
	clock := startClock()
	w, xs := xWithAPost(t, clock)
	post := xs.Posts()[0].ID
	untagged := xs.AddReply(post, "778", "tomk", "Nice, see you Saturday", false)
	tagged := xs.AddReply(post, "777", "sarahj", "@smiledental is it walk-in?", true)

	ib := service.NewInboxService(w.c, nil, w.ch)
	if res, err := ib.Refresh(); err != nil || res.Channels[0].Added != 2 {
		t.Fatalf("refresh %+v %v", res, err)
	}
	v, _ := ib.List(inbox.Filter{Platform: "x"})
	ids := map[string]int64{}
	for _, th := range v.Threads {
		ids[th.Root.RemoteID] = th.Root.ID
		if th.Caps.ReplyNote == "" {
			t.Error("X threads carry the note about its reply rule")
		}
	}
	out, err := ib.Reply(ids[untagged], "Thank you!")
	if err != nil || out.Sent || out.OpenURL != "https://x.com/tomk/status/"+untagged || !strings.Contains(out.Message, "Open the post on X") {
		t.Fatalf("refused reply: %+v %v", out, err)
	}
	db, _ := w.c.DB()
	if acts, _ := db.InboxActions(context.Background(), ids[untagged]); len(acts) != 1 || acts[0].State != "failed" {
		t.Errorf("actions %+v", acts)
	}
	// Someone who tagged the practice can be answered.
	if out, err := ib.Reply(ids[tagged], "Yes, walk-ins are welcome on Saturdays!"); err != nil || !out.Sent {
		t.Fatalf("summoned reply: %+v %v", out, err)
	}
}

// googleWorld is a practice with its Google Business Profile, on a fake,
// connected.
func googleWorld(t *testing.T, clock *safeClock) (*world, *gbpfake.Server) {
	t.Helper()
	g := gbpfake.New(gbpfake.Config{Now: clock.Now})
	t.Cleanup(g.Close)
	w := newWorld(t, t.TempDir(), clock, auth.NewMemoryStore())
	w.ch.Providers.GoogleURL, w.ch.Providers.GoogleInfoURL, w.ch.Providers.GoogleAccountsURL = g.URL, g.URL, g.URL
	w.ch.Providers.Google = app2(oauthFake(t, "g-token", 3600), 0)
	if in, err := w.ch.ConnectGoogle(); err != nil || in.Channel == nil {
		t.Fatalf("google: %+v %v", in, err)
	}
	<-w.browser.errs
	return w, g
}

// practiceContact gives the practice a name, the phone number replies
// offer and, unless "", an email address.
func practiceContact(t *testing.T, w *world, name, email string) (*store.DB, context.Context) {
	t.Helper()
	db, _ := w.c.DB()
	ctx := context.Background()
	kit := app.DefaultBrandKit()
	kit.PracticeName, kit.Phone = name, "0117 496 0123"
	if email != "" {
		kit.Email = email
	}
	if _, err := db.SaveBrandKit(ctx, kit); err != nil {
		t.Fatal(err)
	}
	return db, ctx
}

// publishClinicHours publishes a post on one channel and waits for it to
// be live, so there is something to comment on.
func publishClinicHours(t *testing.T, w *world, channel, title string) {
	t.Helper()
	id := newDraft(t, w, service.DraftInput{Body: "Our Saturday clinic is open from 9am.", Channels: []string{channel}})
	if _, err := w.pub.Publish(service.PublishInput{DraftID: id}); err != nil {
		t.Fatal(err)
	}
	waitJobs(t, w, id, "published on "+title, allIn(app.JobPublished, 1))
}

// Comments are collected in the background every Every while the data
// file is open, with no call at start; closing the data file stops it.
func TestInboxCollectsInTheBackground(t *testing.T) {
	clock := startClock()
	w, g := googleWorld(t, clock)
	g.AddReview("Ann", 5, "Great", clock.Now())
	ib := service.NewInboxService(w.c, nil, w.ch)
	ib.Every = 20 * time.Millisecond
	// The service started with the open core and its 15 minutes: restart
	// the core so the collection starts with the short interval.
	w.c.Stop()
	if err := w.c.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	count := func() int {
		s, err := ib.Summary()
		if err != nil {
			t.Fatal(err)
		}
		return s.Unanswered
	}
	deadline := time.Now().Add(10 * time.Second)
	for count() == 0 {
		if time.Now().After(deadline) {
			t.Fatal("no background collection within 10 s at a 20 ms interval")
		}
		time.Sleep(10 * time.Millisecond)
	}
	// A second review arrives after the first round: a later round reads it.
	g.AddReview("Bob", 2, "Waited too long", clock.Now())
	for count() < 2 {
		if time.Now().After(deadline) {
			t.Fatal("the second review was never collected")
		}
		time.Sleep(10 * time.Millisecond)
	}
	// Closed data file: no more rounds. A review that arrives meanwhile is
	// still uncollected when the file opens again without the timer.
	w.c.Stop()
	g.AddReview("Cat", 4, "Friendly", clock.Now())
	time.Sleep(200 * time.Millisecond) // ten intervals
	ib.Every = 0
	if err := w.c.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := count(); n != 2 {
		t.Errorf("%d unanswered after the data file was closed, want 2 (no round while closed)", n)
	}
}
