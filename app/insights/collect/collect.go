// Package collect reads the published posts' numbers back from the
// platforms into metric snapshots, in the publishing queue's manner: each
// channel on its own worker, its state kept in the data file (so a rate
// limit is still respected after a restart), a channel's failure recorded
// on that channel with what to do, never stopping the others.
//
// Reading numbers sends nothing to a platform, so it does not pass the
// consent gate; it never reads or stores post text or comments.
package collect

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"sync"
	"time"

	"practicepost/app"
	"practicepost/app/insights"
	"practicepost/app/publish"
	"practicepost/app/store"
)

// EventProgress carries a Progress while a channel is read.
const EventProgress = "insights:progress"

// Resolver hands out the connected Publisher for a channel id (the
// publishing queue's resolver: service.ChannelService).
type Resolver interface {
	Publisher(ctx context.Context, channel string) (publish.Publisher, error)
}

// FollowerCounter is a connector that can read its account's follower
// count (the engagement-rate basis where a platform reports no reach).
type FollowerCounter interface {
	Followers(ctx context.Context) (int, error)
}

// LocationReader is a connector with location-level daily figures instead
// of per-post numbers (Google Business Profile).
type LocationReader interface {
	LocationMetrics(ctx context.Context, from, to time.Time) ([]publish.LocationDay, error)
}

// Reading is, per platform, how long after publishing a post's numbers are
// still read, and how many posts one run reads at most (X charges for
// every read). Posts beyond the window keep their last numbers.
type Reading struct {
	Window    time.Duration
	MaxPerRun int
}

const day = 24 * time.Hour

// Readings is the one table of reading windows. Facebook keeps insights two
// years and LinkedIn twelve months, but a post's numbers settle within
// weeks; 90 days keeps each run within the platforms' hourly limits.
var Readings = map[string]Reading{
	"facebook":  {90 * day, 200},
	"instagram": {90 * day, 200},
	"linkedin":  {90 * day, 100},
	"x":         {30 * day, 25},
	"mastodon":  {90 * day, 200},
	"bluesky":   {90 * day, 200},
	"google":    {0, 0}, // no per-post numbers: location figures only
}

// Progress is what the frontend hears while a channel is read.
type Progress struct {
	Channel  string `json:"channel"`
	Platform string `json:"platform"`
	Step     string `json:"step"` // reading, done, failed
	Read     int    `json:"read"`
	Total    int    `json:"total"`
	Message  string `json:"message,omitempty"`
}

// Options tune the collector; zero values get the defaults noted.
type Options struct {
	Clock   app.Clock   // app.SystemClock
	Emitter app.Emitter // app.NopEmitter
	// Every is how often a channel is read by itself. 4 h.
	Every time.Duration
	// Fresh: opening Insights reads a channel again only if its last
	// reading is older than this. 30 min.
	Fresh time.Duration
	// Interval is Run's tick. 1 min.
	Interval time.Duration
	// OnNeedsReconnect is told when a channel's credentials were refused.
	OnNeedsReconnect func(channel string)
	// Practice gives the practice's time zone and country: readings are
	// filed under the practice's day, and times in messages are its clock
	// (12-hour in the US). Nil: UTC, "GB".
	Practice func(ctx context.Context) (*time.Location, string)
}

// Collector reads metrics for every connected channel.
type Collector struct {
	db  *store.DB
	res Resolver
	opt Options

	mu       sync.Mutex
	busy     map[string]bool
	lastRoll time.Time
	kick     chan struct{}
}

// New returns a collector; call Run, or Collect for one pass.
func New(db *store.DB, res Resolver, opt Options) *Collector {
	if opt.Clock == nil {
		opt.Clock = app.SystemClock{}
	}
	if opt.Emitter == nil {
		opt.Emitter = app.NopEmitter{}
	}
	if opt.Every == 0 {
		opt.Every = 4 * time.Hour
	}
	if opt.Fresh == 0 {
		opt.Fresh = 30 * time.Minute
	}
	if opt.Interval == 0 {
		opt.Interval = time.Minute
	}
	if opt.Practice == nil {
		opt.Practice = func(context.Context) (*time.Location, string) { return time.UTC, "GB" }
	}
	return &Collector{db: db, res: res, opt: opt, busy: map[string]bool{}, kick: make(chan struct{}, 1)}
}

