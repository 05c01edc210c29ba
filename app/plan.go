package app

import (
	"time"
)

// Schedule is where a draft sits on the calendar.
type Schedule struct {
	Status      DraftStatus
	ScheduledAt *time.Time // set only when Status is scheduled
	LocalTime   string     // "2026-03-30T09:00"; "" takes the draft off the calendar
	Zone        string
}

// DraftFilter narrows ListDrafts. From and To compare with the stored
// wall-clock time ("2026-03-01", "2026-04-01": To exclusive); Unplanned
// lists drafts with no day instead.
type DraftFilter struct {
	From, To  string
	Unplanned bool
	Limit     int
}

// Idea is one entry of the practice's ideas library.
type Idea struct {
	ID        int64    `json:"id"`
	SourceID  string   `json:"sourceId"` // the bundled idea it started as; "" for the practice's own
	Specialty string   `json:"specialty"`
	Pillar    Pillar   `json:"pillar"`
	Title     string   `json:"title"`
	Text      string   `json:"text"`
	Hashtags  []string `json:"hashtags"`
}
