package consent

import (
	"slices"
	"strings"
	"testing"
	"time"

	"practicepost/app"
)

// reseal recomputes the hashes after a test changes a signed consent, so the
// case exercises one rule rather than the tamper check.
func reseal(c app.Consent) app.Consent {
	c.TextSHA256 = app.SHA256Hex([]byte(c.Text))
	c.QuoteSHA256 = QuoteHash(c.Quote)
	c.EvidenceHash = EvidenceHash(c)
	return c
}

func codes(ps []Problem) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Code
	}
	slices.Sort(out)
	return out
}

var (
	ukSigned = time.Date(2026, 3, 10, 14, 0, 0, 0, time.UTC)
	ukMoment = time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
)

func baseUse(c app.Consent) Use {
	return Use{
		Channel:     app.ChannelInstagram,
		Identity:    []app.IdentityElement{app.IdentityFirstName, app.IdentityFace},
		Quote:       c.Quote,
		MediaSHA256: []string{c.Media[0].SHA256},
		PostText:    "Zoë's new smile after Invisalign.",
	}
}

func TestValidateRules(t *testing.T) {
	f := testForm(t, "GB")
	base := sign(t, f, ukSigned)
	withPaid := f
	withPaid.Scope.Channels = append(slices.Clone(f.Scope.Channels), app.ChannelPaidAds)
	paidConsent := sign(t, withPaid, ukSigned)
	paid := f
	paid.Remuneration = app.Remuneration{Kind: app.RemunerationDiscount, Description: "20% off whitening", Disclosure: "Zoë received 20% off"}
	paidTestimonial := sign(t, paid, ukSigned)

	brokenTpl := f.Template
	brokenTpl.Version = 2
	brokenTpl.Body = elementBlock.ReplaceAllStringFunc(f.Template.Body, func(b string) string {
		if strings.Contains(b, "element E3 ") {
			return ""
		}
		return b
	})
	brokenTpl.SHA256 = app.SHA256Hex([]byte(brokenTpl.Body))
	onBroken := base
	onBroken.TemplateVersion, onBroken.TemplateSHA256 = brokenTpl.VersionID(), brokenTpl.SHA256
	onBroken = reseal(onBroken)

	type tc struct {
		name   string
		rec    Record
		use    func(*Use)
		moment time.Time
		want   []string
	}
	rec := func(c app.Consent) Record { return Record{Consent: c, Template: f.Template} }
	mod := func(fn func(*app.Consent)) Record {
		c := base
		c.Scope = app.ConsentScope{Identity: slices.Clone(c.Scope.Identity), Channels: slices.Clone(c.Scope.Channels)}
		c.Media = slices.Clone(c.Media)
		fn(&c)
		return rec(reseal(c))
	}
	revoked := func(at time.Time) Record {
		r := rec(base)
		r.Revocation = &app.ConsentRevocation{ConsentID: base.ID, At: at, ReceivedBy: "letter"}
		return r
	}
	approved := func(consentID int64, quote string, at time.Time) Record {
		r := rec(base)
		r.QuoteApprovals = []app.QuoteApproval{{ConsentID: consentID, SHA256: QuoteHash(quote), ApprovedAt: at}}
		return r
	}
	edited := "I can smile in photos again. The team was kind and patient."
	cases := []tc{
		{name: "valid", rec: rec(base)},
		// Identity: name hierarchy full ⊃ first ⊃ initials ⊃ anonymous.
		{name: "full name needs full-name consent", rec: rec(base), use: func(u *Use) { u.Identity = []app.IdentityElement{app.IdentityFullName} }, want: []string{CodeIdentityNotCovered}},
		{name: "initials within first-name consent", rec: rec(base), use: func(u *Use) { u.Identity = []app.IdentityElement{app.IdentityInitials} }},
		{name: "anonymous within first-name consent", rec: rec(base), use: func(u *Use) { u.Identity = nil }},
		{name: "explicit anonymous", rec: rec(base), use: func(u *Use) { u.Identity = []app.IdentityElement{app.IdentityAnonymous} }},
		{name: "full-name consent covers first name", rec: mod(func(c *app.Consent) { c.Scope.Identity = []app.IdentityElement{app.IdentityFullName, app.IdentityFace} })},
		{name: "anonymous-only consent refuses initials", rec: mod(func(c *app.Consent) { c.Scope.Identity = []app.IdentityElement{app.IdentityAnonymous} }),
			use: func(u *Use) { u.Identity = []app.IdentityElement{app.IdentityInitials} }, want: []string{CodeIdentityNotCovered}},
		{name: "face not consented", rec: mod(func(c *app.Consent) { c.Scope.Identity = []app.IdentityElement{app.IdentityFirstName} }), want: []string{CodeIdentityNotCovered}},
		{name: "before/after, video, voice, age, town, tag not consented", rec: rec(base),
			use: func(u *Use) {
				u.Identity = append(u.Identity, app.IdentityBeforeAfter, app.IdentityVideo, app.IdentityVoice, app.IdentityAge, app.IdentityTown, app.IdentitySocialTag)
			},
			want: slices.Repeat([]string{CodeIdentityNotCovered}, 6)},
		// Channel and paid/organic.
		{name: "channel not ticked", rec: rec(base), use: func(u *Use) { u.Channel = app.ChannelFacebook }, want: []string{CodeChannelNotCovered}},
		{name: "no channel", rec: rec(base), use: func(u *Use) { u.Channel = "" }, want: []string{CodeChannelNotCovered}},
		{name: "paid without paid box", rec: rec(base), use: func(u *Use) { u.Paid = true }, want: []string{CodePaidNotCovered}},
		{name: "paid with paid box", rec: rec(paidConsent), use: func(u *Use) { u.Paid = true }},
		{name: "paid box does not add a channel", rec: rec(paidConsent), use: func(u *Use) { u.Paid, u.Channel = true, app.ChannelX }, want: []string{CodeChannelNotCovered}},
		// Content.
		{name: "quote edited", rec: rec(base), use: func(u *Use) { u.Quote = edited }, want: []string{CodeQuoteChanged}},
		{name: "quote whitespace and CRLF only", rec: rec(base), use: func(u *Use) { u.Quote = "  " + strings.ReplaceAll(base.Quote, ". ", ".\r\n") + "\n" }, want: []string{CodeQuoteChanged}},
		{name: "quote approved revision", rec: approved(base.ID, edited, ukSigned.Add(24*time.Hour)), use: func(u *Use) { u.Quote = edited }},
		{name: "quote revision approved after the moment", rec: approved(base.ID, edited, ukMoment.Add(time.Hour)), use: func(u *Use) { u.Quote = edited }, want: []string{CodeQuoteChanged}},
		{name: "quote revision of another consent", rec: approved(base.ID+1, edited, ukSigned), use: func(u *Use) { u.Quote = edited }, want: []string{CodeQuoteChanged}},
		{name: "media swapped", rec: rec(base), use: func(u *Use) { u.MediaSHA256 = []string{"cc33" + zeros(60)} }, want: []string{CodeMediaNotCovered}},
		{name: "no quote, consented media", rec: rec(base), use: func(u *Use) { u.Quote = "" }},
		// Revocation: revoked at or before the moment.
		{name: "revoked before", rec: revoked(ukMoment.Add(-time.Hour)), want: []string{CodeRevoked}},
		{name: "revoked at the moment", rec: revoked(ukMoment), want: []string{CodeRevoked}},
		{name: "revoked after", rec: revoked(ukMoment.Add(time.Nanosecond))},
		// Expiry: valid strictly before ExpiresAt.
		{name: "just before expiry", rec: rec(base), moment: base.ExpiresAt.Add(-time.Nanosecond)},
		{name: "at expiry instant", rec: rec(base), moment: base.ExpiresAt, want: []string{CodeExpired}},
		// Remuneration.
		{name: "remuneration undisclosed", rec: rec(paidTestimonial), want: []string{CodeUndisclosedPayment}},
		{name: "remuneration generic disclosure", rec: rec(paidTestimonial), use: func(u *Use) { u.PostText += " Zoë received a complimentary whitening." }},
		{name: "remuneration agreed disclosure", rec: rec(paidTestimonial), use: func(u *Use) { u.PostText += " (ZOË RECEIVED 20% OFF)" }},
		// Complete and signed.
		{name: "moment before signing", rec: rec(base), moment: ukSigned.Add(-time.Minute), want: []string{CodeSignedLater}},
		{name: "no date of birth", rec: mod(func(c *app.Consent) { c.Patient.DateOfBirth = app.CivilDate{} }), want: []string{CodeIncomplete}},
		{name: "no signature image", rec: mod(func(c *app.Consent) { c.Signature.ImageSHA256 = "" }), want: []string{CodeUnsigned}},
		{name: "paper without scan", rec: mod(func(c *app.Consent) { c.Method = app.SignPaper }), want: []string{CodeUnsigned}},
		{name: "paper with scan", rec: mod(func(c *app.Consent) {
			c.Method = app.SignPaper
			c.Signature = app.Signature{ScanSHA256: "dd44" + zeros(60)}
		})},
		{name: "no remuneration statement", rec: mod(func(c *app.Consent) { c.Remuneration.Kind = "" }), want: []string{CodeIncomplete}},
		{name: "remuneration without description", rec: mod(func(c *app.Consent) { c.Remuneration.Kind = app.RemunerationGift }), use: func(u *Use) { u.PostText = "#gifted" }, want: []string{CodeIncomplete}},
		{name: "no name option ticked", rec: mod(func(c *app.Consent) { c.Scope.Identity = []app.IdentityElement{app.IdentityFace} }),
			want: []string{CodeIdentityNotCovered, CodeIncomplete}},
		{name: "unknown zone", rec: mod(func(c *app.Consent) { c.Practice.Zone = "Mars/Olympus" }), want: []string{CodeIncomplete}},
		// Template and integrity.
		{name: "template version missing", rec: Record{Consent: base}, want: []string{CodeTemplateMismatch}},
		{name: "template version fails lint", rec: Record{Consent: onBroken, Template: brokenTpl}, want: []string{CodeTemplateLint}},
		{name: "text altered after signing", rec: func() Record { c := base; c.Text += "extra"; return rec(c) }(), want: []string{CodeTampered}},
		{name: "scope widened after signing", rec: func() Record {
			c := base
			c.Scope.Channels = append(slices.Clone(c.Scope.Channels), app.ChannelFacebook)
			return rec(c)
		}(), use: func(u *Use) { u.Channel = app.ChannelFacebook }, want: []string{CodeTampered}},
		// Every problem, not just the first.
		{name: "several at once", rec: revoked(ukSigned.Add(time.Hour)), moment: base.ExpiresAt.Add(time.Hour),
			use:  func(u *Use) { u.Channel, u.Paid = app.ChannelX, true },
			want: []string{CodeChannelNotCovered, CodeExpired, CodePaidNotCovered, CodeRevoked}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			u := baseUse(base)
			if c.use != nil {
				c.use(&u)
			}
			m := c.moment
			if m.IsZero() {
				m = ukMoment
			}
			got := Validate(c.rec, u, m)
			if !slices.Equal(codes(got), c.want) {
				t.Fatalf("codes = %v, want %v\n%+v", codes(got), c.want, got)
			}
			for _, p := range got {
				if p.Reason == "" || strings.Contains(p.Reason, "%!") {
					t.Errorf("bad reason %q", p.Reason)
				}
			}
		})
	}
}