// Run reads due channels until ctx ends, waking every Interval and on
// Refresh, and rolls old numbers up to monthly once a day.
func (c *Collector) Run(ctx context.Context) {
	t := time.NewTicker(c.opt.Interval)
	defer t.Stop()
	for {
		if _, err := c.Collect(ctx, false); err != nil && ctx.Err() == nil {
			slog.Error("insights collection", "err", err)
		}
		c.rollup(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-c.kick:
		}
	}
}

// Kick asks Run to look for due channels now.
func (c *Collector) Kick() {
	select {
	case c.kick <- struct{}{}:
	default:
	}
}

func (c *Collector) rollup(ctx context.Context) {
	now := c.opt.Clock.Now()
	c.mu.Lock()
	due := now.Sub(c.lastRoll) >= day
	if due {
		c.lastRoll = now
	}
	c.mu.Unlock()
	if !due {
		return
	}
	err := c.db.Tx(ctx, func(tx *store.Tx) error {
		_, err := tx.RollupMetrics(ctx, now)
		return err
	})
	if err != nil && ctx.Err() == nil {
		slog.Error("insights rollup", "err", err)
	}
}

// Collect reads every channel that is due: its next reading time has come,
// or, with refresh (Insights was opened), its last try is older than Fresh. A channel waiting out a rate limit or a backoff is never read
// early. Channels are read in parallel; Collect returns when all are done,
// with every channel's state.
func (c *Collector) Collect(ctx context.Context, refresh bool) ([]app.CollectState, error) {
	channels, err := c.db.Channels(ctx)
	if err != nil {
		return nil, err
	}
	posts, err := c.db.InsightPosts(ctx)
	if err != nil {
		return nil, err
	}
	states, err := c.db.CollectStates(ctx)
	if err != nil {
		return nil, err
	}
	byChannel := map[string]app.CollectState{}
	for _, s := range states {
		byChannel[s.Channel] = s
	}
	postsOf := map[string][]insights.Post{}
	for _, p := range posts {
		postsOf[p.Channel] = append(postsOf[p.Channel], p)
	}
	// Readings go under the practice's day; those filed under another
	// zone's (before, the UTC day's) are filed again first.
	loc, country := c.opt.Practice(ctx)
	if loc == nil {
		loc = time.UTC
	}
	if err := c.db.Tx(ctx, func(tx *store.Tx) error {
		_, err := tx.FileMetricsIn(ctx, loc)
		return err
	}); err != nil {
		return nil, err
	}
	now := c.opt.Clock.Now()
	var wg sync.WaitGroup
	for _, ch := range channels {
		st, seen := byChannel[ch.ID]
		if !seen {
			st = app.CollectState{Channel: ch.ID, Platform: ch.Platform}
		}
		if !c.due(st, now, refresh) || !c.claim(ch.ID) {
			continue
		}
		wg.Add(1)
		go func(ch app.Channel, st app.CollectState) {
			defer wg.Done()
			defer c.release(ch.ID)
			st = c.channel(ctx, ch, postsOf[ch.ID], st, loc, country)
			if err := c.db.Tx(context.WithoutCancel(ctx), func(tx *store.Tx) error { return tx.SaveCollectState(ctx, st) }); err != nil {
				slog.Error("insights: save collection state", "platform", ch.Platform, "err", err)
			}
		}(ch, st)
	}
	wg.Wait()
	return c.db.CollectStates(ctx)
}

func (c *Collector) due(st app.CollectState, now time.Time, refresh bool) bool {
	waiting := st.ErrorKind == string(publish.KindRateLimited) || st.ErrorKind == string(publish.KindTransient)
	if waiting && now.Before(st.NextAt) {
		return false
	}
	if !now.Before(st.NextAt) {
		return true
	}
	// Opening Insights reads a channel again once its last try is older
	// than Fresh, also one that failed (it may have been reconnected since).
	return refresh && now.Sub(st.LastTryAt) >= c.opt.Fresh
}

// Busy lists the channels being read right now.
func (c *Collector) Busy() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]string, 0, len(c.busy))
	for ch := range c.busy {
		out = append(out, ch)
	}
	sort.Strings(out)
	return out
}

func (c *Collector) claim(ch string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.busy[ch] {
		return false
	}
	c.busy[ch] = true
	return true
}

func (c *Collector) release(ch string) {
	c.mu.Lock()
	delete(c.busy, ch)
	c.mu.Unlock()
}

