package auth

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"time"

	"golang.org/x/oauth2"

	"practicepost/app"
)

// Sentinels for errors.Is on errors returned by TokenSource.Token.
var (
	// ErrNeedsReconnect: the provider refused the refresh token, or the
	// sign-in ran out with nothing to renew it. Only the user can fix it.
	ErrNeedsReconnect = errors.New("auth: needs reconnecting")
	// ErrTemporarilyUnavailable: the refresh failed for a reason that may go
	// away (network, 5xx, 429). The channel stays connected.
	ErrTemporarilyUnavailable = errors.New("auth: token endpoint temporarily unavailable")
)

const (
	// refreshSkew renews the access token this long before it expires so a
	// publish that starts just before expiry doesn't fail half-way.
	refreshSkew = time.Minute
	// DefaultRetryDelay is how long a transient refresh failure is
	// remembered before the token endpoint is tried again.
	DefaultRetryDelay = 30 * time.Second
	maxRetryDelay     = 15 * time.Minute
	httpTimeout       = 30 * time.Second
)

// TokenSource hands out a valid access token for one account, refreshing
// it through the provider when needed and saving every change (including a
// rotated refresh token) to the SecretStore. It implements
// oauth2.TokenSource, so oauth2.NewClient(ctx, ts) gives an authorised
// *http.Client. Safe for concurrent use; concurrent callers share one
// refresh.
type TokenSource struct {
	ctx      context.Context
	cfg      *oauth2.Config
	store    SecretStore
	key      string
	provider string
	clock    app.Clock
	log      *slog.Logger

	// RetryDelay overrides DefaultRetryDelay; set before first use.
	RetryDelay time.Duration

	refreshMu sync.Mutex // held across a refresh so it happens once

	mu           sync.RWMutex // guards the fields below; never held over I/O
	tok          Token
	transientErr error
	retryAt      time.Time
	unsaved      bool // refreshed token not yet persisted
}

// NewTokenSource wraps tok (already loaded or just obtained). ctx is used
// for refresh requests and may carry oauth2.HTTPClient; without one a
// client with a 30 s timeout is used. provider is the display name used in
// messages ("X", "Google Business Profile").
func NewTokenSource(ctx context.Context, provider string, cfg *oauth2.Config, store SecretStore, key string, tok Token, clock app.Clock) *TokenSource {
	if _, ok := ctx.Value(oauth2.HTTPClient).(*http.Client); !ok {
		ctx = context.WithValue(ctx, oauth2.HTTPClient, &http.Client{Timeout: httpTimeout})
	}
	return &TokenSource{ctx: ctx, cfg: cfg, store: store, key: key, provider: provider, clock: clock, log: slog.Default(), tok: tok}
}

// OpenTokenSource loads the token saved under key and wraps it.
func OpenTokenSource(ctx context.Context, provider string, cfg *oauth2.Config, store SecretStore, key string, clock app.Clock) (*TokenSource, error) {
	tok, err := LoadToken(store, key)
	if err != nil {
		return nil, err
	}
	return NewTokenSource(ctx, provider, cfg, store, key, tok, clock), nil
}

// AccountID is the provider's id for the connected account.
func (s *TokenSource) AccountID() string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.tok.AccountID
}

// Status reports the connection's state without touching the network.
func (s *TokenSource) Status() Status {
	s.mu.RLock()
	defer s.mu.RUnlock()
	now := s.clock.Now()
	st := StatusOf(s.provider, s.tok, now)
	if st.State != StateNeedsReconnect && s.transientErr != nil && !s.accessValid(now) {
		return Status{State: StateUnavailable, ExpiresAt: st.ExpiresAt, DaysLeft: st.DaysLeft, Message: s.transientMessage()}
	}
	return st
}

// accessValid: caller holds mu.
func (s *TokenSource) accessValid(now time.Time) bool {
	return s.tok.AccessToken != "" && (s.tok.Expiry.IsZero() || now.Before(s.tok.Expiry))
}

// needsRefresh: caller holds mu.
func (s *TokenSource) needsRefresh(now time.Time) bool {
	return s.tok.AccessToken == "" || (!s.tok.Expiry.IsZero() && !now.Before(s.tok.Expiry.Add(-refreshSkew)))
}

func (s *TokenSource) transientMessage() string {
	return fmt.Sprintf("%s is temporarily unavailable. Your account is still connected; PracticePost will retry automatically.", s.provider)
}

func (s *TokenSource) reconnectErr(cause error) error {
	if cause == nil {
		cause = ErrNeedsReconnect
	} else {
		cause = fmt.Errorf("%w: %w", ErrNeedsReconnect, cause)
	}
	return &app.Error{Code: app.EFORBIDDEN, Message: needsReconnect(s.provider).Message, Err: cause}
}

