package consent_test

import (
	"reflect"
	"testing"

	"practicepost/app/consent"
)

// What counts as an edit for length or typos, case by case.
func TestCompareQuotesClassifies(t *testing.T) {
	const approved = "The whole team put me at ease, and my new crown looks completely natural."
	for _, c := range []struct {
		name, edited string
		ok           bool
		added        []string
	}{
		{"unchanged", approved, true, nil},
		{"shortened at the end", "The whole team put me at ease.", true, nil},
		{"words taken out in the middle", "The team put me at ease, and my crown looks natural.", true, nil},
		{"punctuation only", "The whole team put me at ease; and my new crown looks completely natural!", true, nil},
		{"capitals", "the Whole Team put me at ease, and my new crown looks completely natural.", true, nil},
		{"typo fixed", "The whole taem put me at ease, and my new crown looks completly natural.", true, nil},
		{"word added", "The whole team put me at ease, and my new crown looks completely natural and cheap.", false, []string{"and", "cheap"}},
		{"word replaced", "The whole team put me at ease, and my new crown looks completely perfect.", false, []string{"perfect"}},
		{"short word changed", "The whole team put me at ease, and my new crown looks completely natural, no pain.", false, []string{"no", "pain"}},
		{"reordered", "My new crown looks completely natural, and the whole team put me at ease.", false, []string{"My", "new", "crown", "looks", "completely", "natural", "and"}},
		{"all words replaced", "Best dentist in town.", false, []string{"Best", "dentist", "in", "town"}},
	} {
		got := consent.CompareQuotes(approved, c.edited)
		if got.LengthOrTypos != c.ok {
			t.Errorf("%s: length or typos = %v, want %v (added %q)", c.name, got.LengthOrTypos, c.ok, got.Added)
		}
		want := c.added
		if want == nil {
			want = []string{}
		}
		if !reflect.DeepEqual(got.Added, want) {
			t.Errorf("%s: added %q, want %q", c.name, got.Added, want)
		}
	}
}

// Short words and numbers are never typo fixes; longer words allow one or
// two slips, swaps included.
func TestCompareQuotesSmallFixes(t *testing.T) {
	for _, c := range []struct {
		approved, edited string
		ok               bool
	}{
		{"I was in no pain", "I was in so pain", false},
		{"3 visits", "2 visits", false},
		{"teh best", "the best", true},
		{"recieved care", "received care", true},
		{"painless", "pianless", true},
		{"fine", "fire", true},    // one letter in a short word still reads as a slip
		{"kind", "unkind", false}, // two letters in a short word do not
		{"wonderful", "wonderfully", true},
		{"wonderful", "wonder", false},
	} {
		if got := consent.CompareQuotes(c.approved, c.edited); got.LengthOrTypos != c.ok {
			t.Errorf("%q → %q: length or typos = %v, want %v", c.approved, c.edited, got.LengthOrTypos, c.ok)
		}
	}
}

// The parts read as the new text with the changes marked in place.
func TestCompareQuotesParts(t *testing.T) {
	for _, tc := range []struct {
		name, approved, edited string
		want                   []consent.QuoteDiffPart
	}{
		{"a word removed", "Kind and quick, the whole team.", "Kind and quick, the team.", []consent.QuoteDiffPart{
			{Op: consent.DiffSame, Text: "Kind and quick, the "},
			{Op: consent.DiffRemoved, Text: "whole "},
			{Op: consent.DiffSame, Text: "team."},
		}},
		{"words moved and added", "Kind and quick.", "Kind, quick and gentle.", []consent.QuoteDiffPart{
			{Op: consent.DiffSame, Text: "Kind, "},
			{Op: consent.DiffRemoved, Text: "and "},
			{Op: consent.DiffSame, Text: "quick "},
			{Op: consent.DiffAdded, Text: "and gentle."},
		}},
		{"shortened at a comma", "Put me at ease, and my crown looks natural.", "Put me at ease.", []consent.QuoteDiffPart{
			{Op: consent.DiffSame, Text: "Put me at ease. "},
			{Op: consent.DiffRemoved, Text: "and my crown looks natural."},
		}},
	} {
		if got := consent.CompareQuotes(tc.approved, tc.edited).Parts; !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: parts %+v", tc.name, got)
		}
	}
}
