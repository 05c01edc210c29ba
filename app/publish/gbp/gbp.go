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
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
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
	MaxImageBytes: 5 << 20,
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
	if opt.HTTP == nil {
		opt.HTTP = &http.Client{Timeout: 60 * time.Second}
	}
	if opt.Clock == nil {
		opt.Clock = app.SystemClock{}
	}
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
	if c.opt.Tokens == nil {
		return c.token, nil
	}
	t, err := c.opt.Tokens.Token()
	if err != nil {
		return "", publish.TokenError(publish.Google, err, c.now())
	}
	return t.AccessToken, nil
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
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			e := publish.NewError(publish.Google, publish.KindTransient, resp.StatusCode, "", "unreadable response", raw, c.now(), time.Time{})
			e.Err, e.Uncertain = err, true
			return raw, e
		}
	}
	return raw, nil
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
	e := publish.NewError(publish.Google, kind, resp.StatusCode, code, msg, raw, now, reset)
	if user != "" {
		e.Message = user
	}
	return e
}

func rejected(now time.Time, code, msg string) *publish.Error {
	e := publish.NewError(publish.Google, publish.KindRejected, 0, code, "", nil, now, time.Time{})
	e.Message = msg
	return e
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

// LocalPost is the v4 LocalPost resource, as far as PracticePost uses it.
type LocalPost struct {
	Name         string        `json:"name,omitempty"`
	LanguageCode string        `json:"languageCode,omitempty"`
	Summary      string        `json:"summary,omitempty"`
	TopicType    string        `json:"topicType,omitempty"`
	CallToAction *CallToAction `json:"callToAction,omitempty"`
	Event        *Event        `json:"event,omitempty"`
	Offer        *Offer        `json:"offer,omitempty"`
	Media        []Media       `json:"media,omitempty"`
	State        string        `json:"state,omitempty"`
	SearchURL    string        `json:"searchUrl,omitempty"`
	CreateTime   string        `json:"createTime,omitempty"`
}

// CallToAction is a post's button.
type CallToAction struct {
	ActionType string `json:"actionType"`
	URL        string `json:"url,omitempty"`
}

// Event is an event's (or offer's) title and period.
type Event struct {
	Title    string   `json:"title"`
	Schedule Schedule `json:"schedule"`
}

// Schedule is a period in the location's local time.
type Schedule struct {
	StartDate Date       `json:"startDate"`
	StartTime *TimeOfDay `json:"startTime,omitempty"`
	EndDate   Date       `json:"endDate"`
	EndTime   *TimeOfDay `json:"endTime,omitempty"`
}

// Date is google.type.Date.
type Date struct {
	Year  int `json:"year"`
	Month int `json:"month"`
	Day   int `json:"day"`
}

// TimeOfDay is google.type.TimeOfDay.
type TimeOfDay struct {
	Hours   int `json:"hours"`
	Minutes int `json:"minutes"`
	Seconds int `json:"seconds"`
	Nanos   int `json:"nanos"`
}

// Offer holds an offer's details.
type Offer struct {
	CouponCode      string `json:"couponCode,omitempty"`
	RedeemOnlineURL string `json:"redeemOnlineUrl,omitempty"`
	TermsConditions string `json:"termsConditions,omitempty"`
}

// Media is a photo Google downloads from SourceURL.
type Media struct {
	MediaFormat string `json:"mediaFormat"`
	SourceURL   string `json:"sourceUrl"`
}

// Build turns a post into the LocalPost Google takes, checking what
// Google would refuse: summary length, event and offer details, buttons.
func Build(p publish.Post, language string) (LocalPost, error) {
	lp := LocalPost{LanguageCode: language, Summary: strings.TrimSpace(p.Text), TopicType: "STANDARD"}
	t := p.Topic
	if t == nil {
		t = &publish.Topic{}
	}
	if t.Type != "" {
		lp.TopicType = t.Type
	}
	if n := len([]rune(lp.Summary)); n > Limits.MaxText {
		return lp, publish.Problemf("The post is %d characters; Google takes %d. Shorten it and send again.", n, Limits.MaxText)
	}
	switch lp.TopicType {
	case "STANDARD":
		if lp.Summary == "" && len(p.Media) == 0 {
			return lp, publish.Problem("The post has no text and no photo.")
		}
	case "EVENT", "OFFER":
		what := strings.ToLower(lp.TopicType)
		if strings.TrimSpace(t.Title) == "" {
			return lp, publish.Problemf("An %s post needs a title.", what)
		}
		if n := len([]rune(t.Title)); n > 58 {
			return lp, publish.Problemf("The %s title is %d characters; Google takes 58.", what, n)
		}
		if t.Start.IsZero() || t.End.IsZero() {
			return lp, publish.Problemf("An %s post needs a start and an end.", what)
		}
		if t.End.Before(t.Start) {
			return lp, publish.Problemf("The %s ends before it starts. Check the dates.", what)
		}
		sch := Schedule{StartDate: date(t.Start), EndDate: date(t.End)}
		if !t.AllDay {
			sch.StartTime, sch.EndTime = clock(t.Start), clock(t.End)
		}
		lp.Event = &Event{Title: strings.TrimSpace(t.Title), Schedule: sch}
		if lp.TopicType == "OFFER" && (t.CouponCode != "" || t.RedeemURL != "" || t.Terms != "") {
			lp.Offer = &Offer{CouponCode: t.CouponCode, RedeemOnlineURL: t.RedeemURL, TermsConditions: t.Terms}
		}
	default:
		return lp, publish.Problemf("PracticePost does not make Google %q posts.", lp.TopicType)
	}
	action, target := t.Action, t.ActionURL
	if action == "" && p.Link != "" {
		action, target = "LEARN_MORE", p.Link
	}
	if action != "" && lp.TopicType != "OFFER" {
		// Google ignores buttons on offers; the redeem link serves instead.
		if !slices.Contains(Actions, action) {
			return lp, publish.Problemf("Google has no %q button.", action)
		}
		if action == "CALL" {
			target = ""
		} else if target == "" {
			target = p.Link
		}
		if action != "CALL" {
			if u, err := url.Parse(target); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
				return lp, publish.Problem("The button needs a web address starting with https://.")
			}
		}
		lp.CallToAction = &CallToAction{ActionType: action, URL: target}
	}
	if p.Link != "" && (lp.CallToAction == nil || lp.CallToAction.URL != p.Link) {
		// The link is not on the button: keep it in the text.
		lp.Summary = publish.ComposeText(lp.Summary, p.Link)
		if n := len([]rune(lp.Summary)); n > Limits.MaxText {
			return lp, publish.Problemf("The post with its link is %d characters; Google takes %d. Shorten it and send again.", n, Limits.MaxText)
		}
	}
	for _, m := range p.Media {
		lp.Media = append(lp.Media, Media{MediaFormat: "PHOTO", SourceURL: m.URL})
	}
	return lp, nil
}

