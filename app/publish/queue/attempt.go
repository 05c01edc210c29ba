package queue

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"practicepost/app"
	"practicepost/app/gate"
	"practicepost/app/publish"
	"practicepost/app/seal"
)

func (q *Queue) post(j Job) publish.Post {
	p := publish.Post{Text: j.Text, Link: j.Link, Key: j.IdemKey, CreatedAt: j.SentCreatedAt}
	if j.Native {
		p.ScheduledAt = j.ScheduledAt
	}
	return p
}

// jobTopic reads a Google job's topic as tx sees it, so the gate judges the
// details that are then sent; nil for any other platform's job. Details
// that cannot be opened or read are damaged (errTopicDamaged); any other
// error is the data file's.
func jobTopic(ctx context.Context, tx app.PublishTx, j Job) (*publish.Topic, error) {
	if j.Platform != string(publish.Google) {
		return nil, nil
	}
	raw, err := tx.SealedState(ctx, topicKey(j.RequestID))
	if errors.Is(err, seal.ErrOpen) {
		return nil, app.Internal(err, errTopicDamaged)
	}
	if err != nil {
		return nil, err
	}
	return parseTopic(raw)
}

// errTopicDamaged is what a job whose saved topic cannot be read says.
const errTopicDamaged = "The event or offer details saved with this post are damaged. Cancel it and publish the draft again."

func parseTopic(raw string) (*publish.Topic, error) {
	if raw == "" {
		return nil, nil
	}
	var t publish.Topic
	if err := json.Unmarshal([]byte(raw), &t); err != nil {
		return nil, app.Internal(err, errTopicDamaged)
	}
	return &t, nil
}

// topicDetails are the words of a Google topic that go out with the post:
// the gate judges them with its text.
func topicDetails(t *publish.Topic) []gate.Detail {
	if t == nil {
		return nil
	}
	kind := "event's"
	switch t.Type {
	case "OFFER":
		kind = "offer's"
	case "", "STANDARD":
		kind = "update's"
	}
	var out []gate.Detail
	add := func(what, text string, link bool) {
		if strings.TrimSpace(text) != "" {
			out = append(out, gate.Detail{What: what, Text: text, Link: link})
		}
	}
	add(kind+" title", t.Title, false)
	add("offer's voucher code", t.CouponCode, false)
	add("offer's redeem link", t.RedeemURL, true)
	add("offer's terms", t.Terms, false)
	add("button's link", t.ActionURL, true)
	return out
}

// firstCreate is when the job's key was first sent: Mastodon replays it for
// an hour from then, and FindPost need not look further back.
func (q *Queue) firstCreate(ctx context.Context, j Job) time.Time {
	atts, err := q.db.PublishAttempts(ctx, j.ID)
	if err == nil {
		for _, a := range atts {
			if a.Action == "create" {
				return a.StartedAt
			}
		}
	}
	return j.AttemptStartedAt
}

// find looks for the job's post on the platform, recording the look-up.
func (q *Queue) find(ctx context.Context, j Job, pub publish.Publisher, action string, since time.Time) (publish.Result, bool, error) {
	a := app.PublishAttempt{JobID: j.ID, Action: action, IdemKey: j.IdemKey, CreatedAtSent: j.SentCreatedAt}
	dctx := context.WithoutCancel(ctx)
	if err := q.db.PublishTx(dctx, func(tx app.PublishTx) error { return tx.StartPublishAttempt(dctx, &a) }); err != nil {
		return publish.Result{}, false, err
	}
	q.emit(j, StepConfirming, "")
	res, ok, err := pub.FindPost(ctx, q.post(j), since)
	a.Outcome, a.Raw = "absent", res.Raw
	if ok {
		a.Outcome = "found"
	}
	if err != nil {
		a.Outcome = "error"
		fillAttemptErr(&a, err)
	}
	if e := q.db.PublishTx(dctx, func(tx app.PublishTx) error { return tx.EndPublishAttempt(dctx, a) }); e != nil {
		slog.Error("publish queue", "job", j.ID, "err", e)
	}
	return res, ok, err
}

