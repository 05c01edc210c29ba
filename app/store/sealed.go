package store

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"

	"practicepost/app"
	"practicepost/app/seal"
)

// Sealed columns: every value that identifies a patient, every stored file
// (photos, videos, signatures, signed forms, emails as received) and the
// words patients wrote, encrypted one value at a time with the data key
// (package seal explains why field by field). This table is the one place
// that says which columns are sealed: the upgrade of an older file, the
// restore check and the tests that search a data file for patient data all
// read it. The key column is what binds a value to its row.
var sealedColumns = []sealedTable{
	{"patients", "id", []string{"ref", "full_name", "date_of_birth", "email", "phone"}, 0},
	{"consents", "id", []string{"record"}, 0},
	{"consent_revocations", "consent_id", []string{"note"}, 0},
	{"testimonials", "id", []string{"quote"}, 0},
	// Where a testimonial came from, typed freely, and the names its files
	// came with ("jane_smith_before.jpg"), one per file in media: from 20.
	{"testimonials", "id", []string{"source", "media_labels"}, 20},
	{"blobs", "sha256", []string{"data"}, 0},
	{"mail_requests", "id", []string{"patient_name", "patient_email", "detail"}, 0},
	{"mail_replies", "id", []string{"item", "note"}, 0},
	// Why an email was not sent (a refused address is the patient's), and
	// how the manager checked a reply's sender ("Phoned Zoë on her usual
	// number"): from 20.
	{"mail_requests", "id", []string{"error"}, 20},
	{"mail_replies", "id", []string{"resolution"}, 20},
	{"consent_holds", "id", []string{"reason", "release_note"}, 0},
	{"quote_approvals", "id", []string{"evidence"}, 0},
	// Comments and reviews: bound to the platform and the item's id there.
	{"inbox_items", "platform || ':' || remote_id", []string{"author", "body"}, 0},
	// An item's link holds the commenter's handle (Bluesky, X, Mastodon);
	// a review's reply, typed on Google as often as here, may greet the
	// reviewer by name: from 20.
	{"inbox_items", "platform || ':' || remote_id", []string{"url", "reply_text"}, 20},
	// The words drawn into a Studio image: a quote card carries the
	// patient's words and name as attributed. NULL (an image kept before
	// the words were recorded) stays NULL.
	{"media", "id", []string{"image_text"}, 19},
	// Drafts: a post built from a testimonial carries the patient's words
	// and name before anything is published, and may never be.
	{"drafts", "id", []string{"title", "body", "versions"}, 19},
	// The same words once queued, until and after they go out, and the
	// platforms' answers, some of which echo them (Mastodon, X, Google).
	{"publish_requests", "id", []string{"text"}, 19},
	{"publish_jobs", "id", []string{"text", "raw"}, 19},
	{"publish_attempts", "id", []string{"raw"}, 19},
	// What a job says about itself: the gate's reasons quote the words it
	// refused ("the post shows the patient's full name (…)"), the platform's
	// message is an excerpt of the answer sealed in raw, and a takedown note
	// says who asked ("Removed after Mrs Patel phoned"): from 20.
	{"publish_jobs", "id", []string{"error_message", "platform_message", "takedown_note"}, 20},
	// Alt text: the manager's words about an image, which name whoever it
	// shows as readily as a caption does. A draft's and a request's hold
	// one per image, in the order of their media JSON.
	{"media", "id", []string{"alt_text"}, 20},
	{"drafts", "id", []string{"alt_texts"}, 20},
	{"publish_requests", "id", []string{"alts"}, 20},
	// The rest a draft's author types: a hashtag, a link or a campaign name
	// can name a patient as the title does (#MargaretsSmile), and a draft
	// may never go out: from 20.
	{"drafts", "id", []string{"hashtags", "link", "campaign"}, 20},
	// A queued post's link, as the draft's: its query can carry a name. The
	// Inbox's replies, with the checks' findings that quote their words and
	// the platform's refusal, as a review's reply_text; why a takedown
	// failed, from the platform's answer as platform_message is.
	{"publish_requests", "id", []string{"link"}, 21},
	{"publish_jobs", "id", []string{"link", "takedown_error"}, 21},
	{"inbox_actions", "id", []string{"text", "verdict", "error"}, 21},
	// Where a patient's copy of their signed form was emailed, and why
	// sending failed (a refused address is the patient's): sealed from the
	// table's first version, 22.
	{"consent_copies", "id", []string{"sent_to", "error"}, 0},
}