func (c *Collector) emit(p Progress) { c.opt.Emitter.Emit(EventProgress, p) }

// channel reads one channel and returns its new state. Nothing here stops
// another channel: every failure ends up in the state.
func (c *Collector) channel(ctx context.Context, ch app.Channel, posts []insights.Post, st app.CollectState, loc *time.Location, country string) app.CollectState {
	// In the practice's zone: the store files a reading under At's day.
	now := c.opt.Clock.Now().In(loc)
	st.Platform, st.LastTryAt, st.PostsRead = ch.Platform, now, 0
	plat := publish.Platform(ch.Platform)
	rd := Readings[ch.Platform]
	var todo []insights.Post
	for _, p := range posts {
		if !p.Removed && p.RemoteID != "" && now.Sub(p.PublishedAt) <= rd.Window {
			todo = append(todo, p)
		}
	}
	// Newest first: when a run is capped, the posts still moving come first.
	sort.SliceStable(todo, func(i, j int) bool { return todo[i].PublishedAt.After(todo[j].PublishedAt) })
	if rd.MaxPerRun > 0 && len(todo) > rd.MaxPerRun {
		todo = todo[:rd.MaxPerRun]
	}
	c.emit(Progress{Channel: ch.ID, Platform: ch.Platform, Step: "reading", Total: len(todo)})

	fail := func(err error) app.CollectState {
		kind, code, msg, next := classify(plat, err, now, st.Failures+1, c.opt.Every, country)
		st.ErrorKind, st.ErrorCode, st.ErrorMessage, st.NextAt = string(kind), code, msg, next
		st.Failures++
		if kind == publish.KindAuth && c.opt.OnNeedsReconnect != nil {
			c.opt.OnNeedsReconnect(ch.ID)
		}
		c.emit(Progress{Channel: ch.ID, Platform: ch.Platform, Step: "failed", Read: st.PostsRead, Total: len(todo), Message: msg})
		return st
	}

	pub, err := c.res.Publisher(ctx, ch.ID)
	if err != nil {
		return fail(err)
	}
	var notes []string
	if rd.Window == 0 {
		notes = append(notes, noPerPost)
	}
	if fc, ok := pub.(FollowerCounter); ok {
		n, err := fc.Followers(ctx)
		switch {
		case err == nil:
			if err := c.db.Tx(ctx, func(tx *store.Tx) error {
				return tx.SaveChannelDay(ctx, insights.ChannelDay{Channel: ch.ID, Followers: &n}, now)
			}); err != nil {
				return fail(err)
			}
		case publish.KindOf(err) == publish.KindRateLimited || publish.KindOf(err) == publish.KindAuth:
			return fail(err)
		default:
			notes = append(notes, fmt.Sprintf("%s did not give the follower count, so there is no engagement rate for it this time.", plat.Title()))
		}
	}
	if lr, ok := pub.(LocationReader); ok {
		// Google's daily figures settle over a few days: read the last week again.
		days, err := lr.LocationMetrics(ctx, now.Add(-7*day), now)
		if err != nil {
			return fail(err)
		}
		if err := c.db.Tx(ctx, func(tx *store.Tx) error {
			for _, d := range days {
				cd := insights.ChannelDay{Channel: ch.ID, Day: d.Day, Views: d.Views, Clicks: d.Clicks, Calls: d.Calls, Directions: d.Directions}
				if err := tx.SaveChannelDay(ctx, cd, now); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			return fail(err)
		}
	}

	var pending, gone, refused int
	pendingNote := ""
read:
	for _, p := range todo {
		if ctx.Err() != nil {
			return fail(publish.NetworkError(plat, ctx.Err(), false))
		}
		m, err := pub.Metrics(ctx, p.RemoteID)
		switch {
		case errors.Is(err, publish.ErrNoMetrics):
			if !containsString(notes, noPerPost) {
				notes = append(notes, noPerPost)
			}
			break read
		case err == nil && m.Pending:
			pending++
			pendingNote = m.Note
		case err == nil:
			if m.Note != "" && !containsString(notes, m.Note) {
				notes = append(notes, m.Note)
			}
			s := insights.Snapshot{JobID: p.JobID, At: now, Counts: insights.Counts{Reactions: m.Reactions, Comments: m.Comments,
				Shares: m.Shares, Quotes: m.Quotes, Saves: m.Saves, Views: m.Views, Reach: m.Reach, Clicks: m.Clicks}}
			if err := c.db.Tx(ctx, func(tx *store.Tx) error { return tx.SaveMetricSnapshot(ctx, s) }); err != nil {
				return fail(err)
			}
			st.PostsRead++
			c.emit(Progress{Channel: ch.ID, Platform: ch.Platform, Step: "reading", Read: st.PostsRead, Total: len(todo)})
		case publish.KindOf(err) == publish.KindNotFound:
			gone++ // deleted on the platform: its last numbers stay
		case publish.KindOf(err) == publish.KindRejected:
			refused++ // this metric is not offered for this kind of post
		default:
			// Rate limits, expired sign-ins, missing permissions and outages
			// stop this channel until later; what was read so far is kept.
			return fail(err)
		}
	}
	if pending > 0 {
		notes = append(notes, fmt.Sprintf("%d %s without numbers yet. %s", pending, app.Plural(pending, "post", "posts"), pendingNote))
	}
	if gone > 0 {
		notes = append(notes, fmt.Sprintf("%d %s no longer on %s; %s last numbers are kept.", gone, app.Plural(gone, "post is", "posts are"), plat.Title(), app.Plural(gone, "its", "their")))
	}
	if refused > 0 {
		notes = append(notes, fmt.Sprintf("%s does not offer these numbers for %d %s (not available for that kind of post).", plat.Title(), refused, app.Plural(refused, "post", "posts")))
	}
	st.ErrorKind, st.ErrorCode, st.ErrorMessage, st.Failures = "", "", "", 0
	st.LastOKAt, st.NextAt, st.Note = now, now.Add(c.opt.Every), strings.Join(notes, " ")
	c.emit(Progress{Channel: ch.ID, Platform: ch.Platform, Step: "done", Read: st.PostsRead, Total: len(todo)})
	return st
}

const noPerPost = "Google gives no numbers per post, only totals for the whole location (shown on the channel)."

// classify turns a failure into the state shown on the channel: what
// happened and what to do, and when to try again.
// Times are given on the practice's clock: now's zone, 12-hour in the US.
func classify(p publish.Platform, err error, now time.Time, failures int, every time.Duration, country string) (publish.Kind, string, string, time.Time) {
	name := p.Title()
	var pe *publish.Error
	if !errors.As(err, &pe) {
		var ae *app.Error
		if errors.As(err, &ae) && (ae.Code == app.EFORBIDDEN || ae.Code == app.ENOTFOUND) {
			return publish.KindAuth, ae.Code, fmt.Sprintf("%s needs reconnecting before PracticePost can read its numbers. Open Channels and reconnect %s.", name, name), now.Add(every)
		}
		return publish.KindTransient, "", fmt.Sprintf("PracticePost could not read %s's numbers. It tries again by itself later.", name), now.Add(backoff(failures))
	}
	switch pe.Kind {
	case publish.KindRateLimited:
		next := pe.ResetAt
		if !next.After(now) {
			next = now.Add(15 * time.Minute)
		}
		clock := "15:04"
		if country == "US" {
			clock = "3:04 PM"
		}
		return pe.Kind, pe.Code, fmt.Sprintf("%s asked PracticePost to slow down. The numbers read so far are kept; it carries on by itself at %s.", name, next.In(now.Location()).Format(clock)), next
	case publish.KindAuth:
		return pe.Kind, pe.Code, fmt.Sprintf("%s no longer accepts PracticePost's connection, so its numbers are not being updated. Open Channels and reconnect %s.", name, name), now.Add(every)
	case publish.KindPermission:
		return pe.Kind, pe.Code, fmt.Sprintf("%s did not let PracticePost read the numbers. Open Channels, reconnect %s and allow it to read insights (statistics); your account must be an admin of the page.", name, name), now.Add(every)
	}
	return publish.KindTransient, pe.Code, fmt.Sprintf("%s could not be reached or had a problem on its side. PracticePost tries again by itself; nothing needs doing unless this keeps happening.", name), now.Add(backoff(failures))
}

// backoff: 5 min, doubling, at most the normal 4-hour cadence's hour.
func backoff(failures int) time.Duration {
	d := 5 * time.Minute
	for i := 1; i < failures && d < time.Hour; i++ {
		d *= 2
	}
	return min(d, time.Hour)
}

func containsString(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}
