package mastodon_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"image"
	"image/png"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/textproto"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"practicepost/app"
	"practicepost/app/insights/collect"
	"practicepost/app/publish"
	"practicepost/app/publish/fault"
	"practicepost/app/publish/internal/publishtest"
	"practicepost/app/publish/mastodon"
	"practicepost/app/publish/mastodon/mastodontest"
)

var t0 = time.Date(2026, 9, 1, 9, 0, 0, 0, time.UTC)

type env struct {
	srv   *mastodontest.Server
	cli   *mastodon.Client
	clock *app.FixedClock
	rec   *publishtest.Recorder
}

func setup(t *testing.T, cfg mastodontest.Config, timeout time.Duration) env {
	t.Helper()
	srv, clock := publishtest.StartFake(t, t0, func(clockNow func() time.Time) *mastodontest.Server { cfg.Now = clockNow; return mastodontest.New(cfg) })
	rec := &publishtest.Recorder{}
	cli := mastodon.NewClient(srv.URL, "masto-token", mastodon.Options{HTTP: publishtest.HTTP(timeout, rec), Clock: clock, PollInterval: time.Millisecond})
	return env{srv: srv, cli: cli, clock: clock, rec: rec}
}

func pngBytes(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewGray(image.Rect(0, 0, 40, 30))); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestOAuthLoopback registers the app for a real loopback listener, plays
// the user in the browser, and exchanges the code with the PKCE verifier.
func TestOAuthLoopback(t *testing.T) {
	e := setup(t, mastodontest.Config{}, 0)
	ctx := context.Background()

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	codes := make(chan url.Values, 1)
	loop := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		codes <- r.URL.Query()
		io.WriteString(w, "You can close this tab.")
	})}
	go loop.Serve(ln)
	t.Cleanup(func() { loop.Close() })
	redirect := "http://" + ln.Addr().String() + "/callback"

	hc := &http.Client{Timeout: 5 * time.Second}
	a, err := mastodon.RegisterApp(ctx, hc, e.srv.URL+"/", "PracticePost", redirect, "https://practicepost.example")
	if err != nil {
		t.Fatal(err)
	}
	apps := e.srv.Apps()
	if len(apps) != 1 || apps[0].RedirectURIs[0] != redirect || strings.Join(apps[0].Scopes, " ") != mastodon.Scopes {
		t.Fatalf("registered %+v", apps)
	}
	if a.ClientID != apps[0].ClientID || a.ClientSecret != apps[0].ClientSecret || a.Instance != e.srv.URL {
		t.Fatalf("app = %+v", a)
	}

	verifier := oauth2.GenerateVerifier()
	authURL, _ := url.Parse(a.AuthCodeURL("st4te", verifier))
	q := authURL.Query()
	sum := sha256.Sum256([]byte(verifier))
	if q.Get("code_challenge_method") != "S256" || q.Get("code_challenge") != base64.RawURLEncoding.EncodeToString(sum[:]) ||
		q.Get("client_id") != a.ClientID || q.Get("redirect_uri") != redirect || q.Get("scope") != mastodon.Scopes || q.Get("response_type") != "code" {
		t.Fatalf("authorize URL %s", authURL)
	}
	if q.Get("client_secret") != "" {
		t.Fatal("secret in the browser URL")
	}

	// The browser: the fake approves and redirects to the loopback listener.
	resp, err := hc.Get(authURL.String())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	got := <-codes
	if got.Get("state") != "st4te" || got.Get("code") == "" {
		t.Fatalf("callback %v", got)
	}

	if _, err := a.Exchange(ctx, hc, got.Get("code"), oauth2.GenerateVerifier()); publish.KindOf(err) != publish.KindAuth {
		t.Fatalf("wrong verifier accepted: %v", err)
	}
	tok, err := a.Exchange(ctx, hc, got.Get("code"), verifier)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Exchange(ctx, hc, got.Get("code"), verifier); publish.KindOf(err) != publish.KindAuth {
		t.Fatalf("code used twice: %v", err)
	}
	acct, err := mastodon.NewClient(e.srv.URL, tok, mastodon.Options{HTTP: hc}).Verify(ctx)
	if err != nil || acct.Handle != "@smiledental@"+strings.TrimPrefix(e.srv.URL, "http://") || acct.Name != "Smile Dental" {
		t.Fatalf("verify = %+v %v", acct, err)
	}

	bad := a
	bad.ClientSecret = "nope"
	pe := publishtest.Err(t, func() error { _, err := bad.Exchange(ctx, hc, "x", verifier); return err }())
	if pe.Kind != publish.KindAuth || pe.Code != "invalid_client" || pe.Status != 401 {
		t.Errorf("bad secret: %+v", pe)
	}
}