type sealedTable struct {
	// key is the column (or SQL expression over columns) whose value binds
	// a sealed value to its row.
	table, key string
	columns    []string
	// since is the schema version from which the columns are sealed; 0 is
	// from the first sealed version. A sealed file from before it has these
	// columns' values sealed in place when it opens (sealLate), so a column
	// can join the list without leaving older files' values plain.
	since int
}

// SealedColumns lists "table.column" for every sealed column.
func SealedColumns() []string {
	var out []string
	for _, t := range sealedColumns {
		for _, c := range t.columns {
			out = append(out, t.table+"."+c)
		}
	}
	return out
}

// App-state keys of sealing.
const (
	sealCheckKey    = "seal.check"    // a known value sealed with the data key: which key this file needs
	sealEnvelopeKey = "seal.envelope" // the keys sealed with the recovery key (seal.Envelope as JSON)
	sealRecoveryKey = "seal.recovery" // when the current recovery key was made
	sealCheckPlain  = "practicepost data key"
)

var sealCheckCell = seal.Cell{Table: "app_state", Column: "value", Row: sealCheckKey}

// processKeys holds the data key of files opened without a keychain (tests
// and tools that pass none): such a file opens again only in this process.
var processKeys = seal.NewKeyring(&memSecrets{m: map[string]string{}})

type memSecrets struct {
	mu sync.Mutex
	m  map[string]string
}

func (s *memSecrets) Get(k string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.m[k]
	if !ok {
		return "", app.Errorf(app.ENOTFOUND, "no %s", k)
	}
	return v, nil
}

func (s *memSecrets) Set(k, v string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m[k] = v
	return nil
}

// needRecovery is the error for a sealed file this computer has no key for.
func needRecovery(err error) error {
	return &app.Error{Code: app.ERECOVERY, Err: err, Message: "Your practice's data on this computer is locked with a key this computer does not have (a new computer, or a reset password store). Type your recovery key to open it."}
}

// startSeal makes sure the file is sealed with this computer's data key:
// a new or older file is sealed now (creating the key if needed); a sealed
// file must match the key in the keychain.
func (d *DB) startSeal(ctx context.Context, fresh bool) error {
	var check string
	if err := d.db.QueryRowContext(ctx, "SELECT value FROM app_state WHERE key = ?", sealCheckKey).Scan(&check); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return openError(d.path, err)
	}
	key, ok, err := d.keys.DataKey()
	if err != nil {
		return err
	}
	if check != "" {
		if !ok {
			return needRecovery(errors.New("no data key in the keychain"))
		}
		s, err := seal.New(key)
		if err != nil {
			return needRecovery(err)
		}
		if err := verifyCheck(s, check); err != nil {
			return needRecovery(err)
		}
		d.sealer = s
		// A file sealed before app_state values were could still hold one
		// plain (a consent form left on screen when the app closed), and a
		// file sealed before a column joined the list holds its values
		// plain.
		n, err := d.sealPlainStates(ctx, d.db)
		if err == nil {
			var m int
			m, err = d.sealLate(ctx)
			n += m
		}
		if err != nil {
			return app.Internal(err, "PracticePost could not protect the patient data in its data file. Nothing was changed; restore a backup if this keeps happening.")
		}
		if n > 0 {
			slog.Info("plain values sealed", "values", n)
			if err := d.purgePlain(ctx); err != nil {
				return err
			}
		}
		return nil
	}
	// Unsealed: a brand-new file, or one from before sealing.
	if !ok {
		if key, err = d.keys.Create(); err != nil {
			return err
		}
	}
	s, err := seal.New(key)
	if err != nil {
		return app.Internal(err, "PracticePost could not use the key that protects your practice's data.")
	}
	d.sealer = s
	n, err := d.sealPlain(ctx, sealedColumns, true)
	if err != nil {
		return app.Internal(err, "PracticePost could not protect the patient data in its data file. Nothing was changed; restore a backup if this keeps happening.")
	}
	if !fresh {
		slog.Info("data file sealed", "values", n)
		return d.purgePlain(ctx)
	}
	return nil
}