func TestValidateReasonsReadable(t *testing.T) {
	f := testForm(t, "GB")
	c := sign(t, f, ukSigned)
	r := Record{Consent: c, Template: f.Template, Revocation: &app.ConsentRevocation{At: time.Date(2026, 4, 2, 23, 30, 0, 0, time.UTC), ReceivedBy: "in_person"}}
	got := Validate(r, Use{Channel: app.ChannelFacebook, Identity: []app.IdentityElement{app.IdentityFirstName}}, c.ExpiresAt)
	want := []string{
		"The patient withdrew this consent on 3 April 2026 (in person).", // 23:30 UTC is 00:30 BST the next day
		"The consent expired at the end of 10 March 2028. Ask the patient to renew it.",
		"The consent does not cover Facebook.",
	}
	got = append(got, Validate(r, Use{Channel: app.ChannelInstagram, Identity: []app.IdentityElement{app.IdentityFullName, app.IdentityFace}}, ukMoment)...)
	want = append(want, "The consent does not allow the patient's full name (it allows only the patient's first name).")
	for _, w := range want {
		if !slices.ContainsFunc(got, func(p Problem) bool { return p.Reason == w }) {
			t.Errorf("missing reason %q in %+v", w, got)
		}
	}
	us := testForm(t, "US")
	uc := sign(t, us, ukSigned)
	got = Validate(Record{Consent: uc, Template: us.Template}, baseUse(uc), uc.ExpiresAt)
	if len(got) != 1 || got[0].Reason != "The consent expired at the end of March 10, 2028. Ask the patient to renew it." {
		t.Errorf("US expiry reason: %+v", got)
	}
}

