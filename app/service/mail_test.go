package service_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	gomail "github.com/emersion/go-message/mail"

	"practicepost/app"
	"practicepost/app/auth"
	"practicepost/app/mail"
	"practicepost/app/mail/mailtest"
	"practicepost/app/service"
	"practicepost/app/store"
)

const (
	mailUser = "hello@harbour.example"
	mailPass = "correct horse battery staple"
)

// mailServers is a loopback IMAP server (go-imap's in-memory server) and an
// SMTP server (go-smtp) that records what it is given.
type mailServers struct {
	imapPort, smtpPort int
	imap               *mailtest.IMAP
	smtp               *mailtest.SMTP
}

func startMailServers(t *testing.T) *mailServers {
	t.Helper()
	ms := &mailServers{smtp: &mailtest.SMTP{User: mailUser, Password: mailPass}}
	var err error
	if ms.imap, err = mailtest.NewIMAP(mailUser, mailPass, mailtest.IMAPOptions{}); err != nil {
		t.Fatal(err)
	}
	iln, err := mailtest.Listen()
	if err != nil {
		t.Fatal(err)
	}
	go ms.imap.Server.Serve(iln)
	t.Cleanup(func() { ms.imap.Server.Close() })
	ms.imapPort = mailtest.Port(iln)

	ssrv := mailtest.NewSMTPServer(ms.smtp, nil)
	sln, err := mailtest.Listen()
	if err != nil {
		t.Fatal(err)
	}
	go ssrv.Serve(sln)
	t.Cleanup(func() { ssrv.Close() })
	ms.smtpPort = mailtest.Port(sln)
	return ms
}

func (ms *mailServers) settings() mail.Settings {
	return mail.Settings{
		IMAP:     mail.Server{Host: "127.0.0.1", Port: ms.imapPort, Security: mail.SecurityNone},
		SMTP:     mail.Server{Host: "127.0.0.1", Port: ms.smtpPort, Security: mail.SecurityNone},
		Username: mailUser, FromAddress: mailUser, FromName: "Harbour Dental",
	}
}

func (ms *mailServers) messages() [][]byte {
	var out [][]byte
	for _, m := range ms.smtp.Messages() {
		out = append(out, m.Data)
	}
	return out
}

func (ms *mailServers) deliver(t *testing.T, raw []byte, at time.Time) {
	t.Helper()
	if err := ms.imap.Deliver("INBOX", raw, at); err != nil {
		t.Fatal(err)
	}
}

type mailWorld struct {
	*consentWorld
	mail    *service.MailService
	secrets *auth.MemoryStore
	srv     *mailServers
}

func newMailWorld(t *testing.T) *mailWorld {
	t.Helper()
	w := &mailWorld{consentWorld: newConsentWorld(t, "GB"), secrets: auth.NewMemoryStore(), srv: startMailServers(t)}
	w.mail = service.NewMailService(w.core, w.lock, w.consents, w.secrets)
	w.mail.DialTimeout = 5 * time.Second
	// go-imap's memory server does not report mail that arrived between a
	// sync and the start of IDLE (Dovecot does); a short refresh covers it.
	w.mail.IdleRefresh = time.Second
	return w
}

func (w *mailWorld) configure(t *testing.T) {
	t.Helper()
	v, err := w.mail.SaveSettings(service.MailSettingsInput{Settings: w.srv.settings(), Password: mailPass})
	if err != nil || !v.Configured || !v.PasswordSaved {
		t.Fatalf("save settings: %+v %v", v, err)
	}
}

func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func header(t *testing.T, raw []byte) gomail.Header {
	t.Helper()
	r, err := gomail.CreateReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	return r.Header
}

