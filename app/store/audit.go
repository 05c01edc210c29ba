package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"practicepost/app"
	"practicepost/app/audit"
)

// Audit appends one sealed entry to the activity log inside tx. The
// immediate transaction makes "read last hash, insert next" atomic.
func (tx *Tx) Audit(ctx context.Context, actor, action, subject string, detail map[string]string) error {
	prev := audit.Genesis
	var lastID int64
	err := tx.QueryRowContext(ctx, "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1").Scan(&lastID, &prev)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return app.Internal(err, "PracticePost could not write to the activity log.")
	}
	if detail == nil {
		detail = map[string]string{}
	}
	e := app.AuditEntry{ID: lastID + 1, At: tx.now, Actor: actor, Action: action, Subject: subject, Detail: detail}
	if tx.db.keeper != nil {
		key, err := tx.db.keeper.Key()
		if err != nil {
			return err
		}
		audit.SealKeyed(&e, prev, key)
	} else {
		audit.Seal(&e, prev)
	}
	dj, _ := json.Marshal(e.Detail)
	_, err = tx.ExecContext(ctx, `INSERT INTO audit_log (id, at, actor, action, subject, detail, prev_hash, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, e.ID, formatTime(e.At), e.Actor, e.Action, e.Subject, string(dj), e.PrevHash, e.Hash)
	if err != nil {
		return app.Internal(err, "PracticePost could not write to the activity log.")
	}
	tx.head = &audit.Anchor{ID: e.ID, Hash: e.Hash}
	return nil
}

// ListAudit returns entries newest first.
func (d *DB) ListAudit(ctx context.Context, limit, offset int) (app.AuditPage, error) {
	var p app.AuditPage
	err := d.read(func(db querier) error {
		if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM audit_log").Scan(&p.Total); err != nil {
			return err
		}
		rows, err := db.QueryContext(ctx, `SELECT id, at, actor, action, subject, detail, prev_hash, hash
			FROM audit_log ORDER BY id DESC LIMIT ? OFFSET ?`, limit, offset)
		if err != nil {
			return err
		}
		p.Entries, err = scanAudit(rows)
		return err
	})
	if err != nil {
		return p, app.Internal(err, "PracticePost could not read the activity log.")
	}
	return p, nil
}

func scanAudit(rows *sql.Rows) ([]app.AuditEntry, error) {
	defer rows.Close()
	out := []app.AuditEntry{}
	for rows.Next() {
		var e app.AuditEntry
		var at, detail string
		if err := rows.Scan(&e.ID, &at, &e.Actor, &e.Action, &e.Subject, &detail, &e.PrevHash, &e.Hash); err != nil {
			return nil, err
		}
		var err error
		if e.At, err = parseTime(at); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(detail), &e.Detail); err != nil {
			// A mangled detail is tampering; keep the raw text so Verify sees the mismatch.
			e.Detail = map[string]string{"unreadable": detail}
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// VerifyResult is the outcome of checking the whole chain. Summary says it
// in words for Activity → Verify integrity and the Home page.
type VerifyResult struct {
	OK        bool              `json:"ok"`
	Entries   int               `json:"entries"`
	Plain     int               `json:"plain"`     // entries from before sealing began
	KeyedFrom int64             `json:"keyedFrom"` // first sealed entry; 0 when none
	Keyed     bool              `json:"keyed"`     // a key on this computer checked the sealed part
	Anchored  bool              `json:"anchored"`  // the newest entry matched the keychain's record
	Break     *audit.ChainBreak `json:"break,omitempty"`
	Summary   string            `json:"summary"`
}

func readChain(ctx context.Context, db querier) ([]app.AuditEntry, error) {
	rows, err := db.QueryContext(ctx, `SELECT id, at, actor, action, subject, detail, prev_hash, hash FROM audit_log ORDER BY id`)
	if err != nil {
		return nil, err
	}
	return scanAudit(rows)
}

// chainOptions is what this computer knows from outside the file: the key
// and the anchor in the keychain.
func (d *DB) chainOptions() (audit.Options, error) {
	var o audit.Options
	if d.keeper == nil {
		return o, nil
	}
	key, ok, err := d.keeper.ExistingKey()
	if err != nil {
		return o, err
	}
	if ok {
		o.Key = key
	}
	a, ok, err := d.keeper.Anchor()
	if err != nil {
		return o, err
	}
	if ok {
		o.Anchor = &a
	}
	return o, nil
}

// VerifyAudit walks the whole log in order, checks every link (keyed ones
// with this computer's key) and compares its end with the keychain anchor.
func (d *DB) VerifyAudit(ctx context.Context) (VerifyResult, error) {
	all, err := readWith(d, func(db querier) ([]app.AuditEntry, error) { return readChain(ctx, db) })
	if err != nil {
		return VerifyResult{}, app.Internal(err, "PracticePost could not read the activity log.")
	}
	o, err := d.chainOptions()
	if err != nil {
		return VerifyResult{}, err
	}
	rep := audit.Check(all, o)
	return VerifyResult{OK: rep.Break == nil, Entries: rep.Entries, Plain: rep.Plain, KeyedFrom: rep.KeyedFrom,
		Keyed: rep.Break == nil && rep.KeyedFrom > 0 && o.Key != nil, Anchored: rep.Anchored, Break: rep.Break,
		Summary: verifySummary(rep, o)}, nil
}

// verifySummary says what was checked, or what is wrong and what to do.
func verifySummary(r audit.Report, o audit.Options) string {
	if b := r.Break; b != nil {
		switch b.Kind {
		case audit.BreakTruncated:
			return fmt.Sprintf("Entries were removed from the end of the activity log: it ends at entry %d, but your computer's password store recorded entry %d. Restore your most recent backup in Settings → Backup, and contact support.", r.LastID, o.Anchor.ID)
		case audit.BreakRewritten:
			return fmt.Sprintf("The activity log was rewritten: %s. Restore a backup in Settings → Backup, and contact support.", b.Reason)
		case audit.BreakNoKey:
			return fmt.Sprintf("Entries from %d on were sealed on another computer and cannot be checked here. If you moved PracticePost to this computer, restore your backup with your recovery key in Settings → Backup.", b.ID)
		default:
			return fmt.Sprintf("The activity log has been altered: %s. Restore a backup made before this entry in Settings → Backup, and contact support.", b.Reason)
		}
	}
	msg := fmt.Sprintf("All %d entries are intact: nothing has been altered.", r.Entries)
	if r.KeyedFrom > 0 {
		msg = fmt.Sprintf("All %d entries are intact: each is sealed with a key kept in your computer's password store, so nothing has been altered.", r.Entries)
		if r.Plain > 0 {
			msg += fmt.Sprintf(" The first %d were written before sealing began and carry a plain checksum.", r.Plain)
		}
	}
	if r.Anchored {
		msg += " The newest entry matches the record kept outside the data file, so nothing has been removed."
	} else if r.Entries > 0 && o.Anchor == nil {
		msg += " There is no record of the newest entry outside the data file yet, so removal of the newest entries cannot be ruled out."
	}
	return msg
}
