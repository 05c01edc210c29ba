package store_test

import (
	"testing"
	"time"

	"practicepost/app"
	"practicepost/app/store"
)

func TestInboxListingAddsUpdatesAndMarksGone(t *testing.T) {
	db := MustOpenDB(t)
	t0 := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	items := []app.InboxItem{
		{RemoteID: "c1", PostID: "p1", Kind: app.InboxComment, Author: "Jane Smith", Text: "My crown came loose", CreatedAt: t0, UpdatedAt: t0, CanReply: true},
		{RemoteID: "c2", PostID: "p1", ParentID: "c1", Kind: app.InboxReply, Author: "Bob", Text: "Same here", CreatedAt: t0.Add(time.Hour), UpdatedAt: t0.Add(time.Hour)},
	}
	save := func(its []app.InboxItem) app.SyncStats {
		t.Helper()
		var st app.SyncStats
		if err := db.Tx(ctx, func(tx *store.Tx) error {
			var err error
			st, err = tx.SaveInboxListing(ctx, "facebook:1", "facebook", "p1", its, time.Time{})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return st
	}
	if st := save(items); st.Added != 2 || st.Changed != 0 || st.Gone != 0 {
		t.Fatalf("first listing %+v", st)
	}
	// The same listing again changes nothing.
	if st := save(items); st != (app.SyncStats{}) {
		t.Fatalf("second listing %+v", st)
	}
	// c1 edited (Facebook gives no edit time), c2 deleted.
	items[0].Text = "My crown came loose again"
	st := save(items[:1])
	if st.Changed != 1 || st.Gone != 1 || st.Added != 0 {
		t.Fatalf("edit+delete %+v", st)
	}
	got, err := db.InboxItems(ctx)
	if err != nil || len(got) != 2 {
		t.Fatalf("%d items, %v", len(got), err)
	}
	if got[0].Text != "My crown came loose again" || got[0].Author != "Jane Smith" || got[0].Platform != "facebook" || got[0].Channel != "facebook:1" || !got[0].CanReply {
		t.Errorf("c1 %+v", got[0])
	}
	if !got[0].UpdatedAt.After(got[0].CreatedAt) {
		t.Errorf("an edit without an edit time is dated when seen: %v", got[0].UpdatedAt)
	}
	if !got[1].Gone {
		t.Errorf("c2 not gone: %+v", got[1])
	}
}

func TestInboxActionsAndRetention(t *testing.T) {
	db := MustOpenDB(t)
	old := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	recent := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)
	var itemID int64
	err := db.Tx(ctx, func(tx *store.Tx) error {
		_, err := tx.SaveInboxListing(ctx, "google:loc", "google", "loc", []app.InboxItem{
			{RemoteID: "r1", Kind: app.InboxReview, Stars: 1, Author: "A", Text: "old", CreatedAt: old, UpdatedAt: old},
			{RemoteID: "r2", Kind: app.InboxReview, Stars: 5, Author: "B", Text: "new", CreatedAt: recent, UpdatedAt: recent},
		}, time.Time{})
		if err != nil {
			return err
		}
		_, err = tx.SaveInboxListing(ctx, "facebook:1", "facebook", "p", []app.InboxItem{
			{RemoteID: "c1", Kind: app.InboxComment, Text: "old comment", CreatedAt: old, UpdatedAt: old},
			{RemoteID: "c1r", ParentID: "c1", Kind: app.InboxReply, Text: "recent reply keeps the thread", CreatedAt: recent, UpdatedAt: recent},
		}, time.Time{})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	all, _ := db.InboxItems(ctx)
	for _, it := range all {
		if it.RemoteID == "r1" {
			itemID = it.ID
		}
	}
	err = db.Tx(ctx, func(tx *store.Tx) error {
		id, err := tx.StartInboxAction(ctx, itemID, "reply", "Thank you", "key-1", "[]")
		if err != nil {
			return err
		}
		// A second attempt while the first is in flight is refused.
		if _, err := tx.StartInboxAction(ctx, itemID, "reply", "Thank you", "key-2", "[]"); app.ErrorCode(err) != app.ECONFLICT {
			t.Errorf("second attempt: %v", err)
		}
		return tx.FinishInboxAction(ctx, id, "done", "r1", "")
	})
	if err != nil {
		t.Fatal(err)
	}
	acts, err := db.InboxActions(ctx, itemID)
	if err != nil || len(acts) != 1 || acts[0].State != "done" || acts[0].FinishedAt.IsZero() {
		t.Fatalf("%+v %v", acts, err)
	}
	if d, _ := db.InboxRetentionDays(ctx); d != store.DefaultInboxRetention {
		t.Errorf("default retention %d", d)
	}
	err = db.Tx(ctx, func(tx *store.Tx) error { return tx.SetInboxRetentionDays(ctx, 3) })
	if app.ErrorCode(err) != app.EINVALID {
		t.Errorf("3 days accepted: %v", err)
	}
	var removed int
	err = db.Tx(ctx, func(tx *store.Tx) error {
		if err := tx.SetInboxRetentionDays(ctx, 30); err != nil {
			return err
		}
		removed, err = tx.PurgeInbox(ctx, recent.Add(-30*24*time.Hour))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	left, _ := db.InboxItems(ctx)
	if removed != 1 || len(left) != 3 {
		t.Fatalf("removed %d, left %d", removed, len(left))
	}
	for _, it := range left {
		if it.RemoteID == "r1" {
			t.Error("old review kept")
		}
	}
	if acts, _ := db.InboxActions(ctx, itemID); len(acts) != 0 {
		t.Error("actions of a purged item kept")
	}
}
