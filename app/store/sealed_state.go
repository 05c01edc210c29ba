package store

import (
	"context"
	"database/sql"
	"encoding/base64"
	"fmt"
	"slices"
	"strings"

	"practicepost/app"
	"practicepost/app/seal"
)

// Sealed app_state values: kept settings sealed as a column is, each bound
// to its key (sealed.go seals the columns; this file the keys).

// PendingConsentState is the app_state key of the consent form handed to a
// patient on screen: it holds the testimonial's words and the health
// details the patient is about to sign for.
const PendingConsentState = "consent.pending"

// sealedStates are the app_state values sealed as a column is, each bound
// to its key: kept settings that hold what a patient wrote or told, or
// what the manager typed to go out with a post. A key ending in ':' names
// every key that starts with it: a Google post's event or offer details,
// one per publish request (its title and terms may name a patient).
var sealedStates = []string{PendingConsentState, app.PublishTopicStatePrefix}

// sealedStateKey reports whether key is one of sealedStates.
func sealedStateKey(key string) bool {
	return slices.ContainsFunc(sealedStates, func(k string) bool {
		if strings.HasSuffix(k, ":") {
			return strings.HasPrefix(key, k) && len(key) > len(k)
		}
		return k == key
	})
}

// sealPlainStates seals, in place, every value under a sealed app_state key
// that is still plain.
func (d *DB) sealPlainStates(ctx context.Context, q interface {
	querier
	ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error)
}) (int, error) {
	n := 0
	type kv struct{ key, raw string }
	var plain []kv
	for _, key := range sealedStates {
		q1, arg := "SELECT key, value FROM app_state WHERE key = ?", key
		if strings.HasSuffix(key, ":") {
			q1 = "SELECT key, value FROM app_state WHERE substr(key, 1, length(?1)) = ?1 AND length(key) > length(?1)"
		}
		rows, err := q.QueryContext(ctx, q1, arg)
		if err != nil {
			return n, err
		}
		for rows.Next() {
			var x kv
			if err := rows.Scan(&x.key, &x.raw); err != nil {
				rows.Close()
				return n, err
			}
			if x.raw != "" && !isSealedState(x.raw) {
				plain = append(plain, x)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return n, err
		}
	}
	for _, x := range plain {
		v := base64.StdEncoding.EncodeToString(d.sealer.Seal([]byte(x.raw), stateCell(x.key)))
		if _, err := q.ExecContext(ctx, "UPDATE app_state SET value = ? WHERE key = ?", v, x.key); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

func stateCell(key string) seal.Cell { return seal.Cell{Table: "app_state", Column: "value", Row: key} }

// isSealedState reports whether an app_state value is a sealed one (base64
// text, since the column holds text).
func isSealedState(raw string) bool {
	b, err := base64.StdEncoding.DecodeString(raw)
	return err == nil && seal.IsSealed(b)
}

// SetSealedState writes a sealed app_state value; "" clears it. Only the
// keys in sealedStates are sealed, so the list stays the one place that
// says what is.
func (tx *Tx) SetSealedState(ctx context.Context, key, value string) error {
	if !sealedStateKey(key) {
		return fmt.Errorf("store: %q is not a sealed app_state key", key)
	}
	if value == "" {
		return tx.SetState(ctx, key, "")
	}
	return tx.SetState(ctx, key, base64.StdEncoding.EncodeToString(tx.seal("app_state", "value", key, []byte(value))))
}

// SealedState reads a value SetSealedState wrote: "" when none is kept, an
// error when what is kept does not open (changed outside PracticePost).
func (d *DB) SealedState(ctx context.Context, key string) (string, error) {
	return d.sealedState(ctx, d.State, key)
}

// SealedState is DB.SealedState as tx sees the data: the queue reads a
// post's Google details inside the transaction that claims it.
func (tx *Tx) SealedState(ctx context.Context, key string) (string, error) {
	return tx.db.sealedState(ctx, tx.State, key)
}

// sealedState reads key through state (the file's or a transaction's
// view) and opens it.
func (d *DB) sealedState(ctx context.Context, state func(context.Context, string) (string, error), key string) (string, error) {
	if !sealedStateKey(key) {
		return "", fmt.Errorf("store: %q is not a sealed app_state key", key)
	}
	raw, err := state(ctx, key)
	if err != nil || raw == "" {
		return "", err
	}
	b, err := base64.StdEncoding.DecodeString(raw)
	if err != nil || !seal.IsSealed(b) {
		// Plain where the list says sealed: as unreadable as a value that
		// does not open, and told apart from a failed read the same way.
		return "", fmt.Errorf("app_state %s: not a sealed value: %w", key, seal.ErrOpen)
	}
	plain, err := d.open("app_state", "value", key, b)
	return string(plain), err
}
