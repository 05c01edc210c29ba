package mail

import (
	"bytes"
	"context"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"practicepost/app"
	"practicepost/app/internal/dovecottest"
)

// dovecotServer is a real Dovecot (see package dovecottest) in which
// testUser always exists.
type dovecotServer struct{ *dovecottest.Server }

func startDovecot(t testing.TB, users ...string) *dovecotServer {
	t.Helper()
	return &dovecotServer{dovecottest.Start(t, append([]string{testUser}, users...)...)}
}

func (d *dovecotServer) account(user string, smtpPort int) *Account {
	a := testAccount(d.Port, smtpPort)
	a.Settings.Username = user
	a.Password = func(context.Context) (string, error) { return dovecottest.Password, nil }
	return a
}

func TestDovecotEndToEnd(t *testing.T) {
	dc := startDovecot(t)
	smtpSrv := startSMTP(t, nil)
	const user = testUser
	a := dc.account(user, smtpSrv.port)
	a.Settings.FromAddress = user
	ctx := context.Background()

	if err := a.TestConnection(ctx); err != nil {
		t.Fatalf("test connection against Dovecot: %v", err)
	}

	// Send the request.
	store := NewMemStore()
	out, err := Compose(consentRequest(), a.Settings, time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	store.AddRequest(out.Sent)
	if err := a.Send(ctx, out); err != nil {
		t.Fatal(err)
	}
	sent := smtpSrv.backend.Messages()
	if len(sent) != 1 {
		t.Fatalf("%d messages sent", len(sent))
	}
	sentParsed, err := ParseMessage(sent[0].Data, Limits{})
	if err != nil {
		t.Fatal(err)
	}

	// The patient answers from Thunderbird: ticks and name on top, the
	// request quoted below, a signed PDF attached.
	subject := "Re: " + sentParsed.Subject
	body := "Hello,\n\nHere is my answer.\n\n[x] Facebook\n[x] Instagram\n[ ] Practice website\n[X] Photos showing my face\n[ ] Paid or boosted adverts\n\nFull name: Zoë Brontë\n\nThanks,\nZoë\n\n" +
		"On 01/03/2025 09:00, Riverside Dental wrote:\n" + quote(sentParsed.Words)
	signed := []byte(strings.Replace(minimalPDF, "%%EOF", "% signed by Zoë Brontë\n%%EOF", 1))
	replyRaw := reply(replySpec{
		subject: subject, inReplyTo: "<" + out.Sent.MessageID + ">", text: body, charset: "UTF-8",
		pdf: signed, pdfName: "consent-signed.pdf", messageID: "<a1b2c3@mail.example.org>",
	})
	dc.Append(t, user, "INBOX", reply(replySpec{subject: "Parking at the practice", text: "Is there parking nearby?"}))
	dc.Append(t, user, "INBOX", reply(replySpec{subject: "Automatic reply: " + sentParsed.Subject, extraHeader: "Auto-Submitted: auto-replied", text: "I am on holiday."}))
	dc.Append(t, user, "INBOX", replyRaw)

	s := &Syncer{Account: a, Store: store, Clock: &app.FixedClock{T: time.Date(2025, 3, 5, 8, 0, 0, 0, time.UTC)}}
	rep, err := s.Sync(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Candidates != 2 || rep.Recorded != 1 || rep.Ignored != 1 {
		t.Errorf("first sync %+v", rep)
	}
	items := store.Items()
	if len(items) != 1 {
		t.Fatalf("%d review items", len(items))
	}
	it := items[0]
	if it.RequestToken != out.Sent.Token || it.MessageID != "a1b2c3@mail.example.org" || it.UID != 3 {
		t.Errorf("item %s %s uid %d", it.RequestToken, it.MessageID, it.UID)
	}
	if !slices.Equal(it.Scope.Agreed, []string{"facebook", "instagram", "face"}) || !slices.Equal(it.Scope.Declined, []string{"website", "paid_ads"}) {
		t.Errorf("scope %+v", it.Scope)
	}
	if it.TypedName != "Zoë Brontë" || len(it.Flags) != 0 {
		t.Errorf("name %q flags %v notes %v", it.TypedName, it.Flags, it.Notes)
	}
	if len(it.Attachments) != 1 || !bytes.Equal(it.Attachments[0].Data, signed) {
		t.Errorf("attachments %+v", it.Attachments)
	}
	if !bytes.Equal(bytes.ReplaceAll(it.Raw, []byte("\r\n"), []byte("\n")), bytes.ReplaceAll(replyRaw, []byte("\r\n"), []byte("\n"))) {
		t.Error("raw evidence differs from the message delivered")
	}

	// Again: nothing new, nothing doubled.
	rep, err = s.Sync(ctx)
	if err != nil || rep.Candidates != 0 || len(store.Items()) != 1 {
		t.Fatalf("second sync %+v, %v, %d items", rep, err, len(store.Items()))
	}
	// Without the bookmark everything is read again; still one item.
	store.PutSyncState(ctx, app.MailSyncState{Mailbox: "INBOX"})
	rep, err = s.Sync(ctx)
	if err != nil || rep.Duplicates != 1 || len(store.Items()) != 1 {
		t.Fatalf("resync %+v, %v, %d items", rep, err, len(store.Items()))
	}

	// Moving processed replies creates the folder with Dovecot's separator.
	a.Settings.MoveProcessed = true
	store.PutSyncState(ctx, app.MailSyncState{Mailbox: "INBOX"})
	rep, err = s.Sync(ctx)
	if err != nil || rep.Moved != 1 {
		t.Fatalf("move sync %+v, %v", rep, err)
	}
	names := dc.List(t, user)
	if !slices.ContainsFunc(names, func(n string) bool { return strings.HasSuffix(n, "Processed") }) {
		t.Errorf("mailboxes after move: %v", names)
	}
	if len(store.Items()) != 1 {
		t.Errorf("%d items after move", len(store.Items()))
	}

	// Last, because Dovecot slows down logins from an address after a
	// failed one.
	bad := dc.account(user, smtpSrv.port)
	bad.Password = func(context.Context) (string, error) { return "wrong", nil }
	wantAppError(t, bad.TestConnection(ctx), app.EFORBIDDEN, "password")
}

// lagProxy sits between the app and Dovecot like a server whose search
// index lags (Exchange Online's is asynchronous): it removes one UID from
// the next SEARCH answer. It records the commands the app sends.
type lagProxy struct {
	port int
	mu   sync.Mutex
	drop []string // UIDs to remove from the next SEARCH answer
	cmds []string
}

func (p *lagProxy) dropNext(uids ...uint32) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.drop = nil
	for _, u := range uids {
		p.drop = append(p.drop, strconv.FormatUint(uint64(u), 10))
	}
}

func (p *lagProxy) commands() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.cmds)
}

