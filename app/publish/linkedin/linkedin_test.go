package linkedin_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"practicepost/app"
	"practicepost/app/guard"
	"practicepost/app/insights/collect"
	"practicepost/app/publish"
	"practicepost/app/publish/fault"
	"practicepost/app/publish/internal/publishtest"
	"practicepost/app/publish/linkedin"
	"practicepost/app/publish/linkedin/internal/littletext"
	"practicepost/app/publish/linkedin/linkedintest"
)

var now = time.Date(2026, 9, 14, 9, 30, 0, 0, time.UTC)

func setup(t *testing.T, cfg linkedintest.Config, opt linkedin.Options) (*linkedin.Client, *linkedintest.Server, *app.FixedClock) {
	t.Helper()
	srv, clock := publishtest.StartFake(t, now, func(clockNow func() time.Time) *linkedintest.Server { cfg.Now = clockNow; return linkedintest.New(cfg) })
	opt.Clock = clock
	if opt.HTTP == nil {
		opt.HTTP = &http.Client{Timeout: 5 * time.Second}
	}
	if opt.PollInterval == 0 {
		opt.PollInterval = time.Millisecond
	}
	return linkedin.NewClient(srv.URL, "2414183", "li-token", opt), srv, clock
}

// Every reserved character of the little text format, alone and together,
// must reach LinkedIn escaped, or the post is silently cut there.
func TestEscapingEveryReservedCharacter(t *testing.T) {
	c, srv, clock := setup(t, linkedintest.Config{}, linkedin.Options{})
	ctx := context.Background()
	texts := []string{}
	for _, r := range `\|{}@[]()<>#*_~` {
		texts = append(texts, "Before "+string(r)+" after")
	}
	texts = append(texts,
		`All at once: \ | { } @ [ ] ( ) < > # * _ ~ end`,
		"Book at https://smiledental.example/book_now?x=(1) #SmileMonth @SmileDental **bold** ~strike~ <3 C:\\path",
		`Already escaped-looking: \# stays "\#"`,
	)
	for i, text := range texts {
		res, err := c.CreatePost(ctx, publish.Post{Text: text})
		if err != nil {
			t.Fatalf("%q: %v", text, err)
		}
		p := srv.Posts()[i]
		if p.URN != res.ID || p.Commentary != p.Sent {
			t.Errorf("%q was cut by LinkedIn: kept %q of %q", text, p.Commentary, p.Sent)
		}
		if got := littletext.Unescape(p.Commentary); got != text {
			t.Errorf("round trip: %q, want %q", got, text)
		}
		clock.Advance(time.Minute)
	}
}