func TestRegisterAppRefused(t *testing.T) {
	e := setup(t, mastodontest.Config{}, 0)
	tests := []struct{ name, client, redirect string }{
		{"blank name", "", "http://127.0.0.1:5000/callback"},
		{"relative redirect", "PracticePost", "/callback"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := mastodon.RegisterApp(context.Background(), nil, e.srv.URL, tt.client, tt.redirect, "")
			pe := publishtest.Err(t, err)
			if pe.Kind != publish.KindRejected || pe.Status != 422 || !strings.HasPrefix(pe.PlatformMessage, "Validation failed") {
				t.Errorf("got %+v", pe)
			}
		})
	}
}

// A token limited to reading cannot post: 403 outside the authorized scopes.
func TestNarrowScopeIsPermission(t *testing.T) {
	e := setup(t, mastodontest.Config{}, 0)
	tok := narrowToken(t, e.srv.URL, "read:accounts")
	_, err := mastodon.NewClient(e.srv.URL, tok, mastodon.Options{}).CreatePost(context.Background(), publish.Post{Text: "hi"})
	if pe := publishtest.Err(t, err); pe.Kind != publish.KindPermission || pe.Status != 403 {
		t.Errorf("got %+v", pe)
	}
}

func TestUploadImage(t *testing.T) {
	img := pngBytes(t)
	tests := []struct {
		name     string
		cfg      mastodontest.Config
		data     []byte
		mime     string
		wantGETs int
		kind     publish.Kind
	}{
		{name: "processed at once", data: img, mime: "image/png", wantGETs: 0},
		{name: "202 then 206 then 200", cfg: mastodontest.Config{ProcessingPolls: 3}, data: img, mime: "image/png", wantGETs: 4},
		{name: "not an image", data: []byte("hello, this is text"), mime: "image/png", kind: publish.KindRejected},
		{name: "over the instance limit", cfg: mastodontest.Config{ImageSizeLimit: 20}, data: img, mime: "image/png", kind: publish.KindRejected},
		{name: "empty", data: nil, mime: "image/png", kind: publish.KindRejected},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := setup(t, tt.cfg, 0)
			ref, err := e.cli.UploadImage(context.Background(), publish.Image{Data: tt.data, MIME: tt.mime, Alt: "Dr Shah at reception", Width: 40, Height: 30})
			if tt.kind != "" {
				if pe := publishtest.Err(t, err); pe.Kind != tt.kind {
					t.Errorf("got %+v", pe)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			m, ok := e.srv.Media(ref.ID)
			if !ok || !bytes.Equal(m.Data, tt.data) || m.Description != "Dr Shah at reception" || m.MIME != "image/png" {
				t.Fatalf("fake got %+v", m)
			}
			if n := e.rec.Count("GET", "/api/v1/media/"); n != tt.wantGETs {
				t.Errorf("%d polls, want %d", n, tt.wantGETs)
			}
			if e.rec.Count("POST", "/api/v2/media") != 1 {
				t.Error("not uploaded through /api/v2/media")
			}
		})
	}
}

