package guard

import (
	"bytes"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// PatientName is one patient's name as stored in the practice's database.
// PatientID lets a caller clear a name whose consent covers the channel.
type PatientName struct {
	PatientID string
	Name      string
}

// Matcher finds the practice's patient names in text: whole words only,
// ignoring case, accents and punctuation ("Zoe Hartley" finds "Zoë Hartley",
// "Seán O’Connell" finds "SEAN O'CONNELL"). It is an Aho–Corasick automaton
// over folded text, so scanning costs the same for 50 names or 50,000.
// Build it once with NewMatcher and build a new one when the names change; a
// Matcher is immutable and safe for concurrent use.
type Matcher struct {
	root     [256]int32 // dense edges out of the root: most steps land here
	edgeOff  []int32    // node i's edges are edges[edgeOff[i]:edgeOff[i+1]]
	edges    []edge     // sorted by byte within each node
	fail     []int32
	out      []int32 // pattern ending at this node, or -1
	dict     []int32 // nearest node on the fail chain with an output, or -1
	patterns []pattern
}

type edge struct {
	b  byte
	to int32
}

type pattern struct {
	length   int
	patients []string // every patient this form of name may refer to
	reversed bool     // "Family, Given": only counts with the comma in place
	// joined is the words run together ("margaretokafor"); inside a
	// hashtag or handle it counts without word boundaries, because tags
	// add words to a name: #GoMargaretOkafor, @GraceThompson92.
	joined bool
	// initial is first name and the surname's initial ("margaret o"), as
	// practices sign testimonials: "— Margaret O.". It counts only as
	// written that way, capitalised, and not when the letter begins a
	// longer surname after an apostrophe or hyphen ("Margaret O'Neil").
	initial bool
	// initialFirst is the first name's initial and the surname ("j
	// whitmore"), as a review signs off: "J. Whitmore". It counts only as
	// written that way: a capital letter, then a capitalised surname, and a
	// full stop after "A" or "I", which are words too ("A Bell rang").
	initialFirst bool
}

// minJoinedInTag is the shortest run-together name found inside a longer
// hashtag or handle: shorter ones ("jopark") turn up inside ordinary tags.
const minJoinedInTag = 8

// nameTitles are prefixed to a family name: "Mrs Okafor" identifies a
// patient as surely as her full name, and so does the Spanish "Sr. Mendoza"
// in a post thanking a Spanish-speaking patient. "Dr" is left out because
// in a practice's posts it almost always names a clinician.
var nameTitles = []string{"mr", "mrs", "ms", "miss", "mx", "sr", "sra", "srta"}

// familyNouns follow "the" and a family name to make a household of it.
var familyNouns = []string{"family", "household", "twins"}

// NewMatcher builds the automaton. Besides the name as written it matches
// "Family, Given", "Given Family" without middle names, the words run
// together as in a hashtag or handle, and title + family name. Empty names
// are ignored.
func NewMatcher(names []PatientName) *Matcher {
	forms := map[string][]string{}
	reversed, joined, initial, initialFirst := map[string]bool{}, map[string]bool{}, map[string]bool{}, map[string]bool{}
	add := func(form, id string) {
		if form == "" {
			return
		}
		if !slices.Contains(forms[form], id) {
			forms[form] = append(forms[form], id)
		}
	}
	addReversed := func(form, id string) {
		if _, ok := forms[form]; !ok {
			reversed[form] = true
		}
		add(form, id)
	}
	var buf []byte
	for _, n := range spellings(names) {
		buf = foldInto(buf[:0], n.Name, nil, nil)
		full := strings.TrimSpace(string(buf))
		if full == "" {
			continue
		}
		add(full, n.PatientID)
		words := strings.Fields(full)
		if len(words) < 2 {
			continue
		}
		// Hashtags and handles run the words together: #MargaretOkafor.
		add(strings.Join(words, ""), n.PatientID)
		joined[strings.Join(words, "")] = true
		// Handles put the family name first too: @okaformargaret.
		rev := words[len(words)-1] + strings.Join(words[:len(words)-1], "")
		add(rev, n.PatientID)
		joined[rev] = true
		last := words[len(words)-1]
		addReversed(last+" "+strings.Join(words[:len(words)-1], " "), n.PatientID)
		if len(words) > 2 {
			add(words[0]+" "+last, n.PatientID)
			addReversed(last+" "+words[0], n.PatientID)
		}
		// "Margaret O.": a first name of three letters or more; shorter ones
		// with a capital after them are too often something else ("Al B").
		if len(words[0]) >= 3 {
			add(words[0]+" "+last[:1], n.PatientID)
			initial[words[0]+" "+last[:1]] = true
		}
		add(words[0][:1]+" "+last, n.PatientID)
		initialFirst[words[0][:1]+" "+last] = true
		// "The Kowalski family": a household named by its surname.
		for _, f := range familyNouns {
			add("the "+last+" "+f, n.PatientID)
		}
		for _, t := range nameTitles {
			add(t+" "+last, n.PatientID)
			add(t+last, n.PatientID) // @MrsOkafor
			joined[t+last] = true
			// "Mr O'Connell", "Mrs Smith-Jones": the family name as
			// written, where it folds to more than its last word.
			if fam := writtenFamily(n.Name); fam != last {
				add(t+" "+fam, n.PatientID)
			}
		}
	}
	for _, n := range names {
		// A form that is also someone's name as written is not reversed.
		buf = foldInto(buf[:0], n.Name, nil, nil)
		delete(reversed, strings.TrimSpace(string(buf)))
		delete(joined, strings.TrimSpace(string(buf)))
		delete(initial, strings.TrimSpace(string(buf)))
		delete(initialFirst, strings.TrimSpace(string(buf)))
	}
	keys := make([]string, 0, len(forms))
	for k := range forms {
		keys = append(keys, k)
	}
	slices.Sort(keys) // deterministic node numbering
	return buildMatcher(keys, forms, nameFlags{reversed, joined, initial, initialFirst})
}

// nameFlags say which folded forms count only in a particular setting.
type nameFlags struct{ reversed, joined, initial, initialFirst map[string]bool }

// Len is the number of name forms the matcher looks for.
func (m *Matcher) Len() int {
	if m == nil {
		return 0
	}
	return len(m.patterns)
}

type buildNode struct {
	next map[byte]int32
}

func buildMatcher(keys []string, forms map[string][]string, fl nameFlags) *Matcher {
	nodes := []buildNode{{next: map[byte]int32{}}}
	out := []int32{-1}
	m := &Matcher{patterns: make([]pattern, 0, len(keys))}
	for _, k := range keys {
		s := int32(0)
		for i := 0; i < len(k); i++ {
			nx, ok := nodes[s].next[k[i]]
			if !ok {
				nx = int32(len(nodes))
				nodes = append(nodes, buildNode{next: map[byte]int32{}})
				out = append(out, -1)
				nodes[s].next[k[i]] = nx
			}
			s = nx
		}
		out[s] = int32(len(m.patterns))
		m.patterns = append(m.patterns, pattern{length: len(k), patients: forms[k], reversed: fl.reversed[k], joined: fl.joined[k], initial: fl.initial[k], initialFirst: fl.initialFirst[k]})
	}

	// Flatten the trie so that scanning touches a few contiguous slices.
	n := len(nodes)
	m.edgeOff = make([]int32, n+1)
	for i, nd := range nodes {
		m.edgeOff[i+1] = m.edgeOff[i] + int32(len(nd.next))
	}
	m.edges = make([]edge, m.edgeOff[n])
	for i, nd := range nodes {
		es := m.edges[m.edgeOff[i]:m.edgeOff[i+1]]
		j := 0
		for b, to := range nd.next {
			es[j] = edge{b, to}
			j++
		}
		slices.SortFunc(es, func(a, b edge) int { return int(a.b) - int(b.b) })
	}
	m.out = out
	m.fail = make([]int32, n)
	m.dict = make([]int32, n)
	for i := range m.root {
		m.root[i] = 0
	}
	// Breadth-first so a node's fail link is final before its children need it.
	queue := make([]int32, 0, n)
	for _, e := range m.children(0) {
		m.root[e.b] = e.to
		m.fail[e.to] = 0
		m.dict[e.to] = -1
		queue = append(queue, e.to)
	}
	m.dict[0] = -1
	for qi := 0; qi < len(queue); qi++ {
		s := queue[qi]
		for _, e := range m.children(s) {
			f := m.fail[s]
			for {
				if nx, ok := m.step(f, e.b); ok {
					m.fail[e.to] = nx
					break
				}
				if f == 0 {
					m.fail[e.to] = 0
					break
				}
				f = m.fail[f]
			}
			fl := m.fail[e.to]
			if m.out[fl] >= 0 {
				m.dict[e.to] = fl
			} else {
				m.dict[e.to] = m.dict[fl]
			}
			queue = append(queue, e.to)
		}
	}
	return m
}

func (m *Matcher) children(s int32) []edge { return m.edges[m.edgeOff[s]:m.edgeOff[s+1]] }

// step follows the trie edge for b out of s, if there is one.
func (m *Matcher) step(s int32, b byte) (int32, bool) {
	if s == 0 {
		nx := m.root[b]
		return nx, nx != 0
	}
	es := m.children(s)
	if len(es) <= 8 {
		for _, e := range es {
			if e.b == b {
				return e.to, true
			}
		}
		return 0, false
	}
	i, ok := slices.BinarySearchFunc(es, b, func(e edge, b byte) int { return int(e.b) - int(b) })
	if !ok {
		return 0, false
	}
	return es[i].to, true
}

// nameHit is a whole-word match of a name form, in original byte offsets.
type nameHit struct {
	start, end int
	patients   []string
}

// find returns whole-word matches, longest first where they overlap.
func (m *Matcher) find(text string) []nameHit {
	if m == nil || len(m.patterns) == 0 {
		return nil
	}
	f := getFolded(text)
	defer putFolded(f)
	b := f.b
	var hits []nameHit
	s := int32(0)
	for i := 0; i < len(b); i++ {
		c := b[i]
		for {
			if nx, ok := m.step(s, c); ok {
				s = nx
				break
			}
			if s == 0 {
				break
			}
			s = m.fail[s]
		}
		for o := s; o > 0; o = m.dict[o] {
			p := m.out[o]
			if p < 0 {
				continue
			}
			pat := m.patterns[p]
			st, en := i+1-pat.length, i+1
			wordStart := st == 0 || b[st-1] == ' '
			bareS := wordStart && pat.plain() && bareApostropheS(b, st, en)
			if wordStart && (en == len(b) || b[en] == ' ' || digitsEndTag(text, f, st, en)) || bareS || pat.joined && pat.length >= minJoinedInTag && inTag(text, f, st) {
				h := nameHit{start: int(f.start[st]), end: int(f.end[en-1]), patients: pat.patients}
				if bareS {
					h.end = int(f.end[en])
				}
				if pat.reversed && !strings.Contains(text[h.start:h.end], ",") && !inTag(text, f, st) {
					continue
				}
				if pat.initial && !initialAsWritten(text, h.start, h.end) || pat.initialFirst && !initialFirstAsWritten(text, h.start, h.end) {
					continue
				}
				hits = append(hits, h)
			}
		}
	}
	return hits
}

// plain reports whether the pattern is a name in its written order, not an
// initial, a reversed or a joined form.
func (p pattern) plain() bool {
	return !p.reversed && !p.joined && !p.initial && !p.initialFirst
}

// bareApostropheS reports whether the folded name at [st, en), of two words
// or more, takes a possessive written without its apostrophe: "Agnieszka
// Nowaks braces". A single word plus s is too often another word.
func bareApostropheS(b []byte, st, en int) bool {
	return en < len(b) && b[en] == 's' && (en+1 == len(b) || b[en+1] == ' ') && bytes.IndexByte(b[st:en], ' ') >= 0
}

// inTag reports whether folded byte st lies in a word that starts a
// hashtag or handle (# or @ right before it in the text).
func inTag(text string, f *folded, st int) bool {
	k := st
	for k > 0 && f.b[k-1] != ' ' {
		k--
	}
	o := int(f.start[k])
	return o > 0 && (text[o-1] == '#' || text[o-1] == '@')
}

// initialAsWritten reports whether text[start:end], a first name and one
// letter, reads as a name and initial: both capitalised, the letter not
// glued to more of a surname ("O'Neil", "O-Brien") nor to a word, though
// it may take a possessive ("Chloé D's").
func initialAsWritten(text string, start, end int) bool {
	r, _ := utf8.DecodeRuneInString(text[start:])
	l, _ := utf8.DecodeLastRuneInString(text[start:end])
	if !unicode.IsUpper(r) || !unicode.IsUpper(l) {
		return false
	}
	next, n := utf8.DecodeRuneInString(text[end:])
	if next == '\'' || next == '’' || next == '-' {
		rest := text[end+n:]
		if next != '-' && (strings.HasPrefix(rest, "s") || strings.HasPrefix(rest, "S")) {
			rest = rest[1:] // the possessive: "Chloé D's crown"
		}
		after, _ := utf8.DecodeRuneInString(rest)
		return !unicode.IsLetter(after)
	}
	return true
}

// initialFirstAsWritten reports whether text[start:end], one letter and a
// surname, reads as an initial and surname: "J. Whitmore", "J Whitmore".
func initialFirstAsWritten(text string, start, end int) bool {
	r, n := utf8.DecodeRuneInString(text[start:])
	if !unicode.IsUpper(r) || start > 0 && text[start-1] == '.' {
		return false // "U.S. Bell": the last of a dotted abbreviation
	}
	dot := strings.HasPrefix(text[start+n:], ".")
	if (r == 'A' || r == 'I') && !dot {
		return false
	}
	k := start + n
	for k < end && !unicode.IsLetter(rune(text[k])) {
		k++
	}
	s, _ := utf8.DecodeRuneInString(text[k:])
	return unicode.IsUpper(s)
}

// digitsEndTag reports whether folded bytes from en on are digits that end
// a handle or hashtag holding the name: "@mohammed_iqbal87". In a tag the
// separators fold to spaces, so the name is matched word by word and only
// its trailing digits stand between it and the end of the tag.
func digitsEndTag(text string, f *folded, st, en int) bool {
	k := en
	for k < len(f.b) && '0' <= f.b[k] && f.b[k] <= '9' {
		k++
	}
	if k == en || k < len(f.b) && f.b[k] != ' ' {
		return false
	}
	// The tag is the run of text without spaces that holds the name.
	o := int(f.start[st])
	for o > 0 && strings.IndexByte(" \t\n\r\f\v", text[o-1]) < 0 {
		o--
	}
	end := int(f.end[k-1])
	return (text[o] == '@' || text[o] == '#') && !strings.ContainsFunc(text[o:end], unicode.IsSpace)
}

// folded is text reduced to lower-case ASCII-ish letters, digits and single
// spaces, with a map from each folded byte back to the original rune.
type folded struct {
	b          []byte
	start, end []int32
}

// foldInto appends the folded form of s to dst. When start/end are non-nil
// they receive, for each appended byte, the original rune's byte span.
func foldInto(dst []byte, s string, start, end *[]int32) []byte {
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			// ASCII, nearly all of a post: foldRune's answer without the call.
			switch {
			case 'A' <= c && c <= 'Z':
				c += 'a' - 'A'
			case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
			default:
				if len(dst) == 0 || dst[len(dst)-1] == ' ' {
					i++
					continue
				}
				c = ' '
			}
			dst = append(dst, c)
			if start != nil {
				*start = append(*start, int32(i))
				*end = append(*end, int32(i+1))
			}
			i++
			continue
		}
		r, w := utf8.DecodeRuneInString(s[i:])
		rep, sep := foldRune(r)
		if sep {
			if len(dst) == 0 || dst[len(dst)-1] == ' ' {
				i += w
				continue
			}
			rep = " "
		}
		for j := 0; j < len(rep); j++ {
			dst = append(dst, rep[j])
			if start != nil {
				*start = append(*start, int32(i))
				*end = append(*end, int32(i+w))
			}
		}
		i += w
	}
	return dst
}

