package service

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"practicepost/app"
	"practicepost/app/consent"
	"practicepost/app/store"
)

// SaveDialog is the native "Save as" dialog. The app passes Wails'; tests
// pass a fake that answers with a path.
type SaveDialog interface {
	SaveFile(title, defaultName, patternName, pattern string) (string, error)
}

// savePath asks d where to save a file of the kind named by patternName
// and matched by pattern ("*.pdf"), and makes sure the chosen name ends in
// that extension; "" when the person cancelled.
func savePath(d SaveDialog, title, defaultName, patternName, pattern string) (string, error) {
	path, err := d.SaveFile(title, defaultName, patternName, pattern)
	if err != nil {
		return "", app.Internal(err, "The save dialog could not be opened.")
	}
	if ext := strings.TrimPrefix(pattern, "*"); path != "" && !strings.HasSuffix(strings.ToLower(path), ext) {
		path += ext
	}
	return path, nil
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
	st, _, err := readState[ConsentSettings](ctx, db, keySettings, "The consent settings could not be read. Enter them again in Consents → Consent settings.")
	if err != nil {
		return st, err
	}
	return withDefaults(st, country), nil
}

// withDefaults fills what the manager has not chosen: the zone of the
// practice's country and the takedown promise.
func withDefaults(st ConsentSettings, country string) ConsentSettings {
	if st.Zone == "" || !slices.Contains(zonesByCountry[country], st.Zone) {
		if zs := zonesByCountry[country]; len(zs) > 0 && (st.Zone == "" || country == "GB") {
			st.Zone = zs[0]
		}
	}
	if st.RemovalDays == 0 {
		st.RemovalDays = consent.DefaultRemovalDays
	}
	return st
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
	return withDB(s.c, func(ctx context.Context, db *store.DB) (ConsentSetup, error) {
		return s.setup(ctx, db)
	})
}

func (s *ConsentService) setup(ctx context.Context, db *store.DB) (ConsentSetup, error) {
	kit, err := db.BrandKit(ctx)
	if err != nil {
		return ConsentSetup{}, err
	}
	st, err := loadSettings(ctx, db, kit.Country)
	// Settings kept but unreadable must not close the one screen where they
	// are entered: it opens with them empty and says so. What is kept stays
	// as it is until the manager saves new ones.
	damaged := errors.Is(err, errDamagedState)
	if damaged {
		st = withDefaults(ConsentSettings{}, kit.Country)
	} else if err != nil {
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
	if damaged {
		out.Missing = append(out.Missing, "The consent settings saved before could not be read. Enter them again below.")
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
	return withDB(s.c, func(ctx context.Context, db *store.DB) (ConsentSetup, error) {
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
	})
}
