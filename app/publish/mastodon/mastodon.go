// Package mastodon publishes to one account on one Mastodon instance
// (docs/platform-contracts.md §5).
package mastodon

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"

	"practicepost/app"
	"practicepost/app/publish"
)

// scheduledPrefix marks ids of scheduled statuses, which live in a
// different table (and id space) than statuses until they go out.
const scheduledPrefix = "scheduled:"

// Options are optional collaborators; zero values get defaults.
type Options struct {
	HTTP         *http.Client  // default: 60 s timeout
	Clock        app.Clock     // default: app.SystemClock
	PollInterval time.Duration // media processing polls; default 1 s
	Visibility   string        // default "public"
}

// Client posts as one account.
type Client struct {
	base  string
	token string
	opt   Options

	mu        sync.Mutex
	accountID string
	limits    *publish.Limits
}

var _ publish.Publisher = (*Client)(nil)

// NewClient returns a client for the instance at instanceURL.
func NewClient(instanceURL, token string, opt Options) *Client {
	publish.ClientDefaults(&opt.HTTP, &opt.Clock)
	if opt.PollInterval == 0 {
		opt.PollInterval = time.Second
	}
	if opt.Visibility == "" {
		opt.Visibility = "public"
	}
	return &Client{base: strings.TrimRight(instanceURL, "/"), token: token, opt: opt}
}

func (c *Client) Platform() publish.Platform { return publish.Mastodon }

// do sends a request and decodes a 2xx JSON answer into out.
func (c *Client) do(ctx context.Context, method, path string, body io.Reader, contentType string, hdr http.Header, out any) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, body)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Accept", "application/json")
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for k, v := range hdr {
		req.Header[k] = v
	}
	resp, raw, err := publish.Do(c.opt.HTTP, req, publish.Mastodon)
	if err != nil {
		return 0, nil, err
	}
	if resp.StatusCode >= 300 {
		return resp.StatusCode, raw, classify(resp, raw, c.opt.Clock.Now())
	}
	return resp.StatusCode, raw, publish.Decode(publish.Mastodon, resp.StatusCode, raw, out, c.opt.Clock.Now())
}

// classify maps a Mastodon error answer ({"error": "..."} or an HTML page
// from the proxy) to a publish.Error.
func classify(resp *http.Response, raw []byte, now time.Time) *publish.Error {
	var body struct {
		Error       string `json:"error"`
		Description string `json:"error_description"`
	}
	msg := http.StatusText(resp.StatusCode)
	if json.Unmarshal(raw, &body) == nil && body.Error != "" {
		msg = body.Error
		if body.Description != "" {
			msg = body.Description
		}
	}
	var kind publish.Kind
	var reset time.Time
	switch s := resp.StatusCode; {
	case s == http.StatusUnauthorized:
		kind = publish.KindAuth
	case s == http.StatusForbidden:
		kind = publish.KindPermission
	case s == http.StatusNotFound || s == http.StatusGone:
		kind = publish.KindNotFound
	case s == http.StatusTooManyRequests:
		kind = publish.KindRateLimited
		reset = publish.ParseReset(resp.Header.Get("X-RateLimit-Reset"), now)
		if reset.IsZero() {
			reset = publish.ParseReset(resp.Header.Get("Retry-After"), now)
		}
	case s == http.StatusUnprocessableEntity && strings.Contains(msg, "not finished processing"):
		kind = publish.KindTransient
	case s >= 500:
		kind = publish.KindTransient
	default:
		kind = publish.KindRejected
	}
	e := publish.NewError(publish.Mastodon, kind, resp.StatusCode, "", msg, raw, now, reset)
	if kind == publish.KindPermission {
		e.Message = "Mastodon says PracticePost's connection may not do this (a permission was not granted). Reconnect Mastodon on the Channels screen (in the sidebar) and approve every permission."
	}
	return e
}

// Verify checks the token and returns the account it posts as.
func (c *Client) Verify(ctx context.Context) (publish.Account, error) {
	var a struct {
		ID          string `json:"id"`
		Acct        string `json:"acct"`
		DisplayName string `json:"display_name"`
	}
	if _, _, err := c.do(ctx, http.MethodGet, "/api/v1/accounts/verify_credentials", nil, "", nil, &a); err != nil {
		return publish.Account{}, err
	}
	c.mu.Lock()
	c.accountID = a.ID
	c.mu.Unlock()
	host := c.base
	if u, err := url.Parse(c.base); err == nil {
		host = u.Host
	}
	return publish.Account{ID: a.ID, Name: a.DisplayName, Handle: "@" + a.Acct + "@" + host, Scopes: strings.Fields(Scopes)}, nil
}

// Followers reads the account's follower count, the engagement-rate basis
// on Mastodon (it reports no reach).
func (c *Client) Followers(ctx context.Context) (int, error) {
	var a struct {
		Followers int `json:"followers_count"`
	}
	if _, _, err := c.do(ctx, http.MethodGet, "/api/v1/accounts/verify_credentials", nil, "", nil, &a); err != nil {
		return 0, err
	}
	return a.Followers, nil
}