func TestCreatePost(t *testing.T) {
	img := pngBytes(t)
	tests := []struct {
		name      string
		post      publish.Post
		image     bool
		wantText  string
		scheduled bool
		kind      publish.Kind
	}{
		{name: "text", post: publish.Post{Text: "Open Saturday", Lang: "en"}, wantText: "Open Saturday"},
		{name: "link appended", post: publish.Post{Text: "Meet the team", Link: "https://smile.example/team"}, wantText: "Meet the team\n\nhttps://smile.example/team"},
		{name: "link already in text", post: publish.Post{Text: "See https://smile.example", Link: "https://smile.example"}, wantText: "See https://smile.example"},
		{name: "image", post: publish.Post{Text: "Our new room"}, image: true, wantText: "Our new room"},
		{name: "scheduled", post: publish.Post{Text: "Flu clinic", ScheduledAt: t0.Add(time.Hour)}, wantText: "Flu clinic", scheduled: true},
		{name: "scheduled too soon", post: publish.Post{Text: "Now-ish", ScheduledAt: t0.Add(2 * time.Minute)}, kind: publish.KindRejected},
		{name: "too long", post: publish.Post{Text: strings.Repeat("é", 501)}, kind: publish.KindRejected},
		{name: "long URL counts as 23", post: publish.Post{Text: strings.Repeat("a", 470), Link: "https://smile.example/" + strings.Repeat("x", 100)}, wantText: strings.Repeat("a", 470) + "\n\nhttps://smile.example/" + strings.Repeat("x", 100)},
		{name: "blank", post: publish.Post{Text: "  "}, kind: publish.KindRejected},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := setup(t, mastodontest.Config{}, 0)
			var images []publish.Image
			if tt.image {
				images = append(images, publish.Image{Data: img, MIME: "image/png", Alt: "treatment room"})
			}
			res, err := publishtest.Send(context.Background(), e.cli, tt.post, images...)
			if tt.kind != "" {
				pe := publishtest.Err(t, err)
				if pe.Kind != tt.kind || pe.Status != 422 || pe.PlatformMessage == "" || len(pe.Raw) == 0 {
					t.Errorf("got %+v", pe)
				}
				if len(e.srv.Statuses())+len(e.srv.ScheduledStatuses()) != 0 {
					t.Error("refused post was stored")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var last publishtest.Sent
			for _, s := range e.rec.All() {
				if s.Path == "/api/v1/statuses" {
					last = s
				}
			}
			if last.Header.Get("Idempotency-Key") == "" || last.Header.Get("Authorization") != "Bearer masto-token" {
				t.Errorf("headers %v", last.Header)
			}
			var body map[string]any
			if err := json.Unmarshal(last.Body, &body); err != nil || body["visibility"] != "public" {
				t.Errorf("body %s", last.Body)
			}
			if tt.scheduled {
				sc := e.srv.ScheduledStatuses()
				if len(sc) != 1 || !res.Scheduled || res.ID != "scheduled:"+sc[0].ID || !sc[0].ScheduledAt.Equal(tt.post.ScheduledAt) || sc[0].Text != tt.wantText {
					t.Fatalf("result %+v, fake %+v", res, sc)
				}
				return
			}
			st := e.srv.Statuses()
			if len(st) != 1 || res.ID != st[0].ID || st[0].Text != tt.wantText || res.URL == "" {
				t.Fatalf("result %+v, fake %+v", res, st)
			}
			if tt.image && (len(st[0].MediaIDs) != 1 || st[0].MediaIDs[0] != body["media_ids"].([]any)[0]) {
				t.Errorf("media ids %v", st[0].MediaIDs)
			}
			if tt.post.Lang != "" && st[0].Language != tt.post.Lang {
				t.Errorf("language %q", st[0].Language)
			}
		})
	}
}

