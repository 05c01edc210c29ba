package service_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"practicepost/app"
	"practicepost/app/service"
)

// zoeAskedByEmail is a watched mailbox and a consent request emailed to a
// new patient, Zoë; the request is the first message the server holds.
func zoeAskedByEmail(t *testing.T) (*mailWorld, service.PatientView) {
	t.Helper()
	w := newMailWorld(t)
	w.configure(t)
	waitFor(t, "first sync", func() bool { st, _ := w.mail.Status(); return st.Watching && st.LastSync != "" })
	p := w.addPatient(t, service.PatientInput{FullName: "Zoë Brontë", DateOfBirth: "1984-07-21", Email: "zoe@example.org", Ref: "R7"})
	if _, err := w.mail.SendConsentRequest(service.ConsentMailInput{Request: w.request(t, p)}); err != nil {
		t.Fatal(err)
	}
	return w, p
}

// consentByEmail sends a request to a new patient, delivers body as the
// reply and confirms it for Facebook under the first name: the consent and
// the request email it answered.
func consentByEmail(t *testing.T, w *mailWorld, body string) (int64, []byte) {
	t.Helper()
	p := w.addPatient(t, service.PatientInput{FullName: "Zoë Brontë", DateOfBirth: "1984-07-21", Email: "zoe@example.org", Ref: "R7"})
	if _, err := w.mail.SendConsentRequest(service.ConsentMailInput{Request: w.request(t, p)}); err != nil {
		t.Fatal(err)
	}
	msgs := w.srv.messages()
	sent := msgs[len(msgs)-1]
	w.srv.deliver(t, replyTo(t, sent, "Zoë Brontë <zoe@example.org>", "first@mail.example.org", body), w.clock.T)
	waitFor(t, "the answer", func() bool { st, _ := w.mail.Status(); return st.Pending == 1 })
	list, _ := w.mail.Replies("pending")
	done, err := w.mail.ConfirmConsent(list[0].ID, service.ConfirmConsentInput{SignerName: "Zoë Brontë",
		Identity: []app.IdentityElement{app.IdentityFirstName}, Channels: []app.ConsentChannel{app.ChannelFacebook},
		Resolution: service.ResolutionInput{How: "Phoned Zoë", Who: "Sam", When: "22 Nov 2026"}})
	if err != nil || done.ConsentID == 0 {
		t.Fatalf("confirm: %+v %v", done, err)
	}
	return done.ConsentID, sent
}

type holdCalls struct {
	mu    sync.Mutex
	calls [][]int64
}

func (h *holdCalls) hook(_ context.Context, ids []int64) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.calls = append(h.calls, slices.Clone(ids))
}

func (h *holdCalls) all() [][]int64 {
	h.mu.Lock()
	defer h.mu.Unlock()
	return slices.Clone(h.calls)
}

