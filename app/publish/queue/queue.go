// Package queue is the durable publishing queue and its scheduler.
//
// A Request (one draft, now or at a time) becomes one job per channel in
// the data file. Before any call that could create a post leaves, the job
// is saved as attempting with a stable idempotency key and the created_at
// it sends, in its own committed transaction. A job is published only with
// the platform's id in hand. After a crash or an uncertain failure (timeout,
// dropped connection, 5xx) the job is reconciled: Mastodon repeats the call
// with the same Idempotency-Key inside its one-hour window; elsewhere
// FindPost looks for the post and only a post that is certainly not there
// is sent again.
//
// Channels run in parallel, each with its own worker, so a slow platform
// never holds up another; jobs of one channel go one at a time.
package queue

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	mrand "math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"practicepost/app"
	"practicepost/app/gate"
	"practicepost/app/publish"
)

// Gate is the one consent and privacy check. The queue calls it inside the
// transaction that stores a job and inside the one that marks it
// attempting, with that transaction's read view, so the job is judged
// against the data as it is at that instant, with the details a Google job
// sends beside its text. *gate.Gate is the real one.
type Gate interface {
	Job(ctx context.Context, r gate.Reader, j app.PublishJob, details []gate.Detail, now, moment time.Time) (gate.Result, error)
}

// EventProgress is the frontend event carrying a Progress.
const EventProgress = "publish:progress"

// Job is one request on one channel, as stored.
type Job = app.PublishJob

// Media is one image of a request: a stored blob and its alt text.
type Media = app.PublishMedia

// Resolver hands out the connected Publisher for a channel id. An error
// that is a *publish.Error of KindAuth, or an *app.Error coded forbidden or
// not_found, means the channel needs (re)connecting.
type Resolver interface {
	Publisher(ctx context.Context, channel string) (publish.Publisher, error)
}

// ResolverFunc adapts a function to Resolver.
type ResolverFunc func(ctx context.Context, channel string) (publish.Publisher, error)

func (f ResolverFunc) Publisher(ctx context.Context, channel string) (publish.Publisher, error) {
	return f(ctx, channel)
}

// Step is a point in a job's progress.
type Step string

const (
	StepQueued          Step = "queued"
	StepGated           Step = "gated"      // the gate passed, inside the transaction that stores or claims the job (Hook only)
	StepAttempting      Step = "attempting" // recorded; nothing sent yet (Hook only)
	StepUploading       Step = "uploading_image"
	StepUploaded        Step = "uploaded" // every image is up (Hook only)
	StepCreating        Step = "creating_post"
	StepCreated         Step = "created" // the platform answered with an id; not saved yet (Hook only)
	StepConfirming      Step = "confirming"
	StepPublished       Step = "published"
	StepScheduledRemote Step = "scheduled_remote"
	StepWaiting         Step = "waiting"
	StepFailed          Step = "failed"
	StepMissed          Step = "missed"
	StepBlocked         Step = "blocked"
	StepCancelled       Step = "cancelled"
	StepDeleted         Step = "deleted"
	StepDeleteFailed    Step = "delete_failed"
	StepRemovedManually Step = "removed_manually"
)

// Progress is what the frontend hears about a job. Message is for the
// practice manager; it never holds the post's text.
type Progress struct {
	JobID     int64            `json:"jobId"`
	RequestID int64            `json:"requestId"`
	DraftID   string           `json:"draftId"`
	Channel   string           `json:"channel"`
	Platform  publish.Platform `json:"platform"`
	Step      Step             `json:"step"`
	State     app.PublishState `json:"state"`
	URL       string           `json:"url,omitempty"`
	Message   string           `json:"message,omitempty"`
	Kind      publish.Kind     `json:"kind,omitempty"`
	RetryAt   time.Time        `json:"retryAt,omitzero"`
}

// Options tune the queue; zero values get the defaults noted.
type Options struct {
	Clock   app.Clock   // app.SystemClock
	Emitter app.Emitter // app.NopEmitter
	// Grace is how late a job may still go out after PracticePost was
	// closed (or asleep) at its time; later ones become missed. 5 min.
	Grace time.Duration
	// NativeLead: Facebook posts scheduled further ahead than this are
	// handed to Facebook at once with scheduled_publish_time. 10 min.
	NativeLead time.Duration
	// NativeMax is how far ahead Facebook accepts a schedule. 30 days.
	NativeMax time.Duration
	// ConfirmDelay is how long after its time a natively scheduled post is
	// looked up to confirm it went out. 2 min.
	ConfirmDelay time.Duration
	MaxRetries   int           // transient failures before giving up; 6
	MaxWaits     int           // rate-limit waits before giving up; 20
	Interval     time.Duration // Run's tick; 5 s
	// Rand returns a number in [0,1) for backoff jitter; math/rand/v2.
	Rand func() float64
	// Hook, when set, is called at StepAttempting, StepUploaded and
	// StepCreated of every create attempt, in the job's worker, and at
	// StepGated inside the transaction that stores or claims a job. Crash
	// and race tests use it to act at an exact point.
	Hook func(j Job, s Step)
	// Gate checks every job before it is stored and again as it is claimed
	// for sending; nil: gate.New().
	Gate Gate
	// OnNeedsReconnect is told when a channel's credentials were refused,
	// so the connection can be marked "needs reconnecting".
	OnNeedsReconnect func(channel string)
}

