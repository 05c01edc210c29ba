package app

import (
	"fmt"
	"time"
)

// CivilDate is a calendar date with no time or zone, as written on a form.
// It travels as "2006-01-02" in JSON and in the database.
type CivilDate struct {
	Year  int
	Month time.Month
	Day   int
}

// ParseCivilDate reads "2006-01-02" and refuses dates that do not exist.
func ParseCivilDate(s string) (CivilDate, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return CivilDate{}, FieldError("dateOfBirth", "That is not a date. Type the day, month and year in the order shown under the field.")
	}
	return CivilDate{t.Year(), t.Month(), t.Day()}, nil
}

func (d CivilDate) IsZero() bool { return d == CivilDate{} }

func (d CivilDate) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
}

func (d CivilDate) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

func (d *CivilDate) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = CivilDate{}
		return nil
	}
	v, err := ParseCivilDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// Before reports whether d is an earlier day than o.
func (d CivilDate) Before(o CivilDate) bool {
	if d.Year != o.Year {
		return d.Year < o.Year
	}
	if d.Month != o.Month {
		return d.Month < o.Month
	}
	return d.Day < o.Day
}

// ConsentTemplate is one version of a consent form's wording. Versions are
// never edited: a practice's change of wording is a new version with a new
// hash, and every signed consent points at the exact version it showed.
type ConsentTemplate struct {
	Key     string `json:"key"`     // stable family id, e.g. "us-hipaa-marketing"
	Version int    `json:"version"` // 1 for the shipped text, +1 per edit
	Country string `json:"country"` // "US" or "GB"
	Title   string `json:"title"`
	// ReviewNotice is shown to the practice, never to the patient: shipped
	// templates say counsel should review them before first use.
	ReviewNotice string    `json:"reviewNotice"`
	Body         string    `json:"body"`   // Markdown with {{placeholders}}
	SHA256       string    `json:"sha256"` // of Body, hex
	CreatedAt    time.Time `json:"createdAt"`
}

// VersionID names the exact version, e.g. "us-hipaa-marketing@3".
func (t ConsentTemplate) VersionID() string { return fmt.Sprintf("%s@%d", t.Key, t.Version) }

// IdentityElement is one way a post may identify the patient. Each is its
// own unticked box on the form.
type IdentityElement string

const (
	IdentityFullName    IdentityElement = "full_name"
	IdentityFirstName   IdentityElement = "first_name"
	IdentityInitials    IdentityElement = "initials"
	IdentityAnonymous   IdentityElement = "anonymous"
	IdentityFace        IdentityElement = "face"
	IdentityBeforeAfter IdentityElement = "before_after"
	IdentityVideo       IdentityElement = "video"
	IdentityVoice       IdentityElement = "voice"
	IdentityAge         IdentityElement = "age"
	IdentityTown        IdentityElement = "town"
	IdentitySocialTag   IdentityElement = "social_tag"
)

// ConsentChannel is a place the testimonial may appear. Paid promotion is
// its own box (ChannelPaidAds) on top of the channel the ad runs on.
type ConsentChannel string

const (
	ChannelWebsite        ConsentChannel = "website"
	ChannelFacebook       ConsentChannel = "facebook"
	ChannelInstagram      ConsentChannel = "instagram"
	ChannelLinkedIn       ConsentChannel = "linkedin"
	ChannelGoogleBusiness ConsentChannel = "google_business"
	ChannelMastodon       ConsentChannel = "mastodon"
	ChannelBluesky        ConsentChannel = "bluesky"
	ChannelX              ConsentChannel = "x"
	ChannelNewsletter     ConsentChannel = "newsletter"
	ChannelPrint          ConsentChannel = "print"
	ChannelPaidAds        ConsentChannel = "paid_ads"
	ChannelReviewSites    ConsentChannel = "review_sites"
)

// ConsentScope is what the patient ticked. Both lists are sets: order does
// not matter and the evidence hash sorts them.
type ConsentScope struct {
	Identity []IdentityElement `json:"identity"`
	Channels []ConsentChannel  `json:"channels"`
}

// RemunerationKind says whether the patient got anything for the testimonial.
type RemunerationKind string

const (
	RemunerationNone       RemunerationKind = "none"
	RemunerationDiscount   RemunerationKind = "discount"
	RemunerationGift       RemunerationKind = "gift"
	RemunerationPayment    RemunerationKind = "payment"
	RemunerationThirdParty RemunerationKind = "third_party" // a third party pays the practice (HIPAA)
)

// Remuneration is the incentive statement. Any kind but none needs a
// Description, and posts must then carry a disclosure (FTC 255.5, CAP).
type Remuneration struct {
	Kind        RemunerationKind `json:"kind"`
	Description string           `json:"description"` // "20% off whitening"
	// Disclosure is the wording agreed for posts, e.g. "Sam received
	// complimentary whitening". Optional: generic markers also count.
	Disclosure string `json:"disclosure"`
}

// SigningMethod is how the signature was captured.
type SigningMethod string

const (
	SignOnScreen SigningMethod = "on_screen" // drawn on the practice's screen
	SignPaper    SigningMethod = "paper"     // wet ink, scan attached
	SignEmail    SigningMethod = "email"     // emailed link or reply
)