// A later reply in withdrawal words to an answered request puts the consent
// on hold the moment it is recorded (the store's read says so, the queue's
// hook is told, Home lists it), never becomes a consent, and stays until
// the manager releases it with a note or confirms the withdrawal through
// the ordinary revocation.
func TestEmailedWithdrawalHoldsAtOnce(t *testing.T) {
	w := newMailWorld(t)
	calls := &holdCalls{}
	w.mail.OnHold = calls.hook
	w.configure(t)
	waitFor(t, "first sync", func() bool { st, _ := w.mail.Status(); return st.Watching && st.LastSync != "" })
	cid, sent := consentByEmail(t, w, "[x] My first name only\n[x] Facebook\n\nFull name: Zoë Brontë\n")
	ctx := context.Background()
	db, err := w.core.DB()
	if err != nil {
		t.Fatal(err)
	}

	// A thank-you to the answered request needs a look; it holds nothing.
	w.srv.deliver(t, replyTo(t, sent, "Zoë Brontë <zoe@example.org>", "thanks@mail.example.org", "Thanks so much, see you in March!"), w.clock.T)
	waitFor(t, "the thank-you", func() bool { st, _ := w.mail.Status(); return st.Pending == 1 })
	list, _ := w.mail.Replies("pending")
	v, err := w.mail.Reply(list[0].ID)
	if err != nil || v.Intent != "needs_look" || v.CanConfirm || len(v.Held) != 0 {
		t.Fatalf("thank-you: %+v %v", v, err)
	}
	if _, err := w.mail.ConfirmConsent(v.ID, service.ConfirmConsentInput{SignerName: "Zoë Brontë",
		Identity: []app.IdentityElement{app.IdentityFirstName}, Channels: []app.ConsentChannel{app.ChannelFacebook},
		Resolution: service.ResolutionInput{How: "x", Who: "y", When: "z"}}); app.ErrorCode(err) != app.ECONFLICT {
		t.Fatalf("a later reply confirmed as a second consent: %v", err)
	}
	if e, _ := db.Consent(ctx, cid); e.Hold != nil {
		t.Fatalf("held by a thank-you: %+v", e.Hold)
	}
	if _, err := w.mail.Dismiss(v.ID, "ignored", ""); err != nil {
		t.Fatal(err)
	}

	// "Please take it down": on hold at once.
	w.srv.deliver(t, replyTo(t, sent, "Zoë Brontë <zoe@example.org>", "wd1@mail.example.org",
		"Hi, I've changed my mind – please take my photo down.\nThanks, Zoë"), w.clock.T)
	waitFor(t, "the withdrawal", func() bool { st, _ := w.mail.Status(); return st.Pending == 1 })
	e, err := db.Consent(ctx, cid)
	if err != nil || !e.Hold.Active(w.clock.Now()) || e.Hold.ReplyID == 0 || strings.Contains(e.Hold.Reason, "photo") {
		t.Fatalf("hold after the withdrawal: %+v %v", e.Hold, err)
	}
	if got := calls.all(); len(got) != 1 || !slices.Equal(got[0], []int64{cid}) {
		t.Fatalf("queue hook calls %v", got)
	}
	holds, err := w.mail.Holds()
	if err != nil || len(holds) != 1 || holds[0].ConsentID != cid || holds[0].PatientName != "Zoë Brontë" ||
		!strings.Contains(holds[0].Words, "take my photo down") || holds[0].Channels != "Facebook" {
		t.Fatalf("Home's holds: %+v %v", holds, err)
	}
	list, _ = w.mail.Replies("pending")
	v, _ = w.mail.Reply(list[0].ID)
	if v.Intent != "withdrawal" || v.CanConfirm || !slices.Equal(v.Held, []int64{cid}) {
		t.Fatalf("withdrawal reply: intent %s canConfirm %v held %v", v.Intent, v.CanConfirm, v.Held)
	}
	if views, _ := w.consents.List(0); len(views) != 1 || views[0].Status != "on_hold" || !strings.Contains(views[0].StatusText, "on Home") {
		// The consent record is untouched; its status says it is held.
		t.Fatalf("consent list %+v", views)
	}

	// Releasing needs a note; then the hold is over and Home is clear.
	if _, err := w.mail.ReleaseHold(cid, "  "); app.ErrorField(err) != "note" {
		t.Fatalf("release without a note: %v", err)
	}
	if _, err := w.mail.ReleaseHold(cid, "Phoned Zoë: she meant an old photo on the noticeboard."); err != nil {
		t.Fatal(err)
	}
	if _, err := w.mail.ReleaseHold(cid, "again"); app.ErrorCode(err) != app.ECONFLICT {
		t.Fatalf("second release: %v", err)
	}
	if e, _ := db.Consent(ctx, cid); e.Hold == nil || e.Hold.Active(w.clock.Now()) || e.Hold.ReleaseNote == "" {
		t.Fatalf("after release: %+v", e.Hold)
	}
	if holds, _ := w.mail.Holds(); len(holds) != 0 {
		t.Fatalf("Home still lists %+v", holds)
	}
	if views, _ := w.consents.List(0); views[0].Status != "valid" {
		t.Fatalf("after release: %s", views[0].Status)
	}

	// A second withdrawal, in other words and with a typo, holds again;
	// confirming it withdraws the consent through the ordinary revocation.
	if _, err := w.mail.Dismiss(v.ID, "rejected", "handled by phone"); err != nil {
		t.Fatal(err)
	}
	w.srv.deliver(t, replyTo(t, sent, "Zoë Brontë <zoe@example.org>", "wd2@mail.example.org",
		"Sorry to be a pain but I'd like to withdrawl my consent after all."), w.clock.T)
	waitFor(t, "the second withdrawal", func() bool { h, _ := w.mail.Holds(); return len(h) == 1 })
	if _, err := w.consents.Get(cid); err != nil {
		t.Fatal(err)
	}
	res, err := w.mail.ConfirmWithdrawal(cid, "")
	if err != nil || res.Consent.Status != "revoked" || res.Consent.Revocation == nil || res.Consent.Revocation.ReceivedBy != "email" {
		t.Fatalf("confirm withdrawal: %+v %v", res.Consent, err)
	}
	if e, _ := db.Consent(ctx, cid); e.Revocation == nil || e.Hold.Active(w.clock.Now()) {
		t.Fatalf("after confirming: revocation %+v hold %+v", e.Revocation, e.Hold)
	}
	if holds, _ := w.mail.Holds(); len(holds) != 0 {
		t.Fatalf("Home still lists %+v", holds)
	}
	if _, err := w.mail.ConfirmWithdrawal(cid, ""); app.ErrorCode(err) != app.ECONFLICT {
		t.Fatalf("confirming twice: %v", err)
	}
	if got := calls.all(); len(got) != 2 {
		t.Fatalf("queue hook calls %v", got)
	}
}

