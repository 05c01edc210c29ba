package audit_test

import (
	"strings"
	"testing"
	"time"

	"practicepost/app"
	"practicepost/app/audit"
	"practicepost/app/auth"
)

// mixed builds a chain of plain entries 1..plain, then the switch and keyed
// entries up to n.
func mixed(plain, n int, key []byte) []app.AuditEntry {
	var out []app.AuditEntry
	prev := audit.Genesis
	t0 := time.Date(2026, 3, 29, 0, 30, 0, 0, time.UTC)
	for i := 1; i <= n; i++ {
		e := app.AuditEntry{ID: int64(i), At: t0.Add(time.Duration(i) * time.Minute), Actor: "system", Action: "brand.update", Subject: "brand"}
		if i <= plain {
			audit.Seal(&e, prev)
		} else {
			if i == plain+1 {
				e.Action = audit.ActionKeyed
			}
			audit.SealKeyed(&e, prev, key)
		}
		prev = e.Hash
		out = append(out, e)
	}
	return out
}

func TestCheckKeyedChain(t *testing.T) {
	key := []byte(strings.Repeat("k", 32))
	other := []byte(strings.Repeat("o", 32))
	es := mixed(3, 8, key)
	head := audit.Anchor{ID: 8, Hash: es[7].Hash, KeyedFrom: 4}

	r := audit.Check(es, audit.Options{Key: key, Anchor: &head})
	if r.Break != nil || r.Plain != 3 || r.KeyedFrom != 4 || !r.Anchored || r.LastID != 8 {
		t.Fatalf("intact: %+v", r)
	}
	// The anchor may lag behind the file (a keychain write failed).
	behind := audit.Anchor{ID: 6, Hash: es[5].Hash, KeyedFrom: 4}
	if r := audit.Check(es, audit.Options{Key: key, Anchor: &behind}); r.Break != nil || !r.Anchored {
		t.Fatalf("anchor behind: %+v", r)
	}

	for _, tc := range []struct {
		name    string
		entries []app.AuditEntry
		o       audit.Options
		kind    string
		id      int64
	}{
		{"wrong key", es, audit.Options{Key: other}, audit.BreakChanged, 4},
		{"no key", es, audit.Options{}, audit.BreakNoKey, 4},
		{"truncated", es[:6], audit.Options{Key: key, Anchor: &head}, audit.BreakTruncated, 7},
		{"keyed entry re-sealed plain", func() []app.AuditEntry {
			c := append([]app.AuditEntry(nil), es...)
			c[5].Subject = "other"
			audit.Seal(&c[5], c[4].Hash)
			return c
		}(), audit.Options{Key: key}, audit.BreakChanged, 6},
		{"whole chain plain", func() []app.AuditEntry {
			c := chain(8)
			return c
		}(), audit.Options{Key: key, Anchor: &head}, audit.BreakRewritten, 8},
		{"switch removed, rest relinked plain", func() []app.AuditEntry {
			c := chain(9)
			return c[:8]
		}(), audit.Options{Key: key, Anchor: &audit.Anchor{ID: 8, Hash: chain(8)[7].Hash, KeyedFrom: 4}}, audit.BreakRewritten, 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := audit.Check(tc.entries, tc.o)
			if r.Break == nil || r.Break.Kind != tc.kind || r.Break.ID != tc.id {
				t.Fatalf("got %+v, want %s at %d", r.Break, tc.kind, tc.id)
			}
		})
	}
}

func TestKeeperCreatesKeyOnceAndAnchorsMonotonically(t *testing.T) {
	s := auth.NewMemoryStore()
	k := audit.NewKeeper(s)
	if _, ok, _ := k.ExistingKey(); ok {
		t.Fatal("key before first use")
	}
	k1, err := k.Key()
	if err != nil || len(k1) != 32 {
		t.Fatal(err)
	}
	k2, _ := audit.NewKeeper(s).Key()
	if string(k1) != string(k2) {
		t.Fatal("a second keeper made a new key")
	}
	k.Advance(audit.Anchor{ID: 5, Hash: "five"})
	k.Advance(audit.Anchor{ID: 4, Hash: "four"}) // a late commit
	if a, _, _ := audit.NewKeeper(s).Anchor(); a.ID != 5 {
		t.Fatalf("anchor moved back to %d", a.ID)
	}
	k.Reset(audit.Anchor{ID: 2, Hash: "two"}) // a restore
	if a, _, _ := audit.NewKeeper(s).Anchor(); a.ID != 2 {
		t.Fatalf("reset anchor %d", a.ID)
	}
}

func TestBackupSeal(t *testing.T) {
	key := []byte(strings.Repeat("k", 32))
	s := audit.BackupSeal{Anchor: audit.Anchor{ID: 9, Hash: "h", KeyedFrom: 1}, SchemaVersion: 10, MadeAt: time.Now()}
	s.Sign(key)
	if !s.Valid(key) || s.Valid([]byte(strings.Repeat("o", 32))) || s.Valid(nil) {
		t.Fatal("seal validity")
	}
	s.ID = 7
	if s.Valid(key) {
		t.Fatal("edited seal still valid")
	}
}
