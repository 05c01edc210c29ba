package mail_test

import (
	"context"
	"testing"
	"time"

	"practicepost/app"
	"practicepost/app/mail"
	"practicepost/app/store"
	"practicepost/app/store/storetest"
)

var benchClock = &app.FixedClock{T: time.Date(2025, 3, 5, 8, 0, 0, 0, time.UTC)}

// benchDB is a fresh data file, as the app keeps it, holding the
// mail.BenchReplies requests the benchmark mailbox answers.
func benchDB(b *testing.B) *store.DB {
	b.Helper()
	ctx := context.Background()
	db := storetest.Open(b, benchClock)
	dob, _ := app.ParseCivilDate("1984-07-21")
	p, err := db.CreatePatient(ctx, app.Patient{FullName: "Zoë Brontë", DateOfBirth: dob, Email: "zoe@example.org"})
	if err != nil {
		b.Fatal(err)
	}
	for i := range mail.BenchReplies {
		tok := mail.BenchToken(i)
		r, err := db.CreateMailRequest(ctx, app.MailRequest{Token: tok, Kind: app.KindConsent, PatientID: p.ID,
			PatientName: p.FullName, PatientEmail: p.Email, MessageID: tok + ".0011223344556677@riversidedental.co.uk",
			Scope: mail.ConsentScopeForTest}, []byte("Subject: ["+tok+"]\r\n\r\nrequest\r\n"))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := db.MarkMailRequest(ctx, r.ID, app.MailSent, ""); err != nil {
			b.Fatal(err)
		}
	}
	return db
}

func checkSQLite(b *testing.B, rep mail.Report, db *store.DB) {
	b.Helper()
	n, err := db.CountMailReplies(context.Background(), app.ReplyPending)
	if err != nil || rep.Recorded != mail.BenchReplies || n != mail.BenchReplies {
		b.Fatalf("recorded %d (%d in the data file, %v), want %d: %+v", rep.Recorded, n, err, mail.BenchReplies, rep)
	}
}

// BenchmarkSyncDovecotSQLite is BenchmarkSyncDovecot recording into the
// app's SQLite data file (store.DB, synchronous=FULL) instead of MemStore:
// each reply, its raw message and attachments are stored in one
// transaction, and the bookmark is saved after every message, as in the app.
func BenchmarkSyncDovecotSQLite(b *testing.B) {
	mail.SyncBench[*store.DB]{
		Name:  "sqlite",
		Fresh: benchDB,
		Check: checkSQLite,
		Done:  func(db *store.DB) { db.Close() },
	}.Run(b)
}
