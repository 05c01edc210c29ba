package store_test

import (
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	"practicepost/app"
	"practicepost/app/audit"
	"practicepost/app/auth"
	"practicepost/app/seal"
	"practicepost/app/store"
)

func TestAuditNewFileIsKeyedFromItsFirstEntry(t *testing.T) {
	secrets := auth.NewMemoryStore()
	db := keyedDB(t, filepath.Join(t.TempDir(), store.FileName), secrets)
	rename(t, db, "Quay Dental")
	page, _ := db.ListAudit(ctx, 10, 0)
	first := page.Entries[len(page.Entries)-1]
	if first.ID != 1 || first.Action != audit.ActionKeyed || first.PrevHash != audit.Genesis {
		t.Fatalf("first entry %+v", first)
	}
	if _, err := secrets.Get(audit.KeyName); err != nil {
		t.Fatal("no key created in the keychain")
	}
	// Every entry is an HMAC: the plain SHA-256 of none of them matches.
	for _, e := range page.Entries {
		if audit.Hash(e) == e.Hash {
			t.Fatalf("entry %d has a plain hash", e.ID)
		}
	}
	res, err := db.VerifyAudit(ctx)
	if err != nil || !res.OK || !res.Keyed || !res.Anchored || res.Plain != 0 || res.KeyedFrom != 1 {
		t.Fatalf("%+v %v", res, err)
	}
	if !strings.Contains(res.Summary, "nothing has been removed") {
		t.Fatalf("summary %q", res.Summary)
	}
	a, ok, _ := audit.NewKeeper(secrets).Anchor()
	if !ok || a.ID != page.Entries[0].ID || a.Hash != page.Entries[0].Hash {
		t.Fatalf("anchor %+v, newest %+v", a, page.Entries[0])
	}
}

func TestAuditExistingFileSwitchesToKeyed(t *testing.T) {
	path := filepath.Join(t.TempDir(), store.FileName)
	secrets := auth.NewMemoryStore()
	plain, err := store.OpenWith(ctx, path, store.Options{Seal: seal.NewKeyring(secrets)})
	if err != nil {
		t.Fatal(err)
	}
	rename(t, plain, "One")
	rename(t, plain, "Two")
	plain.Close()

	db := keyedDB(t, path, secrets)
	rename(t, db, "Three")
	page, _ := db.ListAudit(ctx, 10, 0)
	sw := page.Entries[1]
	if sw.Action != audit.ActionKeyed || sw.Detail["plainEntries"] != "3" || sw.ID != 4 {
		t.Fatalf("switch entry %+v", sw)
	}
	res, err := db.VerifyAudit(ctx)
	if err != nil || !res.OK || res.Plain != 3 || res.KeyedFrom != 4 || !res.Anchored {
		t.Fatalf("%+v %v", res, err)
	}
	if !strings.Contains(res.Summary, "The first 3 were written before sealing began") {
		t.Fatalf("summary %q", res.Summary)
	}
}

// editClosed lets edit change the closed data file with a plain connection.
func editClosed(t *testing.T, path string, edit func(*sql.DB)) {
	t.Helper()
	sdb, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	sdb.SetMaxOpenConns(1)
	edit(sdb)
	sdb.Close()
}

func TestAuditVerifyReportsTruncationAndRewriting(t *testing.T) {
	for _, tc := range []struct {
		name, kind, says string
		edit             func(*testing.T, *sql.DB)
	}{
		{"truncated", audit.BreakTruncated, "Entries were removed from the end", func(t *testing.T, db *sql.DB) {
			withoutTrigger(t, db, "audit_log_no_delete", func() {
				mustExec(t, db, "DELETE FROM audit_log WHERE id >= (SELECT MAX(id) - 1 FROM audit_log)")
			})
		}},
		{"rewritten with plain links", audit.BreakChanged, "altered", func(t *testing.T, db *sql.DB) {
			rewriteChain(t, db, 3, func(e *app.AuditEntry) { e.Detail = map[string]string{"fields": "nothing"} })
		}},
		{"rewritten whole and plain", audit.BreakRewritten, "rewritten", func(t *testing.T, db *sql.DB) {
			rewriteChain(t, db, 1, func(e *app.AuditEntry) {
				if e.Action == audit.ActionKeyed {
					e.Action = "data.note"
				}
			})
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			secrets := auth.NewMemoryStore()
			path := filepath.Join(t.TempDir(), store.FileName)
			db := keyedDB(t, path, secrets)
			for _, n := range []string{"A", "B", "C", "D"} {
				rename(t, db, n)
			}
			db.Close()
			editClosed(t, path, func(sdb *sql.DB) { tc.edit(t, sdb) })

			db = keyedDB(t, path, secrets)
			res, err := db.VerifyAudit(ctx)
			if err != nil || res.OK || res.Break == nil || res.Break.Kind != tc.kind || !strings.Contains(res.Summary, tc.says) {
				t.Fatalf("got %+v %v, want %s", res, err, tc.kind)
			}
			if !strings.Contains(res.Summary, "Settings → Backup") {
				t.Fatalf("no next step: %s", res.Summary)
			}
			// Carrying on writing does not wash the evidence away. (Other
			// actions: under the fixed test clock a repeat of the removed
			// entries would be byte-for-byte the removed entries.)
			for _, n := range []string{"Ann", "Bea", "Cal", "Dee"} {
				addPatient(t, db, n)
			}
			if res, _ := db.VerifyAudit(ctx); res.OK {
				t.Fatalf("after more writes the log verifies: %+v", res)
			}
		})
	}
}

// failingSecrets is a keychain that stops answering writes.
type failingSecrets struct {
	*auth.MemoryStore
	fail bool
}

func (f *failingSecrets) Set(k, v string) error {
	if f.fail {
		return app.Errorf(app.EUNAVAILABLE, "keychain locked")
	}
	return f.MemoryStore.Set(k, v)
}

func TestAuditAnchorFailureDoesNotLoseTheChange(t *testing.T) {
	secrets := &failingSecrets{MemoryStore: auth.NewMemoryStore()}
	db, err := store.OpenWith(ctx, filepath.Join(t.TempDir(), store.FileName), store.Options{Audit: audit.NewKeeper(secrets)})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	secrets.fail = true
	rename(t, db, "Saved Anyway")
	if b, _ := db.BrandKit(ctx); b.PracticeName != "Saved Anyway" {
		t.Fatal("change lost")
	}
	// The anchor lags behind the file: not tampering, and still checked.
	res, err := db.VerifyAudit(ctx)
	if err != nil || !res.OK {
		t.Fatalf("%+v %v", res, err)
	}
}
