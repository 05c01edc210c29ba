package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"practicepost/app"
)

// stage is how far a connection got before it failed; the same low-level
// error means different things at different stages (an EOF during the TLS
// handshake is a TLS problem, an EOF after login is a dropped connection).
type stage int

const (
	stageConnect stage = iota
	stageGreeting
	stageTLS
	stageLogin
	stageMailbox
	stageCommand
)

const (
	defaultDialTimeout = 20 * time.Second
	defaultReadTimeout = 90 * time.Second
)

func (a *Account) readTimeout() time.Duration {
	if a.ReadTimeout == 0 {
		return defaultReadTimeout
	}
	return a.ReadTimeout
}

// quietConn ends an IMAP connection that goes silent: each read must bring
// data within its allowance, so a server or network that stops answering
// (a laptop woken from sleep, a router that dropped the connection) fails
// the command, and the watcher connects again, instead of waiting for
// ever while its status says all is well. IDLE, where silence is the
// point, gets a longer allowance while it lasts (allowSilence).
type quietConn struct {
	net.Conn
	base  time.Duration // how long the server may be silent while answering
	allow atomic.Int64  // how long a read may wait now, in nanoseconds
}

func newQuietConn(c net.Conn, base time.Duration) *quietConn {
	q := &quietConn{Conn: c, base: base}
	q.allow.Store(int64(base))
	return q
}

func (c *quietConn) Read(b []byte) (int, error) {
	if err := c.Conn.SetReadDeadline(time.Now().Add(time.Duration(c.allow.Load()))); err != nil {
		return 0, err
	}
	return c.Conn.Read(b)
}

// allowSilence lets the server be silent for d more than while answering,
// from now on, the read under way included: while idling or between polls.
func (c *quietConn) allowSilence(d time.Duration) { c.setAllowance(c.base + d) }

// expectAnswers goes back to the allowance of a server answering a command.
func (c *quietConn) expectAnswers() { c.setAllowance(c.base) }

func (c *quietConn) setAllowance(d time.Duration) {
	c.allow.Store(int64(d))
	c.Conn.SetReadDeadline(time.Now().Add(d))
}

func (a *Account) tlsConfig(host string) *tls.Config {
	var cfg *tls.Config
	if a.TLSConfig != nil {
		cfg = a.TLSConfig.Clone()
	} else {
		cfg = &tls.Config{}
	}
	if cfg.ServerName == "" {
		cfg.ServerName = host
	}
	if cfg.MinVersion == 0 {
		cfg.MinVersion = tls.VersionTLS12
	}
	return cfg
}

// dial opens the TCP connection and, for implicit TLS, completes the
// handshake, so that each failure is attributed to the right stage.
func (a *Account) dialTimeout() time.Duration {
	if a.DialTimeout == 0 {
		return defaultDialTimeout
	}
	return a.DialTimeout
}

// dial expects ctx to carry the connect-phase deadline.
func (a *Account) dial(ctx context.Context, srv Server) (net.Conn, stage, error) {
	d := net.Dialer{Resolver: a.Resolver}
	conn, err := d.DialContext(ctx, "tcp", srv.addr())
	if err != nil {
		return nil, stageConnect, err
	}
	if srv.Security != SecurityTLS {
		return conn, stageConnect, nil
	}
	tc := tls.Client(conn, a.tlsConfig(srv.Host))
	if err := tc.HandshakeContext(ctx); err != nil {
		conn.Close()
		return nil, stageTLS, err
	}
	return tc, stageTLS, nil
}

func (a *Account) password(ctx context.Context) (string, error) {
	if a.Password == nil {
		return "", app.FieldError("password", "Enter the mailbox password.")
	}
	pw, err := a.Password(ctx)
	if err != nil {
		var ae *app.Error
		if errors.As(err, &ae) {
			return "", err
		}
		return "", app.Internal(err, "PracticePost could not read the mailbox password from this computer's keychain. Enter the password again in Settings → Mailbox.")
	}
	if pw == "" {
		return "", app.FieldError("password", "Enter the mailbox password.")
	}
	return pw, nil
}

