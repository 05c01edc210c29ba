package service_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"practicepost/app"
	"practicepost/app/internal/dovecottest"
	"practicepost/app/mail"
	"practicepost/app/service"
)

// statusEvents counts the mail status events emitted so far: the watcher
// emits one after every sync, which tells the test a sync has finished.
func (w *mailWorld) statusEvents() int {
	w.rec.mu.Lock()
	defer w.rec.mu.Unlock()
	n := 0
	for _, e := range w.rec.events {
		if e == service.EventMailStatus {
			n++
		}
	}
	return n
}

// syncNow presses "Check for replies" and waits until that sync is done.
func (w *mailWorld) syncNow(t *testing.T) {
	t.Helper()
	before := w.statusEvents()
	if _, err := w.mail.CheckNow(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the sync after Check for replies", func() bool { return w.statusEvents() > before })
}

// The whole road against a real Dovecot, through the MailService the app
// binds and the SQLite file it writes: send a request, the patient's reply
// lands in the INBOX, the watcher picks it up, a person confirms it, a
// consent exists; syncing again, even from scratch, doubles nothing.
func TestConsentByEmailAgainstDovecot(t *testing.T) {
	dc := dovecottest.Start(t, mailUser)
	w := newMailWorld(t)
	// Only Dovecot's IDLE news, or "Check for replies", may start a sync.
	w.mail.IdleRefresh = time.Hour
	st := w.srv.settings() // SMTP stays the recording go-smtp server
	st.IMAP.Port = dc.Port
	if v, err := w.mail.SaveSettings(service.MailSettingsInput{Settings: st, Password: dovecottest.Password}); err != nil || !v.Configured {
		t.Fatalf("save settings: %+v %v", v, err)
	}
	if r, err := w.mail.TestConnection(service.MailSettingsInput{Settings: st}); err != nil || !r.OK {
		t.Fatalf("test connection against Dovecot: %+v %v", r, err)
	}
	// The watcher starts IDLE just after its first sync; on a busy machine
	// the status can be read in between.
	waitFor(t, "first sync, then IDLE", func() bool { s, _ := w.mail.Status(); return s.Watching && s.LastSync != "" && s.UsingIdle })
	if s, _ := w.mail.Status(); s.LastError != "" {
		t.Fatalf("status against Dovecot: %+v", s)
	}

	p := w.addPatient(t, service.PatientInput{FullName: "Zoë Brontë", DateOfBirth: "1984-07-21", Email: "zoe@example.org", Ref: "R7"})
	req := w.request(t, p)
	sent, err := w.mail.SendConsentRequest(service.ConsentMailInput{Request: req})
	if err != nil {
		t.Fatal(err)
	}
	msgs := w.srv.messages()
	if len(msgs) != 1 {
		t.Fatalf("%d emails sent", len(msgs))
	}
	asSent, err := mail.ParseMessage(msgs[0], mail.Limits{})
	if err != nil || len(asSent.Attachments) != 1 {
		t.Fatalf("the request as sent: %v, %d attachments", err, len(asSent.Attachments))
	}

	// The patient answers from their mail program: ticks and full name on
	// top, our email quoted below, and the form we sent, signed, attached.
	var quoted strings.Builder
	for _, l := range strings.Split(asSent.Words, "\n") {
		quoted.WriteString("> " + l + "\n")
	}
	body := "Hello,\n\nHere is my answer.\n\n[x] My first name only\n[x] Photos or video where my face can be seen\n" +
		"[x] Facebook\n[x] Instagram\n[ ] Paid or boosted adverts on the channels I ticked\n\nFull name: Zoë Brontë\n\nThanks,\nZoë\n\n" +
		"On Sun, 22 Nov 2026 at 10:00, Harbour Dental <" + mailUser + "> wrote:\n" + quoted.String()
	signed := append(bytes.Clone(asSent.Attachments[0].Data), []byte("% signed by hand: Zoë Brontë\n")...)
	reply := replyTo(t, msgs[0], "Zoë Brontë <zoe@example.org>", "d1@mail.example.org", body,
		[3]string{"Consent form - signed.pdf", "application/pdf", strings.TrimSpace(wrap76(signed))})
	// Other mail in the INBOX that is not a reply, and an out-of-office.
	dc.Append(t, mailUser, "INBOX", []byte("From: Sam <sam@example.org>\r\nTo: "+mailUser+"\r\nSubject: Parking\r\nMessage-ID: <p1@example.org>\r\nDate: Sun, 22 Nov 2026 09:00:00 +0000\r\n\r\nIs there parking nearby?\r\n"))
	dc.Append(t, mailUser, "INBOX", []byte("From: Zoë <zoe@example.org>\r\nTo: "+mailUser+"\r\nSubject: Automatic reply: ["+sent.Token+"]\r\nAuto-Submitted: auto-replied\r\nMessage-ID: <ooo@example.org>\r\nDate: Sun, 22 Nov 2026 09:30:00 +0000\r\n\r\nI am away.\r\n"))
	dc.Append(t, mailUser, "INBOX", reply)

	// Dovecot announces the new mail under IDLE; nobody presses anything.
	waitFor(t, "the reply in the review queue", func() bool { s, _ := w.mail.Status(); return s.Pending == 1 })
	v, answers := zoesReply(t, w.mail)
	for key, want := range map[string]string{"first_name": "yes", "face": "yes", "facebook": "yes", "instagram": "yes", "paid_ads": "no", "full_name": "unanswered"} {
		if answers[key] != want {
			t.Errorf("scope %s read as %q, want %q (all: %v)", key, answers[key], want, answers)
		}
	}
	if v.TypedName != "Zoë Brontë" || !v.CanConfirm || len(v.FlagViews) != 1 || v.FlagViews[0].Flag != "missing_boxes" || !strings.Contains(v.Words, "Here is my answer") || strings.Contains(v.Words, "HOW TO ANSWER") {
		t.Fatalf("reply view: name %q canConfirm %v flags %+v words %q", v.TypedName, v.CanConfirm, v.FlagViews, v.Words)
	}
	if len(v.Attachments) != 1 || v.Attachments[0].ContentType != "application/pdf" || v.Attachments[0].URL == "" {
		t.Fatalf("attachments %+v", v.Attachments)
	}
	db, err := w.core.DB()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	sum := sha256.Sum256(signed)
	if blob, err := db.Blob(ctx, v.Attachments[0].SHA256); err != nil || v.Attachments[0].SHA256 != hex.EncodeToString(sum[:]) || !bytes.Equal(blob.Data, signed) {
		t.Fatalf("the signed PDF did not survive Dovecot and the data file intact: %v", err)
	}
	if cs, _ := w.consents.List(p.Patient.ID); len(cs) != 0 {
		t.Fatal("a consent exists before anyone confirmed")
	}

	w.confirmZoe(t, v, p.Patient.ID, service.ConfirmConsentInput{
		Identity:   []app.IdentityElement{app.IdentityFirstName, app.IdentityFace},
		Channels:   []app.ConsentChannel{app.ChannelFacebook, app.ChannelInstagram},
		SignerName: v.TypedName,
		Resolution: service.ResolutionInput{How: "Phoned the patient", Who: "Sam", When: "22 Nov 2026 11:00"},
	})
	// The evidence is the message exactly as Dovecot holds it.
	rawSHA := strings.TrimPrefix(v.RawURL, service.MediaURL(""))
	raw, err := db.Blob(ctx, rawSHA)
	if err != nil || !bytes.Equal(bytes.ReplaceAll(raw.Data, []byte("\r\n"), []byte("\n")), bytes.ReplaceAll(reply, []byte("\r\n"), []byte("\n"))) {
		t.Fatalf("raw evidence differs from the message delivered (%v)", err)
	}

	// Sync again: nothing new is looked at.
	w.syncNow(t)
	ss, err := db.GetSyncState(ctx, "INBOX")
	if err != nil || ss.Counts.Recorded != 1 || ss.Counts.Duplicates != 0 || ss.Counts.Ignored != 1 || ss.LastUID != 3 || ss.LastError != "" {
		t.Fatalf("bookmark after the second sync: %+v %v", ss, err)
	}
	// Sync from scratch (a lost bookmark, a renumbered mailbox): everything
	// is read again and the reply is recognised, not recorded twice.
	if err := db.PutSyncState(ctx, app.MailSyncState{Mailbox: "INBOX"}); err != nil {
		t.Fatal(err)
	}
	w.syncNow(t)
	ss, err = db.GetSyncState(ctx, "INBOX")
	if err != nil || ss.Counts.Recorded != 0 || ss.Counts.Duplicates != 1 || ss.LastUID != 3 {
		t.Fatalf("bookmark after the resync: %+v %v", ss, err)
	}
	if all, _ := w.mail.Replies(""); len(all) != 1 || all[0].Status != app.ReplyConfirmed {
		t.Fatalf("replies after syncing again: %+v", all)
	}
	if cs, _ := w.consents.List(0); len(cs) != 1 {
		t.Fatalf("%d consents after syncing again", len(cs))
	}
	if s, _ := w.mail.Status(); s.Pending != 0 || s.LastError != "" || s.Note != "" {
		t.Fatalf("status after syncing again: %+v", s)
	}
	// Messages are never deleted.
	if n := dc.Count(t, mailUser, "INBOX"); n != 3 {
		t.Fatalf("INBOX holds %d messages, want 3", n)
	}
}
