package store_test

import (
	"strings"
	"testing"
	"time"

	"practicepost/app"
	"practicepost/app/mail"
	"practicepost/app/store"
)

var _ mail.Store = (*store.DB)(nil)

func newMailRequest(t *testing.T, db *store.DB, p app.Patient, kind app.RequestKind) app.MailRequest {
	t.Helper()
	tok := app.NewToken()
	r, err := db.CreateMailRequest(ctx, app.MailRequest{Token: tok, Kind: kind, PatientID: p.ID, PatientName: p.FullName,
		PatientEmail: p.Email, MessageID: tok + ".1@quay.example",
		Scope:  []app.ScopeOption{{Key: "facebook", Label: "Facebook"}, {Key: "first_name", Label: "My first name only"}},
		Detail: `{"templateVersion":"uk-gdpr-explicit@1"}`}, []byte("Subject: ["+tok+"] hello\r\n\r\nbody\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestMailRequestRecordedBeforeSendAndMatchedByToken(t *testing.T) {
	db := MustOpenDB(t)
	p := addPatient(t, db, "Zoë Brontë")
	r := newMailRequest(t, db, p, app.KindConsent)
	if r.ID == 0 || r.State != app.MailSending || r.SentSHA256 == "" {
		t.Fatalf("created %+v", r)
	}
	// A request still 'sending' (a crash before the server answered) is matched.
	got, ok, err := db.RequestByToken(ctx, r.Token)
	if err != nil || !ok {
		t.Fatalf("by token: %v %v", ok, err)
	}
	if got.Ref != "1" || got.PatientName != "Zoë Brontë" || got.PatientEmail != "pat@example.com" || len(got.Scope) != 2 || got.Kind != app.KindConsent {
		t.Fatalf("sent request %+v", got)
	}
	if _, ok, err := db.RequestByToken(ctx, "PP-000000"); ok || err != nil {
		t.Fatalf("unknown token: ok=%v err=%v", ok, err)
	}
	blob, err := db.Blob(ctx, r.SentSHA256)
	if err != nil || !strings.Contains(string(blob.Data), r.Token) || blob.MIME != "message/rfc822" {
		t.Fatalf("sent copy: %v %q", err, blob.Data)
	}

	sent, err := db.MarkMailRequest(ctx, r.ID, app.MailSent, "")
	if err != nil || sent.State != app.MailSent || sent.SentAt.IsZero() {
		t.Fatalf("mark sent: %+v %v", sent, err)
	}
	if _, err := db.MarkMailRequest(ctx, r.ID, app.MailFailed, "x"); app.ErrorCode(err) != app.ECONFLICT {
		t.Fatalf("failing a sent request: %v", err)
	}
	list, err := db.ListMailRequests(ctx, p.ID, 10)
	if err != nil || len(list) != 1 || list[0].Detail != `{"templateVersion":"uk-gdpr-explicit@1"}` {
		t.Fatalf("list: %+v %v", list, err)
	}
	if other, _ := db.ListMailRequests(ctx, p.ID+1, 10); len(other) != 0 {
		t.Fatalf("other patient's list: %+v", other)
	}
}

func TestMailRequestRefusals(t *testing.T) {
	db := MustOpenDB(t)
	p := addPatient(t, db, "Sam Lee")
	base := app.MailRequest{Token: app.NewToken(), Kind: app.KindConsent, PatientID: p.ID, PatientName: p.FullName, PatientEmail: p.Email, MessageID: "m@x"}
	cases := []struct {
		name string
		edit func(*app.MailRequest)
		raw  []byte
		code string
	}{
		{"bad token", func(r *app.MailRequest) { r.Token = "PP-12" }, []byte("x"), app.EINTERNAL},
		{"no email", func(*app.MailRequest) {}, nil, app.EINTERNAL},
		{"unknown patient", func(r *app.MailRequest) { r.PatientID = 999 }, []byte("x"), app.ENOTFOUND},
		{"unknown kind", func(r *app.MailRequest) { r.Kind = "survey" }, []byte("x"), app.EINTERNAL},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := base
			c.edit(&r)
			if _, err := db.CreateMailRequest(ctx, r, c.raw); app.ErrorCode(err) != c.code {
				t.Fatalf("want %s, got %v", c.code, err)
			}
		})
	}
	if _, err := db.CreateMailRequest(ctx, base, []byte("x")); err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateMailRequest(ctx, base, []byte("y")); app.ErrorCode(err) != app.ECONFLICT {
		t.Fatalf("duplicate token: %v", err)
	}
	if list, _ := db.ListMailRequests(ctx, 0, 10); len(list) != 1 {
		t.Fatalf("refused requests were stored: %d", len(list))
	}
	if _, err := db.MarkMailRequest(ctx, 77, app.MailSent, ""); app.ErrorCode(err) != app.ECONFLICT {
		t.Fatalf("marking a missing request: %v", err)
	}
}

