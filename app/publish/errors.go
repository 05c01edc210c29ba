package publish

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"practicepost/app"
	"practicepost/app/auth"
)

// Kind says what the queue should do about a failed call.
type Kind string

const (
	// KindAuth: the connection expired or was withdrawn; the user reconnects.
	KindAuth Kind = "auth"
	// KindRateLimited: wait until ResetAt, then try again.
	KindRateLimited Kind = "rate_limited"
	// KindTransient: the platform or the network failed; retry with backoff.
	KindTransient Kind = "transient"
	// KindRejected: the platform refused this content (duplicate, blocked,
	// too long, image too large); retrying the same post will not help.
	KindRejected Kind = "rejected"
	// KindPermission: the account lacks a role or permission on the page.
	KindPermission Kind = "permission"
	// KindNotFound: the post (or media) does not exist (any more).
	KindNotFound Kind = "not_found"
)

// Error is the one error type connectors return for platform failures.
// Raw holds the platform's response body for support staff: it may contain
// post text, so it is left out of Error() and LogValue().
type Error struct {
	Platform        Platform
	Kind            Kind
	Status          int       // HTTP status; 0 when no response arrived
	Code            string    // the platform's error code, e.g. "190/463", "ExpiredToken"
	PlatformMessage string    // the platform's own message, in its words
	Message         string    // for the practice manager: what happened, what to do
	ResetAt         time.Time // KindRateLimited: when calls are allowed again (zero: unknown)
	// Uncertain is set when the request reached the platform but no clear
	// answer came back (timeout, dropped connection, 5xx): a create may have
	// gone through. Reconcile before retrying.
	Uncertain bool
	Raw       []byte
	Err       error
}

func (e *Error) Error() string {
	s := fmt.Sprintf("%s: %s", e.Platform, e.Kind)
	if e.Status != 0 {
		s += fmt.Sprintf(" (HTTP %d)", e.Status)
	}
	if e.Code != "" {
		s += " " + e.Code
	}
	if e.PlatformMessage != "" {
		s += ": " + e.PlatformMessage
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// LogValue keeps Raw out of logs.
func (e *Error) LogValue() slog.Value {
	attrs := []slog.Attr{
		slog.String("platform", string(e.Platform)),
		slog.String("kind", string(e.Kind)),
		slog.Int("status", e.Status),
		slog.String("code", e.Code),
		slog.Bool("uncertain", e.Uncertain),
	}
	if !e.ResetAt.IsZero() {
		attrs = append(attrs, slog.Time("reset_at", e.ResetAt))
	}
	return slog.GroupValue(attrs...)
}

// Retryable reports whether trying again later can succeed without the
// user changing anything.
func (e *Error) Retryable() bool {
	return e.Kind == KindTransient || e.Kind == KindRateLimited
}

// AppError turns e into the coded error the frontend shows.
func (e *Error) AppError() *app.Error {
	code := app.EUNAVAILABLE
	switch e.Kind {
	case KindAuth, KindPermission:
		code = app.EFORBIDDEN
	case KindRejected:
		code = app.EINVALID
	case KindNotFound:
		code = app.ENOTFOUND
	}
	return &app.Error{Code: code, Message: e.Message, Err: e}
}

// KindOf returns the Kind of a publish error, "" for nil and for errors that
// did not come from a platform.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return ""
}

// Gone is a delete's answer with "not found" taken as done: a post or
// comment already gone (removed by hand, or by an earlier try whose answer
// was lost) is what the delete wanted, so every delete is safe to repeat.
func Gone(err error) error {
	if KindOf(err) == KindNotFound {
		return nil
	}
	return err
}

// RetryDelay is how long the queue should wait before attempt number
// attempt+1 (attempt counts from 1): until the reset for rate limits,
// exponential backoff from 30 s capped at 1 h for transient failures.
// ok is false when retrying will not help.
func RetryDelay(err error, now time.Time, attempt int) (d time.Duration, ok bool) {
	var e *Error
	if !errors.As(err, &e) || !e.Retryable() {
		return 0, false
	}
	if e.Kind == KindRateLimited {
		if !e.ResetAt.IsZero() && e.ResetAt.After(now) {
			return e.ResetAt.Sub(now), true
		}
		return 15 * time.Minute, true
	}
	if attempt < 1 {
		attempt = 1
	}
	d = time.Duration(float64(30*time.Second) * math.Pow(2, float64(attempt-1)))
	if d > time.Hour || d <= 0 {
		d = time.Hour
	}
	return d, true
}

// NewError fills in Message from the kind when msg is empty.
func NewError(p Platform, kind Kind, status int, code, platformMsg string, raw []byte, now time.Time, resetAt time.Time) *Error {
	e := &Error{Platform: p, Kind: kind, Status: status, Code: code, PlatformMessage: platformMsg, Raw: raw, ResetAt: resetAt}
	e.Message = DefaultMessage(p, kind, platformMsg, now, resetAt)
	if status >= 500 {
		e.Uncertain = true
	}
	return e
}

// FollowerCount is a follower count read from a platform's answer raw: *n,
// or, when the platform left the field out (a token that may not read it,
// an edge renamed, an app view without counts), a rejection coded
// no_followers_count, because no count is not zero followers and Insights
// must not chart a drop to zero.
func FollowerCount(p Platform, n *int, raw []byte, now time.Time) (int, error) {
	if n == nil {
		return 0, NewError(p, KindRejected, http.StatusOK, "no_followers_count", "", raw, now, time.Time{})
	}
	return *n, nil
}

// WithMessage puts msg, when there is one, in place of the default message.
func (e *Error) WithMessage(msg string) *Error {
	if msg != "" {
		e.Message = msg
	}
	return e
}

// Rejected is PracticePost's own refusal, before sending, of what platform
// p would refuse: code names the check, msg tells the user what to change.
func Rejected(p Platform, now time.Time, code, msg string) *Error {
	return NewError(p, KindRejected, 0, code, "", nil, now, time.Time{}).WithMessage(msg)
}

// DefaultMessage is the practice manager's explanation for a kind of failure.
func DefaultMessage(p Platform, kind Kind, platformMsg string, now, resetAt time.Time) string {
	name := p.Title()
	switch kind {
	case KindAuth:
		return fmt.Sprintf("%s no longer accepts PracticePost's connection (it expired or was withdrawn). Open Channels (in the sidebar) and reconnect %s; waiting posts stay in the queue.", name, name)
	case KindRateLimited:
		when := "in a while"
		if !resetAt.IsZero() && resetAt.After(now) {
			when = "in about " + humanDuration(resetAt.Sub(now))
		}
		return fmt.Sprintf("%s is limiting how often PracticePost can post right now. Nothing is lost: PracticePost tries again by itself %s.", name, when)
	case KindTransient:
		return fmt.Sprintf("%s could not be reached or had a problem on its side. PracticePost will try again shortly; nothing needs doing unless this keeps happening.", name)
	case KindPermission:
		return fmt.Sprintf("The %s account connected to PracticePost is not allowed to do this. Check that it is an admin of the page (or reconnect with all permissions ticked), then try again.", name)
	case KindNotFound:
		return fmt.Sprintf("The post is no longer on %s (it may have been deleted there).", name)
	}
	msg := fmt.Sprintf("%s refused this post.", name)
	if platformMsg != "" {
		msg += fmt.Sprintf(" It said: “%s”.", platformMsg)
	}
	return msg + " Edit the post and send it again."
}

func humanDuration(d time.Duration) string {
	switch {
	case d < 90*time.Second:
		return "a minute"
	case d < 90*time.Minute:
		return strconv.Itoa(int(d.Round(time.Minute)/time.Minute)) + " minutes"
	case d < 36*time.Hour:
		return strconv.Itoa(int(d.Round(time.Hour)/time.Hour)) + " hours"
	}
	return strconv.Itoa(int(d.Round(24*time.Hour)/(24*time.Hour))) + " days"
}

// NetworkError classifies a failure that left no usable response. sent says
// whether the request was fully written: then the platform may have acted on
// it and the error is Uncertain.
func NetworkError(p Platform, err error, sent bool) *Error {
	e := &Error{Platform: p, Kind: KindTransient, Err: err, Uncertain: sent}
	var ne net.Error
	switch {
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		e.Message = fmt.Sprintf("%s did not answer in time. ", p.Title())
	case errors.Is(err, context.Canceled):
		e.Message = "The request was stopped before it finished. "
	default:
		e.Message = fmt.Sprintf("PracticePost could not reach %s (is the internet connection working?). ", p.Title())
	}
	if sent {
		e.Message += "The post may already be up; PracticePost checks before trying again, so it will not appear twice."
	} else {
		e.Message += "PracticePost will try again shortly."
	}
	return e
}

// ParseReset reads a rate-limit reset header value: an RFC 3339 timestamp
// (Mastodon), Unix seconds (Bluesky's PDS) or delta seconds (the IETF draft).
func ParseReset(v string, now time.Time) time.Time {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}
	}
	if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
		return t.UTC()
	}
	n, err := strconv.ParseFloat(v, 64)
	if err != nil || n < 0 {
		return time.Time{}
	}
	if n > 1e9 {
		return time.Unix(int64(n), 0).UTC()
	}
	return now.Add(time.Duration(n * float64(time.Second)))
}

