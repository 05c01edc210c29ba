package facebook_test

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"slices"
	"strings"
	"testing"
	"time"

	"practicepost/app"
	"practicepost/app/insights/collect"
	"practicepost/app/publish"
	"practicepost/app/publish/facebook"
	"practicepost/app/publish/facebook/facebooktest"
	"practicepost/app/publish/fault"
	"practicepost/app/publish/internal/publishtest"
)

var t0 = time.Date(2026, 9, 1, 9, 0, 0, 0, time.UTC)

type env struct {
	srv   *facebooktest.Server
	cli   *facebook.Client
	clock *app.FixedClock
	rec   *publishtest.Recorder
}

func setup(t *testing.T, cfg facebooktest.Config, timeout time.Duration) env {
	t.Helper()
	srv, clock := publishtest.StartFake(t, t0, func(clockNow func() time.Time) *facebooktest.Server { cfg.Now = clockNow; return facebooktest.New(cfg) })
	rec := &publishtest.Recorder{}
	cli := facebook.NewClient(srv.URL, "100200300", "page-token", facebook.Options{HTTP: publishtest.HTTP(timeout, rec), Clock: clock})
	return env{srv: srv, cli: cli, clock: clock, rec: rec}
}

func pngBytes(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = byte(i)
	}
	img.Set(0, 0, color.RGBA{1, 2, 3, 255})
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestVerify(t *testing.T) {
	tests := []struct {
		name    string
		cfg     facebooktest.Config
		prepare func(*facebooktest.Server)
		kind    publish.Kind
		code    string
	}{
		{name: "page token", cfg: facebooktest.Config{}},
		{name: "expiring page token", cfg: facebooktest.Config{ExpiresAt: t0.Add(48 * time.Hour)}},
		{name: "user token pasted", cfg: facebooktest.Config{TokenType: "USER"}, kind: publish.KindAuth, code: "debug_token"},
		{name: "missing permission", cfg: facebooktest.Config{Scopes: []string{"pages_show_list"}}, kind: publish.KindPermission, code: "debug_token"},
		{name: "other page", cfg: facebooktest.Config{PageID: "999"}, kind: publish.KindAuth},
		{name: "expired", prepare: (*facebooktest.Server).ExpireToken, kind: publish.KindAuth, code: "190/463"},
		{name: "password changed", prepare: (*facebooktest.Server).RevokeToken, kind: publish.KindAuth, code: "190/460"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := setup(t, tt.cfg, 0)
			if tt.prepare != nil {
				tt.prepare(e.srv)
			}
			acct, err := e.cli.Verify(context.Background())
			if tt.kind == "" {
				if err != nil {
					t.Fatal(err)
				}
				if acct.ID != "100200300" || acct.Name != "Smile Dental" {
					t.Errorf("account = %+v", acct)
				}
				if !acct.ExpiresAt.Equal(tt.cfg.ExpiresAt) {
					t.Errorf("ExpiresAt = %v, want %v", acct.ExpiresAt, tt.cfg.ExpiresAt)
				}
				return
			}
			pe := publishtest.Err(t, err)
			if pe.Kind != tt.kind || (tt.code != "" && pe.Code != tt.code) {
				t.Errorf("got %s %s, want %s %s", pe.Kind, pe.Code, tt.kind, tt.code)
			}
			if pe.Message == "" || strings.Contains(pe.Message, "OAuthException") {
				t.Errorf("message not for a person: %q", pe.Message)
			}
		})
	}
}

