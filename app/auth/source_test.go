package auth

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"practicepost/app"
	"practicepost/app/auth/authfake"
)

const testKey = "channel:x:1001"

type fixture struct {
	srv   *authfake.Server
	store *MemoryStore
	clock *app.FixedClock
	// cfgSecret, when set, is the (stale) client secret the app sends.
	cfgSecret string
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	srv := authfake.New()
	t.Cleanup(srv.Close)
	return &fixture{srv: srv, store: NewMemoryStore(), clock: &app.FixedClock{T: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}}
}

// expiredToken is a saved token whose access token ran out a minute ago.
func (f *fixture) expiredToken(t *testing.T) Token {
	t.Helper()
	tok := Token{AccessToken: "at-old", RefreshToken: f.srv.IssueRefreshToken(), TokenType: "Bearer", Expiry: f.clock.T.Add(-time.Minute), Scopes: []string{"tweet.write"}, AccountID: "1001"}
	if err := SaveToken(f.store, testKey, tok); err != nil {
		t.Fatal(err)
	}
	return tok
}

func (f *fixture) source(t *testing.T) *TokenSource {
	t.Helper()
	cfg := f.srv.Config("tweet.write")
	if f.cfgSecret != "" {
		cfg.ClientSecret = f.cfgSecret
	}
	ts, err := OpenTokenSource(t.Context(), "X", cfg, f.store, testKey, f.clock)
	if err != nil {
		t.Fatal(err)
	}
	return ts
}

func (f *fixture) saved(t *testing.T) Token {
	t.Helper()
	tok, err := LoadToken(f.store, testKey)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func TestTokenSourceRefreshAndPersist(t *testing.T) {
	for _, tt := range []struct {
		name    string
		expiry  time.Duration // relative to now
		refresh bool
	}{
		{"expired", -time.Minute, true},
		{"inside skew", refreshSkew / 2, true},
		{"just outside skew", refreshSkew + time.Second, false},
		{"valid for an hour", time.Hour, false}, // no network at all
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			tok := f.expiredToken(t)
			tok.Expiry = f.clock.T.Add(tt.expiry)
			SaveToken(f.store, testKey, tok)
			ts := f.source(t)
			got, err := ts.Token()
			if err != nil {
				t.Fatal(err)
			}
			want := 0
			if tt.refresh {
				want = 1
			}
			if _, r := f.srv.Counts(); r != want {
				t.Fatalf("%d refreshes, want %d", r, want)
			}
			if !tt.refresh {
				if got.AccessToken != "at-old" {
					t.Fatalf("access token %q, want the stored one", got.AccessToken)
				}
				if st := ts.Status(); st.State != StateConnected {
					t.Fatalf("status %+v", st)
				}
				return
			}
			if got.AccessToken == "at-old" || !strings.HasPrefix(got.AccessToken, "at-") {
				t.Fatalf("access token not refreshed: %q", got.AccessToken)
			}
			s := f.saved(t)
			if s.AccessToken != got.AccessToken {
				t.Fatal("refreshed access token not persisted")
			}
			if want := f.clock.T.Add(time.Hour); !s.Expiry.Equal(want) {
				t.Fatalf("expiry %v, want %v (from expires_in and the injected clock)", s.Expiry, want)
			}
			if s.RefreshToken != tok.RefreshToken || s.AccountID != "1001" {
				t.Fatalf("refresh token or account lost: %v", s)
			}
		})
	}
}

func TestTokenSourceRotationCaptured(t *testing.T) {
	f := newFixture(t)
	f.srv.Rotate = true
	first := f.expiredToken(t).RefreshToken
	ts := f.source(t)
	seen := map[string]bool{first: true}
	prev := first
	for i := 0; i < 3; i++ {
		if _, err := ts.Token(); err != nil {
			t.Fatalf("refresh %d: %v", i, err)
		}
		s := f.saved(t)
		if seen[s.RefreshToken] {
			t.Fatalf("refresh %d: rotated refresh token not persisted", i)
		}
		if f.srv.RefreshValid(prev) {
			t.Fatalf("server still accepts retired refresh token")
		}
		seen[s.RefreshToken], prev = true, s.RefreshToken
		f.clock.Advance(2 * time.Hour)
	}
	// After a restart the saved (newest) refresh token still works.
	ts2 := f.source(t)
	if _, err := ts2.Token(); err != nil {
		t.Fatalf("after restart: %v", err)
	}
}

