package guard

import (
	"bufio"
	"fmt"
	"os"
	"slices"
	"sort"
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

type corpusLine struct {
	line  int
	kinds []Kind
	text  string
}

func readCorpus(t *testing.T) []corpusLine {
	f, err := os.Open("testdata/corpus.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []corpusLine
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		n++
		l := sc.Text()
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		cols := strings.Split(l, "\t")
		if len(cols) < 2 {
			t.Fatalf("corpus line %d: want kinds<TAB>text", n)
		}
		var ks []Kind
		if cols[0] != "-" {
			for _, k := range strings.Split(cols[0], ",") {
				if _, ok := kindInfo[Kind(k)]; !ok {
					t.Fatalf("corpus line %d: unknown kind %q", n, k)
				}
				ks = append(ks, Kind(k))
			}
		}
		out = append(out, corpusLine{line: n, kinds: ks, text: cols[1]})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestCorpus measures the scanner on the labelled corpus. Per sentence:
// recall is the share of sentences with identifiers where every labelled
// kind was found; the false-positive rate is the share of clean sentences
// with any finding. Per kind the same, counted over (sentence, kind) pairs.
func TestCorpus(t *testing.T) {
	lines := readCorpus(t)
	if len(lines) < 300 {
		t.Fatalf("corpus has %d sentences, want at least 300", len(lines))
	}
	m := testMatcher()
	type counts struct{ tp, fn, fp, negatives int }
	perKind := map[Kind]*counts{}
	for k := range kindInfo {
		perKind[k] = &counts{}
	}
	var withIDs, caught, clean, cleanFlagged int
	for _, cl := range lines {
		fs := Scan(cl.text, m, testAllow)
		var got []Kind
		for _, f := range fs {
			if !slices.Contains(got, f.Kind) {
				got = append(got, f.Kind)
			}
		}
		for k, c := range perKind {
			want, have := slices.Contains(cl.kinds, k), slices.Contains(got, k)
			switch {
			case want && have:
				c.tp++
			case want:
				c.fn++
			case have:
				c.fp++
				c.negatives++
			default:
				c.negatives++
			}
		}
		if len(cl.kinds) > 0 {
			withIDs++
			all := true
			for _, k := range cl.kinds {
				all = all && slices.Contains(got, k)
			}
			if all {
				caught++
			} else {
				t.Logf("MISS line %d want %v got %v: %s", cl.line, cl.kinds, got, cl.text)
			}
		} else {
			clean++
			if len(fs) > 0 {
				cleanFlagged++
				t.Logf("FALSE POSITIVE line %d got %v %q: %s", cl.line, got, fs[0].Text, cl.text)
			}
		}
		for _, k := range got {
			if len(cl.kinds) > 0 && !slices.Contains(cl.kinds, k) {
				t.Logf("EXTRA KIND line %d want %v got %v: %s", cl.line, cl.kinds, got, cl.text)
			}
		}
	}
	recall := float64(caught) / float64(withIDs)
	fpRate := float64(cleanFlagged) / float64(clean)
	t.Logf("sentences: %d with identifiers, %d clean", withIDs, clean)
	t.Logf("per-sentence recall %.3f (%d/%d), false-positive rate %.3f (%d/%d)", recall, caught, withIDs, fpRate, cleanFlagged, clean)
	kinds := make([]string, 0, len(perKind))
	for k := range perKind {
		kinds = append(kinds, string(k))
	}
	sort.Strings(kinds)
	var tp, fn, fp, neg int
	for _, k := range kinds {
		c := perKind[Kind(k)]
		tp, fn, fp, neg = tp+c.tp, fn+c.fn, fp+c.fp, neg+c.negatives
		r := 1.0
		if c.tp+c.fn > 0 {
			r = float64(c.tp) / float64(c.tp+c.fn)
		}
		t.Logf("  %-17s recall %.3f (%d/%d)  false positives %d/%d (%.4f)", k, r, c.tp, c.tp+c.fn, c.fp, c.negatives, float64(c.fp)/float64(c.negatives))
	}
	kindRecall := float64(tp) / float64(tp+fn)
	kindFP := float64(fp) / float64(neg)
	t.Logf("per-kind (micro) recall %.3f (%d/%d), false-positive rate %.4f (%d/%d)", kindRecall, tp, tp+fn, kindFP, fp, neg)
	if recall < 0.95 || kindRecall < 0.95 {
		t.Errorf("recall below 0.95: per sentence %.3f, per kind %.3f", recall, kindRecall)
	}
	if fpRate > 0.03 || kindFP > 0.03 {
		t.Errorf("false-positive rate above 3%%: per sentence %.3f, per kind %.4f", fpRate, kindFP)
	}
}
