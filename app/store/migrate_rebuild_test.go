package store_test

import (
	"testing"

	"practicepost/app"
)

// A migration that rebuilds a table other rows point at (0018 rebuilds
// mail_requests, which mail_replies reference) must work on a data file
// that has such rows: with foreign keys enforced, SQLite's DROP TABLE
// deletes the rows first and the commit then fails, and the practice
// could no longer open its data. Here the file is put back to just
// before 0018, with a request and its reply, and opened again.
func TestRebuildMigrationKeepsRowsThatPointAtTheTable(t *testing.T) {
	db := MustOpenDB(t)
	p := addPatient(t, db, "Zoë Brontë")
	r := newMailRequest(t, db, p, app.KindConsent)
	if c, err := db.RecordReply(ctx, reviewItem(r, "mid:a1@mail.example", "Yes to Facebook.")); err != nil || !c.Created {
		t.Fatalf("reply: %+v %v", c, err)
	}
	db.Close()

	raw := rawDB(t, db.Path())
	before20(t, raw)
	undoSchemaAfter(t, raw, 17)
	raw.Close()

	db = reopen(t, db) // runs 0018 again
	list, err := db.ListMailReplies(ctx, app.ReplyPending, 10)
	if err != nil || len(list) != 1 || list[0].RequestID != r.ID {
		t.Fatalf("the reply and the request it answers after the rebuild: %+v %v", list, err)
	}
	got, err := db.MailRequest(ctx, r.ID)
	if err != nil || got.ID != r.ID || got.PatientEmail != r.PatientEmail {
		t.Fatalf("the request after the rebuild (sealed address still opens): %+v %v", got, err)
	}
}
