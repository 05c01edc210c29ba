package guard

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// AllowList is what the practice itself may publish: its own contact
// details, staff names and registration numbers (the GDC expects dentists'
// numbers in advertising), and the patients whose signed consent covers
// showing their name on the channel being checked.
type AllowList struct {
	Phones        []string // any format: "0117 496 0123", "+1 415-555-0132"
	Emails        []string
	Domains       []string // practice website or mail domains; addresses there belong to staff
	Addresses     []string // postcodes and ZIP codes inside them are allowed too
	Postcodes     []string
	StaffNames    []string // "Dr Priya Nair", "Tom Reilly"
	Registrations []string // "GDC 112233", "PH104522", "7012345"
	// ConsentedPatients are patient IDs whose consent covers naming them on
	// the channel being checked. Ask consent.Validate, not the user.
	ConsentedPatients []string
}

// Scan looks for patient identifiers in a post: names from the practice's
// patient list (names may be nil), NHS, CHI and H&C numbers, National
// Insurance numbers, SSNs, phone numbers, email addresses, birth and
// appointment dates, postcodes, street addresses, ZIP codes, record numbers
// and ages over 89. Whatever allow permits is left out. Findings come back in
// reading order and never overlap.
func Scan(text string, names *Matcher, allow AllowList) []Finding {
	a := compileAllowCached(allow)
	digits := digitWindows(text)
	g := computeGates(text)
	var cs []cand
	cs = scanNames(cs, text, names, a)
	cs = scanPossibleNames(cs, text, a)
	if g.longNumber {
		cs = scanHealthNumbers(cs, text, digits)
		cs = scanSSN(cs, text, digits)
		cs = scanPhones(cs, text, digits, a)
	}
	cs = scanNINO(cs, text, digits)
	cs = scanEmails(cs, text, atWindows(text), a)
	if g.month || g.numDate {
		cs = scanDates(cs, text, digits, g)
	}
	cs = scanPostcodes(cs, text, digits, a)
	cs = scanAddresses(cs, text, digits, a)
	if g.fiveDigits {
		cs = scanZIPs(cs, text, digits, a)
	}
	if g.record {
		cs = scanRecords(cs, text, digits, a)
	}
	if g.ageNumber {
		cs = scanAges(cs, text, digits)
	}
	cs = slices.DeleteFunc(cs, func(c cand) bool { return a.regs[compactUpper(text[c.start:c.end])] })
	cs = resolveOverlaps(cs)

	fs := make([]Finding, 0, len(cs))
	for _, c := range cs {
		info := kindInfo[c.kind]
		sev := info.sev
		if c.sev != "" {
			sev = c.sev
		}
		fs = append(fs, Finding{Kind: c.kind, Severity: sev, Start: c.start, End: c.end, Text: text[c.start:c.end], Message: info.msg, Fix: info.fix})
	}
	sortFindings(fs)
	return fs
}

type cand struct {
	kind       Kind
	start, end int
	prio       int      // wins overlaps; ties go to the longer span
	sev        Severity // overrides the kind's default when set
}

// resolveOverlaps keeps, for text claimed by several detectors, the most
// specific reading: an NHS number with "NHS No" before it beats the same
// digits read as a phone number.
func resolveOverlaps(cs []cand) []cand {
	slices.SortStableFunc(cs, func(a, b cand) int {
		if a.prio != b.prio {
			return b.prio - a.prio
		}
		if la, lb := a.end-a.start, b.end-b.start; la != lb {
			return lb - la
		}
		return a.start - b.start
	})
	var kept []cand
	for _, c := range cs {
		if !slices.ContainsFunc(kept, func(k cand) bool { return c.start < k.end && k.start < c.end }) {
			kept = append(kept, c)
		}
	}
	return kept
}

type kindText struct {
	sev      Severity
	msg, fix string
}

