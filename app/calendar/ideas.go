package calendar

import (
	"encoding/json"
	"fmt"
	"slices"

	"practicepost/app"
	"practicepost/assets"
)

// Idea is a starter post in the ideas library.
type Idea struct {
	ID        string     `json:"id"`
	Specialty string     `json:"specialty"`
	Pillar    app.Pillar `json:"pillar"`
	Title     string     `json:"title"`
	Text      string     `json:"text"`
	Hashtags  []string   `json:"hashtags"`
}

// ParseIdeas reads an ideas file and checks each entry.
func ParseIdeas(data []byte) ([]Idea, error) {
	var f struct {
		Ideas []Idea `json:"ideas"`
	}
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("ideas library: %w", err)
	}
	seen := map[string]bool{}
	for _, i := range f.Ideas {
		switch {
		case i.ID == "" || seen[i.ID]:
			return nil, fmt.Errorf("ideas library: missing or repeated id %q", i.ID)
		case !slices.Contains(Specialties, i.Specialty):
			return nil, fmt.Errorf("idea %s: unknown specialty %q", i.ID, i.Specialty)
		case !slices.Contains(app.Pillars, i.Pillar):
			return nil, fmt.Errorf("idea %s: unknown pillar %q", i.ID, i.Pillar)
		case i.Title == "" || i.Text == "":
			return nil, fmt.Errorf("idea %s: title and text are required", i.ID)
		}
		seen[i.ID] = true
	}
	return f.Ideas, nil
}

// StarterIdeas is the bundled ideas library.
func StarterIdeas() ([]Idea, error) { return ParseIdeas(assets.StarterIdeas) }
