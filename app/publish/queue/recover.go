package queue

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"practicepost/app"
	"practicepost/app/publish"
)

// Recovery is what Recover found on start.
type Recovery struct {
	Reconciling []int64 `json:"reconciling"` // were being sent when PracticePost stopped
	Missed      []int64 `json:"missed"`      // their time passed while it was closed
}

// Recover runs once on start, before anything is sent. Jobs found in
// attempting were cut off mid-send: they are looked up on their platform
// before anything else happens. Jobs whose time passed more than Grace ago
// become missed: they wait for "publish now" or a new time, never posted
// late without asking.
func (q *Queue) Recover(ctx context.Context) (Recovery, error) {
	q.mu.Lock()
	running := q.running
	q.mu.Unlock()
	if running {
		// Its own in-flight jobs would look interrupted.
		return Recovery{}, app.Errorf(app.ECONFLICT, "The publishing queue is already running.")
	}
	now := q.now()
	var rec Recovery
	var events []struct {
		j    Job
		step Step
	}
	ctx = context.WithoutCancel(ctx)
	err := q.db.PublishTx(ctx, func(tx app.PublishTx) error {
		rec, events = Recovery{}, nil
		jobs, err := tx.PublishJobs(ctx, Filter{States: []app.PublishState{app.JobAttempting}})
		if err != nil {
			return err
		}
		for _, j := range jobs {
			j.Reconcile, j.NextAt = true, now
			j.State = app.JobWaiting
			j.ErrorKind, j.ErrorCode, j.PlatformMessage = string(publish.KindTransient), "interrupted", ""
			j.ErrorMessage = fmt.Sprintf("PracticePost stopped while sending this post to %s. It checks whether the post went out before doing anything else, so it will not appear twice.", title(&j))
			step, deadline := StepConfirming, j.AttemptStartedAt
			if j.Native {
				deadline = j.ScheduledAt
			}
			if late(deadline, now, q.opt.Grace) {
				// Reconcile only: if it is not there, it waits for the user.
				j.State, step = app.JobMissed, StepMissed
			}
			if err := tx.SavePublishJob(ctx, &j, actorSystem); err != nil {
				return err
			}
			rec.Reconciling = append(rec.Reconciling, j.ID)
			events = append(events, struct {
				j    Job
				step Step
			}{j, step})
		}
		missed, err := q.sweep(ctx, tx, now)
		for _, j := range missed {
			rec.Missed = append(rec.Missed, j.ID)
			events = append(events, struct {
				j    Job
				step Step
			}{j, StepMissed})
		}
		return err
	})
	if err != nil {
		return Recovery{}, err
	}
	q.mu.Lock()
	q.lastSweep = now
	q.mu.Unlock()
	for _, e := range events {
		q.emit(e.j, e.step, "")
	}
	if len(rec.Reconciling)+len(rec.Missed) > 0 {
		slog.Info("publish queue recovered", "reconciling", len(rec.Reconciling), "missed", len(rec.Missed))
	}
	return rec, nil
}

func late(t, now time.Time, grace time.Duration) bool {
	return !t.IsZero() && now.Sub(t) > grace
}

// sweep marks queued and waiting jobs whose moment passed more than Grace
// ago as missed.
func (q *Queue) sweep(ctx context.Context, tx app.PublishTx, now time.Time) ([]Job, error) {
	jobs, err := tx.PublishJobs(ctx, Filter{States: []app.PublishState{app.JobQueued, app.JobWaiting}, DueBy: now.Add(-q.opt.Grace)})
	if err != nil {
		return nil, err
	}
	var out []Job
	for _, j := range jobs {
		deadline := j.NextAt
		if j.Native {
			// Held for Facebook's own scheduling: only the post's time counts.
			deadline = j.ScheduledAt
		}
		if !late(deadline, now, q.opt.Grace) {
			continue
		}
		j.State, j.NextAt = app.JobMissed, time.Time{}
		if j.Reconcile {
			j.NextAt = now
		}
		j.ErrorKind, j.ErrorCode, j.PlatformMessage = "missed", "", ""
		j.ErrorMessage = "PracticePost was closed (or the computer was asleep) when this post was due, so it did not go out. Choose Publish now or pick a new time."
		if err := tx.SavePublishJob(ctx, &j, actorSystem); err != nil {
			return nil, err
		}
		out = append(out, j)
	}
	return out, nil
}