// imapSession is a logged-in IMAP connection. Closing the context passed to
// connectIMAP tears the connection down, which unblocks any pending command.
type imapSession struct {
	c     *imapclient.Client
	stop  func() bool
	quiet *quietConn
	// processed is the processed-mail folder's name on this server once
	// it is known to exist.
	processed string
}

func (s *imapSession) Close() {
	s.stop()
	// Logout is polite but must not hang on a dead server.
	done := make(chan struct{})
	go func() {
		_ = s.c.Logout().Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(2 * time.Second):
	}
	s.c.Close()
}

func (a *Account) connectIMAP(ctx context.Context, handler *imapclient.UnilateralDataHandler) (*imapSession, error) {
	sess, refused, err := a.connectIMAPWith(ctx, handler, "")
	if refused != "" {
		// The server refused the access token (expired or revoked): get a
		// fresh one and connect again, without troubling the practice.
		sess, _, err = a.connectIMAPWith(ctx, handler, refused)
	}
	return sess, err
}

// connectIMAPWith connects and signs in once. With OAuth, refused is the
// token the server refused on the previous attempt ("" on the first), and
// the token this attempt was refused comes back as refusedNow.
func (a *Account) connectIMAPWith(ctx context.Context, handler *imapclient.UnilateralDataHandler, refused string) (_ *imapSession, refusedNow string, _ error) {
	srv := a.Settings.IMAP
	if err := a.Settings.IMAP.validate("imap"); err != nil {
		return nil, "", err
	}
	var pw, tok string
	var err error
	if a.OAuth != nil {
		tok, err = a.oauthToken(ctx, refused)
	} else {
		pw, err = a.password(ctx)
	}
	if err != nil {
		return nil, "", err
	}
	// Everything up to a completed login shares one deadline, so a server
	// that never greets (wrong security setting for the port) cannot hang.
	phase, cancel := context.WithTimeout(ctx, a.dialTimeout())
	defer cancel()
	raw, st, err := a.dial(phase, srv)
	if err != nil {
		return nil, "", a.classify("imap", srv, st, ctxErr(phase, err))
	}
	conn := newQuietConn(raw, a.readTimeout())
	stopPhase := context.AfterFunc(phase, func() { conn.Close() })
	opts := &imapclient.Options{UnilateralDataHandler: handler, TLSConfig: a.tlsConfig(srv.Host)}
	var c *imapclient.Client
	if srv.Security == SecuritySTARTTLS {
		c, err = imapclient.NewStartTLS(conn, opts)
		if err != nil {
			conn.Close()
			return nil, "", a.classify("imap", srv, stageTLS, ctxErr(phase, err))
		}
	} else {
		c = imapclient.New(conn, opts)
		if err := c.WaitGreeting(); err != nil {
			c.Close()
			return nil, "", a.classify("imap", srv, stageGreeting, ctxErr(phase, err))
		}
	}
	if a.OAuth != nil {
		// A refused token ends this connection (go-imap cannot answer the
		// server's error challenge with an empty line); the caller tries
		// once more with a fresh token.
		err = c.Authenticate(&xoauth2Client{user: a.Settings.Username, token: tok, cancel: true})
		if (errors.Is(err, errTokenRefused) || isAuthFailure(err)) && refused == "" {
			c.Close()
			return nil, tok, a.classify("imap", srv, stageLogin, err)
		}
	} else {
		err = c.Login(a.Settings.Username, pw).Wait()
	}
	if err != nil {
		c.Close()
		return nil, "", a.classify("imap", srv, stageLogin, ctxErr(phase, err))
	}
	if !stopPhase() {
		c.Close()
		return nil, "", a.classify("imap", srv, stageLogin, ctxErr(phase, net.ErrClosed))
	}
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	return &imapSession{c: c, stop: stop, quiet: conn}, "", nil
}

