package auth

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"github.com/zalando/go-keyring"

	"practicepost/app"
)

// ServiceName is the keyring service every PracticePost secret is filed under.
const ServiceName = "PracticePost"

// Design for secrets larger than the keyring allows.
//
// Windows Credential Manager caps a secret at 2,560 bytes and macOS's
// `security` tool caps the whole command at 4,096 bytes (and may hex-encode
// the value, doubling it). JSON token bundles (Bluesky JWT pairs, Google
// tokens with id_token) can exceed that. Rather than splitting values across
// several keyring entries (fragile: a half-written set is unreadable and
// Credential Manager shows a pile of "PracticePost" items), a value larger
// than inlineLimit is encrypted with AES-256-GCM into one file per key in
// <dataDir>/secrets, and the keyring entry for that key holds only a marker.
// The 32-byte data key lives in the keyring under dataKeyName, so the files
// are useless without the user's OS login, exactly like the inline secrets.
//
// Every keyring value written here carries a one-letter prefix ("i:" for an
// inline value, "f:" for a file marker) so a secret can never be mistaken
// for a marker. The GCM additional data binds each file to its key name, so
// swapping two files on disk makes both unreadable rather than confused.
const (
	inlineLimit  = 1000
	dataKeyName  = "store:data-key"
	inlinePrefix = "i:"
	filePrefix   = "f:"
	fileMarker   = filePrefix + "v1"
	fileMagic    = "PPSEC1"
	secretsDir   = "secrets"
)

// keyringAPI is the subset of go-keyring used; keyring.MockInit swaps the
// provider underneath it in tests.
type keyringAPI interface {
	Get(service, user string) (string, error)
	Set(service, user, password string) error
	Delete(service, user string) error
}

type systemKeyring struct{}

func (systemKeyring) Get(s, u string) (string, error) { return keyring.Get(s, u) }
func (systemKeyring) Set(s, u, p string) error        { return keyring.Set(s, u, p) }
func (systemKeyring) Delete(s, u string) error        { return keyring.Delete(s, u) }

// KeyringStore is the production SecretStore: the OS password store via
// go-keyring, with large values in encrypted files (see the design note
// above).
type KeyringStore struct {
	kr      keyringAPI
	service string
	dir     string // <dataDir>/secrets
	goos    string // selects the "how to fix it" text for an unavailable keyring

	mu      sync.Mutex // serialises read-modify-write of marker + file + data key
	dataKey []byte
}

// NewKeyringStore returns a store over the system keyring. dataDir is the
// app's data folder; large secrets are written under dataDir/secrets.
func NewKeyringStore(dataDir string) *KeyringStore {
	return &KeyringStore{kr: systemKeyring{}, service: ServiceName, dir: filepath.Join(dataDir, secretsDir), goos: runtime.GOOS}
}

