package store_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"practicepost/app"
	"practicepost/app/store"
)

// A post removed by hand leaves the consent's takedown list, reads back as
// removed_manually with who and the note, and logs ids only.
func TestManualRemovalLeavesConsentTakedownList(t *testing.T) {
	db := MustOpenDB(t)
	sdb := rawDB(t, db.Path())
	insertSignedConsent(t, db, sdb, 6)
	_, jobs := newRequest(t, db, []string{"6"}, "ig-1", "ma-1")
	save := func(id int64, fn func(j *app.PublishJob)) error {
		return db.Tx(ctx, func(tx *store.Tx) error {
			j, err := tx.PublishJob(ctx, id)
			if err != nil {
				return err
			}
			fn(&j)
			return tx.SavePublishJob(ctx, &j, "practice manager")
		})
	}
	at := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	for i, id := range []string{"1789", "114"} {
		if err := save(jobs[i].ID, func(j *app.PublishJob) {
			j.State, j.RemoteID, j.RemoteURL, j.PublishedAt = app.JobPublished, id, "https://example.social/p/"+id, at
		}); err != nil {
			t.Fatal(err)
		}
	}
	if list, _ := db.TakedownList(ctx, 6); len(list) != 2 {
		t.Fatalf("takedown list %+v", list)
	}

	// A manual removal must say who made it.
	if err := save(jobs[0].ID, func(j *app.PublishJob) { j.Takedown = app.TakedownRemovedManually }); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("manual removal without a person: %v", err)
	}
	const note = "Removed in the Instagram app for Mrs Okafor"
	removedAt := at.Add(48 * time.Hour)
	if err := save(jobs[0].ID, func(j *app.PublishJob) {
		j.Takedown, j.TakedownAt, j.TakedownBy, j.TakedownNote = app.TakedownRemovedManually, removedAt, "practice manager", note
	}); err != nil {
		t.Fatal(err)
	}
	j, err := db.PublishJob(ctx, jobs[0].ID)
	if err != nil || j.Takedown != app.TakedownRemovedManually || j.TakedownBy != "practice manager" || j.TakedownNote != note || !j.TakedownAt.Equal(removedAt) {
		t.Fatalf("read back %+v %v", j, err)
	}
	// On disk the post counts as down, whoever took it down.
	var stored, by string
	if err := sdb.QueryRow("SELECT takedown, takedown_by FROM publish_jobs WHERE id = ?", jobs[0].ID).Scan(&stored, &by); err != nil || stored != "deleted" || by == "" {
		t.Errorf("stored %q by %q %v", stored, by, err)
	}
	list, err := db.TakedownList(ctx, 6)
	if err != nil || len(list) != 1 || list[0].RemoteID != "114" {
		t.Fatalf("consent takedown list after the manual removal: %+v %v", list, err)
	}
	var removed string
	if err := sdb.QueryRow("SELECT removed_at FROM consent_publications WHERE remote_id = '1789'").Scan(&removed); err != nil || removed == "" {
		t.Errorf("removed_at %q %v", removed, err)
	}

	// An automatic delete clears any person named.
	if err := save(jobs[1].ID, func(j *app.PublishJob) {
		j.Takedown, j.TakedownAt, j.TakedownBy = app.TakedownDeleted, removedAt, "someone"
	}); err != nil {
		t.Fatal(err)
	}
	if j, _ := db.PublishJob(ctx, jobs[1].ID); j.Takedown != app.TakedownDeleted || j.TakedownBy != "" {
		t.Errorf("automatic delete read back as %q by %q", j.Takedown, j.TakedownBy)
	}
	if list, _ := db.TakedownList(ctx, 6); len(list) != 0 {
		t.Errorf("still listed: %+v", list)
	}

	page, err := db.ListAudit(ctx, 200, 0)
	if err != nil {
		t.Fatal(err)
	}
	var manual, deleted int
	for _, e := range page.Entries {
		switch e.Action {
		case "publish.takedown_removed_manually":
			manual++
		case "publish.takedown_deleted":
			deleted++
		}
		b, _ := json.Marshal(e.Detail)
		if strings.Contains(string(b), "Okafor") || strings.Contains(string(b), "Instagram app") {
			t.Errorf("the note reached the activity log: %s %s", e.Action, b)
		}
	}
	if manual != 1 || deleted != 1 {
		t.Errorf("audit: %d manual, %d deleted, want 1 and 1", manual, deleted)
	}
}