func (a *Account) connectSMTP(ctx context.Context) (*smtp.Client, func() bool, error) {
	srv := a.Settings.SMTP
	if err := srv.validate("smtp"); err != nil {
		return nil, nil, err
	}
	var pw, tok string
	var err error
	if a.OAuth != nil {
		tok, err = a.oauthToken(ctx, "")
	} else {
		pw, err = a.password(ctx)
	}
	if err != nil {
		return nil, nil, err
	}
	phase, cancel := context.WithTimeout(ctx, a.dialTimeout())
	defer cancel()
	conn, st, err := a.dial(phase, srv)
	if err != nil {
		return nil, nil, a.classify("smtp", srv, st, ctxErr(phase, err))
	}
	stopPhase := context.AfterFunc(phase, func() { conn.Close() })
	fail := func(c io.Closer, st stage, err error) (*smtp.Client, func() bool, error) {
		stopPhase()
		c.Close()
		return nil, nil, a.classify("smtp", srv, st, ctxErr(phase, err))
	}
	var c *smtp.Client
	if srv.Security == SecuritySTARTTLS {
		c, err = smtp.NewClientStartTLS(conn, a.tlsConfig(srv.Host))
		if err != nil {
			return fail(conn, stageTLS, err)
		}
		// The handshake happens on the first command after STARTTLS.
		if err := c.Hello("localhost"); err != nil {
			return fail(c, stageTLS, err)
		}
	} else {
		c = smtp.NewClient(conn)
		if err := c.Hello("localhost"); err != nil {
			return fail(c, stageGreeting, err)
		}
	}
	done := func() (*smtp.Client, func() bool, error) {
		if !stopPhase() {
			return fail(c, stageLogin, net.ErrClosed)
		}
		return c, context.AfterFunc(ctx, func() { conn.Close() }), nil
	}
	if ok, _ := c.Extension("AUTH"); !ok {
		if srv.Security == SecurityNone {
			// A local relay that takes mail without sign-in.
			return done()
		}
		return fail(c, stageLogin, errNoAuth)
	}
	if a.OAuth != nil {
		if !c.SupportsAuth(XOAUTH2) {
			return fail(c, stageLogin, errNoOAuth)
		}
		err := c.Auth(&xoauth2Client{user: a.Settings.Username, token: tok})
		if err != nil && isAuthFailure(err) {
			if tok, err = a.oauthToken(phase, tok); err != nil {
				stopPhase()
				c.Close()
				return nil, nil, err
			}
			err = c.Auth(&xoauth2Client{user: a.Settings.Username, token: tok})
		}
		if err != nil {
			return fail(c, stageLogin, err)
		}
		return done()
	}
	var auth sasl.Client
	if c.SupportsAuth(sasl.Plain) {
		auth = sasl.NewPlainClient("", a.Settings.Username, pw)
	} else if c.SupportsAuth(sasl.Login) {
		auth = sasl.NewLoginClient(a.Settings.Username, pw)
	} else {
		return fail(c, stageLogin, errNoAuth)
	}
	if err := c.Auth(auth); err != nil {
		return fail(c, stageLogin, err)
	}
	return done()
}

var (
	errNoAuth  = errors.New("server offers no password sign-in (PLAIN or LOGIN)")
	errNoOAuth = errors.New("server offers no OAuth sign-in (XOAUTH2)")
)

func ctxErr(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return err
}

// TestConnection signs in to the IMAP and SMTP servers, opens the watched
// mailbox and reports the first thing that failed as an *app.Error whose
// message says what to do next. Nothing is sent and nothing is changed.
func (a *Account) TestConnection(ctx context.Context) error {
	if err := a.Settings.Validate(); err != nil {
		return err
	}
	s, err := a.connectIMAP(ctx, nil)
	if err != nil {
		return err
	}
	_, err = s.c.Select(a.Settings.mailbox(), &imap.SelectOptions{ReadOnly: true}).Wait()
	s.Close()
	if err != nil {
		return a.classify("imap", a.Settings.IMAP, stageMailbox, ctxErr(ctx, err))
	}
	c, stop, err := a.connectSMTP(ctx)
	if err != nil {
		return err
	}
	stop()
	_ = c.Quit()
	c.Close()
	return nil
}

