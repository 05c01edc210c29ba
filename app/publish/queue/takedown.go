package queue

import (
	"context"
	"fmt"
	"strings"
	"time"

	"practicepost/app"
	"practicepost/app/publish"
)

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

// CanDelete reports whether PracticePost can delete posts on p itself (the
// platform descriptor says).
func CanDelete(p publish.Platform) bool { d, _ := p.Info(); return d.Deletes() }

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
	err := q.db.PublishTx(ctx, func(tx app.PublishTx) error {
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
			d, _ := p.Info()
			t.Manual, t.Instructions, t.Error = true, d.DeleteByHand, ""
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
	j, err := q.change(ctx, id, actorUser, func(ctx context.Context, tx app.PublishTx, j *Job) error {
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
	j, err := q.change(ctx, id, actorUser, func(ctx context.Context, tx app.PublishTx, j *Job) error {
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
	nj, serr := q.change(ctx, j.ID, actorUser, func(ctx context.Context, tx app.PublishTx, cur *Job) error {
		cur.Takedown, cur.TakedownError, cur.NextAt = app.TakedownFailed, msg, time.Time{}
		return nil
	})
	if serr != nil {
		return j, serr
	}
	q.emit(nj, StepDeleteFailed, msg)
	return nj, nil
}
