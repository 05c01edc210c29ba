package app_test

import (
	"slices"
	"strings"
	"testing"

	"practicepost/app"
)

func TestBroadestName(t *testing.T) {
	cases := []struct {
		ids  []app.IdentityElement
		want app.IdentityElement
	}{
		{nil, app.IdentityAnonymous},
		{[]app.IdentityElement{app.IdentityFace}, app.IdentityAnonymous},
		{[]app.IdentityElement{app.IdentityAnonymous, app.IdentityInitials}, app.IdentityInitials},
		{[]app.IdentityElement{app.IdentityFullName, app.IdentityInitials}, app.IdentityFullName},
		{[]app.IdentityElement{app.IdentityFace, app.IdentityFirstName, app.IdentityAnonymous}, app.IdentityFirstName},
	}
	for _, c := range cases {
		if got := app.BroadestName(app.ConsentScope{Identity: c.ids}); got != c.want {
			t.Errorf("%v: %s, want %s", c.ids, got, c.want)
		}
	}
}

func TestNameWithin(t *testing.T) {
	first := app.ConsentScope{Identity: []app.IdentityElement{app.IdentityFirstName, app.IdentityFace}}
	cases := []struct {
		current app.IdentityElement
		scope   app.ConsentScope
		want    app.IdentityElement
	}{
		{app.IdentityAnonymous, first, app.IdentityAnonymous},
		{app.IdentityInitials, first, app.IdentityInitials},
		{app.IdentityFirstName, first, app.IdentityFirstName},
		{app.IdentityFullName, first, app.IdentityFirstName},
		{"", first, app.IdentityFirstName},
		{app.IdentityFullName, app.ConsentScope{Identity: []app.IdentityElement{app.IdentityAnonymous}}, app.IdentityAnonymous},
	}
	for _, c := range cases {
		if got := app.NameWithin(c.current, c.scope); got != c.want {
			t.Errorf("%q within %v: %s, want %s", c.current, c.scope.Identity, got, c.want)
		}
	}
}

func TestSameWords(t *testing.T) {
	a := app.ConsentMedia{SHA256: "aa", Kind: "photo", Label: "one.png"}
	b := app.ConsentMedia{SHA256: "bb", Kind: "photo", Label: "two.png"}
	cases := []struct {
		name             string
		qa, qb           string
		ma, mb           []app.ConsentMedia
		sameQ, sameMedia bool
	}{
		{"identical", "Great care.", "Great care.", []app.ConsentMedia{a}, []app.ConsentMedia{a}, true, true},
		{"line endings and spaces", " Great\r\ncare.\n", "Great\ncare.", nil, nil, true, true},
		{"one letter", "Great care.", "Great care!", nil, nil, false, true},
		{"inner spacing counts", "Great  care.", "Great care.", nil, nil, false, true},
		{"order and labels do not matter", "", "", []app.ConsentMedia{a, b}, []app.ConsentMedia{{SHA256: "bb"}, {SHA256: "aa", Label: "Photo 1"}}, true, true},
		{"photo missing", "", "", []app.ConsentMedia{a, b}, []app.ConsentMedia{a}, true, false},
		{"photo swapped", "", "", []app.ConsentMedia{a}, []app.ConsentMedia{b}, true, false},
		{"duplicate is the same set", "", "", []app.ConsentMedia{a, a}, []app.ConsentMedia{a}, true, true},
	}
	for _, c := range cases {
		q, m := app.SameWords(c.qa, c.ma, c.qb, c.mb)
		if q != c.sameQ || m != c.sameMedia {
			t.Errorf("%s: quote %v media %v, want %v %v", c.name, q, m, c.sameQ, c.sameMedia)
		}
	}
}

func TestCheckQuoteLength(t *testing.T) {
	if err := app.CheckQuoteLength(strings.Repeat("é", app.MaxQuoteRunes), "Shorten it."); err != nil {
		t.Fatalf("a quote of exactly the limit in characters (not bytes) is refused: %v", err)
	}
	err := app.CheckQuoteLength(strings.Repeat("a", app.MaxQuoteRunes+1), "Shorten it.")
	if app.ErrorField(err) != "quote" || app.ErrorMessage(err) != "The testimonial is longer than 3,000 characters. Shorten it." {
		t.Fatalf("over the limit: field %q, message %q", app.ErrorField(err), app.ErrorMessage(err))
	}
	if m := app.ErrorMessage(app.CheckQuoteLength(strings.Repeat("a", app.MaxQuoteRunes+1), "")); m != "The testimonial is longer than 3,000 characters." {
		t.Fatalf("with no advice: %q", m)
	}
}

func TestTestimonialCheck(t *testing.T) {
	today := app.CivilDate{Year: 2026, Month: 11, Day: 20}
	good := app.Testimonial{Quote: "Lovely team.", Source: "in clinic", NameAs: app.IdentityFirstName, SaidOn: today,
		Media: []app.ConsentMedia{{SHA256: "aa", Kind: "photo"}}}
	cases := []struct {
		name  string
		edit  func(*app.Testimonial)
		field string
		msg   string
	}{
		{"as entered", func(*app.Testimonial) {}, "", ""},
		{"a photo alone", func(t *app.Testimonial) { t.Quote = "" }, "", ""},
		{"no date", func(t *app.Testimonial) { t.SaidOn = app.CivilDate{} }, "", ""},
		{"nothing said or shown", func(t *app.Testimonial) { t.Quote, t.Media = "", nil }, "quote", "Enter what the patient said, or add a photo."},
		{"too long", func(t *app.Testimonial) { t.Quote = strings.Repeat("a", app.MaxQuoteRunes+1) }, "quote", "The testimonial is longer than 3,000 characters."},
		{"no source", func(t *app.Testimonial) { t.Source = "" }, "source", "Say where the testimonial came from, for example “Said in clinic” or “Google review”."},
		{"unknown name form", func(t *app.Testimonial) { t.NameAs = app.IdentityFace }, "nameAs", "Choose how posts would name the patient."},
		{"said tomorrow", func(t *app.Testimonial) { t.SaidOn.Day++ }, "saidOn", "The date is in the future."},
		{"a file of no kind", func(t *app.Testimonial) { t.Media = append(t.Media, app.ConsentMedia{SHA256: "bb"}) }, "media", "Photo 2 has no type."},
	}
	for _, c := range cases {
		tm := good
		tm.Media = slices.Clone(good.Media)
		c.edit(&tm)
		err := tm.Check(today)
		if app.ErrorField(err) != c.field || (err != nil && app.ErrorMessage(err) != c.msg) || (err == nil) != (c.msg == "") {
			t.Errorf("%s: %v, want %s %q", c.name, err, c.field, c.msg)
		}
	}
	anon := good
	anon.NameAs = ""
	if err := anon.Check(today); err != nil || anon.NameAs != app.IdentityAnonymous {
		t.Errorf("no name form: %v, named %q; want anonymous", err, anon.NameAs)
	}
}
