package gate_test

import (
	"strings"
	"testing"
	"time"

	"practicepost/app"
	"practicepost/app/gate"
	"practicepost/app/guard"
)

func TestReplyJoinsTheReplyGuardAndTheGate(t *testing.T) {
	db := practiceDB(t, app.BrandKit{PracticeName: "Your Smile Dental", Phone: "0117 496 0123", Email: "hello@yoursmile.example"})
	if _, err := db.CreatePatient(ctx, app.Patient{FullName: "Margaret Okafor", Email: "m@mail.example", DateOfBirth: app.CivilDate{Year: 1958, Month: 4, Day: 2}}); err != nil {
		t.Fatal(err)
	}
	g := gate.New()
	cases := []struct {
		ch        guard.Channel
		text      string
		commenter string
		blocked   bool
		kind      guard.Kind
	}{
		{guard.GoogleBusiness, "Sorry your crown came loose, Mrs Smith", "Jane Smith", true, "reply_name"},
		{guard.GoogleBusiness, "Sorry your crown came loose, Mrs Smith", "Jane Smith", true, "reply_confirms_patient"},
		// A patient from the list, named in a reply to someone else.
		{guard.Facebook, "Margaret Okafor said the same!", "Bob", true, "reply_name"},
		// The gate's own limits still apply: Bluesky takes 300 graphemes.
		{guard.Bluesky, strings.Repeat("Thank you! ", 40) + "Call us on 0117 496 0123.", "", true, guard.KindTooLong},
		{guard.GoogleBusiness, "Thank you for your feedback. We can't discuss anyone's care online; please call us on 0117 496 0123 and ask for the practice manager.", "Jane Smith", false, ""},
		{guard.Facebook, "Thanks from all of us at Your Smile Dental!", "Jane Smith", false, ""},
		// Instagram posts need an image; a reply does not.
		{guard.Instagram, "Thank you! Call us on 0117 496 0123 any time.", "", false, ""},
	}
	for _, c := range cases {
		r, err := g.Reply(ctx, db, gate.ReplyPost{Channel: c.ch, Text: c.text, Commenter: c.commenter}, t0.Add(time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if r.Blocked != c.blocked {
			t.Errorf("%q on %s: blocked %v, findings %+v", c.text, c.ch, r.Blocked, r.Findings)
			continue
		}
		if c.kind != "" && !hasKind(r.Findings, c.kind) {
			t.Errorf("%q: no %s in %+v", c.text, c.kind, r.Findings)
		}
		if !strings.Contains(r.Private, "0117 496 0123") {
			t.Errorf("private route %q", r.Private)
		}
	}
}

func hasKind(fs []guard.Finding, k guard.Kind) bool {
	for _, f := range fs {
		if f.Kind == k && f.Severity == guard.Block {
			return true
		}
	}
	return false
}