var kindInfo = map[Kind]kindText{
	KindPatientName:  {Block, "This is the name of one of your patients, and their consent does not cover showing it here.", "Remove the name, use only what the consent form allows (for example first name or initials), or collect consent for this channel."},
	KindPossibleName: {Warn, "This looks like a person's title and surname, and it is not one of your staff.", "If this is a patient, remove the name or check their consent covers it. If it is a member of staff, add them to Staff in the brand kit."},
	KindNHSNumber:    {Block, "This is an NHS number (the check digit is valid). It identifies a patient and must never be posted.", "Delete the number. If it is in a photo, crop or blur it."},
	KindCHINumber:    {Block, "This is a Scottish CHI number. It identifies a patient and includes their date of birth.", "Delete the number. If it is in a photo, crop or blur it."},
	KindHCNumber:     {Block, "This is a Northern Ireland Health & Care number. It identifies a patient.", "Delete the number. If it is in a photo, crop or blur it."},
	KindNINumber:     {Block, "This is a National Insurance number. It identifies a person and must never be posted.", "Delete the number."},
	KindSSN:          {Block, "This is a US Social Security number. It identifies a person and must never be posted.", "Delete the number."},
	KindPhone:        {Block, "This phone number is not the practice's own number, so it may be a patient's or a relative's.", "Delete it. If it is a practice number, add it to the brand kit so it is allowed."},
	KindEmail:        {Block, "This email address is not one of the practice's, so it may belong to a patient.", "Delete it. If it is a practice address, add it to the brand kit so it is allowed."},
	KindBirthDate:    {Block, "This reads as someone's date of birth, which identifies them.", "Remove the date. If you need to, say the year or an age range instead (\"in her 60s\")."},
	KindAppointment:  {Warn, "This date is tied to a patient's visit or treatment; with other details it can identify them.", "Remove the day and month, or say \"recently\" or \"last spring\" instead."},
	KindPostcode:     {Block, "This is a full postcode that is not the practice's. A full postcode points to a handful of homes.", "Remove it, or give only the town or area (for example \"Leeds\" or \"LS6\")."},
	KindAddress:      {Block, "This looks like a street address that is not the practice's.", "Remove the address; the town alone is usually enough."},
	KindZIP:          {Warn, "This looks like a ZIP code that is not the practice's. Under HIPAA a ZIP code is an identifier.", "Remove it, or give only the city or state."},
	KindRecordNumber: {Block, "This is a record number (MRN, hospital number, patient ID or policy number). It identifies a patient.", "Delete the number. If it is in a photo, crop or blur it."},
	KindAgeOver89:    {Block, "Ages over 89 are rare enough to identify a person (HIPAA groups them as \"90 or older\").", "Say \"in her 90s\" or \"over 90\", or check that the consent covers showing age."},
}

// allowed is an AllowList prepared for lookups.
type allowed struct {
	phones    map[string]bool // E.164
	phoneRaw  map[string]bool // allowed numbers as written: the same text parses the same
	emails    map[string]bool
	domains   []string
	addresses []string // folded
	postcodes map[string]bool
	zips      map[string]bool
	staff     map[string]bool // folded full names and surnames
	regs      map[string]bool // upper-case, no spaces, with and without the regulator prefix
	consented map[string]bool
}

func compileAllow(al AllowList) *allowed {
	a := &allowed{phones: map[string]bool{}, phoneRaw: map[string]bool{}, emails: map[string]bool{}, postcodes: map[string]bool{}, zips: map[string]bool{}, staff: map[string]bool{}, regs: map[string]bool{}, consented: map[string]bool{}}
	for _, p := range al.Phones {
		if n, ok := parsePhone(p); ok {
			a.phones[n.e164] = true
			a.phoneRaw[strings.TrimSpace(p)] = true
		}
	}
	for _, e := range al.Emails {
		e = strings.ToLower(strings.TrimSpace(e))
		a.emails[e] = true
		if i := strings.LastIndexByte(e, '@'); i >= 0 {
			a.domains = append(a.domains, e[i+1:])
		}
	}
	for _, d := range al.Domains {
		if d = hostOf(d); d != "" {
			a.domains = append(a.domains, d)
		}
	}
	for _, ad := range append(slices.Clone(al.Addresses), al.Postcodes...) {
		a.addresses = append(a.addresses, string(foldInto(nil, ad, nil, nil)))
		for _, m := range postcodeRe.FindAllString(ad, -1) {
			a.postcodes[compactUpper(m)] = true
		}
		for _, m := range zipDigitsRe.FindAllString(ad, -1) {
			a.zips[m[:5]] = true
		}
	}
	for _, s := range al.StaffNames {
		f := strings.Fields(string(foldInto(nil, s, nil, nil)))
		f = slices.DeleteFunc(f, func(w string) bool { return staffTitles[w] })
		if len(f) == 0 {
			continue
		}
		a.staff[strings.Join(f, " ")] = true
		a.staff[f[len(f)-1]] = true
		if len(f) > 2 {
			a.staff[f[0]+" "+f[len(f)-1]] = true
		}
	}
	for _, r := range al.Registrations {
		c := compactUpper(r)
		a.regs[c] = true
		for _, p := range []string{"GDC", "GMC", "HCPC", "NMC", "GPHC", "GOC", "NO.", "NO", "#", ":"} {
			c = strings.TrimPrefix(c, p)
		}
		a.regs[c] = true
	}
	for _, id := range al.ConsentedPatients {
		a.consented[id] = true
	}
	return a
}

