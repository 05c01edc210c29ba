package mail

import (
	"bytes"
	"context"
	"net"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"practicepost/app"
)

const tokA, tokB, tokC = "PP-7K3M9Q", "PP-A1B2C3", "PP-ZZ0099"

type syncFixture struct {
	imap  *imapFixture
	store *MemStore
	s     *Syncer
}

func newSyncFixture(t *testing.T, o imapOpts) *syncFixture {
	f := &syncFixture{imap: startIMAP(t, o), store: NewMemStore()}
	for _, tok := range []string{tokA, tokB, tokC} {
		f.store.AddRequest(testRequest(tok, "zoe@example.org"))
	}
	acct := testAccount(f.imap.port, 1)
	acct.Settings.ConnectedAt = time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	f.s = &Syncer{
		Account: acct,
		Store:   f.store,
		Clock:   &app.FixedClock{T: time.Date(2025, 3, 5, 8, 0, 0, 0, time.UTC)},
	}
	return f
}

func (f *syncFixture) sync(t *testing.T) Report {
	t.Helper()
	rep, err := f.s.Sync(context.Background())
	if err != nil {
		t.Fatalf("sync: %v", err)
	}
	return rep
}

// realisticReply is a Gmail-style answer: ticks and name on top, the request
// quoted below, the signed form attached.
func realisticReply(tok string) []byte {
	return reply(replySpec{
		subject:   "Re: [" + tok + "] Your permission to share your story – Riverside Dental",
		inReplyTo: "<" + tok + ".0011223344556677@riversidedental.co.uk>",
		text: "Hi,\n\nHappy to help!\n\n[x] Facebook\n[x] Instagram\n[ ] Practice website\n[x] Photos showing my face\n[ ] Paid or boosted adverts\n\nFull name: Zoë Brontë\n\n" +
			"On Sat, 1 Mar 2025 at 09:00, Riverside Dental <hello@riversidedental.co.uk>\nwrote:\n\n> Dear Zoë Brontë,\n> [ ] Facebook\n> [ ] Instagram\n> Full name:\n",
		pdf: []byte(minimalPDF), pdfName: "signed-consent.pdf",
	})
}

func TestSyncRecordsRealisticReply(t *testing.T) {
	f := newSyncFixture(t, imapOpts{})
	f.imap.deliver(t, "INBOX", realisticReply(tokA))
	f.imap.deliver(t, "INBOX", reply(replySpec{subject: "Invoice for March", text: "Please find our invoice attached."}))
	rep := f.sync(t)
	if rep.Candidates != 1 || rep.Recorded != 1 || rep.Ignored != 0 {
		t.Fatalf("report %+v", rep)
	}
	items := f.store.Items()
	if len(items) != 1 {
		t.Fatalf("%d items", len(items))
	}
	it := items[0]
	if it.RequestToken != tokA || it.RequestRef != "req-"+tokA || it.RequestKind != app.KindConsent {
		t.Errorf("matched %q/%q/%q", it.RequestToken, it.RequestRef, it.RequestKind)
	}
	if !slices.Equal(it.Scope.Agreed, []string{"facebook", "instagram", "face"}) ||
		!slices.Equal(it.Scope.Declined, []string{"website", "paid_ads"}) || it.Scope.NeedsReview() {
		t.Errorf("scope %+v", it.Scope)
	}
	if it.TypedName != "Zoë Brontë" {
		t.Errorf("typed name %q", it.TypedName)
	}
	if len(it.Flags) != 0 {
		t.Errorf("flags %v, notes %v", it.Flags, it.Notes)
	}
	if len(it.Attachments) != 1 || it.Attachments[0].ContentType != "application/pdf" || !bytes.Equal(it.Attachments[0].Data, []byte(minimalPDF)) {
		t.Errorf("attachments %+v", it.Attachments)
	}
	if !bytes.Equal(it.Raw, realisticReply(tokA)) || it.UID != 1 || it.UIDValidity == 0 || it.Mailbox != "INBOX" {
		t.Errorf("evidence: uid %d validity %d, raw %d bytes", it.UID, it.UIDValidity, len(it.Raw))
	}
	if strings.Contains(it.Words, "> ") || strings.Contains(it.Words, "wrote:") {
		t.Errorf("quoted history left in words: %q", it.Words)
	}
	st, _ := f.store.GetSyncState(context.Background(), "INBOX")
	if st.LastUID != 2 || st.LastError != "" || !st.LastSync.Equal(f.s.Clock.Now()) || st.Counts.Recorded != 1 {
		t.Errorf("state %+v", st)
	}
}