// replyTo writes the patient's answer the way a mail program does.
func replyTo(t *testing.T, sent []byte, from, messageID, body string, attach ...[3]string) []byte {
	t.Helper()
	h := header(t, sent)
	subj, _ := h.Subject()
	mid, _ := h.MessageID()
	var b strings.Builder
	fmt.Fprintf(&b, "From: %s\r\nTo: Harbour Dental <%s>\r\nSubject: Re: %s\r\nDate: Sun, 22 Nov 2026 09:58:00 +0000\r\n", from, mailUser, subj)
	fmt.Fprintf(&b, "Message-ID: <%s>\r\nIn-Reply-To: <%s>\r\nReferences: <%s>\r\nMIME-Version: 1.0\r\n", messageID, mid, mid)
	if len(attach) == 0 {
		fmt.Fprintf(&b, "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n%s\r\n", strings.ReplaceAll(body, "\n", "\r\n"))
		return []byte(b.String())
	}
	b.WriteString("Content-Type: multipart/mixed; boundary=b1\r\n\r\n--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n")
	b.WriteString(strings.ReplaceAll(body, "\n", "\r\n") + "\r\n")
	for _, a := range attach {
		fmt.Fprintf(&b, "--b1\r\nContent-Type: %s\r\nContent-Disposition: attachment; filename=\"%s\"\r\nContent-Transfer-Encoding: base64\r\n\r\n%s\r\n", a[1], a[0], a[2])
	}
	b.WriteString("--b1--\r\n")
	return []byte(b.String())
}

func TestMailSettingsPasswordGoesToKeychainNeverTheDataFile(t *testing.T) {
	w := newMailWorld(t)
	st := w.srv.settings()
	cases := []struct {
		name  string
		edit  func(*service.MailSettingsInput)
		field string
	}{
		{"plain to a remote host", func(in *service.MailSettingsInput) { in.Settings.IMAP.Host = "imap.example.com" }, "imap.security"},
		{"no port", func(in *service.MailSettingsInput) { in.Settings.SMTP.Port = 0 }, "smtp.port"},
		{"bad from address", func(in *service.MailSettingsInput) { in.Settings.FromAddress = "reception" }, "fromAddress"},
		{"no password yet", func(in *service.MailSettingsInput) { in.Password = "" }, "password"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := service.MailSettingsInput{Settings: st, Password: mailPass}
			c.edit(&in)
			if _, err := w.mail.SaveSettings(in); app.ErrorField(err) != c.field {
				t.Fatalf("want field %s, got %v", c.field, err)
			}
			if w.secrets.Len() != 0 {
				t.Fatal("a refused form saved the password")
			}
		})
	}
	w.configure(t)
	if pw, err := w.secrets.Get(auth.MailboxKey("imap")); err != nil || pw != mailPass {
		t.Fatalf("keychain: %q %v", pw, err)
	}
	// Saving again without a password keeps the saved one.
	if v, err := w.mail.SaveSettings(service.MailSettingsInput{Settings: st}); err != nil || !v.PasswordSaved {
		t.Fatalf("re-save: %+v %v", v, err)
	}
	w.core.Stop()
	files, _ := filepath.Glob(filepath.Join(w.core.Home, "practicepost.db*"))
	if len(files) == 0 {
		t.Fatal("no data file")
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(b, []byte(mailPass)) {
			t.Fatalf("the password is in %s", f)
		}
	}
}

func TestMailTestConnectionNamesTheField(t *testing.T) {
	w := newMailWorld(t)
	st := w.srv.settings()
	closed, _ := net.Listen("tcp", "127.0.0.1:0")
	closedPort := closed.Addr().(*net.TCPAddr).Port
	closed.Close()
	cases := []struct {
		name   string
		in     service.MailSettingsInput
		ok     bool
		field  string
		phrase string
	}{
		{"works", service.MailSettingsInput{Settings: st, Password: mailPass}, true, "", "Signed in"},
		{"wrong password", service.MailSettingsInput{Settings: st, Password: "nope"}, false, "password", "did not accept the user name and password"},
		{"nothing listening", service.MailSettingsInput{Settings: func() mail.Settings { s := st; s.IMAP.Port = closedPort; return s }(), Password: mailPass}, false, "imap.port", "refused the connection"},
		{"no such folder", service.MailSettingsInput{Settings: func() mail.Settings { s := st; s.Mailbox = "Replies"; return s }(), Password: mailPass}, false, "mailbox", "does not exist"},
		{"no password anywhere", service.MailSettingsInput{Settings: st}, false, "password", "not saved"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := w.mail.TestConnection(c.in)
			if err != nil {
				t.Fatal(err)
			}
			if r.OK != c.ok || r.Field != c.field || !strings.Contains(r.Message, c.phrase) {
				t.Fatalf("got %+v", r)
			}
		})
	}
	if v, _ := w.mail.Settings(); v.Configured {
		t.Fatal("testing saved the settings")
	}
}

