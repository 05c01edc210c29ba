package service_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"practicepost/app"
	"practicepost/app/auth"
	bsfake "practicepost/app/publish/bluesky/blueskytest"
	fbfake "practicepost/app/publish/facebook/facebooktest"
	"practicepost/app/publish/fault"
	mafake "practicepost/app/publish/mastodon/mastodontest"
	"practicepost/app/service"
)

// safeClock is a settable clock the queue's goroutines may read while a
// test moves it on.
type safeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *safeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *safeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// browser plays the practice manager's web browser: it follows the
// sign-in page's redirects, which end at PracticePost's loopback address.
type browser struct {
	mu     sync.Mutex
	opened []string
	errs   chan error
}

func newBrowser() *browser { return &browser{errs: make(chan error, 4)} }

func (b *browser) Open(u string) error {
	b.mu.Lock()
	b.opened = append(b.opened, u)
	b.mu.Unlock()
	go func() {
		resp, err := http.Get(u)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				err = &url.Error{Op: "GET", URL: resp.Request.URL.String(), Err: http.ErrNotSupported}
			}
		}
		b.errs <- err
	}()
	return nil
}

type world struct {
	c       *service.Core
	rec     *eventLog
	clock   *safeClock
	secrets *auth.MemoryStore
	ch      *service.ChannelService
	drafts  *service.DraftService
	pub     *service.PublishService
	browser *browser
}

// eventLog keeps every event with its data, safe for the queue's workers.
type eventLog struct {
	mu     sync.Mutex
	events []event
	notify chan struct{}
}

type event struct {
	name string
	data any
}

func (l *eventLog) Emit(name string, data any) {
	l.mu.Lock()
	l.events = append(l.events, event{name, data})
	l.mu.Unlock()
	select {
	case l.notify <- struct{}{}:
	default:
	}
}

func (l *eventLog) all() []event {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]event(nil), l.events...)
}

func newWorld(t *testing.T, home string, clock *safeClock, secrets *auth.MemoryStore) *world {
	t.Helper()
	rec := &eventLog{notify: make(chan struct{}, 1)}
	c := service.NewCore(home, rec, nil, clock)
	if err := c.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	lock := service.NewLockService(c)
	cal := service.NewCalendarService(c, lock)
	if _, err := cal.SaveSettings("Europe/London", []string{"dental"}); err != nil {
		t.Fatal(err)
	}
	w := &world{c: c, rec: rec, clock: clock, secrets: secrets, browser: newBrowser()}
	w.ch = service.NewChannelService(c, lock, secrets)
	w.ch.OpenBrowser = w.browser.Open
	w.ch.SignInTimeout = 20 * time.Second
	w.drafts = service.NewDraftService(c, lock)
	w.pub = service.NewPublishService(c, lock, w.ch, w.drafts)
	w.pub.Options.Interval = 20 * time.Millisecond
	w.pub.Options.Rand = func() float64 { return 0 }
	// The queue starts with the data file; this core is already open, so
	// restart it to bring the queue up with the options above.
	c.Stop()
	if err := c.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Stop)
	return w
}

func startClock() *safeClock {
	return &safeClock{t: time.Now().UTC().Truncate(time.Second)}
}

func TestInstanceURL(t *testing.T) {
	cases := []struct {
		in, want string
		ok       bool
	}{
		{"mastodon.social", "https://mastodon.social", true},
		{"  https://Mastodon.Social/about ", "https://mastodon.social", true},
		{"@smile@dental.example", "https://dental.example", true},
		{"smile@dental.example", "https://dental.example", true},
		{"http://127.0.0.1:4567", "http://127.0.0.1:4567", true},
		{"http://mastodon.social", "", false}, // never a sign-in over plain http
		{"ftp://mastodon.social", "", false},
		{"mastodon", "", false},
		{"", "", false},
		{"https://user:pw@mastodon.social", "", false},
	}
	for _, c := range cases {
		got, err := service.InstanceURL(c.in)
		if (err == nil) != c.ok || got != c.want {
			t.Errorf("InstanceURL(%q) = %q, %v; want %q ok=%v", c.in, got, err, c.want, c.ok)
		}
		if err != nil && app.ErrorField(err) != "instance" {
			t.Errorf("InstanceURL(%q): error not on the instance field: %v", c.in, err)
		}
	}
}