var staffTitles = map[string]bool{"dr": true, "mr": true, "mrs": true, "ms": true, "miss": true, "mx": true, "nurse": true, "prof": true, "professor": true}

func compactUpper(s string) string {
	return strings.ToUpper(strings.Join(strings.Fields(s), ""))
}

// hostOf turns "https://www.harbourdental.co.uk/prices" into
// "harbourdental.co.uk".
func hostOf(u string) string {
	u = strings.ToLower(strings.TrimSpace(u))
	if i := strings.Index(u, "://"); i >= 0 {
		u = u[i+3:]
	}
	if i := strings.IndexAny(u, "/?#"); i >= 0 {
		u = u[:i]
	}
	if i := strings.LastIndexByte(u, '@'); i >= 0 {
		u = u[i+1:]
	}
	return strings.TrimPrefix(u, "www.")
}

func (a *allowed) domainAllowed(d string) bool {
	d = strings.ToLower(d)
	for _, x := range a.domains {
		if d == x || strings.HasSuffix(d, "."+x) {
			return true
		}
	}
	return false
}

// inAddress reports whether s (folded) appears as whole words in one of the
// practice's addresses.
func (a *allowed) inAddress(s string) bool {
	f := string(foldInto(nil, s, nil, nil))
	f = strings.TrimSpace(f)
	if f == "" {
		return false
	}
	for _, ad := range a.addresses {
		if strings.Contains(" "+ad+" ", " "+f+" ") {
			return true
		}
	}
	return false
}

// ---- context ----

// clauseBefore returns up to n bytes before i, cut at the
// start of the clause, so a keyword in an earlier sentence does not colour
// this one. A full stop ends a sentence only after a number or a word of
// four letters or more, which keeps "D.O.B." and "Dr." with what follows.
func clauseBefore(text string, i, n int) string {
	lo := max(0, i-n)
	w := text[lo:i]
	for j := len(w) - 1; j >= 0; j-- {
		switch w[j] {
		case '\n', '!', '?', ';':
			return w[j+1:]
		case '.':
			if j+1 < len(w) && w[j+1] == ' ' && (letterRunBefore(w, j) >= 4 || j > 0 && '0' <= w[j-1] && w[j-1] <= '9') {
				return w[j+1:]
			}
		}
	}
	return w
}

func letterRunBefore(s string, j int) int {
	n := 0
	for k := j - 1; k >= 0; k-- {
		c := s[k] | 0x20
		if c < 'a' || c > 'z' {
			break
		}
		n++
	}
	return n
}

func isAlnum(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c|0x20 && c|0x20 <= 'z'
}

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

// ---- NHS, CHI, H&C ----

var (
	tenDigitRe = regexp.MustCompile(`\b\d{3}[ -]?\d{3}[ -]?\d{4}\b|\b\d{6}[ -]\d{4}\b`)
	tenDigitAt = anchor(tenDigitRe, func(t string, i int) bool {
		n := digitRun(t, i)
		return (n == 3 || n == 6 || n == 10) && digitChain(t, i, " -", 10) == 10
	}, nil)
	nhsCtxRe   = regexp.MustCompile(`(?i)\bnhs\b`)
	chiCtxRe   = regexp.MustCompile(`(?i)\bchi\b`)
	hcCtxRe    = regexp.MustCompile(`(?i)\bh ?& ?c\b|health (?:and|&) care`)
	phoneCtxRe = regexp.MustCompile(`(?i)\b(?:call|calls|phone|tel|telephone|mobile|mob|cell|cellphone|text|ring|whatsapp|contact|reach|number is|fax)\b`)
)

// partOfLongerNumber reports whether [s,e) is glued to more digits by a
// separator or a plus sign, as in "+44 7700 900 123".
func partOfLongerNumber(text string, s, e int) bool {
	if s > 0 && text[s-1] == '+' {
		return true
	}
	if s >= 2 && (text[s-1] == ' ' || text[s-1] == '-' || text[s-1] == '.') && '0' <= text[s-2] && text[s-2] <= '9' {
		return true
	}
	if e+1 < len(text) && (text[e] == ' ' || text[e] == '-' || text[e] == '.') && '0' <= text[e+1] && text[e+1] <= '9' {
		return true
	}
	return false
}

