package mail

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"practicepost/app"
)

const (
	benchMessages = 5000
	benchReplies  = 50
)

func benchToken(i int) string {
	return fmt.Sprintf("PP-%c%c%c%c%c%c", app.TokenAlphabet[i/32/32%32], app.TokenAlphabet[i/32%32], app.TokenAlphabet[i%32], 'B', 'N', 'C')
}

// populateMaildir writes a mailbox straight into Dovecot's maildir, as a
// mail server's delivery agent would: benchMessages messages of which every
// 100th is a reply to one of benchReplies requests.
func populateMaildir(b *testing.B, mailDir, user string) {
	b.Helper()
	home := filepath.Join(mailDir, user)
	for _, sub := range []string{"", "cur", "new", "tmp"} {
		p := filepath.Join(home, sub)
		if err := os.MkdirAll(p, 0o700); err != nil {
			b.Fatal(err)
		}
		if err := os.Chown(p, 65534, 65534); err != nil {
			b.Fatal(err)
		}
	}
	filler := strings.Repeat("Thank you for your appointment reminder. I will arrive ten minutes early and bring my forms.\r\n", 15)
	reply := 0
	for i := range benchMessages {
		var raw []byte
		if i%(benchMessages/benchReplies) == 50 && reply < benchReplies {
			tok := benchToken(reply)
			reply++
			raw = realisticReplyWithID(tok, fmt.Sprintf("<bench-reply-%d@mail.example.org>", i))
		} else {
			raw = []byte(fmt.Sprintf("From: Patient %d <patient%d@example.org>\r\nTo: %s\r\nSubject: Appointment on day %d\r\nDate: Tue, 04 Mar 2025 10:00:00 +0000\r\nMessage-ID: <bench-%d@example.org>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n%s",
				i, i, user, i%28+1, i, filler))
		}
		name := filepath.Join(home, "cur", fmt.Sprintf("1741082400.M%dP1.bench,S=%d:2,S", i, len(raw)))
		if err := os.WriteFile(name, raw, 0o600); err != nil {
			b.Fatal(err)
		}
		if err := os.Chown(name, 65534, 65534); err != nil {
			b.Fatal(err)
		}
	}
}

func realisticReplyWithID(tok, id string) []byte {
	r := string(realisticReply(tok))
	start := strings.Index(r, "Message-ID: ")
	end := start + strings.Index(r[start:], "\r\n")
	return []byte(r[:start] + "Message-ID: " + id + r[end:])
}

func coldUser(i int) string { return fmt.Sprintf("cold%d@riversidedental.co.uk", i) }

func benchStore() *MemStore {
	st := NewMemStore()
	for i := range benchReplies {
		st.AddRequest(testRequest(benchToken(i), "zoe@example.org"))
	}
	return st
}

// BenchmarkSyncDovecot measures sync against a real Dovecot holding 5,000
// messages of which 50 are replies:
//   - first-cold: a mailbox Dovecot has never indexed and an empty bookmark
//     (the very first sync after setting up email),
//   - first: an empty bookmark, Dovecot's index already built (after a
//     bookmark loss or a UIDVALIDITY change),
//   - incremental: nothing new since the last sync (the common case).
func BenchmarkSyncDovecot(b *testing.B) {
	const user = "bench@riversidedental.co.uk"
	users := []string{user}
	for i := range 100 {
		users = append(users, coldUser(i))
	}
	dc := startDovecot(b, users...)
	ctx := context.Background()
	clock := &app.FixedClock{T: time.Date(2025, 3, 5, 8, 0, 0, 0, time.UTC)}
	check := func(b *testing.B, rep Report, store *MemStore) {
		if rep.Recorded != benchReplies || len(store.Items()) != benchReplies {
			b.Fatalf("recorded %d (%d items), want %d: %+v", rep.Recorded, len(store.Items()), benchReplies, rep)
		}
	}

	b.Run("first-cold", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			b.StopTimer()
			if i >= 100 {
				b.Fatal("run first-cold with -benchtime of at most 100x")
			}
			user := coldUser(i)
			populateMaildir(b, dc.MailDir, user)
			store := benchStore()
			s := &Syncer{Account: dc.account(user, 1), Store: store, Clock: clock}
			b.StartTimer()
			rep, err := s.Sync(ctx)
			if err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			check(b, rep, store)
			os.RemoveAll(filepath.Join(dc.MailDir, user))
			b.StartTimer()
		}
	})

	populateMaildir(b, dc.MailDir, user)
	store := benchStore()
	s := &Syncer{Account: dc.account(user, 1), Store: store, Clock: clock}
	if _, err := s.Sync(ctx); err != nil { // builds Dovecot's index
		b.Fatal(err)
	}

	b.Run("first", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			store.Reset()
			b.StartTimer()
			rep, err := s.Sync(ctx)
			if err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			check(b, rep, store)
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
