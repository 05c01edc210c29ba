package guard

import (
	"regexp"
	"strings"
)

// Postcodes, street addresses, ZIP codes and ages over 89.

// ---- postcodes, addresses, ZIP codes ----

var (
	postcodeLowerRe = regexp.MustCompile(`\b(?:[a-pr-uwyz](?:\d[a-hjkpstuw\d]?|[a-hk-y]\d[abehmnprvwxy\d]?) \d[abd-hjlnp-uw-z]{2})\b`)
	postcodeRe      = regexp.MustCompile(`\b(?:GIR ?0AA|[A-PR-UWYZ](?:\d[A-HJKPSTUW\d]?|[A-HK-Y]\d[ABEHMNPRVWXY\d]?) ?\d[ABD-HJLNP-UW-Z]{2})\b`)
	zipDigitsRe     = regexp.MustCompile(`\b\d{5}(?:-\d{4})?\b`)
	addressRe       = regexp.MustCompile(`\b\d{1,5}[A-Za-z]?,? (?:(?:[NSEW]\.?|North|South|East|West) )?(?:(?:St\.|[A-Z][a-zA-Z'’-]*|\d{1,3}(?:st|nd|rd|th)) ){1,3}(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Place|Pl|Way|Terrace|Terr|Close|Crescent|Grove|Gardens|Mews|Parkway|Pkwy|Highway|Hwy|Circle|Cir|Square|Sq|Hill|Parade|Trail|Row|Walk|View|Green|Cl|Rise|Vale|Cres|Gdns|Pde|Gr|Yard|Wharf|Quay|Croft|Chase|Meadows|Wynd|Approach|Circus|Esplanade|Promenade|Villas|Cottages|Fold|Heights|Mount|Brow|Clo|Paddocks|Paddock|Orchard|Spinney|Mead)\b\.?`)
	// Written in lower case the same shape is everywhere ("2 minutes down
	// the road"), so it counts only right after a place word: "lives at
	// 14 oak street", "send it to 3 park avenue".
	addressLowerRe = regexp.MustCompile(`(?i)\b(\d{1,5}[a-z]? (?:(?:n|s|e|w|north|south|east|west)\.? )?(?:[a-z][a-z'’-]* ){1,3}(?:street|st|road|rd|lane|ln|avenue|ave|drive|dr|close|cl|crescent|cres|grove|gardens|gdns|terrace|way|place|court|mews|row|walk|green|view|rise|boulevard|blvd|parkway|yard|wharf|croft|chase|meadows|heights|paddocks|paddock|orchard|spinney)\b\.?)`)
	// ZIP codes after a place word: "our patients in 90210".
	zipPlaceRe = regexp.MustCompile(`\b\d{5}(?:-\d{4})?\b`)
	zipStateRe = regexp.MustCompile(`\b(?:A[LKZR]|C[AOT]|D[CE]|FL|GA|HI|I[ADLN]|K[SY]|LA|M[ADEINOST]|N[CDEHJMVY]|O[HKR]|P[AR]|RI|S[CD]|T[NX]|UT|V[AIT]|W[AIVY]),? (\d{5}(?:-\d{4})?)\b`)
	zipWordRe  = regexp.MustCompile(`(?i)\b(?:zip(?: ?code)?|zipcode|postal code|post ?code)\b[^0-9\n]{0,20}?(\d{5}(?:-\d{4})?)\b`)
	// ZIP+4 ("33139-4402") is shaped like nothing else a practice writes,
	// so it needs no place word: "our patient at 33139-4402".
	zipPlus4Re = regexp.MustCompile(`\b\d{5}-\d{4}\b`)

	postcodeAt = anchor(postcodeRe, func(t string, i int) bool {
		return isUpperByte(t[i]) && (isDigit(byteAt(t, i+1)) || isUpperByte(byteAt(t, i+1)) && isDigit(byteAt(t, i+2))) && inwardCode(t, i, isUpperByte) ||
			strings.HasPrefix(t[i:], "GIR")
	}, nil)
	postcodeLowerAt = anchor(postcodeLowerRe, func(t string, i int) bool {
		return isLowerByte(t[i]) && (isDigit(byteAt(t, i+1)) || isLowerByte(byteAt(t, i+1)) && isDigit(byteAt(t, i+2))) && inwardCode(t, i, isLowerByte)
	}, nil)
	addressAt = anchor(addressRe, func(t string, i int) bool {
		n := digitRun(t, i)
		if n == 0 || n > 5 {
			return false
		}
		j := i + n
		if c := byteAt(t, j); c != ' ' && isAlnum(c) && !isDigit(c) {
			j++
		}
		if byteAt(t, j) == ',' {
			j++ // "12, Abbey Walk"
		}
		if byteAt(t, j) != ' ' {
			return false
		}
		// The first word after the number: a capital, or an ordinal such as "42nd".
		c := byteAt(t, j+1)
		if isDigit(c) {
			k := digitRun(t, j+1)
			return k <= 3 && strings.IndexByte("snrt", byteAt(t, j+1+k)) >= 0
		}
		return isUpperByte(c)
	}, func(t string, i, hi int) int {
		// An address has at most five spaces: number, direction, three
		// words and the street type.
		for k := 0; k < 6; k++ {
			j := strings.IndexByte(t[i:hi], ' ')
			if j < 0 {
				return hi
			}
			i += j + 1
		}
		return i - 1
	})
	addressLowerAt = anchor(addressLowerRe, func(t string, i int) bool {
		n := digitRun(t, i)
		if n == 0 || n > 5 {
			return false
		}
		j := i + n
		if isLetterByte(byteAt(t, j)) {
			j++
		}
		return byteAt(t, j) == ' ' && isLetterByte(byteAt(t, j+1)) && placeWordBefore(t, i)
	}, addressAt.end)
	zipPlaceAt = anchor(zipPlaceRe, func(t string, i int) bool {
		return digitRun(t, i) == 5 && zipPlaceBefore(t, i)
	}, nil)
	zipStateAt = anchor(zipStateRe, func(t string, i int) bool {
		if !isUpperByte(t[i]) || !isUpperByte(byteAt(t, i+1)) {
			return false
		}
		j := i + 2
		if byteAt(t, j) == ',' {
			j++
		}
		return byteAt(t, j) == ' ' && isDigit(byteAt(t, j+1))
	}, nil)
	zipWordAt = anchor(zipWordRe, func(t string, i int) bool {
		c := t[i] | 0x20
		return (c == 'z' && byteAt(t, i+1)|0x20 == 'i' || c == 'p' && byteAt(t, i+1)|0x20 == 'o')
	}, nil)
	zipAfterStreetAt = anchor(zipPlaceRe, func(t string, i int) bool {
		return digitRun(t, i) == 5
	}, nil)
	// A city of one to three capitalised words between a street address
	// and a ZIP code, with an optional state: ", Austin ", ", Santa Fe NM ";
	// or none: "1010 N Lake Shore Dr, 60611".
	cityBetweenRe = regexp.MustCompile(`^,?[ \n](?:(?:[A-Z][a-zA-Z.'’-]* ){1,3}(?:[A-Z]{2},? )?)?$`)
	zipPlus4At    = anchor(zipPlus4Re, func(t string, i int) bool {
		return digitRun(t, i) == 5 && byteAt(t, i+5) == '-' && (i == 0 || !isDigit(t[i-1]) && t[i-1] != '-')
	}, nil)
)