func TestSyncIsIdempotent(t *testing.T) {
	f := newSyncFixture(t, imapOpts{})
	f.imap.deliver(t, "INBOX", realisticReply(tokA))
	f.imap.deliver(t, "INBOX", realisticReply(tokB))
	f.sync(t)
	if rep := f.sync(t); rep.Candidates != 0 || rep.Recorded != 0 {
		t.Errorf("second sync looked at old mail: %+v", rep)
	}
	// Lose the bookmark (restored backup, crash before it was written):
	// everything is read again and nothing is recorded twice.
	f.store.PutSyncState(context.Background(), app.MailSyncState{Mailbox: "INBOX"})
	rep := f.sync(t)
	if rep.Candidates != 2 || rep.Duplicates != 2 || rep.Recorded != 0 {
		t.Errorf("resync report %+v", rep)
	}
	if n := len(f.store.Items()); n != 2 {
		t.Errorf("%d items after processing the same messages twice", n)
	}
}

func TestSyncUIDValidityChange(t *testing.T) {
	f := newSyncFixture(t, imapOpts{})
	f.imap.deliver(t, "INBOX", realisticReply(tokA))
	f.sync(t)
	before, _ := f.store.GetSyncState(context.Background(), "INBOX")

	// The server rebuilds the mailbox: same mail, new UIDVALIDITY, UIDs
	// from 1 again, plus a new reply.
	if err := f.imap.user.Delete("INBOX"); err != nil {
		t.Fatal(err)
	}
	if err := f.imap.user.Create("INBOX", nil); err != nil {
		t.Fatal(err)
	}
	f.imap.deliver(t, "INBOX", reply(replySpec{subject: "unrelated", text: "hello"}))
	f.imap.deliver(t, "INBOX", realisticReply(tokA))
	f.imap.deliver(t, "INBOX", realisticReply(tokB))

	rep := f.sync(t)
	if !rep.Resynced || rep.UIDValidity == before.UIDValidity {
		t.Fatalf("UIDVALIDITY change not noticed: %+v", rep)
	}
	if rep.Recorded != 1 || rep.Duplicates != 1 {
		t.Errorf("report %+v", rep)
	}
	items := f.store.Items()
	if len(items) != 2 || items[1].RequestToken != tokB || items[1].UIDValidity != rep.UIDValidity || items[1].UID != 3 {
		t.Errorf("items %d, last %+v", len(items), items[len(items)-1].RequestToken)
	}
	st, _ := f.store.GetSyncState(context.Background(), "INBOX")
	if st.UIDValidity != rep.UIDValidity || st.LastUID != 3 || st.Counts.Resyncs != 1 {
		t.Errorf("state %+v", st)
	}
}

func TestSyncResumesAfterCrash(t *testing.T) {
	f := newSyncFixture(t, imapOpts{})
	for _, tok := range []string{tokA, tokB, tokC} {
		f.imap.deliver(t, "INBOX", realisticReply(tok))
	}
	f.store.FailRecordAfter = 1
	_, err := f.s.Sync(context.Background())
	wantAppError(t, err, app.EINTERNAL, "")
	st, _ := f.store.GetSyncState(context.Background(), "INBOX")
	if st.LastUID != 1 || st.LastError == "" {
		t.Fatalf("after the failure the bookmark is %+v", st)
	}
	f.store.FailRecordAfter = 0
	rep := f.sync(t)
	if rep.Candidates != 2 || rep.Recorded != 2 {
		t.Errorf("resume report %+v", rep)
	}
	var toks []string
	for _, it := range f.store.Items() {
		toks = append(toks, it.RequestToken)
	}
	if !slices.Equal(toks, []string{tokA, tokB, tokC}) {
		t.Errorf("items %v", toks)
	}
	st, _ = f.store.GetSyncState(context.Background(), "INBOX")
	if st.LastError != "" {
		t.Errorf("last error not cleared: %q", st.LastError)
	}
}