func TestConnectMastodonThroughLoopbackSignIn(t *testing.T) {
	masto := mafake.New(mafake.Config{})
	defer masto.Close()
	w := newWorld(t, t.TempDir(), startClock(), auth.NewMemoryStore())

	v, err := w.ch.ConnectMastodon(masto.URL)
	if err != nil {
		t.Fatal(err)
	}
	if err := <-w.browser.errs; err != nil {
		t.Fatalf("the browser did not land on a working loopback page: %v", err)
	}
	if v.State != "connected" || v.Platform != "mastodon" || !strings.HasPrefix(v.Handle, "@") || v.BaseURL != masto.URL {
		t.Fatalf("channel: %+v", v)
	}
	apps := masto.Apps()
	if len(apps) != 1 || len(apps[0].RedirectURIs) != 1 || !strings.HasPrefix(apps[0].RedirectURIs[0], "http://127.0.0.1:") {
		t.Fatalf("the app must be registered with the loopback redirect: %+v", apps)
	}
	opened := w.browser.opened[0]
	if !strings.Contains(opened, "code_challenge_method=S256") || !strings.Contains(opened, "state=") {
		t.Fatalf("the sign-in page must use PKCE S256 and a state: %s", opened)
	}
	tok, err := auth.LoadToken(w.secrets, v.SecretKey())
	if err != nil || tok.AccessToken == "" {
		t.Fatalf("token not in the secret store: %v", err)
	}

	// The token works, and a test post goes out.
	res, err := w.ch.TestPost(v.ID)
	if err != nil {
		t.Fatal(err)
	}
	if sts := masto.Statuses(); len(sts) != 1 || !strings.HasPrefix(sts[0].Text, service.TestPostText) || res.URL == "" {
		t.Fatalf("test post: %+v %+v", res, sts)
	}
	if _, err := w.ch.DeleteTestPost(v.ID); err != nil {
		t.Fatal(err)
	}
	if sts := masto.Statuses(); !sts[0].Deleted {
		t.Fatal("the test post was not deleted")
	}

	// Even the test post passes the gate: with a patient whose name, run
	// together, is "PracticePost", the fixed text would name them.
	addPatient(t, w.c, "Practice Post")
	if _, err := w.ch.TestPost(v.ID); app.ErrorCode(err) != app.EFORBIDDEN || !strings.Contains(app.ErrorMessage(err), "patients") {
		t.Fatalf("a test post naming a patient: %v", err)
	}
	if n := len(masto.Statuses()); n != 1 {
		t.Fatalf("the refused test post reached Mastodon: %d statuses", n)
	}
	// Each try is in the activity log, written by the transaction in which
	// the gate judged it: the first as an attempt, the refused one as
	// blocked. Neither entry holds the post's words.
	if got := testPostActions(t, w.c, v.ID); strings.Join(got, " ") != "channel.test_post_attempt channel.test_post_blocked" {
		t.Fatalf("test post entries in the activity log: %v", got)
	}

	// The account revokes PracticePost: the channel shows it needs reconnecting.
	masto.RevokeToken(tok.AccessToken)
	if _, err := w.ch.TestPost(v.ID); app.ErrorCode(err) != app.EFORBIDDEN {
		t.Fatalf("test post with a revoked token: %v", err)
	}
	list, err := w.ch.List()
	if err != nil || len(list) != 1 || list[0].State != "needs_reconnect" || !strings.Contains(list[0].Message, "Reconnect") {
		t.Fatalf("after revocation: %+v %v", list, err)
	}

	// Reconnecting the same account keeps its id and clears the problem.
	v2, err := w.ch.ConnectMastodon(masto.URL)
	if err != nil {
		t.Fatal(err)
	}
	if v2.ID != v.ID || v2.State != "connected" {
		t.Fatalf("reconnect: %+v", v2)
	}

	if err := w.ch.Disconnect(v.ID); err != nil {
		t.Fatal(err)
	}
	if w.secrets.Len() != 0 {
		t.Fatalf("%d secrets left after disconnecting", w.secrets.Len())
	}
	if list, _ := w.ch.List(); len(list) != 0 {
		t.Fatalf("still listed: %+v", list)
	}
}