func TestConsentByEmailEndToEnd(t *testing.T) {
	w := newMailWorld(t)
	p := w.addPatient(t, service.PatientInput{FullName: "Zoë Brontë", DateOfBirth: "1984-07-21", Email: "zoe@example.org", Ref: "R7"})
	req := w.request(t, p)

	if _, err := w.mail.SendConsentRequest(service.ConsentMailInput{Request: req}); app.ErrorCode(err) != app.EINVALID || !strings.Contains(app.ErrorMessage(err), "Settings → Mailbox") {
		t.Fatalf("sending without a mailbox: %v", err)
	}
	w.configure(t)
	waitFor(t, "first sync", func() bool { st, _ := w.mail.Status(); return st.Watching && st.LastSync != "" })

	sent, err := w.mail.SendConsentRequest(service.ConsentMailInput{Request: req, Note: "Thank you for your kind words on Tuesday."})
	if err != nil {
		t.Fatal(err)
	}
	if sent.State != "sent" || !app.ValidToken(sent.Token) || sent.EmailURL == "" {
		t.Fatalf("sent %+v", sent)
	}
	msgs := w.srv.messages()
	if len(msgs) != 1 {
		t.Fatalf("%d emails sent", len(msgs))
	}
	h := header(t, msgs[0])
	subj, _ := h.Subject()
	if !strings.Contains(subj, "["+sent.Token+"]") || h.Get(mail.RequestHeader) != sent.Token {
		t.Fatalf("token missing: subject %q header %q", subj, h.Get(mail.RequestHeader))
	}
	body := string(msgs[0])
	for _, want := range []string{"Consent form.pdf", "application/pdf", "Full name:"} {
		if !strings.Contains(body, want) {
			t.Errorf("email lacks %q", want)
		}
	}

	reply := replyTo(t, msgs[0], "Zoë Brontë <zoe@example.org>", "r1@mail.example.org",
		"Happy to help!\n\n[x] My first name only\n[x] Facebook\n[x] Instagram\n[ ] Paid or boosted adverts on the channels I ticked\n\nFull name: Zoë Brontë\n")
	w.srv.deliver(t, reply, w.clock.T)
	waitFor(t, "the reply in the queue", func() bool { st, _ := w.mail.Status(); return st.Pending == 1 })

	v, answers := zoesReply(t, w.mail)
	if answers["first_name"] != "yes" || answers["facebook"] != "yes" || answers["instagram"] != "yes" || answers["paid_ads"] != "no" || answers["website"] != "unanswered" {
		t.Fatalf("scope read: %v", answers)
	}
	// The reply leaves most boxes out: held until the manager says how
	// that was settled.
	if v.TypedName != "Zoë Brontë" || !v.CanConfirm || v.Quote != req.Quote || len(v.FlagViews) != 1 || v.FlagViews[0].Flag != "missing_boxes" ||
		!v.NeedsResolution || v.NeedsSenderCheck || v.Intent != "answer" || !strings.Contains(v.Words, "Happy to help") {
		t.Fatalf("reply view %+v", v)
	}
	if cs, _ := w.consents.List(p.Patient.ID); len(cs) != 0 {
		t.Fatal("a consent exists before anyone confirmed")
	}

	// The reviewer corrects the reading (drops Instagram) and confirms.
	in := service.ConfirmConsentInput{Identity: []app.IdentityElement{app.IdentityFirstName},
		Channels: []app.ConsentChannel{app.ChannelFacebook}, SignerName: "Zoë Brontë"}
	if _, err := w.mail.ConfirmConsent(v.ID, in); app.ErrorField(err) != "resolution.how" {
		t.Fatalf("unclear reply confirmed without a resolution: %v", err)
	}
	in.Resolution = service.ResolutionInput{How: "Phoned Zoë; she confirmed the ticks in her reply", Who: "Sam (reception)", When: "22 Nov 2026 11:00"}
	bad := in
	bad.Identity = nil
	if _, err := w.mail.ConfirmConsent(v.ID, bad); app.ErrorField(err) != "identity" {
		t.Fatalf("no name choice: %v", err)
	}
	// Widening is refused: the website box was not in the reply, full
	// name was not ticked.
	wide := in
	wide.Channels = []app.ConsentChannel{app.ChannelFacebook, app.ChannelWebsite}
	if _, err := w.mail.ConfirmConsent(v.ID, wide); app.ErrorField(err) != "channels" || !strings.Contains(app.ErrorMessage(err), "never add one") {
		t.Fatalf("widened channels: %v", err)
	}
	wide = in
	wide.Identity = []app.IdentityElement{app.IdentityFullName}
	if _, err := w.mail.ConfirmConsent(v.ID, wide); app.ErrorField(err) != "identity" {
		t.Fatalf("widened name: %v", err)
	}
	w.confirmZoe(t, v, p.Patient.ID, in)
	if _, err := w.mail.ConfirmConsent(v.ID, in); app.ErrorCode(err) != app.ECONFLICT {
		t.Fatalf("second confirmation: %v", err)
	}

	// The same message again (a resync, a copy in another folder) changes nothing.
	w.srv.deliver(t, reply, w.clock.T)
	if _, err := w.mail.CheckNow(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	waitFor(t, "the resync", func() bool { st, _ := w.mail.Status(); return st.LastError == "" })
	if all, _ := w.mail.Replies(""); len(all) != 1 {
		t.Fatalf("%d replies after a duplicate", len(all))
	}
	if cs, _ := w.consents.List(0); len(cs) != 1 {
		t.Fatalf("%d consents after a duplicate", len(cs))
	}

	// The activity log names ids, never the patient, the address or the words.
	db, _ := w.core.DB()
	page, err := db.ListAudit(context.Background(), 200, 0)
	if err != nil {
		t.Fatal(err)
	}
	actions := map[string]int{}
	for _, e := range page.Entries {
		actions[e.Action]++
		all := e.Subject + fmt.Sprint(e.Detail)
		for _, secret := range []string{"Zoë", "zoe@example.org", "Happy to help", mailPass} {
			if strings.Contains(all, secret) {
				t.Fatalf("audit %s carries %q", e.Action, secret)
			}
		}
	}
	for _, a := range []string{"mail.request.create", "mail.request.sent", "mail.reply.receive", "consent.sign", "mail.reply.confirmed"} {
		if actions[a] != 1 {
			t.Errorf("audit %s: %d entries", a, actions[a])
		}
	}
	w.rec.mu.Lock()
	statusEvents := 0
	for _, e := range w.rec.events {
		if e == service.EventMailStatus {
			statusEvents++
		}
	}
	w.rec.mu.Unlock()
	if statusEvents < 2 {
		t.Fatalf("%d status events", statusEvents)
	}
}

func TestMailFlagsAndDismissals(t *testing.T) {
	w := newMailWorld(t)
	w.configure(t)
	p := w.addPatient(t, service.PatientInput{FullName: "Sam Lee", DateOfBirth: "1990-01-02", Email: "sam@example.org"})
	if _, err := w.mail.SendConsentRequest(service.ConsentMailInput{Request: w.request(t, p)}); err != nil {
		t.Fatal(err)
	}
	sent := w.srv.messages()[0]
	// From another address, no name, nothing ticked clearly.
	w.srv.deliver(t, replyTo(t, sent, "Someone <other@example.net>", "f1@x", "Yes to all."), w.clock.T)
	// A reference PracticePost never sent.
	w.srv.deliver(t, []byte("From: a@b.example\r\nTo: "+mailUser+"\r\nSubject: Re: [PP-ZZZZZZ] hi\r\nMessage-ID: <u1@x>\r\nDate: Sun, 22 Nov 2026 09:00:00 +0000\r\n\r\nhello\r\n"), w.clock.T)
	waitFor(t, "two replies", func() bool { st, _ := w.mail.Status(); return st.Pending == 2 })
	list, _ := w.mail.Replies("pending")
	flagged, _ := w.mail.Reply(list[0].ID)
	titles := map[string]bool{}
	for _, f := range flagged.FlagViews {
		titles[f.Flag] = true
		if f.Title == "" || f.Text == "" {
			t.Fatalf("unexplained flag %+v", f)
		}
	}
	for _, f := range []string{"sender_mismatch", "unsigned"} {
		if !titles[f] {
			t.Errorf("flag %s missing: %+v", f, flagged.FlagViews)
		}
	}
	if len(flagged.Unclear) == 0 {
		t.Errorf("\"yes to all\" was not kept as unclear: %+v", flagged)
	}
	unmatched, _ := w.mail.Reply(list[1].ID)
	if unmatched.CanConfirm || unmatched.Kind != "" {
		t.Fatalf("unmatched reply %+v", unmatched)
	}
	if _, err := w.mail.ConfirmConsent(unmatched.ID, service.ConfirmConsentInput{SignerName: "x"}); app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("confirming an unmatched reply: %v", err)
	}
	if _, err := w.mail.Dismiss(unmatched.ID, "deleted", ""); app.ErrorField(err) != "status" {
		t.Fatalf("unknown decision: %v", err)
	}
	if v, err := w.mail.Dismiss(unmatched.ID, "ignored", ""); err != nil || v.Status != "ignored" {
		t.Fatalf("ignore: %+v %v", v, err)
	}
	if v, err := w.mail.Dismiss(flagged.ID, "rejected", "Not from the patient."); err != nil || v.Status != "rejected" || v.Note != "Not from the patient." {
		t.Fatalf("reject: %+v %v", v, err)
	}
	if st, _ := w.mail.Status(); st.Pending != 0 {
		t.Fatalf("still pending: %d", st.Pending)
	}
	if cs, _ := w.consents.List(0); len(cs) != 0 {
		t.Fatalf("dismissed replies made consents: %d", len(cs))
	}
}

