// Package facebooktest is a Graph API server for one Facebook Page that follows
// docs/platform-contracts.md §1: the error envelope and its codes, usage
// headers, multipart photo uploads, the scheduling window, duplicate
// detection. Tests only; the app never imports it.
package facebooktest

import (
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"practicepost/app/publish/fault"
	"practicepost/app/publish/internal/fakeplatform"
	"practicepost/app/publish/internal/graph/graphtest"
)

// Config sets up the page. Zero values get the defaults noted.
type Config struct {
	PageID    string // "100200300"
	PageName  string // "Smile Dental"
	Token     string // the valid Page token; "page-token"
	TokenType string // debug_token type: "PAGE"
	// SystemUserToken, when set, is a system user's token from Meta
	// Business Settings (debug_token type SYSTEM_USER, no profile_id): the
	// Page's own token (Token) is read with it from GET /{page}?fields=access_token,
	// unless SystemUserNoPage says the Page was never assigned to the system user.
	SystemUserToken  string
	SystemUserNoPage bool
	Scopes           []string         // pages_manage_posts, pages_read_engagement, pages_show_list, read_insights
	ExpiresAt        time.Time        // zero: token never expires (expires_at 0)
	ScheduleMin      time.Duration    // 10 min
	ScheduleMax      time.Duration    // 30 days
	MaxPhoto         int              // bytes; 10 MB
	Now              func() time.Time // time.Now
}

// Post is a post the fake holds.
type Post struct {
	ID          string // page_post id
	PhotoID     string // set for photo posts
	Message     string
	Link        string
	Published   bool
	ScheduledAt time.Time
	CreatedAt   time.Time
	Photo       []byte
	PhotoMIME   string
	Deleted     bool
	Reactions   int
	Comments    int
	Shares      int
	Views       int
	Clicks      int
}

// Server is a running fake.
type Server struct {
	fakeplatform.Server

	cfg Config

	mu          sync.Mutex
	posts       []*Post
	next        int
	tokenState  int // 0 valid, 463 expired, 460 password changed
	calls       int
	insightsErr bool
	requests    []string

	comments        []*Comment
	deleteAfterPage bool
	noModerate      bool

	fakeplatform.Followers // the Page's followers_count (SetFollowers)

	cdn     *httptest.Server // photos' images addresses (unpublished.go)
	cdnHits atomic.Int64
}

// New starts a fake; call Close when done.
func New(cfg Config) *Server {
	fakeplatform.Default(&cfg.PageID, "100200300")
	fakeplatform.Default(&cfg.PageName, "Smile Dental")
	fakeplatform.Default(&cfg.Token, "page-token")
	fakeplatform.Default(&cfg.TokenType, "PAGE")
	if cfg.Scopes == nil {
		cfg.Scopes = []string{"pages_manage_posts", "pages_read_engagement", "pages_show_list", "read_insights", "pages_manage_engagement", "pages_read_user_content"}
	}
	fakeplatform.Default(&cfg.ScheduleMin, 10*time.Minute)
	fakeplatform.Default(&cfg.ScheduleMax, 30*24*time.Hour)
	fakeplatform.Default(&cfg.MaxPhoto, 10<<20)
	fakeplatform.DefaultNow(&cfg.Now)
	s := &Server{cfg: cfg, next: 5000}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /debug_token", s.debugToken)
	mux.HandleFunc("POST /{node}/photos", s.photos)
	mux.HandleFunc("POST /{node}/feed", s.createFeed)
	mux.HandleFunc("GET /{node}/feed", s.listFeed)
	mux.HandleFunc("GET /{node}/scheduled_posts", s.listScheduled)
	mux.HandleFunc("GET /{node}/insights", s.insights)
	mux.HandleFunc("GET /{node}/comments", s.listComments)
	mux.HandleFunc("POST /{node}/comments", s.replyComment)
	mux.HandleFunc("POST /{node}", s.updateComment)
	mux.HandleFunc("GET /{node}", s.getNode)
	mux.HandleFunc("DELETE /{node}", s.deleteNode)
	s.Start(s.count(mux), s.writeFault)
	s.startCDN()
	return s
}

