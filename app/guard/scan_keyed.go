package guard

import (
	"bytes"
	"regexp"
	"strings"
)

// Identifiers named by the word before them rather than by their shape: a
// member number after the insurer's name, a postcode written in lower case
// without its space after the word "postcode".

// ---- insurers' member and policy numbers ----

// insurerNames are the health insurers and plans whose name, followed by
// "ID", "member" or "policy", labels the number after it as the patient's
// membership: "Cigna ID U4482 91034", "Vitality member 88213904".
var insurerNames = []string{"bcbs", "blue cross", "blue shield", "cigna", "aetna", "humana", "uhc", "united healthcare", "unitedhealthcare",
	"anthem", "kaiser", "tricare", "vitality", "bupa", "axa", "aviva", "simplyhealth", "wpa", "delta dental", "metlife", "guardian"}

var insurerIDRe = regexp.MustCompile(`(?i)\b(?:bcbs|blue (?:cross|shield)(?: blue shield)?|cigna|aetna|humana|uhc|united ?healthcare|anthem|kaiser(?: permanente)?|tricare|vitality(?:health)?|bupa|axa(?: ppp| health)?|aviva|simplyhealth|wpa|delta dental|metlife|guardian)` +
	`(?: (?:health|healthcare|insurance|dental|ppo|hmo))?\s+(?:member(?:ship)?(?: (?:id|no\.?|number|#))?|id|policy(?: (?:no\.?|number|#))?|no\.?|number|#|card(?: (?:no\.?|number|#))?)` +
	`(?:\s*(?:is|[:#-]))?\s*#?\s*\(?([A-Z0-9][A-Z0-9/-]*(?: [A-Z0-9/-]*[0-9][A-Z0-9/-]*){0,3})`)

// insurerGate reports whether lower names an insurer at all: most posts
// never run insurerIDRe.
func insurerGate(lower []byte) bool {
	for _, n := range insurerNames {
		if bytes.Contains(lower, []byte(n)) {
			return true
		}
	}
	return false
}

func scanInsurerIDs(cs []cand, text string, w windows, a *allowed) []cand {
	for _, m := range w.findAll(insurerIDRe, text) {
		v := strings.TrimRight(text[m[2]:m[3]], "/-")
		// "Bupa member 2024 offers": a year is no membership; a member
		// number runs to five digits at least.
		if digitCount(v) < 5 || a.regs[compactUpper(v)] {
			continue
		}
		cs = append(cs, cand{kind: KindRecordNumber, start: m[2], end: m[2] + len(v), prio: 6})
	}
	return cs
}

// recordSuffixLetter extends a record number over a lone capital after it,
// as UK insurers print a policy's suffix ("00928371 A"), when nothing
// worded follows that letter: "policy 00928371 A great year" keeps the
// article out.
func recordSuffixLetter(text string, e int) int {
	if e+2 > len(text) || text[e] != ' ' || !isUpperByte(text[e+1]) || e+2 < len(text) && isAlnum(text[e+2]) {
		return e
	}
	rest := strings.TrimLeft(text[e+2:], " ")
	if rest != "" && isAlnum(rest[0]) {
		return e
	}
	return e + 2
}

// ---- postcodes in lower case, run together ----

// "postcode bs67th": after the word, a postcode needs neither its capitals
// nor its space; anywhere else "ab12cd" is as likely a code or a password.
var postcodeKeyRe = regexp.MustCompile(`(?i)\bpost ?code\b(?:\s*(?:is|was|[:-]))?\s*([a-z]{1,2}\d[a-z\d]?\d[a-z]{2})\b`)

func scanKeyedPostcodes(cs []cand, text string, w windows, a *allowed) []cand {
	for _, m := range w.findAll(postcodeKeyRe, text) {
		pc := strings.ToUpper(text[m[2]:m[3]])
		pc = pc[:len(pc)-3] + " " + pc[len(pc)-3:]
		if !postcodeRe.MatchString(pc) || a.postcodes[compactUpper(pc)] {
			continue
		}
		cs = append(cs, cand{kind: KindPostcode, start: m[2], end: m[3], prio: 3})
	}
	return cs
}
