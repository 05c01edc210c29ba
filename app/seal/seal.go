// Package seal encrypts the patient data PracticePost keeps in its data
// file, one value at a time, so that a copied data file or backup reveals
// nothing about patients without the key in this computer's keychain or the
// practice's recovery key.
//
// Why field by field: the data file is SQLite through modernc.org/sqlite,
// which is pure Go (the Windows build needs no C compiler) and so cannot
// load SQLCipher or another page-encrypting extension, and its VFS layer
// offers no hook to transform pages. Sealing the values that identify
// patients (and every stored file) keeps the rest of the schema, its
// indexes and its triggers as they are, and lets the backup stay a plain
// SQLite file whose structure a restore can check without any key.
//
// Each value is AES-256-GCM with a fresh random nonce, and the additional
// data names the table, column and row it belongs to: a value copied into
// another record, or another column, does not open.
package seal

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
)

// KeySize is the length of a data key: AES-256.
const KeySize = 32

// magic starts every sealed value. Its leading NUL keeps a sealed value from
// ever being valid text, so a plain value left from before sealing can be
// told apart from a sealed one.
var magic = []byte{0, 'P', 'S', 1}

// Overhead is how many bytes sealing adds to a value.
const Overhead = 4 + 12 + 16

// Cell names the one place a value belongs to.
type Cell struct {
	Table, Column, Row string
}

func (c Cell) aad() []byte {
	return []byte("practicepost/seal/v1\x00" + c.Table + "\x00" + c.Column + "\x00" + c.Row)
}

func (c Cell) String() string { return c.Table + "." + c.Column + "[" + c.Row + "]" }

// ErrOpen is returned for a value that does not open with this key in this
// cell: another key, another place, or altered bytes.
var ErrOpen = errors.New("seal: value does not open with this key in this place")

// Sealer seals and opens values with one data key.
type Sealer struct {
	aead cipher.AEAD
	// digestKey keys Digest; it is drawn from the data key, so a backup
	// restored with the recovery key finds the same digests.
	digestKey []byte
}

// New returns a Sealer for a 32-byte data key.
func New(key []byte) (*Sealer, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("seal: data key must be %d bytes, not %d", KeySize, len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	dk, err := hkdf.Key(sha256.New, key, nil, "practicepost/seal/digest/v1", sha256.Size)
	if err != nil {
		return nil, err
	}
	return &Sealer{aead: aead, digestKey: dk}, nil
}

// Digest returns a keyed digest of v for label. The same value gives the
// same digest under the same data key, so SQL can look it up and keep it
// unique (an email's Message-ID, which often holds the sender's family
// name), yet without the key it can be neither read back nor guessed.
func (s *Sealer) Digest(label string, v []byte) string {
	m := hmac.New(sha256.New, s.digestKey)
	m.Write([]byte(label))
	m.Write([]byte{0})
	m.Write(v)
	return DigestPrefix + hex.EncodeToString(m.Sum(nil))
}

// DigestPrefix starts every Digest, telling it from a plain value.
const DigestPrefix = "d1:"

// NewKey returns a fresh random data key.
func NewKey() ([]byte, error) {
	k := make([]byte, KeySize)
	if _, err := rand.Read(k); err != nil {
		return nil, err
	}
	return k, nil
}

// Seal encrypts plain for cell.
func (s *Sealer) Seal(plain []byte, cell Cell) []byte {
	out := make([]byte, len(magic)+s.aead.NonceSize(), len(magic)+s.aead.NonceSize()+len(plain)+s.aead.Overhead())
	copy(out, magic)
	nonce := out[len(magic):]
	if _, err := rand.Read(nonce); err != nil {
		// crypto/rand does not fail on supported systems; a value sealed
		// with a zero nonce would be a silent weakness, so stop instead.
		panic("seal: no randomness: " + err.Error())
	}
	return s.aead.Seal(out, nonce, plain, cell.aad())
}

// Open decrypts a value sealed for cell.
func (s *Sealer) Open(sealed []byte, cell Cell) ([]byte, error) {
	if !IsSealed(sealed) || len(sealed) < Overhead {
		return nil, ErrOpen
	}
	n := len(magic) + s.aead.NonceSize()
	plain, err := s.aead.Open(nil, sealed[len(magic):n], sealed[n:], cell.aad())
	if err != nil {
		return nil, ErrOpen
	}
	return plain, nil
}

// IsSealed reports whether b has the shape of a sealed value.
func IsSealed(b []byte) bool {
	return len(b) >= len(magic) && b[0] == magic[0] && b[1] == magic[1] && b[2] == magic[2] && b[3] == magic[3]
}