// Posts returns copies of every post ever created, deleted ones included.
func (s *Server) Posts() []Post {
	s.mu.Lock()
	defer s.mu.Unlock()
	return fakeplatform.Copies(s.posts)
}

// ExpireToken makes the Page token fail with 190/463 from now on.
func (s *Server) ExpireToken() { s.setToken(463) }

// RevokeToken makes the Page token fail with 190/460 (password changed).
func (s *Server) RevokeToken() { s.setToken(460) }

func (s *Server) setToken(sub int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokenState = sub
}

// SetEngagement sets the counters Metrics reads back for a post.
func (s *Server) SetEngagement(postID string, reactions, comments, shares, views, clicks int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range s.posts {
		if p.ID == postID {
			p.Reactions, p.Comments, p.Shares, p.Views, p.Clicks = reactions, comments, shares, views, clicks
		}
	}
}

// DenyInsights makes /insights fail as it does for pages under 100 likes
// or tokens without read_insights.
func (s *Server) DenyInsights() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.insightsErr = true
}

// Requests lists "METHOD path" of every request that reached the handlers.
func (s *Server) Requests() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.requests...)
}

func (s *Server) count(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.publishDue()
		s.calls++
		s.requests = append(s.requests, r.Method+" "+r.URL.Path)
		pct := s.calls
		s.mu.Unlock()
		if pct > 100 {
			pct = 100
		}
		// Graph sends usage once "enough calls" are made; from the first call here.
		w.Header().Set("X-App-Usage", fmt.Sprintf(`{"call_count":%d,"total_cputime":1,"total_time":1}`, pct))
		h.ServeHTTP(w, r)
	})
}

// writeFault answers an injected fault in the platform's own shape. Status
// 5xx answers code Code (default 2, transient); Status 429 answers HTTP 400
// with throttling code Code (default 4) and the usage headers, Reset giving
// estimated_time_to_regain_access; any other 4xx answers the Graph error
// Code (368 blocked, 10/200 permission, 341 app limit).
func (s *Server) writeFault(w http.ResponseWriter, r *http.Request, f fault.Fault) {
	if f.Status == http.StatusTooManyRequests {
		code := f.Code
		if code == 0 {
			code = 4
		}
		msgs := map[int]string{4: "(#4) Application request limit reached", 17: "(#17) User request limit reached", 32: "(#32) Page request limit reached"}
		mins := int(f.Reset / time.Minute)
		w.Header().Set("X-App-Usage", `{"call_count":100,"total_cputime":40,"total_time":60}`)
		w.Header().Set("X-Business-Use-Case-Usage", fmt.Sprintf(`{"%s":[{"type":"pages","call_count":100,"total_cputime":25,"total_time":25,"estimated_time_to_regain_access":%d}]}`, s.cfg.PageID, mins))
		graphtest.Write(w, graphtest.Error{Status: http.StatusBadRequest, Message: msgs[code], Code: code, Transient: true})
		return
	}
	if f.Status < 500 {
		// Any other Graph error by code, e.g. 368 (blocked), 10 or 200 (permission).
		msgs := map[int]string{
			368: "It looks like you were misusing this feature by going too fast. You've been temporarily blocked from using it.",
			10:  "(#10) Application does not have permission for this action",
			200: "(#200) Requires pages_manage_posts permission to manage the object",
			341: "(#341) Application limit reached",
		}
		graphtest.Write(w, graphtest.Error{Status: f.Status, Message: msgs[f.Code], Code: f.Code})
		return
	}
	graphtest.Unexpected(w, f.Status, f.Code)
}

