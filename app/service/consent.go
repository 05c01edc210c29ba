package service

import (
	"bytes"
	"cmp"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"practicepost/app"
	"practicepost/app/consent"
	"practicepost/app/store"
	"practicepost/app/studio"
)

// SaveDialog is the native "Save as" dialog. The app passes Wails'; tests
// pass a fake that answers with a path.
type SaveDialog interface {
	SaveFile(title, defaultName, patternName, pattern string) (string, error)
}

// ConsentService asks for, records, shows and withdraws patient consent.
type ConsentService struct {
	c      *Core
	lock   *LockService
	save   SaveDialog
	signMu sync.Mutex
	// AfterRevoke, when set, runs once a withdrawal is on record, e.g. the
	// publish queue's Revoke (block jobs, delete posts held by a platform).
	// Queued posts are already blocked by then: the store marks them in the
	// withdrawal's own transaction.
	AfterRevoke func(ctx context.Context, consentID int64) error
}

func NewConsentService(c *Core, lock *LockService, save SaveDialog) *ConsentService {
	return &ConsentService{c: c, lock: lock, save: save}
}

// EventConsentChanged tells open screens to reload consents and testimonials.
const EventConsentChanged = "consent:changed"

// ConsentSettings are the practice details a consent form needs beyond the
// brand kit.
type ConsentSettings struct {
	PrivacyNoticeURL string `json:"privacyNoticeUrl"`
	PrivacyContact   string `json:"privacyContact"`
	Zone             string `json:"zone"`
	WithdrawalMethod string `json:"withdrawalMethod"`
	AuthorisedUsers  string `json:"authorisedUsers"`
	RemovalDays      int    `json:"removalDays"`
}

const keySettings = "consent.settings"

// Zones offered per country. One zone covers Great Britain; the US list is
// the zones a US practice is in.
var zonesByCountry = map[string][]string{
	"GB": {"Europe/London"},
	"US": {"America/New_York", "America/Chicago", "America/Denver", "America/Phoenix", "America/Los_Angeles", "America/Anchorage", "Pacific/Honolulu"},
}

func loadSettings(ctx context.Context, db *store.DB, country string) (ConsentSettings, error) {
	var st ConsentSettings
	raw, err := db.State(ctx, keySettings)
	if err != nil {
		return st, err
	}
	if raw != "" {
		if err := json.Unmarshal([]byte(raw), &st); err != nil {
			return st, app.Internal(err, "The consent settings could not be read. Enter them again.")
		}
	}
	if st.Zone == "" || !slices.Contains(zonesByCountry[country], st.Zone) {
		if zs := zonesByCountry[country]; len(zs) > 0 && (st.Zone == "" || country == "GB") {
			st.Zone = zs[0]
		}
	}
	if st.RemovalDays == 0 {
		st.RemovalDays = consent.DefaultRemovalDays
	}
	return st, nil
}

// ChoiceView is one tick box or one option of a list.
type ChoiceView struct {
	Value string `json:"value"`
	Label string `json:"label"`
}

// TemplateView describes one consent form version.
type TemplateView struct {
	VersionID    string `json:"versionId"`
	Country      string `json:"country"`
	Title        string `json:"title"`
	ReviewNotice string `json:"reviewNotice"`
}

// ConsentSetup is everything the "ask for consent" screen needs.
type ConsentSetup struct {
	Settings        ConsentSettings `json:"settings"`
	Country         string          `json:"country"`
	PracticeName    string          `json:"practiceName"`
	Missing         []string        `json:"missing"` // what to fill in before consent can be taken
	Templates       []TemplateView  `json:"templates"`
	DefaultTemplate string          `json:"defaultTemplate"`
	Zones           []string        `json:"zones"`
	Identity        []ChoiceView    `json:"identity"`
	Channels        []ChoiceView    `json:"channels"`
	ReceivedBy      []ChoiceView    `json:"receivedBy"`
	Remuneration    []ChoiceView    `json:"remuneration"`
	DefaultExpiry   int             `json:"defaultExpiry"`
	MaxExpiry       int             `json:"maxExpiry"`
	PinSet          bool            `json:"pinSet"`
}

var receivedByLabels = map[string]string{
	"email": "By email", "letter": "By letter", "in_person": "In person", "phone": "By phone", "link": "Through the withdrawal link",
}

func choices[T ~string](cs []consent.Choice[T]) []ChoiceView {
	out := make([]ChoiceView, len(cs))
	for i, c := range cs {
		out[i] = ChoiceView{string(c.Value), c.Label}
	}
	return out
}

// ensureTemplates stores the shipped forms in the data file, so every
// consent points at a stored version even after a restore from an old backup.
func ensureTemplates(ctx context.Context, db *store.DB) ([]app.ConsentTemplate, error) {
	shipped, err := consent.ShippedTemplates()
	if err != nil {
		return nil, err
	}
	if err := db.EnsureTemplates(ctx, shipped); err != nil {
		return nil, err
	}
	return db.Templates(ctx)
}

// Setup returns the settings, the forms and what is still missing.
func (s *ConsentService) Setup() (ConsentSetup, error) {
	ctx := context.Background()
	db, err := s.c.open(ctx, s.lock)
	if err != nil {
		return ConsentSetup{}, err
	}
	return s.setup(ctx, db)
}

func (s *ConsentService) setup(ctx context.Context, db *store.DB) (ConsentSetup, error) {
	kit, err := db.BrandKit(ctx)
	if err != nil {
		return ConsentSetup{}, err
	}
	st, err := loadSettings(ctx, db, kit.Country)
	if err != nil {
		return ConsentSetup{}, err
	}
	ts, err := ensureTemplates(ctx, db)
	if err != nil {
		return ConsentSetup{}, err
	}
	lock, err := s.lock.status(ctx, db)
	if err != nil {
		return ConsentSetup{}, err
	}
	out := ConsentSetup{Settings: st, Country: kit.Country, PracticeName: kit.PracticeName, Missing: []string{},
		Zones: zonesByCountry[kit.Country], Identity: choices(consent.IdentityChoices), DefaultExpiry: consent.DefaultExpiryMonths,
		MaxExpiry: consent.MaxExpiryMonths, PinSet: lock.PinSet}
	for _, c := range consent.ChannelChoices {
		out.Channels = append(out.Channels, ChoiceView{string(c.Value), c.Label})
	}
	for _, r := range consent.RevocationChannels {
		out.ReceivedBy = append(out.ReceivedBy, ChoiceView{r, receivedByLabels[r]})
	}
	out.Remuneration = []ChoiceView{{"none", "Nothing was given"}, {"discount", "A discount"}, {"gift", "A gift"},
		{"payment", "A payment"}, {"third_party", "A third party pays the practice"}}
	// Only the newest version of each form is offered: an edit in Settings
	// replaces the wording for new requests; older versions stay stored for
	// the consents signed on them.
	offered := map[string]bool{}
	for _, t := range ts { // newest version of each key first
		if offered[t.Key] {
			continue
		}
		offered[t.Key] = true
		out.Templates = append(out.Templates, TemplateView{t.VersionID(), t.Country, t.Title, t.ReviewNotice})
		if t.Country == kit.Country && out.DefaultTemplate == "" {
			out.DefaultTemplate = t.VersionID()
		}
	}
	if strings.TrimSpace(kit.PracticeName) == "" || strings.TrimSpace(kit.Address) == "" {
		out.Missing = append(out.Missing, "The practice's name and address (Settings → Practice & brand).")
	}
	if strings.TrimSpace(kit.Email) == "" && strings.TrimSpace(kit.Phone) == "" {
		out.Missing = append(out.Missing, "The practice's email or phone number (Settings → Practice & brand).")
	}
	if st.PrivacyNoticeURL == "" {
		out.Missing = append(out.Missing, "The web address of your privacy notice.")
	}
	if st.WithdrawalMethod == "" {
		out.Missing = append(out.Missing, "How patients can withdraw their consent.")
	}
	return out, nil
}

