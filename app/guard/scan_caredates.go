package guard

import (
	"regexp"
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
	theDayAfterRe = regexp.MustCompile(`(?i)^(?:\s*$|\s*[,.;:!?)–—-]|\s+(?:and|at|but|was|were|is|has|had|for|so|as|when|with|because|please|we|she|he|they|i|then|from|until|till|to)\b)`)

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

// birthdayHeading reports whether a full date with its year opens the
// sentence right after one wishing happy birthday: "Happy birthday, Tom!
// 🎂 2 May 2011". Nothing but emoji and spaces stands between; ctx is the
// clause before the date.
func birthdayHeading(text, ctx string, d dateSpan) bool {
	if d.year == 0 || strings.IndexFunc(ctx, unicode.IsLetter) >= 0 {
		return false
	}
	prev := clauseBefore(text, max(0, d.start-len(ctx)-1), 45)
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