// The fake really cuts unescaped commentary, so the test above proves
// something: the same text sent raw loses everything after the character.
func TestFakeCutsUnescapedCommentary(t *testing.T) {
	_, srv, _ := setup(t, linkedintest.Config{}, linkedin.Options{})
	for _, r := range `\|{}@[]()<>#*_~` {
		raw := "Before " + string(r) + " after"
		want := "Before "
		if r == '\\' {
			// A lone backslash escapes the next character (a space).
			want = raw
		}
		if got := linkedintest.Truncate(raw); got != want {
			t.Errorf("Truncate(%q) = %q, want %q", raw, got, want)
		}
	}
	body := `{"author":"urn:li:organization:2414183","commentary":"Free check-ups #SmileMonth this week","visibility":"PUBLIC","distribution":{"feedDistribution":"MAIN_FEED"},"lifecycleState":"PUBLISHED"}`
	req, _ := http.NewRequest("POST", srv.URL+"/rest/posts", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer li-token")
	req.Header.Set("Linkedin-Version", linkedin.DefaultVersion)
	req.Header.Set("X-Restli-Protocol-Version", "2.0.0")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 201 || resp.Header.Get("x-restli-id") == "" {
		t.Fatalf("status %d: the cut is silent, with a success answer", resp.StatusCode)
	}
	if got := srv.Posts()[0].Commentary; got != "Free check-ups " {
		t.Errorf("kept %q", got)
	}
}

func TestPublishWithImageMetricsAndTakedown(t *testing.T) {
	c, srv, _ := setup(t, linkedintest.Config{ProcessingPolls: 2}, linkedin.Options{Version: "202607", TokenExpiresAt: now.Add(60 * 24 * time.Hour)})
	ctx := context.Background()
	acct, err := c.Verify(ctx)
	if err != nil || acct.Name != "Smile Dental" || acct.Handle != "linkedin.com/company/smile-dental" || !acct.ExpiresAt.Equal(now.Add(60*24*time.Hour)) {
		t.Fatalf("%+v %v", acct, err)
	}
	ref, err := c.UploadImage(ctx, publish.Image{Data: publishtest.JPEG(t, 1200, 627), MIME: "image/jpeg", Alt: "Our team outside the practice", Width: 1200, Height: 627})
	if err != nil {
		t.Fatal(err)
	}
	if im, ok := srv.Image(ref.ID); !ok || im.Polls != 3 || !im.Uploaded {
		t.Fatalf("image %+v: want 2 PROCESSING then AVAILABLE", im)
	}
	res, err := c.CreatePost(ctx, publish.Post{Text: "Meet the team (and the new #hygiene room)!", Link: "https://smiledental.example/team", Media: []publish.MediaRef{ref}})
	if err != nil {
		t.Fatal(err)
	}
	p := srv.Posts()[0]
	if res.ID != p.URN || !strings.HasPrefix(res.ID, "urn:li:share:") || res.URL != "https://www.linkedin.com/feed/update/"+res.ID+"/" {
		t.Fatalf("%+v vs %+v", res, p)
	}
	if p.ImageURN != ref.ID || p.AltText != "Our team outside the practice" || littletext.Unescape(p.Commentary) != "Meet the team (and the new #hygiene room)!\n\nhttps://smiledental.example/team" {
		t.Errorf("stored %+v", p)
	}
	for i, h := range srv.RESTHeaders() {
		if h.Get("Linkedin-Version") != "202607" || h.Get("X-Restli-Protocol-Version") != "2.0.0" || h.Get("Authorization") != "Bearer li-token" {
			t.Errorf("request %d headers %v", i, h)
		}
	}
	srv.SetEngagement(res.ID, 12, 3, 2, 480, 31)
	m, err := c.Metrics(ctx, res.ID)
	if err != nil || m.Reactions != 12 || m.Comments != 3 || m.Shares != 2 || *m.Views != 480 || *m.Clicks != 31 {
		t.Fatalf("%+v %v", m, err)
	}
	if err := c.DeletePost(ctx, res.ID); err != nil || !srv.Posts()[0].Deleted {
		t.Fatalf("delete: %v", err)
	}
	if err := c.DeletePost(ctx, res.ID); err != nil {
		t.Errorf("second delete: %v", err)
	}
}

func TestErrors(t *testing.T) {
	ctx := context.Background()
	midnight := time.Date(2026, 9, 15, 0, 0, 0, 0, time.UTC)
	text := func(s string) func(*linkedin.Client, *linkedintest.Server) error {
		return func(c *linkedin.Client, _ *linkedintest.Server) error {
			_, err := c.CreatePost(ctx, publish.Post{Text: s})
			return err
		}
	}
	cases := []struct {
		name  string
		cfg   linkedintest.Config
		opt   linkedin.Options
		prep  func(*linkedintest.Server, *linkedin.Client)
		call  func(*linkedin.Client, *linkedintest.Server) error
		kind  publish.Kind
		code  string
		msg   string
		reset time.Time
	}{
		{name: "revoked 65601", prep: func(s *linkedintest.Server, _ *linkedin.Client) { s.RevokeToken() }, call: text("hi"),
			kind: publish.KindAuth, code: "65601/REVOKED_ACCESS_TOKEN", msg: "access was withdrawn"},
		{name: "expired", prep: func(s *linkedintest.Server, _ *linkedin.Client) { s.ExpireToken() }, call: text("hi"),
			kind: publish.KindAuth, msg: "last 60 days"},
		{name: "429 without headers waits for midnight UTC", prep: func(s *linkedintest.Server, _ *linkedin.Client) {
			s.Faults.Add(fault.Fault{Status: 429, Times: 1})
		}, call: text("hi"), kind: publish.KindRateLimited, reset: midnight},
		{name: "retired version", opt: linkedin.Options{Version: "202401"}, call: text("hi"),
			kind: publish.KindRejected, code: "NONEXISTENT_VERSION", msg: "retired the API version PracticePost uses (202401)"},
		{name: "not an admin", prep: nil, call: func(_ *linkedin.Client, s *linkedintest.Server) error {
			_, err := linkedin.NewClient(s.URL, "999", "li-token", linkedin.Options{}).Verify(ctx)
			return err
		}, kind: publish.KindPermission, msg: "Super admin or Content admin"},
		{name: "duplicate", prep: func(s *linkedintest.Server, c *linkedin.Client) { c.CreatePost(ctx, publish.Post{Text: "Same again"}) },
			call: text("Same again"), kind: publish.KindRejected, msg: "posted the same text recently"},
		{name: "3001 characters", call: text(strings.Repeat("a", 3001)), kind: publish.KindRejected, msg: "LinkedIn takes 3000"},
		{name: "server error", prep: func(s *linkedintest.Server, _ *linkedin.Client) {
			s.Faults.Add(fault.Fault{Status: 502, Times: 1})
		},
			call: text("hi"), kind: publish.KindTransient},
		{name: "image processing failed", call: func(c *linkedin.Client, _ *linkedintest.Server) error {
			_, err := c.UploadImage(ctx, publish.Image{Data: []byte("%PDF-1.7 not an image"), MIME: "image/jpeg"})
			return err
		}, kind: publish.KindRejected, code: "PROCESSING_FAILED"},
		{name: "image never available", cfg: linkedintest.Config{ProcessingPolls: 1000}, opt: linkedin.Options{PollTimeout: 20 * time.Millisecond}, call: func(c *linkedin.Client, _ *linkedintest.Server) error {
			_, err := c.UploadImage(ctx, publish.Image{Data: publishtest.JPEG(t, 1200, 627), MIME: "image/jpeg"})
			return err
		}, kind: publish.KindTransient, msg: "still processing"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, srv, _ := setup(t, tc.cfg, tc.opt)
			if tc.prep != nil {
				tc.prep(srv, c)
			}
			pe := publishtest.Err(t, tc.call(c, srv))
			if pe.Kind != tc.kind || !strings.Contains(pe.Message, tc.msg) || (tc.code != "" && pe.Code != tc.code) {
				t.Fatalf("kind %s code %s message %q", pe.Kind, pe.Code, pe.Message)
			}
			if !tc.reset.IsZero() && !pe.ResetAt.Equal(tc.reset) {
				t.Errorf("reset %v, want %v", pe.ResetAt, tc.reset)
			}
			if tc.kind == publish.KindTransient && tc.code == "" && pe.Status >= 500 && !pe.Uncertain {
				t.Error("a 5xx on create must be uncertain")
			}
		})
	}
}