func TestTokenSourcePermanentFailure(t *testing.T) {
	tests := []struct {
		name  string
		setup func(f *fixture, tok Token)
	}{
		{"refresh token revoked (real invalid_grant)", func(f *fixture, tok Token) { f.srv.Revoke(tok.RefreshToken) }},
		{"400 invalid_grant", func(f *fixture, _ Token) { f.srv.FailNext(authfake.Failure{Status: 400, Error: "invalid_grant"}) }},
		{"401 invalid_client", func(f *fixture, _ Token) { f.srv.FailNext(authfake.Failure{Status: 401, Error: "invalid_client"}) }},
		{"401 without body", func(f *fixture, _ Token) { f.srv.FailNext(authfake.Failure{Status: 401}) }},
		{"400 unauthorized_client", func(f *fixture, _ Token) { f.srv.FailNext(authfake.Failure{Status: 400, Error: "unauthorized_client"}) }},
		{"wrong client secret", func(f *fixture, _ Token) { f.cfgSecret = "stale-secret" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			tok := f.expiredToken(t)
			tt.setup(f, tok)
			ts := f.source(t)
			_, err := ts.Token()
			if !errors.Is(err, ErrNeedsReconnect) || errors.Is(err, ErrTemporarilyUnavailable) {
				t.Fatalf("err = %v, want needs reconnect", err)
			}
			if app.ErrorCode(err) != app.EFORBIDDEN || !strings.Contains(app.ErrorMessage(err), "X needs reconnecting") {
				t.Fatalf("code %q msg %q", app.ErrorCode(err), app.ErrorMessage(err))
			}
			if st := ts.Status(); st.State != StateNeedsReconnect {
				t.Fatalf("status %v", st.State)
			}
			if !f.saved(t).NeedsReconnect {
				t.Fatal("needs-reconnect not persisted")
			}
			// No more calls to the provider, now or after a restart.
			_, before := f.srv.Counts()
			if _, err := ts.Token(); !errors.Is(err, ErrNeedsReconnect) {
				t.Fatalf("second call: %v", err)
			}
			if st := f.source(t).Status(); st.State != StateNeedsReconnect {
				t.Fatalf("after restart status %v", st.State)
			}
			if _, after := f.srv.Counts(); after != before {
				t.Fatal("provider called again after a permanent failure")
			}
		})
	}
}

func TestTokenSourceTransientFailure(t *testing.T) {
	tests := []struct {
		name     string
		fail     authfake.Failure
		retryGap time.Duration // when the next attempt is allowed
	}{
		{"503 html", authfake.Failure{Status: 503}, DefaultRetryDelay},
		{"500 server_error", authfake.Failure{Status: 500, Error: "server_error"}, DefaultRetryDelay},
		{"502 json", authfake.Failure{Status: 502, Error: "bad_gateway"}, DefaultRetryDelay},
		{"400 temporarily_unavailable", authfake.Failure{Status: 400, Error: "temporarily_unavailable"}, DefaultRetryDelay},
		{"429 without Retry-After", authfake.Failure{Status: 429}, DefaultRetryDelay},
		{"429 Retry-After 120", authfake.Failure{Status: 429, RetryAfter: 120}, 120 * time.Second},
		{"429 Retry-After capped", authfake.Failure{Status: 429, RetryAfter: 86400}, maxRetryDelay},
		{"connection dropped", authfake.Failure{Drop: true}, DefaultRetryDelay},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			tok := f.expiredToken(t)
			f.srv.FailNext(tt.fail)
			ts := f.source(t)
			_, err := ts.Token()
			if !errors.Is(err, ErrTemporarilyUnavailable) || errors.Is(err, ErrNeedsReconnect) {
				t.Fatalf("err = %v, want temporarily unavailable", err)
			}
			if app.ErrorCode(err) != app.EUNAVAILABLE || !strings.Contains(app.ErrorMessage(err), "temporarily unavailable") || !strings.Contains(app.ErrorMessage(err), "retry") {
				t.Fatalf("code %q msg %q", app.ErrorCode(err), app.ErrorMessage(err))
			}
			st := ts.Status()
			if st.State != StateUnavailable {
				t.Fatalf("status %v", st.State)
			}
			if s := f.saved(t); s.NeedsReconnect || s.RefreshToken != tok.RefreshToken {
				t.Fatal("transient failure changed the saved token")
			}
			// Within the retry gap: no new request.
			f.clock.Advance(tt.retryGap - time.Second)
			if _, err := ts.Token(); !errors.Is(err, ErrTemporarilyUnavailable) {
				t.Fatalf("inside retry gap: %v", err)
			}
			if _, r := f.srv.Counts(); r != 1 {
				t.Fatalf("refreshes inside retry gap = %d, want 1", r)
			}
			// After it: the provider is back and the channel recovers.
			f.clock.Advance(2 * time.Second)
			got, err := ts.Token()
			if err != nil {
				t.Fatalf("after retry gap: %v", err)
			}
			if _, r := f.srv.Counts(); r != 2 {
				t.Fatalf("refreshes = %d, want 2", r)
			}
			if got.AccessToken == tok.AccessToken || ts.Status().State != StateConnected {
				t.Fatalf("did not recover: status %v", ts.Status().State)
			}
		})
	}
}

