package guard

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"practicepost/app"
	"practicepost/app/consent"
)

// Consent kinds reported by Check: one per consent.Problem code, plus a
// use that has no signed consent at all.
const (
	KindConsentMissing Kind = "consent_missing"
	KindConsentPrefix  Kind = "consent_" // + a consent.Code*: "consent_revoked", "consent_expired", ...
)

// ConsentUse is something in a draft that needs a patient's consent: a
// testimonial quote, a patient photo, or the patient's name in the text.
type ConsentUse struct {
	// Label names the use on screen without naming the patient
	// ("Testimonial 3", "Patient photo 1").
	Label     string
	PatientID string // as in PatientName.PatientID
	// PatientName is the patient's full name as stored. Check looks for it
	// in every form (full, first name, title + surname, initials) in the
	// text and the words in images, and checks the fullest form found
	// against what the consent allows.
	PatientName string
	Record      *consent.Record // nil while no signed consent is linked
	// Use is what the post shows. Check fills in Channel, and PostText when
	// it is empty, for each channel it checks.
	Use consent.Use
	// InImage says the quote is drawn into an attached image, so the post
	// text need not repeat it; the words are still checked against the
	// approved wording.
	InImage bool
}

// ImageText is the words drawn into one attached image, scanned for patient
// identifiers like the post text. A name there has no place in the text to
// highlight, so findings point at the image instead.
type ImageText struct {
	Image int    // 1-based position among the post's images
	What  string // "quote card", "picture": how the screen names it
	Text  string
	// Covered are patients whose naming in this image a ConsentUse already
	// checks on each channel (a quote card made from their testimonial).
	Covered []string
}

// Draft is one post as it will go out on one channel: the text after the
// per-channel version, hashtags and tagged link are put together.
type Draft struct {
	Text       string
	Images     []Image
	Uses       []ConsentUse
	ImageTexts []ImageText
}

// Practice is what Check knows about the practice: its advertising country,
// clinicians, what it may publish about itself, its patients' names and
// their consents (so a named patient whose consent covers the full name on
// this channel at the moment is not flagged).
type Practice struct {
	Country    string
	Clinicians []app.Clinician
	Allow      AllowList
	Names      *Matcher
	// NameConsents are every stored consent per patient ID; any one that
	// covers showing the full name on the channel at the moment clears it.
	NameConsents map[string][]consent.Record
	Mastodon     MastodonInstance
	// Now is the instant the check runs (zero: not known). A consent dated
	// after it clears nothing, whatever the post's moment.
	Now time.Time
}

// Report is the outcome of Check for one channel.
type Report struct {
	Channel  Channel   `json:"channel"`
	Counters []Counter `json:"counters"`
	Findings []Finding `json:"findings"`
	Blocked  bool      `json:"blocked"`
}

// Check runs every pre-publish check on a draft for one channel at moment
// (the scheduled publish time, or now): consent for each testimonial,
// patient photo and patient name used (compliance.md §3.6), the identifier
// scan (§4), the platform's limits, and the advertising rules. Findings with
// byte offsets point into d.Text.
func Check(d Draft, ch Channel, p Practice, moment time.Time) Report {
	r := Report{Channel: ch, Counters: Measure(ch, d.Text, p.Mastodon)}

	allow := p.Allow
	allow.ConsentedPatients = slices.Clone(allow.ConsentedPatients)
	for id, recs := range p.NameConsents {
		if nameCovered(recs, ch, d.Text, moment) {
			allow.ConsentedPatients = append(allow.ConsentedPatients, id)
		}
	}
	slices.Sort(allow.ConsentedPatients) // the allow-list cache keys on content; keep it stable

	var fs []Finding
	for _, u := range d.Uses {
		fs = append(fs, consentFindings(u, ch, d.Text, moment)...)
	}
	scan := Scan(d.Text, p.Names, allow)
	explainNames(scan, d.Text, p, ch, moment)
	fs = append(fs, scan...)
	for _, it := range d.ImageTexts {
		fs = append(fs, scanImage(it, p, allow, ch, moment)...)
	}
	fs = append(fs, CheckLimits(ch, d.Text, d.Images, p.Mastodon)...)
	fs = append(fs, Lint(LintInput{Text: d.Text, Channel: ch, Country: p.Country, Clinicians: p.Clinicians})...)
	for i := range fs {
		if fs[i].Channel == "" {
			fs[i].Channel = ch
		}
	}
	sortFindings(fs)
	r.Findings = fs
	if r.Findings == nil {
		r.Findings = []Finding{}
	}
	r.Blocked = Blocked(fs)
	return r
}

