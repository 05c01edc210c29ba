package consent

import (
	"testing"
	"time"

	"practicepost/app"
)

func shippedFor(t *testing.T, country string) app.ConsentTemplate {
	t.Helper()
	for _, tpl := range shipped(t) {
		if tpl.Country == country {
			return tpl
		}
	}
	t.Fatalf("no shipped template for %s", country)
	return app.ConsentTemplate{}
}

var (
	london  = mustZone("Europe/London")
	newYork = mustZone("America/New_York")
)

func mustZone(name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return l
}

// testForm is a complete UK on-screen form for an adult patient.
func testForm(t *testing.T, country string) Form {
	t.Helper()
	z := "Europe/London"
	if country == "US" {
		z = "America/New_York"
	}
	return Form{
		Template: shippedFor(t, country),
		Practice: app.ConsentPractice{
			Name: "Riverside Dental", Address: "1 High Street, Bath BA1 1AA", Email: "hello@riverside.example",
			Phone: "01225 000000", PrivacyNoticeURL: "https://riverside.example/privacy", Zone: z,
		},
		Patient: app.Patient{ID: 7, Ref: "P-0042", FullName: "Zoë Ångström-Smith",
			DateOfBirth: app.CivilDate{Year: 1984, Month: time.July, Day: 21}, Email: "zoe@example.com"},
		Signer:           app.Signer{Name: "Zoë Ångström-Smith"},
		Scope:            app.ConsentScope{Identity: []app.IdentityElement{app.IdentityFirstName, app.IdentityFace}, Channels: []app.ConsentChannel{app.ChannelInstagram, app.ChannelWebsite}},
		HealthDetails:    "Invisalign",
		Quote:            "I can smile in photos again. The team were kind and patient.",
		Media:            []app.ConsentMedia{{SHA256: "aa11" + zeros(60), Kind: "photo", Label: "Smile after"}},
		Remuneration:     app.Remuneration{Kind: app.RemunerationNone},
		WithdrawalMethod: "email privacy@riverside.example or tell reception",
		Method:           app.SignOnScreen,
	}
}

func zeros(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = '0'
	}
	return string(b)
}

var testSignature = app.Signature{
	TypedName:   "Zoë Ångström-Smith",
	ImageSHA256: "bb22" + zeros(60),
	Strokes:     [][]app.StrokePoint{{{X: 1, Y: 2, T: 0}, {X: 3.5, Y: 4.25, T: 16}}},
}

func sign(t *testing.T, f Form, at time.Time) app.Consent {
	t.Helper()
	text, err := f.Text(at)
	if err != nil {
		t.Fatal(err)
	}
	c, err := Sign(f, Signing{Signature: testSignature, SignedAt: at, ShownTextSHA256: app.SHA256Hex([]byte(text))}, at)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func record(t *testing.T, f Form, c app.Consent) Record {
	t.Helper()
	return Record{Consent: c, Template: f.Template}
}