// A reply the practice's provider says failed DMARC, or sent from another
// address, is flagged and cannot be confirmed until the manager records how
// they verified the sender; a reply referring to no request keeps only its
// header.
func TestEmailSenderChecks(t *testing.T) {
	w := newMailWorld(t)
	st := w.srv.settings()
	st.AuthServID = "mx.harbour.example"
	if _, err := w.mail.SaveSettings(service.MailSettingsInput{Settings: st, Password: mailPass}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "first sync", func() bool { s, _ := w.mail.Status(); return s.Watching && s.LastSync != "" })
	p := w.addPatient(t, service.PatientInput{FullName: "Zoë Brontë", DateOfBirth: "1984-07-21", Email: "zoe@example.org", Ref: "R7"})
	if _, err := w.mail.SendConsentRequest(service.ConsentMailInput{Request: w.request(t, p)}); err != nil {
		t.Fatal(err)
	}
	sent := w.srv.messages()[0]
	body := "[x] My first name only\n[x] Facebook\n\nFull name: Zoë Brontë\n"
	// Spoofed: the provider's own header says DMARC failed; the forger's
	// lower header claims a pass.
	spoof := append([]byte("Authentication-Results: mx.harbour.example; spf=fail smtp.mailfrom=example.org; dkim=none; dmarc=fail header.from=example.org\r\n"+
		"Authentication-Results: mx.harbour.example; spf=pass smtp.mailfrom=example.org; dkim=pass header.d=example.org; dmarc=pass header.from=example.org\r\n"),
		replyTo(t, sent, "Zoë Brontë <zoe@example.org>", "spoof@evil.example", body)...)
	w.srv.deliver(t, spoof, w.clock.T)
	waitFor(t, "the spoofed reply", func() bool { s, _ := w.mail.Status(); return s.Pending == 1 })
	list, _ := w.mail.Replies("pending")
	v, err := w.mail.Reply(list[0].ID)
	if err != nil || !v.NeedsSenderCheck || v.Sender.Verdict != "fail" || !v.Sender.Forged || !slices.Contains(v.Flags, "sender_failed") || !slices.Contains(v.Flags, "forged_auth") {
		t.Fatalf("spoofed reply: %+v %v", v, err)
	}
	in := service.ConfirmConsentInput{SignerName: "Zoë Brontë", Identity: []app.IdentityElement{app.IdentityFirstName},
		Channels: []app.ConsentChannel{app.ChannelFacebook}, Resolution: service.ResolutionInput{How: "Phoned", Who: "Sam", When: "today"}}
	if _, err := w.mail.ConfirmConsent(v.ID, in); app.ErrorField(err) != "senderCheck" {
		t.Fatalf("confirmed without a sender check: %v", err)
	}
	if cs, _ := w.consents.List(0); len(cs) != 0 {
		t.Fatal("a refused confirmation stored a consent")
	}
	in.SenderCheck = "Phoned Zoë on the number in her record; she sent it."
	done, err := w.mail.ConfirmConsent(v.ID, in)
	if err != nil || done.ConsentID == 0 || !strings.Contains(done.Resolution, "number in her record") {
		t.Fatalf("confirm with a sender check: %+v %v", done, err)
	}

	// A reference no request has: the header only, no body, no files.
	unknown := []byte("From: Someone <x@elsewhere.example>\r\nTo: " + mailUser + "\r\nSubject: Re: [PP-QQQQQQ] hello\r\nMessage-ID: <u1@elsewhere.example>\r\n" +
		"Content-Type: text/plain\r\n\r\nSecret words that must not be kept.\r\n")
	w.srv.deliver(t, unknown, w.clock.T)
	waitFor(t, "the unmatched mail", func() bool { s, _ := w.mail.Status(); return s.Pending == 1 })
	list, _ = w.mail.Replies("pending")
	u, err := w.mail.Reply(list[0].ID)
	if err != nil || !u.HeadersOnly || u.Intent != "unmatched" || u.Words != "" || u.CanConfirm {
		t.Fatalf("unmatched: %+v %v", u, err)
	}
	db, _ := w.core.DB()
	blob, err := db.Blob(context.Background(), strings.TrimPrefix(u.RawURL, service.MediaURL("")))
	if err != nil || strings.Contains(string(blob.Data), "Secret words") || !strings.Contains(string(blob.Data), "Subject: Re: [PP-QQQQQQ]") {
		t.Fatalf("kept of the unmatched mail: %q %v", blob.Data, err)
	}
}

