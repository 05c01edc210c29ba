// Package x publishes to one X account through the X API v2 with an OAuth
// 2.0 user token (docs/platform-contracts.md §7).
package x

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"

	"practicepost/app"
	"practicepost/app/publish"
	"practicepost/app/textcount"
)

// DefaultBaseURL is the X API host.
const DefaultBaseURL = "https://api.x.com"

// Limits X applies to posts from a standard account (paid accounts may
// post longer: Options.MaxText). URLs count 23 whatever their length.
var Limits = publish.Limits{
	MaxText:       280,
	CharsPerURL:   23,
	MaxImages:     4,
	MaxImageBytes: publish.DescribedLimits(publish.X).MaxImageBytes, // one place: app/platform.go
	ImageMIMEs:    []string{"image/jpeg", "image/png", "image/gif", "image/webp"},
	AltText:       true,
}

// Scopes are the OAuth 2.0 scopes PracticePost asks X for.
//
// tweet.moderate.write lets the Inbox hide replies in the practice's own
// conversations (contracts §13.7).
var Scopes = []string{"tweet.read", "tweet.write", "users.read", "media.write", "offline.access", "tweet.moderate.write"}

// maxAlt is X's alt text limit.
const maxAlt = 1000

// Options are optional collaborators; zero values get defaults.
type Options struct {
	HTTP  *http.Client // default: 60 s timeout
	Clock app.Clock    // default: app.SystemClock
	// Tokens, when set, supplies the access token for each call (X tokens
	// last two hours; an oauth2 TokenSource refreshes them) instead of the
	// fixed token given to NewClient.
	Tokens       oauth2.TokenSource
	MaxText      int           // weighted characters; default 280
	PollInterval time.Duration // media processing; default 1 s
}

// Client posts as one account.
type Client struct {
	base  string
	token string
	opt   Options

	mu     sync.Mutex
	userID string
	handle string
}

var _ publish.Publisher = (*Client)(nil)

// NewClient returns a client using an OAuth 2.0 user access token.
func NewClient(baseURL, token string, opt Options) *Client {
	publish.ClientDefaults(&opt.HTTP, &opt.Clock)
	if opt.MaxText == 0 {
		opt.MaxText = Limits.MaxText
	}
	if opt.PollInterval == 0 {
		opt.PollInterval = time.Second
	}
	return &Client{base: strings.TrimRight(baseURL, "/"), token: token, opt: opt}
}

func (c *Client) Platform() publish.Platform { return publish.X }

func (c *Client) Limits(context.Context) (publish.Limits, error) {
	l := Limits
	l.MaxText = c.opt.MaxText
	return l, nil
}

func (c *Client) now() time.Time { return c.opt.Clock.Now() }

func (c *Client) accessToken() (string, error) {
	return publish.AccessToken(publish.X, c.opt.Tokens, c.token, c.now())
}

// do sends a request and decodes a 2xx JSON answer into out.
func (c *Client) do(ctx context.Context, method, path string, body io.Reader, contentType string, out any) (int, []byte, error) {
	tok, err := c.accessToken()
	if err != nil {
		return 0, nil, err
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, body)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Accept", "application/json")
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, raw, err := publish.Do(c.opt.HTTP, req, publish.X)
	if err != nil {
		return 0, nil, err
	}
	if resp.StatusCode >= 300 {
		return resp.StatusCode, raw, classify(resp, raw, c.now())
	}
	return resp.StatusCode, raw, publish.Decode(publish.X, resp.StatusCode, raw, out, c.now())
}

