// Package instagram publishes single-image posts to an Instagram
// professional account through the Graph API content publishing flow
// (docs/platform-contracts.md §2): the image goes to the practice's own
// bucket (a publish.MediaHost), Instagram downloads it from a short-lived
// presigned URL into a container, and the container is published once
// Instagram reports it FINISHED.
package instagram

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	_ "image/jpeg" // DecodeConfig reads the JPEG header
	_ "image/png"  // so a PNG is named as such in the refusal
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"practicepost/app"
	"practicepost/app/publish"
	"practicepost/app/publish/internal/graph"
)

// DefaultBaseURL is the Graph API version this connector was written
// against (Instagram API with Facebook Login). The Instagram-Login variant
// uses https://graph.instagram.com/v23.0 with the same calls.
const DefaultBaseURL = "https://graph.facebook.com/v23.0"

// Limits Instagram applies to single-image feed posts.
var Limits = publish.Limits{
	MaxText:       2200,
	MaxImages:     1,
	MaxImageBytes: 8 << 20,
	ImageMIMEs:    []string{"image/jpeg"},
	AltText:       true,
}

// Options are optional collaborators; zero values get defaults.
type Options struct {
	HTTP  *http.Client // default: 60 s timeout
	Clock app.Clock    // default: app.SystemClock
	// Host makes images downloadable for Instagram. Without one, the
	// connector refuses images with a message saying how to set one up
	// (Instagram has no text-only posts).
	Host publish.MediaHost
	// PollInterval and PollTimeout bound the wait for a container to be
	// FINISHED; defaults 2 s and 3 min.
	PollInterval time.Duration
	PollTimeout  time.Duration
}

// Client posts as one Instagram professional account.
type Client struct {
	base   string
	userID string
	token  string
	opt    Options
}

var _ publish.Publisher = (*Client)(nil)

// NewClient returns a client for the Instagram account igUserID (the
// instagram_business_account id) using a token with instagram_basic and
// instagram_content_publish.
func NewClient(baseURL, igUserID, token string, opt Options) *Client {
	if opt.HTTP == nil {
		opt.HTTP = &http.Client{Timeout: 60 * time.Second}
	}
	if opt.Clock == nil {
		opt.Clock = app.SystemClock{}
	}
	if opt.PollInterval == 0 {
		opt.PollInterval = 2 * time.Second
	}
	if opt.PollTimeout == 0 {
		opt.PollTimeout = 3 * time.Minute
	}
	return &Client{base: strings.TrimRight(baseURL, "/"), userID: igUserID, token: token, opt: opt}
}

func (c *Client) Platform() publish.Platform { return publish.Instagram }

func (c *Client) Limits(context.Context) (publish.Limits, error) { return Limits, nil }

func (c *Client) now() time.Time { return c.opt.Clock.Now() }

// do sends a request and decodes a 2xx JSON answer into out.
func (c *Client) do(ctx context.Context, method, path string, form url.Values, out any) ([]byte, error) {
	u := c.base + path
	var req *http.Request
	var err error
	if method == http.MethodGet {
		if len(form) > 0 {
			u += "?" + form.Encode()
		}
		req, err = http.NewRequestWithContext(ctx, method, u, nil)
	} else {
		req, err = http.NewRequestWithContext(ctx, method, u, strings.NewReader(form.Encode()))
		if err == nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
	}
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Accept", "application/json")
	resp, raw, err := publish.Do(c.opt.HTTP, req, publish.Instagram)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode >= 300 || graph.Parse(raw) != nil {
		return raw, c.classify(resp, raw)
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			e := publish.NewError(publish.Instagram, publish.KindTransient, resp.StatusCode, "", "unreadable response", raw, c.now(), time.Time{})
			e.Err, e.Uncertain = err, true
			return raw, e
		}
	}
	return raw, nil
}