func fillAttemptErr(a *app.PublishAttempt, err error) {
	var pe *publish.Error
	if errors.As(err, &pe) {
		a.ErrorKind, a.Status, a.ErrorCode, a.Raw = string(pe.Kind), pe.Status, pe.Code, pe.Raw
	} else {
		a.ErrorKind = "internal"
	}
}

// attempt sends a queued or waiting job, reconciling first when an
// earlier attempt may have gone through.
func (q *Queue) attempt(ctx context.Context, j Job, pub publish.Publisher) {
	now := q.now()
	q.mu.Lock()
	authErr := q.authFail[j.Channel]
	q.mu.Unlock()
	if authErr != nil {
		// The channel's credentials were refused a moment ago; asking again
		// with each job would only hammer the platform.
		q.failed(ctx, j, 0, authErr, false)
		return
	}
	replay := false
	if j.Reconcile {
		first := q.firstCreate(ctx, j)
		if j.Platform == string(publish.Mastodon) && !first.IsZero() && now.Sub(first) < mastodonReplay {
			// The same Idempotency-Key returns the first status if it exists.
			replay = true
		} else {
			res, ok, err := q.find(ctx, j, pub, "reconcile", first)
			if err != nil {
				q.failed(ctx, j, 0, err, false)
				return
			}
			if ok {
				q.finish(ctx, j, 0, res)
				return
			}
		}
	}

	var a app.PublishAttempt
	var step Step
	var topic *publish.Topic
	nj, err := q.change(ctx, j.ID, actorSystem, func(ctx context.Context, tx app.PublishTx, cur *Job) error {
		if cur.State != j.State || !cur.NextAt.Equal(j.NextAt) {
			return errChanged
		}
		// The claim's own instant: a reconcile look-up above may have
		// taken long, and a hold committed meanwhile starts after the
		// moment the attempt began but before this one. The gate judges
		// at the claim, so such a hold is in force.
		now = q.now()
		revoked, err := tx.PublishJobRevoked(ctx, cur.ID)
		if err != nil {
			return err
		}
		if revoked {
			cur.State, cur.NextAt, step = app.JobBlocked, time.Time{}, StepBlocked
			cur.ErrorKind, cur.ErrorCode, cur.PlatformMessage = "consent_revoked", "", ""
			cur.ErrorMessage = "A patient consent this post relies on was withdrawn, so it will not go out."
			return nil
		}
		if cur.Native && cur.ScheduledAt.Sub(now) <= q.opt.NativeLead+nativeMargin {
			// Too close for Facebook to hold it now (PracticePost was
			// closed until just before): send it at its time from here.
			cur.Native = false
			if cur.ScheduledAt.After(now) {
				cur.NextAt, step = cur.ScheduledAt, StepQueued
				return nil
			}
		}
		// The one gate, against the data as it is at this instant, in the
		// transaction that marks the job attempting: nothing committed
		// after it can slip between the check and the send.
		// A Google event's or offer's details go out beside the text: they
		// are read here and judged with it, and exactly these are sent.
		t, err := jobTopic(ctx, tx, *cur)
		if app.ErrorMessage(err) == errTopicDamaged {
			q.block(cur, errTopicDamaged, now)
			step = StepBlocked
			return nil
		}
		if err != nil {
			return err
		}
		topic = t
		res, err := q.opt.Gate.Job(ctx, tx.View(), *cur, topicDetails(topic), now, gate.JobMoment(*cur, now))
		if err != nil {
			return err
		}
		if err := tx.LinkRequestConsents(ctx, cur.RequestID, consentIDs(res.Relied)); err != nil {
			return err
		}
		if res.Blocked() {
			q.block(cur, gate.Blocking(res), now)
			cur.Reconcile = cur.Reconcile || replay
			step = StepBlocked
			return nil
		}
		q.hook(*cur, StepGated)
		cur.State, cur.NextAt, step = app.JobAttempting, time.Time{}, StepAttempting
		cur.Attempts++
		cur.AttemptStartedAt, cur.SentCreatedAt = now, now
		cur.Reconcile = replay
		clearError(cur)
		a = app.PublishAttempt{JobID: cur.ID, Action: "create", IdemKey: cur.IdemKey, CreatedAtSent: now}
		return tx.StartPublishAttempt(ctx, &a)
	})
	if errors.Is(err, errChanged) {
		return
	}
	if err != nil {
		slog.Error("publish queue: could not record the attempt", "job", j.ID, "err", err)
		return
	}
	if step != StepAttempting {
		q.emit(nj, step, "")
		return
	}
	q.hook(nj, StepAttempting)

	post := q.post(nj)
	post.Topic = topic
	for i, m := range nj.Media {
		q.emit(nj, StepUploading, fmt.Sprintf("Uploading image %d of %d", i+1, len(nj.Media)))
		b, err := q.db.Blob(ctx, m.SHA256)
		if err != nil {
			q.failed(ctx, nj, a.ID, app.Errorf(app.ENOTFOUND, "An image of this post is no longer in PracticePost. Render it again, then publish."), false)
			return
		}
		ref, err := pub.UploadImage(ctx, publish.Image{Data: b.Data, MIME: b.MIME, Alt: m.Alt, Width: b.Width, Height: b.Height})
		if _, hosts := pub.(publish.HostRemover); hosts && ref.ID != "" {
			q.recordHosted(ctx, nj, a.ID, ref.ID)
			if err != nil {
				q.removeHosted(ctx, nj.ID, pub)
			}
		}
		if err != nil {
			// A stray upload posts nothing, so upload errors are never uncertain.
			q.failed(ctx, nj, a.ID, err, false)
			return
		}
		post.Media = append(post.Media, ref)
	}
	q.hook(nj, StepUploaded)

	q.emit(nj, StepCreating, "")
	res, err := pub.CreatePost(ctx, post)
	// The connector removed its images already; this confirms it (an image
	// already gone is no error), and what fails stays recorded for later.
	_, hosts := pub.(publish.HostRemover)
	if err == nil && res.ID == "" {
		err = &publish.Error{Platform: publish.Platform(nj.Platform), Kind: publish.KindTransient, Uncertain: true, Raw: res.Raw,
			Message: fmt.Sprintf("%s answered without saying which post it made. PracticePost checks before trying again, so it will not appear twice.", title(&nj))}
	}
	if err != nil {
		if hosts {
			q.removeHosted(ctx, nj.ID, pub)
		}
		q.failed(ctx, nj, a.ID, err, true)
		return
	}
	q.hook(nj, StepCreated)
	if hosts {
		q.removeHosted(ctx, nj.ID, pub)
	}
	q.emit(nj, StepConfirming, "")
	q.finish(ctx, nj, a.ID, res)
}

