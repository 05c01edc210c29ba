package app

import (
	"strconv"
	"time"
)

// Request states. A request is 'sending' from before the email leaves until
// the server has taken it; a crash in between leaves it 'sending', which is
// still matched by replies (the email may well have gone).
const (
	MailSending  = "sending"
	MailSent     = "sent"
	MailFailed   = "failed"
	MailAnswered = "answered"
)

// Reply review states.
const (
	ReplyPending   = "pending"
	ReplyConfirmed = "confirmed"
	ReplyRejected  = "rejected"
	ReplyIgnored   = "ignored"
)

// MailRequest is an email asking a patient for consent or a testimonial.
type MailRequest struct {
	ID           int64         `json:"id"`
	Token        string        `json:"token"`
	Kind         RequestKind   `json:"kind"`
	PatientID    int64         `json:"patientId"`
	PatientName  string        `json:"patientName"`
	PatientEmail string        `json:"patientEmail"`
	MessageID    string        `json:"messageId"`
	Scope        []ScopeOption `json:"scope"`
	// Detail is the caller's JSON describing what a consent will cover.
	Detail     string    `json:"-"`
	State      string    `json:"state"`
	Error      string    `json:"error"`
	SentSHA256 string    `json:"sentSha256"`
	CreatedAt  time.Time `json:"createdAt"`
	SentAt     time.Time `json:"sentAt"` // zero until the server took it
}

// Sent is the request as the mail package matches replies against it.
func (r MailRequest) Sent() SentRequest {
	at := r.SentAt
	if at.IsZero() {
		at = r.CreatedAt
	}
	return SentRequest{Ref: strconv.FormatInt(r.ID, 10), Token: r.Token, Kind: r.Kind, MessageID: r.MessageID,
		PatientName: r.PatientName, PatientEmail: r.PatientEmail, Scope: r.Scope, SentAt: at, Answered: r.State == MailAnswered}
}

// Hold outcomes.
const (
	HoldWithdrawn = "withdrawn" // the manager confirmed the withdrawal (a revocation is on record)
	HoldReleased  = "released"  // the manager released the hold with a note
)

// Hold is a stored hold with its row id and how it ended.
type Hold struct {
	ID      int64       `json:"id"`
	Hold    ConsentHold `json:"hold"`
	Outcome string      `json:"outcome"` // "", HoldWithdrawn or HoldReleased
}

// MailReply is a recorded reply and what the practice decided about it.
type MailReply struct {
	ID            int64      `json:"id"`
	RequestID     int64      `json:"requestId"` // 0 when no request matched
	Item          ReviewItem `json:"item"`
	RawSHA256     string     `json:"rawSha256"`
	Status        string     `json:"status"`
	ConsentID     int64      `json:"consentId"`
	TestimonialID int64      `json:"testimonialId"`
	Note          string     `json:"note"`
	ReceivedAt    time.Time  `json:"receivedAt"`
	DecidedAt     time.Time  `json:"decidedAt"`
	// Resolution is the manager's record (JSON) of how an unclear reply
	// was resolved or its sender verified; "" when none was needed.
	Resolution string `json:"resolution"`
}
