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
	"practicepost/app/internal/dovecottest"
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

func benchStore() *MemStore {
	st := NewMemStore()
	for i := range benchReplies {
		st.AddRequest(testRequest(benchToken(i), "zoe@example.org"))
	}
	return st
}

// BenchAccount signs user in to the benchmark's Dovecot on port.
func BenchAccount(port int, user string) *Account {
	a := testAccount(port, 1)
	a.Settings.Username, a.Settings.FromAddress = user, user
	a.Password = func(context.Context) (string, error) { return dovecottest.Password, nil }
	return a
}

// SyncBench is a store the Dovecot sync benchmarks record into; the
// benchmarks differ only in it.
type SyncBench[S Store] struct {
	Name  string                               // tells the benchmark's mailboxes apart
	Fresh func(b *testing.B) S                 // an empty store holding the benchReplies requests
	Check func(b *testing.B, rep Report, st S) // fails unless a first sync recorded every reply
	Done  func(st S)                           // releases a store Fresh gave
}

// Run measures sync against a real Dovecot holding benchMessages messages
// of which benchReplies are replies:
//   - first-cold: a mailbox Dovecot has never indexed and an empty bookmark
//     (the very first sync after setting up email),
//   - first: an empty bookmark, Dovecot's index already built (after a
//     bookmark loss or a UIDVALIDITY change),
//   - incremental: nothing new since the last sync (the common case).
func (sb SyncBench[S]) Run(b *testing.B) {
	user := "bench-" + sb.Name + "@riversidedental.co.uk"
	cold := func(i int) string { return fmt.Sprintf("cold-%s%d@riversidedental.co.uk", sb.Name, i) }
	users := []string{user}
	for i := range 100 {
		users = append(users, cold(i))
	}
	dc := dovecottest.Start(b, users...)
	ctx := context.Background()
	clock := &app.FixedClock{T: time.Date(2025, 3, 5, 8, 0, 0, 0, time.UTC)}
	// first syncs st from an empty bookmark, timing the sync alone.
	first := func(b *testing.B, user string) {
		b.StopTimer()
		st := sb.Fresh(b)
		defer sb.Done(st)
		s := &Syncer{Account: BenchAccount(dc.Port, user), Store: st, Clock: clock}
		b.StartTimer()
		rep, err := s.Sync(ctx)
		b.StopTimer()
		if err != nil {
			b.Fatal(err)
		}
		sb.Check(b, rep, st)
	}

	b.Run("first-cold", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			b.StopTimer()
			if i >= 100 {
				b.Fatal("run first-cold with -benchtime of at most 100x")
			}
			populateMaildir(b, dc.MailDir, cold(i))
			first(b, cold(i))
			os.RemoveAll(filepath.Join(dc.MailDir, cold(i)))
			b.StartTimer()
		}
	})

	populateMaildir(b, dc.MailDir, user)
	warm := sb.Fresh(b)
	defer sb.Done(warm)
	s := &Syncer{Account: BenchAccount(dc.Port, user), Store: warm, Clock: clock}
	if _, err := s.Sync(ctx); err != nil { // builds Dovecot's index
		b.Fatal(err)
	}

	b.Run("first", func(b *testing.B) {
		for b.Loop() {
			first(b, user)
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

// BenchmarkSyncDovecot records into MemStore: the sync's own cost.
func BenchmarkSyncDovecot(b *testing.B) {
	SyncBench[*MemStore]{
		Name:  "mem",
		Fresh: func(*testing.B) *MemStore { return benchStore() },
		Check: func(b *testing.B, rep Report, st *MemStore) {
			if rep.Recorded != benchReplies || len(st.Items()) != benchReplies {
				b.Fatalf("recorded %d (%d items), want %d: %+v", rep.Recorded, len(st.Items()), benchReplies, rep)
			}
		},
		Done: func(*MemStore) {},
	}.Run(b)
}
