package consent

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"practicepost/app"
)

// DefaultExpiryMonths is the suggested duration (compliance 3.5 D).
const DefaultExpiryMonths = 24

// MaxExpiryMonths caps a consent so renewal is asked for at least every five
// years; HIPAA wants a concrete end, not "forever".
const MaxExpiryMonths = 60

// DefaultRemovalDays is the takedown promise printed in E1 when the practice
// has not set its own.
const DefaultRemovalDays = 7

// Choice is one tick box on the form.
type Choice[T ~string] struct {
	Value T      `json:"value"`
	Label string `json:"label"`
}

// IdentityChoices is every identity box, in form order.
var IdentityChoices = []Choice[app.IdentityElement]{
	{app.IdentityFullName, "My full name"},
	{app.IdentityFirstName, "My first name only"},
	{app.IdentityInitials, "My initials only"},
	{app.IdentityAnonymous, "No name (anonymous)"},
	{app.IdentityFace, "Photos or video where my face can be seen"},
	{app.IdentityBeforeAfter, "Before-and-after images"},
	{app.IdentityVideo, "Video of me"},
	{app.IdentityVoice, "My voice"},
	{app.IdentityAge, "My age"},
	{app.IdentityTown, "The town where I live"},
	{app.IdentitySocialTag, "A tag or mention of my own social media account"},
}

// ChannelChoices is every channel box, in form order. Paid ads is its own
// box: it adds paid promotion on the channels ticked.
var ChannelChoices = []Choice[app.ConsentChannel]{
	{app.ChannelWebsite, "The practice's website"},
	{app.ChannelFacebook, "Facebook"},
	{app.ChannelInstagram, "Instagram"},
	{app.ChannelLinkedIn, "LinkedIn"},
	{app.ChannelGoogleBusiness, "Google Business Profile"},
	{app.ChannelMastodon, "Mastodon"},
	{app.ChannelBluesky, "Bluesky"},
	{app.ChannelX, "X (formerly Twitter)"},
	{app.ChannelNewsletter, "The practice's email newsletter"},
	{app.ChannelPrint, "Printed material such as leaflets and posters"},
	{app.ChannelPaidAds, "Paid or boosted adverts on the channels I ticked"},
	{app.ChannelReviewSites, "Third-party review websites"},
}

func label[T ~string](list []Choice[T], v T) string {
	for _, c := range list {
		if c.Value == v {
			return c.Label
		}
	}
	return string(v)
}

// IdentityLabel and ChannelLabel give the words used on the form and in reasons.
func IdentityLabel(e app.IdentityElement) string { return label(IdentityChoices, e) }
func ChannelLabel(c app.ConsentChannel) string   { return label(ChannelChoices, c) }

// channelInSentence is the label for use mid-sentence: brand names keep their
// capitals, the common-noun boxes ("Printed material…") do not.
func channelInSentence(c app.ConsentChannel) string {
	l := ChannelLabel(c)
	switch c {
	case app.ChannelWebsite, app.ChannelNewsletter, app.ChannelPrint, app.ChannelPaidAds, app.ChannelReviewSites:
		return strings.ToLower(l[:1]) + l[1:]
	}
	return l
}

var remunerationLabels = map[app.RemunerationKind]string{
	app.RemunerationDiscount:   "Discount",
	app.RemunerationGift:       "Gift",
	app.RemunerationPayment:    "Payment",
	app.RemunerationThirdParty: "Payment from a third party to the practice",
}

var methodLabels = map[app.SigningMethod]string{
	app.SignOnScreen: "signed on screen at the practice",
	app.SignPaper:    "signed on paper",
	app.SignEmail:    "signed by email",
}

// Form is everything the consent form shows before it is signed.
type Form struct {
	Template app.ConsentTemplate
	Practice app.ConsentPractice
	// AuthorisedUsers names who may use and disclose; "" gives
	// "<practice> and the staff who run its marketing".
	AuthorisedUsers  string
	Patient          app.Patient
	Signer           app.Signer
	Scope            app.ConsentScope
	HealthDetails    string
	Quote            string
	Media            []app.ConsentMedia
	ExpiryMonths     int // 0 means DefaultExpiryMonths
	Remuneration     app.Remuneration
	WithdrawalMethod string // "email privacy@example.com or tell reception"
	RemovalDays      int    // 0 means DefaultRemovalDays
	Method           app.SigningMethod
}

// Terms are the practice's own words a form shows: who it is, who may use
// the material, how to withdraw and how fast content comes down. A form
// sent by email is signed by a reply days later; it must be signed on the
// terms the email showed, not on the practice's settings of that day.
type Terms struct {
	Practice         app.ConsentPractice `json:"practice"`
	AuthorisedUsers  string              `json:"authorisedUsers"`
	WithdrawalMethod string              `json:"withdrawalMethod"`
	RemovalDays      int                 `json:"removalDays"`
}

