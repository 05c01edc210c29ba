package guard

import (
	"bytes"
	"regexp"
	"strings"
	"sync"
	"unicode/utf8"
)

// windows are stretches of a post worth running a detector's regular
// expression over. Nearly every identifier contains a digit, and Go's
// regexp engine costs time in proportion to the text it reads, so reading
// only the words around digits keeps a long post cheap to scan.
type windows [][2]int

// windowMargin is how far a match may reach from its anchor: a keyword such
// as "Medical record number:" before the digits, or a month name after them.
const windowMargin = 48

// anchorWindows widens each anchor byte by windowMargin to whole words and
// merges what overlaps.
func anchorWindows(text string, isAnchor func(byte) bool) windows {
	var w windows
	for i := 0; i < len(text); i++ {
		if !isAnchor(text[i]) {
			continue
		}
		w = addWindow(w, text, max(0, i-windowMargin), min(len(text), i+windowMargin))
	}
	return w
}

// addWindow adds [lo, hi), widened to whole words, to w, merging it with
// the last window when they touch (windows are added left to right).
func addWindow(w [][2]int, text string, lo, hi int) [][2]int {
	if n := len(w); n > 0 && lo <= w[n-1][1] {
		lo = w[n-1][0]
		w = w[:n-1]
	} else {
		for lo > 0 && !isSpace(text[lo-1]) {
			lo--
		}
	}
	for hi < len(text) && !isSpace(text[hi]) {
		hi++
	}
	return append(w, [2]int{lo, hi})
}

func isSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\t' || c == '\r' }

func digitWindows(text string) windows {
	return anchorWindows(text, func(c byte) bool { return '0' <= c && c <= '9' })
}

func atWindows(text string) windows {
	if !strings.Contains(text, "@") {
		return nil
	}
	return anchorWindows(text, func(c byte) bool { return c == '@' })
}

// findAll is FindAllStringSubmatchIndex over the windows, in text offsets.
// A window starts and ends at whitespace, so \b at its edges means what it
// means in the whole text.
func (w windows) findAll(re *regexp.Regexp, text string) [][]int {
	var out [][]int
	for _, win := range w {
		for _, m := range re.FindAllStringSubmatchIndex(text[win[0]:win[1]], -1) {
			for k := range m {
				if m[k] >= 0 {
					m[k] += win[0]
				}
			}
			out = append(out, m)
		}
	}
	return out
}

// allowCache keeps the last compiled AllowList: a practice checks many posts
// against the same brand kit, and parsing its phone numbers is the dearest
// part of compiling.
var allowCache struct {
	sync.Mutex
	key string
	val *allowed
}

func compileAllowCached(al AllowList) *allowed {
	var b strings.Builder
	for _, f := range [][]string{{al.Country}, al.Phones, al.Emails, al.Domains, al.Addresses, al.Postcodes, al.StaffNames, al.Registrations, al.ConsentedPatients} {
		for _, s := range f {
			b.WriteString(s)
			b.WriteByte(0)
		}
		b.WriteByte(1)
	}
	key := b.String()
	allowCache.Lock()
	defer allowCache.Unlock()
	if allowCache.val != nil && allowCache.key == key {
		return allowCache.val
	}
	a := compileAllow(al)
	allowCache.key, allowCache.val = key, a
	return a
}

// gates are cheap facts about a post that let Scan skip detectors whose
// regular expressions cannot match.
type gates struct {
	longNumber bool // 9+ digits joined only by single separators: health numbers, SSNs, phones
	fiveDigits bool // a run of exactly five digits: ZIP codes
	ageNumber  bool // a standalone number from 90 to 119
	month      bool // a capitalised month name
	welshMonth bool // a month named in Welsh: "8 Ebrill"
	numDate    bool // digits split by / . or -
	ordinal    bool // a day number with its ending: "Tues 3rd"
	dashMonth  bool // digits, a dash and a letter: "05-May-1962"
	record     bool // a record-number keyword
	nhsKey     bool // "nhs": an NHS number behind its keyword
	ninoKey    bool // "ni", "national insurance", "nino"
	ssnKey     bool // "ssn", "ss#", "social security"
	mbiKey     bool // "medicare", "mbi"
	mbi        bool // a lone digit 1-9 then a capital: how an MBI begins
	ageWords   bool // "ninety" or "hundred": an age in words
	holiday    bool // a day named by its holiday: "Christmas Eve"
	relDay     bool // "next " or "last ": a day named from today, "last Thursday"
	insurer    bool // an insurer's name: "Cigna ID ..."
	postcode   bool // the word "postcode": "postcode bs67th"
}

var recordKeywords = []string{"mrn", "m.r.n", "record", "rec ", "hosp", "patient", "chart", "account", "acct", "case", "policy", "medicaid", "pt no", "pt. no", "pt #", "pt id", "pt number", "member", "insurance", "claim", "unit"}

