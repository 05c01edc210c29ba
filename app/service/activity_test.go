package service_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"practicepost/app"
	"practicepost/app/service"
)

func TestExportLogJoinsRotatedFilesOldestFirst(t *testing.T) {
	c, _ := newCore(t)
	logs := filepath.Dir(service.LogFile(c.Home))
	if err := os.MkdirAll(logs, 0o700); err != nil {
		t.Fatal(err)
	}
	for name, body := range map[string]string{
		"practicepost-2026-11-01T10-00-00.000.log": "oldest\n",
		"practicepost-2026-11-20T10-00-00.000.log": "older\n",
		"practicepost.log":                         "current\n",
	} {
		if err := os.WriteFile(filepath.Join(logs, name), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	a := service.NewActivityService(c)
	out := t.TempDir()
	name, err := a.ExportLog(out)
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Dir(name) != out || !strings.HasPrefix(filepath.Base(name), "PracticePost-log-") {
		t.Fatalf("saved as %s", name)
	}
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	i, j, k := strings.Index(s, "oldest"), strings.Index(s, "older"), strings.Index(s, "current")
	if i < 0 || j < i || k < j {
		t.Fatalf("log parts out of order:\n%s", s)
	}
}

func TestExportLogBadFolderChangesNothing(t *testing.T) {
	c, _ := newCore(t)
	a := service.NewActivityService(c)
	missing := filepath.Join(t.TempDir(), "gone")
	_, err := a.ExportLog(missing)
	if app.ErrorCode(err) != app.EINVALID || !strings.Contains(app.ErrorMessage(err), "does not exist") {
		t.Fatalf("err = %v", err)
	}
	if _, err := os.Stat(missing); !os.IsNotExist(err) {
		t.Fatal("a missing folder was created")
	}
	if _, err := a.SaveLog(); app.ErrorCode(err) != app.EUNAVAILABLE {
		t.Fatalf("SaveLog without dialogs: %v", err)
	}
}
