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

func TestFoldIntoMatchesFoldRune(t *testing.T) {
	pieces := []string{"Zoe", "ZOË", "e\u0301", " ", "  ", "-", "’", "O'C", "ß", "Æ", "\xff", "9", "_", "\t", "İ", "中", "🦷", "Sean", ",", "."}
	r := rand.New(rand.NewPCG(3, 4))
	for range 5000 {
		var sb strings.Builder
		for range 1 + r.IntN(10) {
			sb.WriteString(pieces[r.IntN(len(pieces))])
		}
		s := sb.String()
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
