package guard

import "slices"

// NamedPatients lists the patients whose name, in any form the matcher
// knows, appears in text: the consent gate records the consents that
// cleared each one, so withdrawing any of them stops the post.
func NamedPatients(text string, m *Matcher) []string {
	if m == nil {
		return nil
	}
	var out []string
	seen := map[string]bool{}
	for _, h := range m.find(text) {
		for _, id := range h.patients {
			if !seen[id] {
				seen[id] = true
				out = append(out, id)
			}
		}
	}
	return out
}

// namedIn lists the patients named in the post's text or in the words of
// any of its images.
func namedIn(d Draft, m *Matcher) []string {
	out := NamedPatients(d.Text, m)
	for _, it := range d.ImageTexts {
		for _, id := range NamedPatients(it.Text, m) {
			if !slices.Contains(out, id) {
				out = append(out, id)
			}
		}
	}
	return out
}
