//go:build e2e

// Command mailserver is the end-to-end tests' practice mailbox: go-imap's
// in-memory IMAP server and a go-smtp server on loopback ports, plus a small
// HTTP control port the test uses to read what the app sent and to deliver
// a patient's reply into the INBOX. It prints its ports as one JSON line and
// runs until its stdin closes. Test-only: built with -tags e2e.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"
	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

var (
	user     = envOr("MAILSERVER_USER", "hello@harbourdental.example")
	password = envOr("MAILSERVER_PASSWORD", "app-password-for-tests")
)

func envOr(k, d string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return d
}

type outbox struct {
	mu   sync.Mutex
	msgs []string
}

func main() {
	mem := imapmemserver.New()
	u := imapmemserver.NewUser(user, password)
	if err := u.Create("INBOX", nil); err != nil {
		log.Fatal(err)
	}
	mem.AddUser(u)
	isrv := imapserver.New(&imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return mem.NewSession(), nil, nil
		},
		Caps:         imap.CapSet{imap.CapIMAP4rev1: {}, imap.CapIMAP4rev2: {}},
		InsecureAuth: true,
		Logger:       log.New(io.Discard, "", 0),
	})
	iln := listen()
	go isrv.Serve(iln)

	out := &outbox{}
	ssrv := smtp.NewServer(backend{out})
	ssrv.Domain, ssrv.AllowInsecureAuth = "localhost", true
	ssrv.ErrorLog = log.New(io.Discard, "", 0)
	sln := listen()
	go ssrv.Serve(sln)

	mux := http.NewServeMux()
	mux.HandleFunc("GET /sent", func(w http.ResponseWriter, r *http.Request) {
		out.mu.Lock()
		defer out.mu.Unlock()
		json.NewEncoder(w).Encode(out.msgs)
	})
	mux.HandleFunc("POST /deliver", func(w http.ResponseWriter, r *http.Request) {
		raw, err := io.ReadAll(r.Body)
		if err != nil || len(raw) == 0 {
			http.Error(w, "empty message", http.StatusBadRequest)
			return
		}
		if _, err := u.Append("INBOX", literal{bytes.NewReader(raw)}, &imap.AppendOptions{Time: time.Now()}); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	cln := listen()
	go http.Serve(cln, mux)

	fmt.Printf("{\"imap\":%d,\"smtp\":%d,\"control\":%d,\"user\":%q,\"password\":%q}\n",
		port(iln), port(sln), port(cln), user, password)
	io.Copy(io.Discard, os.Stdin) // the test closes stdin (or exits) to stop us
}

func listen() net.Listener {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	return ln
}

func port(ln net.Listener) int { return ln.Addr().(*net.TCPAddr).Port }

type literal struct{ *bytes.Reader }

func (l literal) Size() int64 { return int64(l.Len()) }

type backend struct{ out *outbox }

func (b backend) NewSession(*smtp.Conn) (smtp.Session, error) { return &session{out: b.out}, nil }

type session struct {
	out  *outbox
	auth bool
}

func (s *session) AuthMechanisms() []string { return []string{sasl.Plain} }
func (s *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, u, p string) error {
		if u != user || p != password {
			return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "Authentication credentials invalid"}
		}
		s.auth = true
		return nil
	}), nil
}
func (s *session) Mail(string, *smtp.MailOptions) error {
	if !s.auth {
		return smtp.ErrAuthRequired
	}
	return nil
}
func (s *session) Rcpt(string, *smtp.RcptOptions) error { return nil }
func (s *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.out.mu.Lock()
	s.out.msgs = append(s.out.msgs, string(b))
	s.out.mu.Unlock()
	return nil
}
func (s *session) Reset()        {}
func (s *session) Logout() error { return nil }
