package app

import (
	"time"
)

// CollectState is the metrics collector's record of one channel.
type CollectState struct {
	Channel      string    `json:"channel"`
	Platform     string    `json:"platform"`
	NextAt       time.Time `json:"nextAt"` // zero: at once
	LastOKAt     time.Time `json:"lastOkAt"`
	LastTryAt    time.Time `json:"lastTryAt"`
	ErrorKind    string    `json:"errorKind"`
	ErrorCode    string    `json:"errorCode"`
	ErrorMessage string    `json:"errorMessage"` // what happened and what to do
	Note         string    `json:"note"`
	Failures     int       `json:"failures"`
	PostsRead    int       `json:"postsRead"`
	UpdatedAt    time.Time `json:"updatedAt"`
}