func TestSyncIgnoresAutoReplies(t *testing.T) {
	subj := "Re: [" + tokA + "] Your permission to share your story"
	tests := []struct {
		name string
		raw  []byte
	}{
		{"Auto-Submitted", reply(replySpec{subject: subj, extraHeader: "Auto-Submitted: auto-replied", text: "I am away until Monday."})},
		{"X-Autoreply", reply(replySpec{subject: subj, extraHeader: "X-Autoreply: yes", text: "I am away."})},
		{"Precedence bulk", reply(replySpec{subject: subj, extraHeader: "Precedence: bulk", text: "Thanks for your email."})},
		{"Precedence auto_reply", reply(replySpec{subject: subj, extraHeader: "Precedence: auto_reply", text: "Thanks."})},
		{"Out of office subject", reply(replySpec{subject: "Out of Office: [" + tokA + "] Your permission", text: "Back on the 10th."})},
		{"Automatic reply subject", reply(replySpec{subject: "Automatic reply: [" + tokA + "] Your permission", text: "Away."})},
		{"bounce", reply(replySpec{subject: "Undeliverable: [" + tokA + "] Your permission", text: "Delivery has failed."})},
	}
	f := newSyncFixture(t, imapOpts{})
	for _, tt := range tests {
		f.imap.deliver(t, "INBOX", tt.raw)
	}
	// Auto-Submitted: no is a person's reply and must not be dropped.
	f.imap.deliver(t, "INBOX", reply(replySpec{subject: subj, extraHeader: "Auto-Submitted: no", text: "Yes: Facebook\nFull name: Zoë Brontë"}))
	rep := f.sync(t)
	if rep.Ignored != len(tests) || rep.Recorded != 1 {
		t.Errorf("report %+v", rep)
	}
	if items := f.store.Items(); len(items) != 1 || !slices.Equal(items[0].Scope.Agreed, []string{"facebook"}) {
		t.Errorf("items %+v", items)
	}
}

func TestSyncHTMLOnlyReply(t *testing.T) {
	f := newSyncFixture(t, imapOpts{})
	html := `<html><head><style>p{color:red}</style></head><body><div dir="ltr"><p>Yes: Facebook, Instagram</p>
<p>No: Paid&nbsp;ads</p><div>Full name: Zo&euml; Bront&euml;</div></div><br>
<div class="gmail_quote"><div>On Sat, 1 Mar 2025 at 09:00, Riverside Dental &lt;hello@riversidedental.co.uk&gt; wrote:<br></div>
<blockquote class="gmail_quote"><p>[ ] Facebook<br>[ ] Instagram</p></blockquote></div></body></html>`
	f.imap.deliver(t, "INBOX", reply(replySpec{subject: "RE: [" + tokA + "]", html: html}))
	f.sync(t)
	items := f.store.Items()
	if len(items) != 1 {
		t.Fatalf("%d items", len(items))
	}
	it := items[0]
	if !it.HTMLOnly || !slices.Equal(it.Scope.Agreed, []string{"facebook", "instagram"}) || !slices.Equal(it.Scope.Declined, []string{"paid_ads"}) {
		t.Errorf("html-only: htmlOnly=%v scope %+v words %q", it.HTMLOnly, it.Scope, it.Words)
	}
	if it.TypedName != "Zoë Brontë" || strings.Contains(it.Words, "color:red") {
		t.Errorf("name %q words %q", it.TypedName, it.Words)
	}
}

