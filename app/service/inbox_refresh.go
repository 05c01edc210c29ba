package service

import (
	"context"
	"errors"
	"fmt"
	"time"

	"practicepost/app"
	"practicepost/app/inbox"
	"practicepost/app/publish"
	"practicepost/app/store"
)

// ChannelResult is one channel's part of a refresh.
type ChannelResult struct {
	Channel string `json:"channel"`
	Name    string `json:"name"`
	Title   string `json:"title"`
	Added   int    `json:"added"`
	Changed int    `json:"changed"`
	Error   string `json:"error"` // what went wrong and what to do; "" when fine
}

// RefreshResult is what one collection did.
type RefreshResult struct {
	Channels []ChannelResult `json:"channels"`
	Removed  int             `json:"removed"` // old comments removed by the retention setting
}

// EventInboxProgress reports each channel as it is collected.
const EventInboxProgress = "inbox:progress"

// Refresh collects comments from every connected channel that offers
// them: Google reviews of the location, and comments on the posts
// published in the last Recent. One channel's failure (expired sign-in,
// rate limit) is reported and the others carry on. Old comments are then
// removed as the retention setting says.
func (s *InboxService) Refresh() (RefreshResult, error) {
	return withDB(s.c, func(ctx context.Context, db *store.DB) (RefreshResult, error) {
		if !s.collecting.TryLock() {
			return RefreshResult{}, app.Errorf(app.ECONFLICT, "PracticePost is already collecting comments. Wait a moment: the Inbox updates by itself when it is done.")
		}
		defer s.collecting.Unlock()
		chans, err := db.Channels(ctx)
		if err != nil {
			return RefreshResult{}, err
		}
		out := RefreshResult{Channels: []ChannelResult{}}
		now := s.c.Clock.Now()
		for i, ch := range chans {
			p := publish.Platform(ch.Platform)
			r := ChannelResult{Channel: ch.ID, Name: ch.Name, Title: p.Title()}
			s.c.Emit.Emit(EventInboxProgress, map[string]any{"done": i, "total": len(chans), "channel": ch.Name})
			if err := s.collect(ctx, db, ch, now, &r); err != nil {
				r.Error = app.ErrorMessage(err)
			}
			out.Channels = append(out.Channels, r)
		}
		days, err := db.InboxRetentionDays(ctx)
		if err != nil {
			return out, err
		}
		err = db.Tx(ctx, func(tx *store.Tx) error {
			var err error
			out.Removed, err = tx.PurgeInbox(ctx, now.Add(-time.Duration(days)*24*time.Hour))
			return err
		})
		s.c.Emit.Emit(EventInboxChanged, nil)
		return out, err
	})
}

func (s *InboxService) collect(ctx context.Context, db *store.DB, ch app.Channel, now time.Time, r *ChannelResult) (err error) {
	title := publish.Platform(ch.Platform).Title()
	// When a platform rate-limited the collection, it is left alone until
	// its reset time, kept in the data file so a restart respects it too.
	until, err := db.InboxWait(ctx, ch.ID)
	if err != nil {
		return err
	}
	if now.Before(until) {
		return app.Errorf(app.EUNAVAILABLE, "%s asked PracticePost to wait before reading comments again; it will in about %s, by itself.", title, minutes(until.Sub(now)))
	}
	defer func() {
		var pe *publish.Error
		if errors.As(err, &pe) && pe.Kind == publish.KindRateLimited {
			reset := pe.ResetAt
			if !reset.After(now) {
				reset = now.Add(15 * time.Minute)
			}
			if werr := db.Tx(ctx, func(tx *store.Tx) error { return tx.SetInboxWait(ctx, ch.ID, reset) }); werr != nil {
				err = werr
				return
			}
			err = app.Errorf(app.EUNAVAILABLE, "%s asked PracticePost to slow down. Nothing is lost: comments from it are read again in about %s, by itself.", title, minutes(reset.Sub(now)))
		} else if err != nil {
			err = appErr(err)
		}
	}()
	pub, err := s.channels.Publisher(ctx, ch.ID)
	if err != nil {
		return err
	}
	ib, ok := pub.(publish.Inboxer)
	if !ok {
		return nil // this platform's comments are not collected yet
	}
	type listing struct{ postID, postURL string }
	var ls []listing
	if ch.Platform == string(publish.Google) {
		ls = []listing{{postID: ch.AccountID}}
	} else {
		jobs, err := db.PublishJobs(ctx, app.PublishJobFilter{Channel: ch.ID, States: []app.PublishState{app.JobPublished}})
		if err != nil {
			return err
		}
		for _, j := range jobs {
			if j.RemoteID != "" && now.Sub(j.PublishedAt) <= s.Recent {
				ls = append(ls, listing{j.RemoteID, j.RemoteURL})
			}
		}
	}
	for _, l := range ls {
		cs, err := ib.Comments(ctx, l.postID)
		if publish.KindOf(err) == publish.KindNotFound {
			continue // the post itself was deleted on the platform
		}
		if err != nil {
			return err
		}
		items := inboxItems(ch.Platform, ch.ID, l.postURL, cs, now)
		err = db.Tx(ctx, func(tx *store.Tx) error {
			st, err := tx.SaveInboxListing(ctx, ch.ID, ch.Platform, l.postID, items, listingReach(ch.Platform, now))
			r.Added += st.Added
			r.Changed += st.Changed
			return err
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// minutes says a wait in words: "1 minute", "20 minutes", "2 hours".
func minutes(d time.Duration) string {
	m := int(d.Round(time.Minute) / time.Minute)
	switch {
	case m <= 1:
		return "1 minute"
	case m < 120:
		return fmt.Sprintf("%d minutes", m)
	}
	return fmt.Sprintf("%d hours", (m+30)/60)
}

// inboxItems is what a platform answered for one post's comments or reviews
// as inbox items of channel, each pointing at the post, seen at now.
func inboxItems(platform, channel, postURL string, cs []publish.Comment, now time.Time) []app.InboxItem {
	items := make([]app.InboxItem, 0, len(cs))
	for _, c := range cs {
		it := inbox.FromComment(publish.Platform(platform), c, now)
		it.Channel, it.PostURL = channel, postURL
		items = append(items, it)
	}
	return items
}

// listingReach is the oldest moment a platform's comment listing reaches
// at now: older items missing from it are out of reach, not gone. Zero
// when the listing has every comment.
func listingReach(platform string, now time.Time) time.Time {
	if d, ok := app.Platform(platform).Info(); ok && d.CommentsReach > 0 {
		return now.Add(-d.CommentsReach)
	}
	return time.Time{}
}
