package mail

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"practicepost/app"
	"practicepost/app/internal/dovecottest"
)

// fakeAuthServer is an OAuth 2.0 authorization server's introspection
// endpoint: Dovecot asks it whether a token is active and whose it is; the
// go-smtp test server asks it too.
type fakeAuthServer struct {
	mu     sync.Mutex
	active map[string]string // token -> user
	n      int
	asked  []string
}

func (f *fakeAuthServer) issue(user string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.n++
	tok := "ya29.tok-" + strconv.Itoa(f.n)
	f.active[tok] = user
	return tok
}

func (f *fakeAuthServer) expire(tok string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.active, tok)
}

func (f *fakeAuthServer) check(tok string) (string, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.asked = append(f.asked, tok)
	u, ok := f.active[tok]
	return u, ok
}

func startFakeAuth(t testing.TB) (*fakeAuthServer, string) {
	f := &fakeAuthServer{active: map[string]string{}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/introspect" || r.Method != http.MethodPost {
			http.NotFound(w, r)
			return
		}
		if err := r.ParseForm(); err != nil {
			http.Error(w, "bad form", http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		if u, ok := f.check(r.PostForm.Get("token")); ok {
			json.NewEncoder(w).Encode(map[string]any{"active": true, "username": u})
			return
		}
		json.NewEncoder(w).Encode(map[string]any{"active": false})
	}))
	t.Cleanup(srv.Close)
	return f, srv.URL + "/introspect"
}

// oauthSMTP is a go-smtp server that takes XOAUTH2 only, checking the
// token with the fake authorization server.
type oauthSMTP struct {
	auth *fakeAuthServer
	mu   sync.Mutex
	sent int
}

func (b *oauthSMTP) NewSession(*smtp.Conn) (smtp.Session, error) { return &oauthSession{b: b}, nil }

type oauthSession struct {
	b    *oauthSMTP
	user string
}

func (s *oauthSession) AuthMechanisms() []string { return []string{XOAUTH2} }

func (s *oauthSession) Auth(mech string) (sasl.Server, error) {
	if mech != XOAUTH2 {
		return nil, smtp.ErrAuthUnsupported
	}
	return &xoauth2Server{check: func(user, tok string) error {
		if u, ok := s.b.auth.check(tok); ok && u == user {
			s.user = user
			return nil
		}
		return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "Invalid token"}
	}}, nil
}

func (s *oauthSession) Mail(string, *smtp.MailOptions) error {
	if s.user == "" {
		return smtp.ErrAuthRequired
	}
	return nil
}
func (s *oauthSession) Rcpt(string, *smtp.RcptOptions) error { return nil }
func (s *oauthSession) Data(r io.Reader) error {
	io.Copy(io.Discard, r)
	s.b.mu.Lock()
	s.b.sent++
	s.b.mu.Unlock()
	return nil
}
func (s *oauthSession) Reset()        {}
func (s *oauthSession) Logout() error { return nil }

// xoauth2Server reads "user=…^Aauth=Bearer …^A^A"; a refused token gets the
// JSON challenge, then the failure.
type xoauth2Server struct {
	check  func(user, tok string) error
	failed error
}

func (s *xoauth2Server) Next(resp []byte) ([]byte, bool, error) {
	if s.failed != nil {
		return nil, true, s.failed
	}
	if resp == nil {
		return []byte{}, false, nil
	}
	var user, tok string
	for _, kv := range strings.Split(string(resp), "\x01") {
		if v, ok := strings.CutPrefix(kv, "user="); ok {
			user = v
		}
		if v, ok := strings.CutPrefix(kv, "auth=Bearer "); ok {
			tok = v
		}
	}
	if err := s.check(user, tok); err != nil {
		s.failed = err
		return []byte(`{"status":"401","schemes":"bearer","scope":"https://mail.google.com/"}`), false, nil
	}
	return nil, true, nil
}

func startOAuthSMTP(t testing.TB, auth *fakeAuthServer) (*oauthSMTP, int) {
	be := &oauthSMTP{auth: auth}
	srv := smtp.NewServer(be)
	srv.Domain, srv.AllowInsecureAuth = "localhost", true
	srv.ErrorLog = log.New(io.Discard, "", 0)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return be, ln.Addr().(*net.TCPAddr).Port
}

// tokens is the app's side: the current access token, refreshed when a
// server refuses it, as auth.TokenSource does from the keychain.
type tokens struct {
	mu      sync.Mutex
	auth    *fakeAuthServer
	current string
	refused []string
	fail    error
}

func (k *tokens) get(_ context.Context, refused string) (string, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.fail != nil {
		return "", k.fail
	}
	if refused != "" {
		k.refused = append(k.refused, refused)
		if refused == k.current {
			k.current = k.auth.issue(testUser)
		}
	}
	return k.current, nil
}

// dropProxy forwards to a server and can cut every open connection, as a
// server does when a token expires mid-session.
type dropProxy struct {
	port  int
	mu    sync.Mutex
	conns []net.Conn
}