func TestExpiresAt(t *testing.T) {
	cases := []struct {
		name     string
		loc      *time.Location
		signed   time.Time
		months   int
		expires  time.Time
		lastDate string
	}{
		{"London, ends on the spring-forward day", london, time.Date(2023, 3, 30, 12, 0, 0, 0, time.UTC), 24,
			time.Date(2025, 3, 30, 23, 0, 0, 0, time.UTC), "2025-03-30"},
		{"London, signed on the fall-back day in the repeated hour", london, time.Date(2024, 10, 27, 1, 30, 0, 0, time.UTC), 12,
			time.Date(2025, 10, 28, 0, 0, 0, 0, time.UTC), "2025-10-27"},
		{"London, signed after local midnight (UTC still the day before)", london, time.Date(2026, 7, 1, 23, 30, 0, 0, time.UTC), 24,
			time.Date(2028, 7, 2, 23, 0, 0, 0, time.UTC), "2028-07-02"},
		{"New York, ends on the fall-back day", newYork, time.Date(2023, 11, 2, 15, 0, 0, 0, time.UTC), 24,
			time.Date(2025, 11, 3, 5, 0, 0, 0, time.UTC), "2025-11-02"},
		{"New York, signed in the evening (UTC already the next day)", newYork, time.Date(2026, 1, 15, 3, 0, 0, 0, time.UTC), 12,
			time.Date(2027, 1, 15, 5, 0, 0, 0, time.UTC), "2027-01-14"},
		{"New York, signed on spring-forward day", newYork, time.Date(2024, 3, 10, 12, 0, 0, 0, time.UTC), 12,
			time.Date(2025, 3, 11, 4, 0, 0, 0, time.UTC), "2025-03-10"},
		{"short month clamps", london, time.Date(2025, 8, 31, 12, 0, 0, 0, time.UTC), 6,
			time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), "2026-02-28"},
		{"leap February", london, time.Date(2023, 8, 31, 12, 0, 0, 0, time.UTC), 6,
			time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC), "2024-02-29"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := ExpiresAt(c.signed, c.months, c.loc)
			if !got.Equal(c.expires) || got.Location() != time.UTC {
				t.Errorf("ExpiresAt = %v, want %v", got, c.expires)
			}
			if d := LastValidDay(got, c.loc).Format(time.DateOnly); d != c.lastDate {
				t.Errorf("last day = %s, want %s", d, c.lastDate)
			}
		})
	}
}