func TestTestimonialByEmailBecomesDraftAwaitingConsent(t *testing.T) {
	w := newMailWorld(t)
	w.configure(t)
	w.askAnnForTestimonial(t)
	photo := gpsPhoto(t, 40, 30, 120) // as her phone sent it, with the camera and where it was taken
	enc := func(b []byte) string { return strings.TrimSpace(wrap76(b)) }
	w.srv.deliver(t, replyTo(t, w.srv.messages()[0], "Ann Kerr <ann@example.org>", "t1@x",
		"The whole team was kind and my new crown looks great.\n\nAnn", [3]string{"smile.jpg", "image/jpeg", enc(photo)}), w.clock.T)
	waitFor(t, "the reply", func() bool { st, _ := w.mail.Status(); return st.Pending == 1 })
	list, _ := w.mail.Replies("pending")
	v, err := w.mail.Reply(list[0].ID)
	if err != nil || v.Kind != "testimonial" || len(v.Attachments) != 1 || !v.Attachments[0].IsImage || v.Attachments[0].URL == "" {
		t.Fatalf("reply %+v %v", v, err)
	}
	if _, err := w.mail.ConfirmConsent(v.ID, service.ConfirmConsentInput{SignerName: "Ann"}); app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("a testimonial reply confirmed as consent: %v", err)
	}
	if _, err := w.mail.ConfirmTestimonial(v.ID, service.ConfirmTestimonialInput{Quote: "x", Photos: []string{strings.Repeat("0", 64)}}); app.ErrorField(err) != "photos" {
		t.Fatalf("foreign photo: %v", err)
	}
	done, err := w.mail.ConfirmTestimonial(v.ID, service.ConfirmTestimonialInput{Quote: v.Words, Photos: []string{v.Attachments[0].SHA256}})
	if err != nil || done.TestimonialID == 0 {
		t.Fatalf("confirm: %+v %v", done, err)
	}
	ts, err := w.testims.List()
	if err != nil || len(ts) != 1 {
		t.Fatalf("testimonials %+v %v", ts, err)
	}
	tm := ts[0]
	if tm.Testimonial.ConsentID != 0 || tm.Consent != nil || tm.Testimonial.Source != "email" || len(tm.Testimonial.Media) != 1 ||
		!strings.Contains(tm.Testimonial.Quote, "crown looks great") || tm.Publishable != 0 {
		t.Fatalf("draft %+v", tm)
	}
	// The testimonial's photo has lost its camera and location data; the
	// email keeps the attachment as it came, as evidence.
	db, _ := w.core.DB()
	kept, err := db.Blob(context.Background(), tm.Testimonial.Media[0].SHA256)
	if err != nil || tm.Testimonial.Media[0].SHA256 == v.Attachments[0].SHA256 || tm.Testimonial.Media[0].SHA256 != app.SHA256Hex(kept.Data) {
		t.Fatalf("the testimonial's photo: %s (attachment %s) %v", tm.Testimonial.Media[0].SHA256, v.Attachments[0].SHA256, err)
	}
	if bytes.Contains(kept.Data, latitude) || bytes.Contains(kept.Data, []byte("HarbourCam")) {
		t.Fatal("the testimonial's photo still carries GPS or camera data")
	}
	if orig, err := db.Blob(context.Background(), v.Attachments[0].SHA256); err != nil || !bytes.Equal(orig.Data, photo) {
		t.Fatalf("the attachment as it came is gone: %v", err)
	}
}

