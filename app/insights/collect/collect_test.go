package collect_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"practicepost/app"
	"practicepost/app/insights"
	"practicepost/app/insights/collect"
	"practicepost/app/publish"
	"practicepost/app/publish/facebook"
	fbfake "practicepost/app/publish/facebook/facebooktest"
	"practicepost/app/publish/fault"
	"practicepost/app/publish/gbp"
	gfake "practicepost/app/publish/gbp/gbptest"
	"practicepost/app/publish/instagram"
	igfake "practicepost/app/publish/instagram/instagramtest"
	"practicepost/app/publish/linkedin"
	lifake "practicepost/app/publish/linkedin/linkedintest"
	"practicepost/app/publish/mastodon"
	mafake "practicepost/app/publish/mastodon/mastodontest"
	"practicepost/app/publish/x"
	xfake "practicepost/app/publish/x/xtest"
	"practicepost/app/store"
	"practicepost/app/store/storetest"
)

var (
	ctx = context.Background()
	t0  = time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
)

// world is a data file with one channel per platform, each backed by its
// fake server, and posts published to them.
type world struct {
	db    *store.DB
	clock *app.FixedClock
	pubs  map[string]publish.Publisher
	fb    *fbfake.Server
	ig    *igfake.Server
	ma    *mafake.Server
	g     *gfake.Server
	x     *xfake.Server
	li    *lifake.Server
	jobs  map[string][]int64 // channel → published job ids
	ids   map[int64]string   // job → remote id

	mu         sync.Mutex
	reconnects []string
	events     []collect.Progress
}

func (w *world) Emit(name string, data any) {
	if p, ok := data.(collect.Progress); ok && name == collect.EventProgress {
		w.mu.Lock()
		w.events = append(w.events, p)
		w.mu.Unlock()
	}
}

func (w *world) Publisher(_ context.Context, ch string) (publish.Publisher, error) {
	if p, ok := w.pubs[ch]; ok {
		return p, nil
	}
	return nil, app.Errorf(app.ENOTFOUND, "This channel is not connected any more. Connect it again under Channels.")
}

func newWorld(t *testing.T) *world {
	t.Helper()
	clock := &app.FixedClock{T: t0}
	db := storetest.Open(t, clock)
	hc := &http.Client{Timeout: 5 * time.Second}
	w := &world{db: db, clock: clock, pubs: map[string]publish.Publisher{}, jobs: map[string][]int64{}, ids: map[int64]string{}}
	w.fb = fbfake.New(fbfake.Config{Now: clock.Now})
	w.ig = igfake.New(igfake.Config{Now: clock.Now})
	w.ma = mafake.New(mafake.Config{Now: clock.Now})
	w.g = gfake.New(gfake.Config{Now: clock.Now, MetricsSeed: 7})
	w.x = xfake.New(xfake.Config{Now: clock.Now})
	w.li = lifake.New(lifake.Config{Now: clock.Now})
	for _, s := range []interface{ Close() }{w.fb, w.ig, w.ma, w.g, w.x, w.li} {
		t.Cleanup(s.Close)
	}
	w.pubs["facebook:1"] = facebook.NewClient(w.fb.URL, "100200300", "page-token", facebook.Options{HTTP: hc, Clock: clock})
	w.pubs["instagram:1"] = instagram.NewClient(w.ig.URL, "17841400000000001", "ig-token", instagram.Options{HTTP: hc, Clock: clock})
	w.pubs["mastodon:1"] = mastodon.NewClient(w.ma.URL, "masto-token", mastodon.Options{HTTP: hc, Clock: clock, PollInterval: time.Millisecond})
	w.pubs["google:1"] = gbp.NewClient(w.g.URL, "1122334455", "9988776655", "g-token", gbp.Options{HTTP: hc, Clock: clock, InfoURL: w.g.URL, PerformanceURL: w.g.URL})
	w.pubs["x:1"] = x.NewClient(w.x.URL, "x-token", x.Options{HTTP: hc, Clock: clock, PollInterval: time.Millisecond})
	w.pubs["linkedin:1"] = linkedin.NewClient(w.li.URL, "2414183", "li-token", linkedin.Options{HTTP: hc, Clock: clock, PollInterval: time.Millisecond})
	for ch := range w.pubs {
		plat, _, _ := strings.Cut(ch, ":")
		if _, err := db.SaveChannel(ctx, app.Channel{ID: ch, Platform: plat, AccountID: "1", Name: plat + " page"}, "practice manager"); err != nil {
			t.Fatal(err)
		}
	}
	return w
}

