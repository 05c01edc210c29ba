package guard

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"practicepost/app"
	"practicepost/app/consent"
)

// A testimonial whose consent allows less than the post shows is blocked
// wherever the post names the patient, in any form, in the text or in an
// image; each blocked case has a twin the consent covers.
func TestCheckNamesInEveryForm(t *testing.T) {
	quote := "The team made me feel at ease from the first visit."
	consentFor := func(name app.IdentityElement) consent.Record {
		return facebookRecord(t, margaret, name, quote)
	}
	recs := map[app.IdentityElement]consent.Record{}
	for _, e := range app.NameForms {
		recs[e] = consentFor(e)
	}
	q := "\"" + quote + "\""
	cases := []struct {
		name    string
		text    string // after the quote
		image   string // words in image 2, if any
		allowed app.IdentityElement
		form    string // "" when the post is covered; else the form named in the finding
		span    string
	}{
		{"full name, initials allowed", " — Margaret Okafor", "", app.IdentityInitials, "full name", "Margaret Okafor"},
		{"full name, full allowed", " — Margaret Okafor", "", app.IdentityFullName, "", ""},
		{"first name, initials allowed", "\n— Margaret", "", app.IdentityInitials, "first name", "Margaret"},
		{"first name, first allowed", "\n— Margaret", "", app.IdentityFirstName, "", ""},
		{"Mrs + surname, first allowed", " Thank you, Mrs Okafor!", "", app.IdentityFirstName, "title and surname", "Mrs Okafor"},
		{"Mrs. + surname, full allowed", " Thank you, Mrs. Okafor!", "", app.IdentityFullName, "", ""},
		{"Dr + surname, first allowed", " Thank you, Dr Okafor!", "", app.IdentityFirstName, "title and surname", "Dr Okafor"},
		{"surname alone, initials allowed", " The Okafor family loved it.", "", app.IdentityInitials, "surname", "Okafor"},
		{"name as a hashtag", " #MargaretOkafor", "", app.IdentityFirstName, "full name", "MargaretOkafor"},
		{"surname, first name", " (Okafor, Margaret)", "", app.IdentityFirstName, "full name", "Okafor, Margaret"},
		{"accents and capitals folded", " — MARGARET OKAFÖR", "", app.IdentityInitials, "full name", "MARGARET OKAFÖR"},
		{"initial and surname", " — M. Okafor", "", app.IdentityFirstName, "surname", "Okafor"},
		{"initial and surname, no dot", " — M Okafor", "", app.IdentityFirstName, "surname", "Okafor"},
		{"first name and initial", " — Margaret O.", "", app.IdentityInitials, "first name", "Margaret"},
		{"first name as a hashtag", " #Margaret", "", app.IdentityInitials, "first name", "Margaret"},
		{"dotted initials, anonymous only", " — M.O.", "", app.IdentityAnonymous, "initials", "M.O."},
		{"dotted initials, initials allowed", " — M.O.", "", app.IdentityInitials, "", ""},
		{"spaced initials, anonymous only", " (M. O.)", "", app.IdentityAnonymous, "initials", "M. O."},
		{"initials without the last dot", " Thanks M.O", "", app.IdentityAnonymous, "initials", "M.O"},
		{"bare initials, anonymous only", "\n~ MO", "", app.IdentityAnonymous, "initials", "MO"},
		{"bare initials mid-sentence", " Thanks MO for the kind words.", "", app.IdentityAnonymous, "initials", "MO"},
		{"quote card initials, anonymous only", "", q + "\n— M.O.", app.IdentityAnonymous, "initials", "M.O."},
		{"quote card initials, initials allowed", "", q + "\n— M.O.", app.IdentityInitials, "", ""},
		{"quote card first name, initials allowed", "", q + "\n— Margaret", app.IdentityInitials, "first name", "Margaret"},
		// Not her name at all, even with an anonymous-only consent.
		{"Missouri", " Visiting from St Louis, MO?", "", app.IdentityAnonymous, "", ""},
		{"shouted heading", " BOOK NOW MO FUN", "", app.IdentityAnonymous, "", ""},
		{"Mo as a name", " Mo Farah runs past every day.", "", app.IdentityAnonymous, "", ""},
		{"another Margaret", " As Margaret Thatcher said, never give up.", "", app.IdentityAnonymous, "", ""},
		{"another Okafor", " Jay Okafor runs the café next door.", "", app.IdentityAnonymous, "", ""},
		{"lower-case initials not looked for", " mo.", "", app.IdentityAnonymous, "", ""},
		{"inside a word", " MOT done, EMO music.", "", app.IdentityAnonymous, "", ""},
		{"capitals in a code", " Ref MO 12 34.", "", app.IdentityAnonymous, "", ""},
		{"surname as a street", " Find us on Okafor Street.", "", app.IdentityAnonymous, "", ""},
		{"surname, then a street", " Okafor lives off our street.", "", app.IdentityInitials, "surname", "Okafor"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rec := recs[c.allowed]
			u := ConsentUse{Label: "Testimonial 1", PatientID: "1", PatientName: margaret.FullName, Record: &rec,
				Use: consent.Use{Identity: []app.IdentityElement{app.IdentityAnonymous}, Quote: quote}}
			d := Draft{Text: q + c.text, Uses: []ConsentUse{u}}
			if c.image != "" {
				u.InImage = true
				d = Draft{Text: "Kind words from a patient.", Uses: []ConsentUse{u}, ImageTexts: []ImageText{{Image: 2, What: "quote card", Text: c.image}}}
			}
			r := Check(d, Facebook, testPractice(), spring)
			if c.form == "" {
				if r.Blocked {
					t.Fatalf("blocked: %+v", r.Findings)
				}
				return
			}
			if len(r.Findings) != 1 {
				t.Fatalf("want one finding, got %+v", r.Findings)
			}
			f := r.Findings[0]
			if f.Kind != KindConsentPrefix+consent.CodeIdentityNotCovered || f.Severity != Block || f.Text != c.span || f.Fix == "" {
				t.Fatalf("finding %+v", f)
			}
			where := "the post"
			if c.image != "" {
				where = "the quote card (image 2)"
				if f.Image != 2 || f.Start != 0 || f.End != 0 {
					t.Errorf("image finding points at %d..%d image %d", f.Start, f.End, f.Image)
				}
			} else if d.Text[f.Start:f.End] != c.span {
				t.Errorf("finding points at %q, want %q", d.Text[f.Start:f.End], c.span)
			}
			want := fmt.Sprintf("Testimonial 1: %s shows the patient's %s (\"%s\"). The consent does not allow", where, c.form, c.span)
			if !strings.HasPrefix(f.Message, want) {
				t.Errorf("message %q\nwant prefix %q", f.Message, want)
			}
			if strings.Contains(c.form, "surname") != strings.Contains(f.Message, "A surname, with or without a title, counts as the full name.") {
				t.Errorf("message %q: the surname note belongs to surname forms only", f.Message)
			}
			// The message names nothing the post does not show.
			for _, w := range []string{"Margaret", "Okafor"} {
				if strings.Contains(f.Message, w) && !strings.Contains(c.span, strings.ToUpper(w)) && !strings.Contains(c.span, w) {
					t.Errorf("message %q names %q, which the post does not show here", f.Message, w)
				}
			}
		})
	}
}