func scanPostcodes(cs []cand, text string, w windows, a *allowed) []cand {
	for _, m := range append(postcodeAt.findAll(text, w), postcodeLowerAt.findAll(text, w)...) {
		if a.postcodes[compactUpper(text[m[0]:m[1]])] {
			continue
		}
		cs = append(cs, cand{kind: KindPostcode, start: m[0], end: m[1], prio: 3})
	}
	return cs
}

// notStreetWords name events and measures that take a street type:
// "our 10 Mile Walk", "a 360 Degree View", "2 minutes down the road".
var notStreetWords = setOf("mile", "miles", "minute", "minutes", "min", "mins", "km", "k", "step", "steps", "day", "days", "week", "weeks", "hour", "hours",
	"sponsored", "charity", "fun", "health", "nature", "memory", "wellness", "degree", "sea", "star", "the", "a", "an", "of", "to", "down", "up", "along",
	"across", "over", "our", "your", "my", "his", "her", "their", "way", "more", "few", "and", "or", "in", "on", "at", "per", "from", "two", "one", "times", "lap", "laps")

// streetWordsOK reports whether the words of an address after its number
// may name a street. The last word is the street type and is not checked
// ("Harbour Way"); "the" may come first when the type follows it at once
// ("5 The Crescent", "7 the green").
func streetWordsOK(addr string) bool {
	addr = strings.TrimSpace(addr)
	if k := strings.LastIndexByte(addr, ' '); k >= 0 {
		addr = addr[:k]
	}
	if strings.EqualFold(addr, "the") {
		return true
	}
	var buf [16]byte
	for addr != "" {
		w, rest, _ := strings.Cut(addr, " ")
		addr = rest
		if len(w) > len(buf) || w == "" {
			continue
		}
		// Lower-cased into buf: the map lookup of a converted []byte does
		// not allocate.
		for i := 0; i < len(w); i++ {
			c := w[i]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			buf[i] = c
		}
		if notStreetWords[string(buf[:len(w)])] {
			return false
		}
	}
	return true
}

