package app

import "time"

// Pillar is the kind of content a post is, used to balance the calendar.
type Pillar string

const (
	PillarTip         Pillar = "tip"
	PillarMythFact    Pillar = "myth_fact"
	PillarTeam        Pillar = "team"
	PillarTestimonial Pillar = "testimonial"
	PillarEvent       Pillar = "event"
	PillarNews        Pillar = "news"
)

// Pillars lists the content pillars in the order the editor offers them.
var Pillars = []Pillar{PillarTip, PillarMythFact, PillarTeam, PillarTestimonial, PillarEvent, PillarNews}

// DraftStatus is where a post is on its way out.
type DraftStatus string

const (
	DraftEditing   DraftStatus = "draft"     // being written; may have a planned day
	DraftScheduled DraftStatus = "scheduled" // passed the guard; waits for its time
	DraftPublished DraftStatus = "published"
)

// DraftMedia is a Studio library image attached to a draft, with the alt
// text posted beside it.
type DraftMedia struct {
	MediaID int64  `json:"mediaId"`
	SHA256  string `json:"sha256"`
	AltText string `json:"altText"`
}

// Draft is a post being written: one text, optional per-channel versions,
// and what the calendar needs to place it. ScheduledAt is the instant;
// LocalTime and Zone are the wall-clock time the practice chose, kept so a
// 09:00 post stays at 09:00 when the clocks change or the zone's rules do.
type Draft struct {
	ID           int64             `json:"id"`
	Title        string            `json:"title"`
	Body         string            `json:"body"`
	Versions     map[string]string `json:"versions"` // channel → its own text; missing means Body
	Channels     []string          `json:"channels"`
	Hashtags     []string          `json:"hashtags"`
	Link         string            `json:"link"`
	UTM          bool              `json:"utm"`
	Campaign     string            `json:"campaign"`
	Pillar       Pillar            `json:"pillar"`
	Media        []DraftMedia      `json:"media"`
	Testimonials []int64           `json:"testimonials"`
	// Paid says the post will be promoted as a paid advert: the consent
	// gate then needs the paid-ads scope and applies the advert rules.
	Paid        bool        `json:"paid"`
	Status      DraftStatus `json:"status"`
	ScheduledAt *time.Time  `json:"scheduledAt"`
	LocalTime   string      `json:"localTime"` // "2026-03-30T09:00" in Zone; "" when no day is planned
	Zone        string      `json:"zone"`
	AwarenessID string      `json:"awarenessId"`
	CreatedAt   time.Time   `json:"createdAt"`
	UpdatedAt   time.Time   `json:"updatedAt"`
}
