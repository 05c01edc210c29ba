package service

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"practicepost/app"
	"practicepost/app/publish/queue"
)

// Background is what keeps PracticePost running with its window closed.
type Background struct {
	Waiting int       `json:"waiting"` // channel posts (jobs) PracticePost itself still has to send
	Posts   int       `json:"posts"`   // the posts they belong to: one post to three channels counts once
	NextAt  time.Time `json:"nextAt"`  // the earliest of them; zero when none
	Message string    `json:"message"`
}

// Background counts the posts that need PracticePost running: queued or
// waiting ones (Facebook sends the ones it holds by itself).
func (s *PublishService) Background() (Background, error) {
	if err := s.c.manager(); err != nil {
		return Background{}, err
	}
	return s.background()
}

// background is Background without the lock check, for keepRunning.
func (s *PublishService) background() (Background, error) {
	ctx := context.Background()
	q, err := s.queue()
	if err != nil {
		return Background{}, err
	}
	jobs, err := q.Jobs(ctx, queue.Filter{States: []app.PublishState{app.JobQueued, app.JobWaiting, app.JobAttempting}})
	if err != nil {
		return Background{}, err
	}
	b := Background{Waiting: len(jobs)}
	posts := map[string]bool{}
	for _, j := range jobs {
		// A post is its draft; a post sent without one is its request.
		key := "d" + j.DraftID
		if j.DraftID == "" {
			key = "r" + strconv.FormatInt(j.RequestID, 10)
		}
		posts[key] = true
		if !j.NextAt.IsZero() && (b.NextAt.IsZero() || j.NextAt.Before(b.NextAt)) {
			b.NextAt = j.NextAt
		}
	}
	if b.Waiting > 0 {
		b.Posts = len(posts)
		b.Message = fmt.Sprintf("%d scheduled post(s) go out only while this computer is on and PracticePost runs. Closing the window keeps it running in the background; choose Quit to stop it (posts due meanwhile will be marked missed).", b.Posts)
	}
	return b, nil
}

// keepRunning reports whether closing the window should hide it instead of
// quitting: posts are waiting and nobody chose Quit. It is not bound: the
// window's close button asks it, locked or not (Services.KeepRunning).
func (s *PublishService) keepRunning() bool {
	s.mu.Lock()
	quitting := s.quiting
	s.mu.Unlock()
	if quitting {
		return false
	}
	b, err := s.background()
	return err == nil && b.Waiting > 0
}

// Quit stops PracticePost even though posts are waiting (the button on
// the Publish screen); it refuses while locked.
func (s *PublishService) Quit() error {
	if err := s.c.manager(); err != nil {
		return err
	}
	s.quit()
	return nil
}

// quit is Quit for the application menu (Services.MenuQuit).
func (s *PublishService) quit() {
	s.mu.Lock()
	s.quiting = true
	quit := s.QuitApp
	s.mu.Unlock()
	if quit != nil {
		quit()
	}
}
