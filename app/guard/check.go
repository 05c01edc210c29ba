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
	// Now is the instant the check runs (the real now, not the post's
	// moment). When set, a consent dated after it is refused for every post
	// whatever its moment (consent.Use.CheckedAt): a clock that ran fast at
	// signing must not make a consent valid for posts scheduled after it.
	// Zero keeps the older rule, signed before the moment. The gate sets it.
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
// patient photo and patient name used (compliance.md §3.6), including every
// form of a relied-on patient's name in the text and the images (full name,
// first name, surname with or without a title, initials), the identifier
// scan (§4), the platform's limits, and the advertising rules. Findings with
// byte offsets point into d.Text.
func Check(d Draft, ch Channel, p Practice, moment time.Time) Report {
	r := Report{Channel: ch, Counters: Measure(ch, d.Text, p.Mastodon)}

	allow := p.Allow
	if allow.Country == "" {
		allow.Country = p.Country // which readings of a number are likely
	}
	allow.ConsentedPatients = slices.Clone(allow.ConsentedPatients)
	// Only a patient whose name the post shows can need clearing: judging
	// every patient's consents on every check costs a practice with
	// thousands of them far more than the scan itself.
	for _, id := range namedIn(d, p.Names) {
		if nameCovered(p.NameConsents[id], ch, d.Text, moment, p.Now) {
			allow.ConsentedPatients = append(allow.ConsentedPatients, id)
		}
	}
	// Patients the post relies on have every form of their name checked
	// against the consent of the use that relies on them; the patient-list
	// scan is for everyone else.
	rel := findReliance(d, p)
	allow.ConsentedPatients = append(allow.ConsentedPatients, rel.relied...)
	slices.Sort(allow.ConsentedPatients) // the allow-list cache keys on content; keep it stable
	allow.ConsentedPatients = slices.Compact(allow.ConsentedPatients)

	var fs []Finding
	for i, u := range d.Uses {
		fs = append(fs, consentFindings(u, ch, d.Text, moment, p.Now, rel.hits[i])...)
	}
	scan := Scan(d.Text, p.Names, allow)
	explainNames(scan, d.Text, p, ch, moment)
	fs = append(fs, scan...)
	for _, it := range d.ImageTexts {
		fs = append(fs, scanImage(it, p, allow, ch, moment)...)
	}
	fs = rel.dropPossibleNames(fs)
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

// KindNoun names what an identifier of kind k is, for a message that
// quotes it: "an NHS number", "the name of one of your patients".
func KindNoun(k Kind) string { return imageNouns.of(k) }

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
func nameCovered(recs []consent.Record, ch Channel, text string, moment, now time.Time) bool {
	_, probs := bestConsent(recs, nameUse(ch, text, now), moment)
	return len(recs) > 0 && len(probs) == 0
}

func nameUse(ch Channel, text string, now time.Time) consent.Use {
	return consent.Use{Channel: app.ConsentChannel(ch), Identity: []app.IdentityElement{app.IdentityFullName}, PostText: text, CheckedAt: now}
}

// bestConsent picks, of one patient's consents, the one that matters for
// use at moment: one that covers it if any does; otherwise the one closest
// to covering it: fewest problems with the consent itself (withdrawn,
// expired, on hold, dated later, incomplete, altered), then fewest problems
// with this use (channel, name, quote), then the most recently signed. Its
// problems come back with it; -1 when recs is empty.
func bestConsent(recs []consent.Record, use consent.Use, moment time.Time) (int, []consent.Problem) {
	best, bestProbs := -1, []consent.Problem(nil)
	bestStanding := 0
	for i, r := range recs {
		probs := consent.Validate(r, use, moment)
		if len(probs) == 0 {
			return i, nil
		}
		standing := 0
		for _, pr := range probs {
			if !useProblem[pr.Code] {
				standing++
			}
		}
		better := best < 0 || standing < bestStanding ||
			standing == bestStanding && (len(probs) < len(bestProbs) ||
				len(probs) == len(bestProbs) && r.Consent.SignedAt.After(recs[best].Consent.SignedAt))
		if better {
			best, bestProbs, bestStanding = i, probs, standing
		}
	}
	return best, bestProbs
}

// useProblem are the codes about what a post does with a consent rather
// than about the consent itself.
var useProblem = map[string]bool{
	consent.CodeChannelNotCovered: true, consent.CodeIdentityNotCovered: true, consent.CodePaidNotCovered: true,
	consent.CodeQuoteChanged: true, consent.CodeMediaNotCovered: true, consent.CodeUndisclosedPayment: true,
}

// explainNames adds to each patient-name finding why the patient's own
// consent does not cover it, when they have one: "withdrawn" or "not for
// Instagram" tells the manager more than "not covered". Of several consents
// it cites the one that matters (bestConsent).
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
				if _, probs := bestConsent(recs, nameUse(ch, text, p.Now), moment); len(probs) > 0 {
					fs[i].Message = nameNotCoveredPrefix + probs[0].Reason
				}
				break
			}
		}
	}
}