func TestIdempotentReplay(t *testing.T) {
	e := setup(t, mastodontest.Config{}, 0)
	ctx := context.Background()
	post := publish.Post{Text: "Same key", Key: "pub-42"}
	first, err := e.cli.CreatePost(ctx, post)
	if err != nil {
		t.Fatal(err)
	}
	again, err := e.cli.CreatePost(ctx, post)
	if err != nil || again.ID != first.ID {
		t.Fatalf("replay = %+v %v, first %s", again, err, first.ID)
	}
	if n := len(e.srv.Statuses()); n != 1 || e.srv.Replays() != 1 {
		t.Fatalf("%d statuses, %d replays", n, e.srv.Replays())
	}
	// Keys are kept for an hour only.
	e.clock.Advance(61 * time.Minute)
	later, err := e.cli.CreatePost(ctx, post)
	if err != nil || later.ID == first.ID || len(e.srv.Statuses()) != 2 {
		t.Errorf("after an hour: %+v %v", later, err)
	}
	// Without a Key the content hash keys the request.
	p := publish.Post{Text: "No key"}
	a, _ := e.cli.CreatePost(ctx, p)
	b, _ := e.cli.CreatePost(ctx, p)
	if a.ID == "" || a.ID != b.ID || mastodon.IdempotencyKey(p) == mastodon.IdempotencyKey(publish.Post{Text: "Other"}) {
		t.Errorf("content key: %q %q", a.ID, b.ID)
	}
}

// The response is lost after the status was created: the error is
// uncertain, and retrying with the same key returns the first status
// instead of a second one. FindPost sees it too.
func TestTimeoutAfterCommit(t *testing.T) {
	for _, loss := range []fault.Loss{fault.Hang, fault.Drop} {
		e := setup(t, mastodontest.Config{}, 300*time.Millisecond)
		ctx := context.Background()
		post := publish.Post{Text: "Half term opening times & more", Link: "https://smile.example/hours?a=1&b=2", Key: "pub-7"}
		e.srv.Faults.Add(fault.Fault{Method: "POST", Path: "/api/v1/statuses", AfterCommit: loss, Times: 1})
		_, err := e.cli.CreatePost(ctx, post)
		pe := publishtest.Err(t, err)
		if !pe.Uncertain || pe.Kind != publish.KindTransient {
			t.Fatalf("loss %d: %+v", loss, pe)
		}
		found, ok, err := e.cli.FindPost(ctx, post, t0)
		if err != nil || !ok || found.ID != e.srv.Statuses()[0].ID {
			t.Fatalf("FindPost = %+v %v %v", found, ok, err)
		}
		res, err := e.cli.CreatePost(ctx, post)
		if err != nil || res.ID != found.ID {
			t.Fatalf("retry = %+v %v", res, err)
		}
		if n := len(e.srv.Statuses()); n != 1 {
			t.Errorf("%d statuses, want exactly one", n)
		}
	}
}

func TestFindPostScheduledAndMissing(t *testing.T) {
	e := setup(t, mastodontest.Config{}, 0)
	ctx := context.Background()
	post := publish.Post{Text: "Later <b>bold</b>", ScheduledAt: t0.Add(time.Hour)}
	res, err := e.cli.CreatePost(ctx, post)
	if err != nil {
		t.Fatal(err)
	}
	found, ok, err := e.cli.FindPost(ctx, post, t0)
	if err != nil || !ok || found.ID != res.ID || !found.Scheduled {
		t.Fatalf("scheduled: %+v %v %v", found, ok, err)
	}
	if _, ok, err := e.cli.FindPost(ctx, publish.Post{Text: "Never sent"}, t0); ok || err != nil {
		t.Errorf("missing post found: %v %v", ok, err)
	}
	// Once the time passes it becomes an ordinary status with a new id.
	e.clock.Advance(2 * time.Hour)
	found, ok, err = e.cli.FindPost(ctx, post, t0)
	if err != nil || !ok || found.Scheduled || found.ID != e.srv.Statuses()[0].ID {
		t.Errorf("after going out: %+v %v %v", found, ok, err)
	}
}

