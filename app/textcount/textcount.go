// Package textcount counts a post's text the way each platform does. It is
// a leaf: the guard (which warns before posting) and the connectors (which
// refuse what the platform would) both count with it, so neither imports
// the other and the two can never disagree.
package textcount

import (
	"regexp"
	"slices"
	"strings"

	"github.com/rivo/uniseg"
	"golang.org/x/text/unicode/norm"
)

// XURLWeight is what X counts for any link.
const XURLWeight = 23

var (
	schemeURLRe = regexp.MustCompile(`(?i)\bhttps?://[^\s<>"]+`)
	bareURLRe   = regexp.MustCompile(`(?i)\b(?:www\.)?[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*\.(?:com|org|net|edu|gov|io|co|uk|us|info|health|dental|clinic|care|app|biz|me|ie)\b(?:/[^\s<>"]*)?`)
	// MentionRe finds @handles (with a remote server for Mastodon),
	// leaving out email addresses.
	MentionRe = regexp.MustCompile(`(?:^|[^\p{L}\p{N}_@.])@([A-Za-z0-9_.]+)(@[A-Za-z0-9.-]+\.[A-Za-z]{2,})?`)
)

// URLSpans finds links the way the platform's counter does: with
// bareDomains, "harbourdental.co.uk/prices" counts as a link (X), without
// it only http(s) links do (Mastodon).
func URLSpans(text string, bareDomains bool) [][2]int {
	var out [][2]int
	for _, m := range schemeURLRe.FindAllStringIndex(text, -1) {
		out = append(out, [2]int{m[0], trimURLEnd(text, m[0], m[1])})
	}
	if bareDomains {
		for _, m := range bareURLRe.FindAllStringIndex(text, -1) {
			if m[0] > 0 && (text[m[0]-1] == '@' || text[m[0]-1] == '.' || text[m[0]-1] == '/' || isAlnum(text[m[0]-1])) {
				continue // part of an email address or of a link found above
			}
			if slices.ContainsFunc(out, func(o [2]int) bool { return m[0] < o[1] && o[0] < m[1] }) {
				continue
			}
			out = append(out, [2]int{m[0], trimURLEnd(text, m[0], m[1])})
		}
	}
	slices.SortFunc(out, func(a, b [2]int) int { return a[0] - b[0] })
	return out
}

// trimURLEnd drops sentence punctuation after a link, as linkifiers do.
func trimURLEnd(text string, s, e int) int {
	for e > s && strings.ContainsRune(".,;:!?)'\"", rune(text[e-1])) {
		e--
	}
	return e
}

// X counts text the way X does (twitter-text v3): after NFC
// normalisation, each link counts 23; code points in Latin, Greek, Cyrillic,
// Hebrew, Arabic and common punctuation count 1; an emoji (including ZWJ
// sequences, flags and keycaps) counts 2; everything else, CJK included,
// counts 2.
func X(text string) int {
	text = norm.NFC.String(text)
	n, last := 0, 0
	for _, u := range URLSpans(text, true) {
		n += weighRange(text[last:u[0]]) + XURLWeight
		last = u[1]
	}
	return n + weighRange(text[last:])
}

func weighRange(s string) int {
	n := 0
	g := uniseg.NewGraphemes(s)
	for g.Next() {
		rs := g.Runes()
		if isEmojiCluster(rs) {
			n += 2
			continue
		}
		for _, r := range rs {
			n += runeWeight(r)
		}
	}
	return n
}

func runeWeight(r rune) int {
	switch {
	case r <= 0x10FF, r >= 0x2000 && r <= 0x200D, r >= 0x2010 && r <= 0x201F, r >= 0x2032 && r <= 0x2037:
		return 1
	}
	return 2
}

// isEmojiCluster approximates twitter-text's emoji regex: pictographs,
// flags, and anything carrying an emoji presentation selector or keycap.
func isEmojiCluster(rs []rune) bool {
	for _, r := range rs {
		switch {
		case r == 0xFE0F || r == 0x20E3 || r == 0x200D && len(rs) > 1:
			return true
		case r >= 0x1F000 && r <= 0x1FAFF, r >= 0x2600 && r <= 0x27BF, r >= 0x1F1E6 && r <= 0x1F1FF, r >= 0x2300 && r <= 0x23FF, r >= 0x2B00 && r <= 0x2BFF:
			return true
		}
	}
	return false
}

// Graphemes counts user-perceived characters (Bluesky's maxGraphemes).
func Graphemes(text string) int { return uniseg.GraphemeClusterCount(text) }

// Mastodon counts text the way Mastodon's StatusLengthValidator does:
// each http(s) link counts urlWeight, a remote mention "@ann@example.social"
// counts as "@ann", and the rest is counted in graphemes.
func Mastodon(text string, urlWeight int) int {
	n, last := 0, 0
	cut := func(s, e, w int) {
		n += Graphemes(text[last:s]) + w
		last = e
	}
	type span struct{ s, e, w int }
	var spans []span
	for _, u := range URLSpans(text, false) {
		spans = append(spans, span{u[0], u[1], urlWeight})
	}
	for _, m := range MentionRe.FindAllStringSubmatchIndex(text, -1) {
		if m[4] < 0 {
			continue
		}
		at := m[2] - 1
		if !slices.ContainsFunc(spans, func(o span) bool { return at < o.e && o.s < m[5] }) {
			spans = append(spans, span{at, m[5], 1 + Graphemes(text[m[2]:m[3]])})
		}
	}
	slices.SortFunc(spans, func(a, b span) int { return a.s - b.s })
	for _, sp := range spans {
		if sp.s >= last {
			cut(sp.s, sp.e, sp.w)
		}
	}
	return n + Graphemes(text[last:])
}

func isAlnum(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c|0x20 && c|0x20 <= 'z'
}