func (s *KeyringStore) Get(key string) (string, error) {
	if err := checkKey(key); err != nil {
		return "", err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	raw, err := s.kr.Get(s.service, key)
	if err != nil {
		return "", s.mapErr(key, err)
	}
	switch {
	case strings.HasPrefix(raw, inlinePrefix):
		return raw[len(inlinePrefix):], nil
	case raw == fileMarker:
		return s.readFile(key)
	default:
		return "", unreadable(key, fmt.Errorf("auth: keyring value for %q has unknown format", key))
	}
}

func (s *KeyringStore) Set(key, value string) error {
	if err := checkKey(key); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(value) <= inlineLimit {
		err := s.kr.Set(s.service, key, inlinePrefix+value)
		if err == nil {
			s.removeFile(key)
			return nil
		}
		if !errors.Is(err, keyring.ErrSetDataTooBig) {
			return s.mapErr(key, err)
		}
		// The backend measures differently (escaping, UTF-16); fall through
		// to the file so the value is still saved.
	}
	if err := s.writeFile(key, value); err != nil {
		return err
	}
	if err := s.kr.Set(s.service, key, fileMarker); err != nil {
		s.removeFile(key)
		return s.mapErr(key, err)
	}
	return nil
}

func (s *KeyringStore) Delete(key string) error {
	if err := checkKey(key); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	fileGone := s.removeFile(key)
	err := s.kr.Delete(s.service, key)
	if errors.Is(err, keyring.ErrNotFound) && fileGone {
		// An orphaned file (keyring entry removed by hand) counts as deleted.
		return nil
	}
	if err != nil {
		return s.mapErr(key, err)
	}
	return nil
}

func (s *KeyringStore) mapErr(key string, err error) error {
	if errors.Is(err, keyring.ErrNotFound) {
		return notFound(key)
	}
	if errors.Is(err, keyring.ErrSetDataTooBig) {
		return app.Internal(err, "This sign-in is too large for your computer's password store. Please use “Save log for support” in Settings → Activity and send the file to support.")
	}
	return &app.Error{Code: app.EUNAVAILABLE, Message: unavailableMessage(s.goos), Err: fmt.Errorf("auth: keyring %q: %w", key, err)}
}

// unavailableMessage tells the practice manager how to get the password
// store working on their system; it is the only part of the error they see.
func unavailableMessage(goos string) string {
	switch goos {
	case "windows":
		return "PracticePost couldn't use Windows Credential Manager to keep your sign-ins safe. Sign in to Windows with your usual account (not a temporary or guest profile), restart PracticePost and try again."
	case "darwin":
		return "PracticePost couldn't use the macOS Keychain to keep your sign-ins safe. Open Keychain Access, unlock the \"login\" keychain, then try again and choose \"Always Allow\" if macOS asks."
	case "linux", "freebsd", "openbsd", "netbsd", "dragonfly":
		return "PracticePost couldn't reach your computer's password store (Secret Service). Install and unlock GNOME Keyring or KWallet — signing out of your desktop and back in usually unlocks it — then try again."
	default:
		return "This computer has no password store PracticePost can use, so sign-ins can't be saved safely. Please contact support."
	}
}

func unreadable(key string, err error) error {
	return &app.Error{Code: app.EINTERNAL, Message: "A saved sign-in on this computer is damaged and can't be read. Reconnect the account in Settings to replace it.", Err: fmt.Errorf("%w: %q: %w", ErrUnreadable, key, err)}
}

func (s *KeyringStore) fileName(key string) string {
	sum := sha256.Sum256([]byte(key))
	return filepath.Join(s.dir, hex.EncodeToString(sum[:16])+".secret")
}

// removeFile deletes key's file, reporting whether one existed.
func (s *KeyringStore) removeFile(key string) bool {
	err := os.Remove(s.fileName(key))
	return err == nil
}

func aad(key string) []byte { return []byte("PracticePost secret v1\x00" + key) }

func (s *KeyringStore) aead(create bool) (cipher.AEAD, error) {
	if s.dataKey == nil {
		raw, err := s.kr.Get(s.service, dataKeyName)
		switch {
		case err == nil:
			k, derr := base64.StdEncoding.DecodeString(raw)
			if derr != nil || len(k) != 32 {
				return nil, unreadable(dataKeyName, fmt.Errorf("auth: data key malformed"))
			}
			s.dataKey = k
		case errors.Is(err, keyring.ErrNotFound) && create:
			k := make([]byte, 32)
			rand.Read(k) // crypto/rand.Read never fails (Go 1.24+).
			if err := s.kr.Set(s.service, dataKeyName, base64.StdEncoding.EncodeToString(k)); err != nil {
				return nil, s.mapErr(dataKeyName, err)
			}
			s.dataKey = k
		case errors.Is(err, keyring.ErrNotFound):
			return nil, unreadable(dataKeyName, fmt.Errorf("auth: data key missing from keyring"))
		default:
			return nil, s.mapErr(dataKeyName, err)
		}
	}
	block, err := aes.NewCipher(s.dataKey)
	if err != nil {
		return nil, app.Internal(err, "PracticePost couldn't set up encryption for your sign-ins.")
	}
	return cipher.NewGCM(block)
}

func (s *KeyringStore) writeFile(key, value string) error {
	if s.dir == "" || s.dir == secretsDir {
		return app.Internal(errors.New("auth: no data folder for large secrets"), "PracticePost has no data folder to keep this sign-in in. Please use “Save log for support” in Settings → Activity and send the file to support.")
	}
	a, err := s.aead(true)
	if err != nil {
		return err
	}
	nonce := make([]byte, a.NonceSize())
	rand.Read(nonce)
	buf := append([]byte(fileMagic), nonce...)
	buf = a.Seal(buf, nonce, []byte(value), aad(key))

	if err := os.MkdirAll(s.dir, 0o700); err != nil {
		return app.Internal(err, "PracticePost couldn't create its folder for saved sign-ins. Check there is free disk space and try again.")
	}
	tmp, err := os.CreateTemp(s.dir, ".tmp-*")
	if err != nil {
		return app.Internal(err, "PracticePost couldn't save this sign-in to disk. Check there is free disk space and try again.")
	}
	// Write-then-rename so a crash never leaves a half-written file behind
	// a marker that promises a whole one.
	_, werr := tmp.Write(buf)
	if serr := tmp.Sync(); werr == nil {
		werr = serr
	}
	if cerr := tmp.Close(); werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Rename(tmp.Name(), s.fileName(key))
	}
	if werr != nil {
		os.Remove(tmp.Name())
		return app.Internal(werr, "PracticePost couldn't save this sign-in to disk. Check there is free disk space and try again.")
	}
	return nil
}

func (s *KeyringStore) readFile(key string) (string, error) {
	buf, err := os.ReadFile(s.fileName(key))
	if errors.Is(err, fs.ErrNotExist) {
		return "", unreadable(key, err)
	} else if err != nil {
		return "", app.Internal(err, "PracticePost couldn't read a saved sign-in from disk. Restart PracticePost and try again.")
	}
	a, err := s.aead(false)
	if err != nil {
		return "", err
	}
	if len(buf) < len(fileMagic)+a.NonceSize() || string(buf[:len(fileMagic)]) != fileMagic {
		return "", unreadable(key, errors.New("auth: secret file truncated or not a secret file"))
	}
	buf = buf[len(fileMagic):]
	plain, err := a.Open(nil, buf[:a.NonceSize()], buf[a.NonceSize():], aad(key))
	if err != nil {
		return "", unreadable(key, err)
	}
	return string(plain), nil
}