// Limits reads this instance's limits from /api/v2/instance (once).
func (c *Client) Limits(ctx context.Context) (publish.Limits, error) {
	c.mu.Lock()
	if c.limits != nil {
		l := *c.limits
		c.mu.Unlock()
		return l, nil
	}
	c.mu.Unlock()
	var inst struct {
		Configuration struct {
			Statuses struct {
				MaxCharacters       int `json:"max_characters"`
				MaxMediaAttachments int `json:"max_media_attachments"`
				CharsPerURL         int `json:"characters_reserved_per_url"`
			} `json:"statuses"`
			Media struct {
				MIMEs          []string `json:"supported_mime_types"`
				ImageSizeLimit int      `json:"image_size_limit"`
			} `json:"media_attachments"`
		} `json:"configuration"`
	}
	if _, _, err := c.do(ctx, http.MethodGet, "/api/v2/instance", nil, "", nil, &inst); err != nil {
		return publish.Limits{}, err
	}
	st, md := inst.Configuration.Statuses, inst.Configuration.Media
	l := publish.Limits{
		MaxText: or(st.MaxCharacters, 500), Graphemes: true, CharsPerURL: or(st.CharsPerURL, 23),
		MaxImages: or(st.MaxMediaAttachments, 4), MaxImageBytes: or(md.ImageSizeLimit, 16<<20),
		AltText: true, ScheduleMin: 5 * time.Minute, IdempotencyKey: true,
	}
	for _, m := range md.MIMEs {
		if strings.HasPrefix(m, "image/") {
			l.ImageMIMEs = append(l.ImageMIMEs, m)
		}
	}
	c.mu.Lock()
	c.limits = &l
	c.mu.Unlock()
	return l, nil
}

func or(v, def int) int {
	if v > 0 {
		return v
	}
	return def
}

type attachment struct {
	ID  string  `json:"id"`
	URL *string `json:"url"`
}

// UploadImage uploads through /api/v2/media and, when the server answers
// 202, polls until processing is done (206 while processing, 200 after).
func (c *Client) UploadImage(ctx context.Context, img publish.Image) (publish.MediaRef, error) {
	if len(img.Data) == 0 {
		e := publish.NewError(publish.Mastodon, publish.KindRejected, 0, "image_empty", "", nil, c.opt.Clock.Now(), time.Time{})
		e.Message = "The image for Mastodon is empty. Render the image again."
		return publish.MediaRef{}, e
	}
	body, ctype, err := publish.ImageForm("file", img, url.Values{"description": {img.Alt}})
	if err != nil {
		return publish.MediaRef{}, err
	}
	var a attachment
	status, _, err := c.do(ctx, http.MethodPost, "/api/v2/media", body, ctype, nil, &a)
	if err != nil {
		return publish.MediaRef{}, err
	}
	for status == http.StatusAccepted || status == http.StatusPartialContent {
		if err := publish.Pause(ctx, c.opt.PollInterval); err != nil {
			return publish.MediaRef{}, publish.NetworkError(publish.Mastodon, err, false)
		}
		status, _, err = c.do(ctx, http.MethodGet, "/api/v1/media/"+url.PathEscape(a.ID), nil, "", nil, &a)
		if err != nil {
			return publish.MediaRef{}, err
		}
	}
	return publish.MediaRef{ID: a.ID, Alt: img.Alt, Width: img.Width, Height: img.Height}, nil
}

// IdempotencyKey is the Idempotency-Key sent for p: p.Key when set,
// otherwise a hash of the content, so a blind retry of the same post within
// Mastodon's one-hour window is still answered with the first status.
func IdempotencyKey(p publish.Post) string {
	if p.Key != "" {
		return p.Key
	}
	h := sha256.New()
	fmt.Fprintf(h, "%q %q %d", p.Text, p.Link, p.ScheduledAt.Unix())
	for _, m := range p.Media {
		fmt.Fprintf(h, " %q", m.ID)
	}
	return "pp-" + hex.EncodeToString(h.Sum(nil))[:32]
}

type statusOrScheduled struct {
	ID          string          `json:"id"`
	URL         string          `json:"url"`
	CreatedAt   string          `json:"created_at"`
	Content     string          `json:"content"`
	ScheduledAt string          `json:"scheduled_at"`
	Params      json.RawMessage `json:"params"`
}

