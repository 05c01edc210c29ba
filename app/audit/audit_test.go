package audit_test

import (
	"strings"
	"testing"
	"time"

	"practicepost/app"
	"practicepost/app/audit"
)

func chain(n int) []app.AuditEntry {
	var out []app.AuditEntry
	prev := audit.Genesis
	t0 := time.Date(2026, 3, 29, 0, 30, 0, 0, time.UTC)
	for i := 1; i <= n; i++ {
		e := app.AuditEntry{ID: int64(i), At: t0.Add(time.Duration(i) * time.Minute), Actor: "practice manager",
			Action: "brand.update", Subject: "brand", Detail: map[string]string{"fields": "practiceName", "n": string(rune('a' + i))}}
		audit.Seal(&e, prev)
		prev = e.Hash
		out = append(out, e)
	}
	return out
}

func TestVerify(t *testing.T) {
	tests := []struct {
		name   string
		tamper func([]app.AuditEntry) []app.AuditEntry
		wantID int64 // 0: chain intact
		reason string
	}{
		{"intact", func(es []app.AuditEntry) []app.AuditEntry { return es }, 0, ""},
		{"empty", func([]app.AuditEntry) []app.AuditEntry { return nil }, 0, ""},
		{"detail edited", func(es []app.AuditEntry) []app.AuditEntry { es[2].Detail["fields"] = "logo"; return es }, 3, "changed"},
		{"action edited", func(es []app.AuditEntry) []app.AuditEntry { es[0].Action = "backup.restore"; return es }, 1, "changed"},
		{"time edited", func(es []app.AuditEntry) []app.AuditEntry { es[4].At = es[4].At.Add(time.Second); return es }, 5, "changed"},
		{"row deleted", func(es []app.AuditEntry) []app.AuditEntry { return append(es[:3], es[4:]...) }, 5, "removed"},
		{"first deleted", func(es []app.AuditEntry) []app.AuditEntry { return es[1:] }, 2, "removed"},
		{"rehashed edit still breaks next link", func(es []app.AuditEntry) []app.AuditEntry {
			es[1].Subject = "other"
			es[1].Hash = audit.Hash(es[1])
			return es
		}, 3, "removed"},
		{"reordered", func(es []app.AuditEntry) []app.AuditEntry { es[1], es[2] = es[2], es[1]; return es }, 3, "does not follow"},
		{"duplicate id", func(es []app.AuditEntry) []app.AuditEntry { return append(es[:3], es[2:]...) }, 3, "out of order"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := audit.Verify(tt.tamper(chain(6)))
			if tt.wantID == 0 {
				if b != nil {
					t.Fatalf("intact chain reported broken: %+v", b)
				}
				return
			}
			if b == nil {
				t.Fatalf("tampering not detected")
			}
			if b.ID != tt.wantID || !strings.Contains(b.Reason, tt.reason) {
				t.Fatalf("got break %+v, want id %d with %q", b, tt.wantID, tt.reason)
			}
		})
	}
}

func TestHashIsStable(t *testing.T) {
	e := chain(1)[0]
	// Detail map order must not change the hash.
	e2 := e
	e2.Detail = map[string]string{"n": e.Detail["n"], "fields": e.Detail["fields"]}
	if audit.Hash(e) != audit.Hash(e2) {
		t.Fatal("hash depends on map order")
	}
	// Time zone of the same instant must not change the hash.
	e3 := e
	e3.At = e.At.In(time.FixedZone("BST", 3600))
	if audit.Hash(e) != audit.Hash(e3) {
		t.Fatal("hash depends on time zone")
	}
}