func TestTokenSourceTransientWhileAccessStillValid(t *testing.T) {
	f := newFixture(t)
	tok := f.expiredToken(t)
	tok.Expiry = f.clock.T.Add(30 * time.Second) // inside the skew: refresh is attempted
	SaveToken(f.store, testKey, tok)
	f.srv.FailNext(authfake.Failure{Status: 503})
	ts := f.source(t)
	got, err := ts.Token()
	if err != nil || got.AccessToken != "at-old" {
		t.Fatalf("want the still-valid old token, got %v, %v", got, err)
	}
	if ts.Status().State != StateConnected {
		t.Fatalf("status %v while the old token still works", ts.Status().State)
	}
	f.clock.Advance(31 * time.Second) // old token now expired, retry gap not over
	if st := ts.Status(); st.State != StateUnavailable {
		t.Fatalf("status %v after expiry", st.State)
	}
}

func TestTokenSourceConcurrentRefreshOnce(t *testing.T) {
	f := newFixture(t)
	f.srv.Rotate = true
	f.srv.TokenDelay = 50 * time.Millisecond
	f.expiredToken(t)
	ts := f.source(t)
	const n = 16
	var wg sync.WaitGroup
	tokens := make([]string, n)
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tk, err := ts.Token()
			errs[i] = err
			if tk != nil {
				tokens[i] = tk.AccessToken
			}
		}()
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("caller %d: %v", i, errs[i])
		}
		if tokens[i] != tokens[0] {
			t.Fatalf("callers got different tokens: %q vs %q", tokens[i], tokens[0])
		}
	}
	if _, r := f.srv.Counts(); r != 1 {
		t.Fatalf("refreshes = %d, want 1", r)
	}
}

func TestTokenSourceWithoutRefreshToken(t *testing.T) {
	f := newFixture(t)
	// Mastodon: no expiry, no refresh token: valid until revoked.
	SaveToken(f.store, testKey, Token{AccessToken: "masto", AccountID: "1001"})
	ts := f.source(t)
	if got, err := ts.Token(); err != nil || got.AccessToken != "masto" {
		t.Fatalf("%v %v", got, err)
	}
	f.clock.Advance(5 * 365 * 24 * time.Hour)
	if _, err := ts.Token(); err != nil {
		t.Fatal(err)
	}
	ts.MarkNeedsReconnect() // API said 401 "The access token is invalid"
	if _, err := ts.Token(); !errors.Is(err, ErrNeedsReconnect) {
		t.Fatalf("after MarkNeedsReconnect: %v", err)
	}
	if !f.saved(t).NeedsReconnect {
		t.Fatal("MarkNeedsReconnect not persisted")
	}

	// LinkedIn without refresh: works until expiry, then needs reconnecting.
	f2 := newFixture(t)
	SaveToken(f2.store, testKey, Token{AccessToken: "li", Expiry: f2.clock.T.Add(60 * 24 * time.Hour), AccountID: "1001"})
	ts2 := f2.source(t)
	if st := ts2.Status(); st.State != StateConnected || st.DaysLeft != 60 {
		t.Fatalf("status %+v", st)
	}
	f2.clock.Advance(60*24*time.Hour - 30*time.Second) // inside skew, but nothing to refresh with
	if got, err := ts2.Token(); err != nil || got.AccessToken != "li" {
		t.Fatalf("last minute: %v %v", got, err)
	}
	f2.clock.Advance(time.Minute)
	if _, err := ts2.Token(); !errors.Is(err, ErrNeedsReconnect) {
		t.Fatalf("after expiry: %v", err)
	}
	if _, r := f2.srv.Counts(); r != 0 {
		t.Fatal("tried to refresh without a refresh token")
	}
}