// A "yes" confirmed after a later "please don't" is already in is held as
// of that reply: the consent exists, on hold, Home lists it, the withdrawal
// reply names it, and the confirmed reply says why. A withdrawal from
// before the "yes" holds nothing: the later "yes" is the patient's word.
func TestWithdrawalBeforeTheYesIsConfirmedHoldsTheConsent(t *testing.T) {
	yes := "[x] My first name only\n[x] Facebook\n\nFull name: Zoë Brontë\n"
	confirm := service.ConfirmConsentInput{SignerName: "Zoë Brontë", Identity: []app.IdentityElement{app.IdentityFirstName},
		Channels: []app.ConsentChannel{app.ChannelFacebook}, Resolution: service.ResolutionInput{How: "Phoned Zoë", Who: "Sam", When: "22 Nov 2026"}}
	for _, tc := range []struct {
		name     string
		bodies   []string
		confirm  int // which reply, in arrival order, is the "yes"
		wantHeld bool
	}{
		{"withdrawal after the yes", []string{yes, "Sorry, I've changed my mind. Please don't use my photo."}, 0, true},
		{"withdrawal before the yes", []string{"Sorry, I've changed my mind. Please don't use my photo.", "Sorry for the muddle, happy after all.\n\n" + yes}, 1, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w, _ := zoeAskedByEmail(t)
			sent := w.srv.messages()[0]
			for i, body := range tc.bodies {
				w.srv.deliver(t, replyTo(t, sent, "Zoë Brontë <zoe@example.org>", fmt.Sprintf("r%d@mail.example.org", i), body), w.clock.T)
				w.clock.Advance(time.Hour)
				waitFor(t, "the reply", func() bool { st, _ := w.mail.Status(); return st.Pending == i+1 })
			}
			list, _ := w.mail.Replies("pending") // oldest first
			done, err := w.mail.ConfirmConsent(list[tc.confirm].ID, confirm)
			if err != nil || done.ConsentID == 0 {
				t.Fatalf("confirm: %+v %v", done, err)
			}
			views, _ := w.consents.List(0)
			holds, _ := w.mail.Holds()
			other, _ := w.mail.Reply(list[1-tc.confirm].ID)
			noted := slices.ContainsFunc(done.Notes, func(n string) bool { return strings.Contains(n, "since replied in words that read as a withdrawal") })
			if !tc.wantHeld {
				if len(views) != 1 || views[0].Status != "valid" || len(holds) != 0 || len(other.Held) != 0 || noted {
					t.Fatalf("held by a withdrawal the later yes answered: %+v holds %+v withdrawal held %v notes %q", views, holds, other.Held, done.Notes)
				}
				return
			}
			if len(views) != 1 || views[0].Status != "on_hold" {
				t.Fatalf("consent after a later withdrawal: %+v", views)
			}
			if len(holds) != 1 || holds[0].ConsentID != done.ConsentID || !strings.Contains(holds[0].Words, "don't use my photo") {
				t.Fatalf("Home's holds: %+v", holds)
			}
			if !slices.Equal(other.Held, []int64{done.ConsentID}) || !noted {
				t.Fatalf("withdrawal reply held %v; confirmed reply notes %q", other.Held, done.Notes)
			}
		})
	}
}

