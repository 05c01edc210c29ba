package guard

import (
	"slices"
	"strings"
	"testing"
	"time"

	"practicepost/app"
	"practicepost/app/consent"
)

// signedRecord signs a real shipped UK form for patient p with the given
// scope, so Check runs consent.Validate on a record that passes its
// integrity checks.
// facebookRecord is p's unpaid consent, signed at signedAt, to quote
// quote on Facebook naming p as id.
func facebookRecord(t testing.TB, p app.Patient, id app.IdentityElement, quote string) consent.Record {
	t.Helper()
	return signedRecord(t, p, app.ConsentScope{Identity: []app.IdentityElement{id}, Channels: []app.ConsentChannel{app.ChannelFacebook}},
		quote, app.Remuneration{Kind: app.RemunerationNone}, signedAt)
}

func signedRecord(t testing.TB, p app.Patient, scope app.ConsentScope, quote string, pay app.Remuneration, at time.Time) consent.Record {
	t.Helper()
	ts, err := consent.ShippedTemplates()
	if err != nil {
		t.Fatal(err)
	}
	var tpl app.ConsentTemplate
	for _, x := range ts {
		if x.Country == "GB" {
			tpl = x
		}
	}
	f := consent.Form{
		Template: tpl,
		Practice: app.ConsentPractice{Name: "Harbour Dental", Address: "12 Quay Street, Bristol BS1 4QA", Email: "hello@harbourdental.co.uk",
			Phone: "0117 496 0123", PrivacyNoticeURL: "https://www.harbourdental.co.uk/privacy", Zone: "Europe/London"},
		Patient:          p,
		Signer:           app.Signer{Name: p.FullName},
		Scope:            scope,
		Quote:            quote,
		Remuneration:     pay,
		ExpiryMonths:     12,
		WithdrawalMethod: "email hello@harbourdental.co.uk",
		Method:           app.SignOnScreen,
	}
	text, err := f.Text(at)
	if err != nil {
		t.Fatal(err)
	}
	c, err := consent.Sign(f, consent.Signing{
		Signature:       app.Signature{TypedName: p.FullName, ImageSHA256: strings.Repeat("ab", 32), Strokes: [][]app.StrokePoint{{{X: 1, Y: 1}, {X: 2, Y: 3, T: 12}}}},
		SignedAt:        at,
		ShownTextSHA256: app.SHA256Hex([]byte(text)),
	}, at)
	if err != nil {
		t.Fatal(err)
	}
	c.ID = p.ID * 10
	return consent.Record{Consent: c, Template: tpl}
}

var (
	margaret = app.Patient{ID: 1, FullName: "Margaret Okafor", DateOfBirth: app.CivilDate{Year: 1961, Month: 4, Day: 2}, Email: "m@example.com"}
	kofi     = app.Patient{ID: 24, FullName: "Kofi Mensah", DateOfBirth: app.CivilDate{Year: 1979, Month: 9, Day: 12}, Email: "k@example.com"}
	signedAt = time.Date(2026, 1, 10, 10, 0, 0, 0, time.UTC)
	spring   = time.Date(2026, 4, 2, 8, 0, 0, 0, time.UTC)
)

func testPractice() Practice {
	return Practice{
		Country:    "GB",
		Clinicians: []app.Clinician{{Name: "Dr Priya Nair", Regulator: "GDC", Number: "112233"}},
		Allow:      AllowList{Phones: []string{"0117 496 0123"}, Domains: []string{"harbourdental.co.uk"}, StaffNames: []string{"Dr Priya Nair"}, Registrations: []string{"GDC 112233"}},
		Names: NewMatcher([]PatientName{
			{PatientID: "1", Name: margaret.FullName},
			{PatientID: "24", Name: kofi.FullName},
		}),
	}
}

func findingKinds(fs []Finding) []Kind {
	out := []Kind{}
	for _, f := range fs {
		out = append(out, f.Kind)
	}
	return out
}

