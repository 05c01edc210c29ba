// Package audit chains activity-log entries so that any edit, deletion or
// reordering of a stored row is detectable, and checks the chain.
//
// Two kinds of link exist. Files written before keyed chains began link
// entries with plain SHA-256 (Hash): anyone can recompute those, so a
// determined editor of the file could rewrite them. From the first entry
// whose action is ActionKeyed ("the switch") onwards every link is an
// HMAC-SHA-256 (MAC) under a 32-byte key kept in the OS keychain, which a
// copy of the file does not carry. The switch entry is itself keyed and
// links to the last plain hash, so the two parts form one chain. A new data
// file starts keyed: its first entry is the switch.
//
// Deleting the newest entries leaves a chain that still links, so the
// newest (id, hash) is also anchored outside the file (in the keychain, and
// MAC'd inside each backup): Verify reports a file that ends before its
// anchor as truncated, and an anchored entry whose hash differs as rewritten.
//
// Consent evidence hashes (app/consent) are NOT keyed: a signed PDF carries
// a plain SHA-256 a third party can recompute without any PracticePost key.
package audit

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"practicepost/app"
)

// Genesis is the previous-hash of the first entry.
const Genesis = "0000000000000000000000000000000000000000000000000000000000000000"

// ActionKeyed is the action of the first keyed entry (the switch).
const ActionKeyed = "audit.keyed"

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

func canonicalBytes(e app.AuditEntry) []byte {
	d := e.Detail
	if d == nil {
		d = map[string]string{}
	}
	b, _ := json.Marshal(canonical{
		ID: e.ID, At: e.At.UTC().Format(time.RFC3339Nano), Actor: e.Actor, Action: e.Action,
		Subject: e.Subject, Detail: d, Prev: e.PrevHash,
	})
	return b
}

// Hash returns the plain chain hash of e given its PrevHash.
func Hash(e app.AuditEntry) string {
	s := sha256.Sum256(canonicalBytes(e))
	return hex.EncodeToString(s[:])
}

// MAC returns the keyed chain hash of e given its PrevHash.
func MAC(key []byte, e app.AuditEntry) string {
	m := hmac.New(sha256.New, key)
	m.Write(canonicalBytes(e))
	return hex.EncodeToString(m.Sum(nil))
}

// Seal sets PrevHash and a plain Hash on e so it follows prev (Genesis for the first).
func Seal(e *app.AuditEntry, prev string) {
	e.PrevHash = prev
	e.Hash = Hash(*e)
}

// SealKeyed sets PrevHash and a keyed Hash on e so it follows prev.
func SealKeyed(e *app.AuditEntry, prev string, key []byte) {
	e.PrevHash = prev
	e.Hash = MAC(key, *e)
}

// Kinds of break, for callers that act on them (restore refuses all).
const (
	BreakOrder     = "order"     // ids out of order or repeated
	BreakRemoved   = "removed"   // a link does not follow: a row was removed or changed
	BreakChanged   = "changed"   // an entry's content no longer matches its hash
	BreakTruncated = "truncated" // the file ends before the anchored entry
	BreakRewritten = "rewritten" // the anchored entry or the switch is not what was recorded
	BreakNoKey     = "nokey"     // keyed entries exist but the key is not on this computer
)

// ChainBreak describes the first place the chain does not hold.
type ChainBreak struct {
	ID     int64  `json:"id"`
	Kind   string `json:"kind"`
	Reason string `json:"reason"`
}

// Anchor is the newest (id, hash) of a chain, recorded outside the file,
// with the id of the switch entry (0 while the chain is plain).
type Anchor struct {
	ID        int64  `json:"id"`
	Hash      string `json:"hash"`
	KeyedFrom int64  `json:"keyedFrom"`
}

// Options are what Verify knows from outside the file.
type Options struct {
	Key    []byte  // nil: keyed entries cannot be checked (BreakNoKey)
	Anchor *Anchor // nil: no record of the head (truncation cannot be seen)
}

// Report is the outcome of Verify.
type Report struct {
	Entries   int         `json:"entries"`
	Plain     int         `json:"plain"`     // entries linked with plain SHA-256 (before the switch)
	KeyedFrom int64       `json:"keyedFrom"` // id of the switch entry; 0 when none
	LastID    int64       `json:"lastId"`
	LastHash  string      `json:"lastHash"`
	Anchored  bool        `json:"anchored"` // an anchor was given and matched
	Break     *ChainBreak `json:"break,omitempty"`
}

// Verify walks entries in id order and returns the first break, or nil when
// every link holds. It knows no key and no anchor: see Check.
func Verify(entries []app.AuditEntry) *ChainBreak {
	return Check(entries, Options{}).Break
}

// Check walks entries in id order, checks every link (plain before the
// switch, keyed from it), then compares the end of the chain with the
// anchor when one is given.
func Check(entries []app.AuditEntry, o Options) Report {
	r := Report{Entries: len(entries)}
	prev := Genesis
	var lastID int64
	brk := func(id int64, kind, format string, a ...any) Report {
		r.Break = &ChainBreak{ID: id, Kind: kind, Reason: fmt.Sprintf(format, a...)}
		return r
	}
	for _, e := range entries {
		if r.KeyedFrom == 0 && e.Action == ActionKeyed {
			r.KeyedFrom = e.ID
		}
		switch {
		case e.ID <= lastID:
			return brk(e.ID, BreakOrder, "entry %d is out of order", e.ID)
		case e.PrevHash != prev:
			return brk(e.ID, BreakRemoved, "entry %d does not follow the entry before it: a row was removed or changed", e.ID)
		case r.KeyedFrom == 0:
			if Hash(e) != e.Hash {
				return brk(e.ID, BreakChanged, "entry %d was changed after it was written", e.ID)
			}
			r.Plain++
		case o.Key == nil:
			return brk(e.ID, BreakNoKey, "entries from %d on are sealed with a key that is not on this computer, so they cannot be checked here", e.ID)
		case !hmac.Equal([]byte(MAC(o.Key, e)), []byte(e.Hash)):
			return brk(e.ID, BreakChanged, "entry %d was changed after it was written, or was written with another computer's key", e.ID)
		}
		prev, lastID = e.Hash, e.ID
	}
	r.LastID, r.LastHash = lastID, prev
	a := o.Anchor
	if a == nil || a.ID == 0 {
		return r
	}
	if lastID < a.ID {
		return brk(lastID+1, BreakTruncated, "the log ends at entry %d but entry %d was recorded: the newest entries were removed", lastID, a.ID)
	}
	for _, e := range entries {
		if e.ID == a.ID && e.Hash != a.Hash {
			return brk(e.ID, BreakRewritten, "entry %d is not the entry that was recorded: the log was rewritten", e.ID)
		}
	}
	// The anchor remembers where the keyed part began; a log rewritten with
	// plain links from before that point has lost its switch.
	if a.KeyedFrom != 0 && r.KeyedFrom != a.KeyedFrom {
		return brk(a.KeyedFrom, BreakRewritten, "entry %d should start the sealed part of the log but does not: the log was rewritten", a.KeyedFrom)
	}
	r.Anchored = true
	return r
}