// auth checks the token from the Authorization header or access_token.
func (s *Server) auth(w http.ResponseWriter, r *http.Request) bool {
	tok := graphtest.Token(r)
	s.mu.Lock()
	state := s.tokenState
	s.mu.Unlock()
	switch {
	case tok == "":
		graphtest.Write(w, graphtest.Error{Message: "An active access token must be used to query information about the current user.", Code: 2500})
	case tok != s.cfg.Token && (s.cfg.SystemUserToken == "" || tok != s.cfg.SystemUserToken):
		graphtest.Write(w, graphtest.Error{Message: "Invalid OAuth access token - Cannot parse access token", Code: 190})
	case state == 463 || (!s.cfg.ExpiresAt.IsZero() && !s.cfg.Now().Before(s.cfg.ExpiresAt)):
		graphtest.Write(w, graphtest.Error{Message: "Error validating access token: Session has expired on Tuesday, 01-Sep-26 10:00:00 PDT.", Code: 190, Subcode: 463})
	case state == 460:
		graphtest.Write(w, graphtest.Error{Message: "Error validating access token: The session has been invalidated because the user changed their password.", Code: 190, Subcode: 460})
	default:
		return true
	}
	return false
}

// systemUser reports whether the request came with the system user's token.
func (s *Server) systemUser(r *http.Request) bool {
	return s.cfg.SystemUserToken != "" && graphtest.Token(r) == s.cfg.SystemUserToken
}

func (s *Server) debugToken(w http.ResponseWriter, r *http.Request) {
	if !s.auth(w, r) {
		// debug_token itself answers for an invalid input token with is_valid
		// false, but needs a valid access token to be called at all; the
		// Page token plays both roles here.
		return
	}
	if r.URL.Query().Get("input_token") == "" {
		graphtest.Write(w, graphtest.Error{Message: "(#100) The parameter input_token is required", Code: 100})
		return
	}
	var exp int64
	if !s.cfg.ExpiresAt.IsZero() {
		exp = s.cfg.ExpiresAt.Unix()
	}
	data := map[string]any{
		"app_id": "5551234", "type": s.cfg.TokenType, "application": "PracticePost",
		"data_access_expires_at": s.cfg.Now().Add(90 * 24 * time.Hour).Unix(),
		"expires_at":             exp, "is_valid": true, "profile_id": s.cfg.PageID,
		"scopes": s.cfg.Scopes,
	}
	if in := r.URL.Query().Get("input_token"); s.cfg.SystemUserToken != "" && in == s.cfg.SystemUserToken {
		// A system user's token never expires and belongs to no Page.
		data["type"], data["expires_at"] = "SYSTEM_USER", 0
		delete(data, "profile_id")
	}
	graphtest.JSON(w, map[string]any{"data": data})
}

func (s *Server) page(w http.ResponseWriter, r *http.Request) bool {
	if r.PathValue("node") != s.cfg.PageID {
		graphtest.Unknown(w, r, r.PathValue("node"))
		return false
	}
	return s.auth(w, r)
}

// granted reports whether the token holds scope sc, and answers Graph's
// permission error (code, msg) when it does not.
func (s *Server) granted(w http.ResponseWriter, sc string, code int, msg string) bool {
	if s.hasScope(sc) {
		return true
	}
	graphtest.Write(w, graphtest.Error{Message: msg, Code: code})
	return false
}

func (s *Server) hasScope(sc string) bool {
	return slices.Contains(s.cfg.Scopes, sc)
}

// schedule applies published / scheduled_publish_time; ok false means an
// error was written.
func (s *Server) schedule(w http.ResponseWriter, published, when string) (pub bool, at time.Time, ok bool) {
	pub = published != "false" && published != "0"
	if when == "" {
		return pub, time.Time{}, true
	}
	if pub {
		graphtest.Write(w, graphtest.Error{Message: "(#100) You cannot specify a scheduled publish time on a published post", Code: 100})
		return false, time.Time{}, false
	}
	if n, err := strconv.ParseInt(when, 10, 64); err == nil {
		at = time.Unix(n, 0).UTC()
	} else if t, err := time.Parse(time.RFC3339, when); err == nil {
		at = t.UTC()
	} else {
		graphtest.Write(w, graphtest.Error{Message: "(#100) Invalid parameter", Code: 100, UserTitle: "Invalid scheduled time", UserMsg: "The scheduled publish time could not be understood."})
		return false, time.Time{}, false
	}
	now := s.cfg.Now()
	if at.Before(now.Add(s.cfg.ScheduleMin)) || at.After(now.Add(s.cfg.ScheduleMax)) {
		graphtest.Write(w, graphtest.Error{Message: "(#100) The specified scheduled publish time is invalid.", Code: 100,
			UserTitle: "Invalid Scheduled Publish Time", UserMsg: "The scheduled publish time must be between 10 minutes and 30 days from the time of the request."})
		return false, time.Time{}, false
	}
	return false, at, true
}

