package guard

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"practicepost/app"
)

// formHit is one place a post names a patient it relies on, and how fully.
type formHit struct {
	form       app.IdentityElement // IdentityFullName, IdentityFirstName or IdentityInitials
	what       string              // "full name", "title and surname", ... for the message
	image      int                 // 0: in the post text; otherwise the 1-based image
	imageWhat  string              // "quote card": how the screen names the image
	start, end int                 // byte span in the text searched
	text       string              // the words as the post shows them
}

// formTitles may stand before a surname. Unlike the patient-list scan,
// "Dr" counts here: the post relies on this patient, who may be a doctor,
// and a clinician sharing the surname is ruled out separately.
var formTitles = map[string]bool{"mr": true, "mrs": true, "ms": true, "miss": true, "mx": true, "dr": true}

// patientForms is one patient's name taken apart for findForms.
type patientForms struct {
	words    []string // folded words of the full name
	given    []string // folded words of the first name ("Mary-Jane" is two)
	family   []string // folded words of the surname ("Ångström-Smith" is two)
	joined   []string // the name run together, as in a hashtag or handle
	initials []string // upper-case ASCII: "MO", and "MAO" with a middle name
}

func newPatientForms(name string) (patientForms, bool) {
	raw := strings.Fields(name)
	if len(raw) < 2 {
		return patientForms{}, false // a single stored word is not a first name and surname
	}
	fold := func(s string) []string { return strings.Fields(string(foldInto(nil, s, nil, nil))) }
	pf := patientForms{words: fold(name), given: fold(raw[0]), family: fold(raw[len(raw)-1])}
	if len(pf.given) == 0 || len(pf.family) == 0 {
		return patientForms{}, false
	}
	pf.joined = []string{strings.Join(pf.words, ""), strings.Join(pf.given, "") + strings.Join(pf.family, "")}
	first := func(s string) byte {
		f := fold(s)
		if len(f) == 0 || f[0][0] < 'a' || f[0][0] > 'z' {
			return 0
		}
		return f[0][0] - 'a' + 'A'
	}
	two := []byte{first(raw[0]), first(raw[len(raw)-1])}
	if two[0] != 0 && two[1] != 0 {
		pf.initials = append(pf.initials, string(two))
	}
	if len(raw) > 2 {
		var all []byte
		for _, w := range raw {
			if b := first(w); b != 0 {
				all = append(all, b)
			}
		}
		if len(all) == len(raw) && len(all) <= 4 {
			pf.initials = append(pf.initials, string(all))
		}
	}
	return pf, true
}

// staffNames are the folded first names and surnames of the practice's
// clinicians and staff: a bare "Priya" or "Dr Nair" in a post is read as
// the clinician, not as a patient who shares the name.
type staffNames struct {
	full, first, family map[string]bool
}

func newStaffNames(p Practice) staffNames {
	s := staffNames{full: map[string]bool{}, first: map[string]bool{}, family: map[string]bool{}}
	names := slices.Clone(p.Allow.StaffNames)
	for _, c := range p.Clinicians {
		names = append(names, c.Name)
	}
	for _, n := range names {
		raw := slices.DeleteFunc(strings.Fields(n), func(w string) bool {
			return staffTitles[strings.TrimSpace(string(foldInto(nil, w, nil, nil)))]
		})
		if len(raw) == 0 {
			continue
		}
		s.full[strings.Join(strings.Fields(string(foldInto(nil, strings.Join(raw, " "), nil, nil))), " ")] = true
		s.first[strings.Join(strings.Fields(string(foldInto(nil, raw[0], nil, nil))), " ")] = true
		if len(raw) > 1 {
			s.family[strings.Join(strings.Fields(string(foldInto(nil, raw[len(raw)-1], nil, nil))), " ")] = true
		}
	}
	return s
}

// token is one folded word and where it came from in the original text.
type token struct {
	w          string
	start, end int // original byte span
}

