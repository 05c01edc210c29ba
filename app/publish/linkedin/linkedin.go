// Package linkedin publishes to one LinkedIn organisation page through
// the versioned Community Management API (docs/platform-contracts.md §3).
package linkedin

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"practicepost/app"
	"practicepost/app/publish"
	"practicepost/app/publish/linkedin/internal/littletext"
)

// DefaultBaseURL is LinkedIn's API host.
const DefaultBaseURL = "https://api.linkedin.com"

// DefaultVersion is the Linkedin-Version (YYYYMM) this connector was
// written against. LinkedIn retires versions after about a year; a retired
// one is answered with 426 and the connector says so.
const DefaultVersion = "202608"

// Limits LinkedIn applies to organisation posts (text and image counts and
// image size from app's platform descriptor). The 3,000 characters and the
// image size are commonly cited, not confirmed in LinkedIn's docs.
var Limits = func() publish.Limits {
	l := publish.DescribedLimits(publish.LinkedIn)
	l.ImageMIMEs = []string{"image/jpeg", "image/png", "image/gif"}
	return l
}()

// maxPixels is LinkedIn's image pixel limit.
const maxPixels = 36_152_320

// Options are optional collaborators; zero values get defaults.
type Options struct {
	HTTP    *http.Client // default: 60 s timeout
	Clock   app.Clock    // default: app.SystemClock
	Version string       // Linkedin-Version, YYYYMM; default DefaultVersion
	// PollInterval and PollTimeout bound the wait for an uploaded image to
	// become AVAILABLE (posting before that fails); defaults 1 s and 60 s.
	PollInterval time.Duration
	PollTimeout  time.Duration
	// TokenExpiresAt is when the access token runs out (60 days after
	// connecting, without refresh tokens); Verify reports it so the app can
	// remind the user to reconnect in time.
	TokenExpiresAt time.Time
}

// Client posts as one organisation.
type Client struct {
	base   string
	orgURN string
	token  string
	opt    Options

	mu   sync.Mutex
	name string
}

var _ publish.Publisher = (*Client)(nil)

// NewClient returns a client posting as organisation orgID (the number in
// urn:li:organization:<id>) with a member token holding w_organization_social.
func NewClient(baseURL, orgID, token string, opt Options) *Client {
	publish.ClientDefaults(&opt.HTTP, &opt.Clock)
	if opt.Version == "" {
		opt.Version = DefaultVersion
	}
	if opt.PollInterval == 0 {
		opt.PollInterval = time.Second
	}
	if opt.PollTimeout == 0 {
		opt.PollTimeout = 60 * time.Second
	}
	return &Client{base: strings.TrimRight(baseURL, "/"), orgURN: "urn:li:organization:" + orgID, token: token, opt: opt}
}

func (c *Client) Platform() publish.Platform { return publish.LinkedIn }

func (c *Client) Limits(context.Context) (publish.Limits, error) { return Limits, nil }

func (c *Client) now() time.Time { return c.opt.Clock.Now() }

// do sends a request to a REST endpoint with the headers LinkedIn requires
// on every call, and decodes a 2xx JSON answer into out.
func (c *Client) do(ctx context.Context, method, pathAndQuery string, body any, hdr http.Header, out any) (*http.Response, []byte, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, nil, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+pathAndQuery, rd)
	if err != nil {
		return nil, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Linkedin-Version", c.opt.Version)
	req.Header.Set("X-Restli-Protocol-Version", "2.0.0")
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range hdr {
		req.Header[k] = v
	}
	return c.send(req, out)
}

func (c *Client) send(req *http.Request, out any) (*http.Response, []byte, error) {
	resp, raw, err := publish.Do(c.opt.HTTP, req, publish.LinkedIn)
	if err != nil {
		return nil, nil, err
	}
	if resp.StatusCode >= 300 {
		return resp, raw, c.classify(resp, raw)
	}
	if len(bytes.TrimSpace(raw)) == 0 {
		// A create's 201 carries its id in x-restli-id and no body.
		return resp, raw, nil
	}
	return resp, raw, publish.Decode(publish.LinkedIn, resp.StatusCode, raw, out, c.now())
}

type apiError struct {
	Status           int    `json:"status"`
	ServiceErrorCode int    `json:"serviceErrorCode"`
	Code             string `json:"code"`
	Message          string `json:"message"`
}

