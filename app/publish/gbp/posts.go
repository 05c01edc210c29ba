package gbp

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"practicepost/app/publish"
)

// CreatePost creates the local post and waits while Google processes it.
// Only a post Google says is LIVE is published. One answered REJECTED is
// refused, never published. One still PROCESSING when the wait ends (or
// whose state could not be read) exists but may yet be rejected: that is a
// transient, uncertain error, so the queue keeps the job waiting and asks
// FindPost again later instead of posting twice or calling it live.
func (c *Client) CreatePost(ctx context.Context, p publish.Post) (publish.Result, error) {
	now := c.now()
	keep := false
	defer func() {
		if keep || c.opt.Host == nil {
			return
		}
		for _, m := range p.Media {
			if m.URL == "" {
				continue
			}
			if err := c.opt.Host.Delete(context.WithoutCancel(ctx), m.ID); err != nil {
				slog.Warn("gbp: could not remove a hosted photo", "err", err)
			}
		}
	}()
	if !p.ScheduledAt.IsZero() {
		return publish.Result{}, rejected(now, "no_native_schedule", "Google does not schedule Business Profile posts; PracticePost sends them itself at the time.")
	}
	if len(p.Media) > Limits.MaxImages {
		return publish.Result{}, rejected(now, "too_many_images", "PracticePost posts one photo per Google post. Remove the extra images.")
	}
	for _, m := range p.Media {
		if m.URL == "" {
			return publish.Result{}, rejected(now, "image_not_hosted", "The photo for Google was not uploaded to the storage bucket. Send the post again.")
		}
	}
	lp, err := Build(p, c.opt.Language)
	if err != nil {
		return publish.Result{}, rejected(now, "invalid_post", err.Error())
	}
	var out LocalPost
	raw, err := c.do(ctx, http.MethodPost, c.base+"/v4/"+c.parent+"/localPosts", lp, &out)
	if err != nil {
		return publish.Result{}, err
	}
	for polls := 0; out.State != stateLive && out.State != stateRejected; polls++ {
		// The post exists from here on, and Google may still be downloading
		// the photo: it stays in the bucket (the bucket's sweep removes it).
		if time.Duration(polls+1)*c.opt.PollInterval > c.opt.PollTimeout {
			keep = true
			return publish.Result{}, c.stillProcessing(raw, nil)
		}
		if err := publish.Pause(ctx, c.opt.PollInterval); err != nil {
			keep = true
			return publish.Result{}, c.stillProcessing(raw, err)
		}
		var next LocalPost
		r, err := c.do(ctx, http.MethodGet, c.base+"/v4/"+out.Name, nil, &next)
		if err != nil {
			keep = true
			return publish.Result{}, c.stillProcessing(raw, err)
		}
		out, raw = next, r
	}
	if out.State == stateRejected {
		return publish.Result{}, c.rejectedPost(raw)
	}
	return c.result(out, raw), nil
}

// LocalPost states (contracts §4.2). Anything but LIVE and REJECTED,
// including a state Google may add later, means "not decided yet".
const (
	stateLive       = "LIVE"
	stateRejected   = "REJECTED"
	stateProcessing = "PROCESSING"
)

// stillProcessing is the answer for a post Google holds but has not put on
// the profile yet. Uncertain makes the queue look it up (FindPost) before
// anything else, so it is never sent twice; transient makes it wait and
// look again with backoff.
func (c *Client) stillProcessing(raw []byte, cause error) *publish.Error {
	e := publish.NewError(publish.Google, publish.KindTransient, http.StatusOK, stateProcessing, "state "+stateProcessing, raw, c.now(), time.Time{})
	e.Uncertain, e.Err = true, cause
	e.Message = "Google has the post and is still checking it, so it is not on the profile yet. PracticePost looks again by itself and shows it as live once Google does; it will not be posted twice."
	return e
}

// rejectedPost is Google's policy review saying no, on a 200. The
// LocalPost carries no reason field, so the message names the usual ones.
func (c *Client) rejectedPost(raw []byte) *publish.Error {
	e := publish.NewError(publish.Google, publish.KindRejected, http.StatusOK, stateRejected, "state "+stateRejected, raw, c.now(), time.Time{})
	e.Message = "Google rejected this post for breaking its Business Profile content policy (for example a phone number in the text, or wording Google considers medical advertising). It is not on the profile. Edit the post and send it again."
	return e
}

func (c *Client) result(lp LocalPost, raw []byte) publish.Result {
	return publish.Result{ID: lp.Name, URL: lp.SearchURL, Raw: raw}
}

// FindPost looks for p among the location's posts by its summary. Only a
// LIVE post is found. A match Google is still processing is read again by
// name and, while undecided, answered with the same transient error as
// CreatePost, so the job keeps waiting; a match Google rejected is
// answered with the rejection, which settles the job: it is not on the
// profile and sending it again would only be rejected again.
func (c *Client) FindPost(ctx context.Context, p publish.Post, since time.Time) (publish.Result, bool, error) {
	var out struct {
		LocalPosts []LocalPost `json:"localPosts"`
	}
	raw, err := c.do(ctx, http.MethodGet, c.base+"/v4/"+c.parent+"/localPosts?pageSize=100", nil, &out)
	if err != nil {
		return publish.Result{}, false, err
	}
	built, _ := Build(p, c.opt.Language)
	want := normalize(built.Summary)
	var pending, refused *LocalPost
	for i, lp := range out.LocalPosts {
		if ct, err := time.Parse(time.RFC3339Nano, lp.CreateTime); err == nil && !since.IsZero() && ct.Before(since.Add(-time.Minute)) {
			continue
		}
		if normalize(lp.Summary) != want {
			continue
		}
		switch lp.State {
		case stateLive:
			return c.result(lp, raw), true, nil
		case stateRejected:
			if refused == nil {
				refused = &out.LocalPosts[i]
			}
		default:
			if pending == nil {
				pending = &out.LocalPosts[i]
			}
		}
	}
	if pending != nil {
		var cur LocalPost
		r, err := c.do(ctx, http.MethodGet, c.base+"/v4/"+pending.Name, nil, &cur)
		switch {
		case err != nil:
			return publish.Result{}, false, err
		case cur.State == stateLive:
			return c.result(cur, r), true, nil
		case cur.State == stateRejected:
			return publish.Result{}, false, c.rejectedPost(r)
		}
		return publish.Result{}, false, c.stillProcessing(r, nil)
	}
	if refused != nil {
		b, _ := json.Marshal(refused)
		return publish.Result{}, false, c.rejectedPost(b)
	}
	return publish.Result{}, false, nil
}

func normalize(s string) string { return strings.Join(strings.Fields(s), " ") }

// DeletePost removes a local post by name; one already gone is removed.
func (c *Client) DeletePost(ctx context.Context, id string) error {
	if !strings.HasPrefix(id, c.parent+"/localPosts/") {
		return rejected(c.now(), "foreign_post", "This Google post does not belong to the connected location.")
	}
	_, err := c.do(ctx, http.MethodDelete, c.base+"/v4/"+id, nil, nil)
	return publish.Gone(err)
}
