package service

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"practicepost/app"
	"practicepost/app/auth"
	"practicepost/app/mail"
	"practicepost/app/store"
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
		OnSync: func(mail.Report, error) {
			s.settleQuoteReplies(bg, db)
			s.emitStatus()
		},
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
	return withDB(s.c, func(ctx context.Context, db *store.DB) (MailStatus, error) {
		return s.status(ctx, db), nil
	})
}

// CheckNow asks the watcher to look for replies at once.
func (s *MailService) CheckNow() (MailStatus, error) {
	return withDB(s.c, func(ctx context.Context, db *store.DB) (MailStatus, error) {
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
	})
}