func tokenize(text string) []token {
	f := getFolded(text)
	defer putFolded(f)
	var out []token
	b := string(f.b) // one copy; every token's word is a slice of it
	for i := 0; i < len(b); {
		for i < len(b) && b[i] == ' ' {
			i++
		}
		j := i
		for j < len(b) && b[j] != ' ' {
			j++
		}
		if j > i {
			out = append(out, token{w: b[i:j], start: int(f.start[i]), end: int(f.end[j-1])})
		}
		i = j
	}
	return out
}

// findForms finds every form of one patient's name in text (already
// tokenized as toks): the full name as stored, first name + surname, the
// words run together (#MargaretOkafor), "Surname, First", a title and
// surname, the surname alone, the first name alone, and initials. Where forms
// overlap the fullest wins. Guards against ordinary words and other people:
//
//   - A first name or surname that is also an everyday word (Grace, Will,
//     Rose, Baker, Hill) counts alone only when it is capitalised and does
//     not open a sentence, or when it follows a dash as an attribution
//     ("— Grace").
//   - A first name shared with a clinician or member of staff does not count
//     alone ("Priya will see you"), except as an attribution; a surname shared
//     with one does not count alone or after a title ("Dr Nair").
//   - A first name followed by another capitalised surname, or a surname
//     preceded by another capitalised first name, is someone else ("Margaret
//     Thatcher"); a single letter beside it is an initial, so "M Okafor" and
//     "Margaret O." still count.
//   - A patient whose whole name is a clinician's is read as the clinician,
//     as the patient-list scan does.
//   - A surname followed by a street or building word is a place ("Carter
//     Street", "Park Road").
//
// Initials are matched in findInitials.
func findForms(text string, toks []token, pf patientForms, staff staffNames) []formHit {
	var out []formHit
	at := func(i int, ws []string) bool {
		if i+len(ws) > len(toks) {
			return false
		}
		for k, w := range ws {
			if toks[i+k].w != w {
				return false
			}
		}
		return true
	}
	hit := func(form app.IdentityElement, what string, i, n int) {
		s, e := toks[i].start, toks[i+n-1].end
		out = append(out, formHit{form: form, what: what, start: s, end: e, text: text[s:e]})
	}
	givenKey, familyKey := strings.Join(pf.given, " "), strings.Join(pf.family, " ")
	sameAsStaff := staff.full[strings.Join(pf.words, " ")]
	for i := 0; i < len(toks); {
		switch {
		case at(i, pf.words):
			if !sameAsStaff { // a patient who shares a clinician's name: the clinician's reading wins, as in the patient-list scan
				hit(app.IdentityFullName, "full name", i, len(pf.words))
			}
			i += len(pf.words)
		case len(pf.words) > len(pf.given)+len(pf.family) && at(i, pf.given) && at(i+len(pf.given), pf.family):
			n := len(pf.given) + len(pf.family)
			hit(app.IdentityFullName, "full name", i, n)
			i += n
		case at(i, pf.family) && at(i+len(pf.family), pf.given) && strings.Contains(text[toks[i].start:toks[i+len(pf.family)].start], ","):
			n := len(pf.given) + len(pf.family)
			hit(app.IdentityFullName, "full name", i, n)
			i += n
		case slices.Contains(pf.joined, toks[i].w):
			hit(app.IdentityFullName, "full name", i, 1)
			i++
		case formTitles[toks[i].w] && at(i+1, pf.family):
			n := 1 + len(pf.family)
			if !staff.family[familyKey] {
				hit(app.IdentityFullName, "title and surname", i, n)
			}
			i += n
		case at(i, pf.family):
			n := len(pf.family)
			if !staff.family[familyKey] && wordCounts(text, toks, i, n, familyKey) && !otherFirstNameBefore(text, toks, i) &&
				(i+n >= len(toks) || !placeWords[toks[i+n].w]) {
				hit(app.IdentityFullName, "surname", i, n)
			}
			i += n
		case at(i, pf.given):
			n := len(pf.given)
			attrib := attributionBefore(text, toks[i].start)
			if (attrib || !staff.first[givenKey]) && wordCounts(text, toks, i, n, givenKey) && (attrib || !otherSurnameAfter(text, toks, i+n)) {
				hit(app.IdentityFirstName, "first name", i, n)
			}
			i += n
		default:
			i++
		}
	}
	return out
}

