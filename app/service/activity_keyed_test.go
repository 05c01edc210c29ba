package service_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"practicepost/app"
	"practicepost/app/auth"
	"practicepost/app/service"
	"practicepost/app/store"
)

// keyedCore is a core whose activity log is sealed with a key in secrets,
// as main wires it with the OS keychain.
func keyedCore(t *testing.T, home string, secrets auth.SecretStore) *service.Core {
	t.Helper()
	c := service.NewCore(home, nil, nil, &app.FixedClock{T: time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)})
	c.Secrets = secrets
	if err := c.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	return c
}

func TestActivityVerifySaysWhatWasChecked(t *testing.T) {
	home, secrets := t.TempDir(), auth.NewMemoryStore()
	c := keyedCore(t, home, secrets)
	brand := service.NewBrandService(c)
	for _, name := range []string{"One", "Two", "Three"} {
		v, _ := brand.Get()
		v.Kit.PracticeName = name
		if _, err := brand.Save(v.Kit); err != nil {
			t.Fatal(err)
		}
	}
	res, err := service.NewActivityService(c).Verify()
	if err != nil || !res.OK || !res.Keyed || !res.Anchored {
		t.Fatalf("%+v %v", res, err)
	}
	for _, want := range []string{"intact", "password store", "nothing has been removed"} {
		if !strings.Contains(res.Summary, want) {
			t.Fatalf("summary %q lacks %q", res.Summary, want)
		}
	}
	c.Stop()

	// Someone with the file removes the newest entries.
	sdb, err := sql.Open("sqlite", "file:"+filepath.Join(home, store.FileName))
	if err != nil {
		t.Fatal(err)
	}
	sdb.SetMaxOpenConns(1)
	var ddl string
	sdb.QueryRow("SELECT sql FROM sqlite_master WHERE name = 'audit_log_no_delete'").Scan(&ddl)
	for _, q := range []string{"DROP TRIGGER audit_log_no_delete", "DELETE FROM audit_log WHERE id = (SELECT MAX(id) FROM audit_log)", ddl} {
		if _, err := sdb.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	sdb.Close()

	c = keyedCore(t, home, secrets)
	defer c.Stop()
	res, err = service.NewActivityService(c).Verify()
	if err != nil || res.OK || res.Break == nil || !strings.Contains(res.Summary, "Entries were removed from the end of the activity log") {
		t.Fatalf("%+v %v", res, err)
	}
}

func TestBackupServiceRefusesACraftedBackup(t *testing.T) {
	home, secrets := t.TempDir(), auth.NewMemoryStore()
	c := keyedCore(t, home, secrets)
	defer c.Stop()
	bs := service.NewBackupService(c)
	_, f := backupNow(t, bs)
	sdb, _ := sql.Open("sqlite", "file:"+f.Path)
	if _, err := sdb.Exec("CREATE TRIGGER keep_posting BEFORE INSERT ON consent_revocations BEGIN SELECT RAISE(IGNORE); END"); err != nil {
		t.Fatal(err)
	}
	sdb.Close()
	_, err := bs.Restore(f.Path)
	if app.ErrorCode(err) != app.EINVALID || !strings.Contains(app.ErrorMessage(err), `trigger called "keep_posting"`) {
		t.Fatalf("got %v", err)
	}
	// Through the error formatter the frontend gets the same words.
	if s, _ := service.FormatError(err).(string); !strings.Contains(s, "Your current data is unchanged") {
		t.Fatalf("formatted %s", s)
	}
}

func TestSystemInfoWarnsAboutASyncedDataFolder(t *testing.T) {
	home := filepath.Join(t.TempDir(), "Dropbox", "PracticePost")
	c := keyedCore(t, home, auth.NewMemoryStore())
	defer c.Stop()
	info, err := service.NewSystemService(c, time.Now(), nil).Info()
	if err != nil || info.DataFolderSync != "Dropbox" || !strings.Contains(info.DataFolderWarning, "Move the data folder out of Dropbox") ||
		!strings.Contains(info.DataFolderWarning, "backups are sealed and safe to sync") {
		t.Fatalf("%+v %v", info, err)
	}
	plain := keyedCore(t, t.TempDir(), auth.NewMemoryStore())
	defer plain.Stop()
	if info, _ := service.NewSystemService(plain, time.Now(), nil).Info(); info.DataFolderSync != "" || info.DataFolderWarning != "" {
		t.Fatalf("%+v", info)
	}
}
