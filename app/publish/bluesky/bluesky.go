// Package bluesky publishes to one Bluesky account with an app password
// (docs/platform-contracts.md §6).
package bluesky

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/rivo/uniseg"

	"practicepost/app"
	"practicepost/app/publish"
)

// DefaultService is where sessions start; later calls go to the account's
// PDS named in the didDoc.
const DefaultService = "https://bsky.social"

const collection = "app.bsky.feed.post"

// Limits Bluesky applies to posts. No native scheduling. The
// app.bsky.feed.post text limits and the lexicon's image blob limit (the
// PDS accepts larger uploads and only refuses when the post references
// them) come from app's platform descriptor.
var Limits = func() publish.Limits {
	l := publish.DescribedLimits(publish.Bluesky)
	l.ImageMIMEs = []string{"image/jpeg", "image/png", "image/webp"}
	return l
}()

// Session is an app-password session; store RefreshJWT (and the rest) in
// the keychain so a restart need not log in again.
type Session struct {
	DID        string `json:"did"`
	Handle     string `json:"handle"`
	AccessJWT  string `json:"accessJwt"`
	RefreshJWT string `json:"refreshJwt"`
	PDS        string `json:"pds"`
}

// Options are optional collaborators; zero values get defaults.
type Options struct {
	HTTP  *http.Client // default: 60 s timeout
	Clock app.Clock    // default: app.SystemClock
	// Session resumes a stored session instead of logging in.
	Session *Session
	// OnSession is called whenever the session changes (login, refresh:
	// refresh tokens are single use), so the caller can store it.
	OnSession func(Session)
}

// Client posts as one account.
type Client struct {
	service    string
	identifier string
	password   string
	hc         *http.Client
	clock      app.Clock
	onSession  func(Session)

	mu   sync.Mutex
	sess *Session
}

var _ publish.Publisher = (*Client)(nil)

// NewClient returns a client that logs in at serviceURL (DefaultService in
// production) with a handle (or DID) and an app password.
func NewClient(serviceURL, identifier, appPassword string, opt Options) *Client {
	publish.ClientDefaults(&opt.HTTP, &opt.Clock)
	c := &Client{service: strings.TrimRight(serviceURL, "/"), identifier: strings.TrimPrefix(identifier, "@"), password: appPassword,
		hc: opt.HTTP, clock: opt.Clock, onSession: opt.OnSession}
	if opt.Session != nil {
		s := *opt.Session
		c.sess = &s
	}
	return c
}

func (c *Client) Platform() publish.Platform { return publish.Bluesky }

func (c *Client) Limits(context.Context) (publish.Limits, error) { return Limits, nil }

// Session returns the current session, if any.
func (c *Client) Session() (Session, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.sess == nil {
		return Session{}, false
	}
	return *c.sess, true
}

type xrpcError struct {
	Name    string `json:"error"`
	Message string `json:"message"`
}

// classify maps an XRPC error body to a publish.Error.
func classify(resp *http.Response, raw []byte, now time.Time) *publish.Error {
	var xe xrpcError
	json.Unmarshal(raw, &xe)
	msg := xe.Message
	if msg == "" {
		msg = http.StatusText(resp.StatusCode)
	}
	var kind publish.Kind
	var reset time.Time
	userMsg := ""
	switch {
	case xe.Name == "ExpiredToken" || xe.Name == "InvalidToken" || xe.Name == "AuthenticationRequired" || xe.Name == "AuthMissing" || resp.StatusCode == http.StatusUnauthorized:
		kind = publish.KindAuth
		userMsg = "Bluesky no longer accepts PracticePost's sign-in. Open Channels (in the sidebar) and enter your Bluesky handle and an app password again (create one in Bluesky under Settings → Privacy and security → App passwords)."
	case xe.Name == "AuthFactorTokenRequired":
		kind = publish.KindAuth
		userMsg = "Bluesky asked for an email code, which happens when the main account password is used. Create an app password in Bluesky (Settings → Privacy and security → App passwords) and use that instead."
	case xe.Name == "AccountTakedown" || xe.Name == "AccountDeactivated":
		kind = publish.KindPermission
		userMsg = "Bluesky says this account is suspended or deactivated, so nothing can be posted. Sign in to Bluesky to see why."
	case xe.Name == "RateLimitExceeded" || resp.StatusCode == http.StatusTooManyRequests:
		kind = publish.KindRateLimited
		reset = publish.ParseReset(resp.Header.Get("RateLimit-Reset"), now)
		if reset.IsZero() {
			reset = publish.ParseReset(resp.Header.Get("Retry-After"), now)
		}
	case xe.Name == "RecordNotFound" || xe.Name == "NotFound" || resp.StatusCode == http.StatusNotFound:
		kind = publish.KindNotFound
	case resp.StatusCode >= 500:
		kind = publish.KindTransient
	default:
		kind = publish.KindRejected
	}
	return publish.NewError(publish.Bluesky, kind, resp.StatusCode, xe.Name, msg, raw, now, reset).WithMessage(userMsg)
}

