package mail

import (
	"bytes"
	"context"
	"slices"
	"strings"
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
	sent := smtpSrv.backend.messages()
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
	store.PutSyncState(ctx, SyncState{Mailbox: "INBOX"})
	rep, err = s.Sync(ctx)
	if err != nil || rep.Duplicates != 1 || len(store.Items()) != 1 {
		t.Fatalf("resync %+v, %v, %d items", rep, err, len(store.Items()))
	}

	// Moving processed replies creates the folder with Dovecot's separator.
	a.Settings.MoveProcessed = true
	store.PutSyncState(ctx, SyncState{Mailbox: "INBOX"})
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
