package app

import (
	"encoding/base64"
	"sync"
)

// Secrets is the part of the OS keychain that keeps named secrets, all
// that the activity log's key (audit) and the data key (seal) need;
// auth.SecretStore is the whole keychain and can also delete. Get returns
// an error with code ENOTFOUND for a missing key.
type Secrets interface {
	Get(key string) (string, error)
	Set(key, value string) error
}

// StoredKey is a key of a fixed size kept base64-encoded in one Secrets
// entry and cached after the first read or write: the activity log's chain
// key (audit) and the data key (seal) are both kept this way.
type StoredKey struct {
	s    Secrets
	name string
	size int
	// damaged is returned when the entry does not decode to size bytes;
	// unreachable wraps an error from the password store itself. Each
	// owner words them for the key it keeps.
	damaged     error
	unreachable func(error) error

	mu  sync.Mutex
	key []byte
}

// NewStoredKey keeps a size-byte key in s under name.
func NewStoredKey(s Secrets, name string, size int, damaged error, unreachable func(error) error) *StoredKey {
	return &StoredKey{s: s, name: name, size: size, damaged: damaged, unreachable: unreachable}
}

// Get returns the key if this computer has one; false, with no error, when
// the entry is missing.
func (k *StoredKey) Get() ([]byte, bool, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.key != nil {
		return k.key, true, nil
	}
	raw, err := k.s.Get(k.name)
	if ErrorCode(err) == ENOTFOUND {
		return nil, false, nil
	} else if err != nil {
		return nil, false, k.unreachable(err)
	}
	key, err := base64.StdEncoding.DecodeString(raw)
	if err != nil || len(key) != k.size {
		return nil, false, k.damaged
	}
	k.key = key
	return key, true, nil
}

// Set stores key, replacing any the entry held, and caches a copy. The
// caller checks the size: each owner has its own message for a wrong one.
func (k *StoredKey) Set(key []byte) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if err := k.s.Set(k.name, base64.StdEncoding.EncodeToString(key)); err != nil {
		return k.unreachable(err)
	}
	k.key = append([]byte(nil), key...)
	return nil
}