// wordCounts applies the everyday-word guard to toks[i:i+n].
func wordCounts(text string, toks []token, i, n int, key string) bool {
	if !everydayNames[key] {
		return true
	}
	if attributionBefore(text, toks[i].start) {
		return true
	}
	r, _ := utf8.DecodeRuneInString(text[toks[i].start:])
	return unicode.IsUpper(r) && !sentenceStart(text, toks[i].start)
}

// otherSurnameAfter: "Margaret Thatcher" when the patient is Margaret Okafor.
func otherSurnameAfter(text string, toks []token, j int) bool {
	if j >= len(toks) || !adjacent(text, toks[j-1], toks[j]) {
		return false
	}
	if len(toks[j].w) < 2 {
		return false // "Margaret O." is her first name and an initial, not someone else
	}
	r, _ := utf8.DecodeRuneInString(text[toks[j].start:])
	return unicode.IsUpper(r) && !formTitles[toks[j].w] && !everydayNames[toks[j].w] && !sentenceWords[toks[j].w]
}

// otherFirstNameBefore: "Tom Okafor" when the patient is Margaret Okafor.
func otherFirstNameBefore(text string, toks []token, i int) bool {
	if i == 0 || !adjacent(text, toks[i-1], toks[i]) || len(toks[i-1].w) < 2 {
		return false // "M Okafor" is an initial and her surname
	}
	r, _ := utf8.DecodeRuneInString(text[toks[i-1].start:])
	return unicode.IsUpper(r) && !formTitles[toks[i-1].w] && !sentenceWords[toks[i-1].w]
}

// adjacent reports whether only spaces stand between a and b.
func adjacent(text string, a, b token) bool {
	return strings.TrimLeft(text[a.end:b.start], " \t") == ""
}

// sentenceStart reports whether the word at i opens a sentence, a line or
// the text, where any word is capitalised.
func sentenceStart(text string, i int) bool {
	j := i
	for j > 0 {
		r, w := utf8.DecodeLastRuneInString(text[:j])
		switch {
		case r == ' ' || r == '\t' || strings.ContainsRune("\"'“‘(«#@", r):
			j -= w
			continue
		case r == '\n' || r == '.' || r == '!' || r == '?' || r == ':':
			return true
		}
		return false
	}
	return true
}

// attributionBefore reports whether the word at i follows a dash or tilde
// that starts a line or follows a quote: "— Grace", "~ MO".
func attributionBefore(text string, i int) bool {
	j := i
	for j > 0 && (text[j-1] == ' ' || text[j-1] == '\t') {
		j--
	}
	r, w := utf8.DecodeLastRuneInString(text[:j])
	if !strings.ContainsRune(attributionDashes, r) {
		return false
	}
	j -= w
	for j > 0 {
		r, w := utf8.DecodeLastRuneInString(text[:j])
		if r == ' ' || r == '\t' || strings.ContainsRune(attributionDashes, r) {
			j -= w
			continue
		}
		return r == '\n' || strings.ContainsRune("\"”’'.!)", r)
	}
	return true
}

const attributionDashes = "—–―-~"

// initialsRe finds initials as a post writes them: "M.O.", "M. O.", "M.O",
// "M.A.O." (dotted), or two or three capitals standing alone ("MO").
var initialsRe = regexp.MustCompile(`[A-Z](?:\. ?[A-Z]){1,3}\.?|[A-Z]{2,3}`)

