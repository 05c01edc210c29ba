// Package instagramtest is an Instagram Graph API server for one professional
// account that follows docs/platform-contracts.md §2: containers that
// really download image_url over HTTP (and fail with the documented
// subcodes when the download fails, is too big, is not a JPEG or has the
// wrong aspect ratio), the IN_PROGRESS → FINISHED/ERROR → PUBLISHED state
// machine with EXPIRED after 24 hours, media_publish refused before
// FINISHED, the content_publishing_limit quota (9/2207042), insights with
// empty data sets, and no way to delete media. Tests only.
package instagramtest

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	_ "image/jpeg" // the fetched image's header is decoded
	_ "image/png"
	"net"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"practicepost/app/publish/fault"
	"practicepost/app/publish/internal/fakeplatform"
	"practicepost/app/publish/internal/graph/graphtest"
)

// Config sets up the account. Zero values get the defaults noted.
type Config struct {
	UserID        string        // "17841400000000001"
	Username      string        // "smiledental"
	Token         string        // "ig-token"
	QuotaTotal    int           // content_publishing_limit quota_total; 100
	QuotaDuration time.Duration // 24 h
	// ProcessingPolls is how many status reads a container stays
	// IN_PROGRESS after a successful download.
	ProcessingPolls int
	ContainerTTL    time.Duration // 24 h, then EXPIRED
	MaxBytes        int           // 8 MiB
	AcceptPNG       bool          // JPEG only unless set (the docs name JPEG)
	// SyncErrors makes download failures come back from POST /media as a
	// Graph error instead of a container with status ERROR; Instagram does
	// both.
	SyncErrors bool
	Fetch      *http.Client     // fetches image_url; 10 s timeout
	Now        func() time.Time // time.Now
	// PageID is the Facebook Page the account is linked to; GET /{PageID}
	// answers its instagram_business_account. "100200300".
	PageID   string
	PageName string // "Smile Dental"
	// TokenExpires is debug_token's expires_at; zero answers 0 (a Page
	// token from a long-lived user token never expires).
	TokenExpires time.Time
	// TokenScopes are debug_token's scopes; default the ones publishing
	// needs.
	TokenScopes []string
}

// Container is a media container.
type Container struct {
	ID        string
	ImageURL  string
	Caption   string
	AltText   string
	Created   time.Time
	Polls     int
	Subcode   int    // set when the download or check failed
	Status    string // why, in Instagram's words
	Published bool
	MediaID   string
	Image     []byte
}

// Media is a published post.
type Media struct {
	ID          string
	Caption     string
	AltText     string
	ContainerID string
	Timestamp   time.Time
	Image       []byte
	Likes       int
	Comments    int
	Shares      int
	Views       int
	Saves       int
}

// Fetch records one download of an image_url.
type Fetch = fakeplatform.Fetch

// Server is a running fake.
type Server struct {
	fakeplatform.Server
	cfg Config

	mu            sync.Mutex
	containers    map[string]*Container
	media         []*Media
	next          int64
	expired       bool
	earlyPublish  int
	publishCalls  int
	insightsEmpty bool
	comments      []*Comment
	// deleteAfterPage: the comment a served page ends on (its cursor) is
	// deleted right after, as when its author deletes it mid-sync.
	deleteAfterPage bool

	fakeplatform.Followers // the account's followers_count (SetFollowers)
	fakeplatform.Downloads // of every image_url (Fetches)
}