func computeGates(text string) gates {
	var g gates
	group := 0 // digits in the current number, across single separators
	for i := 0; i < len(text); {
		c := text[i]
		if c < '0' || c > '9' {
			if !(isNumberJoin(c) && i+1 < len(text) && (isDigit(text[i+1]) || text[i+1] == '(' || text[i+1] == ' ')) {
				group = 0
			}
			i++
			continue
		}
		j := i
		for j < len(text) && isDigit(text[j]) {
			j++
		}
		n := j - i
		group += n
		if group >= 9 {
			g.longNumber = true
		}
		if n == 5 {
			g.fiveDigits = true
		}
		if n == 1 && text[i] != '0' && j+1 < len(text) && isUpperByte(text[j]) {
			g.mbi = true // "1EG4-TE5-MK73"
		}
		if (n == 2 && text[i] == '9') || (n == 3 && text[i] == '1' && (text[i+1] == '0' || text[i+1] == '1')) {
			g.ageNumber = true
		}
		if j < len(text) && (text[j] == '/' || text[j] == '.' || text[j] == '-') && j+1 < len(text) && isDigit(text[j+1]) || spacedDateSep(text, j) {
			g.numDate = true
		}
		if n <= 2 && j+1 < len(text) {
			switch text[j : j+2] {
			case "st", "nd", "rd", "th":
				g.ordinal = true
			}
		}
		if j+1 < len(text) && strings.IndexByte("-/. ", text[j]) >= 0 && monthFoldAt(text, j+1) {
			g.dashMonth = true
		}
		i = j
	}
	for i := 0; i < len(text) && !g.month; i++ {
		g.month = monthAt(text, i) // monthAt knows exactly monthPrefixes
	}
	var stack [4096]byte
	lower := asciiLower(stack[:0], text)
	for _, k := range recordKeywords {
		if bytes.Contains(lower, []byte(k)) {
			g.record = true
			break
		}
	}
	keywordGates(&g, lower)
	// "ninet" and not "ninety": "ninetieth" is spelled without the y.
	g.ageWords = bytes.Contains(lower, []byte("ninet")) || bytes.Contains(lower, []byte("hundred"))
	g.holiday = holidayGate(lower)
	g.welshMonth = welshMonthGate(lower)
	g.relDay = bytes.Contains(lower, []byte("next ")) || bytes.Contains(lower, []byte("last "))
	g.insurer = insurerGate(lower)
	g.postcode = bytes.Contains(lower, []byte("postcode")) || bytes.Contains(lower, []byte("post code"))
	if bytes.Contains(lower, []byte("enarian")) {
		g.ageNumber = true
	}
	return g
}

// keywordGates sets the gates of the identifiers read behind a keyword, in
// one pass over the lower-cased post: at each word start, the words that
// can begin "NHS number", "NI number", "SSN" or "Medicare".
func keywordGates(g *gates, lower []byte) {
	for i := 0; i < len(lower); i++ {
		if i > 0 && isAlnum(lower[i-1]) {
			continue
		}
		rest := lower[i:]
		switch lower[i] {
		case 'n':
			switch {
			case bytes.HasPrefix(rest, []byte("nhs")):
				g.nhsKey = true
			case bytes.HasPrefix(rest, []byte("ni")) && (len(rest) == 2 || !isAlnum(rest[2]) || bytes.HasPrefix(rest, []byte("nin"))),
				bytes.HasPrefix(rest, []byte("n.i")), bytes.HasPrefix(rest, []byte("national ins")), bytes.HasPrefix(rest, []byte("nat ins")),
				bytes.HasPrefix(rest, []byte("nat. ins")):
				g.ninoKey = true
			}
		case 's':
			if bytes.HasPrefix(rest, []byte("ssn")) || bytes.HasPrefix(rest, []byte("ss#")) || bytes.HasPrefix(rest, []byte("ss no")) ||
				bytes.HasPrefix(rest, []byte("s.s.n")) || bytes.HasPrefix(rest, []byte("social sec")) || bytes.HasPrefix(rest, []byte("soc sec")) ||
				bytes.HasPrefix(rest, []byte("soc. sec")) {
				g.ssnKey = true
			}
		case 'm':
			if bytes.HasPrefix(rest, []byte("medicare")) || bytes.HasPrefix(rest, []byte("mbi")) {
				g.mbiKey = true
			}
		}
	}
}

func isNumberJoin(c byte) bool {
	switch c {
	case ' ', '.', '-', '(', ')', '/':
		return true
	}
	return false
}

// asciiLower appends what strings.ToLower(s) reads as for ASCII keywords:
// the ASCII bytes lowered, İ and the Kelvin sign as the i and k
// unicode.ToLower makes of them, and one non-ASCII byte for every other
// rune or invalid byte, none of which lower to ASCII.
func asciiLower(dst []byte, s string) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			dst = append(dst, c)
			i++
			continue
		}
		r, w := utf8.DecodeRuneInString(s[i:])
		switch r {
		case 'İ':
			dst = append(dst, 'i')
		case '\u212a':
			dst = append(dst, 'k')
		default:
			dst = append(dst, 0x80)
		}
		i += w
	}
	return dst
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// holidayWords are what every name holidayRe reads contains, lower-cased.
var holidayWords = [][]byte{[]byte("christmas"), []byte("boxing day"), []byte("new year"), []byte("valentine"), []byte("hallowe"),
	[]byte("patrick"), []byte("burns night"), []byte("bonfire night"), []byte("fawkes"), []byte("of july"), []byte("independence day")}

func holidayGate(lower []byte) bool {
	for _, w := range holidayWords {
		if bytes.Contains(lower, w) {
			return true
		}
	}
	return false
}

// phraseWindows are the stretches margin bytes either side of each
// occurrence of phrase, widened to whole words: for detectors with no digit
// to anchor on, such as "the first of April" around " of ".
func phraseWindows(text, phrase string, margin int) windows {
	var w windows
	for off := 0; ; {
		k := strings.Index(text[off:], phrase)
		if k < 0 {
			return w
		}
		k += off
		w = addWindow(w, text, max(0, k-margin), min(len(text), k+len(phrase)+margin))
		off = k + len(phrase)
	}
}
