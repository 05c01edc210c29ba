package store_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"practicepost/app"
	"practicepost/app/store"
)

// draftsFile is a data file with n drafts of about 600 characters each
// (a title, a text and a Facebook version), as after years of posting.
func draftsFile(b *testing.B, n int) string {
	b.Helper()
	path := filepath.Join(b.TempDir(), store.FileName)
	db, err := store.Open(ctx, path, nil)
	if err != nil {
		b.Fatal(err)
	}
	body := strings.Repeat("Our hygienist explains why flossing matters. ", 6)
	for i := range n {
		if _, err := db.CreateDraft(ctx, app.Draft{Title: fmt.Sprintf("Post %d", i), Body: body,
			Versions: map[string]string{"facebook": body + " Book a check-up."}, Channels: []string{"facebook"}}); err != nil {
			b.Fatal(err)
		}
	}
	db.Close()
	return path
}

// BenchmarkOpenWith2000Drafts is a start with 2,000 drafts: the look for
// drafts' words left plain by an older version runs at every open.
func BenchmarkOpenWith2000Drafts(b *testing.B) {
	path := draftsFile(b, 2000)
	for b.Loop() {
		db, err := store.Open(ctx, path, nil)
		if err != nil {
			b.Fatal(err)
		}
		db.Close()
	}
}

// BenchmarkListDrafts500 reads the 500 newest unplanned drafts, the most
// the Drafts screen asks for, opening each one's words.
func BenchmarkListDrafts500(b *testing.B) {
	path := draftsFile(b, 500)
	db, err := store.Open(ctx, path, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	for b.Loop() {
		list, err := db.ListDrafts(ctx, app.DraftFilter{Unplanned: true})
		if err != nil || len(list) != 500 {
			b.Fatalf("%d drafts, %v", len(list), err)
		}
	}
}

// BenchmarkUpgradeSeal2000Drafts is the first open, by this version, of a
// file whose 2,000 drafts an older version kept plain: each open seals
// them, then VACUUM and a checkpoint rewrite the file.
func BenchmarkUpgradeSeal2000Drafts(b *testing.B) {
	path := draftsFile(b, 2000)
	raw := rawDB(b, path)
	body := strings.Repeat("Our hygienist explains why flossing matters. ", 6)
	for _, q := range []string{
		"UPDATE drafts SET title = 'Post ' || id, body = ?1, versions = json_object('facebook', ?1 || ' Book a check-up.')",
		"DELETE FROM app_state WHERE key = 'seal.late'",
	} {
		if _, err := raw.Exec(q, body); err != nil {
			b.Fatal(err)
		}
	}
	raw.Close()
	plain, err := os.ReadFile(path)
	if err != nil || !bytes.Contains(plain, []byte("flossing matters")) {
		b.Fatalf("the older file's drafts are not plain in it: %v", err)
	}
	dir := b.TempDir()
	i := 0
	for b.Loop() {
		b.StopTimer()
		i++
		p := filepath.Join(dir, fmt.Sprintf("older-%d.db", i))
		if err := os.WriteFile(p, plain, 0o600); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		db, err := store.Open(ctx, p, nil)
		if err != nil {
			b.Fatal(err)
		}
		db.Close()
	}
}
