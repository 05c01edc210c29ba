package mail

import (
	"regexp"
	"strings"
	"unicode"
)

// Withdrawal words. A patient withdraws in their own words, in UK or US
// English, often from a phone, with typos; the request email itself says
// "withdraw at any time by replying". Reading too much as a withdrawal only
// puts consents on hold until the manager looks; reading too little lets a
// post go out against the patient's wishes. So the net is wide.

// withdrawVocab are the words the phrases below are written with. A word
// in a reply one or two typing slips away from one of them is read as it.
var withdrawVocab = []string{
	"withdraw", "withdrawal", "withdrawing", "withdrawn", "withdrew", "revoke", "revoked", "revoking", "revocation",
	"rescind", "retract", "consent", "permission", "remove", "removed", "removing", "delete", "deleted", "photo",
	"photos", "picture", "pictures", "testimonial", "review", "using", "stop", "cancel", "cancelled", "canceled",
	"publish", "publishing", "sharing", "posting", "showing", "anymore", "longer", "comfortable", "please",
}

// withdrawPhrases are read over the reply after each word has been mapped
// to its vocabulary spelling. Each names what it found for the manager.
var withdrawPhrases = []struct {
	re   *regexp.Regexp
	what string
}{
	{regexp.MustCompile(`\b(withdraw|withdrawal|withdrawing|withdrawn|withdrew)\b`), "withdraw"},
	{regexp.MustCompile(`\b(revoke|revoked|revoking|revocation|rescind|retract)\b`), "revoke"},
	{regexp.MustCompile(`\b(?:take|taken|taking|took)\s+(?:\w+\s+){0,5}?down\b|\btakedown\b`), "take down"},
	{regexp.MustCompile(`\b(remove|removed|removing|delete|deleted|pull|erase)\s+(?:(?:it|them|this|that|all|everything)\b|(?:my|the|all|those|these|any|your)\s+(?:\w+\s+){0,2}?(photo|photos|picture|pictures|pics?|images?|review|testimonial|story|quote|posts?|name|videos?|details|face|comments?|words|consent|permission|data|information|info)\b)`), "remove my photo"},
	{regexp.MustCompile(`\b(?:do\s+not|don'?t|dont|please\s+don'?t|no\s+longer|never)\s+(?:want\s+(?:you\s+|it\s+|them\s+|my\s+\w+\s+)?(?:to\s+)?)?(?:use|used|share|shared|post|posted|publish|show|shown|display|feature)\b`), "don't use"},
	{regexp.MustCompile(`\bstop\s+(using|sharing|posting|showing|publishing|displaying|featuring)\b`), "stop using"},
	{regexp.MustCompile(`\b(?:no\s+longer|not|n'?t)\s+(?:\w+\s+)?(happy|comfortable|consent|consenting|agree|ok|okay)\s+(?:with|to|for|about)\b|\bno\s+longer\s+(?:give\s+|giving\s+)?(?:my\s+)?(consent|permission)\b|\bi\s+(?:do\s+not|don'?t)\s+consent\b`), "no longer happy"},
	{regexp.MustCompile(`\bchanged?\s+my\s+mind\b|\bchanging\s+my\s+mind\b`), "changed my mind"},
	{regexp.MustCompile(`\bopt(?:ing)?\s*-?\s*out\b`), "opt out"},
	{regexp.MustCompile(`\b(cancel|cancelled|canceled)\s+(?:my\s+|the\s+)?(consent|permission|agreement)\b`), "cancel my consent"},
}

// requestPhrases are words of our own request email and form: when a mail
// program pastes the request without quote markers, they must not read as
// the patient's withdrawal. Only the phrase is set aside, not its line: "I'm
// using my right to withdraw, please take my photos down" is the patient's.
var requestPhrases = []string{
	"you can change your mind and withdraw at any time",
	"you can withdraw",
	"how to withdraw",
	"withdrawal of consent",
	"right to withdraw",
}

// ReadWithdrawal reports whether the patient's own words ask to withdraw,
// and the phrase that says so (as the patient wrote it, trimmed).
func ReadWithdrawal(words string) (phrase string, ok bool) {
	for _, line := range strings.Split(words, "\n") {
		low := withoutRequestPhrases(normalizeWords(line))
		if low == "" || isBoxLine(line) {
			continue
		}
		canon := canonWords(low)
		for _, p := range withdrawPhrases {
			if p.re.MatchString(canon) {
				return trimLine(line), true
			}
		}
	}
	return "", false
}

// isBoxLine reports whether a line is one of the tick boxes ("[ ] Paid
// adverts", "No: Instagram"): declining a box is narrowing, not withdrawing.
func isBoxLine(line string) bool {
	t := strings.TrimSpace(bulletRe.ReplaceAllString(strings.TrimSpace(line), ""))
	if m := checkboxRe.FindStringSubmatch(t); m != nil && m[2] != "" {
		return true
	}
	return glyphRe.MatchString(t)
}

func withoutRequestPhrases(low string) string {
	for _, l := range requestPhrases {
		low = strings.ReplaceAll(low, l, " ")
	}
	return strings.Join(strings.Fields(low), " ")
}

func trimLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 160 {
		s = string(r[:159]) + "…"
	}
	return s
}

// normalizeWords lowercases, turns curly apostrophes straight and keeps
// letters, digits, apostrophes and spaces.
func normalizeWords(s string) string {
	s = strings.ToLower(strings.NewReplacer("’", "'", "‘", "'", "`", "'").Replace(s))
	var b strings.Builder
	for _, r := range s {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'':
			b.WriteRune(r)
		case r == '-':
			b.WriteRune(' ')
		default:
			b.WriteRune(' ')
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// canonWords maps each word within a slip or two of a vocabulary word to
// that word: "withdrawl" → "withdrawal", "revokeing" → "revoking".
func canonWords(low string) string {
	f := strings.Fields(low)
	for i, w := range f {
		f[i] = canonWord(w)
	}
	return strings.Join(f, " ")
}

func canonWord(w string) string {
	n := len([]rune(w))
	if n < 5 {
		return w
	}
	best, bestD := w, 99
	for _, v := range withdrawVocab {
		if v == w {
			return w
		}
		limit := 1
		if n >= 8 {
			limit = 2
		}
		if d := editDistance(w, v, limit); d <= limit && d < bestD {
			best, bestD = v, d
		}
	}
	return best
}

// editDistance is the optimal string alignment distance (insertions,
// deletions, substitutions and swaps of neighbours), stopping early once
// it exceeds limit.
func editDistance(a, b string, limit int) int {
	ra, rb := []rune(a), []rune(b)
	if d := len(ra) - len(rb); d > limit || -d > limit {
		return limit + 1
	}
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
			rowMin = min(rowMin, cur[j])
		}
		if rowMin > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}