// classify turns a low-level failure into the one sentence a practice
// manager needs. The cause stays in Err for the log.
func (a *Account) classify(proto string, srv Server, st stage, err error) error {
	label := strings.ToUpper(proto)
	host := srv.Host
	wrap := func(code, field, msg string) error {
		return &app.Error{Code: code, Field: field, Message: msg, Err: err}
	}
	var ae *app.Error
	if errors.As(err, &ae) {
		return err
	}
	if errors.Is(err, context.Canceled) {
		return wrap(app.EUNAVAILABLE, "", "The connection to the mail server was stopped before it finished. Try again.")
	}

	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		if dnsErr.IsNotFound {
			return wrap(app.EINVALID, proto+".host", "The "+label+" server \""+host+"\" could not be found. Check the spelling of the server name (your email provider's help pages list it).")
		}
		return wrap(app.EUNAVAILABLE, proto+".host", "The "+label+" server name \""+host+"\" could not be looked up. Check that this computer is connected to the internet, then try again.")
	}
	if errors.Is(err, syscall.ECONNREFUSED) {
		return wrap(app.EUNAVAILABLE, proto+".port", "The "+label+" server "+host+" refused the connection on port "+strconv.Itoa(srv.Port)+". Check the port number and security setting: "+label+" usually uses "+usualPorts(proto)+".")
	}
	if isTimeout(err) {
		switch st {
		case stageConnect:
			return wrap(app.EUNAVAILABLE, proto+".port", "The "+label+" server "+host+" did not answer on port "+strconv.Itoa(srv.Port)+". Check the port number, that this computer is online, and that a firewall or antivirus is not blocking email.")
		case stageGreeting, stageTLS:
			return wrap(app.EUNAVAILABLE, proto+".security", "The "+label+" server "+host+" did not respond as expected on port "+strconv.Itoa(srv.Port)+". The security setting probably does not match the port: "+label+" usually uses "+usualPorts(proto)+".")
		}
		return wrap(app.EUNAVAILABLE, "", "The "+label+" server "+host+" stopped answering. Try again in a few minutes.")
	}

	switch st {
	case stageConnect:
		return wrap(app.EUNAVAILABLE, proto+".host", "PracticePost could not connect to the "+label+" server "+host+" on port "+strconv.Itoa(srv.Port)+". Check the server name and port, and that this computer is online.")
	case stageTLS:
		other := "STARTTLS"
		if srv.Security == SecuritySTARTTLS {
			other = "TLS"
		}
		if isCertError(err) {
			return wrap(app.EUNAVAILABLE, proto+".security", "The "+label+" server "+host+" presented a security certificate that cannot be trusted for this name. Check the server name is exactly the one your email provider gives; do not continue on a network you do not trust.")
		}
		return wrap(app.EUNAVAILABLE, proto+".security", "A secure ("+string(srv.Security)+") connection to the "+label+" server "+host+" on port "+strconv.Itoa(srv.Port)+" could not be set up. Check the security setting and port: "+label+" usually uses "+usualPorts(proto)+". Try "+other+" if your provider says so.")
	case stageLogin:
		if errors.Is(err, errNoOAuth) {
			return wrap(app.EUNAVAILABLE, proto+".host", "The "+label+" server "+host+" does not offer sign-in with Microsoft or Google on this connection. Check the server name and port.")
		}
		if errors.Is(err, errNoAuth) {
			return wrap(app.EUNAVAILABLE, proto+".security", "The "+label+" server "+host+" does not offer a password sign-in on this connection. Check the port and security setting with your email provider.")
		}
		if requiresTLS(err) {
			return wrap(app.EFORBIDDEN, proto+".security", "The "+label+" server "+host+" only accepts a sign-in over a secure connection. Choose TLS or STARTTLS.")
		}
		if isAuthFailure(err) && a.OAuth != nil {
			return wrap(app.EFORBIDDEN, "password", "The "+label+" server "+host+" did not accept PracticePost's sign-in for "+a.Settings.Username+". Sign in to the mailbox again in Settings → Mailbox.")
		}
		if isAuthFailure(err) {
			return wrap(app.EFORBIDDEN, "password", "The "+label+" server "+host+" did not accept the user name and password. "+loginAdvice(host))
		}
	case stageMailbox:
		var ie *imap.Error
		if errors.As(err, &ie) && ie.Type == imap.StatusResponseTypeNo {
			mbox := a.Settings.mailbox()
			if mbox == "INBOX" {
				return wrap(app.ENOTFOUND, "username", "Signed in, but this mailbox has no INBOX folder, so replies cannot be read. Check that the user name is a mailbox that receives email (not an alias or a group address).")
			}
			return wrap(app.ENOTFOUND, "mailbox", "Signed in, but the folder \""+mbox+"\" does not exist. Check the folder name, or use INBOX.")
		}
	}
	if isClosed(err) {
		return wrap(app.EUNAVAILABLE, "", "The "+label+" server "+host+" closed the connection. Try again in a few minutes; if it keeps happening, check the security setting and port.")
	}
	return wrap(app.EUNAVAILABLE, "", "The "+label+" server "+host+" answered with an error. Try again in a few minutes; if it keeps happening, check the settings with your email provider.")
}

