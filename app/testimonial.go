package app

import "time"

// Testimonial is something a patient said about the practice, with the
// photos that go with it. It may be published only within the scope of the
// signed consent it is bound to (ConsentID; 0 while none is signed).
type Testimonial struct {
	ID        int64     `json:"id"`
	PatientID int64     `json:"patientId"`
	ConsentID int64     `json:"consentId"`
	Quote     string    `json:"quote"`
	Source    string    `json:"source"` // "in clinic", "Google review", "email", ...
	SaidOn    CivilDate `json:"saidOn"`
	// NameAs is how posts would name the patient: one of the four name
	// identity elements. ShowsFace says whether a photo shows their face.
	NameAs    IdentityElement `json:"nameAs"`
	ShowsFace bool            `json:"showsFace"`
	Media     []ConsentMedia  `json:"media"`
	CreatedAt time.Time       `json:"createdAt"`
}

// Identity lists what a post of t reveals about the patient, for the
// consent check: the name form, the face, and the kinds of media.
func (t Testimonial) Identity() []IdentityElement {
	out := []IdentityElement{}
	if t.NameAs != "" {
		out = append(out, t.NameAs)
	}
	if t.ShowsFace {
		out = append(out, IdentityFace)
	}
	seen := map[IdentityElement]bool{}
	for _, m := range t.Media {
		var e IdentityElement
		switch m.Kind {
		case "before_after":
			e = IdentityBeforeAfter
		case "video":
			e = IdentityVideo
		case "audio":
			e = IdentityVoice
		}
		if e != "" && !seen[e] {
			seen[e] = true
			out = append(out, e)
		}
	}
	return out
}
