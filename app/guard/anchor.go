package guard

import (
	"fmt"
	"regexp"
	"regexp/syntax"
	"strings"
	"unicode"
	"unicode/utf8"
)

// anchored runs a detector's regular expression only where a match can
// start. Go's regexp engine reads every byte of its input looking for a
// match start, which on a 2,000-character post with digits everywhere cost
// about a millisecond over all detectors. Most identifiers begin with a
// shape a few byte comparisons can spot (a digit run of the right length,
// a month name, two capitals), so the expression itself runs anchored at
// those few offsets, on a slice just long enough to hold its longest match.
//
// The matches are exactly those of re.FindAllStringSubmatchIndex: start
// must accept every offset where re could begin a match (it may accept
// more), and the expression may not match the empty string. The slice handed
// to the engine hides what came before it, so an expression may begin with
// \b only in every alternative and before a word byte; offsets that follow a
// word byte are then skipped before start is asked.
type anchored struct {
	re     *regexp.Regexp // the expression as written, for reference
	anch   *regexp.Regexp // the same, anchored at the start of its input
	maxLen int            // longest match in bytes, or -1 when unbounded
	first  [256]bool      // bytes a match can begin with: a quick test before start
	word   bool           // the expression begins with \b before a word byte
	start  func(text string, i int) bool
	// end, for unbounded expressions, returns an offset the match starting
	// at i cannot reach past; nil means the end of the stretch searched.
	end func(text string, i, hi int) int
}

func anchor(re *regexp.Regexp, start func(string, int) bool, end func(string, int, int) int) *anchored {
	p := parseSyntax(re)
	if minLen(p) == 0 {
		panic(fmt.Sprintf("guard: %q can match the empty string", re))
	}
	a := &anchored{
		re:     re,
		anch:   regexp.MustCompile(`^(?:` + re.String() + `)`),
		maxLen: maxLen(p),
		start:  start,
		end:    end,
	}
	firstBytes(p, &a.first)
	all, any := leadingWordBoundary(p)
	for b, ok := range a.first {
		all = all && (!ok || isWordByte(byte(b)))
	}
	if any && !all {
		panic(fmt.Sprintf("guard: %q begins with \\b only in part", re))
	}
	a.word = all
	return a
}

// leadingWordBoundary reports whether every way through p, and whether any,
// begins with \b.
func leadingWordBoundary(p *syntax.Regexp) (all, any bool) {
	switch p.Op {
	case syntax.OpWordBoundary:
		return true, true
	case syntax.OpCapture:
		return leadingWordBoundary(p.Sub[0])
	case syntax.OpConcat:
		if len(p.Sub) > 0 {
			return leadingWordBoundary(p.Sub[0])
		}
	case syntax.OpAlternate:
		all = true
		for _, s := range p.Sub {
			a, y := leadingWordBoundary(s)
			all, any = all && a, any || y
		}
		return all, any
	case syntax.OpQuest, syntax.OpStar, syntax.OpPlus, syntax.OpRepeat:
		_, any = leadingWordBoundary(p.Sub[0])
		return false, any
	}
	return false, false
}

// parseSyntax parses re the way regexp.Compile does.
func parseSyntax(re *regexp.Regexp) *syntax.Regexp {
	p, err := syntax.Parse(re.String(), syntax.Perl)
	if err != nil {
		panic(err)
	}
	return p.Simplify()
}

// findAll is FindAllStringSubmatchIndex run over each window, in text
// offsets.
func (a *anchored) findAll(text string, w windows) [][]int {
	var out [][]int
	for _, win := range w {
		out = a.appendAll(out, text, win[0], win[1])
	}
	return out
}

// appendAll appends the matches in text[lo:hi], which must start and end at
// whitespace or at the ends of text so that \b there means what it means in
// the whole text.
func (a *anchored) appendAll(out [][]int, text string, lo, hi int) [][]int {
	for i := lo; i < hi; i++ {
		if !a.first[text[i]] || a.word && i > 0 && isWordByte(text[i-1]) || !a.start(text, i) {
			continue
		}
		m := a.anch.FindStringSubmatchIndex(text[i:a.limit(text, i, hi)])
		if m == nil {
			continue
		}
		for k := range m {
			if m[k] >= 0 {
				m[k] += i
			}
		}
		out = append(out, m)
		i = m[1] - 1 // matches are never empty; the next search starts at the end
	}
	return out
}

// limit returns where to cut the engine's input for a match starting at i.
// Past the longest match it cuts at the first ASCII non-word byte: the
// engine sees the end of its input where the text has a byte that neither
// continues a match nor counts as a word character for \b.
func (a *anchored) limit(text string, i, hi int) int {
	if a.maxLen < 0 {
		if a.end == nil {
			return hi
		}
		return min(hi, a.end(text, i, hi))
	}
	j := i + a.maxLen
	for j < hi && (text[j] >= utf8.RuneSelf || isWordByte(text[j])) {
		j++
	}
	return min(j, hi)
}

