package queue

import (
	"context"
	"errors"
	"strconv"
	"time"

	"practicepost/app"
	"practicepost/app/gate"
	"practicepost/app/publish"
)

// change runs fn on the job as it is inside a write transaction and saves
// what fn leaves in it.
func (q *Queue) change(ctx context.Context, id int64, actor string, fn func(ctx context.Context, tx app.PublishTx, j *Job) error) (Job, error) {
	var out Job
	// Recording what happened must not be undone by the caller giving up.
	ctx = context.WithoutCancel(ctx)
	err := q.db.PublishTx(ctx, func(tx app.PublishTx) error {
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
	j, err := q.change(ctx, id, actorUser, func(ctx context.Context, tx app.PublishTx, j *Job) error {
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
		topic, err := jobTopic(ctx, tx, next)
		if err != nil {
			return err
		}
		res, err := q.opt.Gate.Job(ctx, tx.View(), next, topicDetails(topic), now, gate.PlannedMoment(next, now))
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
	j, err := q.change(ctx, id, actorUser, func(ctx context.Context, tx app.PublishTx, j *Job) error {
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
		nj, err := q.change(ctx, j.ID, actorUser, func(ctx context.Context, tx app.PublishTx, j *Job) error {
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