// CreatePost creates a status, or a scheduled status when p.ScheduledAt is
// set (at least 5 minutes ahead). Repeating it with the same p.Key within
// an hour returns the first result instead of posting again.
func (c *Client) CreatePost(ctx context.Context, p publish.Post) (publish.Result, error) {
	body := map[string]any{"status": publish.ComposeText(p.Text, p.Link), "visibility": c.opt.Visibility}
	if len(p.Media) > 0 {
		ids := make([]string, len(p.Media))
		for i, m := range p.Media {
			ids[i] = m.ID
		}
		body["media_ids"] = ids
	}
	if p.Lang != "" {
		body["language"] = p.Lang
	}
	if !p.ScheduledAt.IsZero() {
		body["scheduled_at"] = p.ScheduledAt.UTC().Format(time.RFC3339)
	}
	b, _ := json.Marshal(body)
	hdr := http.Header{"Idempotency-Key": {IdempotencyKey(p)}}
	var out statusOrScheduled
	_, raw, err := c.do(ctx, http.MethodPost, "/api/v1/statuses", bytes.NewReader(b), "application/json", hdr, &out)
	if err != nil {
		return publish.Result{}, err
	}
	return toResult(out, raw), nil
}

func toResult(s statusOrScheduled, raw []byte) publish.Result {
	if len(s.Params) > 0 && string(s.Params) != "null" {
		at, _ := time.Parse(time.RFC3339Nano, s.ScheduledAt)
		return publish.Result{ID: scheduledPrefix + s.ID, Scheduled: true, ScheduledAt: at.UTC(), Raw: raw}
	}
	return publish.Result{ID: s.ID, URL: s.URL, Raw: raw}
}

var (
	breakRe = regexp.MustCompile(`(?i)</p>|<br\s*/?>`)
	tagRe   = regexp.MustCompile(`<[^>]*>`)
)

// plain turns status HTML back into comparable text.
func plain(content string) string {
	s := breakRe.ReplaceAllString(content, " ")
	s = tagRe.ReplaceAllString(s, "")
	return normalize(html.UnescapeString(s))
}

func normalize(s string) string { return strings.Join(strings.Fields(s), " ") }

// FindPost looks for p among the account's scheduled statuses and recent
// statuses by its text. (Repeating CreatePost with the same Key is the
// other safe way within an hour.)
func (c *Client) FindPost(ctx context.Context, p publish.Post, since time.Time) (publish.Result, bool, error) {
	want := normalize(publish.ComposeText(p.Text, p.Link))
	if !p.ScheduledAt.IsZero() {
		var list []statusOrScheduled
		raw, err := c.getJSON(ctx, "/api/v1/scheduled_statuses?limit=40", &list)
		if err != nil {
			return publish.Result{}, false, err
		}
		for _, s := range list {
			var params struct {
				Text string `json:"text"`
			}
			json.Unmarshal(s.Params, &params)
			if normalize(params.Text) == want {
				return toResult(s, raw), true, nil
			}
		}
	}
	acct, err := c.ownID(ctx)
	if err != nil {
		return publish.Result{}, false, err
	}
	var list []statusOrScheduled
	raw, err := c.getJSON(ctx, "/api/v1/accounts/"+url.PathEscape(acct)+"/statuses?limit=40&exclude_replies=true&exclude_reblogs=true", &list)
	if err != nil {
		return publish.Result{}, false, err
	}
	for _, s := range list {
		created, _ := time.Parse(time.RFC3339Nano, s.CreatedAt)
		if !since.IsZero() && created.Before(since.Add(-time.Minute)) {
			continue
		}
		if plain(s.Content) == want {
			return toResult(s, raw), true, nil
		}
	}
	return publish.Result{}, false, nil
}

func (c *Client) getJSON(ctx context.Context, path string, out any) ([]byte, error) {
	_, raw, err := c.do(ctx, http.MethodGet, path, nil, "", nil, out)
	return raw, err
}

// DeletePost deletes a status or cancels a scheduled one; one that is
// already gone counts as deleted.
func (c *Client) DeletePost(ctx context.Context, id string) error {
	path := "/api/v1/statuses/" + url.PathEscape(id)
	if rest, ok := strings.CutPrefix(id, scheduledPrefix); ok {
		path = "/api/v1/scheduled_statuses/" + url.PathEscape(rest)
	}
	_, _, err := c.do(ctx, http.MethodDelete, path, nil, "", nil, nil)
	return publish.Gone(err)
}

// Metrics reads the status's public counters; Mastodon has no views.
func (c *Client) Metrics(ctx context.Context, id string) (publish.Metrics, error) {
	if strings.HasPrefix(id, scheduledPrefix) {
		e := publish.NewError(publish.Mastodon, publish.KindNotFound, 0, "scheduled", "", nil, c.opt.Clock.Now(), time.Time{})
		e.Message = "This Mastodon post has not gone out yet, so it has no figures."
		return publish.Metrics{}, e
	}
	var s struct {
		Favourites int `json:"favourites_count"`
		Reblogs    int `json:"reblogs_count"`
		Replies    int `json:"replies_count"`
		Quotes     int `json:"quotes_count"`
	}
	if _, err := c.getJSON(ctx, "/api/v1/statuses/"+url.PathEscape(id), &s); err != nil {
		return publish.Metrics{}, err
	}
	return publish.Metrics{Reactions: s.Favourites, Shares: s.Reblogs, Comments: s.Replies, Quotes: s.Quotes}, nil
}