func TestCheckIdentifiersAreHighlightedAndBlock(t *testing.T) {
	text := "Lovely to see Margaret Okafor today! NHS number 943 476 5919 for the records."
	r := Check(Draft{Text: text}, Facebook, testPractice(), spring)
	if !r.Blocked {
		t.Fatal("a patient's name and an NHS number must block the post")
	}
	want := map[Kind]string{KindPatientName: "Margaret Okafor", KindNHSNumber: "943 476 5919"}
	for k, span := range want {
		i := slices.IndexFunc(r.Findings, func(f Finding) bool { return f.Kind == k })
		if i < 0 {
			t.Fatalf("no %s finding in %v", k, findingKinds(r.Findings))
		}
		f := r.Findings[i]
		if f.Severity != Block || text[f.Start:f.End] != span || f.Channel != Facebook || f.Fix == "" {
			t.Errorf("%s finding = %+v, want block over %q with a fix", k, f, span)
		}
	}
	if len(r.Counters) == 0 || r.Counters[0].Used != len([]rune(text)) {
		t.Errorf("counters = %+v", r.Counters)
	}

	clean := Check(Draft{Text: "Book your check-up with Dr Priya Nair (GDC 112233). Call 0117 496 0123."}, Facebook, testPractice(), spring)
	if clean.Blocked || len(clean.Findings) != 0 {
		t.Errorf("the practice's own details were flagged: %+v", clean.Findings)
	}
}

func TestCheckPatientNameFollowsConsentPerChannelAndMoment(t *testing.T) {
	p := testPractice()
	rec := signedRecord(t, kofi, app.ConsentScope{
		Identity: []app.IdentityElement{app.IdentityFullName},
		Channels: []app.ConsentChannel{app.ChannelInstagram},
	}, "Best dentist in town.", app.Remuneration{Kind: app.RemunerationNone}, signedAt)
	p.NameConsents = map[string][]consent.Record{"24": {rec}}
	text := "Thank you Kofi Mensah for your kind words!"
	img := []Image{{Bytes: 200_000, Width: 1080, Height: 1350, Format: "jpeg"}}

	cases := []struct {
		name    string
		ch      Channel
		at      time.Time
		revoke  bool
		blocked bool
		reason  string
	}{
		{"covered channel, within the term", Instagram, spring, false, false, ""},
		{"channel the patient did not tick", Facebook, spring, false, true, "does not cover Facebook"},
		{"after the consent ends", Instagram, time.Date(2027, 2, 1, 9, 0, 0, 0, time.UTC), false, true, "expired"},
		{"after the patient withdrew", Instagram, spring, true, true, "withdrew"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r2 := rec
			if c.revoke {
				rv, err := consent.Revoke(rec.Consent, time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC), "email", "", time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
				if err != nil {
					t.Fatal(err)
				}
				r2.Revocation = &rv
			}
			pp := p
			pp.NameConsents = map[string][]consent.Record{"24": {r2}}
			r := Check(Draft{Text: text, Images: img}, c.ch, pp, c.at)
			if r.Blocked != c.blocked {
				t.Fatalf("blocked = %v, want %v: %+v", r.Blocked, c.blocked, r.Findings)
			}
			if !c.blocked {
				return
			}
			i := slices.IndexFunc(r.Findings, func(f Finding) bool { return f.Kind == KindPatientName })
			if i < 0 {
				t.Fatalf("no patient-name finding: %v", findingKinds(r.Findings))
			}
			if !strings.Contains(r.Findings[i].Message, c.reason) {
				t.Errorf("message %q does not say %q", r.Findings[i].Message, c.reason)
			}
		})
	}
}