// New starts a fake; call Close when done.
func New(cfg Config) *Server {
	fakeplatform.Default(&cfg.UserID, "17841400000000001")
	fakeplatform.Default(&cfg.Username, "smiledental")
	fakeplatform.Default(&cfg.Token, "ig-token")
	fakeplatform.Default(&cfg.PageID, "100200300")
	fakeplatform.Default(&cfg.PageName, "Smile Dental")
	if cfg.TokenScopes == nil {
		cfg.TokenScopes = []string{"instagram_basic", "instagram_content_publish", "pages_show_list", "pages_read_engagement", "instagram_manage_comments"}
	}
	fakeplatform.Default(&cfg.QuotaTotal, 100)
	fakeplatform.Default(&cfg.QuotaDuration, 24*time.Hour)
	fakeplatform.Default(&cfg.ContainerTTL, 24*time.Hour)
	fakeplatform.Default(&cfg.MaxBytes, 8<<20)
	if cfg.Fetch == nil {
		cfg.Fetch = &http.Client{Timeout: 10 * time.Second}
	}
	fakeplatform.DefaultNow(&cfg.Now)
	s := &Server{cfg: cfg, containers: map[string]*Container{}, next: 18000000000000000}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /{node}/media", s.createContainer)
	mux.HandleFunc("POST /{node}/media_publish", s.publish)
	mux.HandleFunc("GET /{node}/media", s.listMedia)
	mux.HandleFunc("GET /{node}/content_publishing_limit", s.limit)
	mux.HandleFunc("GET /{node}/insights", s.insights)
	mux.HandleFunc("GET /debug_token", s.debugToken)
	mux.HandleFunc("GET /{node}/comments", s.listComments)
	mux.HandleFunc("POST /{node}/replies", s.replyComment)
	mux.HandleFunc("POST /{node}", s.updateComment)
	mux.HandleFunc("GET /{node}", s.getNode)
	mux.HandleFunc("DELETE /{node}", s.deleteNode)
	s.Start(mux, s.writeFault)
	return s
}

// Media returns copies of every published post.
func (s *Server) Media() []Media {
	s.mu.Lock()
	defer s.mu.Unlock()
	return fakeplatform.Copies(s.media)
}

// Containers returns copies of every container, in creation order.
func (s *Server) Containers() []Container {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Container, 0, len(s.containers))
	for _, c := range s.containers {
		out = append(out, *c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// EarlyPublishes counts media_publish calls made before FINISHED.
func (s *Server) EarlyPublishes() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.earlyPublish
}

// ExpireToken answers 190/463 from now on.
func (s *Server) ExpireToken() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.expired = true
}

// Seed adds a post published at t (for quota tests).
func (s *Server) Seed(caption string, t time.Time) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := &Media{ID: s.newID(), Caption: caption, Timestamp: t}
	s.media = append(s.media, m)
	return m.ID
}

// SetEngagement sets the insights a post reports.
func (s *Server) SetEngagement(id string, likes, comments, shares, views int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, m := range s.media {
		if m.ID == id {
			m.Likes, m.Comments, m.Shares, m.Views = likes, comments, shares, views
		}
	}
}

// SetSaves sets how many accounts saved the media ("saved" in insights).
func (s *Server) SetSaves(id string, saves int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, m := range s.media {
		if m.ID == id {
			m.Saves = saves
		}
	}
}

// EmptyInsights makes insights answer an empty data set, as Instagram
// does while data is not ready.
func (s *Server) EmptyInsights() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.insightsEmpty = true
}

// writeFault answers an injected fault in the platform's own shape. Status
// 429 answers HTTP 400 with throttling code Code (default 4); 5xx answers
// code Code (default 2, transient); other 4xx answer the Graph error Code.
func (s *Server) writeFault(w http.ResponseWriter, r *http.Request, f fault.Fault) {
	switch {
	case f.Status == http.StatusTooManyRequests:
		code := f.Code
		if code == 0 {
			code = 4
		}
		w.Header().Set("X-Business-Use-Case-Usage", fmt.Sprintf(`{"%s":[{"type":"instagram","call_count":100,"total_cputime":20,"total_time":20,"estimated_time_to_regain_access":%d}]}`, s.cfg.UserID, int(f.Reset/time.Minute)))
		graphtest.Write(w, graphtest.Error{Message: "(#4) Application request limit reached", Code: code, Transient: true})
	case f.Status >= 500:
		graphtest.Unexpected(w, f.Status, f.Code)
	default:
		graphtest.Write(w, graphtest.Error{Status: f.Status, Message: "(#" + strconv.Itoa(f.Code) + ") Error", Code: f.Code})
	}
}

