package consent

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"practicepost/app"
)

// Every documented example of a clear disclosure is recognised, in its
// country and in upper case.
func TestDisclosurePhraseExamples(t *testing.T) {
	for _, p := range disclosurePhrases {
		country := p.Country
		if country == "" {
			country = "GB"
		}
		for _, s := range []string{p.Example, strings.ToUpper(p.Example), "Thanks! " + p.Example + "."} {
			if len(ClearDisclosures(s, country)) == 0 {
				t.Errorf("%s example %q is not recognised", country, s)
			}
		}
	}
	if len(ClearDisclosures("paid endorsement", "GB")) != 0 || len(ClearDisclosures("advertorial", "US")) != 0 {
		t.Error("a country's own phrasing applied in the other country")
	}
}

func TestDisclosureNearTheTestimonial(t *testing.T) {
	quote := "I can smile in photos again. The team were kind and patient."
	far := strings.Repeat("Our practice has parking, step-free access and late opening on Thursdays. ", 4) // ~300 characters
	cases := []struct {
		name    string
		country string
		post    string
		quote   string // the use's quote; "" for an image-only testimonial
		agreed  string // Remuneration.Disclosure
		want    bool
	}{
		// Clear phrases beside the quote.
		{"received complimentary treatment", "GB", "\"" + quote + "\" Zoë received complimentary treatment.", quote, "", true},
		{"#ad after the quote", "GB", "\"" + quote + "\" #ad", quote, "", true},
		{"offered a discount for this review", "US", "\"" + quote + "\"\nZoë was offered a discount for this review.", quote, "", true},
		{"paid for this review", "US", "Zoë was paid for this review: \"" + quote + "\"", quote, "", true},
		{"gifted a kit", "GB", "\"" + quote + "\" (Zoë was gifted a whitening kit.)", quote, "", true},
		{"paid partnership", "GB", "Paid partnership. \"" + quote + "\"", quote, "", true},
		{"in exchange for this review", "US", "\"" + quote + "\" Treatment was discounted in exchange for this review.", quote, "", true},
		{"treatment free of charge", "GB", "\"" + quote + "\" Her treatment was provided free of charge.", quote, "", true},
		{"quote re-wrapped", "GB", "\"I can smile in photos again.\nThe team were kind and patient.\" #ad", quote, "", true},
		{"next paragraph, close", "GB", "\"" + quote + "\"\n\nZoë received a complimentary whitening.", quote, "", true},
		{"same long paragraph", "GB", "\"" + quote + "\" " + far + "#ad", quote, "", true},
		{"agreed wording", "GB", "\"" + quote + "\" (ZOË GOT 20% OFF HER ALIGNERS)", quote, "Zoë got 20% off her aligners", true},
		{"what the consent records, as received", "GB", "\"" + quote + "\" Zoë received 20% off whitening.", quote, "", true},
		// Near misses: marker words that are not a disclosure.
		{"a warm welcome", "GB", "\"" + quote + "\" Everyone received a warm welcome.", quote, "", false},
		{"whitening discount this month", "GB", "\"" + quote + "\" Whitening discount available this month!", quote, "", false},
		{"#adult", "GB", "\"" + quote + "\" #adult #adultorthodontics", quote, "", false},
		{"#advertising week", "GB", "\"" + quote + "\" #adverts", quote, "", false},
		{"gifted clinicians", "GB", "\"" + quote + "\" We are gifted clinicians.", quote, "", false},
		{"complimentary parking", "GB", "\"" + quote + "\" Complimentary parking for all patients.", quote, "", false},
		{"sponsored the fun run", "GB", "\"" + quote + "\" We sponsored the local fun run.", quote, "", false},
		{"bad: is not ad:", "GB", "\"" + quote + "\" Not bad: a lovely smile.", quote, "", false},
		{"three paragraphs away", "GB", "\"" + quote + "\"\n\n" + far + "\n\n" + far + "\n\nZoë received complimentary treatment.", quote, "", false},
		{"agreed wording far away", "GB", "\"" + quote + "\"\n\n" + far + "\n\nZoë got 20% off her aligners", quote, "Zoë got 20% off her aligners", false},
		{"no disclosure at all", "GB", "\"" + quote + "\"", quote, "", false},
		// Image-only: the quote is drawn into the picture, so anywhere in the text.
		{"image only, far away", "GB", "Kind words from a patient.\n\n" + far + "\n\n" + far + "\n\n#ad", "", "", true},
		{"image only, near miss", "GB", "Whitening discount available this month!", "", "", false},
	}
	f := testForm(t, "GB")
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			con := app.Consent{Country: c.country, Remuneration: app.Remuneration{Kind: app.RemunerationDiscount, Description: "20% off whitening", Disclosure: c.agreed}}
			if got := disclosed(con, Use{PostText: c.post, Quote: c.quote}); got != c.want {
				t.Errorf("disclosed = %v, want %v for %q", got, c.want, c.post)
			}
		})
	}

	// Through Validate: the same near miss blocks a signed, paid testimonial.
	f.Remuneration = app.Remuneration{Kind: app.RemunerationDiscount, Description: "20% off whitening"}
	c := sign(t, f, ukSigned)
	u := baseUse(c)
	u.PostText = "\"" + quote + "\" Everyone received a warm welcome."
	if got := codes(Validate(record(t, f, c), u, ukMoment)); len(got) != 1 || got[0] != CodeUndisclosedPayment {
		t.Fatalf("warm welcome: codes %v", got)
	}
	u.PostText = "\"" + quote + "\" Zoë received complimentary treatment."
	if got := Validate(record(t, f, c), u, ukMoment); len(got) != 0 {
		t.Fatalf("clear disclosure: %+v", got)
	}
}

// A consent dated after the real now is refused for every post, however far
// ahead the post is scheduled; with no CheckedAt the old rule stands.
func TestValidateSignedAfterNow(t *testing.T) {
	f := testForm(t, "GB")
	c := sign(t, f, ukSigned)
	rec := record(t, f, c)
	now := ukSigned.Add(-2 * time.Hour) // the signing computer's clock ran two hours fast
	for _, moment := range []time.Time{now, ukSigned.Add(time.Hour), ukMoment} {
		u := baseUse(c)
		u.CheckedAt = now
		got := Validate(rec, u, moment)
		if len(got) != 1 || got[0].Code != CodeSignedLater || !strings.Contains(got[0].Reason, "check the computer's clock") {
			t.Errorf("moment %v: %+v", moment, got)
		}
		if bad := regexp.MustCompile(`%!|\{`).FindString(got[0].Reason); bad != "" {
			t.Errorf("reason %q", got[0].Reason)
		}
	}
	u := baseUse(c)
	if got := Validate(rec, u, ukMoment); len(got) != 0 {
		t.Errorf("no CheckedAt, moment after signing: %+v", got)
	}
	u.CheckedAt = ukSigned // signed exactly now
	if got := Validate(rec, u, ukMoment); len(got) != 0 {
		t.Errorf("checked at the signing instant: %+v", got)
	}
	u.CheckedAt = ukMoment
	if got := codes(Validate(rec, u, ukSigned.Add(-time.Minute))); len(got) != 1 || got[0] != CodeSignedLater {
		t.Errorf("moment before signing, clock right: %v", got)
	}
}