func isExpired(err error) bool {
	var e *publish.Error
	return errors.As(err, &e) && e.Code == "ExpiredToken"
}

// send makes one XRPC call with the given bearer token.
func (c *Client) send(ctx context.Context, base, method, nsid string, query url.Values, body []byte, contentType, bearer string, out any) ([]byte, error) {
	u := base + "/xrpc/" + nsid
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, method, u, http.NoBody)
	if body != nil {
		req, err = http.NewRequestWithContext(ctx, method, u, bytes.NewReader(body))
	}
	if err != nil {
		return nil, err
	}
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	req.Header.Set("Accept", "application/json")
	resp, raw, err := publish.Do(c.hc, req, publish.Bluesky)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode >= 300 {
		return raw, classify(resp, raw, c.clock.Now())
	}
	return raw, publish.Decode(publish.Bluesky, resp.StatusCode, raw, out, c.clock.Now())
}

type sessionResponse struct {
	DID        string          `json:"did"`
	Handle     string          `json:"handle"`
	AccessJWT  string          `json:"accessJwt"`
	RefreshJWT string          `json:"refreshJwt"`
	DIDDoc     json.RawMessage `json:"didDoc"`
}

// pdsFrom reads the #atproto_pds service endpoint from a didDoc.
func pdsFrom(doc json.RawMessage) string {
	var d struct {
		Service []struct {
			ID       string `json:"id"`
			Type     string `json:"type"`
			Endpoint string `json:"serviceEndpoint"`
		} `json:"service"`
	}
	if json.Unmarshal(doc, &d) != nil {
		return ""
	}
	for _, s := range d.Service {
		if strings.HasSuffix(s.ID, "#atproto_pds") && s.Type == "AtprotoPersonalDataServer" && strings.HasPrefix(s.Endpoint, "http") {
			return strings.TrimRight(s.Endpoint, "/")
		}
	}
	return ""
}

func (c *Client) store(r sessionResponse, fallbackPDS string) Session {
	s := Session{DID: r.DID, Handle: r.Handle, AccessJWT: r.AccessJWT, RefreshJWT: r.RefreshJWT, PDS: pdsFrom(r.DIDDoc)}
	if s.PDS == "" {
		s.PDS = fallbackPDS
	}
	c.mu.Lock()
	c.sess = &s
	c.mu.Unlock()
	if c.onSession != nil {
		c.onSession(s)
	}
	return s
}

// Login creates a session with the app password.
func (c *Client) Login(ctx context.Context) (Session, error) {
	body, _ := json.Marshal(map[string]string{"identifier": c.identifier, "password": c.password})
	var r sessionResponse
	if _, err := c.send(ctx, c.service, http.MethodPost, "com.atproto.server.createSession", nil, body, "application/json", "", &r); err != nil {
		var e *publish.Error
		if errors.As(err, &e) && e.Code == "AuthenticationRequired" {
			e.Message = "Bluesky did not accept the handle or app password. Reconnect Bluesky on the Channels screen (in the sidebar) with the handle and an app password; an app password looks like xxxx-xxxx-xxxx-xxxx and is made in Bluesky under Settings → Privacy and security → App passwords."
		}
		return Session{}, err
	}
	return c.store(r, c.service), nil
}

