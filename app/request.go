package app

import (
	"time"
)

// RequestKind says what a request asks the patient for.
type RequestKind string

const (
	KindConsent     RequestKind = "consent"
	KindTestimonial RequestKind = "testimonial"
	// KindQuoteApproval asks the patient to approve the edited words of
	// their signed testimonial; the reply, once it counts, is the evidence.
	KindQuoteApproval RequestKind = "quote_approval"
)

// ScopeOption is one tick box offered to the patient, e.g. a channel
// ("Facebook") or an identity option ("Face visible"). Key is stable and is
// what the review queue reports; Label is what the patient sees; Aliases are
// other words a patient may type for it ("FB", "Insta").
type ScopeOption struct {
	Key     string   `json:"key"`
	Label   string   `json:"label"`
	Aliases []string `json:"aliases,omitempty"`
}

// PatientAt is a patient an email address on record belongs to.
type PatientAt struct {
	ID   int64
	Name string
}

// SentRequest is what the caller records for a request so that replies can
// be matched to it later. Ref is the caller's own id, returned untouched.
type SentRequest struct {
	Ref          string        `json:"ref"`
	Token        string        `json:"token"`
	Kind         RequestKind   `json:"kind"`
	MessageID    string        `json:"messageId"` // without angle brackets
	PatientName  string        `json:"patientName"`
	PatientEmail string        `json:"patientEmail"`
	Scope        []ScopeOption `json:"scope"`
	SentAt       time.Time     `json:"sentAt"`
	// Answered is set once a reply to it was confirmed: any later reply is
	// a withdrawal or needs a look, never a second consent.
	Answered bool `json:"answered,omitempty"`
}
