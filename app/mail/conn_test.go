package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-smtp"

	"practicepost/app"
)

func TestSettingsValidate(t *testing.T) {
	good := Settings{
		IMAP:     Server{Host: "imap.example.com", Port: 993, Security: SecurityTLS},
		SMTP:     Server{Host: "smtp.example.com", Port: 587, Security: SecuritySTARTTLS},
		Username: "me@example.com", FromAddress: "me@example.com", FromName: "Riverside Dental",
	}
	tests := []struct {
		name   string
		change func(*Settings)
		field  string // "" means valid
		says   string
	}{
		{"valid", func(*Settings) {}, "", ""},
		{"plain to loopback IP", func(s *Settings) { s.IMAP = Server{Host: "127.0.0.1", Port: 1143, Security: SecurityNone} }, "", ""},
		{"plain to localhost", func(s *Settings) { s.SMTP = Server{Host: "localhost", Port: 1025, Security: SecurityNone} }, "", ""},
		{"plain to ::1", func(s *Settings) { s.SMTP = Server{Host: "::1", Port: 1025, Security: SecurityNone} }, "", ""},
		{"plain to remote refused", func(s *Settings) { s.IMAP.Security = SecurityNone }, "imap.security", "in the clear"},
		{"plain smtp to LAN refused", func(s *Settings) { s.SMTP = Server{Host: "192.168.1.10", Port: 25, Security: SecurityNone} }, "smtp.security", "in the clear"},
		{"unknown security", func(s *Settings) { s.IMAP.Security = "ssl3" }, "imap.security", "TLS or STARTTLS"},
		{"empty host", func(s *Settings) { s.IMAP.Host = "" }, "imap.host", "imap.example.com"},
		{"url as host", func(s *Settings) { s.SMTP.Host = "https://smtp.example.com" }, "smtp.host", "without spaces"},
		{"port zero", func(s *Settings) { s.IMAP.Port = 0 }, "imap.port", "993"},
		{"port too big", func(s *Settings) { s.SMTP.Port = 70000 }, "smtp.port", "587"},
		{"no username", func(s *Settings) { s.Username = " " }, "username", "full email address"},
		{"bad from", func(s *Settings) { s.FromAddress = "reception at example" }, "fromAddress", "not an email address"},
		{"from name with newline", func(s *Settings) { s.FromName = "A\r\nBcc: x@y" }, "fromName", "one line"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := good
			tt.change(&s)
			code := app.EINVALID
			if tt.field == "" {
				code = ""
			}
			wantOutcome(t, s.Validate(), code, tt.field, tt.says)
		})
	}
}

// nxdomainServer answers every DNS question with "no such name", like a real
// resolver asked for a mistyped host.
func nxdomainServer(t *testing.T) *net.Resolver {
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pc.Close() })
	go func() {
		buf := make([]byte, 1500)
		for {
			n, addr, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			q := buf[:n]
			if len(q) < 12 {
				continue
			}
			// Header + question only: QR, RD, RA set; RCODE 3 (NXDOMAIN).
			end := 12
			for end < len(q) && q[end] != 0 {
				end += int(q[end]) + 1
			}
			end += 5
			if end > len(q) {
				continue
			}
			resp := append([]byte(nil), q[:end]...)
			resp[2], resp[3] = 0x81, 0x83
			resp[6], resp[7], resp[8], resp[9], resp[10], resp[11] = 0, 0, 0, 0, 0, 0
			pc.WriteTo(resp, addr)
		}
	}()
	return &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, _, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, "udp", pc.LocalAddr().String())
	}}
}

func closedPort(t *testing.T) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	return port
}