// Validity around a DST change, end to end through Sign and Validate.
func TestValidateExpiryAcrossDST(t *testing.T) {
	for _, country := range []string{"GB", "US"} {
		f := testForm(t, country)
		f.ExpiryMonths = 24
		signed := map[string]time.Time{
			"GB": time.Date(2023, 3, 30, 12, 0, 0, 0, time.UTC), // ends 30 March 2025, clocks go forward that night
			"US": time.Date(2023, 11, 2, 15, 0, 0, 0, time.UTC), // ends 2 November 2025, clocks go back that morning
		}[country]
		c := sign(t, f, signed)
		r := record(t, f, c)
		loc := map[string]*time.Location{"GB": london, "US": newYork}[country]
		last := LastValidDay(c.ExpiresAt, loc)
		lateLocal := time.Date(last.Year(), last.Month(), last.Day(), 23, 59, 59, 0, loc)
		for _, m := range []struct {
			at   time.Time
			want int
		}{
			{lateLocal, 0},
			{c.ExpiresAt.Add(-time.Nanosecond), 0},
			{c.ExpiresAt, 1},
			{time.Date(last.Year(), last.Month(), last.Day()+1, 0, 0, 0, 0, loc), 1},
		} {
			if got := Validate(r, baseUse(c), m.at); len(got) != m.want {
				t.Errorf("%s at %v: %+v", country, m.at, got)
			}
		}
	}
}

