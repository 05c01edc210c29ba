package service

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/signintech/gopdf"

	"practicepost/app"
	"practicepost/app/auth"
	"practicepost/app/consent"
	"practicepost/app/mail"
	"practicepost/app/store"
	"practicepost/app/studio"
	"practicepost/assets"
)

// MailService is the practice mailbox: its settings (password in the OS
// keychain), consent and testimonial requests sent by email, the watcher
// that picks replies up while the app runs, and the review queue where a
// person turns a reply into a consent or a draft testimonial.
type MailService struct {
	c        *Core
	lock     *LockService
	consents *ConsentService
	secrets  auth.SecretStore

	// PollInterval, IdleRefresh and DialTimeout tune the watcher; zero uses
	// the defaults of package mail. Tests shorten them.
	PollInterval time.Duration
	IdleRefresh  time.Duration
	DialTimeout  time.Duration

	mu      sync.Mutex
	bg      context.Context
	watcher *mail.Watcher

	decideMu sync.Mutex // one confirmation at a time: no double consents

	// OpenBrowser shows the Microsoft or Google sign-in page in the system
	// browser (Wails: runtime.BrowserOpenURL); SignInTimeout bounds the
	// wait (0: auth.DefaultSignInTimeout). OAuthApps replaces the
	// providers' endpoints and client ids (tests); nil uses this build's.
	OpenBrowser   func(url string) error
	SignInTimeout time.Duration
	OAuthApps     map[string]OAuthApp
	oauthMu       sync.Mutex // one token refresh at a time

	// OnHold, when set, is told which consents an emailed withdrawal has
	// just put on hold (the hold is already stored; the gate sees it). Wire
	// the publishing queue here, as for a withdrawal.
	OnHold OnHoldHook
}

// NewMailService wires the mailbox into the core: the watcher starts when
// the data file opens and stops before it closes.
func NewMailService(c *Core, lock *LockService, consents *ConsentService, secrets auth.SecretStore) *MailService {
	s := &MailService{c: c, lock: lock, consents: consents, secrets: secrets}
	c.Attach(s.start, s.stop)
	return s
}

// Events the mail screens listen to.
const (
	EventMailStatus  = "mail:status"  // MailStatus: after every sync and every change
	EventMailChanged = "mail:changed" // requests or replies changed: reload lists
)

const keyMailSettings = "mail.settings"

// passwordKey is where the mailbox password lives in the secret store; one
// password signs in to both servers, as with every common provider.
var passwordKey = auth.MailboxKey("imap")

func (s *MailService) start(ctx context.Context) {
	s.mu.Lock()
	s.bg = ctx
	s.mu.Unlock()
	s.restart()
}

func (s *MailService) stop() {
	s.mu.Lock()
	w := s.watcher
	s.watcher, s.bg = nil, nil
	s.mu.Unlock()
	if w != nil {
		w.Stop()
	}
}

// restart (re)starts the watcher with the saved settings, or leaves it off
// when the mailbox is not set up.
func (s *MailService) restart() {
	s.mu.Lock()
	old, bg := s.watcher, s.bg
	s.watcher = nil
	s.mu.Unlock()
	if old != nil {
		old.Stop()
	}
	if bg == nil {
		return
	}
	db, err := s.c.DB()
	if err != nil {
		return
	}
	st, ok, err := s.loadSettings(bg, db)
	if err != nil || !ok {
		s.emitStatus()
		return
	}
	w := &mail.Watcher{
		Syncer:       &mail.Syncer{Account: s.account(st), Store: db, Clock: s.c.Clock, Log: slog.Default(), OnHold: s.onHold},
		PollInterval: s.PollInterval,
		IdleRefresh:  s.IdleRefresh,
		OnSync:       func(mail.Report, error) { s.emitStatus() },
	}
	if err := w.Start(bg); err != nil {
		logError("start watching the mailbox", err)
		return
	}
	s.mu.Lock()
	s.watcher = w
	s.mu.Unlock()
	s.emitStatus()
}

func (s *MailService) account(st mail.Settings) *mail.Account {
	if st.SignIn != "" {
		return &mail.Account{Settings: st, DialTimeout: s.DialTimeout, OAuth: s.oauthFor(st.SignIn)}
	}
	return &mail.Account{Settings: st, DialTimeout: s.DialTimeout, Password: func(context.Context) (string, error) {
		pw, err := s.secrets.Get(passwordKey)
		if auth.IsNotFound(err) {
			return "", app.FieldError("password", "The mailbox password is not saved on this computer. Enter it in Settings → Mailbox.")
		}
		return pw, err
	}}
}

func (s *MailService) loadSettings(ctx context.Context, db *store.DB) (mail.Settings, bool, error) {
	var st mail.Settings
	raw, err := db.State(ctx, keyMailSettings)
	if err != nil || raw == "" {
		return st, false, err
	}
	if err := json.Unmarshal([]byte(raw), &st); err != nil {
		return mail.Settings{}, false, app.Internal(err, "The mailbox settings could not be read. Enter them again in Settings → Mailbox.")
	}
	return st, true, nil
}

// MailSettingsView is the Mailbox tab.
type MailSettingsView struct {
	Settings      mail.Settings `json:"settings"`
	Configured    bool          `json:"configured"`
	PasswordSaved bool          `json:"passwordSaved"`
	// SignedIn: a Microsoft or Google sign-in is saved on this computer.
	SignedIn bool `json:"signedIn"`
}

// MailSettingsInput is the Mailbox form. An empty Password keeps the saved one.
type MailSettingsInput struct {
	Settings mail.Settings `json:"settings"`
	Password string        `json:"password"`
}

func (s *MailService) settingsView(ctx context.Context, db *store.DB) (MailSettingsView, error) {
	st, ok, err := s.loadSettings(ctx, db)
	if err != nil {
		return MailSettingsView{}, err
	}
	if !ok {
		st = mail.Settings{IMAP: mail.Server{Port: 993, Security: mail.SecurityTLS}, SMTP: mail.Server{Port: 465, Security: mail.SecurityTLS}}
		if kit, err := db.BrandKit(ctx); err == nil {
			st.FromName, st.FromAddress, st.Username = kit.PracticeName, kit.Email, kit.Email
		}
	}
	_, perr := s.secrets.Get(passwordKey)
	return MailSettingsView{Settings: st, Configured: ok, PasswordSaved: perr == nil, SignedIn: s.oauthSaved()}, nil
}