func TestSyncStateRoundTripAndDefault(t *testing.T) {
	db := MustOpenDB(t)
	st, err := db.GetSyncState(ctx, "INBOX")
	if err != nil || st.Mailbox != "INBOX" || st.UIDValidity != 0 || st.LastUID != 0 {
		t.Fatalf("fresh: %+v %v", st, err)
	}
	want := app.MailSyncState{Mailbox: "INBOX", UIDValidity: 7, LastUID: 42, LastSync: time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC),
		LastError: "", Counts: app.MailCounts{Recorded: 3, Duplicates: 1, Ignored: 2, Resyncs: 1}}
	if err := db.PutSyncState(ctx, want); err != nil {
		t.Fatal(err)
	}
	want.LastUID = 43
	if err := db.PutSyncState(ctx, want); err != nil {
		t.Fatal(err)
	}
	got, err := db.GetSyncState(ctx, "INBOX")
	if err != nil || got.LastUID != 43 || got.UIDValidity != 7 || got.Counts != want.Counts || !got.LastSync.Equal(want.LastSync) {
		t.Fatalf("got %+v %v", got, err)
	}
	if other, _ := db.GetSyncState(ctx, "Archive"); other.LastUID != 0 {
		t.Fatalf("other mailbox shares state: %+v", other)
	}
}

func reviewItem(r app.MailRequest, key, words string) app.ReviewItem {
	return app.ReviewItem{Key: key, Mailbox: "INBOX", UIDValidity: 7, UID: 3, MessageID: strings.TrimPrefix(key, "mid:"),
		RequestRef: r.Sent().Ref, RequestToken: r.Token, RequestKind: r.Kind, FromName: r.PatientName, FromAddress: r.PatientEmail,
		Subject: "Re: [" + r.Token + "]", ReceivedAt: time.Date(2026, 11, 21, 18, 0, 0, 0, time.UTC), Words: words, TypedName: "Zoë Brontë",
		Scope: app.ScopeReading{Agreed: []string{"facebook"}}, Flags: []app.ReplyFlag{app.FlagSenderMismatch},
		Attachments: []app.MailAttachment{{Filename: "form.pdf", ContentType: "application/pdf", Size: 9, Data: []byte("%PDF-1.4 x")}},
		Raw:         []byte("Message-ID: <" + key + ">\r\n\r\n" + words)}
}

