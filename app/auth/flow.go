package auth

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net"
	"net/http"
	"regexp"
	"strconv"
	"sync"
	"time"

	"golang.org/x/oauth2"

	"practicepost/app"
)

// Sentinels for errors.Is on errors returned by Flow.Run.
var (
	ErrAccessDenied  = errors.New("auth: user denied access")
	ErrSignInTimeout = errors.New("auth: sign-in timed out")
)

// DefaultSignInTimeout bounds how long Run waits for the user.
const DefaultSignInTimeout = 5 * time.Minute

// Flow is one browser sign-in: OAuth 2.0 authorization code with PKCE
// (S256) and a loopback redirect, as RFC 8252 prescribes for native apps.
// It only ever listens on 127.0.0.1.
type Flow struct {
	// Config names the provider's endpoints, client id and scopes.
	// RedirectURL is ignored: Run sets it to the loopback listener.
	Config *oauth2.Config
	// Provider is the display name used in messages ("X").
	Provider string
	// OpenBrowser opens url in the system browser (Wails:
	// runtime.BrowserOpenURL). Never an embedded webview (RFC 8252 §8.12).
	OpenBrowser func(url string) error
	// Port is 0 for any free port, or the fixed port registered with
	// providers that require an exact redirect URI (X, LinkedIn).
	Port int
	// Path of the redirect; default "/callback".
	Path string
	// Timeout for the whole sign-in; default DefaultSignInTimeout.
	Timeout time.Duration
	// AuthOptions are extra authorize parameters (oauth2.AccessTypeOffline
	// for Google).
	AuthOptions []oauth2.AuthCodeOption
	// Prepare, when set, runs once the redirect URI is known and before
	// the browser opens; Mastodon registers its app per instance here and
	// fills in cfg.ClientID/ClientSecret.
	Prepare func(ctx context.Context, redirectURI string, cfg *oauth2.Config) error
}

type callbackResult struct {
	code string
	err  error
}