func TestSignerAuthorityForMinors(t *testing.T) {
	dob := app.CivilDate{Year: 2008, Month: time.May, Day: 10}
	rep := app.Signer{Name: "Anna Smith", Representative: true, Relationship: "mother", Authority: "parent with parental responsibility"}
	cases := []struct {
		name    string
		country string
		dob     app.CivilDate
		flagged bool
		signer  *app.Signer
		at      time.Time
		want    []string
	}{
		// 02:00 UTC on the 18th birthday is still 9 May in New York.
		{"US turns 18 on signing day, local date", "US", dob, false, nil, time.Date(2026, 5, 10, 15, 0, 0, 0, time.UTC), nil},
		{"US evening before 18th birthday", "US", dob, false, nil, time.Date(2026, 5, 10, 2, 0, 0, 0, time.UTC), []string{CodeNeedsRepresentative}},
		{"US 17 with representative", "US", dob, false, &rep, time.Date(2026, 5, 10, 2, 0, 0, 0, time.UTC), nil},
		{"UK 16 signs alone", "GB", app.CivilDate{Year: 2010, Month: time.May, Day: 10}, false, nil, time.Date(2026, 5, 10, 9, 0, 0, 0, time.UTC), nil},
		{"UK 15 needs representative", "GB", app.CivilDate{Year: 2010, Month: time.May, Day: 11}, false, nil, time.Date(2026, 5, 10, 9, 0, 0, 0, time.UTC), []string{CodeNeedsRepresentative}},
		{"UK adult flagged", "GB", app.CivilDate{Year: 1950, Month: time.May, Day: 11}, true, nil, time.Date(2026, 5, 10, 9, 0, 0, 0, time.UTC), []string{CodeNeedsRepresentative}},
		{"UK adult flagged with representative", "GB", app.CivilDate{Year: 1950, Month: time.May, Day: 11}, true, &app.Signer{Name: "Tom", Representative: true, Relationship: "son", Authority: "lasting power of attorney (health and welfare)"}, time.Date(2026, 5, 10, 9, 0, 0, 0, time.UTC), nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := testForm(t, c.country)
			f.Patient.DateOfBirth, f.Patient.NeedsRepresentative = c.dob, c.flagged
			if c.signer != nil {
				f.Signer = *c.signer
			}
			if age, refused := SignsAloneUnderAge(f, c.at); refused != (len(c.want) > 0) || refused && age >= 18 && !c.flagged {
				t.Fatalf("SignsAloneUnderAge = %d, %v", age, refused)
			}
			if len(c.want) > 0 {
				// Sign refuses it, on the signing day's date.
				text, _ := f.Text(c.at)
				_, err := Sign(f, Signing{Signature: testSignature, SignedAt: c.at, ShownTextSHA256: app.SHA256Hex([]byte(text))}, c.at)
				if app.ErrorCode(err) != app.EINVALID || !strings.Contains(app.ErrorMessage(err), "must sign for them") && !strings.Contains(app.ErrorMessage(err), "signed the consent themselves") {
					t.Fatalf("Sign: %v", err)
				}
				// A record stored before Sign refused these is still caught.
				f.Signer = rep
			}
			con := sign(t, f, c.at)
			if len(c.want) > 0 {
				con.Signer = app.Signer{Name: con.Signer.Name}
				con = reseal(con)
			}
			got := Validate(record(t, f, con), baseUse(con), c.at.Add(time.Hour))
			if !slices.Equal(codes(got), c.want) {
				t.Fatalf("codes = %v, want %v (%+v)", codes(got), c.want, got)
			}
		})
	}
	f := testForm(t, "US")
	f.Signer = app.Signer{Name: "Anna Smith", Representative: true, Relationship: "mother"}
	text, _ := f.Text(ukSigned)
	if _, err := Sign(f, Signing{Signature: testSignature, SignedAt: ukSigned, ShownTextSHA256: app.SHA256Hex([]byte(text))}, ukSigned.Add(time.Hour)); app.ErrorCode(err) != app.EINVALID || !strings.Contains(app.ErrorMessage(err), "authority") {
		t.Errorf("representative without authority: %v", err)
	}
}

