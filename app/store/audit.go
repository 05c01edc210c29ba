package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"

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
	audit.Seal(&e, prev)
	dj, _ := json.Marshal(e.Detail)
	_, err = tx.ExecContext(ctx, `INSERT INTO audit_log (id, at, actor, action, subject, detail, prev_hash, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, e.ID, formatTime(e.At), e.Actor, e.Action, e.Subject, string(dj), e.PrevHash, e.Hash)
	if err != nil {
		return app.Internal(err, "PracticePost could not write to the activity log.")
	}
	return nil
}

// AuditPage is one page of the activity log, newest first.
type AuditPage struct {
	Entries []app.AuditEntry `json:"entries"`
	Total   int              `json:"total"`
}

// ListAudit returns entries newest first.
func (d *DB) ListAudit(ctx context.Context, limit, offset int) (AuditPage, error) {
	var p AuditPage
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

// VerifyResult is the outcome of checking the whole chain.
type VerifyResult struct {
	OK      bool              `json:"ok"`
	Entries int               `json:"entries"`
	Break   *audit.ChainBreak `json:"break,omitempty"`
}

// VerifyAudit walks the whole log in order and reports the first broken link.
func (d *DB) VerifyAudit(ctx context.Context) (VerifyResult, error) {
	var all []app.AuditEntry
	err := d.read(func(db querier) error {
		rows, err := db.QueryContext(ctx, `SELECT id, at, actor, action, subject, detail, prev_hash, hash FROM audit_log ORDER BY id`)
		if err != nil {
			return err
		}
		all, err = scanAudit(rows)
		return err
	})
	if err != nil {
		return VerifyResult{}, app.Internal(err, "PracticePost could not read the activity log.")
	}
	b := audit.Verify(all)
	return VerifyResult{OK: b == nil, Entries: len(all), Break: b}, nil
}