// refresh swaps the refresh token for a new pair; when that is refused it
// logs in again with the app password.
func (c *Client) refresh(ctx context.Context) (Session, error) {
	c.mu.Lock()
	s := c.sess
	c.mu.Unlock()
	if s == nil || s.RefreshJWT == "" {
		return c.Login(ctx)
	}
	var r sessionResponse
	_, err := c.send(ctx, s.PDS, http.MethodPost, "com.atproto.server.refreshSession", nil, nil, "", s.RefreshJWT, &r)
	if err == nil {
		return c.store(r, s.PDS), nil
	}
	if publish.KindOf(err) == publish.KindAuth && c.password != "" {
		return c.Login(ctx)
	}
	return Session{}, err
}

// call makes an authenticated call on the PDS. On ExpiredToken it refreshes
// the session and tries once more: the PDS refused the first attempt before
// doing anything, so the retry cannot duplicate a post.
func (c *Client) call(ctx context.Context, method, nsid string, query url.Values, body []byte, contentType string, out any) ([]byte, error) {
	c.mu.Lock()
	s := c.sess
	c.mu.Unlock()
	if s == nil {
		var err error
		ns, err := c.Login(ctx)
		if err != nil {
			return nil, err
		}
		s = &ns
	}
	raw, err := c.send(ctx, s.PDS, method, nsid, query, body, contentType, s.AccessJWT, out)
	if !isExpired(err) {
		return raw, err
	}
	ns, rerr := c.refresh(ctx)
	if rerr != nil {
		return nil, rerr
	}
	return c.send(ctx, ns.PDS, method, nsid, query, body, contentType, ns.AccessJWT, out)
}

// Verify checks the credentials: a refresh of a stored session, or a login.
func (c *Client) Verify(ctx context.Context) (publish.Account, error) {
	s, err := c.refresh(ctx)
	if err != nil {
		return publish.Account{}, err
	}
	return publish.Account{ID: s.DID, Handle: "@" + s.Handle, Name: s.Handle}, nil
}

func rejected(now time.Time, code, msg string) *publish.Error {
	return publish.Rejected(publish.Bluesky, now, code, msg)
}

// UploadImage uploads a blob. Images over 1,000,000 bytes are refused here:
// the PDS would take the upload and only refuse the post.
func (c *Client) UploadImage(ctx context.Context, img publish.Image) (publish.MediaRef, error) {
	now := c.clock.Now()
	switch {
	case len(img.Data) == 0:
		return publish.MediaRef{}, rejected(now, "image_empty", "The image for Bluesky is empty. Render the image again.")
	case len(img.Data) > Limits.MaxImageBytes:
		return publish.MediaRef{}, rejected(now, "image_too_large", fmt.Sprintf("The image is %s; Bluesky takes at most 1 MB (1,000,000 bytes) per image. Use a smaller size or JPEG for Bluesky and send again.", sizeText(len(img.Data))))
	case !strings.HasPrefix(img.MIME, "image/"):
		return publish.MediaRef{}, rejected(now, "image_type", "Bluesky takes only images here. Use a JPEG or PNG.")
	}
	var out struct {
		Blob json.RawMessage `json:"blob"`
	}
	if _, err := c.call(ctx, http.MethodPost, "com.atproto.repo.uploadBlob", nil, img.Data, img.MIME, &out); err != nil {
		return publish.MediaRef{}, err
	}
	var b struct {
		Ref struct {
			Link string `json:"$link"`
		} `json:"ref"`
	}
	json.Unmarshal(out.Blob, &b)
	return publish.MediaRef{ID: b.Ref.Link, Blob: out.Blob, Alt: img.Alt, Width: img.Width, Height: img.Height}, nil
}

func sizeText(n int) string {
	return fmt.Sprintf("%.2f MB (%d bytes)", float64(n)/1e6, n)
}

// CheckText reports whether text fits a Bluesky post, with a message for
// the practice manager when it does not.
func CheckText(text string) error {
	now := time.Time{}
	if n := uniseg.GraphemeClusterCount(text); n > Limits.MaxText {
		return rejected(now, "text_too_long", fmt.Sprintf("This post is %d characters; Bluesky allows %d. Shorten it by %d and send again.", n, Limits.MaxText, n-Limits.MaxText))
	}
	if len(text) > Limits.MaxTextBytes {
		return rejected(now, "text_too_long", "This post is too long for Bluesky (it uses many special characters or emoji). Shorten it and send again.")
	}
	return nil
}