// subcodeMessages explain the content-publishing subcodes that need the
// user (contracts §2.3).
var subcodeMessages = map[int]string{
	2207004: "Instagram refused the image because it is larger than 8 MB. Export a smaller JPEG and send again.",
	2207005: "Instagram refused the image format. Instagram posts need a JPEG image; export the image as JPEG and send again.",
	2207009: "Instagram refused the image's shape. Feed posts must be between 4:5 portrait and 1.91:1 landscape; choose the Instagram size in the studio and send again.",
	2207010: "The caption is too long for Instagram (at most 2,200 characters). Shorten it and send again.",
	2207051: "Instagram has restricted posting from this account because it looks like spam to Instagram. Open the Instagram app to check the account status; PracticePost cannot post until that is resolved.",
	2207052: "Instagram could not download the image from the practice's storage bucket. Open Settings → Media hosting and use Test connection, then send again.",
}

func (c *Client) classify(resp *http.Response, raw []byte) *publish.Error {
	now := c.now()
	g := graph.Parse(raw)
	if g == nil {
		kind := publish.KindRejected
		switch {
		case resp.StatusCode >= 500:
			kind = publish.KindTransient
		case resp.StatusCode == http.StatusTooManyRequests:
			kind = publish.KindRateLimited
		}
		return publish.NewError(publish.Instagram, kind, resp.StatusCode, "", http.StatusText(resp.StatusCode), raw, now, time.Time{})
	}
	code, platformMsg := g.CodeString(), g.PlatformMessage()
	var kind publish.Kind
	var reset time.Time
	msg := subcodeMessages[g.Subcode]
	switch {
	case g.Code == 190 || g.Code == 102 || (g.Subcode >= 458 && g.Subcode <= 467):
		kind = publish.KindAuth
		msg = "Instagram no longer accepts PracticePost's connection (the token expired, or the password or Page roles changed). Open Channels (in the sidebar) and connect Instagram again; waiting posts stay in the queue."
	case g.Code == 9 || g.Subcode == 2207042:
		kind = publish.KindRateLimited
		reset = now.Add(time.Hour)
		msg = "Instagram's daily limit of posts from apps for this account is used up. PracticePost tries again once Instagram allows more."
	case g.Code == 4 || g.Code == 17 || g.Code == 32 || g.Code == 613 || g.Code == 80002:
		kind = publish.KindRateLimited
		reset = now.Add(time.Hour)
	case g.Subcode == 2207003 || g.Subcode == 2207020 || g.Subcode == 2207001 || g.Subcode == 2207027 || g.Code == 1 || g.Code == 2 || g.Code == -1 || g.Code == -2 && g.Subcode != 2207052:
		kind = publish.KindTransient
	case g.IsTransient:
		kind = publish.KindTransient
	case g.Code == 10 || (g.Code >= 200 && g.Code <= 299) || g.Code == 3:
		kind = publish.KindPermission
		msg = "Instagram says PracticePost's connection may not publish for this account. Check the Instagram account is a professional account linked to the Facebook Page, that Page Publishing Authorisation is complete, and reconnect with every permission ticked."
	case g.Code == 100 && g.Subcode == 33:
		kind = publish.KindNotFound
	case resp.StatusCode >= 500:
		kind = publish.KindTransient
	default:
		kind = publish.KindRejected
	}
	e := publish.NewError(publish.Instagram, kind, resp.StatusCode, code, platformMsg, raw, now, reset)
	if msg != "" {
		e.Message = msg
	}
	return e
}

func rejected(now time.Time, code, msg string) *publish.Error {
	e := publish.NewError(publish.Instagram, publish.KindRejected, 0, code, "", nil, now, time.Time{})
	e.Message = msg
	return e
}

// Verify reads the account's username.
func (c *Client) Verify(ctx context.Context) (publish.Account, error) {
	var u struct {
		ID       string `json:"id"`
		Username string `json:"username"`
		Name     string `json:"name"`
	}
	if _, err := c.do(ctx, http.MethodGet, "/"+c.userID, url.Values{"fields": {"id,username,name"}}, &u); err != nil {
		return publish.Account{}, err
	}
	name := u.Name
	if name == "" {
		name = u.Username
	}
	return publish.Account{ID: u.ID, Name: name, Handle: "@" + u.Username, Scopes: []string{"instagram_basic", "instagram_content_publish"}}, nil
}

// Quota is the account's content publishing limit.
type Quota struct {
	Used   int
	Total  int
	Window time.Duration
}

