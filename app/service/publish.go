package service

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"practicepost/app"
	"practicepost/app/calendar"
	"practicepost/app/publish"
	"practicepost/app/publish/queue"
	"practicepost/app/store"
)

// EventPublishProgress carries a queue.Progress for every step of a post.
const EventPublishProgress = queue.EventProgress

// PublishService sends drafts to the connected channels through the
// durable queue, which runs for as long as the data file is open.
type PublishService struct {
	c      *Core
	lock   *LockService
	ch     *ChannelService
	drafts *DraftService

	// Options tune the queue; Clock, Emitter and OnNeedsReconnect are
	// filled in. Tests shorten Interval.
	Options queue.Options

	// QuitApp ends the program (Wails: runtime.Quit) for an explicit Quit
	// while posts wait; closing the window only hides it then.
	QuitApp func()

	mu      sync.Mutex
	quiting bool
	q       *queue.Queue
	cancel  context.CancelFunc
	done    chan struct{}
}

// NewPublishService wires the queue into the core: it starts when the data
// file opens and stops before it closes.
func NewPublishService(c *Core, lock *LockService, ch *ChannelService, drafts *DraftService) *PublishService {
	s := &PublishService{c: c, lock: lock, ch: ch, drafts: drafts}
	ch.onConnected = func(ctx context.Context, id string) {
		if q, err := s.queue(); err == nil {
			if _, err := q.ResumeChannel(ctx, id); err != nil {
				logError("resume channel", err)
			}
		}
	}
	if drafts != nil {
		drafts.PublishBlocker = s.publishBlocker
		drafts.OnScheduleChange = s.DraftScheduleChanged
	}
	c.Attach(s.start, s.stop)
	return s
}

// publishBlocker says why a draft cannot go out apart from the guard: a
// platform it is for has no connected account, or one needs reconnecting.
func (s *PublishService) publishBlocker(ctx context.Context, db *store.DB, d app.Draft) string {
	if len(d.Channels) == 0 {
		return "Choose at least one platform for the post."
	}
	connected, err := db.Channels(ctx)
	if err != nil {
		return app.ErrorMessage(err)
	}
	tgts, err := targets(d, connected, nil)
	if err != nil {
		return app.ErrorMessage(err)
	}
	for _, c := range tgts {
		if v := s.ch.view(c); v.State == "needs_reconnect" {
			return fmt.Sprintf("%s (%s) needs reconnecting under Channels.", v.Title, v.ChannelName())
		}
	}
	if slices.Contains(d.Channels, string(publish.Instagram)) && len(d.Media) == 0 {
		return "Instagram posts need an image. Add one, or untick Instagram."
	}
	return ""
}

func (s *PublishService) start(bg context.Context) {
	db, err := s.c.DB()
	if err != nil {
		return
	}
	opt := s.Options
	if opt.Clock == nil {
		opt.Clock = s.c.Clock
	}
	opt.Emitter = progressEmitter{s}
	opt.OnNeedsReconnect = s.ch.markNeedsReconnect
	if opt.Gate == nil {
		opt.Gate = s.c.Gate
	}
	q := queue.New(db, s.ch, opt)
	ctx, cancel := context.WithCancel(bg)
	done := make(chan struct{})
	s.mu.Lock()
	s.q, s.cancel, s.done = q, cancel, done
	s.mu.Unlock()
	s.syncRevocations(ctx, db, q)
	go func() {
		defer close(done)
		if err := q.Run(ctx); err != nil {
			logError("publishing queue", err)
		}
	}()
}

func (s *PublishService) stop() {
	s.mu.Lock()
	cancel, done := s.cancel, s.done
	s.q, s.cancel, s.done = nil, nil, nil
	s.mu.Unlock()
	if cancel != nil {
		cancel()
		<-done
	}
}

// syncRevocations replays every withdrawal and standing hold into the queue. Withdrawing
// blocks sending at once (same transaction); this also marks the jobs and
// takes down posts Facebook holds, should the app have stopped in between.
func (s *PublishService) syncRevocations(ctx context.Context, db *store.DB, q *queue.Queue) {
	entries, err := db.ListConsents(ctx, app.ConsentFilter{})
	if err != nil {
		logError("publishing: read consents", err)
		return
	}
	now := s.c.Clock.Now()
	for _, e := range entries {
		id := strconv.FormatInt(e.Consent.ID, 10)
		switch {
		case e.Revocation != nil:
			if _, err := q.Revoke(ctx, id); err != nil {
				logError("publishing: replay withdrawal", err)
			}
		case e.Hold.Active(now):
			if _, err := q.Hold(ctx, id); err != nil {
				logError("publishing: replay hold", err)
			}
		}
	}
}

