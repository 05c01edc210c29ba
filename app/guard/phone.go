package guard

import (
	"regexp"
	"slices"
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// phoneCandRe finds runs of 10–15 digits with at most two separators
// between digits: "(312) 847-2291", "+44 7700 900456", "0117 496 0123".
var (
	phoneCandRe = regexp.MustCompile(`[+(]?\d(?:[ .\-()]{0,2}\d){8,14}`)
	phoneCandAt = anchor(phoneCandRe, func(t string, i int) bool {
		if t[i] == '+' || t[i] == '(' {
			i++
		}
		return phoneDigitChain(t, i) >= 9
	}, nil)
)

// phoneDigitChain counts the digits from i on that are at most two of
// " .-()" apart, up to ten: phoneCandRe needs nine (a Dublin number,
// "01 234 5678", has nine).
func phoneDigitChain(t string, i int) int {
	n := 0
	for i < len(t) && isDigit(t[i]) {
		n++
		if n == 10 {
			break
		}
		i++
		for k := 0; k < 2 && i < len(t) && strings.IndexByte(" .-()", t[i]) >= 0; k++ {
			i++
		}
	}
	return n
}

type phoneNum struct {
	e164     string
	personal bool // a number a person could have: not freephone, shared-cost or premium
}

// parsePhone reads a UK or US number. Numbers starting 0 are read as UK,
// bare 10-digit numbers as US, and "+" numbers by their country code.
func parsePhone(raw string) (phoneNum, bool) {
	n := readPhone(raw)
	if n == nil {
		return phoneNum{}, false
	}
	n, ok := validPhone(raw, n)
	if !ok {
		return phoneNum{}, false
	}
	return phoneNum{e164: phonenumbers.Format(n, phonenumbers.E164), personal: phonePersonal(n)}, true
}

// readPhone is the parsing half of parsePhone; nil when raw cannot be read
// as a UK or US number. Validity and type are the dear part of the library,
// so they are separate steps a caller can skip.
func readPhone(raw string) *phonenumbers.PhoneNumber {
	raw = strings.TrimSpace(raw)
	if strings.HasPrefix(raw, "(+") {
		raw = "+" + strings.Replace(raw[2:], ")", "", 1) // "(+44) 7700 900456"
	}
	// "0044 7700 900456", "00353 87 ...": the international prefix dialled
	// from the UK and Ireland.
	if strings.HasPrefix(raw, "00") && len(raw) > 2 && raw[2] != '0' {
		raw = "+" + raw[2:]
	}
	d := digitsOnly(raw)
	region := ""
	switch {
	case strings.HasPrefix(raw, "+"):
		region = "GB"
	case strings.HasPrefix(d, "0") && (len(d) == 10 || len(d) == 11):
		region = "GB"
	case strings.HasPrefix(d, "0") && len(d) == 9 && d[1] != '0':
		region = "GB" // no UK number; validPhone reads it as Irish
	case len(d) == 10 && d[0] >= '2':
		region = "US"
	case len(d) == 11 && d[0] == '1':
		region = "US"
	default:
		return nil
	}
	n, err := phonenumbers.Parse(raw, region)
	if err != nil {
		return nil
	}
	return n
}

// validPhone is phoneValid, reading a national number that is no UK number
// as an Irish one: a Northern Ireland practice's patients live on both
// sides of the border ("087 123 4567", "021 490 1234"). It returns the
// number as read.
func validPhone(raw string, n *phonenumbers.PhoneNumber) (*phonenumbers.PhoneNumber, bool) {
	if phoneValid(n) {
		return n, true
	}
	raw = strings.TrimLeft(strings.TrimSpace(raw), "(")
	if n.GetCountryCode() != 44 || !strings.HasPrefix(raw, "0") || strings.HasPrefix(raw, "00") {
		return n, false
	}
	if ie, err := phonenumbers.Parse(raw, "IE"); err == nil && phonenumbers.IsValidNumber(ie) {
		return ie, true
	}
	return n, false
}

func phoneValid(n *phonenumbers.PhoneNumber) bool {
	if phonenumbers.IsValidNumber(n) {
		return true
	}
	if n.GetCountryCode() != 44 {
		return false
	}
	// Ofcom's drama ranges (07700 900xxx, 0117 496 0xxx) and newly
	// opened blocks are missing from the metadata; a UK-shaped number
	// is still a number someone could ring.
	nsn := phonenumbers.GetNationalSignificantNumber(n)
	return (len(nsn) == 10 && strings.ContainsRune("1237", rune(nsn[0]))) || (len(nsn) == 9 && nsn[0] == '1')
}

// phonePersonal reports whether a valid number is one a person could have.
func phonePersonal(n *phonenumbers.PhoneNumber) bool {
	switch phonenumbers.GetNumberType(n) {
	case phonenumbers.TOLL_FREE, phonenumbers.PREMIUM_RATE, phonenumbers.SHARED_COST, phonenumbers.UAN, phonenumbers.VOICEMAIL:
		return false
	}
	if n.GetCountryCode() == 44 {
		// 03 numbers are national-rate lines for organisations (NHS 111
		// services, charities); the metadata files some of them as UAN.
		if nsn := phonenumbers.GetNationalSignificantNumber(n); strings.HasPrefix(nsn, "3") || strings.HasPrefix(nsn, "8") {
			return false
		}
	}
	return true
}

type phoneSpan struct {
	start, end int
	n          *phonenumbers.PhoneNumber
	valid      bool // set by findPhones
}

// phoneCandidates returns what reads as a phone number in text before any
// check against the numbering plans. Candidates for which skip is true are
// left out unparsed.
func phoneCandidates(text string, w windows, skip func(string) bool) []phoneSpan {
	var out []phoneSpan
	for _, m := range phoneCandAt.findAll(text, w) {
		s, e := m[0], m[1]
		if s > 0 && isAlnum(text[s-1]) || e < len(text) && isAlnum(text[e]) {
			continue
		}
		// "(+44) 7700 900456": the bracket opens the number.
		if s > 0 && text[s-1] == '(' && text[s] == '+' {
			s--
		}
		// A closing parenthesis with no opening one belongs to the sentence.
		for e > s && text[e-1] == ')' && strings.Count(text[s:e], "(") < strings.Count(text[s:e], ")") {
			e--
		}
		if skip != nil && skip(text[s:e]) {
			continue
		}
		if isoDateAt(text, s) {
			continue // "2026-04-02 19:00" is a date and a time
		}
		if n := readPhone(text[s:e]); n != nil {
			out = append(out, phoneSpan{start: s, end: e, n: n})
		}
	}
	return out
}

// findPhones returns every UK or US phone number in text, the practice's own
// included; the GBP lint needs those too.
func findPhones(text string, w windows) []phoneSpan {
	ps := phoneCandidates(text, w, nil)
	for i := range ps {
		ps[i].n, ps[i].valid = validPhone(text[ps[i].start:ps[i].end], ps[i].n)
	}
	return slices.DeleteFunc(ps, func(p phoneSpan) bool { return !p.valid })
}

// isoDateAt reports whether an ISO date (2026-04-02) starts at i.
func isoDateAt(t string, i int) bool {
	return digitRun(t, i) == 4 && byteAt(t, i+4) == '-' && digitRun(t, i+5) == 2 && byteAt(t, i+7) == '-' && digitRun(t, i+8) == 2
}

// phoneFits reports whether the way a number is written fits the practice's
// country: an international "+" number always does; a national one written
// the UK or Irish way (leading 0) fits a GB practice, a bare 10-digit one a
// US practice. With no country every reading fits.
func phoneFits(raw, country string) bool {
	raw = strings.TrimLeft(raw, "(")
	switch {
	case country == "", strings.HasPrefix(raw, "+"), strings.HasPrefix(raw, "00"):
		return true
	case country == "GB":
		return strings.HasPrefix(raw, "0")
	case country == "US":
		return !strings.HasPrefix(raw, "0")
	}
	return true
}

func scanPhones(cs []cand, text string, w windows, a *allowed) []cand {
	// The practice's own number, written as in the brand kit, needs no
	// parsing: the library is the dearest part of a scan.
	for _, p := range phoneCandidates(text, w, func(raw string) bool { return a.phoneRaw[raw] }) {
		// The allow list holds only valid numbers, so a number on it needs
		// no validity check of its own.
		if a.phones[phonenumbers.Format(p.n, phonenumbers.E164)] {
			continue
		}
		n, ok := validPhone(text[p.start:p.end], p.n)
		if !ok || !phonePersonal(n) || n != p.n && a.phones[phonenumbers.Format(n, phonenumbers.E164)] {
			continue
		}
		ctx := clauseBefore(text, p.start, 30)
		ef, word, adjacent := contextOf(text, p.start, 40, "phone", a.country)
		// "CHI 221030 1378, tel 0131 496 0288": a phone word right before
		// the number says which it is, whatever keyword came earlier.
		if (nhsCtxRe.MatchString(ctx) || chiCtxRe.MatchString(ctx) || hcCtxRe.MatchString(ctx)) && !(ef == ctxRaise && adjacent) {
			continue // "NHS number 443 464 0979": a mistyped health number, not a phone
		}
		c := cand{kind: KindPhone, start: p.start, end: p.end, prio: 1}
		switch {
		case ef == ctxRaise:
			c.prio = 3
		case ef == ctxLower && adjacent:
			continue // "Order no. 4412345678" is the order's number
		case ef == ctxLower:
			c.sev, c.msg = Warn, "This has the shape of a phone number, but \""+word+"\" earlier in the sentence suggests a reference number. Check it is not someone's phone number."
		case !phoneFits(text[p.start:p.end], a.country):
			c.sev, c.msg = Warn, "This has the shape of a phone number from another country than the practice's, with no word such as \"call\" before it; it may be a reference number. Check it is not someone's phone number."
		}
		cs = append(cs, c)
	}
	return cs
}