// Settings returns the mailbox settings (never the password).
func (s *MailService) Settings() (MailSettingsView, error) {
	ctx := context.Background()
	db, err := s.c.open(ctx, s.lock)
	if err != nil {
		return MailSettingsView{}, err
	}
	return s.settingsView(ctx, db)
}

func normalizeSettings(st *mail.Settings) {
	st.IMAP.Host = strings.TrimSpace(st.IMAP.Host)
	st.SMTP.Host = strings.TrimSpace(st.SMTP.Host)
	st.Username = strings.TrimSpace(st.Username)
	st.FromAddress = strings.TrimSpace(st.FromAddress)
	st.FromName = strings.TrimSpace(st.FromName)
	st.Mailbox = strings.TrimSpace(st.Mailbox)
	st.ProcessedMailbox = strings.TrimSpace(st.ProcessedMailbox)
	st.AuthServID = strings.TrimSpace(st.AuthServID)
}

// SaveSettings checks and stores the settings, puts the password in the
// keychain, and restarts watching for replies.
func (s *MailService) SaveSettings(in MailSettingsInput) (MailSettingsView, error) {
	ctx := context.Background()
	db, err := s.c.open(ctx, s.lock)
	if err != nil {
		return MailSettingsView{}, err
	}
	normalizeSettings(&in.Settings)
	if err := in.Settings.Validate(); err != nil {
		return MailSettingsView{}, err
	}
	// The first sync reads nothing older than the moment the mailbox was
	// first connected; saving again keeps that moment.
	in.Settings.ConnectedAt = s.c.Clock.Now().UTC()
	if old, ok, err := s.loadSettings(ctx, db); err == nil && ok && !old.ConnectedAt.IsZero() {
		in.Settings.ConnectedAt = old.ConnectedAt
	}
	switch {
	case in.Settings.SignIn != "":
		// Signed in with Microsoft or Google: the token is the password.
		if !s.oauthSaved() {
			return MailSettingsView{}, app.FieldError("signIn", "Sign in with Microsoft or Google first, or choose to sign in with a password.")
		}
	case in.Password == "":
		if _, err := s.secrets.Get(passwordKey); err != nil {
			return MailSettingsView{}, app.FieldError("password", "Enter the mailbox password.")
		}
	default:
		if err := s.secrets.Set(passwordKey, in.Password); err != nil {
			return MailSettingsView{}, err
		}
	}
	if err := s.storeSettings(ctx, db, in.Settings, "mail.settings"); err != nil {
		return MailSettingsView{}, err
	}
	s.restart()
	return s.settingsView(ctx, db)
}

// RemoveMailbox forgets the settings and the saved password and stops
// watching. Requests and replies already stored stay.
func (s *MailService) RemoveMailbox() (MailSettingsView, error) {
	ctx := context.Background()
	db, err := s.c.open(ctx, s.lock)
	if err != nil {
		return MailSettingsView{}, err
	}
	for _, k := range []string{passwordKey, mailOAuthKey} {
		if err := s.secrets.Delete(k); err != nil && !auth.IsNotFound(err) {
			return MailSettingsView{}, err
		}
	}
	err = db.Tx(ctx, func(tx *store.Tx) error {
		if _, err := tx.ExecContext(ctx, "DELETE FROM app_state WHERE key = ?", keyMailSettings); err != nil {
			return app.Internal(err, "PracticePost could not remove the mailbox settings.")
		}
		return tx.Audit(ctx, "practice manager", "mail.settings.remove", "mailbox settings", nil)
	})
	if err != nil {
		return MailSettingsView{}, err
	}
	s.restart()
	return s.settingsView(ctx, db)
}

// TestResult says whether the mailbox answered and, if not, what failed and
// which field to look at.
type TestResult struct {
	OK      bool   `json:"ok"`
	Message string `json:"message"`
	Field   string `json:"field"`
}

// TestConnection signs in to both servers with the settings on screen (and
// the password typed, or the saved one) without saving anything.
func (s *MailService) TestConnection(in MailSettingsInput) (TestResult, error) {
	ctx := context.Background()
	if _, err := s.c.open(ctx, s.lock); err != nil {
		return TestResult{}, err
	}
	normalizeSettings(&in.Settings)
	acct := s.account(in.Settings)
	if in.Password != "" {
		pw := in.Password
		acct.Password = func(context.Context) (string, error) { return pw, nil }
	}
	tctx, cancel := context.WithTimeout(ctx, 90*time.Second)
	defer cancel()
	if err := acct.TestConnection(tctx); err != nil {
		logError("mailbox test", err)
		return TestResult{Message: app.ErrorMessage(err), Field: app.ErrorField(err)}, nil
	}
	return TestResult{OK: true, Message: "Signed in to both servers and opened the " + orINBOX(in.Settings.Mailbox) + " folder. Save to start watching for replies."}, nil
}

func orINBOX(m string) string {
	if m == "" {
		return "INBOX"
	}
	return m
}

// MailStatus is the status line: is the mailbox watched, when it last
// synced, what went wrong, and how many replies wait for review.
type MailStatus struct {
	Configured bool   `json:"configured"`
	Watching   bool   `json:"watching"`
	UsingIdle  bool   `json:"usingIdle"`
	Address    string `json:"address"`
	LastSync   string `json:"lastSync"` // RFC 3339, "" before the first sync
	LastError  string `json:"lastError"`
	Note       string `json:"note"` // how this server is handled, e.g. processed replies stay in INBOX
	Pending    int    `json:"pending"`
}

func (s *MailService) status(ctx context.Context, db *store.DB) MailStatus {
	var out MailStatus
	if st, ok, err := s.loadSettings(ctx, db); err == nil && ok {
		out.Configured, out.Address = true, st.FromAddress
		if ss, err := db.GetSyncState(ctx, orINBOX(st.Mailbox)); err == nil {
			if !ss.LastSync.IsZero() {
				out.LastSync = ss.LastSync.UTC().Format(time.RFC3339)
			}
			out.LastError = ss.LastError
			out.Note = ss.Note
		}
	}
	s.mu.Lock()
	w := s.watcher
	s.mu.Unlock()
	if w != nil {
		ws := w.Status()
		out.Watching, out.UsingIdle = ws.Running, ws.UsingIdle
		if ws.LastError != "" {
			out.LastError = ws.LastError
		}
		if !ws.LastSync.IsZero() {
			out.LastSync = ws.LastSync.UTC().Format(time.RFC3339)
		}
	}
	out.Pending, _ = db.CountMailReplies(ctx, app.ReplyPending)
	return out
}