func TestMailSendFailureIsRecordedWithTheReason(t *testing.T) {
	w := newMailWorld(t)
	w.configure(t)
	p := w.addPatient(t, service.PatientInput{FullName: "Tom Ray", DateOfBirth: "1970-01-01", Email: "tom@rejected.example"})
	var logged bytes.Buffer
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&logged, nil)))
	_, err := w.mail.SendTestimonialRequest(p.Patient.ID, "")
	service.FormatError(err) // as the bound method's caller does
	slog.SetDefault(prev)
	if app.ErrorCode(err) != app.EINVALID || !strings.Contains(app.ErrorMessage(err), "tom@rejected.example") {
		t.Fatalf("send: %v", err)
	}
	// The manager sees the address; the log file, which may be sent to
	// support, does not, though the server's answer repeats it.
	if !strings.Contains(logged.String(), "code=invalid") || strings.Contains(logged.String(), "rejected.example") || strings.Contains(logged.String(), "Tom Ray") {
		t.Fatalf("the log names the patient or lacks the failure:\n%s", logged.String())
	}
	rs, _ := w.mail.Requests(p.Patient.ID)
	if len(rs) != 1 || rs[0].State != "failed" || rs[0].Error == "" {
		t.Fatalf("requests %+v", rs)
	}
	if _, err := w.mail.SendTestimonialRequest(0, ""); app.ErrorField(err) != "patientId" {
		t.Fatalf("no patient: %v", err)
	}
}

