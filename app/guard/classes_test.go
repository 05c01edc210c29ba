package guard

import (
	"strings"
	"testing"
)

// classCase is one reading issue 14 asks for: the finding of kind that
// covers span (nothing of that kind when kind is empty), its severity, and
// for warnings a word the message must contain to say why.
type classCase struct {
	text string
	kind Kind
	span string
	sev  Severity
	why  string
}

func runClassCases(t *testing.T, cases []classCase) {
	t.Helper()
	m := testMatcher()
	for _, tc := range cases {
		fs := Scan(tc.text, m, testAllow)
		checkFindings(t, tc.text, fs)
		if tc.kind == "" {
			for _, f := range fs {
				if f.Severity == Block {
					t.Errorf("%q: want no blocking finding, got %s %q", tc.text, f.Kind, f.Text)
				}
			}
			continue
		}
		var got *Finding
		for i, f := range fs {
			if f.Kind == tc.kind {
				got = &fs[i]
				break
			}
		}
		switch {
		case got == nil:
			t.Errorf("%q: no %s finding (got %v)", tc.text, tc.kind, fs)
		case got.Text != tc.span:
			t.Errorf("%q: %s span %q, want %q", tc.text, tc.kind, got.Text, tc.span)
		case got.Severity != tc.sev:
			t.Errorf("%q: severity %s, want %s", tc.text, got.Severity, tc.sev)
		case tc.why != "" && !strings.Contains(got.Message, tc.why):
			t.Errorf("%q: message %q does not say %q", tc.text, got.Message, tc.why)
		}
	}
}

func TestEvasion(t *testing.T) {
	runClassCases(t, []classCase{
		{text: "Call her on 07700\u200b900\u200b123 tonight.", kind: KindPhone, span: "07700\u200b900\u200b123", sev: Block},
		{text: "Thank you Mar\u200bgaret Oka\u200bfor!", kind: KindPatientName, span: "Mar\u200bgaret Oka\u200bfor", sev: Block},
		{text: "NHS no 943\u00a0476\u00a05919", kind: KindNHSNumber, span: "943\u00a0476\u00a05919", sev: Block},
		{text: "SSN ５３６-２２-８１４７", kind: KindSSN, span: "５３６-２２-８１４７", sev: Block},
		{text: "Thank you Ｍａｒｇａｒｅｔ Ｏｋａｆｏｒ!", kind: KindPatientName, span: "Ｍａｒｇａｒｅｔ Ｏｋａｆｏｒ", sev: Block},
		{text: "Text 0161\u00ad496\u00ad0999 (soft hyphens)", kind: KindPhone, span: "0161\u00ad496\u00ad0999", sev: Block},
		{text: "So proud of #GoMargaretOkafor today", kind: KindPatientName, span: "MargaretOkafor", sev: Block},
		{text: "Congrats @GraceThompson92!", kind: KindPatientName, span: "GraceThompson", sev: Block},
		{text: "Thanks @okafor_margaret for the words", kind: KindPatientName, span: "okafor_margaret", sev: Block},
		{text: "Thanks @MrsOkafor!", kind: KindPatientName, span: "MrsOkafor", sev: Block},
		{text: "Okafor Margaret wrote to us"}, // family name first, no comma, outside a tag: not the name
		{text: "Thank you Margaret\nOkafor", kind: KindPatientName, span: "Margaret\nOkafor", sev: Block},
		{text: "THANK YOU MARGARET OKAFOR", kind: KindPatientName, span: "MARGARET OKAFOR", sev: Block},
		{text: "Thanks Jose Ramirez", kind: KindPatientName, span: "Jose Ramirez", sev: Block},
		// A name run together only inside a tag: the same letters inside an
		// ordinary word are not a name.
		{text: "The gomargaretokafor campaign"},
		// The practice's own number, masked, is still its own.
		{text: "Call 0117\u00a0496\u00a00123 to book."},
	})
}

