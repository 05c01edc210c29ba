package app

import "time"

// How a patient was given their copy of a signed consent form. HIPAA
// 164.508(c)(4) entitles them to one, and the form promises it ("I will
// receive a copy of this signed form").
const (
	CopyByEmail  = "email"     // PracticePost emailed the PDF from the practice mailbox
	CopyInPerson = "in_person" // the manager records that they handed or posted a printed copy
)

// ConsentCopy is one time the patient was given (or sent) their copy.
// An emailed copy goes through the states of an email request: MailSending
// until the server took it, then MailSent or MailFailed.
type ConsentCopy struct {
	ID         int64     `json:"id"`
	ConsentID  int64     `json:"consentId"`
	Method     string    `json:"method"`
	To         string    `json:"to"` // the address it was emailed to; "" in person
	State      string    `json:"state"`
	Error      string    `json:"error"`
	SentSHA256 string    `json:"sentSha256"` // the email exactly as sent; "" in person
	CreatedAt  time.Time `json:"createdAt"`
	SentAt     time.Time `json:"sentAt"`
}
