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
	})
}