func (c *Client) classify(resp *http.Response, raw []byte) *publish.Error {
	now := c.now()
	var ae apiError
	json.Unmarshal(raw, &ae)
	msg := ae.Message
	if msg == "" {
		msg = http.StatusText(resp.StatusCode)
	}
	code := ae.Code
	if ae.ServiceErrorCode != 0 {
		code = strconv.Itoa(ae.ServiceErrorCode)
		if ae.Code != "" {
			code += "/" + ae.Code
		}
	}
	var kind publish.Kind
	var reset time.Time
	user := ""
	switch s := resp.StatusCode; {
	case s == http.StatusUnauthorized:
		kind = publish.KindAuth
		switch {
		case ae.ServiceErrorCode == 65601 || ae.Code == "REVOKED_ACCESS_TOKEN":
			user = "LinkedIn says PracticePost's access was withdrawn (someone removed it under LinkedIn Settings → Data privacy → Permitted services). Open Channels (in the sidebar) and reconnect LinkedIn; waiting posts stay in the queue."
		case strings.Contains(strings.ToLower(msg), "expired"):
			user = "The LinkedIn connection has run out (LinkedIn connections last 60 days). Open Channels (in the sidebar) and reconnect LinkedIn; waiting posts stay in the queue."
		}
	case s == http.StatusTooManyRequests:
		// LinkedIn's limits are daily and reset at midnight UTC; it sends
		// no header saying when.
		kind = publish.KindRateLimited
		y, m, d := now.UTC().Date()
		reset = time.Date(y, m, d+1, 0, 0, 0, 0, time.UTC)
	case s == http.StatusForbidden && strings.Contains(msg, "partnerApiSocialActions"):
		// The comment endpoints need LinkedIn's Community Management API
		// product on the app itself (contracts §13.3): nothing the
		// practice can change.
		kind = publish.KindPermission
		user = "LinkedIn has not opened its comments to this copy of PracticePost (the LinkedIn sign-in app lacks LinkedIn's Community Management API). LinkedIn comments cannot be shown or answered here until it is granted; answer them on LinkedIn for now. Posting to LinkedIn is not affected."
	case s == http.StatusForbidden:
		kind = publish.KindPermission
		user = "LinkedIn says the connected member may not post for this page. They need the Super admin or Content admin role on the LinkedIn page (page admin tools → Manage admins); then reconnect LinkedIn."
	case s == http.StatusNotFound || s == http.StatusGone:
		kind = publish.KindNotFound
	case s == http.StatusUpgradeRequired:
		kind = publish.KindRejected
		user = fmt.Sprintf("LinkedIn has retired the API version PracticePost uses (%s). Update PracticePost; until then posts to LinkedIn wait.", c.opt.Version)
	case s >= 500:
		kind = publish.KindTransient
	default:
		kind = publish.KindRejected
		if strings.Contains(strings.ToLower(msg), "duplicate") {
			user = "LinkedIn refused this post because the page posted the same text recently. Change the wording a little and send it again."
		}
	}
	return publish.NewError(publish.LinkedIn, kind, resp.StatusCode, code, msg, raw, now, reset).WithMessage(user)
}

func rejected(now time.Time, code, msg string) *publish.Error {
	return publish.Rejected(publish.LinkedIn, now, code, msg)
}

// Verify reads the organisation's name; a 403 means the member holds no
// role on it.
func (c *Client) Verify(ctx context.Context) (publish.Account, error) {
	id := strings.TrimPrefix(c.orgURN, "urn:li:organization:")
	var org struct {
		ID            int64  `json:"id"`
		LocalizedName string `json:"localizedName"`
		VanityName    string `json:"vanityName"`
	}
	if _, _, err := c.do(ctx, http.MethodGet, "/rest/organizations/"+url.PathEscape(id), nil, nil, &org); err != nil {
		return publish.Account{}, err
	}
	c.mu.Lock()
	c.name = org.LocalizedName
	c.mu.Unlock()
	a := publish.Account{ID: c.orgURN, Name: org.LocalizedName, ExpiresAt: c.opt.TokenExpiresAt, Scopes: []string{"w_organization_social"}}
	if org.VanityName != "" {
		a.Handle = "linkedin.com/company/" + org.VanityName
	}
	return a, nil
}

