package store_test

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"practicepost/app"
	"practicepost/app/audit"
	"practicepost/app/auth"
	"practicepost/app/seal"
	"practicepost/app/store"
)

// fileBytes is the data file and its WAL, as someone who copied them has.
func fileBytes(t *testing.T, path string) []byte {
	t.Helper()
	var all []byte
	for _, p := range []string{path, path + "-wal"} {
		b, err := os.ReadFile(p)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		all = append(all, b...)
	}
	return bytes.ToLower(all)
}

// notReadable fails t for each of words (lower case) that can be read in
// the data file at path or its WAL.
func notReadable(t *testing.T, path, when string, words ...string) {
	t.Helper()
	b := fileBytes(t, path)
	for _, w := range words {
		if bytes.Contains(b, []byte(w)) {
			t.Errorf("%s: %q is readable in the data file", when, w)
		}
	}
}

// asVersion makes the closed file at raw look as data version v (18 to 20)
// left it: no later migration, and its record of columns sealed late where
// 19 and 20 kept one. The test makes the values plain itself.
func asVersion(t *testing.T, raw *sql.DB, v int) {
	t.Helper()
	if v < 20 {
		before20(t, raw)
	}
	undoSchemaAfter(t, raw, v)
	if v < 19 {
		mustExec(t, raw, "DELETE FROM app_state WHERE key = 'seal.late'")
	} else {
		mustExec(t, raw, "UPDATE app_state SET value = ? WHERE key = 'seal.late'", strconv.Itoa(v))
	}
}

// tablesSince are the tables a migration after 18 creates, by version: a
// file made to look older must not have them, or the migration that makes
// them fails when it runs again.
var tablesSince = map[int][]string{22: {"consent_copies"}}

// undoSchemaAfter makes the closed file at raw's schema look as version v
// left it: no record of later migrations and none of their tables.
func undoSchemaAfter(t *testing.T, raw *sql.DB, v int) {
	t.Helper()
	for since, tables := range tablesSince {
		if since > v {
			for _, tb := range tables {
				mustExec(t, raw, "DROP TABLE IF EXISTS "+tb)
			}
		}
	}
	mustExec(t, raw, "DELETE FROM schema_migrations WHERE version > ?", v)
	mustExec(t, raw, fmt.Sprintf("PRAGMA user_version = %d", v))
}

// signBackupAs signs the backup open at raw as the given data version signed
// it, with this computer's activity-log key, as an older version would.
func signBackupAs(t *testing.T, raw *sql.DB, secrets *auth.MemoryStore, version int) {
	t.Helper()
	var bs audit.BackupSeal
	var js string
	if err := raw.QueryRow("SELECT value FROM app_state WHERE key = 'backup.seal'").Scan(&js); err != nil || json.Unmarshal([]byte(js), &bs) != nil {
		t.Fatalf("backup seal %q: %v", js, err)
	}
	key, err := audit.NewKeeper(secrets).Key()
	if err != nil {
		t.Fatal(err)
	}
	bs.SchemaVersion = version
	bs.Sign(key)
	b, _ := json.Marshal(bs)
	mustExec(t, raw, "UPDATE app_state SET value = ? WHERE key = 'backup.seal'", string(b))
}

// before20 takes migration 20 back off the closed file at raw: the alt
// texts' and file labels' own columns go (the test's drafts, requests and
// testimonials carry images without them, or their JSON carries them as
// before 20), and the library's alt texts are plain, as every version
// before 20 kept them.
func before20(t *testing.T, raw *sql.DB) {
	t.Helper()
	mustExec(t, raw, "ALTER TABLE drafts DROP COLUMN alt_texts")
	mustExec(t, raw, "ALTER TABLE publish_requests DROP COLUMN alts")
	mustExec(t, raw, "ALTER TABLE testimonials DROP COLUMN media_labels")
	// The library as versions 9 to 19 built it, with its CHECK on alt_text.
	mustExec(t, raw, "CREATE TEMP TABLE media_rows AS SELECT * FROM media")
	mustExec(t, raw, "DROP TABLE media")
	mustExec(t, raw, `CREATE TABLE media (
    id          INTEGER PRIMARY KEY,
    set_id      TEXT NOT NULL,                 -- the sizes made by one "Render all sizes" share it
    blob_sha256 TEXT NOT NULL REFERENCES blobs(sha256),
    mime        TEXT NOT NULL,
    template    TEXT NOT NULL,
    layout      TEXT NOT NULL DEFAULT '',
    size_id     TEXT NOT NULL,
    width       INTEGER NOT NULL,
    height      INTEGER NOT NULL,
    bytes       INTEGER NOT NULL,
    alt_text    TEXT NOT NULL CHECK (length(trim(alt_text)) > 0),
    created_at  TEXT NOT NULL
, testimonial_id INTEGER REFERENCES testimonials (id), identity TEXT NOT NULL DEFAULT ''
    CHECK (identity IN ('', 'full_name', 'first_name', 'initials', 'anonymous')), image_text TEXT, sources TEXT NOT NULL DEFAULT '[]'
    CHECK (json_valid(sources) AND json_type(sources) = 'array'), sources_known INTEGER NOT NULL DEFAULT 0
    CHECK (sources_known IN (0, 1) AND (sources_known = 1 OR sources = '[]')), attribution TEXT NOT NULL DEFAULT ''
    CHECK (attribution IN ('', 'testimonial', 'not_patient')
       AND (attribution != 'testimonial' OR testimonial_id IS NOT NULL)))`)
	mustExec(t, raw, `INSERT INTO media (id, set_id, blob_sha256, mime, template, layout, size_id, width, height, bytes, alt_text, created_at,
		testimonial_id, identity, image_text, sources, sources_known, attribution)
		SELECT id, set_id, blob_sha256, mime, template, layout, size_id, width, height, bytes, 'Kept before alt text was sealed', created_at,
		testimonial_id, identity, image_text, sources, sources_known, attribution FROM media_rows`)
	mustExec(t, raw, "DROP TABLE media_rows")
	for _, ix := range []string{"CREATE INDEX media_created ON media(created_at DESC, id DESC)", "CREATE INDEX media_set ON media(set_id)",
		"CREATE INDEX media_blob ON media(blob_sha256)", "CREATE INDEX media_testimonial ON media (testimonial_id) WHERE testimonial_id IS NOT NULL",
		"CREATE INDEX media_sources_unknown ON media (created_at DESC, id DESC) WHERE sources_known = 0"} {
		mustExec(t, raw, ix)
	}
}

