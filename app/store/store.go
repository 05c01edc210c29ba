// Package store keeps everything PracticePost knows in one SQLite file:
// brand kit, media, consent evidence, drafts, publications and the activity
// log. It owns the schema (embedded, numbered migrations) and backups.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"practicepost/app"
	"practicepost/app/audit"
	"practicepost/app/seal"

	_ "modernc.org/sqlite" // registers the "sqlite" driver: pure Go, so Windows cross-builds need no cgo
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// FileName is the data file inside the data folder.
const FileName = "practicepost.db"

// Home returns the data folder: $PRACTICEPOST_HOME, or PracticePost inside
// the OS's per-user config folder (AppData\Roaming on Windows,
// ~/Library/Application Support on macOS).
func Home() (string, error) {
	if h := os.Getenv("PRACTICEPOST_HOME"); h != "" {
		return filepath.Abs(h)
	}
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", app.Internal(err, "PracticePost could not find your user settings folder.")
	}
	return filepath.Join(dir, "PracticePost"), nil
}

// DB is the open data file. Its handle can be swapped by Restore while the
// app runs, so every use goes through the lock.
type DB struct {
	mu    sync.RWMutex
	db    *sql.DB
	path  string
	Clock app.Clock
	// view, when set, makes this DB a read-only view of one open write
	// transaction (Tx.Reader): every read sees the data as that transaction
	// does, and nothing can be written through it.
	view *sql.Tx
	// keeper keys the activity log and anchors its head in the keychain;
	// nil keeps the plain SHA-256 chain (tools and tests that pass none).
	keeper *audit.Keeper
	// chain is what this session knows about the log (see auditchain.go).
	chain *chainState
	// keys holds the data key in the keychain; sealer seals and opens the
	// patient data with it (sealed.go).
	keys   *seal.Keyring
	sealer *seal.Sealer
	// index is the opened patient list (patient.go); nil in read views.
	index *patientIndex
}

// Options are the optional parts of Open.
type Options struct {
	Clock app.Clock
	// Audit keys the activity log with a key in the OS keychain and anchors
	// its newest entry there. Without it the log keeps plain SHA-256 links.
	Audit *audit.Keeper
	// Seal keeps the data key that seals patient data in the OS keychain.
	// Without it the key lives in this process only, so the file opens
	// again only in this process (tests and tools).
	Seal *seal.Keyring
}

// migration is one numbered SQL file.
type migration struct {
	version int
	name    string
	sql     string
	// rebuild marks a migration that rebuilds a table other tables point
	// at (SQLite's way to change a CHECK). It runs with foreign keys off,
	// as SQLite prescribes: with them on, dropping the old table deletes
	// its rows first and the commit fails on every row that points at
	// them. The keys are checked before it commits instead.
	rebuild bool
}

// rebuildMarker is the line that marks a migration as a rebuild.
const rebuildMarker = "-- practicepost: rebuild"

func loadMigrations() ([]migration, error) {
	names, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, n := range names {
		base := filepath.Base(n)
		num, _, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("migration %s: name must start with a number and _", base)
		}
		b, err := migrationFS.ReadFile(n)
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: strings.TrimSuffix(base, ".sql"), sql: string(b),
			rebuild: slices.Contains(strings.Split(string(b), "\n"), rebuildMarker)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	for i := range ms {
		if ms[i].version != i+1 {
			return nil, fmt.Errorf("migrations must be numbered 1..n without gaps; found %d at position %d", ms[i].version, i+1)
		}
	}
	return ms, nil
}

// SchemaVersion is the newest schema this build knows.
func SchemaVersion() int {
	ms, err := loadMigrations()
	if err != nil {
		panic(err) // embedded files are fixed at build time; a test covers this
	}
	return len(ms)
}

func dsn(path string, readOnly bool) string {
	q := url.Values{}
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "busy_timeout(10000)")
	// A deleted or changed row's old bytes are overwritten, not left in
	// free space for someone with the file to read.
	q.Add("_pragma", "secure_delete(1)")
	if !readOnly {
		q.Add("_pragma", "journal_mode(WAL)")
		// Consent evidence must survive a power cut.
		q.Add("_pragma", "synchronous(FULL)")
		q.Set("_txlock", "immediate")
	} else {
		q.Set("mode", "ro")
	}
	return "file:" + filepath.ToSlash(path) + "?" + q.Encode()
}