// UploadImage registers an image (initializeUpload), PUTs the bytes to the
// upload URL and waits until LinkedIn reports it AVAILABLE.
func (c *Client) UploadImage(ctx context.Context, img publish.Image) (publish.MediaRef, error) {
	now := c.now()
	switch {
	case len(img.Data) == 0:
		return publish.MediaRef{}, rejected(now, "image_empty", "The image for LinkedIn is empty. Render the image again.")
	case len(img.Data) > Limits.MaxImageBytes:
		return publish.MediaRef{}, rejected(now, "image_too_large", fmt.Sprintf("The image is %.1f MB; LinkedIn takes at most %.0f MB. Export a smaller JPEG and try again.", float64(len(img.Data))/(1<<20), float64(Limits.MaxImageBytes)/(1<<20)))
	case img.Width*img.Height > maxPixels:
		return publish.MediaRef{}, rejected(now, "image_too_many_pixels", "The image has more pixels than LinkedIn accepts (about 36 megapixels). Export it smaller and try again.")
	}
	var init struct {
		Value struct {
			UploadURL          string `json:"uploadUrl"`
			UploadURLExpiresAt int64  `json:"uploadUrlExpiresAt"`
			Image              string `json:"image"`
		} `json:"value"`
	}
	body := map[string]any{"initializeUploadRequest": map[string]any{"owner": c.orgURN}}
	if _, _, err := c.do(ctx, http.MethodPost, "/rest/images?action=initializeUpload", body, nil, &init); err != nil {
		return publish.MediaRef{}, err
	}
	if init.Value.UploadURL == "" || init.Value.Image == "" {
		return publish.MediaRef{}, publish.NewError(publish.LinkedIn, publish.KindTransient, http.StatusOK, "", "initializeUpload answered without an upload URL", nil, now, time.Time{})
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, init.Value.UploadURL, bytes.NewReader(img.Data))
	if err != nil {
		return publish.MediaRef{}, err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Content-Type", "application/octet-stream")
	if _, _, err := c.send(req, nil); err != nil {
		return publish.MediaRef{}, err
	}
	if err := c.waitAvailable(ctx, init.Value.Image); err != nil {
		return publish.MediaRef{}, err
	}
	return publish.MediaRef{ID: init.Value.Image, Alt: img.Alt, Width: img.Width, Height: img.Height}, nil
}

func (c *Client) waitAvailable(ctx context.Context, urn string) error {
	deadline := c.now().Add(c.opt.PollTimeout)
	for polls := 0; ; polls++ {
		var im struct {
			Status string `json:"status"`
		}
		if _, _, err := c.do(ctx, http.MethodGet, "/rest/images/"+encodeURN(urn), nil, nil, &im); err != nil {
			return err
		}
		switch im.Status {
		case "AVAILABLE":
			return nil
		case "PROCESSING_FAILED":
			return rejected(c.now(), "PROCESSING_FAILED", "LinkedIn could not process the image. Export it again as JPEG or PNG and send again.")
		}
		// The clock may be fixed in tests, so bound by polls too.
		if !c.now().Before(deadline) || time.Duration(polls)*c.opt.PollInterval >= c.opt.PollTimeout {
			e := publish.NewError(publish.LinkedIn, publish.KindTransient, http.StatusOK, "image_processing", "the image is still processing", nil, c.now(), time.Time{})
			e.Message = "LinkedIn is still processing the image. PracticePost will try again shortly."
			return e
		}
		if err := publish.Pause(ctx, c.opt.PollInterval); err != nil {
			return publish.NetworkError(publish.LinkedIn, err, false)
		}
	}
}

// CreatePost creates a published post; the post URN comes back in the
// x-restli-id header of a 201 with an empty body.
func (c *Client) CreatePost(ctx context.Context, p publish.Post) (publish.Result, error) {
	now := c.now()
	if !p.ScheduledAt.IsZero() {
		return publish.Result{}, rejected(now, "no_native_schedule", "LinkedIn does not hold scheduled posts for PracticePost; it sends them itself at the time.")
	}
	text := publish.ComposeText(p.Text, p.Link)
	if n := len([]rune(text)); n > Limits.MaxText {
		return publish.Result{}, rejected(now, "text_too_long", fmt.Sprintf("The post is %d characters; LinkedIn takes %d. Shorten it and send again.", n, Limits.MaxText))
	}
	if len(p.Media) > Limits.MaxImages {
		return publish.Result{}, rejected(now, "too_many_images", "PracticePost posts one image per LinkedIn post. Remove the extra images.")
	}
	body := map[string]any{
		"author":                    c.orgURN,
		"commentary":                littletext.Escape(text),
		"visibility":                "PUBLIC",
		"distribution":              map[string]any{"feedDistribution": "MAIN_FEED", "targetEntities": []any{}, "thirdPartyDistributionChannels": []any{}},
		"lifecycleState":            "PUBLISHED",
		"isReshareDisabledByAuthor": false,
	}
	if len(p.Media) == 1 {
		media := map[string]any{"id": p.Media[0].ID}
		if p.Media[0].Alt != "" {
			media["altText"] = p.Media[0].Alt
		}
		body["content"] = map[string]any{"media": media}
	}
	resp, raw, err := c.do(ctx, http.MethodPost, "/rest/posts", body, nil, nil)
	if err != nil {
		return publish.Result{}, err
	}
	id := resp.Header.Get("X-Restli-Id")
	if id == "" {
		id = resp.Header.Get("X-LinkedIn-Id")
	}
	return publish.Result{ID: id, URL: PostURL(id), Raw: raw}, nil
}

// PostURL is the public address of a post URN.
func PostURL(urn string) string {
	if urn == "" {
		return ""
	}
	return "https://www.linkedin.com/feed/update/" + urn + "/"
}

type postElement struct {
	ID             string `json:"id"`
	Commentary     string `json:"commentary"`
	CreatedAt      int64  `json:"createdAt"`
	LifecycleState string `json:"lifecycleState"`
}

// FindPost looks for p among the page's latest posts by its text.
func (c *Client) FindPost(ctx context.Context, p publish.Post, since time.Time) (publish.Result, bool, error) {
	q := "/rest/posts?author=" + url.QueryEscape(c.orgURN) + "&q=author&count=50&sortBy=CREATED"
	var out struct {
		Elements []postElement `json:"elements"`
	}
	_, raw, err := c.do(ctx, http.MethodGet, q, nil, http.Header{"X-Restli-Method": {"FINDER"}}, &out)
	if err != nil {
		return publish.Result{}, false, err
	}
	want := normalize(publish.ComposeText(p.Text, p.Link))
	for _, el := range out.Elements {
		if !since.IsZero() && el.CreatedAt > 0 && time.UnixMilli(el.CreatedAt).Before(since.Add(-time.Minute)) {
			continue
		}
		if normalize(littletext.Unescape(el.Commentary)) == want {
			return publish.Result{ID: el.ID, URL: PostURL(el.ID), Raw: raw}, true, nil
		}
	}
	return publish.Result{}, false, nil
}

// encodeURN encodes a URN for a path segment: LinkedIn wants the colons
// escaped too, which url.PathEscape leaves alone.
func encodeURN(urn string) string { return url.QueryEscape(urn) }

func normalize(s string) string { return strings.Join(strings.Fields(s), " ") }

// DeletePost removes a post; one that is already gone counts as removed.
func (c *Client) DeletePost(ctx context.Context, id string) error {
	_, _, err := c.do(ctx, http.MethodDelete, "/rest/posts/"+encodeURN(id), nil, http.Header{"X-Restli-Method": {"DELETE"}}, nil)
	return publish.Gone(err)
}

// Followers reads how many members follow the organisation page
// (networkSizes with edgeType COMPANY_FOLLOWED_BY_MEMBER, answered as
// firstDegreeSize), the figure Insights shows as followers and growth.
// Not in platform-contracts.md §3.5, which lists share statistics only;
// the call is Microsoft's Community Management "organization follower
// count". The edge type's spelling has changed before (it was
// CompanyFollowedByMember), so a missing count is reported, not taken as 0.
func (c *Client) Followers(ctx context.Context) (int, error) {
	var out struct {
		Size *int `json:"firstDegreeSize"`
	}
	_, raw, err := c.do(ctx, http.MethodGet, "/rest/networkSizes/"+encodeURN(c.orgURN)+"?edgeType=COMPANY_FOLLOWED_BY_MEMBER", nil, nil, &out)
	if err != nil {
		return 0, err
	}
	return publish.FollowerCount(publish.LinkedIn, out.Size, raw, c.now())
}

// Metrics reads the post's organic counters from
// organizationalEntityShareStatistics (needs rw_organization_admin).
func (c *Client) Metrics(ctx context.Context, id string) (publish.Metrics, error) {
	param := "shares"
	if strings.HasPrefix(id, "urn:li:ugcPost:") {
		param = "ugcPosts"
	}
	q := "/rest/organizationalEntityShareStatistics?q=organizationalEntity&organizationalEntity=" + url.QueryEscape(c.orgURN) +
		"&" + param + "=List(" + url.QueryEscape(id) + ")"
	var out struct {
		Elements []struct {
			Total struct {
				Impressions int  `json:"impressionCount"`
				Unique      *int `json:"uniqueImpressionsCount"`
				Clicks      int  `json:"clickCount"`
				Likes       int  `json:"likeCount"`
				Comments    int  `json:"commentCount"`
				Shares      int  `json:"shareCount"`
			} `json:"totalShareStatistics"`
		} `json:"elements"`
	}
	if _, _, err := c.do(ctx, http.MethodGet, q, nil, nil, &out); err != nil {
		return publish.Metrics{}, err
	}
	if len(out.Elements) == 0 {
		return publish.Metrics{Pending: true, Note: "LinkedIn has no numbers for this post yet."}, nil
	}
	t := out.Elements[0].Total
	return publish.Metrics{Reactions: t.Likes, Comments: t.Comments, Shares: t.Shares, Views: &t.Impressions, Reach: t.Unique, Clicks: &t.Clicks}, nil
}