func (q *Queue) hook(j Job, s Step) {
	if q.opt.Hook != nil {
		q.opt.Hook(j, s)
	}
}

// finish records a post the platform confirmed, by its id.
func (q *Queue) finish(ctx context.Context, j Job, attemptID int64, res publish.Result) {
	now := q.now()
	var step Step
	nj, err := q.change(ctx, j.ID, actorSystem, func(ctx context.Context, tx app.PublishTx, cur *Job) error {
		if res.ID == "" {
			return errors.New("platform result without an id")
		}
		cur.RemoteID, cur.Raw = res.ID, res.Raw
		if res.URL != "" {
			cur.RemoteURL = res.URL
		}
		cur.Reconcile, cur.Retries, cur.Waits = false, 0, 0
		clearError(cur)
		if res.Scheduled {
			cur.State, step = app.JobScheduledRemote, StepScheduledRemote
			cur.RemoteScheduledAt = res.ScheduledAt
			if cur.RemoteScheduledAt.IsZero() {
				cur.RemoteScheduledAt = cur.ScheduledAt
			}
			cur.NextAt = q.nextHeldLook(now, cur.RemoteScheduledAt)
			// The platform will publish it by itself. A withdrawal or hold
			// recorded while it was being handed over found the job in
			// flight and could not stop it, so the gate judges it again
			// here, in the transaction that records the hand-over: what it
			// refuses now is deleted from the platform before its time.
			why, err := q.refusedOnHandOver(ctx, tx, *cur, now)
			if err != nil {
				return err
			}
			if why != "" {
				cur.State, cur.Takedown, cur.NextAt, step = app.JobBlocked, app.TakedownPending, now, StepBlocked
				cur.ErrorKind, cur.ErrorMessage = "gate_blocked", why
			}
		} else {
			// A post found while blocked or cancelled is live all the same:
			// it shows as published and joins the takedown list.
			cur.State, step = app.JobPublished, StepPublished
			cur.PublishedAt, cur.NextAt = now, time.Time{}
		}
		if attemptID != 0 {
			return tx.EndPublishAttempt(ctx, app.PublishAttempt{ID: attemptID, Outcome: "ok", Raw: res.Raw})
		}
		return nil
	})
	if err != nil {
		// The post exists; the job stays attempting and is reconciled on
		// the next start rather than sent again.
		slog.Error("publish queue: could not record a published post", "job", j.ID, "err", err)
		return
	}
	q.emit(nj, step, "")
}

