package guard

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestCheckDigits(t *testing.T) {
	tests := []struct {
		name string
		fn   func(string) bool
		in   string
		want bool
	}{
		{"nhs spaced", ValidNHSNumber, "943 476 5919", true},
		{"nhs compact", ValidNHSNumber, "4434640976", true},
		{"nhs hyphens", ValidNHSNumber, "406-480-8940", true},
		{"nhs check digit 0 (remainder 0 → 11 → 0)", ValidNHSNumber, "4010232137", mod11Valid("4010232137")},
		{"nhs wrong check digit", ValidNHSNumber, "943 476 5918", false},
		{"nhs check 10 never issued", ValidNHSNumber, "1000000070", false},
		{"nhs 999 test range", ValidNHSNumber, "9990000018", false},
		{"nhs too short", ValidNHSNumber, "943 476 591", false},
		{"nhs letters", ValidNHSNumber, "943 476 591A", false},
		{"nhs other separator", ValidNHSNumber, "943/476/5919", false},
		{"chi valid date and check", ValidCHINumber, "1403612196", true},
		{"chi 6-4 spacing", ValidCHINumber, "140361 2196", true},
		{"chi impossible date 31 Feb", ValidCHINumber, "3102611230", false},
		{"chi month 13", ValidCHINumber, "0113611234", false},
		{"chi wrong check digit", ValidCHINumber, "1403612197", false},
		{"hc in range", ValidHCNumber, "3761261160", true},
		{"hc below range", ValidHCNumber, "4434640976", false},
		{"hc wrong check", ValidHCNumber, "3761261161", false},
		{"nino spaced with suffix", ValidNINO, "AB 12 34 56 C", true},
		{"nino compact lower", ValidNINO, "jg103759a", true},
		{"nino no suffix", ValidNINO, "PN487291", true},
		{"nino first letter Q", ValidNINO, "QQ 12 34 56 C", false},
		{"nino second letter O", ValidNINO, "AO 12 34 56 C", false},
		{"nino prefix BG", ValidNINO, "BG 12 34 56 A", false},
		{"nino prefix TN", ValidNINO, "TN123456A", false},
		{"nino suffix E", ValidNINO, "AB123456E", false},
		{"nino five digits", ValidNINO, "AB12345C", false},
		{"ssn valid", ValidSSN, "536-22-8147", true},
		{"ssn spaced", ValidSSN, "421 58 9035", true},
		{"ssn area 000", ValidSSN, "000-12-3456", false},
		{"ssn area 666", ValidSSN, "666-45-1234", false},
		{"ssn area 9xx", ValidSSN, "912-34-5678", false},
		{"ssn group 00", ValidSSN, "536-00-8147", false},
		{"ssn serial 0000", ValidSSN, "536-22-0000", false},
		{"ssn eight digits", ValidSSN, "536-22-814", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.fn(tt.in); got != tt.want {
				t.Errorf("%q: got %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestDetectors(t *testing.T) {
	tests := []struct {
		text string
		want []Kind // in reading order; nil for none
		span string // text of the first finding, when it matters
	}{
		// names
		{"Thanks Zoe Hartley!", []Kind{KindPatientName}, "Zoe Hartley"},
		{"Thanks ZOË HARTLEY!", []Kind{KindPatientName}, "ZOË HARTLEY"},
		{"Thanks Zoe\u0308 Hartley (decomposed)", []Kind{KindPatientName}, "Zoe\u0308 Hartley"},
		{"Seán O’Connell is back", []Kind{KindPatientName}, "Seán O’Connell"},
		{"Zoe Hartleyson", nil, ""},                                     // not a whole word
		{"Zoe Hartleys smile", []Kind{KindPatientName}, "Zoe Hartleys"}, // a possessive without its apostrophe
		{"Zoe Hartley-Smith", []Kind{KindPatientName}, "Zoe Hartley"},   // hyphen is a word break
		{"Hartley, Zoe", []Kind{KindPatientName}, "Hartley, Zoe"},
		{"Hartley Zoe", nil, ""},         // reversed only with the comma
		{"Kofi Mensah says hi", nil, ""}, // consented on this channel
		{"Dr Owen Price says hi", nil, ""},
		{"Mrs Higgins says hi", []Kind{KindPossibleName}, "Mrs Higgins"},
		{"Mrs Nair says hi", nil, ""}, // staff surname
		// health numbers
		{"NHS 943 476 5919", []Kind{KindNHSNumber}, "943 476 5919"},
		{"NHS 943 476 5918", nil, ""},
		{"ref 999 000 0018", nil, ""},
		{"CHI 1403612196", []Kind{KindCHINumber}, "1403612196"},
		{"no context 2907500880", []Kind{KindCHINumber}, "2907500880"},
		{"no context 352 301 2414", []Kind{KindHCNumber}, "352 301 2414"},
		{"call +44 943 476 5919", nil, ""}, // glued to a country code: not an NHS number, not a valid UK phone
		// NINO, SSN
		{"NI AB 12 34 56 C", []Kind{KindNINumber}, "AB 12 34 56 C"},
		{"QQ 12 34 56 C", nil, ""},
		{"SSN 536-22-8147", []Kind{KindSSN}, "536-22-8147"},
		{"536 22 8147 alone", nil, ""}, // spaced needs an SSN keyword
		{"social security no. 536228147", []Kind{KindSSN}, "536228147"},
		// phones
		{"call 07700 900123", []Kind{KindPhone}, "07700 900123"},
		{"call +44 (0)7700 900123", []Kind{KindPhone}, "+44 (0)7700 900123"},
		{"(312) 847-2291 is her cell", []Kind{KindPhone}, "(312) 847-2291"},
		{"Call us on 0117 496 0123", nil, ""},
		{"Call us on +44 117 496 0123", nil, ""}, // same number, other format
		{"Freephone 0800 123 4567", nil, ""},
		{"dial 1-800-555-0199", nil, ""},
		{"£1,250 for 12 sessions", nil, ""},
		// email
		{"mail jo.b@gmail.com today", []Kind{KindEmail}, "jo.b@gmail.com"},
		{"mail hello@harbourdental.co.uk", nil, ""},
		{"mail nurse@mail.harbourdental.co.uk", nil, ""},
		// dates
		{"DOB 12/03/1961", []Kind{KindBirthDate}, "12/03/1961"},
		{"born on 3 May 1980", []Kind{KindBirthDate}, "3 May 1980"},
		{"born in 1980", nil, ""},
		{"March is busy", nil, ""},
		{"seen on Tuesday 4th March at 10:30 by Tom", []Kind{KindAppointment}, "Tuesday 4th March at 10:30"},
		{"Open day on Saturday 14 June at 10:00", nil, ""},
		{"Arrived 3 March 1998", []Kind{KindBirthDate}, "3 March 1998"}, // an old full date: warned as a probable birth date
		{"Founded 3 March 1998", nil, ""},                               // ... unless the sentence says it is the practice's history
		{"Prices valid until 31/12/2025", nil, ""},
		// places
		{"lives at BS3 1QT", []Kind{KindPostcode}, "BS3 1QT"},
		{"find us at BS1 4QA", nil, ""},
		{"lives at 1428 Maple Avenue", []Kind{KindAddress}, "1428 Maple Avenue"},
		{"visit 455 Market Street", nil, ""},
		{"Springfield, IL 62704", []Kind{KindZIP}, "62704"},
		{"San Francisco, CA 94105", nil, ""},
		{"10000 steps a day", nil, ""},
		{"our patient at 60614-2208", []Kind{KindZIP}, "60614-2208"},
		{"Invoice #48213-0092 is paid", nil, ""}, // a reference, as for a bare health number
		{"order 10027-4410 ships", nil, ""},
		{"home visit at flat 3, 41 victoria park avenue", []Kind{KindAddress}, "flat 3, 41 victoria park avenue"},
		{"in unit 5, 2 minutes walk from the car park", nil, ""},
		{"posted to 8 Orchard Way for her", []Kind{KindAddress}, "8 Orchard Way"},
		{"he lives at 3 The Avenue now", []Kind{KindAddress}, "3 The Avenue"},
		{"dropped at 2 St. John's Rd", []Kind{KindAddress}, "2 St. John's Rd"},
		{"mailed to 900 W Grand Ave, Apt 12C yesterday", []Kind{KindAddress}, "900 W Grand Ave, Apt 12C"},
		{"left at 61 Elm St #3 for him", []Kind{KindAddress}, "61 Elm St #3"},
		{"5 minutes down the road", nil, ""},
		{"our 2 way radio", nil, ""},
		{"mail mike underscore t at yahoo dot co dot uk", []Kind{KindEmail}, "mike underscore t at yahoo dot co dot uk"},
		{"write to hello underscore team at harbourdental dot co dot uk", nil, ""}, // the practice's own domain, spelled
		{"Thanks @mohammed_iqbal87!", []Kind{KindPatientName}, "mohammed_iqbal"},
		{"Mohammed Iqbal87 wrote", nil, ""},            // digits glued to a name count only inside a handle
		{"Thank you Mr Mensah for the story", nil, ""}, // a consenting patient, not "someone's title and surname"
		{"Thank you Mr Mendes for the story", []Kind{KindPossibleName}, "Mr Mendes"},
		// records and ages
		{"MRN 00482913", []Kind{KindRecordNumber}, "00482913"},
		{"patient ID required", nil, ""},
		{"GDC 112233", nil, ""},
		{"Aged 95, he swims", []Kind{KindAgeOver89}, "Aged 95"},
		{"aged 90+ welcome", nil, ""},
		{"aged 65 or over", nil, ""},
		{"Edith (93) still swims", []Kind{KindAgeOver89}, "(93)"},
		{"4.9 stars on Google (93)", nil, ""},
		// set 4's near misses: a date said of no one's booking, a title
		// that is no name, a staff surname with its possessive
		{"Book your check-up on Saturday 3rd May and bring the kids along too.", nil, ""},
		{"Don't forget your 30 June deadline for the photo contest!", nil, ""},
		{"The team had a review on 5 March of the new booking system.", nil, ""},
		{"Fire safety check done 12/03/2026, all exits clear.", nil, ""},
		{"Well done Jenny Park! Our open day is on 5 June.", []Kind{KindPatientName}, "Jenny Park"},
		{"We're open on New Year's Eve until noon.", nil, ""},
		{"congrats to the new mr and mrs on their wedding day!", nil, ""},
		{"Mrs Khan's sticker jar is legendary", nil, ""},
		// several
		{"Zoe Hartley, DOB 12/03/1961, call 07700 900123", []Kind{KindPatientName, KindBirthDate, KindPhone}, "Zoe Hartley"},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			fs := Scan(tt.text, testMatcher(), testAllow)
			var got []Kind
			for _, f := range fs {
				got = append(got, f.Kind)
			}
			if !slices.Equal(got, tt.want) {
				t.Fatalf("kinds %v, want %v", got, tt.want)
			}
			if tt.span != "" && fs[0].Text != tt.span {
				t.Errorf("span %q, want %q", fs[0].Text, tt.span)
			}
			for _, f := range fs {
				if f.Message == "" || f.Fix == "" || (f.Severity != Block && f.Severity != Warn) {
					t.Errorf("finding %+v lacks message, fix or severity", f)
				}
			}
		})
	}
}

func TestScanSeverities(t *testing.T) {
	fs := Scan("Arrived 3 March 1998. DOB 12/03/1961. She was seen on 4 March.", nil, AllowList{})
	want := []Severity{Warn, Block, Warn}
	var got []Severity
	for _, f := range fs {
		got = append(got, f.Severity)
	}
	if !slices.Equal(got, want) {
		t.Fatalf("severities %v, want %v (%v)", got, want, fs)
	}
	if !Blocked(fs) || Blocked(fs[:1]) || Blocked(nil) {
		t.Error("Blocked disagrees with the severities")
	}
}

func TestScanNilMatcherAndEmpty(t *testing.T) {
	if fs := Scan("", nil, AllowList{}); len(fs) != 0 {
		t.Errorf("empty text: %v", fs)
	}
	if fs := Scan("Margaret Okafor", nil, AllowList{}); len(fs) != 0 {
		t.Errorf("nil matcher should find no names: %v", fs)
	}
	if n := NewMatcher(nil).Len(); n != 0 {
		t.Errorf("empty matcher has %d forms", n)
	}
	if fs := Scan("Margaret Okafor", NewMatcher([]PatientName{{"x", "  "}, {"y", "Margaret Okafor"}}), AllowList{}); len(fs) != 1 {
		t.Errorf("blank names must be ignored: %v", fs)
	}
}

func TestMatcherSharedNamesAndConsent(t *testing.T) {
	m := NewMatcher([]PatientName{{"a", "Sam Jones"}, {"b", "Sam Jones"}, {"c", "Alex Jones"}})
	// Both Sam Joneses must be consented before the name is cleared.
	if fs := Scan("Sam Jones", m, AllowList{ConsentedPatients: []string{"a"}}); len(fs) != 1 {
		t.Errorf("one of two namesakes consented: got %v", fs)
	}
	if fs := Scan("Sam Jones", m, AllowList{ConsentedPatients: []string{"a", "b"}}); len(fs) != 0 {
		t.Errorf("both namesakes consented: got %v", fs)
	}
	// "Mrs Jones" could be any of them.
	if fs := Scan("Mrs Jones", m, AllowList{ConsentedPatients: []string{"a", "b"}}); len(fs) != 1 || fs[0].Kind != KindPatientName {
		t.Errorf("title form shared with an unconsented patient: got %v", fs)
	}
	// Overlapping forms: the longer match wins and findings never overlap.
	m2 := NewMatcher([]PatientName{{"a", "Anne Marie"}, {"b", "Marie Doyle"}, {"c", "Anne Marie Doyle"}})
	fs := Scan("Anne Marie Doyle", m2, AllowList{})
	if len(fs) != 1 || fs[0].Text != "Anne Marie Doyle" {
		t.Errorf("overlapping names: got %v", fs)
	}
}

func TestMatcherLargeDictionary(t *testing.T) {
	ns := fakeNames(5000)
	m := NewMatcher(ns)
	for _, i := range []int{0, 1234, 4999} {
		text := "Lovely to see " + ns[i].Name + " today."
		fs := Scan(text, m, AllowList{})
		if len(fs) != 1 || fs[0].Text != ns[i].Name {
			t.Errorf("name %d (%s): got %v", i, ns[i].Name, fs)
		}
	}
}

// fakeNames builds n distinct "Given Family" names from syllables.
func fakeNames(n int) []PatientName {
	given := []string{"Amelia", "Oliver", "Isla", "Noah", "Ava", "Leo", "Mia", "Arlo", "Ivy", "Theo", "Freya", "Finn", "Zoë", "José", "Siobhán", "Kwame", "Aisling", "Dmitri", "Ngozi", "Yusuf"}
	fam1 := []string{"Ash", "Brook", "Cald", "Dun", "Elling", "Fair", "Gold", "Hart", "Ing", "Kings", "Lang", "Mar", "North", "Oak", "Pem", "Rad", "Stan", "Thorn", "Wake", "Yar"}
	fam2 := []string{"ford", "ley", "well", "ton", "worth", "by", "ham", "wood", "field", "more", "stead", "cott", "bridge", "dale"}
	out := make([]PatientName, 0, n)
	for i := 0; len(out) < n; i++ {
		g := given[i%len(given)]
		f := fam1[(i/len(given))%len(fam1)] + fam2[(i/(len(given)*len(fam1)))%len(fam2)]
		suffix := ""
		if k := i / (len(given) * len(fam1) * len(fam2)); k > 0 {
			suffix = "-" + strings.Repeat("Smith", k)
		}
		out = append(out, PatientName{PatientID: fmt.Sprint(i), Name: g + " " + f + suffix})
	}
	return out
}

// checkFindings asserts the invariants every caller relies on.
func checkFindings(t *testing.T, text string, fs []Finding) {
	t.Helper()
	boundary := map[int]bool{len(text): true}
	for i := range text {
		boundary[i] = true
	}
	for i, f := range fs {
		if f.Start < 0 || f.End > len(text) || f.Start >= f.End {
			t.Fatalf("finding %d has bad offsets [%d,%d) for len %d", i, f.Start, f.End, len(text))
		}
		if !boundary[f.Start] || !boundary[f.End] {
			t.Fatalf("finding %d [%d,%d) splits a UTF-8 sequence", i, f.Start, f.End)
		}
		if f.Text != text[f.Start:f.End] {
			t.Fatalf("finding %d text %q is not text[%d:%d]", i, f.Text, f.Start, f.End)
		}
		if i > 0 && fs[i-1].End > f.Start {
			t.Fatalf("findings %d and %d overlap", i-1, i)
		}
		if utf8.ValidString(text) && !utf8.ValidString(f.Text) {
			t.Fatalf("finding %d text is not valid UTF-8", i)
		}
	}
}

func FuzzScan(f *testing.F) {
	for _, s := range []string{
		"Margaret Okafor, DOB 12/03/1961, NHS 943 476 5919, call 07700 900123.",
		"Zoë Hartley – born on 3 May 1980 – lives at 27 Fernbank Road, Leeds LS6 2AB",
		"SSN 536-22-8147; MRN 00482913; jo@gmail.com; Springfield, IL 62704",
		"Seán O’Connell\u0301\u0301 ß Æ \xff\xfe 🦷👩‍⚕️ 中文 عربى",
		"M a r g a r e t  O k a f o r, Z.o.e\u0308 H.a.r.t.l.e.y and K-e-i-s-h-a.",
	} {
		f.Add(s)
	}
	m := testMatcher()
	f.Fuzz(func(t *testing.T, text string) {
		checkFindings(t, text, Scan(text, m, testAllow))
		for _, ch := range Channels {
			fs := Lint(LintInput{Text: text, Channel: ch, Country: "GB", Remunerated: true})
			for _, x := range fs {
				if x.Start < 0 || x.End > len(text) || x.Start > x.End || x.Text != text[x.Start:x.End] {
					t.Fatalf("lint finding %+v has bad offsets", x)
				}
			}
			_ = CheckLimits(ch, text, nil, MastodonInstance{})
		}
	})
}

func TestCorpusFindingsInvariants(t *testing.T) {
	m := testMatcher()
	for _, cl := range readCorpus(t) {
		checkFindings(t, cl.text, Scan(cl.text, m, testAllow))
	}
}

// benchDictionary is 5,000 names: the corpus patients plus generated ones.
func benchDictionary() []PatientName {
	ns := fakeNames(5000 - len(testPatients))
	for i, n := range testPatients {
		ns = append(ns, PatientName{PatientID: fmt.Sprintf("p%02d", i+1), Name: n})
	}
	return ns
}

// benchPost joins corpus sentences into a 2,000-character post: clean ones
// (prices, hours, staff, events) for a typical post, or the ones with
// identifiers for the worst case, where nearly every word is near a digit.
func benchPost(b *testing.B, withIDs bool) string {
	var sb strings.Builder
	for sb.Len() < 2000 {
		for _, cl := range readCorpusForBench(b) {
			if (len(cl.kinds) > 0) == withIDs {
				sb.WriteString(cl.text)
				sb.WriteByte(' ')
			}
		}
	}
	text := sb.String()[:2000]
	for !utf8.ValidString(text) {
		text = text[:len(text)-1]
	}
	return text
}

func benchScan(b *testing.B, withIDs bool) {
	m := NewMatcher(benchDictionary())
	text := benchPost(b, withIDs)
	findings := len(Scan(text, m, testAllow))
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		Scan(text, m, testAllow)
	}
	// After the loop: ResetTimer (and b.Loop's first call) clear metrics
	// reported before it.
	b.ReportMetric(float64(findings), "findings")
}

func BenchmarkScan2000CharsTypical5000Names(b *testing.B) { benchScan(b, false) }
func BenchmarkScan2000CharsDense5000Names(b *testing.B)   { benchScan(b, true) }

func BenchmarkNewMatcher5000Names(b *testing.B) {
	ns := fakeNames(5000)
	b.ReportAllocs()
	for b.Loop() {
		NewMatcher(ns)
	}
}

func readCorpusForBench(b *testing.B) []corpusLine {
	t := &testing.T{}
	out := readCorpus(t)
	if len(out) == 0 {
		b.Fatal("empty corpus")
	}
	return out
}
