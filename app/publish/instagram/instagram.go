// Package instagram publishes single-image posts to an Instagram
// professional account through the Graph API content publishing flow
// (docs/platform-contracts.md §2): the image is put where Instagram can
// download it (a publish.MediaHost: an unpublished photo on the linked
// Facebook Page, or the practice's own bucket), Instagram downloads it into
// a container, the image is removed again, and the container is published
// once Instagram reports it FINISHED.
package instagram

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	_ "image/jpeg" // DecodeConfig reads the JPEG header
	_ "image/png"  // so a PNG is named as such in the refusal
	"net/http"
	"net/url"
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
	MaxImageBytes: publish.DescribedLimits(publish.Instagram).MaxImageBytes, // one place: app/platform.go
	ImageMIMEs:    []string{"image/jpeg"},
	AltText:       true,
}

// Options are optional collaborators; zero values get defaults.
type Options struct {
	HTTP  *http.Client // default: 60 s timeout
	Clock app.Clock    // default: app.SystemClock
	// Page hosts images as unpublished photos on the linked Facebook Page
	// (no bucket needed); nil when the channel lacks the Page or its
	// permissions (PageRouteMissing).
	Page *PageHost
	// Host is the practice's storage bucket: used when there is no Page
	// route, when PreferBucket chooses it, and when the Page refuses the
	// upload for want of a permission. With neither, the connector refuses
	// images with a message saying how to set one up (Instagram has no
	// text-only posts).
	Host         publish.MediaHost
	PreferBucket bool
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

var (
	_ publish.Publisher   = (*Client)(nil)
	_ publish.HostRemover = (*Client)(nil)
)

// NewClient returns a client for the Instagram account igUserID (the
// instagram_business_account id) using a token with instagram_basic and
// instagram_content_publish.
func NewClient(baseURL, igUserID, token string, opt Options) *Client {
	publish.ClientDefaults(&opt.HTTP, &opt.Clock)
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
	return raw, publish.Decode(publish.Instagram, resp.StatusCode, raw, out, c.now())
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
		return graph.Unenveloped(publish.Instagram, resp.StatusCode, raw, now)
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
	return publish.NewError(publish.Instagram, kind, resp.StatusCode, code, platformMsg, raw, now, reset).WithMessage(msg)
}

func rejected(now time.Time, code, msg string) *publish.Error {
	return publish.Rejected(publish.Instagram, now, code, msg)
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

// UploadImage checks the image against Instagram's rules before anything
// leaves the computer (JPEG, 4:5 to 1.91:1, 8 MB), then puts it on the
// media host. The returned ref carries the presigned URL.
func (c *Client) UploadImage(ctx context.Context, img publish.Image) (publish.MediaRef, error) {
	now := c.now()
	if c.opt.Host == nil && c.opt.Page == nil {
		e := rejected(now, "no_media_host", "Instagram only takes images it can download from the internet. Reconnect Instagram in Channels with a Page token that has "+strings.Join(PageRouteScopes, " and ")+" (PracticePost then passes the image through the Facebook Page), or connect the practice's own bucket in Settings → Media hosting. (Instagram has no text-only posts.)")
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
	h, err := c.put(ctx, img)
	if err != nil {
		// h.Key is set when something was placed and could not be taken
		// back: the queue records it and removes it later.
		return publish.MediaRef{ID: h.Key}, publish.HostError(publish.Instagram, now, err)
	}
	return publish.MediaRef{ID: h.Key, URL: h.URL, Alt: img.Alt, Width: cfg.Width, Height: cfg.Height}, nil
}

// Route says which way an image would go now: "page" (an unpublished
// photo on the Facebook Page), "bucket", or "" (none is set up).
func (c *Client) Route() string {
	switch {
	case c.opt.Page != nil && (c.opt.Host == nil || !c.opt.PreferBucket):
		return "page"
	case c.opt.Host != nil:
		return "bucket"
	}
	return ""
}

// put places img on the chosen host. A Page that refuses for want of a
// permission hands over to the bucket when there is one.
func (c *Client) put(ctx context.Context, img publish.Image) (publish.Hosted, error) {
	if c.Route() == "bucket" {
		return c.opt.Host.Put(ctx, img)
	}
	h, err := c.opt.Page.Put(ctx, img)
	if err != nil && errors.Is(err, ErrPagePermission) && h.Key == "" && c.opt.Host != nil {
		return c.opt.Host.Put(ctx, img)
	}
	return h, err
}

// RemoveHosted deletes an image put on a host by UploadImage, on the host
// its key names (the choice may have changed since).
func (c *Client) RemoveHosted(ctx context.Context, key string) error {
	if OnPage(key) {
		page := c.opt.Page
		if page == nil {
			// Deleting needs only the Page token the account was connected
			// with, on the same Graph root, not the Page route's choice.
			page = &PageHost{c: c}
		}
		return page.Delete(ctx, key)
	}
	if c.opt.Host == nil {
		return publish.Rejected(publish.Instagram, c.now(), "no_media_host", "An image PracticePost put in the storage bucket is still there, and the bucket is no longer connected. Connect it again in Settings → Media hosting so PracticePost can remove it.")
	}
	return c.opt.Host.Delete(ctx, key)
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

// Followers reads the account's follower count (the IG user node's
// followers_count field), the figure Insights shows as followers and
// growth. Not in platform-contracts.md §2.6, which lists media insights
// only; the field is Meta's IG User reference. Graph leaves out fields it
// will not give.
func (c *Client) Followers(ctx context.Context) (int, error) {
	var u struct {
		Followers *int `json:"followers_count"`
	}
	raw, err := c.do(ctx, http.MethodGet, "/"+c.userID, url.Values{"fields": {"followers_count"}}, &u)
	if err != nil {
		return 0, err
	}
	return publish.FollowerCount(publish.Instagram, u.Followers, raw, c.now())
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