func TestPatientDetailsAreSealedAndSearchable(t *testing.T) {
	path, secrets, db := keyedFile(t)
	a, err := db.CreatePatient(ctx, app.Patient{FullName: "Zofia Quarrington", Ref: "RX-9917", Email: "zofia.q@example.org", Phone: "07700 900412",
		DateOfBirth: app.CivilDate{Year: 1979, Month: time.March, Day: 14}})
	if err != nil {
		t.Fatal(err)
	}
	b := addPatient(t, db, "anwen Bellweather")
	for _, s := range []string{"zofia", "quarrington", "rx-9917", "zofia.q@example.org", "07700 900412", "1979-03-14", "bellweather"} {
		if bytes.Contains(fileBytes(t, path), []byte(s)) {
			t.Errorf("%q is readable in the data file", s)
		}
	}
	got, err := db.Patient(ctx, a.ID)
	if err != nil || got.FullName != a.FullName || got.Email != a.Email || got.Phone != a.Phone || got.Ref != a.Ref || got.DateOfBirth != a.DateOfBirth {
		t.Fatalf("read back %+v %v", got, err)
	}
	for q, want := range map[string][]int64{"": {b.ID, a.ID}, "QUARR": {a.ID}, "rx-99": {a.ID}, "example.org": {a.ID}, "bell": {b.ID}, "nobody": {}} {
		ps, err := db.ListPatients(ctx, q, 10)
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for _, p := range ps {
			ids = append(ids, p.ID)
		}
		if len(ids) != len(want) || (len(ids) > 0 && ids[0] != want[0]) {
			t.Errorf("search %q: %v, want %v (by name, ignoring case)", q, ids, want)
		}
	}

	// An edit is seen at once by search and by the gate's name list.
	key1, _ := db.PatientNamesKey(ctx)
	a.FullName = "Zofia Quarrington-Hale"
	if _, err := db.UpdatePatient(ctx, a); err != nil {
		t.Fatal(err)
	}
	key2, _ := db.PatientNamesKey(ctx)
	names, _ := db.PatientNames(ctx)
	if key1 == key2 || names[a.ID] != "Zofia Quarrington-Hale" {
		t.Fatalf("after an edit: keys %s → %s, name %q", key1, key2, names[a.ID])
	}
	if ps, _ := db.ListPatients(ctx, "hale", 10); len(ps) != 1 {
		t.Fatalf("search after edit: %+v", ps)
	}
	if _, err := db.UpdatePatient(ctx, app.Patient{ID: 999, FullName: "Nobody"}); app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatalf("edit of a missing patient: %v", err)
	}
	if err := db.DeletePatient(ctx, b.ID); err != nil {
		t.Fatal(err)
	}
	if ps, _ := db.ListPatients(ctx, "", 10); len(ps) != 1 {
		t.Fatalf("after delete: %+v", ps)
	}
	if err := db.DeletePatient(ctx, b.ID); app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatalf("second delete: %v", err)
	}

	// The list kept up to date write by write is the list read afresh.
	for _, n := range []string{"mo Zed", "Al Aardvark", "Mo Zed", "zz top", "Bea Bee"} {
		addPatient(t, db, n)
	}
	c := addPatient(t, db, "Carla Moved")
	c.FullName = "aaa Carla"
	db.UpdatePatient(ctx, c)
	db.DeletePatient(ctx, a.ID+100) // not there: changes nothing
	kept, _ := db.ListPatients(ctx, "", 100)
	db2 := keyedDB(t, path, secrets)
	fresh, _ := db2.ListPatients(ctx, "", 100)
	if len(kept) != len(fresh) || len(kept) != 7 {
		t.Fatalf("kept %d, fresh %d", len(kept), len(fresh))
	}
	for i := range kept {
		if kept[i].ID != fresh[i].ID || kept[i].FullName != fresh[i].FullName {
			t.Fatalf("at %d: kept %+v, fresh %+v", i, kept[i], fresh[i])
		}
	}
}

func TestAPatientWithEvidenceIsNotDeleted(t *testing.T) {
	db := MustOpenDB(t)
	p := addPatient(t, db, "Nia Penrose")
	sig := []byte("\x89PNG signature")
	c := signed(t, db, p, sig, app.ChannelFacebook)
	if _, err := db.InsertConsent(ctx, app.NewConsent{Consent: c, SignaturePNG: sig, PDF: []byte("%PDF-1.7 test")}); err != nil {
		t.Fatal(err)
	}
	if err := db.DeletePatient(ctx, p.ID); app.ErrorCode(err) != app.ECONFLICT || !strings.Contains(app.ErrorMessage(err), "kept as evidence") {
		t.Fatalf("got %v", err)
	}
	if _, err := db.Patient(ctx, p.ID); err != nil {
		t.Fatalf("the refused delete removed the patient: %v", err)
	}
}

// A sealed value copied into another row, or another column, does not open:
// someone with the file cannot move one patient's details to another.
func TestSealedValuesAreBoundToTheirPlace(t *testing.T) {
	path := filepath.Join(t.TempDir(), store.FileName)
	db := keyedDB(t, path, auth.NewMemoryStore())
	a := addPatient(t, db, "Ada Lovell")
	b := addPatient(t, db, "Ben Marrow")
	raw := rawDB(t, path)
	mustExec(t, raw, "UPDATE patients SET full_name = (SELECT full_name FROM patients WHERE id = ?) WHERE id = ?", a.ID, b.ID)
	db.UpdatePatient(ctx, a) // any write moves the list's version on, so it is read again
	if _, err := db.Patient(ctx, b.ID); app.ErrorCode(err) != app.EINTERNAL {
		t.Fatalf("a name moved to another row opened: %v", err)
	}
	if _, err := db.ListPatients(ctx, "", 10); err == nil {
		t.Fatal("the list opened with a moved name in it")
	}
	mustExec(t, raw, "UPDATE patients SET full_name = email WHERE id = ?", a.ID)
	if _, err := db.Patient(ctx, a.ID); err == nil {
		t.Fatal("an email moved into the name column opened")
	}
	mustExec(t, raw, "UPDATE patients SET full_name = 'Plain Name' WHERE id = ?", a.ID)
	if _, err := db.Patient(ctx, a.ID); err == nil {
		t.Fatal("a plain value written from outside was accepted")
	}
}