// Open opens (creating if needed) the data file at path and brings its schema
// up to date. A file written by a newer PracticePost is refused untouched.
func Open(ctx context.Context, path string, clock app.Clock) (*DB, error) {
	return OpenWith(ctx, path, Options{Clock: clock})
}

// OpenWith is Open with a keyed activity log (see Options).
func OpenWith(ctx context.Context, path string, o Options) (*DB, error) {
	clock := o.Clock
	if clock == nil {
		clock = app.SystemClock{}
	}
	if err := PrivateDir(filepath.Dir(path)); err != nil {
		return nil, app.Internal(err, "PracticePost could not create its data folder "+filepath.Dir(path)+". Check that you can write there.")
	}
	// The data file is created private before SQLite opens it; SQLite gives
	// its WAL and shared-memory files the same mode as the data file.
	if err := privateDataFile(path); err != nil {
		return nil, app.Internal(err, "PracticePost could not make its data file "+path+" private to you. Check that you can write there.")
	}
	sdb, err := openSQL(ctx, path)
	if err != nil {
		return nil, err
	}
	keys := o.Seal
	if keys == nil {
		keys = processKeys
	}
	d := &DB{db: sdb, path: path, Clock: clock, keeper: o.Audit, chain: &chainState{}, keys: keys, index: &patientIndex{}}
	if err := d.migrate(ctx); err != nil {
		sdb.Close()
		return nil, err
	}
	return d, nil
}

func openSQL(ctx context.Context, path string) (*sql.DB, error) {
	sdb, err := sql.Open("sqlite", dsn(path, false))
	if err != nil {
		return nil, app.Internal(err, "PracticePost could not open its data file.")
	}
	// One writer at a time is SQLite's rule anyway; a small pool keeps reads concurrent.
	sdb.SetMaxOpenConns(4)
	if err := sdb.PingContext(ctx); err != nil {
		sdb.Close()
		return nil, openError(path, err)
	}
	var mode string
	if err := sdb.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
		sdb.Close()
		return nil, openError(path, err)
	}
	return sdb, nil
}

func openError(path string, err error) error {
	msg := err.Error()
	if strings.Contains(msg, "not a database") || strings.Contains(msg, "malformed") {
		return &app.Error{Code: app.EINVALID, Err: err, Message: fmt.Sprintf("The file %s is not a PracticePost data file or is damaged. Restore the latest backup from Settings → Backup.", path)}
	}
	return app.Internal(err, "PracticePost could not open its data file "+path+". Close any other copy of PracticePost and try again.")
}

// ErrNewerSchema is returned when the data file comes from a newer version.
func errNewerSchema(have, know int) error {
	return app.Errorf(app.ECONFLICT, "This data file was written by a newer version of PracticePost (data version %d; this copy understands up to %d). Install the latest PracticePost to open it. Nothing in the file was changed.", have, know)
}

func (d *DB) migrate(ctx context.Context) error {
	ms, err := loadMigrations()
	if err != nil {
		return app.Internal(err, "This copy of PracticePost is damaged (bad schema files). Reinstall it.")
	}
	if _, err := d.db.ExecContext(ctx, schemaMigrationsDDL); err != nil {
		return openError(d.path, err)
	}
	var have int
	if err := d.db.QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&have); err != nil {
		return openError(d.path, err)
	}
	if have > len(ms) {
		return errNewerSchema(have, len(ms))
	}
	for _, m := range ms[have:] {
		if err := d.apply(ctx, m); err != nil {
			return app.Internal(err, fmt.Sprintf("PracticePost could not update its data file (step %d). Nothing was changed; restore a backup if this keeps happening.", m.version))
		}
		slog.Info("schema migrated", "version", m.version, "name", m.name)
	}
	// Patient data is sealed before anything else is written.
	if err := d.startSeal(ctx, have == 0); err != nil {
		return err
	}
	// The chain is keyed before anything else is written, so a new file's
	// first entry is the switch.
	if err := d.startChain(ctx, have == 0); err != nil {
		return err
	}
	if have == 0 {
		return d.seed(ctx)
	}
	return nil
}

