// Package auth keeps PracticePost's secrets (OAuth tokens, app passwords,
// mailbox passwords) in the operating system's password store, keeps OAuth
// tokens fresh, and runs the browser sign-in (PKCE with a loopback redirect).
//
// Nothing in this package logs a secret: log lines carry key names, account
// ids and HTTP status codes only.
package auth

import (
	"errors"
	"fmt"
	"strings"
	"sync"

	"practicepost/app"
)

// SecretStore holds small named secrets. Keys look like
// "channel:mastodon:<account-id>" or "mailbox:imap".
//
// Get and Delete return an *app.Error with code app.ENOTFOUND when the key
// is absent; an unreachable password store is app.EUNAVAILABLE.
type SecretStore interface {
	app.Secrets
	Delete(key string) error
}

// ChannelKey is the secret key for one connected social account.
func ChannelKey(platform, accountID string) string {
	return "channel:" + platform + ":" + accountID
}

// MailboxKey is the secret key for a mailbox password ("imap", "smtp").
func MailboxKey(protocol string) string { return "mailbox:" + protocol }

// maxKeyLen keeps keys well inside every backend's limit on the account
// name (Windows: service + ":" + key < 512 bytes).
const maxKeyLen = 256

func checkKey(key string) error {
	if key == "" || len(key) > maxKeyLen || strings.ContainsAny(key, "\x00\n\r") {
		return app.Internal(fmt.Errorf("auth: bad secret key %q", key), "PracticePost tried to save a sign-in under an invalid name. Please use “Save log for support” in Settings → Activity and send the file to support.")
	}
	return nil
}

func notFound(key string) error {
	return &app.Error{Code: app.ENOTFOUND, Message: "No saved sign-in was found for this account. Connect it again in Settings.", Err: fmt.Errorf("auth: secret %q not found", key)}
}

// IsNotFound reports whether err means the secret does not exist.
func IsNotFound(err error) bool { return app.ErrorCode(err) == app.ENOTFOUND }

// MemoryStore is a SecretStore held in memory, for tests and for callers
// that must not touch the system keyring.
type MemoryStore struct {
	mu sync.Mutex
	m  map[string]string
}

// NewMemoryStore returns an empty MemoryStore.
func NewMemoryStore() *MemoryStore { return &MemoryStore{m: map[string]string{}} }

func (s *MemoryStore) Get(key string) (string, error) {
	if err := checkKey(key); err != nil {
		return "", err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.m[key]
	if !ok {
		return "", notFound(key)
	}
	return v, nil
}

func (s *MemoryStore) Set(key, value string) error {
	if err := checkKey(key); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m == nil {
		s.m = map[string]string{}
	}
	s.m[key] = value
	return nil
}

func (s *MemoryStore) Delete(key string) error {
	if err := checkKey(key); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.m[key]; !ok {
		return notFound(key)
	}
	delete(s.m, key)
	return nil
}

// Len reports how many secrets are held; tests use it to prove deletions.
func (s *MemoryStore) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.m)
}

// ErrUnreadable is matched with errors.Is when a saved secret exists but is
// damaged or was encrypted with a data key that is no longer in the keyring.
var ErrUnreadable = errors.New("auth: stored secret cannot be decrypted")