func TestConnectMastodonUnhappy(t *testing.T) {
	w := newWorld(t, t.TempDir(), startClock(), auth.NewMemoryStore())
	// Not a Mastodon server at all.
	notMasto := mafake.New(mafake.Config{})
	notMasto.Faults.Add(fault.Fault{Path: "/api/v1/apps", Status: http.StatusServiceUnavailable})
	defer notMasto.Close()
	if _, err := w.ch.ConnectMastodon(notMasto.URL); err == nil || app.ErrorCode(err) != app.EUNAVAILABLE {
		t.Fatalf("registration failure: %v", err)
	}
	if _, err := w.ch.ConnectMastodon("http://mastodon.example"); app.ErrorField(err) != "instance" {
		t.Fatalf("plain http accepted: %v", err)
	}
	// Nobody finishes signing in: the wait ends with a clear message.
	masto := mafake.New(mafake.Config{})
	defer masto.Close()
	w.ch.OpenBrowser = func(string) error { return nil }
	w.ch.SignInTimeout = 300 * time.Millisecond
	if _, err := w.ch.ConnectMastodon(masto.URL); app.ErrorCode(err) != app.EUNAVAILABLE || !strings.Contains(app.ErrorMessage(err), "Connect") {
		t.Fatalf("timeout: %v", err)
	}
	if w.secrets.Len() != 0 {
		t.Fatal("a failed sign-in left a secret behind")
	}
}

func TestConnectBlueskyAndFacebook(t *testing.T) {
	now := time.Now().UTC()
	bs := bsfake.New(bsfake.Config{})
	defer bs.Close()
	fb := fbfake.New(fbfake.Config{ExpiresAt: now.Add(3*24*time.Hour + time.Hour)})
	defer fb.Close()
	userTok := fbfake.New(fbfake.Config{TokenType: "USER"})
	defer userTok.Close()
	noScope := fbfake.New(fbfake.Config{Scopes: []string{"pages_show_list"}})
	defer noScope.Close()

	w := newWorld(t, t.TempDir(), startClock(), auth.NewMemoryStore())

	if _, err := w.ch.ConnectBluesky("smiledental.bsky.social", "my-real-password", bs.URL); app.ErrorField(err) != "appPassword" {
		t.Fatalf("main password accepted: %v", err)
	}
	if _, err := w.ch.ConnectBluesky("smiledental.bsky.social", "wxyz-wxyz-wxyz-wxyz", bs.URL); app.ErrorCode(err) != app.EFORBIDDEN {
		t.Fatalf("wrong app password: %v", err)
	}
	bv, err := w.ch.ConnectBluesky("@smiledental.bsky.social", "abcd-efgh-ijkl-mnop", bs.URL)
	if err != nil {
		t.Fatal(err)
	}
	if bv.State != "connected" || bv.AccountID != "did:plc:fakesmiledental" || bv.Handle != "@smiledental.bsky.social" {
		t.Fatalf("bluesky: %+v", bv)
	}
	raw, err := w.secrets.Get(bv.SecretKey())
	if err != nil || !strings.Contains(raw, "refreshJwt") {
		t.Fatalf("the session must be kept in the secret store: %v", err)
	}

	w.ch.FacebookGraphURL = userTok.URL
	if _, err := w.ch.ConnectFacebook("100200300", "page-token"); app.ErrorCode(err) != app.EFORBIDDEN || !strings.Contains(app.ErrorMessage(err), "not a Page token") {
		t.Fatalf("user token accepted: %v", err)
	}
	w.ch.FacebookGraphURL = noScope.URL
	if _, err := w.ch.ConnectFacebook("100200300", "page-token"); app.ErrorCode(err) != app.EFORBIDDEN || !strings.Contains(app.ErrorMessage(err), "pages_manage_posts") {
		t.Fatalf("token without permission accepted: %v", err)
	}
	if _, err := w.ch.ConnectFacebook("my page", "page-token"); app.ErrorField(err) != "pageId" {
		t.Fatalf("bad page id: %v", err)
	}
	w.ch.FacebookGraphURL = fb.URL
	// A wrong token on a first connection is said as such: not that Facebook
	// "no longer accepts" a Page never connected, and never a screen that
	// does not exist.
	if _, err := w.ch.ConnectFacebook("100200300", "wrong-token"); app.ErrorCode(err) != app.EFORBIDDEN ||
		!strings.Contains(app.ErrorMessage(err), "did not accept this token") || strings.Contains(app.ErrorMessage(err), "no longer") ||
		strings.Contains(app.ErrorMessage(err), "Settings") {
		t.Fatalf("wrong token: %v", err)
	}
	if chs, err := w.ch.List(); err != nil || slices.ContainsFunc(chs, func(c service.ChannelView) bool { return c.Platform == "facebook" }) {
		t.Fatalf("a refused token left a channel behind: %+v %v", chs, err)
	}
	fv, err := w.ch.ConnectFacebook("100200300", "page-token")
	if err != nil {
		t.Fatal(err)
	}
	if fv.Name != "Smile Dental" || fv.State != "expiring_soon" || fv.DaysLeft != 3 || !strings.Contains(fv.Message, "3 days") {
		t.Fatalf("facebook: %+v", fv)
	}
	list, err := w.ch.List()
	if err != nil || len(list) != 2 || list[0].Platform != "bluesky" || list[1].Platform != "facebook" {
		t.Fatalf("list: %+v %v", list, err)
	}

	// The keychain entry disappears (a backup restored on another computer).
	if err := w.secrets.Delete(bv.SecretKey()); err != nil {
		t.Fatal(err)
	}
	list, _ = w.ch.List()
	if list[0].State != "needs_reconnect" || !strings.Contains(list[0].Message, "not on this computer") {
		t.Fatalf("missing secret: %+v", list[0])
	}
	if _, err := w.ch.TestPost(bv.ID); app.ErrorCode(err) != app.EFORBIDDEN {
		t.Fatalf("test post without a secret: %v", err)
	}
}

