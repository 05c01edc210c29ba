package guard

import (
	"slices"
	"testing"
)

// TestPresidioRecognizerCases covers what the public test suites of
// Microsoft Presidio's recognizers check for NHS numbers, NI numbers, SSNs,
// phone numbers, e-mail addresses and UK postcodes. The cases are written
// here from what those suites test (valid shapes and separators, positions
// inside a sentence, and the invalid prefixes, check digits and letters
// they reject); where this scanner deliberately reads a case differently,
// the case says why. The practice's allow list is empty, so every number is
// a stranger's.
func TestPresidioRecognizerCases(t *testing.T) {
	tests := []struct {
		text  string
		kind  Kind
		spans []string // blocking findings of kind, in order; nil for none
		warn  []string // findings of kind that are warnings
		why   string   // for a deliberate disagreement
	}{
		// NHS numbers: dashes, spaces, compact; a wrong check digit is not one.
		{text: "401-023-2137", kind: KindNHSNumber, spans: []string{"401-023-2137"}},
		{text: "221 395 1837", kind: KindNHSNumber, spans: []string{"221 395 1837"}},
		{text: "0032698674", kind: KindNHSNumber, spans: []string{"0032698674"}},
		{text: "401-023-2138", kind: KindNHSNumber},
		{text: "NHS number 401-023-2138", kind: KindNHSNumber, warn: []string{"401-023-2138"},
			why: "after the keyword a wrong check digit is a warning: a mistyped NHS number still points at a patient"},

		// National Insurance numbers.
		{text: "AA 12 34 56 B", kind: KindNINumber, spans: []string{"AA 12 34 56 B"}},
		{text: "hh 01 02 03 d", kind: KindNINumber, spans: []string{"hh 01 02 03 d"}},
		{text: "tw987654a", kind: KindNINumber, spans: []string{"tw987654a"}},
		{text: "nino: PR 123612C", kind: KindNINumber, spans: []string{"PR 123612C"}},
		{text: "Here is my National Insurance Number YZ 61 48 68 B", kind: KindNINumber, spans: []string{"YZ 61 48 68 B"}},
		{text: "AA 12 34 56 H", kind: KindNINumber}, // H is no suffix, so this is not a NINO with its suffix cut off
		{text: "FQ 00 00 00 C", kind: KindNINumber},
		{text: "BG123612A", kind: KindNINumber},
		{text: "nino: nt 99 88 77 a", kind: KindNINumber, warn: []string{"nt 99 88 77 a"},
			why: "behind the keyword a prefix HMRC does not issue is a warning, not silence: it may be a typo of a real number"},
		{text: "This isn't a valid national insurance number UV 98 76 54 B", kind: KindNINumber, warn: []string{"UV 98 76 54 B"},
			why: "the same: a warning that says HMRC never issues it, for the manager to look at"},

		// SSNs.
		{text: "078-05-1123", kind: KindSSN, spans: []string{"078-05-1123"}},
		{text: "078051121", kind: KindSSN,
			why: "nine bare digits are flagged only after \"SSN\" or \"social security\": order and case numbers take the same shape"},
		{text: "SSN 078051121", kind: KindSSN, spans: []string{"078051121"}},
		{text: "078.05.1123", kind: KindSSN,
			why: "dotted and spaced groups are flagged only after a keyword; alone they are as often prices, versions or codes"},
		{text: "SSN 078.05.1123", kind: KindSSN, spans: []string{"078.05.1123"}},
		{text: "SSN 078 05 1123", kind: KindSSN, spans: []string{"078 05 1123"}},
		{text: "0780511201", kind: KindSSN},
		{text: "000000000", kind: KindSSN},
		{text: "666000000", kind: KindSSN},
		{text: "078-05-0000", kind: KindSSN},
		{text: "078 00 1123", kind: KindSSN},
		{text: "693-09.4444", kind: KindSSN},

		// Phone numbers.
		{text: "My US number is (415) 555-0132, and my international one is +1 415 555 0132", kind: KindPhone, spans: []string{"(415) 555-0132", "+1 415 555 0132"}},
		{text: "_: (415)555-0132", kind: KindPhone, spans: []string{"(415)555-0132"}},
		{text: "United States: (415)555-0132", kind: KindPhone, spans: []string{"(415)555-0132"}},
		{text: "US: 415-555-0132", kind: KindPhone, spans: []string{"415-555-0132"}},
		{text: "Brazil: +55 11 98456 5666", kind: KindPhone, spans: []string{"+55 11 98456 5666"}},
		{text: "My Israeli number is 09-7625400", kind: KindPhone,
			why: "practices are in the UK and US; a national number from elsewhere without its country code is not read (with +972 it is)"},
		{text: "My Israeli number is +972 9-7625400", kind: KindPhone, spans: []string{"+972 9-7625400"}},

		// E-mail addresses.
		{text: "info@presidio.site", kind: KindEmail, spans: []string{"info@presidio.site"}},
		{text: "my email address is info@presidio.site", kind: KindEmail, spans: []string{"info@presidio.site"}},
		{text: "try one of these emails: info@presidio.site or anotherinfo@presidio.site", kind: KindEmail, spans: []string{"info@presidio.site", "anotherinfo@presidio.site"}},
		{text: "my email is info@presidio.", kind: KindEmail},

		// UK postcodes, every format, with and without the space.
		{text: "M1 1AA", kind: KindPostcode, spans: []string{"M1 1AA"}},
		{text: "M60 1NW", kind: KindPostcode, spans: []string{"M60 1NW"}},
		{text: "W1A 1HQ", kind: KindPostcode, spans: []string{"W1A 1HQ"}},
		{text: "CR2 6XH", kind: KindPostcode, spans: []string{"CR2 6XH"}},
		{text: "DN55 1PT", kind: KindPostcode, spans: []string{"DN55 1PT"}},
		{text: "EC1A 1BB", kind: KindPostcode, spans: []string{"EC1A 1BB"}},
		{text: "GIR 0AA", kind: KindPostcode, spans: []string{"GIR 0AA"}},
		{text: "M11AA", kind: KindPostcode, spans: []string{"M11AA"}},
		{text: "EC1A1BB", kind: KindPostcode, spans: []string{"EC1A1BB"}},
		{text: "DN551PT", kind: KindPostcode, spans: []string{"DN551PT"}},
		{text: "GIR0AA", kind: KindPostcode, spans: []string{"GIR0AA"}},
		{text: "My address is SW1A 1AA in London", kind: KindPostcode, spans: []string{"SW1A 1AA"}},
		{text: "Send to postcode EC2A 1NT please", kind: KindPostcode, spans: []string{"EC2A 1NT"}},
		{text: "From SW1A 1AA to EC1A 1BB", kind: KindPostcode, spans: []string{"SW1A 1AA", "EC1A 1BB"}},
		{text: "QA1 1AA", kind: KindPostcode},
		{text: "VA1 1AA", kind: KindPostcode},
		{text: "XA1 1AA", kind: KindPostcode},
		{text: "M1 1CA", kind: KindPostcode},
		{text: "M1 1AI", kind: KindPostcode},
		{text: "1A1 1AA", kind: KindPostcode},
		{text: "ABCM11AADEF", kind: KindPostcode},
	}
	for _, tt := range tests {
		fs := Scan(tt.text, nil, AllowList{})
		checkFindings(t, tt.text, fs)
		var block, warn []string
		for _, f := range fs {
			if f.Kind != tt.kind {
				continue
			}
			if f.Severity == Block {
				block = append(block, f.Text)
			} else {
				warn = append(warn, f.Text)
			}
		}
		if !slices.Equal(block, tt.spans) || !slices.Equal(warn, tt.warn) {
			t.Errorf("%q: %s blocks %q warnings %q, want %q and %q %s", tt.text, tt.kind, block, warn, tt.spans, tt.warn, tt.why)
		}
	}
}