func TestErrors(t *testing.T) {
	tests := []struct {
		name      string
		cfg       mastodontest.Config
		prepare   func(*mastodontest.Server)
		kind      publish.Kind
		status    int
		reset     time.Duration
		uncertain bool
	}{
		{name: "revoked token", prepare: func(s *mastodontest.Server) { s.RevokeToken("masto-token") }, kind: publish.KindAuth, status: 401},
		{name: "429 with reset", prepare: func(s *mastodontest.Server) { s.Faults.Add(fault.Fault{Status: 429, Reset: 7 * time.Minute}) }, kind: publish.KindRateLimited, status: 429, reset: 7 * time.Minute},
		{name: "instance limit reached", cfg: mastodontest.Config{RateLimit: 2}, prepare: func(s *mastodontest.Server) {
			c := mastodon.NewClient(s.URL, "masto-token", mastodon.Options{})
			c.Verify(context.Background())
			c.Verify(context.Background())
		}, kind: publish.KindRateLimited, status: 429, reset: 5 * time.Minute},
		{name: "proxy 502 html", prepare: func(s *mastodontest.Server) { s.Faults.Add(fault.Fault{Status: 502}) }, kind: publish.KindTransient, status: 502, uncertain: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := setup(t, tt.cfg, 0)
			tt.prepare(e.srv)
			_, err := e.cli.CreatePost(context.Background(), publish.Post{Text: "hello"})
			pe := publishtest.Err(t, err)
			if pe.Kind != tt.kind || pe.Status != tt.status || pe.Uncertain != tt.uncertain {
				t.Fatalf("got %+v", pe)
			}
			if tt.reset != 0 && !pe.ResetAt.Equal(t0.Add(tt.reset)) {
				t.Errorf("ResetAt %v, want %v", pe.ResetAt, t0.Add(tt.reset))
			}
			if strings.Contains(pe.Message, "<") {
				t.Errorf("markup in message: %q", pe.Message)
			}
		})
	}
}