func TestSyncLatin1Reply(t *testing.T) {
	f := newSyncFixture(t, imapOpts{})
	// "Full name: Zoë Brontë" and "Café" in ISO-8859-1, quoted-printable.
	text := "Yes to Facebook\nThe caf=E9 photo is fine too.\nFull name: Zo=EB Bront=EB\n"
	f.imap.deliver(t, "INBOX", reply(replySpec{subject: "Re: [" + tokA + "]", text: text, charset: "iso-8859-1", qp: true}))
	// The same in raw 8-bit Latin-1.
	raw8 := reply(replySpec{subject: "Re: [" + tokB + "]", text: "Instagram - yes\nFull name: Zo\xeb Bront\xeb\n", charset: "ISO-8859-1"})
	f.imap.deliver(t, "INBOX", raw8)
	f.sync(t)
	items := f.store.Items()
	if len(items) != 2 {
		t.Fatalf("%d items", len(items))
	}
	for _, it := range items {
		if it.TypedName != "Zoë Brontë" || it.HasFlag(app.FlagNameMismatch) || it.HasFlag(app.FlagUnreadableText) {
			t.Errorf("%s: name %q flags %v", it.RequestToken, it.TypedName, it.Flags)
		}
	}
	if !strings.Contains(items[0].Words, "café photo") {
		t.Errorf("words %q", items[0].Words)
	}
}

func TestSyncSizeLimits(t *testing.T) {
	f := newSyncFixture(t, imapOpts{})
	f.s.Limits = Limits{MaxAttachment: 1024, MaxMessage: 64 << 10}
	bigPDF := append([]byte(minimalPDF), bytes.Repeat([]byte("0"), 4096)...)
	f.imap.deliver(t, "INBOX", reply(replySpec{subject: "Re: [" + tokA + "]", text: "[x] Facebook\nSigned copy attached.", pdf: bigPDF, pdfName: "scan.pdf"}))
	f.imap.deliver(t, "INBOX", reply(replySpec{subject: "Re: [" + tokB + "]", text: "[x] Instagram\nFull name: Zoë Brontë", pdf: bytes.Repeat([]byte("%PDF-"), 20<<10), pdfName: "huge.pdf"}))
	f.imap.deliver(t, "INBOX", reply(replySpec{subject: "Re: [" + tokC + "]", text: "[x] Instagram\nFull name: Zoë Brontë", pdf: []byte("MZ\x90\x00 not a pdf"), pdfName: "form.pdf.exe"}))
	f.sync(t)
	items := f.store.Items()
	if len(items) != 3 {
		t.Fatalf("%d items", len(items))
	}
	big, huge, exe := items[0], items[1], items[2]
	if len(big.Attachments) != 0 || !big.HasFlag(app.FlagAttachmentTooLarge) || !big.HasFlag(app.FlagUnsigned) ||
		len(big.Notes) == 0 || !strings.Contains(big.Notes[0], "“scan.pdf”") || !strings.Contains(big.Notes[0], "larger than 1 KB") {
		t.Errorf("oversize attachment: flags %v notes %v", big.Flags, big.Notes)
	}
	if !huge.HasFlag(app.FlagMessageTooLarge) || len(huge.Raw) > 4096 || len(huge.Attachments) != 0 {
		t.Errorf("oversize message: flags %v, raw %d bytes", huge.Flags, len(huge.Raw))
	}
	if !exe.HasFlag(app.FlagAttachmentRejected) || len(exe.Attachments) != 0 || exe.TypedName != "Zoë Brontë" {
		t.Errorf("wrong type: flags %v attachments %d", exe.Flags, len(exe.Attachments))
	}
}

