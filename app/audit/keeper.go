package audit

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"practicepost/app"
)

// Keychain entry names.
const (
	KeyName    = "audit:chain-key"
	AnchorName = "audit:anchor"
)

// Keeper holds the chain key and the head anchor in the keychain. The key
// is created on first use and cached; it never goes into the data file.
type Keeper struct {
	s      app.Secrets
	key    *app.StoredKey
	mu     sync.Mutex
	anchor *Anchor // last anchor written or read, to keep writes monotonic
}

// NewKeeper keeps the chain key and anchor in s.
func NewKeeper(s app.Secrets) *Keeper {
	damaged := app.Internal(fmt.Errorf("audit key: bad length or encoding"), "The key that seals the activity log is damaged in your computer's password store. Contact support.")
	return &Keeper{s: s, key: app.NewStoredKey(s, KeyName, 32, damaged, keychainErr)}
}

func keychainErr(err error) error {
	var e *app.Error
	if errors.As(err, &e) {
		return err // the keychain's own message says how to fix it
	}
	return app.Internal(err, "PracticePost could not reach your computer's password store to seal the activity log.")
}

// Key returns the chain key, creating and saving one on first use.
func (k *Keeper) Key() ([]byte, error) {
	key, ok, err := k.key.Get()
	if err != nil || ok {
		return key, err
	}
	key = make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, app.Internal(err, "PracticePost could not create the key that seals the activity log.")
	}
	if err := k.key.Set(key); err != nil {
		return nil, err
	}
	return key, nil
}

// ExistingKey returns the chain key if this computer has one, never creating it.
func (k *Keeper) ExistingKey() ([]byte, bool, error) { return k.key.Get() }

// ImportKey puts a chain key carried from another computer (by the recovery
// path) into this computer's keychain, replacing any key it had.
func (k *Keeper) ImportKey(key []byte) error {
	if len(key) != 32 {
		return app.Errorf(app.EINVALID, "That activity-log key is not valid.")
	}
	return k.key.Set(key)
}

// Anchor returns the anchor kept in the keychain; false when there is none.
func (k *Keeper) Anchor() (Anchor, bool, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	raw, err := k.s.Get(AnchorName)
	if app.ErrorCode(err) == app.ENOTFOUND {
		return Anchor{}, false, nil
	} else if err != nil {
		return Anchor{}, false, keychainErr(err)
	}
	var a Anchor
	if err := json.Unmarshal([]byte(raw), &a); err != nil {
		return Anchor{}, false, app.Internal(err, "The activity log's record in your computer's password store is damaged. Contact support.")
	}
	k.anchor = &a
	return a, true, nil
}

// Advance records a as the head when it is newer than the head last
// recorded by this keeper, so two commits finishing out of order cannot
// move the anchor back.
func (k *Keeper) Advance(a Anchor) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.anchor != nil && k.anchor.ID >= a.ID {
		return nil
	}
	return k.setLocked(a)
}

// Reset records a as the head even if it is older: a restore puts an
// earlier log in place on purpose.
func (k *Keeper) Reset(a Anchor) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.setLocked(a)
}

func (k *Keeper) setLocked(a Anchor) error {
	b, _ := json.Marshal(a)
	if err := k.s.Set(AnchorName, string(b)); err != nil {
		return keychainErr(err)
	}
	k.anchor = &a
	return nil
}

// BackupSeal is the anchor written inside a backup, MAC'd with the chain
// key so that a backup whose log was cut short, or whose seal was edited,
// is refused on restore.
type BackupSeal struct {
	Anchor
	SchemaVersion int       `json:"schemaVersion"`
	MadeAt        time.Time `json:"madeAt"`
	MAC           string    `json:"mac"`
}

func (s BackupSeal) mac(key []byte) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("PracticePost backup seal v1\x00" + strconv.FormatInt(s.ID, 10) + "\x00" + s.Hash + "\x00" +
		strconv.FormatInt(s.KeyedFrom, 10) + "\x00" + strconv.Itoa(s.SchemaVersion) + "\x00" + s.MadeAt.UTC().Format(time.RFC3339Nano)))
	return hex.EncodeToString(m.Sum(nil))
}

// Sign sets s.MAC under key.
func (s *BackupSeal) Sign(key []byte) { s.MAC = s.mac(key) }

// Valid reports whether s.MAC was made with key over s's fields.
func (s BackupSeal) Valid(key []byte) bool {
	return key != nil && hmac.Equal([]byte(s.MAC), []byte(s.mac(key)))
}
