//go:build !windows

package service_test

import (
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"practicepost/app/service"
	"practicepost/app/studio"
)

func TestPermLogsAndExportedLogsArePrivate(t *testing.T) {
	old := syscall.Umask(0)
	defer syscall.Umask(old)
	prev := slog.Default()
	defer slog.SetDefault(prev)

	c, _ := newCore(t)
	logs := filepath.Dir(service.LogFile(c.Home))
	os.MkdirAll(logs, 0o755)
	rotated := filepath.Join(logs, "practicepost-2026-11-01T10-00-00.000.log")
	os.WriteFile(rotated, []byte("older\n"), 0o644) // as an older version left it
	closer := service.SetupLogging(c.Home, false)
	slog.Info("permission test")
	closer.Close()
	exported, err := service.NewActivityService(c).ExportLog(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for p, want := range map[string]os.FileMode{logs: 0o700, rotated: 0o600, service.LogFile(c.Home): 0o600, exported: 0o600, c.Home: 0o700} {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != want {
			t.Errorf("%s is %v, want %v", p, st.Mode().Perm(), want)
		}
	}
}

// A quote card exported from Studio, its alt-text file, and a signed form
// saved over an older file of the same name are private, whatever the
// permissions the folder or the older file would give them.
func TestPermExportedCardsAndSavedFormsArePrivate(t *testing.T) {
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	w := newQuoteWorld(t)
	r, err := w.studio.Render(fromTestimonial(w.tm.ID, studio.AttrFirstName))
	if err != nil {
		t.Fatal(err)
	}
	out, err := w.studio.Export(r.ID, t.TempDir(), "Quote card: Jane says the team made her feel at ease", true)
	if err != nil {
		t.Fatal(err)
	}
	files := append(out.Files, out.AltTextFile)

	save := &fakeSave{path: filepath.Join(t.TempDir(), "Consent signed.pdf")}
	if err := os.WriteFile(save.path, []byte("an older copy"), 0o644); err != nil {
		t.Fatal(err)
	}
	pdf, err := service.NewConsentService(w.c, service.NewLockService(w.c), save).SavePDF(w.consent.ID)
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(pdf); !strings.HasPrefix(string(b), "%PDF") {
		t.Fatalf("the saved form starts %q", b[:min(len(b), 12)])
	}
	for _, f := range append(files, pdf) {
		if st, err := os.Stat(f); err != nil || st.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v %v, want 0600", filepath.Base(f), st.Mode().Perm(), err)
		}
	}
}
