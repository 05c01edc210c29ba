package store_test

import (
	"testing"
	"time"

	"practicepost/app"
	"practicepost/app/consent"
)

func TestAddTemplateVersionOnlyAppendsTheNextVersion(t *testing.T) {
	db := MustOpenDB(t)
	tpl := shippedTemplate(t, db, "GB")
	at := time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
	next, err := consent.NewVersion(tpl, tpl.Body+"\nThank you.\n", at)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.AddTemplateVersion(ctx, next, "practice manager"); err != nil {
		t.Fatal(err)
	}
	// A second save made from the same stale version 1 must not land.
	again, _ := consent.NewVersion(tpl, tpl.Body+"\nThanks again.\n", at)
	if err := db.AddTemplateVersion(ctx, again, "practice manager"); app.ErrorCode(err) != app.ECONFLICT {
		t.Fatalf("stale save: %v", err)
	}
	skip := next
	skip.Version = 5
	if err := db.AddTemplateVersion(ctx, skip, "practice manager"); app.ErrorCode(err) != app.ECONFLICT {
		t.Fatalf("gap in versions: %v", err)
	}
	unknown := next
	unknown.Key = "made-up"
	if err := db.AddTemplateVersion(ctx, unknown, "practice manager"); app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatalf("unknown form: %v", err)
	}
	got, err := db.Template(ctx, next.VersionID())
	if err != nil || got.Body != next.Body || got.SHA256 != next.SHA256 {
		t.Fatalf("stored version 2: %v", err)
	}
	if v1, _ := db.Template(ctx, tpl.VersionID()); v1.SHA256 != tpl.SHA256 {
		t.Fatal("version 1 changed")
	}
}