// schemaMigrationsDDL creates the table that records applied migrations; the
// expected schema for a restore is built with the same statement.
const schemaMigrationsDDL = `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`

func (d *DB) apply(ctx context.Context, m migration) error {
	// One connection for the pragma and the transaction: the pragma is
	// per connection, and does nothing inside a transaction.
	conn, err := d.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if m.rebuild {
		if _, err := conn.ExecContext(ctx, "PRAGMA foreign_keys = OFF"); err != nil {
			return err
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), "PRAGMA foreign_keys = ON")
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return fmt.Errorf("migration %s: %w", m.name, err)
	}
	if m.rebuild {
		if err := foreignKeysHold(ctx, tx); err != nil {
			return fmt.Errorf("migration %s: %w", m.name, err)
		}
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
		m.version, m.name, formatTime(d.Clock.Now())); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", m.version)); err != nil {
		return err
	}
	return tx.Commit()
}

// foreignKeysHold reports the first row whose reference points nowhere.
func foreignKeysHold(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, "PRAGMA foreign_key_check")
	if err != nil {
		return err
	}
	defer rows.Close()
	if rows.Next() {
		var table, parent string
		var rowid sql.NullInt64
		var fk int
		if err := rows.Scan(&table, &rowid, &parent, &fk); err != nil {
			return err
		}
		return fmt.Errorf("a row of %s (rowid %d) points at a missing row of %s", table, rowid.Int64, parent)
	}
	return rows.Err()
}

// seed writes the defaults a brand-new data file starts with.
func (d *DB) seed(ctx context.Context) error {
	return d.Tx(ctx, func(tx *Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM brand_kit").Scan(&n); err != nil || n > 0 {
			return err
		}
		if err := tx.putBrandKit(ctx, app.DefaultBrandKit()); err != nil {
			return err
		}
		return tx.Audit(ctx, "system", "data.create", "data file", nil)
	})
}

// Path is the data file's location.
func (d *DB) Path() string { return d.path }

// Close closes the data file, checkpointing the WAL into it.
func (d *DB) Close() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.db == nil {
		return nil
	}
	err := d.db.Close()
	d.db = nil
	return err
}

// Tx is a write transaction. Every change to the data file goes through one,
// together with its audit entry, so the two cannot disagree.
type Tx struct {
	*sql.Tx
	db  *DB
	now time.Time
	// head is the newest activity-log entry this transaction wrote, to be
	// anchored in the keychain once it commits.
	head *audit.Anchor
	// resetAnchor moves the anchor to head even if it is older (a restore,
	// a new data file).
	resetAnchor bool
}

// Tx runs fn in an immediate write transaction and commits when it returns nil.
func (d *DB) Tx(ctx context.Context, fn func(*Tx) error) error {
	if d.view != nil {
		return app.Internal(errors.New("write through a read view"), "PracticePost could not save. Try again.")
	}
	d.mu.RLock()
	defer d.mu.RUnlock()
	if d.db == nil {
		return app.Errorf(app.EUNAVAILABLE, "The data file is closed. Restart PracticePost.")
	}
	stx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return app.Internal(err, "PracticePost could not start saving. Try again.")
	}
	tx := &Tx{Tx: stx, db: d, now: d.Clock.Now().UTC()}
	if err := fn(tx); err != nil {
		stx.Rollback()
		return err
	}
	if err := stx.Commit(); err != nil {
		return app.Internal(err, "PracticePost could not save. Nothing was changed; try again.")
	}
	d.anchor(tx.head, tx.resetAnchor)
	return nil
}

// Reader is a read-only view of the data as this transaction sees it, with
// every read method of DB. Checks that must judge the data at the instant a
// change is made (the consent gate claiming a publish job) read through it,
// so nothing committed elsewhere can slip between the check and the change.
// It is valid only inside the transaction's function.
func (tx *Tx) Reader() *DB {
	return &DB{view: tx.Tx, path: tx.db.path, Clock: tx.db.Clock, keeper: tx.db.keeper, chain: tx.db.chain, keys: tx.db.keys, sealer: tx.db.sealer}
}

