package app_test

import (
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