// isWordByte is \b's idea of a word character: ASCII letters, digits and _.
func isWordByte(c byte) bool { return isAlnum(c) || c == '_' }

func isUpperByte(c byte) bool { return 'A' <= c && c <= 'Z' }
func isLowerByte(c byte) bool { return 'a' <= c && c <= 'z' }

// byteAt is text[i], or 0 past the end.
func byteAt(text string, i int) byte {
	if i < len(text) {
		return text[i]
	}
	return 0
}

// digitRun is the number of ASCII digits starting at i.
func digitRun(text string, i int) int {
	j := i
	for j < len(text) && isDigit(text[j]) {
		j++
	}
	return j - i
}

// hasFoldPrefixAt is hasPrefixAt for a lower-case ASCII prefix under (?i),
// where Go's regexp also lets ſ (U+017F) stand for s and the Kelvin sign
// (U+212A) for k.
func hasFoldPrefixAt(text string, i int, p string) bool {
	for k := 0; k < len(p); k++ {
		if i >= len(text) {
			return false
		}
		c, want := text[i], p[k]
		switch {
		case c == want || isUpperByte(c) && c|0x20 == want:
			i++
		case want == 's' && len(text)-i >= 2 && text[i:i+2] == "ſ":
			i += 2
		case want == 'k' && len(text)-i >= 3 && text[i:i+3] == "\u212a":
			i += 3
		default:
			return false
		}
	}
	return true
}

// firstBytes adds to set every byte a match of p can begin with and
// reports whether p can match the empty string. It errs on the side of
// adding: a class with anything beyond ASCII adds every non-ASCII byte,
// which also covers invalid UTF-8, read as U+FFFD.
func firstBytes(p *syntax.Regexp, set *[256]bool) (nullable bool) {
	addRune := func(r rune) {
		if r < utf8.RuneSelf {
			set[r] = true
			return
		}
		for b := utf8.RuneSelf; b < 256; b++ {
			set[b] = true
		}
	}
	switch p.Op {
	case syntax.OpLiteral:
		if len(p.Rune) == 0 {
			return true
		}
		r := p.Rune[0]
		addRune(r)
		if p.Flags&syntax.FoldCase != 0 {
			for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
				addRune(f)
			}
		}
		return false
	case syntax.OpCharClass:
		for k := 0; k+1 < len(p.Rune); k += 2 {
			for r := p.Rune[k]; r <= p.Rune[k+1] && r < utf8.RuneSelf; r++ {
				set[r] = true
			}
			if p.Rune[k+1] >= utf8.RuneSelf {
				addRune(utf8.RuneSelf)
			}
		}
		return false
	case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		for b := range set {
			set[b] = true
		}
		return false
	case syntax.OpCapture, syntax.OpPlus:
		return firstBytes(p.Sub[0], set)
	case syntax.OpStar, syntax.OpQuest:
		firstBytes(p.Sub[0], set)
		return true
	case syntax.OpRepeat:
		return firstBytes(p.Sub[0], set) || p.Min == 0
	case syntax.OpConcat:
		for _, s := range p.Sub {
			if !firstBytes(s, set) {
				return false
			}
		}
		return true
	case syntax.OpAlternate:
		for _, s := range p.Sub {
			if firstBytes(s, set) {
				nullable = true
			}
		}
		return nullable
	}
	return true // empty-width assertions and the empty match
}

// minLen is the fewest bytes p can match.
func minLen(p *syntax.Regexp) int {
	switch p.Op {
	case syntax.OpLiteral:
		return literalLen(p, minRuneLen)
	case syntax.OpCharClass, syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		return 1
	case syntax.OpCapture:
		return minLen(p.Sub[0])
	case syntax.OpPlus:
		return minLen(p.Sub[0])
	case syntax.OpRepeat:
		return p.Min * minLen(p.Sub[0])
	case syntax.OpConcat:
		n := 0
		for _, s := range p.Sub {
			n += minLen(s)
		}
		return n
	case syntax.OpAlternate:
		n := -1
		for _, s := range p.Sub {
			if l := minLen(s); n < 0 || l < n {
				n = l
			}
		}
		return max(n, 0)
	}
	return 0 // empty-width assertions, star, quest, empty match
}

// maxLen is the most bytes p can match, or -1 when there is no bound.
// Invalid UTF-8 is read one byte at a time, never more than a rune's width.
func maxLen(p *syntax.Regexp) int {
	switch p.Op {
	case syntax.OpLiteral:
		return literalLen(p, maxRuneLen)
	case syntax.OpCharClass:
		hi := rune(0)
		for k := 1; k < len(p.Rune); k += 2 {
			hi = max(hi, p.Rune[k])
		}
		return runeWidth(hi)
	case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		return utf8.UTFMax
	case syntax.OpCapture, syntax.OpQuest:
		return maxLen(p.Sub[0])
	case syntax.OpStar, syntax.OpPlus:
		if maxLen(p.Sub[0]) == 0 {
			return 0
		}
		return -1
	case syntax.OpRepeat:
		n := maxLen(p.Sub[0])
		if n < 0 || p.Max < 0 && n > 0 {
			return -1
		}
		return max(p.Max, 0) * n
	case syntax.OpConcat, syntax.OpAlternate:
		n := 0
		for _, s := range p.Sub {
			l := maxLen(s)
			if l < 0 {
				return -1
			}
			if p.Op == syntax.OpConcat {
				n += l
			} else {
				n = max(n, l)
			}
		}
		return n
	}
	return 0
}

