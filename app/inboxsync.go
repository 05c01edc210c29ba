package app

import (
	"time"
)

// SyncStats say what one collection changed.
type SyncStats struct {
	Added   int `json:"added"`
	Changed int `json:"changed"`
	Gone    int `json:"gone"`
}

// InboxAction is one reply, hide, unhide or delete the practice made.
type InboxAction struct {
	ID         int64     `json:"id"`
	ItemID     int64     `json:"itemId"`
	Action     string    `json:"action"`
	Text       string    `json:"text"`
	Key        string    `json:"key"`
	State      string    `json:"state"`
	RemoteID   string    `json:"remoteId"`
	Error      string    `json:"error"`
	Verdict    string    `json:"verdict"`
	CreatedAt  time.Time `json:"createdAt"`
	FinishedAt time.Time `json:"finishedAt"`
}
