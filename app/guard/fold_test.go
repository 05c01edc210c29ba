package guard

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// foldRef is foldInto rune by rune through foldRune, the definition the
// ASCII shortcut in foldInto must agree with.
func foldRef(s string) (b []byte, start, end []int32) {
	for i := 0; i < len(s); {
		r, w := utf8.DecodeRuneInString(s[i:])
		rep, sep := foldRune(r)
		if sep {
			if len(b) == 0 || b[len(b)-1] == ' ' {
				i += w
				continue
			}
			rep = " "
		}
		for j := 0; j < len(rep); j++ {
			b = append(b, rep[j])
			start, end = append(start, int32(i)), append(end, int32(i+w))
		}
		i += w
	}
	return b, start, end
}

// randomText strings together 1 to most pieces chosen by r: inputs for the
// tests that hold a fast path to its rune-by-rune definition, with the
// awkward runes mixed into ordinary words.
func randomText(r *rand.Rand, pieces []string, most int) string {
	var b strings.Builder
	for range 1 + r.IntN(most) {
		b.WriteString(pieces[r.IntN(len(pieces))])
	}
	return b.String()
}

func TestFoldIntoMatchesFoldRune(t *testing.T) {
	pieces := []string{"Zoe", "ZOË", "e\u0301", " ", "  ", "-", "’", "O'C", "ß", "Æ", "\xff", "9", "_", "\t", "İ", "中", "🦷", "Sean", ",", "."}
	r := rand.New(rand.NewPCG(3, 4))
	for range 5000 {
		s := randomText(r, pieces, 10)
		var start, end []int32
		got := foldInto(nil, s, &start, &end)
		wb, ws, we := foldRef(s)
		if string(got) != string(wb) || !slices.Equal(start, ws) || !slices.Equal(end, we) {
			t.Fatalf("%q: folded %q %v %v, want %q %v %v", s, got, start, end, wb, ws, we)
		}
		if plain := foldInto(nil, s, nil, nil); string(plain) != string(wb) {
			t.Fatalf("%q: without offsets %q, want %q", s, plain, wb)
		}
	}
}