// consentFindings turns what consent.Validate says about one use into
// blocking findings, each with a plain fix.
//
// hits are the places the post names the patient (findReliance): the
// fullest form found is added to what the use shows before Validate, and a
// form the consent does not allow is reported where it stands.
func consentFindings(u ConsentUse, ch Channel, text string, moment, now time.Time, hits []formHit) []Finding {
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
	if use.CheckedAt.IsZero() {
		use.CheckedAt = now
	}
	named, shown := namedBeyond(u.Record, use, hits)
	if len(named) > 0 {
		use.Identity = append(slices.Clone(use.Identity), shown)
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
	probs := consent.Validate(*u.Record, use, moment)
	if len(named) > 0 {
		// The name forms are reported below, where they stand; drop the
		// general line Validate gives for the form this check added.
		base := u.Use
		base.Channel, base.PostText, base.CheckedAt = use.Channel, use.PostText, use.CheckedAt
		before := consent.Validate(*u.Record, base, moment)
		probs = slices.DeleteFunc(probs, func(pr consent.Problem) bool {
			return pr.Code == consent.CodeIdentityNotCovered && !slices.Contains(before, pr)
		})
	}
	for _, pr := range probs {
		if pr.Code == consent.CodeQuoteChanged && quoteReported {
			continue // already reported above, with the fix for this case
		}
		f := Finding{Kind: KindConsentPrefix + Kind(pr.Code), Severity: Block, Channel: ch,
			Message: label + ": " + pr.Reason, Fix: consentFix(pr.Code, ch)}
		if pr.Code == consent.CodeSignedLater && !use.CheckedAt.IsZero() && u.Record.Consent.SignedAt.After(use.CheckedAt) {
			f.Fix = "Check the computer's date and time (and time zone) in its settings. If the consent's date is wrong, ask the patient to sign again."
		}
		out = append(out, f)
	}
	reasons := map[app.IdentityElement]string{}
	for _, h := range named {
		why, ok := reasons[h.form]
		if !ok {
			why = nameReason(*u.Record, use, h.form, moment)
			reasons[h.form] = why
		}
		if h.form == app.IdentityFullName && h.what != "full name" {
			why += " A surname, with or without a title, counts as the full name."
		}
		f := Finding{Kind: KindConsentPrefix + consent.CodeIdentityNotCovered, Severity: Block, Channel: ch, Text: h.text}
		if h.image == 0 {
			f.Start, f.End = h.start, h.end
			f.Message = fmt.Sprintf("%s: the post shows the patient's %s (\"%s\"). %s", label, h.what, h.text, why)
			f.Fix = "Remove it or write only what the consent allows (for example no name, or initials), or ask the patient for wider consent."
		} else {
			f.Image = h.image
			f.Message = fmt.Sprintf("%s: the %s (image %d) shows the patient's %s (\"%s\"). %s", label, h.imageWhat, h.image, h.what, h.text, why)
			f.Fix = "Make the image again in the Studio showing only what the consent allows, then swap the new one into the post; or ask the patient for wider consent."
		}
		out = append(out, f)
	}
	return out
}

// namedBeyond returns the hits that name the patient more fully than both
// the use declares and the consent allows, and the fullest form among all
// hits (to add to the use's identity).
func namedBeyond(rec *consent.Record, use consent.Use, hits []formHit) ([]formHit, app.IdentityElement) {
	if rec == nil || len(hits) == 0 {
		return nil, ""
	}
	declared := 0
	for _, e := range use.Identity {
		declared = max(declared, app.NameRank(e))
	}
	granted := app.NameRank(app.BroadestName(rec.Consent.Scope))
	var out []formHit
	fullest := 0
	for _, h := range hits {
		r := app.NameRank(h.form)
		fullest = max(fullest, r)
		if r > declared && r > granted {
			out = append(out, h)
		}
	}
	return out, app.NameForms[fullest]
}

// nameReason is what Validate says about showing the name as form: "The
// consent does not allow the patient's first name (it allows only …)".
func nameReason(rec consent.Record, use consent.Use, form app.IdentityElement, moment time.Time) string {
	u := consent.Use{Channel: use.Channel, Identity: []app.IdentityElement{form}, CheckedAt: use.CheckedAt}
	for _, pr := range consent.Validate(rec, u, moment) {
		if pr.Code == consent.CodeIdentityNotCovered {
			return pr.Reason
		}
	}
	return "The consent does not allow it."
}

// reliance is, for each ConsentUse of a draft, where the post names that
// use's patient, and which patients those uses check.
type reliance struct {
	hits   [][]formHit // by index in Draft.Uses
	relied []string    // patient IDs
	all    []formHit
}

// findReliance looks for each relied-on patient's name in every form in the
// post text and in the words of every image. A use is checked this way when
// it has a consent and the patient's name (PatientName, else the name on the
// consent) has a first name and a surname; a use without a consent is blocked anyway, and the patient-list
// scan still reports their name.
func findReliance(d Draft, p Practice) reliance {
	r := reliance{hits: make([][]formHit, len(d.Uses))}
	var (
		staff    *staffNames
		textToks []token
		imgToks  = make([][]token, len(d.ImageTexts))
		byName   = map[string][]formHit{}
	)
	for i, u := range d.Uses {
		if u.Record == nil {
			continue
		}
		name := strings.TrimSpace(u.PatientName)
		if name == "" {
			// A caller that has not set it yet: the name the patient signed with.
			name = strings.TrimSpace(u.Record.Consent.Patient.FullName)
		}
		if name == "" {
			continue
		}
		if hs, ok := byName[name]; ok {
			r.hits[i] = hs
			if u.PatientID != "" {
				r.relied = append(r.relied, u.PatientID)
			}
			continue
		}
		pf, ok := newPatientForms(name)
		if !ok {
			continue
		}
		if staff == nil {
			s := newStaffNames(p)
			staff = &s
			textToks = tokenize(d.Text)
			for j, it := range d.ImageTexts {
				imgToks[j] = tokenize(it.Text)
			}
		}
		var hs []formHit
		hs = append(hs, findForms(d.Text, textToks, pf, *staff)...)
		hs = append(hs, findInitials(d.Text, pf)...)
		for j, it := range d.ImageTexts {
			what := strings.TrimSpace(it.What)
			if what == "" {
				what = "image"
			}
			for _, h := range append(findForms(it.Text, imgToks[j], pf, *staff), findInitials(it.Text, pf)...) {
				h.image, h.imageWhat = it.Image, what
				hs = append(hs, h)
			}
		}
		byName[name] = hs
		r.hits[i] = hs
		r.all = append(r.all, hs...)
		if u.PatientID != "" {
			r.relied = append(r.relied, u.PatientID)
		}
	}
	return r
}

// dropPossibleNames removes the "looks like a title and surname" warning
// where a relied-on patient's name was found: the consent finding (or its
// absence, when the consent allows it) already speaks for that spot.
func (r reliance) dropPossibleNames(fs []Finding) []Finding {
	if len(r.all) == 0 {
		return fs
	}
	return slices.DeleteFunc(fs, func(f Finding) bool {
		if f.Kind != KindPossibleName {
			return false
		}
		return slices.ContainsFunc(r.all, func(h formHit) bool {
			if f.Image != 0 || h.image != 0 {
				return f.Image == h.image && (strings.Contains(f.Text, h.text) || strings.Contains(h.text, f.Text))
			}
			return f.Start < h.end && h.start < f.End
		})
	})
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
		return "Add the agreed disclosure in the same paragraph as the testimonial, for example \"Sam received a complimentary whitening treatment\" or \"#ad\". Words such as \"discount\" elsewhere in the post do not count."
	case consent.CodeSignedLater:
		return "Schedule the post for after the consent was signed."
	default:
		return "Open the consent to see what is wrong, and ask the patient to sign the current form."
	}
}
