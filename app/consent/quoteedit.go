package consent

import (
	"regexp"
	"strings"
	"unicode"
)

// The consent promises the patient that the practice edits their words
// only for length or typos (compliance §3.5 E5). QuoteEdit tells the
// practice whether an edit stays inside that promise, and shows the
// patient what changed before they approve it (§3.6 item 7).

// Diff operations of a QuoteDiffPart.
const (
	DiffSame    = "same"
	DiffRemoved = "removed"
	DiffAdded   = "added"
)

// QuoteDiffPart is a run of the text that is kept, taken out or put in.
type QuoteDiffPart struct {
	Op   string `json:"op"`
	Text string `json:"text"`
}

// QuoteEdit compares edited words with the words the patient approved.
type QuoteEdit struct {
	// Parts are both texts merged word by word, in reading order: kept
	// words once, removed and added words marked.
	Parts []QuoteDiffPart `json:"parts"`
	// LengthOrTypos is true when the edit only takes words out and fixes
	// small slips inside words (a letter or two, capitals, punctuation).
	LengthOrTypos bool `json:"lengthOrTypos"`
	// Added are the words the edit brings in that are no small correction
	// of a word taken out at that place: what makes it more than length or
	// typos.
	Added []string `json:"added"`
}

var chunkRe = regexp.MustCompile(`\S+\s*`)

// CompareQuotes compares edited with approved.
func CompareQuotes(approved, edited string) QuoteEdit {
	out := QuoteEdit{Parts: displayDiff(approved, edited), Added: []string{}}
	a, b := words(approved), words(edited)
	for _, h := range hunks(a, b) {
		used := make([]bool, len(h.removed))
		for _, w := range h.added {
			fixed := false
			for i, r := range h.removed {
				if !used[i] && smallFix(r, w) {
					used[i], fixed = true, true
					break
				}
			}
			if !fixed {
				out.Added = append(out.Added, w)
			}
		}
	}
	out.LengthOrTypos = len(out.Added) == 0
	return out
}

// words are the runs of letters, digits and apostrophes: punctuation and
// spacing are typography, not words.
func words(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\'' && r != '’'
	})
}

// smallFix reports whether b is a typo fix of a: the same word in other
// capitals, or, for words of three letters or more, one slip (two when
// both are longer than five letters). Short words are never "fixed": "no" to
// "so" or "3" to "2" changes what the patient said.
func smallFix(a, b string) bool {
	la, lb := strings.ToLower(a), strings.ToLower(b)
	if la == lb {
		return true
	}
	ra, rb := []rune(la), []rune(lb)
	if min(len(ra), len(rb)) < 3 {
		return false
	}
	limit := 1
	if min(len(ra), len(rb)) > 5 {
		limit = 2
	}
	return editDistance(ra, rb) <= limit
}

// editDistance is the optimal string alignment distance: insertions,
// deletions, substitutions and swaps of neighbouring letters ("teh").
func editDistance(a, b []rune) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}

type hunk struct{ removed, added []string }

// hunks aligns a and b on their longest common subsequence and returns
// each place where they differ: the words of a taken out and of b put in.
func hunks(a, b []string) []hunk {
	var out []hunk
	var cur hunk
	flush := func() {
		if len(cur.removed)+len(cur.added) > 0 {
			out = append(out, cur)
		}
		cur = hunk{}
	}
	for _, s := range align(a, b) {
		switch s.op {
		case DiffSame:
			flush()
		case DiffRemoved:
			cur.removed = append(cur.removed, s.text)
		case DiffAdded:
			cur.added = append(cur.added, s.text)
		}
	}
	flush()
	return out
}

type step struct{ op, text string }

// align is a word diff by longest common subsequence; ties take removals
// first, so a replaced word reads "old new".
func align(a, b []string) []step {
	n, m := len(a), len(b)
	l := make([][]int, n+1)
	for i := range l {
		l[i] = make([]int, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if a[i] == b[j] {
				l[i][j] = l[i+1][j+1] + 1
			} else {
				l[i][j] = max(l[i+1][j], l[i][j+1])
			}
		}
	}
	var out []step
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && a[i] == b[j]:
			out = append(out, step{DiffSame, b[j]})
			i, j = i+1, j+1
		case i < n && (j == m || l[i+1][j] >= l[i][j+1]):
			out = append(out, step{DiffRemoved, a[i]})
			i++
		default:
			out = append(out, step{DiffAdded, b[j]})
			j++
		}
	}
	return out
}

// displayDiff diffs the texts chunk by chunk (a word with its punctuation
// and the space after it), so the patient reads the new text as written
// with the changes marked in place.
func displayDiff(approved, edited string) []QuoteDiffPart {
	a, b := chunkRe.FindAllString(approved, -1), chunkRe.FindAllString(edited, -1)
	// Chunks match on their letters and digits: "ease," shortened to
	// "ease." is the same word kept, not one word swapped for another.
	key := func(xs []string) []string {
		out := make([]string, len(xs))
		for i, x := range xs {
			out[i] = strings.Join(words(x), "")
			if out[i] == "" {
				out[i] = strings.TrimSpace(x)
			}
		}
		return out
	}
	ka, kb := key(a), key(b)
	var parts []QuoteDiffPart
	ia, ib := 0, 0
	for _, s := range align(ka, kb) {
		var text string
		switch s.op {
		case DiffSame:
			// A kept word that ends the new text keeps the space it had,
			// so the words taken out after it do not run into it.
			text = b[ib]
			if strings.TrimSpace(text) == text {
				text += a[ia][len(strings.TrimRightFunc(a[ia], unicode.IsSpace)):]
			}
			ia, ib = ia+1, ib+1
		case DiffRemoved:
			text = a[ia]
			ia++
		default:
			text = b[ib]
			ib++
		}
		if n := len(parts); n > 0 && parts[n-1].Op == s.op {
			parts[n-1].Text += text
		} else {
			parts = append(parts, QuoteDiffPart{Op: s.op, Text: text})
		}
	}
	if parts == nil {
		parts = []QuoteDiffPart{}
	}
	return parts
}