func TestRecordReplyIdempotentWithFilesAndIDOnlyAudit(t *testing.T) {
	db := MustOpenDB(t)
	p := addPatient(t, db, "Zoë Brontë")
	r := newMailRequest(t, db, p, app.KindConsent)
	it := reviewItem(r, "mid:a1@mail.example", "Yes to Facebook. Secret words about my knee.")
	created, err := db.RecordReply(ctx, it)
	if err != nil || !created.Created {
		t.Fatalf("first record: %v %v", created, err)
	}
	created, err = db.RecordReply(ctx, it)
	if err != nil || created.Created {
		t.Fatalf("second record of the same message: created=%v err=%v", created, err)
	}

	// Durable across a reopen, and still not recorded twice.
	db = reopen(t, db)
	if created, _ := db.RecordReply(ctx, it); created.Created {
		t.Fatal("recorded again after reopening")
	}
	list, err := db.ListMailReplies(ctx, app.ReplyPending, 10)
	if err != nil || len(list) != 1 {
		t.Fatalf("pending: %+v %v", list, err)
	}
	got := list[0]
	if got.RequestID != r.ID || got.Item.Words != it.Words || got.Item.TypedName != "Zoë Brontë" || !got.Item.HasFlag(app.FlagSenderMismatch) ||
		len(got.Item.Scope.Agreed) != 1 || !got.ReceivedAt.Equal(it.ReceivedAt) {
		t.Fatalf("stored reply %+v", got)
	}
	if len(got.Item.Raw) != 0 || len(got.Item.Attachments[0].Data) != 0 {
		t.Fatal("bytes were kept inside the review row instead of as files")
	}
	raw, err := db.Blob(ctx, got.RawSHA256)
	if err != nil || string(raw.Data) != string(it.Raw) {
		t.Fatalf("raw evidence: %v", err)
	}
	att, err := db.Blob(ctx, got.Item.Attachments[0].SHA256)
	if err != nil || string(att.Data) != "%PDF-1.4 x" || att.MIME != "application/pdf" {
		t.Fatalf("attachment: %v %+v", err, att)
	}
	if n, _ := db.CountMailReplies(ctx, app.ReplyPending); n != 1 {
		t.Fatalf("count %d", n)
	}

	page, err := db.ListAudit(ctx, 50, 0)
	if err != nil {
		t.Fatal(err)
	}
	receives := 0
	for _, e := range page.Entries {
		all := e.Subject + " " + strings.Join(values(e.Detail), " ")
		for _, secret := range []string{"Zoë", "knee", "pat@example.com", r.Token} {
			if strings.Contains(all, secret) {
				t.Fatalf("audit entry %s carries %q: %s", e.Action, secret, all)
			}
		}
		if e.Action == "mail.reply.receive" {
			receives++
		}
	}
	if receives != 1 {
		t.Fatalf("%d receive entries, want 1", receives)
	}
}

func TestRecordReplyWithoutRequestAndUnknownRef(t *testing.T) {
	db := MustOpenDB(t)
	it := app.ReviewItem{Key: "sha256:ab", Mailbox: "INBOX", RequestRef: "41", Flags: []app.ReplyFlag{app.FlagNoMatchingRequest}, Raw: []byte("x")}
	if created, err := db.RecordReply(ctx, it); err != nil || !created.Created {
		t.Fatalf("record: %v %v", created, err)
	}
	got, err := db.MailReply(ctx, 1)
	if err != nil || got.RequestID != 0 || got.Status != app.ReplyPending {
		t.Fatalf("got %+v %v", got, err)
	}
	if _, err := db.RecordReply(ctx, app.ReviewItem{Key: "", Raw: []byte("x")}); err == nil {
		t.Fatal("a reply without key was accepted")
	}
	if _, err := db.MailReply(ctx, 99); app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatalf("missing reply: %v", err)
	}
}

