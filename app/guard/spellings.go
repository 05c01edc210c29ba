package guard

import (
	"slices"
	"strings"
)

// Other ways posts spell a stored name.

// transliterations are how the letters with umlauts and rings are written
// without them: "Bjoern" for Björn, "Mueller" for Müller. Folding reads
// "Björn" as "bjorn"; these are the spelling people type instead.
var transliterations = strings.NewReplacer("ä", "ae", "ö", "oe", "ü", "ue", "ø", "oe", "å", "aa", "Ä", "Ae", "Ö", "Oe", "Ü", "Ue", "Ø", "Oe", "Å", "Aa")

// spellings adds, for a name with an apostrophe inside a word, the same
// name without it: posts write "Sean OConnell" for Seán O'Connell, and the
// folded "o connell" would not find the run-together "oconnell". It adds a
// name with umlauts or rings as transliterated too.
func spellings(names []PatientName) []PatientName {
	out := names
	variant := func(id, s string) {
		if len(out) == len(names) {
			out = slices.Clone(names)
		}
		out = append(out, PatientName{PatientID: id, Name: s})
	}
	for _, n := range names {
		if s := strings.NewReplacer("'", "", "’", "").Replace(n.Name); s != n.Name {
			variant(n.PatientID, s)
		}
		if s := transliterations.Replace(n.Name); s != n.Name {
			variant(n.PatientID, s)
		}
	}
	return out
}

// writtenFamily is the folded last word of name as written: "o connell"
// for Seán O'Connell, where the folded name's last word is "connell".
func writtenFamily(name string) string {
	ws := strings.Fields(name)
	if len(ws) == 0 {
		return ""
	}
	return strings.TrimSpace(string(foldInto(nil, ws[len(ws)-1], nil, nil)))
}