// duplicate reports whether message repeats a live post of the last day,
// which Graph refuses with code 506.
func (s *Server) duplicate(w http.ResponseWriter, message string) bool {
	if strings.TrimSpace(message) == "" {
		return false
	}
	now := s.cfg.Now()
	for _, p := range s.posts {
		if !p.Deleted && p.Message == message && now.Sub(p.CreatedAt) < 24*time.Hour {
			graphtest.Write(w, graphtest.Error{Message: "(#506) Duplicate status message", Code: 506, UserTitle: "Duplicate Status Message", UserMsg: "This status update is identical to the last one you posted. Try posting something different, or delete your previous update."})
			return true
		}
	}
	return false
}

// publishDue makes scheduled posts whose time has come live, as Facebook does.
func (s *Server) publishDue() {
	now := s.cfg.Now()
	for _, p := range s.posts {
		if !p.Published && !p.ScheduledAt.IsZero() && !now.Before(p.ScheduledAt) {
			p.Published = true
		}
	}
}

func (s *Server) newID() string {
	s.next++
	return strconv.Itoa(s.next)
}

func (s *Server) photos(w http.ResponseWriter, r *http.Request) {
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct == "multipart/form-data" {
		if err := r.ParseMultipartForm(32 << 20); err != nil {
			graphtest.Write(w, graphtest.Error{Message: "(#324) Requires upload file", Code: 324})
			return
		}
	}
	if !s.page(w, r) {
		return
	}
	if !s.granted(w, "pages_manage_posts", 200, "(#200) Requires pages_manage_posts permission to manage the object") {
		return
	}
	var data []byte
	var mt string
	if r.MultipartForm != nil && len(r.MultipartForm.File["source"]) > 0 {
		fh := r.MultipartForm.File["source"][0]
		f, err := fh.Open()
		if err == nil {
			data, err = io.ReadAll(f)
			f.Close()
		}
		if err != nil {
			graphtest.Write(w, graphtest.Error{Message: "(#324) Requires upload file", Code: 324})
			return
		}
		mt = http.DetectContentType(data)
	} else if r.FormValue("url") == "" {
		graphtest.Write(w, graphtest.Error{Message: "(#324) Requires upload file", Code: 324})
		return
	}
	if data != nil && !strings.HasPrefix(mt, "image/") {
		graphtest.Write(w, graphtest.Error{Message: "(#324) Missing or invalid image file", Code: 324})
		return
	}
	if len(data) > s.cfg.MaxPhoto {
		graphtest.Write(w, graphtest.Error{Message: "(#100) Invalid parameter", Code: 100, Subcode: 1366046, UserTitle: "Can't Read Files", UserMsg: "Your photos couldn't be uploaded. Photos should be less than 4 MB and saved as JPG, PNG, GIF, TIFF, HEIF or WebP files."})
		return
	}
	caption := r.FormValue("caption")
	pub, at, ok := s.schedule(w, r.FormValue("published"), r.FormValue("scheduled_publish_time"))
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if (pub || !at.IsZero()) && s.duplicate(w, caption) {
		return
	}
	photoID := s.newID()
	if !pub && at.IsZero() {
		// Unpublished, unscheduled: a photo object to attach later; no story.
		s.posts = append(s.posts, &Post{PhotoID: photoID, Message: caption, CreatedAt: s.cfg.Now(), Photo: data, PhotoMIME: mt})
		graphtest.JSON(w, map[string]any{"id": photoID})
		return
	}
	p := &Post{ID: s.cfg.PageID + "_" + s.newID(), PhotoID: photoID, Message: caption, Published: pub, ScheduledAt: at, CreatedAt: s.cfg.Now(), Photo: data, PhotoMIME: mt}
	s.posts = append(s.posts, p)
	graphtest.JSON(w, map[string]any{"id": photoID, "post_id": p.ID})
}