func TestEmails(t *testing.T) {
	runClassCases(t, []classCase{
		{text: "Her email is zoë.hartley@gmail.com, fine to share.", kind: KindEmail, span: "zoë.hartley@gmail.com", sev: Block},
		{text: "Contact info@café-brennan.ie today", kind: KindEmail, span: "info@café-brennan.ie", sev: Block},
		{text: "Email jo dot bloggs at gmail dot com for the photos.", kind: KindEmail, span: "jo dot bloggs at gmail dot com", sev: Block},
		{text: "Send it to jbrennan (at) outlook (dot) com.", kind: KindEmail, span: "jbrennan (at) outlook (dot) com", sev: Block},
		{text: "Reach her at anna.b at gmail.com for the recipe.", kind: KindEmail, span: "anna.b at gmail.com", sev: Block},
		{text: "Write to bob at gmail dot com", kind: KindEmail, span: "bob at gmail dot com", sev: Block},
		{text: "Mail her at jo@gmail dot com today", kind: KindEmail, span: "jo@gmail dot com", sev: Block},
		{text: "Contact jo @ gmail.com today", kind: KindEmail, span: "jo @ gmail.com", sev: Block},
		{text: "Email hello @ harbourdental.co.uk"},
		{text: "Find us at bayviewdental.org for prices."},
		{text: "Message us at facebook.com/harbourdental"},
		{text: "Email us: hello at harbourdental dot co dot uk"},
		{text: "Drop a line to info (at) riversidephysio (dot) co (dot) uk."},
		{text: "Our dot com address has changed."},
	})
}

func TestKeywordIdentifiers(t *testing.T) {
	runClassCases(t, []classCase{
		{text: "NHS number: 186 091 3906 on the letter", kind: KindNHSNumber, span: "186 091 3906", sev: Warn, why: "check digit"},
		{text: "NHS no. 186.091.3903", kind: KindNHSNumber, span: "186.091.3903", sev: Block},
		{text: "His NHS number was given as 5075 291 708", kind: KindNHSNumber, span: "5075 291 708", sev: Block},
		{text: "NHS 943 476 5918"}, // no keyword but "NHS" alone, and a wrong check digit: nothing
		{text: "Her NI number QQ 12 34 56 C", kind: KindNINumber, span: "QQ 12 34 56 C", sev: Warn, why: "specimen"},
		{text: "National Insurance number ab-12-34-56-c", kind: KindNINumber, span: "ab-12-34-56-c", sev: Block},
		{text: "NI no. AB-12-34-56-A was visible", kind: KindNINumber, span: "AB-12-34-56-A", sev: Block},
		{text: "Found HP 456712 D on the scan", kind: KindNINumber, span: "HP 456712 D", sev: Block},
		{text: "nice 12 34 56 results"},
		{text: "SSN 536.22.8147 on the form", kind: KindSSN, span: "536.22.8147", sev: Block},
		{text: "Social Security No. 5362-28-147", kind: KindSSN, span: "5362-28-147", sev: Block},
		{text: "His SSN is 000-12-3456", kind: KindSSN, span: "000-12-3456", sev: Warn, why: "never issues"},
		{text: "A code like 123 456 789 will be texted to you."},
		{text: "Medicare number 1EG4-TE5-MK73 on the card", kind: KindRecordNumber, span: "1EG4-TE5-MK73", sev: Block, why: "Medicare"},
		{text: "His card shows 5GH2JK7NP31 under the name", kind: KindRecordNumber, span: "5GH2JK7NP31", sev: Block, why: "Medicare"},
		{text: "medicare no. 1a23-c45-de67", kind: KindRecordNumber, span: "1a23-c45-de67", sev: Block},
		{text: "code 1eg4-te5-mk73 without a keyword"},
		{text: "MRN: 004 829 17 was on the label", kind: KindRecordNumber, span: "004 829 17", sev: Block},
		{text: "Hospital no. RX1 234567 is on his wristband", kind: KindRecordNumber, span: "RX1 234567", sev: Block},
		{text: "Record no. HN 4821 77 appears on the chart", kind: KindRecordNumber, span: "HN 4821 77", sev: Block},
		{text: "MBI: 1EG4 TE5 MK73 on the card", kind: KindRecordNumber, span: "1EG4 TE5 MK73", sev: Block},
		{text: "NI number is: AB 12 34 56 C", kind: KindNINumber, span: "AB 12 34 56 C", sev: Block},
		{text: "SSN (536-22-8147) on the form", kind: KindSSN, span: "536-22-8147", sev: Block},
	})
}