// Quota reads content_publishing_limit. The total has changed over the
// years (25, 50, 100), so it is read, never assumed.
func (c *Client) Quota(ctx context.Context) (Quota, error) {
	var out struct {
		Data []struct {
			Usage  int `json:"quota_usage"`
			Config struct {
				Total    int `json:"quota_total"`
				Duration int `json:"quota_duration"`
			} `json:"config"`
		} `json:"data"`
	}
	if _, err := c.do(ctx, http.MethodGet, "/"+c.userID+"/content_publishing_limit", url.Values{"fields": {"quota_usage,config"}}, &out); err != nil {
		return Quota{}, err
	}
	if len(out.Data) == 0 {
		return Quota{}, publish.NewError(publish.Instagram, publish.KindTransient, http.StatusOK, "", "content_publishing_limit answered without data", nil, c.now(), time.Time{})
	}
	d := out.Data[0]
	q := Quota{Used: d.Usage, Total: d.Config.Total, Window: time.Duration(d.Config.Duration) * time.Second}
	if q.Window <= 0 {
		q.Window = 24 * time.Hour
	}
	return q, nil
}

// UploadImage checks the image against Instagram's rules before anything
// leaves the computer (JPEG, 4:5 to 1.91:1, 8 MB), then puts it on the
// media host. The returned ref carries the presigned URL.
func (c *Client) UploadImage(ctx context.Context, img publish.Image) (publish.MediaRef, error) {
	now := c.now()
	if c.opt.Host == nil {
		e := rejected(now, "no_media_host", "Instagram only takes images it can download from the internet, and no storage bucket is connected. Connect the practice's own bucket in Settings → Media hosting. (Instagram has no text-only posts.)")
		e.Err = publish.ErrNoMediaHost
		return publish.MediaRef{}, e
	}
	if len(img.Data) == 0 {
		return publish.MediaRef{}, rejected(now, "image_empty", "The image for Instagram is empty. Render the image again.")
	}
	if len(img.Data) > Limits.MaxImageBytes {
		return publish.MediaRef{}, rejected(now, "image_too_large", fmt.Sprintf("The image is %.1f MB; Instagram takes at most 8 MB. Export a smaller JPEG and try again.", float64(len(img.Data))/(1<<20)))
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(img.Data))
	if err != nil {
		return publish.MediaRef{}, rejected(now, "image_unreadable", "The image for Instagram could not be read (the file may be damaged). Render it again as JPEG.")
	}
	if format != "jpeg" {
		return publish.MediaRef{}, rejected(now, "image_not_jpeg", fmt.Sprintf("The image is a %s; Instagram posts need a JPEG. Render the Instagram size again (the studio saves it as JPEG).", strings.ToUpper(format)))
	}
	if err := CheckAspect(cfg.Width, cfg.Height); err != nil {
		return publish.MediaRef{}, rejected(now, "image_aspect", err.Error())
	}
	h, err := c.opt.Host.Put(ctx, img)
	if err != nil {
		return publish.MediaRef{}, publish.HostError(publish.Instagram, now, err)
	}
	return publish.MediaRef{ID: h.Key, URL: h.URL, Alt: img.Alt, Width: cfg.Width, Height: cfg.Height}, nil
}

// CheckAspect reports whether w×h fits Instagram's feed: from 4:5
// portrait to 1.91:1 landscape, both ends included.
func CheckAspect(w, h int) error {
	if w <= 0 || h <= 0 {
		return publish.Problem("The image has no size.")
	}
	if w*100 >= h*80 && w*100 <= h*191 {
		return nil
	}
	shape := "portrait"
	if w > h {
		shape = "landscape"
	}
	return publish.Problemf("The image is %d×%d pixels, too %s for Instagram: feed posts take from 4:5 portrait (1080×1350) to 1.91:1 landscape (1080×566). Choose the Instagram size in the studio and send again.", w, h, map[string]string{"portrait": "tall", "landscape": "wide"}[shape])
}