// purgePlain runs once values were sealed in place: they are gone from the
// tables, VACUUM rewrites every page so none lingers in free space, and the
// checkpoint empties the WAL, which held the pages as they were.
func (d *DB) purgePlain(ctx context.Context) error {
	if _, err := d.db.ExecContext(ctx, "VACUUM"); err != nil {
		return app.Internal(err, "PracticePost could not tidy its data file after protecting it.")
	}
	if _, err := d.db.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		return app.Internal(err, "PracticePost could not tidy its data file after protecting it.")
	}
	return nil
}

func verifyCheck(s *seal.Sealer, check string) error {
	raw, err := base64.StdEncoding.DecodeString(check)
	if err != nil {
		return err
	}
	plain, err := s.Open(raw, sealCheckCell)
	if err != nil {
		return err
	}
	if string(plain) != sealCheckPlain {
		return seal.ErrOpen
	}
	return nil
}

// sealLateKey records the newest "since" whose columns this file has had
// sealed (see sealedTable.since).
const sealLateKey = "seal.late"

// lateSince is the newest "since" in the list.
func lateSince() int {
	n := 0
	for _, t := range sealedColumns {
		n = max(n, t.since)
	}
	return n
}

// sealLate seals the values of every column that joined the list after
// this file was sealed. The file's record of what it has had sealed, not
// its data version, says which: the record is written in the same
// transaction as the values, so a crash between the migration that marks
// the change and this step leaves the record behind and the step runs at
// the next open. A file whose record is current is not read at all.
func (d *DB) sealLate(ctx context.Context) (int, error) {
	var raw string
	err := d.db.QueryRowContext(ctx, "SELECT value FROM app_state WHERE key = ?", sealLateKey).Scan(&raw)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, err
	}
	done, _ := strconv.Atoi(raw) // absent: sealed before any column joined late
	var cols []sealedTable
	for _, t := range sealedColumns {
		if t.since > done {
			cols = append(cols, t)
		}
	}
	if len(cols) == 0 {
		return 0, nil
	}
	return d.sealPlain(ctx, cols, false)
}

// plainCell is one value of a sealed column that is still plain; key is
// its table's binding key, as in sealedTable.
type plainCell struct {
	table, key, column, row string
	value                   []byte
}