func scanHealthNumbers(cs []cand, text string, w windows) []cand {
	for _, m := range tenDigitAt.findAll(text, w) {
		s, e := m[0], m[1]
		if partOfLongerNumber(text, s, e) {
			continue
		}
		d := digitsOnly(text[s:e])
		if !mod11Valid(d) || strings.HasPrefix(d, "999") {
			continue
		}
		ctx := clauseBefore(text, s, 40)
		kind, prio := Kind(""), 4
		switch {
		case chiCtxRe.MatchString(ctx):
			kind = KindCHINumber
		case hcCtxRe.MatchString(ctx):
			kind = KindHCNumber
		case nhsCtxRe.MatchString(ctx):
			kind = KindNHSNumber
		default:
			prio = 2
			switch {
			case ValidHCNumber(d):
				kind = KindHCNumber
			case d[:3] <= "311" && validDDMMYY(d[:6]):
				kind = KindCHINumber
			default:
				kind = KindNHSNumber
			}
		}
		cs = append(cs, cand{kind: kind, start: s, end: e, prio: prio})
	}
	return cs
}

// ---- SSN ----

var (
	ssnDashRe  = regexp.MustCompile(`\b\d{3}-\d{2}-\d{4}\b`)
	ssnSpaceRe = regexp.MustCompile(`\b\d{3} \d{2} \d{4}\b|\b\d{9}\b`)
	ssnCtxRe   = regexp.MustCompile(`(?i)\bssn\b|social security|\bsocial\b|\bss#`)

	ssnDashAt = anchor(ssnDashRe, func(t string, i int) bool {
		return digitGroups(t, i, '-', 3, 2, 4)
	}, nil)
	ssnSpaceAt = anchor(ssnSpaceRe, func(t string, i int) bool {
		return (digitGroups(t, i, ' ', 3, 2, 4) || digitRun(t, i) == 9)
	}, nil)
)

func scanSSN(cs []cand, text string, w windows) []cand {
	for _, m := range ssnDashAt.findAll(text, w) {
		if !partOfLongerNumber(text, m[0], m[1]) && ValidSSN(text[m[0]:m[1]]) {
			cs = append(cs, cand{kind: KindSSN, start: m[0], end: m[1], prio: 3})
		}
	}
	for _, m := range ssnSpaceAt.findAll(text, w) {
		if !partOfLongerNumber(text, m[0], m[1]) && ValidSSN(text[m[0]:m[1]]) && ssnCtxRe.MatchString(clauseBefore(text, m[0], 40)) {
			cs = append(cs, cand{kind: KindSSN, start: m[0], end: m[1], prio: 3})
		}
	}
	return cs
}

// ---- National Insurance ----

var (
	ninoRe = regexp.MustCompile(`\b[A-Z]{2} ?\d{2} ?\d{2} ?\d{2}(?: ?[A-D])?\b`)
	// Lower case only in the compact form with its suffix letter, which
	// ordinary words and codes rarely take.
	ninoLowerRe = regexp.MustCompile(`\b[a-z]{2}\d{6}[a-d]\b`)

	ninoAt = anchor(ninoRe, func(t string, i int) bool {
		if !isUpperByte(t[i]) || !isUpperByte(byteAt(t, i+1)) {
			return false
		}
		j := i + 2
		if byteAt(t, j) == ' ' {
			j++
		}
		return digitChain(t, j, " ", 6) == 6
	}, nil)
	ninoLowerAt = anchor(ninoLowerRe, func(t string, i int) bool {
		return isLowerByte(t[i]) && isLowerByte(byteAt(t, i+1)) && isDigit(byteAt(t, i+2))
	}, nil)
)

func scanNINO(cs []cand, text string, w windows) []cand {
	for _, m := range append(ninoAt.findAll(text, w), ninoLowerAt.findAll(text, w)...) {
		if ValidNINO(text[m[0]:m[1]]) {
			cs = append(cs, cand{kind: KindNINumber, start: m[0], end: m[1], prio: 5})
		}
	}
	return cs
}

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

// ---- dates ----

const (
	monthPat   = `(Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)`
	weekdayPat = `(?:(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs)?|Fri|Sat(?:ur)?|Sun)(?:day)?\.?,? )?`
)

