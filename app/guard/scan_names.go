package guard

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Patient names from the practice's list, and title + surname.

// ---- names ----

// scanNames also returns where it passed over a name whose consent covers
// it, so that "Mr Mensah" is not then reported as someone's title and surname.
func scanNames(cs []cand, text string, m *Matcher, a *allowed) ([]cand, [][2]int) {
	var covered [][2]int
	hits := m.find(text)
	if sp, ok := unspace(text); ok {
		for _, h := range m.find(sp.text) {
			hits = append(hits, nameHit{start: sp.start[h.start], end: sp.end[h.end-1], patients: h.patients})
		}
	}
	if lt, ok := unleet(text); ok {
		hits = append(hits, m.find(lt)...) // same length: offsets carry over
	}
	for _, h := range hits {
		if allConsented(h.patients, a.consented) {
			covered = append(covered, [2]int{h.start, h.end})
			continue
		}
		f := strings.TrimSpace(string(foldInto(nil, text[h.start:h.end], nil, nil)))
		if a.staff[f] {
			continue // a patient who shares a staff member's name: the staff reading wins
		}
		if ws := strings.Fields(f); len(ws) == 2 && staffTitles[ws[0]] && a.staff[ws[1]] {
			continue
		}
		cs = append(cs, cand{kind: KindPatientName, start: h.start, end: withInitialDot(text, h.start, h.end), prio: 5})
	}
	return cs, covered
}

// withInitialDot widens a name that ends in an initial to the initial's
// full stop: "Margaret O." is abbreviated, and the stop belongs to it.
func withInitialDot(text string, start, end int) int {
	if end-start >= 3 && byteAt(text, end) == '.' && text[end-2] == ' ' && isUpperByte(text[end-1]) {
		return end + 1
	}
	return end
}

// minSpacedLetters is the shortest run of spaced-out letters read as a word
// written to dodge a filter: "M a r g a r e t". Shorter runs are initials
// and list markers ("a b c", "Q & A").
const minSpacedLetters = 4

// unspace returns text with each run of spaced-out single letters closed up
// ("M a r g a r e t  O k a f o r", "Z.o.ë H.a.r.t.l.e.y",
// "W-a-s-h-i-n-g-t-o-n"), and a map from each of its bytes back to the
// original. Inside a run the separator that recurs most joins letters; any
// other one (the double space, the space between dotted words) parts words.
// ok is false when text has no such run, as nearly every post does.
func unspace(text string) (u unmasked, ok bool) {
	type letter struct{ start, end int } // one letter and its marks
	isSep := func(c byte) bool { return c == ' ' || c == '.' || c == '-' || c == '_' || c == '*' }
	var b strings.Builder
	emit := func(s string, start, end int) {
		for i := 0; i < len(s); i++ {
			b.WriteByte(s[i])
			u.start = append(u.start, start)
			u.end = append(u.end, end)
		}
	}
	copied := 0
	for i := 0; i < len(text); {
		// A run: letters each on their own, parted by one or two separator bytes.
		var run []letter
		var seps []string
		j := i
		for {
			r, n := utf8.DecodeRuneInString(text[j:])
			if !unicode.IsLetter(r) || (j > 0 && len(run) == 0 && !isSep(text[j-1]) && text[j-1] != '\n' && text[j-1] != '(' && text[j-1] != '"') {
				break
			}
			k := j + n
			for k < len(text) {
				m, w := utf8.DecodeRuneInString(text[k:])
				if !unicode.Is(unicode.Mn, m) {
					break
				}
				k += w
			}
			// The letter must stand alone: a separator or the end follows.
			if k < len(text) && !isSep(text[k]) {
				if r2, _ := utf8.DecodeRuneInString(text[k:]); unicode.IsLetter(r2) {
					break
				}
			}
			run = append(run, letter{j, k})
			s := k
			for s < len(text) && s-k < 2 && isSep(text[s]) {
				s++
			}
			if s == k || s >= len(text) {
				break
			}
			seps = append(seps, text[k:s])
			j = s
		}
		if len(run) < minSpacedLetters {
			_, n := utf8.DecodeRuneInString(text[i:])
			i += n
			continue
		}
		count := map[string]int{}
		for _, s := range seps[:len(run)-1] {
			count[s]++
		}
		join := ""
		for s, c := range count {
			if c > count[join] || c == count[join] && s < join {
				join = s
			}
		}
		if !ok {
			ok = true
			u.start, u.end = make([]int, 0, len(text)), make([]int, 0, len(text))
		}
		for k := copied; k < run[0].start; k++ {
			emit(text[k:k+1], k, k+1)
		}
		for n, l := range run {
			emit(text[l.start:l.end], l.start, l.end)
			if n < len(run)-1 && seps[n] != join {
				emit(" ", l.end, l.end+len(seps[n]))
			}
		}
		copied = run[len(run)-1].end
		i = copied
	}
	if !ok {
		return u, false
	}
	for k := copied; k < len(text); k++ {
		emit(text[k:k+1], k, k+1)
	}
	u.text = b.String()
	return u, true
}

