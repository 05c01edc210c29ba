package guard

import (
	"testing"

	"practicepost/app"
	"practicepost/app/consent"
)

// The typical post quotes the practice's numbers as the brand kit spells
// them, which Scan recognises without the phone library. Here the brand kit
// spells them in E.164, so every number in the post is parsed and checked.
func BenchmarkScan2000CharsTypical5000NamesPhonesReformatted(b *testing.B) {
	allow := testAllow
	allow.Phones = nil
	for _, p := range testAllow.Phones {
		n, ok := parsePhone(p)
		if !ok {
			b.Fatalf("allow-list phone %q does not parse", p)
		}
		allow.Phones = append(allow.Phones, n.e164)
	}
	m := NewMatcher(benchDictionary())
	text := benchPost(b, false)
	want := len(Scan(text, m, testAllow))
	if got := len(Scan(text, m, allow)); got != want {
		b.Fatalf("%d findings with E.164 allow list, %d with the usual one", got, want)
	}
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		Scan(text, m, allow)
	}
	b.ReportMetric(float64(want), "findings") // after the loop, which would clear it
}

// A 2,000-character post quoting one patient's testimonial, with a quote
// card: Check looks for every form of her name in the text and the card on
// top of the scan and the consent checks.
func BenchmarkCheck2000CharsTestimonial5000Names(b *testing.B) {
	quote := "The team made me feel at ease from the first visit."
	rec := signedRecord(b, margaret, app.ConsentScope{Identity: []app.IdentityElement{app.IdentityInitials}, Channels: []app.ConsentChannel{app.ChannelFacebook}},
		quote, app.Remuneration{Kind: app.RemunerationNone}, signedAt)
	p := testPractice()
	p.Names = NewMatcher(append(benchDictionary(), PatientName{PatientID: "1", Name: margaret.FullName}))
	p.NameConsents = map[string][]consent.Record{"1": {rec}}
	p.Now = spring
	d := Draft{
		Text:       "\"" + quote + "\" — M.O.\n\n" + benchPost(b, false),
		Uses:       []ConsentUse{{Label: "Testimonial 1", PatientID: "1", PatientName: margaret.FullName, Record: &rec, Use: consent.Use{Identity: []app.IdentityElement{app.IdentityInitials}, Quote: quote}}},
		ImageTexts: []ImageText{{Image: 1, What: "quote card", Text: quote + "\n— M.O.", Covered: []string{"1"}}},
	}
	findings := len(Check(d, Facebook, p, spring).Findings)
	b.SetBytes(int64(len(d.Text)))
	b.ReportAllocs()
	for b.Loop() {
		Check(d, Facebook, p, spring)
	}
	b.ReportMetric(float64(findings), "findings") // after the loop, which would clear it
}
