package guard

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"
	"unicode"
)

// Days that name no month, or no number, the way people write the date of
// someone's visit: "her review on the 9th", "surgery last Thursday", "the
// first of April", "on Thursday 3/7". Alone they say nothing personal ("the
// 3rd time", "see you next Monday!"), so like the short dates in scanDates
// they count only where the words around them tie them to a patient's care.

var (
	// "on the 9th": the day number after "the", read as the number only.
	theDayAt = anchor(regexp.MustCompile(`\b[Tt]he (\d{1,2})(?:st|nd|rd|th)\b`), func(t string, i int) bool {
		return hasFoldPrefixAt(t, i, "the ")
	}, nil)
	// What may follow such a day: the end of the clause or a word that
	// starts the next part of it. "on the 3rd floor" and "the 2nd time"
	// go on into a noun and are no date.
	theDayAfterRe = regexp.MustCompile(`(?i)^(?:\s*$|\s*[,.;:!?)–—-]|\s*\p{So}|\s+(?:and|at|but|was|were|is|has|had|for|so|as|when|with|because|please|we|she|he|they|i|then|from|until|till|to)\b)`)

	// "next Monday", "last Thursday".
	relDayAt = anchor(regexp.MustCompile(`\b(?:[Nn]ext|[Ll]ast) (?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\b`), func(t string, i int) bool {
		return hasFoldPrefixAt(t, i, "next ") || hasFoldPrefixAt(t, i, "last ")
	}, nil)

	// "the first of April", "twenty-third of May 2025": the day in words.
	spelledDayAt = anchor(regexp.MustCompile(`\b(?:(?:[Tt]wenty|[Tt]hirty)[- ])?(?:[Ff]irst|[Ss]econd|[Tt]hird|[Ff]ourth|[Ff]ifth|[Ss]ixth|[Ss]eventh|[Ee]ighth|[Nn]inth|[Tt]enth|[Ee]leventh|[Tt]welfth|[Tt]hirteenth|[Ff]ourteenth|[Ff]ifteenth|[Ss]ixteenth|[Ss]eventeenth|[Ee]ighteenth|[Nn]ineteenth|[Tt]wentieth|[Tt]hirtieth) of `+monthPat+`\b(?:,? (\d{4})\b)?`), spelledDayStart, nil)
)

