package auth

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/zalando/go-keyring"

	"practicepost/app"
)

func TestMemoryStore(t *testing.T) {
	s := NewMemoryStore()
	key := ChannelKey("mastodon", "109")
	if key != "channel:mastodon:109" {
		t.Fatalf("ChannelKey = %q", key)
	}
	if _, err := s.Get(key); app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatalf("Get missing: code %q, want not_found", app.ErrorCode(err))
	}
	if err := s.Delete(key); !IsNotFound(err) {
		t.Fatalf("Delete missing: %v", err)
	}
	if err := s.Set(key, "one"); err != nil {
		t.Fatal(err)
	}
	if err := s.Set(key, "two"); err != nil {
		t.Fatal(err)
	}
	if v, err := s.Get(key); err != nil || v != "two" {
		t.Fatalf("Get = %q, %v; want two", v, err)
	}
	if err := s.Delete(key); err != nil {
		t.Fatal(err)
	}
	if s.Len() != 0 {
		t.Fatalf("Len after delete = %d", s.Len())
	}
	for _, bad := range []string{"", "a\nb", strings.Repeat("k", maxKeyLen+1)} {
		if err := s.Set(bad, "x"); app.ErrorCode(err) != app.EINTERNAL {
			t.Errorf("Set(%q) code %q, want internal", bad, app.ErrorCode(err))
		}
	}
}

func TestMemoryStoreZeroValue(t *testing.T) {
	var s MemoryStore
	if err := s.Set(MailboxKey("imap"), "pw"); err != nil {
		t.Fatal(err)
	}
	if v, _ := s.Get("mailbox:imap"); v != "pw" {
		t.Fatalf("got %q", v)
	}
}

// newMockStore gives a KeyringStore over go-keyring's in-memory provider.
func newMockStore(t *testing.T) (*KeyringStore, string) {
	t.Helper()
	keyring.MockInit()
	dir := t.TempDir()
	return NewKeyringStore(dir), dir
}

func secretFiles(t *testing.T, dir string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(dir, secretsDir, "*"))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestKeyringStoreInline(t *testing.T) {
	s, dir := newMockStore(t)
	key := ChannelKey("x", "42")
	if _, err := s.Get(key); app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatalf("Get missing: %v", err)
	}
	if err := s.Set(key, "secret-value"); err != nil {
		t.Fatal(err)
	}
	raw, err := keyring.Get(ServiceName, key)
	if err != nil || raw != "i:secret-value" {
		t.Fatalf("raw keyring value %q, %v", raw, err)
	}
	if v, err := s.Get(key); err != nil || v != "secret-value" {
		t.Fatalf("Get = %q, %v", v, err)
	}
	// A value that looks like a marker must stay a value.
	if err := s.Set(key, fileMarker); err != nil {
		t.Fatal(err)
	}
	if v, err := s.Get(key); err != nil || v != fileMarker {
		t.Fatalf("marker-like value came back as %q, %v", v, err)
	}
	if n := len(secretFiles(t, dir)); n != 0 {
		t.Fatalf("%d files written for small secrets", n)
	}
	if err := s.Delete(key); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete(key); app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatalf("second Delete: %v", err)
	}
}

