// Package authfake is an OAuth 2.0 authorization server (authorize + token
// endpoints, PKCE S256, refresh-token rotation) and a scripted "browser",
// for tests of the sign-in flow and of token refresh. Used only from tests.
//
// It follows RFC 6749 / RFC 7636 error shapes: authorize errors are
// redirected back as ?error=...&state=...; token errors are JSON
// {"error","error_description"} with 400 (401 for client authentication).
package authfake

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"sync"
	"time"

	"golang.org/x/oauth2"
)

// Failure scripts one failing answer from the token endpoint.
type Failure struct {
	Status     int    // HTTP status, e.g. 400, 429, 503
	Error      string // RFC 6749 error code; empty sends a non-JSON body
	RetryAfter int    // seconds, sent as Retry-After when > 0
	Drop       bool   // close the connection without answering (network error)
}

type grant struct {
	challenge, redirect, scope string
}

// Server is the fake provider. Set the exported knobs before use.
type Server struct {
	*httptest.Server
	ClientID     string
	ClientSecret string // empty: public client, no secret accepted

	// Deny makes /authorize send the user back with error=access_denied.
	Deny bool
	// TamperState makes /authorize return a state other than the one sent.
	TamperState bool
	// Rotate makes every refresh issue a new refresh token and retire the
	// old one (single-use refresh tokens).
	Rotate bool
	// NoRefresh issues no refresh token (Mastodon-style).
	NoRefresh bool
	// ExpiresIn is the access token lifetime in seconds; 0 omits expires_in.
	ExpiresIn int
	// GrantedScope, when set, is returned as "scope" instead of the request's.
	GrantedScope string
	// TokenDelay is slept before each token answer so tests can overlap
	// concurrent refreshes.
	TokenDelay time.Duration
	// AccessToken, when set, is the access token every grant issues, so a
	// platform fake that accepts one fixed token can sit behind this
	// server. Refresh tokens stay unique (and rotate with Rotate).
	AccessToken string

	mu            sync.Mutex
	grants        map[string]grant
	refresh       map[string]bool
	failures      []Failure
	exchanges     int
	refreshes     int
	lastRedirects []string
	n             int
}

// New starts a fake provider; it is closed with t.Cleanup by the caller
// (srv.Close).
func New() *Server {
	s := &Server{ClientID: "practicepost-test", ExpiresIn: 3600, grants: map[string]grant{}, refresh: map[string]bool{}}
	mux := http.NewServeMux()
	mux.HandleFunc("/authorize", s.authorize)
	mux.HandleFunc("/token", s.token)
	s.Server = httptest.NewServer(mux)
	return s
}

// Endpoint returns the provider's endpoints.
func (s *Server) Endpoint() oauth2.Endpoint {
	return oauth2.Endpoint{AuthURL: s.URL + "/authorize", TokenURL: s.URL + "/token", AuthStyle: oauth2.AuthStyleInParams}
}

// Config is an oauth2.Config for this provider's test client.
func (s *Server) Config(scopes ...string) *oauth2.Config {
	return &oauth2.Config{ClientID: s.ClientID, ClientSecret: s.ClientSecret, Endpoint: s.Endpoint(), Scopes: scopes}
}

// FailNext queues failures answered by the next token requests, in order.
func (s *Server) FailNext(f ...Failure) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failures = append(s.failures, f...)
}

// IssueRefreshToken creates a valid refresh token, as if from an earlier
// sign-in.
func (s *Server) IssueRefreshToken() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	rt := s.newID("rt")
	s.refresh[rt] = true
	return rt
}

// Revoke invalidates a refresh token (the user removed the app).
func (s *Server) Revoke(rt string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.refresh, rt)
}

// RefreshValid reports whether rt would still be accepted.
func (s *Server) RefreshValid(rt string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.refresh[rt]
}

// Counts returns how many code exchanges and refreshes succeeded or were
// attempted (failures included).
func (s *Server) Counts() (exchanges, refreshes int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.exchanges, s.refreshes
}

