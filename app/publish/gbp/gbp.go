// Package gbp publishes local posts (updates, events, offers) to one
// Google Business Profile location (docs/platform-contracts.md §4).
// Google downloads the photo itself from media[].sourceUrl, so images go
// through the practice's bucket (a publish.MediaHost); text-only posts need
// none.
package gbp

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	_ "image/jpeg" // DecodeConfig reads the header
	_ "image/png"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"practicepost/app"
	"practicepost/app/publish"
)

// DefaultBaseURL serves localPosts (still API v4).
const DefaultBaseURL = "https://mybusiness.googleapis.com"

// DefaultInfoURL serves location details (Business Information API v1).
const DefaultInfoURL = "https://mybusinessbusinessinformation.googleapis.com"

// DefaultPerformanceURL serves location daily metrics (Business Profile
// Performance API v1).
const DefaultPerformanceURL = "https://businessprofileperformance.googleapis.com"

// Scope is the OAuth scope local posts need.
const Scope = "https://www.googleapis.com/auth/business.manage"

// Limits Google applies to local posts. Summary length and photo limits
// are commonly cited, not confirmed in Google's reference.
var Limits = publish.Limits{
	MaxText:       1500,
	MaxImages:     1,
	MaxImageBytes: publish.DescribedLimits(publish.Google).MaxImageBytes, // one place: app/platform.go
	ImageMIMEs:    []string{"image/jpeg", "image/png"},
	SeparateLink:  true,
}

const (
	minImageBytes = 10 << 10
	minImageSide  = 250
)

// Actions are the call-to-action buttons a post can carry.
var Actions = []string{"BOOK", "ORDER", "SHOP", "LEARN_MORE", "SIGN_UP", "CALL"}

// Options are optional collaborators; zero values get defaults.
type Options struct {
	HTTP  *http.Client // default: 60 s timeout
	Clock app.Clock    // default: app.SystemClock
	// Tokens, when set, supplies the access token for each call (Google
	// tokens last an hour) instead of the fixed token given to NewClient.
	Tokens  oauth2.TokenSource
	Host    publish.MediaHost // for photos; nil: text-only posts
	InfoURL string            // default DefaultInfoURL
	// PerformanceURL: location daily metrics; default DefaultPerformanceURL.
	PerformanceURL string
	Language       string // languageCode; default "en-GB"
	// PollInterval and PollTimeout bound the wait while a new post is
	// PROCESSING; defaults 2 s and 30 s.
	PollInterval time.Duration
	PollTimeout  time.Duration
}

// Client posts for one location.
type Client struct {
	base     string
	parent   string // accounts/{a}/locations/{l}
	location string
	token    string
	opt      Options
}

var _ publish.Publisher = (*Client)(nil)

// NewClient returns a client for location locationID of account accountID.
func NewClient(baseURL, accountID, locationID, token string, opt Options) *Client {
	publish.ClientDefaults(&opt.HTTP, &opt.Clock)
	if opt.InfoURL == "" {
		opt.InfoURL = DefaultInfoURL
	}
	if opt.Language == "" {
		opt.Language = "en-GB"
	}
	if opt.PollInterval == 0 {
		opt.PollInterval = 2 * time.Second
	}
	if opt.PollTimeout == 0 {
		opt.PollTimeout = 30 * time.Second
	}
	opt.InfoURL = strings.TrimRight(opt.InfoURL, "/")
	if opt.PerformanceURL == "" {
		opt.PerformanceURL = DefaultPerformanceURL
	}
	opt.PerformanceURL = strings.TrimRight(opt.PerformanceURL, "/")
	return &Client{base: strings.TrimRight(baseURL, "/"), parent: "accounts/" + accountID + "/locations/" + locationID, location: locationID, token: token, opt: opt}
}

func (c *Client) Platform() publish.Platform { return publish.Google }

func (c *Client) Limits(context.Context) (publish.Limits, error) { return Limits, nil }

func (c *Client) now() time.Time { return c.opt.Clock.Now() }

func (c *Client) accessToken() (string, error) {
	return publish.AccessToken(publish.Google, c.opt.Tokens, c.token, c.now())
}

func (c *Client) do(ctx context.Context, method, u string, body any, out any) ([]byte, error) {
	tok, err := c.accessToken()
	if err != nil {
		return nil, err
	}
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, raw, err := publish.Do(c.opt.HTTP, req, publish.Google)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode >= 300 {
		return raw, c.classify(resp, raw)
	}
	return raw, publish.Decode(publish.Google, resp.StatusCode, raw, out, c.now())
}

type googleError struct {
	Error struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
		Status  string `json:"status"`
		Details []struct {
			Type            string            `json:"@type"`
			Reason          string            `json:"reason"`
			Metadata        map[string]string `json:"metadata"`
			FieldViolations []struct {
				Field       string `json:"field"`
				Description string `json:"description"`
			} `json:"fieldViolations"`
		} `json:"details"`
	} `json:"error"`
}