func TestLostResponseFoundByText(t *testing.T) {
	c, srv, clock := setup(t, linkedintest.Config{}, linkedin.Options{HTTP: &http.Client{Timeout: 300 * time.Millisecond}})
	ctx := context.Background()
	p := publish.Post{Text: "Whitening offer (members only) — ask at #reception"}
	since := clock.Now()
	srv.Faults.Add(fault.Fault{Method: "POST", Path: "/rest/posts", AfterCommit: fault.Hang, Times: 1})
	_, err := c.CreatePost(ctx, p)
	if pe := publishtest.Err(t, err); !pe.Uncertain {
		t.Fatalf("%+v", pe)
	}
	res, ok, err := c.FindPost(ctx, p, since)
	if err != nil || !ok || res.ID != srv.Posts()[0].URN {
		t.Fatalf("%+v %v %v", res, ok, err)
	}
	if _, ok, _ := c.FindPost(ctx, publish.Post{Text: "Whitening offer"}, since); ok {
		t.Error("a prefix matched")
	}
	if len(srv.Posts()) != 1 {
		t.Errorf("%d posts", len(srv.Posts()))
	}
}

// The guard and the connector read LinkedIn's image size from the one
// descriptor (app/platform.go): the guard blocks exactly the images the
// connector would refuse, at the lowest size sources give (5 MB,
// platform-contracts.md §3.1), so nothing the guard passes is refused on
// upload.
func TestImageSizeLimitAgreesWithGuard(t *testing.T) {
	const limit = 5 << 20
	if Limits := linkedin.Limits; Limits.MaxImageBytes != limit {
		t.Fatalf("connector image limit %d bytes, want %d", Limits.MaxImageBytes, limit)
	}
	for _, n := range []int{limit, limit + 1} {
		c, _, _ := setup(t, linkedintest.Config{}, linkedin.Options{})
		// Not an image: the size check comes before any upload, and the
		// fake refuses the bytes later (PROCESSING_FAILED) when it passes.
		_, err := c.UploadImage(context.Background(), publish.Image{Data: make([]byte, n), MIME: "image/jpeg", Width: 1200, Height: 627})
		pe := publishtest.Err(t, err)
		refused := pe.Code == "image_too_large"
		if refused && !strings.Contains(pe.Message, "at most 5 MB") {
			t.Errorf("%d bytes: message %q does not name the 5 MB limit", n, pe.Message)
		}
		blocked := false
		for _, f := range guard.CheckLimits(guard.LinkedIn, "hi", []guard.Image{{Bytes: n, Width: 1200, Height: 627, Format: "jpeg"}}, guard.MastodonInstance{}) {
			blocked = blocked || (f.Kind == guard.KindImageTooLarge && f.Severity == guard.Block)
		}
		if refused != (n > limit) || blocked != refused {
			t.Errorf("%d bytes: connector refused %v, guard blocked %v; want both %v", n, refused, blocked, n > limit)
		}
	}
}

