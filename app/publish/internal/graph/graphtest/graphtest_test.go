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
