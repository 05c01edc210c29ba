package store

import (
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"strconv"
	"sync"

	"practicepost/app"
	"practicepost/app/audit"
)

// chainState is what an open data file knows about its activity log's
// keyed part and its anchor in the keychain.
type chainState struct {
	mu sync.Mutex
	// keyedFrom is the id of the switch entry (0 before startChain).
	keyedFrom int64
	// frozen is set when the file does not contain the anchored entry: the
	// anchor is then left where it is, so Verify keeps reporting the
	// truncation or rewrite until a restore puts a checked file in place.
	frozen bool
	// restoring is set while a restore reopens the file: the anchor is then
	// frozen without a warning, as the restore entry resets it.
	restoring bool
}

func (c *chainState) setRestoring(on bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.restoring = on
}

func (c *chainState) get() (int64, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.keyedFrom, c.frozen
}

// startChain makes sure the log is keyed from here on. A file without a
// switch entry gets one now (a new file's first entry; an older file's next
// entry, after its plain SHA-256 entries). It also compares the file with
// the anchor in the keychain and freezes the anchor when they disagree.
func (d *DB) startChain(ctx context.Context, fresh bool) error {
	if d.keeper == nil {
		return nil
	}
	if _, err := d.keeper.Key(); err != nil {
		return err
	}
	d.chain.mu.Lock()
	restoring := d.chain.restoring
	d.chain.keyedFrom, d.chain.frozen = 0, restoring
	d.chain.mu.Unlock()
	if !fresh && !restoring {
		a, ok, err := d.keeper.Anchor()
		if err != nil {
			return err
		}
		if ok && a.ID > 0 {
			var h string
			err := d.db.QueryRowContext(ctx, "SELECT hash FROM audit_log WHERE id = ?", a.ID).Scan(&h)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return openError(d.path, err)
			}
			if h != a.Hash {
				slog.Warn("activity log does not contain its anchored entry; the anchor is kept for Verify", "anchorId", a.ID)
				d.chain.mu.Lock()
				d.chain.frozen = true
				d.chain.mu.Unlock()
			}
		}
	}
	var from int64
	err := d.db.QueryRowContext(ctx, "SELECT id FROM audit_log WHERE action = ? ORDER BY id LIMIT 1", audit.ActionKeyed).Scan(&from)
	if err == nil {
		d.chain.mu.Lock()
		d.chain.keyedFrom = from
		d.chain.mu.Unlock()
		return nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return openError(d.path, err)
	}
	var plain int
	if err := d.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM audit_log").Scan(&plain); err != nil {
		return openError(d.path, err)
	}
	// The switch entry says how many entries before it keep plain links.
	return d.txLocked(ctx, func(tx *Tx) error {
		if err := tx.Audit(ctx, "system", audit.ActionKeyed, "activity log", map[string]string{
			"from": "sha256", "to": "hmac-sha256", "plainEntries": strconv.Itoa(plain)}); err != nil {
			return err
		}
		d.chain.mu.Lock()
		d.chain.keyedFrom = tx.head.ID
		d.chain.mu.Unlock()
		tx.resetAnchor = fresh
		return nil
	})
}

// anchor records head in the keychain after its transaction committed. A
// failure is logged, not returned: the change is saved, and an anchor that
// lags behind the file is not mistaken for tampering.
func (d *DB) anchor(head *audit.Anchor, reset bool) {
	if d.keeper == nil || head == nil {
		return
	}
	keyedFrom, frozen := d.chain.get()
	if frozen && !reset {
		return
	}
	a := audit.Anchor{ID: head.ID, Hash: head.Hash, KeyedFrom: keyedFrom}
	var err error
	if reset {
		err = d.keeper.Reset(a)
		if err == nil {
			d.chain.mu.Lock()
			d.chain.frozen = false
			d.chain.mu.Unlock()
		}
	} else {
		err = d.keeper.Advance(a)
	}
	if err != nil {
		slog.Warn("activity log anchor not saved", "code", app.ErrorCode(err))
	}
}