// RedirectURIs lists the redirect_uri of every authorize request.
func (s *Server) RedirectURIs() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.lastRedirects...)
}

// newID: caller holds mu.
func (s *Server) newID(prefix string) string {
	s.n++
	b := make([]byte, 12)
	rand.Read(b)
	return fmt.Sprintf("%s-%d-%s", prefix, s.n, base64.RawURLEncoding.EncodeToString(b))
}

func loopbackRedirect(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "http" || u.Port() == "" {
		return false
	}
	ip := net.ParseIP(u.Hostname())
	return ip != nil && ip.IsLoopback()
}

func (s *Server) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	redirect := q.Get("redirect_uri")
	s.mu.Lock()
	s.lastRedirects = append(s.lastRedirects, redirect)
	s.mu.Unlock()
	// RFC 6749 §4.1.2.1: bad client or redirect is shown, never redirected.
	if q.Get("client_id") != s.ClientID {
		http.Error(w, "unknown client_id", http.StatusBadRequest)
		return
	}
	if !loopbackRedirect(redirect) {
		http.Error(w, "redirect_uri must be a loopback http URL with a port", http.StatusBadRequest)
		return
	}
	back := func(v url.Values) {
		v.Set("state", q.Get("state"))
		if s.TamperState {
			v.Set("state", "forged-"+q.Get("state"))
		}
		http.Redirect(w, r, redirect+"?"+v.Encode(), http.StatusFound)
	}
	switch {
	case q.Get("response_type") != "code":
		back(url.Values{"error": {"unsupported_response_type"}})
	case q.Get("code_challenge") == "" || q.Get("code_challenge_method") != "S256":
		back(url.Values{"error": {"invalid_request"}, "error_description": {"PKCE S256 required"}})
	case s.Deny:
		back(url.Values{"error": {"access_denied"}, "error_description": {"The user denied access"}})
	default:
		s.mu.Lock()
		code := s.newID("code")
		s.grants[code] = grant{challenge: q.Get("code_challenge"), redirect: redirect, scope: q.Get("scope")}
		s.mu.Unlock()
		back(url.Values{"code": {code}})
	}
}

func tokenError(w http.ResponseWriter, status int, code, desc string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]string{"error": code, "error_description": desc})
}