// Queue is the publishing queue over one data file.
type Queue struct {
	db  Store
	res Resolver
	opt Options

	mu        sync.Mutex
	active    map[string]bool // channel -> a worker is running
	again     map[string]bool // channel -> new work arrived while it ran
	authFail  map[string]*publish.Error
	wg        sync.WaitGroup
	kick      chan struct{}
	lastSweep time.Time
	running   bool // Run is looping
}

// Store is the data file as the queue uses it; *store.DB is the real one.
type Store interface {
	PublishTx(ctx context.Context, fn func(app.PublishTx) error) error
	Blob(ctx context.Context, sha string) (app.Blob, error)
	PublishJob(ctx context.Context, id int64) (app.PublishJob, error)
	PublishJobs(ctx context.Context, f app.PublishJobFilter) ([]app.PublishJob, error)
	PublishAttempts(ctx context.Context, jobID int64) ([]app.PublishAttempt, error)
	LastDeleteError(ctx context.Context, jobID int64) (kind, code string, err error)
	HostedMedia(ctx context.Context, jobID int64) ([]app.HostedMedia, error)
}

// New returns a queue; call Run (or Recover and RunDue) to send anything.
func New(db Store, res Resolver, opt Options) *Queue {
	opt.Clock = cmp.Or[app.Clock](opt.Clock, app.SystemClock{})
	opt.Emitter = cmp.Or[app.Emitter](opt.Emitter, app.NopEmitter{})
	opt.Grace = cmp.Or(opt.Grace, 5*time.Minute)
	opt.NativeLead = cmp.Or(opt.NativeLead, 10*time.Minute)
	opt.NativeMax = cmp.Or(opt.NativeMax, 30*24*time.Hour)
	opt.ConfirmDelay = cmp.Or(opt.ConfirmDelay, 2*time.Minute)
	opt.MaxRetries = cmp.Or(opt.MaxRetries, 6)
	opt.MaxWaits = cmp.Or(opt.MaxWaits, 20)
	opt.Interval = cmp.Or(opt.Interval, 5*time.Second)
	if opt.Rand == nil {
		opt.Rand = mrand.Float64
	}
	if opt.Gate == nil {
		opt.Gate = gate.New()
	}
	return &Queue{db: db, res: res, opt: opt, active: map[string]bool{}, again: map[string]bool{},
		authFail: map[string]*publish.Error{}, kick: make(chan struct{}, 1)}
}

const (
	actorUser   = "practice manager"
	actorSystem = "system"
	// nativeMargin keeps a native schedule clear of Facebook's lower bound
	// despite the request's own travel time.
	nativeMargin = time.Minute
	// mastodonReplay is how long Mastodon keeps an Idempotency-Key (1 h),
	// less a margin for clock differences.
	mastodonReplay = 55 * time.Minute
)

func (q *Queue) now() time.Time { return q.opt.Clock.Now().UTC() }

// Target is one channel a request goes to.
type Target struct {
	Channel  string           `json:"channel"`  // the connection's id, as the Resolver knows it
	Platform publish.Platform `json:"platform"` // facebook, mastodon, bluesky
	Text     string           `json:"text"`     // optional: this channel's own wording
	// OwnText says Text is this channel's wording even when empty (an
	// image-only version): the caller composed and checked it, so the
	// request's text must not stand in for it.
	OwnText bool `json:"ownText"`
	// Media, when set, are this channel's own images (a design in the size
	// its platform takes); nil: the request's Media. Channels on one
	// platform carry the same images.
	Media []Media `json:"media"`
}

// Request is "publish this draft to these channels, now or at a time".
type Request struct {
	DraftID    string    `json:"draftId"`
	Text       string    `json:"text"`
	Link       string    `json:"link"`
	Media      []Media   `json:"media"`
	At         time.Time `json:"at"`   // zero: now
	Zone       string    `json:"zone"` // IANA zone At was picked in, e.g. "Europe/London"
	ConsentIDs []string  `json:"consentIds"`
	Targets    []Target  `json:"targets"`
	// Testimonials the post quotes and whether it will be promoted as a
	// paid advert: the gate needs them, with the text and images, to judge
	// each job as it is sent.
	Testimonials []int64 `json:"testimonials"`
	Paid         bool    `json:"paid"`
	// Topic makes the Google Business Profile post an event or offer. It
	// is saved with the request, in the same transaction, so a restart
	// sends the same kind of post.
	Topic *publish.Topic `json:"topic,omitempty"`
}

