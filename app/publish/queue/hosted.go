package queue

import (
	"context"
	"log/slog"
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
	left := 0
	for _, h := range list {
		if len(before) > 0 && !h.PlacedAt.Before(before[0]) {
			continue
		}
		p := pub
		if p == nil {
			if p, err = q.res.Publisher(ctx, h.Channel); err != nil {
				left++
				continue
			}
		}
		rm, ok := p.(publish.HostRemover)
		if !ok {
			left++
			continue
		}
		err := rm.RemoveHosted(ctx, h.Key)
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
