package guard

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// The held-out sets are never edited; new cases go into corpus.tsv.
//
// Only the newest set that nobody has studied says how the scanner does on
// text nobody tuned it to; the older ones stay as regression checks.
//
//   - Set 1 (heldout.tsv) was written from issue 14's classes before any
//     detector work. Its last six misses were studied on 2026-12-07 and
//     their kinds of text fixed through new corpus lines.
//   - Set 2 (heldout2.tsv) was written blind that day by a helper that had
//     read neither the scanner nor set 1. It scored recall 0.787 on the
//     scanner of that morning; its misses were then studied and fixed the
//     same way.
//   - Set 3 (heldout3.tsv) was written blind after that, by a helper that
//     had read neither the scanner nor sets 1 and 2. It scored recall 0.904
//     before it was studied; once set 4 existed its misses were read and
//     their kinds of text fixed through new corpus lines.
//   - Set 4 (heldout4.tsv) was written blind by a helper that had read
//     neither the scanner nor sets 1 to 3, only the identifier sections of
//     compliance.md. It scored recall 0.788 on the scanner before set 3 was
//     studied and 0.828 after; once set 5 existed its misses were read and
//     their kinds of text fixed through new corpus lines (0.985 after).
//   - Set 5 (heldout5.tsv) was written blind the same way, by a helper that
//     had read neither the scanner nor sets 1 to 4. It scored recall 0.775,
//     false alarms 0.000, on the scanner before set 4 was studied, and
//     0.806, 0.000 after; once set 6 existed its misses were read and
//     their kinds of text fixed through new corpus lines (0.907, 0.000 after;
//     most of what is left is a first name alone, which the corpus keeps clean).
//   - Set 6 (heldout6.tsv) was written blind the same way, weighted to
//     longer posts, review replies and disguised names, and has not been
//     studied until set 7 existed. It scored recall 0.752, false alarms
//     0.010, before set 5 was studied, and 0.765, 0.010 after; once set 7
//     existed its misses were read and their kinds of text fixed through
//     new corpus lines (0.839, 0.000 after; what is left is a first name
//     alone, and one span labelled on the "96" inside "1961").
//   - Set 7 (heldout7.tsv) was written blind on 2026-12-08 the same way, by
//     a helper that had read neither the scanner nor sets 1 to 6, told that
//     a first name alone is not an identifier here (the scanner allows it
//     by design), and weighted to hard clean near-misses. It scored recall
//     0.830, false alarms 0.042, on arrival (before set 6 was studied), and
//     0.872, 0.042 after; once set 8 existed its misses were read and their
//     kinds of text fixed through new corpus lines (0.968, 0.000 after).
//   - Set 8 (heldout8.tsv) was written blind the same way on 2026-12-08,
//     by a helper that had read neither the scanner nor sets 1 to 7,
//     weighted to US identifiers (record, member and claim numbers, SSNs,
//     ZIP+4), hard clean near-misses and evasions (split, spelled-out and
//     fullwidth digits). It has not been studied: it is the one that
//     measures. It scored recall 0.883, false alarms 0.042, on arrival
//     (before set 7 was studied), and 0.896, 0.021 after. Its misses go
//     unread until a set 9 is written.
var heldOutFiles = []string{"testdata/heldout.tsv", "testdata/heldout2.tsv", "testdata/heldout3.tsv", "testdata/heldout4.tsv", "testdata/heldout5.tsv", "testdata/heldout6.tsv", "testdata/heldout7.tsv", "testdata/heldout8.tsv"}

// heldOutSpan is one labelled identifier: its kind and byte span in the text.
type heldOutSpan struct {
	kind       Kind
	start, end int
}

type heldOutLine struct {
	corpusLine
	class string
	spans []heldOutSpan
}

// readHeldOut parses the held-out file. Its first two columns are those of
// corpus.tsv; the third names the class and each further column is one span,
// `kind start end "text"`. Any line that does not say exactly what it means
// stops the test: a mislabelled case would skew the scores silently.
func readHeldOut(t *testing.T, file string) []heldOutLine {
	t.Helper()
	var out []heldOutLine
	eachDataLine(t, file, func(n int, l string) {
		hl, err := parseHeldOutLine(l)
		if err != nil {
			t.Fatalf("%s line %d: %v", file, n, err)
		}
		hl.line = n
		out = append(out, hl)
	})
	return out
}