// Terms returns the practice's words f shows.
func (f Form) Terms() Terms {
	return Terms{Practice: f.Practice, AuthorisedUsers: f.AuthorisedUsers, WithdrawalMethod: f.WithdrawalMethod, RemovalDays: f.RemovalDays}
}

// WithTerms returns f showing t instead of its own practice's words.
func (f Form) WithTerms(t Terms) Form {
	f.Practice, f.AuthorisedUsers, f.WithdrawalMethod, f.RemovalDays = t.Practice, t.AuthorisedUsers, t.WithdrawalMethod, t.RemovalDays
	return f
}

func (f Form) expiryMonths() int {
	if f.ExpiryMonths == 0 {
		return DefaultExpiryMonths
	}
	return f.ExpiryMonths
}

// Text renders the exact text the patient is shown when the form is dated at
// (normally now). Sign renders it again and refuses if it changed.
func (f Form) Text(at time.Time) (string, error) {
	loc, err := zone(f.Practice.Zone)
	if err != nil {
		return "", err
	}
	country := f.Template.Country
	months := f.expiryMonths()
	expires := ExpiresAt(at, months, loc)
	removal := f.RemovalDays
	if removal == 0 {
		removal = DefaultRemovalDays
	}
	users := f.AuthorisedUsers
	if strings.TrimSpace(users) == "" {
		users = f.Practice.Name + " and the staff who run its marketing"
	}
	values := map[string]string{
		"practice_name":      f.Practice.Name,
		"practice_address":   f.Practice.Address,
		"practice_contact":   joinNonEmpty(", ", f.Practice.Email, f.Practice.Phone),
		"privacy_contact":    orNone(f.Practice.PrivacyContact, "see the privacy notice"),
		"authorised_users":   users,
		"patient_name":       f.Patient.FullName,
		"patient_dob":        formatCivil(country, f.Patient.DateOfBirth),
		"patient_ref":        orNone(f.Patient.Ref, "none"),
		"signer_name":        f.Signer.Name,
		"signer_capacity":    signerCapacity(f.Signer),
		"testimonial_quote":  strings.ReplaceAll(strings.TrimSpace(f.Quote), "\n", "\n> "),
		"media_list":         mediaList(f.Media),
		"health_details":     orNone(f.HealthDetails, "none"),
		"identity_choices":   choiceList(IdentityChoices, f.Scope.Identity),
		"channel_choices":    choiceList(ChannelChoices, f.Scope.Channels),
		"expiry_months":      strconv.Itoa(months),
		"expiry_date":        formatDate(country, LastValidDay(expires, loc)),
		"remuneration":       remunerationText(f.Remuneration),
		"withdrawal_method":  f.WithdrawalMethod,
		"removal_days":       strconv.Itoa(removal),
		"privacy_notice_url": f.Practice.PrivacyNoticeURL,
		"form_date":          formatDate(country, at.In(loc)),
		"signing_method":     methodLabels[f.Method],
		"template_version":   f.Template.VersionID(),
	}
	return Render(f.Template.Body, values)
}

// Signing is the act of signing the form that was shown.
type Signing struct {
	Signature app.Signature
	SignedAt  time.Time
	// ShownTextSHA256 is the hash of the text on screen when the patient
	// signed. Sign refuses if the form would now render differently.
	ShownTextSHA256 string
}

// Sign turns a filled form into an immutable signed consent, with its
// expiry and evidence hash. It refuses anything Complete would flag at now
// (so a paper form cannot be dated in the future), and a template that
// fails the lint.
func Sign(f Form, s Signing, now time.Time) (app.Consent, error) {
	if probs := Lint(f.Template); len(probs) > 0 {
		return app.Consent{}, app.Errorf(app.EINVALID, "This consent form version is missing required wording (%s). Edit the form in Settings → Consent wording first.", probs[0].Element)
	}
	loc, err := zone(f.Practice.Zone)
	if err != nil {
		return app.Consent{}, err
	}
	text, err := f.Text(s.SignedAt)
	if err != nil {
		return app.Consent{}, err
	}
	if app.SHA256Hex([]byte(text)) != s.ShownTextSHA256 {
		return app.Consent{}, app.Errorf(app.ECONFLICT, "The form changed after it was shown (for example the date moved past midnight). Show the form to the patient again and ask them to sign it.")
	}
	c := app.Consent{
		PatientID:       f.Patient.ID,
		Patient:         f.Patient,
		Practice:        f.Practice,
		Country:         f.Template.Country,
		TemplateVersion: f.Template.VersionID(),
		TemplateSHA256:  f.Template.SHA256,
		Text:            text,
		TextSHA256:      s.ShownTextSHA256,
		Scope:           normalScope(f.Scope),
		HealthDetails:   strings.TrimSpace(f.HealthDetails),
		Quote:           f.Quote,
		QuoteSHA256:     QuoteHash(f.Quote),
		Media:           slices.Clone(f.Media),
		ExpiryMonths:    f.expiryMonths(),
		ExpiresAt:       ExpiresAt(s.SignedAt, f.expiryMonths(), loc),
		Remuneration:    f.Remuneration,
		Method:          f.Method,
		Signer:          f.Signer,
		Signature:       s.Signature,
		SignedAt:        s.SignedAt.UTC(),
	}
	if probs := Complete(c, now); len(probs) > 0 {
		msgs := make([]string, len(probs))
		for i, p := range probs {
			msgs[i] = p.Reason
		}
		return app.Consent{}, &app.Error{Code: app.EINVALID, Message: fmt.Sprintf("The consent cannot be signed yet: %s.", strings.Join(msgs, "; ")),
			Err: Missing(probs)}
	}
	// Age is judged on the signing date, at signing: a self-signature by a
	// minor is refused here, not discovered when a post is checked.
	if p, ok := representativeProblem(c.Patient, c.Signer, c.Country, c.SignedAt, loc); ok {
		return app.Consent{}, app.Errorf(app.EINVALID, "The consent cannot be signed: %s", p.Reason)
	}
	c.EvidenceHash = EvidenceHash(c)
	return c, nil
}

