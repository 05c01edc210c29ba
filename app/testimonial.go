package app

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

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
// Shows is what a consent media file shows of the patient by its kind
// alone: before-and-after, video or voice ("" for a plain photo, whose face
// is a separate choice).
func (m ConsentMedia) Shows() IdentityElement {
	switch m.Kind {
	case "before_after":
		return IdentityBeforeAfter
	case "video":
		return IdentityVideo
	case "audio":
		return IdentityVoice
	}
	return ""
}

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
		if e := m.Shows(); e != "" && !seen[e] {
			seen[e] = true
			out = append(out, e)
		}
	}
	return out
}

// BroadestName is the fullest name form a consent scope allows (full name
// over first name over initials), anonymous when it names none of them: how
// a testimonial bound to that consent names the patient.
func BroadestName(s ConsentScope) IdentityElement {
	out := IdentityAnonymous
	for _, e := range []IdentityElement{IdentityInitials, IdentityFirstName, IdentityFullName} {
		for _, x := range s.Identity {
			if x == e {
				out = e
			}
		}
	}
	return out
}

// NameForms are the ways a testimonial or quote card can name the patient,
// from least to most revealing: a consent that allows one allows every form
// before it.
var NameForms = []IdentityElement{IdentityAnonymous, IdentityInitials, IdentityFirstName, IdentityFullName}

// NameRank is a name form's place in NameForms, -1 for anything else.
func NameRank(e IdentityElement) int { return slices.Index(NameForms, e) }

// NameFits reports whether naming the patient as e stays within allowed.
func NameFits(e, allowed IdentityElement) bool {
	i := NameRank(e)
	return i >= 0 && i <= NameRank(allowed)
}

// NameWithin is how a testimonial bound to a consent names the patient: the
// name form it already had when the consent allows it (a manager's choice
// of less is kept), otherwise the fullest form the consent allows.
func NameWithin(current IdentityElement, s ConsentScope) IdentityElement {
	allowed := BroadestName(s)
	if NameFits(current, allowed) {
		return current
	}
	return allowed
}

// NormalQuote is a quote as it is stored and hashed: Windows line endings
// made plain, surrounding space removed.
func NormalQuote(q string) string {
	return strings.TrimSpace(strings.ReplaceAll(q, "\r\n", "\n"))
}

// MediaKinds are the kinds of file a consent or a testimonial carries.
var MediaKinds = []string{"photo", "before_after", "video", "audio"}

// Check refuses a testimonial as entered that no consent could cover: no
// words and no photo, words over MaxQuoteRunes, no source, an unknown name
// form, a date after today, or a file of no known kind. One that names no
// name form is anonymous.
func (t *Testimonial) Check(today CivilDate) error {
	if t.Quote == "" && len(t.Media) == 0 {
		return FieldError("quote", "Enter what the patient said, or add a photo.")
	}
	if err := CheckQuoteLength(t.Quote, ""); err != nil {
		return err
	}
	if t.Source == "" {
		return FieldError("source", "Say where the testimonial came from, for example “Said in clinic” or “Google review”.")
	}
	if t.NameAs == "" {
		t.NameAs = IdentityAnonymous
	}
	if NameRank(t.NameAs) < 0 {
		return FieldError("nameAs", "Choose how posts would name the patient.")
	}
	if today.Before(t.SaidOn) {
		return FieldError("saidOn", "The date is in the future.")
	}
	for i, m := range t.Media {
		if !slices.Contains(MediaKinds, m.Kind) {
			return FieldError("media", "Photo %d has no type.", i+1)
		}
	}
	return nil
}

// MaxQuoteRunes is the longest testimonial, in characters, that a consent
// request, an emailed testimonial or a testimonial card may hold: what a
// patient can read and approve on one screen.
const MaxQuoteRunes = 3000

// CheckQuoteLength refuses a quote over MaxQuoteRunes characters as a
// problem with the quote field; then, when not empty, follows the message
// with what to do about it.
func CheckQuoteLength(quote, then string) error {
	if utf8.RuneCountInString(quote) <= MaxQuoteRunes {
		return nil
	}
	msg := fmt.Sprintf("The testimonial is longer than %s characters.", thousands(MaxQuoteRunes))
	if then != "" {
		msg += " " + then
	}
	return FieldError("quote", "%s", msg)
}

// thousands writes n with a comma between thousands, as the messages do.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// SameWords reports whether a testimonial and what a consent covers are the
// same words (after NormalQuote) and the same set of photos (by content).
func SameWords(quoteA string, mediaA []ConsentMedia, quoteB string, mediaB []ConsentMedia) (sameQuote, sameMedia bool) {
	set := func(ms []ConsentMedia) map[string]bool {
		out := map[string]bool{}
		for _, m := range ms {
			out[m.SHA256] = true
		}
		return out
	}
	a, b := set(mediaA), set(mediaB)
	sameMedia = len(a) == len(b)
	for k := range a {
		sameMedia = sameMedia && b[k]
	}
	return NormalQuote(quoteA) == NormalQuote(quoteB), sameMedia
}