// scanImage runs the identifier scan over the words in an image. The
// patients allowed are those whose consent covers their full name on ch,
// plus those a ConsentUse for this image already checks.
func scanImage(it ImageText, p Practice, allow AllowList, ch Channel, moment time.Time) []Finding {
	if strings.TrimSpace(it.Text) == "" {
		return nil
	}
	if len(it.Covered) > 0 {
		allow.ConsentedPatients = append(slices.Clone(allow.ConsentedPatients), it.Covered...)
		slices.Sort(allow.ConsentedPatients)
	}
	fs := Scan(it.Text, p.Names, allow)
	explainNames(fs, it.Text, p, ch, moment)
	what := strings.TrimSpace(it.What)
	if what == "" {
		what = "image"
	}
	out := make([]Finding, 0, len(fs))
	for _, f := range fs {
		msg := fmt.Sprintf("The %s (image %d) shows %s: %s.", what, it.Image, imageNouns.of(f.Kind), strings.Join(strings.Fields(f.Text), " "))
		if f.Kind == KindPatientName {
			if why, ok := strings.CutPrefix(f.Message, nameNotCoveredPrefix); ok {
				msg += " Their consent does not cover it here: " + why
			} else {
				msg += " No testimonial in this post has consent that covers it."
			}
		}
		fix := "Make the image again in the Studio without it, then swap the new one into the post."
		if f.Kind == KindPatientName || f.Kind == KindPossibleName {
			fix = "Make the image again in the Studio from the patient's testimonial (quote card → From a testimonial) so their consent is checked, or without the name; then swap the new one into the post."
		}
		out = append(out, Finding{Kind: f.Kind, Severity: f.Severity, Text: f.Text, Message: msg, Fix: fix, Channel: ch, Image: it.Image})
	}
	return out
}

type nounMap map[Kind]string

func (m nounMap) of(k Kind) string {
	if n, ok := m[k]; ok {
		return n
	}
	return "a patient identifier"
}

// imageNouns name what an identifier is, for "The quote card (image 2) shows …".
var imageNouns = nounMap{
	KindPatientName: "the name of one of your patients", KindPossibleName: "what looks like a person's title and surname",
	KindNHSNumber: "an NHS number", KindCHINumber: "a CHI number", KindHCNumber: "a Health and Care number",
	KindNINumber: "a National Insurance number", KindSSN: "a Social Security number", KindPhone: "a phone number",
	KindEmail: "an email address", KindBirthDate: "a date of birth", KindAppointment: "an appointment date",
	KindPostcode: "a postcode", KindAddress: "a street address", KindZIP: "a ZIP code", KindRecordNumber: "a record number",
	KindAgeOver89: "an age over 89",
}

// nameNotCoveredPrefix starts the message explainNames gives a patient's
// name whose own consent does not cover it.
const nameNotCoveredPrefix = "This is the name of one of your patients. Their consent does not cover it here: "

// nameCovered reports whether any of a patient's consents lets the post
// show their full name on ch at moment.
func nameCovered(recs []consent.Record, ch Channel, text string, moment time.Time) bool {
	use := consent.Use{Channel: app.ConsentChannel(ch), Identity: []app.IdentityElement{app.IdentityFullName}, PostText: text}
	return slices.ContainsFunc(recs, func(rec consent.Record) bool {
		return len(consent.Validate(rec, use, moment)) == 0
	})
}

