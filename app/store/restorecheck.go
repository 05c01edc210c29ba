package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"practicepost/app"
	"practicepost/app/audit"
	"practicepost/app/seal"
)

// A restore puts a file from outside into the live data. A crafted file can
// carry more than rows: a trigger that quietly clears withdrawals, a view
// that hides a consent, a table or column the app never made. So the
// candidate is opened read-only with trusted_schema off (no trigger or view
// in it runs app-defined functions while it is checked), and everything in
// its schema must match what this build's migrations make for the same
// schema version, character for character after whitespace is folded.

// schemaObject is one row of sqlite_master plus, for tables and views, the
// full column list (pragma table_xinfo), which the parser derives from the
// sql text and which a file edited with writable_schema could contradict.
type schemaObject struct {
	Type, Name, Table, SQL string
	Columns                string
}

// schemaSnapshot reads every schema object of db, keyed by type and name.
func schemaSnapshot(ctx context.Context, db querier) (map[string]schemaObject, error) {
	rows, err := db.QueryContext(ctx, "SELECT type, name, tbl_name, COALESCE(sql, '') FROM sqlite_master")
	if err != nil {
		return nil, err
	}
	var objs []schemaObject
	for rows.Next() {
		var o schemaObject
		if err := rows.Scan(&o.Type, &o.Name, &o.Table, &o.SQL); err != nil {
			rows.Close()
			return nil, err
		}
		o.SQL = strings.Join(strings.Fields(o.SQL), " ")
		objs = append(objs, o)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := map[string]schemaObject{}
	for _, o := range objs {
		// SQLite's own statistics tables (ANALYZE) carry no behaviour.
		if strings.HasPrefix(o.Name, "sqlite_stat") {
			continue
		}
		if o.Type == "table" || o.Type == "view" {
			cols, err := columns(ctx, db, o.Name)
			if err != nil {
				return nil, err
			}
			o.Columns = cols
		}
		out[o.Type+" "+o.Name] = o
	}
	return out, nil
}

func columns(ctx context.Context, db querier, table string) (string, error) {
	rows, err := db.QueryContext(ctx, `SELECT cid, name, type, "notnull", COALESCE(dflt_value, ''), pk, hidden FROM pragma_table_xinfo(?)`, table)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var cid, notNull, pk, hidden int
		var name, typ, dflt string
		if err := rows.Scan(&cid, &name, &typ, &notNull, &dflt, &pk, &hidden); err != nil {
			return "", err
		}
		fmt.Fprintf(&b, "%d %s %s notnull=%d default=%s pk=%d hidden=%d;", cid, name, typ, notNull, dflt, pk, hidden)
	}
	return b.String(), rows.Err()
}

var expectedCache sync.Map // schema version → map[string]schemaObject

// expectedSchema builds, in memory, a database with this build's migrations
// 1..version and returns its schema.
func expectedSchema(ctx context.Context, version int) (map[string]schemaObject, error) {
	if v, ok := expectedCache.Load(version); ok {
		return v.(map[string]schemaObject), nil
	}
	ms, err := loadMigrations()
	if err != nil {
		return nil, err
	}
	if version < 1 || version > len(ms) {
		return nil, fmt.Errorf("no migrations for version %d", version)
	}
	sdb, err := sql.Open("sqlite", "file:expected?mode=memory&_pragma=foreign_keys(1)")
	if err != nil {
		return nil, err
	}
	defer sdb.Close()
	sdb.SetMaxOpenConns(1) // one in-memory database: one connection
	if _, err := sdb.ExecContext(ctx, schemaMigrationsDDL); err != nil {
		return nil, err
	}
	for _, m := range ms[:version] {
		if _, err := sdb.ExecContext(ctx, m.sql); err != nil {
			return nil, fmt.Errorf("migration %s: %w", m.name, err)
		}
	}
	snap, err := schemaSnapshot(ctx, sdb)
	if err != nil {
		return nil, err
	}
	expectedCache.Store(version, snap)
	return snap, nil
}

// schemaDifference names the first difference between have and want in
// words, or "" when they are the same.
func schemaDifference(have, want map[string]schemaObject) string {
	var keys []string
	for k := range have {
		keys = append(keys, k)
	}
	for k := range want {
		if _, ok := have[k]; !ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		h, inHave := have[k]
		w, inWant := want[k]
		switch {
		case !inWant:
			return fmt.Sprintf("it contains a %s called %q that PracticePost never makes", h.Type, h.Name)
		case !inHave:
			return fmt.Sprintf("the %s %q that PracticePost needs is missing", w.Type, w.Name)
		case h.Table != w.Table || h.SQL != w.SQL:
			return fmt.Sprintf("the %s %q has been changed", w.Type, w.Name)
		case h.Columns != w.Columns:
			return fmt.Sprintf("the columns of the %s %q have been changed", w.Type, w.Name)
		}
	}
	return ""
}

