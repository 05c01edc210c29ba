package app

import (
	"time"
)

// PublishState is where one channel's job stands.
type PublishState string

const (
	JobQueued     PublishState = "queued"
	JobAttempting PublishState = "attempting" // a request may be on its way; reconcile after a crash
	JobPublished  PublishState = "published"  // the platform's id is in hand
	JobFailed     PublishState = "failed"     // ErrorKind says why; the user acts
	JobWaiting    PublishState = "waiting"    // rate limited or backing off until NextAt
	JobMissed     PublishState = "missed"     // its time passed while PracticePost was closed
	// JobScheduledRemote: the platform holds the post and publishes it at
	// ScheduledAt by itself (Facebook native scheduling).
	JobScheduledRemote PublishState = "scheduled_remote"
	JobBlocked         PublishState = "blocked" // a consent it relies on was revoked
	JobCancelled       PublishState = "cancelled"
)

// Takedown states of a job's remote post.
const (
	TakedownPending = "pending"
	TakedownDeleted = "deleted"
	TakedownFailed  = "failed"
	// TakedownRemovedManually: the practice manager deleted the post on the
	// platform by hand (TakedownBy, TakedownAt, TakedownNote say who, when
	// and any remark). Stored as deleted with takedown_by set.
	TakedownRemovedManually = "removed_manually"
)

// PublishMedia is one image of a request: a blob and its alt text.
type PublishMedia struct {
	SHA256 string `json:"sha256"`
	Alt    string `json:"alt"`
	// MediaID is the Studio library row the image was chosen from (0: none),
	// where the consent gate reads the image's provenance.
	MediaID int64 `json:"mediaId,omitempty"`
	// Platform is the platform this image goes to: a Studio design is sent
	// to each platform in the size it takes, so one request holds each
	// platform's images, in order. Empty: every platform (a plain image,
	// and requests stored before designs were sized per platform).
	Platform string `json:"platform,omitempty"`
}

// MediaFor is the part of a request's images that a job on platform
// carries, in the request's order.
func MediaFor(media []PublishMedia, platform string) []PublishMedia {
	out := []PublishMedia{}
	for _, m := range media {
		if m.Platform == "" || m.Platform == platform {
			out = append(out, m)
		}
	}
	return out
}

// PublishRequest is what the practice manager asked for: one draft, sent to
// several channels now or at one time.
type PublishRequest struct {
	ID          int64          `json:"id"`
	DraftID     string         `json:"draftId"`
	Text        string         `json:"text"`
	Link        string         `json:"link"`
	Media       []PublishMedia `json:"media"`
	ScheduledAt time.Time      `json:"scheduledAt"` // zero: now
	Zone        string         `json:"zone"`
	ConsentIDs  []string       `json:"consentIds"`
	// Testimonials the post quotes and whether it will be a paid advert:
	// what the consent gate needs besides the text and images.
	Testimonials []int64   `json:"testimonials"`
	Paid         bool      `json:"paid"`
	CreatedAt    time.Time `json:"createdAt"`
}

// PublishJob is one request on one channel. Raw platform responses are not
// part of it (see PublishAttempts) so lists stay small.
type PublishJob struct {
	ID         int64          `json:"id"`
	RequestID  int64          `json:"requestId"`
	DraftID    string         `json:"draftId"`
	Channel    string         `json:"channel"`
	Platform   string         `json:"platform"`
	State      PublishState   `json:"state"`
	Text       string         `json:"text"`
	Link       string         `json:"link"`
	Media      []PublishMedia `json:"media"`
	ConsentIDs []string       `json:"consentIds"`
	// Testimonials and Paid are the request's (see PublishRequest).
	Testimonials []int64 `json:"testimonials"`
	Paid         bool    `json:"paid"`

	ScheduledAt time.Time `json:"scheduledAt"` // zero: now
	Zone        string    `json:"zone"`
	NextAt      time.Time `json:"nextAt"` // zero: nothing happens until the user acts
	Native      bool      `json:"native"`

	Attempts         int       `json:"attempts"`
	Retries          int       `json:"retries"`
	Waits            int       `json:"waits"`
	IdemKey          string    `json:"-"`
	SentCreatedAt    time.Time `json:"-"`
	AttemptStartedAt time.Time `json:"attemptStartedAt"`
	Reconcile        bool      `json:"reconcile"`

	ErrorKind       string `json:"errorKind"`
	ErrorCode       string `json:"errorCode"`
	ErrorMessage    string `json:"errorMessage"`
	PlatformMessage string `json:"platformMessage"`

	RemoteID          string    `json:"remoteId"`
	RemoteURL         string    `json:"remoteUrl"`
	RemoteScheduledAt time.Time `json:"remoteScheduledAt"`
	PublishedAt       time.Time `json:"publishedAt"`

	Takedown      string    `json:"takedown"`
	TakedownAt    time.Time `json:"takedownAt"`
	TakedownError string    `json:"takedownError"`
	// TakedownBy and TakedownNote are set only for a manual removal. The
	// note is the manager's own words: shown, never written to the log.
	TakedownBy   string `json:"takedownBy"`
	TakedownNote string `json:"takedownNote"`

	CreatedAt time.Time `json:"createdAt"`
	UpdatedAt time.Time `json:"updatedAt"`

	// Raw is the last platform response, set by the caller to be saved with
	// the job; reads leave it empty (see PublishJobRaw).
	Raw []byte `json:"-"`
}

// PublishAttempt is one recorded call to a platform.
type PublishAttempt struct {
	ID            int64     `json:"id"`
	JobID         int64     `json:"jobId"`
	N             int       `json:"n"`
	Action        string    `json:"action"` // create, reconcile, confirm, delete
	IdemKey       string    `json:"-"`
	CreatedAtSent time.Time `json:"createdAtSent"`
	StartedAt     time.Time `json:"startedAt"`
	EndedAt       time.Time `json:"endedAt"`
	Outcome       string    `json:"outcome"` // "" in flight; ok, found, absent, error
	ErrorKind     string    `json:"errorKind"`
	Status        int       `json:"status"`
	ErrorCode     string    `json:"errorCode"`
	Raw           []byte    `json:"-"`
}

// HostedMedia is an image an attempt put on a host for the platform to
// download (publish.HostRemover), still to be removed from it.
type HostedMedia struct {
	ID        int64     `json:"id"`
	JobID     int64     `json:"jobId"`
	AttemptID int64     `json:"attemptId"`
	Channel   string    `json:"channel"`
	Key       string    `json:"key"` // the host's name for it: no patient data
	PlacedAt  time.Time `json:"placedAt"`
	Tries     int       `json:"tries"` // removals that failed so far
}

// PublishJobFilter selects jobs; zero fields match everything.
type PublishJobFilter struct {
	RequestID int64
	DraftID   string
	Channel   string
	ConsentID string
	States    []PublishState
	// DueBy selects jobs the scheduler should act on by this time.
	DueBy time.Time
	Limit int
}
