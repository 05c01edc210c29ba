package store_test

import (
	"testing"
	"time"

	"practicepost/app"
	"practicepost/app/store/storetest"
)

func TestChannelsSaveUpdateDelete(t *testing.T) {
	db := MustOpenDB(t)
	cs, err := db.Channels(ctx)
	if err != nil || len(cs) != 0 {
		t.Fatalf("empty file: %v %v", cs, err)
	}
	masto := app.Channel{ID: "mastodon:@smile@example.social", Platform: "mastodon", AccountID: "1090", Name: "Smile Dental", Handle: "@smile@example.social", BaseURL: "https://example.social"}
	fb := app.Channel{ID: "facebook:100200300", Platform: "facebook", AccountID: "100200300", Name: "Smile Dental Page",
		ExpiresAt: time.Date(2027, 1, 2, 3, 4, 5, 0, time.UTC)}
	for _, c := range []app.Channel{masto, fb} {
		if _, err := db.SaveChannel(ctx, c, "practice manager"); err != nil {
			t.Fatal(err)
		}
	}
	cs, err = db.Channels(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 2 || cs[0].Platform != "facebook" || cs[1].Platform != "mastodon" {
		t.Fatalf("want facebook then mastodon, got %+v", cs)
	}
	if !cs[0].ExpiresAt.Equal(fb.ExpiresAt) || cs[0].ConnectedAt.IsZero() {
		t.Fatalf("expiry or connected time lost: %+v", cs[0])
	}
	if cs[1].SecretKey() != "channel:mastodon:@smile@example.social" {
		t.Fatalf("secret key %q", cs[1].SecretKey())
	}

	// Reconnecting the same account replaces it and keeps when it was first connected.
	first := cs[1].ConnectedAt
	masto.Name = "Smile Dental Clinic"
	if _, err := db.SaveChannel(ctx, masto, "practice manager"); err != nil {
		t.Fatal(err)
	}
	got, err := db.Channel(ctx, masto.ID)
	if err != nil || got.Name != "Smile Dental Clinic" || !got.ConnectedAt.Equal(first) {
		t.Fatalf("replace: %+v %v", got, err)
	}
	if cs, _ := db.Channels(ctx); len(cs) != 2 {
		t.Fatalf("replace added a channel: %d", len(cs))
	}

	got, err = db.UpdateChannel(ctx, masto.ID, "system", func(c *app.Channel) {
		c.NeedsReconnect, c.ProblemMessage = true, "Mastodon refused the token."
		c.ID = "tampered" // the id is fixed
	})
	if err != nil || !got.NeedsReconnect || got.ID != masto.ID {
		t.Fatalf("update: %+v %v", got, err)
	}
	if _, err := db.UpdateChannel(ctx, "bluesky:nobody", "system", func(*app.Channel) {}); app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatalf("update of a missing channel: %v", err)
	}

	if err := db.DeleteChannel(ctx, fb.ID, "practice manager"); err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteChannel(ctx, fb.ID, "practice manager"); app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatalf("second delete: %v", err)
	}
	if _, err := db.Channel(ctx, fb.ID); app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatalf("deleted channel still there: %v", err)
	}

	page, err := db.ListAudit(ctx, 50, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{"channel.connected": false, "channel.updated": false, "channel.needs_reconnect": false, "channel.disconnected": false}
	for _, e := range page.Entries {
		if _, ok := want[e.Action]; ok {
			want[e.Action] = true
			if e.Subject == "" || e.Detail["platform"] == "" {
				t.Fatalf("audit entry without subject or platform: %+v", e)
			}
		}
	}
	for a, seen := range want {
		if !seen {
			t.Errorf("no %s entry in the activity log", a)
		}
	}
}

func TestChannelsRejectIncomplete(t *testing.T) {
	db := MustOpenDB(t)
	for _, c := range []app.Channel{
		{Platform: "mastodon", AccountID: "1"},
		{ID: "x:1", Platform: "myspace", AccountID: "1"},
		{ID: "mastodon:1", Platform: "mastodon"},
	} {
		if _, err := db.SaveChannel(ctx, c, "practice manager"); err == nil {
			t.Errorf("saved %+v", c)
		}
	}
	if cs, _ := db.Channels(ctx); len(cs) != 0 {
		t.Fatalf("a bad channel was stored: %+v", cs)
	}
}

func TestChannelsSurviveReopen(t *testing.T) {
	db := storetest.Open(t, app.SystemClock{})
	if _, err := db.SaveChannel(ctx, app.Channel{ID: "bluesky:did:plc:abc", Platform: "bluesky", AccountID: "did:plc:abc", Handle: "smile.bsky.social"}, "practice manager"); err != nil {
		t.Fatal(err)
	}
	db = reopen(t, db)
	c, err := db.Channel(ctx, "bluesky:did:plc:abc")
	if err != nil || c.Handle != "smile.bsky.social" {
		t.Fatalf("after reopen: %+v %v", c, err)
	}
}