func date(t time.Time) Date { return Date{Year: t.Year(), Month: int(t.Month()), Day: t.Day()} }

func clock(t time.Time) *TimeOfDay { return &TimeOfDay{Hours: t.Hour(), Minutes: t.Minute()} }

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
		t := time.NewTimer(c.opt.PollInterval)
		select {
		case <-ctx.Done():
			t.Stop()
			keep = true
			return publish.Result{}, c.stillProcessing(raw, ctx.Err())
		case <-t.C:
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
	if publish.KindOf(err) == publish.KindNotFound {
		return nil
	}
	return err
}

// Metrics returns publish.ErrNoMetrics: Google removed per-post insights;
// only location-level performance remains.
func (c *Client) Metrics(context.Context, string) (publish.Metrics, error) {
	return publish.Metrics{}, publish.ErrNoMetrics
}

// Daily metrics read for the location, and how they add up: the four
// impression series are one "views" figure.
var (
	viewMetrics  = []string{"BUSINESS_IMPRESSIONS_DESKTOP_MAPS", "BUSINESS_IMPRESSIONS_DESKTOP_SEARCH", "BUSINESS_IMPRESSIONS_MOBILE_MAPS", "BUSINESS_IMPRESSIONS_MOBILE_SEARCH"}
	dailyMetrics = append(append([]string{}, viewMetrics...), "WEBSITE_CLICKS", "CALL_CLICKS", "BUSINESS_DIRECTION_REQUESTS")
	isViewMetric = map[string]bool{viewMetrics[0]: true, viewMetrics[1]: true, viewMetrics[2]: true, viewMetrics[3]: true}
)