// candidateDSN opens a restore candidate read-only, with no trust in its schema.
func candidateDSN(path string) string {
	q := url.Values{}
	q.Set("mode", "ro")
	q.Add("_pragma", "trusted_schema(0)")
	q.Add("_pragma", "query_only(1)")
	q.Add("_pragma", "busy_timeout(10000)")
	return "file:" + filepath.ToSlash(path) + "?" + q.Encode()
}

const backupSealKey = "backup.seal"

// checkBackup decides whether the file at path may replace the live data.
// name is what the user chose, for messages. It changes nothing anywhere.
func (d *DB) checkBackup(ctx context.Context, path, name string, foreign *seal.Keys) error {
	const unchanged = " Your current data is unchanged."
	damaged := func(err error) error {
		return &app.Error{Code: app.EINVALID, Err: err, Message: name + " is not a PracticePost backup, or it is damaged. Choose another backup in Settings → Backup;" + strings.TrimPrefix(unchanged, " ")[len("Your"):len("Your")] + " your current data is unchanged."}
	}
	refuse := func(why string, err error) error {
		return &app.Error{Code: app.EINVALID, Err: err, Message: name + " cannot be restored: " + why + ", so it may have been altered to change your records." + unchanged + " Choose another backup in Settings → Backup, or contact support."}
	}
	sdb, err := sql.Open("sqlite", candidateDSN(path))
	if err != nil {
		return damaged(err)
	}
	defer sdb.Close()
	sdb.SetMaxOpenConns(1)

	var res string
	if err := sdb.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&res); err != nil {
		return damaged(err)
	}
	if res != "ok" {
		return damaged(fmt.Errorf("integrity_check: %s", res))
	}
	var version int
	if err := sdb.QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&version); err != nil {
		return damaged(err)
	}
	if version > SchemaVersion() {
		return app.Errorf(app.ECONFLICT, "%s was made by a newer version of PracticePost (data version %d; this copy understands up to %d). Install the latest PracticePost to restore it.%s", name, version, SchemaVersion(), unchanged)
	}
	if version < 1 {
		return damaged(errors.New("no migrations recorded"))
	}
	// The recorded migrations must be exactly this build's 1..version.
	ms, err := loadMigrations()
	if err != nil {
		return app.Internal(err, "This copy of PracticePost is damaged (bad schema files). Reinstall it.")
	}
	rows, err := sdb.QueryContext(ctx, "SELECT version, name FROM schema_migrations ORDER BY version")
	if err != nil {
		return damaged(err)
	}
	i := 0
	for rows.Next() {
		var v int
		var n string
		if err := rows.Scan(&v, &n); err != nil {
			rows.Close()
			return damaged(err)
		}
		if i >= version || v != ms[i].version || n != ms[i].name {
			rows.Close()
			return refuse(fmt.Sprintf("its record of data updates does not match this PracticePost (step %d)", v), nil)
		}
		i++
	}
	rows.Close()
	if i != version {
		return refuse("its record of data updates has gaps", nil)
	}

	want, err := expectedSchema(ctx, version)
	if err != nil {
		return app.Internal(err, "PracticePost could not check the backup. Nothing was restored.")
	}
	have, err := schemaSnapshot(ctx, sdb)
	if err != nil {
		return damaged(err)
	}
	if diff := schemaDifference(have, want); diff != "" {
		return refuse(diff, nil)
	}
	var brand int
	if err := sdb.QueryRowContext(ctx, "SELECT COUNT(*) FROM brand_kit").Scan(&brand); err != nil || brand != 1 {
		return damaged(err)
	}

	fk, err := sdb.QueryContext(ctx, "PRAGMA foreign_key_check")
	if err != nil {
		return damaged(err)
	}
	var table string
	var rowid sql.NullInt64
	var parent string
	var fkid int
	bad := fk.Next()
	if bad {
		fk.Scan(&table, &rowid, &parent, &fkid)
	}
	fk.Close()
	if bad {
		return refuse(fmt.Sprintf("a row in %q points to a %q row that does not exist", table, parent), nil)
	}

	return d.checkBackupChain(ctx, sdb, name, version, refuse, foreign)
}