func (s *Server) createFeed(w http.ResponseWriter, r *http.Request) {
	if !s.page(w, r) {
		return
	}
	if !s.granted(w, "pages_manage_posts", 200, "(#200) Requires pages_manage_posts permission to manage the object") {
		return
	}
	msg, link := r.FormValue("message"), r.FormValue("link")
	if strings.TrimSpace(msg) == "" && link == "" {
		graphtest.Write(w, graphtest.Error{Message: "(#100) Missing message or attachment", Code: 100})
		return
	}
	if link != "" && !(strings.HasPrefix(link, "http://") || strings.HasPrefix(link, "https://")) {
		graphtest.Write(w, graphtest.Error{Message: "(#1609005) Error Posting Link: the link could not be fetched", Code: 1609005})
		return
	}
	pub, at, ok := s.schedule(w, r.FormValue("published"), r.FormValue("scheduled_publish_time"))
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.duplicate(w, msg) {
		return
	}
	p := &Post{ID: s.cfg.PageID + "_" + s.newID(), Message: msg, Link: link, Published: pub, ScheduledAt: at, CreatedAt: s.cfg.Now()}
	s.posts = append(s.posts, p)
	graphtest.JSON(w, map[string]any{"id": p.ID})
}

func (s *Server) listing(w http.ResponseWriter, r *http.Request, scheduled bool) {
	if !s.page(w, r) {
		return
	}
	q := r.URL.Query()
	limit := fakeplatform.PageSize(r, "limit", 25, 100)
	var since time.Time
	if v := q.Get("since"); v != "" {
		n, _ := strconv.ParseInt(v, 10, 64)
		since = time.Unix(n, 0)
	}
	s.mu.Lock()
	var sel []*Post
	for _, p := range s.posts {
		if p.Deleted || p.ID == "" || p.CreatedAt.Before(since) {
			continue
		}
		if scheduled == (!p.Published && !p.ScheduledAt.IsZero()) && (scheduled || p.Published) {
			sel = append(sel, p)
		}
	}
	s.mu.Unlock()
	sort.SliceStable(sel, func(i, j int) bool { return sel[i].CreatedAt.After(sel[j].CreatedAt) })
	if len(sel) > limit {
		sel = sel[:limit]
	}
	data := make([]map[string]any, 0, len(sel))
	for _, p := range sel {
		m := map[string]any{"id": p.ID, "created_time": p.CreatedAt.UTC().Format("2006-01-02T15:04:05-0700")}
		if p.Message != "" {
			m["message"] = p.Message
		}
		if scheduled {
			m["scheduled_publish_time"] = p.ScheduledAt.Unix()
		}
		data = append(data, m)
	}
	graphtest.JSON(w, map[string]any{"data": data})
}

func (s *Server) listFeed(w http.ResponseWriter, r *http.Request)      { s.listing(w, r, false) }
func (s *Server) listScheduled(w http.ResponseWriter, r *http.Request) { s.listing(w, r, true) }

func (s *Server) find(id string) *Post {
	return fakeplatform.Find(s.posts, func(p *Post) bool { return !p.Deleted && (p.ID == id || (p.ID == "" && p.PhotoID == id)) })
}

