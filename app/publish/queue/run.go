package queue

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"practicepost/app"
	"practicepost/app/publish"
)

// Run recovers, then sends due jobs until ctx ends, waking every Interval
// and on Kick. A gap longer than Grace between wake-ups (the computer slept)
// is treated like a restart: what fell due meanwhile becomes missed.
func (q *Queue) Run(ctx context.Context) error {
	if _, err := q.Recover(ctx); err != nil {
		return err
	}
	q.mu.Lock()
	q.running = true
	q.mu.Unlock()
	// Images left on a host by a previous run, whatever became of their
	// jobs since; the worker also looks again as it picks a job up.
	started := q.now()
	q.wg.Add(1)
	go func() {
		defer q.wg.Done()
		q.removeHosted(ctx, 0, nil, started)
	}()
	defer func() {
		q.mu.Lock()
		q.running = false
		q.mu.Unlock()
	}()
	t := time.NewTicker(q.opt.Interval)
	defer t.Stop()
	for {
		q.mu.Lock()
		gap := q.now().Sub(q.lastSweep)
		q.mu.Unlock()
		if gap > q.opt.Grace+q.opt.Interval {
			q.sweepNow(ctx)
		}
		q.mu.Lock()
		q.lastSweep = q.now()
		q.mu.Unlock()
		if err := q.dispatch(ctx); err != nil {
			slog.Error("publish queue", "err", err)
		}
		select {
		case <-ctx.Done():
			q.wg.Wait()
			return nil
		case <-t.C:
		case <-q.kick:
		}
	}
}

func (q *Queue) sweepNow(ctx context.Context) {
	var missed []Job
	ctx = context.WithoutCancel(ctx)
	err := q.db.PublishTx(ctx, func(tx app.PublishTx) error {
		var err error
		missed, err = q.sweep(ctx, tx, q.now())
		return err
	})
	if err != nil {
		slog.Error("publish queue sweep", "err", err)
		return
	}
	for _, j := range missed {
		q.emit(j, StepMissed, "")
	}
}

// RunDue sends every job due now, channels in parallel, and returns when
// all of them have settled (sent, waiting, failed).
func (q *Queue) RunDue(ctx context.Context) error {
	err := q.dispatch(ctx)
	q.wg.Wait()
	return err
}

// Wait blocks until no worker is running.
func (q *Queue) Wait() { q.wg.Wait() }

func (q *Queue) dispatch(ctx context.Context) error {
	due, err := q.db.PublishJobs(ctx, Filter{DueBy: q.now()})
	if err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, j := range due {
		if seen[j.Channel] {
			continue
		}
		seen[j.Channel] = true
		q.startWorker(ctx, j.Channel)
	}
	return nil
}

func (q *Queue) startWorker(ctx context.Context, channel string) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.active[channel] {
		q.again[channel] = true
		return
	}
	q.active[channel] = true
	q.wg.Add(1)
	go q.work(ctx, channel)
}

// work sends one channel's due jobs one after another.
func (q *Queue) work(ctx context.Context, channel string) {
	defer q.wg.Done()
	done := map[int64]bool{}
	for {
		jobs, err := q.db.PublishJobs(ctx, Filter{Channel: channel, DueBy: q.now()})
		if err != nil {
			slog.Error("publish queue", "channel", channel, "err", err)
		}
		progressed := false
		for _, j := range jobs {
			if done[j.ID] || ctx.Err() != nil {
				continue
			}
			// A job settles once per run, so a broken one cannot spin.
			done[j.ID], progressed = true, true
			q.process(ctx, j)
		}
		q.mu.Lock()
		if (q.again[channel] || progressed) && ctx.Err() == nil {
			q.again[channel] = false
			q.mu.Unlock()
			continue
		}
		q.active[channel] = false
		q.mu.Unlock()
		return
	}
}

// process does whatever is due for one job.
func (q *Queue) process(ctx context.Context, j Job) {
	pub, err := q.res.Publisher(ctx, j.Channel)
	if err != nil {
		q.resolveFailed(ctx, j, err)
		return
	}
	if _, hosts := pub.(publish.HostRemover); hosts {
		// An earlier attempt may have stopped between upload and removal
		// (crash, power cut): take its image down before anything else.
		q.removeHosted(ctx, j.ID, pub)
	}
	switch {
	case j.Takedown == app.TakedownPending:
		q.deleteRemote(ctx, j, pub)
	case j.State == app.JobScheduledRemote && q.now().Before(j.RemoteScheduledAt):
		q.rejudgeHeld(ctx, j)
	case j.State == app.JobScheduledRemote:
		q.confirm(ctx, j, pub)
	case j.State == app.JobQueued || j.State == app.JobWaiting:
		q.attempt(ctx, j, pub)
	case j.Reconcile:
		// Missed, failed, blocked or cancelled, but an earlier attempt may
		// have gone through: look, never send.
		q.reconcileOnly(ctx, j, pub)
	default:
		q.change(ctx, j.ID, actorSystem, func(ctx context.Context, tx app.PublishTx, cur *Job) error {
			cur.NextAt = time.Time{}
			return nil
		})
	}
}

// resolveFailed handles a channel that cannot give a Publisher.
func (q *Queue) resolveFailed(ctx context.Context, j Job, err error) {
	var pe *publish.Error
	var ae *app.Error
	if !errors.As(err, &pe) {
		kind := publish.KindTransient
		if errors.As(err, &ae) && (ae.Code == app.EFORBIDDEN || ae.Code == app.ENOTFOUND) {
			kind = publish.KindAuth
		}
		pe = &publish.Error{Platform: publish.Platform(j.Platform), Kind: kind, Err: err, Message: userMessage(err, publish.Platform(j.Platform))}
		if ae == nil && kind == publish.KindTransient {
			pe.Message = publish.DefaultMessage(pe.Platform, kind, "", q.now(), time.Time{})
		}
	}
	switch {
	case j.Takedown == app.TakedownPending:
		q.takedownFailed(ctx, j, pe)
	case j.State == app.JobQueued || j.State == app.JobWaiting:
		q.failed(ctx, j, 0, pe, false)
	default:
		// Looking up or confirming a post can wait for the connection.
		nj, err := q.change(ctx, j.ID, actorSystem, func(ctx context.Context, tx app.PublishTx, cur *Job) error {
			cur.NextAt = q.now().Add(q.jitter(15 * time.Minute))
			return nil
		})
		if err == nil {
			q.emit(nj, stepOf(nj.State), pe.Message)
		}
		if pe.Kind == publish.KindAuth && q.opt.OnNeedsReconnect != nil {
			q.opt.OnNeedsReconnect(j.Channel)
		}
	}
}