func TestSyncFlags(t *testing.T) {
	tests := []struct {
		name  string
		raw   []byte
		flags []app.ReplyFlag
	}{
		{"unknown token", reply(replySpec{subject: "Re: [PP-QQQQQQ]", text: "[x] Facebook\nFull name: Zoë Brontë"}), []app.ReplyFlag{app.FlagNoMatchingRequest}},
		{"other sender", reply(replySpec{from: "Mum <mum@example.net>", subject: "Re: [" + tokA + "]", text: "[x] Facebook\nFull name: Zoë Brontë"}), []app.ReplyFlag{app.FlagSenderMismatch, app.FlagMissingBoxes}},
		{"no name, no attachment", reply(replySpec{subject: "Re: [" + tokA + "]", text: "[x] Facebook"}), []app.ReplyFlag{app.FlagMissingBoxes, app.FlagUnsigned}},
		{"other name", reply(replySpec{subject: "Re: [" + tokA + "]", text: "[x] Facebook\nFull name: Ann Smith"}), []app.ReplyFlag{app.FlagMissingBoxes, app.FlagNameMismatch}},
		{"ambiguous", reply(replySpec{subject: "Re: [" + tokA + "]", text: "Facebook is fine but maybe not Instagram\nFull name: Zoë Brontë"}), []app.ReplyFlag{app.FlagAmbiguous, app.FlagMissingBoxes}},
		{"yes to all", reply(replySpec{subject: "Re: [" + tokA + "]", text: "Yes to all\nFull name: Zoë Brontë"}), []app.ReplyFlag{app.FlagAmbiguous, app.FlagMissingBoxes}},
		{"no answer", reply(replySpec{subject: "Re: [" + tokA + "]", text: "Thanks, what is this for?\nFull name: Zoë Brontë"}), []app.ReplyFlag{app.FlagNoScope}},
		{"ticked in quote", reply(replySpec{subject: "Re: [" + tokA + "]", text: "See below\nFull name: Zoë Brontë\n\nOn Sat, 1 Mar 2025, Riverside Dental wrote:\n> [x] Facebook\n> [ ] Instagram"}), []app.ReplyFlag{app.FlagAnsweredInQuote, app.FlagMissingBoxes}},
		{"token only in body, two names", reply(replySpec{subject: "consent", text: "Reference PP-7K3M9Q\n[x] Facebook\nName: Zoë Brontë\nSigned: Z. Brontë Smith"}), []app.ReplyFlag{app.FlagAmbiguous, app.FlagMissingBoxes}},
		{"two requests", reply(replySpec{subject: "Re: [" + tokB + "]", inReplyTo: "<" + tokA + ".0011223344556677@riversidedental.co.uk>", text: "[x] Facebook\nFull name: Zoë Brontë"}), []app.ReplyFlag{app.FlagConflictingTokens, app.FlagMissingBoxes}},
	}
	f := newSyncFixture(t, imapOpts{})
	for _, tt := range tests {
		f.imap.deliver(t, "INBOX", tt.raw)
	}
	f.sync(t)
	items := f.store.Items()
	if len(items) != len(tests) {
		t.Fatalf("%d items for %d replies", len(items), len(tests))
	}
	for i, tt := range tests {
		if !slices.Equal(items[i].Flags, tt.flags) {
			t.Errorf("%s: flags %v, want %v (notes %v)", tt.name, items[i].Flags, tt.flags, items[i].Notes)
		}
	}
	if items[9].RequestToken != tokA {
		t.Errorf("In-Reply-To should win over the subject, matched %s", items[9].RequestToken)
	}
}