func (s *Server) getNode(w http.ResponseWriter, r *http.Request) {
	if !s.auth(w, r) {
		return
	}
	id := r.PathValue("node")
	if id == s.cfg.PageID {
		out := map[string]any{"id": s.cfg.PageID, "name": s.cfg.PageName}
		if strings.Contains(r.URL.Query().Get("fields"), "access_token") && s.systemUser(r) && !s.cfg.SystemUserNoPage {
			out["access_token"] = s.cfg.Token
		}
		// Reading the Page's numbers takes pages_read_engagement.
		if !graphtest.FollowersCount(w, r, out, &s.Followers, s.hasScope("pages_read_engagement"),
			"(#10) This endpoint requires the 'pages_read_engagement' permission.") {
			return
		}
		graphtest.JSON(w, out)
		return
	}
	s.mu.Lock()
	p := s.find(id)
	var cp Post
	if p != nil {
		cp = *p
	}
	s.mu.Unlock()
	if p == nil {
		graphtest.Unknown(w, r, id)
		return
	}
	out := map[string]any{"id": cp.ID, "created_time": cp.CreatedAt.UTC().Format("2006-01-02T15:04:05-0700")}
	fields := r.URL.Query().Get("fields")
	if strings.Contains(fields, "message") && cp.Message != "" {
		out["message"] = cp.Message
	}
	if strings.Contains(fields, "shares") && cp.Shares > 0 {
		// Graph leaves shares out entirely when there are none.
		out["shares"] = map[string]any{"count": cp.Shares}
	}
	if strings.Contains(fields, "reactions.summary(total_count)") {
		out["reactions"] = map[string]any{"data": []any{}, "summary": map[string]any{"total_count": cp.Reactions, "viewer_reaction": "NONE"}}
	}
	if strings.Contains(fields, "comments.summary(total_count)") {
		out["comments"] = map[string]any{"data": []any{}, "summary": map[string]any{"order": "ranked", "total_count": cp.Comments, "can_comment": true}}
	}
	if strings.Contains(fields, "permalink_url") {
		out["permalink_url"] = "https://www.facebook.com/" + strings.Replace(cp.ID, "_", "/posts/", 1)
	}
	if !s.addImages(w, r, cp, out) {
		return
	}
	graphtest.JSON(w, out)
}

func (s *Server) insights(w http.ResponseWriter, r *http.Request) {
	if !s.auth(w, r) {
		return
	}
	s.mu.Lock()
	p := s.find(r.PathValue("node"))
	var cp Post
	if p != nil {
		cp = *p
	}
	deny := s.insightsErr || !s.hasScope("read_insights")
	s.mu.Unlock()
	if p == nil {
		graphtest.Unknown(w, r, r.PathValue("node"))
		return
	}
	if deny {
		graphtest.Write(w, graphtest.Error{Message: "(#10) Requires read_insights permission or the Page to have at least 100 likes", Code: 10})
		return
	}
	var data []map[string]any
	for _, m := range strings.Split(r.URL.Query().Get("metric"), ",") {
		var v int
		switch m {
		case "post_total_media_view_unique":
			v = cp.Views
		case "post_clicks":
			v = cp.Clicks
		case "post_impressions_unique", "post_impressions":
			graphtest.Write(w, graphtest.Error{Message: "(#100) The value must be a valid insights metric", Code: 100})
			return
		default:
			continue
		}
		data = append(data, map[string]any{"name": m, "period": "lifetime", "values": []map[string]any{{"value": v}},
			"title": m, "description": m, "id": cp.ID + "/insights/" + m + "/lifetime"})
	}
	graphtest.JSON(w, map[string]any{"data": data})
}

func (s *Server) deleteNode(w http.ResponseWriter, r *http.Request) {
	if !s.auth(w, r) {
		return
	}
	s.mu.Lock()
	p := s.find(r.PathValue("node"))
	if p != nil {
		p.Deleted = true
	}
	c := s.comment(r.PathValue("node"))
	if p == nil && c != nil {
		if !c.CanRemove {
			s.mu.Unlock()
			graphtest.Write(w, graphtest.Error{Message: "(#200) Permissions error", Code: 200})
			return
		}
		c.Deleted = true
	}
	s.mu.Unlock()
	if p == nil && c == nil {
		graphtest.Unknown(w, r, r.PathValue("node"))
		return
	}
	graphtest.JSON(w, map[string]any{"success": true})
}
