package service

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	"practicepost/app"
	"practicepost/app/gate"
	"practicepost/app/guard"
	"practicepost/app/inbox"
	"practicepost/app/publish"
	"practicepost/app/publish/x"
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
	// notBefore holds, per channel, when a platform that rate-limited the
	// collection allows calls again; until then the channel is skipped.
	notBefore map[string]time.Time
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
	ctx := context.Background()
	db, err := s.c.open(ctx, s.lock)
	if err != nil {
		return InboxView{}, err
	}
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
}

// Summary is the unanswered count and the oldest waiting, for Home.
func (s *InboxService) Summary() (inbox.Summary, error) {
	ctx := context.Background()
	db, err := s.c.open(ctx, s.lock)
	if err != nil {
		return inbox.Summary{}, err
	}
	items, err := db.InboxItems(ctx)
	if err != nil {
		return inbox.Summary{}, err
	}
	return inbox.Summarize(inbox.Threads(items)), nil
}

// Check runs the reply guard and the one gate on a reply as it is typed.
// Nothing is saved or sent.
func (s *InboxService) Check(itemID int64, text string) (gate.ReplyResult, error) {
	ctx := context.Background()
	db, err := s.c.open(ctx, s.lock)
	if err != nil {
		return gate.ReplyResult{}, err
	}
	it, err := db.InboxItem(ctx, itemID)
	if err != nil {
		return gate.ReplyResult{}, err
	}
	return s.c.Gate.Reply(ctx, db, gate.ReplyPost{Channel: gate.ChannelOf(it.Platform), Text: text, Commenter: it.Author}, s.c.Clock.Now())
}

// ReplyOutcome is what happened to a reply, hide or delete.
type ReplyOutcome struct {
	Sent bool `json:"sent"`
	// Blocked: the checks stopped it; nothing was sent.
	Blocked  bool            `json:"blocked"`
	Findings []guard.Finding `json:"findings"`
	// Message says what happened and what to do next.
	Message string `json:"message"`
	// OpenURL is set when the platform refused and the manager can do it on
	// the platform's own site instead (X's reply restriction).
	OpenURL string `json:"openUrl"`
}

func newActionKey() string {
	var b [12]byte
	rand.Read(b[:])
	return "inbox-" + hex.EncodeToString(b[:])
}

func itemSubject(id int64) string { return "inbox_item:" + strconv.FormatInt(id, 10) }

func textDigest(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:8])
}

func asComment(it app.InboxItem) publish.Comment {
	return publish.Comment{ID: it.RemoteID, ParentID: it.ParentID, PostID: it.PostID, URL: it.URL, Author: it.Author, AuthorID: it.AuthorID,
		FromPage: it.FromPractice, Text: it.Text, Stars: it.Stars, CreatedAt: it.CreatedAt, UpdatedAt: it.UpdatedAt,
		Hidden: it.Hidden, CanReply: it.CanReply, CanHide: it.CanHide, CanDelete: it.CanDelete}
}

// inboxer is the connector for an item's channel.
func (s *InboxService) inboxer(ctx context.Context, it app.InboxItem) (publish.Inboxer, error) {
	pub, err := s.channels.Publisher(ctx, it.Channel)
	if app.ErrorCode(err) == app.ENOTFOUND {
		return nil, app.Errorf(app.ENOTFOUND, "The %s channel this came from is no longer connected. Connect it again in Channels.", publish.Platform(it.Platform).Title())
	}
	if err != nil {
		return nil, err
	}
	ib, ok := pub.(publish.Inboxer)
	if !ok {
		return nil, app.Errorf(app.EINVALID, "PracticePost cannot answer %s comments yet. Open the post on %[1]s to reply there.", publish.Platform(it.Platform).Title())
	}
	return ib, nil
}