var knownPlatforms = map[publish.Platform]bool{publish.Facebook: true, publish.Mastodon: true, publish.Bluesky: true,
	publish.Instagram: true, publish.LinkedIn: true, publish.Google: true, publish.X: true}

// topicKey is the app_state entry holding a request's Google topic.
func topicKey(requestID int64) string {
	return app.PublishTopicStatePrefix + strconv.FormatInt(requestID, 10)
}

func newKey() string {
	b := make([]byte, 16)
	rand.Read(b)
	return "pp-" + hex.EncodeToString(b)
}

// Enqueue checks r and stores one job per target. Nothing is sent here:
// the scheduler picks the jobs up (Kick wakes it).
func (q *Queue) Enqueue(ctx context.Context, r Request) (app.PublishRequest, []Job, error) {
	now := q.now()
	if len(r.Targets) == 0 {
		return app.PublishRequest{}, nil, app.FieldError("targets", "Pick at least one channel to publish to.")
	}
	zone := strings.TrimSpace(r.Zone)
	if zone == "" {
		zone = "UTC"
	}
	if _, err := time.LoadLocation(zone); err != nil {
		return app.PublishRequest{}, nil, app.FieldError("zone", "PracticePost does not know the time zone %q. Pick the practice's time zone from the list.", zone)
	}
	at := r.At.UTC()
	if !at.IsZero() {
		if at.Before(now.Add(-q.opt.Grace)) {
			return app.PublishRequest{}, nil, app.FieldError("at", "That time has already passed. Pick a time in the future, or choose Publish now.")
		}
		if !at.After(now) {
			at = time.Time{}
		}
	}
	media, err := requestMedia(r)
	if err != nil {
		return app.PublishRequest{}, nil, err
	}
	for _, m := range media {
		if _, err := q.db.Blob(ctx, m.SHA256); err != nil {
			return app.PublishRequest{}, nil, app.FieldError("media", "An image of this post is no longer in PracticePost. Render the image again, then publish.")
		}
	}
	jobs := make([]Job, 0, len(r.Targets))
	for _, t := range r.Targets {
		if strings.TrimSpace(t.Channel) == "" || !knownPlatforms[t.Platform] {
			return app.PublishRequest{}, nil, app.FieldError("targets", "One of the chosen channels is not connected any more. Pick the channels again.")
		}
		text := r.Text
		if t.OwnText || strings.TrimSpace(t.Text) != "" {
			text = t.Text
		}
		if strings.TrimSpace(text) == "" && r.Link == "" && len(app.MediaFor(media, string(t.Platform))) == 0 {
			return app.PublishRequest{}, nil, app.FieldError("text", "The post for %s is empty. Write something or add an image.", t.Platform.Title())
		}
		j := Job{Channel: t.Channel, Platform: string(t.Platform), State: app.JobQueued, Text: text, Link: r.Link,
			ScheduledAt: at, IdemKey: newKey()}
		q.plan(&j, now)
		jobs = append(jobs, j)
	}
	req := app.PublishRequest{DraftID: r.DraftID, Text: r.Text, Link: r.Link, Media: media, ScheduledAt: at, Zone: zone, ConsentIDs: r.ConsentIDs,
		Testimonials: r.Testimonials, Paid: r.Paid}
	err = q.db.PublishTx(ctx, func(tx app.PublishTx) error {
		if err := tx.CreatePublishRequest(ctx, &req, jobs, actorUser); err != nil {
			return err
		}
		// The gate judges each job against the data as this transaction
		// sees it: a withdrawal committed before it is seen here; one
		// committed after finds the job linked to the consent and blocks it.
		for _, j := range jobs {
			var details []gate.Detail
			if j.Platform == string(publish.Google) {
				details = topicDetails(r.Topic)
			}
			res, err := q.opt.Gate.Job(ctx, tx.View(), j, details, now, gate.PlannedMoment(j, now))
			if err != nil {
				return err
			}
			if res.Blocked() {
				return &app.Error{Code: app.EINVALID, Message: fmt.Sprintf("The post cannot go to %s: %s", publish.Platform(j.Platform).Title(), strings.Join(res.Reasons(), " "))}
			}
			if err := tx.LinkRequestConsents(ctx, req.ID, consentIDs(res.Relied)); err != nil {
				return err
			}
			q.hook(j, StepGated)
		}
		if r.Topic == nil {
			return nil
		}
		b, err := json.Marshal(r.Topic)
		if err != nil {
			return err
		}
		return tx.SetSealedState(ctx, topicKey(req.ID), string(b))
	})
	if err != nil {
		return app.PublishRequest{}, nil, err
	}
	for _, j := range jobs {
		q.emit(j, StepQueued, "")
	}
	q.Kick()
	return req, jobs, nil
}

