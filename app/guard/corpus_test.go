package guard

import (
	"bufio"
	"fmt"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// testPatients is the fixed fake patient list the corpus is labelled against.
var testPatients = []string{
	"Margaret Okafor", "Zoë Hartley", "José Ramírez", "Chloé Dubois", "Aoife Brennan", "Seán O'Connell",
	"Mohammed Iqbal", "Priyanka Desai", "Grace Thompson", "Oliver Bennett", "Harriet Lowe", "Daniel Kowalski",
	"Agnieszka Nowak", "Emily Carter", "Jack Whitmore", "Fatima Rahman", "Tyler Brooks", "Madison Reyes",
	"Ethan Walsh", "Lucy Fairweather", "Thomas Pryce", "Hannah Greenwood", "Wei Zhang", "Kofi Mensah",
	"Ingrid Larsen", "Björn Svensson", "Renée Fontaine", "Eilidh MacLeod", "Gareth Llewellyn", "Dylan Morgan",
	"Amara Okonkwo", "Carlos Mendoza", "Sofia Rossi", "William Hughes", "Jenny Park", "Marcus Bell",
	"Edith Marsh", "Anne-Marie Doyle", "Bernard Achterberg", "Keisha Washington",
}

func testMatcher() *Matcher {
	ns := make([]PatientName, len(testPatients))
	for i, n := range testPatients {
		ns[i] = PatientName{PatientID: fmt.Sprintf("p%02d", i+1), Name: n}
	}
	return NewMatcher(ns)
}

// testAllow describes the practices the corpus sentences come from.
var testAllow = AllowList{
	Phones:  []string{"0117 496 0123", "0113 496 0456", "020 7946 0850", "0161 496 0555", "(415) 555-0132", "312-555-0147", "+1 512 555 0178"},
	Emails:  []string{"hello@harbourdental.co.uk", "info@riversidephysio.co.uk", "frontdesk@bayviewpt.com"},
	Domains: []string{"https://www.harbourdental.co.uk", "bayviewpt.com", "lakesidefamilydental.com"},
	Addresses: []string{
		"12 Quay Street, Bristol BS1 4QA", "3 Mill Lane, Leeds LS1 4AB", "40 Elm Road, London N1 9GU",
		"88 King Street, Manchester M2 4WQ", "455 Market Street, Suite 300, San Francisco, CA 94105",
		"210 N Clark Street, Chicago, IL 60601", "1200 South Congress Avenue, Austin, TX 78704",
	},
	StaffNames: []string{"Dr Priya Nair", "Dr Owen Price", "Kate Morris", "Tom Reilly", "Aisha Khan", "Dr James Whitfield",
		"Dr Helen Osei", "Nurse Paula Grant", "Rachel Adams", "Dr Sam Lee", "Dr. Maria Lopez", "Kevin O'Brien",
		"Dr. Anthony Russo", "Dr. Emily Chen", "Sophie Turner"},
	Registrations:     []string{"GDC 112233", "GDC 204518", "GDC 255301", "HCPC PH104522", "PH99871", "GMC 7012345", "GMC 6098765", "NMC 12A3456E", "7123456"},
	ConsentedPatients: []string{"p24"}, // Kofi Mensah
}

// corpusSpan is one labelled identifier: its kind and byte span in the
// unescaped text.
type corpusSpan struct {
	kind       Kind
	start, end int
}

type corpusLine struct {
	line  int
	class string
	kinds []Kind // the kinds of spans, in order (the held-out test reads these too)
	spans []corpusSpan
	text  string
}

func (cl corpusLine) clean() bool { return strings.HasPrefix(cl.class, "clean-") }

// corpusClasses are the classes of issue 14 the corpus must hold, at least
// minClassLines lines each.
var corpusClasses = []string{
	"keyword-nhs", "keyword-nino", "keyword-ssn", "dates", "zip-place", "street-uk", "address-lower", "age",
	"record-spaced", "phone-intl", "email-spelled", "email-idn", "nino-span", "mbi",
	"evasion-zerowidth", "evasion-nbsp", "evasion-fullwidth", "evasion-hashtag", "evasion-mention",
	"evasion-linebreak", "evasion-caps", "evasion-accents",
	"clean-reference", "clean-price", "clean-event-date", "clean-hours", "clean-tooth", "clean-registration",
	"clean-own-details", "clean-near-miss",
}

const (
	minClassLines  = 8
	minCorpusLines = 600
	minHardClean   = 250
	// The corpus is every case studied, so each line is held on its own:
	// a missed identifier or a blocked clean line fails the test, whatever
	// the totals (issue 14's goals, recall 0.98 and false alarms 0.02, were
	// the floor before every line passed). A warning on a clean line (a
	// number that happens to pass the NHS check) is allowed up to this rate.
	maxCleanWarnings = 0.05
)

// unescapeCorpus turns \uXXXX into its rune, so invisible characters are
// visible in the file.
func unescapeCorpus(s string) (string, error) {
	var b strings.Builder
	for {
		i := strings.Index(s, `\u`)
		if i < 0 {
			b.WriteString(s)
			return b.String(), nil
		}
		if len(s) < i+6 {
			return "", fmt.Errorf("short \\u escape")
		}
		r, err := strconv.ParseUint(s[i+2:i+6], 16, 32)
		if err != nil {
			return "", fmt.Errorf("bad \\u escape %q", s[i:i+6])
		}
		b.WriteString(s[:i])
		b.WriteRune(rune(r))
		s = s[i+6:]
	}
}

// parseCorpusLine reads class<TAB>kinds<TAB>text[<TAB>note], where the text
// marks each identifier with [[ ]] and kinds names them in order.
func parseCorpusLine(n int, l string) (corpusLine, error) {
	cols := strings.Split(l, "\t")
	if len(cols) < 3 {
		return corpusLine{}, fmt.Errorf("corpus line %d: want class<TAB>kinds<TAB>text", n)
	}
	cl := corpusLine{line: n, class: cols[0]}
	var kinds []Kind
	if cols[1] != "-" {
		for _, k := range strings.Split(cols[1], ",") {
			if _, ok := kindInfo[Kind(k)]; !ok {
				return cl, fmt.Errorf("corpus line %d: unknown kind %q", n, k)
			}
			kinds = append(kinds, Kind(k))
		}
	}
	raw, err := unescapeCorpus(cols[2])
	if err != nil {
		return cl, fmt.Errorf("corpus line %d: %v", n, err)
	}
	var b strings.Builder
	for {
		i := strings.Index(raw, "[[")
		if i < 0 {
			break
		}
		j := strings.Index(raw[i:], "]]")
		if j < 0 {
			return cl, fmt.Errorf("corpus line %d: [[ without ]]", n)
		}
		b.WriteString(raw[:i])
		s := b.Len()
		b.WriteString(raw[i+2 : i+j])
		if len(cl.spans) >= len(kinds) {
			return cl, fmt.Errorf("corpus line %d: more [[spans]] than kinds", n)
		}
		cl.spans = append(cl.spans, corpusSpan{kind: kinds[len(cl.spans)], start: s, end: b.Len()})
		raw = raw[i+j+2:]
	}
	b.WriteString(raw)
	cl.text = b.String()
	cl.kinds = kinds
	if len(cl.spans) != len(kinds) {
		return cl, fmt.Errorf("corpus line %d: %d kinds but %d [[spans]]", n, len(kinds), len(cl.spans))
	}
	if cl.clean() != (len(kinds) == 0) {
		return cl, fmt.Errorf("corpus line %d: clean- classes have no identifiers, other classes at least one", n)
	}
	return cl, nil
}

func readCorpus(t *testing.T) []corpusLine {
	var out []corpusLine
	eachDataLine(t, "testdata/corpus.tsv", func(n int, l string) {
		cl, err := parseCorpusLine(n, l)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, cl)
	})
	return out
}