// Everyday words, the practice's own clinicians and common abbreviations
// are not taken for a relied-on patient's name.
func TestCheckNameFormGuards(t *testing.T) {
	grace := app.Patient{ID: 3, FullName: "Grace Hill", DateOfBirth: app.CivilDate{Year: 1980, Month: 1, Day: 1}}
	priya := app.Patient{ID: 4, FullName: "Priya Shah", DateOfBirth: app.CivilDate{Year: 1980, Month: 1, Day: 1}}
	amir := app.Patient{ID: 5, FullName: "Amir Nair", DateOfBirth: app.CivilDate{Year: 1980, Month: 1, Day: 1}}
	uma := app.Patient{ID: 6, FullName: "Uma Kaur", DateOfBirth: app.CivilDate{Year: 1980, Month: 1, Day: 1}}
	quote := "Kind and gentle."
	cases := []struct {
		name    string
		p       app.Patient
		text    string
		blocked bool
	}{
		{"everyday word opening a sentence", grace, "Grace and courtesy matter here.", false},
		{"everyday word in lower case", grace, "We climbed the hill with grace.", false},
		{"everyday first name, capitalised mid-sentence", grace, "Thank you, Grace!", true},
		{"everyday first name as an attribution", grace, "— Grace", true},
		{"everyday surname after a title", grace, "Thank you, Ms Hill!", true},
		{"clinician's first name", priya, "Priya will see you on Monday.", false},
		{"clinician's full name", priya, "Book with Dr Priya Nair.", false},
		{"clinician's first name as an attribution", priya, "— Priya", true},
		{"clinician's surname after a title", amir, "Dr Nair is in on Mondays.", false},
		{"patient's own first name, clinician's surname", amir, "Thanks Amir!", true},
		{"patient with a clinician's whole name", app.Patient{ID: 7, FullName: "Priya Nair", DateOfBirth: app.CivilDate{Year: 1980, Month: 1, Day: 1}}, "Book with Dr Priya Nair.", false},
		{"dotted abbreviation", uma, "Open across the U.K. from 9 A.M.", false},
		{"bare abbreviation", uma, "Registered in the UK.", false},
		{"dotted initials", uma, "Thanks U.K.!", false}, // the abbreviation reading wins outside an attribution
		{"initials as an attribution", uma, "— U.K.", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rec := facebookRecord(t, c.p, app.IdentityAnonymous, quote)
			u := ConsentUse{Label: "Testimonial 1", PatientID: fmt.Sprint(c.p.ID), PatientName: c.p.FullName, Record: &rec, Use: consent.Use{Quote: quote}}
			r := Check(Draft{Text: "\"" + quote + "\"\n" + c.text, Uses: []ConsentUse{u}}, Facebook, testPractice(), spring)
			if r.Blocked != c.blocked {
				t.Fatalf("blocked = %v, want %v: %+v", r.Blocked, c.blocked, r.Findings)
			}
		})
	}
}

