package guard

import (
	"regexp"
	"strings"
)

// ---- email ----

var (
	emailRe = regexp.MustCompile(`[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}`)
	// "jo [at] gmail [dot] com", written to dodge spam harvesters.
	obfAtRe    = regexp.MustCompile(`(?i)[\[({]\s*at\s*[\])}]`)
	emailObfRe = regexp.MustCompile(`(?i)\b[a-z0-9._%+-]+\s*[\[({]\s*at\s*[\])}]\s*[a-z0-9-]+(?:\s*(?:[\[({]\s*dot\s*[\])}]|\.)\s*[a-z0-9-]+)+`)

	// findEmails picks emailAt's starts itself, from the @ signs.
	emailAt = anchor(emailRe, func(string, int) bool { return true }, func(t string, i, hi int) int {
		// The domain is the only part after the @, and it ends at the
		// first byte it cannot contain.
		j := i + strings.IndexByte(t[i:hi], '@') + 1
		for j < hi && (isAlnum(t[j]) || t[j] == '-' || t[j] == '.') {
			j++
		}
		return j
	})
	obfAtAt = anchor(obfAtRe, func(t string, i int) bool {
		// The bracket is the first-byte table's to check.
		j := skipSpace(t, i+1, len(t))
		return byteAt(t, j)|0x20 == 'a' && byteAt(t, j+1)|0x20 == 't'
	}, func(t string, i, hi int) int {
		j := skipSpace(t, i+1, hi) + len("at")
		return min(hi, skipSpace(t, min(j, hi), hi)+1)
	})
)

// skipSpace returns the first offset from i on that is not \s.
func skipSpace(t string, i, hi int) int {
	for i < hi && (t[i] == ' ' || '\t' <= t[i] && t[i] <= '\r' && t[i] != '\v') {
		i++
	}
	return i
}

func isEmailLocalByte(c byte) bool { return isAlnum(c) || strings.IndexByte("._%+'-", c) >= 0 }

// findEmails is emailRe.FindAllStringSubmatchIndex over the windows. A match
// holds exactly one @ and begins where the run of local-part bytes before it
// begins (or where the last match ended), so the engine runs once per @.
func findEmails(text string, w windows) [][]int {
	var out [][]int
	for _, win := range w {
		pos, hi := win[0], win[1]
		for at := pos; ; at++ {
			k := strings.IndexByte(text[at:hi], '@')
			if k < 0 {
				break
			}
			at += k
			s := at
			for s > pos && isEmailLocalByte(text[s-1]) {
				s--
			}
			if s == at {
				continue
			}
			m := emailAt.anch.FindStringSubmatchIndex(text[s:emailAt.limit(text, s, hi)])
			if m == nil {
				continue
			}
			for k := range m {
				m[k] += s
			}
			out = append(out, m)
			pos = m[1]
			at = pos - 1
		}
	}
	return out
}

func obfuscatedAt(text string) bool {
	for i := 0; i < len(text); i++ {
		if obfAtAt.first[text[i]] && obfAtAt.start(text, i) && obfAtAt.anch.MatchString(text[i:obfAtAt.limit(text, i, len(text))]) {
			return true
		}
	}
	return false
}

func scanEmails(cs []cand, text string, w windows, a *allowed) []cand {
	for _, m := range findEmails(text, w) {
		e := strings.ToLower(text[m[0]:m[1]])
		if a.emails[e] || a.domainAllowed(e[strings.LastIndexByte(e, '@')+1:]) {
			continue
		}
		cs = append(cs, cand{kind: KindEmail, start: m[0], end: m[1], prio: 4})
	}
	if !obfuscatedAt(text) {
		return cs
	}
	for _, m := range emailObfRe.FindAllStringIndex(text, -1) {
		cs = append(cs, cand{kind: KindEmail, start: m[0], end: m[1], prio: 4})
	}
	return cs
}