// CreatePost creates a container from the hosted image, waits until
// Instagram has it (FINISHED), removes the image from the bucket, and
// publishes. A failure after media_publish was sent is read back before it
// is reported, so a live post is never shown as failed.
func (c *Client) CreatePost(ctx context.Context, p publish.Post) (res publish.Result, err error) {
	now := c.now()
	var hosted []string
	for _, m := range p.Media {
		if m.URL != "" {
			hosted = append(hosted, m.ID)
		}
	}
	cleaned := false
	cleanup := func() {
		if cleaned || c.opt.Host == nil {
			return
		}
		cleaned = true
		for _, key := range hosted {
			if err := c.opt.Host.Delete(context.WithoutCancel(ctx), key); err != nil {
				// The bucket's sweep removes it later; the post is unaffected.
				slog.Warn("instagram: could not remove a hosted image", "err", err)
			}
		}
	}
	defer cleanup()

	if !p.ScheduledAt.IsZero() {
		return publish.Result{}, rejected(now, "no_native_schedule", "Instagram does not hold scheduled posts for PracticePost; it sends them itself at the time.")
	}
	if len(p.Media) == 0 {
		return publish.Result{}, rejected(now, "image_required", "Instagram posts need an image. Add one, or leave Instagram out of this post.")
	}
	if len(p.Media) > 1 {
		return publish.Result{}, rejected(now, "too_many_images", "PracticePost posts one image per Instagram post. Remove the extra images.")
	}
	if p.Media[0].URL == "" {
		return publish.Result{}, rejected(now, "image_not_hosted", "The image for Instagram was not uploaded to the storage bucket. Send the post again.")
	}
	caption := publish.ComposeText(p.Text, p.Link)
	if n := len([]rune(caption)); n > Limits.MaxText {
		return publish.Result{}, rejected(now, "caption_too_long", fmt.Sprintf("The caption is %d characters; Instagram takes %d. Shorten it and send again.", n, Limits.MaxText))
	}
	if err := c.checkQuota(ctx); err != nil {
		return publish.Result{}, err
	}

	form := url.Values{"image_url": {p.Media[0].URL}, "caption": {caption}}
	if alt := strings.TrimSpace(p.Media[0].Alt); alt != "" {
		form.Set("alt_text", alt)
	}
	var container struct {
		ID string `json:"id"`
	}
	if _, err := c.do(ctx, http.MethodPost, "/"+c.userID+"/media", form, &container); err != nil {
		// A container is not a post: nothing can be live yet.
		return publish.Result{}, certain(err)
	}
	if err := c.waitFinished(ctx, container.ID); err != nil {
		return publish.Result{}, certain(err)
	}
	cleanup()

	since := c.now()
	var media struct {
		ID string `json:"id"`
	}
	raw, err := c.do(ctx, http.MethodPost, "/"+c.userID+"/media_publish", url.Values{"creation_id": {container.ID}}, &media)
	if err != nil {
		if r, ok := c.readBack(ctx, container.ID, p, since); ok {
			return r, nil
		}
		var pe *publish.Error
		if errors.As(err, &pe) && pe.Kind == publish.KindTransient {
			// The publish call reached Instagram: look before sending again.
			pe.Uncertain = true
		}
		return publish.Result{}, err
	}
	return publish.Result{ID: media.ID, URL: c.permalink(ctx, media.ID), Raw: raw}, nil
}

// certain clears Uncertain: before media_publish nothing can be live.
func certain(err error) error {
	var pe *publish.Error
	if errors.As(err, &pe) {
		pe.Uncertain = false
	}
	return err
}

// checkQuota refuses to start when the publishing limit is used up, with a
// reset estimated from the oldest post inside the window.
func (c *Client) checkQuota(ctx context.Context) error {
	q, err := c.Quota(ctx)
	if err != nil {
		return certain(err)
	}
	if q.Total <= 0 || q.Used < q.Total {
		return nil
	}
	now := c.now()
	reset := now.Add(time.Hour)
	if items, err := c.recent(ctx, 100); err == nil {
		oldest := time.Time{}
		for _, it := range items {
			if t := it.time(); !t.IsZero() && now.Sub(t) < q.Window && (oldest.IsZero() || t.Before(oldest)) {
				oldest = t
			}
		}
		if !oldest.IsZero() {
			reset = oldest.Add(q.Window)
		}
	}
	e := publish.NewError(publish.Instagram, publish.KindRateLimited, 0, "quota", fmt.Sprintf("%d of %d posts used", q.Used, q.Total), nil, now, reset)
	e.Message = fmt.Sprintf("Instagram lets apps publish %d posts per day for this account and all %d are used. Nothing is lost: PracticePost sends this one by itself %s.", q.Total, q.Used, untilText(now, reset))
	return e
}

