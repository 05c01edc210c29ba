package guard

import "testing"

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
	b.ReportMetric(float64(want), "findings")
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		Scan(text, m, allow)
	}
}