// timestamp is the createdAt format: RFC 3339, UTC, milliseconds.
func timestamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

type imageEmbed struct {
	Alt         string          `json:"alt"`
	Image       json.RawMessage `json:"image"`
	AspectRatio *aspect         `json:"aspectRatio,omitempty"`
}

type aspect struct {
	Width  int `json:"width"`
	Height int `json:"height"`
}

// Record builds the app.bsky.feed.post record for p.
func Record(p publish.Post, createdAt time.Time) map[string]any {
	text := publish.ComposeText(p.Text, p.Link)
	rec := map[string]any{"$type": collection, "text": text, "createdAt": timestamp(createdAt)}
	if f := Facets(text); len(f) > 0 {
		rec["facets"] = f
	}
	if p.Lang != "" {
		rec["langs"] = []string{p.Lang}
	}
	if len(p.Media) > 0 {
		imgs := make([]imageEmbed, len(p.Media))
		for i, m := range p.Media {
			imgs[i] = imageEmbed{Alt: m.Alt, Image: m.Blob}
			if m.Width > 0 && m.Height > 0 {
				imgs[i].AspectRatio = &aspect{m.Width, m.Height}
			}
		}
		rec["embed"] = map[string]any{"$type": "app.bsky.embed.images", "images": imgs}
	}
	return rec
}

// CreatePost creates the post record. Bluesky has no scheduling, so a post
// with ScheduledAt is refused; the queue sends it at the time instead. Set
// p.CreatedAt (and store it) so FindPost can recognise the record later.
func (c *Client) CreatePost(ctx context.Context, p publish.Post) (publish.Result, error) {
	now := c.clock.Now()
	if !p.ScheduledAt.IsZero() {
		return publish.Result{}, rejected(now, "schedule_unsupported", "Bluesky cannot hold a post until later; PracticePost keeps it and sends it at the chosen time instead.")
	}
	if len(p.Media) > Limits.MaxImages {
		return publish.Result{}, rejected(now, "too_many_images", "Bluesky takes at most 4 images per post. Remove some and send again.")
	}
	for _, m := range p.Media {
		if len(m.Blob) == 0 {
			return publish.Result{}, rejected(now, "image_missing", "An image for this Bluesky post was not uploaded. Send the post again.")
		}
	}
	if err := CheckText(publish.ComposeText(p.Text, p.Link)); err != nil {
		return publish.Result{}, err
	}
	created := p.CreatedAt
	if created.IsZero() {
		created = now
	}
	s, err := c.ensure(ctx)
	if err != nil {
		return publish.Result{}, err
	}
	body, _ := json.Marshal(map[string]any{"repo": s.DID, "collection": collection, "record": Record(p, created)})
	var out struct {
		URI string `json:"uri"`
		CID string `json:"cid"`
	}
	raw, err := c.call(ctx, http.MethodPost, "com.atproto.repo.createRecord", nil, body, "application/json", &out)
	if err != nil {
		return publish.Result{}, err
	}
	return publish.Result{ID: out.URI, URL: c.webURL(out.URI), Raw: raw}, nil
}

func (c *Client) ensure(ctx context.Context) (Session, error) {
	if s, ok := c.Session(); ok {
		return s, nil
	}
	return c.Login(ctx)
}

// webURL turns at://did/app.bsky.feed.post/rkey into the bsky.app address.
func (c *Client) webURL(uri string) string {
	_, _, rkey, ok := splitURI(uri)
	s, _ := c.Session()
	if !ok || s.Handle == "" {
		return ""
	}
	return "https://bsky.app/profile/" + s.Handle + "/post/" + rkey
}

func splitURI(uri string) (repo, coll, rkey string, ok bool) {
	rest, found := strings.CutPrefix(uri, "at://")
	if !found {
		return "", "", "", false
	}
	parts := strings.Split(rest, "/")
	if len(parts) != 3 || parts[0] == "" || parts[2] == "" {
		return "", "", "", false
	}
	return parts[0], parts[1], parts[2], true
}

