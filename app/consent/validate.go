package consent

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"practicepost/app"
)

// Problem codes. The frontend and the guard switch on these; Reason is what
// the practice manager reads.
const (
	CodeIncomplete          = "incomplete"
	CodeUnsigned            = "unsigned"
	CodeSignedLater         = "signed_after_moment"
	CodeTemplateMismatch    = "template_mismatch"
	CodeTemplateLint        = "template_lint"
	CodeTampered            = "evidence_mismatch"
	CodeNeedsRepresentative = "representative_required"
	CodeRevoked             = "revoked"
	CodeExpired             = "expired"
	CodeIdentityNotCovered  = "identity_not_covered"
	CodeChannelNotCovered   = "channel_not_covered"
	CodePaidNotCovered      = "paid_not_covered"
	CodeQuoteChanged        = "quote_changed"
	CodeMediaNotCovered     = "media_not_covered"
	CodeUndisclosedPayment  = "remuneration_not_disclosed"
	CodeOnHold              = "on_hold"
)

// Problem is one reason a consent does not cover a use.
type Problem struct {
	Code   string `json:"code"`
	Reason string `json:"reason"`
	// Field names the scope choice at fault ("identity", "channels") when
	// one is, so a form can point at it whatever Reason says.
	Field string `json:"-"`
}

// Record is a signed consent with what is stored beside it.
type Record struct {
	Consent        app.Consent
	Template       app.ConsentTemplate // the version Consent.TemplateVersion names
	Revocation     *app.ConsentRevocation
	QuoteApprovals []app.QuoteApproval
	Hold           *app.ConsentHold // an unconfirmed emailed withdrawal; blocks while active
}

// Use is what a post intends to do with the patient's testimonial.
type Use struct {
	Channel app.ConsentChannel
	Paid    bool // boosted or paid placement
	// Identity lists what the post shows about the patient. With no name
	// element the post is taken as anonymous.
	Identity    []app.IdentityElement
	Quote       string   // the quote as it will appear; "" if none
	MediaSHA256 []string // every patient image, video or audio in the post
	PostText    string   // the full caption, for the remuneration disclosure
	// CheckedAt is the instant the check runs (now). A consent dated after
	// it is refused whatever the post's moment: a fast clock at signing must
	// not make a consent valid for every post scheduled after it.
	CheckedAt time.Time
}

// nameRank orders the name options: a broader permission covers a
// narrower one (full ⊃ first ⊃ initials ⊃ anonymous).
var nameRank = map[app.IdentityElement]int{
	app.IdentityAnonymous: 1,
	app.IdentityInitials:  2,
	app.IdentityFirstName: 3,
	app.IdentityFullName:  4,
}

