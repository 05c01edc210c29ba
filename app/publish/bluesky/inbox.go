package bluesky

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"time"

	"practicepost/app/publish"
)

var _ publish.Inboxer = (*Client)(nil)

const threadgateCollection = "app.bsky.feed.threadgate"

type threadNode struct {
	Type     string        `json:"$type"`
	URI      string        `json:"uri"`
	Post     *postView     `json:"post"`
	Replies  []*threadNode `json:"replies"`
	NotFound bool          `json:"notFound"`
	Blocked  bool          `json:"blocked"`
}

type postView struct {
	URI    string `json:"uri"`
	CID    string `json:"cid"`
	Author struct {
		DID         string `json:"did"`
		Handle      string `json:"handle"`
		DisplayName string `json:"displayName"`
	} `json:"author"`
	Record struct {
		Text      string `json:"text"`
		CreatedAt string `json:"createdAt"`
		Reply     *struct {
			Root, Parent strongRef
		} `json:"reply"`
	} `json:"record"`
}

type strongRef struct {
	URI string `json:"uri"`
	CID string `json:"cid"`
}

type threadgate struct {
	Type          string            `json:"$type"`
	Post          string            `json:"post"`
	Allow         []json.RawMessage `json:"allow,omitempty"` // kept as it is: omitted means anyone may reply
	HiddenReplies []string          `json:"hiddenReplies"`
	CreatedAt     string            `json:"createdAt"`
}

// Comments lists every reply under one of the account's posts from
// getPostThread (contracts §13.6). Deleted and blocked replies are left
// out (the thread shows them as #notFoundPost / #blockedPost, with no
// replies of their own). A reply the
// thread's threadgate hides comes back Hidden.
func (c *Client) Comments(ctx context.Context, postID string) ([]publish.Comment, error) {
	s, err := c.ensure(ctx)
	if err != nil {
		return nil, err
	}
	var out struct {
		Thread     *threadNode `json:"thread"`
		Threadgate *struct {
			Record threadgate `json:"record"`
		} `json:"threadgate"`
	}
	q := url.Values{"uri": {postID}, "depth": {"1000"}, "parentHeight": {"0"}}
	if _, err := c.call(ctx, http.MethodGet, "app.bsky.feed.getPostThread", q, nil, "", &out); err != nil {
		return nil, err
	}
	var hidden []string
	if out.Threadgate != nil {
		hidden = out.Threadgate.Record.HiddenReplies
	}
	rootRepo, _, _, _ := splitURI(postID)
	ownsRoot := rootRepo == s.DID
	comments := []publish.Comment{}
	var walk func(n *threadNode, parent string)
	walk = func(n *threadNode, parent string) {
		if n == nil {
			return
		}
		next := parent
		if n.Post != nil && !n.NotFound && !n.Blocked && n.Post.URI != postID {
			p := n.Post
			own := p.Author.DID == s.DID
			cm := publish.Comment{ID: p.URI, PostID: postID, ParentID: parent, Text: p.Record.Text, AuthorID: p.Author.DID,
				Author: p.Author.DisplayName, FromPage: own, CanReply: true, CanHide: ownsRoot && !own, CanDelete: own,
				Hidden: slices.Contains(hidden, p.URI)}
			if cm.Author == "" {
				cm.Author = p.Author.Handle
			}
			if _, _, rkey, ok := splitURI(p.URI); ok && p.Author.Handle != "" {
				cm.URL = "https://bsky.app/profile/" + p.Author.Handle + "/post/" + rkey
			}
			cm.CreatedAt, _ = time.Parse(time.RFC3339Nano, p.Record.CreatedAt)
			cm.UpdatedAt = cm.CreatedAt
			comments = append(comments, cm)
			next = p.URI
		} else if n.Post == nil || n.NotFound || n.Blocked {
			// A deleted or blocked reply: the lexicon gives it no replies,
			// but should a server send some, they stand at the top level.
			next = ""
		}
		for _, r := range n.Replies {
			walk(r, next)
		}
	}
	if out.Thread != nil {
		for _, r := range out.Thread.Replies {
			walk(r, "")
		}
	}
	return comments, nil
}

