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
	phoneCandRe = regexp.MustCompile(`[+(]?\d(?:[ .\-()]{0,2}\d){9,14}`)
	phoneCandAt = anchor(phoneCandRe, func(t string, i int) bool {
		if t[i] == '+' || t[i] == '(' {
			i++
		}
		return phoneDigitChain(t, i) >= 10
	}, nil)
)

// phoneDigitChain counts the digits from i on that are at most two of
// " .-()" apart, up to ten: phoneCandRe needs ten.
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
	if n == nil || !phoneValid(n) {
		return phoneNum{}, false
	}
	return phoneNum{e164: phonenumbers.Format(n, phonenumbers.E164), personal: phonePersonal(n)}, true
}

// readPhone is the parsing half of parsePhone; nil when raw cannot be read
// as a UK or US number. Validity and type are the dear part of the library,
// so they are separate steps a caller can skip.
func readPhone(raw string) *phonenumbers.PhoneNumber {
	raw = strings.TrimSpace(raw)
	d := digitsOnly(raw)
	region := ""
	switch {
	case strings.HasPrefix(raw, "+"):
		region = "GB"
	case strings.HasPrefix(d, "0") && (len(d) == 10 || len(d) == 11):
		region = "GB"
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
		// A closing parenthesis with no opening one belongs to the sentence.
		for e > s && text[e-1] == ')' && strings.Count(text[s:e], "(") < strings.Count(text[s:e], ")") {
			e--
		}
		if skip != nil && skip(text[s:e]) {
			continue
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
	return slices.DeleteFunc(phoneCandidates(text, w, nil), func(p phoneSpan) bool { return !phoneValid(p.n) })
}

func scanPhones(cs []cand, text string, w windows, a *allowed) []cand {
	// The practice's own number, written as in the brand kit, needs no
	// parsing: the library is the dearest part of a scan.
	for _, p := range phoneCandidates(text, w, func(raw string) bool { return a.phoneRaw[raw] }) {
		// The allow list holds only valid numbers, so a number on it needs
		// no validity check of its own.
		if a.phones[phonenumbers.Format(p.n, phonenumbers.E164)] || !phoneValid(p.n) || !phonePersonal(p.n) {
			continue
		}
		ctx := clauseBefore(text, p.start, 30)
		prio := 1
		if phoneCtxRe.MatchString(ctx) {
			prio = 3
		} else if nhsCtxRe.MatchString(ctx) || chiCtxRe.MatchString(ctx) || hcCtxRe.MatchString(ctx) {
			continue // "NHS number 443 464 0979": a mistyped health number, not a phone
		}
		cs = append(cs, cand{kind: KindPhone, start: p.start, end: p.end, prio: prio})
	}
	return cs
}