func TestKeyringStoreLargeValueEncryptedFile(t *testing.T) {
	s, dir := newMockStore(t)
	key := ChannelKey("bluesky", "did:plc:abc")
	big := `{"accessJwt":"` + strings.Repeat("A", 3000) + `","refreshJwt":"PLAINTEXT-MARKER"}`
	if err := s.Set(key, big); err != nil {
		t.Fatal(err)
	}
	raw, _ := keyring.Get(ServiceName, key)
	if raw != fileMarker {
		t.Fatalf("keyring holds %d bytes, want only the marker", len(raw))
	}
	dk, err := keyring.Get(ServiceName, dataKeyName)
	if err != nil || len(dk) != 44 {
		t.Fatalf("data key %d chars, %v", len(dk), err)
	}
	files := secretFiles(t, dir)
	if len(files) != 1 {
		t.Fatalf("files = %v", files)
	}
	body, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(body, []byte("PLAINTEXT-MARKER")) || bytes.Contains(body, []byte("AAAAAAAA")) {
		t.Fatal("secret file contains plaintext")
	}
	if runtime.GOOS != "windows" {
		fi, _ := os.Stat(files[0])
		if fi.Mode().Perm() != 0o600 {
			t.Fatalf("file mode %v, want 0600", fi.Mode().Perm())
		}
	}
	if v, err := s.Get(key); err != nil || v != big {
		t.Fatalf("Get big: len %d, %v", len(v), err)
	}
	// A fresh store (app restart) reads the same file with the data key
	// from the keyring.
	s2 := NewKeyringStore(dir)
	if v, err := s2.Get(key); err != nil || v != big {
		t.Fatalf("fresh store Get: len %d, %v", len(v), err)
	}
	// Large -> small removes the file; small -> large brings it back.
	if err := s.Set(key, "small"); err != nil {
		t.Fatal(err)
	}
	if n := len(secretFiles(t, dir)); n != 0 {
		t.Fatalf("%d stale files after shrinking", n)
	}
	if v, _ := s.Get(key); v != "small" {
		t.Fatalf("Get after shrink = %q", v)
	}
	if err := s.Set(key, big+"2"); err != nil {
		t.Fatal(err)
	}
	if v, _ := s.Get(key); v != big+"2" {
		t.Fatal("Get after regrow differs")
	}
	if err := s.Delete(key); err != nil {
		t.Fatal(err)
	}
	if n := len(secretFiles(t, dir)); n != 0 {
		t.Fatalf("%d files after Delete", n)
	}
	if _, err := keyring.Get(ServiceName, key); !errors.Is(err, keyring.ErrNotFound) {
		t.Fatalf("keyring entry after Delete: %v", err)
	}
}

func TestKeyringStoreDamagedFiles(t *testing.T) {
	big := strings.Repeat("z", 2*inlineLimit)
	tests := []struct {
		name   string
		damage func(t *testing.T, s *KeyringStore, key string)
	}{
		{"flipped byte", func(t *testing.T, s *KeyringStore, key string) {
			p := s.fileName(key)
			b, _ := os.ReadFile(p)
			b[len(b)-5] ^= 0x40
			os.WriteFile(p, b, 0o600)
		}},
		{"truncated", func(t *testing.T, s *KeyringStore, key string) {
			os.WriteFile(s.fileName(key), []byte(fileMagic+"abc"), 0o600)
		}},
		{"not a secret file", func(t *testing.T, s *KeyringStore, key string) {
			os.WriteFile(s.fileName(key), bytes.Repeat([]byte{'x'}, 200), 0o600)
		}},
		{"file deleted", func(t *testing.T, s *KeyringStore, key string) {
			os.Remove(s.fileName(key))
		}},
		{"swapped with another key's file", func(t *testing.T, s *KeyringStore, key string) {
			other := "channel:other:1"
			if err := s.Set(other, big+"other"); err != nil {
				t.Fatal(err)
			}
			b, _ := os.ReadFile(s.fileName(other))
			os.WriteFile(s.fileName(key), b, 0o600)
		}},
		{"data key lost", func(t *testing.T, s *KeyringStore, key string) {
			keyring.Delete(ServiceName, dataKeyName)
			s.dataKey = nil
		}},
		{"data key replaced", func(t *testing.T, s *KeyringStore, key string) {
			keyring.Set(ServiceName, dataKeyName, "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWY=")
			s.dataKey = nil
		}},
		{"unknown keyring format", func(t *testing.T, s *KeyringStore, key string) {
			keyring.Set(ServiceName, key, "raw-value-from-older-build")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := newMockStore(t)
			key := ChannelKey("bluesky", "did:plc:x")
			if err := s.Set(key, big); err != nil {
				t.Fatal(err)
			}
			tt.damage(t, s, key)
			_, err := s.Get(key)
			if !errors.Is(err, ErrUnreadable) {
				t.Fatalf("Get: %v, want ErrUnreadable", err)
			}
			if app.ErrorCode(err) != app.EINTERNAL || !strings.Contains(app.ErrorMessage(err), "Reconnect") {
				t.Fatalf("code %q message %q", app.ErrorCode(err), app.ErrorMessage(err))
			}
			if strings.Contains(err.Error(), big[:50]) {
				t.Fatal("error text contains the secret")
			}
			// Reconnecting (a fresh Set) must heal it.
			if err := s.Set(key, big+"new"); err != nil {
				t.Fatal(err)
			}
			if v, err := s.Get(key); err != nil || v != big+"new" {
				t.Fatalf("after re-Set: %v", err)
			}
		})
	}
}

