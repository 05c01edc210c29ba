// Package publish defines what every platform connector offers (Publisher)
// and the one error type they all return, so the publish queue can decide
// between retry, wait, reconnect and "fix the post" without knowing which
// platform it is talking to.
//
// Connectors live in subpackages (facebook, mastodon, bluesky). Each has a
// fake server in its own fake subpackage for tests; the app never imports them.
package publish

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"practicepost/app"
)

// Platform names a connector; its facts live in app's descriptor table.
type Platform = app.Platform

const (
	Facebook  = app.PlatformFacebook
	Mastodon  = app.PlatformMastodon
	Bluesky   = app.PlatformBluesky
	Instagram = app.PlatformInstagram // an Instagram professional account (Graph API)
	LinkedIn  = app.PlatformLinkedIn  // a LinkedIn organisation page
	Google    = app.PlatformGoogle    // a Google Business Profile location
	X         = app.PlatformX         // an X (formerly Twitter) account
)

// Image is one picture to attach to a post. Width and Height are 0 when
// unknown; connectors then leave the aspect ratio out rather than guess.
type Image struct {
	Data   []byte
	MIME   string // "image/jpeg", "image/png"
	Alt    string // always sent where the platform has a field for it
	Width  int
	Height int
}

// MediaRef is what UploadImage hands back for CreatePost. It is only valid
// in the process that made it: platforms garbage-collect unattached uploads
// (Bluesky within minutes), so after a restart upload again.
type MediaRef struct {
	ID     string          // Mastodon attachment id, Bluesky blob CID
	Blob   json.RawMessage // Bluesky: the blob object, referenced verbatim by the post
	Alt    string
	Width  int
	Height int
	// Deferred holds the image when the platform takes the bytes in the
	// create call itself (Facebook photo posts: multipart source + caption).
	Deferred *Image
	// URL is a short-lived public address the platform downloads the image
	// from (Instagram, Google); ID is then the MediaHost key to delete.
	URL string
}

// Post is one message for one platform.
type Post struct {
	Text string
	// Link is a URL to share. Facebook sends it as its own field; elsewhere it
	// is appended to Text unless Text already contains it (see ComposeText).
	Link  string
	Media []MediaRef
	// ScheduledAt, when set, asks the platform to publish later by itself.
	// Only where Limits.ScheduleMin is non-zero; otherwise schedule locally.
	ScheduledAt time.Time
	// Key identifies this publication across retries and restarts (the queue
	// stores it with the "attempting" record). Mastodon sends it as the
	// Idempotency-Key header.
	Key string
	// CreatedAt is the timestamp written into records that carry one
	// (Bluesky). Store it with the attempt: reconciliation matches on it.
	CreatedAt time.Time
	Lang      string // BCP 47, e.g. "en"; optional
	// Topic makes a Google Business Profile post an event or offer, or adds
	// a button; nil is a plain update. Other platforms ignore it.
	Topic *Topic
}

// ComposeText is the text as sent to platforms without a separate link field.
func ComposeText(text, link string) string {
	text = strings.TrimSpace(text)
	if link == "" || strings.Contains(text, link) {
		return text
	}
	if text == "" {
		return link
	}
	return text + "\n\n" + link
}

// Result identifies a created (or found) post.
type Result struct {
	ID          string // what DeletePost and Metrics take
	URL         string // public web address when the platform says it
	Scheduled   bool
	ScheduledAt time.Time
	Raw         []byte // the platform's response, kept for support; never log it
}

// Account is whom a credential posts as.
type Account struct {
	ID        string
	Name      string
	Handle    string
	ExpiresAt time.Time // zero: no expiry date (may still be revoked)
	Scopes    []string
}

// Metrics are the public counters of one post. Views, Reach and Clicks are
// nil when the platform does not report them (or not for this page).
type Metrics struct {
	Reactions int // likes, favourites, reactions
	Comments  int // comments, replies
	Shares    int // shares, reblogs, reposts
	Quotes    int
	Saves     int  // Instagram saves
	Views     *int // times shown (views, impressions)
	Reach     *int // people (accounts) who saw it, where the platform counts them
	Clicks    *int
	// Pending is set when the platform has no numbers for this post yet
	// (Instagram's empty data set, too few viewers, LinkedIn's empty
	// statistics): the counters are then unknown, not zero.
	Pending bool
	// Note says, for the practice manager, why numbers are missing or
	// partial and what would change that; "" when nothing is missing.
	Note string
}

// Limits are what one platform (or Mastodon instance) accepts.
type Limits struct {
	MaxText        int  // characters, or graphemes when Graphemes is set
	Graphemes      bool // count user-perceived characters (Bluesky)
	MaxTextBytes   int  // 0: no byte limit
	CharsPerURL    int  // a URL counts as this many characters; 0: as written
	MaxImages      int
	MaxImageBytes  int
	ImageMIMEs     []string
	ScheduleMin    time.Duration // zero: no native scheduling
	ScheduleMax    time.Duration // zero with ScheduleMin set: no upper bound
	AltText        bool          // the platform stores alt text
	SeparateLink   bool          // Post.Link is sent as its own field, not in the text
	IdempotencyKey bool          // CreatePost is safe to repeat with the same Post.Key
}

// Publisher is one connected account on one platform.
//
// DescribedLimits are the limits app's platform descriptor states (text,
// byte and image counts, image size, alt text); a connector adds what only
// it knows.
func DescribedLimits(p Platform) Limits {
	d, _ := p.Info()
	return Limits{MaxText: d.MaxText, Graphemes: d.Counting == app.CountGraphemes, MaxTextBytes: d.MaxTextBytes, MaxImages: d.MaxImages, MaxImageBytes: d.MaxImageBytes, AltText: d.AltText}
}

// After CreatePost fails with an *Error whose Uncertain is set, the post may
// exist: call FindPost before trying again (or, where Limits.IdempotencyKey,
// repeat CreatePost with the same Key).
type Publisher interface {
	Platform() Platform
	Verify(ctx context.Context) (Account, error)
	Limits(ctx context.Context) (Limits, error)
	UploadImage(ctx context.Context, img Image) (MediaRef, error)
	CreatePost(ctx context.Context, p Post) (Result, error)
	// FindPost looks for p among posts made since the given time. ok is false
	// when it is certainly not there.
	FindPost(ctx context.Context, p Post, since time.Time) (r Result, ok bool, err error)
	// DeletePost takes a post down. A post that is already gone is not an error.
	DeletePost(ctx context.Context, id string) error
	Metrics(ctx context.Context, id string) (Metrics, error)
}
