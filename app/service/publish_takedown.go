package service

import (
	"context"
	"strconv"

	"practicepost/app"
	"practicepost/app/publish/queue"
	"practicepost/app/store"
)

// Takedowns lists the live posts that relied on a withdrawn consent.
func (s *PublishService) Takedowns(consentID int64) ([]queue.Takedown, error) {
	ctx := context.Background()
	_, q, err := s.open(ctx)
	if err != nil {
		return nil, err
	}
	return q.Takedowns(ctx, strconv.FormatInt(consentID, 10))
}

// Takedown deletes a post on its platform and records the result; a post
// already gone counts as deleted.
func (s *PublishService) Takedown(jobID int64) (JobView, error) {
	ctx := context.Background()
	db, q, err := s.open(ctx)
	if err != nil {
		return JobView{}, err
	}
	j, err := q.Takedown(ctx, jobID)
	if err == nil && j.Takedown == store.TakedownFailed {
		return JobView{}, app.Errorf(app.EUNAVAILABLE, "The post could not be deleted: %s", j.TakedownError)
	}
	if err == nil {
		s.c.Emit.Emit(EventConsentChanged, nil)
	}
	return s.one(ctx, db, j, err)
}

// MarkRemoved records that the practice manager deleted a post on its
// platform by hand, for a post PracticePost cannot delete itself (Instagram,
// or one whose delete failed). note is optional and never logged.
func (s *PublishService) MarkRemoved(jobID int64, note string) (JobView, error) {
	ctx := context.Background()
	db, q, err := s.open(ctx)
	if err != nil {
		return JobView{}, err
	}
	j, err := q.MarkRemoved(ctx, jobID, note)
	if err == nil {
		s.c.Emit.Emit(EventConsentChanged, nil)
	}
	return s.one(ctx, db, j, err)
}

// ConsentRevoked blocks every post waiting on a withdrawn consent and has
// Facebook drop any post it holds; the consent service calls it.
func (s *PublishService) ConsentRevoked(ctx context.Context, consentID int64) error {
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

// ConsentsHeld stops every post waiting on consents put on hold (an emailed
// withdrawal not yet confirmed) and has Facebook drop any post it holds;
// the mail service calls it as soon as it has recorded the hold. Unlike a
// withdrawal, a hold can be released: the posts stay blocked until the
// manager checks them again (the gate passes them once the hold is gone).
func (s *PublishService) ConsentsHeld(ctx context.Context, consentIDs []int64) {
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
