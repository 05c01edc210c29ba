package store_test

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"practicepost/app"
	"practicepost/app/store"
	"practicepost/app/store/storetest"
)

var ctx = context.Background()

// MustOpenDB opens a fresh data file in a temporary folder and closes it when the test ends.
func MustOpenDB(tb testing.TB) *store.DB {
	tb.Helper()
	return storetest.Open(tb, &app.FixedClock{T: time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)})
}

// reopen closes db and opens its file again with the same clock, as when
// the practice quits and starts the app; the new handle closes when the
// test ends. It is for files opened with store.Open (no seal or keeper).
func reopen(tb testing.TB, db *store.DB) *store.DB {
	tb.Helper()
	db.Close()
	again, err := store.Open(ctx, db.Path(), db.Clock)
	if err != nil {
		tb.Fatalf("reopening the data file: %v", err)
	}
	tb.Cleanup(func() { again.Close() })
	return again
}

func rawDB(tb testing.TB, path string) *sql.DB {
	tb.Helper()
	sdb, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { sdb.Close() })
	return sdb
}

// rename saves the brand kit under a new practice name, the change the
// backup and crash tests look for afterwards.
func rename(tb testing.TB, db *store.DB, name string) {
	tb.Helper()
	b, err := db.BrandKit(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	b.PracticeName = name
	if _, err := db.SaveBrandKit(ctx, b); err != nil {
		tb.Fatal(err)
	}
}

func TestOpenFreshAndReopen(t *testing.T) {
	db := storetest.Open(t, nil)
	b, err := db.BrandKit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if b.Colors.Primary == "" || b.HeadingFont == "" {
		t.Fatalf("fresh data file has no default brand kit: %+v", b)
	}
	page, _ := db.ListAudit(ctx, 10, 0)

	// Reopening applies nothing twice and seeds nothing twice.
	db = reopen(t, db)
	page2, _ := db.ListAudit(ctx, 10, 0)
	if page2.Total != page.Total || page.Total != 1 {
		t.Fatalf("audit entries after reopen: %d then %d, want 1 and 1", page.Total, page2.Total)
	}
	sdb := rawDB(t, db.Path())
	var n, uv int
	sdb.QueryRow("SELECT COUNT(*) FROM schema_migrations").Scan(&n)
	sdb.QueryRow("PRAGMA user_version").Scan(&uv)
	if n != store.SchemaVersion() || uv != store.SchemaVersion() {
		t.Fatalf("migrations recorded %d, user_version %d, want %d", n, uv, store.SchemaVersion())
	}
}

func TestPragmas(t *testing.T) {
	db := MustOpenDB(t)
	sdb := rawDB(t, db.Path())
	var mode string
	sdb.QueryRow("PRAGMA journal_mode").Scan(&mode)
	if mode != "wal" {
		t.Fatalf("journal_mode %q, want wal", mode)
	}
}

func TestRefuseNewerSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), store.FileName)
	db, err := store.Open(ctx, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	sdb := rawDB(t, path)
	if _, err := sdb.Exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, 'future', '2030-01-01T00:00:00Z')", store.SchemaVersion()+5); err != nil {
		t.Fatal(err)
	}
	sdb.Close()
	before, _ := os.ReadFile(path)

	_, err = store.Open(ctx, path, nil)
	if app.ErrorCode(err) != app.ECONFLICT || !strings.Contains(app.ErrorMessage(err), "newer version") {
		t.Fatalf("opening a newer data file: got %v", err)
	}
	after, _ := os.ReadFile(path)
	if string(before) != string(after) {
		t.Fatal("refusing a newer data file changed it")
	}
}

func TestOpenNotADatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), store.FileName)
	os.WriteFile(path, []byte(strings.Repeat("this is not sqlite\n", 500)), 0o600)
	_, err := store.Open(ctx, path, nil)
	if app.ErrorCode(err) != app.EINVALID || !strings.Contains(app.ErrorMessage(err), "backup") {
		t.Fatalf("got %v, want a clear invalid-file error that points at backups", err)
	}
}

func TestAuditAppendOnlyAndTamperDetected(t *testing.T) {
	db := MustOpenDB(t)
	for i := range 5 {
		b, _ := db.BrandKit(ctx)
		b.PracticeName = fmt.Sprintf("Practice %d", i)
		if _, err := db.SaveBrandKit(ctx, b); err != nil {
			t.Fatal(err)
		}
	}
	res, err := db.VerifyAudit(ctx)
	if err != nil || !res.OK || res.Entries != 6 {
		t.Fatalf("intact log: %+v %v", res, err)
	}
	sdb := rawDB(t, db.Path())
	if _, err := sdb.Exec("UPDATE audit_log SET subject = 'x' WHERE id = 3"); err == nil || !strings.Contains(err.Error(), "append-only") {
		t.Fatalf("update of the log was allowed: %v", err)
	}
	if _, err := sdb.Exec("DELETE FROM audit_log WHERE id = 3"); err == nil {
		t.Fatal("delete from the log was allowed")
	}
	// Someone with a SQLite tool drops the guard and edits a row.
	if _, err := sdb.Exec("DROP TRIGGER audit_log_no_update"); err != nil {
		t.Fatal(err)
	}
	if _, err := sdb.Exec(`UPDATE audit_log SET detail = '{"fields":"logo"}' WHERE id = 4`); err != nil {
		t.Fatal(err)
	}
	res, err = db.VerifyAudit(ctx)
	if err != nil || res.OK || res.Break == nil || res.Break.ID != 4 {
		t.Fatalf("tampered row 4 not found: %+v %v", res, err)
	}
}