// A sign-in that ran out is dated as the practice reads dates: day first
// in the UK, month first in the US, and on the day it was where the
// practice is (02:00 UTC is still the evening before in New York).
func TestSignInRanOutInThePracticesOrder(t *testing.T) {
	now := time.Now().UTC()
	// 02:00 UTC a few days from now.
	ends := time.Date(now.Year(), now.Month(), now.Day()+3, 2, 0, 0, 0, time.UTC)
	fb := fbfake.New(fbfake.Config{ExpiresAt: ends})
	defer fb.Close()
	w := newWorld(t, t.TempDir(), startClock(), auth.NewMemoryStore())
	w.ch.FacebookGraphURL = fb.URL
	if _, err := w.ch.ConnectFacebook("100200300", "page-token"); err != nil {
		t.Fatal(err)
	}
	w.clock.Advance(ends.Sub(w.clock.Now()) + time.Hour)

	message := func() string {
		t.Helper()
		list, err := w.ch.List()
		if err != nil || len(list) != 1 || list[0].State != "needs_reconnect" {
			t.Fatalf("list: %+v %v", list, err)
		}
		return list[0].Message
	}
	uk := "The Facebook sign-in ran out on " + ends.Format("2 January 2006") + "."
	if m := message(); !strings.HasPrefix(m, uk) {
		t.Fatalf("UK practice: %q, want it to start %q", m, uk)
	}

	db, _ := w.c.DB()
	ctx := context.Background()
	kit := app.DefaultBrandKit()
	kit.Country = "US"
	if _, err := db.SaveBrandKit(ctx, kit); err != nil {
		t.Fatal(err)
	}
	cal := service.NewCalendarService(w.c, service.NewLockService(w.c))
	if _, err := cal.SaveSettings("America/New_York", []string{"dental"}); err != nil {
		t.Fatal(err)
	}
	us := "The Facebook sign-in ran out on " + ends.Add(-24*time.Hour).Format("January 2, 2006") + "."
	if m := message(); !strings.HasPrefix(m, us) {
		t.Fatalf("US practice: %q, want it to start %q", m, us)
	}
	// A US practice that keeps London time still reads the date month first.
	if _, err := cal.SaveSettings("Europe/London", []string{"dental"}); err != nil {
		t.Fatal(err)
	}
	us = "The Facebook sign-in ran out on " + ends.Format("January 2, 2006") + "."
	if m := message(); !strings.HasPrefix(m, us) {
		t.Fatalf("US practice on London time: %q, want it to start %q", m, us)
	}
}

// testPostActions lists, oldest first, the activity log's test-post entries
// for one channel, and fails if any carries the post's text.
func testPostActions(t *testing.T, c *service.Core, channelID string) []string {
	t.Helper()
	db, err := c.DB()
	if err != nil {
		t.Fatal(err)
	}
	page, err := db.ListAudit(context.Background(), 200, 0)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for i := len(page.Entries) - 1; i >= 0; i-- {
		e := page.Entries[i]
		if !strings.HasPrefix(e.Action, "channel.test_post") || e.Subject != "channel:"+channelID {
			continue
		}
		got = append(got, e.Action)
		for _, v := range e.Detail {
			if strings.Contains(v, service.TestPostText) {
				t.Errorf("the activity log holds the test post's words: %+v", e)
			}
		}
	}
	return got
}
