package x_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"practicepost/app"
	"practicepost/app/insights/collect"
	"practicepost/app/publish"
	"practicepost/app/publish/fault"
	"practicepost/app/publish/internal/publishtest"
	"practicepost/app/publish/x"
	"practicepost/app/publish/x/xtest"
)

var now = time.Date(2026, 9, 14, 9, 30, 0, 0, time.UTC)

func setup(t *testing.T, cfg xtest.Config, timeout time.Duration) (*x.Client, *xtest.Server, *app.FixedClock) {
	t.Helper()
	srv, clock := publishtest.StartFake(t, now, func(clockNow func() time.Time) *xtest.Server { cfg.Now = clockNow; return xtest.New(cfg) })
	c := x.NewClient(srv.URL, "x-token", x.Options{HTTP: &http.Client{Timeout: timeout}, Clock: clock, PollInterval: time.Millisecond})
	return c, srv, clock
}

func TestPublishWithImageMetricsAndTakedown(t *testing.T) {
	c, srv, _ := setup(t, xtest.Config{ProcessingPolls: 2}, 5*time.Second)
	ctx := context.Background()
	acct, err := c.Verify(ctx)
	if err != nil || acct.Handle != "@smiledental" || acct.ID != "1500100900" {
		t.Fatalf("%+v %v", acct, err)
	}
	ref, err := c.UploadImage(ctx, publish.Image{Data: publishtest.JPEG(t, 1200, 675), MIME: "image/jpeg", Alt: "Reception desk with plants"})
	if err != nil {
		t.Fatal(err)
	}
	m, ok := srv.Media(ref.ID)
	if !ok || m.Alt != "Reception desk with plants" || m.Category != "tweet_image" || m.MIME != "image/jpeg" {
		t.Fatalf("media %+v", m)
	}
	res, err := c.CreatePost(ctx, publish.Post{Text: "Open on Saturday mornings from October.", Link: "https://smiledental.example/hours", Media: []publish.MediaRef{ref}})
	if err != nil {
		t.Fatal(err)
	}
	posts := srv.Posts()
	if len(posts) != 1 || res.ID != posts[0].ID || res.URL != "https://x.com/smiledental/status/"+res.ID {
		t.Fatalf("%+v %+v", res, posts)
	}
	if posts[0].Text != "Open on Saturday mornings from October.\n\nhttps://smiledental.example/hours" || len(posts[0].MediaIDs) != 1 {
		t.Errorf("stored %+v", posts[0])
	}
	srv.SetEngagement(res.ID, 7, 2, 3, 1, 950)
	met, err := c.Metrics(ctx, res.ID)
	if err != nil || met.Reactions != 7 || met.Comments != 2 || met.Shares != 3 || met.Quotes != 1 || met.Views == nil || *met.Views != 950 {
		t.Fatalf("metrics %+v %v", met, err)
	}
	if err := c.DeletePost(ctx, res.ID); err != nil {
		t.Fatal(err)
	}
	if !srv.Posts()[0].Deleted {
		t.Error("not deleted")
	}
	if err := c.DeletePost(ctx, res.ID); err != nil {
		t.Errorf("second delete: %v", err)
	}
	if _, err := c.Metrics(ctx, res.ID); publish.KindOf(err) != publish.KindNotFound {
		t.Errorf("metrics of a deleted post: %v", err)
	}
}

func TestWeightedLength(t *testing.T) {
	long := "https://smiledental.example/" + strings.Repeat("a", 300)
	cases := []struct {
		name string
		text string
		ok   bool
	}{
		{"280 latin", strings.Repeat("a", 280), true},
		{"281 latin", strings.Repeat("a", 281), false},
		{"long link counts 23", strings.Repeat("b", 256) + " " + long, true},
		{"link pushes over", strings.Repeat("b", 257) + " " + long, false},
		{"140 emoji", strings.Repeat("😀", 140), true},
		{"141 emoji", strings.Repeat("😀", 141), false},
		{"CJK counts 2", strings.Repeat("歯", 141), false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, srv, _ := setup(t, xtest.Config{}, 5*time.Second)
			_, err := c.CreatePost(context.Background(), publish.Post{Text: tc.text})
			if tc.ok != (err == nil) {
				t.Fatalf("err %v", err)
			}
			if !tc.ok {
				pe := publishtest.Err(t, err)
				if pe.Kind != publish.KindRejected || pe.Status != 0 || !strings.Contains(pe.Message, "as X counts them") {
					t.Errorf("%+v", pe)
				}
				if len(srv.Posts()) != 0 {
					t.Error("an over-long post reached X (and cost credits)")
				}
			}
		})
	}
}

