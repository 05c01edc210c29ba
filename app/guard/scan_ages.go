package guard

import (
	"regexp"
	"slices"
	"strings"
)

// Ages over 89, and the ages of things that are not people.

// ---- ages ----

// ordinalWords are "first" to "tenth", for birthdays in words.
const ordinalWords = `(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)`

// ageWordNum is an age over 89 in words, "ninety" to "a hundred and ten".
const ageWordNum = `(?:ninety(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?|(?:a|one) hundred(?: and (?:one|two|three|four|five|six|seven|eight|nine|ten))?)`

var (
	ageRe = regexp.MustCompile(`(?i)\b(?:aged?|(?:at )?the (?:(?:grand|ripe|old|young|tender|great|fine|wonderful|amazing) ){0,2}age of|at|turns|turned|turning|will be|'ll be|reached|reaches)(?:\s*:)?\s+(9\d|1[01]\d)\b|\b(9\d|1[01]\d)[- ]years?[- ](?:old|young)\b|\b(9\d|1[01]\d)(?:st|nd|rd|th) (?:birthday|year)\b|, (9\d|1[01]\d)(?:[,!;)]|\.(?:\s|$)|$| today\b| this\b| and\b| last\b| on\b)|\b(9\d|1[01]\d) ?(?:yo\b|y/o\b|y\.o\.|y\.o\b|yrs?\b(?:[- ]old\b)?|-yrs?-old\b|years? of age\b)|\b(?:she|he|who)(?:'s|’s| is| was) (9\d|1[01]\d)\b(?: ?(?:yo\b|y/o\b|y\.o\.|y\.o\b|yrs?\b(?:[- ]old\b)?|[- ]years?[- ]old\b))?` +
		// "92 and still going strong", "Happy 90th!", "is 95 today", "in her 90s".
		`|\b(?:9\d|1[01]\d) and still\b|\bhappy (?:9\d|1[01]\d)(?:st|nd|rd|th)(?:[,!]|\.?\s*$)|\b((?-i:[A-Z])[a-z]+) is (?:9\d|1[01]\d)(?: today| tomorrow| this (?:week|weekend|month|year))\b|\b(?:in|into) (?:her|his|their) (?:9|10)0['’]?s\b` +
		// Welsh: "93 oed", "93 mlwydd oed" (93 years of age).
		`|\b(?:9\d|1[01]\d) (?:mlwydd )?oed\b`)
	// What makes "at 97" an age: "At 97 yrs old she ...".
	ageSuffixRe = regexp.MustCompile(`(?i)^ ?(?:yo\b|y/o\b|y\.o\.|y\.o\b|yrs? old\b|[- ]years?[- ](?:old|young)\b)`)
	// "Edith Marsh (93)": an age in brackets after a capitalised word.
	// "grandad (96!!)": the bracket may hold the writer's surprise too.
	ageBracketRe  = regexp.MustCompile(`\b([A-Za-z][a-z'’]*) (\((?:9\d|1[01]\d)!*\))`)
	notBracketAge = setOf("room", "figure", "fig", "page", "table", "step", "chapter", "section", "row", "seat", "stand", "bay", "question", "q", "note", "unit", "level",
		"floor", "tooth", "teeth", "box", "item", "slide", "exercise", "number", "no", "ref", "code", "line", "bus", "route", "gate", "platform", "score", "total", "out", "of",
		// A count after a platform or a tally: "4.9 ★ on Google (93)", "Reviews (112)".
		"google", "facebook", "instagram", "linkedin", "twitter", "x", "tiktok", "youtube", "mastodon", "bluesky", "yelp", "trustpilot", "tripadvisor", "nextdoor",
		"doctify", "iwantgreatcare", "healthgrades", "zocdoc", "reviews", "review", "ratings", "rating", "stars", "votes", "likes", "followers", "comments", "replies", "shares", "views")
	// Ages in words: "ninety-three-year-old", "aged ninety-one", "one
	// hundred and two and still flossing", "he's ninety-four", "in her nineties".
	ageWordsRe = regexp.MustCompile(`(?i)\b(?:aged |age |turn(?:s|ed|ing)? |reached )?` + ageWordNum + `(?:[- ]years?[- ](?:old|young)\b|(?:st|th)? birthday\b| and still\b)|\b(?:aged|age) (?:ninety(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?|(?:a|one) hundred)\b|\b(?:ninetieth|ninety[- ]` + ordinalWords + `|(?:one )?hundredth|(?:a|one) hundred and ` + ordinalWords + `) birthday\b` +
		`|\b(?:she|he|who)(?:'s|’s| is| was) ` + ageWordNum + `\b|\b(?:in|into) (?:her|his|their) nineties\b` +
		// "Grandad turned ninety last week", as ageRe reads "turned 90".
		`|\b(?:turn(?:s|ed|ing)?|reached|reaches|will be|'ll be) ` + ageWordNum + `\b`)
	// "before his 90th", "her 101st!": a birthday by its number. "her 95th
	// parkrun" goes on into what is counted.
	possessiveAgeRe    = regexp.MustCompile(`\b(?:[Hh]er|[Hh]is|[Tt]heir|[Mm]y|[Yy]our) (9\d|1[01]\d)(?:st|nd|rd|th)\b`)
	possessiveAgeEndRe = regexp.MustCompile(`(?i)^(?:\s*(?:[–—,.!?;:)]|-\s)|\s*$| (?:birthday|bday|b-day)\b)`)
	// "– 95 today!": counts only right after a name ("Quay House – 95 today" is the building's).
	dashAgeTodayRe = regexp.MustCompile(`\s?[–—-] (9\d|1[01]\d) today\b`)
	ageWordRe      = regexp.MustCompile(`(?i)\b(?:super)?centenarians?\b|\bnonagenarians?\b`)
	// What may follow a number that is not an age: "aged 90+" is already
	// the grouped form HIPAA allows; "at 90 minutes" is a duration.
	// "Our 95-year-old building": the age of a thing, not a person.
	thingAgedRe   = regexp.MustCompile(`(?i)^[- ](?:building|house|home|premises|practice|clinic|surgery|church|chapel|hall|school|cottage|barn|mill|bridge|tree|oak|company|business|firm|shop|pub|piano|clock|car|boat|tradition|recipe|photo|photograph|painting)s?\b`)
	notAgeAfterRe = regexp.MustCompile(`(?i)^(?:\+|%| ?(?:percent|per cent|and over|or over|plus|or older|and older|minutes?|mins?|hours?|seconds?|days?|miles?|km|kg|degrees?|°|patients|people|members|of|ago|experience|service|in business|combined)\b)`)
)

