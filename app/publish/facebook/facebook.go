// Package facebook publishes to one Facebook Page through the Graph API
// with a Page access token (docs/platform-contracts.md §1).
package facebook

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"practicepost/app"
	"practicepost/app/publish"
	"practicepost/app/publish/internal/graph"
)

// DefaultBaseURL is the Graph API version this connector was written against.
const DefaultBaseURL = "https://graph.facebook.com/v23.0"

// Limits Facebook applies to Page posts. The scheduling window is commonly
// cited, not confirmed in Meta's docs; the server has the last word.
var Limits = publish.Limits{
	MaxText:       63206,
	MaxImages:     1,
	MaxImageBytes: publish.DescribedLimits(publish.Facebook).MaxImageBytes, // one place: app/platform.go
	ImageMIMEs:    []string{"image/jpeg", "image/png", "image/gif"},
	ScheduleMin:   10 * time.Minute,
	ScheduleMax:   30 * 24 * time.Hour,
	SeparateLink:  true,
}

// RequiredScopes must all be granted to the Page token.
var RequiredScopes = []string{"pages_manage_posts", "pages_read_engagement"}

// Options are optional collaborators; zero values get defaults.
type Options struct {
	HTTP  *http.Client // default: 60 s timeout
	Clock app.Clock    // default: app.SystemClock
}

// Client posts as one Page.
type Client struct {
	base   string
	pageID string
	token  string
	hc     *http.Client
	clock  app.Clock
}

var _ publish.Publisher = (*Client)(nil)

// NewClient returns a client for the Page pageID using a Page access token.
func NewClient(baseURL, pageID, pageToken string, opt Options) *Client {
	publish.ClientDefaults(&opt.HTTP, &opt.Clock)
	return &Client{base: strings.TrimRight(baseURL, "/"), pageID: pageID, token: pageToken, hc: opt.HTTP, clock: opt.Clock}
}

func (c *Client) Platform() publish.Platform { return publish.Facebook }

func (c *Client) Limits(context.Context) (publish.Limits, error) { return Limits, nil }

// do sends a request and decodes a 2xx JSON answer into out.
func (c *Client) do(ctx context.Context, method, path string, query url.Values, body io.Reader, contentType string, out any) ([]byte, error) {
	u := c.base + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, method, u, body)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Accept", "application/json")
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, raw, err := publish.Do(c.hc, req, publish.Facebook)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode >= 300 {
		return raw, c.classify(resp, raw)
	}
	// Graph answers some errors with 200 and an error envelope.
	if graph.Parse(raw) != nil {
		return raw, c.classify(resp, raw)
	}
	return raw, publish.Decode(publish.Facebook, resp.StatusCode, raw, out, c.clock.Now())
}

// classify maps a Graph error to a publish.Error (contracts §1.4, §1.5).
func (c *Client) classify(resp *http.Response, raw []byte) *publish.Error {
	now := c.clock.Now()
	g := graph.Parse(raw)
	if g == nil {
		return graph.Unenveloped(publish.Facebook, resp.StatusCode, raw, now)
	}
	code, platformMsg := g.CodeString(), g.PlatformMessage()
	var kind publish.Kind
	var reset time.Time
	msg := ""
	switch {
	case g.Code == 190 || g.Code == 102 || g.Code == 2500 || (g.Subcode >= 458 && g.Subcode <= 467):
		kind = publish.KindAuth
		msg = "Facebook no longer accepts the Page connection (the token expired, or the password or Page roles changed). Open Channels (in the sidebar) and connect the Facebook Page again; waiting posts stay in the queue."
	case g.Code == 4 || g.Code == 17 || g.Code == 32 || g.Code == 341 || g.Code == 613 || g.Code == 80001:
		kind = publish.KindRateLimited
		reset = throttleReset(resp.Header, now)
	case g.Code == 1 || g.Code == 2 || (g.IsTransient && resp.StatusCode >= 500):
		kind = publish.KindTransient
	case g.Code == 10 || (g.Code >= 200 && g.Code <= 299) || g.Code == 3:
		kind = publish.KindPermission
		msg = "Facebook says the connected account may not do this on the Page. Check it still has full control of the Page (Page settings → Page access) and that every permission was ticked when connecting, then reconnect."
	case g.Code == 100 && g.Subcode == 33:
		kind = publish.KindNotFound
	case g.Code == 506:
		kind = publish.KindRejected
		msg = "Facebook refused this post because it is identical to one already on the Page. Change the wording, or delete the earlier post first."
	case g.Code == 368:
		kind = publish.KindRejected
		msg = "Facebook has temporarily blocked posting from this Page because it believes something breaks its rules. Check the Page's Support Inbox on Facebook; PracticePost cannot post until the block is lifted."
	case g.Code == 1609005:
		kind = publish.KindRejected
		msg = "Facebook could not read the link in this post. Check the address opens in a browser, or remove the link, then send again."
	case g.Subcode == 1366046:
		kind = publish.KindRejected
		msg = "Facebook could not take the image. Use a JPG or PNG under 4 MB and send again."
	case resp.StatusCode >= 500:
		kind = publish.KindTransient
	default:
		kind = publish.KindRejected
	}
	return publish.NewError(publish.Facebook, kind, resp.StatusCode, code, platformMsg, raw, now, reset).WithMessage(msg)
}