// reconcileOnly looks for a post that may exist, and never sends one.
func (q *Queue) reconcileOnly(ctx context.Context, j Job, pub publish.Publisher) {
	res, ok, err := q.find(ctx, j, pub, "reconcile", q.firstCreate(ctx, j))
	if err == nil && ok {
		q.finish(ctx, j, 0, res)
		return
	}
	now := q.now()
	refused := publish.KindOf(err) == publish.KindRejected
	nj, serr := q.change(ctx, j.ID, actorSystem, func(ctx context.Context, tx app.PublishTx, cur *Job) error {
		if err == nil || refused {
			cur.Reconcile, cur.NextAt = false, time.Time{}
			if refused && (cur.State == app.JobFailed || cur.State == app.JobMissed) {
				// The platform has it and refused it (Google's review): that,
				// not "failed to send" or "missed", is what the manager acts on.
				pe := asPublishError(err, publish.Platform(cur.Platform))
				cur.State = app.JobFailed
				cur.ErrorKind, cur.ErrorCode, cur.ErrorMessage, cur.PlatformMessage = string(pe.Kind), pe.Code, pe.Message, pe.PlatformMessage
				if pe.Raw != nil {
					cur.Raw = pe.Raw
				}
			}
			return nil
		}
		// Could not look: try again a few times, then leave it for Publish
		// now, which looks first as well.
		cur.Retries++
		cur.NextAt = time.Time{}
		if cur.Retries <= q.opt.MaxRetries {
			d, _ := publish.RetryDelay(asPublishError(err, publish.Platform(cur.Platform)), now, cur.Retries)
			cur.NextAt = now.Add(q.jitter(max(d, 30*time.Second)))
		}
		return nil
	})
	if serr != nil {
		slog.Error("publish queue", "job", j.ID, "err", serr)
		return
	}
	q.emit(nj, stepOf(nj.State), "")
}

// confirm checks that a post the platform held went out at its time.
func (q *Queue) confirm(ctx context.Context, j Job, pub publish.Publisher) {
	res, ok, err := q.find(ctx, j, pub, "confirm", q.firstCreate(ctx, j))
	now := q.now()
	if err == nil && ok && !res.Scheduled {
		q.finish(ctx, j, 0, res)
		return
	}
	var step Step
	nj, serr := q.change(ctx, j.ID, actorSystem, func(ctx context.Context, tx app.PublishTx, cur *Job) error {
		step = StepScheduledRemote
		switch {
		case err != nil:
			pe := asPublishError(err, publish.Platform(cur.Platform))
			cur.Retries++
			d, _ := publish.RetryDelay(pe, now, cur.Retries)
			if pe.Kind == publish.KindAuth || d == 0 {
				d = time.Hour
			}
			cur.NextAt = now.Add(q.jitter(d))
			cur.ErrorKind, cur.ErrorMessage = string(pe.Kind), pe.Message
		case ok && now.Sub(cur.RemoteScheduledAt) < 24*time.Hour:
			// Facebook can run a little late; look again.
			cur.NextAt = now.Add(q.opt.ConfirmDelay)
		case ok:
			cur.State, cur.NextAt, step = app.JobFailed, time.Time{}, StepFailed
			cur.ErrorKind = string(publish.KindTransient)
			cur.ErrorMessage = fmt.Sprintf("%s still holds this post a day after its time. Check the page's scheduled posts on %s.", title(cur), title(cur))
		default:
			cur.State, cur.NextAt, step = app.JobFailed, time.Time{}, StepFailed
			cur.ErrorKind = string(publish.KindNotFound)
			cur.ErrorMessage = fmt.Sprintf("The post %s was holding for its time is no longer there (it may have been deleted on %s). Publish the draft again if it should go out.", title(cur), title(cur))
		}
		return nil
	})
	if serr != nil {
		slog.Error("publish queue", "job", j.ID, "err", serr)
		return
	}
	if err != nil && publish.KindOf(err) == publish.KindAuth && q.opt.OnNeedsReconnect != nil {
		q.opt.OnNeedsReconnect(j.Channel)
	}
	q.emit(nj, step, "")
}