// findInitials finds the patient's initials in text. Dotted initials count
// wherever they stand as a word of their own, except the usual dotted
// abbreviations (U.K., A.M.). Bare capitals ("MO") count only
// when they are a token of their own and pass every guard: not an everyday
// abbreviation or short word (UK, GP, AM, NO, …), not inside a line of
// capitals (a shouted heading), not a US state after a comma ("St Louis, MO"),
// not next to a number (a code or address), and not part of a hashtag,
// handle or address. Lower-case initials ("m.o.")
// and initials of accented letters are not looked for.
func findInitials(text string, pf patientForms) []formHit {
	if len(pf.initials) == 0 {
		return nil
	}
	var out []formHit
	for _, m := range initialsRe.FindAllStringIndex(text, -1) {
		s, e := m[0], m[1]
		if s > 0 && (isAlnum(text[s-1]) || strings.IndexByte(".#@/&'’_", text[s-1]) >= 0 || text[s-1] >= utf8.RuneSelf && !isSpaceOrPunct(text, s)) {
			continue
		}
		if e < len(text) && (isAlnum(text[e]) || text[e] == '_' || text[e] >= utf8.RuneSelf && letterAt(text, e)) {
			continue
		}
		span := text[s:e]
		letters := strings.Map(func(r rune) rune {
			if 'A' <= r && r <= 'Z' {
				return r
			}
			return -1
		}, span)
		if !slices.Contains(pf.initials, letters) {
			continue
		}
		// "— MO" under a quote signs it, whatever else MO could mean.
		attrib, dotted := attributionBefore(text, s), strings.ContainsRune(span, '.')
		if !attrib && dotted && dottedAbbrev[letters] {
			continue // "U.K.", "9 A.M."
		}
		if !attrib && !dotted && (commonAbbrev[letters] || shoutedAround(text, s, e) || stateAfterComma(text, s, letters) || besideNumber(text, s, e)) {
			continue
		}
		out = append(out, formHit{form: app.IdentityInitials, what: "initials", start: s, end: e, text: span})
	}
	return out
}

func isSpaceOrPunct(text string, i int) bool {
	r, _ := utf8.DecodeLastRuneInString(text[:i])
	return !unicode.IsLetter(r) && !unicode.IsDigit(r)
}

