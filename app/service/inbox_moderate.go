package service

import (
	"context"

	"practicepost/app"
	"practicepost/app/publish"
	"practicepost/app/store"
)

// Hide hides (or shows again) someone's comment where the platform allows.
func (s *InboxService) Hide(itemID int64, hidden bool) (ReplyOutcome, error) {
	action := "hide"
	if !hidden {
		action = "unhide"
	}
	return s.moderate(itemID, action, func(ctx context.Context, ib publish.Inboxer, it app.InboxItem) error {
		return ib.Hide(ctx, asComment(it), hidden)
	}, func(ctx context.Context, tx *store.Tx, id int64) error { return tx.SetInboxHidden(ctx, id, hidden) })
}

// Delete removes someone's comment where the platform allows.
func (s *InboxService) Delete(itemID int64) (ReplyOutcome, error) {
	return s.moderate(itemID, "delete", func(ctx context.Context, ib publish.Inboxer, it app.InboxItem) error {
		return ib.DeleteComment(ctx, asComment(it))
	}, func(ctx context.Context, tx *store.Tx, id int64) error { return tx.SetInboxGone(ctx, id) })
}

func (s *InboxService) moderate(itemID int64, action string, call func(context.Context, publish.Inboxer, app.InboxItem) error, record func(context.Context, *store.Tx, int64) error) (ReplyOutcome, error) {
	ctx := context.Background()
	db, err := s.c.open(ctx, s.lock)
	if err != nil {
		return ReplyOutcome{}, err
	}
	it, err := db.InboxItem(ctx, itemID)
	if err != nil {
		return ReplyOutcome{}, err
	}
	title := publish.Platform(it.Platform).Title()
	caps := publish.InboxCapabilities[publish.Platform(it.Platform)]
	if (action == "delete" && (!caps.Delete || !it.CanDelete)) || (action != "delete" && (!caps.Hide || !it.CanHide)) {
		return ReplyOutcome{}, app.Errorf(app.EINVALID, "%s does not let the practice %s this comment. Open it on %[1]s to report it.", title, action)
	}
	ib, err := s.inboxer(ctx, it)
	if err != nil {
		return ReplyOutcome{}, err
	}
	var actionID int64
	err = db.Tx(ctx, func(tx *store.Tx) error {
		var err error
		if actionID, err = tx.StartInboxAction(ctx, it.ID, action, "", newActionKey(), "[]"); err != nil {
			return err
		}
		return tx.Audit(ctx, "manager", "inbox."+action+"_attempt", itemSubject(it.ID), map[string]string{"platform": it.Platform, "channel": it.Channel})
	})
	if err != nil {
		return ReplyOutcome{}, err
	}
	callErr := call(ctx, ib, it)
	state := "done"
	if callErr != nil {
		state = "failed"
	}
	err = db.Tx(ctx, func(tx *store.Tx) error {
		if err := tx.FinishInboxAction(ctx, actionID, state, "", errText(callErr)); err != nil {
			return err
		}
		if callErr == nil {
			if err := record(ctx, tx, it.ID); err != nil {
				return app.Internal(err, "PracticePost could not record the change. Refresh the Inbox.")
			}
		}
		return tx.Audit(ctx, "manager", "inbox."+action, itemSubject(it.ID), map[string]string{"platform": it.Platform, "result": state})
	})
	s.c.Emit.Emit(EventInboxChanged, nil)
	if err != nil {
		return ReplyOutcome{}, err
	}
	if callErr != nil {
		return ReplyOutcome{}, appErr(callErr)
	}
	return ReplyOutcome{Sent: true, Message: map[string]string{"hide": "Hidden on " + title + ".", "unhide": "Shown again on " + title + ".", "delete": "Deleted from " + title + "."}[action]}, nil
}
