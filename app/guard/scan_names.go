package guard

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// Patient names from the practice's list, and title + surname.

// ---- names ----

func scanNames(cs []cand, text string, m *Matcher, a *allowed) []cand {
	for _, h := range m.find(text) {
		if allConsented(h.patients, a.consented) {
			continue
		}
		f := strings.TrimSpace(string(foldInto(nil, text[h.start:h.end], nil, nil)))
		if a.staff[f] {
			continue // a patient who shares a staff member's name: the staff reading wins
		}
		if ws := strings.Fields(f); len(ws) == 2 && staffTitles[ws[0]] && a.staff[ws[1]] {
			continue
		}
		cs = append(cs, cand{kind: KindPatientName, start: h.start, end: h.end, prio: 5})
	}
	return cs
}

func allConsented(ids []string, ok map[string]bool) bool {
	if len(ids) == 0 {
		return false
	}
	for _, id := range ids {
		if !ok[id] {
			return false
		}
	}
	return true
}

var (
	possibleNameRe = regexp.MustCompile(`\b(?:Mr|Mrs|Ms|Miss|Mx)\.? ([A-Z][a-zA-Z'’-]+)`)
	possibleNameAt = anchor(possibleNameRe, func(t string, i int) bool {
		return t[i] == 'M' && strings.IndexByte("rsix", byteAt(t, i+1)) >= 0
	}, func(t string, i, hi int) int {
		// "Miss. X" is the longest title part; the surname ends at the
		// first ASCII byte outside [a-zA-Z'-].
		j := i + len("Miss. X")
		for j < hi && (t[j] >= utf8.RuneSelf || isLetterByte(t[j]) || t[j] == '\'' || t[j] == '-') {
			j++
		}
		return j
	})
)

// Title-case words that follow "Miss" in headings ("Don't Miss Our Open Day").
// Also the household characters and brands a UK or US post may joke about.
var notSurnames = map[string]bool{"Out": true, "Our": true, "This": true, "The": true, "Your": true, "It": true, "A": true, "An": true, "Any": true, "Another": true, "Them": true, "Him": true, "Her": true, "You": true,
	"Whippy": true, "Doubtfire": true, "Bean": true, "Men": true, "Motivator": true, "Blobby": true, "Kipling": true, "Muscle": true, "Sheen": true, "Potato": true, "Incredible": true, "Universe": true, "World": true, "Right": true, "Fixit": true, "Tickle": true, "Happy": true, "Claus": true, "Marvel": true, "Hinch": true, "Brightside": true, "Clean": true}

func scanPossibleNames(cs []cand, text string, a *allowed) []cand {
	for _, m := range possibleNameAt.appendAll(nil, text, 0, len(text)) {
		sur := text[m[2]:m[3]]
		if i := strings.IndexAny(sur, "-'’"); i > 0 && notSurnames[sur[:i]] {
			continue // "Mrs Doubtfire-style"
		}
		if notSurnames[sur] || a.staff[strings.TrimSpace(string(foldInto(nil, sur, nil, nil)))] {
			continue
		}
		cs = append(cs, cand{kind: KindPossibleName, start: m[0], end: m[1], prio: 1})
	}
	return cs
}
