package facebook

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

// InboxScopes are what reading and answering comments needs besides
// RequiredScopes (platform-contracts.md §13.1).
var InboxScopes = []string{"pages_manage_engagement", "pages_read_user_content"}

const commentFields = "id,message,created_time,from{id,name},parent{id},is_hidden,can_hide,can_remove,can_comment,permalink_url"

// maxCommentPages bounds one listing: Graph can hand back empty pages that
// still carry next (contracts §13.1), so "until next is absent" needs a floor.
const maxCommentPages = 200

type graphComment struct {
	ID          string    `json:"id"`
	Message     string    `json:"message"`
	CreatedTime graphTime `json:"created_time"`
	From        *struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	} `json:"from"`
	Parent *struct {
		ID string `json:"id"`
	} `json:"parent"`
	IsHidden   bool   `json:"is_hidden"`
	CanHide    bool   `json:"can_hide"`
	CanRemove  bool   `json:"can_remove"`
	CanComment bool   `json:"can_comment"`
	Permalink  string `json:"permalink_url"`
}

// graphTime reads Graph's "2026-12-01T10:00:00+0000".
type graphTime time.Time

func (g *graphTime) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(b), `"`)
	for _, layout := range []string{"2006-01-02T15:04:05-0700", time.RFC3339} {
		if t, err := time.Parse(layout, s); err == nil {
			*g = graphTime(t.UTC())
			return nil
		}
	}
	*g = graphTime(time.Time{})
	return nil
}

// Comments lists every comment and reply on a Page post in one flat list
// (filter=stream), threaded by parent. Cursors are followed with this
// client's base URL and never kept: when the comment a cursor points at is
// deleted during the listing, the listing starts again once (contracts
// §13.0.3), keyed on comment id so nothing is doubled.
func (c *Client) Comments(ctx context.Context, postID string) ([]publish.Comment, error) {
	out, err := c.listComments(ctx, postID)
	if publish.KindOf(err) == publish.KindNotFound && out != nil {
		out, err = c.listComments(ctx, postID)
	}
	return out, err
}

// listComments returns a non-nil slice with a not-found error when a page
// after the first failed (a cursor died), nil when the post itself is gone.
func (c *Client) listComments(ctx context.Context, postID string) ([]publish.Comment, error) {
	q := url.Values{"filter": {"stream"}, "order": {"chronological"}, "summary": {"true"}, "limit": {"100"}, "fields": {commentFields}}
	seen := map[string]bool{}
	out := []publish.Comment{}
	for page := 0; page < maxCommentPages; page++ {
		var resp graph.Page[graphComment]
		_, err := c.do(ctx, http.MethodGet, "/"+url.PathEscape(postID)+"/comments", q, nil, "", &resp)
		if err != nil {
			if page == 0 {
				return nil, err
			}
			return out, err
		}
		for _, g := range resp.Data {
			if g.ID == "" {
				// Without the Page's MODERATE task Graph leaves ids out
				// (contracts §13.1): nothing could be answered or hidden.
				e := publish.NewError(publish.Facebook, publish.KindPermission, http.StatusOK, "no_comment_ids", "comment ids withheld", nil, c.clock.Now(), time.Time{})
				e.Message = "Facebook shows the comments without the details needed to answer them: the connected account needs full control of the Page (Page settings → Page access). Then reconnect the Page on the Channels screen (in the sidebar)."
				return nil, e
			}
			if seen[g.ID] {
				continue
			}
			seen[g.ID] = true
			pc := publish.Comment{ID: g.ID, PostID: postID, URL: g.Permalink, Text: g.Message, CreatedAt: time.Time(g.CreatedTime),
				Hidden: g.IsHidden, CanReply: g.CanComment, CanHide: g.CanHide, CanDelete: g.CanRemove}
			if g.From != nil {
				pc.Author, pc.AuthorID = g.From.Name, g.From.ID
				pc.FromPage = g.From.ID == c.pageID
			}
			if g.Parent != nil {
				pc.ParentID = g.Parent.ID
			}
			out = append(out, pc)
		}
		after := resp.After()
		if after == "" {
			return out, nil
		}
		q.Set("after", after)
	}
	return out, nil
}

// Reply answers a comment as the Page. Graph has no idempotency key: after
// an uncertain failure, list the comments and look for the reply first.
func (c *Client) Reply(ctx context.Context, cm publish.Comment, text, _ string) (publish.Result, error) {
	form := url.Values{"message": {text}}
	var out struct {
		ID string `json:"id"`
	}
	raw, err := c.do(ctx, http.MethodPost, "/"+url.PathEscape(cm.ID)+"/comments", nil, strings.NewReader(form.Encode()), "application/x-www-form-urlencoded", &out)
	if err != nil {
		return publish.Result{Raw: raw}, publish.Unanswerable(err, "This comment is no longer on Facebook (it was deleted)")
	}
	return publish.Result{ID: out.ID, Raw: raw}, nil
}

// Hide hides someone's comment from everyone but its author and their
// friends (contracts §13.1), or shows it again.
func (c *Client) Hide(ctx context.Context, cm publish.Comment, hidden bool) error {
	if !cm.CanHide {
		e := publish.NewError(publish.Facebook, publish.KindRejected, 0, "cannot_hide", "can_hide false", nil, c.clock.Now(), time.Time{})
		e.Message = "Facebook does not let the Page hide this comment (the Page's own comments cannot be hidden)."
		return e
	}
	form := url.Values{"is_hidden": {map[bool]string{true: "true", false: "false"}[hidden]}}
	_, err := c.do(ctx, http.MethodPost, "/"+url.PathEscape(cm.ID), nil, strings.NewReader(form.Encode()), "application/x-www-form-urlencoded", nil)
	return err
}

// DeleteComment removes a comment the Page may remove; one already gone is
// not an error.
func (c *Client) DeleteComment(ctx context.Context, cm publish.Comment) error {
	if !cm.CanDelete {
		e := publish.NewError(publish.Facebook, publish.KindRejected, 0, "cannot_remove", "can_remove false", nil, c.clock.Now(), time.Time{})
		e.Message = "Facebook does not let the Page delete this comment. Hide it instead."
		return e
	}
	_, err := c.do(ctx, http.MethodDelete, "/"+url.PathEscape(cm.ID), nil, nil, "", nil)
	return publish.Gone(err)
}
