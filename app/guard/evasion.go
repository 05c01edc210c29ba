package guard

import "unicode/utf8"

// Characters people (and some keyboards and copy-pastes) put inside
// identifiers that a reader does not see or reads as plain ASCII: zero-width
// spaces and joiners, soft hyphens, no-break and thin spaces, and the
// fullwidth forms of digits, letters and @. Scan reads through them:
// unmask makes the plain text the detectors run on, with a map back to the
// original so every finding still points at the exact bytes of the post.

// unmaskRune says what r becomes: drop it, replace it by one ASCII byte, or
// keep it (keep is true).
func unmaskRune(r rune) (b byte, drop, keep bool) {
	switch {
	case r == 0x00AD, r >= 0x200B && r <= 0x200F, r >= 0x2060 && r <= 0x2064, r == 0xFEFF, r == 0x180E:
		return 0, true, false // soft hyphen, zero-width space/joiners, word joiner, BOM
	case r == 0x00A0, r >= 0x2000 && r <= 0x200A, r == 0x202F, r == 0x205F, r == 0x3000:
		return ' ', false, false // no-break, en/em/thin/figure spaces, ideographic space
	case r == 0x2010 || r == 0x2011 || r == 0x2012:
		return '-', false, false // hyphen, non-breaking hyphen, figure dash
	case r >= 0xFF01 && r <= 0xFF5E:
		return byte(r - 0xFEE0), false, false // fullwidth ASCII
	}
	return 0, false, true
}

// dashInNumber reports whether the rune at i, w bytes long, is an en or em
// dash or a minus sign between two digits: "604–18–3372" is an SSN typed
// or pasted with the wrong dash. Between words the same dash is prose
// ("thanks – Sarah"), so only the digits decide.
func dashInNumber(text string, i, w int) bool {
	if w != 3 || i == 0 || !isDigit(text[i-1]) || !isDigit(byteAt(text, i+w)) {
		return false
	}
	r, _ := utf8.DecodeRuneInString(text[i:])
	return r == 0x2013 || r == 0x2014 || r == 0x2212
}

// unmasked is the plain text and, for each of its bytes, the span of the
// original rune it came from.
type unmasked struct {
	text       string
	start, end []int
}

// unmask returns the plain text; ok is false (and nothing is allocated)
// when text holds none of these characters, as nearly every post does.
func unmask(text string) (u unmasked, ok bool) {
	first := -1
	for i := 0; i < len(text); i++ {
		if text[i] < utf8.RuneSelf {
			continue
		}
		r, w := utf8.DecodeRuneInString(text[i:])
		if _, _, keep := unmaskRune(r); !keep || dashInNumber(text, i, w) {
			first = i
			break
		}
	}
	if first < 0 {
		return u, false
	}
	b := make([]byte, 0, len(text))
	u.start, u.end = make([]int, 0, len(text)), make([]int, 0, len(text))
	for i := 0; i < len(text); {
		c := text[i]
		if c < utf8.RuneSelf || i < first {
			b = append(b, c)
			u.start, u.end = append(u.start, i), append(u.end, i+1)
			i++
			continue
		}
		r, w := utf8.DecodeRuneInString(text[i:])
		rb, drop, keep := unmaskRune(r)
		if dashInNumber(text, i, w) {
			rb, keep = '-', false
		}
		switch {
		case drop:
		case keep:
			for k := 0; k < w; k++ {
				b = append(b, text[i+k])
				u.start, u.end = append(u.start, i), append(u.end, i+w)
			}
		default:
			b = append(b, rb)
			u.start, u.end = append(u.start, i), append(u.end, i+w)
		}
		i += w
	}
	u.text = string(b)
	return u, true
}

// original maps a finding on the plain text back onto the post.
func (u unmasked) original(text string, f Finding) Finding {
	if f.End <= f.Start {
		return f
	}
	f.Start, f.End = u.start[f.Start], u.end[f.End-1]
	f.Text = text[f.Start:f.End]
	return f
}