// FindPost looks through the account's recent post records for p: same
// text, and the same createdAt when p.CreatedAt is set (otherwise made since
// the given time).
func (c *Client) FindPost(ctx context.Context, p publish.Post, since time.Time) (publish.Result, bool, error) {
	s, err := c.ensure(ctx)
	if err != nil {
		return publish.Result{}, false, err
	}
	want := publish.ComposeText(p.Text, p.Link)
	cursor := ""
	for page := 0; page < 4; page++ {
		q := url.Values{"repo": {s.DID}, "collection": {collection}, "limit": {"50"}}
		if cursor != "" {
			q.Set("cursor", cursor)
		}
		var out struct {
			Cursor  string `json:"cursor"`
			Records []struct {
				URI   string `json:"uri"`
				Value struct {
					Text      string `json:"text"`
					CreatedAt string `json:"createdAt"`
				} `json:"value"`
			} `json:"records"`
		}
		raw, err := c.call(ctx, http.MethodGet, "com.atproto.repo.listRecords", q, nil, "", &out)
		if err != nil {
			return publish.Result{}, false, err
		}
		older := false
		for _, r := range out.Records {
			created, _ := time.Parse(time.RFC3339Nano, r.Value.CreatedAt)
			if !since.IsZero() && created.Before(since.Add(-time.Minute)) {
				older = true
				continue
			}
			if r.Value.Text != want {
				continue
			}
			if !p.CreatedAt.IsZero() && !created.Equal(p.CreatedAt.Truncate(time.Millisecond)) {
				continue
			}
			return publish.Result{ID: r.URI, URL: c.webURL(r.URI), Raw: raw}, true, nil
		}
		if out.Cursor == "" || older {
			break
		}
		cursor = out.Cursor
	}
	return publish.Result{}, false, nil
}

// DeletePost deletes the record; deleting one that is gone succeeds.
func (c *Client) DeletePost(ctx context.Context, id string) error {
	repo, coll, rkey, ok := splitURI(id)
	if !ok {
		return rejected(c.clock.Now(), "bad_id", "This Bluesky post reference is not valid, so PracticePost cannot delete it. Delete it in the Bluesky app.")
	}
	body, _ := json.Marshal(map[string]string{"repo": repo, "collection": coll, "rkey": rkey})
	_, err := c.call(ctx, http.MethodPost, "com.atproto.repo.deleteRecord", nil, body, "application/json", nil)
	return publish.Gone(err)
}

// Followers reads the account's follower count (app.bsky.actor.getProfile),
// the engagement-rate basis on Bluesky, which reports no reach.
func (c *Client) Followers(ctx context.Context) (int, error) {
	s, err := c.ensure(ctx)
	if err != nil {
		return 0, err
	}
	var out struct {
		Followers *int `json:"followersCount"`
	}
	raw, err := c.call(ctx, http.MethodGet, "app.bsky.actor.getProfile", url.Values{"actor": {s.DID}}, nil, "", &out)
	if err != nil {
		return 0, err
	}
	// An app view may leave the count out.
	return publish.FollowerCount(publish.Bluesky, out.Followers, raw, c.clock.Now())
}

// Metrics reads like, repost, reply and quote counts; Bluesky has no views.
func (c *Client) Metrics(ctx context.Context, id string) (publish.Metrics, error) {
	var out struct {
		Posts []struct {
			URI     string `json:"uri"`
			Likes   int    `json:"likeCount"`
			Reposts int    `json:"repostCount"`
			Replies int    `json:"replyCount"`
			Quotes  int    `json:"quoteCount"`
		} `json:"posts"`
	}
	raw, err := c.call(ctx, http.MethodGet, "app.bsky.feed.getPosts", url.Values{"uris": {id}}, nil, "", &out)
	if err != nil {
		return publish.Metrics{}, err
	}
	for _, p := range out.Posts {
		if p.URI == id {
			return publish.Metrics{Reactions: p.Likes, Shares: p.Reposts, Comments: p.Replies, Quotes: p.Quotes}, nil
		}
	}
	return publish.Metrics{}, publish.NewError(publish.Bluesky, publish.KindNotFound, http.StatusOK, "", "", raw, c.clock.Now(), time.Time{})
}
