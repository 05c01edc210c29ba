package app

import "time"

// InboxKind is what an inbox item is.
type InboxKind string

const (
	InboxComment InboxKind = "comment" // a top-level comment on one of the practice's posts
	InboxReply   InboxKind = "reply"   // a reply under a comment (someone else's, or the practice's own)
	InboxReview  InboxKind = "review"  // a Google Business Profile review, with stars
)

// InboxItem is one comment, reply or review as collected from a platform.
// Author and Text are personal data (a commenter often writes about their
// own health): they are sealed in the data file and never logged.
type InboxItem struct {
	ID       int64     `json:"id"`
	Platform string    `json:"platform"` // publish platform id: facebook, google, mastodon, ...
	Channel  string    `json:"channel"`  // the connected channel it was collected from (store.Channel.ID)
	RemoteID string    `json:"remoteId"`
	ParentID string    `json:"parentId"` // remote id of the comment this replies to; "" for top level
	PostID   string    `json:"postId"`   // remote id of the practice's post (or the Google location)
	PostURL  string    `json:"postUrl"`  // the post on the platform, for "open on the platform"
	URL      string    `json:"url"`      // the comment itself, when the platform gives one
	Kind     InboxKind `json:"kind"`
	Author   string    `json:"author"`   // display name; "" when the platform withholds it
	AuthorID string    `json:"authorId"` // platform user id; "" when withheld
	// FromPractice: the practice's own account wrote it (its replies).
	FromPractice bool      `json:"fromPractice"`
	Text         string    `json:"text"`
	Stars        int       `json:"stars"` // 1..5 for reviews, 0 otherwise
	CreatedAt    time.Time `json:"createdAt"`
	UpdatedAt    time.Time `json:"updatedAt"`
	Hidden       bool      `json:"hidden"`
	// Gone: the platform no longer returns it (deleted by its author or by
	// the practice). Kept until retention removes it, shown as removed.
	Gone      bool `json:"gone"`
	CanReply  bool `json:"canReply"`
	CanHide   bool `json:"canHide"`
	CanDelete bool `json:"canDelete"`
	// ReplyText is the practice's reply carried on the item itself (Google
	// reviews hold one reply each); "" when none.
	ReplyText string    `json:"replyText"`
	RepliedAt time.Time `json:"repliedAt"`
	// ReplyState is the platform's moderation state of that reply (Google:
	// a reply can be accepted and later rejected); "" when unknown.
	ReplyState string    `json:"replyState"`
	SeenAt     time.Time `json:"seenAt"` // when PracticePost first collected it
}