var foldPool = sync.Pool{New: func() any { return new(folded) }}

func getFolded(s string) *folded {
	f := foldPool.Get().(*folded)
	f.b, f.start, f.end = f.b[:0], f.start[:0], f.end[:0]
	f.b = foldInto(f.b, s, &f.start, &f.end)
	return f
}

func putFolded(f *folded) {
	if cap(f.b) > 1<<20 {
		return // let an unusually large post's buffers go
	}
	foldPool.Put(f)
}

// foldRune maps r to its folded spelling; sep reports a word separator.
// Combining marks fold to nothing so decomposed input matches composed.
func foldRune(r rune) (rep string, sep bool) {
	if r < utf8.RuneSelf {
		switch {
		case 'a' <= r && r <= 'z', '0' <= r && r <= '9':
			return asciiStr[r], false
		case 'A' <= r && r <= 'Z':
			return asciiStr[r+'a'-'A'], false
		}
		return "", true
	}
	if f, ok := foldTable[r]; ok {
		return f, false
	}
	if unicode.Is(unicode.Mn, r) {
		return "", false
	}
	if unicode.IsLetter(r) || unicode.IsDigit(r) {
		return string(unicode.ToLower(r)), false
	}
	return "", true
}

var asciiStr [128]string

// foldTable strips accents from Latin letters and spells out the letters
// that have no decomposition (ß, æ, ø, ł ...).
var foldTable = map[rune]string{}

