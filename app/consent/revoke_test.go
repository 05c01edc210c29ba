package consent

import (
	"testing"
	"time"

	"practicepost/app"
)

func TestRevoke(t *testing.T) {
	f := testForm(t, "GB")
	c := sign(t, f, ukSigned)
	c.ID = 12
	now := ukSigned.Add(30 * 24 * time.Hour)
	cases := []struct {
		name  string
		at    time.Time
		by    string
		field string
	}{
		{"ok", now.Add(-time.Hour), "letter", ""},
		{"at signing instant", ukSigned, "email", ""},
		{"future", now.Add(time.Minute), "email", "at"},
		{"before signing", ukSigned.Add(-time.Second), "email", "at"},
		{"zero", time.Time{}, "email", "at"},
		{"unknown channel", now, "carrier pigeon", "receivedBy"},
	}
	for _, tc := range cases {
		r, err := Revoke(c, tc.at, tc.by, "  note ", now)
		if app.ErrorField(err) != tc.field {
			t.Errorf("%s: err = %v", tc.name, err)
			continue
		}
		if err == nil && (r.ConsentID != 12 || !r.At.Equal(tc.at) || r.Note != "note" || !r.RecordedAt.Equal(now)) {
			t.Errorf("%s: %+v", tc.name, r)
		}
	}
	if !InWritingRequired("US", "phone") || InWritingRequired("US", "letter") || InWritingRequired("GB", "phone") {
		t.Error("InWritingRequired")
	}
}
