package app

import (
	"time"
)

// Channel is one connected social account: a Facebook Page, a Mastodon
// account on one instance, a Bluesky account. Its secret (token, app
// password) is in the OS keychain under SecretKey, never here.
//
// A practice connects a handful of channels, so they are kept as one JSON
// document in app_state rather than a table of their own: every change is
// one read-modify-write inside a transaction, with its audit entry.
type Channel struct {
	ID       string `json:"id"`       // "mastodon:@smile@example.social", "bluesky:did:plc:…", "facebook:1002003"
	Platform string `json:"platform"` // facebook, mastodon, bluesky
	// AccountID is the platform's id for the account or Page.
	AccountID string `json:"accountId"`
	Name      string `json:"name"`   // display name or Page name
	Handle    string `json:"handle"` // @user@instance, handle.bsky.social; "" for Pages
	// BaseURL is where the API lives: the Mastodon instance, the Bluesky
	// service the account signed in at, the Graph API root.
	BaseURL string `json:"baseUrl"`
	// PageID is the Facebook Page an Instagram account is linked to (and
	// connected through): its images can go through the Page, no bucket
	// needed. Empty for other platforms and for Instagram channels connected
	// before PracticePost kept it.
	PageID string `json:"pageId,omitempty"`
	// ImageRoute is the practice's choice for Instagram images: "" (through
	// the Facebook Page where the token allows) or "bucket".
	ImageRoute string `json:"imageRoute,omitempty"`
	// ExpiresAt is when the sign-in runs out by itself; zero: no date.
	ExpiresAt time.Time `json:"expiresAt"`
	// NeedsReconnect is set when the platform refused the credentials.
	NeedsReconnect bool   `json:"needsReconnect"`
	ProblemMessage string `json:"problemMessage"` // why, in the platform's or PracticePost's words

	LastTestAt  time.Time `json:"lastTestAt"`
	LastTestURL string    `json:"lastTestUrl"`
	LastTestID  string    `json:"lastTestId"` // the platform's id of the last test post, for "delete it"

	ConnectedAt time.Time `json:"connectedAt"`
	UpdatedAt   time.Time `json:"updatedAt"`
}

// SecretKey is the keychain entry holding the channel's credentials.
func (c Channel) SecretKey() string { return "channel:" + c.ID }