func TestErrors(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name  string
		cfg   xtest.Config
		prep  func(*xtest.Server, *x.Client)
		call  func(*x.Client) error
		kind  publish.Kind
		msg   string
		reset time.Duration
	}{
		{name: "429 problem with reset", prep: func(s *xtest.Server, _ *x.Client) {
			s.Faults.Add(fault.Fault{Path: "/2/tweets", Status: 429, Reset: 9 * time.Minute, Times: 1})
		}, call: post("hello"), kind: publish.KindRateLimited, reset: 9 * time.Minute},
		{name: "429 legacy code 88", prep: func(s *xtest.Server, _ *x.Client) {
			s.Faults.Add(fault.Fault{Status: 429, Code: 88, Reset: 14 * time.Minute, Times: 1})
		}, call: post("hello"), kind: publish.KindRateLimited, reset: 14 * time.Minute},
		{name: "duplicate", prep: func(s *xtest.Server, c *x.Client) {
			c.CreatePost(ctx, publish.Post{Text: "Same words"})
		}, call: post("Same words"), kind: publish.KindRejected, msg: "posted the same text recently"},
		{name: "expired token", prep: func(s *xtest.Server, _ *x.Client) { s.ExpireToken() }, call: post("hi"), kind: publish.KindAuth, msg: "reconnect X"},
		{name: "no media.write scope", cfg: xtest.Config{Scopes: []string{"tweet.read", "tweet.write", "users.read"}},
			call: func(c *x.Client) error {
				_, err := c.UploadImage(ctx, publish.Image{Data: []byte{0xFF, 0xD8, 0xFF, 0xE0, 0, 0}, MIME: "image/jpeg"})
				return err
			}, kind: publish.KindPermission, msg: "reconnect X with every permission"},
		{name: "out of credits", prep: func(s *xtest.Server, _ *x.Client) { s.RunOutOfCredits() }, call: post("hi"), kind: publish.KindPermission, msg: "credits have run out"},
		{name: "bogus media id", call: func(c *x.Client) error {
			_, err := c.CreatePost(ctx, publish.Post{Text: "with picture", Media: []publish.MediaRef{{ID: "123"}}})
			return err
		}, kind: publish.KindRejected, msg: "Your media IDs are invalid."},
		{name: "server error", prep: func(s *xtest.Server, _ *x.Client) {
			s.Faults.Add(fault.Fault{Status: 503, Times: 1})
		}, call: post("hi"), kind: publish.KindTransient},
		{name: "scheduled", call: func(c *x.Client) error {
			_, err := c.CreatePost(ctx, publish.Post{Text: "later", ScheduledAt: now.Add(time.Hour)})
			return err
		}, kind: publish.KindRejected, msg: "sends them itself"},
		{name: "oversized image", call: func(c *x.Client) error {
			_, err := c.UploadImage(ctx, publish.Image{Data: make([]byte, 5<<20+1), MIME: "image/jpeg"})
			return err
		}, kind: publish.KindRejected, msg: "at most 5 MB"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, srv, _ := setup(t, tc.cfg, 5*time.Second)
			if tc.prep != nil {
				tc.prep(srv, c)
			}
			pe := publishtest.Err(t, tc.call(c))
			if pe.Kind != tc.kind || !strings.Contains(pe.Message, tc.msg) {
				t.Fatalf("kind %s message %q (%v)", pe.Kind, pe.Message, pe)
			}
			if tc.kind == publish.KindTransient && !pe.Uncertain {
				t.Error("a 503 on create must be uncertain")
			}
			if tc.reset != 0 {
				if d, ok := publish.RetryDelay(pe, now, 1); !ok || d != tc.reset {
					t.Errorf("retry after %v %v, want %v", d, ok, tc.reset)
				}
			}
		})
	}
}

func post(text string) func(*x.Client) error {
	return func(c *x.Client) error {
		_, err := c.CreatePost(context.Background(), publish.Post{Text: text})
		return err
	}
}