func (s *MailService) emitStatus() {
	db, err := s.c.DB()
	if err != nil {
		return
	}
	s.c.Emit.Emit(EventMailStatus, s.status(context.Background(), db))
}

// Status returns the status line. It works while the screen is locked (it
// shows no patient data), so the sidebar badge stays right.
func (s *MailService) Status() (MailStatus, error) {
	db, err := s.c.open(context.Background(), s.lock)
	if err != nil {
		return MailStatus{}, err
	}
	return s.status(context.Background(), db), nil
}

// CheckNow asks the watcher to look for replies at once.
func (s *MailService) CheckNow() (MailStatus, error) {
	ctx := context.Background()
	db, err := s.c.open(ctx, s.lock)
	if err != nil {
		return MailStatus{}, err
	}
	s.mu.Lock()
	w := s.watcher
	s.mu.Unlock()
	if w == nil {
		if _, ok, _ := s.loadSettings(ctx, db); !ok {
			return MailStatus{}, app.Errorf(app.EINVALID, "Set up the practice mailbox in Settings → Mailbox first.")
		}
		s.restart()
	} else {
		w.SyncNow()
	}
	return s.status(ctx, db), nil
}

// ---- sending requests

// MailRequestView is a sent (or failed) request in a patient's history.
type MailRequestView struct {
	ID          int64  `json:"id"`
	Kind        string `json:"kind"`
	PatientID   int64  `json:"patientId"`
	PatientName string `json:"patientName"`
	To          string `json:"to"`
	Token       string `json:"token"`
	State       string `json:"state"`
	StateText   string `json:"stateText"`
	Error       string `json:"error"`
	CreatedAt   string `json:"createdAt"`
	SentAt      string `json:"sentAt"`
	EmailURL    string `json:"emailUrl"` // the email exactly as sent
}

var requestStateText = map[string]string{
	app.MailSending:  "Being sent (or the app closed while sending)",
	app.MailSent:     "Sent, waiting for the reply",
	app.MailFailed:   "Not sent",
	app.MailAnswered: "Answered",
}

func requestView(r app.MailRequest) MailRequestView {
	v := MailRequestView{ID: r.ID, Kind: string(r.Kind), PatientID: r.PatientID, PatientName: r.PatientName, To: r.PatientEmail,
		Token: r.Token, State: r.State, StateText: requestStateText[r.State], Error: r.Error,
		CreatedAt: r.CreatedAt.Format(time.RFC3339)}
	if !r.SentAt.IsZero() {
		v.SentAt = r.SentAt.Format(time.RFC3339)
	}
	if r.SentSHA256 != "" {
		v.EmailURL = MediaURL(r.SentSHA256)
	}
	return v
}

// mailDetail is what a consent request covers, kept with the request so
// the reply can be turned into exactly the consent that was asked for.
type mailDetail struct {
	Request ConsentRequest `json:"request"`
	Note    string         `json:"note"`
}

// ConsentMailInput is the "Send consent request" form.
type ConsentMailInput struct {
	Request ConsentRequest `json:"request"`
	Note    string         `json:"note"` // optional personal line
}

// scopeOptions are the consent form's boxes as tick lines in the email,
// with the words patients type for them.
func scopeOptions() []app.ScopeOption {
	aliases := map[string][]string{}
	for _, o := range mail.DefaultScope() {
		key := o.Key
		if key == "tag" {
			key = string(app.IdentitySocialTag)
		}
		aliases[key] = append([]string{o.Label}, o.Aliases...)
	}
	aliases[string(app.IdentityAnonymous)] = []string{"Anonymous", "No name"}
	var out []app.ScopeOption
	add := func(key, label string) {
		var as []string
		for _, a := range aliases[key] {
			if !strings.EqualFold(a, label) {
				as = append(as, a)
			}
		}
		out = append(out, app.ScopeOption{Key: key, Label: label, Aliases: as})
	}
	for _, c := range consent.IdentityChoices {
		add(string(c.Value), c.Label)
	}
	for _, c := range consent.ChannelChoices {
		add(string(c.Value), c.Label)
	}
	return out
}

// emailText is the form text without its own tick lists: the email asks
// for the ticks once, under "How to answer", so a patient cannot answer in
// two places.
func emailText(text string) string {
	labels := map[string]bool{}
	for _, o := range scopeOptions() {
		labels[o.Label] = true
	}
	var out []string
	inList := false
	for _, l := range strings.Split(text, "\n") {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(l), "- [ ] "); ok && labels[rest] {
			if !inList {
				out = append(out, "(Tick your choices in the list under HOW TO ANSWER below.)")
			}
			inList = true
			continue
		}
		inList = false
		out = append(out, l)
	}
	return strings.Join(out, "\n")
}

func (s *MailService) readyAccount(ctx context.Context, db *store.DB) (*mail.Account, error) {
	st, ok, err := s.loadSettings(ctx, db)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, app.Errorf(app.EINVALID, "Set up the practice mailbox in Settings → Mailbox before sending requests by email.")
	}
	return s.account(st), nil
}

func patientForMail(ctx context.Context, db *store.DB, id int64) (app.Patient, error) {
	if id == 0 {
		return app.Patient{}, app.FieldError("patientId", "Choose the patient first.")
	}
	p, err := db.Patient(ctx, id)
	if err != nil {
		return p, err
	}
	if strings.TrimSpace(p.Email) == "" {
		return p, app.FieldError("patientEmail", "This patient has no email address. Add one to the patient's record first.")
	}
	return p, nil
}

// send records the request, then sends it, then records the outcome. A
// failure to send leaves a 'failed' request with the reason.
func (s *MailService) send(ctx context.Context, db *store.DB, acct *mail.Account, req mail.Request, patientID int64, detail string) (MailRequestView, error) {
	out, err := mail.Compose(req, acct.Settings, s.c.Clock.Now())
	if err != nil {
		return MailRequestView{}, err
	}
	rec, err := db.CreateMailRequest(ctx, app.MailRequest{Token: out.Sent.Token, Kind: req.Kind, PatientID: patientID,
		PatientName: req.PatientName, PatientEmail: req.PatientEmail, MessageID: out.Sent.MessageID, Scope: req.Scope, Detail: detail}, out.Raw)
	if err != nil {
		return MailRequestView{}, err
	}
	sctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	if serr := acct.Send(sctx, out); serr != nil {
		logError("send request email", serr)
		if _, err := db.MarkMailRequest(ctx, rec.ID, app.MailFailed, app.ErrorMessage(serr)); err != nil {
			logError("record failed send", err)
		}
		s.c.Emit.Emit(EventMailChanged, nil)
		return MailRequestView{}, serr
	}
	rec, err = db.MarkMailRequest(ctx, rec.ID, app.MailSent, "")
	if err != nil {
		return MailRequestView{}, err
	}
	s.c.Emit.Emit(EventMailChanged, nil)
	return requestView(rec), nil
}