// post publishes text on channel through its real connector (Instagram:
// seeded on the fake, as its publishing needs a media host) and records the
// job as published, as the queue would.
func (w *world) post(t *testing.T, ch, text string, at time.Time) string {
	t.Helper()
	var id string
	if ch == "instagram:1" {
		id = w.ig.Seed(text, at)
	} else if ch != "google:1" {
		res, err := w.pubs[ch].CreatePost(ctx, publish.Post{Text: text})
		if err != nil {
			t.Fatalf("%s: %v", ch, err)
		}
		id = res.ID
	} else {
		id = "accounts/1122334455/locations/9988776655/localPosts/" + strconv.Itoa(len(w.jobs[ch])+1)
	}
	plat, _, _ := strings.Cut(ch, ":")
	req := app.PublishRequest{Text: text, Zone: "Europe/London"}
	jobs := []app.PublishJob{{Channel: ch, Platform: plat, State: app.JobQueued, Text: text, IdemKey: "k-" + ch + text}}
	err := w.db.Tx(ctx, func(tx *store.Tx) error {
		if err := tx.CreatePublishRequest(ctx, &req, jobs, "practice manager"); err != nil {
			return err
		}
		j := jobs[0]
		j.State, j.RemoteID, j.PublishedAt = app.JobPublished, id, at
		jobs[0] = j
		return tx.SavePublishJob(ctx, &j, "system")
	})
	if err != nil {
		t.Fatal(err)
	}
	w.jobs[ch] = append(w.jobs[ch], jobs[0].ID)
	w.ids[jobs[0].ID] = id
	return id
}

func (w *world) collector() *collect.Collector {
	return collect.New(w.db, w, collect.Options{Clock: w.clock, Emitter: w, OnNeedsReconnect: func(ch string) {
		w.mu.Lock()
		w.reconnects = append(w.reconnects, ch)
		w.mu.Unlock()
	}})
}

func states(t *testing.T, ss []app.CollectState) map[string]app.CollectState {
	t.Helper()
	out := map[string]app.CollectState{}
	for _, s := range ss {
		out[s.Channel] = s
	}
	return out
}

func snaps(t *testing.T, db *store.DB, job int64) []insights.Snapshot {
	t.Helper()
	ss, err := db.PostSnapshots(ctx, job)
	if err != nil {
		t.Fatal(err)
	}
	return ss
}

