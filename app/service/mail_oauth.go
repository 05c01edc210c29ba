package service

import (
	"context"
	"encoding/json"
	"net/mail"
	"strings"

	"golang.org/x/oauth2"

	"practicepost/app"
	"practicepost/app/auth"
	pmail "practicepost/app/mail"
	"practicepost/app/release"
	"practicepost/app/store"
)

// mailOAuthKey is where the mailbox's OAuth token lives in the keychain.
var mailOAuthKey = auth.MailboxKey("oauth")

// mailProvider is one provider a mailbox can sign in with.
type mailProvider struct {
	label      string
	app        OAuthApp
	scopes     []string
	imap, smtp pmail.Server
	opts       []oauth2.AuthCodeOption
}

// defaultMailOAuthApps are the providers' endpoints with this build's
// client ids (empty when the build has none).
func defaultMailOAuthApps() map[string]OAuthApp {
	return map[string]OAuthApp{
		pmail.SignInMicrosoft: {ClientID: release.MicrosoftMailClientID,
			AuthURL:  "https://login.microsoftonline.com/common/oauth2/v2.0/authorize",
			TokenURL: "https://login.microsoftonline.com/common/oauth2/v2.0/token"},
		pmail.SignInGoogle: {ClientID: release.GoogleClientID, ClientSecret: release.GoogleClientSecret,
			AuthURL: "https://accounts.google.com/o/oauth2/v2/auth", TokenURL: "https://oauth2.googleapis.com/token"},
	}
}

func (s *MailService) mailProviders() map[string]mailProvider {
	apps := s.OAuthApps
	if apps == nil {
		apps = defaultMailOAuthApps()
	}
	return map[string]mailProvider{
		pmail.SignInMicrosoft: {label: "Microsoft", app: apps[pmail.SignInMicrosoft],
			// offline_access brings a refresh token; the two Outlook scopes
			// are the only ones IMAP and SMTP accept.
			scopes: []string{"https://outlook.office.com/IMAP.AccessAsUser.All", "https://outlook.office.com/SMTP.Send", "offline_access"},
			imap:   pmail.Server{Host: "outlook.office365.com", Port: 993, Security: pmail.SecurityTLS},
			smtp:   pmail.Server{Host: "smtp.office365.com", Port: 587, Security: pmail.SecuritySTARTTLS}},
		pmail.SignInGoogle: {label: "Google", app: apps[pmail.SignInGoogle],
			scopes: []string{"https://mail.google.com/"},
			imap:   pmail.Server{Host: "imap.gmail.com", Port: 993, Security: pmail.SecurityTLS},
			smtp:   pmail.Server{Host: "smtp.gmail.com", Port: 465, Security: pmail.SecurityTLS},
			// A refresh token, every time (Google sends one only on consent).
			opts: []oauth2.AuthCodeOption{oauth2.AccessTypeOffline, oauth2.SetAuthURLParam("prompt", "consent")}},
	}
}

// MailSignInOption is one way to sign in, as the Mailbox screen lists it.
type MailSignInOption struct {
	Provider  string `json:"provider"` // microsoft, google
	Label     string `json:"label"`
	Available bool   `json:"available"`
	// Note says plainly who should use it, or what this build lacks.
	Note string `json:"note"`
}

// SignInOptions lists the providers a mailbox can sign in with in this
// build, and why one cannot.
func (s *MailService) SignInOptions() ([]MailSignInOption, error) {
	if err := s.c.manager(); err != nil {
		return nil, err
	}
	ps := s.mailProviders()
	ms, gs := ps[pmail.SignInMicrosoft], ps[pmail.SignInGoogle]
	out := []MailSignInOption{
		{Provider: pmail.SignInMicrosoft, Label: "Microsoft 365 or Outlook.com", Available: ms.app.ClientID != "",
			Note: "Microsoft mailboxes accept only Microsoft's own sign-in from email programs: no password is entered here."},
		{Provider: pmail.SignInGoogle, Label: "Gmail or Google Workspace", Available: gs.app.ClientID != "",
			Note: "Sign in with Google, or use an app password below if your Google account allows one."},
	}
	for i := range out {
		if !out[i].Available {
			out[i].Note = "This copy of PracticePost was built without " + s.mailProviders()[out[i].Provider].label +
				" sign-in, so it cannot be used here. Install the released app, or use a mailbox that takes a password."
		}
	}
	return out, nil
}