// SendConsentRequest emails the patient the consent form for what the
// request covers, with tick boxes to answer in the reply and the form as a
// PDF to print and sign.
func (s *MailService) SendConsentRequest(in ConsentMailInput) (MailRequestView, error) {
	ctx := context.Background()
	db, err := s.c.open(ctx, s.lock)
	if err != nil {
		return MailRequestView{}, err
	}
	acct, err := s.readyAccount(ctx, db)
	if err != nil {
		return MailRequestView{}, err
	}
	if err := s.consents.checkReady(ctx, db); err != nil {
		return MailRequestView{}, err
	}
	r := in.Request
	if err := s.consents.checkRequest(ctx, db, &r); err != nil {
		return MailRequestView{}, err
	}
	if err := checkNewestTemplate(ctx, db, r.TemplateVersion); err != nil {
		return MailRequestView{}, err
	}
	p, err := patientForMail(ctx, db, r.PatientID)
	if err != nil {
		return MailRequestView{}, err
	}
	note := strings.TrimSpace(in.Note)
	if utf8.RuneCountInString(note) > 1000 {
		return MailRequestView{}, app.FieldError("note", "Keep the personal note to 1,000 characters.")
	}
	f, err := s.consents.form(ctx, db, r, SigningDraft{SignerName: p.FullName}, app.SignEmail)
	if err != nil {
		return MailRequestView{}, err
	}
	text, err := f.Text(s.c.Clock.Now())
	if err != nil {
		return MailRequestView{}, err
	}
	opts := scopeOptions()
	pdf, err := blankFormPDF(f, text)
	if err != nil {
		return MailRequestView{}, err
	}
	detail, _ := json.Marshal(mailDetail{Request: r, Note: note})
	req := mail.Request{Kind: app.KindConsent, PatientName: p.FullName, PatientEmail: p.Email, PracticeName: f.Practice.Name,
		Note: note, ConsentText: emailText(text), Scope: opts,
		Form: &mail.File{Filename: "Consent form.pdf", ContentType: "application/pdf", Data: pdf}}
	return s.send(ctx, db, acct, req, p.ID, string(detail))
}

// SendTestimonialRequest asks the patient, by email, for a few words about
// their visit. The reply becomes a draft testimonial awaiting consent.
func (s *MailService) SendTestimonialRequest(patientID int64, note string) (MailRequestView, error) {
	ctx := context.Background()
	db, err := s.c.open(ctx, s.lock)
	if err != nil {
		return MailRequestView{}, err
	}
	acct, err := s.readyAccount(ctx, db)
	if err != nil {
		return MailRequestView{}, err
	}
	p, err := patientForMail(ctx, db, patientID)
	if err != nil {
		return MailRequestView{}, err
	}
	kit, err := db.BrandKit(ctx)
	if err != nil {
		return MailRequestView{}, err
	}
	note = strings.TrimSpace(note)
	if utf8.RuneCountInString(note) > 1000 {
		return MailRequestView{}, app.FieldError("note", "Keep the personal note to 1,000 characters.")
	}
	detail, _ := json.Marshal(mailDetail{Note: note})
	req := mail.Request{Kind: app.KindTestimonial, PatientName: p.FullName, PatientEmail: p.Email, PracticeName: kit.PracticeName, Note: note}
	return s.send(ctx, db, acct, req, p.ID, string(detail))
}

// Requests lists email requests, newest first (patientID 0: everyone's).
func (s *MailService) Requests(patientID int64) ([]MailRequestView, error) {
	ctx := context.Background()
	db, err := s.c.open(ctx, s.lock)
	if err != nil {
		return nil, err
	}
	rs, err := db.ListMailRequests(ctx, patientID, 200)
	if err != nil {
		return nil, err
	}
	out := make([]MailRequestView, len(rs))
	for i, r := range rs {
		out[i] = requestView(r)
	}
	return out, nil
}

// ---- the review queue

// FlagView is a flag explained in plain words.
type FlagView struct {
	Flag  string `json:"flag"`
	Title string `json:"title"`
	Text  string `json:"text"`
}

var flagWords = map[app.ReplyFlag][2]string{
	app.FlagAmbiguous:          {"Unclear answer", "At least one answer could be read two ways. Check each box below against the patient's words before confirming."},
	app.FlagNoScope:            {"No boxes answered", "The reply does not say yes or no to any of the boxes. Ask the patient to answer the boxes, or reject the reply."},
	app.FlagUnsigned:           {"Not signed", "The patient did not type their full name and attached no signed form. A consent needs a signature: ask them to reply with their full name."},
	app.FlagNameMismatch:       {"Different name", "The name typed in the reply is not the name on the patient's record. Check who answered; a parent or carer needs the paper or on-screen form."},
	app.FlagSenderMismatch:     {"Different email address", "The reply came from an address other than the one the request went to. Make sure it really is the patient before confirming."},
	app.FlagNoMatchingRequest:  {"No matching request", "The reply mentions a request reference PracticePost does not know. It cannot become a consent; ignore it or deal with it in your email program."},
	app.FlagConflictingTokens:  {"Two requests mentioned", "The reply mentions more than one request. Check it answers the request shown here."},
	app.FlagAttachmentTooLarge: {"Attachment too large", "An attachment was too large to keep. Ask the patient for a smaller scan or photo."},
	app.FlagAttachmentRejected: {"Attachment not kept", "An attachment was not a PDF, JPEG or PNG, so it was not kept. Ask the patient to send it in one of those formats."},
	app.FlagMessageTooLarge:    {"Email too large", "The email was too large to keep in full; only its header was stored. Open it in your email program."},
	app.FlagUnreadableText:     {"Hard to read", "Part of the email could not be read (an unusual character set or encoding). Open it in your email program to check the wording."},
	app.FlagAnsweredInQuote:    {"Ticked in the quoted email", "The patient ticked the boxes inside the copy of our email rather than in their own reply. Check the ticks carefully."},
	app.FlagMissingBoxes:       {"Boxes missing", "Some of the boxes we sent are missing from the reply. Boxes not in the reply count as not agreed; before confirming, check with the patient and record how you did."},
	app.FlagWithdrawal:         {"Reads as a withdrawal", "The patient's words read as a request to withdraw. Their consents are on hold: confirm the withdrawal or release the hold on Home."},
	app.FlagAfterAnswer:        {"Request already answered", "This request was already answered and confirmed, so this later reply can never become a consent. Read it and deal with it by hand."},
	app.FlagSenderFailed:       {"Sender not confirmed", "Your mail provider could not confirm this email came from the address it shows. It may be forged: check with the patient another way before confirming."},
	app.FlagNoReference:        {"No reference", "The email does not mention a request; it was matched to the patient by the address it came from because it reads as a withdrawal."},
	app.FlagForgedAuth:         {"Forged sender check", "The email carries a sender check your mail provider did not write, claiming a pass. Treat it as forged until the patient confirms another way."},
}

