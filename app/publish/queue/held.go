package queue

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"practicepost/app"
	"practicepost/app/gate"
)

// heldRecheck is how often a post Facebook holds for later is judged again
// until its time: a patient added since, whose name the post carries, or a
// testimonial edited since, is caught before Facebook publishes it.
// heldFinalLook is how long before its time the last look is taken, so a
// refusal leaves Facebook time to delete it.
const (
	heldRecheck   = time.Hour
	heldFinalLook = 15 * time.Minute
)

// nextHeldLook is when a held post is next looked at: judged again within
// the hour, a last time shortly before its time, then confirmed after it.
func (q *Queue) nextHeldLook(now, at time.Time) time.Time {
	last := at.Add(-heldFinalLook)
	if !now.Before(last) {
		return at.Add(q.opt.ConfirmDelay)
	}
	if next := now.Add(heldRecheck); next.Before(last) {
		return next
	}
	return last
}

// rejudgeHeld judges a post Facebook holds for later again, before its
// time, in the transaction that records the look: what the gate refuses
// now is deleted from Facebook before it goes out.
func (q *Queue) rejudgeHeld(ctx context.Context, j Job) {
	now := q.now()
	step := StepScheduledRemote
	nj, err := q.change(ctx, j.ID, actorSystem, func(ctx context.Context, tx app.PublishTx, cur *Job) error {
		if cur.State != app.JobScheduledRemote || cur.Takedown != "" {
			return errChanged
		}
		why, err := q.refusedOnHandOver(ctx, tx, *cur, now)
		if err != nil {
			return err
		}
		if why == "" {
			cur.NextAt = q.nextHeldLook(now, cur.RemoteScheduledAt)
			return nil
		}
		cur.State, cur.Takedown, cur.NextAt, step = app.JobBlocked, app.TakedownPending, now, StepBlocked
		cur.ErrorKind, cur.ErrorMessage = "gate_blocked", why
		return nil
	})
	if errors.Is(err, errChanged) {
		return
	}
	if err != nil {
		slog.Error("publish queue: could not judge a held post again", "job", j.ID, "err", err)
		return
	}
	q.emit(nj, step, "")
	if step == StepBlocked {
		q.Kick()
	}
}

// refusedOnHandOver judges a post the platform now holds for later, as it
// would be judged at the claim, and says why it may not go out ("" when it
// may). A revoked consent is refused whatever the gate says of the rest.
func (q *Queue) refusedOnHandOver(ctx context.Context, tx app.PublishTx, j Job, now time.Time) (string, error) {
	revoked, err := tx.PublishJobRevoked(ctx, j.ID)
	if err != nil {
		return "", err
	}
	if revoked {
		return "A patient consent this post relies on was withdrawn, so it is being deleted from Facebook before its time.", nil
	}
	t, err := jobTopic(ctx, tx, j)
	if app.ErrorMessage(err) == errTopicDamaged {
		return errTopicDamaged, nil
	}
	if err != nil {
		return "", err
	}
	res, err := q.opt.Gate.Job(ctx, tx.View(), j, topicDetails(t), now, gate.JobMoment(j, now))
	if err != nil || !res.Blocked() {
		return "", err
	}
	return gate.Blocking(res), nil
}