func TestSyncMovesProcessed(t *testing.T) {
	f := newSyncFixture(t, imapOpts{})
	f.s.Account.Settings.MoveProcessed = true
	f.imap.deliver(t, "INBOX", reply(replySpec{subject: "Lunch?", text: "Are you free?"}))
	f.imap.deliver(t, "INBOX", realisticReply(tokA))
	f.imap.deliver(t, "INBOX", realisticReply(tokB))
	// Known only by its sender: kept as a possible withdrawal, but it is as
	// likely the patient's ordinary mail, so it stays in the INBOX.
	f.imap.deliver(t, "INBOX", reply(replySpec{subject: "Appointments",
		text: "Hi, we've moved to Leeds, so please remove my name from the waiting list. Thanks, Zoe"}))
	rep := f.sync(t)
	if rep.Moved != 2 || rep.Recorded != 3 {
		t.Fatalf("report %+v", rep)
	}
	inbox, _ := f.imap.user.Status("INBOX", &imap.StatusOptions{NumMessages: true})
	done, err := f.imap.user.Status(DefaultProcessedMailbox, &imap.StatusOptions{NumMessages: true})
	if err != nil {
		t.Fatalf("processed folder not created: %v", err)
	}
	if *inbox.NumMessages != 2 || *done.NumMessages != 2 {
		t.Errorf("INBOX %d, processed %d", *inbox.NumMessages, *done.NumMessages)
	}
	// A later reply goes into the now existing folder.
	f.imap.deliver(t, "INBOX", realisticReply(tokC))
	if rep := f.sync(t); rep.Moved != 1 || rep.Recorded != 1 {
		t.Errorf("second sync %+v", rep)
	}
}

func TestSyncErrorsAreRecorded(t *testing.T) {
	f := newSyncFixture(t, imapOpts{noInbox: true})
	_, err := f.s.Sync(context.Background())
	wantAppError(t, err, app.ENOTFOUND, "username")
	st, _ := f.store.GetSyncState(context.Background(), "INBOX")
	if !strings.Contains(st.LastError, "no INBOX") {
		t.Errorf("last error %q", st.LastError)
	}
	f.s.Account.Password = func(context.Context) (string, error) { return "wrong", nil }
	_, err = f.s.Sync(context.Background())
	wantAppError(t, err, app.EFORBIDDEN, "password")
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestWatcher(t *testing.T) {
	for _, tt := range []struct {
		name string
		caps imap.CapSet
		idle bool
	}{
		{"IDLE", nil, true},
		{"polling", imap.CapSet{imap.CapIMAP4rev1: {}, imap.CapMove: {}}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := newSyncFixture(t, imapOpts{caps: tt.caps})
			if !tt.idle {
				f.s.Account.Settings.IMAP.Port = noIdleProxy(t, f.imap.port)
			}
			f.imap.deliver(t, "INBOX", realisticReply(tokA))
			syncs := make(chan error, 100)
			w := &Watcher{Syncer: f.s, PollInterval: 20 * time.Millisecond, OnSync: func(_ Report, err error) { syncs <- err }}
			if err := w.Start(context.Background()); err != nil {
				t.Fatal(err)
			}
			defer w.Stop()
			wantAppError(t, w.Start(context.Background()), app.ECONFLICT, "")
			waitFor(t, "first reply", func() bool { return len(f.store.Items()) == 1 })
			if st := w.Status(); !st.Running || st.UsingIdle != tt.idle {
				t.Errorf("status %+v", st)
			}
			// New mail arrives while watching; with IDLE the server's
			// EXISTS update wakes the watcher.
			c, err := imapclient.DialInsecure("127.0.0.1:"+strconv.Itoa(f.imap.port), nil)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			if err := c.Login(testUser, testPassword).Wait(); err != nil {
				t.Fatal(err)
			}
			raw := realisticReply(tokB)
			ac := c.Append("INBOX", int64(len(raw)), nil)
			ac.Write(raw)
			ac.Close()
			if _, err := ac.Wait(); err != nil {
				t.Fatal(err)
			}
			waitFor(t, "second reply", func() bool { return len(f.store.Items()) == 2 })
			w.Stop()
			if st := w.Status(); st.Running || st.LastError != "" {
				t.Errorf("after stop: %+v", st)
			}
			for len(syncs) > 0 {
				if err := <-syncs; err != nil {
					t.Errorf("sync error while watching: %v", err)
				}
			}
		})
	}
}

