package guard

import (
	"regexp"
	"strings"
)

// eitherApostrophe makes every apostrophe in a rule pattern match a
// straight or a curly one: "'" outside a character class becomes "['’]",
// and a class holding either gets both. A pattern may write ['’] itself.
func eitherApostrophe(p string) string {
	var b strings.Builder
	inClass := false
	for i := 0; i < len(p); {
		c := p[i]
		switch {
		case c == '\\' && i+1 < len(p):
			b.WriteString(p[i : i+2])
			i += 2
			continue
		case c == '[' && !inClass:
			inClass = true
			b.WriteByte(c)
			if strings.HasPrefix(p[i+1:], "^") {
				b.WriteByte('^')
				i++
			}
			if strings.HasPrefix(p[i+1:], "]") {
				b.WriteByte(']') // a literal ] first in a class
				i++
			}
		case c == ']' && inClass:
			inClass = false
			b.WriteByte(c)
		case c == '\'' || strings.HasPrefix(p[i:], "’"):
			n := 1
			if c != '\'' {
				n = len("’")
			}
			if inClass {
				b.WriteString("'’")
			} else {
				b.WriteString("['’]")
			}
			i += n
			continue
		default:
			b.WriteByte(c)
		}
		i++
	}
	return b.String()
}

// offeredRouteNote heads the warning for a phone number or email address
// that the reply offers as the way to reach the practice but that is not
// the brand kit's.
const offeredRouteNote = "This is offered as the way to reach the practice, but it is not the phone or email in the brand kit: check it is the practice's own line or mailbox, not a person's."

// routeBefore: the reply invites the reader to use what follows ("please
// call", "email us at", "contact our office manager on", "reception can
// help on", "our door is always open:").
var routeBefore = regexp.MustCompile(`(?i)(?:\b(?:call|ring|phone|text|email|e-mail|contact|reach|get in touch|speak to|talk to|write to|message)\b|\b(?:can help|on hand|available|always open|reach us|contact us|find us)\b)[^.!?\n]{0,60}$`)

// routeToThem: the number or address is the person's, or one the practice
// used to reach them ("we rang you on", "your number", "emailed you at").
var routeToThem = regexp.MustCompile(`(?i)\b(?:your|ur|you on|you at|u on|u at|called you|rang you|texted you|emailed you|tried|left (?:a )?(?:message|voicemail)|his|her|their)\b[^.!?\n]*$`)

// offeredRoute reports whether a phone or email finding is a contact
// route the reply offers: in a sentence that invites the reader to call or
// write, with nothing tying the number to the person.
func offeredRoute(text string, f Finding) bool {
	if f.Kind != KindPhone && f.Kind != KindEmail {
		return false
	}
	start := 0
	if i := strings.LastIndexAny(text[:f.Start], ".!?\n"); i >= 0 {
		// "Dr." or a decimal does not end the sentence; an email's dots do
		// not come before it.
		start = i + 1
	}
	before := text[start:f.Start]
	return routeBefore.MatchString(before) && !routeToThem.MatchString(before)
}