func parseHeldOutLine(l string) (heldOutLine, error) {
	var hl heldOutLine
	cols := strings.Split(l, "\t")
	if len(cols) < 3 {
		return hl, fmt.Errorf("want kinds<TAB>text<TAB>class[<TAB>span...]")
	}
	// The file's only escape: a line break cannot live in a line-based file.
	hl.text = strings.ReplaceAll(cols[1], `\n`, "\n")
	hl.class = cols[2]
	if hl.text == "" || hl.class == "" {
		return hl, fmt.Errorf("empty text or class")
	}
	if cols[0] != "-" {
		for k := range strings.SplitSeq(cols[0], ",") {
			if _, ok := kindInfo[Kind(k)]; !ok {
				return hl, fmt.Errorf("unknown kind %q", k)
			}
			if slices.Contains(hl.kinds, Kind(k)) {
				return hl, fmt.Errorf("kind %q listed twice", k)
			}
			hl.kinds = append(hl.kinds, Kind(k))
		}
	}
	var spanKinds []Kind
	for _, c := range cols[3:] {
		s, err := parseHeldOutSpan(c, hl.text)
		if err != nil {
			return hl, err
		}
		hl.spans = append(hl.spans, s)
		if !slices.Contains(spanKinds, s.kind) {
			spanKinds = append(spanKinds, s.kind)
		}
	}
	clean := strings.HasPrefix(hl.class, "clean")
	switch {
	case clean && (len(hl.kinds) > 0 || len(hl.spans) > 0):
		return hl, fmt.Errorf("class %q is clean but the line has identifiers", hl.class)
	case !clean && len(hl.spans) == 0:
		return hl, fmt.Errorf("class %q needs at least one span", hl.class)
	}
	a, b := slices.Clone(hl.kinds), spanKinds
	slices.Sort(a)
	slices.Sort(b)
	if !slices.Equal(a, b) {
		return hl, fmt.Errorf("kinds column %v does not match the spans' kinds %v", hl.kinds, spanKinds)
	}
	return hl, nil
}

func parseHeldOutSpan(col, text string) (heldOutSpan, error) {
	var s heldOutSpan
	parts := strings.SplitN(col, " ", 4)
	if len(parts) != 4 {
		return s, fmt.Errorf("span %q: want kind start end \"text\"", col)
	}
	s.kind = Kind(parts[0])
	if _, ok := kindInfo[s.kind]; !ok {
		return s, fmt.Errorf("span %q: unknown kind", col)
	}
	var err1, err2 error
	s.start, err1 = strconv.Atoi(parts[1])
	s.end, err2 = strconv.Atoi(parts[2])
	if err1 != nil || err2 != nil || s.start < 0 || s.end <= s.start || s.end > len(text) {
		return s, fmt.Errorf("span %q: bad offsets for a text of %d bytes", col, len(text))
	}
	if !utf8.RuneStart(text[s.start]) || (s.end < len(text) && !utf8.RuneStart(text[s.end])) {
		return s, fmt.Errorf("span %q: offsets not on rune boundaries", col)
	}
	want, err := strconv.Unquote(parts[3])
	if err != nil {
		return s, fmt.Errorf("span %q: text is not a quoted string: %v", col, err)
	}
	if text[s.start:s.end] != want {
		return s, fmt.Errorf("span %q: text[%d:%d] is %q", col, s.start, s.end, text[s.start:s.end])
	}
	return s, nil
}

// TestHeldOutCorpus reports, and does not gate, the scanner's scores on the
// held-out set: recall is the share of labelled spans covered by a finding of
// their kind; a false alarm is a clean line with a blocking finding. Only a
// malformed file fails the test.
func TestHeldOutCorpus(t *testing.T) {
	for _, file := range heldOutFiles {
		t.Run(strings.TrimSuffix(strings.TrimPrefix(file, "testdata/"), ".tsv"), func(t *testing.T) { heldOutScores(t, file) })
	}
}

