package app

import (
	"slices"
	"time"
)

// SenderCheck is what the practice's own mail provider said about a reply's
// sender (RFC 8601 Authentication-Results), read only from the topmost
// header that provider wrote. A sender can write any header it likes below
// it, so nothing else is believed.
type SenderCheck struct {
	// AuthServID is the provider's id the trusted header carried; "" when
	// no header from the provider was found.
	AuthServID string `json:"authServId"`
	DMARC      string `json:"dmarc"` // pass, fail, none, ... ("" when not reported)
	SPF        string `json:"spf"`
	DKIM       string `json:"dkim"` // pass when any signature passed
	// HeaderFrom is the domain DMARC judged (header.from), lowercased.
	HeaderFrom string `json:"headerFrom"`
	// Verdict sums it up: "pass" (DMARC passed for the From domain),
	// "fail" (DMARC failed, or no DMARC and neither SPF nor DKIM passed),
	// or "unknown" (the provider said nothing usable).
	Verdict string `json:"verdict"`
	// Forged is set when a lower header claiming to be the provider's says
	// more than the provider did (a "pass" the provider did not give).
	Forged bool `json:"forged"`
}

// Sender check verdicts.
const (
	VerdictPass    = "pass"
	VerdictFail    = "fail"
	VerdictUnknown = "unknown"
)

// MailAttachment is a file kept from a reply: a signed form as PDF, JPEG or PNG.
type MailAttachment struct {
	Filename    string `json:"filename"`
	ContentType string `json:"contentType"` // from the content, not the sender's label
	Size        int64  `json:"size"`
	SHA256      string `json:"sha256"`
	Data        []byte `json:"-"`
}

// ReplyFlag marks something a person must look at before accepting a reply.
type ReplyFlag string

const (
	FlagAmbiguous          ReplyFlag = "ambiguous"           // an answer could be read two ways
	FlagNoScope            ReplyFlag = "no_scope"            // no tick box answered
	FlagUnsigned           ReplyFlag = "unsigned"            // no typed full name and no attachment
	FlagNameMismatch       ReplyFlag = "name_mismatch"       // typed name differs from the patient's
	FlagSenderMismatch     ReplyFlag = "sender_mismatch"     // From differs from the patient's address
	FlagNoMatchingRequest  ReplyFlag = "no_matching_request" // a token, but no request with it
	FlagConflictingTokens  ReplyFlag = "conflicting_tokens"  // tokens of two different requests
	FlagAttachmentTooLarge ReplyFlag = "attachment_too_large"
	FlagAttachmentRejected ReplyFlag = "attachment_rejected" // not PDF/JPEG/PNG
	FlagMessageTooLarge    ReplyFlag = "message_too_large"
	FlagUnreadableText     ReplyFlag = "unreadable_text" // unknown charset or broken encoding
	FlagAnsweredInQuote    ReplyFlag = "answered_in_quote"
	// FlagMissingBoxes: some boxes were answered and others are missing
	// from the reply (deleted or edited away).
	FlagMissingBoxes ReplyFlag = "missing_boxes"
	// FlagWithdrawal: the patient's words ask to withdraw.
	FlagWithdrawal ReplyFlag = "withdrawal"
	// FlagAfterAnswer: the request was already answered; this reply is
	// never a consent.
	FlagAfterAnswer ReplyFlag = "after_answer"
	// FlagSenderFailed: the practice's provider says the sender's domain
	// failed DMARC (or SPF/DKIM without DMARC).
	FlagSenderFailed ReplyFlag = "sender_failed"
	// FlagForgedAuth: a lower Authentication-Results header claims a pass
	// the practice's provider did not give.
	FlagForgedAuth ReplyFlag = "forged_auth"
	// FlagNoReference: no request reference; matched to the patient by the
	// sender's address only (kept only when it reads as a withdrawal).
	FlagNoReference ReplyFlag = "no_reference"
)

// ScopeAnswer is what one reply says about one tick box.
type ScopeAnswer string

const (
	AnswerYes        ScopeAnswer = "yes"
	AnswerNo         ScopeAnswer = "no"
	AnswerAmbiguous  ScopeAnswer = "ambiguous"
	AnswerUnanswered ScopeAnswer = "unanswered"
)

// ScopeLine is the evidence for one reading: the patient's line and what it
// was read as.
type ScopeLine struct {
	Text   string      `json:"text"`
	Key    string      `json:"key"`
	Answer ScopeAnswer `json:"answer"`
}

// ScopeReading is what a reply says about the offered tick boxes. It is a
// proposal for a person to confirm, never consent by itself.
type ScopeReading struct {
	Agreed     []string    `json:"agreed"`
	Declined   []string    `json:"declined"`
	Ambiguous  []string    `json:"ambiguous"`
	Unanswered []string    `json:"unanswered"`
	Lines      []ScopeLine `json:"lines"`
	// Unclear holds lines that look like an answer but name no single box
	// ("yes to all", "Facebook and my cat"); they are never guessed.
	Unclear []string `json:"unclear"`
	// FromQuote is set when the ticks were found inside the quoted request.
	FromQuote bool `json:"fromQuote"`
}

