package mail

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"

	"practicepost/app"
	"practicepost/app/mail/mailtest"
)

const (
	testUser     = "hello@riversidedental.co.uk"
	testPassword = "correct horse battery staple"
)

// testCert is a self-signed certificate for 127.0.0.1 and a pool that trusts it.
func testCert(t testing.TB) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "127.0.0.1"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool
}

type imapOpts struct {
	implicitTLS bool             // serve TLS from the first byte
	startTLS    *tls.Certificate // offer STARTTLS with this certificate
	noInbox     bool
	caps        imap.CapSet // nil: IMAP4rev2 (which includes IDLE and MOVE)
}

type imapFixture struct {
	port int
	user *imapmemserver.User
}

func startIMAP(t testing.TB, o imapOpts) *imapFixture {
	t.Helper()
	mo := mailtest.IMAPOptions{NoInbox: o.noInbox, Caps: o.caps}
	if o.startTLS != nil {
		mo.TLS = &tls.Config{Certificates: []tls.Certificate{*o.startTLS}}
	}
	m, err := mailtest.NewIMAP(testUser, testPassword, mo)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := mailtest.Listen()
	if err != nil {
		t.Fatal(err)
	}
	if o.implicitTLS {
		cert, _ := testCert(t)
		if o.startTLS != nil {
			cert = *o.startTLS
		}
		ln = tls.NewListener(ln, &tls.Config{Certificates: []tls.Certificate{cert}})
	}
	go m.Server.Serve(ln)
	t.Cleanup(func() { m.Server.Close() })
	return &imapFixture{port: mailtest.Port(ln), user: m.User}
}

type literal struct {
	*bytes.Reader
}

func (l literal) Size() int64 { return int64(l.Len()) }