func TestKeyringStoreUnavailable(t *testing.T) {
	dbusErr := errors.New("The name org.freedesktop.secrets was not provided by any .service files")
	keyring.MockInitWithError(dbusErr)
	defer keyring.MockInit()
	for _, goos := range []string{"linux", "darwin", "windows", "plan9"} {
		s := NewKeyringStore(t.TempDir())
		s.goos = goos
		ops := map[string]func() error{
			"Get":       func() error { _, err := s.Get("mailbox:imap"); return err },
			"Set":       func() error { return s.Set("mailbox:imap", "pw") },
			"Set large": func() error { return s.Set("mailbox:imap", strings.Repeat("p", 5000)) },
			"Delete":    func() error { return s.Delete("mailbox:imap") },
		}
		for name, op := range ops {
			err := op()
			if app.ErrorCode(err) != app.EUNAVAILABLE {
				t.Errorf("%s/%s: code %q, want unavailable (%v)", goos, name, app.ErrorCode(err), err)
			}
			if !errors.Is(err, dbusErr) {
				t.Errorf("%s/%s: cause lost", goos, name)
			}
			if app.ErrorMessage(err) != unavailableMessage(goos) {
				t.Errorf("%s/%s: message %q", goos, name, app.ErrorMessage(err))
			}
		}
	}
	want := map[string]string{"linux": "GNOME Keyring", "darwin": "Keychain", "windows": "Credential Manager", "plan9": "contact support"}
	for goos, w := range want {
		if !strings.Contains(unavailableMessage(goos), w) {
			t.Errorf("%s message lacks %q", goos, w)
		}
	}
}

// sizeLimitedKeyring mimics the Windows provider: values over limit bytes
// are refused with keyring.ErrSetDataTooBig.
type sizeLimitedKeyring struct {
	mu    sync.Mutex
	limit int
	m     map[string]string
}

func (k *sizeLimitedKeyring) Get(s, u string) (string, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	v, ok := k.m[s+":"+u]
	if !ok {
		return "", keyring.ErrNotFound
	}
	return v, nil
}
func (k *sizeLimitedKeyring) Set(s, u, p string) error {
	if len(p) > k.limit {
		return keyring.ErrSetDataTooBig
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	k.m[s+":"+u] = p
	return nil
}
func (k *sizeLimitedKeyring) Delete(s, u string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if _, ok := k.m[s+":"+u]; !ok {
		return keyring.ErrNotFound
	}
	delete(k.m, s+":"+u)
	return nil
}

func TestKeyringStoreRespectsBackendLimit(t *testing.T) {
	for _, limit := range []int{2560, 300} { // Windows; a stricter backend forcing the fallback
		kr := &sizeLimitedKeyring{limit: limit, m: map[string]string{}}
		dir := t.TempDir()
		s := NewKeyringStore(dir)
		s.kr = kr
		for _, n := range []int{0, 10, 299, 600, inlineLimit, inlineLimit + 1, 2560, 2561, 20000} {
			v := strings.Repeat("v", n)
			if err := s.Set("channel:x:1", v); err != nil {
				t.Fatalf("limit %d, size %d: %v", limit, n, err)
			}
			if got, err := s.Get("channel:x:1"); err != nil || got != v {
				t.Fatalf("limit %d, size %d: round trip failed: %v", limit, n, err)
			}
		}
	}
}

func TestKeyringStoreNoDataDir(t *testing.T) {
	keyring.MockInit()
	s := NewKeyringStore("")
	err := s.Set("channel:x:1", strings.Repeat("v", inlineLimit+1))
	if app.ErrorCode(err) != app.EINTERNAL {
		t.Fatalf("large Set without data dir: %v", err)
	}
	if err := s.Set("channel:x:1", "small"); err != nil {
		t.Fatalf("small Set without data dir: %v", err)
	}
}

func TestKeyringStoreDeleteOrphanFile(t *testing.T) {
	s, dir := newMockStore(t)
	key := "channel:linkedin:9"
	if err := s.Set(key, strings.Repeat("v", 4000)); err != nil {
		t.Fatal(err)
	}
	keyring.Delete(ServiceName, key) // user removed it in Credential Manager
	if err := s.Delete(key); err != nil {
		t.Fatalf("Delete orphan: %v", err)
	}
	if n := len(secretFiles(t, dir)); n != 0 {
		t.Fatalf("orphan file left: %d", n)
	}
}