func untilText(now, t time.Time) string {
	d := t.Sub(now).Round(time.Minute)
	if d < 90*time.Minute {
		return fmt.Sprintf("in about %d minutes", int(d/time.Minute))
	}
	return fmt.Sprintf("in about %d hours", int((d+30*time.Minute)/time.Hour))
}

var subcodeRE = regexp.MustCompile(`\b(2207\d{3}|36003)\b`)

func (c *Client) waitFinished(ctx context.Context, id string) error {
	start := c.now()
	for polls := 0; ; polls++ {
		var st struct {
			StatusCode string `json:"status_code"`
			Status     string `json:"status"`
		}
		raw, err := c.do(ctx, http.MethodGet, "/"+url.PathEscape(id), url.Values{"fields": {"status_code,status"}}, &st)
		if err != nil {
			return err
		}
		switch st.StatusCode {
		case "FINISHED", "PUBLISHED":
			return nil
		case "ERROR":
			sub := 0
			if m := subcodeRE.FindString(st.Status); m != "" {
				sub, _ = strconv.Atoi(m)
			}
			if sub == 36003 {
				sub = 2207009
			}
			kind := publish.KindRejected
			msg := subcodeMessages[sub]
			if sub == 2207003 || sub == 2207001 || sub == 2207032 {
				kind = publish.KindTransient
			}
			e := publish.NewError(publish.Instagram, kind, http.StatusOK, "ERROR/"+strconv.Itoa(sub), st.Status, raw, c.now(), time.Time{})
			if msg != "" {
				e.Message = msg
			} else if kind == publish.KindRejected {
				e.Message = "Instagram could not prepare the image (" + st.Status + "). Render the image again as JPEG and send again."
			}
			return e
		case "EXPIRED":
			e := publish.NewError(publish.Instagram, publish.KindTransient, http.StatusOK, "EXPIRED", st.Status, raw, c.now(), time.Time{})
			e.Message = "Instagram let the prepared post expire before it was published. PracticePost prepares it again shortly."
			return e
		}
		if c.now().Sub(start) >= c.opt.PollTimeout || time.Duration(polls+1)*c.opt.PollInterval > c.opt.PollTimeout {
			e := publish.NewError(publish.Instagram, publish.KindTransient, http.StatusOK, st.StatusCode, "the container did not finish in time", raw, c.now(), time.Time{})
			e.Message = "Instagram is taking a long time to prepare the image. PracticePost tries again shortly."
			return e
		}
		t := time.NewTimer(c.opt.PollInterval)
		select {
		case <-ctx.Done():
			t.Stop()
			return publish.NetworkError(publish.Instagram, ctx.Err(), false)
		case <-t.C:
		}
	}
}

// readBack asks, after a failed media_publish, whether the container went
// live anyway and, if so, which post it became.
func (c *Client) readBack(ctx context.Context, container string, p publish.Post, since time.Time) (publish.Result, bool) {
	var st struct {
		StatusCode string `json:"status_code"`
	}
	if _, err := c.do(ctx, http.MethodGet, "/"+url.PathEscape(container), url.Values{"fields": {"status_code"}}, &st); err == nil && st.StatusCode != "PUBLISHED" {
		return publish.Result{}, false
	}
	r, ok, err := c.FindPost(ctx, p, since)
	return r, ok && err == nil
}

type mediaItem struct {
	ID        string `json:"id"`
	Caption   string `json:"caption"`
	Timestamp string `json:"timestamp"`
	Permalink string `json:"permalink"`
}

func (m mediaItem) time() time.Time {
	t, err := time.Parse("2006-01-02T15:04:05-0700", m.Timestamp)
	if err != nil {
		return time.Time{}
	}
	return t.UTC()
}

