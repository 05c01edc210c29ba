package guard

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