func (s *PublishService) queue() (*queue.Queue, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.q == nil {
		return nil, app.Errorf(app.EUNAVAILABLE, "PracticePost is still starting. Try again in a moment.")
	}
	return s.q, nil
}

func (s *PublishService) open(ctx context.Context) (*store.DB, *queue.Queue, error) {
	db, err := s.c.open(ctx, s.lock)
	if err != nil {
		return nil, nil, err
	}
	q, err := s.queue()
	return db, q, err
}

// progressEmitter passes progress on and marks a draft published once
// every channel it went to has it live.
type progressEmitter struct{ s *PublishService }

func (e progressEmitter) Emit(name string, data any) {
	e.s.c.Emit.Emit(name, data)
	p, ok := data.(queue.Progress)
	if !ok || p.Step != queue.StepPublished || p.DraftID == "" {
		return
	}
	go e.s.markDraftPublished(p.RequestID, p.DraftID)
}

func (s *PublishService) markDraftPublished(requestID int64, draftID string) {
	ctx := context.Background()
	id, err := strconv.ParseInt(draftID, 10, 64)
	if err != nil {
		return
	}
	db, err := s.c.DB()
	if err != nil {
		return
	}
	jobs, err := db.PublishJobs(ctx, app.PublishJobFilter{RequestID: requestID})
	if err != nil {
		return
	}
	for _, j := range jobs {
		if j.State != app.JobPublished {
			return
		}
	}
	d, err := db.Draft(ctx, id)
	if err != nil || d.Status == app.DraftPublished {
		return
	}
	sch := app.Schedule{Status: app.DraftPublished, ScheduledAt: d.ScheduledAt, LocalTime: d.LocalTime, Zone: d.Zone}
	if sch.LocalTime == "" {
		// A post published "now" had no day: it goes on the calendar at the
		// minute it went out, so the calendar shows what was published.
		now := s.c.Clock.Now()
		loc, zone := practiceZone(ctx, db)
		sch.ScheduledAt, sch.LocalTime, sch.Zone = &now, calendar.LocalOf(now, loc).String(), zone
	}
	if _, err := db.SetDraftSchedule(ctx, id, sch, "draft.published"); err != nil {
		logError("mark draft published", err)
		return
	}
	s.c.Emit.Emit(EventDraftsChanged, nil)
}

// PublishInput is "send this draft now" or "at this time".
type PublishInput struct {
	DraftID int64 `json:"draftId"`
	// Channels are connected channel ids; empty: every connected account
	// on each platform the draft is for.
	Channels []string `json:"channels"`
	// Date and Clock ("2026-03-30", "09:00", practice time) schedule the
	// post; both empty: publish now.
	Date  string `json:"date"`
	Clock string `json:"clock"`
	// Google makes the Google Business Profile post an event or offer;
	// nil: a plain update. Other platforms ignore it.
	Google *GoogleTopic `json:"google"`
	// GoogleTextOnly sends the post to Google without its photo, for a
	// practice without a storage bucket (see HostingService).
	GoogleTextOnly bool `json:"googleTextOnly"`
}

// JobView is one post on one channel, for the progress list and calendar.
// It lists its fields rather than embedding the stored job, so the post's
// raw answers never leave the backend and the bindings stay simple.
type JobView struct {
	ID                int64            `json:"id"`
	RequestID         int64            `json:"requestId"`
	DraftID           string           `json:"draftId"`
	Channel           string           `json:"channel"`
	Platform          string           `json:"platform"`
	State             app.PublishState `json:"state"`
	Text              string           `json:"text"`
	ScheduledAt       time.Time        `json:"scheduledAt"`
	Zone              string           `json:"zone"`
	NextAt            time.Time        `json:"nextAt"`
	Native            bool             `json:"native"`
	Attempts          int              `json:"attempts"`
	ErrorKind         string           `json:"errorKind"`
	ErrorCode         string           `json:"errorCode"`
	ErrorMessage      string           `json:"errorMessage"`
	PlatformMessage   string           `json:"platformMessage"`
	RemoteID          string           `json:"remoteId"`
	RemoteURL         string           `json:"remoteUrl"`
	RemoteScheduledAt time.Time        `json:"remoteScheduledAt"`
	PublishedAt       time.Time        `json:"publishedAt"`
	Takedown          string           `json:"takedown"`
	TakedownError     string           `json:"takedownError"`

	ChannelName string `json:"channelName"`
	Title       string `json:"title"` // "Mastodon"
	// NativeNote explains a Facebook post that Facebook itself holds.
	NativeNote string `json:"nativeNote"`
}