func init() {
	for i := range asciiStr {
		asciiStr[i] = string(rune(i))
	}
	special := map[rune]string{
		'ß': "ss", 'ẞ': "ss", 'æ': "ae", 'Æ': "ae", 'œ': "oe", 'Œ': "oe", 'ø': "o", 'Ø': "o",
		'ł': "l", 'Ł': "l", 'đ': "d", 'Đ': "d", 'ð': "d", 'Ð': "d", 'þ': "th", 'Þ': "th", 'ı': "i",
	}
	// Cyrillic and Greek letters drawn like Latin ones: "Hаnnah" with a
	// Cyrillic а reads as Hannah to everyone but a byte comparison. A
	// Russian or Greek word folded this way spells no English name.
	for latin, looks := range map[string]string{
		"a": "аАαΑ", "b": "ВΒ", "c": "сС", "e": "еЕΕ", "h": "һНΗ", "i": "іІιΙ", "j": "јЈ", "k": "кКκΚ",
		"m": "МΜ", "n": "Ν", "o": "оОοΟ", "p": "рРρΡ", "s": "ѕЅ", "t": "ТΤ", "x": "хХχΧ", "y": "уУΥ", "z": "Ζ",
	} {
		for _, r := range looks {
			special[r] = latin
		}
	}
	for r, s := range special {
		if r > 0x24F {
			foldTable[r] = s
		}
	}
	for _, rg := range [][2]rune{{0xC0, 0x24F}, {0x1E00, 0x1EFF}} {
		for r := rg[0]; r <= rg[1]; r++ {
			if s, ok := special[r]; ok {
				foldTable[r] = s
				continue
			}
			d := norm.NFD.String(string(unicode.ToLower(r)))
			base, size := utf8.DecodeRuneInString(d)
			if base < utf8.RuneSelf && ('a' <= base && base <= 'z') {
				rest := d[size:]
				allMarks := true
				for _, m := range rest {
					if !unicode.Is(unicode.Mn, m) {
						allMarks = false
					}
				}
				if allMarks {
					foldTable[r] = string(base)
				}
			}
		}
	}
}
