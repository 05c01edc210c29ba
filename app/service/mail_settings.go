package service

import (
	"context"
	"errors"
	"strings"
	"time"

	"practicepost/app"
	"practicepost/app/auth"
	"practicepost/app/mail"
	"practicepost/app/store"
)

func (s *MailService) loadSettings(ctx context.Context, db *store.DB) (mail.Settings, bool, error) {
	return readState[mail.Settings](ctx, db, keyMailSettings, "The mailbox settings could not be read. Enter them again in Settings → Mailbox.")
}

// MailSettingsView is the Mailbox tab.
type MailSettingsView struct {
	Settings      mail.Settings `json:"settings"`
	Configured    bool          `json:"configured"`
	PasswordSaved bool          `json:"passwordSaved"`
	// SignedIn: a Microsoft or Google sign-in is saved on this computer.
	SignedIn bool `json:"signedIn"`
	// Notice says the settings kept before could not be read and the form
	// is shown empty to enter them again.
	Notice string `json:"notice,omitempty"`
}

// MailSettingsInput is the Mailbox form. An empty Password keeps the saved one.
type MailSettingsInput struct {
	Settings mail.Settings `json:"settings"`
	Password string        `json:"password"`
}

func (s *MailService) settingsView(ctx context.Context, db *store.DB) (MailSettingsView, error) {
	st, ok, err := s.loadSettings(ctx, db)
	notice := ""
	if errors.Is(err, errDamagedState) {
		// The Mailbox tab is where they are entered again: it opens empty
		// and says why, and the kept value stays until a save replaces it.
		notice, err = "The mailbox settings saved before could not be read. Enter them again below, then test and save.", nil
	}
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
	return MailSettingsView{Settings: st, Configured: ok, PasswordSaved: perr == nil, SignedIn: s.oauthSaved(), Notice: notice}, nil
}

// Settings returns the mailbox settings (never the password).
func (s *MailService) Settings() (MailSettingsView, error) {
	return withDB(s.c, func(ctx context.Context, db *store.DB) (MailSettingsView, error) {
		return s.settingsView(ctx, db)
	})
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
	return withDB(s.c, func(ctx context.Context, db *store.DB) (MailSettingsView, error) {
		normalizeSettings(&in.Settings)
		if err := in.Settings.Validate(); err != nil {
			return MailSettingsView{}, err
		}
		// The first sync reads nothing older than the moment the mailbox was
		// first connected; saving again keeps that moment, unless the
		// settings now name another account, which is connected now.
		in.Settings.ConnectedAt = s.c.Clock.Now().UTC()
		if old, ok, err := s.loadSettings(ctx, db); err == nil && ok && !old.ConnectedAt.IsZero() && old.Account() == in.Settings.Account() {
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
	})
}

// RemoveMailbox forgets the settings and the saved password and stops
// watching. Requests and replies already stored stay.
func (s *MailService) RemoveMailbox() (MailSettingsView, error) {
	return withDB(s.c, func(ctx context.Context, db *store.DB) (MailSettingsView, error) {
		for _, k := range []string{passwordKey, mailOAuthKey} {
			if err := s.secrets.Delete(k); err != nil && !auth.IsNotFound(err) {
				return MailSettingsView{}, err
			}
		}
		err := db.Tx(ctx, func(tx *store.Tx) error {
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
	})
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
	if _, err := s.c.open(ctx); err != nil {
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