// Reply answers a post as the account: both strong refs are read fresh
// (root = the parent's own root when the parent is itself a reply).
// Bluesky has no idempotency key; the record's createdAt is the attempt's
// own, so reconciliation can find it.
func (c *Client) Reply(ctx context.Context, cm publish.Comment, text, _ string) (publish.Result, error) {
	if err := CheckText(text); err != nil {
		return publish.Result{}, err
	}
	var got struct {
		Posts []postView `json:"posts"`
	}
	if _, err := c.call(ctx, http.MethodGet, "app.bsky.feed.getPosts", url.Values{"uris": {cm.ID}}, nil, "", &got); err != nil {
		return publish.Result{}, err
	}
	if len(got.Posts) == 0 {
		e := publish.NewError(publish.Bluesky, publish.KindNotFound, 0, "NotFound", "", nil, c.clock.Now(), time.Time{})
		return publish.Result{}, publish.Unanswerable(e, "This reply is no longer on Bluesky (it was deleted)")
	}
	parent := got.Posts[0]
	root := strongRef{URI: parent.URI, CID: parent.CID}
	if parent.Record.Reply != nil && parent.Record.Reply.Root.URI != "" {
		root = parent.Record.Reply.Root
	}
	s, err := c.ensure(ctx)
	if err != nil {
		return publish.Result{}, err
	}
	rec := Record(publish.Post{Text: text}, c.clock.Now())
	rec["reply"] = map[string]any{"root": root, "parent": strongRef{URI: parent.URI, CID: parent.CID}}
	body, _ := json.Marshal(map[string]any{"repo": s.DID, "collection": collection, "record": rec})
	var out struct {
		URI string `json:"uri"`
	}
	raw, err := c.call(ctx, http.MethodPost, "com.atproto.repo.createRecord", nil, body, "application/json", &out)
	if err != nil {
		return publish.Result{Raw: raw}, err
	}
	return publish.Result{ID: out.URI, URL: c.webURL(out.URI), Raw: raw}, nil
}

// Hide adds the reply to (or takes it off) the thread's threadgate
// hiddenReplies, keeping whatever reply rules the thread already has. Only
// threads the account started can be gated.
func (c *Client) Hide(ctx context.Context, cm publish.Comment, hidden bool) error {
	s, err := c.ensure(ctx)
	if err != nil {
		return err
	}
	repo, _, rkey, ok := splitURI(cm.PostID)
	if !ok || repo != s.DID || !cm.CanHide {
		return rejected(c.clock.Now(), "cannot_hide", "Bluesky lets an account hide replies only in threads it started. Block or report the account on Bluesky instead.")
	}
	var cur struct {
		Value threadgate `json:"value"`
	}
	_, err = c.call(ctx, http.MethodGet, "com.atproto.repo.getRecord", url.Values{"repo": {s.DID}, "collection": {threadgateCollection}, "rkey": {rkey}}, nil, "", &cur)
	var pe *publish.Error
	switch {
	case err == nil:
	case asPublish(err, &pe) && (pe.Code == "RecordNotFound" || pe.Kind == publish.KindNotFound):
		cur.Value = threadgate{Post: cm.PostID, CreatedAt: timestamp(c.clock.Now())}
	default:
		return err
	}
	g := cur.Value
	g.Type, g.Post = threadgateCollection, cm.PostID
	g.HiddenReplies = slices.DeleteFunc(g.HiddenReplies, func(u string) bool { return u == cm.ID })
	if hidden {
		if len(g.HiddenReplies) >= 300 {
			return rejected(c.clock.Now(), "too_many_hidden", "Bluesky hides at most 300 replies in one thread. Show one again first, or block the account on Bluesky.")
		}
		g.HiddenReplies = append(g.HiddenReplies, cm.ID)
	}
	if g.HiddenReplies == nil {
		g.HiddenReplies = []string{}
	}
	body, _ := json.Marshal(map[string]any{"repo": s.DID, "collection": threadgateCollection, "rkey": rkey, "record": g})
	_, err = c.call(ctx, http.MethodPost, "com.atproto.repo.putRecord", nil, body, "application/json", nil)
	return err
}

func asPublish(err error, pe **publish.Error) bool {
	e, ok := err.(*publish.Error)
	*pe = e
	return ok
}

// DeleteComment deletes the account's own reply; others' can only be hidden.
func (c *Client) DeleteComment(ctx context.Context, cm publish.Comment) error {
	if !cm.FromPage {
		return rejected(c.clock.Now(), "not_supported", "Bluesky does not let an account delete other people's replies. Hide it instead.")
	}
	return c.DeletePost(ctx, cm.ID)
}