func (s *Server) auth(w http.ResponseWriter, r *http.Request) bool {
	tok := graphtest.Token(r)
	s.mu.Lock()
	expired := s.expired
	s.mu.Unlock()
	switch {
	case tok != s.cfg.Token:
		graphtest.Write(w, graphtest.Error{Message: "Invalid OAuth access token - Cannot parse access token", Code: 190})
	case expired:
		graphtest.Write(w, graphtest.Error{Message: "Error validating access token: Session has expired.", Code: 190, Subcode: 463})
	default:
		return true
	}
	return false
}

func (s *Server) user(w http.ResponseWriter, r *http.Request) bool {
	if !s.auth(w, r) {
		return false
	}
	if r.PathValue("node") != s.cfg.UserID {
		graphtest.Unknown(w, r, r.PathValue("node"))
		return false
	}
	return true
}

func (s *Server) newID() string {
	s.next += 1 + s.next%5
	return strconv.FormatInt(s.next, 10)
}

// fetch downloads image_url as Meta's crawler would and checks it.
// It returns the subcode and Instagram's words on failure.
func (s *Server) fetch(u string) ([]byte, int, string) {
	data, status, err := s.Download(s.cfg.Fetch, u, s.cfg.MaxBytes)
	var ne net.Error
	switch {
	case status == 0 && errors.As(err, &ne) && ne.Timeout():
		return nil, 2207003, "It took too long to download the media."
	case err != nil:
		return nil, 2207052, "The media could not be fetched from this URI: " + u
	case status != http.StatusOK:
		return nil, 2207052, fmt.Sprintf("The media could not be fetched from this URI (HTTP %d).", status)
	case len(data) > s.cfg.MaxBytes:
		return nil, 2207004, "The image is too large to download. It should be less than 8 MiB."
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil || (format != "jpeg" && !(format == "png" && s.cfg.AcceptPNG)) {
		return nil, 2207005, "The image format is not supported. Only JPEG images are supported."
	}
	if cfg.Width*100 < cfg.Height*80 || cfg.Width*100 > cfg.Height*191 {
		return nil, 2207009, fmt.Sprintf("The submitted image with aspect ratio ('%d/%d',) cannot be published. Please submit an image with a valid aspect ratio.", cfg.Width, cfg.Height)
	}
	return data, 0, ""
}

func (s *Server) createContainer(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	if !s.user(w, r) {
		return
	}
	imageURL, caption := r.FormValue("image_url"), r.FormValue("caption")
	if imageURL == "" {
		graphtest.Write(w, graphtest.Error{Message: "(#100) The parameter image_url is required", Code: 100})
		return
	}
	if n := len([]rune(caption)); n > 2200 {
		graphtest.Write(w, graphtest.Error{Message: "(#100) Invalid parameter", Code: 100, Subcode: 2207010, UserTitle: "Caption too long", UserMsg: "The caption must be 2200 characters or fewer."})
		return
	}
	data, sub, why := s.fetch(imageURL)
	if sub != 0 && s.cfg.SyncErrors {
		code := -2
		if sub == 2207009 {
			code = 36003
		} else if sub == 2207004 {
			code = 36000
		}
		graphtest.Write(w, graphtest.Error{Message: "Media download has failed.", Code: code, Subcode: sub, UserTitle: "Media download failed", UserMsg: why})
		return
	}
	s.mu.Lock()
	c := &Container{ID: s.newID(), ImageURL: imageURL, Caption: caption, AltText: r.FormValue("alt_text"), Created: s.cfg.Now(), Subcode: sub, Status: why, Image: data}
	s.containers[c.ID] = c
	s.mu.Unlock()
	graphtest.JSON(w, map[string]any{"id": c.ID})
}

// state is the container's status_code now.
func (s *Server) state(c *Container) string {
	switch {
	case c.Published:
		return "PUBLISHED"
	case c.Subcode != 0:
		return "ERROR"
	case s.cfg.Now().Sub(c.Created) >= s.cfg.ContainerTTL:
		return "EXPIRED"
	case c.Polls <= s.cfg.ProcessingPolls:
		return "IN_PROGRESS"
	}
	return "FINISHED"
}

func (s *Server) publish(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	if !s.user(w, r) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.publishCalls++
	c, ok := s.containers[r.FormValue("creation_id")]
	if !ok {
		graphtest.Write(w, graphtest.Error{Message: "Media builder not found", Code: 24, Subcode: 2207008, UserTitle: "Media builder not found", UserMsg: "The media builder with creation id was not found."})
		return
	}
	switch s.state(c) {
	case "IN_PROGRESS":
		s.earlyPublish++
		graphtest.Write(w, graphtest.Error{Message: "Media ID is not available", Code: 9007, Subcode: 2207027, UserTitle: "Media not ready for publishing", UserMsg: "The media is not ready for publishing, please wait for a moment."})
		return
	case "ERROR":
		s.earlyPublish++
		graphtest.Write(w, graphtest.Error{Message: "Media builder not found", Code: 24, Subcode: 2207008, UserTitle: "Media builder not found", UserMsg: c.Status})
		return
	case "EXPIRED":
		graphtest.Write(w, graphtest.Error{Message: "The media has expired", Code: -2, Subcode: 2207020, UserTitle: "Media expired", UserMsg: "The media you are trying to publish has expired. Please try uploading the media again."})
		return
	case "PUBLISHED":
		graphtest.Write(w, graphtest.Error{Message: "(#100) The media has already been published", Code: 100})
		return
	}
	now := s.cfg.Now()
	used := s.quotaUsed(now)
	if used >= s.cfg.QuotaTotal {
		graphtest.Write(w, graphtest.Error{Status: http.StatusForbidden, Message: "Application request limit reached", Code: 9, Subcode: 2207042, UserTitle: "Publishing limit reached", UserMsg: "You have reached the maximum number of posts that can be published in 24 hours."})
		return
	}
	m := &Media{ID: s.newID(), Caption: c.Caption, AltText: c.AltText, ContainerID: c.ID, Timestamp: now, Image: c.Image}
	c.Published, c.MediaID = true, m.ID
	s.media = append(s.media, m)
	graphtest.JSON(w, map[string]any{"id": m.ID})
}

// quotaUsed counts the posts published in the quota window ending at now; the
// caller holds the fake's lock.
func (s *Server) quotaUsed(now time.Time) int {
	n := 0
	for _, m := range s.media {
		if now.Sub(m.Timestamp) < s.cfg.QuotaDuration {
			n++
		}
	}
	return n
}

func (s *Server) limit(w http.ResponseWriter, r *http.Request) {
	if !s.user(w, r) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	used := s.quotaUsed(s.cfg.Now())
	graphtest.JSON(w, map[string]any{"data": []map[string]any{{"quota_usage": used, "config": map[string]any{"quota_total": s.cfg.QuotaTotal, "quota_duration": int(s.cfg.QuotaDuration / time.Second)}}}})
}

func (s *Server) permalink(m *Media) string {
	return "https://www.instagram.com/p/C" + m.ID[len(m.ID)-9:] + "/"
}

func (s *Server) listMedia(w http.ResponseWriter, r *http.Request) {
	if !s.user(w, r) {
		return
	}
	limit := fakeplatform.PageSize(r, "limit", 25, 100)
	s.mu.Lock()
	sel := append([]*Media(nil), s.media...)
	s.mu.Unlock()
	sort.SliceStable(sel, func(i, j int) bool { return sel[i].Timestamp.After(sel[j].Timestamp) })
	if len(sel) > limit {
		sel = sel[:limit]
	}
	data := make([]map[string]any, 0, len(sel))
	for _, m := range sel {
		data = append(data, map[string]any{"id": m.ID, "caption": m.Caption, "timestamp": m.Timestamp.UTC().Format("2006-01-02T15:04:05-0700"), "permalink": s.permalink(m)})
	}
	graphtest.JSON(w, map[string]any{"data": data})
}

func (s *Server) getNode(w http.ResponseWriter, r *http.Request) {
	if !s.auth(w, r) {
		return
	}
	id := r.PathValue("node")
	if id == s.cfg.PageID {
		graphtest.JSON(w, map[string]any{"id": s.cfg.PageID, "name": s.cfg.PageName,
			"instagram_business_account": map[string]any{"id": s.cfg.UserID, "username": s.cfg.Username}})
		return
	}
	if id == s.cfg.UserID {
		out := map[string]any{"id": s.cfg.UserID, "username": s.cfg.Username, "name": "Smile Dental"}
		if !graphtest.FollowersCount(w, r, out, &s.Followers, s.mayReadProfile(),
			"(#10) Application does not have permission for this action") {
			return
		}
		graphtest.JSON(w, out)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, ok := s.containers[id]; ok {
		c.Polls++
		st := s.state(c)
		out := map[string]any{"id": c.ID, "status_code": st}
		switch st {
		case "ERROR":
			out["status"] = fmt.Sprintf("Error: %s (%d)", c.Status, c.Subcode)
		case "EXPIRED":
			out["status"] = "Expired: the container was not published within 24 hours."
		default:
			out["status"] = st
		}
		graphtest.JSON(w, out)
		return
	}
	for _, m := range s.media {
		if m.ID == id {
			graphtest.JSON(w, map[string]any{"id": m.ID, "caption": m.Caption, "permalink": s.permalink(m), "timestamp": m.Timestamp.UTC().Format("2006-01-02T15:04:05-0700")})
			return
		}
	}
	graphtest.Unknown(w, r, id)
}

// debugToken describes input_token as Graph's debug_token does; an
// unknown token is answered 200 with is_valid false and an error inside.
func (s *Server) debugToken(w http.ResponseWriter, r *http.Request) {
	if !s.auth(w, r) {
		return
	}
	in := r.URL.Query().Get("input_token")
	if in != s.cfg.Token {
		graphtest.JSON(w, map[string]any{"data": map[string]any{"is_valid": false,
			"error": map[string]any{"code": 190, "message": "Invalid OAuth access token."}}})
		return
	}
	var exp int64
	if !s.cfg.TokenExpires.IsZero() {
		exp = s.cfg.TokenExpires.Unix()
	}
	graphtest.JSON(w, map[string]any{"data": map[string]any{"app_id": "1234567890", "type": "PAGE", "application": "PracticePost",
		"is_valid": true, "expires_at": exp, "scopes": s.cfg.TokenScopes, "profile_id": s.cfg.PageID}})
}

func (s *Server) insights(w http.ResponseWriter, r *http.Request) {
	if !s.auth(w, r) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var m *Media
	for _, x := range s.media {
		if x.ID == r.PathValue("node") {
			m = x
		}
	}
	if m == nil {
		graphtest.Write(w, graphtest.Error{Message: "Unsupported get request.", Code: 100, Subcode: 33})
		return
	}
	var data []map[string]any
	if !s.insightsEmpty {
		for _, name := range strings.Split(r.URL.Query().Get("metric"), ",") {
			var v int
			switch name {
			case "likes":
				v = m.Likes
			case "comments":
				v = m.Comments
			case "shares":
				v = m.Shares
			case "views", "reach":
				v = m.Views
			case "saved":
				v = m.Saves
			case "total_interactions":
				v = m.Likes + m.Comments + m.Shares + m.Saves
			case "impressions":
				graphtest.Write(w, graphtest.Error{Message: "(#100) impressions metric is no longer supported for media created after July 2, 2024", Code: 100})
				return
			default:
				continue
			}
			data = append(data, map[string]any{"name": name, "period": "lifetime", "values": []map[string]any{{"value": v}}, "id": m.ID + "/insights/" + name + "/lifetime"})
		}
	}
	graphtest.JSON(w, map[string]any{"data": data})
}

func (s *Server) deleteNode(w http.ResponseWriter, r *http.Request) {
	if !s.auth(w, r) {
		return
	}
	s.mu.Lock()
	c := s.comment(r.PathValue("node"))
	if c != nil {
		c.Deleted = true
	}
	s.mu.Unlock()
	if c != nil {
		graphtest.JSON(w, map[string]any{"success": true})
		return
	}
	graphtest.Write(w, graphtest.Error{Message: "(#3) Application does not have the capability to make this API call.", Code: 3})
}