func scanAges(cs []cand, text string, w windows, g gates) []cand {
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
			x := ageSuffixRe.FindStringIndex(text[e:])
			// "at 92," is an age, and so is "Physio at 92?"; "at 95
			// Kingsway" is not.
			if x == nil && !atAgeAsked(text, e) && !atAgeSubjectAfterRe.MatchString(text[e:]) {
				continue
			}
			if x != nil {
				e += x[1]
			}
		case m[14] >= 0 && notAgeSubject[strings.ToLower(text[m[14]:m[15]])]:
			continue // "It is 95 today": the weather
		case plusAge(text, s, e):
			// "aged 95+": only "90+" is HIPAA's grouping.
		case !strings.HasSuffix(strings.ToLower(text[s:e]), "birthday") && notAgeAfterRe.MatchString(text[e:]), stillCounting(text, e), stillTally(text, s, e), thingAgedRe.MatchString(text[e:]):
			continue
		}
		if m[12] < 0 && m[14] < 0 && thingAged(text, cs, s) {
			continue
		}
		cs = append(cs, cand{kind: KindAgeOver89, start: s, end: e, prio: 3})
	}
	for _, m := range w.findAll(ageBracketRe, text) {
		if !notBracketAge[strings.ToLower(text[m[2]:m[3]])] {
			cs = append(cs, cand{kind: KindAgeOver89, start: m[4], end: m[5], prio: 3})
		}
	}
	for _, m := range w.findAll(possessiveAgeRe, text) {
		if possessiveAgeEndRe.MatchString(text[m[1]:]) {
			cs = append(cs, cand{kind: KindAgeOver89, start: m[2], end: m[1], prio: 3})
		}
	}
	if g.ageWords {
		for _, m := range ageWordsRe.FindAllStringIndex(text, -1) {
			if stillCounting(text, m[1]) || notAgeAfterRe.MatchString(text[m[1]:]) {
				continue
			}
			cs = append(cs, cand{kind: KindAgeOver89, start: m[0], end: m[1], prio: 3})
		}
	}
	for _, m := range w.findAll(dashAgeTodayRe, text) {
		// "Mrs Brennan – 95 today!": the age right after a name.
		if slices.ContainsFunc(cs, func(c cand) bool {
			return (c.kind == KindPatientName || c.kind == KindPossibleName) && c.end <= m[0] && m[0]-c.end <= 1
		}) {
			cs = append(cs, cand{kind: KindAgeOver89, start: m[2], end: m[1], prio: 3})
		}
	}
	if strings.Contains(text, "enarian") || strings.Contains(text, "ENARIAN") {
		for _, m := range ageWordRe.FindAllStringIndex(text, -1) {
			cs = append(cs, cand{kind: KindAgeOver89, start: m[0], end: m[1], prio: 3})
		}
	}
	return cs
}

