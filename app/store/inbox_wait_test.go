package store_test

import (
	"context"
	"testing"
	"time"

	"practicepost/app/store"
)

// The wait a rate limit sets is kept per channel, read back to the
// nanosecond in UTC, and a damaged value means no wait rather than an error
// that would stop the collection for good.
func TestInboxWait(t *testing.T) {
	db := MustOpenDB(t)
	ctx := context.Background()
	if w, err := db.InboxWait(ctx, "x:1"); err != nil || !w.IsZero() {
		t.Fatalf("unset: %v %v", w, err)
	}
	until := time.Date(2026, 12, 6, 21, 15, 0, 123, time.FixedZone("CET", 3600))
	if err := db.Tx(ctx, func(tx *store.Tx) error { return tx.SetInboxWait(ctx, "x:1", until) }); err != nil {
		t.Fatal(err)
	}
	w, err := db.InboxWait(ctx, "x:1")
	if err != nil || !w.Equal(until) || w.Location() != time.UTC {
		t.Errorf("read back %v %v, want %v in UTC", w, err, until)
	}
	if w, _ := db.InboxWait(ctx, "mastodon:@a@b"); !w.IsZero() {
		t.Errorf("another channel waits too: %v", w)
	}
	if err := db.Tx(ctx, func(tx *store.Tx) error { return tx.SetState(ctx, "inbox.wait:x:1", "not a time") }); err != nil {
		t.Fatal(err)
	}
	if w, err := db.InboxWait(ctx, "x:1"); err != nil || !w.IsZero() {
		t.Errorf("damaged: %v %v", w, err)
	}
}
