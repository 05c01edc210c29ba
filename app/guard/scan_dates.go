package guard

import (
	"regexp"
	"strconv"
	"strings"
)

// ---- dates ----

const (
	monthPat   = `(Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)`
	weekdayPat = `(?:(?:Mon|Tues?|Wed(?:nes)?|Weds|Thu(?:rs?)?|Fri|Sat(?:ur)?|Sun)(?:day)?\.?,? )?`
)

var (
	dmyRe = regexp.MustCompile(`\b` + weekdayPat + `(\d{1,2})(?:st|nd|rd|th)?(?: of)? ` + monthPat + `\b(?:\.?,? (\d{4})\b|\.? ['’](\d{2})\b)?`)
	// "05-May-1962", "05-MAY-1962": how clinical systems print dates.
	// Also with slashes, dots or spaces, and with the month in capitals in
	// full: "05/MAY/1962", "5 MARCH 1962".
	dashMonthRe = regexp.MustCompile(`\b(\d{1,2})([-/. ])(?i:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)([-/. ])(\d{4}|\d{2})\b`)
	mdyRe       = regexp.MustCompile(`\b` + weekdayPat + monthPat + `\.? (\d{1,2})(?:st|nd|rd|th)?\b(?:,? (\d{4})\b|,? ['’](\d{2})\b)?`)
	myRe        = regexp.MustCompile(`\b` + monthPat + `,? (\d{4})\b`)
	numRe       = regexp.MustCompile(`\b(\d{1,2})([/.-])(\d{1,2})([/.-])(\d{4}|\d{2})\b|\b(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:?\d{2})?)?\b`)
	// "12 - 05 - 1955": the separators spaced out. Only with a four-digit
	// year, so scores and ranges ("won 3 - 1", "9 - 5") stay out; the
	// groups are those of numRe's first form.
	spacedNumRe = regexp.MustCompile(`\b(\d{1,2}) ([/.-]) (\d{1,2}) ([/.-]) (\d{4})\b`)
	// Days named by their holiday are dates as much as "24 December" is:
	// "an emergency slot on Christmas Eve", "born Boxing Day 1931".
	holidayRe = regexp.MustCompile(`(?i)\b(?:Christmas (?:Eve|Day)|Boxing Day|New Year['’]?s (?:Eve|Day)|Valentine['’]?s Day|Hallowe['’]?en|(?-i:[Ss])t\.? Patrick['’]?s Day|Burns Night|Bonfire Night|Guy Fawkes Night|(?:Fourth|4th) of July|Independence Day)\b(?:,? (\d{4})\b)?`)
	// A time after an appointment date is part of the same detail.
	timeAfterRe = regexp.MustCompile(`^,? (?:at )?\d{1,2}[:.]\d{2}(?: ?(?:am|pm)\b)?|^,? at \d{1,2}(?: ?(?:am|pm)\b)?`)

	// After the date: "8th December babies", "his 3 May birthday".
	birthAfterRe = regexp.MustCompile(`(?i)^\s+(?:bab(?:y|ies)|birthday)\b`)
	// "our 3 May baby massage class": an event for babies, not a birthday.
	babyEventRe = regexp.MustCompile(`(?i)^\s+(?:bab(?:y|ies)|birthday)\s+(?:massage|class(?:es)?|group|yoga|clinic|sessions?|swim(?:ming)?|sensory|club|part(?:y|ies)|bash|drop-in|check)\b`)
	birthCtxRe  = regexp.MustCompile(`(?i)\bdob\b|\bd\.\s?o\.\s?b\b|date of birth|birth ?date|\bborn\b|\bbirthday\b|(?:^|\s)b\.\s*$|\b(?:turns|turned|will be|'ll be) \d{1,3} on\b`)
	// An old date after these words is the practice's history, not a
	// birthday: "Founded 12-Jan-1998", "Since 1 April 1990".
	orgDateRe = regexp.MustCompile(`(?i)\b(?:founded|established|est\.|opened|since|anniversary|in business|qualified|graduated)\b`)
	// "Our practice was born on ..." is a practice's birthday, not a person's.
	orgBornRe = regexp.MustCompile(`(?i)\b(?:practice|clinic|surgery|business|company|brand|idea|team|partnership)\s+(?:was\s+)?born\b`)
	// "whose extraction" and "Chloé D's root canal" tie the date to a
	// person as "her extraction" does; "Appt" or "Appointment:" right
	// before the date labels it.
	// "Thank you for coming in", "a pleasure treating you" and "we squeezed
	// her in" speak of one person's visit; "her 3:45pm appointment" may
	// carry a time among its words.
	apptCtxRe = regexp.MustCompile(`(?i)\b(?:seen|visited|treated|treating you|admitted|discharged|attended|came in|(?:thanks|thank you) for coming in|came to see us|booked in|operated on|(?:fit|fitted|squeeze|squeezed|slot|slotted|booked|got|get) (?:her|him|them|you|u) in|(?:fit|fitted|squeezed|slotted|booked|got) in for (?:her|him|them|you|u)|(?:her|his|their|my|whose|\S+['’]s)\s+(?:[a-z0-9:-]+\s+){0,2}?` + careNouns + `)\b|(?:^|[\n.!?]\s*)(?:appt|appointment)\.?:?\s*$` +
		// "– surgery was 19 Jan": care starting the clause or said to be
		// someone's; "Saturday surgery is 5 March" is the practice's opening.
		`|(?:^|[^\w\s]\s*|\b(?:his|her|their|my)\s+)` + careDoneNouns + `\s+(?:was|is)(?:\s+on)?\s*$` +
		// "Your crown seat is Dec 9": a booking stated, not "Book your check-up on 5 March".
		`|\b(?:your|ur|yr)\s+(?:[a-z0-9-]+\s+){0,2}?` + careNouns + `\s+(?:is|was|has been|['’]s)(?:\s+(?:booked|moved|confirmed|rescheduled|changed|set|now))?(?:\s+(?:for|to|on))?\s*$` +
		// "Our patient had knee surgery on ...": the care of someone named by a pronoun.
		`|\b(?:patient|he|she|they|i)\s+(?:had|underwent|has had)\s+(?:[a-z-]+\s+){0,2}?` + careNouns + `\s+on\s*$` +
		// "..., had surgery on 04/22": the same with the subject left to the clause before.
		`|(?:^|,\s*)(?:had|underwent)\s+(?:[a-z-]+\s+){0,2}?` + careNouns + `\s+on\s*$` +
		// "at your emergency visit on ...", "from your visit on ...": the
		// reader's care told as past or present, not offered ("Book your
		// check-up on ..."); "your knee replacement (10 Feb 2025)" dates it.
		`|\b(?:at|from|during|after|since)\s+(?:your|ur)\s+(?:[a-z0-9-]+\s+){0,2}?` + careNouns + `\s+on\s*$|\b(?:your|ur)\s+(?:[a-z0-9-]+\s+){0,2}?` + careNouns + `\s*\(\s*$` +
		// "X-ray taken 09.09.2026", "Check-up done ✅ (2026-05-19)": care
		// carried out on the date; "Surgery date: ..." labels it.
		`|\b` + careDoneNouns + `\s+(?:taken|done|performed|completed|carried out)(?:\s+on)?\W{0,6}$|\b` + careNouns + `\s+date\s*:?\s*$`)
	// After the date: "On 5 March he came in ...", "Scan booked for
	// 2026-01-19 for the gentleman with the sore knee", "... for her filling".
	apptAfterRe = regexp.MustCompile(`(?i)^,?\s+(?:he|she|they|i|[A-Z][a-z]+)\s+(?:came in|came to see us|was seen|was admitted|was discharged|was treated|had (?:his|her|their)\b|attended|visited us|booked in)` +
		`|^(?:,? at \S+(?: ?[ap]m)?)?,?\s+for (?:the|this|that|our|my|a) (?:[\w-]+ ){0,3}?(?:gentleman|gent|lady|patient|man|woman|boy|girl|chap|lad|lass|hero|heroine|superstar|star|champ|champion|warrior|legend|client|mum|dad|grandma|grandad|granny|nan|grandpa)\b` +
		`|^(?:,? at \S+(?: ?[ap]m)?)?,?\s+for (?:his|her|their) (?:[a-z-]+\s+){0,2}?` + careNouns + `\b`)
	// "See you 11/18 for your cleaning!": "your" care after the date is one
	// patient's only when the post speaks to them; "Come in on 5 March for
	// your free check-up" invites everyone.
	seeYouRe      = regexp.MustCompile(`(?i)\bsee (?:you|u|ya)\b`)
	forYourCareRe = regexp.MustCompile(`(?i)^(?:,? at \S+(?: ?[ap]m)?)?,?\s+for your (?:[a-z-]+\s+){0,2}?` + careNouns + `\b`)
	// "Sorry your appointment on 3 June ran late", "your appt on 10/06/26
	// is confirmed", "See you for your check-up on 10 May": the reader's
	// own booking. "Book your check-up on 5 March" invites everyone, and
	// says nothing of it after the date.
	yourCareOnRe = regexp.MustCompile(`(?i)\b(?:your|ur)\s+(?:[a-z0-9-]+\s+){0,2}?` + careNouns + `\s+(?:on|from|for)\s*$`)
	// A verb in the past ("your visit on 4 June put your mind at ease",
	// "helped") tells of a visit that happened.
	bookingStatedRe = regexp.MustCompile(`(?i)^,?\s+(?:was|were|ran|went|has|had|got|put|made|gave|left|felt|[a-z]{2,}ed|is (?:confirmed|booked|cancelled|canceled|moved|changed|rescheduled|now|still))\b`)
	// "cancel your 1 December clean": the date inside the reader's booking.
	yourBeforeRe = regexp.MustCompile(`(?i)\byour\s*$`)
	careAfterRe  = regexp.MustCompile(`(?i)^\s+(?:[a-z-]+\s+)?` + careNouns + `\b`)
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
	dashMonthAt = anchor(dashMonthRe, func(t string, i int) bool {
		n := digitRun(t, i)
		return (n == 1 || n == 2) && strings.IndexByte("-/. ", byteAt(t, i+n)) >= 0 && monthFoldAt(t, i+n+1)
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
	holidayAt = anchor(holidayRe, func(t string, i int) bool {
		for _, p := range holidayStarts {
			if hasFoldPrefixAt(t, i, p) {
				return true
			}
		}
		return false
	}, nil)
	spacedNumDateAt = anchor(spacedNumRe, func(t string, i int) bool {
		n := digitRun(t, i)
		return (n == 1 || n == 2) && spacedDateSep(t, i+n)
	}, nil)
)

// holidayStarts are how holidayRe's names begin.
var holidayStarts = []string{"christmas ", "boxing ", "new year", "valentine", "hallowe", "st patrick", "st. patrick", "burns ", "bonfire ", "guy ", "fourth ", "4th of", "independence "}

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

// monthFoldAt reports whether a month's first three letters, in any case,
// start at i.
func monthFoldAt(t string, i int) bool {
	if len(t)-i < 3 {
		return false
	}
	var b [3]byte
	for k := range b {
		b[k] = t[i+k] | 0x20
	}
	switch string(b[:]) {
	case "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec":
		return true
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
	short      bool // no year and no month name: "14/11", "Tues 3rd"
}

var (
	// Dates without a year or a month name are too common to read alone
	// ("rated 9/10", "our 3rd birthday"): they count only as a date of
	// care, after the words that tie a date to a patient's care.
	shortNumDateAt = anchor(regexp.MustCompile(`\b(\d{1,2})/(\d{1,2})\b`), func(t string, i int) bool {
		n := digitRun(t, i)
		return n <= 2 && byteAt(t, i+n) == '/' && (i == 0 || t[i-1] != '/')
	}, nil)
	// "Tues 3rd", "Weds 23rd", "Tuesday the 14th".
	weekdayDayAt = anchor(regexp.MustCompile(`\b(?:Mon|Tues?|Wed(?:nes)?|Weds|Thu(?:rs?)?|Fri|Sat(?:ur)?|Sun)(?:day)?\.?,? (?:the )?(\d{1,2})(?:st|nd|rd|th)\b`), weekdayAt, nil)
)

// careDoneNouns are the care that is "done" or "taken" on a date; a check,
// a review or a session is as often the building's or the team's ("fire
// safety check done 12/03").
const careDoneNouns = `(?:x-ray|scan|check-up|checkup|extraction|filling|procedure|surgery|operation|injection|implant|root canal|crown fit|crown seat|fitting|arthroscopy|consultation|treatment|impression|impressions|bonding|whitening|repair|reconstruction|blood test)`

// careNouns are the visits and treatments a date may belong to.
const careNouns = `(?:appointment|appt|surgery|operation|session|visit|consultation|procedure|treatment|implant|op|scan|x-ray|extraction|assessment|check-up|checkup|check|arthroscopy|root canal|filling|crown fit|crown seat|crown prep|fitting|cleaning|clean|hygiene visit|recall|injection|follow-up|review|replacement|referral|bonding|whitening|adjustment|reconstruction|repair|rehab|blood test|consult|top-up|top up|smear test|smear|filler|removal|plan)`

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
		y := optYear(text, m[6], m[7])
		if m[8] >= 0 {
			y = optYear(text, m[8], m[9]) // '58
		}
		ds = append(ds, dateSpan{start: m[0], end: m[1], year: y, hasDay: true})
	}
	for _, m := range mdyAt.findAll(text, w) {
		day, _ := strconv.Atoi(text[m[4]:m[5]])
		if day < 1 || day > 31 {
			continue
		}
		y := optYear(text, m[6], m[7])
		if m[8] >= 0 {
			y = optYear(text, m[8], m[9])
		}
		ds = append(ds, dateSpan{start: m[0], end: m[1], year: y, hasDay: true})
	}
	for _, m := range myAt.findAll(text, w) {
		ds = append(ds, dateSpan{start: m[0], end: m[1], year: optYear(text, m[4], m[5])})
	}
numeric:
	if g.welshMonth {
		ds = welshDates(ds, text, w)
	}
	if g.dashMonth {
		for _, m := range dashMonthAt.findAll(text, w) {
			day, _ := strconv.Atoi(text[m[2]:m[3]])
			sep, month := text[m[4]:m[5]], text[m[5]:m[6]]
			// The same separator twice; with spaces only the capitals
			// ("5 MAY 1962"): dmyRe reads "5 May 1962".
			if day < 1 || day > 31 || sep != text[m[6]:m[7]] || sep == " " && strings.ToUpper(month) != month {
				continue
			}
			ds = append(ds, dateSpan{start: m[0], end: m[1], year: optYear(text, m[8], m[9]), hasDay: true})
		}
	}
	if g.holiday {
		for _, m := range holidayAt.appendAll(nil, text, 0, len(text)) {
			ds = append(ds, dateSpan{start: m[0], end: m[1], year: optYear(text, m[2], m[3]), hasDay: true})
		}
	}
	for _, m := range append(numDateAt.findAll(text, w), spacedNumDateAt.findAll(text, w)...) {
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

	if g.numDate {
		for _, m := range shortNumDateAt.findAll(text, w) {
			if byteAt(text, m[1]) == '/' || m[0] > 0 && (text[m[0]-1] == '/' || isDigit(text[m[0]-1])) {
				continue // part of a longer date or a fraction chain
			}
			a, _ := strconv.Atoi(text[m[2]:m[3]])
			b, _ := strconv.Atoi(text[m[4]:m[5]])
			// "My treatment was 10/10": a score, unless a time follows.
			if (b == 10 || b == 5) && a <= b && timeAfterRe.FindStringIndex(text[m[1]:]) == nil {
				continue
			}
			if (a >= 1 && a <= 31 && b >= 1 && b <= 12) || (a >= 1 && a <= 12 && b >= 1 && b <= 31) {
				ds = append(ds, dateSpan{start: weekdayBefore(text, m[0]), end: m[1], hasDay: true, short: true})
			}
		}
	}
	ds = careDaySpans(ds, text, w, g)
	if g.ordinal {
		for _, m := range weekdayDayAt.findAll(text, w) {
			if day, _ := strconv.Atoi(text[m[2]:m[3]]); day >= 1 && day <= 31 && !monthFoldAt(text, m[1]+1) {
				ds = append(ds, dateSpan{start: m[0], end: m[1], hasDay: true, short: true})
			}
		}
	}

	names := cs // the names found so far: a date in their sentence is theirs
	reply := replyReader{text: text}
	for _, d := range ds {
		ctx := clauseBefore(text, contextEnd(text, d), 45)
		// A short date is read only as a date of care: it has no year for
		// the birth and old-date readings below.
		switch {
		case !d.short && (birthCtxRe.MatchString(ctx) && !orgBornRe.MatchString(ctx) || birthAfterRe.MatchString(text[d.end:]) && !babyEventRe.MatchString(text[d.end:]) || birthdayHeading(text, ctx, d)):
			cs = append(cs, cand{kind: KindBirthDate, start: d.start, end: birthYearAfter(text, d), prio: 3})
		case !d.hasDay:
			// "March 2024" is not personal without a birth keyword.
		case personalCareContext(text, ctx, clauseBefore(text, d.start, 100), d.end):
			cs = append(cs, appointmentCand(text, d))
		case d.year > 0 && d.year < oldDateYear && !birthCtxRe.MatchString(ctx) && !orgDateRe.MatchString(ctx):
			cs = append(cs, cand{kind: KindBirthDate, start: d.start, end: d.end, prio: 2, sev: Warn,
				msg: "This full date is decades old, which in a post is most often someone's date of birth. If it is the practice's history, say so in the sentence (\"founded\", \"since\")."})
		case nameInSentence(text, names, d.start, d.end), patientStoryDate(text, ctx, names, d.end), reply.visitDate(ctx, d.end):
			cs = append(cs, appointmentCand(text, d))
		}
	}
	return cs
}

// appointmentCand is a date of care, with the time after it if there is one.
func appointmentCand(text string, d dateSpan) cand {
	end := d.end
	if t := timeAfterRe.FindStringIndex(text[end:]); t != nil {
		end += t[1]
	}
	return cand{kind: KindAppointment, start: d.start, end: end, prio: 3}
}

// nameInSentence reports whether a patient's name, or a title and surname,
// stands in the same sentence as the date at [s, e): "Check-up done
// (2026-05-19), thanks Priyanka!", "physio for Mr Hale booked 3/11/2026".
// A day and month said of a named person are that person's dates, and so
// are those said beside one person's health number: "your H&C no. ... and
// your appointment on Fri 21st".
func nameInSentence(text string, cs []cand, s, e int) bool {
	for _, c := range cs {
		if !sentenceIdentifier[c.kind] {
			continue
		}
		var gap string
		switch {
		case c.end <= s:
			gap = text[c.end:s]
		case e <= c.start:
			gap = text[e:c.start]
		default:
			continue
		}
		if !sentenceBreak(gap) {
			return true
		}
	}
	return false
}

// sentenceBreak reports whether s ends a sentence: a line break, "!", "?"
// or a full stop before a space.
func sentenceBreak(s string) bool {
	return strings.ContainsAny(s, "!?\n") || strings.Contains(s, ". ")
}

// spacedDateSep reports whether " - ", " / " or " . " starts at i, then a digit.
func spacedDateSep(t string, i int) bool {
	return byteAt(t, i) == ' ' && strings.IndexByte("/.-", byteAt(t, i+1)) >= 0 && byteAt(t, i+2) == ' ' && isDigit(byteAt(t, i+3))
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
	after := text[dateEnd:min(len(text), dateEnd+60)]
	return apptAfterRe.MatchString(after) || seeYouRe.MatchString(before) && forYourCareRe.MatchString(after) ||
		yourCareOnRe.MatchString(before) && (seeYouRe.MatchString(wide) || bookingStatedRe.MatchString(after)) ||
		yourBeforeRe.MatchString(before) && careAfterRe.MatchString(after)
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
