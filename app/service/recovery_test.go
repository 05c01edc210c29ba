package service_test

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"practicepost/app"
	"practicepost/app/auth"
	"practicepost/app/service"
	"practicepost/app/store"
)

// coreWithKeys is a Core whose keys live in secrets, as the app's do in the
// OS keychain.
func coreWithKeys(t *testing.T, home string, secrets auth.SecretStore) (*service.Core, error) {
	t.Helper()
	c := service.NewCore(home, nil, nil, &app.FixedClock{T: time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)})
	c.Secrets = secrets
	t.Cleanup(c.Stop)
	return c, c.Start(context.Background())
}

// keyedCore is coreWithKeys for tests where the start must succeed.
func keyedCore(t *testing.T, home string, secrets auth.SecretStore) *service.Core {
	t.Helper()
	c, err := coreWithKeys(t, home, secrets)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func copyDir(t *testing.T, from, to string) {
	t.Helper()
	for _, n := range []string{store.FileName, store.FileName + "-wal"} {
		b, err := os.ReadFile(filepath.Join(from, n))
		if os.IsNotExist(err) {
			continue
		} else if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(to, n), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

func TestRecoveryKeyMovesThePracticeToANewComputer(t *testing.T) {
	home := t.TempDir()
	c, err := coreWithKeys(t, home, auth.NewMemoryStore())
	if err != nil {
		t.Fatal(err)
	}
	lock := service.NewLockService(c)
	save := &fakeSave{path: filepath.Join(t.TempDir(), "sheet")}
	rec := service.NewRecoveryService(c, lock, save)
	if st, err := rec.Status(); err != nil || st.Made || st.NeedsKey {
		t.Fatalf("a new practice: %+v %v", st, err)
	}
	if _, err := service.NewPatientService(c, lock).Create(service.PatientInput{FullName: "Ivo Trelawney", DateOfBirth: "1980-05-04", Email: "ivo@example.com"}); err != nil {
		t.Fatal(err)
	}
	key, err := rec.Make()
	if err != nil || len(key.Words) != 14 {
		t.Fatalf("%+v %v", key, err)
	}
	if st, _ := rec.Status(); !st.Made || st.MadeAt == nil {
		t.Fatalf("after making the key: %+v", st)
	}
	words := strings.Join(key.Words, " ")

	// The sheet: only for the current key, a private PDF.
	if _, err := rec.SaveSheet("abacus acorn"); app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("a sheet for two words: %v", err)
	}
	path, err := rec.SaveSheet(words)
	if err != nil || path != save.path+".pdf" {
		t.Fatalf("sheet: %q %v", path, err)
	}
	pdf, _ := os.ReadFile(path)
	st, _ := os.Stat(path)
	if !bytes.HasPrefix(pdf, []byte("%PDF")) || st.Mode().Perm() != 0o600 {
		t.Fatalf("sheet file: %q… mode %v", pdf[:8], st.Mode().Perm())
	}
	older := words
	key2, err := rec.Make()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := rec.SaveSheet(older); app.ErrorCode(err) != app.EINVALID || !strings.Contains(app.ErrorMessage(err), "not your current recovery key") {
		t.Fatalf("a sheet for the replaced key: %v", err)
	}
	words = strings.Join(key2.Words, " ")
	c.Stop()

	// The new computer: the data folder copied, an empty keychain.
	newHome := t.TempDir()
	copyDir(t, home, newHome)
	c2, err := coreWithKeys(t, newHome, auth.NewMemoryStore())
	if app.ErrorCode(err) != app.ERECOVERY {
		t.Fatalf("opening on a new computer: %v", err)
	}
	info, _ := service.NewSystemService(c2, time.Now(), nil).Info()
	if info.OpenErrorCode != app.ERECOVERY || !strings.Contains(info.OpenError, "recovery key") {
		t.Fatalf("start-up screen: %+v", info)
	}
	rec2 := service.NewRecoveryService(c2, service.NewLockService(c2), nil)
	if st, _ := rec2.Status(); !st.NeedsKey {
		t.Fatalf("status on the new computer: %+v", st)
	}
	if err := rec2.Unlock(older); app.ErrorCode(err) != app.EINVALID || !strings.Contains(app.ErrorMessage(err), "does not open") {
		t.Fatalf("the replaced key: %v", err)
	}
	if err := rec2.Unlock("not the words"); app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("three words: %v", err)
	}
	if _, err := c2.DB(); app.ErrorCode(err) != app.ERECOVERY {
		t.Fatalf("a refused key opened the data: %v", err)
	}
	if err := rec2.Unlock(words); err != nil {
		t.Fatal(err)
	}
	ps, err := service.NewPatientService(c2, service.NewLockService(c2)).List("")
	if err != nil || len(ps) != 1 || ps[0].Patient.FullName != "Ivo Trelawney" {
		t.Fatalf("patients on the new computer: %+v %v", ps, err)
	}
	if err := rec2.Unlock(words); app.ErrorCode(err) != app.ECONFLICT {
		t.Fatalf("a second unlock: %v", err)
	}
	res, err := service.NewActivityService(c2).Verify()
	if err != nil || !res.OK {
		t.Fatalf("activity log on the new computer: %+v %v", res, err)
	}
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