// apiError covers both shapes X answers with: problem+json (type, title,
// detail, status) and the legacy {"errors":[{code,message}]}; v2 validation
// errors carry both at once.
type apiError struct {
	Type   string `json:"type"`
	Title  string `json:"title"`
	Detail string `json:"detail"`
	Status int    `json:"status"`
	Errors []struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"errors"`
}

func classify(resp *http.Response, raw []byte, now time.Time) *publish.Error {
	var ae apiError
	json.Unmarshal(raw, &ae)
	msg := ae.Detail
	if msg == "" {
		msg = ae.Title
	}
	legacy := 0
	if len(ae.Errors) > 0 {
		legacy = ae.Errors[0].Code
		if ae.Errors[0].Message != "" && (msg == "" || ae.Type == "" || strings.HasSuffix(ae.Type, "/invalid-request")) {
			msg = ae.Errors[0].Message
		}
	}
	if msg == "" {
		msg = http.StatusText(resp.StatusCode)
	}
	code := strings.TrimPrefix(ae.Type, "https://api.x.com/2/problems/")
	if legacy != 0 {
		code = fmt.Sprint(legacy)
	}
	lower := strings.ToLower(msg)
	var kind publish.Kind
	var reset time.Time
	user := ""
	switch s := resp.StatusCode; {
	case s == http.StatusTooManyRequests || legacy == 88:
		kind = publish.KindRateLimited
		reset = rateReset(resp.Header, now)
	case s == http.StatusUnauthorized || legacy == 89 || legacy == 32:
		kind = publish.KindAuth
	case legacy == 187 || strings.Contains(lower, "duplicate content"):
		kind = publish.KindRejected
		user = "X refused this post because the account posted the same text recently. Change the wording a little and send it again."
	case s == http.StatusPaymentRequired || strings.Contains(ae.Type, "credits"):
		kind = publish.KindPermission
		user = "X says the account's API credits have run out, so it will not take posts from PracticePost. Add credits in the X developer console, then choose Publish now."
	case s == http.StatusForbidden || legacy == 326 || legacy == 453:
		kind = publish.KindPermission
		user = "X says PracticePost's connection may not do this (the account may be locked, or a permission was not granted). Open Channels (in the sidebar) and reconnect X with every permission ticked."
	case s == http.StatusNotFound:
		kind = publish.KindNotFound
	case s >= 500:
		kind = publish.KindTransient
	default:
		kind = publish.KindRejected
	}
	return publish.NewError(publish.X, kind, resp.StatusCode, code, msg, raw, now, reset).WithMessage(user)
}

// rateReset reads x-rate-limit-reset (Unix seconds) and, when the
// account's 24-hour posting cap is the one used up, its own reset.
func rateReset(h http.Header, now time.Time) time.Time {
	reset := publish.ParseReset(h.Get("x-rate-limit-reset"), now)
	if h.Get("x-user-limit-24hour-remaining") == "0" {
		if day := publish.ParseReset(h.Get("x-user-limit-24hour-reset"), now); day.After(reset) {
			reset = day
		}
	}
	if reset.IsZero() {
		// Most X windows are 15 minutes.
		reset = now.Add(15 * time.Minute)
	}
	return reset
}

func rejected(now time.Time, code, msg string) *publish.Error {
	return publish.Rejected(publish.X, now, code, msg)
}

type user struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Username string `json:"username"`
}

// Verify checks the token and returns the account it posts as.
func (c *Client) Verify(ctx context.Context) (publish.Account, error) {
	var out struct {
		Data user `json:"data"`
	}
	if _, _, err := c.do(ctx, http.MethodGet, "/2/users/me", nil, "", &out); err != nil {
		return publish.Account{}, err
	}
	c.mu.Lock()
	c.userID, c.handle = out.Data.ID, out.Data.Username
	c.mu.Unlock()
	return publish.Account{ID: out.Data.ID, Name: out.Data.Name, Handle: "@" + out.Data.Username, Scopes: Scopes}, nil
}

func (c *Client) me(ctx context.Context) (string, error) {
	c.mu.Lock()
	id := c.userID
	c.mu.Unlock()
	if id != "" {
		return id, nil
	}
	a, err := c.Verify(ctx)
	return a.ID, err
}

type media struct {
	ID             string `json:"id"`
	MediaKey       string `json:"media_key"`
	ProcessingInfo *struct {
		State          string `json:"state"`
		CheckAfterSecs int    `json:"check_after_secs"`
		Error          *struct {
			Message string `json:"message"`
		} `json:"error"`
	} `json:"processing_info"`
}

// UploadImage sends the image in one multipart request
// (media_category=tweet_image), waits for processing if X asks for it, and
// sets the alt text.
func (c *Client) UploadImage(ctx context.Context, img publish.Image) (publish.MediaRef, error) {
	now := c.now()
	if len(img.Data) == 0 {
		return publish.MediaRef{}, rejected(now, "image_empty", "The image for X is empty. Render the image again.")
	}
	if len(img.Data) > Limits.MaxImageBytes {
		return publish.MediaRef{}, rejected(now, "image_too_large", fmt.Sprintf("The image is %.1f MB; X takes at most 5 MB. Export a smaller JPEG and try again.", float64(len(img.Data))/(1<<20)))
	}
	form, ctype, err := publish.ImageForm("media", img, url.Values{"media_category": {"tweet_image"}, "media_type": {img.MIME}})
	if err != nil {
		return publish.MediaRef{}, err
	}
	var out struct {
		Data media `json:"data"`
	}
	if _, _, err := c.do(ctx, http.MethodPost, "/2/media/upload", form, ctype, &out); err != nil {
		return publish.MediaRef{}, err
	}
	m := out.Data
	for m.ProcessingInfo != nil && (m.ProcessingInfo.State == "pending" || m.ProcessingInfo.State == "in_progress") {
		wait := c.opt.PollInterval
		if s := time.Duration(m.ProcessingInfo.CheckAfterSecs) * time.Second; s > 0 && s < wait {
			wait = s
		}
		if err := publish.Pause(ctx, wait); err != nil {
			return publish.MediaRef{}, publish.NetworkError(publish.X, err, false)
		}
		out.Data = media{}
		if _, _, err := c.do(ctx, http.MethodGet, "/2/media/upload?command=STATUS&media_id="+url.QueryEscape(m.ID), nil, "", &out); err != nil {
			return publish.MediaRef{}, err
		}
		if out.Data.ID == "" {
			out.Data.ID = m.ID
		}
		m = out.Data
	}
	if m.ProcessingInfo != nil && m.ProcessingInfo.State == "failed" {
		msg := "X could not process the image. Export it again as JPEG or PNG and send again."
		if m.ProcessingInfo.Error != nil && m.ProcessingInfo.Error.Message != "" {
			msg = "X could not process the image (" + m.ProcessingInfo.Error.Message + "). Export it again as JPEG or PNG and send again."
		}
		return publish.MediaRef{}, rejected(now, "media_failed", msg)
	}
	if m.ID == "" {
		return publish.MediaRef{}, publish.NewError(publish.X, publish.KindTransient, 0, "", "upload answered without a media id", nil, now, time.Time{})
	}
	if alt := strings.TrimSpace(img.Alt); alt != "" {
		if r := []rune(alt); len(r) > maxAlt {
			alt = string(r[:maxAlt])
		}
		body, _ := json.Marshal(map[string]any{"id": m.ID, "metadata": map[string]any{"alt_text": map[string]any{"text": alt}}})
		if _, _, err := c.do(ctx, http.MethodPost, "/2/media/metadata", bytes.NewReader(body), "application/json", nil); err != nil {
			return publish.MediaRef{}, err
		}
	}
	return publish.MediaRef{ID: m.ID, Alt: img.Alt, Width: img.Width, Height: img.Height}, nil
}

// CreatePost creates a post. X has no idempotency key: after an uncertain
// failure, FindPost before sending again.
func (c *Client) CreatePost(ctx context.Context, p publish.Post) (publish.Result, error) {
	now := c.now()
	if !p.ScheduledAt.IsZero() {
		return publish.Result{}, rejected(now, "no_native_schedule", "X does not hold scheduled posts for PracticePost; it sends them itself at the time.")
	}
	text := publish.ComposeText(p.Text, p.Link)
	if n := textcount.X(text); n > c.opt.MaxText {
		return publish.Result{}, rejected(now, "text_too_long", fmt.Sprintf("The post is %d characters as X counts them (links count 23, emoji 2); X takes %d. Shorten it and send again.", n, c.opt.MaxText))
	}
	if text == "" && len(p.Media) == 0 {
		return publish.Result{}, rejected(now, "empty", "The post has no text and no image.")
	}
	if len(p.Media) > Limits.MaxImages {
		return publish.Result{}, rejected(now, "too_many_images", "X takes at most 4 images per post. Remove the extra images.")
	}
	body := map[string]any{}
	if text != "" {
		body["text"] = text
	}
	if len(p.Media) > 0 {
		ids := make([]string, len(p.Media))
		for i, m := range p.Media {
			ids[i] = m.ID
		}
		body["media"] = map[string]any{"media_ids": ids}
	}
	b, _ := json.Marshal(body)
	var out struct {
		Data struct {
			ID   string `json:"id"`
			Text string `json:"text"`
		} `json:"data"`
	}
	_, raw, err := c.do(ctx, http.MethodPost, "/2/tweets", bytes.NewReader(b), "application/json", &out)
	if err != nil {
		return publish.Result{}, err
	}
	return publish.Result{ID: out.Data.ID, URL: c.postURL(out.Data.ID), Raw: raw}, nil
}

func (c *Client) postURL(id string) string {
	if id == "" {
		return ""
	}
	c.mu.Lock()
	h := c.handle
	c.mu.Unlock()
	if h == "" {
		h = "i/web"
	}
	return "https://x.com/" + h + "/status/" + id
}

var urlRE = regexp.MustCompile(`https?://\S+`)

// comparable drops every link and collapses spaces: X returns links
// shortened to t.co and appends a t.co link per image.
func comparable(s string) string {
	return strings.Join(strings.Fields(urlRE.ReplaceAllString(s, " ")), " ")
}

// FindPost looks for p among the account's posts since the given time by
// its text (links aside). X refuses duplicate text, so it identifies a post.
func (c *Client) FindPost(ctx context.Context, p publish.Post, since time.Time) (publish.Result, bool, error) {
	id, err := c.me(ctx)
	if err != nil {
		return publish.Result{}, false, err
	}
	q := url.Values{"max_results": {"20"}, "tweet.fields": {"created_at,text"}, "exclude": {"replies,retweets"}}
	if !since.IsZero() {
		q.Set("start_time", since.Add(-time.Minute).UTC().Format(time.RFC3339))
	}
	var out struct {
		Data []struct {
			ID   string `json:"id"`
			Text string `json:"text"`
		} `json:"data"`
	}
	_, raw, err := c.do(ctx, http.MethodGet, "/2/users/"+url.PathEscape(id)+"/tweets?"+q.Encode(), nil, "", &out)
	if err != nil {
		return publish.Result{}, false, err
	}
	want := comparable(publish.ComposeText(p.Text, p.Link))
	for _, t := range out.Data {
		if comparable(t.Text) == want {
			return publish.Result{ID: t.ID, URL: c.postURL(t.ID), Raw: raw}, true, nil
		}
	}
	return publish.Result{}, false, nil
}

// DeletePost removes a post; one that is already gone counts as removed.
func (c *Client) DeletePost(ctx context.Context, id string) error {
	var out struct {
		Data struct {
			Deleted bool `json:"deleted"`
		} `json:"data"`
	}
	_, raw, err := c.do(ctx, http.MethodDelete, "/2/tweets/"+url.PathEscape(id), nil, "", &out)
	if err != nil {
		return publish.Gone(err)
	}
	if out.Data.Deleted {
		return nil
	}
	// X answers deleted:false for a post it could not delete, which
	// includes one deleted before: look it up to tell the two apart.
	if _, err := c.Metrics(ctx, id); publish.KindOf(err) == publish.KindNotFound {
		return nil
	}
	return publish.NewError(publish.X, publish.KindTransient, http.StatusOK, "not_deleted", "X answered that the post was not deleted", raw, c.now(), time.Time{})
}

// Followers reads the account's follower count (public_metrics of the
// signed-in user, GET /2/users/me), the figure Insights shows as followers
// and growth. Not in platform-contracts.md §7.5, which lists post metrics
// only; user.fields=public_metrics is X's user lookup reference. An owned
// read, so one per collection run costs about $0.001.
func (c *Client) Followers(ctx context.Context) (int, error) {
	var out struct {
		Data struct {
			PublicMetrics struct {
				Followers *int `json:"followers_count"`
			} `json:"public_metrics"`
		} `json:"data"`
	}
	_, raw, err := c.do(ctx, http.MethodGet, "/2/users/me?user.fields=public_metrics", nil, "", &out)
	if err != nil {
		return 0, err
	}
	return publish.FollowerCount(publish.X, out.Data.PublicMetrics.Followers, raw, c.now())
}

// Metrics reads the public counters. Each read costs API credits.
func (c *Client) Metrics(ctx context.Context, id string) (publish.Metrics, error) {
	var out struct {
		Data struct {
			PublicMetrics struct {
				Like       int  `json:"like_count"`
				Reply      int  `json:"reply_count"`
				Retweet    *int `json:"retweet_count"`
				Repost     *int `json:"repost_count"`
				Quote      int  `json:"quote_count"`
				Impression *int `json:"impression_count"`
			} `json:"public_metrics"`
		} `json:"data"`
		Errors []struct {
			Type   string `json:"type"`
			Detail string `json:"detail"`
		} `json:"errors"`
	}
	_, raw, err := c.do(ctx, http.MethodGet, "/2/tweets/"+url.PathEscape(id)+"?tweet.fields=public_metrics", nil, "", &out)
	if err != nil {
		return publish.Metrics{}, err
	}
	// A missing post is a 200 with a partial error and no data.
	if len(out.Errors) > 0 && strings.HasSuffix(out.Errors[0].Type, "/resource-not-found") {
		return publish.Metrics{}, publish.NewError(publish.X, publish.KindNotFound, http.StatusOK, "resource-not-found", out.Errors[0].Detail, raw, c.now(), time.Time{})
	}
	pm := out.Data.PublicMetrics
	m := publish.Metrics{Reactions: pm.Like, Comments: pm.Reply, Quotes: pm.Quote, Views: pm.Impression}
	// The spec renamed retweet_count to repost_count; accept either.
	if pm.Repost != nil {
		m.Shares = *pm.Repost
	} else if pm.Retweet != nil {
		m.Shares = *pm.Retweet
	}
	return m, nil
}