func scanAddresses(cs []cand, text string, w windows, a *allowed) []cand {
	first := len(cs)
	ms := addressAt.findAll(text, w)
	ms = append(ms, addressLowerAt.findAll(text, w)...)
	for _, m := range welshStreetAt.findAll(text, w) {
		cs = append(cs, cand{kind: KindAddress, start: addressStart(text, m[0]), end: m[1], prio: 3})
	}
	for _, m := range ms {
		s, e := m[0], m[1]
		addr := text[s:e]
		if !streetWordsOK(addr[strings.IndexByte(addr, ' ')+1:]) {
			continue
		}
		// "Dr" and "St" double as titles: "5 Dr Patel", "at 2 St Albans";
		// not before a flat, a unit or a side ("3901 Guadalupe St Unit 12",
		// "418 Maple St NE").
		if (strings.HasSuffix(addr, " Dr") || strings.HasSuffix(addr, " St")) && e+2 < len(text) && text[e] == ' ' && 'A' <= text[e+1] && text[e+1] <= 'Z' &&
			!unitAfterRe.MatchString(text[e:]) && !streetSideRe.MatchString(text[e:]) {
			continue
		}
		if a.inAddress(strings.TrimSuffix(addr, ".")) {
			continue
		}
		if premisesAt(text, s) {
			continue
		}
		s = addressStart(text, s)
		// "Whitworth Street West", "Pennsylvania Ave NW".
		if d := streetSideRe.FindStringIndex(text[e:]); d != nil {
			e += d[1]
		}
		if u := unitAfterRe.FindStringIndex(text[e:]); u != nil {
			e += u[1]
		}
		cs = append(cs, cand{kind: KindAddress, start: s, end: e, prio: 3})
	}
	return joinAddresses(cs, text, first)
}

// addressStart widens an address starting at s back over what is part of
// it: the flat or apartment ("Flat 3, 27 Victoria St", "Flat 2F1, 17 ...",
// "Flat 6" on the line above), the house's name ("The Willows, 9 Station
// Road") and a "No." before the number ("No. 8 Glebe Terrace").
func addressStart(text string, s int) int {
	for _, re := range []*regexp.Regexp{houseNoBeforeRe, houseNameBeforeRe, unitBeforeRe, unitWordBeforeRe} {
		lo := max(0, s-32)
		if u := re.FindStringIndex(text[lo:s]); u != nil {
			s = lo + u[0]
		}
	}
	return s
}

// joinAddresses makes one address of the parts found from cs[first] on
// that only a comma or a line break part: "Flat 12, Jubilee Court, 41
// Ashgrove Lane" names one home.
func joinAddresses(cs []cand, text string, first int) []cand {
	for i := first; i < len(cs); i++ {
		for j := first; j < len(cs); j++ {
			a, b := cs[i], cs[j]
			if i == j || a.end > b.start || strings.Trim(text[a.end:b.start], ", \n") != "" || b.start-a.end > 3 {
				continue
			}
			cs[i].end = b.end
			cs = append(cs[:j], cs[j+1:]...)
			i = first - 1 // start over: the joined address may join another
			break
		}
	}
	return cs
}

// placeWordBefore reports whether a lower-case address starting at i
// follows a place word ("lives at", "send it to", "address is") or starts a
// line.
func placeWordBefore(t string, i int) bool {
	w, ok := wordBefore(t, i)
	if !ok {
		return true
	}
	// "flat 3, 41 victoria park avenue": a flat or unit before the
	// number says it is an address.
	if unitBeforeRe.MatchString(t[max(0, i-24):i]) {
		return true
	}
	for _, p := range lowerPlaceWords {
		if strings.EqualFold(w, p) {
			return true
		}
	}
	return false
}

