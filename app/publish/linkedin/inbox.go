package linkedin

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"practicepost/app/publish"
)

var _ publish.Inboxer = (*Client)(nil)

const maxCommentPages = 100

type liComment struct {
	URN     string `json:"$URN"`
	ID      string `json:"id"`
	Actor   string `json:"actor"`
	Object  string `json:"object"`
	Message struct {
		Text string `json:"text"`
	} `json:"message"`
	Created struct {
		Time int64 `json:"time"`
	} `json:"created"`
	LastModified struct {
		Time int64 `json:"time"`
	} `json:"lastModified"`
	ParentComment   string `json:"parentComment"`
	CommentsSummary struct {
		TotalFirstLevelComments int `json:"totalFirstLevelComments"`
	} `json:"commentsSummary"`
}

// list reads every comment under urn (a post's top-level comments, or a
// comment's replies), count 100 at a time. total may shrink between pages
// when a comment is deleted; the listing stops at an empty page.
func (c *Client) list(ctx context.Context, urn string) ([]liComment, error) {
	var out []liComment
	seen := map[string]bool{}
	start := 0
	for page := 0; page < maxCommentPages; page++ {
		var resp struct {
			Elements []liComment `json:"elements"`
			Paging   struct {
				Start int `json:"start"`
				Count int `json:"count"`
				Total int `json:"total"`
			} `json:"paging"`
		}
		path := fmt.Sprintf("/rest/socialActions/%s/comments?start=%d&count=100", encodeURN(urn), start)
		if _, _, err := c.do(ctx, http.MethodGet, path, nil, nil, &resp); err != nil {
			return nil, err
		}
		for _, e := range resp.Elements {
			if !seen[e.URN] {
				seen[e.URN] = true
				out = append(out, e)
			}
		}
		start += len(resp.Elements)
		if len(resp.Elements) == 0 || start >= resp.Paging.Total {
			return out, nil
		}
	}
	return out, nil
}

// Comments lists a post's comments and, under each that has some, its
// replies (contracts §13.3). Commenters come as member URNs without names;
// the organisation's own comments are FromPage.
func (c *Client) Comments(ctx context.Context, postID string) ([]publish.Comment, error) {
	top, err := c.list(ctx, postID)
	if err != nil {
		return nil, err
	}
	var out []publish.Comment
	add := func(e liComment) {
		pc := publish.Comment{ID: e.URN, ParentID: e.ParentComment, PostID: postID, Text: e.Message.Text, AuthorID: e.Actor,
			FromPage: e.Actor == c.orgURN, CanReply: true, CanDelete: e.Actor == c.orgURN,
			CreatedAt: time.UnixMilli(e.Created.Time).UTC(), UpdatedAt: time.UnixMilli(e.LastModified.Time).UTC(), URL: PostURL(postID)}
		out = append(out, pc)
	}
	for _, e := range top {
		add(e)
		if e.CommentsSummary.TotalFirstLevelComments == 0 {
			continue
		}
		replies, err := c.list(ctx, e.URN)
		if publish.KindOf(err) == publish.KindNotFound {
			continue // deleted since the first listing
		}
		if err != nil {
			return nil, err
		}
		for _, r := range replies {
			add(r)
		}
	}
	if out == nil {
		out = []publish.Comment{}
	}
	return out, nil
}

// Reply answers a comment as the organisation: POST to the comment's own
// comments with parentComment. LinkedIn has no idempotency key.
func (c *Client) Reply(ctx context.Context, cm publish.Comment, text, _ string) (publish.Result, error) {
	parent := cm.ID
	if cm.ParentID != "" {
		parent = cm.ParentID // LinkedIn threads one level deep: answer under the top comment
	}
	body := map[string]any{"actor": c.orgURN, "object": cm.PostID, "parentComment": parent, "message": map[string]any{"text": text}}
	var out liComment
	resp, raw, err := c.do(ctx, http.MethodPost, "/rest/socialActions/"+encodeURN(parent)+"/comments", body, nil, &out)
	if err != nil {
		return publish.Result{Raw: raw}, publish.Unanswerable(err, "This comment is no longer on LinkedIn (it was deleted)")
	}
	id := out.URN
	if id == "" && resp != nil && resp.Header.Get("x-restli-id") != "" {
		id = resp.Header.Get("x-restli-id")
	}
	return publish.Result{ID: id, Raw: raw}, nil
}

// Hide is not offered: LinkedIn has no API to hide a comment.
func (c *Client) Hide(context.Context, publish.Comment, bool) error {
	return rejected(c.now(), "not_supported", "LinkedIn does not let PracticePost hide comments. Open the post on LinkedIn to manage it there.")
}

// DeleteComment deletes the organisation's own comment; members' comments
// cannot be deleted here.
func (c *Client) DeleteComment(ctx context.Context, cm publish.Comment) error {
	if !cm.FromPage {
		return rejected(c.now(), "not_supported", "LinkedIn does not let PracticePost delete other people's comments. Open the post on LinkedIn to report it.")
	}
	id := cm.ID
	if i := strings.LastIndex(id, ","); i >= 0 {
		id = strings.TrimSuffix(id[i+1:], ")")
	}
	target := cm.PostID
	if cm.ParentID != "" {
		target = cm.ParentID
	}
	_, _, err := c.do(ctx, http.MethodDelete, "/rest/socialActions/"+encodeURN(target)+"/comments/"+url.PathEscape(id)+"?actor="+url.QueryEscape(c.orgURN), nil, nil, nil)
	return publish.Gone(err)
}