// eachDataLine calls fn with every line of a test data file (numbered from
// 1) that is neither empty nor a # comment.
func eachDataLine(t *testing.T, path string, fn func(n int, line string)) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		n++
		l := sc.Text()
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		fn(n, l)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
}

func TestParseCorpusLine(t *testing.T) {
	for _, tc := range []struct {
		in    string
		text  string
		spans []corpusSpan
		bad   bool
	}{
		{in: "dates\tbirth_date\tDOB [[1 May 1950]].", text: "DOB 1 May 1950.", spans: []corpusSpan{{KindBirthDate, 4, 14}}},
		{in: "evasion-zerowidth\tphone\tCall [[07700\\u200b900123]]", text: "Call 07700\u200b900123", spans: []corpusSpan{{KindPhone, 5, 19}}},
		{in: "clean-price\t-\tWhitening £295.", text: "Whitening £295."},
		{in: "dates\tbirth_date\tno span here", bad: true},
		{in: "clean-price\tphone\t[[0117 496 0999]]", bad: true},
		{in: "dates\tbirth_date,phone\t[[1 May 1950]]", bad: true},
		{in: "dates\tbirth_dat\t[[1 May 1950]]", bad: true},
		{in: "dates\tbirth_date\t[[1 May 1950", bad: true},
		{in: "dates\tbirth_date", bad: true},
		{in: "clean-x\t-\tbad \\u12", bad: true},
	} {
		cl, err := parseCorpusLine(1, tc.in)
		if tc.bad {
			if err == nil {
				t.Errorf("%q: want an error", tc.in)
			}
			continue
		}
		if err != nil || cl.text != tc.text || !slices.Equal(cl.spans, tc.spans) {
			t.Errorf("%q: got %q %v %v, want %q %v", tc.in, cl.text, cl.spans, err, tc.text, tc.spans)
		}
	}
}

