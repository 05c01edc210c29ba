package guard

import (
	"strings"
	"testing"

	"practicepost/app"
	"practicepost/app/consent"
)

// Words drawn into an image are scanned like the post text, but findings
// point at the image (no offsets), and a patient whose naming a consent use
// for that image already checks is not reported twice.
func TestCheckScansImageText(t *testing.T) {
	p := testPractice()
	post := "Kind words from one of our patients."
	card := ImageText{Image: 2, What: "quote card", Text: "Lovely team.\n— Margaret Okafor\nCall 0117 496 0123"}

	r := Check(Draft{Text: post, ImageTexts: []ImageText{card}}, Facebook, p, spring)
	if !r.Blocked || len(r.Findings) != 1 {
		t.Fatalf("findings %+v", r.Findings)
	}
	f := r.Findings[0]
	if f.Kind != KindPatientName || f.Image != 2 || f.Start != 0 || f.End != 0 || f.Text != "Margaret Okafor" || f.Channel != Facebook ||
		f.Message != "The quote card (image 2) shows the name of one of your patients: Margaret Okafor. No testimonial in this post has consent that covers it." {
		t.Fatalf("finding %+v", f)
	}

	nhs := ImageText{Image: 1, What: "tip card", Text: "Patient NHS no 943 476 5919"}
	r = Check(Draft{Text: post, ImageTexts: []ImageText{nhs}}, Facebook, p, spring)
	if len(r.Findings) != 1 || r.Findings[0].Kind != KindNHSNumber || !strings.HasPrefix(r.Findings[0].Message, "The tip card (image 1) shows an NHS number: 943 476 5919") {
		t.Fatalf("NHS number in an image: %+v", r.Findings)
	}

	// Her full-name consent on Facebook clears the name there, not on X.
	rec := facebookRecord(t, margaret, app.IdentityFullName, "Lovely team.")
	p.NameConsents = map[string][]consent.Record{"1": {rec}}
	if r := Check(Draft{Text: post, ImageTexts: []ImageText{card}}, Facebook, p, spring); r.Blocked {
		t.Fatalf("covered on Facebook: %+v", r.Findings)
	}
	r = Check(Draft{Text: post, ImageTexts: []ImageText{card}}, X, p, spring)
	if len(r.Findings) != 1 || !strings.Contains(r.Findings[0].Message, "Their consent does not cover it here: The consent does not cover X") {
		t.Fatalf("on X: %+v", r.Findings)
	}

	// A use for the card itself checks her name: the scan leaves it to it,
	// and the quote need not be in the post text.
	card.Covered = []string{"1"}
	use := ConsentUse{Label: "Image 2: quote card", PatientID: "1", Record: &rec, InImage: true,
		Use: consent.Use{Identity: []app.IdentityElement{app.IdentityFullName}, Quote: "Lovely team."}}
	r = Check(Draft{Text: post, Uses: []ConsentUse{use}, ImageTexts: []ImageText{card}}, Facebook, p, spring)
	if r.Blocked {
		t.Fatalf("card from her testimonial on Facebook: %+v", r.Findings)
	}
	r = Check(Draft{Text: post, Uses: []ConsentUse{use}, ImageTexts: []ImageText{card}}, X, p, spring)
	if len(r.Findings) != 1 || r.Findings[0].Kind != KindConsentPrefix+consent.CodeChannelNotCovered || !strings.HasPrefix(r.Findings[0].Message, "Image 2: quote card") {
		t.Fatalf("card on X: one consent finding expected, got %+v", r.Findings)
	}
	// Words in the image that are not the approved ones still fail.
	use.Use.Quote = "Lovely team, best in town."
	r = Check(Draft{Text: post, Uses: []ConsentUse{use}}, Facebook, p, spring)
	if len(r.Findings) != 1 || r.Findings[0].Kind != KindConsentPrefix+consent.CodeQuoteChanged {
		t.Fatalf("edited words in the image: %+v", r.Findings)
	}
}
