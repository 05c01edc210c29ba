package guard

import (
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// anchoredScanners are the detectors that run their expression only at
// likely match starts, with the windows each is run over in Scan.
var anchoredScanners = map[string]*anchored{
	"possibleName": possibleNameAt, "tenDigit": tenDigitAt, "ssnDash": ssnDashAt, "ssnSpace": ssnSpaceAt,
	"nino": ninoAt, "ninoLower": ninoLowerAt, "dmy": dmyAt, "mdy": mdyAt, "my": myAt, "numDate": numDateAt,
	"postcode": postcodeAt, "postcodeLower": postcodeLowerAt, "address": addressAt, "zipState": zipStateAt,
	"zipWord": zipWordAt, "record": recordAt, "phoneCand": phoneCandAt, "obfAt": obfAtAt,
	"mbi": mbiAt, "dashMonth": dashMonthAt, "holiday": holidayAt, "spacedNumDate": spacedNumDateAt, "zipAfterStreet": zipAfterStreetAt,
}

// sameAsRegexp checks every anchored detector, and findEmails, against the
// plain expression over the same windows and over the whole text.
func sameAsRegexp(t *testing.T, text string) {
	t.Helper()
	whole := windows{{0, len(text)}}
	for name, a := range anchoredScanners {
		for _, w := range []windows{digitWindows(text), whole} {
			got, want := a.findAll(text, w), w.findAll(a.re, text)
			if !slices.EqualFunc(got, want, slices.Equal) {
				t.Fatalf("%s on %q over %v: anchored %v, regexp %v", name, text, w, got, want)
			}
		}
	}
	for _, w := range []windows{atWindows(text), whole} {
		if got, want := findEmails(text, w), w.findAll(emailRe, text); !slices.EqualFunc(got, want, slices.Equal) {
			t.Fatalf("email on %q: anchored %v, regexp %v", text, got, want)
		}
	}
	if got, want := obfuscatedAt(text), obfAtRe.MatchString(text); got != want {
		t.Fatalf("obfuscated @ on %q: %v, regexp %v", text, got, want)
	}
}

// tricky pieces: each detector's edges, \b next to _ and non-ASCII bytes,
// the letters (?i) folds to non-ASCII (ſ for s, K for k), invalid UTF-8.
var anchorPieces = []string{
	"0", "1", "9", "12", "31", "95", "110", "2024", "1961", "07700", "900123", "0117", "496", "0123", "943", "476", "5919",
	"536", "22", "8147", "62704", "1428", "123456789", "4th", "3rd", "of", "Jan", "March", "May", "Sept", "Tuesday", "Wed", "Mon.", "Thurs",
	" ", " ", " ", "  ", "-", "/", ".", ",", ", ", "(", ")", "[", "{", "+", "#", ":", "\n", "\t", "'", "’", "@", "_", "ſ", "\u212a", "é", "\xff", "\xe2\x80",
	"AB", "ab", "JG", "C", "a", "Mr", "Mrs", "Miss", "Ms.", "Mx", "Higgins", "O'Neil", "GIR", "0AA", "BS3", "1QT", "bs3", "1qt", "W1A",
	"Street", "St", "Dr", "Avenue", "Maple", "N", "North", "2nd", "IL", "CA", "ZIP", "zip", "code", "Postal code", "po",
	"MRN", "mrn", "m.r.n.", "record no.", "Hosp", "hoſp", "patient", "ID", "patient #", "policy", "number", "member", "caſe", "unit", "is", "A12-34B",
	"jo.b", "x", "gmail", ".com", "co", "uk", "at", "(at)", "[ at ]", "dot", "%",
	"Tuesday", "Tues.", "Wednesday,", "Wedday", "Satur", "Sun., ", "Mar.", "March,", "Sept", "Septembers", " of ", " often", "21st", "42nd", "3rds",
	"N.", "North", "Road", "Lane", "12B", "536-22-8147", "123 45 6789", "123456789", "AB 123456", "ab123456c", "1 1", "12-3", "1999-1-1",
	"medical record ", "health ", "med rec", "patient#", "acct.", "(", "\f", "A",
	"1EG4", "TE5", "MK73", "1eg4-te5-mk73", "05-MAY-1962", "05/May/", "5.", "MARCH", "'58", "’39", "T10:15:00Z", " 00:00", "Cl.", "Row", "yo", "y/o", "(93)",
}

func randomAnchorText(r *rand.Rand) string {
	var b strings.Builder
	for range 1 + r.IntN(30) {
		b.WriteString(anchorPieces[r.IntN(len(anchorPieces))])
	}
	return b.String()
}

func TestAnchoredMatchesRegexp(t *testing.T) {
	for _, cl := range readCorpus(t) {
		sameAsRegexp(t, cl.text)
	}
	r := rand.New(rand.NewPCG(6, 2000))
	for range 3000 {
		sameAsRegexp(t, randomAnchorText(r))
	}
}

func FuzzAnchored(f *testing.F) {
	for _, s := range []string{
		"DOB 12/03/1961, seen on Tuesday 4th March 2025 at 10:30; 2025-03-04",
		"call +44 (0)7700 900123 or (312) 847-2291; NHS 943 476 5919; SSN 536-22-8147",
		"Mrs O'Neil, 1428 N Maple Avenue, Springfield, IL 62704; zip code: 94105-1234",
		"MRN: A12-34B; hoſp no 12345; jo.b@gmail.com.x@y.co.uk; jo [at] gmail [dot] com",
		"AB 12 34 56 C, jg103759a, BS3 1QT, bs3 1qt, GIR 0AA",
	} {
		f.Add(s)
	}
	f.Fuzz(sameAsRegexp)
}

func TestExpressionLengths(t *testing.T) {
	tests := []struct {
		re       string
		min, max int
	}{
		{`\d{3}-\d{2}`, 6, 6},
		{`(?i)ssn`, 3, 5},  // ſ is two bytes
		{`(?i)k`, 1, 3},    // the Kelvin sign is three
		{`[a-z’]+`, 1, -1}, // unbounded
		{`a?b{0,2}`, 0, 3},
		{`\bx(?:yz|w)\b`, 2, 3},
		{`[^0-9]{0,2}`, 0, 8},
	}
	for _, tt := range tests {
		re := regexp.MustCompile(tt.re)
		p := parseSyntax(re)
		if got := minLen(p); got != tt.min {
			t.Errorf("minLen(%s) = %d, want %d", tt.re, got, tt.min)
		}
		if got := maxLen(p); got != tt.max {
			t.Errorf("maxLen(%s) = %d, want %d", tt.re, got, tt.max)
		}
	}
	for _, re := range []string{`a*`, `\bab|cd`, `\b-`} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: an expression that matches the empty string or begins with \\b only in part must be refused", re)
				}
			}()
			anchor(regexp.MustCompile(re), func(string, int) bool { return true }, nil)
		}()
	}
}

