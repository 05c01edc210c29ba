package service_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"practicepost/app"
	"practicepost/app/consent"
	"practicepost/app/gate"
	"practicepost/app/guard"
	"practicepost/app/internal/dovecottest"
	"practicepost/app/internal/loopback"
	"practicepost/app/mail"
	"practicepost/app/service"
)

// approvalMailWorld is a mail world whose mailbox is a real Dovecot, with Maud's
// signed testimonial edited beyond typos.
type approvalMailWorld struct {
	*mailWorld
	dc *dovecottest.Server
	tv service.TestimonialView
}

const maudsNewWords = "The whole team was wonderful."

// newApprovalMailWorld starts at the app clock's time, or at start when it
// is set.
func newApprovalMailWorld(t *testing.T, start time.Time) *approvalMailWorld {
	t.Helper()
	w := &approvalMailWorld{mailWorld: newMailWorld(t), dc: dovecottest.Start(t, mailUser)}
	if !start.IsZero() {
		w.clock.T = start
	}
	// Only Dovecot's IDLE news, or "Check for replies", may start a sync.
	w.mail.IdleRefresh = time.Hour
	w.setPIN(t)
	w.tv = signedThenEdited(t, w.consentWorld, maudsNewWords)
	return w
}

// connect saves the practice mailbox: IMAP on Dovecot, SMTP on smtpPort
// (the recording server unless a test wants it down).
func (w *approvalMailWorld) connect(t *testing.T, smtpPort int) {
	t.Helper()
	st := w.srv.settings()
	st.IMAP.Port, st.SMTP.Port = w.dc.Port, smtpPort
	if v, err := w.mail.SaveSettings(service.MailSettingsInput{Settings: st, Password: dovecottest.Password}); err != nil || !v.Configured {
		t.Fatalf("save settings: %+v %v", v, err)
	}
	waitFor(t, "first sync, then IDLE", func() bool { s, _ := w.mail.Status(); return s.Watching && s.LastSync != "" && s.UsingIdle })
}

// send asks Maud by email and returns the email as sent.
func (w *approvalMailWorld) send(t *testing.T) []byte {
	t.Helper()
	before := len(w.srv.messages())
	v, err := w.mail.SendQuoteApproval(w.tv.Testimonial.ID)
	if err != nil {
		t.Fatal(err)
	}
	if v.State != service.EmailApprovalWaiting || v.FirstName != "Maud" || v.Since != w.clock.Now().UTC().Format(time.RFC3339) || v.To != "p@example.com" {
		t.Fatalf("after sending: %+v", v)
	}
	msgs := w.srv.messages()
	if len(msgs) != before+1 {
		t.Fatalf("%d emails sent, want %d", len(msgs), before+1)
	}
	return msgs[len(msgs)-1]
}

// answer delivers a reply to sent into Dovecot and waits for the sync.
func (w *approvalMailWorld) answer(t *testing.T, sent []byte, from, body string) {
	t.Helper()
	w.deliver(t, replyTo(t, sent, from, fmt.Sprintf("r%d@mail.example.org", time.Now().UnixNano()), body), time.Time{})
}

func (w *approvalMailWorld) deliver(t *testing.T, raw []byte, at time.Time) {
	t.Helper()
	w.dc.AppendAt(t, mailUser, "INBOX", raw, at)
	w.syncNow(t)
}

