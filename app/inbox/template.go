package inbox

import (
	"encoding/json"
	"fmt"

	"practicepost/app"
	"practicepost/app/guard"
	"practicepost/assets"
)

// Situation names what a reply answers.
type Situation string

const (
	PositiveReview     Situation = "positive_review"
	NegativeReview     Situation = "negative_review"
	ClinicalQuestion   Situation = "clinical_question"
	Complaint          Situation = "complaint"
	AppointmentRequest Situation = "appointment_request"
	HealthDisclosure   Situation = "health_disclosure" // the person shared their own health details
	Spam               Situation = "spam"
)

// Template is one reply template (assets/replies/templates.json).
type Template struct {
	Situation Situation         `json:"situation"`
	Title     string            `json:"title"`
	Hint      string            `json:"hint"`
	Text      map[string]string `json:"text"` // by country: GB, US
}

// ParseTemplates reads a templates file; every template needs GB and US text.
func ParseTemplates(data []byte) ([]Template, error) {
	var f struct {
		Templates []Template `json:"templates"`
	}
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("reply templates: %w", err)
	}
	for _, t := range f.Templates {
		if t.Situation == "" || t.Title == "" || t.Text["GB"] == "" || t.Text["US"] == "" {
			return nil, fmt.Errorf("reply template %q: needs a situation, a title and GB and US text", t.Situation)
		}
	}
	return f.Templates, nil
}

// Templates are the shipped templates. The embedded file is checked by a test.
func Templates() []Template {
	ts, err := ParseTemplates(assets.ReplyTemplates())
	if err != nil {
		panic(err)
	}
	return ts
}

// Filled is a template with the practice's details in.
type Filled struct {
	Situation Situation `json:"situation"`
	Title     string    `json:"title"`
	Hint      string    `json:"hint"`
	Text      string    `json:"text"`
}

// Fill puts the brand kit's name, phone and email into t, in the practice's
// country's wording.
func Fill(t Template, kit app.BrandKit) Filled {
	w := guard.WordingFor(kit)
	return Filled{Situation: t.Situation, Title: t.Title, Hint: t.Hint, Text: w.Fill(t.Text[w.Country], kit.PracticeName)}
}

// Suggest picks the template that most likely fits an item: reviews by
// their stars (a review cannot be hidden, and the review templates already
// move the talk somewhere private); a comment sharing the writer's own
// health details gets the private route; otherwise none, so the manager
// chooses.
func Suggest(it app.InboxItem) Situation {
	switch {
	case it.Kind == app.InboxReview && it.Stars >= 4:
		return PositiveReview
	case it.Kind == app.InboxReview && it.Stars > 0:
		return NegativeReview
	case guard.DisclosesHealth(it.Text, nil):
		return HealthDisclosure
	}
	return ""
}