// Complete lists what is missing or wrong in the signed record itself,
// judged at now (compliance 3.6.1). Sign refuses a consent with any.
func Complete(c app.Consent, now time.Time) []Problem {
	var out []Problem
	missing := func(what string) {
		out = append(out, Problem{Code: CodeIncomplete, Reason: "The consent form is missing " + what + "."})
	}
	if strings.TrimSpace(c.Patient.FullName) == "" {
		missing("the patient's full name")
	}
	if c.Patient.DateOfBirth.IsZero() {
		missing("the patient's date of birth")
	}
	if strings.TrimSpace(c.Practice.Name) == "" || strings.TrimSpace(c.Practice.Address) == "" {
		missing("the practice's name and address")
	}
	if strings.TrimSpace(c.Practice.PrivacyNoticeURL) == "" {
		missing("the link to the privacy notice")
	}
	if c.TemplateVersion == "" || c.TemplateSHA256 == "" || strings.TrimSpace(c.Text) == "" {
		missing("the form text shown to the patient")
	}
	if !slices.ContainsFunc(c.Scope.Identity, func(e app.IdentityElement) bool { return nameRank[e] > 0 }) {
		missing("a choice of how the patient is named (full name, first name, initials or anonymous)")
		out[len(out)-1].Field = "identity"
	}
	if !slices.ContainsFunc(c.Scope.Channels, func(ch app.ConsentChannel) bool { return ch != app.ChannelPaidAds }) {
		missing("at least one ticked channel")
		out[len(out)-1].Field = "channels"
	}
	if strings.TrimSpace(c.Quote) == "" && len(c.Media) == 0 {
		missing("the testimonial or media it covers")
	}
	if c.ExpiresAt.IsZero() || c.ExpiryMonths < 1 || c.ExpiryMonths > MaxExpiryMonths {
		missing(fmt.Sprintf("an end date between 1 and %d months", MaxExpiryMonths))
	}
	switch c.Remuneration.Kind {
	case app.RemunerationNone:
	case app.RemunerationDiscount, app.RemunerationGift, app.RemunerationPayment, app.RemunerationThirdParty:
		if strings.TrimSpace(c.Remuneration.Description) == "" {
			missing("a description of the payment, discount or gift")
		}
	default:
		missing(`the remuneration statement ("none", or what was given)`)
	}
	if strings.TrimSpace(c.Signer.Name) == "" {
		missing("the name of the person who signed")
	}
	if c.Signer.Representative && (strings.TrimSpace(c.Signer.Relationship) == "" || strings.TrimSpace(c.Signer.Authority) == "") {
		missing("the representative's relationship to the patient and their authority")
	}
	sig := c.Signature
	switch c.Method {
	case app.SignOnScreen:
		if sig.ImageSHA256 == "" || len(sig.Strokes) == 0 || strings.TrimSpace(sig.TypedName) == "" {
			out = append(out, Problem{Code: CodeUnsigned, Reason: "The consent has no on-screen signature (drawn signature and typed name)."})
		}
	case app.SignPaper:
		if sig.ScanSHA256 == "" {
			out = append(out, Problem{Code: CodeUnsigned, Reason: "The paper consent has no scan of the signed form attached."})
		}
	case app.SignEmail:
		if strings.TrimSpace(sig.TypedName) == "" {
			out = append(out, Problem{Code: CodeUnsigned, Reason: "The emailed consent has no typed signature."})
		}
	default:
		out = append(out, Problem{Code: CodeUnsigned, Reason: "The consent does not say how it was signed (on screen, on paper or by email)."})
	}
	if c.SignedAt.IsZero() {
		out = append(out, Problem{Code: CodeUnsigned, Reason: "The consent has no signing date."})
	} else if c.SignedAt.After(now) {
		out = append(out, Problem{Code: CodeSignedLater, Reason: fmt.Sprintf("The consent is dated %s, after the time being checked (%s).",
			dateTime(c, c.SignedAt), dateTime(c, now))})
	}
	return out
}

// Validate returns every reason rec does not cover use at moment (normally
// the publish time), or nil when it does. It covers compliance.md 3.6
// points 1–8; the regulatory wording lint (3.6.9) lives in the guard.
func Validate(rec Record, use Use, moment time.Time) []Problem {
	c := rec.Consent
	out := Complete(c, moment)
	if !use.CheckedAt.IsZero() && c.SignedAt.After(use.CheckedAt) {
		// Dated after the real now: the signing computer's clock ran fast.
		// This wins over "after the moment" for a post scheduled later,
		// which the date alone would let through.
		out = slices.DeleteFunc(out, func(p Problem) bool { return p.Code == CodeSignedLater })
		out = append(out, Problem{Code: CodeSignedLater, Reason: fmt.Sprintf("The consent is dated %s, which is after now (%s): check the computer's clock (date and time settings). It cannot be used for any post before that time.",
			dateTime(c, c.SignedAt), dateTime(c, use.CheckedAt))})
	}
	out = append(out, integrity(rec)...)
	loc, zerr := zone(c.Practice.Zone)
	if zerr != nil {
		loc = time.UTC
		out = append(out, Problem{Code: CodeIncomplete, Reason: app.ErrorMessage(zerr)})
	}

	if p, ok := representativeProblem(c.Patient, c.Signer, c.Country, c.SignedAt, loc); ok {
		out = append(out, p) // a consent stored before Sign refused these
	}

	if r := rec.Revocation; r != nil && !r.At.After(moment) {
		how := ""
		if r.ReceivedBy != "" {
			how = " (" + strings.ReplaceAll(r.ReceivedBy, "_", " ") + ")"
		}
		out = append(out, Problem{Code: CodeRevoked, Reason: fmt.Sprintf("The patient withdrew this consent on %s%s.", formatDate(c.Country, r.At.In(loc)), how)})
	}
	out = append(out, holdProblems(rec, moment, loc)...)
	if !c.ExpiresAt.IsZero() && !moment.Before(c.ExpiresAt) {
		out = append(out, Problem{Code: CodeExpired, Reason: fmt.Sprintf("The consent expired at the end of %s. Ask the patient to renew it.",
			formatDate(c.Country, LastValidDay(c.ExpiresAt, loc)))})
	}

	out = append(out, scopeProblems(c, use)...)
	out = append(out, contentProblems(rec, use, moment)...)

	if k := c.Remuneration.Kind; k != "" && k != app.RemunerationNone && !disclosed(c, use) {
		out = append(out, Problem{Code: CodeUndisclosedPayment, Reason: "The patient received something for this testimonial (" +
			strings.ToLower(remunerationLabels[k]) + "), so the post must say so clearly, next to the testimonial, for example \"received complimentary treatment\" or \"#ad\"."})
	}
	return out
}

