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
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	mrand "math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"time"

	"practicepost/app"
	"practicepost/app/gate"
	"practicepost/app/publish"
	"practicepost/app/store"
)

// Gate is the one consent and privacy check. The queue calls it inside the
// transaction that stores a job and inside the one that marks it
// attempting, with that transaction's read view, so the job is judged
// against the data as it is at that instant. *gate.Gate is the real one.
type Gate interface {
	Job(ctx context.Context, r gate.Reader, j app.PublishJob, now, moment time.Time) (gate.Result, error)
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
	db  *store.DB
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

// New returns a queue; call Run (or Recover and RunDue) to send anything.
func New(db *store.DB, res Resolver, opt Options) *Queue {
	if opt.Clock == nil {
		opt.Clock = app.SystemClock{}
	}
	if opt.Emitter == nil {
		opt.Emitter = app.NopEmitter{}
	}
	if opt.Grace == 0 {
		opt.Grace = 5 * time.Minute
	}
	if opt.NativeLead == 0 {
		opt.NativeLead = 10 * time.Minute
	}
	if opt.NativeMax == 0 {
		opt.NativeMax = 30 * 24 * time.Hour
	}
	if opt.ConfirmDelay == 0 {
		opt.ConfirmDelay = 2 * time.Minute
	}
	if opt.MaxRetries == 0 {
		opt.MaxRetries = 6
	}
	if opt.MaxWaits == 0 {
		opt.MaxWaits = 20
	}
	if opt.Interval == 0 {
		opt.Interval = 5 * time.Second
	}
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
func topicKey(requestID int64) string { return "publish_topic:" + strconv.FormatInt(requestID, 10) }

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
	for _, m := range r.Media {
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
		if strings.TrimSpace(t.Text) != "" {
			text = t.Text
		}
		if strings.TrimSpace(text) == "" && r.Link == "" && len(r.Media) == 0 {
			return app.PublishRequest{}, nil, app.FieldError("text", "The post for %s is empty. Write something or add an image.", t.Platform.Title())
		}
		j := Job{Channel: t.Channel, Platform: string(t.Platform), State: app.JobQueued, Text: text, Link: r.Link,
			ScheduledAt: at, IdemKey: newKey()}
		q.plan(&j, now)
		jobs = append(jobs, j)
	}
	req := app.PublishRequest{DraftID: r.DraftID, Text: r.Text, Link: r.Link, Media: r.Media, ScheduledAt: at, Zone: zone, ConsentIDs: r.ConsentIDs,
		Testimonials: r.Testimonials, Paid: r.Paid}
	err := q.db.Tx(ctx, func(tx *store.Tx) error {
		if err := tx.CreatePublishRequest(ctx, &req, jobs, actorUser); err != nil {
			return err
		}
		// The gate judges each job against the data as this transaction
		// sees it: a withdrawal committed before it is seen here; one
		// committed after finds the job linked to the consent and blocks it.
		for _, j := range jobs {
			res, err := q.opt.Gate.Job(ctx, tx.Reader(), j, now, gate.PlannedMoment(j, now))
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
		return tx.SetState(ctx, topicKey(req.ID), string(b))
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

// change runs fn on the job as it is inside a write transaction and saves
// what fn leaves in it.
func (q *Queue) change(ctx context.Context, id int64, actor string, fn func(ctx context.Context, tx *store.Tx, j *Job) error) (Job, error) {
	var out Job
	// Recording what happened must not be undone by the caller giving up.
	ctx = context.WithoutCancel(ctx)
	err := q.db.Tx(ctx, func(tx *store.Tx) error {
		j, err := tx.PublishJob(ctx, id)
		if err != nil {
			return err
		}
		if err := fn(ctx, tx, &j); err != nil {
			return err
		}
		if err := tx.SavePublishJob(ctx, &j, actor); err != nil {
			return err
		}
		out = j
		return nil
	})
	return out, err
}

// PublishNow sends a missed, failed, waiting or queued job as soon as
// possible (looking first whether an earlier attempt already made it).
func (q *Queue) PublishNow(ctx context.Context, id int64) (Job, error) {
	return q.Reschedule(ctx, id, time.Time{}, "")
}

// Reschedule gives a job a new time (zero: now) in zone (empty: unchanged).
func (q *Queue) Reschedule(ctx context.Context, id int64, at time.Time, zone string) (Job, error) {
	now := q.now()
	if zone != "" {
		if _, err := time.LoadLocation(zone); err != nil {
			return Job{}, app.FieldError("zone", "PracticePost does not know the time zone %q. Pick the practice's time zone from the list.", zone)
		}
	}
	at = at.UTC()
	if !at.IsZero() && at.Before(now.Add(-q.opt.Grace)) {
		return Job{}, app.FieldError("at", "That time has already passed. Pick a time in the future, or choose Publish now.")
	}
	if !at.IsZero() && !at.After(now) {
		at = time.Time{}
	}
	var refused string
	j, err := q.change(ctx, id, actorUser, func(ctx context.Context, tx *store.Tx, j *Job) error {
		switch j.State {
		case app.JobQueued, app.JobWaiting, app.JobMissed, app.JobFailed, app.JobBlocked:
		case app.JobAttempting:
			return app.Errorf(app.ECONFLICT, "This post is being sent to %s right now. Wait a moment and look again.", title(j))
		case app.JobPublished:
			return app.Errorf(app.ECONFLICT, "This post is already live on %s.", title(j))
		case app.JobScheduledRemote:
			return app.Errorf(app.ECONFLICT, "%s already holds this post for its time. Cancel it first, then schedule it again.", title(j))
		default:
			return app.Errorf(app.ECONFLICT, "This post was cancelled. Publish the draft again to send it.")
		}
		if j.RemoteID != "" && j.Takedown != "" {
			// Facebook held it and took it down (a withdrawal or hold): the
			// job's record is of that post, so a new one starts from the draft.
			return app.Errorf(app.ECONFLICT, "%s held this post and it was taken down there. Open the post and publish it again.", title(j))
		}
		// The queue's own record of a withdrawal: such a job never goes out.
		revoked, err := tx.PublishJobRevoked(ctx, j.ID)
		if err != nil {
			return err
		}
		if revoked {
			return app.Errorf(app.EFORBIDDEN, "This post cannot go out: a patient consent it relies on was withdrawn.")
		}
		next := *j
		next.State, next.ScheduledAt = app.JobQueued, at
		if zone != "" {
			next.Zone = zone
		}
		next.Retries, next.Waits = 0, 0
		clearError(&next)
		q.plan(&next, now)
		// Judged at the moment it would now go out: a consent that ends
		// before the new time blocks it here, not only when it is claimed.
		res, err := q.opt.Gate.Job(ctx, tx.Reader(), next, now, gate.PlannedMoment(next, now))
		if err != nil {
			return err
		}
		if err := tx.LinkRequestConsents(ctx, j.RequestID, consentIDs(res.Relied)); err != nil {
			return err
		}
		if res.Blocked() {
			refused = gate.Blocking(res)
			q.block(j, refused, now)
			return nil
		}
		*j = next
		return nil
	})
	if err != nil {
		return Job{}, err
	}
	if refused != "" {
		q.emit(j, StepBlocked, refused)
		return j, app.Errorf(app.EFORBIDDEN, "%s", refused)
	}
	q.mu.Lock()
	delete(q.authFail, j.Channel)
	q.mu.Unlock()
	q.emit(j, StepQueued, "")
	q.Kick()
	return j, nil
}

func title(j *Job) string { return publish.Platform(j.Platform).Title() }

// block stops a job the gate refused. A job whose earlier attempt may have
// gone through is still looked up, never sent, so a live post joins the
// takedown list.
func (q *Queue) block(j *Job, why string, now time.Time) {
	j.State, j.NextAt = app.JobBlocked, time.Time{}
	if j.Reconcile {
		j.NextAt = now
	}
	j.ErrorKind, j.ErrorCode, j.PlatformMessage = "gate_blocked", "", ""
	j.ErrorMessage = why
}

// consentIDs are consent ids as the publishing tables keep them.
func consentIDs(ids []int64) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = strconv.FormatInt(id, 10)
	}
	return out
}

func clearError(j *Job) {
	j.ErrorKind, j.ErrorCode, j.ErrorMessage, j.PlatformMessage = "", "", "", ""
}

// Cancel stops a job that has not gone out. A post Facebook holds for later
// is deleted there by the scheduler.
func (q *Queue) Cancel(ctx context.Context, id int64) (Job, error) {
	now := q.now()
	j, err := q.change(ctx, id, actorUser, func(ctx context.Context, tx *store.Tx, j *Job) error {
		switch j.State {
		case app.JobQueued, app.JobWaiting, app.JobMissed, app.JobFailed, app.JobBlocked:
			j.NextAt = time.Time{}
			if j.Reconcile {
				// An earlier attempt may have gone through: look once.
				j.NextAt = now
			}
		case app.JobScheduledRemote:
			j.Takedown, j.NextAt = app.TakedownPending, now
		case app.JobAttempting:
			return app.Errorf(app.ECONFLICT, "This post is being sent to %s right now. Wait a moment; if it went out, delete it instead.", title(j))
		case app.JobPublished:
			return app.Errorf(app.ECONFLICT, "This post is already live on %s. Delete it instead.", title(j))
		default:
			return nil
		}
		j.State = app.JobCancelled
		return nil
	})
	if err != nil {
		return Job{}, err
	}
	q.emit(j, StepCancelled, "")
	q.Kick()
	return j, nil
}

// ResumeChannel is called after a channel was reconnected: jobs that
// failed for want of a connection go back in the queue, except scheduled
// ones whose time has passed, which become missed.
func (q *Queue) ResumeChannel(ctx context.Context, channel string) ([]Job, error) {
	q.mu.Lock()
	delete(q.authFail, channel)
	q.mu.Unlock()
	now := q.now()
	jobs, err := q.db.PublishJobs(ctx, Filter{Channel: channel, States: []app.PublishState{app.JobFailed}})
	if err != nil {
		return nil, err
	}
	var out []Job
	for _, j := range jobs {
		if j.ErrorKind != string(publish.KindAuth) {
			continue
		}
		var step Step
		nj, err := q.change(ctx, j.ID, actorUser, func(ctx context.Context, tx *store.Tx, j *Job) error {
			if j.State != app.JobFailed {
				return errChanged
			}
			revoked, err := tx.PublishJobRevoked(ctx, j.ID)
			if err != nil {
				return err
			}
			clearError(j)
			j.Retries, j.Waits = 0, 0
			switch {
			case revoked:
				j.State, j.NextAt, step = app.JobBlocked, time.Time{}, StepBlocked
			case !j.ScheduledAt.IsZero() && j.ScheduledAt.Add(q.opt.Grace).Before(now):
				j.State, j.NextAt, step = app.JobMissed, time.Time{}, StepMissed
				if j.Reconcile {
					j.NextAt = now
				}
			default:
				j.State, step = app.JobQueued, StepQueued
				q.plan(j, now)
			}
			return nil
		})
		if errors.Is(err, errChanged) {
			continue
		}
		if err != nil {
			return out, err
		}
		q.emit(nj, step, "")
		out = append(out, nj)
	}
	q.Kick()
	return out, nil
}

// Takedown is a live (or platform-held) post made with a withdrawn consent.
type Takedown struct {
	JobID       int64            `json:"jobId"`
	Channel     string           `json:"channel"`
	Platform    publish.Platform `json:"platform"`
	RemoteID    string           `json:"remoteId"`
	URL         string           `json:"url"`
	PublishedAt time.Time        `json:"publishedAt"`
	// Scheduled: the platform holds it for later; PracticePost deletes it
	// there by itself.
	Scheduled bool   `json:"scheduled"`
	Takedown  string `json:"takedown"` // "", pending, failed, removed_manually
	Error     string `json:"error,omitempty"`
	// Manual: PracticePost cannot delete it (the platform's API offers no
	// way, or refused the delete for want of permission), so the manager
	// deletes it on the platform and marks it removed; Instructions say how.
	Manual       bool   `json:"manual"`
	Instructions string `json:"instructions,omitempty"`
	// RemovedAt, RemovedBy and Note describe a manual removal.
	RemovedAt time.Time `json:"removedAt,omitzero"`
	RemovedBy string    `json:"removedBy,omitempty"`
	Note      string    `json:"note,omitempty"`
}

// noDelete holds the platforms whose API cannot delete a post, with what
// the manager does instead (the same words the connector answers a delete
// with, so the list reads the same before and after trying).
var noDelete = map[publish.Platform]string{
	publish.Instagram: "Instagram does not let apps delete posts. Delete it yourself in the Instagram app: open the post, tap ⋯ and choose Delete. Then mark it as removed here.",
}

// CanDelete reports whether PracticePost can delete posts on p itself.
func CanDelete(p publish.Platform) bool { _, no := noDelete[p]; return !no }

// manualFailure reports a delete failure that trying again cannot fix: the
// platform will not let PracticePost delete the post.
func manualFailure(kind, code string) bool {
	return kind == string(publish.KindPermission) || strings.Contains(code, "unsupported")
}

// Revocation is what withdrawing a consent did to the queue.
type Revocation struct {
	Blocked   []int64    `json:"blocked"`   // jobs that will not go out now
	Takedowns []Takedown `json:"takedowns"` // live posts to offer "delete" for
	// InFlight jobs were being sent at that moment; look at Takedowns again
	// once they settle (a Progress event says when).
	InFlight []int64 `json:"inFlight"`
}

// Revoke blocks every job relying on consentID that has not gone out and
// lists the posts that are live. Posts Facebook holds for later are
// deleted there by the scheduler without asking.
func (q *Queue) Revoke(ctx context.Context, consentID string) (Revocation, error) {
	return q.stop(ctx, consentID, true, "A patient consent this post relies on was withdrawn, so it will not go out.")
}

// Hold does what Revoke does for a consent put on hold (the patient asked
// by email to withdraw; the manager has not confirmed it yet): nothing
// relying on it goes out, and Facebook drops what it holds. Once the hold
// is released, Publish now sends a blocked post again after the gate
// passes it.
func (q *Queue) Hold(ctx context.Context, consentID string) (Revocation, error) {
	return q.stop(ctx, consentID, false, "A patient asked by email to withdraw a consent this post relies on, so it is on hold and will not go out.")
}

func (q *Queue) stop(ctx context.Context, consentID string, withdrawn bool, why string) (Revocation, error) {
	now := q.now()
	var rev Revocation
	var changed []Job
	ctx = context.WithoutCancel(ctx)
	err := q.db.Tx(ctx, func(tx *store.Tx) error {
		rev, changed = Revocation{}, nil
		if withdrawn {
			if _, err := tx.RevokePublishConsent(ctx, consentID); err != nil {
				return err
			}
		}
		jobs, err := tx.PublishJobs(ctx, Filter{ConsentID: consentID})
		if err != nil {
			return err
		}
		for i := range jobs {
			j := &jobs[i]
			switch j.State {
			case app.JobQueued, app.JobWaiting, app.JobMissed, app.JobFailed:
				j.State, j.NextAt = app.JobBlocked, time.Time{}
				if j.Reconcile {
					// It may be live after all: look, so it joins the takedown list.
					j.NextAt = now
					rev.InFlight = append(rev.InFlight, j.ID)
				}
			case app.JobScheduledRemote:
				j.State, j.Takedown, j.NextAt = app.JobBlocked, app.TakedownPending, now
			case app.JobAttempting:
				rev.InFlight = append(rev.InFlight, j.ID)
				continue
			default:
				continue
			}
			j.ErrorKind, j.ErrorCode, j.PlatformMessage = "consent_revoked", "", ""
			if !withdrawn {
				j.ErrorKind = "consent_on_hold"
			}
			j.ErrorMessage = why
			if err := tx.SavePublishJob(ctx, j, actorUser); err != nil {
				return err
			}
			rev.Blocked = append(rev.Blocked, j.ID)
			changed = append(changed, *j)
		}
		rev.Takedowns, err = takedowns(jobs, func(id int64) (string, string, error) { return tx.LastDeleteError(ctx, id) })
		return err
	})
	if err != nil {
		return Revocation{}, err
	}
	for _, j := range changed {
		q.emit(j, StepBlocked, j.ErrorMessage)
	}
	q.Kick()
	return rev, nil
}

// takedowns lists jobs' live posts. lastDelete gives the kind and code of
// a job's last failed delete, to tell a refusal from an outage.
func takedowns(jobs []Job, lastDelete func(id int64) (kind, code string, err error)) ([]Takedown, error) {
	out := []Takedown{}
	for _, j := range jobs {
		if j.RemoteID == "" || j.Takedown == app.TakedownDeleted {
			continue
		}
		if j.State != app.JobPublished && j.Takedown == "" {
			continue
		}
		p := publish.Platform(j.Platform)
		t := Takedown{JobID: j.ID, Channel: j.Channel, Platform: p, RemoteID: j.RemoteID,
			URL: j.RemoteURL, PublishedAt: j.PublishedAt, Scheduled: !j.RemoteScheduledAt.IsZero() && j.PublishedAt.IsZero(),
			Takedown: j.Takedown, Error: j.TakedownError}
		switch {
		case j.Takedown == app.TakedownRemovedManually:
			t.RemovedAt, t.RemovedBy, t.Note = j.TakedownAt, j.TakedownBy, j.TakedownNote
		case !CanDelete(p):
			t.Manual, t.Instructions, t.Error = true, noDelete[p], ""
		case j.Takedown == app.TakedownFailed:
			kind, code, err := lastDelete(j.ID)
			if err != nil {
				return nil, err
			}
			if manualFailure(kind, code) {
				t.Manual = true
				t.Instructions = fmt.Sprintf("%s Delete the post yourself on %s, then mark it as removed here.", strings.TrimSpace(j.TakedownError), p.Title())
				t.Error = ""
			}
		}
		out = append(out, t)
	}
	return out, nil
}

// Takedowns lists the live posts relying on consentID that are not deleted.
func (q *Queue) Takedowns(ctx context.Context, consentID string) ([]Takedown, error) {
	jobs, err := q.db.PublishJobs(ctx, Filter{ConsentID: consentID})
	if err != nil {
		return nil, err
	}
	return takedowns(jobs, func(id int64) (string, string, error) { return q.db.LastDeleteError(ctx, id) })
}

// maxNote bounds the manager's remark on a manual removal.
const maxNote = 500

// MarkRemoved records that the manager deleted a job's post on its
// platform by hand. It is for posts PracticePost cannot delete itself (the
// platform's API has no way to, or a delete failed); any other post is
// refused, so the record never claims a removal PracticePost could have
// made and checked. Asking again for a post already marked changes nothing.
func (q *Queue) MarkRemoved(ctx context.Context, id int64, note string) (Job, error) {
	note = strings.TrimSpace(note)
	if n := len([]rune(note)); n > maxNote {
		return Job{}, app.FieldError("note", "The note is %d characters long; keep it under %d.", n, maxNote)
	}
	now := q.now()
	changed := false
	j, err := q.change(ctx, id, actorUser, func(ctx context.Context, tx *store.Tx, j *Job) error {
		p := publish.Platform(j.Platform)
		switch {
		case j.RemoteID == "" || j.State != app.JobPublished:
			return app.Errorf(app.ECONFLICT, "This post is not live on %s, so there is nothing to mark as removed.", p.Title())
		case j.Takedown == app.TakedownRemovedManually || j.Takedown == app.TakedownDeleted:
			return nil
		case j.Takedown == app.TakedownPending:
			return app.Errorf(app.ECONFLICT, "PracticePost is still deleting this post on %s. Wait for the result; only if it cannot, delete it yourself and mark it as removed.", p.Title())
		case CanDelete(p) && j.Takedown != app.TakedownFailed:
			return app.Errorf(app.ECONFLICT, "PracticePost can delete this post on %s itself: choose Delete, so the removal is checked and recorded.", p.Title())
		}
		j.Takedown, j.TakedownAt, j.TakedownBy, j.TakedownNote = app.TakedownRemovedManually, now, actorUser, note
		j.TakedownError, j.NextAt = "", time.Time{}
		changed = true
		return nil
	})
	if err != nil {
		return Job{}, err
	}
	if changed {
		q.emit(j, StepRemovedManually, "")
	}
	return j, nil
}

// Takedown deletes a job's post on its platform now and records the
// result. A post already gone counts as deleted.
func (q *Queue) Takedown(ctx context.Context, id int64) (Job, error) {
	j, err := q.change(ctx, id, actorUser, func(ctx context.Context, tx *store.Tx, j *Job) error {
		if j.RemoteID == "" {
			return app.Errorf(app.ECONFLICT, "This post is not on %s, so there is nothing to delete.", title(j))
		}
		if j.Takedown == app.TakedownDeleted || j.Takedown == app.TakedownRemovedManually {
			return nil
		}
		j.Takedown, j.TakedownError, j.NextAt = app.TakedownPending, "", time.Time{}
		return nil
	})
	if err != nil || j.Takedown == app.TakedownDeleted || j.Takedown == app.TakedownRemovedManually {
		return j, err
	}
	pub, err := q.res.Publisher(ctx, j.Channel)
	if err != nil {
		return q.takedownFailed(ctx, j, err)
	}
	return q.deleteRemote(ctx, j, pub), nil
}

func (q *Queue) takedownFailed(ctx context.Context, j Job, err error) (Job, error) {
	msg := userMessage(err, publish.Platform(j.Platform))
	nj, serr := q.change(ctx, j.ID, actorUser, func(ctx context.Context, tx *store.Tx, cur *Job) error {
		cur.Takedown, cur.TakedownError, cur.NextAt = app.TakedownFailed, msg, time.Time{}
		return nil
	})
	if serr != nil {
		return j, serr
	}
	q.emit(nj, StepDeleteFailed, msg)
	return nj, nil
}

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