// ScopeOptionView is one box of the request and how the reply answered it.
type ScopeOptionView struct {
	Key    string `json:"key"`
	Label  string `json:"label"`
	Group  string `json:"group"`  // identity or channel
	Answer string `json:"answer"` // yes, no, ambiguous, unanswered
	Line   string `json:"line"`   // the patient's line it was read from
}

// AttachmentView is a file kept from a reply.
type AttachmentView struct {
	Filename    string `json:"filename"`
	ContentType string `json:"contentType"`
	Size        int64  `json:"size"`
	SHA256      string `json:"sha256"`
	URL         string `json:"url"`
	IsImage     bool   `json:"isImage"`
}

// ReplySummary is one row of the queue.
type ReplySummary struct {
	ID          int64    `json:"id"`
	Kind        string   `json:"kind"` // consent, testimonial, or "" when unmatched
	PatientName string   `json:"patientName"`
	FromAddress string   `json:"fromAddress"`
	Subject     string   `json:"subject"`
	ReceivedAt  string   `json:"receivedAt"`
	Status      string   `json:"status"`
	Flags       []string `json:"flags"`
	Preview     string   `json:"preview"`
	Intent      string   `json:"intent"` // answer, withdrawal, needs_look or unmatched
}

// ReplyView is one reply as the reviewer sees it.
type ReplyView struct {
	ReplySummary
	FromName      string            `json:"fromName"`
	Words         string            `json:"words"`
	HTMLOnly      bool              `json:"htmlOnly"`
	TypedName     string            `json:"typedName"`
	Attachments   []AttachmentView  `json:"attachments"`
	FlagViews     []FlagView        `json:"flagViews"`
	Notes         []string          `json:"notes"`
	Options       []ScopeOptionView `json:"options"`
	Unclear       []string          `json:"unclear"`
	RawURL        string            `json:"rawUrl"`
	Request       *MailRequestView  `json:"request"`
	PatientID     int64             `json:"patientId"`
	RecordName    string            `json:"recordName"` // the patient's name on record
	Quote         string            `json:"quote"`      // what the consent request covers
	Media         []MediaRef        `json:"media"`
	ConsentID     int64             `json:"consentId"`
	TestimonialID int64             `json:"testimonialId"`
	Note          string            `json:"note"`
	CanConfirm    bool              `json:"canConfirm"`

	// ReplySummary.Intent says what the reply is.
	Withdrawal  string          `json:"withdrawal"` // the patient's withdrawal line
	Sender      app.SenderCheck `json:"sender"`
	HeadersOnly bool            `json:"headersOnly"`
	// NeedsResolution: unclear; confirming needs the record of how it was
	// resolved. NeedsSenderCheck: confirming needs how the sender was
	// verified.
	NeedsResolution  bool   `json:"needsResolution"`
	NeedsSenderCheck bool   `json:"needsSenderCheck"`
	Resolution       string `json:"resolution"` // as recorded (JSON), "" when none
	// Held lists the consents this reply put on hold that still stand.
	Held []int64 `json:"held"`
}

func preview(words string) string {
	w := strings.Join(strings.Fields(words), " ")
	if utf8.RuneCountInString(w) > 140 {
		w = string([]rune(w)[:139]) + "…"
	}
	return w
}

func (s *MailService) summary(r app.MailReply, req *app.MailRequest) ReplySummary {
	it := r.Item
	v := ReplySummary{ID: r.ID, FromAddress: it.FromAddress, Subject: it.Subject, ReceivedAt: r.ReceivedAt.Format(time.RFC3339),
		Status: r.Status, Flags: []string{}, Preview: preview(it.Words), PatientName: it.FromName, Intent: string(it.Intent)}
	if v.Intent == "" {
		v.Intent = string(app.IntentAnswer) // replies recorded before intents were read
	}
	for _, f := range it.Flags {
		v.Flags = append(v.Flags, string(f))
	}
	if req != nil {
		v.Kind, v.PatientName = string(req.Kind), req.PatientName
	}
	return v
}