func (s *TokenSource) transientErrFor(cause error, retryAt time.Time) error {
	u := &Unavailable{RetryAt: retryAt, Err: cause}
	var ee *EndpointError
	if errors.As(cause, &ee) {
		u.Status = ee.Status
	}
	return &app.Error{Code: app.EUNAVAILABLE, Message: s.transientMessage(), Err: u}
}

// Unavailable is inside every transient refresh failure TokenSource.Token
// returns. Callers that queue work (the publish connectors) read it to wait
// for the provider instead of treating the channel as broken.
type Unavailable struct {
	// Status is the token endpoint's HTTP status; 0 when no answer came
	// (network, DNS, timeout).
	Status int
	// RetryAt is when the token endpoint is asked again: earlier calls get
	// this same error without a request.
	RetryAt time.Time
	Err     error // the cause, with any response body dropped
}

func (e *Unavailable) Error() string { return ErrTemporarilyUnavailable.Error() + ": " + e.Err.Error() }

func (e *Unavailable) Unwrap() []error { return []error{ErrTemporarilyUnavailable, e.Err} }

// Failure is what an error from a token source means for a caller that
// retries on its own schedule.
type Failure struct {
	// Reconnect: the provider refused the grant; only the user can fix it.
	// Otherwise the channel stays connected and the call can be retried.
	Reconnect bool
	// Status is the token endpoint's HTTP status (429: rate limited);
	// 0 when no answer came or it is unknown.
	Status int
	// RetryAt is when a retry can succeed at the earliest; zero: unknown.
	RetryAt time.Time
}

// Explain classifies an error from TokenSource.Token, or from any other
// oauth2.TokenSource, by the same rules as a refresh: a refused grant (or
// an answer coded forbidden) needs reconnecting; network failures, 5xx,
// 429 and cancellation do not.
func Explain(err error) Failure {
	var u *Unavailable
	var re *oauth2.RetrieveError
	var ae *app.Error
	switch {
	case err == nil:
		return Failure{}
	case errors.Is(err, ErrNeedsReconnect):
		return Failure{Reconnect: true}
	case errors.As(err, &u):
		return Failure{Status: u.Status, RetryAt: u.RetryAt}
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return Failure{}
	case errors.As(err, &re):
		permanent, _ := classify(err)
		f := Failure{Reconnect: permanent}
		if re.Response != nil {
			f.Status = re.Response.StatusCode
		}
		return f
	case errors.As(err, &ae) && ae.Code == app.EFORBIDDEN:
		return Failure{Reconnect: true}
	}
	return Failure{}
}

// Token returns a usable access token, refreshing it first if it has
// expired or is about to.
func (s *TokenSource) Token() (*oauth2.Token, error) {
	s.refreshMu.Lock()
	defer s.refreshMu.Unlock()

	s.mu.RLock()
	now := s.clock.Now()
	cur := s.tok
	unsaved := s.unsaved
	refresh := s.needsRefresh(now)
	valid := s.accessValid(now)
	transient, retryAt := s.transientErr, s.retryAt
	s.mu.RUnlock()

	if unsaved {
		s.persist(cur)
	}
	switch {
	case cur.NeedsReconnect:
		return nil, s.reconnectErr(nil)
	case !refresh:
		return cur.OAuth2(), nil
	case cur.RefreshToken == "":
		if valid {
			return cur.OAuth2(), nil
		}
		s.markReconnect(errors.New("auth: access token expired and there is no refresh token"))
		return nil, s.reconnectErr(nil)
	case transient != nil && now.Before(retryAt):
		if valid {
			return cur.OAuth2(), nil
		}
		return nil, transient
	}

	fresh, err := s.refresh(cur.RefreshToken)
	if err != nil {
		return s.refreshFailed(cur, now, valid, err)
	}
	next := cur
	next.AccessToken = fresh.AccessToken
	next.RefreshToken = fresh.RefreshToken
	if fresh.TokenType != "" {
		next.TokenType = fresh.TokenType
	}
	switch {
	case fresh.ExpiresIn > 0:
		// oauth2 stamps Expiry from the wall clock; use the injected one.
		next.Expiry = now.Add(time.Duration(fresh.ExpiresIn) * time.Second)
	default:
		next.Expiry = fresh.Expiry
	}
	if sc, ok := fresh.Extra("scope").(string); ok && sc != "" {
		next.Scopes = TokenFromOAuth2(fresh, "", nil).Scopes
	}
	dirty := next.AccessToken != cur.AccessToken || next.RefreshToken != cur.RefreshToken || !next.Expiry.Equal(cur.Expiry)
	s.mu.Lock()
	s.tok = next
	s.transientErr, s.retryAt = nil, time.Time{}
	s.unsaved = s.unsaved || dirty
	s.mu.Unlock()
	if next.RefreshToken != cur.RefreshToken {
		s.log.Info("auth: refresh token rotated", "key", s.key)
	}
	if dirty {
		s.persist(next)
	}
	return next.OAuth2(), nil
}