func heldOutScores(t *testing.T, file string) {
	lines := readHeldOut(t, file)
	if len(lines) < 150 {
		t.Fatalf("held-out set has %d lines, want at least 150", len(lines))
	}
	m := testMatcher()
	type classCount struct{ lines, spans, found, clean, alarms, warned int }
	perClass := map[string]*classCount{}
	type kindCount struct{ spans, found int }
	perKind := map[Kind]*kindCount{}
	var spans, found, clean, alarms, warned int
	for _, hl := range lines {
		cc := perClass[hl.class]
		if cc == nil {
			cc = &classCount{}
			perClass[hl.class] = cc
		}
		cc.lines++
		fs := Scan(hl.text, m, testAllow)
		if len(hl.spans) == 0 {
			clean++
			cc.clean++
			switch {
			case Blocked(fs):
				alarms++
				cc.alarms++
				t.Logf("FALSE ALARM line %d (%s): %s", hl.line, hl.class, describeFindings(fs))
			case len(fs) > 0:
				warned++
				cc.warned++
				t.Logf("WARNING ON CLEAN line %d (%s): %s", hl.line, hl.class, describeFindings(fs))
			}
			continue
		}
		for _, s := range hl.spans {
			kc := perKind[s.kind]
			if kc == nil {
				kc = &kindCount{}
				perKind[s.kind] = kc
			}
			spans++
			cc.spans++
			kc.spans++
			if slices.ContainsFunc(fs, func(f Finding) bool {
				return f.Kind == s.kind && f.Start <= s.start && f.End >= s.end
			}) {
				found++
				cc.found++
				kc.found++
				continue
			}
			t.Logf("MISS line %d (%s): %s at %d-%d; found %s", hl.line, hl.class, s.kind, s.start, s.end, describeFindings(fs))
		}
	}

	for _, c := range slices.Sorted(maps.Keys(perClass)) {
		cc := perClass[c]
		if cc.spans > 0 {
			t.Logf("  class %-20s lines %3d  recall %.3f (%d/%d)", c, cc.lines, ratio(cc.found, cc.spans), cc.found, cc.spans)
		} else {
			t.Logf("  class %-20s lines %3d  false alarms %.3f (%d/%d)  warnings %d", c, cc.lines, ratio(cc.alarms, cc.clean), cc.alarms, cc.clean, cc.warned)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(perKind)) {
		kc := perKind[k]
		t.Logf("  kind  %-20s recall %.3f (%d/%d)", k, ratio(kc.found, kc.spans), kc.found, kc.spans)
	}
	t.Logf("held-out: %d lines, %d labelled spans, %d clean lines; warnings on clean lines %.3f (%d/%d)",
		len(lines), spans, clean, ratio(warned, clean), warned, clean)
	fmt.Printf("%s: recall %.3f false-alarms %.3f\n", file, ratio(found, spans), ratio(alarms, clean))
}

// describeFindings names what the scanner reported without echoing the
// matched text: kinds, severities and offsets are enough to find the line.
func describeFindings(fs []Finding) string {
	if len(fs) == 0 {
		return "nothing"
	}
	parts := make([]string, len(fs))
	for i, f := range fs {
		parts[i] = fmt.Sprintf("%s/%s %d-%d", f.Kind, f.Severity, f.Start, f.End)
	}
	return strings.Join(parts, ", ")
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// TestHeldOutParserRejectsMalformedLines checks the loader refuses what would
// otherwise skew the held-out scores without anyone noticing.
func TestHeldOutParserRejectsMalformedLines(t *testing.T) {
	good := "phone\tCall 07700 900123 now\tphone-intl\tphone 5 17 \"07700 900123\""
	if _, err := parseHeldOutLine(good); err != nil {
		t.Fatalf("good line refused: %v", err)
	}
	for name, l := range map[string]string{
		"too few columns":     "-\tOpen 9 to 5",
		"unknown kind":        "fax\tFax 0117 496 0000\tphone-intl\tfax 4 17 \"0117 496 0000\"",
		"span text differs":   "phone\tCall 07700 900123 now\tphone-intl\tphone 5 17 \"07700 900124\"",
		"span past the end":   "phone\tCall 07700 900123\tphone-intl\tphone 5 40 \"07700 900123\"",
		"span inside a rune":  "patient_name\tZoë Hartley\tevasion-accents\tpatient_name 0 3 \"Zo\"",
		"unquoted span text":  "phone\tCall 07700 900123 now\tphone-intl\tphone 5 17 07700 900123",
		"kinds without spans": "phone\tCall 07700 900123 now\tphone-intl",
		"kinds disagree":      "ssn\tCall 07700 900123 now\tphone-intl\tphone 5 17 \"07700 900123\"",
		"clean with a span":   "-\tCall 07700 900123 now\tclean-reference\tphone 5 17 \"07700 900123\"",
	} {
		if _, err := parseHeldOutLine(l); err == nil {
			t.Errorf("%s: accepted %q", name, l)
		}
	}
}
