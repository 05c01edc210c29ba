// Package audit chains activity-log entries with sha256 so that any edit,
// deletion or reordering of a stored row is detectable.
package audit

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"practicepost/app"
)

// Genesis is the previous-hash of the first entry.
const Genesis = "0000000000000000000000000000000000000000000000000000000000000000"

// canonical is the exact content that is hashed. encoding/json writes map
// keys sorted, so the same entry always gives the same bytes.
type canonical struct {
	ID      int64             `json:"id"`
	At      string            `json:"at"`
	Actor   string            `json:"actor"`
	Action  string            `json:"action"`
	Subject string            `json:"subject"`
	Detail  map[string]string `json:"detail"`
	Prev    string            `json:"prev"`
}

// Hash returns the chain hash of e given its PrevHash.
func Hash(e app.AuditEntry) string {
	d := e.Detail
	if d == nil {
		d = map[string]string{}
	}
	b, _ := json.Marshal(canonical{
		ID: e.ID, At: e.At.UTC().Format(time.RFC3339Nano), Actor: e.Actor, Action: e.Action,
		Subject: e.Subject, Detail: d, Prev: e.PrevHash,
	})
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// Seal sets PrevHash and Hash on e so it follows prev (Genesis for the first).
func Seal(e *app.AuditEntry, prev string) {
	e.PrevHash = prev
	e.Hash = Hash(*e)
}

// ChainBreak describes the first place the chain does not hold.
type ChainBreak struct {
	ID     int64  `json:"id"`
	Reason string `json:"reason"`
}

// Verify walks entries in id order and returns the first break, or nil when
// every link holds.
func Verify(entries []app.AuditEntry) *ChainBreak {
	prev := Genesis
	var lastID int64
	for _, e := range entries {
		switch {
		case e.ID <= lastID:
			return &ChainBreak{ID: e.ID, Reason: fmt.Sprintf("entry %d is out of order", e.ID)}
		case e.PrevHash != prev:
			return &ChainBreak{ID: e.ID, Reason: fmt.Sprintf("entry %d does not follow the entry before it: a row was removed or changed", e.ID)}
		case Hash(e) != e.Hash:
			return &ChainBreak{ID: e.ID, Reason: fmt.Sprintf("entry %d was changed after it was written", e.ID)}
		}
		prev, lastID = e.Hash, e.ID
	}
	return nil
}