func jobView(j queue.Job) JobView {
	return JobView{ID: j.ID, RequestID: j.RequestID, DraftID: j.DraftID, Channel: j.Channel, Platform: j.Platform, State: j.State, Text: j.Text,
		ScheduledAt: j.ScheduledAt, Zone: j.Zone, NextAt: j.NextAt, Native: j.Native, Attempts: j.Attempts,
		ErrorKind: j.ErrorKind, ErrorCode: j.ErrorCode, ErrorMessage: j.ErrorMessage, PlatformMessage: j.PlatformMessage,
		RemoteID: j.RemoteID, RemoteURL: j.RemoteURL, RemoteScheduledAt: j.RemoteScheduledAt, PublishedAt: j.PublishedAt,
		Takedown: j.Takedown, TakedownError: j.TakedownError, Title: publish.Platform(j.Platform).Title()}
}

// PublishResult is what Publish started.
type PublishResult struct {
	RequestID int64      `json:"requestId"`
	Jobs      []JobView  `json:"jobs"`
	Check     DraftCheck `json:"check"`
	Draft     DraftView  `json:"draft"`
}

// NativeNote is shown for a Facebook post handed to Facebook's scheduler.
const NativeNote = "Scheduled on Facebook: it goes out even if this computer is off."

func (s *PublishService) views(ctx context.Context, db *store.DB, jobs []queue.Job) []JobView {
	names := map[string]string{}
	if cs, err := db.Channels(ctx); err == nil {
		for _, c := range cs {
			names[c.ID] = c.Name
			if c.Handle != "" {
				names[c.ID] = c.Handle
			}
		}
	}
	out := make([]JobView, 0, len(jobs))
	for _, j := range jobs {
		v := jobView(j)
		v.ChannelName = names[j.Channel]
		if v.ChannelName == "" {
			v.ChannelName = v.Title + " (disconnected)"
		}
		if j.Native && (j.State == app.JobScheduledRemote || j.State == app.JobQueued) {
			v.NativeNote = NativeNote
		}
		out = append(out, v)
	}
	return out
}

// targets picks the connected channels a draft goes to.
func targets(d app.Draft, connected []app.Channel, picked []string) ([]app.Channel, error) {
	var out []app.Channel
	if len(picked) > 0 {
		for _, id := range picked {
			i := slices.IndexFunc(connected, func(c app.Channel) bool { return c.ID == id })
			if i < 0 {
				return nil, app.FieldError("channels", "One of the chosen channels is not connected any more. Pick the channels again.")
			}
			if !slices.Contains(d.Channels, draftChannel(connected[i].Platform)) {
				return nil, app.FieldError("channels", "The post is not written for %s. Tick %s in the editor first, so the checks cover it.", publish.Platform(connected[i].Platform).Title(), publish.Platform(connected[i].Platform).Title())
			}
			out = append(out, connected[i])
		}
		return out, nil
	}
	var missing []string
	for _, p := range d.Channels {
		n := 0
		for _, c := range connected {
			if draftChannel(c.Platform) == p {
				out = append(out, c)
				n++
			}
		}
		if n == 0 {
			missing = append(missing, publish.Platform(platformOf(p)).Title())
		}
	}
	if len(missing) > 0 {
		return nil, app.FieldError("channels", "Connect %s under Channels first, or untick it in the post.", strings.Join(missing, " and "))
	}
	return out, nil
}