func (p *dropProxy) dropAll() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

func startDropProxy(t testing.TB, port int) *dropProxy {
	p := &dropProxy{}
	// Registered first so it runs after the listener is closed.
	t.Cleanup(p.dropAll)
	p.port = relay{opened: func(client, server net.Conn) {
		p.mu.Lock()
		p.conns = append(p.conns, client, server)
		p.mu.Unlock()
	}}.start(t, port)
	return p
}

// Sign-in with an OAuth 2.0 token (XOAUTH2): IMAP through Debian's Dovecot
// with its oauth2 passdb asking a local introspection endpoint, SMTP
// through a go-smtp server checking the token. An expired token is
// refreshed and the sign-in retried without the practice noticing; when
// the server drops a connection because the token expired, the watcher
// reconnects with a fresh one and keeps reading replies.
func TestXOAUTH2SignInAndReconnect(t *testing.T) {
	auth, introspect := startFakeAuth(t)
	dc := dovecottest.StartOAuth(t, introspect, testUser)
	smtpBE, smtpPort := startOAuthSMTP(t, auth)
	px := startDropProxy(t, dc.Port)
	k := &tokens{auth: auth, current: auth.issue(testUser)}
	a := testAccount(px.port, smtpPort)
	a.Password = nil
	a.OAuth = k.get
	ctx := context.Background()

	if err := a.TestConnection(ctx); err != nil {
		t.Fatalf("test connection with a token: %v", err)
	}
	out, err := Compose(consentRequest(), a.Settings, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Send(ctx, out); err != nil || smtpBE.sent != 1 {
		t.Fatalf("send: %v (%d sent)", err, smtpBE.sent)
	}

	// The token expires between two syncs: the sign-in is refused once,
	// the token refreshed, the sync goes on.
	first := k.current
	auth.expire(first)
	store := NewMemStore()
	store.AddRequest(out.Sent)
	s := &Syncer{Account: a, Store: store, Clock: &app.FixedClock{T: time.Now().UTC().Add(-time.Minute)}, RecheckEvery: -1}
	dc.Append(t, testUser, "INBOX", reply(replySpec{subject: "Re: [" + out.Sent.Token + "] Your permission", text: "[x] Facebook\nFull name: Zoë Brontë"}))
	if rep, err := s.Sync(ctx); err != nil || rep.Recorded != 1 {
		t.Fatalf("sync after expiry: %+v %v", rep, err)
	}
	if len(k.refused) != 1 || k.refused[0] != first || k.current == first {
		t.Fatalf("refresh: refused %v, now %q", k.refused, k.current)
	}
	// Sending refreshes the same way.
	auth.expire(k.current)
	if err := a.Send(ctx, out); err != nil || smtpBE.sent != 2 || len(k.refused) != 2 {
		t.Fatalf("send after expiry: %v (%d sent, refused %v)", err, smtpBE.sent, k.refused)
	}

	// While the watcher sits in IDLE, the token expires and the server
	// drops the connection: the watcher reconnects by itself with a fresh
	// token and picks up the next reply.
	w := &Watcher{Syncer: s, IdleRefresh: time.Hour, RetryDelay: 50 * time.Millisecond}
	if err := w.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer w.Stop()
	waitFor(t, "the watcher in IDLE", func() bool { st := w.Status(); return st.UsingIdle && !st.LastSync.IsZero() })
	auth.expire(k.current)
	px.dropAll()
	dc.Append(t, testUser, "INBOX", reply(replySpec{subject: "Re: [" + out.Sent.Token + "] again", text: "Please also add Instagram?", messageID: "<second@mail.example.org>"}))
	waitFor(t, "the reply after reconnecting", func() bool { return len(store.Items()) == 2 })
	if len(k.refused) != 3 {
		t.Fatalf("refused tokens %v", k.refused)
	}

	// A server that refuses even the fresh token: sign in again.
	bad := &tokens{auth: &fakeAuthServer{active: map[string]string{}}, current: "not-a-token"}
	bad.auth.n = 100
	a.OAuth = bad.get
	err = a.TestConnection(ctx)
	if app.ErrorCode(err) != app.EFORBIDDEN || !strings.Contains(app.ErrorMessage(err), "Sign in to the mailbox again") || len(bad.refused) != 1 {
		t.Fatalf("refused twice: %v (refused %v)", err, bad.refused)
	}
	a.OAuth = k.get

	// A refresh that fails (the practice revoked PracticePost's access)
	// says to sign in again; nothing else is tried.
	k.fail = app.FieldError("password", "Sign in to the mailbox again in Settings → Mailbox.")
	err = a.TestConnection(ctx)
	if app.ErrorField(err) != "password" || !strings.Contains(app.ErrorMessage(err), "Settings → Mailbox") {
		t.Fatalf("failed refresh: %v", err)
	}
	k.fail = errors.New("dial tcp: connection refused")
	if err := a.TestConnection(ctx); app.ErrorCode(err) != app.EUNAVAILABLE {
		t.Fatalf("transient refresh failure: %v", err)
	}
}
