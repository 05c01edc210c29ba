package guard

import (
	_ "embed"
	"fmt"
	"strings"
)

// The context model is data (context.tsv) so the words can be read and
// extended without reading the detectors; the file's header says what each
// column means.
//
//go:embed context.tsv
var contextData string

type ctxEffect int

const (
	ctxNone ctxEffect = iota
	ctxRaise
	ctxLower
	ctxDrop
)

type ctxKey struct{ reading, country, word string }

var contextWords = parseContext(contextData)

func parseContext(data string) map[ctxKey]ctxEffect {
	out := map[ctxKey]ctxEffect{}
	for n, l := range strings.Split(data, "\n") {
		if l = strings.TrimSpace(l); l == "" || l[0] == '#' {
			continue
		}
		cols := strings.Split(l, "\t")
		if len(cols) != 4 {
			panic(fmt.Sprintf("guard: context.tsv line %d: want reading<TAB>country<TAB>effect<TAB>words", n+1))
		}
		e := map[string]ctxEffect{"raise": ctxRaise, "lower": ctxLower, "drop": ctxDrop}[cols[2]]
		if e == ctxNone {
			panic(fmt.Sprintf("guard: context.tsv line %d: unknown effect %q", n+1, cols[2]))
		}
		for _, w := range strings.Fields(cols[3]) {
			out[ctxKey{cols[0], cols[1], w}] = e
		}
	}
	return out
}

// contextOf returns the effect of the nearest listed word for reading in
// the clause before offset i (at most window bytes back), and whether that
// word sits right before the candidate, with only a label such as "no.",
// "#" or "is" between. country "" uses every country's words.
func contextOf(text string, i, window int, reading, country string) (e ctxEffect, word string, adjacent bool) {
	clause := clauseBefore(text, i, window)
	between := true // no other words yet between this one and the candidate
	for end := len(clause); end > 0; {
		// The word that ends at end, after skipping what is not a letter.
		for end > 0 && !isLetterByte(clause[end-1]) && clause[end-1] != '-' {
			end--
		}
		start := end
		for start > 0 && (isLetterByte(clause[start-1]) || clause[start-1] == '-') {
			start--
		}
		if start == end {
			break
		}
		w := strings.ToLower(clause[start:end])
		for _, c := range []string{"*", country} {
			if c == "" {
				continue
			}
			if ef, ok := contextWords[ctxKey{reading, c, w}]; ok {
				return ef, w, between
			}
		}
		if country == "" {
			for _, c := range []string{"GB", "US"} {
				if ef, ok := contextWords[ctxKey{reading, c, w}]; ok {
					return ef, w, between
				}
			}
		}
		if !labelWords[w] {
			between = false
		}
		end = start
	}
	return ctxNone, "", false
}

// labelWords may stand between a reference word and its number: "Order
// no. 4412345678", "confirmation number is 3345127789".
// Ranges count too: "tickets 0117 000 001 to 0117 000 500".
var labelWords = setOf("no", "number", "num", "nr", "is", "was", "id", "ref", "our", "your", "the", "a", "code", "to", "and", "or", "from")

// weakDropped reports whether the sentence before i says the number is not a
// real one ("Demo NHS number ...", "the example NI number ...").
func weakDropped(text string, i int, country string) bool {
	ef, _, _ := contextOf(text, i, 60, "weak", country)
	return ef == ctxDrop
}