// explainNames adds to each patient-name finding why the patient's own
// consent does not cover it, when they have one: "withdrawn" or "not for
// Instagram" tells the manager more than "not covered".
func explainNames(fs []Finding, text string, p Practice, ch Channel, moment time.Time) {
	if p.Names == nil || len(p.NameConsents) == 0 {
		return
	}
	var hits []nameHit
	for i := range fs {
		if fs[i].Kind != KindPatientName {
			continue
		}
		if hits == nil {
			hits = p.Names.find(text)
		}
		for _, h := range hits {
			if h.start != fs[i].Start || h.end != fs[i].End {
				continue
			}
			for _, id := range h.patients {
				recs := p.NameConsents[id]
				if len(recs) == 0 {
					continue
				}
				use := consent.Use{Channel: app.ConsentChannel(ch), Identity: []app.IdentityElement{app.IdentityFullName}, PostText: text}
				if probs := consent.Validate(recs[0], use, moment); len(probs) > 0 {
					fs[i].Message = nameNotCoveredPrefix + probs[0].Reason
				}
				break
			}
		}
	}
}

// consentFindings turns what consent.Validate says about one use into
// blocking findings, each with a plain fix.
func consentFindings(u ConsentUse, ch Channel, text string, moment time.Time) []Finding {
	label := strings.TrimSpace(u.Label)
	if label == "" {
		label = "A testimonial"
	}
	if u.Record == nil {
		return []Finding{{Kind: KindConsentMissing, Severity: Block, Channel: ch,
			Message: label + " has no signed consent, so it cannot be posted anywhere.",
			Fix:     "Ask the patient for consent (Consent → Ask for consent), or remove it from the post."}}
	}
	use := u.Use
	use.Channel = app.ConsentChannel(ch)
	if use.PostText == "" {
		use.PostText = text
	}
	var out []Finding
	quoteReported := false
	if q := strings.Join(strings.Fields(use.Quote), " "); q != "" && !u.InImage && !strings.Contains(strings.Join(strings.Fields(text), " "), q) {
		// The post must carry the approved words, not a paraphrase.
		out = append(out, Finding{Kind: KindConsentPrefix + consent.CodeQuoteChanged, Severity: Block, Channel: ch,
			Message: label + ": the post does not contain the patient's approved words exactly.",
			Fix:     "Insert the quote again from the testimonial and do not edit it, or ask the patient to approve the new wording."})
		quoteReported = true
	}
	for _, pr := range consent.Validate(*u.Record, use, moment) {
		if pr.Code == consent.CodeQuoteChanged && quoteReported {
			continue // already reported above, with the fix for this case
		}
		out = append(out, Finding{Kind: KindConsentPrefix + Kind(pr.Code), Severity: Block, Channel: ch,
			Message: label + ": " + pr.Reason, Fix: consentFix(pr.Code, ch)})
	}
	return out
}

func consentFix(code string, ch Channel) string {
	switch code {
	case consent.CodeRevoked:
		return "Remove it from the post. The patient has withdrawn consent; check the takedown list for posts already live."
	case consent.CodeExpired:
		return "Ask the patient to renew their consent, or schedule the post before the consent ends."
	case consent.CodeChannelNotCovered:
		label := string(ch)
		if r, ok := channelRules[ch]; ok {
			label = r.label
		}
		return "Leave " + label + " out of this post, or ask the patient for consent that covers it."
	case consent.CodeIdentityNotCovered:
		return "Show only what the consent allows (for example initials instead of the full name, or no face), or ask the patient for wider consent."
	case consent.CodePaidNotCovered:
		return "Post it without paid promotion."
	case consent.CodeQuoteChanged:
		return "Use the exact wording the patient approved, or ask them to approve the new wording."
	case consent.CodeMediaNotCovered:
		return "Use the photo the patient consented to, unedited, or ask them to consent to this one."
	case consent.CodeUndisclosedPayment:
		return "Add the agreed disclosure, for example \"Sam received a complimentary whitening treatment\"."
	case consent.CodeSignedLater:
		return "Schedule the post for after the consent was signed."
	default:
		return "Open the consent to see what is wrong, and ask the patient to sign the current form."
	}
}