// SaveSettings stores the consent settings.
func (s *ConsentService) SaveSettings(st ConsentSettings) (ConsentSetup, error) {
	ctx := context.Background()
	db, err := s.c.open(ctx, s.lock)
	if err != nil {
		return ConsentSetup{}, err
	}
	kit, err := db.BrandKit(ctx)
	if err != nil {
		return ConsentSetup{}, err
	}
	st.PrivacyNoticeURL = strings.TrimSpace(st.PrivacyNoticeURL)
	st.PrivacyContact = strings.TrimSpace(st.PrivacyContact)
	st.WithdrawalMethod = strings.TrimSpace(st.WithdrawalMethod)
	st.AuthorisedUsers = strings.TrimSpace(st.AuthorisedUsers)
	if st.PrivacyNoticeURL != "" && !strings.HasPrefix(st.PrivacyNoticeURL, "https://") && !strings.HasPrefix(st.PrivacyNoticeURL, "http://") {
		return ConsentSetup{}, app.FieldError("privacyNoticeUrl", "Enter the privacy notice as a full web address starting with https://.")
	}
	if !slices.Contains(zonesByCountry[kit.Country], st.Zone) {
		return ConsentSetup{}, app.FieldError("zone", "Pick the practice's time zone from the list.")
	}
	if st.RemovalDays < 1 || st.RemovalDays > 30 {
		return ConsentSetup{}, app.FieldError("removalDays", "Promise to take content down within 1 to 30 days.")
	}
	for _, f := range []struct{ name, v string }{{"privacyContact", st.PrivacyContact}, {"withdrawalMethod", st.WithdrawalMethod}, {"authorisedUsers", st.AuthorisedUsers}} {
		if utf8.RuneCountInString(f.v) > 300 {
			return ConsentSetup{}, app.FieldError(f.name, "Keep this to 300 characters.")
		}
	}
	b, _ := json.Marshal(st)
	err = db.Tx(ctx, func(tx *store.Tx) error {
		if err := tx.SetState(ctx, keySettings, string(b)); err != nil {
			return app.Internal(err, "PracticePost could not save the consent settings.")
		}
		return tx.Audit(ctx, "practice manager", "consent.settings", "consent settings", nil)
	})
	if err != nil {
		return ConsentSetup{}, err
	}
	return s.setup(ctx, db)
}

// PhotoLimits bound the photos a testimonial or consent covers.
var PhotoLimits = app.ImageLimits{MaxBytes: 30 << 20, MaxWidth: 12000, MaxHeight: 12000, MaxPixels: 80_000_000, Formats: []string{"jpeg", "png"}}

// MediaView is a stored photo, video or recording.
type MediaView struct {
	SHA256 string `json:"sha256"`
	URL    string `json:"url"`
	Kind   string `json:"kind"` // "photo", "video" or "audio": the kind the file can be attached as
	MIME   string `json:"mime"`
	Size   int    `json:"size"`
	Width  int    `json:"width"` // 0 for a video or recording
	Height int    `json:"height"`
}

func decodeUpload(dataBase64 string, maxBytes int, what string) ([]byte, error) {
	if len(dataBase64) > maxBytes/3*4+8 {
		return nil, app.Errorf(app.EINVALID, "%s is larger than %d MB. Save a smaller copy and try again.", what, maxBytes>>20)
	}
	if i := strings.Index(dataBase64, ","); i >= 0 && strings.HasPrefix(dataBase64, "data:") {
		dataBase64 = dataBase64[i+1:]
	}
	data, err := base64.StdEncoding.DecodeString(dataBase64)
	if err != nil {
		return nil, app.Errorf(app.EINVALID, "%s could not be read. Choose it again.", what)
	}
	return data, nil
}

