package guard

import (
	"regexp"
	"strings"
)

// Government and health identifiers: NHS, CHI, H&C, SSN, NI numbers,
// record numbers.

// ---- NHS, CHI, H&C ----

var (
	tenDigitRe = regexp.MustCompile(`\b\d{3}[ -]?\d{3}[ -]?\d{4}\b|\b\d{6}[ -]\d{4}\b`)
	tenDigitAt = anchor(tenDigitRe, func(t string, i int) bool {
		n := digitRun(t, i)
		return (n == 3 || n == 6 || n == 10) && digitChain(t, i, " -", 10) == 10
	}, nil)
	nhsCtxRe = regexp.MustCompile(`(?i)\bnhs\b`)
	chiCtxRe = regexp.MustCompile(`(?i)\bchi\b`)
	hcCtxRe  = regexp.MustCompile(`(?i)\bh ?& ?c\b|health (?:and|&) care`)
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

func scanHealthNumbers(cs []cand, text string, w windows, a *allowed) []cand {
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
			// "Ticket no. 2125550199": one number in eleven passes the
			// check digit by chance, so after a reference word it is a
			// warning that says so.
			if ef, word, _ := contextOf(text, s, 40, "bare-id", a.country); ef == ctxLower {
				cs = append(cs, cand{kind: kind, start: s, end: e, prio: prio, sev: Warn,
					msg: "This number passes a health number's check digit, but \"" + word + "\" before it suggests a reference number. Check it is not a patient's NHS, CHI or H&C number."})
				continue
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
	ninoRe = regexp.MustCompile(`\b[A-Z]{2}[ -]?\d{2}[ -]?\d{2}[ -]?\d{2}(?:[ -]?[A-D])?\b`)
	// Lower case only with its suffix letter, compact or in pairs ("hh 01
	// 02 03 d"), which ordinary words and codes rarely take.
	ninoLowerRe = regexp.MustCompile(`\b[a-z]{2}(?:\d{6}| \d{2} \d{2} \d{2} )[a-d]\b`)

	ninoAt = anchor(ninoRe, func(t string, i int) bool {
		if !isUpperByte(t[i]) || !isUpperByte(byteAt(t, i+1)) {
			return false
		}
		j := i + 2
		if c := byteAt(t, j); c == ' ' || c == '-' {
			j++
		}
		return digitChain(t, j, " -", 6) == 6
	}, nil)
	ninoLowerAt = anchor(ninoLowerRe, func(t string, i int) bool {
		return isLowerByte(t[i]) && isLowerByte(byteAt(t, i+1)) && (isDigit(byteAt(t, i+2)) || byteAt(t, i+2) == ' ' && isDigit(byteAt(t, i+3)))
	}, nil)
)

func scanNINO(cs []cand, text string, w windows) []cand {
	for _, m := range append(ninoAt.findAll(text, w), ninoLowerAt.findAll(text, w)...) {
		// "AA 12 34 56 H": a letter that is no suffix follows, so this is
		// not a NINO whose suffix was left off.
		if e := m[1]; e+2 <= len(text) && text[e] == ' ' && isLetterByte(text[e+1]) && (e+2 == len(text) || !isLetterByte(text[e+2])) {
			continue
		}
		if ValidNINO(text[m[0]:m[1]]) && !referenceNINOShape(text, m[0], m[1]) {
			cs = append(cs, cand{kind: KindNINumber, start: m[0], end: m[1], prio: 5})
		}
	}
	return cs
}

// referenceNINOShape reports whether a NINO without its suffix letter is
// labelled as another register's number: "ICO registration number is
// ZA123456", "Charity no. SC012345". Two letters and six digits is how
// several registers write theirs; with the label right before it, the
// label says which.
func referenceNINOShape(text string, s, e int) bool {
	if isLetterByte(text[e-1]) {
		return false // the suffix letter: only an NI number takes one
	}
	ef, _, adjacent := contextOf(text, s, 40, "bare-id", "")
	return ef == ctxLower && adjacent
}

// ---- record numbers ----

var recordRe = regexp.MustCompile(`(?i)\b(?:mrn|m\.r\.n\.|(?:medical |health )?record (?:no\.?|number|#)|med(?:ical)? rec(?:ord)? no\.?|hosp(?:ital)?\.? (?:no\.?|number|#|id)|patient (?:id|no\.?|number|ref(?:erence)?)|patient ?#|chart (?:no\.?|number|#)|account (?:no\.?|number|#)|acct\.? (?:no\.?|#)|case (?:no\.?|number)|policy (?:no\.?|number|#)|policy|medicaid(?: (?:id|no\.?|number))?|pt\.? (?:no\.?|number|#|id)|member (?:id|no\.?|number|#)|(?-i:[Ss])ubscriber (?:id|no\.?|number|#)|membership (?:no\.?|number)|insurance (?:id|no\.?|number)|claim (?:no\.?|number|#|id)|unit (?:no\.?|number))(?:\s*(?:is|[:#-]))?\s*#?\s*\(?([A-Z0-9][A-Z0-9/-]*(?: [A-Z0-9/-]*[0-9][A-Z0-9/-]*){0,4})`)

var recordAt = anchor(recordRe, func(t string, i int) bool {
	if strings.IndexByte("mhrpcaiusMHRPCAIUS", t[i]) < 0 {
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
	"chart ", "account ", "acct", "case ", "policy", "medicaid", "pt ", "pt.", "member ", "subscriber ", "membership ", "insurance ", "claim ", "unit "}

func scanRecords(cs []cand, text string, w windows, a *allowed) []cand {
	for _, m := range recordAt.findAll(text, w) {
		// Groups may be spaced ("MRN: 004 829 17", "RX1 234567"); every
		// group after the first holds a digit, so the words after the
		// number are left out.
		v := strings.TrimRight(text[m[2]:m[3]], "/-")
		m[3] = m[2] + len(v)
		if len(strings.ReplaceAll(v, " ", "")) < 4 || !strings.ContainsAny(v, "0123456789") || a.regs[compactUpper(v)] {
			continue
		}
		// "policy BUP 7734 2210 98", "Medicaid # 517349826": behind a bare
		// keyword only a long number ("our policy 2024 update" is none).
		if bareRecordKeyword(text[m[0]:m[2]]) && digitCount(v) < 6 {
			continue
		}
		if strings.HasSuffix(strings.ToLower(text[max(0, m[0]-9):m[0]]), "national ") {
			continue // a National Insurance number, which scanNINO validates
		}
		m[3] = recordSuffixLetter(text, m[3])
		cs = append(cs, cand{kind: KindRecordNumber, start: m[2], end: m[3], prio: 6}) // the keyword says what it is: "Record no. HN 4821 77" is not an NI number
	}
	return cs
}

// ---- identifiers behind an explicit keyword ----

// After "NHS number", "NI number" or "SSN" a number of the right shape is a
// reading of that identifier even when it fails the strict checks (a typo
// in the check digit, a specimen prefix, dots or odd grouping): it blocks
// when it validates and is a warning that says why when it does not.
var (
	nhsKeyRe  = regexp.MustCompile(`(?i)\bnhs[\s-]*(?:number|no\b\.?|num\b\.?|#|:)[^0-9\n]{0,20}?(\d(?:[ .-]?\d){9})\b`)
	ninoKeyRe = regexp.MustCompile(`(?i)\b(?:n\.?\s?i\b\.?|nat(?:ional|\.)?\s?ins(?:urance|\.)?|nino?)(?:\s*(?:number|no\b\.?|num\b\.?))?[^a-z0-9\n]{0,4}(?:(?:is|was)\b[^a-z0-9\n]{0,3})?([a-z]{2}[ .-]?\d(?:[ .-]?\d){5}(?:[ .-]?[a-z])?)\b`)
	ssnKeyRe  = regexp.MustCompile(`(?i)\b(?:ssn|s\.s\.n\.?|ss#|ss no\b\.?|soc(?:ial|\.)? ?sec(?:urity|\.)?(?: number| no\b\.?| #)?)[^a-z0-9\n]{0,4}(?:(?:is|was)\b[^a-z0-9\n]{0,3})?(\d(?:[ .-]?\d){8})\b`)
)

var ninoSeparators = strings.NewReplacer(" ", "", "-", "", ".", "")

// keywordID is one kind of number read right after its keyword: re's
// first group is the number, valid says whether it can be a real one (one
// that cannot is a warning saying why) and whole that it must not be part
// of a longer number.
type keywordID struct {
	on    func(gates) bool
	re    *regexp.Regexp
	kind  Kind
	prio  int
	whole bool
	valid func(string) bool
	why   string
}

var keywordIDs = []keywordID{
	{func(g gates) bool { return g.nhsKey }, nhsKeyRe, KindNHSNumber, 5, true,
		func(n string) bool { d := digitsOnly(n); return mod11Valid(d) && !strings.HasPrefix(d, "999") },
		"This number comes right after \"NHS number\" but its check digit does not match: it may be a mistyped NHS number, which still identifies a patient."},
	{func(g gates) bool { return g.ninoKey }, ninoKeyRe, KindNINumber, 5, false,
		func(n string) bool { return ValidNINO(ninoSeparators.Replace(n)) },
		"This comes right after \"NI number\" and has the shape of a National Insurance number, but HMRC never issues it (a specimen prefix such as QQ, or a typo). Check it is not a real one."},
	{func(g gates) bool { return g.ssnKey }, ssnKeyRe, KindSSN, 4, true, ValidSSN,
		"This number comes right after \"SSN\" but the Social Security Administration never issues it (area 000, 666 or 9xx, group 00 or serial 0000). Check it is not a mistyped real one."},
}

func scanKeywordIDs(cs []cand, text string, w windows, g gates, a *allowed) []cand {
	for _, k := range keywordIDs {
		if !k.on(g) {
			continue
		}
		for _, m := range w.findAll(k.re, text) {
			s, e := m[2], m[3]
			if k.whole && partOfLongerNumber(text, s, e) {
				continue
			}
			c := cand{kind: k.kind, start: s, end: e, prio: k.prio}
			if !k.valid(text[s:e]) {
				if weakDropped(text, s, a.country) {
					continue
				}
				c.sev, c.msg = Warn, k.why
			}
			cs = append(cs, c)
		}
	}
	return cs
}

// ---- US Medicare Beneficiary Identifiers ----

// An MBI is 11 characters: C A AN N A AN N A A N N, where C is 1–9, A a
// letter other than S, L, O, I, B and Z, N a digit, often printed with
// dashes after the 4th and 7th (1EG4-TE5-MK73). The shape is specific
// enough to block without a keyword; lower case counts only after one.
const mbiLetter = `[AC-HJKMNP-RT-Y]`

var (
	mbiRe      = regexp.MustCompile(`\b[1-9]` + mbiLetter + `[AC-HJKMNP-RT-Y0-9]\d[- ]?` + mbiLetter + `[AC-HJKMNP-RT-Y0-9]\d[- ]?` + mbiLetter + `{2}\d{2}\b`)
	mbiLowerRe = regexp.MustCompile(`(?i)\b(?:medicare|mbi)\b[^0-9\n]{0,30}?\b([1-9]` + mbiLetter + `[AC-HJKMNP-RT-Y0-9]\d[- ]?` + mbiLetter + `[AC-HJKMNP-RT-Y0-9]\d[- ]?` + mbiLetter + `{2}\d{2})\b`)
	mbiAt      = anchor(mbiRe, func(t string, i int) bool {
		return '1' <= t[i] && t[i] <= '9' && isUpperByte(byteAt(t, i+1)) && isDigit(byteAt(t, i+3))
	}, nil)
)

const mbiMessage = "This is a US Medicare Beneficiary Identifier (the number on a Medicare card). It identifies a patient and must never be posted."

func scanMBI(cs []cand, text string, w windows, g gates) []cand {
	if !g.mbi && !g.mbiKey {
		return cs
	}
	for _, m := range mbiAt.findAll(text, w) {
		cs = append(cs, cand{kind: KindRecordNumber, start: m[0], end: m[1], prio: 5, msg: mbiMessage})
	}
	if g.mbiKey {
		for _, m := range w.findAll(mbiLowerRe, text) {
			cs = append(cs, cand{kind: KindRecordNumber, start: m[2], end: m[3], prio: 5, msg: mbiMessage})
		}
	}
	return cs
}

// bareRecordKeyword reports whether a record keyword as matched names no
// number: "policy", "Medicaid #", not "policy no." or "Medicaid ID".
func bareRecordKeyword(kw string) bool {
	kw = strings.ToLower(strings.TrimRight(kw, " :#-"))
	return kw == "policy" || kw == "medicaid" || strings.HasSuffix(kw, " is") && bareRecordKeyword(kw[:len(kw)-3])
}

func digitCount(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if isDigit(s[i]) {
			n++
		}
	}
	return n
}