func (c *Client) recent(ctx context.Context, limit int) ([]mediaItem, error) {
	var out struct {
		Data []mediaItem `json:"data"`
	}
	_, err := c.do(ctx, http.MethodGet, "/"+c.userID+"/media", url.Values{"fields": {"id,caption,timestamp,permalink"}, "limit": {strconv.Itoa(limit)}}, &out)
	return out.Data, err
}

func (c *Client) permalink(ctx context.Context, id string) string {
	var m mediaItem
	if _, err := c.do(ctx, http.MethodGet, "/"+url.PathEscape(id), url.Values{"fields": {"permalink"}}, &m); err != nil {
		// The post is live; a missing link is only cosmetic.
		return ""
	}
	return m.Permalink
}

// FindPost looks for p among the account's recent posts by its caption.
func (c *Client) FindPost(ctx context.Context, p publish.Post, since time.Time) (publish.Result, bool, error) {
	items, err := c.recent(ctx, 25)
	if err != nil {
		return publish.Result{}, false, err
	}
	want := normalize(publish.ComposeText(p.Text, p.Link))
	for _, it := range items {
		if t := it.time(); !since.IsZero() && !t.IsZero() && t.Before(since.Add(-time.Minute)) {
			continue
		}
		if normalize(it.Caption) == want {
			return publish.Result{ID: it.ID, URL: it.Permalink}, true, nil
		}
	}
	return publish.Result{}, false, nil
}

func normalize(s string) string { return strings.Join(strings.Fields(s), " ") }

// ErrDeleteInApp is wrapped by DeletePost's error: the Graph API cannot
// delete Instagram posts.
var ErrDeleteInApp = errors.New("instagram: posts can only be deleted in the Instagram app")

// DeletePost cannot delete: Instagram's API offers no way to. The error
// tells the takedown list what the user has to do instead.
func (c *Client) DeletePost(_ context.Context, id string) error {
	e := publish.NewError(publish.Instagram, publish.KindPermission, 0, "delete_unsupported", "", nil, c.now(), time.Time{})
	e.Message = "Instagram does not let apps delete posts. Delete it yourself in the Instagram app: open the post, tap ⋯ and choose Delete. Then mark it as removed here."
	e.Err = ErrDeleteInApp
	return e
}

// Metrics reads the post's insights. Instagram answers an empty list (not
// zeros) while data is missing, and code 10 for posts with too few viewers;
// both give counts of zero and no views.
func (c *Client) Metrics(ctx context.Context, id string) (publish.Metrics, error) {
	var out struct {
		Data []struct {
			Name   string `json:"name"`
			Values []struct {
				Value int `json:"value"`
			} `json:"values"`
			TotalValue *struct {
				Value int `json:"value"`
			} `json:"total_value"`
		} `json:"data"`
	}
	_, err := c.do(ctx, http.MethodGet, "/"+url.PathEscape(id)+"/insights", url.Values{"metric": {"reach,likes,comments,shares,saved,views,total_interactions"}}, &out)
	if err != nil {
		var pe *publish.Error
		if errors.As(err, &pe) && (pe.Kind == publish.KindPermission && strings.HasPrefix(pe.Code, "10")) {
			return publish.Metrics{Pending: true, Note: "Instagram shows a post's numbers only once enough people have seen it."}, nil
		}
		return publish.Metrics{}, err
	}
	var m publish.Metrics
	if len(out.Data) == 0 {
		// An empty set means "not available yet", never zeros.
		return publish.Metrics{Pending: true, Note: "Instagram has no numbers for this post yet; they can take up to two days to appear."}, nil
	}
	for _, d := range out.Data {
		v := 0
		switch {
		case d.TotalValue != nil:
			v = d.TotalValue.Value
		case len(d.Values) > 0:
			v = d.Values[len(d.Values)-1].Value
		default:
			continue
		}
		switch d.Name {
		case "likes":
			m.Reactions = v
		case "comments":
			m.Comments = v
		case "shares":
			m.Shares = v
		case "views":
			m.Views = &v
		case "reach":
			m.Reach = &v
		case "saved":
			m.Saves = v
		}
	}
	return m, nil
}