// representativeProblem reports that the patient may not sign alone at
// signedAt: under age on that day in the practice's zone (or marked as
// needing a representative), and no representative signed.
func representativeProblem(p app.Patient, s app.Signer, country string, signedAt time.Time, loc *time.Location) (Problem, bool) {
	if signedAt.IsZero() || p.DateOfBirth.IsZero() || s.Representative {
		return Problem{}, false
	}
	day := civil(signedAt.In(loc))
	if !NeedsRepresentative(p, country, day) {
		return Problem{}, false
	}
	age := app.AgeOn(p.DateOfBirth, day)
	reason := fmt.Sprintf("The patient was %d when the consent was signed, so a parent, guardian or other representative must sign for them.", age)
	if p.NeedsRepresentative && age >= AdultAge(country) {
		reason = "The patient is marked as needing a representative, but signed the consent themselves."
	}
	return Problem{Code: CodeNeedsRepresentative, Reason: reason}, true
}

// SignsAloneUnderAge reports whether f's patient would be signing for
// themselves when a representative must sign, judged on the day of signedAt
// in the practice's zone; age is the patient's age that day. Sign refuses
// such a form; the signing screens ask first, to say what to do instead.
func SignsAloneUnderAge(f Form, signedAt time.Time) (age int, refused bool) {
	loc, err := zone(f.Practice.Zone)
	if err != nil {
		loc = time.UTC
	}
	if _, ok := representativeProblem(f.Patient, f.Signer, f.Template.Country, signedAt, loc); !ok {
		return 0, false
	}
	return app.AgeOn(f.Patient.DateOfBirth, civil(signedAt.In(loc))), true
}

// lintCache keeps Lint's verdict per template body and country: a stored
// version never changes (its body is checked against its hash first), and
// Validate runs for every consent a post might rely on.
var lintCache sync.Map // string → []LintProblem

func lintOnce(t app.ConsentTemplate) []LintProblem {
	key := t.SHA256 + "|" + t.Country
	if v, ok := lintCache.Load(key); ok {
		return v.([]LintProblem)
	}
	probs := Lint(t)
	lintCache.Store(key, probs)
	return probs
}

// integrity catches a record altered after signing or pointing at the
// wrong template version.
func integrity(rec Record) []Problem {
	var out []Problem
	c, t := rec.Consent, rec.Template
	if c.TemplateVersion != t.VersionID() || c.TemplateSHA256 != t.SHA256 || app.SHA256Hex([]byte(t.Body)) != t.SHA256 {
		out = append(out, Problem{Code: CodeTemplateMismatch, Reason: "The form version this consent was signed on (" + c.TemplateVersion + ") is missing or has been altered."})
	} else if probs := lintOnce(t); len(probs) > 0 {
		out = append(out, Problem{Code: CodeTemplateLint, Reason: "The form version " + c.TemplateVersion + " lacks required wording (" + probs[0].Element + "), so consents signed on it cannot be relied on. Ask the patient to sign the current form."})
	}
	if app.SHA256Hex([]byte(c.Text)) != c.TextSHA256 || QuoteHash(c.Quote) != c.QuoteSHA256 || EvidenceHash(c) != c.EvidenceHash {
		out = append(out, Problem{Code: CodeTampered, Reason: "This consent record no longer matches its evidence hash: it was changed after signing. Do not rely on it; ask the patient to sign again."})
	}
	return out
}

