package service_test

import (
	"bytes"
	"context"
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
