package queue

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"time"

	"practicepost/app"
	"practicepost/app/publish"
)

// Images a connector put on a host for its platform to download
// (publish.HostRemover: Instagram's unpublished Facebook Page photo or the
// bucket object) are recorded with the attempt the moment UploadImage hands
// back their key, and removed once the post is settled. What a crash
// leaves recorded is removed when the job is next picked up and, for every
// job, when the queue starts: a patient photo must not stay on someone
// else's server because PracticePost stopped. The key alone is stored (a
// photo id, a random object name): no patient data.

// recordHosted notes key, placed for job j during attempt attemptID.
func (q *Queue) recordHosted(ctx context.Context, j Job, attemptID int64, key string) {
	ctx = context.WithoutCancel(ctx)
	err := q.db.PublishTx(ctx, func(tx app.PublishTx) error { return tx.AddHostedMedia(ctx, j.ID, attemptID, key) })
	if err != nil {
		// The connector still removes it when the post is settled; only a
		// crash in between would leave it behind.
		slog.Error("publish queue: could not record a hosted image", "job", j.ID, "err", err)
	}
}

// removeHosted removes what is recorded as hosted for job (0: every job)
// and reports how many are left. pub is the job's publisher; nil resolves
// each record's channel. A non-zero before limits it to images placed
// earlier: the start-up pass runs beside the workers and must not take an
// image away from an attempt that is using it.
func (q *Queue) removeHosted(ctx context.Context, jobID int64, pub publish.Publisher, before ...time.Time) int {
	ctx = context.WithoutCancel(ctx)
	list, err := q.db.HostedMedia(ctx, jobID)
	if err != nil {
		slog.Error("publish queue: could not read hosted images", "err", err)
		return 0
	}
	if len(before) > 0 {
		list = slices.DeleteFunc(list, func(h app.HostedMedia) bool { return !h.PlacedAt.Before(before[0]) })
	}
	return q.removeEach(ctx, list, pub)
}

// Leftovers lists the hosted images whose removal has failed at least
// once: the ones the manager is told about. An image whose attempt is
// still using it has never been tried, so it is not among them.
func (q *Queue) Leftovers(ctx context.Context) ([]app.HostedMedia, error) {
	list, err := q.db.HostedMedia(ctx, 0)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(list, func(h app.HostedMedia) bool { return h.Tries == 0 }), nil
}

// RemoveLeftovers tries the Leftovers again now, when the manager asks
// (say after reconnecting the bucket), and lists what is still left.
func (q *Queue) RemoveLeftovers(ctx context.Context) ([]app.HostedMedia, error) {
	list, err := q.Leftovers(ctx)
	if err != nil {
		return nil, err
	}
	q.removeEach(ctx, list, nil)
	return q.Leftovers(ctx)
}

// removeEach asks each image's host to remove it, records the outcome and
// reports how many are left. An image whose channel can no longer be
// reached (disconnected, or its connector cannot remove) counts as a failed
// try too, so the manager hears of it rather than it waiting unseen.
func (q *Queue) removeEach(ctx context.Context, list []app.HostedMedia, pub publish.Publisher) int {
	ctx = context.WithoutCancel(ctx)
	left := 0
	for _, h := range list {
		err := q.removeOne(ctx, h, pub)
		if err != nil {
			left++
			slog.Warn("publish queue: could not remove a hosted image; tries again later", "job", h.JobID, "kind", publish.KindOf(err), "tries", h.Tries+1)
		}
		if e := q.db.PublishTx(ctx, func(tx app.PublishTx) error { return tx.HostedRemoved(ctx, h.ID, err == nil) }); e != nil {
			slog.Error("publish queue", "job", h.JobID, "err", e)
		}
	}
	return left
}

func (q *Queue) removeOne(ctx context.Context, h app.HostedMedia, pub publish.Publisher) error {
	if pub == nil {
		var err error
		if pub, err = q.res.Publisher(ctx, h.Channel); err != nil {
			return err
		}
	}
	rm, ok := pub.(publish.HostRemover)
	if !ok {
		return errors.New("the channel's connector cannot remove hosted images")
	}
	return rm.RemoveHosted(ctx, h.Key)
}