func startLagProxy(t testing.TB, port int) *lagProxy {
	t.Helper()
	p := &lagProxy{}
	p.port = relay{up: p.record, down: p.lag}.start(t, port)
	return p
}

// record keeps the SEARCH commands the app sends.
func (p *lagProxy) record(line string) string {
	if strings.Contains(line, "SEARCH") {
		p.mu.Lock()
		p.cmds = append(p.cmds, strings.TrimSpace(line))
		p.mu.Unlock()
	}
	return line
}

// lag removes the UIDs set by dropNext from the next SEARCH answer.
func (p *lagProxy) lag(line string) string {
	if !strings.HasPrefix(line, "* SEARCH") {
		return line
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.drop != nil {
		var kept []string
		for _, f := range strings.Fields(line)[2:] {
			if !slices.Contains(p.drop, f) {
				kept = append(kept, f)
			}
		}
		line = strings.TrimSpace("* SEARCH "+strings.Join(kept, " ")) + "\r\n"
		p.drop = nil
	}
	return line
}

// No reply is ever skipped, against the real Dovecot behind a proxy that
// hides one message from a SEARCH answer: the first sync starts when the
// mailbox was connected; a reply the server's SEARCH left out is picked up
// by the re-check of recent mail (by UID range and SINCE, never TEXT); a
// withdrawal is on hold the moment it is recorded; the bookmark moves only
// over UIDs whose header was read.
func TestDovecotLaggingSearchNeverSkipsAReply(t *testing.T) {
	dc := startDovecot(t)
	px := startLagProxy(t, dc.Port)
	a := dc.account(testUser, 1)
	a.Settings.IMAP.Port = px.port
	ctx := context.Background()

	store := NewMemStore()
	reqA, reqB, reqC := testRequest(tokA, "zoe@example.org"), testRequest(tokB, "zoe@example.org"), testRequest(tokC, "zoe@example.org")
	reqB.Answered = true
	for _, r := range []app.SentRequest{reqA, reqB, reqC} {
		store.AddRequest(r)
	}
	store.SetConsents(reqB.Ref, 41, 42)
	var held [][]int64
	clock := &app.FixedClock{T: time.Now().UTC()}
	s := &Syncer{Account: a, Store: store, Clock: clock, OnHold: func(_ context.Context, ids []int64) { held = append(held, ids) }}

	// Mail from before the mailbox was connected is not read on the first
	// sync. Dovecot dates APPENDed mail now, so the connection is "now".
	dc.Append(t, testUser, "INBOX", reply(replySpec{subject: "Re: [" + tokC + "] old", text: "[x] Facebook\nFull name: Zoë Brontë", messageID: "<old@mail.example.org>"}))
	time.Sleep(1100 * time.Millisecond) // INTERNALDATE has one-second steps
	a.Settings.ConnectedAt = time.Now().UTC()
	time.Sleep(1100 * time.Millisecond)
	clock.T = time.Now().UTC()                                                                              // the first sync runs after connecting
	dc.Append(t, testUser, "INBOX", realisticReply(tokA))                                                   // UID 2
	dc.Append(t, testUser, "INBOX", reply(replySpec{subject: "Parking", text: "Is there parking nearby?"})) // UID 3
	dc.Append(t, testUser, "INBOX", reply(replySpec{subject: "Lunch", text: "Lunch on Friday?"}))           // UID 4

	// The first SEARCH (where the first sync starts) leaves out UIDs 1
	// and 2, the reply among them: the sync starts at 3 and misses it, and
	// the re-check of recent mail, by SINCE, picks it up in the same sync.
	px.dropNext(1, 2)
	rep, err := s.Sync(ctx)
	if err != nil {
		t.Fatal(err)
	}
	items := store.Items()
	if len(items) != 1 || items[0].RequestToken != tokA || items[0].UID != 2 || rep.Recorded != 1 || rep.Recovered != 1 {
		t.Fatalf("first sync %+v, items %d", rep, len(items))
	}
	st, _ := store.GetSyncState(ctx, "INBOX")
	if st.LastUID != 4 || st.Since.IsZero() {
		t.Fatalf("bookmark %+v", st)
	}

	// Now the reply itself is what the lagging SEARCH hides: a reply
	// carrying the reference only in its body (the patient wrote a new
	// email and typed it), dropped from the TEXT search that narrows which
	// bodies are read. The bookmark moves on (its header was read), and
	// the next re-check finds it; with it, a withdrawal to an answered
	// request, put on hold at once.
	// (From her partner's address: mail from the patient's own address is
	// read whatever the search says, in case it is a withdrawal.)
	dc.Append(t, testUser, "INBOX", reply(replySpec{from: "Tom <tom@example.net>", subject: "my consent form", text: "Hello, reference " + tokA + "\n[x] Instagram\nFull name: Zoë Brontë", messageID: "<body-only@mail.example.org>"})) // UID 5
	dc.Append(t, testUser, "INBOX", reply(replySpec{subject: "Re: [" + tokB + "] Your permission", text: "Please take my photos down, I no longer want them used.", messageID: "<withdraw@mail.example.org>"}))                          // UID 6
	// And a new email from the patient's own address with no reference at
	// all: it reads as a withdrawal, so it is matched by the address.
	dc.Append(t, testUser, "INBOX", reply(replySpec{subject: "photos", text: "Hi, please remove my photos from your website. Zoë", messageID: "<noref@mail.example.org>"})) // UID 7
	// An ordinary note from her without a reference is not kept.
	dc.Append(t, testUser, "INBOX", reply(replySpec{subject: "appointment", text: "Can I move Tuesday's appointment?", messageID: "<appt@mail.example.org>"})) // UID 8
	px.dropNext(5)
	clock.T = clock.T.Add(time.Minute) // before the next re-check is due
	rep, err = s.Sync(ctx)
	if err != nil {
		t.Fatal(err)
	}
	items = store.Items()
	if len(items) != 3 || items[1].Intent != app.IntentWithdrawal || items[1].Withdrawal == "" || rep.Rechecked != 0 || rep.Ignored != 0 {
		t.Fatalf("second sync %+v, items %+v", rep, items)
	}
	if nr := items[2]; nr.MessageID != "noref@mail.example.org" || nr.Intent != app.IntentWithdrawal || !nr.HasFlag(app.FlagNoReference) || nr.RequestToken == "" {
		t.Fatalf("withdrawal without a reference: %+v", nr)
	}
	if len(held) < 1 || !slices.Equal(held[0], []int64{41, 42}) {
		t.Fatalf("held %v", held)
	}
	if st, _ = store.GetSyncState(ctx, "INBOX"); st.LastUID != 8 {
		t.Fatalf("bookmark %d, want 8: every UID's header was read", st.LastUID)
	}
	clock.T = clock.T.Add(11 * time.Minute)
	rep, err = s.Sync(ctx)
	if err != nil {
		t.Fatal(err)
	}
	items = store.Items()
	if rep.Recovered != 1 || len(items) != 4 || items[3].MessageID != "body-only@mail.example.org" || !slices.Equal(items[3].Scope.Agreed, []string{"instagram"}) {
		t.Fatalf("re-check %+v, items %d", rep, len(items))
	}
	for _, it := range items {
		if it.MessageID == "old@mail.example.org" {
			t.Fatal("mail from before the mailbox was connected was read")
		}
	}
	// The re-check found it by SINCE and UID ranges; no search ever asked
	// the server for TEXT alone over the whole mailbox.
	sawSince := false
	for _, c := range px.commands() {
		if strings.Contains(c, "SINCE") {
			sawSince = true
		}
		if strings.Contains(c, "TEXT") && !strings.Contains(c, "UID ") {
			t.Errorf("unbounded TEXT search: %s", c)
		}
	}
	if !sawSince {
		t.Errorf("no SINCE search in %v", px.commands())
	}
	// A later sync finds nothing new and records nothing twice.
	clock.T = clock.T.Add(11 * time.Minute)
	if rep, err = s.Sync(ctx); err != nil || rep.Recorded != 0 || len(store.Items()) != 4 {
		t.Fatalf("later sync %+v %v", rep, err)
	}
}
