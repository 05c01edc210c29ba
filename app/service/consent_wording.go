package service

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"practicepost/app"
	"practicepost/app/consent"
	"practicepost/app/store"
)

// WordingView is the wording of one country's consent form as new requests
// will show it: the newest stored version.
type WordingView struct {
	Country   string    `json:"country"` // "GB" or "US"
	Key       string    `json:"key"`
	VersionID string    `json:"versionId"`
	Version   int       `json:"version"`
	Title     string    `json:"title"`
	Markdown  string    `json:"markdown"`
	SHA256    string    `json:"sha256"`
	SavedAt   time.Time `json:"savedAt"`
	SavedBy   string    `json:"savedBy"`
	// Shipped is true when the text is exactly the wording PracticePost
	// ships, so "Restore" has nothing to do.
	Shipped      bool     `json:"shipped"`
	Placeholders []string `json:"placeholders"`
}

// maxWordingBytes matches what consent.Render accepts, so a saved version
// can always be shown to a patient.
const maxWordingBytes = 64 << 10

// shippedFor returns the shipped form for a country. The practice edits the
// family the shipped form starts; one family per country today.
func shippedFor(country string) (app.ConsentTemplate, error) {
	if country != "GB" && country != "US" {
		return app.ConsentTemplate{}, app.FieldError("country", "Choose the UK or the US form.")
	}
	shipped, err := consent.ShippedTemplates()
	if err != nil {
		return app.ConsentTemplate{}, err
	}
	for _, t := range shipped {
		if t.Country == country {
			return t, nil
		}
	}
	return app.ConsentTemplate{}, app.Errorf(app.ENOTFOUND, "PracticePost has no consent form for that country.")
}

// currentWording stores the shipped forms if needed and returns the newest
// version of the country's form with the shipped one.
func currentWording(ctx context.Context, db *store.DB, country string) (cur, shipped app.ConsentTemplate, err error) {
	if shipped, err = shippedFor(country); err != nil {
		return
	}
	ts, err := ensureTemplates(ctx, db)
	if err != nil {
		return
	}
	for _, t := range ts { // newest version of each key first
		if t.Key == shipped.Key {
			return t, shipped, nil
		}
	}
	return cur, shipped, app.Errorf(app.ENOTFOUND, "The consent form %s is not in PracticePost.", shipped.Key)
}

func wordingView(t, shipped app.ConsentTemplate) WordingView {
	by := "Practice manager"
	if t.Version == shipped.Version && t.SHA256 == shipped.SHA256 {
		by = "PracticePost (shipped wording)"
	}
	return WordingView{Country: t.Country, Key: t.Key, VersionID: t.VersionID(), Version: t.Version, Title: t.Title,
		Markdown: t.Body, SHA256: t.SHA256, SavedAt: t.CreatedAt, SavedBy: by, Shipped: t.SHA256 == shipped.SHA256,
		Placeholders: consent.Placeholders}
}

// ConsentWording returns the wording new consent requests use for country.
func (s *ConsentService) ConsentWording(country string) (WordingView, error) {
	return withDB(s.c, func(ctx context.Context, db *store.DB) (WordingView, error) {
		cur, shipped, err := currentWording(ctx, db, country)
		if err != nil {
			return WordingView{}, err
		}
		return wordingView(cur, shipped), nil
	})
}

// SaveConsentWording stores markdown as a new version of the country's
// form, after the lint of compliance.md 3.5. Old versions stay as they are:
// consents signed on them keep the exact text they showed.
func (s *ConsentService) SaveConsentWording(country, markdown string) (WordingView, error) {
	if err := s.c.manager(); err != nil {
		return WordingView{}, err
	}
	return s.saveWording(country, func(app.ConsentTemplate) string { return markdown })
}

// RestoreShippedWording stores the shipped wording as a new version, so the
// history of what patients were shown stays whole.
func (s *ConsentService) RestoreShippedWording(country string) (WordingView, error) {
	if err := s.c.manager(); err != nil {
		return WordingView{}, err
	}
	return s.saveWording(country, func(shipped app.ConsentTemplate) string { return shipped.Body })
}

func (s *ConsentService) saveWording(country string, text func(shipped app.ConsentTemplate) string) (WordingView, error) {
	return withDB(s.c, func(ctx context.Context, db *store.DB) (WordingView, error) {
		cur, shipped, err := currentWording(ctx, db, country)
		if err != nil {
			return WordingView{}, err
		}
		body := strings.ReplaceAll(text(shipped), "\r\n", "\n")
		if body == cur.Body {
			return wordingView(cur, shipped), nil
		}
		if strings.TrimSpace(body) == "" {
			return WordingView{}, app.FieldError("markdown", "The form cannot be empty. Use “Restore the shipped wording” to start again.")
		}
		if len(body) > maxWordingBytes {
			return WordingView{}, app.FieldError("markdown", "The form is longer than %d KB. Shorten it.", maxWordingBytes>>10)
		}
		if !utf8.ValidString(body) {
			return WordingView{}, app.FieldError("markdown", "The form text is not valid text (UTF-8).")
		}
		candidate := cur
		candidate.Body = body
		if probs := consent.Lint(candidate); len(probs) > 0 {
			return WordingView{}, app.FieldError("markdown", "%s", lintMessage(probs))
		}
		next, err := consent.NewVersion(cur, body, s.c.Clock.Now())
		if err != nil {
			return WordingView{}, err
		}
		if err := db.AddTemplateVersion(ctx, next, "practice manager"); err != nil {
			return WordingView{}, err
		}
		stored, err := db.Template(ctx, next.VersionID())
		if err != nil {
			return WordingView{}, err
		}
		return wordingView(stored, shipped), nil
	})
}

// lintMessage lists every problem on its own line, so the manager sees all
// that is missing at once rather than fixing one and being refused again.
func lintMessage(probs []consent.LintProblem) string {
	var b strings.Builder
	b.WriteString("This wording was not saved. Fix these and save again:")
	for _, p := range probs {
		b.WriteString("\n• ")
		b.WriteString(p.Message)
	}
	return b.String()
}

// checkNewestTemplate refuses a form version that a later edit replaced:
// a new request must show the practice's current wording. Requests made
// before the edit (a form already on screen, an emailed request awaiting its
// reply) keep the version they were made with.
func checkNewestTemplate(ctx context.Context, db *store.DB, versionID string) error {
	t, err := db.Template(ctx, versionID)
	if err != nil {
		return err
	}
	ts, err := db.Templates(ctx)
	if err != nil {
		return err
	}
	for _, o := range ts {
		if o.Key == t.Key && o.Version > t.Version {
			return app.FieldError("templateVersion", "The consent wording was changed in Settings (now version %d). Choose the form again to use the new wording.", o.Version)
		}
	}
	return nil
}