func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	if s.TokenDelay > 0 {
		time.Sleep(s.TokenDelay)
	}
	if r.Method != http.MethodPost {
		tokenError(w, http.StatusMethodNotAllowed, "invalid_request", "POST required")
		return
	}
	if err := r.ParseForm(); err != nil {
		tokenError(w, http.StatusBadRequest, "invalid_request", "bad form")
		return
	}
	grantType := r.PostForm.Get("grant_type")
	s.mu.Lock()
	switch grantType {
	case "authorization_code":
		s.exchanges++
	case "refresh_token":
		s.refreshes++
	}
	var fail *Failure
	if len(s.failures) > 0 {
		f := s.failures[0]
		s.failures = s.failures[1:]
		fail = &f
	}
	s.mu.Unlock()
	if fail != nil {
		s.fail(w, *fail)
		return
	}

	id, secret, ok := r.BasicAuth()
	if !ok {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	if id != s.ClientID || secret != s.ClientSecret {
		tokenError(w, http.StatusUnauthorized, "invalid_client", "client authentication failed")
		return
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	var scope, oldRefresh string
	switch grantType {
	case "authorization_code":
		code := r.PostForm.Get("code")
		g, ok := s.grants[code]
		delete(s.grants, code) // single use, even when the exchange fails
		sum := sha256.Sum256([]byte(r.PostForm.Get("code_verifier")))
		switch {
		case !ok:
			tokenError(w, http.StatusBadRequest, "invalid_grant", "unknown or used code")
			return
		case r.PostForm.Get("redirect_uri") != g.redirect:
			tokenError(w, http.StatusBadRequest, "invalid_grant", "redirect_uri mismatch")
			return
		case base64.RawURLEncoding.EncodeToString(sum[:]) != g.challenge:
			tokenError(w, http.StatusBadRequest, "invalid_grant", "PKCE verification failed")
			return
		}
		scope = g.scope
	case "refresh_token":
		oldRefresh = r.PostForm.Get("refresh_token")
		if !s.refresh[oldRefresh] {
			tokenError(w, http.StatusBadRequest, "invalid_grant", "refresh token invalid or revoked")
			return
		}
		scope = r.PostForm.Get("scope")
	default:
		tokenError(w, http.StatusBadRequest, "unsupported_grant_type", grantType)
		return
	}
	if s.GrantedScope != "" {
		scope = s.GrantedScope
	}
	access := s.AccessToken
	if access == "" {
		access = s.newID("at")
	}
	resp := map[string]any{"access_token": access, "token_type": "Bearer"}
	if s.ExpiresIn > 0 {
		resp["expires_in"] = s.ExpiresIn
	}
	if scope != "" {
		resp["scope"] = scope
	}
	switch {
	case s.NoRefresh:
	case oldRefresh == "" || s.Rotate:
		rt := s.newID("rt")
		s.refresh[rt] = true
		resp["refresh_token"] = rt
		if oldRefresh != "" {
			delete(s.refresh, oldRefresh)
		}
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	json.NewEncoder(w).Encode(resp)
}

func (s *Server) fail(w http.ResponseWriter, f Failure) {
	if f.Drop {
		if hj, ok := w.(http.Hijacker); ok {
			conn, _, err := hj.Hijack()
			if err == nil {
				conn.Close()
				return
			}
		}
		panic(http.ErrAbortHandler)
	}
	if f.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(f.RetryAfter))
	}
	if f.Error == "" {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(f.Status)
		io.WriteString(w, "<html><body>Service Unavailable</body></html>")
		return
	}
	tokenError(w, f.Status, f.Error, "scripted failure")
}

// Page is what the scripted browser ended up showing.
type Page struct {
	Status int
	Body   string
	Err    error
}

// Browser stands in for the system browser: Open follows the authorize
// URL and its redirect to the app's loopback listener in the background,
// as a real browser would, and records the final page.
type Browser struct {
	Client *http.Client
	// Before, when set, runs before the page is fetched (e.g. to cancel the
	// sign-in while the "user" is still on the provider's page).
	Before func(authURL string)
	// Rewrite, when set, replaces the URL the browser loads (e.g. to jump
	// straight to the loopback callback with a hand-made query).
	Rewrite func(authURL string) string
	// Skip makes Open do nothing (the user never comes back).
	Skip bool
	// Err is returned by Open (the browser could not be started).
	Err error

	mu    sync.Mutex
	urls  []string
	pages chan Page
}

// NewBrowser returns a browser with a plain http.Client.
func NewBrowser() *Browser {
	return &Browser{Client: &http.Client{Timeout: 10 * time.Second}, pages: make(chan Page, 4)}
}

// Open has the signature of Wails' runtime.BrowserOpenURL wrapper.
func (b *Browser) Open(u string) error {
	b.mu.Lock()
	b.urls = append(b.urls, u)
	b.mu.Unlock()
	if b.Err != nil || b.Skip {
		return b.Err
	}
	go func() {
		if b.Before != nil {
			b.Before(u)
		}
		target := u
		if b.Rewrite != nil {
			target = b.Rewrite(u)
		}
		resp, err := b.Client.Get(target)
		if err != nil {
			b.pages <- Page{Err: err}
			return
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		b.pages <- Page{Status: resp.StatusCode, Body: string(body), Err: err}
	}()
	return nil
}

// URLs lists every URL Open was given.
func (b *Browser) URLs() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.urls...)
}

// Wait returns the next page the browser finished loading.
func (b *Browser) Wait(timeout time.Duration) (Page, bool) {
	select {
	case p := <-b.pages:
		return p, true
	case <-time.After(timeout):
		return Page{}, false
	}
}

// Param returns one query parameter of a URL, for assertions.
func Param(rawURL, name string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return ""
	}
	return u.Query().Get(name)
}
