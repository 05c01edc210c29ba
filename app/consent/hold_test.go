package consent

import (
	"strings"
	"testing"
	"time"

	"practicepost/app"
)

// An emailed withdrawal holds the consent from the moment it arrived until
// the manager releases it; before and after, the same use is clear.
func TestValidateHold(t *testing.T) {
	f := testForm(t, "GB")
	c := sign(t, f, ukSigned)
	rec := record(t, f, c)
	use := baseUse(c)
	if got := Validate(rec, use, ukMoment); len(got) != 0 {
		t.Fatalf("baseline: %+v", got)
	}
	at := ukMoment.Add(-48 * time.Hour)
	rec.Hold = &app.ConsentHold{ConsentID: 1, At: at, Reason: "withdrawal words", ReplyID: 7}
	got := Validate(rec, use, ukMoment)
	if len(got) != 1 || got[0].Code != CodeOnHold || !strings.Contains(got[0].Reason, "30 May 2026") || !strings.Contains(got[0].Reason, "on Home") {
		t.Fatalf("on hold: %+v", got)
	}
	if got := Validate(rec, use, at.Add(-time.Minute)); len(got) != 0 {
		t.Errorf("before the hold began: %+v", got)
	}
	rec.Hold.ReleasedAt = ukMoment.Add(-time.Hour)
	rec.Hold.ReleaseNote = "Phoned the patient: she meant the newsletter."
	if got := Validate(rec, use, ukMoment); len(got) != 0 {
		t.Errorf("released: %+v", got)
	}
	if got := Validate(rec, use, ukMoment.Add(-2*time.Hour)); len(got) != 1 || got[0].Code != CodeOnHold {
		t.Errorf("while it stood: %+v", got)
	}
}
