package graphtest_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"practicepost/app/publish/internal/graph"
	"practicepost/app/publish/internal/graph/graphtest"
)

// The envelope the fakes write is the one the connectors read.
func TestWriteReadsBackAsGraphError(t *testing.T) {
	rec := httptest.NewRecorder()
	graphtest.Write(rec, graphtest.Error{Message: "(#506) Duplicate status message", Code: 506, Subcode: 1, UserTitle: "Duplicate", UserMsg: "Try something different.", Transient: true})
	g := graph.Parse(rec.Body.Bytes())
	if rec.Code != http.StatusBadRequest || g == nil {
		t.Fatalf("status %d, body %s", rec.Code, rec.Body)
	}
	if g.Type != "OAuthException" || g.CodeString() != "506/1" || g.PlatformMessage() != "Try something different." || !g.IsTransient {
		t.Fatalf("%+v", g)
	}

	rec = httptest.NewRecorder()
	graphtest.Write(rec, graphtest.Error{Status: http.StatusInternalServerError, Message: "An unexpected error has occurred.", Type: "GraphMethodException", Code: 2})
	g = graph.Parse(rec.Body.Bytes())
	if rec.Code != http.StatusInternalServerError || g == nil || g.Type != "GraphMethodException" || g.CodeString() != "2" || g.PlatformMessage() != "An unexpected error has occurred." || g.IsTransient {
		t.Fatalf("status %d, %+v", rec.Code, g)
	}
}

// An unknown object is 100/33, worded as the Instagram connector's inbox
// recognises a comment already gone.
func TestUnknown(t *testing.T) {
	rec := httptest.NewRecorder()
	graphtest.Unknown(rec, httptest.NewRequest(http.MethodDelete, "/1789", nil), "1789")
	g := graph.Parse(rec.Body.Bytes())
	if rec.Code != http.StatusBadRequest || g == nil || g.CodeString() != "100/33" ||
		g.Message != "Unsupported delete request. Object with ID '1789' does not exist, cannot be loaded due to missing permissions, or does not support this operation." {
		t.Fatalf("status %d, %+v", rec.Code, g)
	}
}

func TestToken(t *testing.T) {
	for _, tt := range []struct{ header, query, want string }{
		{"Bearer page-token", "", "page-token"},
		{"OAuth page-token", "", "page-token"},
		{"", "page-token", "page-token"},
		{"Bearer header-token", "query-token", "header-token"},
	} {
		r := httptest.NewRequest(http.MethodGet, "/me?access_token="+tt.query, nil)
		if tt.header != "" {
			r.Header.Set("Authorization", tt.header)
		}
		if got := graphtest.Token(r); got != tt.want {
			t.Errorf("Authorization %q, access_token %q: got %q, want %q", tt.header, tt.query, got, tt.want)
		}
	}
}

func TestUnexpected(t *testing.T) {
	for code, want := range map[int]string{0: "2", 1: "1"} {
		rec := httptest.NewRecorder()
		graphtest.Unexpected(rec, http.StatusServiceUnavailable, code)
		g := graph.Parse(rec.Body.Bytes())
		if rec.Code != http.StatusServiceUnavailable || g == nil || g.CodeString() != want || !g.IsTransient {
			t.Errorf("code %d: status %d, %+v", code, rec.Code, g)
		}
	}
}