var (
	dmyRe = regexp.MustCompile(`\b` + weekdayPat + `(\d{1,2})(?:st|nd|rd|th)?(?: of)? ` + monthPat + `\b(?:\.?,? (\d{4})\b)?`)
	mdyRe = regexp.MustCompile(`\b` + weekdayPat + monthPat + `\.? (\d{1,2})(?:st|nd|rd|th)?\b(?:,? (\d{4})\b)?`)
	myRe  = regexp.MustCompile(`\b` + monthPat + `,? (\d{4})\b`)
	numRe = regexp.MustCompile(`\b(\d{1,2})([/.-])(\d{1,2})([/.-])(\d{4}|\d{2})\b|\b(\d{4})-(\d{1,2})-(\d{1,2})\b`)
	// A time after an appointment date is part of the same detail.
	timeAfterRe = regexp.MustCompile(`^,? (?:at )?\d{1,2}[:.]\d{2}(?: ?(?:am|pm)\b)?|^,? at \d{1,2}(?: ?(?:am|pm)\b)?`)

	birthCtxRe = regexp.MustCompile(`(?i)\bdob\b|\bd\.\s?o\.\s?b\b|date of birth|birth ?date|\bborn\b|\bbirthday\b|(?:^|\s)b\.\s*$|\b(?:turns|turned|will be|'ll be) \d{1,3} on\b`)
	// "Our practice was born on ..." is a practice's birthday, not a person's.
	orgBornRe = regexp.MustCompile(`(?i)\b(?:practice|clinic|surgery|business|company|brand|idea|team|partnership)\s+(?:was\s+)?born\b`)
	apptCtxRe = regexp.MustCompile(`(?i)\b(?:seen|visited|treated|admitted|discharged|attended|came in|came to see us|booked in|operated on|(?:her|his|their|my)\s+(?:[a-z-]+\s+){0,2}?(?:appointment|appt|surgery|operation|session|visit|consultation|procedure|treatment|implant|op|scan|x-ray|extraction|assessment|check-up))\b`)
	// After the date: "On 5 March he came in ...".
	apptAfterRe = regexp.MustCompile(`(?i)^,?\s+(?:he|she|they|i|[A-Z][a-z]+)\s+(?:came in|came to see us|was seen|was admitted|was discharged|was treated|had (?:his|her|their)\b|attended|visited us|booked in)`)
	// Media and reflexive uses of the same verbs: "as seen on BBC", "treated yourself".
	seenMediaRe  = regexp.MustCompile(`(?i)\bas seen\b|\bseen (?:on|in) (?:the )?[A-Z]`)
	reflexiveRe  = regexp.MustCompile(`(?i)\btreated (?:yourself|yourselves|themselves|ourselves|myself)\b`)
	staffVisitRe = regexp.MustCompile(`(?i)\b(?:our|we)\b[^,]*\b(?:visited|attended)\b`)

	dmyAt = anchor(dmyRe, func(t string, i int) bool {
		if j, ok := weekdayThen(t, i); ok {
			i = j
		}
		return dayThenMonth(t, i)
	}, nil)
	mdyAt = anchor(mdyRe, func(t string, i int) bool {
		if j, ok := weekdayThen(t, i); ok {
			i = j
		}
		return monthWord(t, i) > 0
	}, nil)
	myAt = anchor(myRe, func(t string, i int) bool {
		return monthWord(t, i) > 0
	}, nil)
	numDateAt = anchor(numRe, func(t string, i int) bool {
		switch n := digitRun(t, i); n {
		case 1, 2:
			return strings.IndexByte("/.-", byteAt(t, i+n)) >= 0
		case 4:
			return byteAt(t, i+4) == '-'
		}
		return false
	}, nil)
)

// monthAt reports whether a month name as monthPat spells it starts at i.
func monthAt(t string, i int) bool {
	if len(t)-i < 3 {
		return false
	}
	s := t[i+1 : i+3]
	switch t[i] {
	case 'J':
		return s == "an" || s == "un" || s == "ul"
	case 'F':
		return s == "eb"
	case 'M':
		return s == "ar" || s == "ay"
	case 'A':
		return s == "pr" || s == "ug"
	case 'S':
		return s == "ep"
	case 'O':
		return s == "ct"
	case 'N':
		return s == "ov"
	case 'D':
		return s == "ec"
	}
	return false
}

// weekdayAt reports whether a day name as weekdayPat spells it starts at i.
func weekdayAt(t string, i int) bool {
	if len(t)-i < 3 {
		return false
	}
	s := t[i+1 : i+3]
	switch t[i] {
	case 'M':
		return s == "on"
	case 'T':
		return s == "ue" || s == "hu"
	case 'W':
		return s == "ed"
	case 'F':
		return s == "ri"
	case 'S':
		return s == "at" || s == "un"
	}
	return false
}

// oldDateYear is the year before which a full date with no other context is
// taken as a probable birth date: posts announce recent events, and a full
// date decades back is far more often someone's birthday than an event.
const oldDateYear = 2005

type dateSpan struct {
	start, end int
	year       int // 0 when absent
	hasDay     bool
}

