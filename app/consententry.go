package app

import "time"

// NewConsent is a signed consent with its evidence files, ready to store.
type NewConsent struct {
	Consent      Consent // signed: EvidenceHash set, ID 0
	SignaturePNG []byte  // on screen: the drawn signature
	Scan         []byte  // paper: the scanned form
	ScanMIME     string
	PDF          []byte // the signed copy
	// Testimonial, when set, is stored bound to the new consent in the same
	// transaction (the quote and photos the patient just agreed to).
	Testimonial *Testimonial
	// Link, when set, is the testimonial waiting for this consent: it is
	// bound to the new consent in the same transaction, and no new
	// testimonial is stored. At most one of Testimonial and Link is set.
	Link *TestimonialLink
}

// ConsentEntry is a stored consent with what is kept beside it.
type ConsentEntry struct {
	Consent    Consent            `json:"consent"`
	Revocation *ConsentRevocation `json:"revocation"`
	Hold       *ConsentHold       `json:"hold"` // the latest hold, active or released; nil when none
	// QuoteApprovals are the edited quotes the patient approved after
	// signing, oldest first.
	QuoteApprovals []QuoteApproval `json:"quoteApprovals"`
	PDFSHA256      string          `json:"pdfSha256"`
	CreatedAt      string          `json:"-"`
}

// ConsentFilter narrows ListConsents; zero values match everything.
type ConsentFilter struct {
	PatientID   int64
	SignedSince time.Time // zero: any time
}

// Publication is a post that relied on a consent: one line of the takedown
// list when the consent is withdrawn.
type Publication struct {
	ConsentID   int64  `json:"consentId"`
	PostID      int64  `json:"postId"`
	Platform    string `json:"platform"`
	RemoteID    string `json:"remoteId"`
	URL         string `json:"url"`
	PublishedAt string `json:"publishedAt"`
}