func isTimeout(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

func isClosed(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, net.ErrClosed) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)
}

func isCertError(err error) bool {
	var cv *tls.CertificateVerificationError
	return errors.As(err, &cv)
}

func isAuthFailure(err error) bool {
	if errors.Is(err, errTokenRefused) {
		return true
	}
	var ie *imap.Error
	if errors.As(err, &ie) {
		return ie.Type == imap.StatusResponseTypeNo
	}
	var se *smtp.SMTPError
	if errors.As(err, &se) {
		// 535 bad credentials, 534 "application-specific password required"
		// (Gmail), 454 temporary auth failure is still a failed sign-in.
		return se.Code == 535 || se.Code == 534 || se.Code == 454
	}
	return false
}

func requiresTLS(err error) bool {
	var ie *imap.Error
	if errors.As(err, &ie) {
		return ie.Code == imap.ResponseCodePrivacyRequired
	}
	var se *smtp.SMTPError
	if errors.As(err, &se) {
		return se.Code == 530 || se.Code == 538
	}
	return false
}

// loginAdvice names the one fix that works for the big hosted providers:
// they refuse the normal account password over IMAP/SMTP.
func loginAdvice(host string) string {
	h := strings.ToLower(host)
	switch {
	case h == "imap.gmail.com" || h == "smtp.gmail.com" || strings.HasSuffix(h, ".googlemail.com"):
		return "Gmail and Google Workspace need an app password here, not your normal Google password: turn on 2-Step Verification, then create one under Google Account → Security → App passwords and paste it in. Signing in with Google directly (OAuth) is not available yet."
	case h == "outlook.office365.com" || h == "smtp.office365.com" || h == "smtp-mail.outlook.com" ||
		h == "imap-mail.outlook.com" || strings.HasSuffix(h, ".outlook.com"):
		// Microsoft switched off password sign-in for IMAP (Exchange Online, 2022; Outlook.com, 2024);
		// an app password does not get round it, so saying "use one" would send people in circles.
		return "Microsoft 365 and Outlook.com mailboxes accept only Microsoft's own sign-in from email programs, which PracticePost cannot do yet. Use another mailbox for consent replies, for example one from the company that hosts your website."
	}
	return "Check the user name (usually the full email address) and the password, then try again. Some providers need a separate app password for email programs."
}