// A server without MOVE makes go-imap fall back to COPY, STORE \Deleted and
// EXPUNGE; without UIDPLUS that EXPUNGE is a plain one, which would also
// destroy every message the practice had marked \Deleted but not yet
// expunged. Messages are never deleted, so the reply stays where it is.
func TestSyncNeverExpungesOtherMail(t *testing.T) {
	for _, tt := range []struct {
		name      string
		caps      imap.CapSet
		moved     int
		inbox     uint32
		processed bool
	}{
		{"neither MOVE nor UIDPLUS", imap.CapSet{imap.CapIMAP4rev1: {}}, 0, 2, false},
		{"UIDPLUS only", imap.CapSet{imap.CapIMAP4rev1: {}, imap.CapUIDPlus: {}}, 1, 1, true},
		{"MOVE", imap.CapSet{imap.CapIMAP4rev1: {}, imap.CapMove: {}}, 1, 1, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := newSyncFixture(t, imapOpts{caps: tt.caps})
			f.s.Account.Settings.MoveProcessed = true
			// Marked deleted in another mail program that has not expunged.
			other := reply(replySpec{subject: "Old newsletter", text: "Read me later."})
			if _, err := f.imap.user.Append("INBOX", literal{bytes.NewReader(other)}, &imap.AppendOptions{Flags: []imap.Flag{imap.FlagDeleted}}); err != nil {
				t.Fatal(err)
			}
			f.imap.deliver(t, "INBOX", realisticReply(tokA))
			rep := f.sync(t)
			if rep.Recorded != 1 || rep.Moved != tt.moved || rep.KeptInMailbox != 1-tt.moved {
				t.Fatalf("report %+v", rep)
			}
			inbox, err := f.imap.user.Status("INBOX", &imap.StatusOptions{NumMessages: true})
			if err != nil {
				t.Fatal(err)
			}
			if *inbox.NumMessages != tt.inbox {
				t.Errorf("INBOX holds %d messages, want %d", *inbox.NumMessages, tt.inbox)
			}
			_, err = f.imap.user.Status(DefaultProcessedMailbox, &imap.StatusOptions{NumMessages: true})
			if (err == nil) != tt.processed {
				t.Errorf("processed folder exists: %v, want %v", err == nil, tt.processed)
			}
			st, _ := f.store.GetSyncState(context.Background(), "INBOX")
			if wantNote := tt.moved == 0; strings.Contains(st.Note, "stay in INBOX") != wantNote {
				t.Errorf("note %q", st.Note)
			}
			// Nothing new: the note stays, and the reply is not looked at again.
			if rep := f.sync(t); rep.Candidates != 0 {
				t.Errorf("second sync %+v", rep)
			}
			if st2, _ := f.store.GetSyncState(context.Background(), "INBOX"); st2.Note != st.Note {
				t.Errorf("note changed to %q", st2.Note)
			}
		})
	}
}

// A password the server refuses is not tried again on a timer: a few
// failed sign-ins get the mailbox locked or the practice's address banned.
// The status says so; "Check for replies" tries once more.
func TestWatcherStopsTryingARefusedPassword(t *testing.T) {
	f := newSyncFixture(t, imapOpts{})
	var mu sync.Mutex
	logins := 0
	count := func() int { mu.Lock(); defer mu.Unlock(); return logins }
	port := relay{up: func(l string) string {
		if u := strings.ToUpper(l); strings.Contains(u, " LOGIN ") || strings.Contains(u, " AUTHENTICATE ") {
			mu.Lock()
			logins++
			mu.Unlock()
		}
		return l
	}}.start(t, f.imap.port)
	f.s.Account.Settings.IMAP.Port = port
	f.s.Account.Password = func(context.Context) (string, error) { return "old password", nil }
	syncs := make(chan error, 100)
	w := &Watcher{Syncer: f.s, RetryDelay: 5 * time.Millisecond, OnSync: func(_ Report, err error) { syncs <- err }}
	if err := w.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer w.Stop()
	wantAppError(t, <-syncs, app.EFORBIDDEN, "password")
	// At the retry delay's pace, 60 ms would be several attempts.
	time.Sleep(60 * time.Millisecond)
	if n := count(); n != 1 {
		t.Fatalf("%d sign-ins with a refused password", n)
	}
	if st := w.Status(); !st.Running || !strings.Contains(st.LastError, "stopped trying") {
		t.Fatalf("status %+v", st)
	}
	w.SyncNow()
	waitFor(t, "a second try", func() bool { return count() == 2 })
	wantAppError(t, <-syncs, app.EFORBIDDEN, "password")
}

