package guard

import (
	"bytes"
	"slices"
	"strings"
)

// AllowList is what the practice itself may publish: its own contact
// details, staff names and registration numbers (the GDC expects dentists'
// numbers in advertising), and the patients whose signed consent covers
// showing their name on the channel being checked.
type AllowList struct {
	// Country is where the practice advertises, "GB" or "US" ("" for
	// unknown): it says which readings of a number are likely (a bare
	// 10-digit number is a US phone only for a US practice; five digits
	// after "in" are a ZIP code only outside the UK). Check fills it from
	// Practice.Country when it is empty.
	Country       string
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
//
// Scan reads through zero-width characters, no-break spaces and fullwidth
// forms (see unmask); the findings still point at the post as written.
func Scan(text string, names *Matcher, allow AllowList) []Finding {
	u, ok := unmask(text)
	if !ok {
		return scan(text, names, allow)
	}
	fs := scan(u.text, names, allow)
	for i := range fs {
		fs[i] = u.original(text, fs[i])
	}
	return fs
}

func scan(text string, names *Matcher, allow AllowList) []Finding {
	a := compileAllowCached(allow)
	digits := digitWindows(text)
	g := computeGates(text)
	var cs []cand
	cs, consented := scanNames(cs, text, names, a)
	cs = scanPossibleNames(cs, text, a, consented)
	if g.longNumber {
		cs = scanHealthNumbers(cs, text, digits, a)
		cs = scanSSN(cs, text, digits)
		cs = scanPhones(cs, text, digits, a)
	}
	cs = scanNINO(cs, text, digits)
	cs = scanKeywordIDs(cs, text, digits, g, a)
	cs = scanMBI(cs, text, digits, g)
	cs = scanEmails(cs, text, atWindows(text), a)
	if g.month || g.welshMonth || g.numDate || g.dashMonth || g.ordinal || g.holiday || g.relDay {
		cs = scanDates(cs, text, digits, g)
	}
	cs = scanPostcodes(cs, text, digits, a)
	if g.postcode {
		cs = scanKeyedPostcodes(cs, text, digits, a)
	}
	if g.insurer {
		cs = scanInsurerIDs(cs, text, digits, a)
	}
	cs = scanAddresses(cs, text, digits, a)
	if g.fiveDigits {
		cs = scanZIPs(cs, text, digits, a)
	}
	if g.record {
		cs = scanRecords(cs, text, digits, a)
	}
	if g.ageNumber || g.ageWords {
		cs = scanAges(cs, text, digits, g)
	}
	cs = slices.DeleteFunc(cs, func(c cand) bool { return a.regs[compactUpper(text[c.start:c.end])] })
	cs = resolveOverlaps(cs)

	fs := make([]Finding, 0, len(cs))
	for _, c := range cs {
		info := kindInfo[c.kind]
		sev, msg := info.sev, info.msg
		if c.sev != "" {
			sev = c.sev
		}
		if c.msg != "" {
			msg = c.msg
		}
		fs = append(fs, Finding{Kind: c.kind, Severity: sev, Start: c.start, End: c.end, Text: text[c.start:c.end], Message: msg, Fix: info.fix})
	}
	sortFindings(fs)
	return fs
}

type cand struct {
	kind       Kind
	start, end int
	prio       int      // wins overlaps; ties go to the longer span
	sev        Severity // overrides the kind's default when set
	msg        string   // overrides the kind's message when set: says why a reading is weak
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
	country   string
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
		a.addresses = append(a.addresses, addressForm(ad))
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
	a.country = strings.ToUpper(al.Country)
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

// streetAbbrev is how addresses shorten their words; the practice's address
// written "12 Quay St" is the same place as "12 Quay Street".
var streetAbbrev = map[string]string{"street": "st", "road": "rd", "avenue": "ave", "av": "ave", "lane": "ln", "drive": "dr", "close": "cl", "court": "ct",
	"place": "pl", "boulevard": "blvd", "crescent": "cres", "terrace": "terr", "parkway": "pkwy", "highway": "hwy", "square": "sq", "gardens": "gdns",
	"north": "n", "south": "s", "east": "e", "west": "w", "suite": "ste"}

// addressForm is s folded, with street words in their short form.
func addressForm(s string) string {
	var stack [128]byte
	f := foldInto(stack[:0], s, nil, nil)
	out := make([]byte, 0, len(f))
	for len(f) > 0 {
		i := bytes.IndexByte(f, ' ')
		w := f
		if i >= 0 {
			w, f = f[:i], f[i+1:]
		} else {
			f = nil
		}
		if len(w) == 0 {
			continue
		}
		if len(out) > 0 {
			out = append(out, ' ')
		}
		if a, ok := streetAbbrev[string(w)]; ok {
			out = append(out, a...)
		} else {
			out = append(out, w...)
		}
	}
	return string(out)
}

// inAddress reports whether s (folded) appears as whole words in one of the
// practice's addresses.
func (a *allowed) inAddress(s string) bool {
	f := addressForm(s)
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
