package mastodon

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"time"

	"practicepost/app/publish"
)

var _ publish.Inboxer = (*Client)(nil)

type contextStatus struct {
	ID          string  `json:"id"`
	URL         string  `json:"url"`
	CreatedAt   string  `json:"created_at"`
	EditedAt    *string `json:"edited_at"`
	Content     string  `json:"content"`
	InReplyToID *string `json:"in_reply_to_id"`
	Visibility  string  `json:"visibility"`
	Account     struct {
		ID          string `json:"id"`
		Acct        string `json:"acct"`
		DisplayName string `json:"display_name"`
	} `json:"account"`
}

// ownID is the account's id: the one Verify read, or Verify's answer when
// it has not been called yet.
func (c *Client) ownID(ctx context.Context) (string, error) {
	c.mu.Lock()
	id := c.accountID
	c.mu.Unlock()
	if id != "" {
		return id, nil
	}
	a, err := c.Verify(ctx)
	return a.ID, err
}

// Comments lists every reply under one of the account's statuses, at any
// depth, from /statuses/:id/context (contracts §13.5), threaded by
// in_reply_to_id. Mastodon has no API to hide or delete others' replies.
func (c *Client) Comments(ctx context.Context, postID string) ([]publish.Comment, error) {
	own, err := c.ownID(ctx)
	if err != nil {
		return nil, err
	}
	var thread struct {
		Descendants []contextStatus `json:"descendants"`
	}
	if _, err := c.getJSON(ctx, "/api/v1/statuses/"+url.PathEscape(postID)+"/context", &thread); err != nil {
		return nil, err
	}
	out := []publish.Comment{}
	for _, st := range thread.Descendants {
		pc := publish.Comment{ID: st.ID, PostID: postID, URL: st.URL, Text: plain(st.Content), AuthorID: st.Account.ID,
			Author: st.Account.DisplayName, FromPage: st.Account.ID == own, CanReply: true}
		if pc.Author == "" {
			pc.Author = st.Account.Acct
		}
		if st.InReplyToID != nil && *st.InReplyToID != postID {
			pc.ParentID = *st.InReplyToID
		}
		pc.CreatedAt, _ = time.Parse(time.RFC3339Nano, st.CreatedAt)
		pc.UpdatedAt = pc.CreatedAt
		if st.EditedAt != nil {
			pc.UpdatedAt, _ = time.Parse(time.RFC3339Nano, *st.EditedAt)
		}
		out = append(out, pc)
	}
	return out, nil
}

var visibilityOrder = []string{"public", "unlisted", "private", "direct"}

// Reply answers a status as the account, never more widely than the status
// it answers (our rule: a followers-only reply stays followers-only). The
// key is sent as Idempotency-Key, so a retried reply is not posted twice.
func (c *Client) Reply(ctx context.Context, cm publish.Comment, text, key string) (publish.Result, error) {
	var parent contextStatus
	if _, err := c.getJSON(ctx, "/api/v1/statuses/"+url.PathEscape(cm.ID), &parent); err != nil {
		return publish.Result{}, publish.Unanswerable(err, "This reply is no longer on Mastodon (it was deleted or is no longer visible)")
	}
	vis := c.opt.Visibility
	if slices.Index(visibilityOrder, parent.Visibility) > slices.Index(visibilityOrder, vis) {
		vis = parent.Visibility
	}
	b, _ := json.Marshal(map[string]any{"status": text, "in_reply_to_id": cm.ID, "visibility": vis})
	var out statusOrScheduled
	_, raw, err := c.do(ctx, http.MethodPost, "/api/v1/statuses", bytes.NewReader(b), "application/json", http.Header{"Idempotency-Key": {key}}, &out)
	if err != nil {
		return publish.Result{Raw: raw}, publish.Unanswerable(err, "This reply is no longer on Mastodon (it was deleted)")
	}
	return toResult(out, raw), nil
}

func notOffered(now time.Time, msg string) error {
	e := publish.NewError(publish.Mastodon, publish.KindRejected, 0, "not_supported", "", nil, now, time.Time{})
	e.Message = msg
	return e
}

// Hide is not offered: Mastodon has no way to hide someone else's reply.
func (c *Client) Hide(context.Context, publish.Comment, bool) error {
	return notOffered(c.opt.Clock.Now(), "Mastodon does not let an account hide other people's replies. You can block or report the account on Mastodon.")
}

// DeleteComment deletes the account's own reply; others' cannot be deleted.
func (c *Client) DeleteComment(ctx context.Context, cm publish.Comment) error {
	if !cm.FromPage {
		return notOffered(c.opt.Clock.Now(), "Mastodon does not let an account delete other people's replies. You can block or report the account on Mastodon.")
	}
	return c.DeletePost(ctx, cm.ID)
}
