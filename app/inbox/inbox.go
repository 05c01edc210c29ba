// Package inbox puts comments, replies and reviews into threads, works out
// which wait for an answer, and fills reply templates. It is pure: values
// in, values out. Replies are checked by guard.CheckReply and sent through
// the one gate by the service.
package inbox

import (
	"cmp"
	"slices"
	"time"

	"practicepost/app"
	"practicepost/app/publish"
)

// FromComment turns what a connector returned into an inbox item.
func FromComment(platform publish.Platform, c publish.Comment, seen time.Time) app.InboxItem {
	it := app.InboxItem{Platform: string(platform), RemoteID: c.ID, ParentID: c.ParentID, PostID: c.PostID, URL: c.URL,
		Author: c.Author, AuthorID: c.AuthorID, FromPractice: c.FromPage, Text: c.Text, Stars: c.Stars,
		CreatedAt: c.CreatedAt.UTC(), UpdatedAt: c.UpdatedAt.UTC(), Hidden: c.Hidden,
		CanReply: c.CanReply, CanHide: c.CanHide, CanDelete: c.CanDelete, SeenAt: seen.UTC()}
	if it.UpdatedAt.IsZero() {
		it.UpdatedAt = it.CreatedAt
	}
	if c.Reply != nil {
		it.ReplyText, it.RepliedAt, it.ReplyState = c.Reply.Text, c.Reply.UpdatedAt.UTC(), c.Reply.State
	}
	it.Kind = Classify(it)
	return it
}

// Classify says what an item is: a review (it has stars or comes from
// Google), a reply (it answers another comment) or a comment.
func Classify(it app.InboxItem) app.InboxKind {
	switch {
	case it.Platform == string(publish.Google) || it.Stars > 0:
		return app.InboxReview
	case it.ParentID != "":
		return app.InboxReply
	}
	return app.InboxComment
}

// Thread is a top-level comment or review with everything under it.
type Thread struct {
	Root    app.InboxItem   `json:"root"`
	Replies []app.InboxItem `json:"replies"` // oldest first, any depth
	// Waiting is the newest message from someone else that the practice
	// has not answered; nil when the thread is answered (or only the
	// practice has spoken).
	Waiting *app.InboxItem `json:"waiting"`
}

// Answered reports whether the practice has the last word.
func (t Thread) Answered() bool { return t.Waiting == nil }

// WaitingSince is when the unanswered message arrived (zero if answered).
func (t Thread) WaitingSince() time.Time {
	if t.Waiting == nil {
		return time.Time{}
	}
	return t.Waiting.CreatedAt
}

// Threads groups items into threads. A reply whose parent is missing (the
// parent was deleted, or is older than the platform lets us read) becomes
// the root of its own thread rather than being lost. Hidden and gone items
// stay in their thread but never wait for an answer. Threads come back
// unanswered first (longest waiting first), then answered (newest first).
func Threads(items []app.InboxItem) []Thread {
	type key struct{ platform, id string }
	byID := map[key]app.InboxItem{}
	for _, it := range items {
		byID[key{it.Platform, it.RemoteID}] = it
	}
	// rootOf follows parents to the top, stopping at a missing parent or a loop.
	rootOf := func(it app.InboxItem) key {
		k := key{it.Platform, it.RemoteID}
		seen := map[key]bool{k: true}
		for {
			cur := byID[k]
			if cur.ParentID == "" {
				return k
			}
			pk := key{cur.Platform, cur.ParentID}
			if _, ok := byID[pk]; !ok {
				return k
			}
			if seen[pk] {
				// A loop in the platform's data: every member takes the
				// same root, the smallest id, so nothing is shown twice.
				min := pk
				for m := range seen {
					if m.id < min.id {
						min = m
					}
				}
				return min
			}
			seen[pk] = true
			k = pk
		}
	}
	groups := map[key]*Thread{}
	var order []key
	for _, it := range items {
		rk := rootOf(it)
		t, ok := groups[rk]
		if !ok {
			t = &Thread{Root: byID[rk], Replies: []app.InboxItem{}}
			groups[rk] = t
			order = append(order, rk)
		}
		if rk != (key{it.Platform, it.RemoteID}) {
			t.Replies = append(t.Replies, it)
		}
	}
	out := make([]Thread, 0, len(order))
	for _, k := range order {
		t := groups[k]
		slices.SortStableFunc(t.Replies, func(a, b app.InboxItem) int { return a.CreatedAt.Compare(b.CreatedAt) })
		t.Waiting = waiting(*t)
		out = append(out, *t)
	}
	slices.SortStableFunc(out, func(a, b Thread) int {
		if a.Answered() != b.Answered() {
			if !a.Answered() {
				return -1
			}
			return 1
		}
		if !a.Answered() {
			return a.WaitingSince().Compare(b.WaitingSince())
		}
		return cmp.Compare(b.latest().UnixNano(), a.latest().UnixNano())
	})
	return out
}

func (t Thread) latest() time.Time {
	l := t.Root.CreatedAt
	for _, r := range t.Replies {
		if r.CreatedAt.After(l) {
			l = r.CreatedAt
		}
	}
	return l
}

// waiting finds the newest message from someone else after the practice's
// last word in the thread. A review counts as answered once it carries the
// practice's reply, unless Google's moderation refused to publish that
// reply (the API took it, and the reviewer sees none).
func waiting(t Thread) *app.InboxItem {
	all := append([]app.InboxItem{t.Root}, t.Replies...)
	var last *app.InboxItem
	for i := range all {
		it := all[i]
		switch {
		case it.FromPractice:
			last = nil
		case it.Hidden || it.Gone:
		case it.ReplyText != "" && it.ReplyState != ReplyRejected && !it.RepliedAt.Before(it.UpdatedAt):
			last = nil // a review answered after its last edit
		default:
			c := it
			last = &c
		}
	}
	return last
}

// ReplyRejected is Google's moderation state of a review reply it will not
// publish (platform-contracts §13: accepted by the API, then moderated).
const ReplyRejected = "REJECTED"

// Filter picks threads for the inbox list. Empty fields match everything.
type Filter struct {
	Platform   string        `json:"platform"`
	Kind       app.InboxKind `json:"kind"`
	Unanswered bool          `json:"unanswered"`
}

// Apply keeps the threads that match f, in order. Kind matches the root's
// kind, or, for "reply", any thread that has replies from others.
func (f Filter) Apply(ts []Thread) []Thread {
	out := []Thread{}
	for _, t := range ts {
		if f.Platform != "" && t.Root.Platform != f.Platform {
			continue
		}
		if f.Unanswered && t.Answered() {
			continue
		}
		if f.Kind != "" && t.Root.Kind != f.Kind {
			if f.Kind != app.InboxReply || !slices.ContainsFunc(t.Replies, func(r app.InboxItem) bool { return !r.FromPractice }) {
				continue
			}
		}
		out = append(out, t)
	}
	return out
}

// Summary is what Home shows.
type Summary struct {
	Unanswered    int       `json:"unanswered"`
	OldestWaiting time.Time `json:"oldestWaiting"` // zero when nothing waits
}

// Summarize counts the threads waiting for an answer.
func Summarize(ts []Thread) Summary {
	var s Summary
	for _, t := range ts {
		if t.Answered() {
			continue
		}
		s.Unanswered++
		if w := t.WaitingSince(); s.OldestWaiting.IsZero() || w.Before(s.OldestWaiting) {
			s.OldestWaiting = w
		}
	}
	return s
}