func (s *MailService) replyView(ctx context.Context, db *store.DB, r app.MailReply) (ReplyView, error) {
	var req *app.MailRequest
	if r.RequestID != 0 {
		q, err := db.MailRequest(ctx, r.RequestID)
		if err != nil {
			return ReplyView{}, err
		}
		req = &q
	}
	it := r.Item
	v := ReplyView{ReplySummary: s.summary(r, req), FromName: it.FromName, Words: it.Words, HTMLOnly: it.HTMLOnly, TypedName: it.TypedName,
		Attachments: []AttachmentView{}, FlagViews: []FlagView{}, Notes: slices.Clone(it.Notes), Options: []ScopeOptionView{},
		Unclear: slices.Clone(it.Scope.Unclear), RawURL: MediaURL(r.RawSHA256), Media: []MediaRef{},
		ConsentID: r.ConsentID, TestimonialID: r.TestimonialID, Note: r.Note,
		Withdrawal: it.Withdrawal, Sender: it.Sender, HeadersOnly: it.HeadersOnly, NeedsResolution: it.NeedsResolution(),
		NeedsSenderCheck: it.NeedsSenderCheck(), Resolution: r.Resolution, Held: []int64{}}
	if hs, err := db.StandingHolds(ctx); err == nil {
		for _, h := range hs {
			if h.Hold.ReplyID == r.ID {
				v.Held = append(v.Held, h.Hold.ConsentID)
			}
		}
	}
	if v.Notes == nil {
		v.Notes = []string{}
	}
	if v.Unclear == nil {
		v.Unclear = []string{}
	}
	for _, a := range it.Attachments {
		av := AttachmentView{Filename: a.Filename, ContentType: a.ContentType, Size: a.Size, SHA256: a.SHA256,
			IsImage: a.ContentType == "image/jpeg" || a.ContentType == "image/png"}
		if a.SHA256 != "" {
			av.URL = MediaURL(a.SHA256)
		}
		v.Attachments = append(v.Attachments, av)
	}
	for _, f := range it.Flags {
		w, ok := flagWords[f]
		if !ok {
			w = [2]string{string(f), "Check this reply carefully."}
		}
		v.FlagViews = append(v.FlagViews, FlagView{Flag: string(f), Title: w[0], Text: w[1]})
	}
	if req != nil {
		rv := requestView(*req)
		v.Request, v.PatientID = &rv, req.PatientID
		if p, err := db.Patient(ctx, req.PatientID); err == nil {
			v.RecordName = p.FullName
		}
		v.CanConfirm = r.Status == app.ReplyPending && req.State != app.MailAnswered &&
			(it.Intent == "" || it.Intent == app.IntentAnswer ||
				(it.Intent == app.IntentWithdrawal && !it.HasFlag(app.FlagAfterAnswer) && !it.HasFlag(app.FlagNoReference)))
		if req.Kind == app.KindConsent {
			var d mailDetail
			if err := json.Unmarshal([]byte(req.Detail), &d); err == nil {
				v.Quote = d.Request.Quote
				for _, m := range d.Request.Media {
					v.Media = append(v.Media, MediaRef{m.SHA256, m.Kind, m.Label, MediaURL(m.SHA256)})
				}
			}
			v.Options = optionViews(req.Scope, it.Scope)
		}
	}
	return v, nil
}

func optionViews(opts []app.ScopeOption, sr app.ScopeReading) []ScopeOptionView {
	identity := map[string]bool{}
	for _, c := range consent.IdentityChoices {
		identity[string(c.Value)] = true
	}
	lines := map[string]string{}
	for _, l := range sr.Lines {
		if _, seen := lines[l.Key]; !seen {
			lines[l.Key] = l.Text
		}
	}
	out := make([]ScopeOptionView, 0, len(opts))
	for _, o := range opts {
		v := ScopeOptionView{Key: o.Key, Label: o.Label, Group: "channel", Answer: string(app.AnswerUnanswered), Line: lines[o.Key]}
		if identity[o.Key] {
			v.Group = "identity"
		}
		switch {
		case slices.Contains(sr.Agreed, o.Key):
			v.Answer = string(app.AnswerYes)
		case slices.Contains(sr.Declined, o.Key):
			v.Answer = string(app.AnswerNo)
		case slices.Contains(sr.Ambiguous, o.Key):
			v.Answer = string(app.AnswerAmbiguous)
		}
		out = append(out, v)
	}
	return out
}

// Replies lists replies in one status: pending (the queue, oldest first),
// confirmed, rejected, ignored, or "" for all.
func (s *MailService) Replies(status string) ([]ReplySummary, error) {
	ctx := context.Background()
	db, err := s.c.open(ctx, s.lock)
	if err != nil {
		return nil, err
	}
	switch status {
	case "", app.ReplyPending, app.ReplyConfirmed, app.ReplyRejected, app.ReplyIgnored:
	default:
		return nil, app.FieldError("status", "Choose which replies to show: waiting, confirmed, rejected or ignored.")
	}
	rs, err := db.ListMailReplies(ctx, status, 500)
	if err != nil {
		return nil, err
	}
	reqs := map[int64]*app.MailRequest{}
	out := make([]ReplySummary, len(rs))
	for i, r := range rs {
		req, ok := reqs[r.RequestID]
		if !ok && r.RequestID != 0 {
			if q, err := db.MailRequest(ctx, r.RequestID); err == nil {
				req = &q
			}
			reqs[r.RequestID] = req
		}
		out[i] = s.summary(r, req)
	}
	return out, nil
}

// Reply returns one reply with everything the reviewer needs.
func (s *MailService) Reply(id int64) (ReplyView, error) {
	ctx := context.Background()
	db, err := s.c.open(ctx, s.lock)
	if err != nil {
		return ReplyView{}, err
	}
	r, err := db.MailReply(ctx, id)
	if err != nil {
		return ReplyView{}, err
	}
	return s.replyView(ctx, db, r)
}

// ConfirmConsentInput is the reviewer's reading of a consent reply: the
// boxes the patient agreed to (corrected where needed) and the name they
// signed with.
type ConfirmConsentInput struct {
	Identity   []app.IdentityElement `json:"identity"`
	Channels   []app.ConsentChannel  `json:"channels"`
	SignerName string                `json:"signerName"`
	// Resolution is required when the reply was unclear (ReplyView.
	// NeedsResolution): how, by whom and when it was settled.
	Resolution ResolutionInput `json:"resolution"`
	// SenderCheck is required when the sender is in doubt (ReplyView.
	// NeedsSenderCheck): how the manager verified it was the patient.
	SenderCheck string `json:"senderCheck"`
}

func (s *MailService) decided(ctx context.Context, db *store.DB, id int64) (ReplyView, error) {
	r, err := db.MailReply(ctx, id)
	if err != nil {
		return ReplyView{}, err
	}
	s.c.Emit.Emit(EventMailChanged, nil)
	s.emitStatus()
	return s.replyView(ctx, db, r)
}

func (s *MailService) pendingWithRequest(ctx context.Context, db *store.DB, id int64, kind app.RequestKind) (app.MailReply, app.MailRequest, error) {
	r, err := db.MailReply(ctx, id)
	if err != nil {
		return r, app.MailRequest{}, err
	}
	if r.Status != app.ReplyPending {
		return r, app.MailRequest{}, app.Errorf(app.ECONFLICT, "This reply was already dealt with (%s).", r.Status)
	}
	if r.RequestID == 0 {
		return r, app.MailRequest{}, app.Errorf(app.EINVALID, "This reply does not answer a request PracticePost sent, so it cannot be confirmed. Ignore it, or record the consent on paper.")
	}
	req, err := db.MailRequest(ctx, r.RequestID)
	if err != nil {
		return r, req, err
	}
	if req.Kind != kind {
		return r, req, app.Errorf(app.EINVALID, "This reply answers a %s request, not a %s request.", req.Kind, kind)
	}
	return r, req, nil
}

