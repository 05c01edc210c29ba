package guard

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// commonWords are words a display name may contain that are ordinary
// English in a reply ("Happy Customer", "Local Mum").
var commonWords = map[string]bool{"happy": true, "customer": true, "patient": true, "local": true, "mum": true, "mom": true, "dad": true,
	"the": true, "a": true, "an": true, "and": true, "of": true, "dental": true, "user": true, "google": true, "anonymous": true, "guest": true,
	"team": true, "smile": true, "reviewer": true, "review": true, "fan": true, "official": true, "real": true, "mr": true, "mrs": true,
	"ms": true, "miss": true, "mx": true, "dr": true, "just": true, "me": true, "here": true, "thanks": true, "love": true, "great": true, "best": true}

// streetAfter: a capitalised street word right after a word of the name
// makes it part of an address.
var streetAfter = regexp.MustCompile(`^[ \t]+(?:Lane|Road|Street|St|Avenue|Ave|Close|Way|Drive|Crescent|Terrace|Square|Place|Gardens|Grove|Row|Court|Boulevard|Blvd|Parade|Mews)\b`)

var handleRe = regexp.MustCompile(`@[A-Za-z0-9_.]{2,}`)

// commenterHits finds the commenter's display name in the reply: the whole
// name, title + surname ("Mrs Smith") and any one of its words written with
// a capital ("Thanks Sarah"). The first name also counts in a common short
// form ("Janie" for Jane), and written in lower case where a reply addresses
// someone ("thanks, jane!", "jane, thank you"). Words of two letters or
// fewer and ordinary words are left out; handles (@sarah_j) count as
// written.
func commenterHits(text, commenter string) [][2]int {
	commenter = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(commenter), "@"))
	if commenter == "" {
		return nil
	}
	words := strings.FieldsFunc(commenter, func(r rune) bool { return !unicode.IsLetter(r) && r != '\'' && r != '’' && r != '-' })
	var forms []PatientName
	// A handle such as "sarah_j" also counts as written.
	forms = append(forms, PatientName{PatientID: "c", Name: commenter})
	if len(words) > 0 {
		forms = append(forms, PatientName{PatientID: "c", Name: strings.Join(words, " ")})
	}
	ordinary := func(w string) bool {
		return utf8.RuneCountInString(w) <= 2 || commonWords[w] || everydayNames[w]
	}
	var singles []string
	// lowerOK: the first name and its short forms, which count in lower
	// case too when the reply addresses someone by them.
	lowerOK := map[string]bool{}
	clipped := map[string]bool{}
	for i, w := range words {
		lw := strings.ToLower(w)
		if utf8.RuneCountInString(w) <= 2 || commonWords[lw] {
			continue
		}
		singles = append(singles, lw)
		forms = append(forms, PatientName{PatientID: "c", Name: w})
		if i == 0 && !ordinary(lw) {
			lowerOK[lw] = true
		}
		if i == 0 {
			for _, d := range diminutives(lw) {
				if ordinary(d) || slices.Contains(singles, d) {
					continue
				}
				singles = append(singles, d)
				lowerOK[d] = true
				forms = append(forms, PatientName{PatientID: "c", Name: d})
			}
			// Clipped forms ("Bri" for Brian, "Steph" for Stephanie)
			// count only where the reply addresses someone by them.
			if n := len(lw); n >= 5 && !ordinary(lw) && utf8.RuneCountInString(lw) == n {
				for k := 3; k < n; k++ {
					c := lw[:k]
					if commonWords[c] || slices.Contains(singles, c) {
						continue
					}
					singles = append(singles, c)
					clipped[c] = true
					forms = append(forms, PatientName{PatientID: "c", Name: c})
				}
			}
		}
	}
	m := NewMatcher(forms)
	var out [][2]int
	// A handle built from their name tags them as surely as the name:
	// @sarahj for Sarah Jenkins.
	for _, h := range handleRe.FindAllStringIndex(text, -1) {
		if h[0] > 0 && (isLetterByte(text[h[0]-1]) || isDigit(text[h[0]-1])) {
			continue // an email address, not a handle
		}
		handle := strings.ToLower(text[h[0]+1 : h[1]])
		for _, w := range singles {
			if utf8.RuneCountInString(w) >= 3 && strings.Contains(handle, w) {
				out = append(out, [2]int{h[0], h[1]})
				break
			}
		}
	}
	for _, h := range m.find(text) {
		span := text[h.start:h.end]
		single := !strings.ContainsAny(strings.TrimSpace(span), " \t")
		if lw := strings.ToLower(span); single && slices.Contains(singles, lw) {
			// One word of the name: only when written as a name.
			r, _ := utf8.DecodeRuneInString(span)
			if clipped[lw] && !addressed(text, h.start, h.end) {
				continue
			}
			if !unicode.IsUpper(r) && !(lowerOK[lw] && addressed(text, h.start, h.end)) {
				continue
			}
			if streetAfter.MatchString(text[h.end:]) {
				continue // "Bell Lane" is a place, not Grace Bell
			}
		}
		out = append(out, [2]int{h.start, h.end})
	}
	return out
}

var greetingEnd = regexp.MustCompile(`(?i)(?:^|[^\p{L}])(?:hi|hiya|hello|hey|dear|thanks|thank you|thankyou|thx|cheers|ta|morning|afternoon|evening|welcome|congrats|congratulations|well done)$`)

// addressed reports whether the word at [s,e) is where a reply addresses
// someone: after a greeting ("thanks, jane"), opening the reply or a
// sentence before a comma ("jane, thank you"), or closing one after a
// comma ("thank you so much, jane!").
func addressed(text string, s, e int) bool {
	before := strings.TrimRight(text[:s], " \t")
	after := strings.TrimLeft(text[e:], " \t")
	if greetingEnd.MatchString(strings.TrimRight(before, ", ")) {
		return true
	}
	closes := after == "" || strings.ContainsRune(",!.?:;)", rune(after[0])) || strings.HasPrefix(after, "\n")
	if strings.HasSuffix(before, ",") {
		return closes && after != "" && after[0] != ','
	}
	opens := before == "" || strings.ContainsRune(".!?\n", rune(before[len(before)-1]))
	return opens && strings.HasPrefix(after, ",")
}
