// Package littletext is LinkedIn's "little" text format, in which post
// commentary is written (docs/platform-contracts.md §3): the characters it
// reserves, and escaping plain text into it and back. The connector writes
// commentary with it and reads it back when it reconciles; the fake reads
// what arrives with it, as LinkedIn counts the plain text.
package littletext

import "strings"

// reserved are the characters of the format that must be escaped in
// commentary; unescaped, LinkedIn silently cuts the post there.
const reserved = `\|{}@[]()<>#*_~`

// Escape makes plain text safe as commentary in the little text format.
func Escape(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 8)
	for _, r := range s {
		if strings.ContainsRune(reserved, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Unescape turns escaped commentary back into plain text.
func Unescape(s string) string {
	var b strings.Builder
	esc := false
	for _, r := range s {
		if !esc && r == '\\' {
			esc = true
			continue
		}
		esc = false
		b.WriteRune(r)
	}
	return b.String()
}
