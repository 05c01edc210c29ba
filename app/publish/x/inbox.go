package x

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"time"

	"practicepost/app/publish"
)

var _ publish.Inboxer = (*Client)(nil)

// maxSearchPages bounds one conversation listing (100 a page).
const maxSearchPages = 50

// Comments lists the replies in the conversation a post started, from
// recent search (contracts §13.7): only the last 7 days, so older replies
// are missing and an older reply's answers stand alone in the inbox.
func (c *Client) Comments(ctx context.Context, postID string) ([]publish.Comment, error) {
	own, err := c.me(ctx)
	if err != nil {
		return nil, err
	}
	q := url.Values{"query": {"conversation_id:" + postID}, "max_results": {"100"}, "expansions": {"author_id"},
		"tweet.fields": {"author_id,conversation_id,created_at,in_reply_to_user_id,referenced_tweets"}}
	out := []publish.Comment{}
	for page := 0; page < maxSearchPages; page++ {
		var resp struct {
			Data []struct {
				ID         string `json:"id"`
				Text       string `json:"text"`
				AuthorID   string `json:"author_id"`
				CreatedAt  string `json:"created_at"`
				Referenced []struct {
					Type string `json:"type"`
					ID   string `json:"id"`
				} `json:"referenced_tweets"`
			} `json:"data"`
			Includes struct {
				Users []user `json:"users"`
			} `json:"includes"`
			Meta struct {
				NextToken string `json:"next_token"`
			} `json:"meta"`
		}
		if _, _, err := c.do(ctx, http.MethodGet, "/2/tweets/search/recent?"+q.Encode(), nil, "", &resp); err != nil {
			return nil, err
		}
		users := map[string]user{}
		for _, u := range resp.Includes.Users {
			users[u.ID] = u
		}
		for _, d := range resp.Data {
			u := users[d.AuthorID]
			pc := publish.Comment{ID: d.ID, PostID: postID, Text: d.Text, AuthorID: d.AuthorID, Author: u.Name,
				FromPage: d.AuthorID == own, CanReply: true, CanHide: d.AuthorID != own, CanDelete: d.AuthorID == own}
			if u.Username != "" {
				pc.URL = "https://x.com/" + u.Username + "/status/" + d.ID
			}
			for _, r := range d.Referenced {
				if r.Type == "replied_to" && r.ID != postID {
					pc.ParentID = r.ID
				}
			}
			pc.CreatedAt, _ = time.Parse(time.RFC3339Nano, d.CreatedAt)
			pc.UpdatedAt = pc.CreatedAt
			out = append(out, pc)
		}
		if resp.Meta.NextToken == "" {
			return out, nil
		}
		q.Set("next_token", resp.Meta.NextToken)
	}
	return out, nil
}

// ReplyRefused is the practice manager's message when X turns a reply
// down: most accounts may reply only to people who tagged them.
const ReplyRefused = "X refused the reply: X lets this account reply only to people who tagged the practice (or to its own posts). Open the post on X and reply there."

// Reply answers a post in the practice's conversation. X has no
// idempotency key: after an uncertain failure, list the conversation
// before trying again.
func (c *Client) Reply(ctx context.Context, cm publish.Comment, text, _ string) (publish.Result, error) {
	b, _ := json.Marshal(map[string]any{"text": text, "reply": map[string]any{"in_reply_to_tweet_id": cm.ID}})
	var out struct {
		Data struct {
			ID string `json:"id"`
		} `json:"data"`
	}
	status, raw, err := c.do(ctx, http.MethodPost, "/2/tweets", bytes.NewReader(b), "application/json", &out)
	if err != nil {
		var pe *publish.Error
		if e, ok := err.(*publish.Error); ok {
			pe = e
		}
		if pe != nil && status == http.StatusForbidden {
			m := strings.ToLower(pe.PlatformMessage)
			switch {
			case strings.Contains(m, "deleted or not visible"):
				pe.Kind = publish.KindNotFound
				publish.Unanswerable(pe, "This post is no longer on X (it was deleted or is hidden from the practice)")
			case strings.Contains(m, "not allowed") || strings.Contains(m, "mentioned") || strings.Contains(m, "engaged"):
				pe.Kind, pe.Message = publish.KindRejected, ReplyRefused
			}
		}
		return publish.Result{Raw: raw}, err
	}
	return publish.Result{ID: out.Data.ID, URL: c.postURL(out.Data.ID), Raw: raw}, nil
}

// Hide hides (or shows) a reply in a conversation the practice started; the
// reply's author is not told. Needs the tweet.moderate.write permission.
func (c *Client) Hide(ctx context.Context, cm publish.Comment, hidden bool) error {
	if !cm.CanHide {
		return rejected(c.now(), "cannot_hide", "X does not let the account hide its own posts. Delete the reply instead.")
	}
	b, _ := json.Marshal(map[string]bool{"hidden": hidden})
	_, _, err := c.do(ctx, http.MethodPut, "/2/tweets/"+url.PathEscape(cm.ID)+"/hidden", bytes.NewReader(b), "application/json", nil)
	if pe, ok := err.(*publish.Error); ok && pe.Kind == publish.KindPermission && strings.Contains(strings.ToLower(pe.PlatformMessage), "scope") {
		pe.Message = "X has not given PracticePost permission to hide replies. On the Channels screen (in the sidebar), reconnect X and tick every permission."
	}
	return err
}

// DeleteComment deletes the practice's own reply; others' can only be hidden.
func (c *Client) DeleteComment(ctx context.Context, cm publish.Comment) error {
	if !cm.FromPage {
		return rejected(c.now(), "not_supported", "X does not let the account delete other people's replies. Hide it instead.")
	}
	return c.DeletePost(ctx, cm.ID)
}
