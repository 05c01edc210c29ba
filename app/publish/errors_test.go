package publish_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"testing"
	"time"

	"practicepost/app"
	"practicepost/app/publish"
)

var now = time.Date(2026, 9, 1, 9, 0, 0, 0, time.UTC)

func TestRawNeverInErrorTextOrLogs(t *testing.T) {
	secret := `{"error":"Validation failed","text":"Mrs Patient's smile"}`
	e := publish.NewError(publish.Mastodon, publish.KindRejected, 422, "", "Validation failed", []byte(secret), now, time.Time{})
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Error("publish failed", "err", e)
	for _, s := range []string{e.Error(), buf.String(), fmt.Sprintf("%v", e)} {
		if strings.Contains(s, "Patient") {
			t.Errorf("raw body leaked: %s", s)
		}
	}
	if !strings.Contains(buf.String(), `"kind":"rejected"`) {
		t.Errorf("log lacks the kind: %s", buf.String())
	}
}

func TestAppErrorCodes(t *testing.T) {
	tests := []struct {
		kind publish.Kind
		code string
	}{
		{publish.KindAuth, app.EFORBIDDEN},
		{publish.KindPermission, app.EFORBIDDEN},
		{publish.KindRejected, app.EINVALID},
		{publish.KindNotFound, app.ENOTFOUND},
		{publish.KindRateLimited, app.EUNAVAILABLE},
		{publish.KindTransient, app.EUNAVAILABLE},
	}
	for _, tt := range tests {
		e := publish.NewError(publish.Facebook, tt.kind, 400, "", "x", nil, now, now.Add(20*time.Minute))
		ae := e.AppError()
		if ae.Code != tt.code || ae.Message == "" || app.ErrorMessage(ae) != e.Message {
			t.Errorf("%s: %+v", tt.kind, ae)
		}
		if !strings.Contains(e.Message, "Facebook") {
			t.Errorf("%s: message does not name the platform: %q", tt.kind, e.Message)
		}
	}
	rl := publish.NewError(publish.Bluesky, publish.KindRateLimited, 429, "", "", nil, now, now.Add(20*time.Minute))
	if !strings.Contains(rl.Message, "20 minutes") {
		t.Errorf("rate limit message: %q", rl.Message)
	}
}