// Reply sends a public reply to a comment or review. The reply guard and
// the one gate judge it inside the transaction that records the attempt;
// a blocked reply comes back with its findings and nothing is sent.
func (s *InboxService) Reply(itemID int64, text string) (ReplyOutcome, error) {
	ctx := context.Background()
	db, err := s.c.open(ctx, s.lock)
	if err != nil {
		return ReplyOutcome{}, err
	}
	text = strings.TrimSpace(text)
	if text == "" {
		return ReplyOutcome{}, app.Errorf(app.EINVALID, "Type a reply first, or choose a template under the reply box.")
	}
	it, err := db.InboxItem(ctx, itemID)
	if err != nil {
		return ReplyOutcome{}, err
	}
	title := publish.Platform(it.Platform).Title()
	switch {
	case it.Gone:
		return ReplyOutcome{}, app.Errorf(app.ENOTFOUND, "This comment is no longer on %s, so it cannot be answered.", title)
	case it.FromPractice:
		return ReplyOutcome{}, app.Errorf(app.EINVALID, "This is the practice's own reply. Answer the comment above it instead.")
	case !publish.InboxCapabilities[publish.Platform(it.Platform)].Reply:
		return ReplyOutcome{}, app.Errorf(app.EINVALID, "%s does not let PracticePost reply. Open the post on %[1]s to reply there.", title)
	}
	ib, err := s.inboxer(ctx, it)
	if err != nil {
		return ReplyOutcome{}, err
	}
	// A reply that may have gone out (timeout, crash) is looked for on the
	// platform before anything is sent again: most platforms have no
	// idempotency key, so a blind retry can post twice.
	if went, err := s.reconcile(ctx, db, ib, it); err != nil {
		return ReplyOutcome{}, err
	} else if went {
		s.c.Emit.Emit(EventInboxChanged, nil)
		return ReplyOutcome{Message: fmt.Sprintf("Your earlier reply did reach %s after all, so nothing was sent again. To change it, reply again.", title)}, nil
	}
	key := newActionKey()
	var out ReplyOutcome
	var actionID int64
	err = db.Tx(ctx, func(tx *store.Tx) error {
		// Judged against the data as this transaction sees it: a patient
		// added a moment ago is in the list the check uses.
		res, err := s.c.Gate.Reply(ctx, tx.Reader(), gate.ReplyPost{Channel: gate.ChannelOf(it.Platform), Text: text, Commenter: it.Author}, tx.Now())
		if err != nil {
			return err
		}
		out.Findings = res.Findings
		kinds := make([]string, 0, len(res.Findings))
		for _, f := range res.Findings {
			kinds = append(kinds, string(f.Kind))
		}
		detail := map[string]string{"platform": it.Platform, "channel": it.Channel, "text_sha256": textDigest(text), "findings": strings.Join(kinds, ",")}
		if res.Blocked {
			out.Blocked = true
			out.Message = "Not sent: the reply check found something that must not be said in public. Change the words shown, or use a template."
			return tx.Audit(ctx, "manager", "inbox.reply_blocked", itemSubject(it.ID), detail)
		}
		verdict, _ := json.Marshal(res.Findings)
		if actionID, err = tx.StartInboxAction(ctx, it.ID, "reply", text, key, string(verdict)); err != nil {
			return err
		}
		detail["action"] = strconv.FormatInt(actionID, 10)
		return tx.Audit(ctx, "manager", "inbox.reply_attempt", itemSubject(it.ID), detail)
	})
	if err != nil || out.Blocked {
		return out, err
	}
	res, sendErr := ib.Reply(ctx, asComment(it), text, key)
	state, msg := "done", "Reply sent."
	var pe *publish.Error
	if sendErr != nil {
		state, msg = "failed", sendErr.Error()
		if errors.As(sendErr, &pe) {
			msg = pe.Message
			if pe.Uncertain {
				state = "uncertain"
				msg = fmt.Sprintf("%s did not confirm the reply; it may have gone out. Refresh the Inbox and check before replying again.", title)
			}
		}
		if pe != nil && pe.Message == x.ReplyRefused {
			// Not an error the manager can fix here: say so and offer the
			// post on X, where a reply is allowed.
			out.OpenURL = firstNonEmpty(it.URL, it.PostURL)
		}
	}
	err = db.Tx(ctx, func(tx *store.Tx) error {
		if err := tx.FinishInboxAction(ctx, actionID, state, res.ID, errText(sendErr)); err != nil {
			return err
		}
		if state == "done" {
			if err := tx.MarkInboxAnswered(ctx, it, res.ID, text); err != nil {
				return err
			}
		}
		d := map[string]string{"platform": it.Platform, "channel": it.Channel, "result": state, "action": strconv.FormatInt(actionID, 10)}
		if pe != nil {
			d["error_kind"], d["error_code"] = string(pe.Kind), pe.Code
		}
		return tx.Audit(ctx, "manager", "inbox.reply", itemSubject(it.ID), d)
	})
	s.c.Emit.Emit(EventInboxChanged, nil)
	if err != nil {
		return out, err
	}
	out.Sent, out.Message = state == "done", msg
	if sendErr != nil && out.OpenURL == "" && state == "failed" {
		return out, appErr(sendErr)
	}
	return out, nil
}

// staleAttempt is how long an action may stay "attempting" before it is
// taken as interrupted (the app closed or crashed mid-send).
const staleAttempt = 2 * time.Minute