func TestTestConnection(t *testing.T) {
	cert, pool := testCert(t)
	plain := startIMAP(t, imapOpts{})
	noInbox := startIMAP(t, imapOpts{noInbox: true})
	tlsIMAP := startIMAP(t, imapOpts{implicitTLS: true, startTLS: &cert})
	starttlsIMAP := startIMAP(t, imapOpts{startTLS: &cert})
	smtpPlain := startSMTP(t, nil)
	smtpTLS := startSMTP(t, &cert)
	resolver := nxdomainServer(t)

	tests := []struct {
		name  string
		setup func(a *Account)
		code  string // "" means success
		field string
		says  string
	}{
		{"ok over loopback", func(*Account) {}, "", "", ""},
		{"ok over TLS and STARTTLS", func(a *Account) {
			a.Settings.IMAP = Server{Host: "127.0.0.1", Port: tlsIMAP.port, Security: SecurityTLS}
			a.Settings.SMTP = Server{Host: "127.0.0.1", Port: smtpTLS.port, Security: SecuritySTARTTLS}
			a.TLSConfig = &tls.Config{RootCAs: pool}
		}, "", "", ""},
		{"ok over IMAP STARTTLS", func(a *Account) {
			a.Settings.IMAP = Server{Host: "127.0.0.1", Port: starttlsIMAP.port, Security: SecuritySTARTTLS}
			a.TLSConfig = &tls.Config{RootCAs: pool}
		}, "", "", ""},
		{"wrong password", func(a *Account) {
			a.Password = func(context.Context) (string, error) { return "Tr0ub4dor&3", nil }
		}, app.EFORBIDDEN, "password", "did not accept the user name and password"},
		{"no INBOX", func(a *Account) { a.Settings.IMAP.Port = noInbox.port }, app.ENOTFOUND, "username", "no INBOX"},
		{"connection refused", func(a *Account) { a.Settings.IMAP.Port = closedPort(t) }, app.EUNAVAILABLE, "imap.port", "refused the connection"},
		{"host not found", func(a *Account) {
			a.Settings.IMAP = Server{Host: "imap.riversidedental.invalid", Port: 993, Security: SecurityTLS}
			a.Resolver = resolver
		}, app.EINVALID, "imap.host", "could not be found"},
		{"TLS to a plain port", func(a *Account) { a.Settings.IMAP.Security = SecurityTLS }, app.EUNAVAILABLE, "imap.security", "secure (tls) connection"},
		{"STARTTLS not offered", func(a *Account) { a.Settings.IMAP.Security = SecuritySTARTTLS }, app.EUNAVAILABLE, "imap.security", "secure (starttls) connection"},
		{"plain to a TLS port", func(a *Account) {
			a.Settings.IMAP.Port = tlsIMAP.port
			a.DialTimeout = 300 * time.Millisecond
		}, app.EUNAVAILABLE, "imap.security", "security setting probably does not match"},
		{"untrusted certificate", func(a *Account) {
			a.Settings.IMAP = Server{Host: "127.0.0.1", Port: tlsIMAP.port, Security: SecurityTLS}
		}, app.EUNAVAILABLE, "imap.security", "certificate"},
		{"SMTP STARTTLS not offered", func(a *Account) { a.Settings.SMTP.Security = SecuritySTARTTLS }, app.EUNAVAILABLE, "smtp.security", "SMTP server"},
		{"SMTP refused", func(a *Account) { a.Settings.SMTP.Port = closedPort(t) }, app.EUNAVAILABLE, "smtp.port", "465 with TLS or 587 with STARTTLS"},
		{"keychain fails", func(a *Account) {
			a.Password = func(context.Context) (string, error) { return "", errors.New("secret service not running") }
		}, app.EINTERNAL, "-", "keychain"},
		{"cancelled", func(a *Account) {
			a.Password = func(context.Context) (string, error) { return testPassword, nil }
		}, app.EUNAVAILABLE, "-", "stopped"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := testAccount(plain.port, smtpPlain.port)
			tt.setup(a)
			ctx := context.Background()
			if tt.name == "cancelled" {
				c, cancel := context.WithCancel(ctx)
				cancel()
				ctx = c
			}
			ae := wantOutcome(t, a.TestConnection(ctx), tt.code, tt.field, tt.says)
			if ae != nil && strings.Contains(ae.Message, testPassword) {
				t.Error("message leaks the password")
			}
		})
	}
}

func TestLoginAdviceForHostedProviders(t *testing.T) {
	imapNo := &imap.Error{Type: imap.StatusResponseTypeNo, Code: imap.ResponseCodeAuthenticationFailed, Text: "Invalid credentials (Failure)"}
	smtpNo := &smtp.SMTPError{Code: 534, EnhancedCode: smtp.EnhancedCode{5, 7, 9}, Message: "Application-specific password required"}
	tests := []struct {
		proto, host string
		err         error
		says        []string
		notSays     string
	}{
		{"imap", "imap.gmail.com", imapNo, []string{"app password", "Google Workspace", "OAuth"}, ""},
		{"smtp", "smtp.gmail.com", smtpNo, []string{"app password", "Google"}, ""},
		{"imap", "outlook.office365.com", &imap.Error{Type: imap.StatusResponseTypeNo, Text: "LOGIN failed."}, []string{"Microsoft 365", "another mailbox"}, "app password"},
		{"smtp", "smtp.office365.com", &smtp.SMTPError{Code: 535, Message: "5.7.139 Authentication unsuccessful"}, []string{"Microsoft 365", "another mailbox"}, "app password"},
		{"imap", "mail.riversidedental.co.uk", imapNo, []string{"full email address"}, "Google"},
	}
	for _, tt := range tests {
		t.Run(tt.host, func(t *testing.T) {
			a := &Account{}
			err := a.classify(tt.proto, Server{Host: tt.host, Port: 993, Security: SecurityTLS}, stageLogin, tt.err)
			ae := wantAppError(t, err, app.EFORBIDDEN, "password", tt.says...)
			if tt.notSays != "" && strings.Contains(ae.Message, tt.notSays) {
				t.Errorf("message %q should not mention %q", ae.Message, tt.notSays)
			}
			if !errors.Is(err, tt.err) {
				t.Error("the cause is not kept for the log")
			}
		})
	}
}
