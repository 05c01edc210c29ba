package update_test

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"practicepost/app/update"
)

type server struct {
	feed, installer []byte
	hits            int
}

func (s *server) start(t *testing.T) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.hits++
		switch r.URL.Path {
		case "/feed.json":
			w.Write(s.feed)
		case "/PracticePost-amd64-installer.exe":
			w.Write(s.installer)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

func keys(t *testing.T) (string, ed25519.PrivateKey) {
	pub, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(pub), priv
}

func setup(t *testing.T, version string) (*server, update.Checker, update.Release, ed25519.PrivateKey) {
	t.Helper()
	pub, priv := keys(t)
	s := &server{installer: []byte("MZ pretend installer")}
	srv := s.start(t)
	sum := sha256.Sum256(s.installer)
	r := update.Release{Version: version, Notes: "Reviews replies.", Page: srv.URL + "/releases/" + version,
		Installer: srv.URL + "/PracticePost-amd64-installer.exe", SHA256: hex.EncodeToString(sum[:])}
	feed, err := update.Sign(r, priv)
	if err != nil {
		t.Fatal(err)
	}
	s.feed = feed
	return s, update.Checker{FeedURL: srv.URL + "/feed.json", PublicKey: pub, Client: srv.Client()}, r, priv
}

func TestGoodFeedAndInstaller(t *testing.T) {
	_, c, r, _ := setup(t, "1.3.0")
	res, err := c.Check(context.Background(), "1.2.0+4.abc1234")
	if err != nil {
		t.Fatal(err)
	}
	if !res.Available || res.Release != r {
		t.Fatalf("got %+v", res)
	}
	dir := t.TempDir()
	p, err := c.Download(context.Background(), res.Release, dir)
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(p); string(b) != "MZ pretend installer" || !strings.HasSuffix(p, "PracticePost-amd64-installer.exe") {
		t.Fatalf("downloaded %s: %q", p, b)
	}
}

func TestNeverADowngradeOrTheSameVersion(t *testing.T) {
	for _, current := range []string{"1.3.0", "1.3.1", "2.0.0-rc.1", "1.3.0+2.abc1234"} {
		_, c, _, _ := setup(t, "1.3.0")
		res, err := c.Check(context.Background(), current)
		if err != nil || res.Available {
			t.Errorf("current %s: %+v, %v", current, res, err)
		}
	}
	// A development build (0.0.0-dev) is offered the release.
	_, c, _, _ := setup(t, "1.3.0")
	if res, err := c.Check(context.Background(), "0.0.0-dev+abc1234"); err != nil || !res.Available {
		t.Fatalf("dev build: %+v, %v", res, err)
	}
}

func TestTamperedFeed(t *testing.T) {
	s, c, _, _ := setup(t, "1.3.0")
	// The version raised by hand after signing.
	s.feed = []byte(strings.Replace(string(s.feed), `1.3.0`, `9.3.0`, 1))
	if _, err := c.Check(context.Background(), "1.2.0"); !errors.Is(err, update.ErrSignature) {
		t.Fatalf("tampered feed: %v", err)
	}
	s.feed = []byte(`{"release": {"version": "9.0.0"}, "signature": "bm90IGEgc2lnbmF0dXJl"}`)
	if _, err := c.Check(context.Background(), "1.2.0"); !errors.Is(err, update.ErrSignature) {
		t.Fatalf("forged signature: %v", err)
	}
	s.feed = []byte(`<html>captive portal</html>`)
	if _, err := c.Check(context.Background(), "1.2.0"); err == nil || errors.Is(err, update.ErrOffline) {
		t.Fatalf("not a feed: %v", err)
	}
}

func TestWrongKey(t *testing.T) {
	_, c, _, _ := setup(t, "1.3.0")
	other, _ := keys(t)
	c.PublicKey = other
	if _, err := c.Check(context.Background(), "1.2.0"); !errors.Is(err, update.ErrSignature) {
		t.Fatalf("wrong key: %v", err)
	}
	c.PublicKey = "not base64!"
	if _, err := c.Check(context.Background(), "1.2.0"); err == nil {
		t.Fatal("a broken key was accepted")
	}
}

func TestTamperedInstaller(t *testing.T) {
	s, c, r, _ := setup(t, "1.3.0")
	s.installer[0] ^= 1
	dir := t.TempDir()
	if _, err := c.Download(context.Background(), r, dir); !errors.Is(err, update.ErrHash) {
		t.Fatalf("tampered installer: %v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("a tampered installer was kept: %v", entries)
	}
	r.SHA256 = "abc"
	if _, err := c.Download(context.Background(), r, dir); !errors.Is(err, update.ErrHash) {
		t.Fatalf("no hash: %v", err)
	}
}

func TestOffline(t *testing.T) {
	_, c, _, _ := setup(t, "1.3.0")
	srv := httptest.NewServer(http.NotFoundHandler())
	u := srv.URL
	srv.Close() // nothing listens there now
	c.FeedURL = u + "/feed.json"
	c.Client = nil
	if _, err := c.Check(context.Background(), "1.2.0"); !errors.Is(err, update.ErrOffline) {
		t.Fatalf("offline: %v", err)
	}
	// A server that answers with an error is not "offline": it is said.
	s, c2, _, _ := setup(t, "1.3.0")
	c2.FeedURL += ".missing"
	if _, err := c2.Check(context.Background(), "1.2.0"); err == nil || errors.Is(err, update.ErrOffline) || !strings.Contains(err.Error(), "404") {
		t.Fatalf("404: %v", err)
	}
	if s.hits != 1 {
		t.Fatalf("hits %d", s.hits)
	}
}
