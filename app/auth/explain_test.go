package auth

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"practicepost/app"
	"practicepost/app/auth/authfake"
)

// Callers that queue work decide between "wait" and "reconnect" from
// Explain alone, so it must agree with what the token source did.
func TestExplainRefreshFailures(t *testing.T) {
	tests := []struct {
		name      string
		fail      authfake.Failure
		reconnect bool
		status    int
		retryGap  time.Duration
	}{
		{"503", authfake.Failure{Status: 503}, false, 503, DefaultRetryDelay},
		{"500 server_error", authfake.Failure{Status: 500, Error: "server_error"}, false, 500, DefaultRetryDelay},
		{"429 Retry-After 120", authfake.Failure{Status: 429, RetryAfter: 120}, false, 429, 120 * time.Second},
		{"connection dropped", authfake.Failure{Drop: true}, false, 0, DefaultRetryDelay},
		{"invalid_grant", authfake.Failure{Status: 400, Error: "invalid_grant"}, true, 0, 0},
		{"401 invalid_client", authfake.Failure{Status: 401, Error: "invalid_client"}, true, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			f.expiredToken(t)
			f.srv.FailNext(tt.fail)
			ts := f.source(t)
			_, err := ts.Token()
			if err == nil {
				t.Fatal("refresh should have failed")
			}
			got := Explain(err)
			if got.Reconnect != tt.reconnect || got.Status != tt.status {
				t.Fatalf("Explain = %+v, want reconnect %v status %d (err %v)", got, tt.reconnect, tt.status, err)
			}
			if tt.reconnect {
				if !got.RetryAt.IsZero() || ts.Status().State != StateNeedsReconnect {
					t.Fatalf("Explain = %+v, state %v", got, ts.Status().State)
				}
				return
			}
			if want := f.clock.T.Add(tt.retryGap); !got.RetryAt.Equal(want) {
				t.Fatalf("RetryAt = %v, want %v", got.RetryAt, want)
			}
			// Inside the gap the same answer comes back without a request,
			// still saying when to come back.
			f.clock.Advance(time.Second)
			_, err = ts.Token()
			if again := Explain(err); again != got {
				t.Fatalf("cached failure explained as %+v, first %+v", again, got)
			}
			if ts.Status().State == StateNeedsReconnect || f.saved(t).NeedsReconnect {
				t.Fatal("a transient failure disconnected the channel")
			}
		})
	}
}

func TestExplainOtherErrors(t *testing.T) {
	retrieve := func(status int, code string) error {
		return &oauth2.RetrieveError{Response: &http.Response{StatusCode: status, Header: http.Header{}}, ErrorCode: code}
	}
	tests := []struct {
		name string
		err  error
		want Failure
	}{
		{"nil", nil, Failure{}},
		{"cancelled", &app.Error{Code: app.EUNAVAILABLE, Message: "Cancelled.", Err: context.Canceled}, Failure{}},
		{"deadline", fmt.Errorf("refresh: %w", context.DeadlineExceeded), Failure{}},
		{"plain network error", errors.New("dial tcp: connection refused"), Failure{}},
		{"foreign source 503", retrieve(503, ""), Failure{Status: 503}},
		{"foreign source 429", retrieve(429, ""), Failure{Status: 429}},
		{"foreign source invalid_grant", retrieve(400, "invalid_grant"), Failure{Reconnect: true, Status: 400}},
		{"forbidden app error", &app.Error{Code: app.EFORBIDDEN, Message: "Reconnect."}, Failure{Reconnect: true}},
		{"needs reconnect sentinel", fmt.Errorf("x: %w", ErrNeedsReconnect), Failure{Reconnect: true}},
	}
	for _, tt := range tests {
		if got := Explain(tt.err); got != tt.want {
			t.Errorf("%s: Explain = %+v, want %+v", tt.name, got, tt.want)
		}
	}
}
