package service

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"practicepost/app"
	"practicepost/app/guard"
	"practicepost/app/inbox"
	"practicepost/app/publish"
	"practicepost/app/store"
)

// InboxService is the Inbox: comments and reviews collected from the
// connected channels, replies checked as they are typed, and replies, hides
// and deletes sent through the one gate, each in the activity log.
type InboxService struct {
	c        *Core
	lock     *LockService
	channels *ChannelService
	// Recent is how far back published posts are read for comments.
	Recent time.Duration
	// Every is how often comments are collected in the background while
	// the data file is open and unlocked; 0 turns it off.
	Every time.Duration

	mu         sync.Mutex
	cancel     context.CancelFunc
	collecting sync.Mutex // one collection at a time
}

// EventInboxChanged tells the Inbox and Home to reload.
const EventInboxChanged = "inbox:changed"

func NewInboxService(c *Core, lock *LockService, channels *ChannelService) *InboxService {
	s := &InboxService{c: c, lock: lock, channels: channels, Recent: 30 * 24 * time.Hour, Every: 15 * time.Minute}
	c.Attach(s.startCollecting, s.stopCollecting)
	return s
}

// startCollecting runs Refresh every s.Every (the first after one interval,
// so starting the app makes no platform calls) until the data file closes.
// A locked app or a failed channel simply waits for the next round.
func (s *InboxService) startCollecting(parent context.Context) {
	ctx, cancel := context.WithCancel(parent)
	s.mu.Lock()
	if s.cancel != nil {
		s.cancel()
	}
	s.cancel = cancel
	every := s.Every
	s.mu.Unlock()
	if every <= 0 {
		return
	}
	go func() {
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				if _, err := s.Refresh(); err != nil && app.ErrorCode(err) != app.ELOCKED {
					slog.Warn("inbox collection", "err", app.ErrorCode(err))
				}
			}
		}
	}()
}

func (s *InboxService) stopCollecting() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cancel != nil {
		s.cancel()
		s.cancel = nil
	}
}

// InboxThread is one thread on the Inbox screen.
type InboxThread struct {
	// The thread's fields are spelled out rather than embedding
	// inbox.Thread: wails generate drops the item type of an embedded struct.
	Root        app.InboxItem     `json:"root"`
	Replies     []app.InboxItem   `json:"replies"`
	Waiting     *app.InboxItem    `json:"waiting"`
	ChannelName string            `json:"channelName"`
	Platform    string            `json:"platform"`
	Title       string            `json:"title"` // "Facebook", "Google Business Profile"
	Caps        publish.InboxCaps `json:"caps"`
	Suggested   string            `json:"suggested"` // template situation; "" to let the manager choose
	// Discloses: the message waiting (or the first one) shares the writer's
	// own health details; the screen suggests hiding it and a private route.
	Discloses bool `json:"discloses"`
}

// InboxView is the Inbox screen's data.
type InboxView struct {
	Threads   []InboxThread  `json:"threads"`
	Summary   inbox.Summary  `json:"summary"`
	Templates []inbox.Filled `json:"templates"`
	Channels  []ChoiceView   `json:"channels"` // for the channel filter: value = platform id
	Country   string         `json:"country"`
	Retention int            `json:"retentionDays"`
}

// List returns the threads that match f, unanswered first.
func (s *InboxService) List(f inbox.Filter) (InboxView, error) {
	return withDB(s.c, func(ctx context.Context, db *store.DB) (InboxView, error) {
		items, err := db.InboxItems(ctx)
		if err != nil {
			return InboxView{}, err
		}
		kit, err := db.BrandKit(ctx)
		if err != nil {
			return InboxView{}, err
		}
		chans, err := db.Channels(ctx)
		if err != nil {
			return InboxView{}, err
		}
		names := map[string]string{}
		for _, c := range chans {
			names[c.ID] = c.Name
		}
		all := inbox.Threads(items)
		v := InboxView{Threads: []InboxThread{}, Summary: inbox.Summarize(all), Country: kit.Country, Channels: []ChoiceView{}}
		seen := map[string]bool{}
		for _, t := range all {
			p := t.Root.Platform
			if !seen[p] {
				seen[p] = true
				v.Channels = append(v.Channels, ChoiceView{Value: p, Label: publish.Platform(p).Title()})
			}
		}
		for _, t := range f.Apply(all) {
			p := publish.Platform(t.Root.Platform)
			target := t.Root
			if t.Waiting != nil {
				target = *t.Waiting
			}
			v.Threads = append(v.Threads, InboxThread{Root: t.Root, Replies: t.Replies, Waiting: t.Waiting, ChannelName: names[t.Root.Channel], Platform: string(p), Title: p.Title(),
				Caps: publish.InboxCapabilities[p], Suggested: string(inbox.Suggest(target)), Discloses: guard.DisclosesHealth(target.Text, nil)})
		}
		for _, tp := range inbox.Templates() {
			v.Templates = append(v.Templates, inbox.Fill(tp, kit))
		}
		if v.Retention, err = db.InboxRetentionDays(ctx); err != nil {
			return InboxView{}, err
		}
		return v, nil
	})
}

// Summary is the unanswered count and the oldest waiting, for Home.
func (s *InboxService) Summary() (inbox.Summary, error) {
	return withDB(s.c, func(ctx context.Context, db *store.DB) (inbox.Summary, error) {
		items, err := db.InboxItems(ctx)
		if err != nil {
			return inbox.Summary{}, err
		}
		return inbox.Summarize(inbox.Threads(items)), nil
	})
}

// SetRetention changes how many days collected comments are kept.
func (s *InboxService) SetRetention(days int) (int, error) {
	return withDB(s.c, func(ctx context.Context, db *store.DB) (int, error) {
		if err := db.Tx(ctx, func(tx *store.Tx) error { return tx.SetInboxRetentionDays(ctx, days) }); err != nil {
			return 0, err
		}
		return days, nil
	})
}