// A connection that goes silent after sign-in (a laptop woken from sleep,
// a router that dropped it) is given up once a read has waited its
// allowance; the watcher connects again and picks up the reply.
func TestWatcherLeavesASilentConnection(t *testing.T) {
	f := newSyncFixture(t, imapOpts{})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	hush := make(chan struct{}) // closed: the first connection stops passing bytes
	go func() {
		for n := 0; ; n++ {
			client, err := ln.Accept()
			if err != nil {
				return
			}
			server, err := net.Dial("tcp", "127.0.0.1:"+strconv.Itoa(f.imap.port))
			if err != nil {
				client.Close()
				continue
			}
			t.Cleanup(func() { client.Close(); server.Close() })
			first := n == 0
			copyUntilHushed := func(dst, src net.Conn) {
				buf := make([]byte, 4096)
				for {
					k, err := src.Read(buf)
					if first {
						select {
						case <-hush:
							return // silent, but the connection stays open
						default:
						}
					}
					if k > 0 {
						dst.Write(buf[:k])
					}
					if err != nil {
						dst.Close()
						return
					}
				}
			}
			go copyUntilHushed(server, client)
			go copyUntilHushed(client, server)
		}
	}()
	f.s.Account.Settings.IMAP.Port = ln.Addr().(*net.TCPAddr).Port
	f.s.Account.ReadTimeout = 300 * time.Millisecond
	syncs := make(chan error, 1000)
	w := &Watcher{Syncer: f.s, IdleRefresh: 200 * time.Millisecond, RetryDelay: 20 * time.Millisecond,
		OnSync: func(_ Report, err error) { syncs <- err }}
	if err := w.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer w.Stop()
	if err := <-syncs; err != nil {
		t.Fatal(err)
	}
	close(hush)
	f.imap.deliver(t, "INBOX", realisticReply(tokA))
	waitFor(t, "the reply, over a new connection", func() bool { return len(f.store.Items()) == 1 })
}

// The practice moves its email to another account: the bookmark of the old
// one must not hide the new one's mail, even when the new server numbers
// its mailbox with the same UIDVALIDITY, as a fresh server often does.
func TestSyncStartsAfreshInAnotherAccount(t *testing.T) {
	f := newSyncFixture(t, imapOpts{})
	for range 3 {
		f.imap.deliver(t, "INBOX", reply(replySpec{subject: "unrelated", text: "hello"}))
	}
	f.imap.deliver(t, "INBOX", realisticReply(tokA))
	f.sync(t)
	old, _ := f.store.GetSyncState(context.Background(), "INBOX")

	other := startIMAP(t, imapOpts{})
	other.deliver(t, "INBOX", realisticReply(tokB))
	acct := testAccount(other.port, 1)
	acct.Settings.ConnectedAt = f.s.Account.Settings.ConnectedAt
	f.s.Account = acct
	rep := f.sync(t)
	if rep.UIDValidity != old.UIDValidity {
		t.Logf("the new server's UIDVALIDITY %d differs from the old %d", rep.UIDValidity, old.UIDValidity)
	}
	items := f.store.Items()
	if rep.Recorded != 1 || len(items) != 2 || items[1].RequestToken != tokB {
		t.Fatalf("the new account's reply was not read: %+v, %d items", rep, len(items))
	}
	if st, _ := f.store.GetSyncState(context.Background(), "INBOX"); st.Account != acct.Settings.Account() || st.LastUID != 1 {
		t.Fatalf("bookmark %+v", st)
	}
}