// AccessToken is the bearer token for p: the next one from src when the
// channel signs in with OAuth, or fixed when src is nil. A failed refresh
// comes back as a TokenError.
func AccessToken(p Platform, src oauth2.TokenSource, fixed string, now time.Time) (string, error) {
	if src == nil {
		return fixed, nil
	}
	t, err := src.Token()
	if err != nil {
		return "", TokenError(p, err, now)
	}
	return t.AccessToken, nil
}

// TokenError classifies a failure to get an access token for p. Only a
// refused grant asks the user to reconnect; a token endpoint that is down,
// slow or throttling leaves the channel connected and the job waits
// (issue 7). No request reached the platform, so it is never uncertain.
func TokenError(p Platform, err error, now time.Time) *Error {
	f := auth.Explain(err)
	code := "token_refresh"
	if f.Status != 0 {
		code += "/" + strconv.Itoa(f.Status)
	}
	var e *Error
	switch {
	case f.Reconnect:
		e = NewError(p, KindAuth, 0, code, "", nil, now, time.Time{})
	case f.Status == http.StatusTooManyRequests:
		e = NewError(p, KindRateLimited, 0, code, "", nil, now, f.RetryAt)
	default:
		e = NewError(p, KindTransient, 0, code, "", nil, now, time.Time{})
		if errors.Is(err, auth.ErrTemporarilyUnavailable) {
			// The token source's own words: the account is still connected.
			e.Message = app.ErrorMessage(err)
		}
	}
	e.Err = err
	return e
}

// Problem is a sentence for the practice manager about a post a platform
// would refuse, found before anything is sent; callers show it as it is.
type Problem string

func (p Problem) Error() string { return string(p) }

// Problemf formats a Problem.
func Problemf(format string, args ...any) Problem { return Problem(fmt.Sprintf(format, args...)) }