func TestBrandKitRoundTripAndAudit(t *testing.T) {
	db := MustOpenDB(t)
	b, _ := db.BrandKit(ctx)
	b.PracticeName = "Harbour Dental"
	b.Hashtags = []string{"#SmileCare"}
	b.Clinicians = []app.Clinician{{Name: "Dr Amy Shah", Role: "Dentist", Regulator: "GDC", Number: "123456"}, {Name: "Tom Reid", Role: "Hygienist"}}
	saved, err := db.SaveBrandKit(ctx, b)
	if err != nil {
		t.Fatal(err)
	}
	if saved.PracticeName != "Harbour Dental" || len(saved.Clinicians) != 2 || saved.Clinicians[1].Name != "Tom Reid" {
		t.Fatalf("saved brand kit: %+v", saved)
	}
	page, _ := db.ListAudit(ctx, 1, 0)
	if got := page.Entries[0]; got.Action != "brand.update" || got.Detail["fields"] != "clinicians, hashtags, practiceName" {
		t.Fatalf("audit entry %+v", got)
	}
	// Saving the same values records nothing.
	if _, err := db.SaveBrandKit(ctx, saved); err != nil {
		t.Fatal(err)
	}
	if p2, _ := db.ListAudit(ctx, 1, 0); p2.Total != page.Total {
		t.Fatalf("an unchanged save was logged: %d → %d", page.Total, p2.Total)
	}
}

// The crash test: a child process opens the data file, commits some rows,
// then is killed in the middle of a large transaction. The parent reopens:
// the file is intact, committed rows are there, the half-done ones are not.
func TestSurvivesKillMidTransaction(t *testing.T) {
	path := filepath.Join(t.TempDir(), store.FileName)
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$")
	cmd.Env = append(os.Environ(), "PP_CRASH_CHILD="+path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(out)
	ready := false
	for sc.Scan() {
		if sc.Text() == "mid-transaction" {
			ready = true
			break
		}
	}
	if !ready {
		cmd.Wait()
		t.Fatal("child never reached the middle of its transaction")
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()

	db, err := store.OpenWith(ctx, path, store.Options{Seal: fileKeyring(filepath.Dir(path))})
	if err != nil {
		t.Fatalf("reopen after crash: %v", err)
	}
	defer db.Close()
	sdb := rawDB(t, path)
	var ok string
	sdb.QueryRow("PRAGMA integrity_check").Scan(&ok)
	if ok != "ok" {
		t.Fatalf("integrity_check after crash: %s", ok)
	}
	b, _ := db.BrandKit(ctx)
	if b.PracticeName != "Committed Practice" {
		t.Fatalf("committed change lost: practice name %q", b.PracticeName)
	}
	var blobs int
	sdb.QueryRow("SELECT COUNT(*) FROM blobs").Scan(&blobs)
	if blobs != 0 {
		t.Fatalf("%d rows of the killed transaction survived", blobs)
	}
	if res, _ := db.VerifyAudit(ctx); !res.OK {
		t.Fatalf("audit chain broken after crash: %+v", res)
	}
}

// TestCrashChild is the child half of TestSurvivesKillMidTransaction.
func TestCrashChild(t *testing.T) {
	path := os.Getenv("PP_CRASH_CHILD")
	if path == "" {
		return // only meaningful as the child process
	}
	db, err := store.OpenWith(ctx, path, store.Options{Seal: fileKeyring(filepath.Dir(path))})
	if err != nil {
		t.Fatal(err)
	}
	rename(t, db, "Committed Practice")
	db.Tx(ctx, func(tx *store.Tx) error {
		for i := range 2000 {
			if _, err := tx.PutBlob(ctx, []byte(fmt.Sprintf("blob %d %s", i, strings.Repeat("x", 4096))), "text/plain", 0, 0); err != nil {
				t.Fatal(err)
			}
			if i == 1000 {
				fmt.Println("mid-transaction")
				time.Sleep(time.Minute) // killed here
			}
		}
		return nil
	})
}

func BenchmarkOpenMigrate10k(b *testing.B) {
	path := filepath.Join(b.TempDir(), store.FileName)
	db, err := store.Open(ctx, path, nil)
	if err != nil {
		b.Fatal(err)
	}
	// 10,000 rows: activity entries and small media, as after months of use.
	err = db.Tx(ctx, func(tx *store.Tx) error {
		for i := range 5000 {
			if err := tx.Audit(ctx, "practice manager", "brand.update", "brand kit", map[string]string{"fields": "phone"}); err != nil {
				return err
			}
			if _, err := tx.PutBlob(ctx, []byte(fmt.Sprintf("media %d %s", i, strings.Repeat("y", 2048))), "image/png", 10, 10); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	db.Close()
	b.ResetTimer()
	for b.Loop() {
		db, err := store.Open(ctx, path, nil)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := db.BrandKit(ctx); err != nil {
			b.Fatal(err)
		}
		db.Close()
	}
}

// BenchmarkCreateAndMigrate is a first start: a new data file migrated from
// nothing to the newest schema and seeded.
func BenchmarkCreateAndMigrate(b *testing.B) {
	dir := b.TempDir()
	i := 0
	for b.Loop() {
		i++
		db, err := store.Open(ctx, filepath.Join(dir, fmt.Sprintf("fresh-%d.db", i)), nil)
		if err != nil {
			b.Fatal(err)
		}
		db.Close()
	}
}
