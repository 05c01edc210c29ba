package service

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"practicepost/app"
	"practicepost/app/calendar"
	"practicepost/app/publish"
	"practicepost/app/publish/queue"
	"practicepost/app/store"
)

// Jobs lists the posts made from a draft, newest request first.
func (s *PublishService) Jobs(draftID int64) ([]JobView, error) {
	return withQueue(s, func(ctx context.Context, db *store.DB, q *queue.Queue) ([]JobView, error) {
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
	})
}

// Queue lists posts that still need something: waiting to go out, held by
// Facebook, sending, missed, failed or stopped by the consent check. The
// calendar and Home show them.
func (s *PublishService) Queue() ([]JobView, error) {
	return withQueue(s, func(ctx context.Context, db *store.DB, q *queue.Queue) ([]JobView, error) {
		jobs, err := q.Jobs(ctx, queue.Filter{States: []app.PublishState{app.JobQueued, app.JobWaiting, app.JobAttempting,
			app.JobScheduledRemote, app.JobMissed, app.JobFailed, app.JobBlocked}})
		if err != nil {
			return nil, err
		}
		return s.views(ctx, db, jobs), nil
	})
}

// RecentDays is how far back Home's "went out" list looks.
const RecentDays = 7

// Recent lists the posts that went out in the last RecentDays days, newest
// first, each with its live link: Home's "what went out this week".
func (s *PublishService) Recent() ([]JobView, error) {
	return withQueue(s, func(ctx context.Context, db *store.DB, q *queue.Queue) ([]JobView, error) {
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
	})
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
	return withQueue(s, func(ctx context.Context, db *store.DB, q *queue.Queue) (JobView, error) {
		j, err := q.PublishNow(ctx, jobID)
		return s.one(ctx, db, j, err)
	})
}

// Reschedule gives a missed, failed or waiting post a new time
// ("2026-03-30", "09:00" in the practice's zone).
func (s *PublishService) Reschedule(jobID int64, date, clock string) (JobView, error) {
	return withQueue(s, func(ctx context.Context, db *store.DB, q *queue.Queue) (JobView, error) {
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
	})
}

// Cancel stops a post that has not gone out (Facebook deletes one it holds).
func (s *PublishService) Cancel(jobID int64) (JobView, error) {
	return withQueue(s, func(ctx context.Context, db *store.DB, q *queue.Queue) (JobView, error) {
		j, err := q.Cancel(ctx, jobID)
		return s.one(ctx, db, j, err)
	})
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

// Takedowns lists the live posts that relied on a withdrawn consent.
func (s *PublishService) Takedowns(consentID int64) ([]queue.Takedown, error) {
	return withQueue(s, func(ctx context.Context, _ *store.DB, q *queue.Queue) ([]queue.Takedown, error) {
		return q.Takedowns(ctx, strconv.FormatInt(consentID, 10))
	})
}

// Takedown deletes a post on its platform and records the result; a post
// already gone counts as deleted.
func (s *PublishService) Takedown(jobID int64) (JobView, error) {
	return withQueue(s, func(ctx context.Context, db *store.DB, q *queue.Queue) (JobView, error) {
		j, err := q.Takedown(ctx, jobID)
		if err == nil && j.Takedown == app.TakedownFailed {
			return JobView{}, app.Errorf(app.EUNAVAILABLE, "The post could not be deleted: %s", j.TakedownError)
		}
		if err == nil {
			s.c.Emit.Emit(EventConsentChanged, nil)
		}
		return s.one(ctx, db, j, err)
	})
}

// MarkRemoved records that the practice manager deleted a post on its
// platform by hand, for a post PracticePost cannot delete itself (Instagram,
// or one whose delete failed). note is optional and never logged.
func (s *PublishService) MarkRemoved(jobID int64, note string) (JobView, error) {
	return withQueue(s, func(ctx context.Context, db *store.DB, q *queue.Queue) (JobView, error) {
		j, err := q.MarkRemoved(ctx, jobID, note)
		if err == nil {
			s.c.Emit.Emit(EventConsentChanged, nil)
		}
		return s.one(ctx, db, j, err)
	})
}

// consentRevoked blocks every post waiting on a withdrawn consent and has
// Facebook drop any post it holds; the consent service calls it. It is
// unexported so that Wails does not bind it: only Go wiring may call it.
func (s *PublishService) consentRevoked(ctx context.Context, consentID int64) error {
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

// consentsHeld stops every post waiting on consents put on hold (an emailed
// withdrawal not yet confirmed) and has Facebook drop any post it holds;
// the mail service calls it as soon as it has recorded the hold (unexported,
// like consentRevoked, so that it is not bound to the UI). Unlike a
// withdrawal, a hold can be released: the posts stay blocked until the
// manager checks them again (the gate passes them once the hold is gone).
func (s *PublishService) consentsHeld(ctx context.Context, consentIDs []int64) {
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

// QueuedDiffers says whether the posts queued for draft d would send other
// words or images than chk, the check of d as the editor just saved it. A
// post in flight or already out is not compared: nothing can change it. A
// Google post sent without its photo (text only) is compared by its words.
func (s *PublishService) QueuedDiffers(ctx context.Context, d app.Draft, chk DraftCheck) (bool, error) {
	q, err := s.queue()
	if err != nil {
		return false, err
	}
	jobs, err := q.Jobs(ctx, queue.Filter{DraftID: strconv.FormatInt(d.ID, 10), States: []app.PublishState{app.JobQueued, app.JobWaiting,
		app.JobMissed, app.JobScheduledRemote}})
	if err != nil {
		return false, err
	}
	for _, j := range jobs {
		i := slices.IndexFunc(chk.Channels, func(c ChannelCheck) bool { return c.Channel == draftChannel(j.Platform) })
		if i < 0 {
			return true, nil // the channel left the post
		}
		c := chk.Channels[i]
		if c.Text != j.Text {
			return true, nil
		}
		if len(j.Media) == 0 && j.Platform == string(publish.Google) {
			continue
		}
		if !slices.EqualFunc(j.Media, c.Images, func(m queue.Media, im ChannelImage) bool { return m.SHA256 == im.SHA256 && m.Alt == im.AltText }) {
			return true, nil
		}
	}
	return false, nil
}