// throttleReset reads estimated_time_to_regain_access (minutes) from
// X-Business-Use-Case-Usage; without it, Graph's throttling window is a
// rolling hour, so the worst case is assumed.
func throttleReset(h http.Header, now time.Time) time.Time {
	var buc map[string][]struct {
		Type    string `json:"type"`
		Regain  int    `json:"estimated_time_to_regain_access"`
		CallPct int    `json:"call_count"`
	}
	mins := -1
	if v := h.Get("X-Business-Use-Case-Usage"); v != "" && json.Unmarshal([]byte(v), &buc) == nil {
		for _, list := range buc {
			for _, u := range list {
				if u.Regain > mins {
					mins = u.Regain
				}
			}
		}
	}
	if mins <= 0 {
		if mins == 0 {
			return now.Add(time.Minute)
		}
		return now.Add(time.Hour)
	}
	return now.Add(time.Duration(mins) * time.Minute)
}

// Usage is what Graph's usage headers say about how close the app is to
// its limits (percent).
type Usage struct {
	CallCount    int
	TotalCPUTime int
	TotalTime    int
}

// ParseAppUsage decodes an X-App-Usage header.
func ParseAppUsage(v string) (Usage, bool) {
	var u struct {
		CallCount    int `json:"call_count"`
		TotalCPUTime int `json:"total_cputime"`
		TotalTime    int `json:"total_time"`
	}
	if v == "" || json.Unmarshal([]byte(v), &u) != nil {
		return Usage{}, false
	}
	return Usage(u), true
}

// Verify checks the pasted token with debug_token: it must be valid, be a
// Page token for this Page and carry the posting permissions.
func (c *Client) Verify(ctx context.Context) (publish.Account, error) {
	var dt struct {
		Data graph.TokenInfo `json:"data"`
	}
	raw, err := c.do(ctx, http.MethodGet, "/debug_token", url.Values{"input_token": {c.token}}, nil, "", &dt)
	if err != nil {
		return publish.Account{}, err
	}
	now := c.clock.Now()
	d := dt.Data
	fail := func(kind publish.Kind, msg string) error {
		return publish.NewError(publish.Facebook, kind, http.StatusOK, "debug_token", "", raw, now, time.Time{}).WithMessage(msg)
	}
	if !d.IsValid {
		return publish.Account{}, fail(publish.KindAuth, "Facebook says this access token is no longer valid. Create a new Page token and paste it on the Channels screen (in the sidebar), under Facebook.")
	}
	if d.Type != "PAGE" {
		return publish.Account{}, fail(publish.KindAuth, fmt.Sprintf("This is a Facebook %s token, not a Page token. Paste the token of the Page itself (from Meta Business Suite or Graph API Explorer → Page token).", strings.ToLower(d.Type)))
	}
	if d.ProfileID != "" && d.ProfileID != c.pageID {
		return publish.Account{}, fail(publish.KindAuth, "This token belongs to a different Facebook Page. Paste the token for the Page you chose.")
	}
	var missing []string
	for _, want := range RequiredScopes {
		if !contains(d.Scopes, want) {
			missing = append(missing, want)
		}
	}
	if len(missing) > 0 {
		return publish.Account{}, fail(publish.KindPermission, "The Facebook token is missing permissions PracticePost needs ("+strings.Join(missing, ", ")+"). Create the token again with them ticked.")
	}
	acct := publish.Account{ID: c.pageID, Scopes: d.Scopes}
	if d.ExpiresAt > 0 {
		acct.ExpiresAt = time.Unix(d.ExpiresAt, 0).UTC()
		if !acct.ExpiresAt.After(now) {
			return publish.Account{}, fail(publish.KindAuth, "This Facebook token has expired. Create a new Page token and paste it on the Channels screen (in the sidebar), under Facebook.")
		}
	}
	var page struct {
		Name string `json:"name"`
	}
	if _, err := c.do(ctx, http.MethodGet, "/"+c.pageID, url.Values{"fields": {"id,name"}}, nil, "", &page); err != nil {
		return publish.Account{}, err
	}
	acct.Name = page.Name
	return acct, nil
}