func fileWhat(fileName, fallback string) string {
	if n := strings.TrimSpace(fileName); n != "" {
		return "The file " + n[strings.LastIndexAny(n, `/\`)+1:]
	}
	return fallback
}

// UploadMedia checks and stores a photo, video or recording the consent
// will cover. The kind is judged from the bytes, never from the file name.
func (s *ConsentService) UploadMedia(fileName, dataBase64 string) (MediaView, error) {
	ctx := context.Background()
	db, err := s.c.open(ctx, s.lock)
	if err != nil {
		return MediaView{}, err
	}
	what := fileWhat(fileName, "The file")
	// Refused before decoding, with the advice that suits a clip: nothing
	// this large can be a photo either.
	if len(dataBase64) > app.AVMaxBytes/3*4+64 {
		return MediaView{}, app.AVTooLarge(what, len(dataBase64)/4*3)
	}
	data, err := decodeUpload(dataBase64, app.AVMaxBytes, what)
	if err != nil {
		return MediaView{}, err
	}
	var v MediaView
	switch {
	case app.SniffAV(data) != "":
		info, err := app.InspectAV(data, what)
		if err != nil {
			return MediaView{}, err
		}
		v = MediaView{SHA256: info.SHA256, Kind: info.Kind, MIME: info.MIME, Size: info.Size}
	case strings.HasPrefix(http.DetectContentType(data), "image/"):
		if _, err := app.InspectImage(data, PhotoLimits, what); err != nil {
			return MediaView{}, err
		}
		// A patient's photo loses its camera and location data (EXIF, GPS,
		// XMP, IPTC) here, before it is hashed: the consent then covers, and
		// the patient sees, exactly the clean file. Photos already signed
		// are never touched, as their hash is evidence.
		if data, err = studio.StripMetadata(data); err != nil {
			return MediaView{}, app.Errorf(app.EINVALID, "%s: %s", what, app.ErrorMessage(err))
		}
		info, err := app.InspectImage(data, PhotoLimits, what)
		if err != nil {
			return MediaView{}, err
		}
		v = MediaView{SHA256: info.SHA256, Kind: "photo", MIME: info.MIME, Size: info.Size, Width: info.Width, Height: info.Height}
	case len(data) == 0:
		return MediaView{}, app.Errorf(app.EINVALID, "%s is empty. PracticePost accepts %s.", what, app.AcceptedMedia)
	default:
		return MediaView{}, app.Errorf(app.EINVALID, "%s is not a photo, video or recording PracticePost can read (it may be damaged, or another kind of file renamed). PracticePost accepts %s.", what, app.AcceptedMedia)
	}
	err = db.Tx(ctx, func(tx *store.Tx) error {
		_, err := tx.PutBlob(ctx, data, v.MIME, v.Width, v.Height)
		return err
	})
	if err != nil {
		return MediaView{}, err
	}
	v.URL = MediaURL(v.SHA256)
	return v, nil
}

// ConsentRequest is what the manager prepares before the patient signs:
// the form version and the testimonial and media it covers.
type ConsentRequest struct {
	PatientID       int64              `json:"patientId"`
	TemplateVersion string             `json:"templateVersion"`
	Quote           string             `json:"quote"`
	Source          string             `json:"source"`
	HealthDetails   string             `json:"healthDetails"`
	Media           []app.ConsentMedia `json:"media"`
	ExpiryMonths    int                `json:"expiryMonths"`
	Remuneration    app.Remuneration   `json:"remuneration"`
	ShowsFace       bool               `json:"showsFace"` // a photo shows the patient's face
	// TestimonialID is the testimonial waiting for this consent (one made
	// from an emailed reply, or added without consent); 0 for none. Signing
	// links the consent to it instead of storing a new testimonial.
	TestimonialID int64 `json:"testimonialId"`
	// Words is the manager's choice when the quote or photos differ from
	// that testimonial's: WordsUseEdited or WordsNewTestimonial. Left empty,
	// a difference is refused, so the words can never silently diverge from
	// the ones the patient signs.
	Words string `json:"words"`
}

// What happens to a waiting testimonial whose words were edited in the request.
const (
	// WordsUseEdited: the testimonial takes the edited words and photos
	// when the consent is signed.
	WordsUseEdited = "use_edited"
	// WordsNewTestimonial: the edited words become a new testimonial; the
	// waiting one stays as it is, still waiting.
	WordsNewTestimonial = "new_testimonial"
)

var mediaKinds = []string{"photo", "before_after", "video", "audio"}

// mediaKindWords name an attachment of each kind in messages and default labels.
var mediaKindWords = map[string]string{"photo": "Photo", "before_after": "Photo", "video": "Video", "audio": "Recording"}

// mediaKindFits says whether a stored file may be attached as kind: a video
// is never passed off as a photo, nor a photo as a recording.
func mediaKindFits(kind, mime string) bool {
	switch kind {
	case "video":
		return strings.HasPrefix(mime, "video/")
	case "audio":
		return strings.HasPrefix(mime, "audio/")
	}
	return !strings.HasPrefix(mime, "video/") && !strings.HasPrefix(mime, "audio/")
}

func (s *ConsentService) checkRequest(ctx context.Context, db *store.DB, r *ConsentRequest) error {
	r.Quote = strings.TrimSpace(strings.ReplaceAll(r.Quote, "\r\n", "\n"))
	r.Source = strings.TrimSpace(r.Source)
	r.HealthDetails = strings.TrimSpace(r.HealthDetails)
	if r.PatientID == 0 {
		return app.FieldError("patientId", "Choose the patient first.")
	}
	if _, err := db.Patient(ctx, r.PatientID); err != nil {
		return err
	}
	if r.TemplateVersion == "" {
		return app.FieldError("templateVersion", "Choose a consent form.")
	}
	if _, err := db.Template(ctx, r.TemplateVersion); err != nil {
		return err
	}
	if r.Quote == "" && len(r.Media) == 0 {
		return app.FieldError("quote", "Enter the testimonial text or add a photo: the patient must see exactly what will be used.")
	}
	if utf8.RuneCountInString(r.Quote) > 3000 {
		return app.FieldError("quote", "The testimonial is longer than 3,000 characters. Shorten it (the patient approves any edit).")
	}
	if utf8.RuneCountInString(r.HealthDetails) > 200 || utf8.RuneCountInString(r.Source) > 100 {
		return app.FieldError("healthDetails", "Keep the treatment to 200 characters and the source to 100.")
	}
	if len(r.Media) > 12 {
		return app.FieldError("media", "A consent can cover up to 12 photos, videos and recordings. Ask for a second consent for more.")
	}
	seen := map[string]int{}
	for i := range r.Media {
		m := &r.Media[i]
		if !slices.Contains(mediaKinds, m.Kind) {
			return app.FieldError("media", "Attachment %d has no type. Mark it as a photo, part of a before-and-after pair, a video or a recording.", i+1)
		}
		word := mediaKindWords[m.Kind]
		seen[word]++
		b, err := db.Blob(ctx, m.SHA256)
		if err != nil {
			return app.FieldError("media", "%s %d is no longer in PracticePost. Add it again.", word, seen[word])
		}
		if !mediaKindFits(m.Kind, b.MIME) {
			is := "a picture or document"
			switch {
			case strings.HasPrefix(b.MIME, "video/"):
				is = "a video"
			case strings.HasPrefix(b.MIME, "audio/"):
				is = "a recording"
			}
			return app.FieldError("media", "Attachment %d is marked as a %s but the file is %s. Mark it as what it is.", i+1, strings.ToLower(word), is)
		}
		m.Label = strings.TrimSpace(m.Label)
		if m.Label == "" {
			n := seen[word]
			if word == "Photo" {
				n = i + 1 // photos were always numbered by position
			}
			m.Label = word + " " + strconv.Itoa(n)
		}
	}
	if r.ExpiryMonths == 0 {
		r.ExpiryMonths = consent.DefaultExpiryMonths
	}
	if r.ExpiryMonths < 1 || r.ExpiryMonths > consent.MaxExpiryMonths {
		return app.FieldError("expiryMonths", "Choose how long the consent lasts: 1 to %d months.", consent.MaxExpiryMonths)
	}
	if err := checkWaitingTestimonial(ctx, db, r); err != nil {
		return err
	}
	r.Remuneration.Description = strings.TrimSpace(r.Remuneration.Description)
	r.Remuneration.Disclosure = strings.TrimSpace(r.Remuneration.Disclosure)
	switch r.Remuneration.Kind {
	case "":
		r.Remuneration.Kind = app.RemunerationNone
	case app.RemunerationNone:
		r.Remuneration.Description, r.Remuneration.Disclosure = "", ""
	case app.RemunerationDiscount, app.RemunerationGift, app.RemunerationPayment, app.RemunerationThirdParty:
		if r.Remuneration.Description == "" {
			return app.FieldError("remuneration", "Describe what the patient received, for example “20%% off whitening”.")
		}
	default:
		return app.FieldError("remuneration", "Say whether the patient received anything for the testimonial.")
	}
	return nil
}

// SigningDraft is what the person signing has chosen so far.
type SigningDraft struct {
	Identity       []app.IdentityElement `json:"identity"`
	Channels       []app.ConsentChannel  `json:"channels"`
	SignerName     string                `json:"signerName"`
	Representative bool                  `json:"representative"`
	Relationship   string                `json:"relationship"`
	Authority      string                `json:"authority"`
}

// form builds the consent form from the request and the signer's choices.
func (s *ConsentService) form(ctx context.Context, db *store.DB, r ConsentRequest, d SigningDraft, method app.SigningMethod) (consent.Form, error) {
	kit, err := db.BrandKit(ctx)
	if err != nil {
		return consent.Form{}, err
	}
	st, err := loadSettings(ctx, db, kit.Country)
	if err != nil {
		return consent.Form{}, err
	}
	t, err := db.Template(ctx, r.TemplateVersion)
	if err != nil {
		return consent.Form{}, err
	}
	p, err := db.Patient(ctx, r.PatientID)
	if err != nil {
		return consent.Form{}, err
	}
	for _, e := range d.Identity {
		if !slices.ContainsFunc(consent.IdentityChoices, func(c consent.Choice[app.IdentityElement]) bool { return c.Value == e }) {
			return consent.Form{}, app.FieldError("identity", "Unknown choice %q.", e)
		}
	}
	for _, ch := range d.Channels {
		if !slices.ContainsFunc(consent.ChannelChoices, func(c consent.Choice[app.ConsentChannel]) bool { return c.Value == ch }) {
			return consent.Form{}, app.FieldError("channels", "Unknown choice %q.", ch)
		}
	}
	signer := app.Signer{Name: strings.Join(strings.Fields(d.SignerName), " ")}
	if d.Representative {
		signer.Representative = true
		signer.Relationship = strings.TrimSpace(d.Relationship)
		signer.Authority = strings.TrimSpace(d.Authority)
	}
	return consent.Form{
		Template: t,
		Practice: app.ConsentPractice{Name: kit.PracticeName, Address: kit.Address, Email: kit.Email, Phone: kit.Phone,
			PrivacyNoticeURL: st.PrivacyNoticeURL, PrivacyContact: st.PrivacyContact, Zone: st.Zone},
		AuthorisedUsers:  st.AuthorisedUsers,
		Patient:          p,
		Signer:           signer,
		Scope:            app.ConsentScope{Identity: slices.Clone(d.Identity), Channels: slices.Clone(d.Channels)},
		HealthDetails:    r.HealthDetails,
		Quote:            r.Quote,
		Media:            r.Media,
		ExpiryMonths:     r.ExpiryMonths,
		Remuneration:     r.Remuneration,
		WithdrawalMethod: st.WithdrawalMethod,
		RemovalDays:      st.RemovalDays,
		Method:           method,
	}, nil
}

// pendingConsent is the request on the locked screen, kept in the data file
// so a reload or a restart shows the same form.
type pendingConsent struct {
	Request         ConsentRequest `json:"request"`
	SignedConsentID int64          `json:"signedConsentId"`
}

func readPending(ctx context.Context, db *store.DB) (*pendingConsent, error) {
	raw, err := db.State(ctx, keyPending)
	if err != nil || raw == "" {
		return nil, err
	}
	var p pendingConsent
	if err := json.Unmarshal([]byte(raw), &p); err != nil {
		return nil, app.Internal(err, "The consent form on screen could not be read. Unlock and start again.")
	}
	return &p, nil
}

// onScreen returns the data file and the form handed to the patient. It
// does not guard: the patient calls it while the app is locked.
func (s *ConsentService) onScreen(ctx context.Context) (*store.DB, *pendingConsent, error) {
	db, err := s.c.DB()
	if err != nil {
		return nil, nil, err
	}
	p, err := readPending(ctx, db)
	if err != nil {
		return nil, nil, err
	}
	if p == nil {
		return nil, nil, app.Errorf(app.ENOTFOUND, "There is no consent form to sign. Hand the screen back to the practice.")
	}
	return db, p, nil
}

func (s *ConsentService) checkReady(ctx context.Context, db *store.DB) error {
	su, err := s.setup(ctx, db)
	if err != nil {
		return err
	}
	if len(su.Missing) > 0 {
		return app.Errorf(app.EINVALID, "Before asking for consent, fill in: %s", strings.Join(su.Missing, " "))
	}
	return nil
}

// HandToPatient locks the app and shows the signing screen for r.
func (s *ConsentService) HandToPatient(r ConsentRequest) (LockStatus, error) {
	ctx := context.Background()
	db, err := s.c.open(ctx, s.lock)
	if err != nil {
		return LockStatus{}, err
	}
	if err := s.checkReady(ctx, db); err != nil {
		return LockStatus{}, err
	}
	if err := s.checkRequest(ctx, db, &r); err != nil {
		return LockStatus{}, err
	}
	if err := checkNewestTemplate(ctx, db, r.TemplateVersion); err != nil {
		return LockStatus{}, err
	}
	// Render once now so a form that cannot be shown fails here, with the
	// manager, and not in front of the patient.
	f, err := s.form(ctx, db, r, SigningDraft{}, app.SignOnScreen)
	if err != nil {
		return LockStatus{}, err
	}
	if _, err := f.Text(s.c.Clock.Now()); err != nil {
		return LockStatus{}, err
	}
	b, _ := json.Marshal(pendingConsent{Request: r})
	err = s.lock.lock(ctx, db, "consent signing", func(tx *store.Tx) error {
		if err := tx.SetState(ctx, keyPending, string(b)); err != nil {
			return app.Internal(err, "PracticePost could not prepare the form.")
		}
		return tx.Audit(ctx, "practice manager", "consent.request", "patient:"+strconv.FormatInt(r.PatientID, 10),
			map[string]string{"form": r.TemplateVersion, "method": string(app.SignOnScreen)})
	})
	if err != nil {
		return LockStatus{}, err
	}
	return s.lock.status(ctx, db)
}

// SigningView is the patient-facing screen.
type SigningView struct {
	Active              bool         `json:"active"` // a form is waiting to be signed or has just been
	Signed              bool         `json:"signed"`
	Title               string       `json:"title"`
	PracticeName        string       `json:"practiceName"`
	PatientName         string       `json:"patientName"`
	Country             string       `json:"country"`
	NeedsRepresentative bool         `json:"needsRepresentative"`
	Identity            []ChoiceView `json:"identity"`
	Channels            []ChoiceView `json:"channels"`
	Authorities         []string     `json:"authorities"`
	Media               []MediaRef   `json:"media"` // the photos the form lists, to show beside their lines
	Preview             PreviewView  `json:"preview"`
}

// PreviewView is the exact text as the patient sees it, and its hash.
type PreviewView struct {
	Text   string `json:"text"`
	SHA256 string `json:"sha256"`
}

// Signing returns the form on the locked screen. It works while locked.
func (s *ConsentService) Signing() (SigningView, error) {
	ctx := context.Background()
	db, err := s.c.DB()
	if err != nil {
		return SigningView{}, err
	}
	p, err := readPending(ctx, db)
	if err != nil || p == nil {
		return SigningView{}, err
	}
	v := SigningView{Active: true, Signed: p.SignedConsentID != 0}
	f, err := s.form(ctx, db, p.Request, SigningDraft{}, app.SignOnScreen)
	if err != nil {
		return v, err
	}
	v.Title, v.PracticeName, v.PatientName, v.Country = f.Template.Title, f.Practice.Name, f.Patient.FullName, f.Template.Country
	v.NeedsRepresentative = consent.NeedsRepresentative(f.Patient, f.Template.Country, s.civilToday(f.Practice.Zone))
	v.Identity = choices(consent.IdentityChoices)
	v.Channels = choices(consent.ChannelChoices)
	v.Media = []MediaRef{}
	for _, m := range p.Request.Media {
		v.Media = append(v.Media, MediaRef{m.SHA256, m.Kind, m.Label, MediaURL(m.SHA256)})
	}
	v.Authorities = []string{"Parent with parental responsibility", "Legal guardian", "Lasting power of attorney for health and welfare", "Court-appointed deputy"}
	if f.Template.Country == "US" {
		v.Authorities = []string{"Parent of a minor", "Legal guardian", "Health care power of attorney", "Court-appointed conservator"}
	}
	if !v.Signed {
		v.Preview, err = s.preview(f)
	}
	return v, err
}

func (s *ConsentService) civilToday(zone string) app.CivilDate {
	loc, err := time.LoadLocation(zone)
	if err != nil {
		loc = time.UTC
	}
	n := s.c.Clock.Now().In(loc)
	return app.CivilDate{Year: n.Year(), Month: n.Month(), Day: n.Day()}
}

func (s *ConsentService) preview(f consent.Form) (PreviewView, error) {
	text, err := f.Text(s.c.Clock.Now())
	if err != nil {
		return PreviewView{}, err
	}
	return PreviewView{Text: text, SHA256: app.SHA256Hex([]byte(text))}, nil
}

// Preview renders the form with the choices made so far; the patient
// signs exactly this text. It works while locked.
func (s *ConsentService) Preview(d SigningDraft) (PreviewView, error) {
	ctx := context.Background()
	db, p, err := s.onScreen(ctx)
	if err != nil {
		return PreviewView{}, err
	}
	f, err := s.form(ctx, db, p.Request, d, app.SignOnScreen)
	if err != nil {
		return PreviewView{}, err
	}
	return s.preview(f)
}

// SignatureInput is the drawn signature: the pad's PNG and its strokes.
type SignatureInput struct {
	PNGBase64 string              `json:"pngBase64"`
	Strokes   [][]app.StrokePoint `json:"strokes"`
	TypedName string              `json:"typedName"`
}

const maxStrokePoints = 50_000

// Sign records the patient's signature on the form shown (shownSHA256 is
// the hash from the last Preview). The screen stays locked until the
// manager unlocks it.
func (s *ConsentService) Sign(d SigningDraft, sig SignatureInput, shownSHA256 string) (SigningView, error) {
	s.signMu.Lock()
	defer s.signMu.Unlock()
	ctx := context.Background()
	db, p, err := s.onScreen(ctx)
	if err != nil {
		return SigningView{}, err
	}
	if p.SignedConsentID != 0 {
		return SigningView{}, app.Errorf(app.ECONFLICT, "This form has already been signed. Thank you. Please hand the screen back to the practice.")
	}
	if st, err := s.lock.status(ctx, db); err != nil || !st.Locked {
		return SigningView{}, app.Errorf(app.ECONFLICT, "The signing screen was closed. Ask the practice to start again.")
	}
	typed := strings.Join(strings.Fields(sig.TypedName), " ")
	if typed == "" {
		return SigningView{}, app.FieldError("typedName", "Please type your full name.")
	}
	points := 0
	for _, st := range sig.Strokes {
		points += len(st)
	}
	if points < 5 {
		return SigningView{}, app.FieldError("signature", "Please sign in the box with your finger, a pen or the mouse.")
	}
	if points > maxStrokePoints {
		return SigningView{}, app.FieldError("signature", "The signature is too long. Press “Clear” and sign again.")
	}
	png, err := decodeUpload(sig.PNGBase64, consent.SignatureLimits.MaxBytes, "The signature")
	if err != nil {
		return SigningView{}, err
	}
	info, err := app.InspectImage(png, consent.SignatureLimits, "The signature")
	if err != nil {
		return SigningView{}, err
	}
	d.SignerName = typed
	f, err := s.form(ctx, db, p.Request, d, app.SignOnScreen)
	if err != nil {
		return SigningView{}, err
	}
	now := s.c.Clock.Now()
	if msg := s.signerProblem(f, now); msg != "" {
		return SigningView{}, app.FieldError("representative", "%s", msg)
	}
	c, err := consent.Sign(f, consent.Signing{
		Signature: app.Signature{TypedName: typed, ImageSHA256: info.SHA256, Strokes: sig.Strokes},
		SignedAt:  now, ShownTextSHA256: shownSHA256,
	}, now)
	if err != nil {
		return SigningView{}, patientWords(err)
	}
	pdf, err := consent.PDF(c, png, consent.PDFOptions{})
	if err != nil {
		return SigningView{}, err
	}
	nt, link := testimonialFor(p.Request, c, s.civilToday(c.Practice.Zone))
	e, err := db.InsertConsent(ctx, app.NewConsent{Consent: c, SignaturePNG: png, PDF: pdf, Testimonial: nt, Link: link})
	if err != nil {
		return SigningView{}, err
	}
	p.SignedConsentID = e.Consent.ID
	b, _ := json.Marshal(p)
	if err := db.Tx(ctx, func(tx *store.Tx) error { return tx.SetState(ctx, keyPending, string(b)) }); err != nil {
		return SigningView{}, err
	}
	s.c.Emit.Emit(EventConsentChanged, nil)
	return SigningView{Active: true, Signed: true, Title: f.Template.Title, PracticeName: f.Practice.Name, PatientName: f.Patient.FullName, Country: c.Country,
		Identity: []ChoiceView{}, Channels: []ChoiceView{}, Authorities: []string{}, Media: []MediaRef{}}, nil
}

// signerProblem checks who signs at the signing time at: a minor on that
// day (or a patient flagged as needing one) needs a representative with a
// relationship and an authority.
func (s *ConsentService) signerProblem(f consent.Form, at time.Time) string {
	_, alone := consent.SignsAloneUnderAge(f, at)
	switch {
	case alone:
		return "A parent, guardian or other representative must sign for this patient. Tick “I am signing for the patient” and fill in your details."
	case f.Signer.Representative && (f.Signer.Relationship == "" || f.Signer.Authority == ""):
		return "Please say how you are related to the patient and what gives you the authority to sign for them."
	}
	return ""
}

// patientWords turns the form's "cannot be signed yet" list into something
// the person at the screen can act on.
func patientWords(err error) error {
	var e *app.Error
	if !errors.As(err, &e) || e.Code != app.EINVALID {
		return err
	}
	m := e.Message
	switch {
	case strings.Contains(m, "how the patient is named"):
		return app.FieldError("identity", "Please tick at least one box to say how you may be named (it can be “No name (anonymous)”).")
	case strings.Contains(m, "at least one ticked channel"):
		return app.FieldError("channels", "Please tick at least one place where the practice may use your testimonial.")
	}
	return err
}

// checkWaitingTestimonial checks a request made for a testimonial waiting
// for consent: the same patient's, not covered yet, and either exactly its
// words and photos or an explicit choice of what the edit means.
func checkWaitingTestimonial(ctx context.Context, db *store.DB, r *ConsentRequest) error {
	if r.TestimonialID == 0 {
		r.Words = ""
		return nil
	}
	t, err := db.Testimonial(ctx, r.TestimonialID)
	if app.ErrorCode(err) == app.ENOTFOUND {
		return app.FieldError("testimonialId", "The testimonial this consent was for is no longer in PracticePost. Start again from Testimonials.")
	} else if err != nil {
		return err
	}
	if t.PatientID != r.PatientID {
		return app.FieldError("patientId", "That testimonial is another patient's. Ask the patient who gave it.")
	}
	if t.ConsentID != 0 {
		return app.Errorf(app.ECONFLICT, "This testimonial is already covered by consent #%d, so it needs no second consent. Open it from Testimonials.", t.ConsentID)
	}
	sameQuote, sameMedia := app.SameWords(t.Quote, t.Media, r.Quote, r.Media)
	if sameQuote && sameMedia {
		r.Words = ""
		return nil
	}
	switch r.Words {
	case WordsUseEdited, WordsNewTestimonial:
		return nil
	case "":
	default:
		return app.FieldError("words", "Choose whether the testimonial takes the edited words or they become a new testimonial.")
	}
	if !sameQuote {
		return app.FieldError("quote", "These words differ from the testimonial the patient gave, and the patient must consent to exactly the words that are published. Put the original words back, or choose “Use the edited words” or “Save as a new testimonial”.")
	}
	return app.FieldError("media", "These photos differ from the testimonial's, and the patient must consent to exactly the photos that are published. Attach the testimonial's photos, or choose “Use the edited words” or “Save as a new testimonial”.")
}

// testimonialFor says what a signed consent does to testimonials: link the
// waiting one it was asked for, or store the new one the patient agreed to.
func testimonialFor(r ConsentRequest, c app.Consent, day app.CivilDate) (*app.Testimonial, *app.TestimonialLink) {
	if r.TestimonialID != 0 && r.Words != WordsNewTestimonial {
		return nil, &app.TestimonialLink{TestimonialID: r.TestimonialID, UseConsentWords: r.Words == WordsUseEdited, ShowsFace: r.ShowsFace}
	}
	return testimonialFrom(r, c, day), nil
}

// testimonialFrom is the testimonial the patient just agreed to, bound to
// the new consent and named as broadly as the patient allowed.
func testimonialFrom(r ConsentRequest, c app.Consent, day app.CivilDate) *app.Testimonial {
	if r.Quote == "" && len(r.Media) == 0 {
		return nil
	}
	source := r.Source
	if source == "" {
		source = "Consent form"
	}
	return &app.Testimonial{Quote: r.Quote, Source: source, SaidOn: day, NameAs: app.BroadestName(c.Scope), ShowsFace: r.ShowsFace, Media: slices.Clone(r.Media)}
}

// PaperInput records a consent signed on paper: the request, what was
// ticked on the paper form, who signed and when, and the scan.
type PaperInput struct {
	Request      ConsentRequest `json:"request"`
	Draft        SigningDraft   `json:"draft"`
	SignedOn     string         `json:"signedOn"` // YYYY-MM-DD
	ScanFileName string         `json:"scanFileName"`
	ScanBase64   string         `json:"scanBase64"`
}

const maxScanBytes = 20 << 20

// ScanLimits bound a scanned image of a paper form.
var ScanLimits = app.ImageLimits{MaxBytes: maxScanBytes, MaxWidth: 12000, MaxHeight: 12000, MaxPixels: 100_000_000, Formats: []string{"jpeg", "png"}}

// checkScan accepts a PDF, JPEG or PNG scan and returns its MIME type.
func checkScan(data []byte, what string) (string, error) {
	if len(data) == 0 {
		return "", app.Errorf(app.EINVALID, "%s is empty. Scan the signed form again.", what)
	}
	if len(data) > maxScanBytes {
		return "", app.Errorf(app.EINVALID, "%s is %.1f MB; the most PracticePost accepts is %d MB. Scan at a lower resolution.", what, float64(len(data))/(1<<20), maxScanBytes>>20)
	}
	if bytes.HasPrefix(data, []byte("%PDF-")) {
		tail := data[max(0, len(data)-1024):]
		if !bytes.Contains(tail, []byte("%%EOF")) {
			return "", app.Errorf(app.EINVALID, "%s is a PDF that was cut short (it has no end). Scan or save it again.", what)
		}
		return "application/pdf", nil
	}
	info, err := app.InspectImage(data, ScanLimits, what)
	if err != nil {
		return "", app.Errorf(app.EINVALID, "%s is not a PDF, JPEG or PNG that PracticePost can read. Scan the signed form as PDF, JPEG or PNG.", what)
	}
	return info.MIME, nil
}

// RecordPaper stores a consent signed on paper with its scan.
func (s *ConsentService) RecordPaper(in PaperInput) (ConsentView, error) {
	if err := s.c.manager(); err != nil {
		return ConsentView{}, err
	}
	s.signMu.Lock()
	defer s.signMu.Unlock()
	ctx := context.Background()
	db, err := s.c.open(ctx, s.lock)
	if err != nil {
		return ConsentView{}, err
	}
	if err := s.checkReady(ctx, db); err != nil {
		return ConsentView{}, err
	}
	if err := s.checkRequest(ctx, db, &in.Request); err != nil {
		return ConsentView{}, err
	}
	what := fileWhat(in.ScanFileName, "The scan")
	if strings.TrimSpace(in.ScanBase64) == "" {
		return ConsentView{}, app.FieldError("scan", "Attach the scan of the signed paper form (PDF, JPEG or PNG).")
	}
	scan, err := decodeUpload(in.ScanBase64, maxScanBytes, what)
	if err != nil {
		return ConsentView{}, err
	}
	mime, err := checkScan(scan, what)
	if err != nil {
		return ConsentView{}, err
	}
	f, err := s.form(ctx, db, in.Request, in.Draft, app.SignPaper)
	if err != nil {
		return ConsentView{}, err
	}
	if f.Signer.Name == "" {
		return ConsentView{}, app.FieldError("signerName", "Enter the name of the person who signed the paper form.")
	}
	day, err := app.ParseCivilDate(strings.TrimSpace(in.SignedOn))
	if err != nil {
		return ConsentView{}, app.FieldError("signedOn", "Enter the date written on the signed form, for example 2026-11-20.")
	}
	loc, err := time.LoadLocation(f.Practice.Zone)
	if err != nil {
		return ConsentView{}, app.FieldError("zone", "Set the practice's time zone first.")
	}
	now := s.c.Clock.Now()
	at := time.Date(day.Year, day.Month, day.Day, 12, 0, 0, 0, loc)
	if day == s.civilToday(f.Practice.Zone) {
		at = now
	}
	if at.After(now) {
		return ConsentView{}, app.FieldError("signedOn", "The signing date is in the future. Check the date on the form.")
	}
	// Age is judged on the date written on the form, not today.
	if age, alone := consent.SignsAloneUnderAge(f, at); alone {
		who := fmt.Sprintf("On the date written on the form (%s) the patient was %d", formatDay(f.Template.Country, day), age)
		if age >= consent.AdultAge(f.Template.Country) {
			who = "The patient is marked as needing a representative"
		}
		return ConsentView{}, app.FieldError("representative", "%s, so a parent, guardian or other representative must sign for them. If one did, tick “A representative signed for the patient” under How the patient signs and enter their name, relationship and authority. If the patient signed alone, ask a parent or guardian to sign a new paper form and save that one.", who)
	}
	if msg := s.signerProblem(f, at); msg != "" {
		return ConsentView{}, app.FieldError("representative", "The patient needs a representative: enter who signed for them, their relationship and their authority.")
	}
	text, err := f.Text(at)
	if err != nil {
		return ConsentView{}, err
	}
	sum := app.SHA256Hex(scan)
	c, err := consent.Sign(f, consent.Signing{Signature: app.Signature{TypedName: f.Signer.Name, ScanSHA256: sum},
		SignedAt: at, ShownTextSHA256: app.SHA256Hex([]byte(text))}, now)
	if err != nil {
		return ConsentView{}, err
	}
	pdf, err := consent.PDF(c, nil, consent.PDFOptions{})
	if err != nil {
		return ConsentView{}, err
	}
	nt, link := testimonialFor(in.Request, c, day)
	e, err := db.InsertConsent(ctx, app.NewConsent{Consent: c, Scan: scan, ScanMIME: mime, PDF: pdf, Testimonial: nt, Link: link})
	if err != nil {
		return ConsentView{}, err
	}
	s.c.Emit.Emit(EventConsentChanged, nil)
	return s.view(e, now), nil
}

// ChoiceState is one box of a signed form, ticked or not.
type ChoiceState struct {
	Value  string `json:"value"`
	Label  string `json:"label"`
	Ticked bool   `json:"ticked"`
}

// MediaRef is a covered photo with where to load it.
type MediaRef struct {
	SHA256 string `json:"sha256"`
	Kind   string `json:"kind"`
	Label  string `json:"label"`
	URL    string `json:"url"`
}

// RevocationView is a recorded withdrawal.
type RevocationView struct {
	At                time.Time `json:"at"`
	On                string    `json:"on"`
	ReceivedBy        string    `json:"receivedBy"`
	ReceivedByLabel   string    `json:"receivedByLabel"`
	Note              string    `json:"note"`
	InWritingRequired bool      `json:"inWritingRequired"`
}

// ConsentView is a signed consent as the manager sees it.
type ConsentView struct {
	ID              int64           `json:"id"`
	PatientID       int64           `json:"patientId"`
	PatientName     string          `json:"patientName"`
	Country         string          `json:"country"`
	Method          string          `json:"method"`
	MethodLabel     string          `json:"methodLabel"`
	TemplateVersion string          `json:"templateVersion"`
	SignedAt        time.Time       `json:"signedAt"`
	SignedOn        string          `json:"signedOn"`
	ExpiresAt       time.Time       `json:"expiresAt"`
	LastValidDay    string          `json:"lastValidDay"`
	Status          string          `json:"status"` // valid, expiring, expired, revoked, on_hold, damaged
	StatusText      string          `json:"statusText"`
	Identity        []ChoiceState   `json:"identity"`
	Channels        []ChoiceState   `json:"channels"`
	Quote           string          `json:"quote"`
	HealthDetails   string          `json:"healthDetails"`
	Media           []MediaRef      `json:"media"`
	Remuneration    string          `json:"remuneration"`
	Signer          app.Signer      `json:"signer"`
	EvidenceHash    string          `json:"evidenceHash"`
	PDFURL          string          `json:"pdfUrl"`
	SignatureURL    string          `json:"signatureUrl"`
	ScanURL         string          `json:"scanUrl"`
	Revocation      *RevocationView `json:"revocation"`
}

var methodLabels = map[app.SigningMethod]string{app.SignOnScreen: "Signed on screen", app.SignPaper: "Signed on paper", app.SignEmail: "Signed by email"}

const expiringDays = 30

func zoneOf(c app.Consent) *time.Location {
	if l, err := time.LoadLocation(c.Practice.Zone); err == nil {
		return l
	}
	return time.UTC
}

func (s *ConsentService) view(e app.ConsentEntry, now time.Time) ConsentView {
	c := e.Consent
	loc := zoneOf(c)
	layout := consent.DateLayout(c.Country)
	v := ConsentView{ID: c.ID, PatientID: c.PatientID, PatientName: c.Patient.FullName, Country: c.Country, Method: string(c.Method),
		MethodLabel: methodLabels[c.Method], TemplateVersion: c.TemplateVersion, SignedAt: c.SignedAt,
		SignedOn: c.SignedAt.In(loc).Format(layout), ExpiresAt: c.ExpiresAt, LastValidDay: consent.LastValidDay(c.ExpiresAt, loc).Format(layout),
		Quote: c.Quote, HealthDetails: c.HealthDetails, Signer: c.Signer, EvidenceHash: c.EvidenceHash, PDFURL: MediaURL(e.PDFSHA256),
		Media: []MediaRef{}}
	for _, ch := range consent.IdentityChoices {
		v.Identity = append(v.Identity, ChoiceState{string(ch.Value), ch.Label, slices.Contains(c.Scope.Identity, ch.Value)})
	}
	for _, ch := range consent.ChannelChoices {
		v.Channels = append(v.Channels, ChoiceState{string(ch.Value), ch.Label, slices.Contains(c.Scope.Channels, ch.Value)})
	}
	for _, m := range c.Media {
		v.Media = append(v.Media, MediaRef{m.SHA256, m.Kind, m.Label, MediaURL(m.SHA256)})
	}
	v.Remuneration = "None"
	if c.Remuneration.Kind != app.RemunerationNone && c.Remuneration.Kind != "" {
		v.Remuneration = c.Remuneration.Description
	}
	if c.Signature.ImageSHA256 != "" {
		v.SignatureURL = MediaURL(c.Signature.ImageSHA256)
	}
	if c.Signature.ScanSHA256 != "" {
		v.ScanURL = MediaURL(c.Signature.ScanSHA256)
	}
	if r := e.Revocation; r != nil {
		v.Revocation = &RevocationView{At: r.At, On: r.At.In(loc).Format(layout), ReceivedBy: r.ReceivedBy, ReceivedByLabel: receivedByLabels[r.ReceivedBy],
			Note: r.Note, InWritingRequired: consent.InWritingRequired(c.Country, r.ReceivedBy)}
	}
	left := consent.ExpiringWithin([]consent.Record{{Consent: c}}, now, expiringDays)
	switch {
	case consent.EvidenceHash(c) != c.EvidenceHash || app.SHA256Hex([]byte(c.Text)) != c.TextSHA256:
		v.Status, v.StatusText = "damaged", "This record does not match its evidence hash. Do not rely on it; ask the patient to sign again."
	case e.Revocation != nil && !e.Revocation.At.After(now):
		v.Status, v.StatusText = "revoked", "Withdrawn on "+v.Revocation.On
	case e.Hold.Active(now):
		// An emailed withdrawal not yet confirmed (mail_evidence.go).
		v.Status, v.StatusText = "on_hold", "On hold: the patient asked by email to withdraw on "+e.Hold.At.In(loc).Format(layout)+". Confirm or release it on Home."
	case !now.Before(c.ExpiresAt):
		v.Status, v.StatusText = "expired", "Expired at the end of "+v.LastValidDay
	case len(left) > 0:
		v.Status, v.StatusText = "expiring", "Ends at the end of "+v.LastValidDay
	default:
		v.Status, v.StatusText = "valid", "Valid until the end of "+v.LastValidDay
	}
	return v
}

// List returns the consents of one patient (0: everyone), newest first.
func (s *ConsentService) List(patientID int64) ([]ConsentView, error) {
	ctx := context.Background()
	db, err := s.c.open(ctx, s.lock)
	if err != nil {
		return nil, err
	}
	es, err := db.ListConsents(ctx, app.ConsentFilter{PatientID: patientID})
	if err != nil {
		return nil, err
	}
	now := s.c.Clock.Now()
	out := make([]ConsentView, len(es))
	for i, e := range es {
		out[i] = s.view(e, now)
	}
	return out, nil
}

// ConsentDetail is one consent with the exact text and the takedown list.
type ConsentDetail struct {
	Consent  ConsentView       `json:"consent"`
	Text     string            `json:"text"`
	Takedown []app.Publication `json:"takedown"`
}

// Get returns one consent.
func (s *ConsentService) Get(id int64) (ConsentDetail, error) {
	ctx := context.Background()
	db, err := s.c.open(ctx, s.lock)
	if err != nil {
		return ConsentDetail{}, err
	}
	e, err := db.Consent(ctx, id)
	if err != nil {
		return ConsentDetail{}, err
	}
	t, err := db.TakedownList(ctx, id)
	if err != nil {
		return ConsentDetail{}, err
	}
	return ConsentDetail{Consent: s.view(e, s.c.Clock.Now()), Text: e.Consent.Text, Takedown: t}, nil
}

// RevokeResult is what the manager sees after recording a withdrawal.
type RevokeResult struct {
	Consent           ConsentView       `json:"consent"`
	InWritingRequired bool              `json:"inWritingRequired"`
	Takedown          []app.Publication `json:"takedown"`
}

// Revoke records that the patient withdrew consent on the given day
// (YYYY-MM-DD, practice time; today if empty) and how it reached the practice.
func (s *ConsentService) Revoke(id int64, on, receivedBy, note string) (RevokeResult, error) {
	ctx := context.Background()
	db, err := s.c.open(ctx, s.lock)
	if err != nil {
		return RevokeResult{}, err
	}
	e, err := db.Consent(ctx, id)
	if err != nil {
		return RevokeResult{}, err
	}
	if e.Revocation != nil {
		return RevokeResult{}, app.Errorf(app.ECONFLICT, "This consent was already withdrawn on %s.", e.Revocation.At.In(zoneOf(e.Consent)).Format(consent.DateLayout(e.Consent.Country)))
	}
	if utf8.RuneCountInString(note) > 1000 {
		return RevokeResult{}, app.FieldError("note", "Keep the note to 1,000 characters.")
	}
	now := s.c.Clock.Now()
	loc := zoneOf(e.Consent)
	at := now
	if on = strings.TrimSpace(on); on != "" {
		day, err := app.ParseCivilDate(on)
		if err != nil {
			return RevokeResult{}, app.FieldError("at", "Enter the date the withdrawal reached the practice, for example 2026-11-20.")
		}
		if n := now.In(loc); day != (app.CivilDate{Year: n.Year(), Month: n.Month(), Day: n.Day()}) {
			at = time.Date(day.Year, day.Month, day.Day, 0, 0, 0, 0, loc)
			// A withdrawal logged for the signing day itself counts from the signature.
			if at.Before(e.Consent.SignedAt) && day == civilIn(e.Consent.SignedAt, loc) {
				at = e.Consent.SignedAt
			}
		}
	}
	r, err := consent.Revoke(e.Consent, at, receivedBy, note, now)
	if err != nil {
		return RevokeResult{}, err
	}
	if err := db.RevokeConsent(ctx, r); err != nil {
		return RevokeResult{}, err
	}
	if s.AfterRevoke != nil {
		if err := s.AfterRevoke(ctx, id); err != nil {
			logError("after withdrawal", err)
		}
	}
	e, err = db.Consent(ctx, id)
	if err != nil {
		return RevokeResult{}, err
	}
	t, err := db.TakedownList(ctx, id)
	if err != nil {
		return RevokeResult{}, err
	}
	s.c.Emit.Emit(EventConsentChanged, nil)
	return RevokeResult{Consent: s.view(e, now), InWritingRequired: consent.InWritingRequired(e.Consent.Country, receivedBy), Takedown: t}, nil
}

func civilIn(t time.Time, loc *time.Location) app.CivilDate {
	l := t.In(loc)
	return app.CivilDate{Year: l.Year(), Month: l.Month(), Day: l.Day()}
}

// SavePDF asks where to save the signed copy and writes it there. It
// returns the path, or "" when the manager cancelled.
func (s *ConsentService) SavePDF(id int64) (string, error) {
	ctx := context.Background()
	db, err := s.c.open(ctx, s.lock)
	if err != nil {
		return "", err
	}
	e, err := db.Consent(ctx, id)
	if err != nil {
		return "", err
	}
	b, err := db.Blob(ctx, e.PDFSHA256)
	if err != nil {
		return "", err
	}
	if s.save == nil {
		return "", app.Errorf(app.EUNAVAILABLE, "Saving files is not available here. Use “Open PDF” instead.")
	}
	// The file name carries the consent number and date, not the patient's
	// name: file names end up in recent-file lists and cloud sync logs.
	name := fmt.Sprintf("Consent %d signed %s.pdf", e.Consent.ID, e.Consent.SignedAt.In(zoneOf(e.Consent)).Format("2006-01-02"))
	path, err := s.save.SaveFile("Save the signed consent", name, "PDF documents (*.pdf)", "*.pdf")
	if err != nil {
		return "", app.Internal(err, "The save dialog could not be opened.")
	}
	if path == "" {
		return "", nil
	}
	if !strings.HasSuffix(strings.ToLower(path), ".pdf") {
		path += ".pdf"
	}
	if err := os.WriteFile(path, b.Data, 0o600); err != nil {
		return "", app.Errorf(app.EUNAVAILABLE, "The PDF could not be saved to %s. Choose a folder you can write to.", path)
	}
	if err := db.Tx(ctx, func(tx *store.Tx) error {
		return tx.Audit(ctx, "practice manager", "consent.pdf.save", "consent:"+strconv.FormatInt(id, 10), nil)
	}); err != nil {
		return "", err
	}
	return path, nil
}

// Expiring lists unrevoked consents that end within days (Home's warning).
func (s *ConsentService) Expiring(days int) ([]ConsentExpiry, error) {
	ctx := context.Background()
	db, err := s.c.open(ctx, s.lock)
	if err != nil {
		return nil, err
	}
	if days < 0 || days > 366 {
		return nil, app.FieldError("days", "Ask for 0 to 366 days.")
	}
	es, err := db.ListConsents(ctx, app.ConsentFilter{})
	if err != nil {
		return nil, err
	}
	recs := make([]consent.Record, len(es))
	for i, e := range es {
		recs[i] = consent.Record{Consent: e.Consent, Revocation: e.Revocation}
	}
	out := []ConsentExpiry{}
	for _, w := range consent.ExpiringWithin(recs, s.c.Clock.Now(), days) {
		e := ConsentExpiry{ExpiryWarning: w}
		jobs, err := db.PublishJobs(ctx, app.PublishJobFilter{ConsentID: strconv.FormatInt(w.ConsentID, 10)})
		if err != nil {
			return nil, err
		}
		for _, j := range jobs {
			switch {
			case j.State == app.JobPublished && j.Takedown == "":
				e.Live++
			case j.State == app.JobQueued || j.State == app.JobAttempting || j.State == app.JobWaiting ||
				j.State == app.JobMissed || j.State == app.JobScheduledRemote:
				e.Scheduled++
			}
		}
		out = append(out, e)
	}
	// The ones behind posts first: those are what the expiry will stop.
	slices.SortStableFunc(out, func(a, b ConsentExpiry) int {
		return cmp.Compare(b.Scheduled+b.Live, a.Scheduled+a.Live)
	})
	return out, nil
}

// ConsentExpiry is a consent that ends soon and the posts that rely on it:
// the scheduled ones will be blocked if it is not renewed before their time.
type ConsentExpiry struct {
	consent.ExpiryWarning
	Scheduled int `json:"scheduled"`
	Live      int `json:"live"`
}

// formatDay writes a calendar day as the practice's forms do.
func formatDay(country string, d app.CivilDate) string {
	return time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC).Format(consent.DateLayout(country))
}