// A file from before sealing is sealed when this version opens it, and no
// plain copy is left in the file or its WAL.
func TestAnOlderFileIsSealedOnOpen(t *testing.T) {
	path, secrets, db := keyedFile(t)
	p := addPatient(t, db, "Sealed Later")
	db.Close()
	// Make it look like an older PracticePost's file: plain values, no check.
	raw := rawDB(t, path)
	mustExec(t, raw, "UPDATE patients SET full_name = 'Orla Fennimore', email = 'orla.fennimore@example.net', ref = 'R-1', phone = '', date_of_birth = '1980-05-04' WHERE id = ?", p.ID)
	mustExec(t, raw, "DELETE FROM app_state WHERE key = 'seal.check'")
	raw.Close()

	db = keyedDB(t, path, secrets)
	got, err := db.Patient(ctx, p.ID)
	if err != nil || got.FullName != "Orla Fennimore" || got.Email != "orla.fennimore@example.net" {
		t.Fatalf("after sealing: %+v %v", got, err)
	}
	for _, s := range []string{"orla fennimore", "orla.fennimore"} {
		if bytes.Contains(fileBytes(t, path), []byte(s)) {
			t.Errorf("%q is still readable in the data file after sealing", s)
		}
	}
	if res, _ := db.VerifyAudit(ctx); !res.OK {
		t.Fatalf("log after sealing: %+v", res)
	}
}

// Without the data key the file does not open, and says to use the
// recovery key; with it, it opens on a "new computer".
func TestOpeningElsewhereNeedsTheRecoveryKey(t *testing.T) {
	home := t.TempDir()
	path := filepath.Join(home, store.FileName)
	secrets := auth.NewMemoryStore()
	db := keyedDB(t, path, secrets)
	addPatient(t, db, "Ivo Trelawney")
	if _, ok, _ := db.RecoveryMadeAt(ctx); ok {
		t.Fatal("a new file already has a recovery key")
	}
	rk, err := db.MakeRecoveryKey(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := db.RecoveryMadeAt(ctx); !ok {
		t.Fatal("the recovery key was not recorded")
	}
	db.Close()

	elsewhere := auth.NewMemoryStore()
	open := func() (*store.DB, error) {
		return store.OpenWith(ctx, path, store.Options{Audit: audit.NewKeeper(elsewhere), Seal: seal.NewKeyring(elsewhere)})
	}
	if _, err := open(); app.ErrorCode(err) != app.ERECOVERY || !strings.Contains(app.ErrorMessage(err), "recovery key") {
		t.Fatalf("an empty keychain: %v", err)
	}
	wrongKey, _ := seal.NewKey()
	seal.NewKeyring(elsewhere).Set(wrongKey)
	if _, err := open(); app.ErrorCode(err) != app.ERECOVERY {
		t.Fatalf("another data key: %v", err)
	}
	other, _ := seal.NewRecoveryKey()
	if err := store.Recover(ctx, path, other, seal.NewKeyring(elsewhere), audit.NewKeeper(elsewhere)); app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("another recovery key: %v", err)
	}
	if err := store.Recover(ctx, path, rk, seal.NewKeyring(elsewhere), audit.NewKeeper(elsewhere)); err != nil {
		t.Fatal(err)
	}
	moved, err := open()
	if err != nil {
		t.Fatal(err)
	}
	defer moved.Close()
	if ps, err := moved.ListPatients(ctx, "", 10); err != nil || len(ps) != 1 || ps[0].FullName != "Ivo Trelawney" {
		t.Fatalf("%+v %v", ps, err)
	}
	if res, _ := moved.VerifyAudit(ctx); !res.OK || !res.Anchored {
		t.Fatalf("log on the new computer: %+v", res)
	}
	// A newer recovery key replaces the old one for this file.
	rk2, err := moved.MakeRecoveryKey(ctx)
	if err != nil || rk2 == rk {
		t.Fatal(err)
	}
	if _, err := store.OpenKeys(ctx, path, "this file", rk); app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("the replaced key still opens the file: %v", err)
	}
}

// Comments and reviews are personal data too: the commenter's name and
// words are sealed like patients' details.
func TestInboxTextIsSealed(t *testing.T) {
	path := filepath.Join(t.TempDir(), store.FileName)
	db := keyedDB(t, path, auth.NewMemoryStore())
	err := db.Tx(ctx, func(tx *store.Tx) error {
		_, err := tx.SaveInboxListing(ctx, "facebook:1", "facebook", "post-1", []app.InboxItem{{
			RemoteID: "c-1", Kind: app.InboxComment, Author: "Philippa Wetherall", Text: "my filling from Dr Vance fell out",
			CreatedAt: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC), CanReply: true}}, time.Time{})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"philippa wetherall", "filling from dr vance"} {
		if bytes.Contains(fileBytes(t, path), []byte(s)) {
			t.Errorf("%q is readable in the data file", s)
		}
	}
	items, err := db.InboxItems(ctx)
	if err != nil || len(items) != 1 || items[0].Author != "Philippa Wetherall" || items[0].Text != "my filling from Dr Vance fell out" {
		t.Fatalf("%+v %v", items, err)
	}
}