// UploadImage only checks the image: Facebook takes the bytes together with
// the caption in one call (multipart source), so the upload happens in CreatePost.
func (c *Client) UploadImage(_ context.Context, img publish.Image) (publish.MediaRef, error) {
	if len(img.Data) == 0 {
		return publish.MediaRef{}, rejected(c.clock.Now(), "image_empty", "The image for Facebook is empty. Render the image again.")
	}
	if len(img.Data) > Limits.MaxImageBytes {
		return publish.MediaRef{}, rejected(c.clock.Now(), "image_too_large", fmt.Sprintf("The image is %.1f MB; Facebook takes at most 4 MB. Export a smaller JPEG and try again.", float64(len(img.Data))/(1<<20)))
	}
	cp := img
	return publish.MediaRef{Alt: img.Alt, Width: img.Width, Height: img.Height, Deferred: &cp}, nil
}

func rejected(now time.Time, code, msg string) *publish.Error {
	return publish.Rejected(publish.Facebook, now, code, msg)
}

// CreatePost makes a photo post (one image) or a text/link post, published
// now or scheduled by Facebook.
func (c *Client) CreatePost(ctx context.Context, p publish.Post) (publish.Result, error) {
	if len(p.Media) > 1 {
		return publish.Result{}, rejected(c.clock.Now(), "too_many_images", "PracticePost posts one image per Facebook post. Remove the extra images.")
	}
	if len(p.Media) == 1 {
		return c.photoPost(ctx, p)
	}
	form := url.Values{}
	form.Set("message", p.Text)
	if p.Link != "" {
		form.Set("link", p.Link)
	}
	scheduleFields(form, p.ScheduledAt)
	var out struct {
		ID string `json:"id"`
	}
	raw, err := c.do(ctx, http.MethodPost, "/"+c.pageID+"/feed", nil, strings.NewReader(form.Encode()), "application/x-www-form-urlencoded", &out)
	if err != nil {
		return publish.Result{}, err
	}
	return c.result(out.ID, p, raw), nil
}

func scheduleFields(form url.Values, at time.Time) {
	if at.IsZero() {
		return
	}
	form.Set("published", "false")
	form.Set("scheduled_publish_time", strconv.FormatInt(at.Unix(), 10))
}

func (c *Client) result(id string, p publish.Post, raw []byte) publish.Result {
	r := publish.Result{ID: id, Raw: raw, URL: postURL(id)}
	if !p.ScheduledAt.IsZero() {
		r.Scheduled, r.ScheduledAt = true, p.ScheduledAt.UTC()
	}
	return r
}

// postURL is the public address of a "<page>_<post>" id.
func postURL(id string) string {
	page, post, ok := strings.Cut(id, "_")
	if !ok {
		return ""
	}
	return "https://www.facebook.com/" + page + "/posts/" + post
}

func (c *Client) photoPost(ctx context.Context, p publish.Post) (publish.Result, error) {
	img := p.Media[0].Deferred
	if img == nil {
		return publish.Result{}, rejected(c.clock.Now(), "image_missing", "The image for this Facebook post was not prepared. Send the post again.")
	}
	form := url.Values{}
	form.Set("caption", publish.ComposeText(p.Text, p.Link))
	scheduleFields(form, p.ScheduledAt)
	body, ctype, err := publish.ImageForm("source", *img, form)
	if err != nil {
		return publish.Result{}, err
	}
	var out struct {
		ID     string `json:"id"`
		PostID string `json:"post_id"`
	}
	raw, err := c.do(ctx, http.MethodPost, "/"+c.pageID+"/photos", nil, body, ctype, &out)
	if err != nil {
		return publish.Result{}, err
	}
	id := out.PostID
	if id == "" {
		// Scheduled photos may come back with the photo id only.
		id = out.ID
	}
	return c.result(id, p, raw), nil
}

type feedItem struct {
	ID          string `json:"id"`
	Message     string `json:"message"`
	CreatedTime string `json:"created_time"`
	Scheduled   int64  `json:"scheduled_publish_time"`
}

