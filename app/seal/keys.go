package seal

import (
	"encoding/base64"
	"errors"
	"fmt"
	"sync"

	"practicepost/app"
)

// DataKeyName is the keychain entry that holds the data key.
const DataKeyName = "seal:data-key"

// Keyring keeps the data key in the keychain and caches it.
type Keyring struct {
	s   app.Secrets
	mu  sync.Mutex
	key []byte
}

// NewKeyring keeps the data key in s.
func NewKeyring(s app.Secrets) *Keyring { return &Keyring{s: s} }

// DataKey returns this computer's data key, if it has one.
func (k *Keyring) DataKey() ([]byte, bool, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.key != nil {
		return k.key, true, nil
	}
	raw, err := k.s.Get(DataKeyName)
	if app.ErrorCode(err) == app.ENOTFOUND {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, keychainErr(err)
	}
	key, err := base64.StdEncoding.DecodeString(raw)
	if err != nil || len(key) != KeySize {
		return nil, false, app.Internal(fmt.Errorf("seal: keychain data key is malformed"), "The key that unlocks your practice's data is damaged in this computer's password store. Use your recovery key (PracticePost asks for it at start).")
	}
	k.key = key
	return key, true, nil
}

// Create makes and stores a new data key. It refuses to replace one.
func (k *Keyring) Create() ([]byte, error) {
	if _, ok, err := k.DataKey(); err != nil {
		return nil, err
	} else if ok {
		return nil, errors.New("seal: a data key already exists")
	}
	key, err := NewKey()
	if err != nil {
		return nil, app.Internal(err, "PracticePost could not create the key that protects your practice's data.")
	}
	return key, k.Set(key)
}

// Set stores key as this computer's data key (a data file moved here with
// the recovery key brings its own).
func (k *Keyring) Set(key []byte) error {
	if len(key) != KeySize {
		return fmt.Errorf("seal: data key must be %d bytes", KeySize)
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if err := k.s.Set(DataKeyName, base64.StdEncoding.EncodeToString(key)); err != nil {
		return keychainErr(err)
	}
	k.key = append([]byte(nil), key...)
	return nil
}

func keychainErr(err error) error {
	var e *app.Error
	if errors.As(err, &e) {
		return err // the keychain's own message says how to fix it
	}
	return app.Internal(err, "PracticePost could not reach your computer's password store, where the key to your practice's data is kept.")
}