func TestTokenTravelsInHeaderOnly(t *testing.T) {
	e := setup(t, facebooktest.Config{}, 0)
	if _, err := e.cli.CreatePost(context.Background(), publish.Post{Text: "Open on Saturday"}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.cli.Verify(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, r := range e.rec.All() {
		if got := r.Header.Get("Authorization"); got != "Bearer page-token" {
			t.Errorf("%s %s: Authorization = %q", r.Method, r.Path, got)
		}
		if r.Params().Get("access_token") != "" {
			t.Errorf("%s: token in URL", r.Path)
		}
	}
}

func TestCreatePost(t *testing.T) {
	img := pngBytes(t, 64, 48)
	tests := []struct {
		name      string
		post      publish.Post
		image     bool
		wantPath  string
		wantMsg   string
		wantLink  string
		scheduled bool
		kind      publish.Kind
		code      string
	}{
		{name: "text", post: publish.Post{Text: "We are open on Saturday."}, wantPath: "/feed", wantMsg: "We are open on Saturday."},
		{name: "link", post: publish.Post{Text: "New hygienist", Link: "https://smile.example/team"}, wantPath: "/feed", wantMsg: "New hygienist", wantLink: "https://smile.example/team"},
		{name: "photo with link in caption", post: publish.Post{Text: "Before and after", Link: "https://smile.example/w"}, image: true, wantPath: "/photos", wantMsg: "Before and after\n\nhttps://smile.example/w"},
		{name: "scheduled text", post: publish.Post{Text: "Flu clinic", ScheduledAt: t0.Add(2 * time.Hour)}, wantPath: "/feed", wantMsg: "Flu clinic", scheduled: true},
		{name: "scheduled photo", post: publish.Post{Text: "Smile", ScheduledAt: t0.Add(24 * time.Hour)}, image: true, wantPath: "/photos", wantMsg: "Smile", scheduled: true},
		{name: "scheduled too soon", post: publish.Post{Text: "Soon", ScheduledAt: t0.Add(5 * time.Minute)}, kind: publish.KindRejected, code: "100"},
		{name: "scheduled too far", post: publish.Post{Text: "Later", ScheduledAt: t0.Add(31 * 24 * time.Hour)}, image: true, kind: publish.KindRejected, code: "100"},
		{name: "empty", post: publish.Post{}, kind: publish.KindRejected, code: "100"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := setup(t, facebooktest.Config{}, 0)
			ctx := context.Background()
			var images []publish.Image
			if tt.image {
				images = append(images, publish.Image{Data: img, MIME: "image/png", Alt: "smiling patient", Width: 64, Height: 48})
			}
			res, err := publishtest.Send(ctx, e.cli, tt.post, images...)
			posts := e.srv.Posts()
			if tt.kind != "" {
				pe := publishtest.Err(t, err)
				if pe.Kind != tt.kind || pe.Code != tt.code || pe.Retryable() {
					t.Errorf("got %s %s retryable=%v, want %s %s", pe.Kind, pe.Code, pe.Retryable(), tt.kind, tt.code)
				}
				if len(posts) != 0 {
					t.Errorf("fake holds %d posts after refusal", len(posts))
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(posts) != 1 {
				t.Fatalf("fake holds %d posts", len(posts))
			}
			p := posts[0]
			if res.ID != p.ID || !strings.HasPrefix(res.ID, "100200300_") {
				t.Errorf("result id %q, fake id %q", res.ID, p.ID)
			}
			if p.Message != tt.wantMsg || p.Link != tt.wantLink {
				t.Errorf("fake got message %q link %q", p.Message, p.Link)
			}
			if tt.image && (!bytes.Equal(p.Photo, img) || p.PhotoMIME != "image/png" || p.PhotoID == "") {
				t.Errorf("photo not uploaded intact: %d bytes %s", len(p.Photo), p.PhotoMIME)
			}
			if p.Published == tt.scheduled || res.Scheduled != tt.scheduled {
				t.Errorf("published=%v result.Scheduled=%v, want scheduled=%v", p.Published, res.Scheduled, tt.scheduled)
			}
			if tt.scheduled && !p.ScheduledAt.Equal(tt.post.ScheduledAt) {
				t.Errorf("scheduled at %v", p.ScheduledAt)
			}
			last := e.rec.All()[len(e.rec.All())-1]
			if !strings.HasSuffix(last.Path, "/100200300"+tt.wantPath) {
				t.Errorf("posted to %s", last.Path)
			}
			ct := last.Header.Get("Content-Type")
			if tt.image != strings.HasPrefix(ct, "multipart/form-data") {
				t.Errorf("content type %q", ct)
			}
			if len(res.Raw) == 0 {
				t.Error("raw response not kept")
			}
		})
	}
}

func TestDuplicateIsRejected(t *testing.T) {
	e := setup(t, facebooktest.Config{}, 0)
	ctx := context.Background()
	post := publish.Post{Text: "Happy Smile Week!"}
	if _, err := e.cli.CreatePost(ctx, post); err != nil {
		t.Fatal(err)
	}
	_, err := e.cli.CreatePost(ctx, post)
	pe := publishtest.Err(t, err)
	if pe.Kind != publish.KindRejected || pe.Code != "506" || !strings.Contains(pe.Message, "identical") {
		t.Errorf("got %+v", pe)
	}
	if !strings.Contains(string(pe.Raw), "Duplicate") {
		t.Errorf("raw body not kept: %s", pe.Raw)
	}
	if n := len(e.srv.Posts()); n != 1 {
		t.Errorf("%d posts", n)
	}
}

func TestOversizeImageRefusedBeforeSending(t *testing.T) {
	e := setup(t, facebooktest.Config{}, 0)
	_, err := e.cli.UploadImage(context.Background(), publish.Image{Data: make([]byte, 4<<20+1), MIME: "image/jpeg"})
	pe := publishtest.Err(t, err)
	if pe.Kind != publish.KindRejected || pe.Code != "image_too_large" || !strings.Contains(pe.Message, "4 MB") {
		t.Errorf("got %+v", pe)
	}
	if n := len(e.srv.Requests()); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}

func TestFaults(t *testing.T) {
	tests := []struct {
		name      string
		fault     fault.Fault
		kind      publish.Kind
		code      string
		reset     time.Duration
		uncertain bool
	}{
		{name: "page throttled", fault: fault.Fault{Status: 429, Code: 32, Reset: 17 * time.Minute}, kind: publish.KindRateLimited, code: "32", reset: 17 * time.Minute},
		{name: "app throttled", fault: fault.Fault{Status: 429, Code: 4, Reset: 3 * time.Minute}, kind: publish.KindRateLimited, code: "4", reset: 3 * time.Minute},
		{name: "user throttled", fault: fault.Fault{Status: 429, Code: 17, Reset: 60 * time.Minute}, kind: publish.KindRateLimited, code: "17", reset: time.Hour},
		{name: "server error", fault: fault.Fault{Status: 500}, kind: publish.KindTransient, code: "2", uncertain: true},
		{name: "unknown error", fault: fault.Fault{Status: 500, Code: 1}, kind: publish.KindTransient, code: "1", uncertain: true},
		{name: "bad gateway", fault: fault.Fault{Status: 503, Code: 2}, kind: publish.KindTransient, code: "2", uncertain: true},
		{name: "blocked for policy", fault: fault.Fault{Status: 400, Code: 368}, kind: publish.KindRejected, code: "368"},
		{name: "no permission", fault: fault.Fault{Status: 403, Code: 10}, kind: publish.KindPermission, code: "10"},
		{name: "missing task", fault: fault.Fault{Status: 403, Code: 200}, kind: publish.KindPermission, code: "200"},
		{name: "app limit", fault: fault.Fault{Status: 400, Code: 341}, kind: publish.KindRateLimited, code: "341", reset: time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := setup(t, facebooktest.Config{}, 0)
			e.srv.Faults.Add(tt.fault)
			_, err := e.cli.CreatePost(context.Background(), publish.Post{Text: "hello"})
			pe := publishtest.Err(t, err)
			if pe.Kind != tt.kind || pe.Code != tt.code || pe.Uncertain != tt.uncertain || pe.Retryable() != (tt.kind == publish.KindTransient || tt.kind == publish.KindRateLimited) {
				t.Fatalf("got kind=%s code=%s uncertain=%v", pe.Kind, pe.Code, pe.Uncertain)
			}
			if tt.reset != 0 {
				if !pe.ResetAt.Equal(t0.Add(tt.reset)) {
					t.Errorf("ResetAt = %v, want %v", pe.ResetAt, t0.Add(tt.reset))
				}
				if d, ok := publish.RetryDelay(err, t0, 1); !ok || d != tt.reset {
					t.Errorf("RetryDelay = %v %v", d, ok)
				}
			}
		})
	}
}

func TestLatencyIsTolerated(t *testing.T) {
	e := setup(t, facebooktest.Config{}, 0)
	e.srv.Faults.Add(fault.Fault{Latency: 30 * time.Millisecond, Times: 1})
	if _, err := e.cli.CreatePost(context.Background(), publish.Post{Text: "slow"}); err != nil {
		t.Fatal(err)
	}
	if e.srv.Faults.Hits() != 1 {
		t.Errorf("fault not applied")
	}
}

// The client loses the answer after Facebook has made the post: the error
// must say "uncertain", and reconciliation must find the post, so the queue
// ends with exactly one post instead of retrying into a duplicate.
func TestTimeoutAfterCommitThenReconcile(t *testing.T) {
	img := pngBytes(t, 20, 20)
	tests := []struct {
		name  string
		post  publish.Post
		image bool
		loss  fault.Loss
	}{
		{name: "feed hang", post: publish.Post{Text: "Our new opening hours", Link: "https://smile.example"}, loss: fault.Hang},
		{name: "photo dropped", post: publish.Post{Text: "Team photo", Link: "https://smile.example"}, image: true, loss: fault.Drop},
		{name: "scheduled hang", post: publish.Post{Text: "Flu jabs from Monday", ScheduledAt: t0.Add(3 * time.Hour)}, loss: fault.Hang},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := setup(t, facebooktest.Config{}, 300*time.Millisecond)
			ctx := context.Background()
			e.srv.Faults.Add(fault.Fault{Method: "POST", AfterCommit: tt.loss, Times: 1})
			var images []publish.Image
			if tt.image {
				images = append(images, publish.Image{Data: img, MIME: "image/png"})
			}
			since := e.clock.Now()
			_, err := publishtest.Send(ctx, e.cli, tt.post, images...)
			pe := publishtest.Err(t, err)
			if pe.Kind != publish.KindTransient || !pe.Uncertain || pe.Status != 0 {
				t.Fatalf("got %+v", pe)
			}
			if n := len(e.srv.Posts()); n != 1 {
				t.Fatalf("fake holds %d posts, want the committed one", n)
			}
			// After a restart the queue has the post but no media refs.
			found, ok, err := e.cli.FindPost(ctx, tt.post, since)
			if err != nil || !ok {
				t.Fatalf("FindPost = %v %v", ok, err)
			}
			if found.ID != e.srv.Posts()[0].ID {
				t.Errorf("found %q, fake has %q", found.ID, e.srv.Posts()[0].ID)
			}
			if found.Scheduled != !tt.post.ScheduledAt.IsZero() {
				t.Errorf("Scheduled = %v", found.Scheduled)
			}
			if n := len(e.srv.Posts()); n != 1 {
				t.Errorf("fake holds %d posts after reconciliation", n)
			}
		})
	}
}