func TestMailWatcherStopsWithTheApp(t *testing.T) {
	w := newMailWorld(t)
	w.configure(t)
	waitFor(t, "watching", func() bool { st, _ := w.mail.Status(); return st.Watching })
	w.core.Stop()
	// Stop waited for the watcher: a reply delivered now is not picked up
	// by anything, and the core reports it is closed.
	if _, err := w.mail.Status(); err == nil {
		t.Fatal("status after stop")
	}
	// A wrong password while running shows up as the status error.
	w2 := newMailWorld(t)
	w2.configure(t)
	if err := w2.secrets.Set(auth.MailboxKey("imap"), "changed elsewhere"); err != nil {
		t.Fatal(err)
	}
	if _, err := w2.mail.SaveSettings(service.MailSettingsInput{Settings: w2.srv.settings()}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the sign-in error", func() bool {
		st, _ := w2.mail.Status()
		return strings.Contains(st.LastError, "did not accept the user name and password")
	})
}

func wrap76(b []byte) string {
	s := base64Std(b)
	var out strings.Builder
	for len(s) > 76 {
		out.WriteString(s[:76] + "\r\n")
		s = s[76:]
	}
	out.WriteString(s)
	return out.String()
}

func base64Std(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

// An emailed request, like one handed over on screen, uses the practice's
// current wording: a form chosen before the wording changed is refused.
func TestEmailedRequestRefusesReplacedWording(t *testing.T) {
	w := newMailWorld(t)
	p := w.addPatient(t, service.PatientInput{FullName: "Ada Quinn", DateOfBirth: "1980-02-03", Email: "ada@example.org"})
	w.configure(t)
	old := w.request(t, p)
	cur, err := w.consents.ConsentWording("GB")
	if err != nil || cur.VersionID != old.TemplateVersion {
		t.Fatalf("request uses %s, current wording %+v %v", old.TemplateVersion, cur, err)
	}
	if _, err := w.consents.SaveConsentWording("GB", cur.Markdown+"\nWe will never use your words to advertise anything but our own care.\n"); err != nil {
		t.Fatal(err)
	}
	_, err = w.mail.SendConsentRequest(service.ConsentMailInput{Request: old})
	if app.ErrorField(err) != "templateVersion" || !strings.Contains(app.ErrorMessage(err), "version 2") {
		t.Fatalf("sending on the replaced wording: %v", err)
	}
	if msgs := w.srv.messages(); len(msgs) != 0 {
		t.Fatalf("%d emails sent on the replaced wording", len(msgs))
	}
	if _, err := w.mail.SendConsentRequest(service.ConsentMailInput{Request: w.request(t, p)}); err != nil {
		t.Fatalf("sending on the current wording: %v", err)
	}
}

// askAnnForTestimonial adds the patient Ann Kerr and emails her a request
// for a testimonial, once the mailbox has synced.
func (w *mailWorld) askAnnForTestimonial(t *testing.T) {
	t.Helper()
	p := w.addPatient(t, service.PatientInput{FullName: "Ann Kerr", DateOfBirth: "1975-03-09", Email: "ann@example.org"})
	if _, err := w.mail.SendTestimonialRequest(p.Patient.ID, ""); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "first sync", func() bool { st, _ := w.mail.Status(); return st.LastSync != "" })
}

