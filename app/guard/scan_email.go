package guard

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ---- email ----

var (
	// Letters outside ASCII are allowed on both sides of the @: mailboxes
	// and internationalised domains (café-brennan.ie) take them.
	// A top-level domain in a script with vowel signs holds marks too
	// (".भारत"), so it is a letter followed by letters or marks.
	emailRe = regexp.MustCompile(`[\p{L}\p{M}\p{N}._%+'-]+@[\p{L}\p{M}\p{N}-]+(?:\.[\p{L}\p{M}\p{N}-]+)*\.\p{L}[\p{L}\p{M}]+`)
	// "jo [at] gmail [dot] com", written to dodge spam harvesters.
	obfAtRe = regexp.MustCompile(`(?i)[\[({]\s*at\s*[\])}]`)

	// findEmails picks emailAt's starts itself, from the @ signs.
	emailAt = anchor(emailRe, func(string, int) bool { return true }, func(t string, i, hi int) int {
		// The domain is the only part after the @, and it ends at the
		// first byte it cannot contain.
		j := i + strings.IndexByte(t[i:hi], '@') + 1
		for j < hi && (isAlnum(t[j]) || t[j] == '-' || t[j] == '.' || t[j] >= utf8.RuneSelf) {
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
			for s > pos {
				if isEmailLocalByte(text[s-1]) {
					s--
					continue
				}
				r, n := utf8.DecodeLastRuneInString(text[pos:s])
				if r == utf8.RuneError || !unicode.IsLetter(r) && !unicode.IsMark(r) && !unicode.IsDigit(r) {
					break
				}
				s -= n
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
		// An address holds a name more often than not; the address is the
		// wider identifier, so it wins over the name inside it.
		cs = append(cs, cand{kind: KindEmail, start: m[0], end: m[1], prio: 6})
	}
	return scanSpelledEmails(cs, text, a)
}

// Spelled-out addresses: "jo dot bloggs at gmail dot com",
// "jbrennan (at) outlook (dot) com", "anna.b at gmail.com".
var (
	spelledSep = `(?:\.| dot | \. | ?[\[({]dot[\])}] ?)`
	// In the mailbox the other symbols are spelled too: "mike underscore t".
	spelledLocalSep = `(?:\.| dot | \. | ?[\[({]dot[\])}] ?| underscore | dash | hyphen )`
	// spelledDomainRe runs anchored just after the "at"; the domain must end
	// in a top-level domain a UK or US reader's contacts use.
	spelledDomainRe = regexp.MustCompile(`(?i)^[a-z0-9-]+(?:` + spelledSep + `[a-z0-9-]+)*?` + spelledSep +
		`(?:com|net|org|edu|gov|uk|ie|us|info|me|io|biz|de|fr|es|nl|se|it|ca|au|nz|eu)\b`)
	// spelledLocalRe runs on the words before the "at" and must reach its end.
	spelledLocalRe = regexp.MustCompile(`(?i)[a-z0-9_%+-]+(?:` + spelledLocalSep + `[a-z0-9_%+-]+)*$`)
	spelledAtRe    = regexp.MustCompile(`(?i)^(?: at |\s*[\[({]\s*at\s*[\])}]\s*| ?@ ?)`)
	spelledNormRe  = regexp.MustCompile(`(?i)\s*[\[({]\s*(at|dot)\s*[\])}]\s*| (at|dot|underscore|dash|hyphen) | ?@ ?`)
	// Mail providers people use for themselves: "bob at gmail dot com" is
	// an address even when the mailbox is a plain word.
	webmail = map[string]bool{"gmail": true, "googlemail": true, "hotmail": true, "outlook": true, "live": true, "msn": true, "yahoo": true, "icloud": true,
		"me": true, "mac": true, "aol": true, "btinternet": true, "sky": true, "virginmedia": true, "talktalk": true, "protonmail": true, "proton": true, "gmx": true, "ymail": true, "comcast": true}
	// Words that sit before "at" in ordinary sentences: "find us at harbourdental.co.uk".
	notMailbox = map[string]bool{"us": true, "me": true, "her": true, "him": true, "them": true, "you": true, "we": true, "it": true, "is": true, "are": true, "was": true,
		"online": true, "book": true, "visit": true, "find": true, "email": true, "message": true, "dm": true, "here": true, "there": true, "or": true, "and": true, "also": true, "page": true}
)

func scanSpelledEmails(cs []cand, text string, a *allowed) []cand {
	bracket := obfuscatedAt(text)
	for i := 1; i+2 < len(text); i++ {
		// The "at" between mailbox and domain: " at ", a bracketed "(at)",
		// or an @ with spaces or a spelled-out domain ("jo@gmail dot com").
		sign := text[i] == '@'
		if sign {
			if text[i-1] != ' ' && text[i+1] != ' ' && !strings.Contains(strings.ToLower(text[i:min(len(text), i+40)]), "dot") {
				continue // an ordinary address: scanEmails has it
			}
		} else if text[i]|0x20 != 'a' || text[i+1]|0x20 != 't' {
			continue
		}
		p, n := text[i-1], text[i+2]
		spaced := p == ' ' && n == ' '
		if !sign && !spaced && !(bracket && strings.IndexByte("[({ ", p) >= 0 && strings.IndexByte("])} ", n) >= 0) {
			continue
		}
		// The mailbox is at most a few words back: "margaret dot o".
		lo := max(0, i-40)
		for lo > 0 && text[lo-1] != ' ' && text[lo-1] != '\n' && i-lo < 64 {
			lo--
		}
		// The mailbox ends where the "at" token begins.
		k := i - 1
		if sign || text[k] != ' ' && strings.IndexByte("[({", text[k]) < 0 {
			k = i
		}
		for k > lo && strings.IndexByte(" [({", text[k-1]) >= 0 {
			k--
		}
		atTok := spelledAtRe.FindStringIndex(text[k:min(len(text), i+8)])
		if atTok == nil {
			continue
		}
		d := k + atTok[1]
		dm := spelledDomainRe.FindStringIndex(text[d:min(len(text), d+80)])
		if dm == nil {
			continue
		}
		lm := spelledLocalRe.FindStringIndex(text[lo:k])
		if lm == nil {
			continue
		}
		s, e := lo+lm[0], d+dm[1]
		if s > 0 && isAlnum(text[s-1]) {
			continue
		}
		local, domain := text[s:k], text[d:e]
		first := strings.ToLower(domain)
		if j := strings.IndexFunc(first, func(r rune) bool { return r >= utf8.RuneSelf || !isAlnum(byte(r)) && r != '-' }); j > 0 {
			first = first[:j]
		}
		plain := !strings.ContainsAny(local, "._0123456789") && !strings.Contains(strings.ToLower(local), "dot") && !strings.Contains(local, " ")
		if !sign && (notMailbox[strings.ToLower(local)] || plain && !webmail[first] && text[k:d] == " at ") {
			continue
		}
		addr := strings.ToLower(spelledNormRe.ReplaceAllStringFunc(text[s:e], func(m string) string {
			switch w := strings.ToLower(strings.Trim(m, " \t\r\n[]{}()")); w {
			case "at", "@":
				return "@"
			case "underscore":
				return "_"
			case "dash", "hyphen":
				return "-"
			}
			return "."
		}))
		if a.emails[addr] || a.domainAllowed(addr[strings.LastIndexByte(addr, '@')+1:]) {
			continue
		}
		cs = append(cs, cand{kind: KindEmail, start: s, end: e, prio: 6})
		i = e
	}
	return cs
}
