package service

import (
	"context"
	"time"

	"practicepost/app"
	"practicepost/app/publish"
	"practicepost/app/publish/instagram"
	"practicepost/app/publish/queue"
	"practicepost/app/store"
)

// LeftoverView is one channel's images still on a host after their posts
// were settled, because the host would not delete them: an Instagram
// photo left unpublished on the Facebook Page, or an object in the
// practice's bucket. They are patient images on someone else's server, so
// Home says so; the queue keeps trying at every start.
type LeftoverView struct {
	Channel string    `json:"channel"`
	Title   string    `json:"title"`  // "Instagram (smiledental)"
	Count   int       `json:"count"`  // images left
	Since   time.Time `json:"since"`  // when the oldest was placed
	Where   string    `json:"where"`  // "page" or "bucket"
	Advice  string    `json:"advice"` // what the manager can do, naming the screen
}

// Leftovers lists, per channel and host, the images PracticePost could not
// remove yet.
func (s *PublishService) Leftovers() ([]LeftoverView, error) {
	return s.leftovers((*queue.Queue).Leftovers)
}

// RemoveLeftovers tries removing them again now, for the manager who has
// just reconnected the Page or the bucket, and lists what is still left.
func (s *PublishService) RemoveLeftovers() ([]LeftoverView, error) {
	return s.leftovers((*queue.Queue).RemoveLeftovers)
}

func (s *PublishService) leftovers(list func(*queue.Queue, context.Context) ([]app.HostedMedia, error)) ([]LeftoverView, error) {
	return withQueue(s, func(ctx context.Context, db *store.DB, q *queue.Queue) ([]LeftoverView, error) {
		hs, err := list(q, ctx)
		if err != nil {
			return nil, err
		}
		return leftoverViews(ctx, db, hs), nil
	})
}

func leftoverViews(ctx context.Context, db *store.DB, list []app.HostedMedia) []LeftoverView {
	var out []LeftoverView
	at := map[[2]string]int{}
	for _, h := range list {
		where := "bucket"
		if instagram.OnPage(h.Key) {
			where = "page"
		}
		k := [2]string{h.Channel, where}
		i, seen := at[k]
		if !seen {
			i = len(out)
			at[k] = i
			out = append(out, LeftoverView{Channel: h.Channel, Title: leftoverTitle(ctx, db, h.Channel), Since: h.PlacedAt, Where: where})
		}
		out[i].Count++
		if h.PlacedAt.Before(out[i].Since) {
			out[i].Since = h.PlacedAt
		}
	}
	for i := range out {
		out[i].Advice = leftoverAdvice(out[i].Where)
	}
	return out
}

func leftoverTitle(ctx context.Context, db *store.DB, id string) string {
	c, err := db.Channel(ctx, id)
	if err != nil {
		// The channel was removed since; the images are still out there.
		return "A channel no longer connected"
	}
	title := publish.Platform(c.Platform).Title()
	if c.Name != "" {
		title += " (" + c.Name + ")"
	}
	return title
}

func leftoverAdvice(where string) string {
	if where == "page" {
		return "PracticePost tries again each time it starts. If the Instagram sign-in has run out, reconnect Instagram in Channels, then click “Try removing them again” on Home. " +
			"Or delete them by hand: in Meta Business Suite, open your Page's photos and remove the unpublished ones from that day."
	}
	return "PracticePost tries again each time it starts. If the storage bucket is no longer connected, connect it again in Settings → Media hosting, then click “Try removing them again” on Home."
}