func (c *Client) classify(resp *http.Response, raw []byte) *publish.Error {
	now := c.now()
	var ge googleError
	json.Unmarshal(raw, &ge)
	g := ge.Error
	msg := g.Message
	if msg == "" {
		msg = http.StatusText(resp.StatusCode)
	}
	code := g.Status
	quotaZero, mediaFetch, mediaBad := false, false, false
	for _, d := range g.Details {
		if d.Reason != "" {
			code += "/" + d.Reason
		}
		if d.Metadata["quota_limit_value"] == "0" {
			quotaZero = true
		}
		for _, v := range d.FieldViolations {
			switch {
			case strings.Contains(strings.ToLower(v.Description), "fetch"):
				mediaFetch, msg = true, v.Description
			case strings.HasPrefix(v.Field, "media"):
				mediaBad, msg = true, v.Description
			case v.Description != "":
				msg = v.Description
			}
		}
	}
	var kind publish.Kind
	var reset time.Time
	user := ""
	switch s := resp.StatusCode; {
	case s == http.StatusUnauthorized:
		kind = publish.KindAuth
		user = "Google no longer accepts PracticePost's connection to the Business Profile (it expired or was removed). Open Channels (in the sidebar) and reconnect Google; waiting posts stay in the queue."
	case quotaZero:
		kind = publish.KindPermission
		user = "Google has not approved this PracticePost installation for the Business Profile API yet (its quota is 0). Google approves access on request for profiles verified for 60 days or more; until then, post to Google from business.google.com."
	case s == http.StatusTooManyRequests:
		kind = publish.KindRateLimited
		reset = publish.ParseReset(resp.Header.Get("Retry-After"), now)
		if reset.IsZero() {
			// The quota is per minute; no header says when it lifts.
			reset = now.Add(time.Minute)
		}
	case s == http.StatusForbidden:
		kind = publish.KindPermission
		user = "Google says the connected Google account may not post for this Business Profile. Check it is an owner or manager of the profile in business.google.com, then reconnect."
	case s == http.StatusNotFound:
		kind = publish.KindNotFound
	case s >= 500:
		kind = publish.KindTransient
	default:
		kind = publish.KindRejected
		switch {
		case mediaFetch:
			user = "Google could not download the photo from the practice's storage bucket. Open Settings → Media hosting and use Test connection, then send again."
		case mediaBad:
			user = "Google refused the photo (“" + msg + "”). Render the image again as a JPEG of at least 250×250 pixels and send again."
		}
	}
	return publish.NewError(publish.Google, kind, resp.StatusCode, code, msg, raw, now, reset).WithMessage(user)
}

func rejected(now time.Time, code, msg string) *publish.Error {
	return publish.Rejected(publish.Google, now, code, msg)
}

// Verify reads the location's title.
func (c *Client) Verify(ctx context.Context) (publish.Account, error) {
	var loc struct {
		Name  string `json:"name"`
		Title string `json:"title"`
	}
	u := c.opt.InfoURL + "/v1/locations/" + url.PathEscape(c.location) + "?readMask=name,title"
	if _, err := c.do(ctx, http.MethodGet, u, nil, &loc); err != nil {
		return publish.Account{}, err
	}
	return publish.Account{ID: c.parent, Name: loc.Title, Scopes: []string{Scope}}, nil
}

// UploadImage checks the photo and puts it on the media host.
func (c *Client) UploadImage(ctx context.Context, img publish.Image) (publish.MediaRef, error) {
	now := c.now()
	if c.opt.Host == nil {
		e := rejected(now, "no_media_host", "Google only takes photos it can download from the internet, and no storage bucket is connected. Connect the practice's own bucket in Settings → Media hosting, or send this post to Google without the photo.")
		e.Err = publish.ErrNoMediaHost
		return publish.MediaRef{}, e
	}
	if len(img.Data) > Limits.MaxImageBytes {
		return publish.MediaRef{}, rejected(now, "image_too_large", fmt.Sprintf("The photo is %.1f MB; Google takes at most 5 MB. Export a smaller JPEG and try again.", float64(len(img.Data))/(1<<20)))
	}
	if len(img.Data) < minImageBytes {
		return publish.MediaRef{}, rejected(now, "image_too_small", "The photo file is smaller than Google accepts (10 KB). Render it again at full size.")
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(img.Data))
	if err != nil || (format != "jpeg" && format != "png") {
		return publish.MediaRef{}, rejected(now, "image_format", "Google takes JPEG or PNG photos. Render the image again.")
	}
	if cfg.Width < minImageSide || cfg.Height < minImageSide {
		return publish.MediaRef{}, rejected(now, "image_too_small", fmt.Sprintf("The photo is %d×%d pixels; Google needs at least 250×250.", cfg.Width, cfg.Height))
	}
	h, err := c.opt.Host.Put(ctx, img)
	if err != nil {
		return publish.MediaRef{}, publish.HostError(publish.Google, now, err)
	}
	return publish.MediaRef{ID: h.Key, URL: h.URL, Alt: img.Alt, Width: cfg.Width, Height: cfg.Height}, nil
}