// A delete that finds nothing has done its work; every other answer is
// passed on as it is.
func TestGone(t *testing.T) {
	notFound := publish.NewError(publish.X, publish.KindNotFound, 404, "not_found", "gone", nil, now, time.Time{})
	limited := publish.NewError(publish.X, publish.KindRateLimited, 429, "too_many", "wait", nil, now, now.Add(time.Minute))
	offline := errors.New("connection refused")
	for _, tc := range []struct {
		in, want error
	}{
		{nil, nil},
		{notFound, nil},
		{fmt.Errorf("deleting: %w", notFound), nil},
		{limited, limited},
		{offline, offline},
	} {
		if got := publish.Gone(tc.in); got != tc.want {
			t.Errorf("Gone(%v) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

// Every platform words a reply to something gone the same way, and only
// a not-found answer is reworded.
func TestUnanswerable(t *testing.T) {
	gone := publish.NewError(publish.Facebook, publish.KindNotFound, 404, "100", "gone", nil, now, time.Time{})
	err := publish.Unanswerable(fmt.Errorf("reply: %w", gone), "This comment is no longer on Facebook (it was deleted)")
	if publish.KindOf(err) != publish.KindNotFound || gone.Message != "This comment is no longer on Facebook (it was deleted), so it cannot be answered. Refresh the Inbox." {
		t.Errorf("not found: %v, message %q", err, gone.Message)
	}
	limited := publish.NewError(publish.Facebook, publish.KindRateLimited, 429, "4", "wait", nil, now, now.Add(time.Minute))
	before := limited.Message
	if err := publish.Unanswerable(limited, "This comment is no longer on Facebook (it was deleted)"); err != limited || limited.Message != before {
		t.Errorf("a rate limit was reworded: %v", err)
	}
	if err := publish.Unanswerable(nil, "gone"); err != nil {
		t.Errorf("nil: %v", err)
	}
}

func TestRetryDelay(t *testing.T) {
	transient := publish.NewError(publish.Mastodon, publish.KindTransient, 503, "", "", nil, now, time.Time{})
	tests := []struct {
		name    string
		err     error
		attempt int
		want    time.Duration
		ok      bool
	}{
		{"first transient", transient, 1, 30 * time.Second, true},
		{"third transient", transient, 3, 2 * time.Minute, true},
		{"capped", transient, 20, time.Hour, true},
		{"huge attempt", transient, 1000, time.Hour, true},
		{"rate limit until reset", publish.NewError(publish.Facebook, publish.KindRateLimited, 400, "4", "", nil, now, now.Add(17*time.Minute)), 1, 17 * time.Minute, true},
		{"rate limit without reset", publish.NewError(publish.Facebook, publish.KindRateLimited, 400, "4", "", nil, now, time.Time{}), 1, 15 * time.Minute, true},
		{"rejected", publish.NewError(publish.Facebook, publish.KindRejected, 400, "506", "", nil, now, time.Time{}), 1, 0, false},
		{"auth", publish.NewError(publish.Facebook, publish.KindAuth, 400, "190", "", nil, now, time.Time{}), 1, 0, false},
		{"not a platform error", errors.New("disk full"), 1, 0, false},
		{"wrapped", fmt.Errorf("queue: %w", transient), 2, time.Minute, true},
	}
	for _, tt := range tests {
		d, ok := publish.RetryDelay(tt.err, now, tt.attempt)
		if d != tt.want || ok != tt.ok {
			t.Errorf("%s: %v %v, want %v %v", tt.name, d, ok, tt.want, tt.ok)
		}
	}
}

func TestParseReset(t *testing.T) {
	tests := []struct {
		in   string
		want time.Time
	}{
		{"2026-09-01T09:05:00.000000Z", now.Add(5 * time.Minute)},
		{"2026-09-01T10:05:00+01:00", now.Add(5 * time.Minute)},
		{fmt.Sprint(now.Add(90 * time.Second).Unix()), now.Add(90 * time.Second)},
		{"120", now.Add(2 * time.Minute)},
		{"", time.Time{}},
		{"soon", time.Time{}},
		{"-5", time.Time{}},
	}
	for _, tt := range tests {
		if got := publish.ParseReset(tt.in, now); !got.Equal(tt.want) {
			t.Errorf("%q: %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestNetworkError(t *testing.T) {
	timeout := &net.DNSError{Err: "i/o timeout", IsTimeout: true}
	tests := []struct {
		err       error
		sent      bool
		uncertain bool
		says      string
	}{
		{timeout, true, true, "may already be up"},
		{context.DeadlineExceeded, false, false, "try again"},
		{errors.New("connection refused"), false, false, "internet connection"},
	}
	for _, tt := range tests {
		e := publish.NetworkError(publish.Facebook, tt.err, tt.sent)
		if e.Kind != publish.KindTransient || e.Uncertain != tt.uncertain || !strings.Contains(e.Message, tt.says) || !errors.Is(e, tt.err) {
			t.Errorf("%v: %+v", tt.err, e)
		}
	}
}

func TestComposeText(t *testing.T) {
	tests := []struct{ text, link, want string }{
		{"Hello", "", "Hello"},
		{"Hello ", "https://a.example", "Hello\n\nhttps://a.example"},
		{"See https://a.example now", "https://a.example", "See https://a.example now"},
		{"", "https://a.example", "https://a.example"},
	}
	for _, tt := range tests {
		if got := publish.ComposeText(tt.text, tt.link); got != tt.want {
			t.Errorf("%q %q: %q", tt.text, tt.link, got)
		}
	}
}
