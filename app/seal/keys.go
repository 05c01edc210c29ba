package seal

import (
	"errors"
	"fmt"

	"practicepost/app"
)

// DataKeyName is the keychain entry that holds the data key.
const DataKeyName = "seal:data-key"

// Keyring keeps the data key in the keychain and caches it.
type Keyring struct{ key *app.StoredKey }

// NewKeyring keeps the data key in s.
func NewKeyring(s app.Secrets) *Keyring {
	damaged := app.Internal(fmt.Errorf("seal: keychain data key is malformed"), "The key that unlocks your practice's data is damaged in this computer's password store. Use your recovery key (PracticePost asks for it at start).")
	return &Keyring{key: app.NewStoredKey(s, DataKeyName, KeySize, damaged, keychainErr)}
}

// DataKey returns this computer's data key, if it has one.
func (k *Keyring) DataKey() ([]byte, bool, error) { return k.key.Get() }

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
	return k.key.Set(key)
}

func keychainErr(err error) error {
	var e *app.Error
	if errors.As(err, &e) {
		return err // the keychain's own message says how to fix it
	}
	return app.Internal(err, "PracticePost could not reach your computer's password store, where the key to your practice's data is kept.")
}