// failed records an error and decides what happens next: wait for a rate
// limit, back off and retry, or stop for the user. createCall marks errors
// from the create request itself, whose uncertainty means the post may exist.
func (q *Queue) failed(ctx context.Context, j Job, attemptID int64, err error, createCall bool) {
	now := q.now()
	pe := asPublishError(err, publish.Platform(j.Platform))
	// Without an attempt record and outside the create call, the error came
	// from looking up whether an earlier attempt went out (or from the
	// channel's remembered auth failure).
	lookup := attemptID == 0 && !createCall
	var step Step
	nj, serr := q.change(ctx, j.ID, actorSystem, func(ctx context.Context, tx app.PublishTx, cur *Job) error {
		if attemptID != 0 {
			a := app.PublishAttempt{ID: attemptID, Outcome: "error"}
			fillAttemptErr(&a, pe)
			if err := tx.EndPublishAttempt(ctx, a); err != nil {
				return err
			}
		}
		if createCall && pe.Uncertain {
			cur.Reconcile = true
		}
		if lookup && pe.Kind == publish.KindRejected {
			// The platform holds the post but refused it (Google's review
			// after PROCESSING): it is not live and will not become live,
			// so there is nothing left to look for.
			cur.Reconcile = false
		}
		if cur.State != app.JobAttempting && cur.State != app.JobQueued && cur.State != app.JobWaiting {
			// The user cancelled (or a consent was withdrawn) meanwhile.
			step = stepOf(cur.State)
			if cur.Reconcile && cur.NextAt.IsZero() {
				cur.NextAt = now.Add(q.jitter(30 * time.Second))
			}
			return nil
		}
		cur.ErrorKind, cur.ErrorCode, cur.ErrorMessage, cur.PlatformMessage = string(pe.Kind), pe.Code, pe.Message, pe.PlatformMessage
		if pe.Raw != nil {
			cur.Raw = pe.Raw
		}
		stop := func() {
			cur.State, cur.NextAt, step = app.JobFailed, time.Time{}, StepFailed
			if cur.Reconcile {
				// Look once more whether it went out after all.
				cur.NextAt = now.Add(q.jitter(30 * time.Second))
			}
		}
		switch pe.Kind {
		case publish.KindRateLimited:
			cur.Waits++
			d, _ := publish.RetryDelay(pe, now, cur.Waits)
			if cur.Waits > q.opt.MaxWaits {
				cur.ErrorMessage = fmt.Sprintf("%s kept limiting PracticePost for a long time, so it stopped trying. Choose Publish now to try again.", title(cur))
				stop()
				break
			}
			// A second or two past the reset, so the limit has really lifted.
			cur.State, cur.NextAt, step = app.JobWaiting, now.Add(d+time.Second+q.jitterAdd(2*time.Second)), StepWaiting
		case publish.KindTransient:
			cur.Retries++
			d, _ := publish.RetryDelay(pe, now, cur.Retries)
			if cur.Retries > q.opt.MaxRetries {
				cur.ErrorMessage = fmt.Sprintf("%s did not work after %d tries. Nothing was posted twice. Check the internet connection, then choose Publish now.", title(cur), cur.Retries)
				if lookup && cur.Reconcile {
					// An earlier attempt may yet show up (a Google post still
					// PROCESSING): say so rather than blame the connection.
					cur.ErrorMessage = fmt.Sprintf("PracticePost could not confirm whether this post is on %s after %d tries, so it stopped checking. If it should go out, choose Publish now: PracticePost looks first, so it will not appear twice.", title(cur), cur.Retries)
				}
				stop()
				break
			}
			cur.State, cur.NextAt, step = app.JobWaiting, now.Add(q.jitter(d)), StepWaiting
		default:
			stop()
		}
		return nil
	})
	if serr != nil {
		slog.Error("publish queue: could not record a failure", "job", j.ID, "err", serr)
		return
	}
	slog.Info("publish attempt failed", "job", j.ID, "error", pe)
	if pe.Kind == publish.KindAuth {
		q.mu.Lock()
		known := q.authFail[j.Channel] == pe
		q.authFail[j.Channel] = pe
		q.mu.Unlock()
		if !known && q.opt.OnNeedsReconnect != nil {
			q.opt.OnNeedsReconnect(j.Channel)
		}
	}
	q.emit(nj, step, "")
}