func TestDailyCapResetWins(t *testing.T) {
	resp := &http.Response{StatusCode: 429, Header: http.Header{}}
	resp.Header.Set("x-rate-limit-reset", "1789378200")        // 15 min window
	resp.Header.Set("x-user-limit-24hour-remaining", "0")      // but the daily cap is used up
	resp.Header.Set("x-user-limit-24hour-reset", "1789450200") // 20 h later
	srv := httpAnswer(t, resp, `{"title":"Too Many Requests","detail":"Too Many Requests","type":"about:blank","status":429}`)
	c := x.NewClient(srv, "x-token", x.Options{Clock: &app.FixedClock{T: time.Unix(1789377300, 0)}})
	_, err := c.CreatePost(context.Background(), publish.Post{Text: "hi"})
	if pe := publishtest.Err(t, err); !pe.ResetAt.Equal(time.Unix(1789450200, 0).UTC()) {
		t.Errorf("reset %v", pe.ResetAt)
	}
}

func TestLostResponseFoundByText(t *testing.T) {
	c, srv, clock := setup(t, xtest.Config{}, 300*time.Millisecond)
	ctx := context.Background()
	ref, err := c.UploadImage(ctx, publish.Image{Data: publishtest.JPEG(t, 800, 800), MIME: "image/jpeg"})
	if err != nil {
		t.Fatal(err)
	}
	p := publish.Post{Text: "Half-term check-ups: book online at https://smiledental.example/book today", Media: []publish.MediaRef{ref}}
	since := clock.Now()
	srv.Faults.Add(fault.Fault{Method: "POST", Path: "/2/tweets", AfterCommit: fault.Hang, Times: 1})
	_, err = c.CreatePost(ctx, p)
	if pe := publishtest.Err(t, err); pe.Kind != publish.KindTransient || !pe.Uncertain {
		t.Fatalf("%+v", pe)
	}
	res, ok, err := c.FindPost(ctx, p, since)
	if err != nil || !ok {
		t.Fatalf("not found (X shows the link as t.co and appends the photo link): %v", err)
	}
	if posts := srv.Posts(); len(posts) != 1 || posts[0].ID != res.ID {
		t.Errorf("%+v vs %+v", posts, res)
	}
	if _, ok, err := c.FindPost(ctx, publish.Post{Text: "Something never posted"}, since); ok || err != nil {
		t.Errorf("found a post that does not exist: %v", err)
	}
}

// httpAnswer serves one canned answer for every request.
func httpAnswer(t *testing.T, resp *http.Response, body string) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for k, v := range resp.Header {
			w.Header()[k] = v
		}
		w.WriteHeader(resp.StatusCode)
		w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// The collector reads followers from any connector that can give them.
var _ collect.FollowerCounter = (*x.Client)(nil)

// TestFollowers is the account's follower count against the fake X API,
// and the ways it is not given: a token without users.read (permission:
// no count this time, the collector goes on), public_metrics left out (no
// count is not zero), a 429 (the channel waits for the reset) and an
// expired token (reconnect).
func TestFollowers(t *testing.T) {
	publishtest.Followers(t, publishtest.FollowersRig[xtest.Config, *xtest.Server]{
		Want: 1234,
		Start: func(t *testing.T, cfg xtest.Config) (publishtest.FollowerCounter, *xtest.Server) {
			c, srv, _ := setup(t, cfg, 5*time.Second)
			srv.SetFollowers(1234)
			return c, srv
		},
		Cases: []publishtest.FollowersCase[xtest.Config, *xtest.Server]{
			{Name: "missing permission", Config: xtest.Config{Scopes: []string{"tweet.read", "tweet.write", "media.write"}}, Kind: publish.KindPermission},
			{Name: "count left out", Prep: func(_ *testing.T, s *xtest.Server) { s.SetFollowers(-1) }, Kind: publish.KindRejected},
			{Name: "rate limited", Prep: func(_ *testing.T, s *xtest.Server) {
				s.Faults.Add(fault.Fault{Path: "/2/users/me", Status: 429, Reset: 9 * time.Minute, Times: 1})
			}, Kind: publish.KindRateLimited, Reset: now.Add(9 * time.Minute)},
			{Name: "token expired", Prep: func(_ *testing.T, s *xtest.Server) { s.ExpireToken() }, Kind: publish.KindAuth},
		},
	})
}
