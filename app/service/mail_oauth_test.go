package service_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"practicepost/app"
	"practicepost/app/auth"
	"practicepost/app/auth/authfake"
	"practicepost/app/internal/dovecottest"
	"practicepost/app/mail"
	"practicepost/app/service"
)

// introspection answers Dovecot's oauth2 passdb: a token the fake provider
// issued ("at-…") is active for the practice's address until expired.
type introspection struct {
	mu      sync.Mutex
	expired map[string]bool
	user    string
}

func (i *introspection) expire(tok string) {
	i.mu.Lock()
	defer i.mu.Unlock()
	i.expired[tok] = true
}

func (i *introspection) serve(t *testing.T) string {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		tok := r.PostForm.Get("token")
		i.mu.Lock()
		ok := strings.HasPrefix(tok, "at-") && !i.expired[tok]
		i.mu.Unlock()
		json.NewEncoder(w).Encode(map[string]any{"active": ok, "username": i.user})
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// Sign in with Microsoft (a fake authorization server, PKCE through the
// "system browser"): the token goes to the keychain, never the data file;
// the mailbox is watched through Debian's Dovecot taking the token
// (XOAUTH2); an expired token is refreshed without the practice noticing.
func TestMailboxSignInWithMicrosoft(t *testing.T) {
	const address = "hello@harbour.example"
	in := &introspection{expired: map[string]bool{}, user: address}
	dc := dovecottest.StartOAuth(t, in.serve(t), mailUser)
	provider := authfake.New()
	t.Cleanup(provider.Close)
	browser := authfake.NewBrowser()
	w := newMailWorld(t)
	w.mail.OpenBrowser = browser.Open
	w.mail.SignInTimeout = 10 * time.Second
	w.mail.IdleRefresh = time.Hour

	// A build without the registration says so and changes nothing.
	w.mail.OAuthApps = map[string]service.OAuthApp{mail.SignInMicrosoft: {}, mail.SignInGoogle: {}}
	opts, _ := w.mail.SignInOptions()
	if len(opts) != 2 || opts[0].Available || !strings.Contains(opts[0].Note, "built without Microsoft") {
		t.Fatalf("options without client ids: %+v", opts)
	}
	if _, err := w.mail.SignIn(mail.SignInMicrosoft, address); app.ErrorCode(err) != app.EUNAVAILABLE {
		t.Fatalf("sign-in without a client id: %v", err)
	}

	w.mail.OAuthApps = map[string]service.OAuthApp{mail.SignInMicrosoft: {ClientID: provider.ClientID,
		AuthURL: provider.URL + "/authorize", TokenURL: provider.URL + "/token"}}
	if opts, _ = w.mail.SignInOptions(); !opts[0].Available || opts[1].Available {
		t.Fatalf("options: %+v", opts)
	}
	if _, err := w.mail.SignIn(mail.SignInMicrosoft, "not an address"); app.ErrorField(err) != "fromAddress" {
		t.Fatalf("bad address: %v", err)
	}
	v, err := w.mail.SignIn(mail.SignInMicrosoft, address)
	if err != nil {
		t.Fatal(err)
	}
	if !v.Configured || !v.SignedIn || v.Settings.SignIn != mail.SignInMicrosoft || v.Settings.IMAP.Host != "outlook.office365.com" ||
		v.Settings.SMTP.Port != 587 || v.Settings.Username != address || v.Settings.ConnectedAt.IsZero() {
		t.Fatalf("after sign-in: %+v", v)
	}
	urls := browser.URLs()
	if len(urls) != 1 || !strings.Contains(authfake.Param(urls[0], "scope"), "IMAP.AccessAsUser.All") || authfake.Param(urls[0], "code_challenge_method") != "S256" {
		t.Fatalf("authorize URL %v", urls)
	}
	tok, err := auth.LoadToken(w.secrets, auth.MailboxKey("oauth"))
	if err != nil || !strings.HasPrefix(tok.AccessToken, "at-") || tok.RefreshToken == "" {
		t.Fatalf("token in the keychain: %v %v", tok, err)
	}
	db, _ := w.core.DB()
	if raw, _ := db.State(t.Context(), "mail.settings"); strings.Contains(raw, tok.AccessToken) || strings.Contains(raw, tok.RefreshToken) {
		t.Fatal("the token reached the data file")
	}

	// Point it at the test servers (the screen keeps the sign-in).
	st := v.Settings
	st.IMAP = mail.Server{Host: "127.0.0.1", Port: dc.Port, Security: mail.SecurityNone}
	st.SMTP = w.srv.settings().SMTP
	if _, err := w.mail.SaveSettings(service.MailSettingsInput{Settings: st}); err != nil {
		t.Fatalf("save with the sign-in: %v", err)
	}
	waitFor(t, "watching with the token", func() bool { s, _ := w.mail.Status(); return s.Watching && s.LastSync != "" && s.LastError == "" })

	// The token expires: the next connection is refused once, the token
	// is refreshed through the provider and saved, and nobody is asked.
	in.expire(tok.AccessToken)
	_, refreshesBefore := provider.Counts()
	if _, err := w.mail.SaveSettings(service.MailSettingsInput{Settings: st}); err != nil { // reconnects
		t.Fatal(err)
	}
	waitFor(t, "the refreshed sign-in", func() bool {
		_, n := provider.Counts()
		s, _ := w.mail.Status()
		return n == refreshesBefore+1 && s.Watching && s.LastError == "" && s.LastSync != ""
	})
	fresh, _ := auth.LoadToken(w.secrets, auth.MailboxKey("oauth"))
	if fresh.AccessToken == tok.AccessToken {
		t.Fatal("the refreshed token was not saved")
	}

	// A refresh that fails for a moment (the provider answers 503) never
	// disconnects: the sign-in stays, the status says it will retry, and
	// the next try works.
	in.expire(fresh.AccessToken)
	provider.FailNext(authfake.Failure{Status: 503})
	if _, err := w.mail.SaveSettings(service.MailSettingsInput{Settings: st}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the transient failure", func() bool { s, _ := w.mail.Status(); return strings.Contains(s.LastError, "temporarily unavailable") })
	if v, _ := w.mail.Settings(); !v.Configured || !v.SignedIn || v.Settings.SignIn != mail.SignInMicrosoft {
		t.Fatalf("after a transient failure: %+v", v)
	}
	if still, _ := auth.LoadToken(w.secrets, auth.MailboxKey("oauth")); still.RefreshToken == "" || still.NeedsReconnect {
		t.Fatalf("token after a transient failure: %v", still)
	}
	if _, err := w.mail.CheckNow(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the retry", func() bool { s, _ := w.mail.Status(); return s.Watching && s.LastError == "" })

	// Signed-in settings cannot be saved without a sign-in, and removing
	// the mailbox forgets the token.
	if _, err := w.mail.RemoveMailbox(); err != nil {
		t.Fatal(err)
	}
	if _, err := auth.LoadToken(w.secrets, auth.MailboxKey("oauth")); !auth.IsNotFound(err) {
		t.Fatalf("token after removing the mailbox: %v", err)
	}
	if _, err := w.mail.SaveSettings(service.MailSettingsInput{Settings: st}); app.ErrorField(err) != "signIn" {
		t.Fatalf("save a signed-in mailbox without a token: %v", err)
	}
}
