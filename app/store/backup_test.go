package store_test

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"practicepost/app"
	"practicepost/app/audit"
	"practicepost/app/auth"
	"practicepost/app/seal"
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

// keyedDB opens a data file whose activity log is keyed with a key in
// secrets (a stand-in for the OS keychain).
// keyedFile is a new keyed data file: its path, the keychain that holds
// its keys (to open it again) and the open file.
func keyedFile(t *testing.T) (string, *auth.MemoryStore, *store.DB) {
	t.Helper()
	path, secrets := filepath.Join(t.TempDir(), store.FileName), auth.NewMemoryStore()
	return path, secrets, keyedDB(t, path, secrets)
}

func keyedDB(t *testing.T, path string, secrets *auth.MemoryStore) *store.DB {
	t.Helper()
	db, err := store.OpenWith(ctx, path, store.Options{
		Clock: &app.FixedClock{T: time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)},
		Audit: audit.NewKeeper(secrets), Seal: seal.NewKeyring(secrets)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// restoreWorld is a live keyed data file with a patient, a signed consent
// and its withdrawal, and a good backup of it.
type restoreWorld struct {
	db      *store.DB
	secrets *auth.MemoryStore
	home    string
	backups string
	good    app.BackupFile
}

func newRestoreWorld(t *testing.T) *restoreWorld {
	t.Helper()
	w := &restoreWorld{secrets: auth.NewMemoryStore(), home: t.TempDir(), backups: t.TempDir()}
	// The file starts under an older PracticePost (plain links), then is
	// opened keyed, as an upgrade does.
	path := filepath.Join(w.home, store.FileName)
	plain, err := store.OpenWith(ctx, path, store.Options{Seal: seal.NewKeyring(w.secrets)})
	if err != nil {
		t.Fatal(err)
	}
	addPatient(t, plain, "Ivo Trelawney")
	plain.Close()
	w.db = keyedDB(t, path, w.secrets)
	p := addPatient(t, w.db, "Nia Penrose")
	sig := []byte("\x89PNG signature")
	c := signed(t, w.db, p, sig, app.ChannelFacebook)
	e, err := w.db.InsertConsent(ctx, app.NewConsent{Consent: c, SignaturePNG: sig, PDF: []byte("%PDF-1.7 test")})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.db.RevokeConsent(ctx, app.ConsentRevocation{ConsentID: e.Consent.ID, At: time.Date(2026, 11, 22, 8, 45, 0, 0, time.UTC), ReceivedBy: "email"}); err != nil {
		t.Fatal(err)
	}
	w.good, err = w.db.Backup(ctx, w.backups, nil)
	if err != nil {
		t.Fatal(err)
	}
	// The live data moves on after the backup.
	rename(t, w.db, "Live Practice")
	return w
}

// craft copies the good backup to name and lets edit change it with a
// plain read-write connection, as someone with the file could.
func (w *restoreWorld) craft(t *testing.T, name string, edit func(*sql.DB)) string {
	t.Helper()
	data, err := os.ReadFile(w.good.Path)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(w.backups, name+store.BackupExt)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	sdb, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	sdb.SetMaxOpenConns(1)
	edit(sdb)
	if err := sdb.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func mustExec(t *testing.T, db *sql.DB, q string, args ...any) {
	t.Helper()
	if _, err := db.Exec(q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

// withoutTrigger runs fn with one of the file's own triggers dropped, then
// puts the trigger back exactly as it was, so the schema is unchanged.
func withoutTrigger(t *testing.T, db *sql.DB, name string, fn func()) {
	t.Helper()
	var ddl string
	if err := db.QueryRow("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", name).Scan(&ddl); err != nil {
		t.Fatal(err)
	}
	mustExec(t, db, "DROP TRIGGER "+name)
	fn()
	mustExec(t, db, ddl)
}

type chainRow struct {
	id                                 int64
	at, actor, action, subject, detail string
	prevHash, hash                     string
}

func readRows(t *testing.T, db *sql.DB) []app.AuditEntry {
	t.Helper()
	rows, err := db.Query("SELECT id, at, actor, action, subject, detail, prev_hash, hash FROM audit_log ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []app.AuditEntry
	for rows.Next() {
		var r chainRow
		if err := rows.Scan(&r.id, &r.at, &r.actor, &r.action, &r.subject, &r.detail, &r.prevHash, &r.hash); err != nil {
			t.Fatal(err)
		}
		at, _ := time.Parse(time.RFC3339Nano, r.at)
		e := app.AuditEntry{ID: r.id, At: at, Actor: r.actor, Action: r.action, Subject: r.subject, PrevHash: r.prevHash, Hash: r.hash}
		json.Unmarshal([]byte(r.detail), &e.Detail)
		out = append(out, e)
	}
	return out
}

// rewriteChain rewrites every entry from `from` on with edit applied and
// plain SHA-256 links recomputed: all someone without the key can do.
func rewriteChain(t *testing.T, db *sql.DB, from int64, edit func(*app.AuditEntry)) {
	t.Helper()
	es := readRows(t, db)
	withoutTrigger(t, db, "audit_log_no_update", func() {
		prev := audit.Genesis
		for _, e := range es {
			if e.ID >= from {
				edit(&e)
				audit.Seal(&e, prev)
				dj, _ := json.Marshal(e.Detail)
				mustExec(t, db, "UPDATE audit_log SET action = ?, detail = ?, prev_hash = ?, hash = ? WHERE id = ?", e.Action, string(dj), e.PrevHash, e.Hash, e.ID)
			}
			prev = e.Hash
		}
	})
}

func liveBytes(t *testing.T, db *store.DB) []byte {
	t.Helper()
	var all []byte
	for _, suffix := range []string{"", "-wal"} {
		b, err := os.ReadFile(db.Path() + suffix)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		all = append(all, b...)
		all = append(all, 0xff, 0x00) // separator
	}
	return all
}

func TestRestoreRefusesCraftedFiles(t *testing.T) {
	w := newRestoreWorld(t)
	other := auth.NewMemoryStore()
	otherDB := keyedDB(t, filepath.Join(t.TempDir(), store.FileName), other)
	otherBackup, err := otherDB.Backup(ctx, t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}

	cases := []struct {
		name  string
		file  string
		says  string
		isKey bool
	}{
		{"extra trigger", w.craft(t, "trigger", func(db *sql.DB) {
			// Withdrawals are silently dropped: the insert is ignored.
			mustExec(t, db, "CREATE TRIGGER keep_posting BEFORE INSERT ON consent_revocations BEGIN SELECT RAISE(IGNORE); END")
		}), `trigger called "keep_posting"`, false},
		{"extra table", w.craft(t, "table", func(db *sql.DB) {
			mustExec(t, db, "CREATE TABLE export_queue (payload TEXT)")
		}), `table called "export_queue"`, false},
		{"extra view", w.craft(t, "view", func(db *sql.DB) {
			mustExec(t, db, "CREATE VIEW live_consents AS SELECT * FROM consents")
		}), `view called "live_consents"`, false},
		{"dropped protection", w.craft(t, "droppedtrigger", func(db *sql.DB) {
			mustExec(t, db, "DROP TRIGGER consent_revocations_no_delete")
		}), `"consent_revocations_no_delete" that PracticePost needs is missing`, false},
		{"changed column", w.craft(t, "column", func(db *sql.DB) {
			// A column's declared type edited in place, as writable_schema allows.
			mustExec(t, db, "PRAGMA writable_schema = ON")
			mustExec(t, db, "UPDATE sqlite_master SET sql = replace(sql, 'email                TEXT NOT NULL', 'email                BLOB NOT NULL') WHERE name = 'patients'")
		}), `table "patients" has been changed`, false},
		{"added column", w.craft(t, "addcolumn", func(db *sql.DB) {
			mustExec(t, db, "ALTER TABLE consents ADD COLUMN hidden INTEGER NOT NULL DEFAULT 0")
		}), `table "consents" has been changed`, false},
		{"broken foreign key", w.craft(t, "fk", func(db *sql.DB) {
			mustExec(t, db, "PRAGMA foreign_keys = OFF")
			mustExec(t, db, "INSERT INTO consent_revocations (consent_id, at, received_by, recorded_at) VALUES (9999, 'x', 'y', 'z')")
		}), `row in "consent_revocations" points to a "consents" row that does not exist`, false},
		{"truncated log", w.craft(t, "truncated", func(db *sql.DB) {
			withoutTrigger(t, db, "audit_log_no_delete", func() {
				mustExec(t, db, "DELETE FROM audit_log WHERE id >= (SELECT MAX(id) - 1 FROM audit_log)")
			})
		}), "entries were removed from the end of its activity log", false},
		{"rewritten log", w.craft(t, "rewritten", func(db *sql.DB) {
			// The withdrawal's entry disappears from the record.
			rewriteChain(t, db, 2, func(e *app.AuditEntry) {
				if e.Action == "consent.revoke" {
					e.Action = "brand.update"
				}
			})
		}), "activity log was rewritten", false},
		{"log rewritten plain without its seal", w.craft(t, "downgraded", func(db *sql.DB) {
			rewriteChain(t, db, 1, func(e *app.AuditEntry) {
				if e.Action == audit.ActionKeyed {
					e.Action = "data.note"
				}
			})
			mustExec(t, db, "DELETE FROM app_state WHERE key = 'backup.seal'")
		}), "rewritten without the seal", false},
		{"seal removed", w.craft(t, "unsealed", func(db *sql.DB) {
			mustExec(t, db, "DELETE FROM app_state WHERE key = 'backup.seal'")
		}), "seal is missing", false},
		{"seal moved back after truncation", w.craft(t, "resealed", func(db *sql.DB) {
			var raw string
			db.QueryRow("SELECT value FROM app_state WHERE key = 'backup.seal'").Scan(&raw)
			var s audit.BackupSeal
			json.Unmarshal([]byte(raw), &s)
			withoutTrigger(t, db, "audit_log_no_delete", func() {
				mustExec(t, db, "DELETE FROM audit_log WHERE id = ?", s.ID)
			})
			var prev string
			db.QueryRow("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1").Scan(&s.ID, &prev)
			s.Hash = prev
			b, _ := json.Marshal(s)
			mustExec(t, db, "UPDATE app_state SET value = ? WHERE key = 'backup.seal'", string(b))
		}), "altered after it was made", true},
		{"another computer's backup", otherBackup.Path, "made on another computer", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := liveBytes(t, w.db)
			_, err := w.db.Restore(ctx, tc.file, filepath.Join(w.home, "safety copies"))
			code := app.EINVALID
			if tc.file == otherBackup.Path {
				code = app.ERECOVERY // the screen then asks for the recovery key
			}
			if app.ErrorCode(err) != code || !strings.Contains(app.ErrorMessage(err), tc.says) {
				t.Fatalf("got %v\nwant invalid saying %q", err, tc.says)
			}
			msg := app.ErrorMessage(err)
			if !strings.Contains(msg, "Your current data is unchanged") {
				t.Fatalf("message does not say the data is unchanged: %s", msg)
			}
			if !tc.isKey && !strings.Contains(msg, "Choose another backup") {
				t.Fatalf("message names no next step: %s", msg)
			}
			if !bytes.Equal(before, liveBytes(t, w.db)) {
				t.Fatal("a refused restore changed the live data file")
			}
			if b, _ := w.db.BrandKit(ctx); b.PracticeName != "Live Practice" {
				t.Fatalf("live data now says %q", b.PracticeName)
			}
			if ents, _ := os.ReadDir(filepath.Join(w.home, "safety copies")); len(ents) != 0 {
				t.Fatalf("a refused restore left a safety copy: %v", ents)
			}
		})
	}

	// The untouched backup still restores, and the log then verifies
	// against the anchor moved back to it.
	if _, err := w.db.Restore(ctx, w.good.Path, filepath.Join(w.home, "safety copies")); err != nil {
		t.Fatal(err)
	}
	if b, _ := w.db.BrandKit(ctx); b.PracticeName == "Live Practice" {
		t.Fatal("good backup not restored")
	}
	res, err := w.db.VerifyAudit(ctx)
	if err != nil || !res.OK || !res.Anchored || !res.Keyed {
		t.Fatalf("after restore: %+v %v", res, err)
	}
}

// A backup made before the log was keyed (no seal, plain links) restores
// into a keyed data file; the restored log gets its switch entry.
func TestRestoreBackupFromBeforeSealing(t *testing.T) {
	w := newRestoreWorld(t)
	oldDir := t.TempDir()
	old, err := store.OpenWith(ctx, filepath.Join(oldDir, store.FileName), store.Options{Seal: seal.NewKeyring(w.secrets)})
	if err != nil {
		t.Fatal(err)
	}
	rename(t, old, "Old Practice")
	oldBackup, err := old.Backup(ctx, oldDir, nil)
	if err != nil {
		t.Fatal(err)
	}
	old.Close()

	// This computer began sealing at some entry; the old file's log is
	// shorter than that, so it is from before and is accepted.
	if _, err := w.db.Restore(ctx, oldBackup.Path, filepath.Join(w.home, "safety copies")); err != nil {
		t.Fatal(err)
	}
	if got, _ := w.db.BrandKit(ctx); got.PracticeName != "Old Practice" {
		t.Fatalf("practice %q", got.PracticeName)
	}
	res, err := w.db.VerifyAudit(ctx)
	if err != nil || !res.OK || !res.Anchored || res.Plain < 2 || res.KeyedFrom != int64(res.Plain)+1 {
		t.Fatalf("after restoring an unsealed backup: %+v %v", res, err)
	}
	if !strings.Contains(res.Summary, "before sealing began") {
		t.Fatalf("summary: %s", res.Summary)
	}
}

func TestRestoreNeedsTheRecoveryKeyOnANewComputer(t *testing.T) {
	w := newRestoreWorld(t)
	rk, err := w.db.MakeRecoveryKey(ctx)
	if err != nil {
		t.Fatal(err)
	}
	withKey, err := w.db.Backup(ctx, t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	// A new computer: its own data file and an empty keychain.
	fresh := keyedDB(t, filepath.Join(t.TempDir(), store.FileName), auth.NewMemoryStore())
	before := liveBytes(t, fresh)
	_, err = fresh.Restore(ctx, withKey.Path, t.TempDir())
	if app.ErrorCode(err) != app.ERECOVERY || !strings.Contains(app.ErrorMessage(err), "recovery key") {
		t.Fatalf("without the recovery key: %v", err)
	}
	other, _ := seal.NewRecoveryKey()
	if _, err := fresh.RestoreWithRecovery(ctx, withKey.Path, t.TempDir(), other); app.ErrorCode(err) != app.EINVALID ||
		!strings.Contains(app.ErrorMessage(err), "does not open") {
		t.Fatalf("with another recovery key: %v", err)
	}
	// The good backup was made before the practice had a recovery key.
	if _, err := fresh.RestoreWithRecovery(ctx, w.good.Path, t.TempDir(), rk); app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatalf("a backup from before the recovery key: %v", err)
	}
	if !bytes.Equal(liveBytes(t, fresh), before) {
		t.Fatal("a refused restore changed the live data")
	}
	if _, err := fresh.RestoreWithRecovery(ctx, withKey.Path, t.TempDir(), rk); err != nil {
		t.Fatal(err)
	}
	ps, err := fresh.ListPatients(ctx, "", 10)
	if err != nil || len(ps) != 2 || ps[0].FullName != "Ivo Trelawney" || ps[1].FullName != "Nia Penrose" {
		t.Fatalf("patients after moving: %+v %v", ps, err)
	}
	if res, _ := fresh.VerifyAudit(ctx); !res.OK || !res.Anchored {
		t.Fatalf("%+v", res)
	}
	// The new computer now holds the practice's keys: its own backups
	// restore without the recovery key.
	again, err := fresh.Backup(ctx, t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fresh.Restore(ctx, again.Path, t.TempDir()); err != nil {
		t.Fatal(err)
	}
}
