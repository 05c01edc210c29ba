package guard

import (
	"regexp"
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// phoneCandRe finds runs of 10–15 digits with at most two separators
// between digits: "(312) 847-2291", "+44 7700 900456", "0117 496 0123".
var phoneCandRe = regexp.MustCompile(`[+(]?\d(?:[ .\-()]{0,2}\d){9,14}`)

type phoneNum struct {
	e164     string
	personal bool // a number a person could have: not freephone, shared-cost or premium
}

// parsePhone reads a UK or US number. Numbers starting 0 are read as UK,
// bare 10-digit numbers as US, and "+" numbers by their country code.
func parsePhone(raw string) (phoneNum, bool) {
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
		return phoneNum{}, false
	}
	n, err := phonenumbers.Parse(raw, region)
	if err != nil {
		return phoneNum{}, false
	}
	ok := phonenumbers.IsValidNumber(n)
	if !ok && n.GetCountryCode() == 44 {
		// Ofcom's drama ranges (07700 900xxx, 0117 496 0xxx) and newly
		// opened blocks are missing from the metadata; a UK-shaped number
		// is still a number someone could ring.
		nsn := phonenumbers.GetNationalSignificantNumber(n)
		ok = (len(nsn) == 10 && strings.ContainsRune("1237", rune(nsn[0]))) || (len(nsn) == 9 && nsn[0] == '1')
	}
	if !ok {
		return phoneNum{}, false
	}
	personal := true
	switch phonenumbers.GetNumberType(n) {
	case phonenumbers.TOLL_FREE, phonenumbers.PREMIUM_RATE, phonenumbers.SHARED_COST, phonenumbers.UAN, phonenumbers.VOICEMAIL:
		personal = false
	}
	if n.GetCountryCode() == 44 {
		// 03 numbers are national-rate lines for organisations (NHS 111
		// services, charities); the metadata files some of them as UAN.
		if nsn := phonenumbers.GetNationalSignificantNumber(n); strings.HasPrefix(nsn, "3") || strings.HasPrefix(nsn, "8") {
			personal = false
		}
	}
	return phoneNum{e164: phonenumbers.Format(n, phonenumbers.E164), personal: personal}, true
}

type phoneSpan struct {
	start, end int
	num        phoneNum
}

// findPhones returns every UK or US phone number in text, the practice's own
// included; the GBP lint needs those too.
func findPhones(text string, w windows) []phoneSpan {
	var out []phoneSpan
	for _, m := range w.findAll(phoneCandRe, text) {
		s, e := m[0], m[1]
		if s > 0 && isAlnum(text[s-1]) || e < len(text) && isAlnum(text[e]) {
			continue
		}
		// A closing parenthesis with no opening one belongs to the sentence.
		for e > s && text[e-1] == ')' && strings.Count(text[s:e], "(") < strings.Count(text[s:e], ")") {
			e--
		}
		if n, ok := parsePhone(text[s:e]); ok {
			out = append(out, phoneSpan{start: s, end: e, num: n})
		}
	}
	return out
}

func scanPhones(cs []cand, text string, w windows, a *allowed) []cand {
	for _, p := range findPhones(text, w) {
		if !p.num.personal || a.phones[p.num.e164] {
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