// A patient the post does not rely on is still found by the patient-list
// scan; one it relies on is reported once, by the consent that matters.
func TestCheckReliedPatientNotReportedTwice(t *testing.T) {
	quote := "The team made me feel at ease from the first visit."
	rec := facebookRecord(t, margaret, app.IdentityInitials, quote)
	p := testPractice()
	p.NameConsents = map[string][]consent.Record{"1": {rec}}
	u := ConsentUse{Label: "Testimonial 1", PatientID: "1", PatientName: margaret.FullName, Record: &rec, Use: consent.Use{Quote: quote}}
	text := "\"" + quote + "\" — Mrs Okafor. Kofi Mensah agrees!"
	r := Check(Draft{Text: text, Uses: []ConsentUse{u}}, Facebook, p, spring)
	got := findingKinds(r.Findings)
	want := []Kind{KindConsentPrefix + consent.CodeIdentityNotCovered, KindPatientName}
	if !slices.Equal(got, want) {
		t.Fatalf("findings %v, want %v: %+v", got, want, r.Findings)
	}
	if text[r.Findings[1].Start:r.Findings[1].End] != "Kofi Mensah" {
		t.Errorf("patient-list finding at %q", text[r.Findings[1].Start:r.Findings[1].End])
	}
}

func TestInitialsAttribution(t *testing.T) {
	cases := []struct {
		text string
		span string
	}{
		{"\"Lovely team, lovely smile.\"\n— M.O.", "M.O."},
		{"\"Lovely team.\" - J. S.", "J. S."},
		{"Best dentist!\n~ AB", "AB"},
		{"Best dentist!\n– M.A.O., Bristol", "M.A.O."},
		{"Best dentist!\n— JS (patient since 2019)", "JS"},
		{"\"Smile!\"\n—M.O", "M.O"},
		{"\"Smile!\"\n— Mrs O.", "Mrs O."},
		{"\"Smile!\"\n— Dr J. K.", "Dr J. K."},
		{"\"Smile!\"\n— Dr Priya Nair", ""},
		{"\"Smile!\"\n— Mrs Okafor", ""},
		// Not initials-style attribution.
		{"\"Smile more.\"\n— Maya Angelou", ""},
		{"\"Smile more.\" — Unknown", ""},
		{"Best practice in the region - UK", ""},
		{"Proud to be part of the NHS\n— NHS", ""},
		{"COVID-19 update: we are open.", ""},
		{"A well-known A.M. routine", ""},
		{"Call us - AB clinic is open", ""},
	}
	for _, c := range cases {
		span, ok := InitialsAttribution(c.text)
		if ok != (c.span != "") || span != c.span {
			t.Errorf("InitialsAttribution(%q) = %q, %v; want %q", c.text, span, ok, c.span)
		}
	}
}