// sealPlain seals, in one transaction, every plain value in cols and
// records that the file's columns are sealed up to lateSince. For a file
// sealed the first time (first) it also seals the sealed app_state keys and
// records the check. Signed consents and recorded withdrawals refuse
// updates by trigger; when there is anything to seal the triggers are
// lifted for this one transaction and put back exactly as they were.
func (d *DB) sealPlain(ctx context.Context, cols []sealedTable, first bool) (int, error) {
	tx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	var cells []plainCell
	for _, t := range cols {
		for _, c := range t.columns {
			found, err := plainCells(ctx, tx, t, c)
			if err != nil {
				return 0, err
			}
			cells = append(cells, found...)
		}
	}
	type trig struct{ name, sql string }
	var trigs []trig
	if len(cells) > 0 {
		rows, err := tx.QueryContext(ctx, "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND sql LIKE '%BEFORE UPDATE%'")
		if err != nil {
			return 0, err
		}
		for rows.Next() {
			var t trig
			if err := rows.Scan(&t.name, &t.sql); err != nil {
				rows.Close()
				return 0, err
			}
			trigs = append(trigs, t)
		}
		rows.Close()
	}
	for _, t := range trigs {
		if _, err := tx.ExecContext(ctx, "DROP TRIGGER "+quoteIdent(t.name)); err != nil {
			return 0, err
		}
	}
	n := 0
	for _, x := range cells {
		sealed := d.sealer.Seal(x.value, seal.Cell{Table: x.table, Column: x.column, Row: x.row})
		if _, err := tx.ExecContext(ctx, x.update(), sealed, x.row); err != nil {
			return 0, err
		}
		n++
	}
	// The sealed app_state keys too: a key joins the list as a column does
	// (a publish request's Google details from 20).
	ns, err := d.sealPlainStates(ctx, tx)
	if err != nil {
		return 0, err
	}
	n += ns
	// And replies' keys, kept as digests from 21.
	nk, err := d.digestReplyKeys(ctx, tx)
	if err != nil {
		return 0, err
	}
	n += nk
	for _, t := range trigs {
		if _, err := tx.ExecContext(ctx, t.sql); err != nil {
			return 0, err
		}
	}
	put := "INSERT INTO app_state (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value"
	if _, err := tx.ExecContext(ctx, put, sealLateKey, strconv.Itoa(lateSince())); err != nil {
		return 0, err
	}
	if first {
		check := base64.StdEncoding.EncodeToString(d.sealer.Seal([]byte(sealCheckPlain), sealCheckCell))
		if _, err := tx.ExecContext(ctx, put, sealCheckKey, check); err != nil {
			return 0, err
		}
	}
	return n, tx.Commit()
}

