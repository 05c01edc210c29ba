package service

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"sync"

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
	run     worker
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
		drafts.QueuedDiffers = s.QueuedDiffers
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
	day := practiceDay(ctx, db)
	for _, c := range tgts {
		if v := s.ch.view(c, day); v.State == "needs_reconnect" {
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
	s.mu.Lock()
	s.q = q
	s.mu.Unlock()
	s.run.start(bg, func(ctx context.Context) {
		// Replayed before the queue runs, so nothing relying on a withdrawn
		// consent is sent; but not before the window opens: reading every
		// consent of a large practice took most of a second of cold start.
		// A send the manager starts meanwhile still passes the gate, which
		// reads the consent at that moment.
		s.syncRevocations(ctx, db, q)
		if err := q.Run(ctx); err != nil {
			logError("publishing queue", err)
		}
	})
}

func (s *PublishService) stop() {
	s.mu.Lock()
	s.q = nil
	s.mu.Unlock()
	s.run.stop()
}

// syncRevocations replays every withdrawal and standing hold into the queue. Withdrawing
// blocks sending at once (same transaction); this also marks the jobs and
// takes down posts Facebook holds, should the app have stopped in between.
func (s *PublishService) syncRevocations(ctx context.Context, db *store.DB, q *queue.Queue) {
	withdrawn, held, err := db.StoppedConsents(ctx, s.c.Clock.Now())
	if err != nil {
		logError("publishing: read consents", err)
		return
	}
	for _, id := range withdrawn {
		if _, err := q.Revoke(ctx, strconv.FormatInt(id, 10)); err != nil {
			logError("publishing: replay withdrawal", err)
		}
	}
	for _, id := range held {
		if _, err := q.Hold(ctx, strconv.FormatInt(id, 10)); err != nil {
			logError("publishing: replay hold", err)
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

// withQueue is withDB for the methods that work on the publishing queue:
// the data file is open and unlocked, and the queue has started.
func withQueue[T any](s *PublishService, f func(ctx context.Context, db *store.DB, q *queue.Queue) (T, error)) (T, error) {
	return withDB(s.c, func(ctx context.Context, db *store.DB) (T, error) {
		q, err := s.queue()
		if err != nil {
			var zero T
			return zero, err
		}
		return f(ctx, db, q)
	})
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
