package store_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"practicepost/app"
	"practicepost/app/store"
)

// A data file made before 0008 keeps its library images: they come back
// with no testimonial, no identity and words marked unknown (not empty), so
// the guard can tell "nothing drawn" from "never recorded".
func TestMigrationMediaSourceKeepsOldImages(t *testing.T) {
	path := filepath.Join(t.TempDir(), store.FileName)
	applyUpTo(t, path, 7, "0008_media_source.sql")
	sdb := rawDB(t, path)
	sum := app.SHA256Hex([]byte("old card"))
	if _, err := sdb.Exec(`INSERT INTO blobs (sha256, mime, size, width, height, data, created_at) VALUES (?, 'image/jpeg', 8, 1080, 1080, ?, '2026-01-01T00:00:00Z')`, sum, []byte("old card")); err != nil {
		t.Fatal(err)
	}
	if _, err := sdb.Exec(`INSERT INTO media (set_id, blob_sha256, mime, template, layout, size_id, width, height, bytes, alt_text, created_at)
		VALUES ('old', ?, 'image/jpeg', 'testimonial', 'classic', 'square', 1080, 1080, 8, 'An old quote card', '2026-01-01T00:00:00Z')`, sum); err != nil {
		t.Fatal(err)
	}
	sdb.Close()

	db, err := store.Open(ctx, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if store.SchemaVersion() < 8 {
		t.Fatalf("schema version %d, want at least 8", store.SchemaVersion())
	}
	page, err := db.ListMedia(ctx, 10, 0)
	if err != nil || page.Total != 1 {
		t.Fatalf("old image after migration: %v %+v", err, page)
	}
	m := page.Items[0]
	if m.TestimonialID != 0 || m.Identity != "" || m.ImageText != "" || m.TextRecorded || m.AltText != "An old quote card" {
		t.Fatalf("old image reads %+v", m)
	}
	// The new columns hold their rules: an unknown identity and a
	// testimonial that does not exist are refused by SQLite itself.
	raw := rawDB(t, path)
	if _, err := raw.Exec("PRAGMA foreign_keys = ON"); err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec("UPDATE media SET identity = 'nickname' WHERE id = ?", m.ID); err == nil {
		t.Error("identity 'nickname' was accepted")
	}
	if _, err := raw.Exec("UPDATE media SET testimonial_id = 999 WHERE id = ?", m.ID); err == nil {
		t.Error("a testimonial that does not exist was accepted")
	}
}

func TestKeepMediaRecordsWhereTheImageCameFrom(t *testing.T) {
	db := MustOpenDB(t)
	p := addPatient(t, db, "Jane Smith")
	tm := draft(t, db, p, "The whole team made me feel at ease.")
	items := mediaItems(2)
	for i := range items {
		items[i].Template = "testimonial"
		items[i].TestimonialID = tm.ID
		items[i].Identity = app.IdentityFirstName
		items[i].ImageText = "The whole team made me feel at ease.\n— Jane\nQuay Dental"
	}
	kept, err := db.KeepMedia(ctx, "set-q", "A quote card in teal", items)
	if err != nil {
		t.Fatal(err)
	}
	if kept[1].TestimonialID != tm.ID || kept[1].Identity != app.IdentityFirstName || !kept[1].TextRecorded {
		t.Fatalf("kept %+v", kept[1])
	}
	for _, read := range []func() (app.Media, error){
		func() (app.Media, error) { return db.MediaByID(ctx, kept[0].ID) },
		func() (app.Media, error) { return db.MediaByBlob(ctx, kept[0].SHA256) },
	} {
		m, err := read()
		if err != nil {
			t.Fatal(err)
		}
		if m.ID != kept[0].ID || m.TestimonialID != tm.ID || m.Identity != app.IdentityFirstName || m.ImageText != items[0].ImageText || !m.TextRecorded {
			t.Fatalf("read back %+v", m)
		}
	}
	audit, _ := db.ListAudit(ctx, 1, 0)
	if e := audit.Entries[0]; e.Detail["testimonial"] != fmt.Sprint(tm.ID) || strings.Contains(fmt.Sprint(e), "Jane") || strings.Contains(fmt.Sprint(e), "at ease") {
		t.Fatalf("audit %+v: names the testimonial by id only, never its words", e)
	}

	// Hand-typed words: no testimonial, but the words are still kept.
	plain := mediaItems(1)
	plain[0].ImageText = "Floss before you brush"
	k2, err := db.KeepMedia(ctx, "set-t", "A tip card", plain)
	if err != nil {
		t.Fatal(err)
	}
	if m, _ := db.MediaByID(ctx, k2[0].ID); m.TestimonialID != 0 || m.Identity != "" || m.ImageText != "Floss before you brush" || !m.TextRecorded {
		t.Fatalf("hand-typed image %+v", m)
	}
	if _, err := db.MediaByBlob(ctx, app.SHA256Hex([]byte("never kept"))); app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatalf("unknown blob: %v", err)
	}
}

func TestKeepMediaRefusesABadSource(t *testing.T) {
	db := MustOpenDB(t)
	gone := mediaItems(1)
	gone[0].TestimonialID = 4242
	if _, err := db.KeepMedia(ctx, "s", "Alt", gone); app.ErrorCode(err) != app.ENOTFOUND || !strings.Contains(app.ErrorMessage(err), "no longer in PracticePost") {
		t.Fatalf("missing testimonial: %v", err)
	}
	odd := mediaItems(1)
	odd[0].Identity = "nickname"
	if _, err := db.KeepMedia(ctx, "s", "Alt", odd); app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("unknown identity: %v", err)
	}
	if page, _ := db.ListMedia(ctx, 10, 0); page.Total != 0 {
		t.Fatalf("refused images were kept: %d", page.Total)
	}
	if _, err := db.Blob(ctx, app.SHA256Hex(gone[0].Data)); app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatalf("blob left behind: %v", err)
	}
}