func scanDates(cs []cand, text string, w windows, g gates) []cand {
	var ds []dateSpan
	if !g.month {
		goto numeric
	}
	for _, m := range dmyAt.findAll(text, w) {
		day, _ := strconv.Atoi(text[m[2]:m[3]])
		if day < 1 || day > 31 {
			continue
		}
		ds = append(ds, dateSpan{start: m[0], end: m[1], year: optYear(text, m[6], m[7]), hasDay: true})
	}
	for _, m := range mdyAt.findAll(text, w) {
		day, _ := strconv.Atoi(text[m[4]:m[5]])
		if day < 1 || day > 31 {
			continue
		}
		ds = append(ds, dateSpan{start: m[0], end: m[1], year: optYear(text, m[6], m[7]), hasDay: true})
	}
	for _, m := range myAt.findAll(text, w) {
		ds = append(ds, dateSpan{start: m[0], end: m[1], year: optYear(text, m[4], m[5])})
	}
numeric:
	for _, m := range numDateAt.findAll(text, w) {
		var a, b, y int
		if m[2] >= 0 {
			if text[m[4]:m[5]] != text[m[8]:m[9]] {
				continue // "3/4-2025" is not a date
			}
			a, _ = strconv.Atoi(text[m[2]:m[3]])
			b, _ = strconv.Atoi(text[m[6]:m[7]])
			y = optYear(text, m[10], m[11])
			if !((a >= 1 && a <= 31 && b >= 1 && b <= 12) || (a >= 1 && a <= 12 && b >= 1 && b <= 31)) {
				continue
			}
		} else {
			y, _ = strconv.Atoi(text[m[12]:m[13]])
			a, _ = strconv.Atoi(text[m[14]:m[15]])
			b, _ = strconv.Atoi(text[m[16]:m[17]])
			if a < 1 || a > 12 || b < 1 || b > 31 {
				continue
			}
		}
		ds = append(ds, dateSpan{start: m[0], end: m[1], year: y, hasDay: true})
	}

	for _, d := range ds {
		ctx := clauseBefore(text, d.start, 45)
		switch {
		case birthCtxRe.MatchString(ctx) && !orgBornRe.MatchString(ctx):
			cs = append(cs, cand{kind: KindBirthDate, start: d.start, end: d.end, prio: 3})
		case !d.hasDay:
			// "March 2024" is not personal without a birth keyword.
		case personalCareContext(text, ctx, clauseBefore(text, d.start, 100), d.end):
			end := d.end
			if t := timeAfterRe.FindStringIndex(text[end:]); t != nil {
				end += t[1]
			}
			cs = append(cs, cand{kind: KindAppointment, start: d.start, end: end, prio: 3})
		case d.year > 0 && d.year < oldDateYear && !birthCtxRe.MatchString(ctx):
			cs = append(cs, cand{kind: KindBirthDate, start: d.start, end: d.end, prio: 2, sev: Warn})
		}
	}
	return cs
}

// personalCareContext reports whether the words around a date tie it to a
// patient's care rather than to an event, a broadcast or the staff's diary.
// wide is a longer stretch of the clause, so the subject of the verb is in it.
func personalCareContext(text, before, wide string, dateEnd int) bool {
	if apptCtxRe.MatchString(before) {
		if seenMediaRe.MatchString(before) || reflexiveRe.MatchString(before) || staffVisitRe.MatchString(wide) {
			return false
		}
		return true
	}
	after := text[dateEnd:min(len(text), dateEnd+50)]
	return apptAfterRe.MatchString(after)
}

// optYear reads a 2- or 4-digit year; two digits above 30 are 19xx.
func optYear(text string, s, e int) int {
	if s < 0 {
		return 0
	}
	y, _ := strconv.Atoi(text[s:e])
	if e-s == 2 {
		if y > 30 {
			return 1900 + y
		}
		return 2000 + y
	}
	return y
}

// ---- postcodes, addresses, ZIP codes ----