func TestSignRefusals(t *testing.T) {
	f := testForm(t, "GB")
	text, err := f.Text(ukSigned)
	if err != nil {
		t.Fatal(err)
	}
	ok := Signing{Signature: testSignature, SignedAt: ukSigned, ShownTextSHA256: app.SHA256Hex([]byte(text))}
	cases := []struct {
		name string
		form func(*Form)
		sig  func(*Signing)
		code string
	}{
		{"form changed after shown", func(f *Form) { f.Scope.Channels = append(f.Scope.Channels, app.ChannelX) }, nil, app.ECONFLICT},
		{"date moved past midnight", nil, func(s *Signing) { s.SignedAt = ukSigned.Add(12 * time.Hour) }, app.ECONFLICT},
		{"no zone", func(f *Form) { f.Practice.Zone = "" }, nil, app.EINVALID},
		{"template fails lint", func(f *Form) { f.Template.Body = "Sign here {{signer_name}}" }, nil, app.EINVALID},
		{"no signature", nil, func(s *Signing) { s.Signature = app.Signature{} }, app.EINVALID},
		{"too long", func(f *Form) { f.ExpiryMonths = 61 }, nil, app.EINVALID},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ff, s := f, ok
			ff.Scope.Channels = slices.Clone(f.Scope.Channels)
			if c.form != nil {
				c.form(&ff)
			}
			if c.sig != nil {
				c.sig(&s)
			}
			if c.name == "too long" {
				txt, _ := ff.Text(ukSigned)
				s.ShownTextSHA256 = app.SHA256Hex([]byte(txt))
			}
			if _, err := Sign(ff, s, ukSigned.Add(time.Hour)); app.ErrorCode(err) != c.code {
				t.Errorf("err = %v, want %s", err, c.code)
			}
		})
	}
	c, err := Sign(f, ok, ukSigned)
	if err != nil {
		t.Fatal(err)
	}
	if c.Text != text || !strings.Contains(c.Text, "- [x] Instagram") || !strings.Contains(c.Text, "- [ ] Facebook") || strings.Contains(c.Text, "<!--") || strings.Contains(c.Text, "{{") {
		t.Errorf("signed text:\n%s", c.Text)
	}
}