func (s *TokenSource) refresh(refreshToken string) (*oauth2.Token, error) {
	// An empty access token makes x/oauth2 refresh straight away; it keeps
	// the old refresh token when the response carries none.
	return s.cfg.TokenSource(s.ctx, &oauth2.Token{RefreshToken: refreshToken}).Token()
}

// persist saves tok; a failure is logged and retried on the next Token
// call, because losing a rotated refresh token means reconnecting.
func (s *TokenSource) persist(tok Token) {
	if err := SaveToken(s.store, s.key, tok); err != nil {
		s.log.Warn("auth: could not save refreshed token; will retry", "key", s.key, "code", app.ErrorCode(err))
		return
	}
	s.mu.Lock()
	if s.tok.AccessToken == tok.AccessToken && s.tok.RefreshToken == tok.RefreshToken {
		s.unsaved = false
	}
	s.mu.Unlock()
}

func (s *TokenSource) markReconnect(cause error) {
	s.mu.Lock()
	s.tok.NeedsReconnect = true
	s.transientErr = nil
	tok := s.tok
	s.mu.Unlock()
	s.log.Warn("auth: channel needs reconnecting", "key", s.key, "reason", cause.Error())
	s.persist(tok)
}

// MarkNeedsReconnect records that the provider's API rejected the token
// (e.g. a 401 "token revoked" while publishing). Providers without refresh
// tokens (Mastodon) only learn about revocation this way.
func (s *TokenSource) MarkNeedsReconnect() {
	s.refreshMu.Lock()
	defer s.refreshMu.Unlock()
	s.markReconnect(errors.New("auth: marked by API caller"))
}

func (s *TokenSource) refreshFailed(cur Token, now time.Time, valid bool, err error) (*oauth2.Token, error) {
	if errors.Is(err, context.Canceled) {
		// The app is shutting down or the user cancelled; say nothing
		// about the provider.
		return nil, &app.Error{Code: app.EUNAVAILABLE, Message: "Cancelled.", Err: err}
	}
	safe := sanitize(err)
	permanent, retryAfter := classify(err)
	if permanent {
		s.markReconnect(safe)
		return nil, s.reconnectErr(safe)
	}
	delay := s.RetryDelay
	if delay <= 0 {
		delay = DefaultRetryDelay
	}
	if retryAfter > delay {
		delay = min(retryAfter, maxRetryDelay)
	}
	terr := s.transientErrFor(safe, now.Add(delay))
	s.mu.Lock()
	s.transientErr, s.retryAt = terr, now.Add(delay)
	s.mu.Unlock()
	s.log.Warn("auth: token refresh failed; will retry", "key", s.key, "reason", safe.Error(), "retry_in", delay)
	if valid {
		return cur.OAuth2(), nil
	}
	return nil, terr
}

// EndpointError is a token-endpoint failure with the response body
// dropped: bodies can echo request parameters, so they never reach logs.
type EndpointError struct {
	Status int    // HTTP status
	Code   string // RFC 6749 "error", e.g. invalid_grant
}

func (e *EndpointError) Error() string {
	if e.Code != "" {
		return fmt.Sprintf("token endpoint: HTTP %d %s", e.Status, e.Code)
	}
	return fmt.Sprintf("token endpoint: HTTP %d", e.Status)
}

func sanitize(err error) error {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		ee := &EndpointError{Code: re.ErrorCode}
		if re.Response != nil {
			ee.Status = re.Response.StatusCode
		}
		return ee
	}
	return err
}

// classify decides whether a failed token request can succeed later.
// RFC 6749 §5.2 errors about the grant or client are permanent; so is any
// other 4xx apart from 408/429. Server errors, throttling, and everything
// that never got an HTTP answer (DNS, TLS, timeouts) are transient.
func classify(err error) (permanent bool, retryAfter time.Duration) {
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) {
		return false, 0
	}
	status := 0
	if re.Response != nil {
		status = re.Response.StatusCode
		if secs, perr := strconv.Atoi(re.Response.Header.Get("Retry-After")); perr == nil && secs > 0 {
			retryAfter = time.Duration(secs) * time.Second
		}
	}
	switch re.ErrorCode {
	case "invalid_grant", "invalid_client", "unauthorized_client", "unsupported_grant_type", "invalid_scope", "access_denied":
		return true, 0
	case "temporarily_unavailable", "server_error", "slow_down":
		return false, retryAfter
	}
	switch {
	case status == http.StatusRequestTimeout, status == http.StatusTooManyRequests, status >= 500:
		return false, retryAfter
	case status >= 400:
		return true, 0
	}
	return false, retryAfter
}