// The consent form handed to a patient on screen is kept in app_state while
// they sign; its words and health details are sealed there like a column,
// bound to their key. A file from a version that kept it plain has it
// sealed when it opens.
func TestPendingConsentIsSealed(t *testing.T) {
	path, secrets, db := keyedFile(t)
	const form = `{"request":{"patientId":1,"quote":"Marigold Pemberton fixed my wisdom tooth","healthDetails":"periodontitis since 2019"}}`
	if err := db.Tx(ctx, func(tx *store.Tx) error { return tx.SetSealedState(ctx, store.PendingConsentState, form) }); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"marigold", "periodontitis"} {
		if bytes.Contains(fileBytes(t, path), []byte(s)) {
			t.Errorf("%q is readable in the data file", s)
		}
	}
	if got, err := db.SealedState(ctx, store.PendingConsentState); err != nil || got != form {
		t.Fatalf("read back %q %v", got, err)
	}
	// Only the listed keys are sealed: anything else is refused, not kept plain.
	if err := db.Tx(ctx, func(tx *store.Tx) error { return tx.SetSealedState(ctx, "lock.pin", "x") }); err == nil {
		t.Fatal("a key not in the sealed list was accepted")
	}

	// Bound to its key: the sealed value copied under another key, or a
	// plain value written from outside, does not open.
	raw := rawDB(t, path)
	mustExec(t, raw, "UPDATE app_state SET value = (SELECT value FROM app_state WHERE key = 'seal.check') WHERE key = ?", store.PendingConsentState)
	if _, err := db.SealedState(ctx, store.PendingConsentState); err == nil {
		t.Fatal("a value sealed for another key opened")
	}
	mustExec(t, raw, "UPDATE app_state SET value = ? WHERE key = ?", form, store.PendingConsentState)
	if _, err := db.SealedState(ctx, store.PendingConsentState); err == nil {
		t.Fatal("a plain value written from outside was accepted")
	}
	raw.Close()

	// That plain value is what an older version left: opening seals it.
	db.Close()
	db = keyedDB(t, path, secrets)
	if got, err := db.SealedState(ctx, store.PendingConsentState); err != nil || got != form {
		t.Fatalf("after reopening: %q %v", got, err)
	}
	for _, s := range []string{"marigold", "periodontitis"} {
		if bytes.Contains(fileBytes(t, path), []byte(s)) {
			t.Errorf("%q is still readable in the data file after reopening", s)
		}
	}
}

// The words drawn into a Studio image hold the patient's words and name as
// the card attributes them, so they are sealed like the testimonial they
// came from, bound to their image. A file sealed before they were (data
// version 18) has them sealed when it opens; an image kept before the
// words were recorded still reads as unknown.
func TestImageWordsAreSealed(t *testing.T) {
	path, secrets, db := keyedFile(t)
	p := addPatient(t, db, "Rosalind Quenby")
	tm := draft(t, db, p, "Dr Vance saved my cracked molar")
	const words = "Dr Vance saved my cracked molar\n— Rosalind"
	items := mediaItems(2)
	for i := range items {
		items[i].Template, items[i].TestimonialID, items[i].Identity, items[i].ImageText = "testimonial", tm.ID, app.IdentityFirstName, words
	}
	kept, err := db.KeepMedia(ctx, "set-q", "A quote card", items)
	if err != nil {
		t.Fatal(err)
	}
	secret := []string{"rosalind", "cracked molar"}
	notReadable(t, path, "kept", secret...)
	readBack := func(when string) {
		t.Helper()
		m, err := db.MediaByID(ctx, kept[0].ID)
		if err != nil || m.ImageText != words || !m.TextRecorded {
			t.Fatalf("%s: by id %+v %v", when, m, err)
		}
		set, err := db.MediaSet(ctx, "set-q")
		if err != nil || len(set) != 2 || set[1].ImageText != words {
			t.Fatalf("%s: set %+v %v", when, set, err)
		}
		page, err := db.ListMedia(ctx, 10, 0)
		if err != nil {
			t.Fatalf("%s: list %v", when, err)
		}
		for _, m := range page.Items {
			if m.SetID == "set-q" && m.ImageText != words {
				t.Fatalf("%s: listed %+v", when, m)
			}
		}
	}
	readBack("kept")

	// Bound to its image: the words of one size copied onto another do not open.
	raw := rawDB(t, path)
	mustExec(t, raw, "UPDATE media SET image_text = (SELECT image_text FROM media WHERE id = ?) WHERE id = ?", kept[1].ID, kept[0].ID)
	if _, err := db.MediaByID(ctx, kept[0].ID); err == nil {
		t.Fatal("words sealed for another image opened")
	}

	// What version 18 left: the words plain, and an image from before the
	// words were recorded (NULL).
	db.Close()
	mustExec(t, raw, "UPDATE media SET image_text = ? WHERE id = ?", words, kept[0].ID)
	mustExec(t, raw, "UPDATE media SET image_text = ? WHERE id = ?", words, kept[1].ID)
	mustExec(t, raw, "INSERT INTO media (set_id, blob_sha256, mime, template, size_id, width, height, bytes, alt_text, created_at) SELECT 'old', blob_sha256, mime, 'tip', size_id, width, height, bytes, 'Old', created_at FROM media WHERE id = ?", kept[0].ID)
	asVersion(t, raw, 18)
	raw.Close()
	if !bytes.Contains(fileBytes(t, path), []byte("rosalind")) {
		t.Fatal("the test did not leave the words plain")
	}

	db = keyedDB(t, path, secrets)
	readBack("reopened")
	notReadable(t, path, "reopened", secret...)
	old, err := db.MediaSet(ctx, "old")
	if err != nil || len(old) != 1 || old[0].TextRecorded || old[0].ImageText != "" {
		t.Fatalf("an image from before the words were recorded: %+v %v", old, err)
	}
	if res, _ := db.VerifyAudit(ctx); !res.OK {
		t.Fatalf("log after sealing: %+v", res)
	}
}