func TestSummarize(t *testing.T) {
	f := testForm(t, "GB")
	f.Scope.Channels = []app.ConsentChannel{app.ChannelInstagram, app.ChannelWebsite, app.ChannelPaidAds}
	c := sign(t, f, ukSigned)
	r := record(t, f, c)
	got := Summarize(r, baseUse(c), ukMoment)
	if len(got) != len(ChannelChoices)-1 {
		t.Fatalf("rows = %d", len(got))
	}
	for _, v := range got {
		want := v.Channel == app.ChannelInstagram || v.Channel == app.ChannelWebsite
		if v.MayPublish != want || v.MayBoost != want {
			t.Errorf("%s: publish %v boost %v (%+v)", v.Channel, v.MayPublish, v.MayBoost, v.Problems)
		}
		if !want && (len(v.Problems) != 1 || v.Problems[0].Reason != "The consent does not cover "+channelInSentence(v.Channel)+".") {
			t.Errorf("%s reasons: %+v", v.Channel, v.Problems)
		}
	}
	r.Revocation = &app.ConsentRevocation{At: ukMoment.Add(-time.Hour)}
	for _, v := range Summarize(r, baseUse(c), ukMoment) {
		if v.MayPublish || !slices.Contains(codes(v.Problems), CodeRevoked) {
			t.Errorf("%s after revocation: %+v", v.Channel, v)
		}
	}
}

func TestExpiringWithin(t *testing.T) {
	f := testForm(t, "GB")
	mk := func(id int64, signed time.Time) Record {
		c := sign(t, f, signed)
		c.ID = id
		return Record{Consent: c, Template: f.Template}
	}
	now := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	recs := []Record{
		mk(1, time.Date(2024, 6, 20, 10, 0, 0, 0, time.UTC)), // last day 20 June 2026: 19 days
		mk(2, time.Date(2024, 6, 1, 10, 0, 0, 0, time.UTC)),  // last day today
		mk(3, time.Date(2024, 7, 20, 10, 0, 0, 0, time.UTC)), // 49 days: outside
		mk(4, time.Date(2024, 5, 31, 10, 0, 0, 0, time.UTC)), // already expired
		mk(5, time.Date(2024, 6, 2, 10, 0, 0, 0, time.UTC)),  // tomorrow, but revoked
		mk(6, time.Date(2024, 7, 1, 10, 0, 0, 0, time.UTC)),  // exactly 30 days
	}
	recs[4].Revocation = &app.ConsentRevocation{At: now.Add(-time.Hour)}
	got := ExpiringWithin(recs, now, 30)
	var ids []int64
	var days []int
	for _, w := range got {
		ids, days = append(ids, w.ConsentID), append(days, w.DaysLeft)
	}
	if !slices.Equal(ids, []int64{2, 1, 6}) || !slices.Equal(days, []int{0, 19, 30}) {
		t.Fatalf("ids %v days %v", ids, days)
	}
	if got[0].Message != "Consent for Zoë Ångström-Smith ends at the end of 1 June 2026 (today). Renew it or plan to take the posts down." {
		t.Errorf("message %q", got[0].Message)
	}
}

func TestSignRefusesFutureDate(t *testing.T) {
	f := testForm(t, "GB")
	f.Method = app.SignPaper
	later := ukSigned.Add(48 * time.Hour)
	text, _ := f.Text(later)
	_, err := Sign(f, Signing{Signature: app.Signature{ScanSHA256: "ee55" + zeros(60)}, SignedAt: later, ShownTextSHA256: app.SHA256Hex([]byte(text))}, ukSigned)
	if app.ErrorCode(err) != app.EINVALID || !strings.Contains(app.ErrorMessage(err), "dated 12 March 2026") {
		t.Errorf("paper form dated in the future: %v", err)
	}
}