func TestDeleteAndMetrics(t *testing.T) {
	e := setup(t, mastodontest.Config{}, 0)
	ctx := context.Background()
	live := publishtest.Post(t, e.cli, "live")
	later, err := e.cli.CreatePost(ctx, publish.Post{Text: "later", ScheduledAt: t0.Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	e.srv.SetCounts(live.ID, 5, 2, 1)
	m, err := e.cli.Metrics(ctx, live.ID)
	if err != nil || m.Reactions != 5 || m.Shares != 2 || m.Comments != 1 || m.Views != nil {
		t.Errorf("metrics %+v %v", m, err)
	}
	if _, err := e.cli.Metrics(ctx, later.ID); publish.KindOf(err) != publish.KindNotFound {
		t.Errorf("metrics of scheduled: %v", err)
	}
	for _, id := range []string{live.ID, later.ID, live.ID, later.ID} {
		if err := e.cli.DeletePost(ctx, id); err != nil {
			t.Errorf("delete %s: %v", id, err)
		}
	}
	if !e.srv.Statuses()[0].Deleted || !e.srv.ScheduledStatuses()[0].Deleted {
		t.Error("not deleted")
	}
	if _, err := e.cli.Metrics(ctx, live.ID); publish.KindOf(err) != publish.KindNotFound {
		t.Errorf("metrics of deleted: %v", err)
	}
}

func TestLimits(t *testing.T) {
	e := setup(t, mastodontest.Config{MaxChars: 1000, ImageSizeLimit: 8 << 20}, 0)
	l, err := e.cli.Limits(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if l.MaxText != 1000 || l.MaxImageBytes != 8<<20 || l.CharsPerURL != 23 || l.MaxImages != 4 || l.ScheduleMin != 5*time.Minute || !l.IdempotencyKey {
		t.Errorf("limits %+v", l)
	}
	for _, m := range l.ImageMIMEs {
		if !strings.HasPrefix(m, "image/") {
			t.Errorf("non-image MIME %s", m)
		}
	}
	if _, err := e.cli.Limits(context.Background()); err != nil || e.rec.Count("GET", "/api/v2/instance") != 1 {
		t.Error("limits not cached")
	}
}

// Attaching media that is still processing is refused with 422; that is
// worth retrying shortly, not a content problem.
func TestAttachWhileProcessingIsTransient(t *testing.T) {
	e := setup(t, mastodontest.Config{ProcessingPolls: 2}, 0)
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="file"; filename="a.png"`)
	h.Set("Content-Type", "image/png")
	part, _ := mw.CreatePart(h)
	part.Write(pngBytes(t))
	mw.Close()
	req, _ := http.NewRequest("POST", e.srv.URL+"/api/v2/media", &buf)
	req.Header.Set("Authorization", "Bearer masto-token")
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		ID  string
		URL *string
	}
	json.NewDecoder(resp.Body).Decode(&m)
	resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted || m.URL != nil {
		t.Fatalf("upload: %d url=%v", resp.StatusCode, m.URL)
	}
	_, err = e.cli.CreatePost(context.Background(), publish.Post{Text: "too early", Media: []publish.MediaRef{{ID: m.ID}}})
	pe := publishtest.Err(t, err)
	if pe.Kind != publish.KindTransient || pe.Status != 422 || pe.Uncertain || len(e.srv.Statuses()) != 0 {
		t.Errorf("got %+v", pe)
	}
}

// The collector reads followers from any connector that can give them.
var _ collect.FollowerCounter = (*mastodon.Client)(nil)

// TestFollowers is the account's follower count (verify_credentials)
// against the fake instance, and the ways it is not given: a token
// without read:accounts (403: no count this time, the collector goes on),
// a 429 (the channel waits for X-RateLimit-Reset) and a revoked token
// (reconnect). A case's config is the one scope its token is signed in
// with ("": the full set the connector asks for).
func TestFollowers(t *testing.T) {
	publishtest.Followers(t, publishtest.FollowersRig[string, *mastodontest.Server]{
		Want: 431,
		Start: func(t *testing.T, scope string) (publishtest.FollowerCounter, *mastodontest.Server) {
			e := setup(t, mastodontest.Config{}, 0)
			e.srv.SetFollowers(431)
			if scope != "" {
				return mastodon.NewClient(e.srv.URL, narrowToken(t, e.srv.URL, scope), mastodon.Options{}), e.srv
			}
			return e.cli, e.srv
		},
		Cases: []publishtest.FollowersCase[string, *mastodontest.Server]{
			{Name: "missing permission", Config: "write:statuses", Kind: publish.KindPermission, Status: http.StatusForbidden},
			{Name: "429 with reset", Prep: func(_ *testing.T, s *mastodontest.Server) {
				s.Faults.Add(fault.Fault{Status: 429, Reset: 7 * time.Minute, Times: 1})
			}, Kind: publish.KindRateLimited, Reset: t0.Add(7 * time.Minute)},
			{Name: "revoked token", Prep: func(_ *testing.T, s *mastodontest.Server) { s.RevokeToken("masto-token") }, Kind: publish.KindAuth, Status: http.StatusUnauthorized},
		},
	})
}

// narrowToken signs in through the fake's OAuth flow asking for scope only.
func narrowToken(t *testing.T, base, scope string) string {
	t.Helper()
	ctx := context.Background()
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	a, err := mastodon.RegisterApp(ctx, nil, base, "PracticePost", "urn:ietf:wg:oauth:2.0:oob", "")
	if err != nil {
		t.Fatal(err)
	}
	verifier := oauth2.GenerateVerifier()
	u := strings.Replace(a.AuthCodeURL("s", verifier), url.QueryEscape(mastodon.Scopes), url.QueryEscape(scope), 1)
	resp, err := noRedirect.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, _ := url.Parse(resp.Header.Get("Location"))
	tok, err := a.Exchange(ctx, nil, loc.Query().Get("code"), verifier)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}