// TestCorpus measures the scanner on the labelled corpus. A labelled
// identifier is found when a finding of its kind covers its span; a false
// alarm is a clean line with a blocking finding. It prints recall and
// precision per kind, recall (or false alarms) per class, then one line
// "corpus: recall R false-alarms F".
func TestCorpus(t *testing.T) {
	lines := readCorpus(t)
	m := testMatcher()
	type kc struct{ tp, fn, hit, fp int } // fn: missed labels; hit/fp: findings that do/don't match a label
	type cc struct{ lines, spans, found, alarms, warned int }
	perKind, perClass := map[Kind]*kc{}, map[string]*cc{}
	var spans, found, clean, hardClean, alarms, warned int
	for _, cl := range lines {
		fs := Scan(cl.text, m, testAllow)
		c := perClass[cl.class]
		if c == nil {
			c = &cc{}
			perClass[cl.class] = c
		}
		c.lines++
		for _, s := range cl.spans {
			k := perKind[s.kind]
			if k == nil {
				k = &kc{}
				perKind[s.kind] = k
			}
			spans++
			c.spans++
			if slices.ContainsFunc(fs, func(f Finding) bool { return f.Kind == s.kind && f.Start <= s.start && s.end <= f.End }) {
				found++
				c.found++
				k.tp++
			} else {
				k.fn++
				t.Errorf("MISS line %d %s %q: %s", cl.line, s.kind, cl.text[s.start:s.end], cl.text)
			}
		}
		for _, f := range fs {
			k := perKind[f.Kind]
			if k == nil {
				k = &kc{}
				perKind[f.Kind] = k
			}
			if slices.ContainsFunc(cl.spans, func(s corpusSpan) bool { return s.kind == f.Kind && s.start < f.End && f.Start < s.end }) {
				k.hit++
			} else {
				k.fp++
				if !cl.clean() {
					t.Logf("EXTRA line %d %s %s %q: %s", cl.line, f.Severity, f.Kind, f.Text, cl.text)
				}
			}
		}
		if !cl.clean() {
			continue
		}
		clean++
		if cl.class != "clean-legacy" {
			hardClean++
		}
		switch {
		case Blocked(fs):
			alarms++
			c.alarms++
			t.Errorf("FALSE ALARM line %d %s %q: %s", cl.line, fs[0].Kind, fs[0].Text, cl.text)
		case len(fs) > 0:
			warned++
			c.warned++
			t.Logf("WARNING on clean line %d %s %q: %s", cl.line, fs[0].Kind, fs[0].Text, cl.text)
		}
	}

	for _, k := range slices.Sorted(maps.Keys(perKind)) {
		c := perKind[k]
		t.Logf("  kind  %-17s recall %s  precision %s", k, frac(c.tp, c.tp+c.fn), frac(c.hit, c.hit+c.fp))
	}
	for _, k := range slices.Sorted(maps.Keys(perClass)) {
		c := perClass[k]
		if strings.HasPrefix(k, "clean-") {
			t.Logf("  class %-19s lines %3d  false alarms %s  warnings %d", k, c.lines, frac(c.alarms, c.lines), c.warned)
			continue
		}
		t.Logf("  class %-19s lines %3d  recall %s", k, c.lines, frac(c.found, c.spans))
	}
	recall, fa, warn := float64(found)/float64(spans), float64(alarms)/float64(clean), float64(warned)/float64(clean)
	t.Logf("lines %d, identifiers %d, clean %d (hard %d), warnings on clean %s", len(lines), spans, clean, hardClean, frac(warned, clean))
	t.Logf("corpus: recall %.3f false-alarms %.3f", recall, fa)

	if len(lines) < minCorpusLines || hardClean < minHardClean {
		t.Errorf("corpus has %d lines and %d hard clean ones, want at least %d and %d", len(lines), hardClean, minCorpusLines, minHardClean)
	}
	for _, k := range corpusClasses {
		if c := perClass[k]; c == nil || c.lines < minClassLines {
			t.Errorf("class %s has fewer than %d lines", k, minClassLines)
		}
	}
	if warn > maxCleanWarnings {
		t.Errorf("warnings on clean lines %.3f, over %.2f", warn, maxCleanWarnings)
	}
}

func frac(a, b int) string {
	if b == 0 {
		return "  -  (0/0)"
	}
	return fmt.Sprintf("%.3f (%d/%d)", float64(a)/float64(b), a, b)
}