// Of two consents for one patient the explanation cites the one that
// matters: one that covers the use, else the one closest to covering it.
func TestCheckNameReasonCitesTheConsentThatMatters(t *testing.T) {
	scope := func(chs ...app.ConsentChannel) app.ConsentScope {
		return app.ConsentScope{Identity: []app.IdentityElement{app.IdentityFullName}, Channels: chs}
	}
	none := app.Remuneration{Kind: app.RemunerationNone}
	withdrawn := signedRecord(t, kofi, scope(app.ChannelFacebook, app.ChannelInstagram), "Great care.", none, signedAt.Add(48*time.Hour))
	rv, err := consent.Revoke(withdrawn.Consent, time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC), "email", "", time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	withdrawn.Revocation = &rv
	withdrawnLater := signedRecord(t, kofi, scope(app.ChannelInstagram), "Great care.", none, signedAt.Add(72*time.Hour))
	rv2, err := consent.Revoke(withdrawnLater.Consent, time.Date(2026, 3, 15, 12, 0, 0, 0, time.UTC), "email", "", time.Date(2026, 3, 15, 12, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	withdrawnLater.Revocation = &rv2
	igOnly := signedRecord(t, kofi, scope(app.ChannelInstagram), "Great care.", none, signedAt)
	fbOnly := signedRecord(t, kofi, scope(app.ChannelFacebook), "Great care.", none, signedAt.Add(24*time.Hour))
	img := []Image{{Bytes: 200_000, Width: 1080, Height: 1350, Format: "jpeg"}}
	text := "Thank you Kofi Mensah for your kind words!"

	cases := []struct {
		name   string
		recs   []consent.Record
		ch     Channel
		reason string // "" when covered
	}{
		{"withdrawn first, valid one covers", []consent.Record{withdrawn, igOnly}, Instagram, ""},
		{"withdrawn first, valid one for another channel", []consent.Record{withdrawn, igOnly}, Facebook, "The consent does not cover Facebook."},
		{"valid first, withdrawn second", []consent.Record{igOnly, withdrawn}, Facebook, "The consent does not cover Facebook."},
		{"Facebook-only and Instagram-only, on Facebook", []consent.Record{igOnly, fbOnly}, Facebook, ""},
		{"Facebook-only and Instagram-only, on Instagram", []consent.Record{fbOnly, igOnly}, Instagram, ""},
		{"neither covers X", []consent.Record{igOnly, fbOnly}, X, "The consent does not cover X"},
		{"two withdrawn: the newest is cited", []consent.Record{withdrawn, withdrawnLater}, Instagram, "withdrew this consent on 15 March 2026"},
		{"two withdrawn, other order", []consent.Record{withdrawnLater, withdrawn}, Instagram, "withdrew this consent on 15 March 2026"},
		{"only a withdrawn one", []consent.Record{withdrawn}, Instagram, "withdrew"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := testPractice()
			p.NameConsents = map[string][]consent.Record{"24": c.recs}
			r := Check(Draft{Text: text, Images: img}, c.ch, p, spring)
			i := slices.IndexFunc(r.Findings, func(f Finding) bool { return f.Kind == KindPatientName })
			if c.reason == "" {
				if i >= 0 {
					t.Fatalf("covered, but: %+v", r.Findings[i])
				}
				return
			}
			if i < 0 {
				t.Fatalf("no patient-name finding: %+v", r.Findings)
			}
			if !strings.Contains(r.Findings[i].Message, c.reason) {
				t.Errorf("message %q does not say %q", r.Findings[i].Message, c.reason)
			}
			// The same choice explains a name in an image.
			r = Check(Draft{Text: "Kind words.", Images: img, ImageTexts: []ImageText{{Image: 1, What: "quote card", Text: "Great care.\n— Kofi Mensah"}}}, c.ch, p, spring)
			if len(r.Findings) != 1 || !strings.Contains(r.Findings[0].Message, c.reason) {
				t.Errorf("image: %+v", r.Findings)
			}
		})
	}
}

// Practice.Now reaches every Validate the check makes: a consent dated
// after now is refused for a post scheduled long after it.
func TestCheckConsentDatedAfterNow(t *testing.T) {
	quote := "The team made me feel at ease from the first visit."
	rec := facebookRecord(t, kofi, app.IdentityFullName, quote)
	p := testPractice()
	p.NameConsents = map[string][]consent.Record{"24": {rec}}
	named := Draft{Text: "Thank you Kofi Mensah!"}
	used := Draft{Text: "\"" + quote + "\"", Uses: []ConsentUse{{Label: "Testimonial 1", PatientID: "24", PatientName: kofi.FullName, Record: &rec, Use: consent.Use{Quote: quote}}}}

	for _, d := range []Draft{named, used} {
		if r := Check(d, Facebook, p, spring); r.Blocked {
			t.Fatalf("Now unset: %+v", r.Findings)
		}
		p.Now = spring // the clock is right
		if r := Check(d, Facebook, p, spring); r.Blocked {
			t.Fatalf("Now after signing: %+v", r.Findings)
		}
		p.Now = signedAt.Add(-3 * time.Hour) // signed on a computer three hours fast
		r := Check(d, Facebook, p, spring)
		if !r.Blocked || len(r.Findings) != 1 || !strings.Contains(r.Findings[0].Message, "check the computer's clock") {
			t.Fatalf("dated after now: %+v", r.Findings)
		}
		p.Now = time.Time{}
	}
	p.Now = signedAt.Add(-3 * time.Hour)
	r := Check(used, Facebook, p, spring)
	if f := r.Findings[0]; f.Kind != KindConsentPrefix+consent.CodeSignedLater || !strings.Contains(f.Fix, "date and time") {
		t.Errorf("use finding %+v", f)
	}
}

// A caller that has not set PatientName yet gets the name on the consent.
func TestCheckNameFormsFallBackToTheSignedName(t *testing.T) {
	quote := "The team made me feel at ease from the first visit."
	rec := facebookRecord(t, margaret, app.IdentityInitials, quote)
	u := ConsentUse{Label: "Testimonial 1", PatientID: "1", Record: &rec, Use: consent.Use{Identity: []app.IdentityElement{app.IdentityInitials}, Quote: quote}}
	text := "\"" + quote + "\"\n— Margaret"
	r := Check(Draft{Text: text, Uses: []ConsentUse{u}}, Facebook, testPractice(), spring)
	if len(r.Findings) != 1 || r.Findings[0].Kind != KindConsentPrefix+consent.CodeIdentityNotCovered || text[r.Findings[0].Start:r.Findings[0].End] != "Margaret" {
		t.Fatalf("first name under an initials-only consent: %+v", r.Findings)
	}
	r = Check(Draft{Text: "\"" + quote + "\"\n— M.O.", Uses: []ConsentUse{u}}, Facebook, testPractice(), spring)
	if r.Blocked {
		t.Fatalf("initials: %+v", r.Findings)
	}
}