func scopeProblems(c app.Consent, use Use) []Problem {
	var out []Problem
	granted := 0
	for _, e := range c.Scope.Identity {
		granted = max(granted, nameRank[e])
	}
	usedName := false
	for _, e := range use.Identity {
		if r, isName := nameRank[e]; isName {
			usedName = true
			if r > granted {
				out = append(out, Problem{Code: CodeIdentityNotCovered, Reason: "The consent does not allow " + identityUse(e) + " (" + grantedName(granted) + ")."})
			}
		} else if !slices.Contains(c.Scope.Identity, e) {
			out = append(out, Problem{Code: CodeIdentityNotCovered, Reason: "The consent does not allow " + identityUse(e) + "."})
		}
	}
	if !usedName && granted == 0 {
		out = append(out, Problem{Code: CodeIdentityNotCovered, Reason: "The consent does not allow using the testimonial at all, even without a name."})
	}
	switch {
	case use.Channel == "" || use.Channel == app.ChannelPaidAds:
		out = append(out, Problem{Code: CodeChannelNotCovered, Reason: "Pick the channel the post goes to."})
	case !slices.Contains(c.Scope.Channels, use.Channel):
		out = append(out, Problem{Code: CodeChannelNotCovered, Reason: "The consent does not cover " + channelInSentence(use.Channel) + "."})
	}
	if use.Paid && !slices.Contains(c.Scope.Channels, app.ChannelPaidAds) {
		out = append(out, Problem{Code: CodePaidNotCovered, Reason: "The consent does not cover paid or boosted adverts; post it without paying to promote it."})
	}
	return out
}

func grantedName(rank int) string {
	for e, r := range nameRank {
		if r == rank {
			return "it allows only " + identityUse(e)
		}
	}
	return "no name option was ticked"
}

func identityUse(e app.IdentityElement) string {
	switch e {
	case app.IdentityFullName:
		return "the patient's full name"
	case app.IdentityFirstName:
		return "the patient's first name"
	case app.IdentityInitials:
		return "the patient's initials"
	case app.IdentityAnonymous:
		return "an anonymous testimonial"
	case app.IdentityFace:
		return "showing the patient's face"
	case app.IdentityBeforeAfter:
		return "before-and-after images"
	case app.IdentityVideo:
		return "video of the patient"
	case app.IdentityVoice:
		return "the patient's voice"
	case app.IdentityAge:
		return "mentioning the patient's age"
	case app.IdentityTown:
		return "mentioning the patient's town"
	case app.IdentitySocialTag:
		return "tagging the patient's social media account"
	}
	return strings.ToLower(IdentityLabel(e))
}

// ApprovedEdit is the patient's approval of quote when its words are not
// the ones they signed for: the first approval of exactly these words on
// this consent by moment. ok is false for the signed words themselves
// (nothing to approve) and for words no one approved. The checks and the
// testimonial card both ask here, so the card never says "approved" for
// words the checks would refuse.
func ApprovedEdit(rec Record, quote string, moment time.Time) (approval app.QuoteApproval, ok bool) {
	h := QuoteHash(quote)
	if strings.TrimSpace(quote) == "" || h == rec.Consent.QuoteSHA256 {
		return app.QuoteApproval{}, false
	}
	for _, a := range rec.QuoteApprovals {
		if a.ConsentID == rec.Consent.ID && a.SHA256 == h && !a.ApprovedAt.After(moment) && (!ok || a.ApprovedAt.Before(approval.ApprovedAt)) {
			approval, ok = a, true
		}
	}
	return approval, ok
}

func contentProblems(rec Record, use Use, moment time.Time) []Problem {
	var out []Problem
	c := rec.Consent
	if strings.TrimSpace(use.Quote) != "" {
		_, approved := ApprovedEdit(rec, use.Quote, moment)
		if QuoteHash(use.Quote) != c.QuoteSHA256 && !approved {
			out = append(out, Problem{Code: CodeQuoteChanged, Reason: "The quote differs from the text the patient approved. Use the approved wording or ask the patient to approve the change."})
		}
	}
	for i, m := range use.MediaSHA256 {
		if !slices.ContainsFunc(c.Media, func(x app.ConsentMedia) bool { return x.SHA256 == m }) {
			out = append(out, Problem{Code: CodeMediaNotCovered, Reason: fmt.Sprintf("Image or recording %d in the post is not one the patient consented to (it may have been edited or swapped).", i+1)})
		}
	}
	return out
}