// NeedsReview reports whether anything in the reading was unclear.
func (r ScopeReading) NeedsReview() bool { return len(r.Ambiguous) > 0 || len(r.Unclear) > 0 }

// ReviewItem is one patient reply waiting for a person to accept or reject
// it. Nothing in it is consent until a person confirms it.
type ReviewItem struct {
	// Key makes recording idempotent: "mid:<Message-ID>", or "sha256:<hex of
	// the raw bytes>" for messages without a Message-ID. UIDs are not part
	// of it because they change when the server resets UIDVALIDITY.
	Key         string `json:"key"`
	Mailbox     string `json:"mailbox"`
	UIDValidity uint32 `json:"uidValidity"`
	UID         uint32 `json:"uid"`
	MessageID   string `json:"messageId"`

	// The request the reply answers; empty with FlagNoMatchingRequest.
	RequestRef   string      `json:"requestRef"`
	RequestToken string      `json:"requestToken"`
	RequestKind  RequestKind `json:"requestKind"`
	// Patients are the patients whose email on record sent a withdrawal
	// that answers no request: they signed on screen or on paper, and the
	// form told them they may withdraw by email.
	Patients []int64 `json:"patients,omitempty"`

	FromName    string    `json:"fromName"`
	FromAddress string    `json:"fromAddress"`
	Subject     string    `json:"subject"`
	Date        time.Time `json:"date"`       // the sender's Date header
	ReceivedAt  time.Time `json:"receivedAt"` // the server's INTERNALDATE

	Words       string           `json:"words"` // the patient's own words, quoted history removed
	TypedName   string           `json:"typedName"`
	Scope       ScopeReading     `json:"scope"`
	Attachments []MailAttachment `json:"attachments"`
	Flags       []ReplyFlag      `json:"flags"`
	Notes       []string         `json:"notes"`
	HTMLOnly    bool             `json:"htmlOnly"`

	// Intent is what the reply is, before anyone looks at it.
	Intent ReplyIntent `json:"intent"`
	// Withdrawal is the patient's line asking to withdraw, "" when none.
	Withdrawal string `json:"withdrawal,omitempty"`
	// Sender is what the practice's provider said about the sender.
	Sender SenderCheck `json:"sender"`
	// HeadersOnly: the reply matched no request, so its body and
	// attachments were not kept (Raw holds the header only).
	HeadersOnly bool `json:"headersOnly,omitempty"`

	// Raw is the message exactly as the server holds it: the evidence.
	// For a message over the size limit it is the header only.
	Raw       []byte `json:"-"`
	RawSHA256 string `json:"rawSha256"`
}

// HasFlag reports whether f is set.
func (it ReviewItem) HasFlag(f ReplyFlag) bool { return slices.Contains(it.Flags, f) }

// ReplyIntent is what a reply is.
type ReplyIntent string

const (
	// IntentAnswer answers a request that is still open: a consent or a
	// testimonial once a person confirms it.
	IntentAnswer ReplyIntent = "answer"
	// IntentWithdrawal asks, in the patient's words, to withdraw. It puts
	// the patient's consents on hold the moment it is recorded.
	IntentWithdrawal ReplyIntent = "withdrawal"
	// IntentNeedsLook is any other reply to a request already answered:
	// a person reads it; it is never a consent.
	IntentNeedsLook ReplyIntent = "needs_look"
	// IntentUnmatched carries a reference no request has: header only.
	IntentUnmatched ReplyIntent = "unmatched"
	// IntentBounced is the patient's mail server returning a request
	// (a delivery status notification): the request did not arrive, so it
	// is marked not sent, with why; nobody needs to review the message.
	IntentBounced ReplyIntent = "bounced"
)

// NeedsResolution reports whether the reading of the boxes is unclear, so
// the reply cannot be confirmed until the manager records how they
// resolved it (a call to the patient: who, when).
func (it ReviewItem) NeedsResolution() bool {
	return it.HasFlag(FlagAmbiguous) || it.HasFlag(FlagMissingBoxes) || it.HasFlag(FlagWithdrawal) || it.HasFlag(FlagConflictingTokens)
}

// NeedsNameCheck reports whether the reply gives no typed name, or one
// that is not the patient's on record, so the manager must record how they
// confirmed the name the consent is signed with.
func (it ReviewItem) NeedsNameCheck() bool {
	return it.HasFlag(FlagUnsigned) || it.HasFlag(FlagNameMismatch)
}

// NeedsSenderCheck reports whether the sender is in doubt, so the reply
// cannot be confirmed until the manager records how they verified it.
func (it ReviewItem) NeedsSenderCheck() bool {
	return it.HasFlag(FlagSenderMismatch) || it.HasFlag(FlagSenderFailed) || it.HasFlag(FlagForgedAuth)
}

// ReplyRecorded is the outcome of RecordReply.
type ReplyRecorded struct {
	Created bool
	Held    []int64 // consents put on hold by this reply
}