func TestFindPostMissesOtherText(t *testing.T) {
	e := setup(t, facebooktest.Config{}, 0)
	ctx := context.Background()
	if _, err := e.cli.CreatePost(ctx, publish.Post{Text: "Post A"}); err != nil {
		t.Fatal(err)
	}
	_, ok, err := e.cli.FindPost(ctx, publish.Post{Text: "Post B"}, t0)
	if err != nil || ok {
		t.Errorf("FindPost = %v %v, want not found", ok, err)
	}
}

func TestScheduledPostGoesLiveAndIsFoundInFeed(t *testing.T) {
	e := setup(t, facebooktest.Config{}, 0)
	ctx := context.Background()
	post := publish.Post{Text: "Bank holiday hours", ScheduledAt: t0.Add(time.Hour)}
	res, err := e.cli.CreatePost(ctx, post)
	if err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(2 * time.Hour)
	found, ok, err := e.cli.FindPost(ctx, post, t0)
	if err != nil || !ok || found.ID != res.ID || found.Scheduled {
		t.Errorf("FindPost = %+v %v %v", found, ok, err)
	}
}

func TestDeletePost(t *testing.T) {
	e := setup(t, facebooktest.Config{}, 0)
	ctx := context.Background()
	res := publishtest.Post(t, e.cli, "Take me down")
	if err := e.cli.DeletePost(ctx, res.ID); err != nil {
		t.Fatal(err)
	}
	if !e.srv.Posts()[0].Deleted {
		t.Error("post not deleted")
	}
	if err := e.cli.DeletePost(ctx, res.ID); err != nil {
		t.Errorf("second delete: %v", err)
	}
	e.srv.ExpireToken()
	if err := e.cli.DeletePost(ctx, res.ID); publish.KindOf(err) != publish.KindAuth {
		t.Errorf("delete with expired token: %v", err)
	}
}