// reconcile settles the item's replies whose outcome is unknown: it lists
// the post's comments and marks each done when the practice's reply with
// the same words is there, failed otherwise. went reports whether one of
// them did go out.
func (s *InboxService) reconcile(ctx context.Context, db *store.DB, ib publish.Inboxer, it app.InboxItem) (went bool, err error) {
	acts, err := db.InboxActions(ctx, it.ID)
	if err != nil {
		return false, err
	}
	now := s.c.Clock.Now()
	var open []app.InboxAction
	for _, a := range acts {
		if a.Action == "reply" && (a.State == "uncertain" || a.State == "attempting" && now.Sub(a.CreatedAt) > staleAttempt) {
			open = append(open, a)
		}
	}
	if len(open) == 0 {
		return false, nil
	}
	cs, err := ib.Comments(ctx, it.PostID)
	if err != nil {
		return false, app.Errorf(app.EUNAVAILABLE, "PracticePost could not check whether your last reply reached %s, so it has not sent another: %s", publish.Platform(it.Platform).Title(), app.ErrorMessage(appErr(err)))
	}
	same := func(a, b string) bool {
		return strings.Join(strings.Fields(a), " ") == strings.Join(strings.Fields(b), " ")
	}
	found := func(a app.InboxAction) (string, bool) {
		since := a.CreatedAt.Add(-staleAttempt)
		for _, c := range cs {
			if c.ID == it.RemoteID && c.Reply != nil && same(c.Reply.Text, a.Text) && !c.Reply.UpdatedAt.Before(since) {
				return c.ID, true // a review's own reply
			}
			if c.FromPage && same(c.Text, a.Text) && !c.CreatedAt.Before(since) {
				return c.ID, true
			}
		}
		return "", false
	}
	items := make([]app.InboxItem, 0, len(cs))
	for _, c := range cs {
		x := inbox.FromComment(publish.Platform(it.Platform), c, now)
		x.Channel, x.PostURL = it.Channel, it.PostURL
		items = append(items, x)
	}
	err = db.Tx(ctx, func(tx *store.Tx) error {
		if _, err := tx.SaveInboxListing(ctx, it.Channel, it.Platform, it.PostID, items); err != nil {
			return err
		}
		for _, a := range open {
			state := "failed"
			id, ok := found(a)
			if ok {
				state, went = "done", true
			}
			if err := tx.FinishInboxAction(ctx, a.ID, state, id, "reconciled"); err != nil {
				return err
			}
			if err := tx.Audit(ctx, "system", "inbox.reply_reconciled", itemSubject(it.ID), map[string]string{"platform": it.Platform, "action": strconv.FormatInt(a.ID, 10), "result": state}); err != nil {
				return err
			}
		}
		return nil
	})
	return went, err
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// errText is what the action row keeps about a failure: the platform's
// kind and code, never the response body (it may hold the comment).
func errText(err error) string {
	var pe *publish.Error
	if errors.As(err, &pe) {
		return string(pe.Kind) + " " + pe.Code
	}
	if err != nil {
		return "error"
	}
	return ""
}

func appErr(err error) error {
	var pe *publish.Error
	if errors.As(err, &pe) {
		return pe.AppError()
	}
	return err
}

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
	ctx := context.Background()
	db, err := s.c.open(ctx, s.lock)
	if err != nil {
		return RefreshResult{}, err
	}
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
}

func (s *InboxService) collect(ctx context.Context, db *store.DB, ch app.Channel, now time.Time, r *ChannelResult) (err error) {
	title := publish.Platform(ch.Platform).Title()
	s.mu.Lock()
	until := s.notBefore[ch.ID]
	s.mu.Unlock()
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
			s.mu.Lock()
			if s.notBefore == nil {
				s.notBefore = map[string]time.Time{}
			}
			s.notBefore[ch.ID] = reset
			s.mu.Unlock()
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
		items := make([]app.InboxItem, 0, len(cs))
		for _, c := range cs {
			it := inbox.FromComment(publish.Platform(ch.Platform), c, now)
			it.Channel, it.PostURL = ch.ID, l.postURL
			items = append(items, it)
		}
		err = db.Tx(ctx, func(tx *store.Tx) error {
			st, err := tx.SaveInboxListing(ctx, ch.ID, ch.Platform, l.postID, items)
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

// SetRetention changes how many days collected comments are kept.
func (s *InboxService) SetRetention(days int) (int, error) {
	ctx := context.Background()
	db, err := s.c.open(ctx, s.lock)
	if err != nil {
		return 0, err
	}
	if err := db.Tx(ctx, func(tx *store.Tx) error { return tx.SetInboxRetentionDays(ctx, days) }); err != nil {
		return 0, err
	}
	return days, nil
}
