package app

import "time"

// AuditEntry is one line of the append-only activity log. Detail never holds
// patient identifiers, tokens or message bodies: ids and field names only.
type AuditEntry struct {
	ID       int64             `json:"id"`
	At       time.Time         `json:"at"`
	Actor    string            `json:"actor"`   // "practice manager", "patient", "system"
	Action   string            `json:"action"`  // "brand.update", "backup.create", ...
	Subject  string            `json:"subject"` // what was acted on: "brand", "consent:42"
	Detail   map[string]string `json:"detail"`
	PrevHash string            `json:"prevHash"`
	Hash     string            `json:"hash"`
}