// Publish runs the guard for the draft at its moment (now, or the chosen
// time) and, when nothing blocks it, queues one job per channel. Progress
// arrives as EventPublishProgress events.
func (s *PublishService) Publish(in PublishInput) (PublishResult, error) {
	ctx := context.Background()
	db, q, err := s.open(ctx)
	if err != nil {
		return PublishResult{}, err
	}
	d, err := db.Draft(ctx, in.DraftID)
	if err != nil {
		return PublishResult{}, err
	}
	if len(d.Channels) == 0 {
		return PublishResult{}, app.FieldError("channels", "Choose at least one platform for the post.")
	}
	connected, err := db.Channels(ctx)
	if err != nil {
		return PublishResult{}, err
	}
	tgts, err := targets(d, connected, in.Channels)
	if err != nil {
		return PublishResult{}, err
	}
	for _, c := range tgts {
		if v := s.ch.view(c); v.State == "needs_reconnect" {
			return PublishResult{}, app.Errorf(app.EFORBIDDEN, "%s (%s) needs reconnecting before PracticePost can post there. Open Channels and click Reconnect.", v.Title, v.ChannelName())
		}
	}

	loc, zone := practiceZone(ctx, db)
	topic, err := in.Google.topic(loc)
	if err != nil {
		return PublishResult{}, err
	}
	if err := s.checkHosting(tgts, d, in.GoogleTextOnly); err != nil {
		return PublishResult{}, err
	}
	now := s.c.Clock.Now()
	var at time.Time
	var local calendar.LocalTime
	shifted := false
	if in.Date != "" || in.Clock != "" {
		l, err := calendar.ParseDateClock(in.Date, in.Clock)
		if err != nil {
			return PublishResult{}, err
		}
		at, shifted = calendar.Resolve(l, loc)
		if !at.After(now) {
			return PublishResult{}, app.FieldError("time", "That time has already passed. Choose a time in the future, or Publish now.")
		}
		local = l
		if shifted {
			local = calendar.LocalOf(at, loc)
		}
	}
	moment := now
	if !at.IsZero() {
		moment = at
	}
	chk, err := s.drafts.check(ctx, db, d, moment)
	if err != nil {
		return PublishResult{}, err
	}
	if chk.Blocked {
		verb := "published"
		if !at.IsZero() {
			verb = "scheduled"
		}
		return PublishResult{Check: chk}, app.Errorf(app.EINVALID, "The post cannot be %s yet: %s", verb, strings.Join(chk.Reasons, " "))
	}
	texts := map[string]string{}
	for _, cc := range chk.Channels {
		texts[cc.Channel] = cc.Text
	}

	// The queue runs the gate again on each job inside the transaction that
	// stores it, and links every consent the gate found the post relies on
	// (its testimonials', its images' and those clearing a name), so a
	// withdrawal blocks the queued jobs whatever the use.
	req := queue.Request{DraftID: strconv.FormatInt(d.ID, 10), Text: d.Body, At: at, Zone: zone, Testimonials: d.Testimonials, Paid: d.Paid}
	for _, m := range d.Media {
		req.Media = append(req.Media, queue.Media{SHA256: m.SHA256, Alt: m.AltText, MediaID: m.MediaID})
	}
	textOnly := req
	textOnly.Media = nil
	for _, c := range tgts {
		// The composed text already carries the hashtags and the link
		// tagged for this platform, exactly as the guard checked it.
		t := queue.Target{Channel: c.ID, Platform: publish.Platform(c.Platform), Text: texts[draftChannel(c.Platform)]}
		if t.Platform == publish.Google && in.GoogleTextOnly && len(req.Media) > 0 {
			textOnly.Targets = append(textOnly.Targets, t)
			continue
		}
		req.Targets = append(req.Targets, t)
	}
	req.Topic, textOnly.Topic = topic, topic
	var r app.PublishRequest
	var jobs []queue.Job
	if len(req.Targets) > 0 {
		if r, jobs, err = q.Enqueue(ctx, req); err != nil {
			return PublishResult{}, err
		}
	}
	if len(textOnly.Targets) > 0 {
		// Google without its photo goes as a request of its own, since
		// every channel of one request carries the same images.
		r2, more, err := q.Enqueue(ctx, textOnly)
		if err != nil {
			return PublishResult{}, err
		}
		if r.ID == 0 {
			r = r2
		}
		jobs = append(jobs, more...)
	}
	if !at.IsZero() {
		if _, err := db.SetDraftSchedule(ctx, d.ID, app.Schedule{Status: app.DraftScheduled, ScheduledAt: &at, LocalTime: local.String(), Zone: zone}, "draft.schedule"); err != nil {
			logError("mark draft scheduled", err)
		}
		s.c.Emit.Emit(EventDraftsChanged, nil)
	}
	d, err = db.Draft(ctx, d.ID)
	if err != nil {
		return PublishResult{}, err
	}
	dv, err := s.drafts.view(ctx, db, d, "")
	if err != nil {
		return PublishResult{}, err
	}
	return PublishResult{RequestID: r.ID, Jobs: s.views(ctx, db, jobs), Check: chk, Draft: dv}, nil
}