// checkBackupChain verifies the candidate's activity log: every link, keyed
// ones with this computer's key, and its end against the seal the backup
// carries (or, for a backup from before sealing, against the keychain's
// record of where sealing began).
func (d *DB) checkBackupChain(ctx context.Context, sdb *sql.DB, name string, version int, refuse func(string, error) error, foreign *seal.Keys) error {
	entries, err := readChain(ctx, sdb)
	if err != nil {
		return refuse("its activity log cannot be read", err)
	}
	o, err := d.chainOptions()
	if err != nil {
		return err
	}
	keychainAnchor := o.Anchor
	o.Anchor = nil
	if foreign != nil {
		// A backup from another computer: its own log key, carried by the
		// recovery key; this computer's history says nothing about it.
		o.Key, keychainAnchor = foreign.Audit, nil
		if len(o.Key) == 0 {
			o.Key = nil
		}
	}

	var seal *audit.BackupSeal
	var raw string
	err = sdb.QueryRowContext(ctx, "SELECT value FROM app_state WHERE key = ?", backupSealKey).Scan(&raw)
	if err == nil {
		seal = &audit.BackupSeal{}
		if json.Unmarshal([]byte(raw), seal) != nil {
			return refuse("its seal is damaged", nil)
		}
	} else if !errors.Is(err, sql.ErrNoRows) {
		return refuse("its seal cannot be read", err)
	}

	keyed := false
	for _, e := range entries {
		if e.Action == audit.ActionKeyed {
			keyed = true
			break
		}
	}
	if (keyed || seal != nil) && o.Key == nil {
		return app.Errorf(app.EINVALID, "%s was sealed on another computer, and this computer does not have its key. To move your practice to this computer, restore the backup with your recovery key. Your current data is unchanged.", name)
	}
	switch {
	case seal != nil:
		if !seal.Valid(o.Key) {
			return app.Errorf(app.EINVALID, "%s cannot be restored: its seal does not match this computer's key. Either it was sealed on another computer (to move your practice to this computer, restore it with your recovery key), or it was altered after it was made (choose another backup in Settings → Backup). Your current data is unchanged.", name)
		}
		if seal.SchemaVersion != version {
			return refuse("its seal belongs to a different data version", nil)
		}
		a := seal.Anchor
		o.Anchor = &a
	case keyed:
		return refuse("its activity log is sealed but the backup's seal is missing", nil)
	default:
		if err := d.checkUnsealedHistory(ctx, entries, keychainAnchor, refuse); err != nil {
			return err
		}
	}
	rep := audit.Check(entries, o)
	if b := rep.Break; b != nil {
		switch b.Kind {
		case audit.BreakTruncated:
			return refuse(fmt.Sprintf("entries were removed from the end of its activity log (it ends at entry %d; the backup was sealed at entry %d)", rep.LastID, o.Anchor.ID), nil)
		case audit.BreakNoKey:
			return app.Errorf(app.EINVALID, "%s was sealed on another computer. To move your practice to this computer, restore the backup with your recovery key. Your current data is unchanged.", name)
		default:
			return refuse("its activity log was rewritten ("+b.Reason+")", nil)
		}
	}
	if seal != nil && rep.LastID != seal.ID {
		return refuse(fmt.Sprintf("its activity log runs past the point it was sealed at (entry %d)", seal.ID), nil)
	}
	return nil
}

// checkUnsealedHistory judges a backup with no seal and no keyed entries.
// Such a file is either from before sealing began, or a sealed backup whose
// log someone rewrote with plain links and whose seal they removed. When
// this computer's own log had plain entries before its switch (entry K), a
// backup that shares that plain history (its entry K-1 is the one the
// switch follows) but goes on past it with plain links is the second kind.
// A backup from another history (an older computer) cannot be told apart
// from a genuine one and is accepted; its log keeps its plain links.
func (d *DB) checkUnsealedHistory(ctx context.Context, entries []app.AuditEntry, a *audit.Anchor, refuse func(string, error) error) error {
	if a == nil || a.KeyedFrom <= 1 || len(entries) == 0 || entries[len(entries)-1].ID < a.KeyedFrom {
		return nil
	}
	var switchPrev string
	err := d.read(func(db querier) error {
		return db.QueryRowContext(ctx, "SELECT prev_hash FROM audit_log WHERE id = ? AND action = ?", a.KeyedFrom, audit.ActionKeyed).Scan(&switchPrev)
	})
	if errors.Is(err, sql.ErrNoRows) {
		return nil // the live log is not the one the keychain remembers
	} else if err != nil {
		return app.Internal(err, "PracticePost could not read the activity log.")
	}
	for _, e := range entries {
		if e.ID == a.KeyedFrom-1 && e.Hash == switchPrev {
			return refuse(fmt.Sprintf("its activity log was rewritten without the seal this computer started at entry %d", a.KeyedFrom), nil)
		}
	}
	return nil
}