// flakyStore fails Set while failing is true.
type flakyStore struct {
	*MemoryStore
	mu      sync.Mutex
	failing bool
}

func (s *flakyStore) Set(k, v string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failing {
		return &app.Error{Code: app.EUNAVAILABLE, Message: "keyring locked"}
	}
	return s.MemoryStore.Set(k, v)
}

func TestTokenSourcePersistRetried(t *testing.T) {
	f := newFixture(t)
	f.srv.Rotate = true
	tok := f.expiredToken(t)
	fs := &flakyStore{MemoryStore: f.store, failing: true}
	ts := NewTokenSource(t.Context(), "X", f.srv.Config(), fs, testKey, tok, f.clock)
	got, err := ts.Token()
	if err != nil {
		t.Fatalf("a failed save must not fail the request: %v", err)
	}
	if f.saved(t).RefreshToken != tok.RefreshToken {
		t.Fatal("save should have failed")
	}
	fs.mu.Lock()
	fs.failing = false
	fs.mu.Unlock()
	if _, err := ts.Token(); err != nil { // still valid: no refresh, but the save is retried
		t.Fatal(err)
	}
	s := f.saved(t)
	if s.AccessToken != got.AccessToken || s.RefreshToken == tok.RefreshToken {
		t.Fatal("rotated token not saved on retry")
	}
	if _, r := f.srv.Counts(); r != 1 {
		t.Fatalf("refreshes = %d", r)
	}
}

func TestTokenSourceCancelled(t *testing.T) {
	f := newFixture(t)
	tok := f.expiredToken(t)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	ts := NewTokenSource(ctx, "X", f.srv.Config(), f.store, testKey, tok, f.clock)
	_, err := ts.Token()
	if !errors.Is(err, context.Canceled) || errors.Is(err, ErrNeedsReconnect) || errors.Is(err, ErrTemporarilyUnavailable) {
		t.Fatalf("err = %v", err)
	}
	if st := ts.Status(); st.State != StateNeedsReconnect && st.State != StateConnected {
		t.Fatalf("cancel changed state to %v", st.State)
	}
	if f.saved(t).NeedsReconnect {
		t.Fatal("cancel marked the channel broken")
	}
}

func TestTokenSourceOpenMissing(t *testing.T) {
	f := newFixture(t)
	_, err := OpenTokenSource(t.Context(), "X", f.srv.Config(), f.store, testKey, f.clock)
	if app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatalf("err %v", err)
	}
	f.store.Set(testKey, `{"access_token":`)
	if _, err := OpenTokenSource(t.Context(), "X", f.srv.Config(), f.store, testKey, f.clock); !errors.Is(err, ErrUnreadable) {
		t.Fatalf("corrupt JSON: %v", err)
	}
	f.store.Set(testKey, `{"refresh_token":"rt-only"}`)
	if _, err := LoadToken(f.store, testKey); !errors.Is(err, ErrUnreadable) || strings.Contains(err.Error(), "rt-only") {
		t.Fatalf("token without access token: %v", err)
	}
}

func TestClassify(t *testing.T) {
	for _, tt := range []struct {
		err       error
		permanent bool
	}{
		{&oauth2.RetrieveError{ErrorCode: "invalid_grant"}, true},
		{&oauth2.RetrieveError{ErrorCode: "slow_down"}, false},
		{errors.New("dial tcp: connection refused"), false},
		{context.DeadlineExceeded, false},
		{fmt.Errorf("oauth2: server response missing access_token"), false},
	} {
		if p, _ := classify(tt.err); p != tt.permanent {
			t.Errorf("classify(%v) = %v", tt.err, p)
		}
	}
}