// leetLetters, indexed by digit, are the letters those digits are typed
// for; a space where a digit stands for none.
const leetLetters = "oi eas t  "

// unleet returns text with the digits inside words read as the letters
// they stand for ("S0fia R0ssi", "4gnieszka"); ok is false when no word
// has one. A digit counts between two letters, or starting a word of three
// letters more: "1st", "4th" and "B12" stay as they are. Digits in a row
// ("Gr33nwood") count together.
func unleet(text string) (string, bool) {
	var b []byte
	for i := 0; i < len(text); i++ {
		j := i
		for j < len(text) && isLeetDigit(text[j]) {
			j++
		}
		if j == i {
			continue
		}
		between := i > 0 && isLetterByte(text[i-1]) && isLetterByte(byteAt(text, j))
		leads := (i == 0 || !isWordByte(text[i-1])) && isLetterByte(byteAt(text, j)) && isLetterByte(byteAt(text, j+1)) && isLetterByte(byteAt(text, j+2))
		if between || leads {
			if b == nil {
				b = []byte(text)
			}
			for k := i; k < j; k++ {
				b[k] = leetLetters[text[k]-'0']
			}
		}
		i = j
	}
	return string(b), b != nil
}

func isLeetDigit(c byte) bool { return isDigit(c) && leetLetters[c-'0'] != ' ' }

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
	// In capitals too ("MR STOKES WE MISS YOU"), but not "MS", which in
	// capitals is as often multiple sclerosis ("MS AWARENESS WEEK").
	// In lower case only "mr" and "mrs", which are no other word, and only
	// before a word that is no verb or article: "thank u mrs patterson".
	possibleNameRe = regexp.MustCompile(`\b(?:Mr|Mrs|Ms|Miss|Mx)\.? ([A-Z][a-zA-Z'’-]+)|\b(?:MR|MRS|MISS)\.? ([A-Z][A-Z'’-]+)\b|\bmrs?\.? ([a-z][a-z'’-]+)`)
	possibleNameAt = anchor(possibleNameRe, func(t string, i int) bool {
		return t[i] == 'M' && strings.IndexByte("rsixRI", byteAt(t, i+1)) >= 0 || t[i] == 'm' && byteAt(t, i+1) == 'r'
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
	"Whippy": true, "Doubtfire": true, "Bean": true, "Men": true, "Motivator": true, "Blobby": true, "Kipling": true, "Muscle": true, "Sheen": true, "Potato": true, "Incredible": true, "Universe": true, "World": true, "Right": true, "Fixit": true, "Tickle": true, "Happy": true, "Claus": true, "Marvel": true, "Hinch": true, "Brightside": true, "Clean": true,
	// An MR scan is magnetic resonance; a day or month is what one may miss.
	"Scan": true, "Scans": true, "Imaging": true, "Arthrogram": true, "Angiogram": true, "Angiography": true, "Us": true, "Me": true,
	"Monday": true, "Tuesday": true, "Wednesday": true, "Thursday": true, "Friday": true, "Saturday": true, "Sunday": true,
	"January": true, "February": true, "March": true, "April": true, "May": true, "June": true, "July": true, "August": true, "September": true, "October": true, "November": true, "December": true}

// notLowerSurnames are the words a lower-case "mr" or "mrs" runs into in
// chat that are not a surname: "mr and mrs", "mrs to be".
var notLowerSurnames = setOf("and", "or", "to", "is", "was", "the", "a", "an", "of", "in", "on", "at", "for", "with", "who", "from", "s", "x", "right", "nobody")

func scanPossibleNames(cs []cand, text string, a *allowed, consented [][2]int) []cand {
	for _, m := range possibleNameAt.appendAll(nil, text, 0, len(text)) {
		if slices.ContainsFunc(consented, func(c [2]int) bool { return c[0] < m[1] && m[0] < c[1] }) {
			continue // a consenting patient's title and surname
		}
		var sur string
		switch {
		case m[2] >= 0:
			sur = text[m[2]:m[3]]
		case m[4] >= 0:
			// Capitals compare as a title-case word: "MISS OUT" is "Miss Out".
			sur = text[m[4]:m[5]]
			sur = sur[:1] + strings.ToLower(sur[1:])
		default:
			sur = text[m[6]:m[7]]
			if notLowerSurnames[sur] {
				continue
			}
			sur = strings.ToUpper(sur[:1]) + sur[1:]
		}
		// "Mr Reilly's sticker drawer": the surname without its possessive.
		for _, p := range []string{"'s", "’s", "'", "’"} {
			sur = strings.TrimSuffix(sur, p)
		}
		if i := strings.IndexAny(sur, "-'’"); i > 0 && notSurnames[sur[:i]] {
			continue // "Mrs Doubtfire-style"
		}
		if notSurnames[sur] || a.staff[strings.TrimSpace(string(foldInto(nil, sur, nil, nil)))] {
			continue
		}
		e := m[1]
		if m[2] >= 0 {
			e = surnameAfterFirst(text, e)
		}
		cs = append(cs, cand{kind: KindPossibleName, start: m[0], end: e, prio: 1})
	}
	return cs
}

// surnameAfterFirst extends "Mrs Jean" over the surname after it, as in
// "Mrs Jean Ferguson brought shortbread": a title, a first name and a
// surname are one name. The next word must be capitalised, all letters,
// and no word that follows a name in a heading ("Mrs Hale Thanks").
func surnameAfterFirst(text string, e int) int {
	if byteAt(text, e) != ' ' || !isUpperByte(byteAt(text, e+1)) {
		return e
	}
	j := e + 2
	for j < len(text) && (isLowerByte(text[j]) || text[j] == '\'' || text[j] == '-') {
		j++
	}
	if j < len(text) && (isLetterByte(text[j]) || isDigit(text[j])) || j-e < 3 {
		return e
	}
	w := text[e+1 : j]
	if notSurnames[w] || notNameAfter[strings.ToLower(w)] {
		return e
	}
	return j
}

// notNameAfter are capitalised words that follow a title and surname in
// headings and sign-offs rather than finishing the name.
var notNameAfter = setOf("thanks", "thank", "says", "said", "wins", "won", "and", "or", "is", "was", "has", "had", "at", "in", "on", "from", "for", "to",
	"with", "who", "we", "our", "team", "street", "road", "lane", "avenue", "close", "house", "surgery", "clinic", "practice", "dental", "physio", "pharmacy",
	"school", "hall", "church", "award", "day", "week", "month", "year", "i", "you", "she", "he", "they")