var (
	postcodeLowerRe = regexp.MustCompile(`\b(?:[a-pr-uwyz](?:\d[a-hjkpstuw\d]?|[a-hk-y]\d[abehmnprvwxy\d]?) \d[abd-hjlnp-uw-z]{2})\b`)
	postcodeRe      = regexp.MustCompile(`\b(?:GIR ?0AA|[A-PR-UWYZ](?:\d[A-HJKPSTUW\d]?|[A-HK-Y]\d[ABEHMNPRVWXY\d]?) ?\d[ABD-HJLNP-UW-Z]{2})\b`)
	zipDigitsRe     = regexp.MustCompile(`\b\d{5}(?:-\d{4})?\b`)
	addressRe       = regexp.MustCompile(`\b\d{1,5}[A-Za-z]? (?:(?:[NSEW]\.?|North|South|East|West) )?(?:(?:[A-Z][a-zA-Z'’-]*|\d{1,3}(?:st|nd|rd|th)) ){1,3}(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Place|Pl|Way|Terrace|Terr|Close|Crescent|Grove|Gardens|Mews|Parkway|Pkwy|Highway|Hwy|Circle|Cir|Square|Sq|Hill|Parade|Trail)\b\.?`)
	zipStateRe      = regexp.MustCompile(`\b(?:A[LKZR]|C[AOT]|D[CE]|FL|GA|HI|I[ADLN]|K[SY]|LA|M[ADEINOST]|N[CDEHJMVY]|O[HKR]|P[AR]|RI|S[CD]|T[NX]|UT|V[AIT]|W[AIVY]),? (\d{5}(?:-\d{4})?)\b`)
	zipWordRe       = regexp.MustCompile(`(?i)\b(?:zip(?: ?code)?|zipcode|postal code)\b[^0-9\n]{0,20}?(\d{5}(?:-\d{4})?)\b`)

	postcodeAt = anchor(postcodeRe, func(t string, i int) bool {
		return isUpperByte(t[i]) && (isDigit(byteAt(t, i+1)) || isUpperByte(byteAt(t, i+1)) && isDigit(byteAt(t, i+2))) && inwardCode(t, i, isUpperByte) ||
			strings.HasPrefix(t[i:], "GIR")
	}, nil)
	postcodeLowerAt = anchor(postcodeLowerRe, func(t string, i int) bool {
		return isLowerByte(t[i]) && (isDigit(byteAt(t, i+1)) || isLowerByte(byteAt(t, i+1)) && isDigit(byteAt(t, i+2))) && inwardCode(t, i, isLowerByte)
	}, nil)
	addressAt = anchor(addressRe, func(t string, i int) bool {
		n := digitRun(t, i)
		if n == 0 || n > 5 {
			return false
		}
		j := i + n
		if c := byteAt(t, j); c != ' ' && isAlnum(c) && !isDigit(c) {
			j++
		}
		if byteAt(t, j) != ' ' {
			return false
		}
		// The first word after the number: a capital, or an ordinal such as "42nd".
		c := byteAt(t, j+1)
		if isDigit(c) {
			k := digitRun(t, j+1)
			return k <= 3 && strings.IndexByte("snrt", byteAt(t, j+1+k)) >= 0
		}
		return isUpperByte(c)
	}, func(t string, i, hi int) int {
		// An address has at most five spaces: number, direction, three
		// words and the street type.
		for k := 0; k < 6; k++ {
			j := strings.IndexByte(t[i:hi], ' ')
			if j < 0 {
				return hi
			}
			i += j + 1
		}
		return i - 1
	})
	zipStateAt = anchor(zipStateRe, func(t string, i int) bool {
		if !isUpperByte(t[i]) || !isUpperByte(byteAt(t, i+1)) {
			return false
		}
		j := i + 2
		if byteAt(t, j) == ',' {
			j++
		}
		return byteAt(t, j) == ' ' && isDigit(byteAt(t, j+1))
	}, nil)
	zipWordAt = anchor(zipWordRe, func(t string, i int) bool {
		c := t[i] | 0x20
		return (c == 'z' && byteAt(t, i+1)|0x20 == 'i' || c == 'p' && byteAt(t, i+1)|0x20 == 'o')
	}, nil)
)

func scanPostcodes(cs []cand, text string, w windows, a *allowed) []cand {
	for _, m := range append(postcodeAt.findAll(text, w), postcodeLowerAt.findAll(text, w)...) {
		if a.postcodes[compactUpper(text[m[0]:m[1]])] {
			continue
		}
		cs = append(cs, cand{kind: KindPostcode, start: m[0], end: m[1], prio: 3})
	}
	return cs
}

func scanAddresses(cs []cand, text string, w windows, a *allowed) []cand {
	for _, m := range addressAt.findAll(text, w) {
		s, e := m[0], m[1]
		addr := text[s:e]
		// "Dr" and "St" double as titles: "5 Dr Patel", "at 2 St Albans".
		if (strings.HasSuffix(addr, " Dr") || strings.HasSuffix(addr, " St")) && e+2 < len(text) && text[e] == ' ' && 'A' <= text[e+1] && text[e+1] <= 'Z' {
			continue
		}
		if a.inAddress(strings.TrimSuffix(addr, ".")) {
			continue
		}
		cs = append(cs, cand{kind: KindAddress, start: s, end: e, prio: 3})
	}
	return cs
}

