package publish

import (
	"context"
	"errors"
	"time"
)

// Comment is one comment, reply or review as a platform returns it.
type Comment struct {
	ID       string
	ParentID string // the comment it replies to; "" for top level
	PostID   string // the post (or Google location) it belongs to
	URL      string
	Author   string // display name; "" when the platform withholds it
	AuthorID string
	// FromPage: written by the connected account itself.
	FromPage  bool
	Text      string
	Stars     int // reviews: 1..5; 0 otherwise
	CreatedAt time.Time
	UpdatedAt time.Time // zero where the platform has no edit signal
	Hidden    bool
	CanReply  bool
	CanHide   bool
	CanDelete bool
	// Reply is the account's reply held on the item itself (Google reviews).
	Reply *CommentReply
}

// CommentReply is the practice's reply stored on a review.
type CommentReply struct {
	Text      string
	UpdatedAt time.Time
	State     string // the platform's moderation state; "" when not given
}

// Inboxer is a connector that can read and answer comments. Every method
// returns *Error for platform failures. A platform that cannot do one of
// them says so in InboxCapabilities and returns KindRejected.
type Inboxer interface {
	// Comments lists every comment and reply on one of the account's posts
	// (Google: every review of the location; postID is ignored), following
	// pagination to the end.
	Comments(ctx context.Context, postID string) ([]Comment, error)
	// Reply answers a comment in public as the account. key identifies the
	// attempt (sent as an idempotency key where the platform has one).
	Reply(ctx context.Context, c Comment, text, key string) (Result, error)
	// Hide hides (or shows again) someone else's comment.
	Hide(ctx context.Context, c Comment, hidden bool) error
	// DeleteComment removes a comment. One already gone is not an error.
	DeleteComment(ctx context.Context, c Comment) error
}

// InboxCaps say what a platform lets the app do with comments
// (platform-contracts.md §13.0).
type InboxCaps struct {
	Reply  bool `json:"reply"`
	Hide   bool `json:"hide"`
	Delete bool `json:"delete"` // others' comments
	// ReplyNote is shown beside the reply box when replies often fail.
	ReplyNote string `json:"replyNote"`
}

// InboxCapabilities is the one table of what each platform allows.
var InboxCapabilities = map[Platform]InboxCaps{
	Facebook:  {Reply: true, Hide: true, Delete: true},
	Instagram: {Reply: true, Hide: true, Delete: true},
	LinkedIn:  {Reply: true},
	Google:    {Reply: true},
	Mastodon:  {Reply: true},
	Bluesky:   {Reply: true, Hide: true},
	X: {Reply: true, Hide: true,
		ReplyNote: "X lets most accounts reply only when the person tagged the practice. If X refuses, open the post on X and reply there."},
}

// Unanswerable says, on a not-found answer to a reply, that the item gone
// (gone: "This comment is no longer on Facebook (it was deleted)") cannot
// be answered and what the manager does next, the same for every platform.
// Any other answer is passed on unchanged.
func Unanswerable(err error, gone string) error {
	var e *Error
	if errors.As(err, &e) && e.Kind == KindNotFound {
		e.Message = gone + ", so it cannot be answered. Refresh the Inbox."
	}
	return err
}
