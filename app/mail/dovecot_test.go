package mail

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2/imapclient"

	"practicepost/app"
)

// dovecotServer is a real Dovecot (Debian's dovecot-imapd) run in the
// foreground with a throwaway configuration: everything it writes lives in a
// temporary directory, it listens on a free loopback port, and mail belongs
// to nobody (uid 65534) as the userdb says.
type dovecotServer struct {
	dir     string
	port    int
	mailDir string
}

const dovecotPassword = testPassword

func startDovecot(t testing.TB, users ...string) *dovecotServer {
	t.Helper()
	bin, err := exec.LookPath("dovecot")
	if err != nil {
		t.Fatalf("dovecot is not on PATH (%v). Run `make test`, which installs Debian's dovecot-imapd, or `apt-get install dovecot-imapd`.", err)
	}
	dir, err := os.MkdirTemp("", "pp-dovecot-")
	if err != nil {
		t.Fatal(err)
	}
	// Dovecot's unprivileged processes (nobody) must reach the mail and
	// socket directories below this one.
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	d := &dovecotServer{dir: dir, mailDir: filepath.Join(dir, "mail")}
	for _, sub := range []string{"run", "state", "mail"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Chown(d.mailDir, 65534, 65534); err != nil {
		t.Fatalf("chown mail dir to nobody: %v (the Dovecot test needs root, as in CI)", err)
	}
	for _, u := range append([]string{testUser}, users...) {
		d.addUser(t, u)
	}
	var cmd *exec.Cmd
	var stderr bytes.Buffer
	for attempt := 0; ; attempt++ {
		d.port = freePort(t)
		conf := filepath.Join(dir, "dovecot.conf")
		if err := os.WriteFile(conf, []byte(d.config()), 0o644); err != nil {
			t.Fatal(err)
		}
		stderr.Reset()
		cmd = exec.Command(bin, "-F", "-c", conf)
		cmd.Stdout, cmd.Stderr = &stderr, &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		if d.ready(cmd) {
			break
		}
		stopProcess(cmd)
		if attempt == 2 {
			log, _ := os.ReadFile(filepath.Join(dir, "dovecot.log"))
			os.RemoveAll(dir)
			t.Fatalf("dovecot did not start: %s\n%s", stderr.String(), log)
		}
	}
	t.Cleanup(func() {
		stopProcess(cmd)
		os.RemoveAll(dir)
	})
	return d
}

// addUser lets user sign in with dovecotPassword. Users are added before
// Dovecot starts: it does not reliably notice a passwd-file changed within
// the same second.
func (d *dovecotServer) addUser(t testing.TB, user string) {
	t.Helper()
	f, err := os.OpenFile(filepath.Join(d.dir, "passwd"), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fmt.Fprintf(f, "%s:{PLAIN}%s::::::\n", user, dovecotPassword)
}

func (d *dovecotServer) config() string {
	return fmt.Sprintf(`base_dir = %[1]s/run
state_dir = %[1]s/state
instance_name = pp-test-%[2]d
listen = 127.0.0.1
protocols = imap
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
log_path = %[1]s/dovecot.log
default_internal_user = nobody
default_internal_group = nogroup
default_login_user = nobody
first_valid_uid = 1
mail_location = maildir:%[1]s/mail/%%u
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%%u %[1]s/passwd
}
userdb {
  driver = static
  args = uid=65534 gid=65534 home=%[1]s/mail/%%u
}
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = %[2]d
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
}
service stats {
  unix_listener stats-reader {
    mode = 0666
  }
  unix_listener stats-writer {
    mode = 0666
  }
}
`, d.dir, d.port)
}

// ready waits until Dovecot greets on its port, or has exited.
func (d *dovecotServer) ready(cmd *exec.Cmd) bool {
	exited := make(chan struct{})
	go func() {
		cmd.Process.Wait()
		close(exited)
	}()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-exited:
			return false
		default:
		}
		c, err := net.DialTimeout("tcp", "127.0.0.1:"+strconv.Itoa(d.port), time.Second)
		if err == nil {
			c.SetDeadline(time.Now().Add(2 * time.Second))
			buf := make([]byte, 512)
			n, _ := c.Read(buf)
			c.Close()
			if strings.HasPrefix(string(buf[:n]), "* OK") {
				return true
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	return false
}

func stopProcess(cmd *exec.Cmd) {
	if cmd.Process == nil {
		return
	}
	cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		cmd.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		cmd.Process.Kill()
		<-done
	}
}

func freePort(t testing.TB) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

func (d *dovecotServer) account(user string, smtpPort int) *Account {
	a := testAccount(d.port, smtpPort)
	a.Settings.Username = user
	a.Password = func(context.Context) (string, error) { return dovecotPassword, nil }
	return a
}

// appendMsg delivers through IMAP APPEND, as another mail client would.
func (d *dovecotServer) appendMsg(t testing.TB, user, mailbox string, raw []byte) {
	t.Helper()
	c, err := imapclient.DialInsecure("127.0.0.1:"+strconv.Itoa(d.port), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Login(user, dovecotPassword).Wait(); err != nil {
		t.Fatal(err)
	}
	cmd := c.Append(mailbox, int64(len(raw)), nil)
	cmd.Write(raw)
	cmd.Close()
	if _, err := cmd.Wait(); err != nil {
		t.Fatal(err)
	}
	c.Logout().Wait()
}

func (d *dovecotServer) list(t testing.TB, user string) []string {
	t.Helper()
	c, err := imapclient.DialInsecure("127.0.0.1:"+strconv.Itoa(d.port), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Login(user, dovecotPassword).Wait(); err != nil {
		t.Fatal(err)
	}
	l, err := c.List("", "*", nil).Collect()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, m := range l {
		names = append(names, m.Mailbox)
	}
	slices.Sort(names)
	return names
}

func TestDovecotEndToEnd(t *testing.T) {
	dc := startDovecot(t)
	smtpSrv := startSMTP(t, nil)
	const user = testUser
	a := dc.account(user, smtpSrv.port)
	a.Settings.FromAddress = user
	ctx := context.Background()

	if err := a.TestConnection(ctx); err != nil {
		t.Fatalf("test connection against Dovecot: %v", err)
	}

	// Send the request.
	store := NewMemStore()
	out, err := Compose(consentRequest(), a.Settings, time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	store.AddRequest(out.Sent)
	if err := a.Send(ctx, out); err != nil {
		t.Fatal(err)
	}
	sent := smtpSrv.backend.messages()
	if len(sent) != 1 {
		t.Fatalf("%d messages sent", len(sent))
	}
	sentParsed, err := ParseMessage(sent[0].Data, Limits{})
	if err != nil {
		t.Fatal(err)
	}

	// The patient answers from Thunderbird: ticks and name on top, the
	// request quoted below, a signed PDF attached.
	subject := "Re: " + sentParsed.Subject
	body := "Hello,\n\nHere is my answer.\n\n[x] Facebook\n[x] Instagram\n[ ] Practice website\n[X] Photos showing my face\n[ ] Paid or boosted adverts\n\nFull name: Zoë Brontë\n\nThanks,\nZoë\n\n" +
		"On 01/03/2025 09:00, Riverside Dental wrote:\n" + quote(sentParsed.Words)
	signed := []byte(strings.Replace(minimalPDF, "%%EOF", "% signed by Zoë Brontë\n%%EOF", 1))
	replyRaw := reply(replySpec{
		subject: subject, inReplyTo: "<" + out.Sent.MessageID + ">", text: body, charset: "UTF-8",
		pdf: signed, pdfName: "consent-signed.pdf", messageID: "<a1b2c3@mail.example.org>",
	})
	dc.appendMsg(t, user, "INBOX", reply(replySpec{subject: "Parking at the practice", text: "Is there parking nearby?"}))
	dc.appendMsg(t, user, "INBOX", reply(replySpec{subject: "Automatic reply: " + sentParsed.Subject, extraHeader: "Auto-Submitted: auto-replied", text: "I am on holiday."}))
	dc.appendMsg(t, user, "INBOX", replyRaw)

	s := &Syncer{Account: a, Store: store, Clock: &app.FixedClock{T: time.Date(2025, 3, 5, 8, 0, 0, 0, time.UTC)}}
	rep, err := s.Sync(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Candidates != 2 || rep.Recorded != 1 || rep.Ignored != 1 {
		t.Errorf("first sync %+v", rep)
	}
	items := store.Items()
	if len(items) != 1 {
		t.Fatalf("%d review items", len(items))
	}
	it := items[0]
	if it.RequestToken != out.Sent.Token || it.MessageID != "a1b2c3@mail.example.org" || it.UID != 3 {
		t.Errorf("item %s %s uid %d", it.RequestToken, it.MessageID, it.UID)
	}
	if !slices.Equal(it.Scope.Agreed, []string{"facebook", "instagram", "face"}) || !slices.Equal(it.Scope.Declined, []string{"website", "paid_ads"}) {
		t.Errorf("scope %+v", it.Scope)
	}
	if it.TypedName != "Zoë Brontë" || len(it.Flags) != 0 {
		t.Errorf("name %q flags %v notes %v", it.TypedName, it.Flags, it.Notes)
	}
	if len(it.Attachments) != 1 || !bytes.Equal(it.Attachments[0].Data, signed) {
		t.Errorf("attachments %+v", it.Attachments)
	}
	if !bytes.Equal(bytes.ReplaceAll(it.Raw, []byte("\r\n"), []byte("\n")), bytes.ReplaceAll(replyRaw, []byte("\r\n"), []byte("\n"))) {
		t.Error("raw evidence differs from the message delivered")
	}

	// Again: nothing new, nothing doubled.
	rep, err = s.Sync(ctx)
	if err != nil || rep.Candidates != 0 || len(store.Items()) != 1 {
		t.Fatalf("second sync %+v, %v, %d items", rep, err, len(store.Items()))
	}
	// Without the bookmark everything is read again; still one item.
	store.PutSyncState(ctx, SyncState{Mailbox: "INBOX"})
	rep, err = s.Sync(ctx)
	if err != nil || rep.Duplicates != 1 || len(store.Items()) != 1 {
		t.Fatalf("resync %+v, %v, %d items", rep, err, len(store.Items()))
	}

	// Moving processed replies creates the folder with Dovecot's separator.
	a.Settings.MoveProcessed = true
	store.PutSyncState(ctx, SyncState{Mailbox: "INBOX"})
	rep, err = s.Sync(ctx)
	if err != nil || rep.Moved != 1 {
		t.Fatalf("move sync %+v, %v", rep, err)
	}
	names := dc.list(t, user)
	if !slices.ContainsFunc(names, func(n string) bool { return strings.HasSuffix(n, "Processed") }) {
		t.Errorf("mailboxes after move: %v", names)
	}
	if len(store.Items()) != 1 {
		t.Errorf("%d items after move", len(store.Items()))
	}

	// Last, because Dovecot slows down logins from an address after a
	// failed one.
	bad := dc.account(user, smtpSrv.port)
	bad.Password = func(context.Context) (string, error) { return "wrong", nil }
	wantAppError(t, bad.TestConnection(ctx), app.EFORBIDDEN, "password")
}
