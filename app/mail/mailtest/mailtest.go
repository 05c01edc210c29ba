// Package mailtest is a practice mailbox on loopback for tests: an IMAP
// server (go-imap's in-memory server) holding one user's mail, and an SMTP
// server (go-smtp) that asks for that user's password and records what it
// is given. The mail package's tests, the service's tests and the
// end-to-end mail server all use it.
package mailtest

import (
	"bytes"
	"crypto/tls"
	"io"
	"log"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"
	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// IMAPOptions shape the IMAP server.
type IMAPOptions struct {
	NoInbox bool        // the user has no INBOX
	Caps    imap.CapSet // nil: IMAP4rev2 (which includes IDLE and MOVE)
	// TLS, when set, is offered through STARTTLS (or served from the
	// first byte when the caller wraps the listener).
	TLS *tls.Config
}

// IMAP is an in-memory IMAP server with one user.
type IMAP struct {
	Server *imapserver.Server
	User   *imapmemserver.User
}

// NewIMAP returns the server for user and password; the caller serves it on
// a listener and closes it.
func NewIMAP(user, password string, o IMAPOptions) (*IMAP, error) {
	mem := imapmemserver.New()
	u := imapmemserver.NewUser(user, password)
	if !o.NoInbox {
		if err := u.Create("INBOX", nil); err != nil {
			return nil, err
		}
	}
	mem.AddUser(u)
	caps := o.Caps
	if caps == nil {
		caps = imap.CapSet{imap.CapIMAP4rev1: {}, imap.CapIMAP4rev2: {}}
	}
	srv := imapserver.New(&imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return mem.NewSession(), nil, nil
		},
		Caps:         caps,
		InsecureAuth: true,
		TLSConfig:    o.TLS,
		Logger:       log.New(io.Discard, "", 0),
	})
	return &IMAP{Server: srv, User: u}, nil
}

// Deliver puts a message into mailbox as a mail server would, received at.
func (m *IMAP) Deliver(mailbox string, raw []byte, at time.Time) error {
	_, err := m.User.Append(mailbox, literal{bytes.NewReader(raw)}, &imap.AppendOptions{Time: at})
	return err
}

type literal struct{ *bytes.Reader }

func (l literal) Size() int64 { return int64(l.Len()) }

// Message is one message the SMTP server accepted.
type Message struct {
	From string
	To   []string
	Data []byte
}

// SMTP records what it receives. It takes PLAIN authentication with User and
// Password only, and refuses any recipient at rejected.example, as a
// provider refuses an unknown address.
type SMTP struct {
	User, Password string

	mu   sync.Mutex
	msgs []Message
}

// NewSMTPServer returns a go-smtp server for b; the caller serves it on a
// listener and closes it. tlsCfg, when set, is offered through STARTTLS.
func NewSMTPServer(b *SMTP, tlsCfg *tls.Config) *smtp.Server {
	srv := smtp.NewServer(b)
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	srv.ErrorLog = log.New(io.Discard, "", 0)
	srv.TLSConfig = tlsCfg
	return srv
}

// Messages returns a copy of what was accepted, oldest first.
func (b *SMTP) Messages() []Message {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]Message(nil), b.msgs...)
}

// NewSession implements smtp.Backend.
func (b *SMTP) NewSession(*smtp.Conn) (smtp.Session, error) { return &session{b: b}, nil }

type session struct {
	b    *SMTP
	auth bool
	cur  Message
}

func (s *session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != s.b.User || pass != s.b.Password {
			return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "Authentication credentials invalid"}
		}
		s.auth = true
		return nil
	}), nil
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	if !s.auth {
		return smtp.ErrAuthRequired
	}
	s.cur = Message{From: from}
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if strings.HasSuffix(to, "@rejected.example") {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "No such user"}
	}
	s.cur.To = append(s.cur.To, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.cur.Data = b
	s.b.mu.Lock()
	s.b.msgs = append(s.b.msgs, s.cur)
	s.b.mu.Unlock()
	return nil
}

func (s *session) Reset()        {}
func (s *session) Logout() error { return nil }

// Listen listens on a free loopback port.
func Listen() (net.Listener, error) { return net.Listen("tcp", "127.0.0.1:0") }

// Port is the port ln listens on.
func Port(ln net.Listener) int { return ln.Addr().(*net.TCPAddr).Port }