func TestDecisionsHappenOnce(t *testing.T) {
	db := MustOpenDB(t)
	p := addPatient(t, db, "Zoë Brontë")
	r := newMailRequest(t, db, p, app.KindConsent)
	for i, k := range []string{"mid:1@x", "mid:2@x", "mid:3@x"} {
		it := reviewItem(r, k, "reply "+k)
		it.Raw = []byte("Message-ID: <" + k + ">\r\n\r\nreply")
		it.ReceivedAt = it.ReceivedAt.Add(time.Duration(i) * time.Minute)
		if _, err := db.RecordReply(ctx, it); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.DismissMailReply(ctx, 1, app.ReplyRejected, "patient said no"); err != nil {
		t.Fatal(err)
	}
	if err := db.DismissMailReply(ctx, 1, app.ReplyIgnored, ""); app.ErrorCode(err) != app.ECONFLICT {
		t.Fatalf("second decision: %v", err)
	}
	if err := db.DismissMailReply(ctx, 2, "confirmed", ""); app.ErrorCode(err) != app.EINTERNAL {
		t.Fatalf("confirm through dismiss: %v", err)
	}
	if err := db.DismissMailReply(ctx, 2, app.ReplyIgnored, ""); err != nil {
		t.Fatal(err)
	}

	// Confirming: the consent is stored first, then linked; the evidence
	// lookup finds it again after a crash between the two steps.
	c := signed(t, db, p, nil, app.ChannelFacebook)
	c.Method = app.SignEmail
	raw, err := db.MailReply(ctx, 3)
	if err != nil {
		t.Fatal(err)
	}
	if _, found, _ := db.ConsentByEvidence(ctx, raw.RawSHA256); found {
		t.Fatal("evidence found before any consent")
	}
	blob, _ := db.Blob(ctx, raw.RawSHA256)
	c.Signature = app.Signature{TypedName: "Zoë Brontë", ScanSHA256: raw.RawSHA256}
	c.EvidenceHash = "recomputed-by-consent-package"
	e, err := db.InsertConsent(ctx, app.NewConsent{Consent: c, Scan: blob.Data, ScanMIME: "message/rfc822", PDF: []byte("%PDF-1.4")})
	if err != nil {
		t.Fatal(err)
	}
	id, found, err := db.ConsentByEvidence(ctx, raw.RawSHA256)
	if err != nil || !found || id != e.Consent.ID {
		t.Fatalf("by evidence: %d %v %v", id, found, err)
	}
	if err := db.LinkReplyConsent(ctx, 3, e.Consent.ID); err != nil {
		t.Fatal(err)
	}
	if err := db.LinkReplyConsent(ctx, 3, e.Consent.ID); app.ErrorCode(err) != app.ECONFLICT {
		t.Fatalf("second link: %v", err)
	}
	got, _ := db.MailReply(ctx, 3)
	if got.Status != app.ReplyConfirmed || got.ConsentID != e.Consent.ID || got.DecidedAt.IsZero() {
		t.Fatalf("confirmed reply %+v", got)
	}
	req, _ := db.MailRequest(ctx, r.ID)
	if req.State != app.MailAnswered {
		t.Fatalf("request state %s", req.State)
	}
	if n, _ := db.CountMailReplies(ctx, app.ReplyPending); n != 0 {
		t.Fatalf("%d still pending", n)
	}
	all, _ := db.ListMailReplies(ctx, "", 10)
	if len(all) != 3 || all[0].ID != 3 {
		t.Fatalf("all replies newest first: %+v", all)
	}
}

func TestConfirmReplyTestimonialIsAtomic(t *testing.T) {
	db := MustOpenDB(t)
	p := addPatient(t, db, "Sam Lee")
	r := newMailRequest(t, db, p, app.KindTestimonial)
	if _, err := db.RecordReply(ctx, reviewItem(r, "mid:t@x", "The team was lovely.")); err != nil {
		t.Fatal(err)
	}
	// A testimonial for a patient that does not exist fails, and the reply stays pending.
	if _, err := db.ConfirmReplyTestimonial(ctx, 1, app.Testimonial{PatientID: 999, Quote: "x", NameAs: app.IdentityAnonymous}); err == nil {
		t.Fatal("testimonial for a missing patient was stored")
	}
	if got, _ := db.MailReply(ctx, 1); got.Status != app.ReplyPending {
		t.Fatalf("reply changed by a failed confirmation: %s", got.Status)
	}
	if ts, _ := db.ListTestimonials(ctx); len(ts) != 0 {
		t.Fatalf("half-stored testimonial: %+v", ts)
	}
	tm, err := db.ConfirmReplyTestimonial(ctx, 1, app.Testimonial{PatientID: p.ID, Quote: "The team was lovely.", Source: "email", NameAs: app.IdentityAnonymous})
	if err != nil || tm.ID == 0 || tm.ConsentID != 0 {
		t.Fatalf("confirm: %+v %v", tm, err)
	}
	got, _ := db.MailReply(ctx, 1)
	if got.Status != app.ReplyConfirmed || got.TestimonialID != tm.ID {
		t.Fatalf("reply %+v", got)
	}
	if _, err := db.ConfirmReplyTestimonial(ctx, 1, app.Testimonial{PatientID: p.ID, Quote: "again", NameAs: app.IdentityAnonymous}); app.ErrorCode(err) != app.ECONFLICT {
		t.Fatalf("second confirm: %v", err)
	}
	if ts, _ := db.ListTestimonials(ctx); len(ts) != 1 {
		t.Fatalf("%d testimonials, want 1", len(ts))
	}
}