var lowerPlaceWords = []string{"at", "to", "from", "on", "for", "is", "address", "near"}

var (
	// A dwelling inside a building, before the house number ("Flat 3,
	// 27 Victoria St") or after the street ("Lake Shore Dr, Apt 1204").
	// Edinburgh tenements number the flat by floor: "Flat 2F1". The flat may
	// stand on the line above the street.
	// Glasgow numbers it by floor and door: "Flat 2/1".
	unitBeforeRe = regexp.MustCompile(`(?i)\b(?:` + unitNames + `)\.? ?(?:\d{1,4}[a-z]?|\d[a-z]\d{1,2}|\d{1,2}/\d{1,2}),?[ \n]$`)
	// "Flat 12, Jubilee Court": the flat's number read as the house number.
	unitWordBeforeRe  = regexp.MustCompile(`(?i)\b(?:` + unitNames + `)\.? $`)
	houseNoBeforeRe   = regexp.MustCompile(`\b(?:No|Nr|Number|no)\.? $`)
	houseNameBeforeRe = regexp.MustCompile(`\b(?:The (?:[A-Z][a-z'’]+ ){0,2}[A-Z][a-z'’]+|(?:[A-Z][a-z'’]+ ){1,2}(?:House|Cottage|Lodge|Farm|Farmhouse|Barn|Bungalow|Villa|Manor|Grange))(?:,[ \n]|\n)$`)
	streetSideRe      = regexp.MustCompile(`^ (?:North|South|East|West|NE|NW|SE|SW)\b`)
	unitAfterRe       = regexp.MustCompile(`(?i)^(?:,? (?:` + unitNames + `)\.? ?#?\d{1,5}[a-z]?|,? #\d{1,5}[a-z]?)\b`)
)

const unitNames = `flat|apartment|apt|unit|suite|ste`

// Welsh streets put the kind of street first: "8 Heol y Bont", "14 Ffordd
// Las". A named street after it, in capitals, makes it an address; "3 heol
// ar gau" (three roads closed) is none.
var welshStreetAt = anchor(regexp.MustCompile(`\b\d{1,4}[A-Za-z]? (?:Heol|Ffordd|Stryd|Lôn|Lon|Rhodfa|Teras|Cilgant|Llwyn|Maes)(?: (?:y|yr|'r|’r))? [A-Z][\p{L}'’-]+(?: [A-Z][\p{L}'’-]+)?`),
	func(t string, i int) bool {
		n := digitRun(t, i)
		if n == 0 || n > 4 {
			return false
		}
		if isLetterByte(byteAt(t, i+n)) {
			n++
		}
		c := byteAt(t, i+n+1)
		return byteAt(t, i+n) == ' ' && (c == 'H' || c == 'F' || c == 'S' || c == 'L' || c == 'R' || c == 'T' || c == 'C' || c == 'M')
	}, nil)

// zipPlaceBefore reports whether five digits at i follow a place word,
// perhaps with "the" or a city name of one or two capitalised words
// between: "patients in 90210", "from Austin 78745", "in the 90210 area".
func zipPlaceBefore(t string, i int) bool {
	for k := 0; k < 4; k++ {
		w, ok := wordBefore(t, i)
		if !ok || w == "" {
			return false
		}
		w = strings.TrimSuffix(w, ",")
		if w == "" {
			return false
		}
		for _, p := range zipPlaceWords {
			if strings.EqualFold(w, p) {
				return true
			}
		}
		if !strings.EqualFold(w, "the") && !(k < 3 && isUpperByte(w[0])) {
			return false
		}
		i = strings.LastIndex(t[:i], w)
	}
	return false
}

var zipPlaceWords = []string{"in", "from", "near", "around", "to", "of"}

// wordBefore returns the space-separated word that ends just before the
// spaces before i; ok is false at the start of the text or of a line.
func wordBefore(t string, i int) (string, bool) {
	j := i
	for j > 0 && (t[j-1] == ' ' || t[j-1] == '\t') {
		j--
	}
	if j == 0 || t[j-1] == '\n' {
		return "", false
	}
	if j == i {
		return "", true // glued to what comes before: no word of its own
	}
	k := j
	for k > 0 && t[k-1] != ' ' && t[k-1] != '\n' && t[k-1] != '\t' {
		k--
	}
	return t[k:j], true
}

