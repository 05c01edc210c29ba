// Package guard holds the pre-publish checks that need neither consent
// records nor the database: the patient-identifier scanner, per-platform
// limits and the advertising lint. Everything here is pure: values in,
// findings out.
//
// Findings carry the matched text so the screen can highlight it. That text
// may be patient data: never log a Finding's Text.
package guard

import (
	"cmp"
	"slices"
)

// Severity says whether a finding stops publishing.
type Severity string

const (
	Block Severity = "block" // the post must not go out until this is fixed
	Warn  Severity = "warn"  // the practice manager should look before sending
)

// Kind names what a finding is about.
type Kind string

// Identifier kinds reported by Scan.
const (
	KindPatientName  Kind = "patient_name"  // a name from the practice's patient list
	KindPossibleName Kind = "possible_name" // a title and surname that is not staff ("Mrs Higgins")
	KindNHSNumber    Kind = "nhs_number"
	KindCHINumber    Kind = "chi_number" // Scotland
	KindHCNumber     Kind = "hc_number"  // Northern Ireland Health & Care number
	KindNINumber     Kind = "ni_number"  // UK National Insurance number
	KindSSN          Kind = "ssn"
	KindPhone        Kind = "phone"
	KindEmail        Kind = "email"
	KindBirthDate    Kind = "birth_date"
	KindAppointment  Kind = "appointment_date" // a date tied to a person's care
	KindPostcode     Kind = "postcode"
	KindAddress      Kind = "street_address"
	KindZIP          Kind = "zip_code"
	KindRecordNumber Kind = "record_number" // MRN, hospital number, patient ID, policy number
	KindAgeOver89    Kind = "age_over_89"
)

// Platform-limit kinds reported by CheckLimits.
const (
	KindTooLong         Kind = "too_long"
	KindTooManyHashtags Kind = "too_many_hashtags"
	KindTooManyMentions Kind = "too_many_mentions"
	KindTooManyImages   Kind = "too_many_images"
	KindImageRequired   Kind = "image_required"
	KindImageTooLarge   Kind = "image_too_large"
	KindImageTooSmall   Kind = "image_too_small"
	KindImageAspect     Kind = "image_aspect"
	KindImageFormat     Kind = "image_format"
	KindEmptyPost       Kind = "empty_post"
)

// Advertising-lint kinds reported by Lint.
const (
	KindPOM             Kind = "prescription_medicine"
	KindClaim           Kind = "misleading_claim"
	KindSpecialist      Kind = "specialist_title"
	KindTimeLimited     Kind = "time_limited_offer"
	KindResultsClaim    Kind = "results_claim"
	KindUndisclosedPaid Kind = "undisclosed_remuneration"
	KindGBPPhone        Kind = "gbp_phone_in_text"
)

// Finding is one problem in a post. Start and End are byte offsets into the
// checked text (End exclusive, both on UTF-8 boundaries); both are 0 for
// findings about the post as a whole or about an image.
type Finding struct {
	Kind     Kind     `json:"kind"`
	Severity Severity `json:"severity"`
	Start    int      `json:"start"`
	End      int      `json:"end"`
	Text     string   `json:"text,omitempty"`
	Message  string   `json:"message"`
	Fix      string   `json:"fix"`
	Channel  Channel  `json:"channel,omitempty"` // set when the finding applies to one platform only
	Image    int      `json:"image,omitempty"`   // 1-based image number for image findings
}

// Blocked reports whether any finding stops publishing.
func Blocked(fs []Finding) bool {
	return slices.ContainsFunc(fs, func(f Finding) bool { return f.Severity == Block })
}

// sortFindings orders findings by position, then blocks before warnings, so
// the screen lists them in reading order.
func sortFindings(fs []Finding) {
	slices.SortStableFunc(fs, func(a, b Finding) int {
		if c := cmp.Compare(a.Start, b.Start); c != 0 {
			return c
		}
		if a.Severity != b.Severity {
			if a.Severity == Block {
				return -1
			}
			return 1
		}
		return cmp.Compare(a.End, b.End)
	})
}
