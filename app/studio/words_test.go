package studio

import (
	"strings"
	"testing"
)

func TestWordsListsWhatTheDesignDraws(t *testing.T) {
	e := mustEngine(t)
	spec := Spec{Template: "testimonial", Brand: testBrand(),
		Fields:      map[string]string{"quote": "The whole team made me feel at ease.", "treatment": "Whitening"},
		Attribution: &AttributionSpec{Mode: AttrFirstName, Name: "Mrs Jane Smith"}}
	got, err := e.Words(spec)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"The whole team made me feel at ease.", "— Jane", "Whitening", "Riverside Dental Care"} {
		if !strings.Contains(got, want) {
			t.Errorf("words %q lack %q", got, want)
		}
	}
	// The attribution is what the consented mode draws, never more.
	if strings.Contains(got, "Smith") {
		t.Errorf("first-name card records the surname: %q", got)
	}
	lines := strings.Split(got, "\n")
	seen := map[string]bool{}
	for _, l := range lines {
		if seen[l] {
			t.Errorf("line %q repeated", l)
		}
		seen[l] = true
	}

	// With a logo the practice name is not drawn unless a template says so.
	spec.Logo = testLogo(t)
	spec.Attribution = &AttributionSpec{Mode: AttrAnonymous}
	got, err = e.Words(spec)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(got, AnonymousAttribution) || strings.Contains(got, "Jane") {
		t.Errorf("anonymous card words %q", got)
	}

	if _, err := e.Words(Spec{Template: "no-such", Brand: testBrand()}); err == nil {
		t.Error("an unknown template gave words")
	}
}
