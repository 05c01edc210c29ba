package store

import (
	"context"
	"time"

	"practicepost/app"
)

// A platform that rate-limits the comment collection is left alone until
// its reset time. The time is kept in the data file, so a restart (or a
// second collection right after one) does not call it again early and be
// refused again, which some platforms count against the practice's app.
func inboxWaitKey(channel string) string { return "inbox.wait:" + channel }

// InboxWait is when comments may be read from channel again; zero: now.
func (d *DB) InboxWait(ctx context.Context, channel string) (time.Time, error) {
	v, err := d.State(ctx, inboxWaitKey(channel))
	if err != nil || v == "" {
		return time.Time{}, err
	}
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		return time.Time{}, nil // a damaged value only means no wait
	}
	return t, nil
}

// SetInboxWait records when comments may be read from channel again.
func (tx *Tx) SetInboxWait(ctx context.Context, channel string, until time.Time) error {
	if err := tx.SetState(ctx, inboxWaitKey(channel), until.UTC().Format(time.RFC3339Nano)); err != nil {
		return app.Internal(err, "PracticePost could not save when to read comments again.")
	}
	return nil
}