func TestStatusOf(t *testing.T) {
	now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	day := 24 * time.Hour
	tests := []struct {
		name  string
		tok   Token
		state State
		days  int
		msg   string
	}{
		{"refreshable, access expired", Token{AccessToken: "a", RefreshToken: "r", Expiry: now.Add(-day)}, StateConnected, 0, "Connected to LinkedIn."},
		{"no expiry", Token{AccessToken: "a"}, StateConnected, 0, "Connected"},
		{"60 days", Token{AccessToken: "a", Expiry: now.Add(60 * day)}, StateConnected, 60, "runs out in 60 days"},
		{"8 days", Token{AccessToken: "a", Expiry: now.Add(8*day + time.Hour)}, StateConnected, 8, "in 8 days"},
		{"7 days", Token{AccessToken: "a", Expiry: now.Add(7 * day)}, StateExpiringSoon, 7, "in 7 days"},
		{"tomorrow", Token{AccessToken: "a", Expiry: now.Add(36 * time.Hour)}, StateExpiringSoon, 1, "tomorrow"},
		{"today", Token{AccessToken: "a", Expiry: now.Add(time.Hour)}, StateExpiringSoon, 0, "today"},
		{"expired", Token{AccessToken: "a", Expiry: now}, StateNeedsReconnect, 0, "needs reconnecting"},
		{"flagged", Token{AccessToken: "a", RefreshToken: "r", NeedsReconnect: true}, StateNeedsReconnect, 0, "Reconnect"},
		{"empty", Token{}, StateNeedsReconnect, 0, "needs reconnecting"},
	}
	for _, tt := range tests {
		st := StatusOf("LinkedIn", tt.tok, now)
		if st.State != tt.state || st.DaysLeft != tt.days || !strings.Contains(st.Message, tt.msg) {
			t.Errorf("%s: got %+v", tt.name, st)
		}
		if (tt.tok.RefreshToken == "" && !tt.tok.Expiry.IsZero() && tt.state != StateNeedsReconnect) != !st.ExpiresAt.IsZero() {
			t.Errorf("%s: ExpiresAt %v", tt.name, st.ExpiresAt)
		}
	}
}

func TestTokenNeverPrinted(t *testing.T) {
	tok := Token{AccessToken: "ACCESS-SECRET", RefreshToken: "REFRESH-SECRET", AccountID: "acct-7", Expiry: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	var buf bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&buf, nil))
	log.Info("saved", "token", tok)
	outputs := []string{fmt.Sprint(tok), fmt.Sprintf("%v %+v %#v %s", tok, tok, tok, tok), fmt.Sprintf("%v", &tok), buf.String()}
	for _, out := range outputs {
		if strings.Contains(out, "SECRET") {
			t.Errorf("secret printed: %s", out)
		}
	}
	if !strings.Contains(buf.String(), "acct-7") {
		t.Errorf("log lost the account id: %s", buf.String())
	}
	// JSON (for the store) must keep everything.
	b, _ := json.Marshal(tok)
	var back Token
	json.Unmarshal(b, &back)
	if back.AccessToken != tok.AccessToken || back.RefreshToken != tok.RefreshToken || !back.Expiry.Equal(tok.Expiry) {
		t.Fatalf("JSON round trip lost data")
	}
}

func TestTokenSourceLogsNoSecrets(t *testing.T) {
	var buf bytes.Buffer
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug})))
	defer slog.SetDefault(prev)

	f := newFixture(t)
	f.srv.Rotate = true
	tok := f.expiredToken(t)
	ts := f.source(t)
	if _, err := ts.Token(); err != nil { // rotation is logged
		t.Fatal(err)
	}
	f.clock.Advance(3 * time.Hour)
	f.srv.FailNext(authfake.Failure{Status: 503}, authfake.Failure{Status: 400, Error: "invalid_grant"})
	_, err1 := ts.Token()
	f.clock.Advance(time.Hour)
	_, err2 := ts.Token()
	if err1 == nil || err2 == nil {
		t.Fatal("scripted failures did not happen")
	}
	s := f.saved(t)
	for _, secret := range []string{tok.RefreshToken, s.RefreshToken, s.AccessToken} {
		for _, out := range []string{buf.String(), err1.Error(), err2.Error()} {
			if strings.Contains(out, secret) {
				t.Fatalf("secret %q leaked into %q", secret[:6], out)
			}
		}
	}
	if !strings.Contains(buf.String(), "rotated") || !strings.Contains(buf.String(), "needs reconnecting") {
		t.Fatalf("expected log lines missing: %s", buf.String())
	}
}

func TestTokenFromOAuth2Scopes(t *testing.T) {
	base := &oauth2.Token{AccessToken: "a", RefreshToken: "r"}
	if got := TokenFromOAuth2(base, "u1", []string{"a", "b"}); strings.Join(got.Scopes, ",") != "a,b" || got.AccountID != "u1" {
		t.Fatalf("requested scopes: %v", got)
	}
	granted := base.WithExtra(map[string]any{"scope": "write:media write:statuses"})
	got := TokenFromOAuth2(granted, "u1", []string{"a"})
	if !got.HasScope("write:media") || got.HasScope("a") {
		t.Fatalf("granted scopes: %v", got.Scopes)
	}
}
