package service_test

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"practicepost/app"
	"practicepost/app/autostart"
	"practicepost/app/release"
	"practicepost/app/service"
	"practicepost/app/update"
)

func systemWorld(t *testing.T) (*service.Services, *app.FixedClock) {
	t.Helper()
	clock := &app.FixedClock{T: time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)}
	c := startCore(t, t.TempDir(), &recorder{}, nil, clock)
	svc := service.NewServices(c, service.Deps{Started: time.Now()})
	return svc, clock
}

func TestMissingSignInsInABuildWithoutClientIDs(t *testing.T) {
	svc, _ := systemWorld(t)
	names := func(screen string) string {
		got, err := svc.System.MissingSignIns(screen)
		if err != nil {
			t.Fatal(err)
		}
		var n []string
		for _, s := range got {
			n = append(n, s.Name+": "+s.Otherwise)
		}
		return strings.Join(n, "\n")
	}
	// Tests are built without -ldflags: every sign-in is missing.
	ch := names("Channels")
	for _, want := range []string{"X:", "Google Business Profile:", "LinkedIn (browser sign-in): Connect LinkedIn with a pasted access token"} {
		if !strings.Contains(ch, want) {
			t.Errorf("Channels lacks %q:\n%s", want, ch)
		}
	}
	if strings.Contains(ch, "Gmail") || strings.Contains(ch, "Microsoft") {
		t.Errorf("Channels names mailbox sign-ins:\n%s", ch)
	}
	mb := names("Mailbox")
	if !strings.Contains(mb, "Gmail or Google Workspace: Connect the mailbox with an app password") || !strings.Contains(mb, "Microsoft 365") {
		t.Errorf("Mailbox:\n%s", mb)
	}
	if _, err := svc.System.MissingSignIns("Studio"); app.ErrorField(err) != "screen" {
		t.Fatalf("unknown screen: %v", err)
	}
}

func TestStartAtLoginAndClosing(t *testing.T) {
	svc, _ := systemWorld(t)
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", "")
	exe := "/opt/PracticePost/PracticePost"
	svc.System.Release.Executable = func() (string, error) { return exe, nil }

	v, err := svc.System.Background()
	if err != nil || v.StartAtLogin || !v.CanStartAtLogin || !v.CloseKeepsRunning {
		t.Fatalf("defaults: %+v %v", v, err)
	}
	if v, err = svc.System.SetStartAtLogin(true); err != nil || !v.StartAtLogin || v.StartAtLoginNote != "" {
		t.Fatalf("on: %+v %v", v, err)
	}
	entry := filepath.Join(home, ".config", "autostart", "practicepost.desktop")
	if b, err := os.ReadFile(entry); err != nil || !strings.Contains(string(b), `Exec="/opt/PracticePost/PracticePost" --at-login`) {
		t.Fatalf("entry: %s %v", b, err)
	}
	// Another copy of PracticePost now runs: the setting says which starts.
	exe = "/home/sam/PracticePost"
	if v, _ = svc.System.Background(); !v.StartAtLogin || !strings.Contains(v.StartAtLoginNote, "/opt/PracticePost/PracticePost") {
		t.Fatalf("moved: %+v", v)
	}
	if v, err = svc.System.SetStartAtLogin(false); err != nil || v.StartAtLogin {
		t.Fatalf("off: %+v %v", v, err)
	}
	if _, err := os.Stat(entry); !os.IsNotExist(err) {
		t.Fatalf("entry left: %v", err)
	}
	// A system that refuses says where to try again.
	svc.System.Release.Login = func() (autostart.Login, error) { return brokenLogin{}, nil }
	if _, err := svc.System.SetStartAtLogin(true); err == nil || !strings.Contains(app.ErrorMessage(err), "Settings → Running in the background") {
		t.Fatalf("refused: %v", err)
	}

	// Closing: keeps running by default while posts wait; the setting quits.
	if v, err = svc.System.SetCloseKeepsRunning(false); err != nil || v.CloseKeepsRunning {
		t.Fatalf("close quits: %+v %v", v, err)
	}
	if svc.KeepRunning() {
		t.Fatal("closing should quit")
	}
	if v, _ = svc.System.SetCloseKeepsRunning(true); !v.CloseKeepsRunning {
		t.Fatal("keep running again")
	}
	title, body := svc.StillRunning()
	if title == "" || !strings.Contains(body, "Quit PracticePost") {
		t.Fatalf("notice: %q %q", title, body)
	}
}

type brokenLogin struct{}

func (brokenLogin) Enabled() (bool, string, error) { return false, "", nil }
func (brokenLogin) Enable(string) error            { return os.ErrPermission }
func (brokenLogin) Disable() error                 { return os.ErrPermission }

