package service_test

import (
	"net/http/httptest"
	"testing"

	"practicepost/app"
	"practicepost/app/service"
)

func TestMediaNotStoredAndHiddenWhileLocked(t *testing.T) {
	w := newConsentWorld(t, "GB")
	w.setPIN(t)
	p := w.patient(t, "Maya Patel", "1980-03-04")
	shown := w.upload(t, "before.png", pngBytes(t, 40, 30))
	other := w.upload(t, "other.png", pngBytes(t, 41, 30))
	get := func(url string) *httptest.ResponseRecorder {
		rr := httptest.NewRecorder()
		service.AssetHandler(w.core).ServeHTTP(rr, httptest.NewRequest("GET", url, nil))
		return rr
	}
	for _, v := range []service.MediaView{shown, other} {
		if rr := get(v.URL); rr.Code != 200 || rr.Header().Get("Cache-Control") != "no-store" {
			t.Fatalf("unlocked %s: %d %q", v.URL, rr.Code, rr.Header().Get("Cache-Control"))
		}
	}

	req := w.request(t, p)
	req.Media = []app.ConsentMedia{{SHA256: shown.SHA256, Kind: "photo", Label: "Before"}}
	if _, err := w.consents.HandToPatient(req); err != nil {
		t.Fatal(err)
	}
	// The form's own photo shows on the signing screen; nothing else does.
	if rr := get(shown.URL); rr.Code != 200 || rr.Header().Get("Cache-Control") != "no-store" {
		t.Fatalf("form photo while locked: %d", rr.Code)
	}
	if rr := get(other.URL); rr.Code != 404 || rr.Body.Len() > 64 {
		t.Fatalf("another photo while locked: %d %d bytes", rr.Code, rr.Body.Len())
	}
	if _, err := w.lock.Unlock("4821"); err != nil {
		t.Fatal(err)
	}
	if rr := get(other.URL); rr.Code != 200 {
		t.Fatalf("after unlock: %d", rr.Code)
	}
}
