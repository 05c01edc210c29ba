package seal

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"

	"practicepost/app"
	"practicepost/assets"
)

// The recovery key is what moves a practice to a new computer: 128 random
// bits, shown once as words for the practice to write down or print. The
// data file keeps an envelope holding the data key and the activity log's
// key, sealed with a key derived from the recovery key, so a backup carries
// everything needed to open it except the recovery key itself.
//
// 128 bits is beyond any search, so no slow key derivation is needed; HKDF
// only turns the words into an AES-256 key. Each word carries 10 bits; 14
// words carry the key and a 12-bit checksum that catches a mistyped or
// swapped word before anything is tried.

// RecoveryKey is the secret behind the recovery words.
type RecoveryKey [16]byte

// WordCount is how many words a recovery key has.
const WordCount = 14

const (
	bitsPerWord   = 10
	checksumBits  = WordCount*bitsPerWord - 128
	envelopeInfo  = "practicepost recovery v1"
	envelopeAAD   = "practicepost/recovery/envelope/v1"
	checksumLabel = "practicepost recovery checksum"
)

// NewRecoveryKey returns a fresh random recovery key.
func NewRecoveryKey() (RecoveryKey, error) {
	var k RecoveryKey
	_, err := rand.Read(k[:])
	return k, err
}

var (
	wordsOnce sync.Once
	wordList  []string
	wordIndex map[string]int // by full word and by its first four letters
)

func words() ([]string, map[string]int) {
	wordsOnce.Do(func() {
		wordList = strings.Fields(string(assets.RecoveryWords))
		wordIndex = make(map[string]int, 2*len(wordList))
		for i, w := range wordList {
			wordIndex[w] = i
			if len(w) > 4 {
				wordIndex[w[:4]] = i
			}
		}
	})
	return wordList, wordIndex
}

func checksum(k RecoveryKey) uint32 {
	h := sha256.Sum256(append([]byte(checksumLabel), k[:]...))
	return (uint32(h[0])<<8 | uint32(h[1])) >> (16 - checksumBits)
}

// Words returns the key as WordCount words.
func (k RecoveryKey) Words() []string {
	list, _ := words()
	bits := make([]byte, 0, WordCount*bitsPerWord)
	for _, b := range k {
		for i := 7; i >= 0; i-- {
			bits = append(bits, (b>>i)&1)
		}
	}
	c := checksum(k)
	for i := checksumBits - 1; i >= 0; i-- {
		bits = append(bits, byte(c>>i)&1)
	}
	out := make([]string, WordCount)
	for w := range out {
		n := 0
		for _, bit := range bits[w*bitsPerWord : (w+1)*bitsPerWord] {
			n = n<<1 | int(bit)
		}
		out[w] = list[n]
	}
	return out
}

// ParseRecoveryKey reads the words back, forgiving what a person does when
// copying from paper: any case, extra spaces, commas or line breaks, the
// sheet's numbering, and a word cut to its first four letters.
func ParseRecoveryKey(text string) (RecoveryKey, error) {
	var k RecoveryKey
	_, index := words()
	tokens := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return r < 'a' || r > 'z' })
	if len(tokens) != WordCount {
		return k, app.FieldError("recoveryKey", "A recovery key has %d words; you typed %d. Copy every word from your recovery key sheet, in order.", WordCount, len(tokens))
	}
	bits := make([]byte, 0, WordCount*bitsPerWord)
	for i, t := range tokens {
		n, ok := index[t]
		if !ok && len(t) > 4 {
			n, ok = index[t[:4]]
		}
		if !ok {
			return k, app.FieldError("recoveryKey", "Word %d, %q, is not a word a recovery key uses. Check its spelling against your recovery key sheet.", i+1, t)
		}
		for b := bitsPerWord - 1; b >= 0; b-- {
			bits = append(bits, byte(n>>b)&1)
		}
	}
	for i := range k {
		for _, bit := range bits[i*8 : i*8+8] {
			k[i] = k[i]<<1 | bit
		}
	}
	var c uint32
	for _, bit := range bits[128:] {
		c = c<<1 | uint32(bit)
	}
	if c != checksum(k) {
		return RecoveryKey{}, app.FieldError("recoveryKey", "These words are not a recovery key: one of them is wrong or two are swapped. Check each word, in order, against your recovery key sheet.")
	}
	return k, nil
}

// Keys are what a data file needs on a computer: the data key and the key
// of the activity log's chain (empty for a file whose log is not keyed).
type Keys struct {
	Data  []byte `json:"data"`
	Audit []byte `json:"audit"`
}

// Envelope is Keys sealed with a recovery key; it is stored in the data
// file (and so in every backup) and is useless without the recovery key.
type Envelope struct {
	Version int    `json:"v"`
	Salt    []byte `json:"salt"`
	Box     []byte `json:"box"`
}

func envelopeAEAD(k RecoveryKey, salt []byte) (cipher.AEAD, error) {
	kek, err := hkdf.Key(sha256.New, k[:], salt, envelopeInfo, 32)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(kek)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// Wrap seals keys with the recovery key.
func Wrap(k RecoveryKey, keys Keys) (Envelope, error) {
	if len(keys.Data) != KeySize {
		return Envelope{}, errors.New("seal: a recovery envelope needs the data key")
	}
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return Envelope{}, err
	}
	aead, err := envelopeAEAD(k, salt)
	if err != nil {
		return Envelope{}, err
	}
	plain, _ := json.Marshal(keys)
	nonce := make([]byte, aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return Envelope{}, err
	}
	return Envelope{Version: 1, Salt: salt, Box: aead.Seal(nonce, nonce, plain, []byte(envelopeAAD))}, nil
}

// ErrWrongRecoveryKey is returned when the envelope does not open.
var ErrWrongRecoveryKey = errors.New("seal: the recovery key does not open this data")

// Unwrap opens an envelope with the recovery key.
func Unwrap(k RecoveryKey, e Envelope) (Keys, error) {
	var keys Keys
	if e.Version != 1 {
		return keys, fmt.Errorf("seal: recovery envelope version %d is not known", e.Version)
	}
	aead, err := envelopeAEAD(k, e.Salt)
	if err != nil {
		return keys, err
	}
	ns := aead.NonceSize()
	if len(e.Box) < ns {
		return keys, ErrWrongRecoveryKey
	}
	plain, err := aead.Open(nil, e.Box[:ns], e.Box[ns:], []byte(envelopeAAD))
	if err != nil {
		return keys, ErrWrongRecoveryKey
	}
	if err := json.Unmarshal(plain, &keys); err != nil || len(keys.Data) != KeySize {
		return Keys{}, errors.New("seal: recovery envelope holds malformed keys")
	}
	return keys, nil
}