// A draft built from a testimonial carries the patient's words and name
// before anything is published, and may never be: its title, text and
// per-channel texts are sealed, bound to the draft. A file that holds them
// plain has them sealed when it opens, even if it stopped between the
// migration that marks the change and their sealing.
func TestDraftWordsAreSealed(t *testing.T) {
	path, secrets, db := keyedFile(t)
	p := addPatient(t, db, "Tamsin Orrery")
	tm := draft(t, db, p, "Dr Vance rebuilt my chipped incisor")
	in := app.Draft{Title: "Tamsin's incisor", Body: "“Dr Vance rebuilt my chipped incisor” — Tamsin",
		Versions: map[string]string{"facebook": "“Dr Vance rebuilt my chipped incisor” — Tamsin, our patient"}, Channels: []string{"facebook"},
		Testimonials: []int64{tm.ID}}
	dr, err := db.CreateDraft(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	other, err := db.CreateDraft(ctx, app.Draft{Title: "Floss facts", Body: "Floss once a day."})
	if err != nil {
		t.Fatal(err)
	}
	secret := []string{"tamsin", "chipped incisor", "our patient"}
	readBack := func(when string) {
		t.Helper()
		got, err := db.Draft(ctx, dr.ID)
		if err != nil || got.Title != in.Title || got.Body != in.Body || got.Versions["facebook"] != in.Versions["facebook"] {
			t.Fatalf("%s: %+v %v", when, got, err)
		}
		list, err := db.ListDrafts(ctx, app.DraftFilter{Unplanned: true})
		if err != nil || len(list) != 2 || list[1].Body != in.Body || list[0].Title != "Floss facts" {
			t.Fatalf("%s: list %+v %v", when, list, err)
		}
		// What relies on the testimonial is named by the draft's title.
		if err := db.DeleteTestimonial(ctx, tm.ID); !strings.Contains(app.ErrorMessage(err), "“Tamsin's incisor” (draft) quotes it") {
			t.Fatalf("%s: deleting the quoted testimonial: %v", when, err)
		}
	}
	notReadable(t, path, "created", secret...)
	readBack("created")

	in.Body += " (edited)"
	in.ID = dr.ID
	if _, err := db.SaveDraft(ctx, in); err != nil {
		t.Fatal(err)
	}
	notReadable(t, path, "saved", secret...)
	readBack("saved")

	// Bound to its draft: one draft's text copied onto another does not open.
	raw := rawDB(t, path)
	mustExec(t, raw, "UPDATE drafts SET body = (SELECT body FROM drafts WHERE id = ?) WHERE id = ?", dr.ID, other.ID)
	if _, err := db.Draft(ctx, other.ID); err == nil {
		t.Fatal("text sealed for another draft opened")
	}

	// Both drafts' words plain, as version 18 left them, in a file that
	// crashed after migration 19 and before their sealing: the data
	// version is already 19, but the record of what was sealed is not.
	db.Close()
	b, _ := json.Marshal(in.Versions)
	mustExec(t, raw, "UPDATE drafts SET title = ?, body = ?, versions = ? WHERE id = ?", in.Title, in.Body, string(b), dr.ID)
	mustExec(t, raw, "UPDATE drafts SET title = 'Floss facts', body = 'Floss once a day.', versions = '{}' WHERE id = ?", other.ID)
	mustExec(t, raw, "DELETE FROM app_state WHERE key = 'seal.late'")
	raw.Close()
	if !bytes.Contains(fileBytes(t, path), []byte("chipped incisor")) {
		t.Fatal("the test did not leave the words plain")
	}

	db = keyedDB(t, path, secrets)
	notReadable(t, path, "reopened", secret...)
	readBack("reopened")
	if res, _ := db.VerifyAudit(ctx); !res.OK {
		t.Fatalf("log after sealing: %+v", res)
	}
}

// Once queued, a post's words stay sealed: the request's and each job's
// text, and the platforms' answers (some echo the text), until and after
// they go out, and after a withdrawal stops them. A file that holds them
// plain (version 18) has them sealed when it opens.
func TestQueuedPostWordsAreSealed(t *testing.T) {
	path, secrets, db := keyedFile(t)
	const text = "“Dr Vance mended my cracked crown” — Perpetua"
	answer := []byte(`{"id":"109","content":"<p>“Dr Vance mended my cracked crown” — Perpetua</p>"}`)
	dr, err := db.CreateDraft(ctx, app.Draft{Title: "Crown story", Body: text})
	if err != nil {
		t.Fatal(err)
	}
	req := app.PublishRequest{DraftID: strconv.FormatInt(dr.ID, 10), Text: text, Zone: "Europe/London"}
	jobs := []app.PublishJob{
		{Channel: "mastodon:1", Platform: "mastodon", State: app.JobQueued, Text: text, IdemKey: "k-1"},
		{Channel: "facebook:2", Platform: "facebook", State: app.JobQueued, Text: text + " #smile", IdemKey: "k-2"},
	}
	err = db.Tx(ctx, func(tx *store.Tx) error {
		if err := tx.CreatePublishRequest(ctx, &req, jobs, "practice manager"); err != nil {
			return err
		}
		a := app.PublishAttempt{JobID: jobs[0].ID, Action: "create", IdemKey: "k-1"}
		if err := tx.StartPublishAttempt(ctx, &a); err != nil {
			return err
		}
		a.Outcome, a.Status, a.Raw = "ok", 200, answer
		if err := tx.EndPublishAttempt(ctx, a); err != nil {
			return err
		}
		j := jobs[0]
		j.State, j.RemoteID, j.RemoteURL, j.PublishedAt, j.Raw = app.JobPublished, "109", "https://example.social/@p/109", time.Now(), answer
		return tx.SavePublishJob(ctx, &j, "system")
	})
	if err != nil {
		t.Fatal(err)
	}
	secret := []string{"perpetua", "cracked crown"}
	readBack := func(when string) {
		t.Helper()
		j, err := db.PublishJob(ctx, jobs[0].ID)
		if err != nil || j.Text != text {
			t.Fatalf("%s: job %+v %v", when, j, err)
		}
		list, err := db.PublishJobs(ctx, app.PublishJobFilter{RequestID: req.ID})
		if err != nil || len(list) != 2 || list[1].Text != text+" #smile" {
			t.Fatalf("%s: jobs %+v %v", when, list, err)
		}
		if raw, err := db.PublishJobRaw(ctx, jobs[0].ID); err != nil || !bytes.Equal(raw, answer) {
			t.Fatalf("%s: job's answer %q %v", when, raw, err)
		}
		if raw, err := db.PublishJobRaw(ctx, jobs[1].ID); err != nil || raw != nil {
			t.Fatalf("%s: a job with no answer yet: %q %v", when, raw, err)
		}
		as, err := db.PublishAttempts(ctx, jobs[0].ID)
		if err != nil || len(as) != 1 || !bytes.Equal(as[0].Raw, answer) {
			t.Fatalf("%s: attempts %+v %v", when, as, err)
		}
		posts, err := db.InsightPosts(ctx)
		if err != nil || len(posts) != 1 || posts[0].Title != "Crown story" {
			t.Fatalf("%s: insights %+v %v", when, posts, err)
		}
	}
	notReadable(t, path, "queued and sent", secret...)
	readBack("queued and sent")

	// Bound to its job: one job's text copied onto another does not open.
	raw := rawDB(t, path)
	mustExec(t, raw, "UPDATE publish_jobs SET text = (SELECT text FROM publish_jobs WHERE id = ?) WHERE id = ?", jobs[0].ID, jobs[1].ID)
	if _, err := db.PublishJob(ctx, jobs[1].ID); err == nil {
		t.Fatal("text sealed for another job opened")
	}

	// What version 18 left: every one of them plain, the answers as blobs.
	db.Close()
	mustExec(t, raw, "UPDATE publish_requests SET text = ?", text)
	mustExec(t, raw, "UPDATE publish_jobs SET text = ? WHERE id = ?", text, jobs[0].ID)
	mustExec(t, raw, "UPDATE publish_jobs SET text = ? WHERE id = ?", text+" #smile", jobs[1].ID)
	mustExec(t, raw, "UPDATE publish_jobs SET raw = ? WHERE id = ?", answer, jobs[0].ID)
	mustExec(t, raw, "UPDATE publish_attempts SET raw = ?", answer)
	asVersion(t, raw, 18)
	raw.Close()
	if !bytes.Contains(fileBytes(t, path), []byte("cracked crown")) {
		t.Fatal("the test did not leave the words plain")
	}

	db = keyedDB(t, path, secrets)
	notReadable(t, path, "reopened", secret...)
	readBack("reopened")
}

// A backup made by version 18 holds drafts' words plain; restored into
// this version, they are sealed before the app reads them, and nothing
// plain is left in the data file.
func TestRestoredOlderBackupIsSealed(t *testing.T) {
	path, secrets, db := keyedFile(t)
	const words = "Dr Vance straightened Ottilie's crooked canine"
	dr, err := db.CreateDraft(ctx, app.Draft{Title: "Ottilie's canine", Body: words})
	if err != nil {
		t.Fatal(err)
	}
	backup, err := db.Backup(ctx, t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	raw := rawDB(t, backup.Path)
	mustExec(t, raw, "UPDATE drafts SET title = ?, body = ? WHERE id = ?", "Ottilie's canine", words, dr.ID)
	asVersion(t, raw, 18)
	// Version 18 signed its backups as version 18, with the same key.
	signBackupAs(t, raw, secrets, 18)
	raw.Close()
	if b, _ := os.ReadFile(backup.Path); !bytes.Contains(b, []byte("crooked canine")) {
		t.Fatal("the test did not leave the words plain in the backup")
	}
	if _, err := db.CreateDraft(ctx, app.Draft{Title: "After the backup"}); err != nil {
		t.Fatal(err)
	}

	if _, err := db.Restore(ctx, backup.Path, filepath.Join(t.TempDir(), "safety")); err != nil {
		t.Fatalf("restoring a version-18 backup: %v", err)
	}
	got, err := db.Draft(ctx, dr.ID)
	if err != nil || got.Body != words || got.Title != "Ottilie's canine" {
		t.Fatalf("restored draft %+v %v", got, err)
	}
	notReadable(t, path, "restored", "ottilie", "crooked canine")
}

// Alt text is the manager's own words about an image and names whoever it
// shows: the library's, a draft's and a queued post's are sealed, bound to
// their row, and a file from version 19 (alt texts plain, a draft's and a
// request's inside their images' JSON) has them moved and sealed when it
// opens, each image keeping its own. So are a draft's hashtags, link and
// campaign name, and a Google post's details kept in app_state.
func TestAltTextIsSealed(t *testing.T) {
	path, secrets, db := keyedFile(t)
	const libAlt, draftAlt, otherAlt = "Bartholomew Quayle at reception", "Bartholomew Quayle after his whitening", "The treatment room at dusk"
	kept, err := db.KeepMedia(ctx, "set-a", libAlt, mediaItems(1))
	if err != nil {
		t.Fatal(err)
	}
	media := []app.DraftMedia{{MediaID: kept[0].ID, SHA256: kept[0].SHA256, AltText: draftAlt}, {SHA256: kept[0].SHA256, AltText: otherAlt}}
	dr, err := db.CreateDraft(ctx, app.Draft{Title: "Whitening", Body: "Our whitening offer.", Media: media,
		Hashtags: []string{"#BartholomewsSmile"}, Link: "https://harbour.example/bartholomew-quayle", Campaign: "quayle-whitening"})
	if err != nil {
		t.Fatal(err)
	}
	empty, err := db.CreateDraft(ctx, app.Draft{Title: "No images", Media: []app.DraftMedia{}})
	if err != nil {
		t.Fatal(err)
	}
	req := app.PublishRequest{DraftID: strconv.FormatInt(dr.ID, 10), Text: "Our whitening offer.", Zone: "Europe/London",
		Media: []app.PublishMedia{{SHA256: kept[0].SHA256, Alt: draftAlt, MediaID: kept[0].ID}, {SHA256: kept[0].SHA256, Alt: otherAlt}}}
	jobs := []app.PublishJob{{Channel: "mastodon:1", Platform: "mastodon", State: app.JobQueued, Text: req.Text, IdemKey: "k-1"}}
	if err := db.Tx(ctx, func(tx *store.Tx) error { return tx.CreatePublishRequest(ctx, &req, jobs, "practice manager") }); err != nil {
		t.Fatal(err)
	}
	p := addPatient(t, db, "Bartholomew Quayle")
	files := []app.ConsentMedia{{SHA256: strings.Repeat("ab", 32), Kind: "photo", Label: "quayle_smile.jpg"}}
	tm, err := db.CreateTestimonial(ctx, app.Testimonial{PatientID: p.ID, Quote: "Kind and calm.", Source: "Said by Mr Quayle at reception", NameAs: app.IdentityAnonymous, Media: files})
	if err != nil {
		t.Fatal(err)
	}
	secret := []string{"bartholomew", "quayle", "treatment room at dusk"}
	readBack := func(when string) {
		t.Helper()
		m, err := db.MediaByID(ctx, kept[0].ID)
		if err != nil || m.AltText != libAlt {
			t.Fatalf("%s: library %+v %v", when, m, err)
		}
		got, err := db.Draft(ctx, dr.ID)
		if err != nil || len(got.Media) != 2 || got.Media[0].AltText != draftAlt || got.Media[1].AltText != otherAlt || got.Media[0].MediaID != kept[0].ID {
			t.Fatalf("%s: draft %+v %v", when, got.Media, err)
		}
		if len(got.Hashtags) != 1 || got.Hashtags[0] != "#BartholomewsSmile" || got.Link != "https://harbour.example/bartholomew-quayle" || got.Campaign != "quayle-whitening" {
			t.Fatalf("%s: draft's hashtags, link and campaign %q %q %q", when, got.Hashtags, got.Link, got.Campaign)
		}
		if got, err := db.Draft(ctx, empty.ID); err != nil || len(got.Media) != 0 {
			t.Fatalf("%s: draft without images %+v %v", when, got.Media, err)
		}
		j, err := db.PublishJob(ctx, jobs[0].ID)
		if err != nil || len(j.Media) != 2 || j.Media[0].Alt != draftAlt || j.Media[1].Alt != otherAlt {
			t.Fatalf("%s: job %+v %v", when, j.Media, err)
		}
		if got, err := db.Testimonial(ctx, tm.ID); err != nil || len(got.Media) != 1 || got.Media[0].Label != "quayle_smile.jpg" || got.Source != "Said by Mr Quayle at reception" {
			t.Fatalf("%s: testimonial %+v %v", when, got, err)
		}
		u, err := db.UnplacedImages(ctx)
		if err != nil || len(u) != 1 || u[0].AltText != libAlt {
			t.Fatalf("%s: waiting images %+v %v", when, u, err)
		}
	}
	readBack("saved")
	notReadable(t, path, "saved", secret...)

	// Bound to their row: one draft's alt texts copied onto another's do not open.
	raw := rawDB(t, path)
	mustExec(t, raw, "UPDATE drafts SET alt_texts = (SELECT alt_texts FROM drafts WHERE id = ?) WHERE id = ?", dr.ID, empty.ID)
	if _, err := db.Draft(ctx, empty.ID); err == nil {
		t.Fatal("alt texts sealed for another draft opened")
	}
	if _, err := db.SaveDraft(ctx, app.Draft{ID: empty.ID, Title: "No images", Media: []app.DraftMedia{}}); err != nil {
		t.Fatal(err)
	}

	// What version 19 left: the alt texts plain, a draft's and a request's
	// inside their images' JSON.
	db.Close()
	d19, _ := json.Marshal(media)
	r19, _ := json.Marshal(req.Media)
	mustExec(t, raw, "UPDATE drafts SET media = ?, hashtags = ?, link = ?, campaign = ? WHERE id = ?", string(d19),
		`["#BartholomewsSmile"]`, "https://harbour.example/bartholomew-quayle", "quayle-whitening", dr.ID)
	mustExec(t, raw, "UPDATE drafts SET hashtags = '[]', link = '', campaign = '' WHERE id = ?", empty.ID)
	f19, _ := json.Marshal(files)
	mustExec(t, raw, "UPDATE testimonials SET media = ?, source = ? WHERE id = ?", string(f19), "Said by Mr Quayle at reception", tm.ID)
	mustExec(t, raw, "UPDATE publish_requests SET media = ? WHERE id = ?", string(r19), req.ID)
	asVersion(t, raw, 19)
	mustExec(t, raw, "UPDATE media SET alt_text = ?", libAlt)
	// Version 19 kept a Google post's details plain too.
	topicKey := app.PublishTopicStatePrefix + strconv.FormatInt(req.ID, 10)
	const topic = `{"Type":"EVENT","Title":"Bartholomew Quayle's open day"}`
	mustExec(t, raw, "INSERT INTO app_state (key, value) VALUES (?, ?)", topicKey, topic)
	raw.Close()
	if !bytes.Contains(fileBytes(t, path), []byte("quayle after his whitening")) || !bytes.Contains(fileBytes(t, path), []byte("quayle's open day")) {
		t.Fatal("the test did not leave the alt texts and the details plain")
	}

	db = keyedDB(t, path, secrets)
	readBack("reopened")
	notReadable(t, path, "reopened", secret...)
	if got, err := db.SealedState(ctx, topicKey); err != nil || got != topic {
		t.Fatalf("the Google details after sealing: %q %v", got, err)
	}
	// The prefix names the keys under it, not itself nor a look-alike.
	for _, k := range []string{app.PublishTopicStatePrefix, "publish_topics:1"} {
		if err := db.Tx(ctx, func(tx *store.Tx) error { return tx.SetSealedState(ctx, k, "x") }); err == nil {
			t.Errorf("%q was taken as a sealed key", k)
		}
	}
}

// What the app writes about a patient in passing is sealed too: why an
// email was not sent (the refused address), how the manager checked a
// reply's sender, a job's reasons and notes, an inbox item's link (the
// commenter's handle), a review's reply, and where a testimonial came from
// and the names its files came with.
func TestNotesAboutPatientsAreSealed(t *testing.T) {
	path, _, db := keyedFile(t)
	p := addPatient(t, db, "Zebedee Marchbanks")
	r := newMailRequest(t, db, p, app.KindConsent)
	const refused = "The email server refused the patient's address zebedee.m@example.org."
	if _, err := db.MarkMailRequest(ctx, r.ID, app.MailFailed, refused); err != nil {
		t.Fatal(err)
	}
	rec, err := db.RecordReply(ctx, reviewItem(r, "mid:z1@mail.example", "Yes to Facebook."))
	if err != nil || !rec.Created {
		t.Fatalf("reply: %+v %v", rec, err)
	}
	pending, err := db.ListMailReplies(ctx, app.ReplyPending, 10)
	if err != nil || len(pending) != 1 {
		t.Fatalf("pending replies %+v %v", pending, err)
	}
	replyID := pending[0].ID
	const how = `{"senderCheck":"Phoned Zebedee on his usual number; he sent this reply"}`
	if err := db.RecordReplyResolution(ctx, replyID, how); err != nil {
		t.Fatal(err)
	}
	req := app.PublishRequest{DraftID: "1", Text: "Our open day.", Zone: "Europe/London"}
	jobs := []app.PublishJob{{Channel: "mastodon:1", Platform: "mastodon", State: app.JobQueued, Text: req.Text, IdemKey: "k-z"}}
	err = db.Tx(ctx, func(tx *store.Tx) error {
		if err := tx.CreatePublishRequest(ctx, &req, jobs, "practice manager"); err != nil {
			return err
		}
		j := jobs[0]
		j.State, j.ErrorKind, j.ErrorMessage = app.JobBlocked, "gate_blocked", "Blocked by the consent and privacy check: the post shows the patient's full name (Zebedee Marchbanks)."
		j.PlatformMessage, j.TakedownNote = "Status text mentions Zebedee", "Removed after Zebedee's mother phoned"
		if err := tx.SavePublishJob(ctx, &j, "system"); err != nil {
			return err
		}
		if _, err := tx.SaveInboxListingItem(ctx, "bluesky", "post-1", app.InboxItem{Platform: "bluesky", Channel: "bluesky:1", RemoteID: "c-1",
			PostID: "post-1", Kind: app.InboxComment, Author: "Someone", Text: "Lovely!", URL: "https://bsky.app/profile/zebedee.bsky.social/post/c-1",
			CreatedAt: time.Now(), UpdatedAt: time.Now()}); err != nil {
			return err
		}
		review := app.InboxItem{Platform: "google", Channel: "google:1", RemoteID: "r-1", PostID: "loc-1", Kind: app.InboxReview, Author: "A reviewer",
			Text: "Great care", CreatedAt: time.Now(), UpdatedAt: time.Now()}
		id, err := tx.SaveInboxListingItem(ctx, "google", "loc-1", review)
		if err != nil {
			return err
		}
		review.ID = id
		return tx.MarkInboxAnswered(ctx, review, "", "Thank you Zebedee, see you at your next check-up!")
	})
	if err != nil {
		t.Fatal(err)
	}
	tm, err := db.CreateTestimonial(ctx, app.Testimonial{PatientID: p.ID, Quote: "Kind and calm.", Source: "Email from Zebedee's wife", NameAs: app.IdentityAnonymous,
		Media: []app.ConsentMedia{{SHA256: strings.Repeat("ab", 32), Kind: "photo", Label: "zebedee_before.jpg"}, {SHA256: strings.Repeat("cd", 32), Kind: "photo", Label: "after.jpg"}}})
	if err != nil {
		t.Fatal(err)
	}
	notReadable(t, path, "written", "zebedee")
	if got, err := db.Testimonial(ctx, tm.ID); err != nil || got.Source != "Email from Zebedee's wife" || len(got.Media) != 2 ||
		got.Media[0].Label != "zebedee_before.jpg" || got.Media[1].Label != "after.jpg" || got.Media[1].SHA256 != strings.Repeat("cd", 32) {
		t.Fatalf("testimonial %+v %v", got, err)
	}

	if got, err := db.MailRequest(ctx, r.ID); err != nil || got.Error != refused {
		t.Fatalf("request error %q %v", got.Error, err)
	}
	if got, err := db.MailReply(ctx, replyID); err != nil || got.Resolution != how {
		t.Fatalf("reply resolution %q %v", got.Resolution, err)
	}
	j, err := db.PublishJob(ctx, jobs[0].ID)
	if err != nil || !strings.Contains(j.ErrorMessage, "Zebedee Marchbanks") || j.PlatformMessage != "Status text mentions Zebedee" || j.TakedownNote != "Removed after Zebedee's mother phoned" {
		t.Fatalf("job %q %q %q %v", j.ErrorMessage, j.PlatformMessage, j.TakedownNote, err)
	}
	items, err := db.InboxItems(ctx)
	if err != nil || len(items) != 2 {
		t.Fatalf("inbox %+v %v", items, err)
	}
	for _, it := range items {
		if it.RemoteID == "c-1" && it.URL != "https://bsky.app/profile/zebedee.bsky.social/post/c-1" || it.RemoteID == "r-1" && it.ReplyText != "Thank you Zebedee, see you at your next check-up!" {
			t.Fatalf("inbox item %+v", it)
		}
	}
}

// A restore whose file will not migrate puts the safety copy back whole:
// the restored file's connection and its WAL are gone before the copy goes
// back, so nothing of the restored file is replayed onto the data kept.
func TestRestoreThatWillNotMigrateKeepsTheDataWhole(t *testing.T) {
	path, secrets, db := keyedFile(t)
	if _, err := db.CreateDraft(ctx, app.Draft{Title: "In the backup"}); err != nil {
		t.Fatal(err)
	}
	backup, err := db.Backup(ctx, t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	// A version-19 backup whose draft's images cannot be read as JSON:
	// migration 20 stops on it.
	raw := rawDB(t, backup.Path)
	asVersion(t, raw, 19)
	mustExec(t, raw, "UPDATE drafts SET media = '{not json'")
	signBackupAs(t, raw, secrets, 19)
	raw.Close()
	for i := 0; i < 20; i++ {
		if _, err := db.CreateDraft(ctx, app.Draft{Title: fmt.Sprintf("After the backup %d", i), Body: strings.Repeat("words ", 200)}); err != nil {
			t.Fatal(err)
		}
	}

	_, err = db.Restore(ctx, backup.Path, filepath.Join(t.TempDir(), "safety"))
	if app.ErrorCode(err) != app.EINVALID || !strings.Contains(app.ErrorMessage(err), "could not be brought up to this version of PracticePost, so it was not restored. Your current data is unchanged.") {
		t.Fatalf("restoring a backup that cannot migrate: %v", err)
	}
	ds, err := db.ListDrafts(ctx, app.DraftFilter{Unplanned: true})
	if err != nil || len(ds) != 21 {
		t.Fatalf("after the failed restore: %d drafts, %v", len(ds), err)
	}
	db.Close()
	check := rawDB(t, path)
	var ok string
	if err := check.QueryRow("PRAGMA integrity_check").Scan(&ok); err != nil || ok != "ok" {
		t.Fatalf("integrity: %q %v", ok, err)
	}
	check.Close()
	db = keyedDB(t, path, secrets)
	if ds, err := db.ListDrafts(ctx, app.DraftFilter{Unplanned: true}); err != nil || len(ds) != 21 {
		t.Fatalf("reopened: %d drafts, %v", len(ds), err)
	}
}