// FindPost looks for p among the Page's recent posts (or its scheduled
// posts) by its exact text. Facebook refuses identical consecutive posts
// (code 506), so the text identifies a post within the window.
func (c *Client) FindPost(ctx context.Context, p publish.Post, since time.Time) (publish.Result, bool, error) {
	// A photo caption carries the link inside the text; a feed post keeps it
	// apart. Accept both so the caller need not rebuild the media refs.
	plainText, withLink := normalize(p.Text), normalize(publish.ComposeText(p.Text, p.Link))
	lists := []string{"/feed"}
	if !p.ScheduledAt.IsZero() {
		// A scheduled post whose time has passed is in the feed instead.
		lists = []string{"/scheduled_posts", "/feed"}
	}
	for _, l := range lists {
		q := url.Values{"fields": {"id,message,created_time,scheduled_publish_time"}, "limit": {"50"}}
		if !since.IsZero() {
			q.Set("since", strconv.FormatInt(since.Add(-time.Minute).Unix(), 10))
		}
		var out struct {
			Data []feedItem `json:"data"`
		}
		raw, err := c.do(ctx, http.MethodGet, "/"+c.pageID+l, q, nil, "", &out)
		if err != nil {
			return publish.Result{}, false, err
		}
		for _, it := range out.Data {
			if m := normalize(it.Message); m == plainText || m == withLink {
				r := c.result(it.ID, publish.Post{}, raw)
				if it.Scheduled > 0 && l == "/scheduled_posts" {
					r.Scheduled, r.ScheduledAt = true, time.Unix(it.Scheduled, 0).UTC()
				}
				return r, true, nil
			}
		}
	}
	return publish.Result{}, false, nil
}

func normalize(s string) string { return strings.Join(strings.Fields(s), " ") }

// DeletePost removes a post; one that is already gone counts as removed.
func (c *Client) DeletePost(ctx context.Context, id string) error {
	_, err := c.do(ctx, http.MethodDelete, "/"+url.PathEscape(id), nil, nil, "", nil)
	return publish.Gone(err)
}

// Followers reads the Page's follower count (the Page node's
// followers_count field, read with the Page token), the figure Insights
// shows as followers and growth, and the rate basis for Pages too small
// for Facebook to report reach. Not in platform-contracts.md §1.6, which
// lists per-post metrics only; the field is Meta's Page reference. Graph
// leaves out fields the token may not read.
func (c *Client) Followers(ctx context.Context) (int, error) {
	var page struct {
		Followers *int `json:"followers_count"`
	}
	raw, err := c.do(ctx, http.MethodGet, "/"+c.pageID, url.Values{"fields": {"followers_count"}}, nil, "", &page)
	if err != nil {
		return 0, err
	}
	return publish.FollowerCount(publish.Facebook, page.Followers, raw, c.clock.Now())
}

// Metrics reads reaction, comment and share counts, and views and clicks
// from Insights when the Page has them (100+ likes, read_insights).
func (c *Client) Metrics(ctx context.Context, id string) (publish.Metrics, error) {
	var counts struct {
		Shares *struct {
			Count int `json:"count"`
		} `json:"shares"`
		Reactions struct {
			Summary struct {
				Total int `json:"total_count"`
			} `json:"summary"`
		} `json:"reactions"`
		Comments struct {
			Summary struct {
				Total int `json:"total_count"`
			} `json:"summary"`
		} `json:"comments"`
	}
	q := url.Values{"fields": {"shares,reactions.summary(total_count).limit(0),comments.summary(total_count).limit(0)"}}
	if _, err := c.do(ctx, http.MethodGet, "/"+url.PathEscape(id), q, nil, "", &counts); err != nil {
		return publish.Metrics{}, err
	}
	m := publish.Metrics{Reactions: counts.Reactions.Summary.Total, Comments: counts.Comments.Summary.Total}
	if counts.Shares != nil {
		m.Shares = counts.Shares.Count
	}
	var ins struct {
		Data []struct {
			Name   string `json:"name"`
			Values []struct {
				Value json.RawMessage `json:"value"`
			} `json:"values"`
		} `json:"data"`
	}
	_, err := c.do(ctx, http.MethodGet, "/"+url.PathEscape(id)+"/insights", url.Values{"metric": {"post_total_media_view_unique,post_clicks"}}, nil, "", &ins)
	switch publish.KindOf(err) {
	case "":
	case publish.KindPermission, publish.KindRejected:
		// Small pages and tokens without read_insights get counts only.
		m.Note = "Facebook gives reach and clicks only for Pages with 100 or more likes, and only when PracticePost may read the Page's insights. If your Page has 100 likes, reconnect it under Channels and allow insights."
		return m, nil
	default:
		return publish.Metrics{}, err
	}
	for _, d := range ins.Data {
		if len(d.Values) == 0 {
			continue
		}
		n, err := strconv.Atoi(string(d.Values[len(d.Values)-1].Value))
		if err != nil {
			continue
		}
		switch d.Name {
		case "post_total_media_view_unique":
			// Unique viewers: people reached, the engagement rate's basis.
			m.Views, m.Reach = &n, &n
		case "post_clicks":
			m.Clicks = &n
		}
	}
	return m, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