var errCodeRe = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,64}$`)

// Run performs the sign-in and returns the provider's token. The context
// may carry oauth2.HTTPClient for the code exchange.
func (f *Flow) Run(ctx context.Context) (*oauth2.Token, error) {
	timeout := f.Timeout
	if timeout <= 0 {
		timeout = DefaultSignInTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if _, ok := ctx.Value(oauth2.HTTPClient).(*http.Client); !ok {
		ctx = context.WithValue(ctx, oauth2.HTTPClient, &http.Client{Timeout: httpTimeout})
	}

	ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(f.Port)))
	if err != nil {
		msg := fmt.Sprintf("PracticePost couldn't start signing in to %s. Restart PracticePost and try again.", f.Provider)
		if f.Port != 0 {
			msg = fmt.Sprintf("PracticePost needs port %d on this computer to sign in to %s, but another program is using it. Close any other PracticePost window (or the program using that port) and try again.", f.Port, f.Provider)
		}
		return nil, &app.Error{Code: app.EUNAVAILABLE, Message: msg, Err: err}
	}
	port := ln.Addr().(*net.TCPAddr).Port
	path := f.Path
	if path == "" {
		path = "/callback"
	}
	host := "127.0.0.1:" + strconv.Itoa(port)
	redirect := "http://" + host + path

	cfg := *f.Config
	cfg.RedirectURL = redirect
	if f.Prepare != nil {
		if err := f.Prepare(ctx, redirect, &cfg); err != nil {
			ln.Close()
			return nil, err
		}
	}

	var stateBytes [32]byte
	rand.Read(stateBytes[:])
	state := base64.RawURLEncoding.EncodeToString(stateBytes[:])
	verifier := oauth2.GenerateVerifier()
	opts := append([]oauth2.AuthCodeOption{oauth2.S256ChallengeOption(verifier)}, f.AuthOptions...)
	authURL := cfg.AuthCodeURL(state, opts...)

	results := make(chan callbackResult, 1)
	var once sync.Once
	mux := http.NewServeMux()
	mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
		// Another site can make the browser request our port by name
		// (DNS rebinding); only the exact loopback host is served.
		if r.Host != host {
			http.Error(w, "wrong host", http.StatusBadRequest)
			return
		}
		if r.Method != http.MethodGet {
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		// A reply without this sign-in's state is someone else's (a forged
		// link, an old tab): answer 400 and keep waiting for the real one,
		// so a stray request can neither finish nor abort the sign-in.
		if subtle.ConstantTimeCompare([]byte(r.URL.Query().Get("state")), []byte(state)) != 1 {
			slog.Warn("auth: sign-in reply with the wrong state ignored", "provider", f.Provider)
			writePage(w, http.StatusBadRequest, "Not this sign-in", fmt.Sprintf("This reply doesn't belong to the sign-in PracticePost is waiting for, so it was ignored for your safety. If you are connecting %s, finish in the browser tab PracticePost opened.", f.Provider))
			return
		}
		res := f.parseCallback(r)
		delivered := false
		once.Do(func() { results <- res; delivered = true })
		if !delivered {
			writePage(w, http.StatusConflict, "Already finished", "This sign-in has already finished. You can close this tab and return to PracticePost.")
			return
		}
		if res.err != nil {
			writePage(w, http.StatusOK, "Not connected", app.ErrorMessage(res.err)+" You can close this tab and return to PracticePost.")
			return
		}
		writePage(w, http.StatusOK, "Connected", fmt.Sprintf("PracticePost is now connected to %s. You can close this tab and return to PracticePost.", f.Provider))
	})
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	var shutOnce sync.Once
	shutdown := func() {
		shutOnce.Do(func() {
			// Let the reply page finish, but never hang on a stuck client.
			sctx, scancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
			defer scancel()
			if srv.Shutdown(sctx) != nil {
				srv.Close()
			}
		})
	}
	defer shutdown()

	if err := f.OpenBrowser(authURL); err != nil {
		return nil, &app.Error{Code: app.EUNAVAILABLE, Message: fmt.Sprintf("PracticePost couldn't open your web browser to sign in to %s. Check that a default browser is set up on this computer, then try again.", f.Provider), Err: err}
	}

	var res callbackResult
	select {
	case res = <-results:
	case <-ctx.Done():
		return nil, f.waitErr(ctx, timeout)
	}
	shutdown()
	if res.err != nil {
		return nil, res.err
	}

	tok, err := cfg.Exchange(ctx, res.code, oauth2.VerifierOption(verifier))
	if err != nil {
		return nil, f.exchangeErr(ctx, timeout, err)
	}
	return tok, nil
}

// parseCallback reads a reply whose state has been checked.
func (f *Flow) parseCallback(r *http.Request) callbackResult {
	q := r.URL.Query()
	if e := q.Get("error"); e != "" {
		return callbackResult{err: f.providerErr(e, q.Get("error_description"))}
	}
	code := q.Get("code")
	if code == "" {
		return callbackResult{err: &app.Error{Code: app.EINVALID, Err: errors.New("auth: callback without code"),
			Message: fmt.Sprintf("%s sent PracticePost back without a sign-in code. Click Connect to try again.", f.Provider)}}
	}
	return callbackResult{code: code}
}

// providerErr turns an RFC 6749 §4.1.2.1 error redirect into words.
func (f *Flow) providerErr(code, desc string) error {
	cause := fmt.Errorf("auth: authorize error %q: %q", code, desc)
	switch code {
	case "access_denied":
		return &app.Error{Code: app.EFORBIDDEN, Err: fmt.Errorf("%w: %w", ErrAccessDenied, cause),
			Message: fmt.Sprintf("You chose not to let PracticePost use your %s account, so nothing was connected. Click Connect again if you change your mind.", f.Provider)}
	case "temporarily_unavailable", "server_error":
		return &app.Error{Code: app.EUNAVAILABLE, Err: cause,
			Message: fmt.Sprintf("%s's sign-in service is having problems right now. Try again in a few minutes.", f.Provider)}
	}
	if !errCodeRe.MatchString(code) {
		code = "unknown"
	}
	return &app.Error{Code: app.EINTERNAL, Err: cause,
		Message: fmt.Sprintf("%s couldn't complete the sign-in (it reported %q). Try again; if it keeps happening, use “Save log for support” in Settings → Activity and send the file to support.", f.Provider, code)}
}

func (f *Flow) waitErr(ctx context.Context, timeout time.Duration) error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return &app.Error{Code: app.EUNAVAILABLE, Err: fmt.Errorf("%w: %w", ErrSignInTimeout, ctx.Err()),
			Message: fmt.Sprintf("PracticePost waited %s for you to finish signing in to %s and then stopped. Click Connect to try again.", humanDuration(timeout), f.Provider)}
	}
	return &app.Error{Code: app.EUNAVAILABLE, Err: ctx.Err(), Message: fmt.Sprintf("Signing in to %s was cancelled.", f.Provider)}
}

func (f *Flow) exchangeErr(ctx context.Context, timeout time.Duration, err error) error {
	if ctx.Err() != nil {
		return f.waitErr(ctx, timeout)
	}
	safe := sanitize(err)
	slog.Warn("auth: code exchange failed", "provider", f.Provider, "reason", safe.Error())
	if permanent, _ := classify(err); permanent {
		return &app.Error{Code: app.EFORBIDDEN, Err: safe,
			Message: fmt.Sprintf("%s didn't accept the sign-in. Click Connect to try again; if it keeps happening, use “Save log for support” in Settings → Activity and send the file to support.", f.Provider)}
	}
	return &app.Error{Code: app.EUNAVAILABLE, Err: safe,
		Message: fmt.Sprintf("%s's sign-in service isn't answering right now. Check your internet connection and try again in a few minutes.", f.Provider)}
}

func humanDuration(d time.Duration) string {
	if d >= time.Minute && d%time.Minute == 0 {
		if d == time.Minute {
			return "1 minute"
		}
		return fmt.Sprintf("%d minutes", d/time.Minute)
	}
	if d < time.Second {
		return d.String()
	}
	return d.Round(time.Second).String()
}

var pageTmpl = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>PracticePost – {{.Title}}</title>
<style>body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;background:#f6f7f9;color:#1f2933;display:flex;min-height:100vh;margin:0;align-items:center;justify-content:center}
main{background:#fff;border-radius:12px;box-shadow:0 2px 12px rgba(0,0,0,.08);padding:2rem 2.5rem;max-width:32rem}h1{font-size:1.4rem;margin:0 0 .75rem}p{line-height:1.5;margin:0}</style>
</head><body><main><h1>{{.Title}}</h1><p>{{.Message}}</p></main></body></html>
`))

func writePage(w http.ResponseWriter, status int, title, msg string) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	// The URL holds the one-time code; keep it out of Referer headers.
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	w.WriteHeader(status)
	pageTmpl.Execute(w, struct{ Title, Message string }{title, msg})
}
