package auth

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"practicepost/app"
	"practicepost/app/auth/authfake"
	"practicepost/app/internal/loopback"
)

func newFlow(srv *authfake.Server, b *authfake.Browser) *Flow {
	return &Flow{Config: srv.Config("tweet.read", "tweet.write", "offline.access"), Provider: "X", OpenBrowser: b.Open, Timeout: 10 * time.Second}
}

func waitPage(t *testing.T, b *authfake.Browser) authfake.Page {
	t.Helper()
	p, ok := b.Wait(5 * time.Second)
	if !ok {
		t.Fatal("browser never finished loading")
	}
	return p
}

// callbackURL builds a hand-made redirect to the app's listener.
func callbackURL(authURL string, q url.Values) string {
	return authfake.Param(authURL, "redirect_uri") + "?" + q.Encode()
}

func TestFlowHappyPath(t *testing.T) {
	srv := authfake.New()
	defer srv.Close()
	b := authfake.NewBrowser()
	f := newFlow(srv, b)
	f.AuthOptions = []oauth2.AuthCodeOption{oauth2.AccessTypeOffline}

	tok, err := f.Run(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if tok.AccessToken == "" || tok.RefreshToken == "" || tok.Expiry.IsZero() {
		t.Fatalf("incomplete token: access=%t refresh=%t expiry=%v", tok.AccessToken != "", tok.RefreshToken != "", tok.Expiry)
	}
	saved := TokenFromOAuth2(tok, "1001", f.Config.Scopes)
	if !saved.HasScope("offline.access") {
		t.Fatalf("scopes %v", saved.Scopes)
	}

	page := waitPage(t, b)
	if page.Err != nil || page.Status != 200 || !strings.Contains(page.Body, "You can close this tab and return to PracticePost") {
		t.Fatalf("final page: %d %v %q", page.Status, page.Err, page.Body)
	}

	authURL := b.URLs()[0]
	if !strings.HasPrefix(authURL, srv.URL+"/authorize?") {
		t.Fatalf("opened %q", authURL)
	}
	state := authfake.Param(authURL, "state")
	if len(state) != 43 || strings.ContainsAny(state, "+/=") {
		t.Fatalf("state %q is not 32 bytes of base64url", state)
	}
	if authfake.Param(authURL, "code_challenge_method") != "S256" || len(authfake.Param(authURL, "code_challenge")) != 43 {
		t.Fatal("no S256 PKCE challenge")
	}
	if authfake.Param(authURL, "access_type") != "offline" {
		t.Fatal("AuthOptions not applied")
	}
	redirect, err := url.Parse(authfake.Param(authURL, "redirect_uri"))
	if err != nil || redirect.Scheme != "http" || redirect.Hostname() != "127.0.0.1" || redirect.Path != "/callback" || redirect.Port() == "0" {
		t.Fatalf("redirect_uri %q", redirect)
	}
	if ex, _ := srv.Counts(); ex != 1 {
		t.Fatalf("exchanges = %d", ex)
	}
	// The listener is gone once Run returns.
	if resp, err := http.Get(redirect.String()); err == nil {
		resp.Body.Close()
		t.Fatal("loopback listener still answering after Run")
	}
}

func TestFlowIgnoresStrayRequests(t *testing.T) {
	srv := authfake.New()
	defer srv.Close()
	b := authfake.NewBrowser()
	stray := make(chan []int, 1)
	b.Before = func(authURL string) {
		redirect := authfake.Param(authURL, "redirect_uri")
		base := strings.TrimSuffix(redirect, "/callback")
		var codes []int
		if resp, err := http.Get(base + "/favicon.ico"); err == nil {
			codes = append(codes, resp.StatusCode)
			resp.Body.Close()
		}
		// A page on another site, reaching our port through a rebound DNS name.
		req, _ := http.NewRequest("GET", redirect+"?code=x&state="+authfake.Param(authURL, "state"), nil)
		req.Host = "evil.example:80"
		if resp, err := http.DefaultClient.Do(req); err == nil {
			codes = append(codes, resp.StatusCode)
			resp.Body.Close()
		}
		if resp, err := http.Post(redirect, "text/plain", nil); err == nil {
			codes = append(codes, resp.StatusCode)
			resp.Body.Close()
		}
		stray <- codes
	}
	if _, err := newFlow(srv, b).Run(t.Context()); err != nil {
		t.Fatalf("stray requests ended the flow: %v", err)
	}
	if got := fmt.Sprint(<-stray); got != "[404 400 405]" {
		t.Fatalf("stray request statuses %s", got)
	}
	waitPage(t, b)
}

func TestFlowFailures(t *testing.T) {
	tests := []struct {
		name     string
		setup    func(srv *authfake.Server, b *authfake.Browser)
		flow     func(f *Flow)
		ctx      func(t *testing.T) context.Context
		sentinel error
		code     string
		msg      string // part of the user message
		page     string // part of the browser page; "" = no page expected
		exchange int
	}{
		{name: "user denied",
			setup:    func(srv *authfake.Server, _ *authfake.Browser) { srv.Deny = true },
			sentinel: ErrAccessDenied, code: app.EFORBIDDEN, msg: "You chose not to let PracticePost use your X account", page: "close this tab"},
		{name: "no code",
			setup: func(_ *authfake.Server, b *authfake.Browser) {
				b.Rewrite = func(u string) string {
					return callbackURL(u, url.Values{"state": {authfake.Param(u, "state")}})
				}
			},
			code: app.EINVALID, msg: "without a sign-in code", page: "without a sign-in code"},
		{name: "provider error invalid_scope",
			setup: func(_ *authfake.Server, b *authfake.Browser) {
				b.Rewrite = func(u string) string {
					return callbackURL(u, url.Values{"state": {authfake.Param(u, "state")}, "error": {"invalid_scope"}, "error_description": {"<script>alert(1)</script>"}})
				}
			},
			code: app.EINTERNAL, msg: `reported "invalid_scope"`, page: "invalid_scope"},
		{name: "provider server_error",
			setup: func(_ *authfake.Server, b *authfake.Browser) {
				b.Rewrite = func(u string) string {
					return callbackURL(u, url.Values{"state": {authfake.Param(u, "state")}, "error": {"server_error"}})
				}
			},
			code: app.EUNAVAILABLE, msg: "having problems", page: "having problems"},
		{name: "token endpoint invalid_grant",
			setup: func(srv *authfake.Server, _ *authfake.Browser) {
				srv.FailNext(authfake.Failure{Status: 400, Error: "invalid_grant"})
			},
			code: app.EFORBIDDEN, msg: "didn't accept the sign-in", page: "now connected", exchange: 1},
		{name: "token endpoint wrong client secret",
			flow: func(f *Flow) { f.Config.ClientSecret = "stale-secret" },
			code: app.EFORBIDDEN, msg: "didn't accept", page: "now connected", exchange: 1},
		{name: "token endpoint 503",
			setup: func(srv *authfake.Server, _ *authfake.Browser) { srv.FailNext(authfake.Failure{Status: 503}) },
			code:  app.EUNAVAILABLE, msg: "isn't answering", page: "now connected", exchange: 1},
		{name: "token endpoint connection dropped",
			setup: func(srv *authfake.Server, _ *authfake.Browser) { srv.FailNext(authfake.Failure{Drop: true}) },
			code:  app.EUNAVAILABLE, msg: "isn't answering", page: "now connected", exchange: 1},
		{name: "timeout via context",
			setup: func(_ *authfake.Server, b *authfake.Browser) { b.Skip = true },
			ctx: func(t *testing.T) context.Context {
				ctx, cancel := context.WithTimeout(t.Context(), 150*time.Millisecond)
				t.Cleanup(cancel)
				return ctx
			},
			sentinel: ErrSignInTimeout, code: app.EUNAVAILABLE, msg: "Click Connect to try again"},
		{name: "cancelled while user is on the provider page",
			ctx:      func(t *testing.T) context.Context { return t.Context() }, // replaced below
			sentinel: context.Canceled, code: app.EUNAVAILABLE, msg: "cancelled"},
		{name: "browser cannot open",
			setup: func(_ *authfake.Server, b *authfake.Browser) { b.Err = errors.New("xdg-open: not found") },
			code:  app.EUNAVAILABLE, msg: "couldn't open your web browser"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := authfake.New()
			defer srv.Close()
			b := authfake.NewBrowser()
			if tt.setup != nil {
				tt.setup(srv, b)
			}
			ctx := t.Context()
			if tt.ctx != nil {
				ctx = tt.ctx(t)
			}
			if tt.sentinel == context.Canceled {
				var cancel context.CancelFunc
				ctx, cancel = context.WithCancel(ctx)
				b.Rewrite = func(u string) string { cancel(); time.Sleep(50 * time.Millisecond); return u }
			}
			f := newFlow(srv, b)
			if tt.flow != nil {
				tt.flow(f)
			}
			tok, err := f.Run(ctx)
			if err == nil {
				t.Fatalf("no error; token %v", tok != nil)
			}
			if tt.sentinel != nil && !errors.Is(err, tt.sentinel) {
				t.Fatalf("err %v, want %v", err, tt.sentinel)
			}
			if app.ErrorCode(err) != tt.code || !strings.Contains(app.ErrorMessage(err), tt.msg) {
				t.Fatalf("code %q message %q", app.ErrorCode(err), app.ErrorMessage(err))
			}
			if ex, _ := srv.Counts(); ex != tt.exchange {
				t.Fatalf("exchanges = %d, want %d", ex, tt.exchange)
			}
			if tt.page != "" {
				p := waitPage(t, b)
				if p.Err != nil || !strings.Contains(p.Body, tt.page) || strings.Contains(p.Body, "<script>") {
					t.Fatalf("page %v %q", p.Err, p.Body)
				}
			}
			if len(b.URLs()) == 1 {
				redirect := authfake.Param(b.URLs()[0], "redirect_uri")
				if resp, err := http.Get(redirect); err == nil {
					resp.Body.Close()
					t.Fatal("listener still open after failure")
				}
			}
		})
	}
}