func TestDatesPlacesAges(t *testing.T) {
	runClassCases(t, []classCase{
		{text: "DOB 05-May-1962, allergies none.", kind: KindBirthDate, span: "05-May-1962", sev: Block},
		{text: "Date of birth: 05-MAY-1962", kind: KindBirthDate, span: "05-MAY-1962", sev: Block},
		{text: "She was born 3rd Mar '58 and walks daily", kind: KindBirthDate, span: "3rd Mar '58", sev: Block},
		{text: "D.O.B. 1958-03-03 00:00:00 on the referral", kind: KindBirthDate, span: "1958-03-03 00:00:00", sev: Block},
		{text: "Her appointment on 2025-02-11T10:15:00Z went well", kind: KindAppointment, span: "2025-02-11T10:15:00Z", sev: Warn},
		{text: "Printed 17-OCT-1955 with no keyword", kind: KindBirthDate, span: "17-OCT-1955", sev: Warn, why: "decades old"},
		{text: "Open day: 05-May-2026, 10am–2pm."},
		{text: "Founded 12-Jan-1998, caring for smiles since."},
		{text: "Shout-out to our patients in 90210 who came!", kind: KindZIP, span: "90210", sev: Warn},
		{text: "A thank you to the patient from 98109-2301", kind: KindZIP, span: "98109-2301", sev: Warn},
		{text: "We walked in 10000 steps a day for the hospice."},
		{text: "He grew up at 3 Tanners Row and still lives there.", kind: KindAddress, span: "3 Tanners Row", sev: Block},
		{text: "Her new flat is 9 Orchard Cl. in Kingswood.", kind: KindAddress, span: "9 Orchard Cl.", sev: Block},
		{text: "He lives at 22 Harbour View, up the hill.", kind: KindAddress, span: "22 Harbour View", sev: Block},
		{text: "she lives at 14 oak street and walks in", kind: KindAddress, span: "14 oak street", sev: Block},
		{text: "Sign up for our 10 Mile Walk on Sunday!"},
		{text: "We're 2 minutes down the road from the station."},
		{text: "Find us at 12 Quay St, Bristol bs1 4qa."},
		{text: "Find us at 1200 S Congress Ave, Austin, TX 78704."},
		{text: "Edith, 93yo, walked out smiling.", kind: KindAgeOver89, span: "93yo", sev: Block},
		{text: "Our Bernard, 93 y/o, still cycles.", kind: KindAgeOver89, span: "93 y/o", sev: Block},
		{text: "Edith Marsh (93) says hello!", kind: KindAgeOver89, span: "(93)", sev: Block},
		{text: "A 101 y.o. patient came in.", kind: KindAgeOver89, span: "101 y.o.", sev: Block},
		{text: "At 97 yrs old she is our most loyal patient.", kind: KindAgeOver89, span: "At 97 yrs old", sev: Block},
		{text: "See figure (93) in the leaflet."},
		{text: "93% of patients would recommend us."},
		{text: "Age: 93 and still doing her exercises.", kind: KindAgeOver89, span: "Age: 93", sev: Block},
		{text: "Harold is in his 93rd year.", kind: KindAgeOver89, span: "93rd year", sev: Block},
		{text: "Over 90 yrs of combined experience."},
		{text: "Welcome to the families in the 90210 area!", kind: KindZIP, span: "90210", sev: Warn},
		{text: "Join the 10000 Steps challenge with us."},
		{text: "DOB 05/MAY/1962", kind: KindBirthDate, span: "05/MAY/1962", sev: Block},
		{text: "Date of birth: 5 MARCH 1962", kind: KindBirthDate, span: "5 MARCH 1962", sev: Block},
		{text: "Born March 3rd, '58, still swimming.", kind: KindBirthDate, span: "March 3rd, '58", sev: Block},
		{text: "The 5 MAY open day is sold out."},
		{text: "He lives at 12 Victoria Gdns near the park.", kind: KindAddress, span: "12 Victoria Gdns", sev: Block},
		{text: "Our ninety-three-year-old patient", kind: KindAgeOver89, span: "ninety-three-year-old", sev: Block},
		{text: "Happy one hundred and second birthday!", kind: KindAgeOver89, span: "one hundred and second birthday", sev: Block},
		{text: "Happy birthday to Edith, 93. She says thanks", kind: KindAgeOver89, span: "93", sev: Block},
		{text: "Grandma (94) loves her denture", kind: KindAgeOver89, span: "(94)", sev: Block},
		{text: "Table (93) of the report"},
		{text: "Ninety years of dentistry on Quay Street!"},
		{text: "Rooms 1, 93. and 94 are being refurbished."},
		{text: "Post it to 12, Abbey Walk in Frome.", kind: KindAddress, span: "12, Abbey Walk", sev: Block},
	})
}