// The collector reads followers from any connector that can give them.
var _ collect.FollowerCounter = (*linkedin.Client)(nil)

// TestFollowers is the organisation's follower count against the fake
// LinkedIn API, and the ways it is not given: an organisation the member
// is not an admin of (403: no count this time, the collector goes on),
// the count left out (no count is not zero), a 429 without headers (the
// channel waits for midnight UTC) and a revoked token (reconnect). A
// case's config is the organisation the connector asks for ("": the
// page's own).
func TestFollowers(t *testing.T) {
	// now is 14 Sep 2026 09:30 UTC: LinkedIn's daily limits reset at midnight UTC.
	midnight := time.Date(2026, 9, 15, 0, 0, 0, 0, time.UTC)
	publishtest.Followers(t, publishtest.FollowersRig[string, *linkedintest.Server]{
		Want: 356,
		Start: func(t *testing.T, org string) (publishtest.FollowerCounter, *linkedintest.Server) {
			c, srv, clock := setup(t, linkedintest.Config{}, linkedin.Options{})
			srv.SetFollowers(356)
			if org != "" {
				c = linkedin.NewClient(srv.URL, org, "li-token", linkedin.Options{Clock: clock})
			}
			return c, srv
		},
		Cases: []publishtest.FollowersCase[string, *linkedintest.Server]{
			{Name: "not an admin of the page", Config: "999", Kind: publish.KindPermission},
			{Name: "count left out", Prep: func(_ *testing.T, s *linkedintest.Server) { s.SetFollowers(-1) }, Kind: publish.KindRejected},
			{Name: "429 without headers", Prep: func(_ *testing.T, s *linkedintest.Server) { s.Faults.Add(fault.Fault{Status: 429, Times: 1}) },
				Kind: publish.KindRateLimited, Reset: midnight},
			{Name: "revoked token", Prep: func(_ *testing.T, s *linkedintest.Server) { s.RevokeToken() }, Kind: publish.KindAuth},
		},
	})
}