func TestCheckTestimonialUses(t *testing.T) {
	quote := "The team made me feel at ease from the first visit."
	rec := signedRecord(t, margaret, app.ConsentScope{
		Identity: []app.IdentityElement{app.IdentityInitials},
		Channels: []app.ConsentChannel{app.ChannelFacebook, app.ChannelLinkedIn},
	}, quote, app.Remuneration{Kind: app.RemunerationNone}, signedAt)
	paid := signedRecord(t, margaret, app.ConsentScope{
		Identity: []app.IdentityElement{app.IdentityInitials},
		Channels: []app.ConsentChannel{app.ChannelFacebook},
	}, quote, app.Remuneration{Kind: app.RemunerationDiscount, Description: "20% off whitening", Disclosure: "received 20% off whitening"}, signedAt)

	use := func(r *consent.Record, q string, id ...app.IdentityElement) ConsentUse {
		return ConsentUse{Label: "Testimonial 1", PatientID: "1", Record: r, Use: consent.Use{Identity: id, Quote: q}}
	}
	post := "\"" + quote + "\" (M.O.)"
	cases := []struct {
		name string
		ch   Channel
		text string
		u    ConsentUse
		want []Kind
	}{
		{"covered", Facebook, post, use(&rec, quote, app.IdentityInitials), nil},
		{"no consent yet", Facebook, post, use(nil, quote), []Kind{KindConsentMissing}},
		{"channel not ticked", X, post, use(&rec, quote, app.IdentityInitials), []Kind{KindConsentPrefix + consent.CodeChannelNotCovered}},
		{"full name but only initials allowed", Facebook, post, use(&rec, quote, app.IdentityFullName), []Kind{KindConsentPrefix + consent.CodeIdentityNotCovered}},
		{"quote edited", LinkedIn, post + " Highly recommended!", use(&rec, quote+" Highly recommended!", app.IdentityInitials), []Kind{KindConsentPrefix + consent.CodeQuoteChanged}},
		{"quote missing from the post", Facebook, "We love our patients!", use(&rec, quote, app.IdentityInitials), []Kind{KindConsentPrefix + consent.CodeQuoteChanged}},
		{"quote re-wrapped over lines", Facebook, "\"The team made me feel\nat ease from the first visit.\"", use(&rec, quote, app.IdentityInitials), nil},
		{"paid testimonial without disclosure", Facebook, post, use(&paid, quote, app.IdentityInitials), []Kind{KindConsentPrefix + consent.CodeUndisclosedPayment}},
		{"paid testimonial disclosed", Facebook, post + " M.O. received 20% off whitening.", use(&paid, quote, app.IdentityInitials), nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := Check(Draft{Text: c.text, Uses: []ConsentUse{c.u}}, c.ch, testPractice(), spring)
			var got []Kind
			for _, f := range r.Findings {
				if strings.HasPrefix(string(f.Kind), "consent_") {
					got = append(got, f.Kind)
					if f.Severity != Block || f.Fix == "" || !strings.HasPrefix(f.Message, "Testimonial 1") {
						t.Errorf("consent finding %+v: want a block with a fix, labelled", f)
					}
				}
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("consent findings = %v, want %v", got, c.want)
			}
			if r.Blocked != (len(c.want) > 0) && !slices.ContainsFunc(r.Findings, func(f Finding) bool { return f.Severity == Block && !strings.HasPrefix(string(f.Kind), "consent_") }) {
				t.Errorf("blocked = %v with findings %v", r.Blocked, findingKinds(r.Findings))
			}
		})
	}
}

func TestCheckLimitsAndLintPerChannel(t *testing.T) {
	long := strings.Repeat("Floss daily and see us twice a year. ", 9) // 333 characters
	cases := []struct {
		name    string
		ch      Channel
		country string
		text    string
		images  []Image
		want    Kind
		blocked bool
	}{
		{"X counts 280", X, "GB", long, nil, KindTooLong, true},
		{"Bluesky counts 300 graphemes", Bluesky, "GB", long, nil, KindTooLong, true},
		{"Facebook takes it", Facebook, "GB", long, nil, "", false},
		{"Instagram needs an image", Instagram, "GB", "Smile!", nil, KindImageRequired, true},
		{"Botox in the UK", Facebook, "GB", "Ask about Botox this spring.", nil, KindPOM, true},
		{"the same words in the US", Facebook, "US", "Ask about Botox this spring.", nil, "", false},
		{"guaranteed", LinkedIn, "US", "Guaranteed results for every patient.", nil, KindClaim, true},
		{"practice phone on Google", GoogleBusiness, "GB", "Call us on 0117 496 0123 to book.", nil, KindGBPPhone, true},
		{"practice phone on Facebook", Facebook, "GB", "Call us on 0117 496 0123 to book.", nil, "", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := testPractice()
			p.Country = c.country
			r := Check(Draft{Text: c.text, Images: c.images}, c.ch, p, spring)
			if r.Blocked != c.blocked {
				t.Errorf("blocked = %v, want %v: %v", r.Blocked, c.blocked, findingKinds(r.Findings))
			}
			if c.want != "" && !slices.Contains(findingKinds(r.Findings), c.want) {
				t.Errorf("findings %v lack %s", findingKinds(r.Findings), c.want)
			}
			for _, f := range r.Findings {
				if f.Channel != c.ch {
					t.Errorf("finding %s has channel %q, want %q", f.Kind, f.Channel, c.ch)
				}
				if f.End > len(c.text) || f.Start > f.End {
					t.Errorf("finding %s has bad offsets %d..%d", f.Kind, f.Start, f.End)
				}
			}
		})
	}
}

func TestCheckEmptyDraft(t *testing.T) {
	r := Check(Draft{}, Facebook, Practice{}, spring)
	if !r.Blocked || !slices.Contains(findingKinds(r.Findings), KindEmptyPost) {
		t.Errorf("an empty draft must be blocked: %+v", r.Findings)
	}
}