// Missing is what a consent lacks, kept as the cause of Sign's refusal so
// a caller can tell which form field to point at (MissingField).
type Missing []Problem

func (m Missing) Error() string {
	msgs := make([]string, len(m))
	for i, p := range m {
		msgs[i] = p.Reason
	}
	return strings.Join(msgs, "; ")
}

// MissingField is the scope choice ("identity", "channels") of the first
// problem behind err that names one; "" when none does.
func MissingField(err error) string {
	var m Missing
	if errors.As(err, &m) {
		for _, p := range m {
			if p.Field != "" {
				return p.Field
			}
		}
	}
	return ""
}

// QuoteHash is the hash a quote is compared by (app.QuoteSHA256).
func QuoteHash(quote string) string {
	return app.QuoteSHA256(quote)
}

func normalScope(s app.ConsentScope) app.ConsentScope {
	id := slices.Clone(s.Identity)
	slices.Sort(id)
	ch := slices.Clone(s.Channels)
	slices.Sort(ch)
	return app.ConsentScope{Identity: slices.Compact(id), Channels: slices.Compact(ch)}
}

func zone(name string) (*time.Location, error) {
	if name == "" {
		return nil, app.FieldError("zone", "Set the practice's time zone in Settings before taking consent.")
	}
	if loc, ok := zones.Load(name); ok {
		return loc.(*time.Location), nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, app.FieldError("zone", "The practice's time zone %q is not known. Pick it again in Settings.", name)
	}
	zones.Store(name, loc)
	return loc, nil
}

// zones caches loaded time zones: Validate runs for every consent on every
// check, and time.LoadLocation reads the zone file from disk each time.
var zones sync.Map

func signerCapacity(s app.Signer) string {
	if !s.Representative {
		return "the patient"
	}
	return fmt.Sprintf("%s of the patient, acting as their representative: %s", s.Relationship, s.Authority)
}

func choiceList[T ~string](all []Choice[T], ticked []T) string {
	var b strings.Builder
	for i, c := range all {
		if i > 0 {
			b.WriteString("\n")
		}
		if slices.Contains(ticked, c.Value) {
			b.WriteString("- [x] ")
		} else {
			b.WriteString("- [ ] ")
		}
		b.WriteString(c.Label)
	}
	return b.String()
}

// mediaKindNames name each kind of covered file in the signed copy. The
// form text keeps the bare kind, which the signing screen reads back.
var mediaKindNames = map[string]string{"photo": "photo", "before_after": "before-and-after photo", "video": "video", "audio": "voice recording"}

func mediaList(m []app.ConsentMedia) string {
	if len(m) == 0 {
		return "none"
	}
	var b strings.Builder
	for _, x := range m {
		fp := x.SHA256
		if len(fp) > 16 {
			fp = fp[:16]
		}
		fmt.Fprintf(&b, "\n\n- %s (%s, fingerprint %s)", orNone(x.Label, "untitled"), orNone(x.Kind, "file"), fp)
	}
	return b.String()
}

func remunerationText(r app.Remuneration) string {
	if r.Kind == app.RemunerationNone || r.Kind == "" {
		return "none"
	}
	return remunerationLabels[r.Kind] + ": " + r.Description
}

func joinNonEmpty(sep string, parts ...string) string {
	var out []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, sep)
}

func orNone(s, none string) string {
	if strings.TrimSpace(s) == "" {
		return none
	}
	return s
}

func formatCivil(country string, d app.CivilDate) string {
	if d.IsZero() {
		return ""
	}
	return formatDate(country, time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC))
}