// notAgeSubject are capitalised words before "is 95 today" that are not a
// person: the weather, the date, a count.
var notAgeSubject = setOf("it", "this", "that", "there", "here", "today", "tomorrow", "temperature", "weather", "forecast", "humidity", "heat", "high", "what", "which", "number", "score", "total", "count", "price", "cost")

// stillTally: "Day 95 and still no rain", "Week 92 and still going": a
// numbered day or step, not an age. The words are those of a bracketed
// count ("Room (95)") and the units of a running tally.
func stillTally(text string, s, e int) bool {
	if !strings.HasSuffix(strings.ToLower(text[:e]), "and still") {
		return false
	}
	w, ok := wordBefore(text, s)
	if !ok || w == "" {
		return false
	}
	w = strings.ToLower(strings.Trim(w, "#:."))
	return notBracketAge[w] || w == "day" || w == "week" || w == "month" || w == "year" || w == "mile" || w == "lap" || w == "rep" || w == "reps"
}

// stillCounting: "100 and still counting" is a tally of reviews or smiles,
// not a person who is a hundred and still going.
func stillCounting(text string, e int) bool {
	return strings.HasSuffix(strings.ToLower(text[:e]), "and still") && strings.HasPrefix(strings.ToLower(text[e:]), " counting")
}

func isLetterByte(c byte) bool { return 'a' <= c|0x20 && c|0x20 <= 'z' || c >= 0x80 }

// atAgeAsked reports whether "at 92" ends in a question or an exclamation:
// "Physio at 92?", "Still dancing at 94!". An address or a time runs on
// into a street name or "pm".
func atAgeAsked(text string, e int) bool {
	c := byteAt(text, e)
	return c == '?' || c == '!'
}

// "at 92 she's an inspiration", "at 94 he still swims": a person described
// right after "at 92" makes it an age, as "at 92 Kingsway" and "stops at
// 95 she said" are not.
var atAgeSubjectAfterRe = regexp.MustCompile(`^,? (?:she|he)(?:['’]s| is| was| still)\b`)

// plusAge reports whether an age written "aged 95+" gives more than HIPAA's
// "90 or older": "aged 90+" is that grouping, "aged 95+" is narrower.
func plusAge(text string, s, e int) bool {
	return byteAt(text, e) == '+' && text[e-2:e] != "90" && hasFoldPrefixAt(text, s, "age")
}

var (
	// The things a post tells the age of: its building, its furniture,
	// its kit. "Our building on Mill Lane is 112 years old".
	thingNounRe = regexp.MustCompile(`(?i)\b(?:building|house|premises|practice|clinic|surgery|church|chapel|hall|school|cottage|barn|mill|bridge|tree|oak|company|business|firm|shop|pub|piano|clock|car|boat|chair|kit|equipment|machine|furniture|organ|bell|tower|station|theatre|library|museum|statue|cabinet|sign|fountain|tradition|recipe|painting)s?\b`)
	// Who a post tells the age of: a pronoun, a relative, a patient.
	personWordRe = regexp.MustCompile(`(?i)\b(?:she|he|her|his|him|who|patients?|residents?|lady|gentleman|man|woman|mrs|mr|ms|miss|mum|mom|dad|mother|father|grand\w*|gran|granny|nan|nana|nanna|grandpa|aunt(?:ie)?|uncle|wife|husband|friend|neighbour|neighbor)\b`)
)

// thingAged reports whether the age at s is told of a thing: a thing noun
// stands in the paragraph before it and nothing there is a person, neither
// a word for one nor a name found in it. "The old chapel turned 94 this
// year"; "Our oldest patient turned 94" and "Mrs Hale, who still visits
// the clinic, turned 94" stay ages.
func thingAged(text string, cs []cand, s int) bool {
	lo := max(0, s-120)
	if k := strings.LastIndex(text[lo:s], "\n\n"); k >= 0 {
		lo += k + 2
	}
	before := text[lo:s]
	if !thingNounRe.MatchString(before) || personWordRe.MatchString(before) {
		return false
	}
	for _, c := range cs {
		if (c.kind == KindPatientName || c.kind == KindPossibleName) && c.start >= lo && c.start < s {
			return false
		}
	}
	return true
}