func dateTime(c app.Consent, t time.Time) string {
	loc, err := zone(c.Practice.Zone)
	if err != nil {
		loc = time.UTC
	}
	return t.In(loc).Format(DateLayout(c.Country) + " 15:04 MST")
}

// ChannelVerdict is one row of the testimonial list: may it go out on this
// channel at the moment asked, and if not, why.
type ChannelVerdict struct {
	Channel       app.ConsentChannel `json:"channel"`
	Label         string             `json:"label"`
	MayPublish    bool               `json:"mayPublish"`
	Problems      []Problem          `json:"problems"`
	MayBoost      bool               `json:"mayBoost"` // also as a paid or boosted post
	BoostProblems []Problem          `json:"boostProblems"`
}

// Summarize runs Validate for use on every channel, organic and paid.
// use.Channel and use.Paid are ignored.
func Summarize(rec Record, use Use, moment time.Time) []ChannelVerdict {
	var out []ChannelVerdict
	for _, ch := range ChannelChoices {
		if ch.Value == app.ChannelPaidAds {
			continue
		}
		u := use
		u.Channel, u.Paid = ch.Value, false
		organic := Validate(rec, u, moment)
		u.Paid = true
		paid := Validate(rec, u, moment)
		out = append(out, ChannelVerdict{
			Channel: ch.Value, Label: ch.Label,
			MayPublish: len(organic) == 0, Problems: organic,
			MayBoost: len(paid) == 0, BoostProblems: paid,
		})
	}
	return out
}

// ExpiryWarning is one consent that runs out soon, for the Home page.
type ExpiryWarning struct {
	ConsentID int64     `json:"consentId"`
	PatientID int64     `json:"patientId"`
	ExpiresAt time.Time `json:"expiresAt"`
	DaysLeft  int       `json:"daysLeft"` // 0: ends at the end of today
	Message   string    `json:"message"`
}

// ExpiringWithin lists unrevoked consents still valid at moment whose last
// day is within days calendar days (practice zone), soonest first.
func ExpiringWithin(recs []Record, moment time.Time, days int) []ExpiryWarning {
	var out []ExpiryWarning
	for _, r := range recs {
		c := r.Consent
		if c.ExpiresAt.IsZero() || !moment.Before(c.ExpiresAt) || (r.Revocation != nil && !r.Revocation.At.After(moment)) {
			continue
		}
		loc, err := zone(c.Practice.Zone)
		if err != nil {
			loc = time.UTC
		}
		last := LastValidDay(c.ExpiresAt, loc)
		left := daysBetween(civil(moment.In(loc)), civil(last))
		if left > days {
			continue
		}
		when := "today"
		switch {
		case left == 1:
			when = "tomorrow"
		case left > 1:
			when = fmt.Sprintf("in %d days", left)
		}
		out = append(out, ExpiryWarning{
			ConsentID: c.ID, PatientID: c.PatientID, ExpiresAt: c.ExpiresAt, DaysLeft: left,
			Message: fmt.Sprintf("Consent for %s ends at the end of %s (%s). Renew it or plan to take the posts down.",
				c.Patient.FullName, formatDate(c.Country, last), when),
		})
	}
	slices.SortStableFunc(out, func(a, b ExpiryWarning) int { return a.ExpiresAt.Compare(b.ExpiresAt) })
	return out
}

func daysBetween(a, b app.CivilDate) int {
	ta := time.Date(a.Year, a.Month, a.Day, 0, 0, 0, 0, time.UTC)
	tb := time.Date(b.Year, b.Month, b.Day, 0, 0, 0, 0, time.UTC)
	return int(tb.Sub(ta).Hours() / 24)
}

// holdProblems blocks a consent an emailed withdrawal put on hold, from the
// moment the reply arrived until the manager confirms or releases it.
func holdProblems(rec Record, moment time.Time, loc *time.Location) []Problem {
	if !rec.Hold.Active(moment) {
		return nil
	}
	return []Problem{{Code: CodeOnHold, Reason: fmt.Sprintf("The patient asked by email to withdraw on %s; the consent is on hold until you confirm or release it on Home.",
		formatDate(rec.Consent.Country, rec.Hold.At.In(loc)))}}
}