// digestReplyKeys replaces each reply key still plain with its digest.
func (d *DB) digestReplyKeys(ctx context.Context, tx *sql.Tx) (int, error) {
	rows, err := tx.QueryContext(ctx, "SELECT id, key FROM mail_replies WHERE substr(key, 1, ?) != ?", len(seal.DigestPrefix), seal.DigestPrefix)
	if err != nil {
		return 0, err
	}
	keys := map[int64]string{}
	for rows.Next() {
		var id int64
		var k string
		if err := rows.Scan(&id, &k); err != nil {
			rows.Close()
			return 0, err
		}
		keys[id] = k
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	for id, k := range keys {
		if _, err := tx.ExecContext(ctx, "UPDATE mail_replies SET key = ? WHERE id = ?", d.replyKey(k), id); err != nil {
			return 0, err
		}
	}
	return len(keys), nil
}

// plainCells reads the values of one sealed column that are still plain.
func plainCells(ctx context.Context, tx *sql.Tx, t sealedTable, column string) ([]plainCell, error) {
	q := fmt.Sprintf("SELECT %s, %s FROM %s WHERE %s IS NOT NULL", keyExpr(t.key), quoteIdent(column), quoteIdent(t.table), quoteIdent(column))
	rows, err := tx.QueryContext(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []plainCell
	for rows.Next() {
		var row any
		var v []byte
		if err := rows.Scan(&row, &v); err != nil {
			return nil, err
		}
		if !seal.IsSealed(v) {
			out = append(out, plainCell{table: t.table, key: t.key, column: column, row: rowKey(row), value: v})
		}
	}
	return out, rows.Err()
}

func (c plainCell) update() string {
	return fmt.Sprintf("UPDATE %s SET %s = ? WHERE %s = ?", quoteIdent(c.table), quoteIdent(c.column), keyExpr(c.key))
}

// keyExpr quotes a plain column name; an expression is used as written.
func keyExpr(k string) string {
	if strings.ContainsAny(k, " |'") {
		return k
	}
	return quoteIdent(k)
}

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

func rowKey(v any) string {
	switch x := v.(type) {
	case int64:
		return strconv.FormatInt(x, 10)
	case []byte:
		return string(x)
	case string:
		return x
	default:
		return fmt.Sprint(x)
	}
}

func rowID(id int64) string { return strconv.FormatInt(id, 10) }

// nextID sets *id to the id the next row of table will take. A row whose
// sealed values are bound to its id chooses it before the insert; inside
// the write transaction there is one writer at a time, so it is free.
func (tx *Tx) nextID(ctx context.Context, table string, id *int64) error {
	return tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(id), 0) + 1 FROM "+quoteIdent(table)).Scan(id)
}

// seal encrypts one value for its cell.
func (tx *Tx) seal(table, column, row string, v []byte) []byte {
	if v == nil {
		v = []byte{} // a sealed empty value, never NULL: the columns are NOT NULL
	}
	return tx.db.sealer.Seal(v, seal.Cell{Table: table, Column: column, Row: row})
}

// sealText is seal for text.
func (tx *Tx) sealText(table, column, row, v string) []byte {
	return tx.seal(table, column, row, []byte(v))
}

// open decrypts one value read from its cell.
func (d *DB) open(table, column, row string, v []byte) ([]byte, error) {
	plain, err := d.sealer.Open(v, seal.Cell{Table: table, Column: column, Row: row})
	if err != nil {
		return nil, fmt.Errorf("%s.%s of row %s: %w", table, column, row, err)
	}
	return plain, nil
}

// sealedText scans a sealed column into a string. Its row is read through
// row when Scan reaches it: database/sql fills destinations in column
// order, so the key column listed first is already set.
type sealedText struct {
	d             *DB
	table, column string
	row           func() string
	dst           *string
}

func (s sealedText) Scan(src any) error {
	b, ok := src.([]byte)
	if !ok {
		return fmt.Errorf("%s.%s: want a sealed value, found %T", s.table, s.column, src)
	}
	plain, err := s.d.open(s.table, s.column, s.row(), b)
	if err != nil {
		return err
	}
	*s.dst = string(plain)
	return nil
}

// text returns a Scanner that opens a sealed column of the row whose
// integer key is *id into dst.
func (d *DB) text(table, column string, id *int64, dst *string) sealedText {
	return sealedText{d: d, table: table, column: column, row: func() string { return rowID(*id) }, dst: dst}
}

// nullText is text for a column that may be NULL (an outer join): NULL
// leaves dst invalid.
func (d *DB) nullText(table, column string, id *int64, dst *sql.NullString) sealedNull {
	return sealedNull{sealedText: sealedText{d: d, table: table, column: column, row: func() string { return rowID(*id) }, dst: &dst.String}, valid: &dst.Valid}
}

type sealedNull struct {
	sealedText
	valid *bool
}

func (s sealedNull) Scan(src any) error {
	*s.valid = src != nil
	if src == nil {
		*s.dst = ""
		return nil
	}
	return s.sealedText.Scan(src)
}

// RecoveryEnvelope reads the recovery envelope of the data file or backup
// at path without opening it for writing and without any key: what a new
// computer needs to turn the recovery key into the file's keys.
func RecoveryEnvelope(ctx context.Context, path string) (seal.Envelope, bool, error) {
	var env seal.Envelope
	sdb, err := sql.Open("sqlite", candidateDSN(path))
	if err != nil {
		return env, false, err
	}
	defer sdb.Close()
	var raw string
	err = sdb.QueryRowContext(ctx, "SELECT value FROM app_state WHERE key = ?", sealEnvelopeKey).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return env, false, nil
	} else if err != nil {
		return env, false, err
	}
	if err := json.Unmarshal([]byte(raw), &env); err != nil {
		return env, false, err
	}
	return env, true, nil
}

// withAlts puts a row's sealed alt texts (or a testimonial's file labels)
// back on its n images, in order. A count that differs means the two
// columns were not written together: no image is given another's words.
func withAlts(n int, alts []string, set func(i int, alt string)) error {
	if len(alts) != n {
		return fmt.Errorf("%d alt texts for %d images", len(alts), n)
	}
	for i, a := range alts {
		set(i, a)
	}
	return nil
}