func TestMetrics(t *testing.T) {
	tests := []struct {
		name      string
		deny      bool
		shares    int
		wantViews bool
	}{
		{name: "with insights", shares: 3, wantViews: true},
		{name: "no shares field", shares: 0, wantViews: true},
		{name: "insights denied", deny: true, shares: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := setup(t, facebooktest.Config{}, 0)
			ctx := context.Background()
			res := publishtest.Post(t, e.cli, "Counting")
			e.srv.SetEngagement(res.ID, 12, 4, tt.shares, 340, 9)
			if tt.deny {
				e.srv.DenyInsights()
			}
			m, err := e.cli.Metrics(ctx, res.ID)
			if err != nil {
				t.Fatal(err)
			}
			if m.Reactions != 12 || m.Comments != 4 || m.Shares != tt.shares {
				t.Errorf("counts = %+v", m)
			}
			if tt.wantViews != (m.Views != nil) {
				t.Fatalf("views = %v", m.Views)
			}
			if tt.wantViews && (*m.Views != 340 || m.Clicks == nil || *m.Clicks != 9) {
				t.Errorf("views %d clicks %v", *m.Views, m.Clicks)
			}
		})
	}
	e := setup(t, facebooktest.Config{}, 0)
	_, err := e.cli.Metrics(context.Background(), "100200300_404")
	if publish.KindOf(err) != publish.KindNotFound {
		t.Errorf("missing post: %v", err)
	}
}