// asPublishError gives every error a kind: platform errors keep theirs,
// coded app errors (a missing image) stop the job, anything else is
// treated as transient.
func asPublishError(err error, p publish.Platform) *publish.Error {
	var pe *publish.Error
	if errors.As(err, &pe) {
		return pe
	}
	var ae *app.Error
	if errors.As(err, &ae) && ae.Code != app.EINTERNAL && ae.Code != app.EUNAVAILABLE {
		return &publish.Error{Platform: p, Kind: publish.KindRejected, Code: ae.Code, Message: ae.Message, Err: err}
	}
	return &publish.Error{Platform: p, Kind: publish.KindTransient, Err: err, Message: userMessage(err, p)}
}

func (q *Queue) jitter(d time.Duration) time.Duration {
	// ±20 % so channels and restarts do not retry in lockstep.
	return time.Duration(float64(d) * (0.8 + 0.4*q.opt.Rand()))
}

func (q *Queue) jitterAdd(d time.Duration) time.Duration {
	return time.Duration(float64(d) * q.opt.Rand())
}

func stepOf(s app.PublishState) Step {
	switch s {
	case app.JobMissed:
		return StepMissed
	case app.JobFailed:
		return StepFailed
	case app.JobBlocked:
		return StepBlocked
	case app.JobCancelled:
		return StepCancelled
	case app.JobPublished:
		return StepPublished
	case app.JobWaiting:
		return StepWaiting
	case app.JobScheduledRemote:
		return StepScheduledRemote
	}
	return StepQueued
}

// deleteRemote takes a job's post down and records the result.
func (q *Queue) deleteRemote(ctx context.Context, j Job, pub publish.Publisher) Job {
	a := app.PublishAttempt{JobID: j.ID, Action: "delete"}
	dctx := context.WithoutCancel(ctx)
	if err := q.db.PublishTx(dctx, func(tx app.PublishTx) error { return tx.StartPublishAttempt(dctx, &a) }); err != nil {
		slog.Error("publish queue", "job", j.ID, "err", err)
		return j
	}
	err := pub.DeletePost(ctx, j.RemoteID)
	now := q.now()
	step := StepDeleted
	nj, serr := q.change(ctx, j.ID, actorSystem, func(ctx context.Context, tx app.PublishTx, cur *Job) error {
		a.Outcome = "ok"
		cur.TakedownAt = now
		if err == nil {
			cur.Takedown, cur.TakedownError, cur.NextAt = app.TakedownDeleted, "", time.Time{}
			return tx.EndPublishAttempt(ctx, a)
		}
		a.Outcome = "error"
		fillAttemptErr(&a, err)
		pe := asPublishError(err, publish.Platform(cur.Platform))
		cur.TakedownError = pe.Message
		cur.Retries++
		if d, ok := publish.RetryDelay(pe, now, cur.Retries); ok && cur.Retries <= q.opt.MaxRetries {
			cur.NextAt, step = now.Add(q.jitter(d)), StepWaiting
		} else {
			cur.Takedown, cur.NextAt, step = app.TakedownFailed, time.Time{}, StepDeleteFailed
		}
		return tx.EndPublishAttempt(ctx, a)
	})
	if serr != nil {
		slog.Error("publish queue", "job", j.ID, "err", serr)
		return j
	}
	q.emit(nj, step, nj.TakedownError)
	return nj
}