// ChannelName is how a channel is named in messages.
func (v ChannelView) ChannelName() string {
	if v.Handle != "" {
		return v.Handle
	}
	return v.Name
}

// Jobs lists the posts made from a draft, newest request first.
func (s *PublishService) Jobs(draftID int64) ([]JobView, error) {
	ctx := context.Background()
	db, q, err := s.open(ctx)
	if err != nil {
		return nil, err
	}
	jobs, err := q.Jobs(ctx, queue.Filter{DraftID: strconv.FormatInt(draftID, 10)})
	if err != nil {
		return nil, err
	}
	slices.SortStableFunc(jobs, func(a, b queue.Job) int {
		if a.RequestID != b.RequestID {
			return int(b.RequestID - a.RequestID)
		}
		return strings.Compare(a.Channel, b.Channel)
	})
	return s.views(ctx, db, jobs), nil
}

// Queue lists posts that still need something: waiting to go out, held by
// Facebook, sending, missed, failed or stopped by the consent check. The
// calendar and Home show them.
func (s *PublishService) Queue() ([]JobView, error) {
	ctx := context.Background()
	db, q, err := s.open(ctx)
	if err != nil {
		return nil, err
	}
	jobs, err := q.Jobs(ctx, queue.Filter{States: []app.PublishState{app.JobQueued, app.JobWaiting, app.JobAttempting,
		app.JobScheduledRemote, app.JobMissed, app.JobFailed, app.JobBlocked}})
	if err != nil {
		return nil, err
	}
	return s.views(ctx, db, jobs), nil
}

// RecentDays is how far back Home's "went out" list looks.
const RecentDays = 7

// Recent lists the posts that went out in the last RecentDays days, newest
// first, each with its live link: Home's "what went out this week".
func (s *PublishService) Recent() ([]JobView, error) {
	ctx := context.Background()
	db, q, err := s.open(ctx)
	if err != nil {
		return nil, err
	}
	jobs, err := q.Jobs(ctx, queue.Filter{States: []app.PublishState{app.JobPublished}})
	if err != nil {
		return nil, err
	}
	since := s.c.Clock.Now().AddDate(0, 0, -RecentDays)
	recent := jobs[:0]
	for _, j := range jobs {
		if j.PublishedAt.After(since) {
			recent = append(recent, j)
		}
	}
	sort.SliceStable(recent, func(a, b int) bool { return recent[a].PublishedAt.After(recent[b].PublishedAt) })
	return s.views(ctx, db, recent), nil
}

func (s *PublishService) one(ctx context.Context, db *store.DB, j queue.Job, err error) (JobView, error) {
	if err != nil {
		return JobView{}, err
	}
	return s.views(ctx, db, []queue.Job{j})[0], nil
}

// PublishNow sends a missed, failed or waiting post as soon as possible
// (looking first whether an earlier attempt already made it).
func (s *PublishService) PublishNow(jobID int64) (JobView, error) {
	ctx := context.Background()
	db, q, err := s.open(ctx)
	if err != nil {
		return JobView{}, err
	}
	j, err := q.PublishNow(ctx, jobID)
	return s.one(ctx, db, j, err)
}

// Reschedule gives a missed, failed or waiting post a new time
// ("2026-03-30", "09:00" in the practice's zone).
func (s *PublishService) Reschedule(jobID int64, date, clock string) (JobView, error) {
	ctx := context.Background()
	db, q, err := s.open(ctx)
	if err != nil {
		return JobView{}, err
	}
	l, err := calendar.ParseDateClock(date, clock)
	if err != nil {
		return JobView{}, err
	}
	loc, zone := practiceZone(ctx, db)
	at, _ := calendar.Resolve(l, loc)
	if !at.After(s.c.Clock.Now()) {
		return JobView{}, app.FieldError("time", "That time has already passed. Choose a time in the future, or Publish now.")
	}
	j, err := q.Reschedule(ctx, jobID, at, zone)
	return s.one(ctx, db, j, err)
}

