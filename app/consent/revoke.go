package consent

import (
	"slices"
	"strings"
	"time"

	"practicepost/app"
)

// RevocationChannels are the ways a withdrawal can reach the practice.
var RevocationChannels = []string{"email", "letter", "in_person", "phone", "link"}

// Revoke records the patient's withdrawal of c, received at `at` (which may
// be earlier than now when the practice logs a letter late). The consent
// itself is never changed; the returned value is stored beside it.
func Revoke(c app.Consent, at time.Time, receivedBy, note string, now time.Time) (app.ConsentRevocation, error) {
	if !slices.Contains(RevocationChannels, receivedBy) {
		return app.ConsentRevocation{}, app.FieldError("receivedBy", "Say how the withdrawal reached the practice (email, letter, in person, phone or link).")
	}
	if at.IsZero() || at.After(now) {
		return app.ConsentRevocation{}, app.FieldError("at", "The withdrawal date cannot be in the future.")
	}
	if at.Before(c.SignedAt) {
		return app.ConsentRevocation{}, app.FieldError("at", "The withdrawal date is before the consent was signed. Check the date.")
	}
	return app.ConsentRevocation{ConsentID: c.ID, At: at.UTC(), ReceivedBy: receivedBy, Note: strings.TrimSpace(note), RecordedAt: now.UTC()}, nil
}

// InWritingRequired reports whether a withdrawal received this way still
// needs written confirmation for the record: HIPAA revocations must be in
// writing. The practice stops using the content either way.
func InWritingRequired(country, receivedBy string) bool {
	return country == "US" && (receivedBy == "phone" || receivedBy == "in_person")
}