func TestInsightsCollectEveryPlatform(t *testing.T) {
	w := newWorld(t)
	at := t0.Add(-48 * time.Hour)
	fb := w.post(t, "facebook:1", "Floss daily", at)
	w.fb.SetEngagement(fb, 12, 4, 3, 340, 9)
	w.fb.SetFollowers(812)
	ig1 := w.post(t, "instagram:1", "Before and after", at)
	w.ig.SetEngagement(ig1, 40, 5, 2, 900)
	w.ig.SetSaves(ig1, 6)
	w.ig.SetFollowers(2048)
	ma := w.post(t, "mastodon:1", "Myth: sugar-free means safe", at)
	w.ma.SetCounts(ma, 7, 2, 1)
	w.ma.SetFollowers(400)
	w.post(t, "google:1", "Open late on Thursdays", at)
	xp := w.post(t, "x:1", "Open late on Thursdays", at)
	w.x.SetEngagement(xp, 5, 1, 2, 1, 700)
	w.x.SetFollowers(1234)
	li := w.post(t, "linkedin:1", "We are hiring", at)
	w.li.SetEngagement(li, 8, 2, 1, 300, 6)
	w.li.SetFollowers(356)
	// Out of every platform's reading window: not read.
	w.post(t, "mastodon:1", "Last year's news", t0.AddDate(-1, 0, 0))
	old := w.jobs["mastodon:1"][1]

	got, err := w.collector().Collect(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	st := states(t, got)
	if len(st) != 6 {
		t.Fatalf("%d channel states, want 6: %+v", len(st), got)
	}
	for ch, s := range st {
		if s.ErrorKind != "" || !s.LastOKAt.Equal(t0) || !s.NextAt.Equal(t0.Add(4*time.Hour)) {
			t.Errorf("%s: %+v", ch, s)
		}
	}

	one := func(ch string) insights.Snapshot {
		t.Helper()
		ss := snaps(t, w.db, w.jobs[ch][0])
		if len(ss) != 1 || ss[0].Day != "2026-11-20" {
			t.Fatalf("%s snapshots = %+v", ch, ss)
		}
		return ss[0]
	}
	// Facebook: unique viewers are its reach.
	if s := one("facebook:1"); s.Reactions != 12 || s.Comments != 4 || s.Shares != 3 || *s.Reach != 340 || *s.Views != 340 || *s.Clicks != 9 {
		t.Errorf("facebook %+v", s.Counts)
	}
	// Instagram: reach and saves (the fake reports reach = views).
	if s := one("instagram:1"); s.Reactions != 40 || s.Saves != 6 || *s.Reach != 900 || s.Clicks != nil {
		t.Errorf("instagram %+v", s.Counts)
	}
	// Mastodon: counters only, no views; the follower count is the rate basis.
	if s := one("mastodon:1"); s.Reactions != 7 || s.Shares != 2 || s.Comments != 1 || s.Views != nil || s.Reach != nil {
		t.Errorf("mastodon %+v", s.Counts)
	}
	if s := one("x:1"); s.Reactions != 5 || *s.Views != 700 || s.Reach != nil {
		t.Errorf("x %+v", s.Counts)
	}
	if s := one("linkedin:1"); s.Reactions != 8 || *s.Reach != 300 || *s.Clicks != 6 {
		t.Errorf("linkedin %+v", s.Counts)
	}
	if ss := snaps(t, w.db, old); len(ss) != 0 {
		t.Errorf("a post outside the window was read: %+v", ss)
	}
	// Google: no per-post snapshot, the location's last week instead, and a note.
	if ss := snaps(t, w.db, w.jobs["google:1"][0]); len(ss) != 0 {
		t.Errorf("google per-post snapshot stored: %+v", ss)
	}
	if !strings.Contains(st["google:1"].Note, "no numbers per post") {
		t.Errorf("google note %q", st["google:1"].Note)
	}
	days, err := w.db.ChannelDays(ctx, "2026-11-30")
	if err != nil {
		t.Fatal(err)
	}
	var gdays, followers, fbFollowers, xFollowers, igFollowers, liFollowers int
	for _, d := range days {
		switch d.Channel {
		case "google:1":
			gdays++
			if d.Views == nil || d.Calls == nil {
				t.Errorf("google day without figures: %+v", d)
			}
		case "mastodon:1":
			followers = *d.Followers
		case "facebook:1":
			fbFollowers = *d.Followers
		case "x:1":
			xFollowers = *d.Followers
		case "instagram:1":
			igFollowers = *d.Followers
		case "linkedin:1":
			liFollowers = *d.Followers
		}
	}
	// Facebook's, Instagram's, LinkedIn's and X's follower counts, read besides their posts' numbers.
	if fbFollowers != 812 || igFollowers != 2048 || liFollowers != 356 || xFollowers != 1234 {
		t.Errorf("followers: facebook %d, want 812; instagram %d, want 2048; linkedin %d, want 356; x %d, want 1234",
			fbFollowers, igFollowers, liFollowers, xFollowers)
	}
	// 13..19 Nov: seven whole days before today.
	if gdays != 7 || followers != 400 {
		t.Errorf("google days %d, mastodon followers %d", gdays, followers)
	}
	if len(w.reconnects) != 0 {
		t.Errorf("reconnects %v", w.reconnects)
	}

	// A second pass before the 4 hours are up reads nothing; opening Insights
	// (refresh) does not either within 30 minutes.
	n := len(w.fb.Requests())
	w.clock.Advance(20 * time.Minute)
	if _, err := w.collector().Collect(ctx, true); err != nil {
		t.Fatal(err)
	}
	if len(w.fb.Requests()) != n {
		t.Errorf("facebook read again %d minutes after the last reading", 20)
	}
	// After 30 minutes opening Insights reads again; the same day's row is replaced.
	w.clock.Advance(15 * time.Minute)
	w.fb.SetEngagement(fb, 15, 4, 3, 400, 9)
	if _, err := w.collector().Collect(ctx, true); err != nil {
		t.Fatal(err)
	}
	if s := snaps(t, w.db, w.jobs["facebook:1"][0]); len(s) != 1 || s[0].Reactions != 15 {
		t.Errorf("refresh: %+v", s)
	}
}

func TestInsightsCollectInstagramNoNumbersYet(t *testing.T) {
	w := newWorld(t)
	at := t0.Add(-2 * time.Hour)
	a := w.post(t, "instagram:1", "New post", at)
	w.ig.SetEngagement(a, 3, 0, 0, 20)
	w.ig.EmptyInsights()
	got, err := w.collector().Collect(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	s := states(t, got)["instagram:1"]
	// The empty set is "not yet", never zeros: nothing stored, the channel is fine.
	if ss := snaps(t, w.db, w.jobs["instagram:1"][0]); len(ss) != 0 {
		t.Fatalf("empty data stored as %+v", ss)
	}
	if s.ErrorKind != "" || !strings.Contains(s.Note, "1 post without numbers yet") || !strings.Contains(s.Note, "two days") {
		t.Fatalf("state %+v", s)
	}
}

func TestInsightsCollectInstagramNotEnoughViewers(t *testing.T) {
	w := newWorld(t)
	a := w.post(t, "instagram:1", "Quiet post", t0.Add(-5*time.Hour))
	w.ig.SetEngagement(a, 1, 0, 0, 3)
	b := w.post(t, "instagram:1", "Busy post", t0.Add(-6*time.Hour))
	w.ig.SetEngagement(b, 50, 3, 1, 800)
	// Code 10 "Not enough viewers" for the first insights call (newest post first).
	w.ig.Faults.Add(fault.Fault{Path: "/insights", Status: http.StatusBadRequest, Code: 10, Times: 1})
	got, err := w.collector().Collect(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	s := states(t, got)["instagram:1"]
	if ss := snaps(t, w.db, w.jobs["instagram:1"][0]); len(ss) != 0 {
		t.Fatalf("too-few-viewers post stored as %+v", ss)
	}
	if ss := snaps(t, w.db, w.jobs["instagram:1"][1]); len(ss) != 1 || ss[0].Reactions != 50 {
		t.Fatalf("the other post was not read: %+v", ss)
	}
	if s.ErrorKind != "" || s.PostsRead != 1 || !strings.Contains(s.Note, "enough people") {
		t.Fatalf("state %+v", s)
	}
}

func TestInsightsCollectFacebookWithoutInsightsPermission(t *testing.T) {
	w := newWorld(t)
	fb := w.post(t, "facebook:1", "Small page post", t0.Add(-3*time.Hour))
	w.fb.SetEngagement(fb, 4, 1, 0, 90, 2)
	w.fb.DenyInsights()
	got, err := w.collector().Collect(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	s := states(t, got)["facebook:1"]
	ss := snaps(t, w.db, w.jobs["facebook:1"][0])
	// Counts still kept; reach missing (not zero); the channel says what to do.
	if len(ss) != 1 || ss[0].Reactions != 4 || ss[0].Reach != nil || ss[0].Views != nil {
		t.Fatalf("snapshots %+v", ss)
	}
	if s.ErrorKind != "" || !strings.Contains(s.Note, "100 or more likes") || !strings.Contains(s.Note, "reconnect it under Channels") {
		t.Fatalf("state %+v", s)
	}
	// The deprecated impressions metric is never asked for.
	for _, r := range w.fb.Requests() {
		if strings.Contains(r, "post_impressions") {
			t.Fatalf("asked for a deprecated metric: %s", r)
		}
	}
}

func TestInsightsCollectOneChannelFailingStopsNoOther(t *testing.T) {
	w := newWorld(t)
	at := t0.Add(-24 * time.Hour)
	for i := range 3 {
		xp := w.post(t, "x:1", "Post "+strconv.Itoa(i), at.Add(time.Duration(i)*time.Minute))
		w.x.SetEngagement(xp, i, 0, 0, 0, 10)
	}
	ma := w.post(t, "mastodon:1", "Still read", at)
	w.ma.SetCounts(ma, 9, 0, 0)
	w.post(t, "linkedin:1", "Expired sign-in", at)
	w.li.ExpireToken()
	fb := w.post(t, "facebook:1", "Permission gone", at)
	w.fb.SetEngagement(fb, 1, 0, 0, 0, 0)
	// X: the second read is rate limited until 25 minutes from now.
	w.x.Faults.Add(fault.Fault{Path: "/2/tweets/" + w.ids[w.jobs["x:1"][1]], Method: http.MethodGet, Status: http.StatusTooManyRequests, Reset: 25 * time.Minute, Times: 1})
	// Facebook: the Page role was removed (permission error on the counts).
	w.fb.Faults.Add(fault.Fault{Path: "/" + fb, Method: http.MethodGet, Status: http.StatusForbidden, Code: 200, Times: 1})

	got, err := w.collector().Collect(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	st := states(t, got)

	xs := st["x:1"]
	// Newest first: post 2 read, post 1 rate limited, post 0 left for later.
	if xs.ErrorKind != "rate_limited" || !xs.NextAt.Equal(t0.Add(25*time.Minute)) || xs.PostsRead != 1 ||
		!strings.Contains(xs.ErrorMessage, "slow down") || !strings.Contains(xs.ErrorMessage, "10:25") {
		t.Errorf("x state %+v", xs)
	}
	for i, job := range w.jobs["x:1"] {
		if n := len(snaps(t, w.db, job)); (i == 2) != (n == 1) {
			t.Errorf("x post %d: %d snapshots", i, n)
		}
	}
	li := st["linkedin:1"]
	if li.ErrorKind != "auth" || !strings.Contains(li.ErrorMessage, "reconnect LinkedIn") || len(w.reconnects) != 1 || w.reconnects[0] != "linkedin:1" {
		t.Errorf("linkedin state %+v reconnects %v", li, w.reconnects)
	}
	fs := st["facebook:1"]
	if fs.ErrorKind != "permission" || !strings.Contains(fs.ErrorMessage, "allow it to read insights") {
		t.Errorf("facebook state %+v", fs)
	}
	// Mastodon carried on regardless.
	if ms := st["mastodon:1"]; ms.ErrorKind != "" || len(snaps(t, w.db, w.jobs["mastodon:1"][0])) != 1 {
		t.Errorf("mastodon %+v", ms)
	}
	// Failures were shown as they happened.
	failed := map[string]bool{}
	for _, e := range w.events {
		if e.Step == "failed" {
			failed[e.Channel] = true
		}
	}
	if !failed["x:1"] || !failed["linkedin:1"] || !failed["facebook:1"] || failed["mastodon:1"] {
		t.Errorf("failed events %v", failed)
	}

	// Before the reset, even opening Insights does not touch X.
	w.clock.Advance(10 * time.Minute)
	got, _ = w.collector().Collect(ctx, true)
	if st := states(t, got)["x:1"]; st.ErrorKind != "rate_limited" || st.LastTryAt != t0 {
		t.Errorf("x read during its rate limit: %+v", st)
	}
	// After the reset X carries on and reads every post.
	w.clock.Advance(16 * time.Minute)
	got, err = w.collector().Collect(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	if xs := states(t, got)["x:1"]; xs.ErrorKind != "" || xs.PostsRead != 3 || xs.Failures != 0 {
		t.Errorf("x after reset %+v", xs)
	}
	// The channel that needs reconnecting is tried again only on the normal cadence.
	if li := states(t, got)["linkedin:1"]; !li.LastTryAt.Equal(t0) {
		t.Errorf("linkedin retried early: %+v", li)
	}
}

func TestInsightsCollectUnknownChannelAndRemovedPosts(t *testing.T) {
	w := newWorld(t)
	delete(w.pubs, "bluesky:1")
	if _, err := w.db.SaveChannel(ctx, app.Channel{ID: "bluesky:1", Platform: "bluesky", AccountID: "1", Name: "b"}, "practice manager"); err != nil {
		t.Fatal(err)
	}
	got, err := w.collector().Collect(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	if b := states(t, got)["bluesky:1"]; b.ErrorKind != "auth" || !strings.Contains(b.ErrorMessage, "reconnect Bluesky") {
		t.Fatalf("bluesky %+v", b)
	}
}