// Every detector but the phone, e-mail and obfuscated-@ ones begins at a
// word start, which lets the scan skip the middle of words.
func TestAnchoredWordStarts(t *testing.T) {
	for name, a := range anchoredScanners {
		if want := name != "phoneCand" && name != "obfAt"; a.word != want {
			t.Errorf("%s: word start %v, want %v", name, a.word, want)
		}
	}
}

// The record and age gates look for ASCII keywords in what
// strings.ToLower makes of the post, without building that string.
func TestASCIILowerFindsWhatToLowerFinds(t *testing.T) {
	pieces := []string{"PAT", "İ", "I", "ENT", "enar", "ian", "\u212a", "K", "ſ", "Ǆ", "\xff", "\xc4", " ", "MRN", "m.r.n", "rec ", "a"}
	keys := append(slices.Clone(recordKeywords), "enarian", "patient", "k")
	r := rand.New(rand.NewPCG(9, 9))
	for range 5000 {
		s := randomText(r, pieces, 8)
		low := asciiLower(nil, s)
		for _, k := range keys {
			if got, want := strings.Contains(string(low), k), strings.Contains(strings.ToLower(s), k); got != want {
				t.Fatalf("%q contains %q: %v, strings.ToLower says %v", s, k, got, want)
			}
		}
	}
}