// Signer is who signed. A representative (parent, guardian, attorney) gives
// a relationship and a description of their authority (HIPAA 164.508(c)(1)(vi)).
type Signer struct {
	Name           string `json:"name"`
	Representative bool   `json:"representative"`
	Relationship   string `json:"relationship"` // "mother", "legal guardian"
	Authority      string `json:"authority"`    // "parent with parental responsibility"
}

// StrokePoint is one sample of a drawn signature: position in the pad's CSS
// pixels and milliseconds since the stroke began.
type StrokePoint struct {
	X float64 `json:"x"`
	Y float64 `json:"y"`
	T int64   `json:"t"`
}

// Signature is the evidence of the act of signing. On screen: ImageSHA256 +
// Strokes + TypedName. Paper: ScanSHA256 (+ TypedName as read from the form).
type Signature struct {
	TypedName   string          `json:"typedName"`
	ImageSHA256 string          `json:"imageSha256"` // PNG blob key
	Strokes     [][]StrokePoint `json:"strokes"`
	ScanSHA256  string          `json:"scanSha256"` // paper scan blob key
}

// ConsentMedia is one file the consent covers, by content hash.
type ConsentMedia struct {
	SHA256 string `json:"sha256"`
	Kind   string `json:"kind"` // "photo", "before_after", "video", "audio"
	Label  string `json:"label"`
}

// ConsentPractice is the practice as named on the form at signing time.
type ConsentPractice struct {
	Name             string `json:"name"`
	Address          string `json:"address"`
	Email            string `json:"email"`
	Phone            string `json:"phone"`
	PrivacyNoticeURL string `json:"privacyNoticeUrl"`
	PrivacyContact   string `json:"privacyContact"` // UK: DPO or privacy lead, if any
	Zone             string `json:"zone"`           // IANA zone, e.g. "Europe/London"
}

// Consent is a signed consent. It is immutable once created: no field is
// ever updated. A mistake is corrected by revoking it and signing a new one.
type Consent struct {
	ID              int64           `json:"id"`
	PatientID       int64           `json:"patientId"`
	Patient         Patient         `json:"patient"` // snapshot at signing
	Practice        ConsentPractice `json:"practice"`
	Country         string          `json:"country"`
	TemplateVersion string          `json:"templateVersion"` // ConsentTemplate.VersionID()
	TemplateSHA256  string          `json:"templateSha256"`
	Text            string          `json:"text"` // exact text shown, rendered Markdown
	TextSHA256      string          `json:"textSha256"`
	Scope           ConsentScope    `json:"scope"`
	HealthDetails   string          `json:"healthDetails"` // "Invisalign", "knee rehab"
	Quote           string          `json:"quote"`
	QuoteSHA256     string          `json:"quoteSha256"`
	Media           []ConsentMedia  `json:"media"`
	ExpiryMonths    int             `json:"expiryMonths"`
	ExpiresAt       time.Time       `json:"expiresAt"` // UTC; valid strictly before
	Remuneration    Remuneration    `json:"remuneration"`
	Method          SigningMethod   `json:"method"`
	Signer          Signer          `json:"signer"`
	Signature       Signature       `json:"signature"`
	SignedAt        time.Time       `json:"signedAt"` // UTC
	EvidenceHash    string          `json:"evidenceHash"`
}

// ConsentRevocation records a withdrawal. It is stored beside the consent,
// never written into it.
type ConsentRevocation struct {
	ConsentID  int64     `json:"consentId"`
	At         time.Time `json:"at"`         // when the patient withdrew (UTC)
	ReceivedBy string    `json:"receivedBy"` // "email", "letter", "in_person", "phone", "link"
	Note       string    `json:"note"`
	RecordedAt time.Time `json:"recordedAt"`
}

// QuoteApproval records that the patient approved an edited version of
// their quote (length or typos only, compliance E5) after signing.
type QuoteApproval struct {
	ConsentID  int64     `json:"consentId"`
	SHA256     string    `json:"sha256"` // of the approved text, as consent.QuoteHash computes it
	ApprovedAt time.Time `json:"approvedAt"`
	How        string    `json:"how"` // ApprovedOnScreen or ApprovedByEmail
}

// ConsentHold stops every post relying on a consent at once, before the
// manager has confirmed a withdrawal: an emailed reply in withdrawal words
// puts the patient's consents on hold until the manager either records the
// withdrawal (a ConsentRevocation) or releases the hold with a note.
type ConsentHold struct {
	ConsentID   int64     `json:"consentId"`
	At          time.Time `json:"at"`     // when the hold began (UTC)
	Reason      string    `json:"reason"` // for the manager, never the message body
	ReplyID     int64     `json:"replyId"`
	ReleasedAt  time.Time `json:"releasedAt,omitzero"` // zero while the hold stands
	ReleaseNote string    `json:"releaseNote,omitempty"`
}

// Active reports whether the hold stands at moment.
func (h *ConsentHold) Active(moment time.Time) bool {
	return h != nil && !h.At.After(moment) && (h.ReleasedAt.IsZero() || h.ReleasedAt.After(moment))
}