// Cancel stops a post that has not gone out (Facebook deletes one it holds).
func (s *PublishService) Cancel(jobID int64) (JobView, error) {
	ctx := context.Background()
	db, q, err := s.open(ctx)
	if err != nil {
		return JobView{}, err
	}
	j, err := q.Cancel(ctx, jobID)
	return s.one(ctx, db, j, err)
}

// Takedowns lists the live posts that relied on a withdrawn consent.
func (s *PublishService) Takedowns(consentID int64) ([]queue.Takedown, error) {
	ctx := context.Background()
	_, q, err := s.open(ctx)
	if err != nil {
		return nil, err
	}
	return q.Takedowns(ctx, strconv.FormatInt(consentID, 10))
}

// Takedown deletes a post on its platform and records the result; a post
// already gone counts as deleted.
func (s *PublishService) Takedown(jobID int64) (JobView, error) {
	ctx := context.Background()
	db, q, err := s.open(ctx)
	if err != nil {
		return JobView{}, err
	}
	j, err := q.Takedown(ctx, jobID)
	if err == nil && j.Takedown == app.TakedownFailed {
		return JobView{}, app.Errorf(app.EUNAVAILABLE, "The post could not be deleted: %s", j.TakedownError)
	}
	if err == nil {
		s.c.Emit.Emit(EventConsentChanged, nil)
	}
	return s.one(ctx, db, j, err)
}

// MarkRemoved records that the practice manager deleted a post on its
// platform by hand, for a post PracticePost cannot delete itself (Instagram,
// or one whose delete failed). note is optional and never logged.
func (s *PublishService) MarkRemoved(jobID int64, note string) (JobView, error) {
	ctx := context.Background()
	db, q, err := s.open(ctx)
	if err != nil {
		return JobView{}, err
	}
	j, err := q.MarkRemoved(ctx, jobID, note)
	if err == nil {
		s.c.Emit.Emit(EventConsentChanged, nil)
	}
	return s.one(ctx, db, j, err)
}

// ConsentRevoked blocks every post waiting on a withdrawn consent and has
// Facebook drop any post it holds; the consent service calls it.
func (s *PublishService) ConsentRevoked(ctx context.Context, consentID int64) error {
	q, err := s.queue()
	if err != nil {
		return err
	}
	rev, err := q.Revoke(ctx, strconv.FormatInt(consentID, 10))
	if err != nil {
		return err
	}
	if len(rev.Blocked) > 0 {
		s.c.Emit.Emit(EventDraftsChanged, nil)
	}
	return nil
}

// ConsentsHeld stops every post waiting on consents put on hold (an emailed
// withdrawal not yet confirmed) and has Facebook drop any post it holds;
// the mail service calls it as soon as it has recorded the hold. Unlike a
// withdrawal, a hold can be released: the posts stay blocked until the
// manager checks them again (the gate passes them once the hold is gone).
func (s *PublishService) ConsentsHeld(ctx context.Context, consentIDs []int64) {
	q, err := s.queue()
	if err != nil {
		logError("publishing: hold", err)
		return
	}
	blocked := 0
	for _, id := range consentIDs {
		rev, err := q.Hold(ctx, strconv.FormatInt(id, 10))
		if err != nil {
			logError("publishing: hold", err)
			continue
		}
		blocked += len(rev.Blocked)
	}
	if blocked > 0 {
		s.c.Emit.Emit(EventDraftsChanged, nil)
	}
}