// read runs fn against the open handle under the read lock, or against the
// transaction of a read view.
func (d *DB) read(fn func(querier) error) error {
	if d.view != nil {
		return fn(d.view)
	}
	d.mu.RLock()
	defer d.mu.RUnlock()
	if d.db == nil {
		return app.Errorf(app.EUNAVAILABLE, "The data file is closed. Restart PracticePost.")
	}
	return fn(d.db)
}

// readWith runs fn on the read view (see read) and returns what it read.
func readWith[T any](d *DB, fn func(querier) (T, error)) (T, error) {
	var v T
	err := d.read(func(q querier) error {
		var err error
		v, err = fn(q)
		return err
	})
	return v, err
}

// readAll runs a read-only query and scans every row with scan. What it
// returns is never nil on success, so an empty list reaches the frontend
// as [] rather than null; fail is the message shown when the read fails.
func readAll[T any](ctx context.Context, d *DB, fail string, scan func(scanner) (T, error), q string, args ...any) ([]T, error) {
	var out []T
	err := d.read(func(db querier) error {
		rows, err := db.QueryContext(ctx, q, args...)
		if err != nil {
			return err
		}
		out, err = scanAll(rows, scan)
		return err
	})
	if err != nil {
		return nil, app.Internal(err, fail)
	}
	return out, nil
}

// readOne reads the one row q selects. No row is the not-found error with
// the message notFound; any other failure is internal with fail. The value
// comes back as scanned, also with an error.
func readOne[T any](ctx context.Context, d *DB, notFound, fail string, scan func(scanner) (T, error), q string, args ...any) (T, error) {
	v, err := readWith(d, func(db querier) (T, error) { return scan(db.QueryRowContext(ctx, q, args...)) })
	if errors.Is(err, sql.ErrNoRows) {
		return v, app.Errorf(app.ENOTFOUND, "%s", notFound)
	} else if err != nil {
		return v, app.Internal(err, fail)
	}
	return v, nil
}

// queryIDs runs q, which selects one integer column, and returns its
// values in order; nil for none, as the callers' results always were.
func queryIDs(ctx context.Context, db querier, q string, args ...any) ([]int64, error) {
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	ids, err := scanAll(rows, func(s scanner) (id int64, err error) {
		err = s.Scan(&id)
		return id, err
	})
	if len(ids) == 0 {
		return nil, err
	}
	return ids, err
}

// scanAll scans every row and closes rows. It returns nil with any error
// and an empty, non-nil slice for no rows.
func scanAll[T any](rows *sql.Rows, scan func(scanner) (T, error)) ([]T, error) {
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// Now is the transaction's timestamp: one instant for all rows it writes.
func (tx *Tx) Now() time.Time { return tx.now }

const timeLayout = "2006-01-02T15:04:05.000000000Z"

func formatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

func parseTime(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("bad timestamp %q: %w", s, err)
	}
	return t.UTC(), nil
}

// parseSpan reads a row's first instant and an optional later one that is
// "" until it happens (sent, decided, released, finished): the zero time
// then, which the views read as "not yet".
func parseSpan(first, later string) (time.Time, time.Time, error) {
	a, err := parseTime(first)
	if err != nil || later == "" {
		return a, time.Time{}, err
	}
	b, err := parseTime(later)
	return a, b, err
}

// State reads an app_state value; "" when unset.
func (d *DB) State(ctx context.Context, key string) (string, error) {
	var v string
	err := d.read(func(db querier) error {
		err := db.QueryRowContext(ctx, "SELECT value FROM app_state WHERE key = ?", key).Scan(&v)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		return err
	})
	return v, err
}

// State reads an app_state value as this transaction sees it; "" when unset.
func (tx *Tx) State(ctx context.Context, key string) (string, error) {
	var v string
	err := tx.QueryRowContext(ctx, "SELECT value FROM app_state WHERE key = ?", key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return v, err
}

// SetState writes an app_state value.
func (tx *Tx) SetState(ctx context.Context, key, value string) error {
	_, err := tx.ExecContext(ctx, "INSERT INTO app_state (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", key, value)
	return err
}
