package app

import (
	"crypto/rand"
	"io"
	"strings"
)

// TokenAlphabet, of request tokens, is Crockford's base32: no I, L, O or U, so a token read out
// over the phone or retyped by a patient cannot be confused.
const TokenAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// NewToken returns a fresh request token such as "PP-7K3M9Q". The caller's
// store should refuse duplicates (one in a billion per pair).
func NewToken() string {
	var b [6]byte
	if _, err := io.ReadFull(rand.Reader, b[:]); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	out := []byte("PP-")
	for _, c := range b {
		out = append(out, TokenAlphabet[int(c)%32])
	}
	return string(out)
}

// ValidToken reports whether s is a well-formed token in canonical form.
func ValidToken(s string) bool {
	if len(s) != 9 || !strings.HasPrefix(s, "PP-") {
		return false
	}
	for _, c := range s[3:] {
		if !strings.ContainsRune(TokenAlphabet, c) {
			return false
		}
	}
	return true
}
