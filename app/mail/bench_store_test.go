package mail_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"practicepost/app"
	"practicepost/app/internal/dovecottest"
	"practicepost/app/mail"
	"practicepost/app/store"
)

var benchClock = &app.FixedClock{T: time.Date(2025, 3, 5, 8, 0, 0, 0, time.UTC)}

// benchDB is a fresh data file, as the app keeps it, holding the
// mail.BenchReplies requests the benchmark mailbox answers.
func benchDB(b *testing.B) *store.DB {
	b.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(b.TempDir(), store.FileName), benchClock)
	if err != nil {
		b.Fatal(err)
	}
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

func benchAccount(port int, user string) *mail.Account {
	return &mail.Account{
		Settings: mail.Settings{
			IMAP:     mail.Server{Host: "127.0.0.1", Port: port, Security: mail.SecurityNone},
			SMTP:     mail.Server{Host: "127.0.0.1", Port: 1, Security: mail.SecurityNone},
			Username: user, FromAddress: user, FromName: "Riverside Dental",
		},
		Password:    func(context.Context) (string, error) { return dovecottest.Password, nil },
		DialTimeout: 5 * time.Second,
	}
}

func checkSQLite(b *testing.B, rep mail.Report, db *store.DB) {
	b.Helper()
	n, err := db.CountMailReplies(context.Background(), app.ReplyPending)
	if err != nil || rep.Recorded != mail.BenchReplies || n != mail.BenchReplies {
		b.Fatalf("recorded %d (%d in the data file, %v), want %d: %+v", rep.Recorded, n, err, mail.BenchReplies, rep)
	}
}

func coldSQLiteUser(i int) string { return fmt.Sprintf("coldsql%d@riversidedental.co.uk", i) }

// BenchmarkSyncDovecotSQLite is BenchmarkSyncDovecot recording into the
// app's SQLite data file (store.DB, synchronous=FULL) instead of MemStore:
// each reply, its raw message and attachments are stored in one
// transaction, and the bookmark is saved after every message, as in the app.
func BenchmarkSyncDovecotSQLite(b *testing.B) {
	const user = "bench-sqlite@riversidedental.co.uk"
	users := []string{user}
	for i := range 100 {
		users = append(users, coldSQLiteUser(i))
	}
	dc := dovecottest.Start(b, users...)
	ctx := context.Background()

	b.Run("first-cold", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			b.StopTimer()
			if i >= 100 {
				b.Fatal("run first-cold with -benchtime of at most 100x")
			}
			u := coldSQLiteUser(i)
			mail.PopulateMaildir(b, dc.MailDir, u)
			db := benchDB(b)
			s := &mail.Syncer{Account: benchAccount(dc.Port, u), Store: db, Clock: benchClock}
			b.StartTimer()
			rep, err := s.Sync(ctx)
			b.StopTimer()
			if err != nil {
				b.Fatal(err)
			}
			checkSQLite(b, rep, db)
			db.Close()
			os.RemoveAll(filepath.Join(dc.MailDir, u))
			b.StartTimer()
		}
	})

	mail.PopulateMaildir(b, dc.MailDir, user)
	warm := benchDB(b)
	defer warm.Close()
	s := &mail.Syncer{Account: benchAccount(dc.Port, user), Store: warm, Clock: benchClock}
	if _, err := s.Sync(ctx); err != nil { // builds Dovecot's index
		b.Fatal(err)
	}

	b.Run("first", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			db := benchDB(b)
			s := &mail.Syncer{Account: benchAccount(dc.Port, user), Store: db, Clock: benchClock}
			b.StartTimer()
			rep, err := s.Sync(ctx)
			b.StopTimer()
			if err != nil {
				b.Fatal(err)
			}
			checkSQLite(b, rep, db)
			db.Close()
			b.StartTimer()
		}
	})

	b.Run("incremental", func(b *testing.B) {
		for b.Loop() {
			rep, err := s.Sync(ctx)
			if err != nil {
				b.Fatal(err)
			}
			if rep.Candidates != 0 {
				b.Fatalf("incremental sync looked at %d messages", rep.Candidates)
			}
		}
	})
}
