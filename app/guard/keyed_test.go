package guard

import "testing"

// TestRecordSuffixLetter checks a policy's suffix letter joins the number
// only when nothing worded follows it.
func TestRecordSuffixLetter(t *testing.T) {
	for text, want := range map[string]string{
		"Policy no. 44120873 B – renewal due":       "44120873 B",
		"Policy no. 44120873 A great many thanks!":  "44120873",
		"Policy no. 44120873 A 2nd card is on file": "44120873",
	} {
		fs := Scan(text, nil, AllowList{})
		if len(fs) != 1 || fs[0].Kind != KindRecordNumber || fs[0].Text != want {
			t.Errorf("%q: got %v, want record number %q", text, fs, want)
		}
	}
}