func TestFlowTimeoutField(t *testing.T) {
	srv := authfake.New()
	defer srv.Close()
	b := authfake.NewBrowser()
	b.Skip = true
	f := newFlow(srv, b)
	f.Timeout = 100 * time.Millisecond
	_, err := f.Run(t.Context())
	if !errors.Is(err, ErrSignInTimeout) || !strings.Contains(app.ErrorMessage(err), "waited 100ms") {
		t.Fatalf("err %v", err)
	}
	if got := humanDuration(DefaultSignInTimeout); got != "5 minutes" {
		t.Fatalf("humanDuration = %q", got)
	}
}

func TestFlowFixedPort(t *testing.T) {
	srv := authfake.New()
	defer srv.Close()
	port := loopback.FreePort(t)
	b := authfake.NewBrowser()
	f := newFlow(srv, b)
	f.Port, f.Path = port, "/oauth/x"
	if _, err := f.Run(t.Context()); err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("http://127.0.0.1:%d/oauth/x", port)
	if got := srv.RedirectURIs(); len(got) != 1 || got[0] != want {
		t.Fatalf("redirect URIs %v, want %s", got, want)
	}
	waitPage(t, b)

	// Port taken by another program.
	ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	_, err = f.Run(t.Context())
	if app.ErrorCode(err) != app.EUNAVAILABLE || !strings.Contains(app.ErrorMessage(err), fmt.Sprintf("port %d", port)) {
		t.Fatalf("busy port: %v", err)
	}
}