func TestParseAppUsage(t *testing.T) {
	u, ok := facebook.ParseAppUsage(`{"call_count":28,"total_cputime":25,"total_time":25}`)
	if !ok || u.CallCount != 28 || u.TotalCPUTime != 25 {
		t.Errorf("got %+v %v", u, ok)
	}
	if _, ok := facebook.ParseAppUsage("not json"); ok {
		t.Error("garbage accepted")
	}
}

// The collector reads followers from any connector that can give them.
var _ collect.FollowerCounter = (*facebook.Client)(nil)

// TestFollowers is the Page's follower count against the fake Graph API,
// and the ways it is not given: a token without pages_read_engagement
// (permission: no count this time, the collector goes on), a field left
// out (no count is not zero), Graph throttling (the channel waits for the
// reset) and an expired token (reconnect).
func TestFollowers(t *testing.T) {
	publishtest.Followers(t, publishtest.FollowersRig[facebooktest.Config, *facebooktest.Server]{
		Want: 812,
		Start: func(t *testing.T, cfg facebooktest.Config) (publishtest.FollowerCounter, *facebooktest.Server) {
			e := setup(t, cfg, 0)
			e.srv.SetFollowers(812)
			return e.cli, e.srv
		},
		Read: func(t *testing.T, s *facebooktest.Server) {
			if !slices.Contains(s.Requests(), "GET /100200300") {
				t.Errorf("requests %v: want the Page node read", s.Requests())
			}
		},
		Cases: []publishtest.FollowersCase[facebooktest.Config, *facebooktest.Server]{
			{Name: "missing permission", Config: facebooktest.Config{Scopes: []string{"pages_manage_posts", "pages_show_list"}}, Kind: publish.KindPermission, Code: "10"},
			{Name: "count left out", Prep: func(_ *testing.T, s *facebooktest.Server) { s.SetFollowers(-1) }, Kind: publish.KindRejected, Code: "no_followers_count"},
			{Name: "page throttled", Prep: func(_ *testing.T, s *facebooktest.Server) {
				s.Faults.Add(fault.Fault{Status: 429, Code: 32, Reset: 17 * time.Minute})
			}, Kind: publish.KindRateLimited, Code: "32", Reset: t0.Add(17 * time.Minute)},
			{Name: "token expired", Prep: func(_ *testing.T, s *facebooktest.Server) { s.ExpireToken() }, Kind: publish.KindAuth, Code: "190/463"},
		},
	})
}