// zoesReply is the one reply waiting for review, Zoë Brontë's consent
// reply, with how it answers each scope option, by key.
func zoesReply(t *testing.T, m *service.MailService) (service.ReplyView, map[string]string) {
	t.Helper()
	list, err := m.Replies("pending")
	if err != nil || len(list) != 1 || list[0].Kind != "consent" || list[0].PatientName != "Zoë Brontë" {
		t.Fatalf("queue: %+v %v", list, err)
	}
	v, err := m.Reply(list[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	answers := map[string]string{}
	for _, o := range v.Options {
		answers[o.Key] = o.Answer
	}
	return v, answers
}

// confirmZoe confirms Zoë's emailed reply v with in, as the review screen
// does, and checks the one consent it makes: valid, by email, the reply as
// its evidence, ticking exactly the channels in names.
func (w *mailWorld) confirmZoe(t *testing.T, v service.ReplyView, patientID int64, in service.ConfirmConsentInput) {
	t.Helper()
	done, err := w.mail.ConfirmConsent(v.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	if done.Status != app.ReplyConfirmed || done.ConsentID == 0 || done.CanConfirm {
		t.Fatalf("after confirm %+v", done)
	}
	cs, err := w.consents.List(patientID)
	if err != nil || len(cs) != 1 {
		t.Fatalf("consents %+v %v", cs, err)
	}
	c := cs[0]
	if c.Method != string(app.SignEmail) || c.Status != "valid" || c.ScanURL != v.RawURL || c.Signer.Name != "Zoë Brontë" {
		t.Fatalf("consent %+v", c)
	}
	for _, ch := range c.Channels {
		if ch.Ticked != slices.Contains(in.Channels, app.ConsentChannel(ch.Value)) {
			t.Errorf("channel %s ticked=%v", ch.Value, ch.Ticked)
		}
	}
}

// Every email to a patient passes the one gate, in the transaction that
// records it: a personal note naming another patient, or carrying an
// identifier, is refused on the note with nothing recorded or sent; the
// recipient's own name is theirs to read.
func TestMailGateRefusesANoteNamingAnotherPatient(t *testing.T) {
	w := newMailWorld(t)
	w.configure(t)
	p := w.addPatient(t, service.PatientInput{FullName: "Tom Ray", DateOfBirth: "1970-01-01", Email: "tom@example.com"})
	w.addPatient(t, service.PatientInput{FullName: "Margaret Okafor", DateOfBirth: "1961-04-02", Email: "m@example.com"})
	for note, want := range map[string]string{
		"Margaret Okafor said you were the one to ask!":   "name of one of your patients",
		"Your NHS number 943 476 5919 is on our records.": "NHS number",
	} {
		_, err := w.mail.SendTestimonialRequest(p.Patient.ID, note)
		if app.ErrorCode(err) != app.EINVALID || app.ErrorField(err) != "note" || !strings.Contains(app.ErrorMessage(err), "personal note") {
			t.Fatalf("note %q: %v", note, err)
		}
		if !strings.Contains(app.ErrorMessage(err), "This email was not sent") {
			t.Fatalf("note %q: the message does not say nothing went: %s", note, app.ErrorMessage(err))
		}
		if !strings.Contains(app.ErrorMessage(err), want) {
			t.Fatalf("note %q: %s does not name what it found (%s)", note, app.ErrorMessage(err), want)
		}
	}
	if rs, _ := w.mail.Requests(p.Patient.ID); len(rs) != 0 {
		t.Fatalf("refused emails were recorded: %+v", rs)
	}
	if n := len(w.srv.messages()); n != 0 {
		t.Fatalf("%d refused emails reached the server", n)
	}
	if _, err := w.mail.SendTestimonialRequest(p.Patient.ID, "Tom Ray, thank you for coming in on Tuesday!"); err != nil {
		t.Fatalf("a note naming its own recipient: %v", err)
	}
	if n := len(w.srv.messages()); n != 1 {
		t.Fatalf("%d emails sent, want 1", n)
	}
}

// A patient who asked by email to withdraw is not asked to approve new
// words for the testimonial while the consent is on hold.
func TestMailGateRefusesAQuoteApprovalWhileOnHold(t *testing.T) {
	w := newMailWorld(t)
	w.setPIN(t)
	w.configure(t)
	tv := signedThenEdited(t, w.consentWorld, "The whole team was wonderful.")
	db, err := w.core.DB()
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Tx(context.Background(), func(tx *store.Tx) error {
		return tx.PutHold(context.Background(), tv.Consent.ID, 0, w.clock.Now(), "Please take my photo down.")
	}); err != nil {
		t.Fatal(err)
	}
	_, err = w.mail.SendQuoteApproval(tv.Testimonial.ID)
	if app.ErrorCode(err) != app.EINVALID || !strings.Contains(app.ErrorMessage(err), "on hold") {
		t.Fatalf("asking a patient on hold: %v", err)
	}
	if n := len(w.srv.messages()); n != 0 {
		t.Fatalf("%d emails reached the server", n)
	}
	if err := db.EndHold(context.Background(), tv.Consent.ID, app.HoldReleased, "She meant an old photo, not this testimonial."); err != nil {
		t.Fatal(err)
	}
	if _, err := w.mail.SendQuoteApproval(tv.Testimonial.ID); err != nil {
		t.Fatalf("after the hold was released: %v", err)
	}
	if n := len(w.srv.messages()); n != 1 {
		t.Fatalf("%d emails sent, want 1", n)
	}
}

// Saving the mailbox again keeps the moment it was first connected (the
// first read looks no further back); settings naming another account are
// a new connection, from now.
func TestAnotherMailboxAccountIsConnectedAnew(t *testing.T) {
	w := newMailWorld(t)
	w.configure(t)
	first, _ := w.mail.Settings()
	w.clock.Advance(48 * time.Hour)
	w.configure(t)
	again, _ := w.mail.Settings()
	in := service.MailSettingsInput{Settings: w.srv.settings(), Password: mailPass}
	in.Settings.Username = "reception@harbour.example"
	moved, err := w.mail.SaveSettings(in)
	if err != nil || !again.Settings.ConnectedAt.Equal(first.Settings.ConnectedAt) || !moved.Settings.ConnectedAt.Equal(w.clock.T) {
		t.Fatalf("connected at %v, saved again %v, another account %v (now %v) %v", first.Settings.ConnectedAt, again.Settings.ConnectedAt,
			moved.Settings.ConnectedAt, w.clock.T, err)
	}
}