// LocationMetrics reads the location's daily figures for the days from..to
// (dates in the location's own calendar, both included) with
// locations.fetchMultiDailyMetricsTimeSeries. Google leaves out the value
// of a day with nothing (zero); a day missing from a series is not
// reported yet.
func (c *Client) LocationMetrics(ctx context.Context, from, to time.Time) ([]publish.LocationDay, error) {
	q := url.Values{}
	for _, m := range dailyMetrics {
		q.Add("dailyMetrics", m)
	}
	for _, d := range []struct {
		name string
		t    time.Time
	}{{"startDate", from}, {"endDate", to}} {
		q.Set("dailyRange."+d.name+".year", strconv.Itoa(d.t.Year()))
		q.Set("dailyRange."+d.name+".month", strconv.Itoa(int(d.t.Month())))
		q.Set("dailyRange."+d.name+".day", strconv.Itoa(d.t.Day()))
	}
	var out struct {
		Multi []struct {
			Series []struct {
				Metric     string `json:"dailyMetric"`
				TimeSeries struct {
					Values []struct {
						Date struct {
							Year  int `json:"year"`
							Month int `json:"month"`
							Day   int `json:"day"`
						} `json:"date"`
						Value *string `json:"value"` // int64 as a JSON string; absent for 0
					} `json:"datedValues"`
				} `json:"timeSeries"`
			} `json:"dailyMetricTimeSeries"`
		} `json:"multiDailyMetricTimeSeries"`
	}
	u := c.opt.PerformanceURL + "/v1/locations/" + url.PathEscape(c.location) + ":fetchMultiDailyMetricsTimeSeries?" + q.Encode()
	if _, err := c.do(ctx, http.MethodGet, u, nil, &out); err != nil {
		return nil, err
	}
	days := map[string]*publish.LocationDay{}
	add := func(p **int, v int) {
		if *p == nil {
			*p = new(int)
		}
		**p += v
	}
	for _, m := range out.Multi {
		for _, s := range m.Series {
			for _, dv := range s.TimeSeries.Values {
				day := fmt.Sprintf("%04d-%02d-%02d", dv.Date.Year, dv.Date.Month, dv.Date.Day)
				v := 0
				if dv.Value != nil {
					n, err := strconv.Atoi(*dv.Value)
					if err != nil {
						continue
					}
					v = n
				}
				d := days[day]
				if d == nil {
					d = &publish.LocationDay{Day: day}
					days[day] = d
				}
				switch {
				case isViewMetric[s.Metric]:
					add(&d.Views, v)
				case s.Metric == "WEBSITE_CLICKS":
					add(&d.Clicks, v)
				case s.Metric == "CALL_CLICKS":
					add(&d.Calls, v)
				case s.Metric == "BUSINESS_DIRECTION_REQUESTS":
					add(&d.Directions, v)
				}
			}
		}
	}
	res := make([]publish.LocationDay, 0, len(days))
	for _, d := range days {
		res = append(res, *d)
	}
	sort.Slice(res, func(i, j int) bool { return res[i].Day < res[j].Day })
	return res, nil
}