// spelledDayWords are how spelledDayAt's day words begin.
var spelledDayWords = []string{"twenty", "thirty", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth", "eighteenth", "nineteenth"}

func spelledDayStart(t string, i int) bool {
	for _, w := range spelledDayWords {
		if hasFoldPrefixAt(t, i, w) {
			return true
		}
	}
	return false
}

// careDaySpans adds the days above to ds. Those with a month in words are
// full dates without a year; the rest are short.
func careDaySpans(ds []dateSpan, text string, w windows, g gates) []dateSpan {
	if g.ordinal {
		for _, m := range theDayAt.findAll(text, w) {
			if theDayAfterRe.MatchString(text[m[1]:]) {
				ds = append(ds, dateSpan{start: m[2], end: m[1], hasDay: true, short: true})
			}
		}
	}
	if g.relDay {
		// "next " and "last " in any case: the words past their first letter.
		for _, p := range []string{"ext ", "ast "} {
			for _, m := range relDayAt.findAll(text, phraseWindows(text, p, 12)) {
				ds = append(ds, dateSpan{start: m[0], end: m[1], hasDay: true, short: true})
			}
		}
	}
	if g.month {
		for _, m := range spelledDayAt.findAll(text, phraseWindows(text, " of ", 24)) {
			ds = append(ds, dateSpan{start: m[0], end: m[1], year: optYear(text, m[4], m[5]), hasDay: true})
		}
	}
	return ds
}

// weekdayBefore returns where a day name right before i starts ("Thursday
// 3/7", "Mon 10/2"), so the date is reported whole; i when there is none.
func weekdayBefore(text string, i int) int {
	j := i - 1
	if byteAt(text, j) != ' ' {
		return i
	}
	if j > 0 && (text[j-1] == ',' || text[j-1] == '.') {
		j--
	}
	k := j
	for k > 0 && isLetterByte(text[k-1]) {
		k--
	}
	if k < j && weekdayNames[text[k:j]] && (k == 0 || !isWordByte(text[k-1])) {
		return k
	}
	return i
}

var (
	happyBirthdayRe = regexp.MustCompile(`(?i)\bhappy (?:birthday|bday|b-day)\b`)
	orgBirthdayRe   = regexp.MustCompile(`(?i)\b(?:us|we|our|practice|clinic|surgery|team|business|shop)\b`)
)

// birthdayHeading reports whether a full date with its year opens the
// sentence right after one wishing happy birthday: "Happy birthday, Tom!
// 🎂 2 May 2011". Nothing but emoji and spaces stands between; ctx is the
// clause before the date.
func birthdayHeading(text, ctx string, d dateSpan) bool {
	if strings.IndexFunc(ctx, unicode.IsLetter) >= 0 {
		return false
	}
	prev := clauseBefore(text, max(0, d.start-len(ctx)-1), 45)
	// Without a year only a wish to someone dates their birthday: "Happy
	// birthday Mrs Hale! 🎂 3 June"; "Happy birthday to us! 🎂 3 June" is
	// the practice's.
	if d.year == 0 && (!happyBirthdayRe.MatchString(prev) || orgBirthdayRe.MatchString(prev)) {
		return false
	}
	return birthCtxRe.MatchString(prev) && !orgBornRe.MatchString(prev)
}

// contextEnd is where the words before a date end: before the "the" of
// "your session on the 17th", which theDayAt leaves out of the date.
func contextEnd(text string, d dateSpan) int {
	if d.short && d.start >= 4 && hasFoldPrefixAt(text, d.start-4, "the ") {
		return d.start - 4
	}
	return d.start
}

// sentenceIdentifier are the findings that make a date in their sentence
// the person's own: a name, or a number that belongs to one person.
var sentenceIdentifier = map[Kind]bool{KindPatientName: true, KindPossibleName: true,
	KindNHSNumber: true, KindCHINumber: true, KindHCNumber: true, KindNINumber: true, KindSSN: true}

var (
	// "On 18 June she walked the whole route": a patient story, told of
	// someone the post has named.
	storyDayBeforeRe = regexp.MustCompile(`(?i)(?:^|[^\w\s])\s*on\s*$`)
	storyAfterRe     = regexp.MustCompile(`^,?\s+(?:[Hh]e|[Ss]he)\s+(?:[a-z]+ed|ran|swam|rode|won|went|got|took|did|made|hit|beat|climbed)\b`)
)

// patientStoryDate reports whether a date opens a sentence of what a patient
// did ("On 18 June she walked ...") in a post that names a patient; "On 4
// April she joined us" in a post naming only staff stays clean.
func patientStoryDate(text, ctx string, cs []cand, end int) bool {
	if !storyDayBeforeRe.MatchString(ctx) || !storyAfterRe.MatchString(text[end:min(len(text), end+40)]) {
		return false
	}
	for _, c := range cs {
		if c.kind == KindPatientName || c.kind == KindPossibleName {
			return true
		}
	}
	return false
}

var (
	// A reply to one person's review: thanks for the stars or the review,
	// or sorry for what went wrong.
	// "Thank you for trusting us with ...", "Sorry you were unhappy ...",
	// "Lovely to hear from you!" and the Welsh "Diolch am yr adolygiad"
	// (thanks for the review) answer one person too.
	replyRe = regexp.MustCompile(`(?i)\b(?:thanks|thank you)\b[^.!?\n]{0,40}\b(?:review|stars|feedback|kind words|lovely words|rating|trusting us)\b|\b(?:5|five)[- ]stars?\b|\bsorry to hear\b|\bwe hear you\b|\b(?:we['’]re|we are) (?:so |really |very |truly )?sorry\b` +
		`|^(?:we['’]re |we are )?(?:so |really |very )?sorry (?:that )?you\b|\b(?:lovely|great|so good|nice|wonderful) to hear from you\b|\bdiolch\b[^.!?\n]{0,40}\badolygiad\b`)
	// In a reply the practice's own diary still speaks for itself: "we're
	// closed on 24 December", "our open evening on 5 June".
	// "on 5 June we're running a shuttle": the practice's plans.
	replyPlanAfterRe = regexp.MustCompile(`(?i)^,?\s+(?:we['’]re|we are|we['’]ll|we will|we can|our)\b`)
	replyEventRe     = regexp.MustCompile(`(?i)\b(?:open|opens|opening|reopen\w*|close|closed|closes|closing|until|till|event|evening|party|launch|holidays?|bank)\b`)
)

// replyReader reads, once and only when asked, whether the post replies to
// one person's review. A day in such a reply is the reviewer's visit: "the
// crown we fitted on 9 April", "tricky parking on Sat 12th".
type replyReader struct {
	text         string
	read, answer bool
}

func (r *replyReader) visitDate(ctx string, end int) bool {
	if !r.read {
		r.read, r.answer = true, replyWordGate(r.text) && replyRe.MatchString(r.text)
	}
	return r.answer && !replyEventRe.MatchString(ctx) && !replyPlanAfterRe.MatchString(r.text[end:min(len(r.text), end+12)])
}

// Welsh month names, as a bilingual practice writes a date: "ar 8 Ebrill".
var welshMonths = []string{"ionawr", "chwefror", "mawrth", "ebrill", "mai", "mehefin", "gorffennaf", "awst", "medi", "hydref", "tachwedd", "rhagfyr"}

func welshMonthGate(lower []byte) bool {
	for _, m := range welshMonths {
		if i := bytes.Index(lower, []byte(m)); i > 0 && lower[i-1] == ' ' {
			return true
		}
	}
	return false
}

var welshDateAt = anchor(regexp.MustCompile(`\b(\d{1,2}) (?:Ionawr|Chwefror|Mawrth|Ebrill|Mai|Mehefin|Gorffennaf|Awst|Medi|Hydref|Tachwedd|Rhagfyr)\b(?: (\d{4})\b)?`), func(t string, i int) bool {
	n := digitRun(t, i)
	return (n == 1 || n == 2) && byteAt(t, i+n) == ' ' && strings.IndexByte("ICEMGAHTR", byteAt(t, i+n+1)) >= 0
}, nil)

// welshDates adds the dates with a Welsh month to ds: full dates, with or
// without the year, read as the English ones are.
func welshDates(ds []dateSpan, text string, w windows) []dateSpan {
	for _, m := range welshDateAt.findAll(text, w) {
		if day, _ := strconv.Atoi(text[m[2]:m[3]]); day >= 1 && day <= 31 {
			ds = append(ds, dateSpan{start: m[0], end: m[1], year: optYear(text, m[4], m[5]), hasDay: true})
		}
	}
	return ds
}

// birthYearAfter is where a birth date ends once a bare two-digit year
// after it is taken in: "DOB 30 Sept 83". Only behind a birth keyword: "on
// 3 March 45 people came" has no year, and nor has a number that goes on
// into what it counts ("83%", "83.5", "40 minutes of games").
func birthYearAfter(text string, d dateSpan) int {
	e := d.end
	if d.year != 0 || d.short || byteAt(text, e) != ' ' || digitRun(text, e+1) != 2 {
		return e
	}
	if c := byteAt(text, e+3); isAlnum(c) || strings.IndexByte("%:/", c) >= 0 || c == '.' && isDigit(byteAt(text, e+4)) || c == ' ' && (isLowerByte(byteAt(text, e+4)) || isDigit(byteAt(text, e+4))) {
		return e
	}
	return e + 3
}

// replyWordGate is a cheap look for the words replyRe needs, so most posts
// never run it.
func replyWordGate(text string) bool {
	var stack [4096]byte
	lower := asciiLower(stack[:0], text)
	for _, w := range []string{"review", "star", "feedback", "kind words", "lovely words", "rating", "sorry", "hear you", "hear from you", "trusting us", "adolygiad"} {
		if bytes.Contains(lower, []byte(w)) {
			return true
		}
	}
	return false
}