// ConfirmConsent turns a reviewed reply into a signed consent (method
// "email"): the patient's reply is the signature, kept as the evidence file.
// Only now does a consent exist.
func (s *MailService) ConfirmConsent(id int64, in ConfirmConsentInput) (ReplyView, error) {
	s.decideMu.Lock()
	defer s.decideMu.Unlock()
	ctx := context.Background()
	db, err := s.c.open(ctx, s.lock)
	if err != nil {
		return ReplyView{}, err
	}
	r, req, err := s.pendingWithRequest(ctx, db, id, app.KindConsent)
	if err != nil {
		return ReplyView{}, err
	}
	// A confirmation cut short after the consent was stored finishes here
	// instead of storing a second consent.
	if cid, found, err := db.ConsentByEvidence(ctx, r.RawSHA256); err != nil {
		return ReplyView{}, err
	} else if found {
		if err := db.LinkReplyConsent(ctx, id, cid); err != nil {
			return ReplyView{}, err
		}
		return s.decided(ctx, db, id)
	}
	evidence, err := checkReplyEvidence(r, req, &in)
	if err != nil {
		return ReplyView{}, err
	}
	var d mailDetail
	if err := json.Unmarshal([]byte(req.Detail), &d); err != nil {
		return ReplyView{}, app.Internal(err, "The request this reply answers could not be read. Send the patient a new request.")
	}
	cr := d.Request
	if err := s.consents.checkRequest(ctx, db, &cr); err != nil {
		return ReplyView{}, err
	}
	signer := strings.Join(strings.Fields(in.SignerName), " ")
	if signer == "" {
		return ReplyView{}, app.FieldError("signerName", "Enter the full name the patient signed with. If the reply has no name, ask the patient to reply with their full name.")
	}
	f, err := s.consents.form(ctx, db, cr, SigningDraft{Identity: in.Identity, Channels: in.Channels, SignerName: signer}, app.SignEmail)
	if err != nil {
		return ReplyView{}, err
	}
	now := s.c.Clock.Now()
	at := r.ReceivedAt
	if at.IsZero() || at.After(now) {
		at = now
	}
	if !req.CreatedAt.IsZero() && at.Before(req.CreatedAt) {
		at = req.CreatedAt
	}
	// Judged on the day the reply counts as signed, not today.
	if _, alone := consent.SignsAloneUnderAge(f, at); alone {
		return ReplyView{}, app.Errorf(app.EINVALID, "On the day of this reply the patient needed a parent, guardian or other representative to sign for them, so the reply cannot be their consent. On Email replies, reject this reply; then take consent with the parent or guardian on the signing screen (Ask for consent → Hand to patient) or on paper.")
	}
	text, err := f.Text(at)
	if err != nil {
		return ReplyView{}, err
	}
	raw, err := db.Blob(ctx, r.RawSHA256)
	if err != nil {
		return ReplyView{}, err
	}
	c, err := consent.Sign(f, consent.Signing{Signature: app.Signature{TypedName: signer, ScanSHA256: r.RawSHA256},
		SignedAt: at, ShownTextSHA256: app.SHA256Hex([]byte(text))}, now)
	if err != nil {
		return ReplyView{}, reviewerWords(err)
	}
	pdf, err := consent.PDF(c, nil, consent.PDFOptions{})
	if err != nil {
		return ReplyView{}, err
	}
	nt, link := testimonialFor(cr, c, civilIn(at, zoneOf(c)))
	if evidence != "" {
		if err := db.RecordReplyResolution(ctx, id, evidence); err != nil {
			return ReplyView{}, err
		}
	}
	e, err := db.InsertConsent(ctx, app.NewConsent{Consent: c, Scan: raw.Data, ScanMIME: "message/rfc822", PDF: pdf,
		Testimonial: nt, Link: link})
	if err != nil {
		return ReplyView{}, err
	}
	if err := db.LinkReplyConsent(ctx, id, e.Consent.ID); err != nil {
		return ReplyView{}, err
	}
	s.c.Emit.Emit(EventConsentChanged, nil)
	return s.decided(ctx, db, id)
}

// reviewerWords turns "cannot be signed yet" into what the reviewer fixes.
func reviewerWords(err error) error {
	m := app.ErrorMessage(err)
	switch {
	case app.ErrorCode(err) != app.EINVALID:
		return err
	case strings.Contains(m, "how the patient is named"):
		return app.FieldError("identity", "Tick how the patient agreed to be named (full name, first name, initials or anonymous). If the reply does not say, ask the patient.")
	case strings.Contains(m, "at least one ticked channel"):
		return app.FieldError("channels", "Tick at least one place the patient agreed to. If they agreed to none, reject the reply.")
	}
	return err
}

// ConfirmTestimonialInput is the reviewer's draft from a testimonial reply.
type ConfirmTestimonialInput struct {
	Quote  string   `json:"quote"`
	Photos []string `json:"photos"` // sha256 of the image attachments to keep
}