func (w *approvalMailWorld) state(t *testing.T) service.EmailApprovalView {
	t.Helper()
	v, err := w.mail.EmailApproval(w.tv.Testimonial.ID)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// blocked runs the real gate over a Facebook post quoting the testimonial
// and says whether it stops it for the changed words.
func (w *approvalMailWorld) blocked(t *testing.T) bool {
	t.Helper()
	db, err := w.core.DB()
	if err != nil {
		t.Fatal(err)
	}
	now := w.clock.Now()
	res, err := gate.New().Check(context.Background(), db, []gate.Post{{Channel: guard.Facebook,
		Text: "“" + maudsNewWords + "” Maud", Testimonials: []int64{w.tv.Testimonial.ID}}}, now, now)
	if err != nil {
		t.Fatal(err)
	}
	changed := false
	for _, f := range res[0].Report.Findings {
		if f.Kind == guard.KindConsentPrefix+guard.Kind(consent.CodeQuoteChanged) {
			changed = true
		} else if f.Severity == guard.Block {
			t.Fatalf("the post is blocked for another reason: %+v", f)
		}
	}
	tv, err := w.testims.Get(w.tv.Testimonial.ID)
	if err != nil {
		t.Fatal(err)
	}
	if changed != (tv.Publishable == 0) {
		t.Fatalf("the gate (changed words: %v) and the testimonial's card (%d channels) disagree", changed, tv.Publishable)
	}
	return changed
}

// The email route against a real Dovecot, through the bound MailService
// and the SQLite file it writes: the request shows both texts; a yes from
// another address, a yes to a different request, an unclear reply the
// manager declines and a plain no all leave the post blocked; a plain yes
// from the patient's address lets it through, with the reply as evidence.
func TestQuoteApprovalByEmailAgainstDovecot(t *testing.T) {
	w := newApprovalMailWorld(t, time.Time{})
	id := w.tv.Testimonial.ID

	// No mailbox yet: the button says why, and sending is refused.
	if r, err := w.mail.EmailApprovalReady(id); err != nil || r.CanSend || !strings.Contains(r.Reason, "Settings → Mailbox") {
		t.Fatalf("ready without a mailbox: %+v %v", r, err)
	}
	if _, err := w.mail.SendQuoteApproval(id); app.ErrorCode(err) != app.EINVALID || !strings.Contains(app.ErrorMessage(err), "Settings → Mailbox") {
		t.Fatalf("send without a mailbox: %v", err)
	}
	w.connect(t, w.srv.smtpPort)
	if r, err := w.mail.EmailApprovalReady(id); err != nil || !r.CanSend || r.To != "p@example.com" {
		t.Fatalf("ready: %+v %v", r, err)
	}
	if v := w.state(t); v.State != service.EmailApprovalNone {
		t.Fatalf("before sending: %+v", v)
	}
	if !w.blocked(t) {
		t.Fatal("the edited words pass the gate before any approval")
	}

	sent := w.send(t)
	if card, err := w.testims.Get(id); err != nil || card.EmailApproval == nil || card.EmailApproval.State != service.EmailApprovalWaiting {
		t.Fatalf("the card after sending: %+v %v", card.EmailApproval, err)
	}
	asSent, err := mail.ParseMessage(sent, mail.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	h := header(t, sent)
	token := h.Get(mail.RequestHeader)
	for _, want := range []string{"The whole team was kind and my new crown looks great.", maudsNewWords, `"I approve"`, `"I do not approve"`, "[" + token + "]", "more than shortening them"} {
		if !strings.Contains(asSent.Words, want) {
			t.Errorf("the email does not say %q:\n%s", want, asSent.Words)
		}
	}
	if !strings.Contains(asSent.Subject, token) || !strings.Contains(asSent.Subject, "approve") {
		t.Errorf("subject %q", asSent.Subject)
	}

	// A yes from another address does not count, and the manager cannot
	// make it count.
	w.answer(t, sent, "Someone <someone@example.net>", "I approve")
	v := w.state(t)
	if v.State != service.EmailApprovalWaiting || len(v.Notes) != 1 || !strings.Contains(v.Notes[0], "someone@example.net") || !w.blocked(t) {
		t.Fatalf("after a yes from another address: %+v", v)
	}
	replies, _ := w.mail.Replies(app.ReplyPending)
	if len(replies) != 1 {
		t.Fatalf("pending replies %+v", replies)
	}
	if _, err := w.mail.ConfirmQuoteReply(replies[0].ID, "Looks like her"); app.ErrorCode(err) != app.ECONFLICT || !strings.Contains(app.ErrorMessage(err), "address on record") {
		t.Fatalf("confirming a reply from another address: %v", err)
	}
	if rv, err := w.mail.Reply(replies[0].ID); err != nil || rv.CanConfirm {
		t.Fatalf("Email replies offers to confirm an approval reply: %+v %v", rv.CanConfirm, err)
	}

	// A yes to a different request (Maud's reply to a request for a new
	// testimonial) approves nothing.
	if _, err := w.mail.SendTestimonialRequest(w.tv.Testimonial.PatientID, ""); err != nil {
		t.Fatal(err)
	}
	msgs := w.srv.messages()
	w.answer(t, msgs[len(msgs)-1], "Maud Finch <p@example.com>", "Yes")
	if v := w.state(t); v.State != service.EmailApprovalWaiting || !w.blocked(t) {
		t.Fatalf("after a yes to another request: %+v", v)
	}

	// A forged reply: Maud's address, but a reference no request has.
	forged := []byte("From: Maud Finch <p@example.com>\r\nTo: " + mailUser + "\r\nSubject: Re: [PP-ZZZZZZ] approve\r\nMessage-ID: <forged@example.net>\r\n" +
		"Date: Sun, 22 Nov 2026 09:58:00 +0000\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nI approve\r\n")
	w.deliver(t, forged, time.Time{})
	if v := w.state(t); v.State != service.EmailApprovalWaiting || !w.blocked(t) {
		t.Fatalf("after a forged reply: %+v", v)
	}

	// An unclear reply waits for the manager, who declines it.
	w.answer(t, sent, "Maud Finch <p@example.com>", "Yes, but could you put “kind” back instead of “wonderful”?\n\nMaud")
	v = w.state(t)
	if v.State != service.EmailApprovalToRead || v.ReplyID == 0 || !strings.Contains(v.Reply, "put “kind” back") || !w.blocked(t) {
		t.Fatalf("after an unclear reply: %+v", v)
	}
	if _, err := w.mail.ConfirmQuoteReply(v.ReplyID, "  "); app.ErrorField(err) != "how" {
		t.Fatalf("confirming without saying how: %v", err)
	}
	if v, err = w.mail.DeclineQuoteReply(v.ReplyID); err != nil || v.State != service.EmailApprovalDeclined || v.At == "" {
		t.Fatalf("the manager declines: %+v %v", v, err)
	}
	if !w.blocked(t) {
		t.Fatal("declined words pass the gate")
	}

	// Asked again, Maud says no.
	sent = w.send(t)
	w.answer(t, sent, "Maud Finch <p@example.com>", "No thank you.\n\nKind regards\nMaud")
	if v := w.state(t); v.State != service.EmailApprovalDeclined || !strings.Contains(v.Reply, "No thank you") || !w.blocked(t) {
		t.Fatalf("after a plain no: %+v", v)
	}

	// Asked once more, Maud approves from her address: recorded at once.
	sent = w.send(t)
	var quoted strings.Builder
	for _, l := range strings.Split(strings.TrimSpace(mustParse(t, sent).Words), "\n") {
		quoted.WriteString("> " + l + "\n")
	}
	w.answer(t, sent, "Maud Finch <p@example.com>", "I approve.\n\nThanks,\nMaud\n\nOn Sun, 22 Nov 2026 at 10:00, Harbour Dental <"+mailUser+"> wrote:\n"+quoted.String())
	v = w.state(t)
	if v.State != service.EmailApprovalApproved || v.At == "" {
		t.Fatalf("after a plain yes: %+v", v)
	}
	if w.blocked(t) {
		t.Fatal("approved words are still blocked")
	}
	if card, err := w.testims.Get(id); err != nil || card.EmailApproval == nil || card.EmailApproval.State != service.EmailApprovalApproved {
		t.Fatalf("the card after the yes: %+v %v", card.EmailApproval, err)
	}
	db, _ := w.core.DB()
	ev, err := db.QuoteApprovalEvidence(context.Background(), w.tv.Consent.ID)
	if err != nil || len(ev) != 1 || ev[0].ReplyID == 0 || !strings.Contains(ev[0].ShownText, maudsNewWords) {
		t.Fatalf("evidence %+v %v", ev, err)
	}
	r, err := w.mail.Reply(ev[0].ReplyID)
	if err != nil || r.Status != app.ReplyConfirmed || !strings.HasPrefix(r.Words, "I approve.") || r.RawURL == "" {
		t.Fatalf("the evidence reply: %+v %v", r, err)
	}
	// The log says the patient's own answer approved (and the plain no
	// declined), not the manager; the manager declined the unclear reply.
	page, err := service.NewActivityService(w.core).List(0, 200)
	if err != nil {
		t.Fatal(err)
	}
	by := map[string][]string{}
	for _, e := range page.Entries {
		by[e.Action] = append(by[e.Action], e.Actor)
	}
	if a := by["quote.approve"]; len(a) != 1 || a[0] != "patient" {
		t.Fatalf("quote.approve logged by %v", a)
	}
	if a := strings.Join(by["mail.reply.rejected"], ","); !strings.Contains(a, "patient") || !strings.Contains(a, "practice manager") {
		t.Fatalf("rejected replies logged by %v", a)
	}

	// Reading the mailbox again from scratch doubles nothing.
	if err := db.PutSyncState(context.Background(), app.MailSyncState{Mailbox: "INBOX"}); err != nil {
		t.Fatal(err)
	}
	w.syncNow(t)
	if ev, _ := db.QuoteApprovalEvidence(context.Background(), w.tv.Consent.ID); len(ev) != 1 {
		t.Fatalf("%d approvals after a resync", len(ev))
	}
	if _, err := w.mail.SendQuoteApproval(id); app.ErrorCode(err) != app.ECONFLICT {
		t.Fatalf("asking again for approved words: %v", err)
	}
}

func mustParse(t *testing.T, raw []byte) *mail.Parsed {
	t.Helper()
	p, err := mail.ParseMessage(raw, mail.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// An unclear reply counts only once the manager says how they made sure;
// a request past its 30 days takes no reply; a mail server that is down
// leaves nothing waiting.
func TestQuoteApprovalByEmailManagerAndDeadlines(t *testing.T) {
	// Dovecot dates a message no later than the real now, so a reply 31
	// days after a request is only possible for a request sent well before
	// it: this world starts 60 days ago.
	w := newApprovalMailWorld(t, time.Now().UTC().Add(-60*24*time.Hour).Truncate(time.Second))

	// The outgoing server is down: a clear error, no request waiting.
	w.connect(t, loopback.FreePort(t))
	if _, err := w.mail.SendQuoteApproval(w.tv.Testimonial.ID); err == nil {
		t.Fatal("sent through a server that is down")
	}
	if v := w.state(t); v.State != service.EmailApprovalNone || !w.blocked(t) {
		t.Fatalf("after a failed send: %+v", v)
	}
	w.connect(t, w.srv.smtpPort)

	sent := w.send(t)
	w.answer(t, sent, "Maud Finch <p@example.com>", "Hello, that sounds OK I suppose, if you think it is better?")
	v := w.state(t)
	if v.State != service.EmailApprovalToRead || !w.blocked(t) {
		t.Fatalf("after an unclear reply: %+v", v)
	}
	if v, err := w.mail.ConfirmQuoteReply(v.ReplyID, "Phoned Maud on 23 November; she approves the new words."); err != nil || v.State != service.EmailApprovalApproved {
		t.Fatalf("the manager confirms: %+v %v", v, err)
	}
	if w.blocked(t) {
		t.Fatal("words approved on the manager's word are still blocked")
	}
	r, _ := w.mail.Reply(v.ReplyID)
	if r.Status != app.ReplyConfirmed || !strings.Contains(r.Note, "Phoned Maud") {
		t.Fatalf("the reply records how: %+v", r)
	}
	if page, err := service.NewActivityService(w.core).List(0, 200); err != nil || !slices.ContainsFunc(page.Entries, func(e app.AuditEntry) bool {
		return e.Action == "quote.approve" && e.Actor == "practice manager"
	}) {
		t.Fatalf("the manager's approval is not logged as theirs (%v)", err)
	}

	// Edited again: the old approval no longer covers the words; a request
	// left unanswered past 30 days closes, and a yes after it is too late.
	in := service.TestimonialInput{PatientID: w.tv.Testimonial.PatientID, Quote: "The whole team was marvellous.", Source: "in clinic",
		NameAs: app.IdentityFirstName, Media: w.tv.Testimonial.Media}
	if _, err := w.testims.Update(w.tv.Testimonial.ID, in); err != nil {
		t.Fatal(err)
	}
	sentAt := w.clock.Now()
	sent = w.send(t)
	w.clock.Advance(40 * 24 * time.Hour)
	if v := w.state(t); v.State != service.EmailApprovalExpired {
		t.Fatalf("40 days on: %+v", v)
	}
	w.deliver(t, replyTo(t, sent, "Maud Finch <p@example.com>", "late@mail.example.org", "Yes"), sentAt.Add(31*24*time.Hour))
	v = w.state(t)
	if v.State != service.EmailApprovalExpired || len(v.Notes) != 1 || !strings.Contains(v.Notes[0], "after the request closed") {
		t.Fatalf("after a late yes: %+v", v)
	}
	db, _ := w.core.DB()
	if ev, _ := db.QuoteApprovalEvidence(context.Background(), w.tv.Consent.ID); len(ev) != 1 {
		t.Fatalf("%d approvals, want only the manager's first one", len(ev))
	}
}

// A no in withdrawal words puts Maud's consents on hold (as any emailed
// withdrawal does) and counts as declined; it stays on Email replies for
// the manager to settle the withdrawal, and cannot be turned into a yes.
func TestQuoteApprovalByEmailRefusalInWithdrawalWords(t *testing.T) {
	w := newApprovalMailWorld(t, time.Time{})
	w.connect(t, w.srv.smtpPort)
	sent := w.send(t)
	w.answer(t, sent, "Maud Finch <p@example.com>", "Please don't use them")
	v := w.state(t)
	if v.State != service.EmailApprovalDeclined || v.ReplyID == 0 {
		t.Fatalf("after a no in withdrawal words: %+v", v)
	}
	r, err := w.mail.Reply(v.ReplyID)
	if err != nil || r.Status != app.ReplyPending || r.Intent != string(app.IntentWithdrawal) || len(r.Held) != 1 {
		t.Fatalf("the reply: status %s intent %s held %v (%v)", r.Status, r.Intent, r.Held, err)
	}
	if _, err := w.mail.ConfirmQuoteReply(v.ReplyID, "She said yes on the phone"); app.ErrorCode(err) != app.ECONFLICT || !strings.Contains(app.ErrorMessage(err), "withdrawing") {
		t.Fatalf("confirming a withdrawal as an approval: %v", err)
	}
	tv, err := w.testims.Get(w.tv.Testimonial.ID)
	if err != nil || tv.Publishable != 0 {
		t.Fatalf("publishable on %d channels after a withdrawal (%v)", tv.Publishable, err)
	}
}