// A reply is signed on the practice's words the email showed: settings
// changed after sending (who may use the material, how to withdraw, how
// fast content comes down) do not enter a consent the patient never saw.
func TestEmailedConsentIsSignedOnTheTermsTheEmailShowed(t *testing.T) {
	w, _ := zoeAskedByEmail(t)
	su, err := w.consents.Setup()
	if err != nil {
		t.Fatal(err)
	}
	before := su.Settings // what the email showed
	sent := w.srv.messages()[0]
	after := before
	after.AuthorisedUsers = "Harbour Dental and Acme Growth Marketing Ltd"
	after.WithdrawalMethod = "write to our head office in Swindon"
	after.RemovalDays = 29
	if _, err := w.consents.SaveSettings(after); err != nil {
		t.Fatal(err)
	}
	w.srv.deliver(t, replyTo(t, sent, "Zoë Brontë <zoe@example.org>", "yes@mail.example.org", "[x] My first name only\n[x] Facebook\n\nFull name: Zoë Brontë\n"), w.clock.T)
	waitFor(t, "the answer", func() bool { st, _ := w.mail.Status(); return st.Pending == 1 })
	list, _ := w.mail.Replies("pending")
	done, err := w.mail.ConfirmConsent(list[0].ID, service.ConfirmConsentInput{SignerName: "Zoë Brontë",
		Identity: []app.IdentityElement{app.IdentityFirstName}, Channels: []app.ConsentChannel{app.ChannelFacebook},
		Resolution: service.ResolutionInput{How: "Phoned Zoë", Who: "Sam", When: "22 Nov 2026"}})
	if err != nil {
		t.Fatal(err)
	}
	db, err := w.core.DB()
	if err != nil {
		t.Fatal(err)
	}
	e, err := db.Consent(context.Background(), done.ConsentID)
	if err != nil {
		t.Fatal(err)
	}
	for _, later := range []string{"Acme", "Swindon", "29 days"} {
		if strings.Contains(e.Consent.Text, later) {
			t.Errorf("the signed text has %q, set after the email was sent", later)
		}
	}
	if !strings.Contains(e.Consent.Text, fmt.Sprintf("within %d days", max(before.RemovalDays, 7))) {
		t.Errorf("the signed text does not keep the removal promise the email made:\n%s", e.Consent.Text)
	}
}

// The name a consent is signed with is the one the reply gives. A reply
// with no name, or another name, needs the manager to say how they
// confirmed the name, and the evidence keeps both.
func TestEmailedConsentIsSignedWithTheRepliesName(t *testing.T) {
	boxes := "[x] My first name only\n[x] Facebook\n\n"
	for _, tc := range []struct {
		name, body, signer string
		wantField          string // refused without a name check, on this field
	}{
		{"unsigned", boxes, "Zoë Brontë", "nameCheck"},
		{"another name", boxes + "Full name: Sarah Brontë\n", "Sarah Brontë", "nameCheck"},
		{"the manager's name over the reply's", boxes + "Full name: Sarah Brontë\n", "Zoë Brontë", "signerName"},
		{"the patient's name", boxes + "Full name: Zoe Bronte\n", "Zoë Brontë", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w, _ := zoeAskedByEmail(t)
			w.srv.deliver(t, replyTo(t, w.srv.messages()[0], "Zoë Brontë <zoe@example.org>", "n@mail.example.org", tc.body), w.clock.T)
			waitFor(t, "the answer", func() bool { st, _ := w.mail.Status(); return st.Pending == 1 })
			list, _ := w.mail.Replies("pending")
			v, _ := w.mail.Reply(list[0].ID)
			in := service.ConfirmConsentInput{SignerName: tc.signer, Identity: []app.IdentityElement{app.IdentityFirstName},
				Channels: []app.ConsentChannel{app.ChannelFacebook}, Resolution: service.ResolutionInput{How: "Phoned Zoë", Who: "Sam", When: "22 Nov 2026"}}
			if v.NeedsNameCheck != (tc.wantField != "") {
				t.Fatalf("needs a name check: %v (flags %v, typed %q)", v.NeedsNameCheck, v.Flags, v.TypedName)
			}
			if tc.wantField != "" {
				if _, err := w.mail.ConfirmConsent(v.ID, in); app.ErrorField(err) != tc.wantField {
					t.Fatalf("confirmed without its check: %v", err)
				}
				if tc.wantField == "signerName" {
					return
				}
				in.NameCheck = "Phoned Zoë on her usual number; she signs as " + tc.signer
			}
			done, err := w.mail.ConfirmConsent(v.ID, in)
			if err != nil {
				t.Fatal(err)
			}
			db, _ := w.core.DB()
			e, err := db.Consent(context.Background(), done.ConsentID)
			if err != nil || e.Consent.Signature.TypedName != tc.signer {
				t.Fatalf("signed as %q: %v", e.Consent.Signature.TypedName, err)
			}
			if tc.wantField == "nameCheck" && (!strings.Contains(done.Resolution, `"nameCheck":"Phoned Zoë`) ||
				strings.Contains(tc.body, "Sarah") != strings.Contains(done.Resolution, `"nameTyped":"Sarah Brontë"`)) {
				t.Fatalf("evidence %s", done.Resolution)
			}
		})
	}
}