func letterAt(text string, i int) bool {
	r, _ := utf8.DecodeRuneInString(text[i:])
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// shoutedAround reports whether the word before or after text[s:e] on the
// same line is also in capitals ("BOOK NOW MO"): a heading, not initials.
func shoutedAround(text string, s, e int) bool {
	capsWord := func(w string) bool {
		w = strings.Trim(w, ".,!?:;\"'“”‘’()")
		letters := 0
		for _, r := range w {
			if unicode.IsLower(r) {
				return false
			}
			if unicode.IsUpper(r) {
				letters++
			}
		}
		return letters >= 2
	}
	line := func(t string) string {
		if i := strings.IndexByte(t, '\n'); i >= 0 {
			return t[:i]
		}
		return t
	}
	before := text[:s]
	if i := strings.LastIndexByte(before, '\n'); i >= 0 {
		before = before[i+1:]
	}
	if ws := strings.Fields(before); len(ws) > 0 && capsWord(ws[len(ws)-1]) {
		return true
	}
	if ws := strings.Fields(line(text[e:])); len(ws) > 0 && capsWord(ws[0]) {
		return true
	}
	return false
}

// besideNumber: capitals next to a number are part of a code, a postcode
// or an address ("AB 12 34 56 C", "Chicago IL 60614", "Flat 2 MO").
func besideNumber(text string, s, e int) bool {
	before := strings.TrimRight(text[:s], " ")
	after := strings.TrimLeft(text[e:], " ")
	return before != "" && isDigit(before[len(before)-1]) || after != "" && isDigit(after[0])
}

// stateAfterComma: "St Louis, MO" names Missouri.
func stateAfterComma(text string, s int, letters string) bool {
	if !usStates[letters] {
		return false
	}
	before := strings.TrimRight(text[:s], " ")
	return strings.HasSuffix(before, ",")
}

// InitialsAttribution finds an initials-style attribution on a quote card:
// a dash or tilde, at the start of a line or after the quote, followed by
// initials (or a title and an initial) and then the end of the line,
// optionally with ", place" or "(detail)" after them: "— M.O.", "- J. S.",
// "~ AB", "— Mrs O.". The gate flags one on a card declared "not a
// patient", since initials are how a patient's testimonial is signed. span
// is the initials as written ("M.O.").
func InitialsAttribution(text string) (span string, ok bool) {
	for _, m := range attributionRe.FindAllStringSubmatchIndex(text, -1) {
		ini := text[m[2]:m[3]]
		if !attributionBefore(text, m[2]) {
			continue
		}
		if !strings.ContainsAny(ini, ". \t") && commonAbbrev[ini] {
			continue // "— NHS", "- UK"
		}
		return strings.TrimSpace(ini), true
	}
	return "", false
}

var attributionRe = regexp.MustCompile(`(?m)[—–―~-]+[ \t]*((?:(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.?[ \t]+)?[A-Z](?:\.[ \t]?[A-Z]){1,3}\.?|(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.?[ \t]+[A-Z]\.?|[A-Z]{2,3})[ \t]*(?:[,(][^\n]*)?$`)

// commonAbbrev are capitals that, standing bare, are far more often an
// abbreviation or a shouted short word than someone's initials. They still
// count as initials when dotted (a patient "A.M."), unless also in
// dottedAbbrev, and always when written as an attribution ("— AM").
var commonAbbrev = setOf(
	// abbreviations a practice's posts use
	"AM", "PM", "UK", "US", "USA", "EU", "NB", "PS", "OK", "TV", "GP", "NHS", "MD", "DO", "DDS", "DMD", "RN", "NP", "PA", "PT", "OT",
	"IT", "HR", "PR", "CV", "ID", "AI", "FAQ", "DIY", "ER", "OR", "ICU", "BMI", "BP", "UV", "LED", "ML", "MG", "KG", "CM", "MM", "XL",
	"VIP", "BBC", "ITV", "FB", "IG", "DM", "QA", "QR", "AD", "BC", "DC", "LA", "NY", "NYC", "RIP", "CEO", "MBE", "OBE", "BDS", "BSC",
	"MSC", "PHD", "GDC", "GMC", "CQC", "GOC", "NMC", "FDA", "CDC", "TMJ", "TMD", "IVF", "ENT", "MRI", "CT", "ECG", "EKG", "IV", "NI",
	"CHI", "DR", "MR", "MRS", "MS", "MX", "ST", "RD", "AVE", "NW", "NE", "SW", "SE", "UTC", "GMT", "BST", "EST", "PST", "CST", "HQ",
	"PDF", "URL", "WWW", "SMS", "APP", "FYI", "BTW", "TBH", "OMG", "LOL", "TLC", "NB", "AKA", "ETA", "RSVP", "VAT", "TAX", "ADHD", "CBT",
	// short English words written in capitals
	"IN", "ON", "AT", "TO", "BE", "WE", "ME", "MY", "SO", "NO", "GO", "UP", "OF", "IS", "AN", "AS", "BY", "HE", "IF", "OH",
	"HI", "HA", "YES", "THE", "AND", "BUT", "FOR", "NOT", "YOU", "ALL", "ANY", "CAN", "HAD", "HER", "WAS", "ONE", "OUR", "OUT", "DAY",
	"GET", "HAS", "HIM", "HIS", "HOW", "NEW", "NOW", "OLD", "SEE", "TWO", "WAY", "WHO", "DID", "ITS", "LET", "PUT", "SAY", "SHE",
	"TOO", "USE", "WOW", "FUN", "BIG", "TOP", "HOT", "OFF", "FREE", "WIN", "JOY", "AWE", "YAY", "BYE", "ASK", "WHY", "TRY", "BOOK",
)

// dottedAbbrev are abbreviations commonly written with dots.
var dottedAbbrev = setOf("UK", "US", "USA", "AM", "PM", "NB", "PS", "EU", "DC", "BC", "AD", "RIP", "MD", "DO", "RN", "IE", "EG", "OK", "TV", "PA")

var usStates = setOf("AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS", "KY", "LA", "ME", "MD",
	"MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN",
	"TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY", "DC")

// everydayNames are first names and surnames that are also ordinary
// English words; alone they count only as a capitalised word mid-sentence
// or as an attribution (folded, lower case).
var everydayNames = setOf(
	"grace", "hope", "joy", "faith", "may", "june", "april", "august", "rose", "will", "mark", "bill", "sue", "pat", "dawn", "summer",
	"amber", "ruby", "holly", "ivy", "lily", "daisy", "jack", "frank", "art", "rich", "sunny", "chase", "hunter", "guy", "ray", "victor",
	"angel", "destiny", "crystal", "pearl", "sky", "robin", "jay", "rob", "sandy", "violet", "iris", "heather", "jasmine", "olive",
	"hazel", "ginger", "honey", "dean", "drew", "gene", "miles", "nick", "don", "max", "reed", "wade", "carol", "brook", "bob", "eve",
	"harmony", "melody", "patience", "prudence", "constance", "felicity", "charity", "mercy", "precious", "serenity", "trinity",
	"autumn", "winter", "river", "rain", "star", "storm", "ben", "dale", "glen", "gay", "sterling", "penny", "bud", "cliff", "ernest",
	"earnest", "lance", "grant", "rusty", "skip", "sonny", "spike", "stone", "tim", "wren", "jade", "gem", "coral", "fern", "poppy",
	"bonnie", "candy", "cherry", "misty", "dusty", "happy", "bliss", "blossom", "clement", "august", "major", "noble", "royal", "young",
	// surnames
	"smith", "brown", "white", "green", "black", "gray", "grey", "king", "hill", "wood", "hall", "baker", "cook", "moore", "taylor",
	"wright", "walker", "turner", "carter", "hunt", "long", "short", "little", "strong", "bird", "fox", "wolf", "lamb", "bell", "bush",
	"field", "ford", "lane", "marsh", "mills", "park", "rivers", "waters", "banks", "price", "cross", "church", "day", "fisher",
	"gardener", "mason", "miller", "porter", "potter", "sharp", "swift", "sweet", "wise", "good", "best", "hardy", "bright", "bond",
	"page", "parsons", "steel", "brook", "moss", "burns", "pope", "rice", "lord", "knight", "dean", "cole", "frost", "snow", "hope",
	"love", "free", "world", "sun", "moon", "north", "south", "east", "west", "english", "french", "welsh", "scott", "kind", "care",
)

// placeWords after a surname make it a street or place: "Carter Street",
// "Park Road".
var placeWords = setOf("street", "st", "road", "rd", "avenue", "ave", "lane", "ln", "close", "way", "drive", "dr", "square", "sq",
	"place", "pl", "crescent", "court", "ct", "gardens", "terrace", "hill", "row", "mews", "grove", "boulevard", "blvd", "park",
	"green", "parade", "walk", "house", "centre", "center", "clinic", "surgery", "practice", "hospital", "school", "station", "college",
	"university", "memorial", "estate", "building", "hall")

// sentenceWords are capitalised words that start clauses or are days,
// months and the like, so they do not make a neighbouring name someone
// else's ("Thank you Margaret Monday" is not a surname).
var sentenceWords = setOf("i", "and", "the", "thank", "thanks", "you", "from", "with", "for", "our", "we", "she", "he", "they", "her", "his",
	"welcome", "congratulations", "congrats", "meet", "dear", "hi", "hello", "happy", "well", "go", "team", "love", "to", "by", "a", "an",
	"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march", "april", "may", "june",
	"july", "august", "september", "october", "november", "december", "dr", "mr", "mrs", "ms", "miss", "mx")

func setOf(ws ...string) map[string]bool {
	m := make(map[string]bool, len(ws))
	for _, w := range ws {
		m[w] = true
	}
	return m
}
