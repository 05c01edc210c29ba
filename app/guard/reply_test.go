package guard

import (
	"strings"
	"testing"

	"practicepost/app"
	"practicepost/assets"
)

func replyKitGB() app.BrandKit {
	return app.BrandKit{PracticeName: "Clifton Dental", Country: "GB", Phone: "0117 496 0123", Email: "hello@cliftondental.co.uk",
		Website: "https://cliftondental.co.uk", Clinicians: []app.Clinician{{Name: "Dr Priya Nair", Regulator: "GDC", Number: "112233"}}}
}

func replyKitUS() app.BrandKit {
	return app.BrandKit{PracticeName: "Your Smile Dental", Country: "US", Phone: "(415) 555-0132", Email: "frontdesk@yoursmiledental.com"}
}

func TestReplyRulesFileCompiles(t *testing.T) {
	rs, err := ParseReplyRules(assets.ReplyRules())
	if err != nil {
		t.Fatal(err)
	}
	if len(rs.rules) < 10 {
		t.Fatalf("only %d rules", len(rs.rules))
	}
}

func TestParseReplyRulesRefusesBadFiles(t *testing.T) {
	for name, data := range map[string]string{
		"not json":        `{`,
		"unknown list":    `{"rules":[{"id":"x","kind":"k","severity":"block","scope":"match","patterns":["{nope}"],"explain":{"GB":"a","US":"b"},"rewrite":{"GB":"a","US":"b"}}]}`,
		"bad regexp":      `{"rules":[{"id":"x","kind":"k","severity":"block","scope":"match","patterns":["(("],"explain":{"GB":"a","US":"b"},"rewrite":{"GB":"a","US":"b"}}]}`,
		"no US wording":   `{"rules":[{"id":"x","kind":"k","severity":"block","scope":"match","patterns":["a"],"explain":{"GB":"a"},"rewrite":{"GB":"a","US":"b"}}]}`,
		"bad severity":    `{"rules":[{"id":"x","kind":"k","severity":"maybe","scope":"match","patterns":["a"],"explain":{"GB":"a","US":"b"},"rewrite":{"GB":"a","US":"b"}}]}`,
		"missing builtin": `{"rules":[]}`,
	} {
		if _, err := ParseReplyRules([]byte(data)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestCheckReply(t *testing.T) {
	patients := NewMatcher([]PatientName{{PatientID: "1", Name: "Margaret Okafor"}})
	cases := []struct {
		text      string
		commenter string
		kit       app.BrandKit
		blocked   bool
		kind      Kind   // a kind that must be among the findings when blocked
		span      string // text the finding must cover
	}{
		// Unsafe: confirms the relationship.
		{text: "Sorry your crown came loose, Mrs Smith.", commenter: "Jane Smith", kit: replyKitGB(), blocked: true, kind: "reply_name", span: "Mrs Smith"},
		{text: "Sorry your crown came loose, Mrs Smith.", commenter: "Jane Smith", kit: replyKitGB(), blocked: true, kind: "reply_confirms_patient", span: "your crown"},
		{text: "Thank you for trusting us with your care!", kit: replyKitUS(), blocked: true, kind: "reply_confirms_patient"},
		{text: "We hope you've been well since your visit.", kit: replyKitGB(), blocked: true, kind: "reply_confirms_patient"},
		{text: "We saw you on Tuesday and everything looked fine.", kit: replyKitGB(), blocked: true, kind: "reply_confirms_patient", span: "We saw you"},
		{text: "We're sorry about your appointment being moved.", kit: replyKitUS(), blocked: true, kind: "reply_confirms_patient", span: "your appointment"},
		{text: "As a valued patient you deserve better.", kit: replyKitUS(), blocked: true, kind: "reply_confirms_patient"},
		{text: "Our records show you cancelled twice.", kit: replyKitGB(), blocked: true, kind: "reply_confirms_patient"},
		{text: "We have no record of you ever attending.", kit: replyKitGB(), blocked: true, kind: "reply_confirms_patient"},
		{text: "Lovely to see you in yesterday!", kit: replyKitGB(), blocked: true},
		{text: "Welcome back, we missed you!", kit: replyKitUS(), blocked: true, kind: "reply_confirms_patient"},
		// Clinical facts, costs, insurance, clinicians.
		{text: "Sorry the filling fell out, that can happen.", kit: replyKitGB(), blocked: true, kind: "reply_clinical"},
		{text: "Glad you're feeling better after the extraction!", kit: replyKitUS(), blocked: true, kind: "reply_clinical"},
		{text: "The $450 was explained before we started.", kit: replyKitUS(), blocked: true, kind: "reply_cost"},
		{text: "Your insurance denied the claim, not us.", kit: replyKitUS(), blocked: true, kind: "reply_insurance"},
		{text: "Your NHS band 2 charge is set by the government.", kit: replyKitGB(), blocked: true},
		{text: "Dr Nair saw you and explained everything.", kit: replyKitGB(), blocked: true, kind: "reply_clinician"}, // clinician_named: dead until its [A-Za-z'’-] class survived the apostrophe rewrite
		{text: "Dr Shah examined your x-rays carefully.", kit: replyKitGB(), blocked: true},
		{text: "Sorry you had to wait 40 minutes.", kit: replyKitGB(), blocked: true},
		// Names: the commenter's display name, any patient's, title + surname.
		{text: "Thanks Sarah, that means a lot!", commenter: "Sarah Jenkins", kit: replyKitGB(), blocked: true, kind: "reply_name", span: "Sarah"},
		{text: "Thank you Ms Jenkins for the lovely words.", commenter: "Sarah Jenkins", kit: replyKitGB(), blocked: true, kind: "reply_name", span: "Ms Jenkins"},
		{text: "Thank you Mrs Higgins for the lovely words.", commenter: "", kit: replyKitGB(), blocked: true, kind: "reply_name"},
		{text: "Margaret Okafor also loved it!", kit: replyKitGB(), blocked: true, kind: "reply_name"},
		{text: "Thanks @sarah_j92!", commenter: "sarah_j92", kit: replyKitUS(), blocked: true, kind: "reply_name"},
		// Someone else's contact details.
		{text: "Ring her on 07700 900123.", kit: replyKitGB(), blocked: true, kind: KindPhone},

		// Safe: must pass (false-positive checks).
		{text: "Thanks for the kind words! Call us on 0117 496 0123 any time.", kit: replyKitGB()},
		{text: "Thanks for the kind words! Call us at (415) 555-0132 any time.", kit: replyKitUS()},
		{text: "Thank you from everyone at Your Smile Dental!", kit: replyKitUS()},
		{text: "Thank you for your feedback. We can't discuss anyone's care online, but please call us on 0117 496 0123 or email hello@cliftondental.co.uk and ask for the practice manager.", kit: replyKitGB()},
		{text: "We'd be happy to help you book an appointment: please call us on 0117 496 0123.", kit: replyKitGB()},
		{text: "Great question! We can't give personal advice online, so please email hello@cliftondental.co.uk.", kit: replyKitGB()},
		{text: "Remember to brush your teeth twice a day!", kit: replyKitGB()},
		{text: "We're open on Saturday mornings, call us on 0117 496 0123 to book.", kit: replyKitGB()},
		{text: "We're happy to help. Happy holidays from all the team!", commenter: "Happy Customer", kit: replyKitUS()},
		{text: "Ask for Dr Priya Nair's team when you call 0117 496 0123.", kit: replyKitGB()},
		{text: "We take all feedback seriously.", kit: replyKitUS()},
		{text: "If you have any questions about implants, please call us at (415) 555-0132.", kit: replyKitUS()},
		{text: "Thank you! It means a lot to our whole team.", commenter: "Jane Smith", kit: replyKitGB()},
		{text: "", kit: replyKitGB()},
		// The practice's email is not a handle, even when it shares a word with the commenter's name.
		{text: "Thank you! Email hello@cliftondental.co.uk any time.", commenter: "Clifton Rogers", kit: replyKitGB()},
	}
	for _, c := range cases {
		r := CheckReply(Reply{Text: c.text, Commenter: c.commenter, Kit: c.kit, Names: patients}, nil)
		if r.Blocked != c.blocked {
			t.Errorf("%q: blocked %v, want %v; findings %+v", c.text, r.Blocked, c.blocked, r.Findings)
			continue
		}
		if !c.blocked {
			for _, f := range r.Findings {
				if f.Severity == Block {
					t.Errorf("%q: blocking finding %+v", c.text, f)
				}
			}
			continue
		}
		if c.kind == "" {
			continue
		}
		found := false
		for _, f := range r.Findings {
			if f.Kind != c.kind || f.Severity != Block {
				continue
			}
			if c.span != "" && !strings.Contains(c.text[f.Start:f.End], c.span) && !strings.Contains(c.span, c.text[f.Start:f.End]) {
				continue
			}
			found = true
			// A name's fix says what to do; the other rules give wording to use.
			if f.Message == "" || f.Fix == "" || strings.HasPrefix(f.Fix, RewritePrefix) == (f.Kind == "reply_name" || f.Kind == KindPhone) {
				t.Errorf("%q: finding without explanation or rewrite: %+v", c.text, f)
			}
			if f.Text != c.text[f.Start:f.End] {
				t.Errorf("%q: finding text %q does not match its span", c.text, f.Text)
			}
		}
		if !found {
			t.Errorf("%q: no blocking %s finding covering %q in %+v", c.text, c.kind, c.span, r.Findings)
		}
	}
}

func TestReplyFixOffersThePracticeContact(t *testing.T) {
	r := CheckReply(Reply{Text: "Sorry your crown came loose, Mrs Smith", Kit: replyKitGB()}, nil)
	if !r.Blocked {
		t.Fatal("not blocked")
	}
	for _, f := range r.Findings {
		if f.Kind == "reply_confirms_patient" && !strings.Contains(f.Fix, "0117 496 0123") {
			t.Errorf("fix does not offer the practice phone: %s", f.Fix)
		}
	}
	if !strings.Contains(r.Private, "hello@cliftondental.co.uk") || !strings.Contains(r.Private, "practice manager") {
		t.Errorf("private route %q", r.Private)
	}
	us := CheckReply(Reply{Text: "Thank you for trusting us with your care", Kit: replyKitUS()}, nil)
	if !strings.Contains(us.Private, "office manager") || !strings.Contains(us.Private, "call us at (415) 555-0132") {
		t.Errorf("US private route %q", us.Private)
	}
	if !strings.Contains(us.Findings[0].Message, "HIPAA") {
		t.Errorf("US wording should name HIPAA: %s", us.Findings[0].Message)
	}
}

func TestReplyNegativeWithoutPrivateRouteWarns(t *testing.T) {
	r := CheckReply(Reply{Text: "We're sorry to hear this.", Kit: replyKitGB()}, nil)
	if r.Blocked || len(r.Findings) != 1 || r.Findings[0].Kind != "reply_no_private_route" || r.Findings[0].Severity != Warn {
		t.Fatalf("%+v", r)
	}
}

// BenchmarkCheckReply is the cost of one check as the manager types.
func BenchmarkCheckReply(b *testing.B) {
	names := make([]PatientName, 0, 5000)
	for i := range 5000 {
		names = append(names, PatientName{PatientID: strings.Repeat("x", i%7+1), Name: "Patient" + strings.Repeat("a", i%13) + " Surname" + strings.Repeat("b", i%17)})
	}
	m := NewMatcher(names)
	text := "Thank you for your feedback. We're sorry to read that you're unhappy. We can't discuss anyone's care online, but we take every concern seriously and would like to talk: please call us on 0117 496 0123 or email hello@cliftondental.co.uk and ask for the practice manager."
	rs := DefaultReplyRules()
	b.ResetTimer()
	for b.Loop() {
		CheckReply(Reply{Text: text, Commenter: "Jane Smith", Kit: replyKitGB(), Names: m}, rs)
	}
}

func TestDisclosesHealth(t *testing.T) {
	for text, want := range map[string]bool{
		"My crown came loose two days after my appointment.": true,
		"I've had back pain since the session.":              true,
		"I'm diabetic and worried about an implant":          true,
		"Lovely friendly team!":                              false,
		"Are you open on Saturdays?":                         false,
		"Do you do teeth whitening?":                         false,
		"":                                                   false,
	} {
		if got := DisclosesHealth(text, nil); got != want {
			t.Errorf("%q: %v, want %v", text, got, want)
		}
	}
}