// A patient who signed on screen, and was never emailed a request, writes
// from their address on record to withdraw: the consent is held at once,
// as the form promised, and the reply names them. Ordinary mail from them
// is not kept.
func TestWithdrawalEmailFromAPatientWhoSignedOnScreen(t *testing.T) {
	w := newMailWorld(t)
	w.setPIN(t)
	p := w.patient(t, "Maud Finch", "1962-02-03") // email p@example.com
	cid := signOnScreen(t, w.consentWorld, w.request(t, p), facebookFirstName)
	w.configure(t)
	waitFor(t, "first sync", func() bool { st, _ := w.mail.Status(); return st.Watching && st.LastSync != "" })
	msg := func(id, words string) []byte {
		return []byte("From: Maud Finch <p@example.com>\r\nTo: " + mailUser + "\r\nSubject: My consent\r\nMessage-ID: <" + id + "@example.com>\r\n" +
			"Date: Sun, 22 Nov 2026 10:30:00 +0000\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + words + "\r\n")
	}
	w.srv.deliver(t, msg("hello", "Thanks for the lovely chat on Tuesday, see you next month."), w.clock.T)
	w.srv.deliver(t, msg("wd", "I withdraw my consent. Please stop using my photo and testimonial."), w.clock.T)
	waitFor(t, "the withdrawal", func() bool { st, _ := w.mail.Status(); return st.Pending == 1 })
	holds, err := w.mail.Holds()
	if err != nil || len(holds) != 1 || holds[0].ConsentID != cid || holds[0].PatientName != "Maud Finch" || !strings.Contains(holds[0].Words, "withdraw my consent") {
		t.Fatalf("Home's holds: %+v %v", holds, err)
	}
	list, _ := w.mail.Replies("pending")
	v, err := w.mail.Reply(list[0].ID)
	if err != nil || v.Intent != "withdrawal" || v.CanConfirm || v.PatientID != p.Patient.ID || v.RecordName != "Maud Finch" || !slices.Equal(v.Held, []int64{cid}) ||
		!slices.ContainsFunc(v.Notes, func(n string) bool { return strings.Contains(n, "address on record for Maud Finch") }) {
		t.Fatalf("the withdrawal reply: %+v %v", v, err)
	}
	if views, _ := w.consents.List(p.Patient.ID); len(views) != 1 || views[0].Status != "on_hold" {
		t.Fatalf("consent %+v", views)
	}
}

// dsn is the patient's mail server returning sent, as Postfix does: a
// delivery report for the address, with the original message's headers.
func dsn(sent []byte, id, action, status, to string) []byte {
	hdr, _, _ := strings.Cut(strings.ReplaceAll(string(sent), "\r\n", "\n"), "\n\n")
	return []byte(strings.ReplaceAll("From: MAILER-DAEMON@mx.example.org (Mail Delivery System)\n"+
		"To: "+mailUser+"\nSubject: Undelivered Mail Returned to Sender\nMessage-ID: <"+id+"@mx.example.org>\n"+
		"Date: Sun, 22 Nov 2026 10:05:00 +0000\nAuto-Submitted: auto-replied\nMIME-Version: 1.0\n"+
		"Content-Type: multipart/report; report-type=delivery-status; boundary=\"b1\"\n\n"+
		"--b1\nContent-Type: text/plain; charset=us-ascii\n\nI'm sorry to have to inform you that your message could not be delivered.\n\n"+
		"--b1\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.org\n\n"+
		"Final-Recipient: rfc822; "+to+"\nAction: "+action+"\nStatus: "+status+"\n"+
		"Diagnostic-Code: smtp; 550 5.1.1 <"+to+">: Recipient address rejected: User unknown\n\n"+
		"--b1\nContent-Type: text/rfc822-headers\n\n"+hdr+"\n--b1--\n", "\n", "\r\n"))
}

// A request the patient's mail server returns is marked as come back, with
// why and what to do, and nothing waits for review; a delay report, or a
// report about another address, changes nothing.
func TestReturnedRequestIsMarkedUndelivered(t *testing.T) {
	w, p := zoeAskedByEmail(t)
	sent := w.srv.messages()[0]
	state := func() service.MailRequestView {
		rs, err := w.mail.Requests(p.Patient.ID)
		if err != nil || len(rs) != 1 {
			t.Fatalf("requests %+v %v", rs, err)
		}
		return rs[0]
	}
	w.srv.deliver(t, dsn(sent, "d1", "delayed", "4.4.1", "zoe@example.org"), w.clock.T)
	w.srv.deliver(t, dsn(sent, "d2", "failed", "5.1.1", "someone.else@example.org"), w.clock.T)
	w.srv.deliver(t, dsn(sent, "d3", "failed", "5.1.1", "zoe@example.org"), w.clock.T)
	waitFor(t, "the request marked", func() bool { return state().State == "failed" })
	r := state()
	if r.StateText != "Came back undelivered" || !strings.Contains(r.Error, "the address does not exist") ||
		!strings.Contains(r.Error, "zoe@example.org") || !strings.Contains(r.Error, "550 5.1.1") || !strings.Contains(r.Error, "send the request again") {
		t.Fatalf("request %+v", r)
	}
	if st, _ := w.mail.Status(); st.Pending != 0 {
		t.Fatalf("%d replies wait for review", st.Pending)
	}
	if ignored, _ := w.mail.Replies("ignored"); len(ignored) != 1 || ignored[0].Intent != "bounced" {
		t.Fatalf("the returned email is not kept, set aside: %+v", ignored)
	}
}

// A paper form signed before the patient emailed, from their address on
// record, to withdraw, and recorded only after that email, is held as of
// the email: had it been recorded in time, the email would have held it.
// Another patient's paper form is not held by it.
func TestPaperFormRecordedAfterAWithdrawalEmailIsHeld(t *testing.T) {
	w := newMailWorld(t)
	p := w.patient(t, "Ruth Adams", "1950-06-07") // email p@example.com
	other := w.addPatient(t, service.PatientInput{FullName: "Ida Lowe", DateOfBirth: "1970-01-01", Email: "ida@example.org"})
	w.configure(t)
	waitFor(t, "first sync", func() bool { st, _ := w.mail.Status(); return st.Watching && st.LastSync != "" })
	w.srv.deliver(t, []byte("From: Ruth Adams <p@example.com>\r\nTo: "+mailUser+"\r\nSubject: My photos\r\nMessage-ID: <wd@example.com>\r\n"+
		"Date: Sun, 22 Nov 2026 10:30:00 +0000\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nI withdraw my consent, please don't use my photos.\r\n"), w.clock.T)
	waitFor(t, "the withdrawal", func() bool { st, _ := w.mail.Status(); return st.Pending == 1 })

	pdf := base64.StdEncoding.EncodeToString([]byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"))
	paper := func(pv service.PatientView, name string) service.ConsentView {
		cv, err := w.consents.RecordPaper(service.PaperInput{Request: w.request(t, pv), SignedOn: "2026-11-20", ScanFileName: "scan.pdf", ScanBase64: pdf,
			Draft: service.SigningDraft{Identity: []app.IdentityElement{app.IdentityFirstName}, Channels: []app.ConsentChannel{app.ChannelWebsite}, SignerName: name}})
		if err != nil {
			t.Fatal(err)
		}
		return cv
	}
	w.clock.Advance(time.Hour)
	if cv := paper(p, "Ruth Adams"); cv.Status != "on_hold" {
		t.Fatalf("Ruth's paper form after her withdrawal email: %s", cv.Status)
	}
	if cv := paper(other, "Ida Lowe"); cv.Status != "valid" {
		t.Fatalf("Ida's paper form: %s", cv.Status)
	}
}
