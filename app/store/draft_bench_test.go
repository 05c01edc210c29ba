package store_test

import (
	"fmt"
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
