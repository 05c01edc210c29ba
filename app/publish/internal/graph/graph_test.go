package graph

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"practicepost/app/publish"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name, raw     string
		want          bool
		code, message string
	}{
		{"expired token", `{"error":{"message":"Error validating access token","type":"OAuthException","code":190,"error_subcode":463,"fbtrace_id":"A1"}}`, true, "190/463", "Error validating access token"},
		{"user message preferred", `{"error":{"message":"(#506) Duplicate","code":506,"error_user_msg":"You already posted this."}}`, true, "506", "You already posted this."},
		{"success body", `{"id":"123_456"}`, false, "", ""},
		{"not JSON", `<html>502 Bad Gateway</html>`, false, "", ""},
		{"null error", `{"error":null}`, false, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := Parse([]byte(tt.raw))
			if (e != nil) != tt.want {
				t.Fatalf("Parse = %+v, want envelope %v", e, tt.want)
			}
			if e == nil {
				return
			}
			if e.CodeString() != tt.code || e.PlatformMessage() != tt.message {
				t.Fatalf("got %q %q, want %q %q", e.CodeString(), e.PlatformMessage(), tt.code, tt.message)
			}
		})
	}
}

func TestUnenveloped(t *testing.T) {
	now := time.Date(2026, 9, 1, 9, 0, 0, 0, time.UTC)
	raw := []byte(`<html>502 Bad Gateway</html>`)
	for status, want := range map[int]publish.Kind{
		http.StatusBadGateway:      publish.KindTransient,
		http.StatusTooManyRequests: publish.KindRateLimited,
		http.StatusNotFound:        publish.KindRejected,
	} {
		e := Unenveloped(publish.Instagram, status, raw, now)
		if e.Platform != publish.Instagram || e.Kind != want || e.Status != status || e.PlatformMessage != http.StatusText(status) || string(e.Raw) != string(raw) {
			t.Errorf("HTTP %d: %+v", status, e)
		}
	}
}

func TestPageAfter(t *testing.T) {
	for _, tt := range []struct{ name, raw, want string }{
		{"more to come", `{"data":[{"id":"1"}],"paging":{"cursors":{"after":"QVFI"},"next":"https://graph.facebook.com/v23.0/1/comments?after=QVFI"}}`, "QVFI"},
		// Graph keeps the cursors on the last page; only "next" says more follow.
		{"last page with a cursor", `{"data":[{"id":"1"}],"paging":{"cursors":{"after":"QVFI"}}}`, ""},
		{"next without a cursor", `{"data":[],"paging":{"next":"https://graph.facebook.com/x"}}`, ""},
		{"no paging", `{"data":[]}`, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var p Page[struct {
				ID string `json:"id"`
			}]
			if err := json.Unmarshal([]byte(tt.raw), &p); err != nil {
				t.Fatal(err)
			}
			if got := p.After(); got != tt.want {
				t.Errorf("After() = %q, want %q", got, tt.want)
			}
		})
	}
}