// deliver puts a message into the mailbox as a mail server would.
func (f *imapFixture) deliver(t testing.TB, mailbox string, raw []byte) {
	t.Helper()
	if _, err := f.user.Append(mailbox, literal{bytes.NewReader(raw)}, &imap.AppendOptions{Time: time.Date(2025, 3, 4, 10, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
}

type smtpFixture struct {
	port    int
	backend *mailtest.SMTP
}

func startSMTP(t testing.TB, startTLS *tls.Certificate) *smtpFixture {
	t.Helper()
	be := &mailtest.SMTP{User: testUser, Password: testPassword}
	var cfg *tls.Config
	if startTLS != nil {
		cfg = &tls.Config{Certificates: []tls.Certificate{*startTLS}}
	}
	srv := mailtest.NewSMTPServer(be, cfg)
	ln, err := mailtest.Listen()
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return &smtpFixture{port: mailtest.Port(ln), backend: be}
}

func testAccount(imapPort, smtpPort int) *Account {
	return &Account{
		Settings: Settings{
			IMAP:        Server{Host: "127.0.0.1", Port: imapPort, Security: SecurityNone},
			SMTP:        Server{Host: "127.0.0.1", Port: smtpPort, Security: SecurityNone},
			Username:    testUser,
			FromAddress: testUser,
			FromName:    "Riverside Dental",
		},
		Password:    func(context.Context) (string, error) { return testPassword, nil },
		DialTimeout: 5 * time.Second,
	}
}

// wantAppError fails t unless err is an app error with code, on field ("-":
// any), whose message says each of says.
func wantAppError(t testing.TB, err error, code, field string, says ...string) *app.Error {
	t.Helper()
	var ae *app.Error
	if !errors.As(err, &ae) {
		t.Fatalf("want *app.Error %s/%s, got %T %v", code, field, err, err)
	}
	if ae.Code != code || (field != "-" && ae.Field != field) {
		t.Fatalf("want %s field %q, got %s field %q: %s", code, field, ae.Code, ae.Field, ae.Message)
	}
	for _, s := range says {
		if !strings.Contains(ae.Message, s) {
			t.Errorf("message %q does not say %q", ae.Message, s)
		}
	}
	return ae
}

// wantOutcome is wantAppError for a table row whose code may be "": then
// err must be nil, and it returns nil.
func wantOutcome(t testing.TB, err error, code, field, says string) *app.Error {
	t.Helper()
	if code == "" {
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return nil
	}
	return wantAppError(t, err, code, field, says)
}

var consentScope = []app.ScopeOption{
	{Key: "facebook", Label: "Facebook", Aliases: []string{"FB"}},
	{Key: "instagram", Label: "Instagram", Aliases: []string{"Insta"}},
	{Key: "website", Label: "Practice website", Aliases: []string{"website"}},
	{Key: "face", Label: "Photos showing my face", Aliases: []string{"Face visible", "Face"}},
	{Key: "paid_ads", Label: "Paid or boosted adverts", Aliases: []string{"Paid ads"}},
}

func testRequest(token, email string) app.SentRequest {
	return app.SentRequest{
		Ref: "req-" + token, Token: token, Kind: app.KindConsent,
		MessageID:   token + ".0011223344556677@riversidedental.co.uk",
		PatientName: "Zoë Brontë", PatientEmail: email, Scope: consentScope,
		SentAt: time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC),
	}
}

// minimalPDF is a small but well-formed one-page PDF.
const minimalPDF = "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"

type replySpec struct {
	from        string
	subject     string
	messageID   string
	inReplyTo   string
	extraHeader string
	text        string // text/plain body (UTF-8 unless charset says otherwise)
	charset     string
	qp          bool
	html        string // text/html body
	pdf         []byte
	pdfName     string
}

// reply writes a reply the way common mail programs do.
func reply(s replySpec) []byte {
	if s.from == "" {
		s.from = "Zoe Bronte <zoe@example.org>"
	}
	if s.messageID == "" {
		s.messageID = fmt.Sprintf("<%x@mail.example.org>", sha(s.subject+s.text+s.html))
	}
	if s.charset == "" {
		s.charset = "utf-8"
	}
	var b strings.Builder
	w := func(f string, a ...any) { fmt.Fprintf(&b, f+"\r\n", a...) }
	w("From: %s", s.from)
	w("To: Riverside Dental <%s>", testUser)
	w("Subject: %s", s.subject)
	w("Date: Tue, 04 Mar 2025 10:00:00 +0000")
	w("Message-ID: %s", s.messageID)
	if s.inReplyTo != "" {
		w("In-Reply-To: %s", s.inReplyTo)
		w("References: %s", s.inReplyTo)
	}
	if s.extraHeader != "" {
		w("%s", s.extraHeader)
	}
	w("MIME-Version: 1.0")
	textPart := func() {
		w("Content-Type: text/plain; charset=%s", s.charset)
		if s.qp {
			w("Content-Transfer-Encoding: quoted-printable")
		} else {
			w("Content-Transfer-Encoding: 8bit")
		}
		w("")
		b.WriteString(strings.ReplaceAll(s.text, "\n", "\r\n"))
		w("")
	}
	htmlPart := func() {
		w("Content-Type: text/html; charset=utf-8")
		w("")
		b.WriteString(s.html)
		w("")
	}
	switch {
	case s.pdf == nil && s.html == "":
		textPart()
	case s.pdf == nil && s.text == "":
		htmlPart()
	default:
		w("Content-Type: multipart/mixed; boundary=outer")
		w("")
		w("--outer")
		if s.html != "" && s.text != "" {
			w("Content-Type: multipart/alternative; boundary=alt")
			w("")
			w("--alt")
			textPart()
			w("--alt")
			htmlPart()
			w("--alt--")
		} else if s.html != "" {
			htmlPart()
		} else {
			textPart()
		}
		if s.pdf != nil {
			w("--outer")
			w("Content-Type: application/pdf; name=\"%s\"", s.pdfName)
			w("Content-Disposition: attachment; filename=\"%s\"", s.pdfName)
			w("Content-Transfer-Encoding: base64")
			w("")
			enc := b64(s.pdf)
			for len(enc) > 76 {
				w("%s", enc[:76])
				enc = enc[76:]
			}
			w("%s", enc)
		}
		w("--outer--")
	}
	return []byte(b.String())
}

func sha(s string) []byte {
	h := sha256.Sum256([]byte(s))
	return h[:8]
}

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

// relay sits between the app and a server on port, as the proxies the
// tests put in front of a server do; they differ only in how they change
// what passes. up changes each line the client sends, down each line the
// server answers (nil: bytes pass as they are); opened, when set, is told of
// each pair of connections.
type relay struct {
	up, down func(line string) string
	opened   func(client, server net.Conn)
}

// start listens on a free loopback port, closed when the test ends, and
// returns it.
func (r relay) start(t testing.TB, port int) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			client, err := ln.Accept()
			if err != nil {
				return
			}
			server, err := net.Dial("tcp", "127.0.0.1:"+strconv.Itoa(port))
			if err != nil {
				client.Close()
				continue
			}
			if r.opened != nil {
				r.opened(client, server)
			}
			go pass(server, client, r.up)
			go pass(client, server, r.down)
		}
	}()
	return ln.Addr().(*net.TCPAddr).Port
}

// pass copies src to dst, line by line through change when it is set, and
// closes dst when src ends.
func pass(dst, src net.Conn, change func(string) string) {
	defer dst.Close()
	if change == nil {
		io.Copy(dst, src)
		return
	}
	br := bufio.NewReader(src)
	for {
		line, err := br.ReadString('\n')
		if _, werr := io.WriteString(dst, change(line)); werr != nil || err != nil {
			return
		}
	}
}

// noIdleProxy sits in front of an IMAP server and removes IDLE from the
// capabilities it announces, like an old or minimal server.
func noIdleProxy(t testing.TB, port int) int {
	t.Helper()
	return relay{down: func(line string) string {
		if strings.Contains(line, "CAPABILITY") {
			line = strings.ReplaceAll(line, " IDLE", "")
		}
		return line
	}}.start(t, port)
}