// DraftScheduleChanged keeps queued posts in step with the calendar: a
// moved post goes at its new time, an unscheduled one is cancelled.
func (s *PublishService) DraftScheduleChanged(ctx context.Context, d app.Draft) error {
	q, err := s.queue()
	if err != nil {
		return err
	}
	jobs, err := q.Jobs(ctx, queue.Filter{DraftID: strconv.FormatInt(d.ID, 10), States: []app.PublishState{app.JobQueued, app.JobWaiting,
		app.JobMissed, app.JobScheduledRemote}})
	if err != nil {
		return err
	}
	var errs []string
	for _, j := range jobs {
		switch {
		case d.Status != app.DraftScheduled || d.ScheduledAt == nil:
			_, err = q.Cancel(ctx, j.ID)
		case j.ScheduledAt.Equal(*d.ScheduledAt):
			continue
		case j.State == app.JobScheduledRemote:
			// Facebook holds it for the old time: drop that one, queue anew.
			if _, err = q.Cancel(ctx, j.ID); err == nil {
				err = s.requeue(ctx, q, j, *d.ScheduledAt, d.Zone)
			}
		default:
			_, err = q.Reschedule(ctx, j.ID, *d.ScheduledAt, d.Zone)
		}
		if err != nil {
			errs = append(errs, fmt.Sprintf("%s: %s", publish.Platform(j.Platform).Title(), app.ErrorMessage(err)))
		}
	}
	if len(errs) > 0 {
		return app.Errorf(app.ECONFLICT, "Some posts could not follow the new time (%s).", strings.Join(errs, "; "))
	}
	return nil
}

func (s *PublishService) requeue(ctx context.Context, q *queue.Queue, j queue.Job, at time.Time, zone string) error {
	req := queue.Request{DraftID: j.DraftID, Text: j.Text, Link: j.Link, Media: j.Media, At: at, Zone: zone, ConsentIDs: j.ConsentIDs,
		Testimonials: j.Testimonials, Paid: j.Paid,
		Targets: []queue.Target{{Channel: j.Channel, Platform: publish.Platform(j.Platform), Text: j.Text}}}
	_, _, err := q.Enqueue(ctx, req)
	return err
}

// Background is what keeps PracticePost running with its window closed.
type Background struct {
	Waiting int       `json:"waiting"` // channel posts (jobs) PracticePost itself still has to send
	Posts   int       `json:"posts"`   // the posts they belong to: one post to three channels counts once
	NextAt  time.Time `json:"nextAt"`  // the earliest of them; zero when none
	Message string    `json:"message"`
}

// Background counts the posts that need PracticePost running: queued or
// waiting ones (Facebook sends the ones it holds by itself).
func (s *PublishService) Background() (Background, error) {
	if err := s.c.manager(); err != nil {
		return Background{}, err
	}
	return s.background()
}

// background is Background without the lock check, for keepRunning.
func (s *PublishService) background() (Background, error) {
	ctx := context.Background()
	q, err := s.queue()
	if err != nil {
		return Background{}, err
	}
	jobs, err := q.Jobs(ctx, queue.Filter{States: []app.PublishState{app.JobQueued, app.JobWaiting, app.JobAttempting}})
	if err != nil {
		return Background{}, err
	}
	b := Background{Waiting: len(jobs)}
	posts := map[string]bool{}
	for _, j := range jobs {
		// A post is its draft; a post sent without one is its request.
		key := "d" + j.DraftID
		if j.DraftID == "" {
			key = "r" + strconv.FormatInt(j.RequestID, 10)
		}
		posts[key] = true
		if !j.NextAt.IsZero() && (b.NextAt.IsZero() || j.NextAt.Before(b.NextAt)) {
			b.NextAt = j.NextAt
		}
	}
	if b.Waiting > 0 {
		b.Posts = len(posts)
		b.Message = fmt.Sprintf("%d scheduled post(s) go out only while this computer is on and PracticePost runs. Closing the window keeps it running in the background; choose Quit to stop it (posts due meanwhile will be marked missed).", b.Posts)
	}
	return b, nil
}

// keepRunning reports whether closing the window should hide it instead of
// quitting: posts are waiting and nobody chose Quit. It is not bound: the
// window's close button asks it, locked or not (Services.KeepRunning).
func (s *PublishService) keepRunning() bool {
	s.mu.Lock()
	quitting := s.quiting
	s.mu.Unlock()
	if quitting {
		return false
	}
	b, err := s.background()
	return err == nil && b.Waiting > 0
}

// Quit stops PracticePost even though posts are waiting (the button on
// the Publish screen); it refuses while locked.
func (s *PublishService) Quit() error {
	if err := s.c.manager(); err != nil {
		return err
	}
	s.quit()
	return nil
}

// quit is Quit for the application menu (Services.MenuQuit).
func (s *PublishService) quit() {
	s.mu.Lock()
	s.quiting = true
	quit := s.QuitApp
	s.mu.Unlock()
	if quit != nil {
		quit()
	}
}