// SignIn connects the mailbox by signing in with Microsoft or Google in the
// system browser (OAuth 2.0 with PKCE): the token goes to the keychain, the
// provider's servers are filled in, and watching for replies starts. address
// is the practice's email address at that provider.
func (s *MailService) SignIn(provider, address string) (MailSettingsView, error) {
	return withDB(s.c, func(ctx context.Context, db *store.DB) (MailSettingsView, error) {
		p, ok := s.mailProviders()[provider]
		if !ok {
			return MailSettingsView{}, app.FieldError("signIn", "Choose Microsoft or Google.")
		}
		if p.app.ClientID == "" {
			return MailSettingsView{}, app.Errorf(app.EUNAVAILABLE, "This copy of PracticePost was built without %s sign-in. Install the released app, or use a mailbox that takes a password.", p.label)
		}
		address = strings.TrimSpace(address)
		if a, err := mail.ParseAddress(address); err != nil || a.Address != address {
			return MailSettingsView{}, app.FieldError("fromAddress", "Enter the practice email address at %s, for example hello@yourpractice.co.uk.", p.label)
		}
		flow := &auth.Flow{Config: p.app.config(p.scopes), Provider: p.label, OpenBrowser: s.openBrowser, Timeout: s.SignInTimeout, AuthOptions: p.opts}
		tok, err := flow.Run(ctx)
		if err != nil {
			return MailSettingsView{}, err
		}
		if err := auth.SaveToken(s.secrets, mailOAuthKey, auth.TokenFromOAuth2(tok, address, p.scopes)); err != nil {
			return MailSettingsView{}, err
		}
		st, had, err := s.loadSettings(ctx, db)
		if err != nil {
			return MailSettingsView{}, err
		}
		if !had {
			st = newMailbox(ctx, db)
		}
		st.IMAP, st.SMTP, st.Username, st.FromAddress, st.SignIn = p.imap, p.smtp, address, address, provider
		if st.ConnectedAt.IsZero() {
			st.ConnectedAt = s.c.Clock.Now().UTC()
		}
		if err := st.Validate(); err != nil {
			return MailSettingsView{}, err
		}
		if err := s.storeSettings(ctx, db, st, "mail.signin"); err != nil {
			return MailSettingsView{}, err
		}
		s.restart()
		return s.settingsView(ctx, db)
	})
}

// newMailbox is a new mailbox's settings, named after the practice.
func newMailbox(ctx context.Context, db *store.DB) pmail.Settings {
	var st pmail.Settings
	if kit, err := db.BrandKit(ctx); err == nil {
		st.FromName = kit.PracticeName
	}
	return st
}

func (s *MailService) storeSettings(ctx context.Context, db *store.DB, st pmail.Settings, action string) error {
	b, _ := json.Marshal(st)
	return db.Tx(ctx, func(tx *store.Tx) error {
		if err := tx.SetState(ctx, keyMailSettings, string(b)); err != nil {
			return app.Internal(err, "PracticePost could not save the mailbox settings.")
		}
		return tx.Audit(ctx, "practice manager", action, "mailbox settings", nil)
	})
}

func (s *MailService) openBrowser(url string) error {
	if s.OpenBrowser == nil {
		return errNoBrowser
	}
	return s.OpenBrowser(url)
}

// oauthFor is the mailbox's token, from the keychain, refreshed when it has
// expired or a server has just refused it. A refresh that fails for a
// moment (offline, provider down) is an "unavailable" error the watcher
// retries; only a refused grant asks the practice to sign in again.
func (s *MailService) oauthFor(provider string) pmail.OAuthFunc {
	return func(ctx context.Context, refused string) (string, error) {
		p, ok := s.mailProviders()[provider]
		if !ok {
			return "", app.FieldError("signIn", "Sign in to the mailbox again in Settings → Mailbox.")
		}
		s.oauthMu.Lock()
		defer s.oauthMu.Unlock()
		tok, err := auth.LoadToken(s.secrets, mailOAuthKey)
		if err != nil {
			if auth.IsNotFound(err) {
				return "", app.FieldError("password", "PracticePost is not signed in to the mailbox on this computer. Sign in with %s in Settings → Mailbox.", p.label)
			}
			return "", err
		}
		if refused != "" && tok.AccessToken == refused {
			tok.AccessToken = "" // the server says it is no good: refresh now
		}
		bg := ctx
		if bg == nil {
			bg = context.Background()
		}
		ts := auth.NewTokenSource(context.WithoutCancel(bg), p.label, p.app.config(p.scopes), s.secrets, mailOAuthKey, tok, s.c.Clock)
		t, err := ts.Token()
		if err != nil {
			return "", err
		}
		return t.AccessToken, nil
	}
}

// oauthSaved reports whether a mailbox token is in the keychain.
func (s *MailService) oauthSaved() bool {
	_, err := auth.LoadToken(s.secrets, mailOAuthKey)
	return err == nil
}