// ConfirmTestimonial turns a testimonial reply into a draft testimonial
// awaiting consent: the patient's words and the photos chosen.
func (s *MailService) ConfirmTestimonial(id int64, in ConfirmTestimonialInput) (ReplyView, error) {
	s.decideMu.Lock()
	defer s.decideMu.Unlock()
	ctx := context.Background()
	db, err := s.c.open(ctx, s.lock)
	if err != nil {
		return ReplyView{}, err
	}
	r, req, err := s.pendingWithRequest(ctx, db, id, app.KindTestimonial)
	if err != nil {
		return ReplyView{}, err
	}
	switch {
	case req.State == app.MailAnswered || r.Item.HasFlag(app.FlagAfterAnswer):
		return ReplyView{}, app.Errorf(app.ECONFLICT, "This request was already answered, so a later reply cannot become a second testimonial. Read it, then reject or ignore it.")
	case r.Item.Intent == app.IntentWithdrawal:
		return ReplyView{}, app.Errorf(app.EINVALID, "This reply reads as the patient withdrawing, so it cannot become a testimonial. Read it, then reject it.")
	}
	quote := strings.TrimSpace(strings.ReplaceAll(in.Quote, "\r\n", "\n"))
	if quote == "" && len(in.Photos) == 0 {
		return ReplyView{}, app.FieldError("quote", "Keep the patient's words or at least one photo; otherwise reject the reply.")
	}
	if utf8.RuneCountInString(quote) > 3000 {
		return ReplyView{}, app.FieldError("quote", "The testimonial is longer than 3,000 characters. Shorten it (the patient approves any edit when they consent).")
	}
	media := []app.ConsentMedia{}
	var clean []app.BlobData
	for n, sha := range in.Photos {
		i := slices.IndexFunc(r.Item.Attachments, func(a app.MailAttachment) bool { return a.SHA256 == sha })
		if i < 0 {
			return ReplyView{}, app.FieldError("photos", "Photo %d is not one of this reply's attachments.", n+1)
		}
		b, err := db.Blob(ctx, sha)
		if err != nil {
			return ReplyView{}, err
		}
		what := "The attachment " + r.Item.Attachments[i].Filename
		if _, err := app.InspectImage(b.Data, PhotoLimits, what); err != nil {
			return ReplyView{}, err
		}
		// The testimonial keeps the photo without its camera and location
		// data; the email keeps the file as it came, as evidence.
		data, err := studio.StripMetadata(b.Data)
		if err != nil {
			return ReplyView{}, app.FieldError("photos", "%s could not be read. Ask the patient to send it again.", what)
		}
		info, err := app.InspectImage(data, PhotoLimits, what)
		if err != nil {
			return ReplyView{}, err
		}
		clean = append(clean, app.BlobData{Data: data, MIME: info.MIME, Width: info.Width, Height: info.Height})
		media = append(media, app.ConsentMedia{SHA256: info.SHA256, Kind: "photo", Label: r.Item.Attachments[i].Filename})
	}
	at := r.ReceivedAt
	if at.IsZero() {
		at = s.c.Clock.Now()
	}
	t := app.Testimonial{PatientID: req.PatientID, Quote: quote, Source: "email", SaidOn: civilIn(at, time.UTC),
		NameAs: app.IdentityAnonymous, Media: media}
	if _, err := db.ConfirmReplyTestimonial(ctx, id, t, clean...); err != nil {
		return ReplyView{}, err
	}
	s.c.Emit.Emit(EventConsentChanged, nil)
	return s.decided(ctx, db, id)
}

// Dismiss rejects a reply (it is not consent: the patient said no, or it is
// not from them) or ignores it (not an answer to a request). The email stays
// stored and nothing else changes.
func (s *MailService) Dismiss(id int64, status, note string) (ReplyView, error) {
	ctx := context.Background()
	db, err := s.c.open(ctx, s.lock)
	if err != nil {
		return ReplyView{}, err
	}
	if status != app.ReplyRejected && status != app.ReplyIgnored {
		return ReplyView{}, app.FieldError("status", "Choose whether to reject or ignore the reply.")
	}
	note = strings.TrimSpace(note)
	if utf8.RuneCountInString(note) > 500 {
		return ReplyView{}, app.FieldError("note", "Keep the note to 500 characters.")
	}
	if err := db.DismissMailReply(ctx, id, status, note); err != nil {
		return ReplyView{}, err
	}
	return s.decided(ctx, db, id)
}

// ---- the printable form attached to a consent request

// blankFormPDF is the consent form to print, tick, sign and send back: the
// exact text, an empty box per choice, and lines for the name, signature
// and date.
func blankFormPDF(f consent.Form, text string) ([]byte, error) {
	fail := func(err error) ([]byte, error) {
		return nil, app.Internal(err, "The consent form PDF could not be made.")
	}
	page := gopdf.PageSizeA4
	if f.Template.Country == "US" {
		page = gopdf.PageSizeLetter
	}
	pdf := &gopdf.GoPdf{}
	pdf.Start(gopdf.Config{PageSize: *page, Unit: gopdf.UnitPT})
	for _, ft := range []struct {
		file  string
		style int
	}{{"NotoSans-Regular.ttf", gopdf.Regular}, {"NotoSans-Bold.ttf", gopdf.Bold}} {
		data, err := assets.FontFile(ft.file)
		if err != nil {
			return fail(err)
		}
		if err := pdf.AddTTFFontDataWithOption("noto", data, gopdf.TtfOption{Style: ft.style}); err != nil {
			return fail(err)
		}
	}
	const margin = 50.0
	width := page.W - 2*margin
	y := 0.0
	newPage := func() {
		pdf.AddPage()
		y = margin
	}
	var werr error
	write := func(s, style string, size float64) {
		if werr != nil {
			return
		}
		if err := pdf.SetFont("noto", style, size); err != nil {
			werr = err
			return
		}
		lines, err := pdf.SplitTextWithWordWrap(s, width)
		if err != nil || len(lines) == 0 {
			lines = []string{s}
		}
		for _, l := range lines {
			if y+size*1.4 > page.H-margin {
				newPage()
				pdf.SetFont("noto", style, size)
			}
			pdf.SetXY(margin, y)
			if err := pdf.Cell(nil, l); err != nil {
				werr = err
				return
			}
			y += size * 1.4
		}
	}
	newPage()
	write(f.Template.Title, "B", 15)
	write(f.Practice.Name+" · "+f.Practice.Address, "", 9)
	y += 8
	write("Patient: "+f.Patient.FullName, "", 10)
	y += 8
	for _, l := range strings.Split(text, "\n") {
		l = strings.TrimRight(l, " ")
		style := ""
		if strings.HasPrefix(l, "#") {
			l, style = strings.TrimSpace(strings.TrimLeft(l, "#")), "B"
		}
		l = strings.ReplaceAll(strings.ReplaceAll(l, "**", ""), "- [ ] ", "[    ]  ")
		if l == "" {
			y += 5
			continue
		}
		write(l, style, 10)
	}
	y += 12
	write("Please tick the boxes you agree to above, then sign below and send a scan or photo of this page back by replying to our email.", "B", 10)
	y += 18
	for _, label := range []string{"Full name", "Signature", "Date"} {
		write(label+":  ______________________________________________", "", 11)
		y += 14
	}
	if werr != nil {
		return fail(werr)
	}
	var buf bytes.Buffer
	if _, err := pdf.WriteTo(&buf); err != nil {
		return fail(err)
	}
	return buf.Bytes(), nil
}