// requestMedia is the images of r as one list, each tagged with the
// platform it goes to (app.PublishMedia.Platform) in that platform's order,
// so every job reads its own back from the request. Without per-channel
// images it is r.Media, untagged: every channel carries the same.
func requestMedia(r Request) ([]Media, error) {
	if !slices.ContainsFunc(r.Targets, func(t Target) bool { return t.Media != nil }) {
		return r.Media, nil
	}
	var out []Media
	carried := map[publish.Platform][]Media{}
	for _, t := range r.Targets {
		list := t.Media
		if list == nil {
			list = r.Media
		}
		if prev, seen := carried[t.Platform]; seen {
			// Images are kept per platform, so two channels on one
			// platform cannot carry different ones.
			if !slices.EqualFunc(prev, list, func(a, b Media) bool { return a.SHA256 == b.SHA256 && a.Alt == b.Alt && a.MediaID == b.MediaID }) {
				return nil, app.Errorf(app.EINTERNAL, "Two %s channels of this post were given different images. Open the post and publish it again.", t.Platform.Title())
			}
			continue
		}
		carried[t.Platform] = list
		for _, m := range list {
			m.Platform = string(t.Platform)
			out = append(out, m)
		}
	}
	return out, nil
}

// plan sets when the scheduler next acts on a queued job and whether the
// platform should hold it (Facebook native scheduling).
func (q *Queue) plan(j *Job, now time.Time) {
	j.Native = false
	if j.ScheduledAt.IsZero() {
		j.NextAt = now
		return
	}
	ahead := j.ScheduledAt.Sub(now)
	if j.Platform == string(publish.Facebook) && ahead > q.opt.NativeLead+nativeMargin {
		j.Native = true
		// Beyond Facebook's window it waits here until the window opens.
		j.NextAt = now
		if ahead > q.opt.NativeMax-time.Hour {
			j.NextAt = j.ScheduledAt.Add(-(q.opt.NativeMax - time.Hour))
		}
		return
	}
	j.NextAt = j.ScheduledAt
	if j.NextAt.Before(now) {
		j.NextAt = now
	}
}

// Kick wakes Run to look for due jobs now.
func (q *Queue) Kick() {
	select {
	case q.kick <- struct{}{}:
	default:
	}
}

// Job reads one job.
func (q *Queue) Job(ctx context.Context, id int64) (Job, error) { return q.db.PublishJob(ctx, id) }

// Filter selects jobs for Jobs.
type Filter = app.PublishJobFilter

// Jobs lists jobs (by request, draft, channel, consent or state).
func (q *Queue) Jobs(ctx context.Context, f Filter) ([]Job, error) { return q.db.PublishJobs(ctx, f) }

// Attempts is a job's history with the platform's raw answers, for support.
func (q *Queue) Attempts(ctx context.Context, id int64) ([]app.PublishAttempt, error) {
	return q.db.PublishAttempts(ctx, id)
}

var errChanged = errors.New("job changed meanwhile")

// maxNote bounds the manager's remark on a manual removal.
const maxNote = 500

// userMessage is the practice manager's text for any error.
func userMessage(err error, p publish.Platform) string {
	var pe *publish.Error
	var ae *app.Error
	switch {
	case errors.As(err, &pe):
		return pe.Message
	case errors.As(err, &ae):
		return ae.Message
	}
	return fmt.Sprintf("Something went wrong while talking to %s. Try again in a few minutes.", p.Title())
}

func (q *Queue) emit(j Job, step Step, msg string) {
	p := Progress{JobID: j.ID, RequestID: j.RequestID, DraftID: j.DraftID, Channel: j.Channel, Platform: publish.Platform(j.Platform),
		Step: step, State: j.State, URL: j.RemoteURL, Message: msg, Kind: publish.Kind(j.ErrorKind)}
	if msg == "" && (step == StepFailed || step == StepWaiting || step == StepBlocked) {
		p.Message = j.ErrorMessage
	}
	if step == StepWaiting {
		p.RetryAt = j.NextAt
	}
	q.opt.Emitter.Emit(EventProgress, p)
	slog.Debug("publish progress", "job", j.ID, "channel", j.Channel, "step", string(step), "state", string(j.State))
}
