package store_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"practicepost/app"
	"practicepost/app/store"
	"practicepost/app/store/storetest"
)

func TestBackupRestore(t *testing.T) {
	db := MustOpenDB(t)
	rename(t, db, "Harbour Dental")

	dir := t.TempDir()
	var seen []float64
	f, err := db.Backup(ctx, dir, func(p float64) { seen = append(seen, p) })
	if err != nil {
		t.Fatal(err)
	}
	if len(seen) < 2 || seen[0] != 0 || seen[len(seen)-1] != 1 {
		t.Fatalf("progress went %v, want 0 … 1", seen)
	}
	if _, err := os.Stat(f.Path + ".partial"); !os.IsNotExist(err) {
		t.Fatal("partial file left behind")
	}

	rename(t, db, "Renamed Practice")

	safety, err := db.Restore(ctx, f.Path, filepath.Join(t.TempDir(), "safety"))
	if err != nil {
		t.Fatal(err)
	}
	got, _ := db.BrandKit(ctx)
	if got.PracticeName != "Harbour Dental" {
		t.Fatalf("after restore practice name %q, want the backed-up one", got.PracticeName)
	}
	// The replaced data is kept and holds the newer name.
	sdb := rawDB(t, safety)
	var name string
	if err := sdb.QueryRow("SELECT practice_name FROM brand_kit").Scan(&name); err != nil || name != "Renamed Practice" {
		t.Fatalf("safety copy holds %q (%v)", name, err)
	}
	page, _ := db.ListAudit(ctx, 1, 0)
	if page.Entries[0].Action != "backup.restore" {
		t.Fatalf("restore not logged: %+v", page.Entries[0])
	}
	if res, _ := db.VerifyAudit(ctx); !res.OK {
		t.Fatalf("chain broken after restore: %+v", res)
	}
	// The restored database keeps working.
	rename(t, db, "After Restore")
}

func TestRestoreRefusesBadFiles(t *testing.T) {
	db := MustOpenDB(t)
	rename(t, db, "Current Practice")
	dir := t.TempDir()

	notDB := filepath.Join(dir, "garbage.ppbackup")
	os.WriteFile(notDB, []byte(strings.Repeat("nope", 2000)), 0o600)

	otherSQLite := filepath.Join(dir, "other.ppbackup")
	o := rawDB(t, otherSQLite)
	o.Exec("CREATE TABLE x (a)")
	o.Close()

	good, err := db.Backup(ctx, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	truncated := filepath.Join(dir, "truncated.ppbackup")
	data, _ := os.ReadFile(good.Path)
	os.WriteFile(truncated, data[:len(data)/2], 0o600)

	newer := filepath.Join(dir, "newer.ppbackup")
	os.WriteFile(newer, data, 0o600)
	n := rawDB(t, newer)
	if _, err := n.Exec("INSERT INTO schema_migrations VALUES (999, 'future', 'x')"); err != nil {
		t.Fatal(err)
	}
	n.Close()

	for _, tc := range []struct {
		file, code, says string
	}{
		{notDB, app.EINVALID, "damaged"},
		{otherSQLite, app.EINVALID, "not a PracticePost backup"},
		{truncated, app.EINVALID, "damaged"},
		{newer, app.ECONFLICT, "newer version"},
		{filepath.Join(dir, "missing.ppbackup"), app.EINVALID, "could not read"},
		{filepath.Join(dir, "notes.txt"), app.EINVALID, "not a PracticePost backup"},
	} {
		t.Run(filepath.Base(tc.file), func(t *testing.T) {
			_, err := db.Restore(ctx, tc.file, filepath.Join(dir, "safety"))
			if app.ErrorCode(err) != tc.code || !strings.Contains(app.ErrorMessage(err), tc.says) {
				t.Fatalf("got %v, want %s saying %q", err, tc.code, tc.says)
			}
			got, _ := db.BrandKit(ctx)
			if got.PracticeName != "Current Practice" {
				t.Fatalf("a refused restore changed the data: %q", got.PracticeName)
			}
		})
	}
}

func TestBackupToMissingFolder(t *testing.T) {
	db := MustOpenDB(t)
	_, err := db.Backup(ctx, filepath.Join(t.TempDir(), "no", "such"), nil)
	if app.ErrorField(err) != "folder" {
		t.Fatalf("got %v", err)
	}
}

func TestAutoBackupKeepsSeven(t *testing.T) {
	clock := &app.FixedClock{T: time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)}
	db := storetest.Open(t, clock)
	dir := t.TempDir()
	manual, _ := db.Backup(ctx, dir, nil)
	for day := range 10 {
		wrote, err := db.AutoBackup(ctx, dir, 7)
		if err != nil || !wrote {
			t.Fatalf("day %d: wrote=%v err=%v", day, wrote, err)
		}
		// A second run the same day writes nothing.
		if wrote, _ := db.AutoBackup(ctx, dir, 7); wrote {
			t.Fatalf("day %d: second automatic backup on one day", day)
		}
		clock.Advance(24 * time.Hour)
	}
	list, _ := store.ListBackups(dir)
	autos := 0
	for _, f := range list {
		if f.Automatic {
			autos++
		}
	}
	if autos != 7 {
		t.Fatalf("%d automatic backups kept, want 7", autos)
	}
	if _, err := os.Stat(manual.Path); err != nil {
		t.Fatal("pruning removed a manual backup")
	}
	if _, err := os.Stat(filepath.Join(dir, "auto "+time.Date(2026, 11, 3, 12, 0, 0, 0, time.UTC).Local().Format("2006-01-02")+store.BackupExt)); !os.IsNotExist(err) {
		t.Fatal("the oldest automatic backups were not pruned")
	}
}