func TestFlowPrepareRegistersClient(t *testing.T) {
	srv := authfake.New()
	defer srv.Close()
	srv.ClientID, srv.ClientSecret = "registered-at-runtime", "masto-secret"
	b := authfake.NewBrowser()
	f := newFlow(srv, b)
	f.Config = &oauth2.Config{Endpoint: srv.Endpoint(), Scopes: []string{"write:statuses"}}
	var seen string
	f.Prepare = func(_ context.Context, redirectURI string, cfg *oauth2.Config) error {
		seen = redirectURI
		cfg.ClientID, cfg.ClientSecret = "registered-at-runtime", "masto-secret"
		return nil
	}
	if _, err := f.Run(t.Context()); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(seen, "http://127.0.0.1:") || f.Config.ClientID != "" || f.Config.RedirectURL != "" {
		t.Fatalf("Prepare saw %q; caller's config mutated: %+v", seen, f.Config.ClientID)
	}
	waitPage(t, b)

	f.Prepare = func(context.Context, string, *oauth2.Config) error {
		return app.Errorf(app.EUNAVAILABLE, "instance down")
	}
	if _, err := f.Run(t.Context()); app.ErrorMessage(err) != "instance down" {
		t.Fatalf("Prepare error not returned: %v", err)
	}
}

// TestFlowThenTokenSource is the whole life of a connection: sign in, save,
// refresh with rotation after the access token expires.
func TestFlowThenTokenSource(t *testing.T) {
	srv := authfake.New()
	defer srv.Close()
	srv.Rotate = true
	b := authfake.NewBrowser()
	f := newFlow(srv, b)
	otok, err := f.Run(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	waitPage(t, b)
	store := NewMemoryStore()
	key := ChannelKey("x", "1001")
	if err := SaveToken(store, key, TokenFromOAuth2(otok, "1001", f.Config.Scopes)); err != nil {
		t.Fatal(err)
	}
	clock := &app.FixedClock{T: time.Now().UTC()}
	ts, err := OpenTokenSource(t.Context(), "X", f.Config, store, key, clock)
	if err != nil {
		t.Fatal(err)
	}
	clock.Advance(2 * time.Hour)
	got, err := ts.Token()
	if err != nil || got.AccessToken == otok.AccessToken {
		t.Fatalf("refresh after sign-in: %v", err)
	}
	saved, _ := LoadToken(store, key)
	if saved.RefreshToken == otok.RefreshToken || !srv.RefreshValid(saved.RefreshToken) {
		t.Fatal("rotated refresh token not the one saved")
	}
}

// A request to the loopback without this sign-in's state (a forged link, a
// page guessing the port, an old tab) is answered 400 and changes nothing:
// the real reply that follows still connects.
func TestFlowWrongStateAnswered400AndSignInKeepsWaiting(t *testing.T) {
	srv := authfake.New()
	defer srv.Close()
	b := authfake.NewBrowser()
	forged := make(chan []string, 1)
	b.Before = func(authURL string) {
		var got []string
		for _, q := range []url.Values{
			{"code": {"attacker-code"}, "state": {"not-the-state"}},
			{"code": {"attacker-code"}},
			{"error": {"access_denied"}, "state": {"not-the-state"}},
			{"code": {"attacker-code"}, "state": {authfake.Param(authURL, "state") + "x"}},
		} {
			resp, err := http.Get(callbackURL(authURL, q))
			if err != nil {
				got = append(got, err.Error())
				continue
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			got = append(got, fmt.Sprintf("%d %t", resp.StatusCode, strings.Contains(string(body), "ignored for your safety")))
		}
		forged <- got
	}
	tok, err := newFlow(srv, b).Run(t.Context())
	if err != nil || tok.AccessToken == "" {
		t.Fatalf("the real sign-in after forged replies: %v", err)
	}
	if got := fmt.Sprint(<-forged); got != "[400 true 400 true 400 true 400 true]" {
		t.Fatalf("forged replies answered %s", got)
	}
	if p := waitPage(t, b); p.Status != 200 || !strings.Contains(p.Body, "now connected") {
		t.Fatalf("real reply page: %d %q", p.Status, p.Body)
	}
	if ex, _ := srv.Counts(); ex != 1 {
		t.Fatalf("exchanges = %d: a forged code was exchanged", ex)
	}
}

// A reply that only ever comes back with the wrong state never connects:
// the sign-in waits, then times out as usual.
func TestFlowOnlyWrongStateTimesOut(t *testing.T) {
	srv := authfake.New()
	defer srv.Close()
	srv.TamperState = true
	b := authfake.NewBrowser()
	f := newFlow(srv, b)
	f.Timeout = 300 * time.Millisecond
	_, err := f.Run(t.Context())
	if !errors.Is(err, ErrSignInTimeout) {
		t.Fatalf("err %v", err)
	}
	if p := waitPage(t, b); p.Status != 400 || !strings.Contains(p.Body, "ignored for your safety") {
		t.Fatalf("tampered reply page: %d %q", p.Status, p.Body)
	}
	if ex, _ := srv.Counts(); ex != 0 {
		t.Fatalf("exchanges = %d", ex)
	}
}