func scanZIPs(cs []cand, text string, w windows, a *allowed) []cand {
	for _, re := range []*anchored{zipStateAt, zipWordAt} {
		for _, m := range re.findAll(text, w) {
			s, e := m[2], m[3]
			if a.zips[text[s:s+5]] {
				continue
			}
			cs = append(cs, cand{kind: KindZIP, start: s, end: e, prio: 3})
		}
	}
	return cs
}

// ---- record numbers ----

var recordRe = regexp.MustCompile(`(?i)\b(?:mrn|m\.r\.n\.|(?:medical |health )?record (?:no\.?|number|#)|med(?:ical)? rec(?:ord)? no\.?|hosp(?:ital)?\.? (?:no\.?|number|#)|patient (?:id|no\.?|number|ref(?:erence)?)|patient ?#|chart (?:no\.?|number|#)|account (?:no\.?|number|#)|acct\.? (?:no\.?|#)|case (?:no\.?|number)|policy (?:no\.?|number|#)|member (?:id|no\.?|number)|membership (?:no\.?|number)|insurance (?:id|no\.?|number)|claim (?:no\.?|number)|unit (?:no\.?|number))(?:\s*(?:is|[:#]))?\s*#?\s*([A-Z0-9][A-Z0-9/-]{2,}[A-Z0-9])`)

var recordAt = anchor(recordRe, func(t string, i int) bool {
	if strings.IndexByte("mhrpcaiuMHRPCAIU", t[i]) < 0 {
		return false
	}
	for _, k := range recordStarts {
		if k[0] == t[i]|0x20 && hasFoldPrefixAt(t, i, k) {
			return true
		}
	}
	return false
}, nil)

// recordStarts are how recordRe's keywords begin.
var recordStarts = []string{"mrn", "m.r.n.", "medical record ", "health record ", "record ", "med rec", "medical rec", "hosp", "patient ", "patient#",
	"chart ", "account ", "acct", "case ", "policy ", "member ", "membership ", "insurance ", "claim ", "unit "}

func scanRecords(cs []cand, text string, w windows, a *allowed) []cand {
	for _, m := range recordAt.findAll(text, w) {
		v := text[m[2]:m[3]]
		if !strings.ContainsAny(v, "0123456789") || a.regs[strings.ToUpper(v)] {
			continue
		}
		if strings.HasSuffix(strings.ToLower(text[max(0, m[0]-9):m[0]]), "national ") {
			continue // a National Insurance number, which scanNINO validates
		}
		cs = append(cs, cand{kind: KindRecordNumber, start: m[2], end: m[3], prio: 4})
	}
	return cs
}

// ---- ages ----

var (
	ageRe     = regexp.MustCompile(`(?i)\b(?:aged?|at the age of|at|turns|turned|turning|will be|'ll be|reached|reaches)\s+(9\d|1[01]\d)\b|\b(9\d|1[01]\d)[- ]years?[- ]old\b|\b(9\d|1[01]\d)(?:st|nd|rd|th) birthday\b|, (9\d|1[01]\d),`)
	ageWordRe = regexp.MustCompile(`(?i)\b(?:super)?centenarians?\b|\bnonagenarians?\b`)
	// What may follow a number that is not an age: "aged 90+" is already
	// the grouped form HIPAA allows; "at 90 minutes" is a duration.
	notAgeAfterRe = regexp.MustCompile(`(?i)^(?:\+|%| ?(?:percent|per cent|and over|or over|plus|or older|and older|minutes?|mins?|hours?|seconds?|days?|miles?|km|kg|patients|people|members)\b)`)
)

func scanAges(cs []cand, text string, w windows) []cand {
	for _, m := range w.findAll(ageRe, text) {
		s, e := m[0], m[1]
		switch {
		case text[s] == ',':
			s, e = m[8], m[9]
			// ", 93," after a name; a list of numbers ("12, 95, 100") is not an age.
			if s < 3 || !isLetterByte(text[s-3]) {
				continue
			}
		case strings.HasPrefix(strings.ToLower(text[s:e]), "at ") && (e >= len(text) || text[e] != ','):
			continue // "at 92," is an age; "at 95 Kingsway" is not
		case notAgeAfterRe.MatchString(text[e:]):
			continue
		}
		cs = append(cs, cand{kind: KindAgeOver89, start: s, end: e, prio: 3})
	}
	if strings.Contains(text, "enarian") || strings.Contains(text, "ENARIAN") {
		for _, m := range ageWordRe.FindAllStringIndex(text, -1) {
			cs = append(cs, cand{kind: KindAgeOver89, start: m[0], end: m[1], prio: 3})
		}
	}
	return cs
}

func isLetterByte(c byte) bool { return 'a' <= c|0x20 && c|0x20 <= 'z' || c >= 0x80 }
