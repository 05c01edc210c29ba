//go:build !windows

package service_test

import (
	"log/slog"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"practicepost/app/service"
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