func TestPhonesAndContext(t *testing.T) {
	runClassCases(t, []classCase{
		{text: "Ring her on +353 87 123 4567 tonight", kind: KindPhone, span: "+353 87 123 4567", sev: Block},
		{text: "His mobile is 087 123 4567, over from Donegal", kind: KindPhone, span: "087 123 4567", sev: Block},
		{text: "Her number is 0044 7700 900456 while away", kind: KindPhone, span: "0044 7700 900456", sev: Block},
		{text: "Text +44-7700-900789 to reach her daughter", kind: KindPhone, span: "+44-7700-900789", sev: Block},
		{text: "He's on 00353 86 234 5678 this week", kind: KindPhone, span: "00353 86 234 5678", sev: Block},
		{text: "Contact +353 (0)21 490 1234 for her dentist", kind: KindPhone, span: "+353 (0)21 490 1234", sev: Block},
		// Reference numbers: right after their label they are no phone at
		// all; a reference word further back makes the reading a warning.
		{text: "Your order 4412345678 has shipped."},
		{text: "Order #6175550123 is ready; call us if not.", kind: ""},
		{text: "Your confirmation number is 3345127789."},
		{text: "Raffle tickets 0117 000 001 to 0117 000 500 sold!"},
		{text: "The order came with a note: 07700 900123 rang", kind: KindPhone, span: "07700 900123", sev: Warn, why: "order"},
		// "phone" anywhere in the sentence no longer decides: the nearest word does.
		{text: "Phone us about invoice 7700900123 please"},
		{text: "Call 07700 900123 today", kind: KindPhone, span: "07700 900123", sev: Block},
		{text: "Webinar 2026-04-02 19:00 GMT: jaw pain."},
		{text: "Her daughter is on (+44) 7700 900456.", kind: KindPhone, span: "(+44) 7700 900456", sev: Block},
		{text: "Her Dublin number is 01 234 5678.", kind: KindPhone, span: "01 234 5678", sev: Block},
		{text: "Ring (01) 234 5678 in Dublin", kind: KindPhone, span: "(01) 234 5678", sev: Block},
		{text: "Order number 01 234 5678 has shipped."},
		// The practice's own number in any format.
		{text: "Dial 0044 117 496 0123 from abroad."},
		{text: "Call us on +44 (0)117 496 0123 to book."},
		{text: "Phone 01174960123 before 6pm."},
		// Health-number check digits that fit by chance after a reference word.
		{text: "Ticket no. 2125550199 wins the hamper!", kind: KindNHSNumber, span: "2125550199", sev: Warn, why: "reference"},
		// A demo number behind a keyword is not a weak reading to chase.
		{text: "Demo NHS number 443 464 0979 is made up for training."},
	})
}

// The practice's country decides which readings of a bare number are
// likely; the same words give different severities.
func TestPhoneCountry(t *testing.T) {
	m := testMatcher()
	for _, tc := range []struct {
		country, text string
		want          Severity // "" for no phone finding
	}{
		{"GB", "Thanks! 4155550177 was the winner", Warn}, // a US-shaped number in a UK post
		{"US", "Thanks! 4155550177 was the winner", Block},
		{"", "Thanks! 4155550177 was the winner", Block},
		{"GB", "Call 4155550177 about the lift", Block}, // "call" before it: a phone wherever it is from
		{"US", "Thanks! 07700 900123 was the winner", Warn},
		{"GB", "Thanks! 07700 900123 was the winner", Block},
		{"GB", "Our patients in 90210 say hi", ""},
	} {
		allow := testAllow
		allow.Country = tc.country
		var got Severity
		for _, f := range Scan(tc.text, m, allow) {
			if f.Kind == KindPhone {
				got = f.Severity
				if f.Severity == Warn && !strings.Contains(f.Message, "country") {
					t.Errorf("%s %q: warning %q does not say why", tc.country, tc.text, f.Message)
				}
			}
			if f.Kind == KindZIP && tc.country == "GB" {
				t.Errorf("%s %q: a ZIP code reading in a UK practice", tc.country, tc.text)
			}
		}
		if got != tc.want {
			t.Errorf("%s %q: phone %q, want %q", tc.country, tc.text, got, tc.want)
		}
	}
}

func TestContextData(t *testing.T) {
	if ef, _, adj := contextOf("Order no. 4412345678", 10, 40, "phone", "GB"); ef != ctxLower || !adj {
		t.Errorf("order no.: %v %v", ef, adj)
	}
	if ef, _, _ := contextOf("Call about 07700 900123", 11, 40, "phone", "GB"); ef != ctxRaise {
		t.Errorf("call: %v", ef)
	}
	if ef, _, _ := contextOf("Her cell 2125550199", 9, 40, "phone", "GB"); ef != ctxNone {
		t.Errorf("cell is a US word: %v", ef)
	}
	if ef, _, _ := contextOf("Her cell 2125550199", 9, 40, "phone", "US"); ef != ctxRaise {
		t.Errorf("cell in a US practice: %v", ef)
	}
	for _, bad := range []string{"phone\t*\traise", "phone\t*\tboost\tcall"} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%q: a malformed context line must be refused", bad)
				}
			}()
			parseContext(bad)
		}()
	}
}