func TestUpdatesAgainstALocalFeed(t *testing.T) {
	svc, clock := systemWorld(t)
	// No feed in this build: no check, and Settings says so.
	v, err := svc.System.Updates()
	if err != nil || v.Configured || !strings.Contains(v.Message, "does not look for new versions") {
		t.Fatalf("no feed: %+v %v", v, err)
	}

	pub, priv, _ := ed25519.GenerateKey(nil)
	feed, err := update.Sign(update.Release{Version: "1.3.0", Notes: "Replies to reviews.", Page: "https://practicepost.app/releases/1.3.0",
		Installer: "https://practicepost.app/dl/PracticePost-amd64-installer.exe", SHA256: strings.Repeat("ab", 32)}, priv)
	if err != nil {
		t.Fatal(err)
	}
	hits := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits++; w.Write(feed) }))
	defer srv.Close()
	svc.System.Release.Feed = update.Checker{FeedURL: srv.URL, PublicKey: base64.StdEncoding.EncodeToString(pub), Client: srv.Client()}

	v, err = svc.System.Updates()
	if err != nil || !v.Configured || !v.Available || v.Version != "1.3.0" || v.Page == "" || !v.CheckedAt.Equal(clock.T) || hits != 1 {
		t.Fatalf("good feed: %+v %v hits %d", v, err, hits)
	}
	// At most daily by itself.
	clock.T = clock.T.Add(23 * time.Hour)
	if v, _ = svc.System.Updates(); hits != 1 || !v.Available {
		t.Fatalf("within a day: hits %d %+v", hits, v)
	}
	clock.T = clock.T.Add(2 * time.Hour)
	if svc.System.Updates(); hits != 2 {
		t.Fatalf("after a day: hits %d", hits)
	}
	// Offline: silent by itself, said on Check now; the last result stays.
	srv.Close()
	clock.T = clock.T.Add(25 * time.Hour)
	if v, err = svc.System.Updates(); err != nil || v.Message != "" || !v.Available {
		t.Fatalf("offline, automatic: %+v %v", v, err)
	}
	if v, err = svc.System.CheckForUpdates(); err != nil || !strings.Contains(v.Message, "could not reach") {
		t.Fatalf("offline, Check now: %+v %v", v, err)
	}
	// A feed signed with another key is refused and said.
	srv2 := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(feed) }))
	defer srv2.Close()
	other, _, _ := ed25519.GenerateKey(nil)
	svc.System.Release.Feed = update.Checker{FeedURL: srv2.URL, PublicKey: base64.StdEncoding.EncodeToString(other), Client: srv2.Client()}
	if v, err = svc.System.CheckForUpdates(); err != nil || !strings.Contains(v.Message, "did not check out") {
		t.Fatalf("wrong key: %+v %v", v, err)
	}
}

func TestInstallUpdateRunsOnlyTheSignedInstaller(t *testing.T) {
	svc, _ := systemWorld(t)
	pub, priv, _ := ed25519.GenerateKey(nil)
	installer := []byte("MZ PracticePost 1.3.0 installer")
	var feed []byte
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/PracticePost-amd64-installer.exe" {
			w.Write(installer)
			return
		}
		w.Write(feed)
	}))
	defer srv.Close()
	sum := sha256.Sum256(installer)
	sign := func(version string) {
		var err error
		feed, err = update.Sign(update.Release{Version: version, Installer: srv.URL + "/PracticePost-amd64-installer.exe",
			SHA256: hex.EncodeToString(sum[:]), Page: "https://practicepost.app/releases/" + version}, priv)
		if err != nil {
			t.Fatal(err)
		}
	}
	sign("1.3.0")
	var ran []string
	quits := 0
	svc.System.Release.Feed = update.Checker{FeedURL: srv.URL + "/feed.json", PublicKey: base64.StdEncoding.EncodeToString(pub), Client: srv.Client()}
	svc.System.Release.RunInstaller = func(p string) error { ran = append(ran, p); return nil }
	svc.System.Release.Quit = func() { quits++ }

	// The installer is changed on the server after the feed was signed.
	installer[0] ^= 1
	if _, err := svc.System.InstallUpdate(); err == nil || !strings.Contains(app.ErrorMessage(err), "not the one the update feed signed") || len(ran) != 0 || quits != 0 {
		t.Fatalf("tampered: %v ran %v quits %d", err, ran, quits)
	}
	installer[0] ^= 1

	v, err := svc.System.InstallUpdate()
	if err != nil || !v.CanInstall || len(ran) != 1 || quits != 1 {
		t.Fatalf("install: %+v %v ran %v quits %d", v, err, ran, quits)
	}
	if b, _ := os.ReadFile(ran[0]); string(b) != string(installer) || filepath.Base(filepath.Dir(ran[0])) != "updates" {
		t.Fatalf("ran %s: %q", ran[0], b)
	}

	// Now running 1.3.0, a replayed older feed offers nothing and runs nothing.
	saved := release.Version
	t.Cleanup(func() { release.Version = saved })
	release.Version = "1.3.0"
	sign("1.2.0")
	if _, err := svc.System.InstallUpdate(); app.ErrorCode(err) != app.ECONFLICT || len(ran) != 1 {
		t.Fatalf("downgrade: %v ran %v", err, ran)
	}
	release.Version = saved
	// Off Windows the button is not offered and the error says what to do.
	sign("1.3.0")
	svc.System.Release.RunInstaller = nil
	if v, _ := svc.System.Updates(); v.CanInstall || !v.Available {
		t.Fatalf("no installer runner: %+v", v)
	}
	if _, err := svc.System.InstallUpdate(); err == nil || !strings.Contains(app.ErrorMessage(err), "only on Windows") {
		t.Fatalf("not Windows: %v", err)
	}
}