func TestChannelReasonReadsAsASentence(t *testing.T) {
	cases := map[app.ConsentChannel]string{
		app.ChannelPrint:       "The consent does not cover printed material such as leaflets and posters.",
		app.ChannelReviewSites: "The consent does not cover third-party review websites.",
		app.ChannelFacebook:    "The consent does not cover Facebook.",
		app.ChannelWebsite:     "The consent does not cover the practice's website.",
	}
	for ch, want := range cases {
		if got := "The consent does not cover " + channelInSentence(ch) + "."; got != want {
			t.Errorf("%s: %q, want %q", ch, got, want)
		}
	}
}

// TestMissingField: a form signed without a name choice or a channel says
// which scope choice is missing by field, not only in words.
func TestMissingField(t *testing.T) {
	cases := []struct {
		name  string
		scope func(*app.ConsentScope)
		want  string
	}{
		{"no name choice", func(s *app.ConsentScope) { s.Identity = nil }, "identity"},
		{"no channel", func(s *app.ConsentScope) { s.Channels = []app.ConsentChannel{app.ChannelPaidAds} }, "channels"},
		{"neither: the name first", func(s *app.ConsentScope) { s.Identity, s.Channels = nil, nil }, "identity"},
		{"complete", func(*app.ConsentScope) {}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := testForm(t, "GB")
			f.Scope.Identity, f.Scope.Channels = slices.Clone(f.Scope.Identity), slices.Clone(f.Scope.Channels)
			c.scope(&f.Scope)
			text, err := f.Text(ukSigned)
			if err != nil {
				t.Fatal(err)
			}
			_, err = Sign(f, Signing{Signature: testSignature, SignedAt: ukSigned, ShownTextSHA256: app.SHA256Hex([]byte(text))}, ukSigned.Add(time.Hour))
			if got := MissingField(err); got != c.want {
				t.Fatalf("MissingField = %q, want %q (err %v)", got, c.want, err)
			}
			if c.want != "" && (app.ErrorCode(err) != app.EINVALID || app.ErrorField(err) != "" || !strings.HasPrefix(app.ErrorMessage(err), "The consent cannot be signed yet: ")) {
				t.Fatalf("the refusal itself changed: %v", err)
			}
		})
	}
}

func TestApprovedEdit(t *testing.T) {
	signed := "The team was kind and patient."
	edited := "The team was kind."
	day := func(d int) time.Time { return time.Date(2026, 12, d, 10, 0, 0, 0, time.UTC) }
	rec := Record{
		Consent: app.Consent{ID: 7, Quote: signed, QuoteSHA256: QuoteHash(signed)},
		QuoteApprovals: []app.QuoteApproval{
			{ConsentID: 8, SHA256: QuoteHash(edited), ApprovedAt: day(1)}, // another consent's
			{ConsentID: 7, SHA256: QuoteHash(edited), ApprovedAt: day(5)},
			{ConsentID: 7, SHA256: QuoteHash(edited), ApprovedAt: day(3)}, // approved twice: the first counts
			{ConsentID: 7, SHA256: QuoteHash("Other words."), ApprovedAt: day(2)},
		},
	}
	if a, ok := ApprovedEdit(rec, edited, day(6)); !ok || !a.ApprovedAt.Equal(day(3)) {
		t.Fatalf("edited words: %+v %v, want the approval of 3 Dec", a, ok)
	}
	// Line endings and blank space around the words are not an edit.
	if a, ok := ApprovedEdit(rec, "\r\n"+edited+"  ", day(6)); !ok || !a.ApprovedAt.Equal(day(3)) {
		t.Fatalf("same words, other line endings: %+v %v", a, ok)
	}
	for name, tc := range map[string]struct {
		quote string
		at    time.Time
	}{
		"before it was approved": {edited, day(2)},
		"the signed words":       {signed, day(6)},
		"words no one approved":  {"The team was patient.", day(6)},
		"no words":               {"  ", day(6)},
	} {
		if a, ok := ApprovedEdit(rec, tc.quote, tc.at); ok {
			t.Errorf("%s: %+v, want none", name, a)
		}
	}
}