// literalLen is the length of a literal p, each rune measured by runeLen
// (with p's case folding).
func literalLen(p *syntax.Regexp, runeLen func(r rune, fold bool) int) int {
	n := 0
	for _, r := range p.Rune {
		n += runeLen(r, p.Flags&syntax.FoldCase != 0)
	}
	return n
}

func runeWidth(r rune) int {
	if n := utf8.RuneLen(r); n > 0 {
		return n
	}
	return utf8.UTFMax // surrogates and out-of-range runes: never wider than this
}

// runeWidths is the fewest and the most bytes r takes in UTF-8, over all
// its case forms when fold.
func runeWidths(r rune, fold bool) (lo, hi int) {
	lo, hi = runeWidth(r), runeWidth(r)
	if fold {
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			lo, hi = min(lo, runeWidth(f)), max(hi, runeWidth(f))
		}
	}
	return lo, hi
}

func maxRuneLen(r rune, fold bool) int { _, hi := runeWidths(r, fold); return hi }

func minRuneLen(r rune, fold bool) int { lo, _ := runeWidths(r, fold); return lo }

// digitChain counts, up to max, the digits from i on that are at most one
// of seps apart.
func digitChain(t string, i int, seps string, max int) int {
	n := 0
	for i < len(t) && isDigit(t[i]) {
		if n++; n == max {
			break
		}
		i++
		if i < len(t) && strings.IndexByte(seps, t[i]) >= 0 {
			i++
		}
	}
	return n
}

// digitGroups reports whether runs of exactly the given lengths start at i,
// joined by sep: "536-22-8147".
func digitGroups(t string, i int, sep byte, lens ...int) bool {
	for k, n := range lens {
		if k > 0 {
			if byteAt(t, i) != sep {
				return false
			}
			i++
		}
		if digitRun(t, i) != n {
			return false
		}
		i += n
	}
	return true
}

// monthWord is the length of the month name monthPat reads at i, or 0. The
// expressions want the name to end the word, so it is the whole run of
// word bytes.
func monthWord(t string, i int) int {
	if !monthAt(t, i) {
		return 0
	}
	j := i + 3
	for j < len(t) && isWordByte(t[j]) {
		j++
	}
	if monthNames[t[i:j]] {
		return j - i
	}
	return 0
}

var monthNames = map[string]bool{}

// weekdayThen returns where the day after a weekday ("Tuesday, ") starts,
// as weekdayPat reads one.
func weekdayThen(t string, i int) (int, bool) {
	if !weekdayAt(t, i) {
		return 0, false
	}
	j := i + 3
	for j < len(t) && isWordByte(t[j]) {
		j++
	}
	if !weekdayNames[t[i:j]] {
		return 0, false
	}
	if byteAt(t, j) == '.' {
		j++
	}
	if byteAt(t, j) == ',' {
		j++
	}
	if byteAt(t, j) != ' ' {
		return 0, false
	}
	return j + 1, true
}

var weekdayNames = map[string]bool{}

func init() {
	for _, m := range []string{"Jan", "January", "Feb", "February", "Mar", "March", "Apr", "April", "May", "Jun", "June", "Jul", "July",
		"Aug", "August", "Sep", "Sept", "September", "Oct", "October", "Nov", "November", "Dec", "December"} {
		monthNames[m] = true
	}
	for _, d := range []string{"Mon", "Tue", "Tues", "Wed", "Wednes", "Weds", "Thu", "Thur", "Thurs", "Fri", "Sat", "Satur", "Sun"} {
		weekdayNames[d] = true
		weekdayNames[d+"day"] = true
	}
}

// dayThenMonth reports whether dmyRe's day and month start at i:
// "4th March", "21 of May".
func dayThenMonth(t string, i int) bool {
	n := digitRun(t, i)
	if n == 0 || n > 2 {
		return false
	}
	j := i + n
	switch t[j:min(len(t), j+2)] {
	case "st", "nd", "rd", "th":
		j += 2
	}
	if strings.HasPrefix(t[j:], " of ") {
		j += 3
	}
	return byteAt(t, j) == ' ' && monthWord(t, j+1) > 0
}

// inwardCode reports whether a postcode's inward half (a digit and two
// letters) starts where it can after an outward code at i.
func inwardCode(t string, i int, letter func(byte) bool) bool {
	for k := i + 2; k <= i+6; k++ {
		if isDigit(byteAt(t, k)) && letter(byteAt(t, k+1)) && letter(byteAt(t, k+2)) {
			return true
		}
	}
	return false
}
