package instagram

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"time"

	"practicepost/app/publish"
	"practicepost/app/publish/internal/graph"
)

var _ publish.Inboxer = (*Client)(nil)

const maxCommentPages = 200

type igComment struct {
	ID        string `json:"id"`
	Text      string `json:"text"`
	Timestamp string `json:"timestamp"`
	Username  string `json:"username"`
	From      *struct {
		ID       string `json:"id"`
		Username string `json:"username"`
	} `json:"from"`
	Hidden   bool   `json:"hidden"`
	ParentID string `json:"parent_id"`
	Replies  *struct {
		Data []igComment `json:"data"`
	} `json:"replies"`
}

func igTime(s string) time.Time {
	for _, l := range []string{"2006-01-02T15:04:05-0700", time.RFC3339} {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}

// Comments lists the comments on one of the account's media with their
// replies (one level: Instagram attaches a reply to a reply to its
// top-level comment), following every page (contracts §13.2). A cursor
// names the last comment of its page, and Meta's cursors die when that item
// is deleted (contracts §13.0.3): when a later page fails for any reason but
// the connection's own (sign-in, permission, rate limit), the listing starts
// again once, keyed on comment id so nothing is listed twice.
func (c *Client) Comments(ctx context.Context, postID string) ([]publish.Comment, error) {
	out, err := c.listComments(ctx, postID)
	if err != nil && out != nil {
		switch publish.KindOf(err) {
		case publish.KindAuth, publish.KindPermission, publish.KindRateLimited:
		default:
			out, err = c.listComments(ctx, postID)
		}
	}
	if err != nil {
		return nil, err
	}
	return out, nil
}

// listComments returns what it read with the error when a page after the
// first fails (a cursor may have died), nil when the first page fails.
func (c *Client) listComments(ctx context.Context, postID string) ([]publish.Comment, error) {
	q := url.Values{"fields": {"id,text,timestamp,username,from,hidden,like_count,parent_id,replies{id,text,timestamp,username,from,hidden,parent_id}"}, "limit": {"50"}}
	out := []publish.Comment{}
	withheld := false
	seen := map[string]bool{}
	add := func(g igComment, parent string) {
		if seen[g.ID] {
			return
		}
		seen[g.ID] = true
		cm := publish.Comment{ID: g.ID, PostID: postID, ParentID: parent, Text: g.Text, Author: g.Username, CreatedAt: igTime(g.Timestamp),
			Hidden: g.Hidden, CanReply: !g.Hidden}
		if g.From != nil {
			cm.AuthorID = g.From.ID
			cm.FromPage = g.From.ID == c.userID
		}
		if g.Username == "" && g.From == nil {
			withheld = true
		}
		cm.CanHide, cm.CanDelete = !cm.FromPage, true
		cm.UpdatedAt = cm.CreatedAt
		out = append(out, cm)
	}
	for page := 0; page < maxCommentPages; page++ {
		var resp graph.Page[igComment]
		if _, err := c.do(ctx, http.MethodGet, "/"+url.PathEscape(postID)+"/comments", q, &resp); err != nil {
			if page == 0 {
				return nil, err
			}
			return out, err
		}
		for _, g := range resp.Data {
			add(g, "")
			if g.Replies != nil {
				for _, r := range g.Replies.Data {
					add(r, g.ID)
				}
			}
		}
		after := resp.After()
		if after == "" {
			break
		}
		q.Set("after", after)
	}
	if withheld && len(out) > 0 {
		// Usernames come only with the comment-management permission; the
		// Inbox could not tell the practice's own replies from others'.
		e := publish.NewError(publish.Instagram, publish.KindPermission, http.StatusOK, "no_usernames", "usernames withheld", nil, c.now(), time.Time{})
		e.Message = "Instagram shows the comments without who wrote them: PracticePost's connection lacks the permission to manage comments. On the Channels screen (in the sidebar), reconnect Instagram and tick every permission."
		return nil, e
	}
	return out, nil
}

// Reply answers a comment as the account. Instagram refuses replies to
// hidden comments; a reply to a reply lands under the top-level comment.
func (c *Client) Reply(ctx context.Context, cm publish.Comment, text, _ string) (publish.Result, error) {
	if cm.Hidden {
		return publish.Result{}, rejected(c.now(), "hidden", "Instagram does not let the account reply to a hidden comment. Show it again first, or leave it unanswered.")
	}
	var out struct {
		ID string `json:"id"`
	}
	raw, err := c.do(ctx, http.MethodPost, "/"+url.PathEscape(cm.ID)+"/replies", url.Values{"message": {text}}, &out)
	if err != nil {
		// Any answer saying the comment "does not exist", not only 100/33,
		// means it is gone: Meta's codes for it are unverified (contracts
		// §13.1).
		if pe, ok := err.(*publish.Error); ok && strings.Contains(pe.PlatformMessage, "does not exist") {
			pe.Kind = publish.KindNotFound
		}
		return publish.Result{Raw: raw}, publish.Unanswerable(err, "This comment is no longer on Instagram (it was deleted)")
	}
	return publish.Result{ID: out.ID, Raw: raw}, nil
}

// Hide hides (or shows) someone's comment; the account's own cannot be hidden.
func (c *Client) Hide(ctx context.Context, cm publish.Comment, hidden bool) error {
	if cm.FromPage {
		return rejected(c.now(), "cannot_hide", "Instagram does not let the account hide its own comments. Delete it instead.")
	}
	_, err := c.do(ctx, http.MethodPost, "/"+url.PathEscape(cm.ID), url.Values{"hide": {map[bool]string{true: "true", false: "false"}[hidden]}}, nil)
	return err
}

// DeleteComment removes a comment on the account's media; one already gone
// is not an error.
func (c *Client) DeleteComment(ctx context.Context, cm publish.Comment) error {
	_, err := c.do(ctx, http.MethodDelete, "/"+url.PathEscape(cm.ID), nil, nil)
	return publish.Gone(err)
}
