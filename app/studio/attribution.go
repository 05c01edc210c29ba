package studio

import (
	"strings"
	"unicode"

	"github.com/rivo/uniseg"

	"practicepost/app"
)

// AttributionMode is how much of a patient's name the consent allows.
type AttributionMode string

const (
	AttrFullName  AttributionMode = "full_name"
	AttrFirstName AttributionMode = "first_name"
	AttrInitials  AttributionMode = "initials"
	AttrAnonymous AttributionMode = "anonymous"
)

// AnonymousAttribution is shown when the patient may not be named.
const AnonymousAttribution = "A patient"

var titles = map[string]bool{"mr": true, "mrs": true, "ms": true, "miss": true, "mx": true, "dr": true, "prof": true, "sir": true, "dame": true, "rev": true}

// Attribution is the name shown under a testimonial: exactly what the
// consent allows and no more. Titles (Mrs, Dr) are dropped because with a
// first name or initials they add identifying detail.
func Attribution(mode AttributionMode, name string) (string, error) {
	parts := strings.Fields(name)
	for len(parts) > 1 && titles[strings.ToLower(strings.TrimSuffix(parts[0], "."))] {
		parts = parts[1:]
	}
	if mode != AttrAnonymous && len(parts) == 0 {
		return "", app.FieldError("attribution", "Enter the patient's name, or choose “Anonymous”.")
	}
	switch mode {
	case AttrAnonymous:
		return AnonymousAttribution, nil
	case AttrFullName:
		return strings.Join(parts, " "), nil
	case AttrFirstName:
		return parts[0], nil
	case AttrInitials:
		var b strings.Builder
		for i, p := range parts {
			if i > 0 {
				b.WriteByte(' ')
			}
			first, _, _, _ := uniseg.FirstGraphemeClusterInString(p, -1)
			if rs := []rune(first); len(rs) > 0 && !unicode.IsLetter(rs[0]) {
				first = strings.TrimLeftFunc(p, func(r rune) bool { return !unicode.IsLetter(r) })
				first, _, _, _ = uniseg.FirstGraphemeClusterInString(first, -1)
			}
			b.WriteString(strings.ToUpper(first) + ".")
		}
		return b.String(), nil
	}
	return "", app.FieldError("attribution", "Choose how the patient is named: full name, first name, initials or anonymous.")
}
