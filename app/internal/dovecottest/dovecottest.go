// Package dovecottest runs a real Dovecot (Debian's dovecot-imapd) for tests:
// in the foreground, with a throwaway configuration, on a free loopback port.
// Everything it writes lives in a temporary directory removed at cleanup, and
// mail belongs to nobody (uid 65534) as the userdb says. It is shared by the
// mail package's integration test and benchmark and the service tests.
package dovecottest

import (
	"bytes"
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

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"practicepost/app/internal/loopback"
)

// Password signs every user in.
const Password = "correct horse battery staple"

// Server is one running Dovecot.
type Server struct {
	Dir     string // the temporary directory holding everything
	Port    int    // IMAP, plain text, on 127.0.0.1
	MailDir string // users' maildirs are MailDir/<user>

	introspectURL string // OAuth 2.0 token introspection; "" for passwords only
}

// Start runs Dovecot with the given users (each signs in with Password) and
// stops it when the test ends. It fails the test, never skips it, when
// Dovecot is missing: the integration test must run in `make test`.
func Start(t testing.TB, users ...string) *Server {
	t.Helper()
	return start(t, "", users)
}

// StartOAuth is Start with OAuth 2.0 sign-in as well (XOAUTH2 and
// OAUTHBEARER): Dovecot's oauth2 passdb asks introspectURL (POST token=…)
// whether a token is active and whose it is ({"active": true, "username":
// "…"}). Passwords keep working.
func StartOAuth(t testing.TB, introspectURL string, users ...string) *Server {
	t.Helper()
	return start(t, introspectURL, users)
}

func start(t testing.TB, introspectURL string, users []string) *Server {
	t.Helper()
	bin, err := exec.LookPath("dovecot")
	if err != nil {
		t.Fatalf("dovecot is not on PATH (%v). Run `make test`, which installs Debian's dovecot-imapd, or `apt-get install dovecot-imapd`.", err)
	}
	if len(users) == 0 {
		t.Fatal("dovecottest.Start: name at least one user")
	}
	dir, err := os.MkdirTemp("", "pp-dovecot-")
	if err != nil {
		t.Fatal(err)
	}
	// Dovecot's unprivileged processes (nobody) must reach the mail and
	// socket directories below this one.
	if err := os.Chmod(dir, 0o755); err != nil {
		os.RemoveAll(dir)
		t.Fatal(err)
	}
	d := &Server{Dir: dir, MailDir: filepath.Join(dir, "mail"), introspectURL: introspectURL}
	if introspectURL != "" {
		conf := "introspection_mode = post\nintrospection_url = " + introspectURL + "\nforce_introspection = yes\n" +
			"username_attribute = username\nactive_attribute = active\nactive_value = true\n"
		if err := os.WriteFile(filepath.Join(dir, "oauth2.conf.ext"), []byte(conf), 0o644); err != nil {
			os.RemoveAll(dir)
			t.Fatal(err)
		}
	}
	for _, sub := range []string{"run", "state", "mail"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
			os.RemoveAll(dir)
			t.Fatal(err)
		}
	}
	if err := os.Chown(d.MailDir, 65534, 65534); err != nil {
		os.RemoveAll(dir)
		t.Fatalf("chown mail dir to nobody: %v (the Dovecot test needs root, as in CI)", err)
	}
	// Users are written before Dovecot starts: it does not reliably notice
	// a passwd-file that changed within the same second.
	var passwd strings.Builder
	for _, u := range users {
		fmt.Fprintf(&passwd, "%s:{PLAIN}%s::::::\n", u, Password)
	}
	if err := os.WriteFile(filepath.Join(dir, "passwd"), []byte(passwd.String()), 0o644); err != nil {
		os.RemoveAll(dir)
		t.Fatal(err)
	}
	var cmd *exec.Cmd
	var stderr bytes.Buffer
	for attempt := 0; ; attempt++ {
		// A free port can be taken by someone else before Dovecot binds
		// it; a few attempts cover that race.
		d.Port = loopback.FreePort(t)
		conf := filepath.Join(dir, "dovecot.conf")
		if err := os.WriteFile(conf, []byte(d.config()), 0o644); err != nil {
			os.RemoveAll(dir)
			t.Fatal(err)
		}
		stderr.Reset()
		cmd = exec.Command(bin, "-F", "-c", conf)
		cmd.Stdout, cmd.Stderr = &stderr, &stderr
		if err := cmd.Start(); err != nil {
			os.RemoveAll(dir)
			t.Fatal(err)
		}
		if d.ready(cmd) {
			break
		}
		stop(cmd)
		if attempt == 2 {
			log, _ := os.ReadFile(filepath.Join(dir, "dovecot.log"))
			os.RemoveAll(dir)
			t.Fatalf("dovecot did not start: %s\n%s", stderr.String(), log)
		}
	}
	t.Cleanup(func() {
		stop(cmd)
		os.RemoveAll(dir)
	})
	return d
}

