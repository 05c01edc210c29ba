package guard

import "regexp"

// initialsSignature is a line signed the way patients' testimonials are:
// a dash or tilde, then two or three initials ("— M.O.", "- J. S.", "~ AB").
var initialsSignature = regexp.MustCompile(`(?m)(?:^|\s)[—–~-]\s*((?:\p{Lu}\.?\s?){2,3})\s*(?:,|$)`)

// InitialsAttribution finds an initials-style attribution in the words of a
// hand-typed quote card. The consent gate flags it on a card declared as
// not a patient's words: initials are how patients are quoted.
func InitialsAttribution(text string) (span string, ok bool) {
	m := initialsSignature.FindStringSubmatchIndex(text)
	if m == nil {
		return "", false
	}
	return text[m[2]:m[3]], true
}
