package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"practicepost/app/update"
)

// The tool's keys and feeds are the ones the app accepts.
func TestKeygenAndSignMakeAFeedTheAppAccepts(t *testing.T) {
	dir := t.TempDir()
	key := filepath.Join(dir, "feed.key")
	var out bytes.Buffer
	if err := run([]string{"keygen", "-out", key}, &out); err != nil {
		t.Fatal(err)
	}
	pub := strings.TrimPrefix(strings.TrimSpace(out.String()), "PRACTICEPOST_UPDATE_PUBLIC_KEY=")
	if st, err := os.Stat(key); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v %v", st, err)
	}
	if err := run([]string{"keygen", "-out", key}, &out); err == nil {
		t.Fatal("keygen overwrote an existing key")
	}
	inst := filepath.Join(dir, "PracticePost-amd64-installer.exe")
	if err := os.WriteFile(inst, []byte("MZ installer"), 0o644); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if err := run([]string{"sign", "-key", key, "-version", "1.3.0", "-installer", "https://example.org/i.exe", "-file", inst, "-notes", "New."}, &out); err != nil {
		t.Fatal(err)
	}
	feed := out.Bytes()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(feed) }))
	defer srv.Close()
	res, err := update.Checker{FeedURL: srv.URL, PublicKey: pub, Client: srv.Client()}.Check(context.Background(), "1.2.0")
	if err != nil || !res.Available || res.Release.Version != "1.3.0" || len(res.Release.SHA256) != 64 {
		t.Fatalf("%+v %v", res, err)
	}
	if err := run([]string{"sign", "-key", key, "-version", "latest", "-installer", "x", "-file", inst}, &out); err == nil {
		t.Fatal("a feed without a version was signed")
	}
}