// Addr is host:port of the IMAP listener.
func (d *Server) Addr() string { return "127.0.0.1:" + strconv.Itoa(d.Port) }

func (d *Server) config() string {
	mechs, oauth := "plain login", ""
	if d.introspectURL != "" {
		mechs = "plain login xoauth2 oauthbearer"
		oauth = "passdb {\n  driver = oauth2\n  mechanisms = xoauth2 oauthbearer\n  args = " + d.Dir + "/oauth2.conf.ext\n}\n"
	}
	return fmt.Sprintf(`base_dir = %[1]s/run
state_dir = %[1]s/state
instance_name = pp-test-%[2]d
listen = 127.0.0.1
protocols = imap
ssl = no
disable_plaintext_auth = no
auth_mechanisms = %[3]s
auth_failure_delay = 0
log_path = %[1]s/dovecot.log
default_internal_user = nobody
default_internal_group = nogroup
default_login_user = nobody
first_valid_uid = 1
mail_location = maildir:%[1]s/mail/%%u
%[4]spassdb {
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
`, d.Dir, d.Port, mechs, oauth)
}

// ready waits until Dovecot greets on its port, or has exited.
func (d *Server) ready(cmd *exec.Cmd) bool {
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
		c, err := net.DialTimeout("tcp", d.Addr(), time.Second)
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

func stop(cmd *exec.Cmd) {
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

func (d *Server) login(t testing.TB, user string) *imapclient.Client {
	t.Helper()
	c, err := imapclient.DialInsecure(d.Addr(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Login(user, Password).Wait(); err != nil {
		c.Close()
		t.Fatal(err)
	}
	return c
}

// Append delivers raw into user's mailbox through IMAP APPEND, as another
// mail client would.
func (d *Server) Append(t testing.TB, user, mailbox string, raw []byte) {
	t.Helper()
	d.AppendAt(t, user, mailbox, raw, time.Time{})
}

// AppendAt is Append with the arrival time (INTERNALDATE) the server
// records; the zero time leaves it to the server (now).
func (d *Server) AppendAt(t testing.TB, user, mailbox string, raw []byte, at time.Time) {
	t.Helper()
	c := d.login(t, user)
	defer c.Close()
	var opts *imap.AppendOptions
	if !at.IsZero() {
		opts = &imap.AppendOptions{Time: at}
	}
	cmd := c.Append(mailbox, int64(len(raw)), opts)
	cmd.Write(raw)
	cmd.Close()
	if _, err := cmd.Wait(); err != nil {
		t.Fatal(err)
	}
	c.Logout().Wait()
}

// List returns user's mailbox names, sorted.
func (d *Server) List(t testing.TB, user string) []string {
	t.Helper()
	c := d.login(t, user)
	defer c.Close()
	l, err := c.List("", "*", nil).Collect()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, m := range l {
		names = append(names, m.Mailbox)
	}
	slices.Sort(names)
	c.Logout().Wait()
	return names
}

// Count returns how many messages user's mailbox holds.
func (d *Server) Count(t testing.TB, user, mailbox string) uint32 {
	t.Helper()
	c := d.login(t, user)
	defer c.Close()
	sel, err := c.Select(mailbox, &imap.SelectOptions{ReadOnly: true}).Wait()
	if err != nil {
		t.Fatal(err)
	}
	c.Logout().Wait()
	return sel.NumMessages
}
