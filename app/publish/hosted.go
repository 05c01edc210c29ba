package publish

import (
	"context"
	"errors"
	"time"

	"practicepost/app"
)

// MediaHost puts an image where a platform's servers can download it
// (Instagram image_url, Google sourceUrl) and removes it again. Two
// implementations: the practice's own S3-compatible bucket (hosting.Bucket)
// and, for Instagram only, an unpublished photo on the practice's own
// Facebook Page (instagram.PageHost). No patient photo is hosted anywhere else.
type MediaHost interface {
	// Put stores img and returns a URL that works without credentials
	// until Expires.
	Put(ctx context.Context, img Image) (Hosted, error)
	// Delete removes a stored image; one that is already gone is not an error.
	Delete(ctx context.Context, key string) error
}

// HostRemover is a Publisher whose UploadImage puts the image on a
// MediaHost; the MediaRef's ID is then the host's key (also when
// UploadImage fails having placed something). The queue records each key
// with the attempt before going on, and calls RemoveHosted once the post
// is settled, and again after a restart, until it succeeds: a patient photo
// must not stay on someone else's server because PracticePost stopped.
type HostRemover interface {
	// RemoveHosted deletes one hosted image; one already gone is not an error.
	RemoveHosted(ctx context.Context, key string) error
}

// Hosted is one image on a MediaHost.
type Hosted struct {
	Key     string
	URL     string
	Expires time.Time
}

// ErrNoMediaHost is wrapped by the error a connector returns when it needs
// a MediaHost to take an image and none is configured.
var ErrNoMediaHost = errors.New("publish: no media host configured")

// HostError classifies a failure to put an image on the MediaHost for
// platform p: the bucket's own coded message reaches the user (wrong keys
// are a permission problem, a missing bucket or bad settings a rejection),
// anything else is transient.
func HostError(p Platform, now time.Time, err error) *Error {
	var pe *Error
	if errors.As(err, &pe) {
		return pe
	}
	kind, msg := KindTransient, "PracticePost could not upload the image to the storage bucket. It will try again."
	var ae *app.Error
	if errors.As(err, &ae) {
		msg = ae.Message
		switch ae.Code {
		case app.EFORBIDDEN:
			kind = KindPermission
		case app.EINVALID, app.ENOTFOUND:
			kind = KindRejected
		}
	}
	e := NewError(p, kind, 0, "media_host", "", nil, now, time.Time{})
	e.Message, e.Err = msg, err
	return e
}

// LocationDay is one day of a Google Business Profile location's own
// figures (Google's replacement for per-post insights). Nil: not reported.
type LocationDay struct {
	Day        string // "2026-12-06"
	Views      *int   // the profile shown in Search and Maps
	Clicks     *int   // website clicks
	Calls      *int   // call button taps
	Directions *int   // direction requests
}

// ErrNoMetrics is returned by Metrics where the platform has no per-post
// counters at all (Google Business Profile): showing zeros would mislead.
var ErrNoMetrics = errors.New("publish: the platform reports no per-post metrics")

// Topic is the Google Business Profile post type and its details.
type Topic struct {
	Type string // "STANDARD" (default), "EVENT" or "OFFER"
	// Title, Start and End describe an event or the offer's period; Start
	// and End are read as wall-clock times at the location.
	Title      string
	Start, End time.Time
	AllDay     bool // dates only, no times
	CouponCode string
	RedeemURL  string
	Terms      string
	// Action is the button: "BOOK", "ORDER", "SHOP", "LEARN_MORE",
	// "SIGN_UP" or "CALL" (CALL dials the profile's phone number, no URL).
	// Google ignores buttons on offers. Empty with Post.Link set: LEARN_MORE.
	Action    string
	ActionURL string
}