// afterStreetAndCity reports whether five digits at s follow an address
// found in cs and then a city.
func afterStreetAndCity(text string, cs []cand, s int) bool {
	if s == 0 || text[s-1] != ' ' {
		return false
	}
	for _, c := range cs {
		if c.kind == KindAddress && c.end <= s && s-c.end <= 40 && cityBetweenRe.MatchString(text[c.end:s]) {
			return true
		}
	}
	return false
}

// zipPlaceOK reports whether the number after a place word reads as a ZIP
// code rather than a count: "in 10000 steps", "to 12000 followers".
func zipPlaceOK(text string, e int) bool {
	if strings.IndexByte(" -.", byteAt(text, e)) >= 0 && isDigit(byteAt(text, e+1)) {
		return false // "to 07700-900-527": the start of a longer number
	}
	rest := strings.ToLower(strings.TrimLeft(text[e:min(len(text), e+20)], " "))
	if rest != "" && (rest[0] == '%' || rest[0] == '+') {
		return false
	}
	word := rest[:max(0, strings.IndexFunc(rest, func(r rune) bool { return !('a' <= r && r <= 'z') }))]
	if strings.IndexFunc(rest, func(r rune) bool { return !('a' <= r && r <= 'z') }) < 0 {
		word = rest
	}
	return !(len(word) > 2 && strings.HasSuffix(word, "s") && !strings.HasSuffix(word, "ss")) || word == "says" || word == "sends" || word == "thanks" || word == "loves" || word == "has"
}

func scanZIPs(cs []cand, text string, w windows, a *allowed) []cand {
	if a.country != "GB" {
		for _, m := range zipPlaceAt.findAll(text, w) {
			s, e := m[0], m[1]
			if a.zips[text[s:s+5]] || !zipPlaceOK(text, e) {
				continue
			}
			cs = append(cs, cand{kind: KindZIP, start: s, end: e, prio: 2})
		}
		// "1600 E 7th St, #210, Austin 78702": a ZIP after a street and a city.
		for _, m := range zipAfterStreetAt.findAll(text, w) {
			s, e := m[0], m[1]
			if a.zips[text[s:s+5]] || !zipPlaceOK(text, e) || !afterStreetAndCity(text, cs, s) {
				continue
			}
			cs = append(cs, cand{kind: KindZIP, start: s, end: e, prio: 2})
		}
		for _, m := range zipPlus4At.findAll(text, w) {
			s, e := m[0], m[1]
			// "Order #10027-4410" is a reference, as for a bare health number.
			if ef, _, _ := contextOf(text, s, 40, "bare-id", a.country); a.zips[text[s:s+5]] || ef == ctxLower {
				continue
			}
			cs = append(cs, cand{kind: KindZIP, start: s, end: e, prio: 2})
		}
	}
	for _, re := range []*anchored{zipStateAt, zipWordAt} {
		for _, m := range re.findAll(text, w) {
			s, e := m[2], m[3]
			if a.zips[text[s:s+5]] {
				continue
			}
			cs = append(cs, cand{kind: KindZIP, start: s, end: e, prio: 3})
		}
	}
	return cs
}

// premisesNouns are the neighbours a practice points to: "the bakery at
// 14 Quay Street" is a shop's address, published by the shop.
var premisesNouns = setOf("bakery", "cafe", "café", "coffee", "shop", "pharmacy", "chemist", "library", "pub", "restaurant", "bank", "office",
	"station", "gym", "church", "school", "hall", "market", "supermarket", "garage", "salon", "hotel", "museum", "gallery", "theatre",
	"cinema", "deli", "florist", "barber", "barbers", "newsagent", "takeaway", "bar", "centre", "center", "store", "studio")

// premisesAt reports whether the address at s follows "the <premises> at":
// "the bakery at 14 Quay Street", not "Mrs Hale at 14 Quay Street".
func premisesAt(text string, s int) bool {
	var ws [3]string
	for k := range ws {
		w, ok := wordBefore(text, s)
		if !ok || w == "" {
			return false
		}
		ws[k] = strings.ToLower(w)
		s = strings.LastIndex(text[:s], w)
	}
	return ws[0] == "at" && premisesNouns[ws[1]] && (ws[2] == "the" || ws[2] == "a" || ws[2] == "our")
}
