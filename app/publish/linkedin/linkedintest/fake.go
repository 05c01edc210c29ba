// Package linkedintest is a LinkedIn Community Management API server for one
// organisation page that follows docs/platform-contracts.md §3: both version
// headers required on every /rest/ call, images initializeUpload + one PUT
// + PROCESSING/AVAILABLE status, posts answered 201 with an empty body and
// the URN in x-restli-id, commentary silently cut at the first unescaped
// reserved character of the little text format, the documented error body
// (401 serviceErrorCode 65601 for a revoked token) and 429 without any
// rate-limit header. Tests only.
package linkedintest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"practicepost/app/publish/fault"
	"practicepost/app/publish/internal/fakeplatform"
	"practicepost/app/publish/linkedin/internal/littletext"
)

// Config sets up the page. Zero values get the defaults noted.
type Config struct {
	OrgID      string // "2414183"
	OrgName    string // "Smile Dental"
	VanityName string // "smile-dental"
	Token      string // "li-token"
	// OldestVersion and NewestVersion bound the active Linkedin-Version
	// values (YYYYMM); defaults "202509" and "202609".
	OldestVersion, NewestVersion string
	// ProcessingPolls is how many status reads an uploaded image stays
	// PROCESSING before it becomes AVAILABLE.
	ProcessingPolls int
	MaxCommentary   int              // 3000
	Now             func() time.Time // time.Now
	// NoCommunityManagement answers every /rest/socialActions call 403
	// partnerApiSocialActions, as LinkedIn does for an app without the
	// Community Management API product (contracts §13.3).
	NoCommunityManagement bool
}

// Post is a post the fake holds.
type Post struct {
	URN        string
	Author     string
	Commentary string // as stored: escaped little text, cut where LinkedIn cuts it
	Sent       string // the commentary as it arrived
	ImageURN   string
	AltText    string
	CreatedAt  time.Time
	Deleted    bool
	Likes      int
	Comments   int
	Shares     int
	Views      int
	Clicks     int
}

// Image is an image upload.
type Image struct {
	URN      string
	Data     []byte
	Uploaded bool
	Polls    int
	Failed   bool
}

// Server is a running fake.
type Server struct {
	fakeplatform.Server
	cfg Config

	mu       sync.Mutex
	posts    []*Post
	images   map[string]*Image
	next     int64
	tokenErr int // 0 valid, 65601 revoked, 65600 expired
	requests []http.Header
	comments []*Comment
	// deleteAfterPage is a comment to delete once a listing's first page is out.
	deleteAfterPage string

	fakeplatform.Followers // the organisation's followers (SetFollowers)
}

// New starts a fake; call Close when done.
func New(cfg Config) *Server {
	fakeplatform.Default(&cfg.OrgID, "2414183")
	fakeplatform.Default(&cfg.OrgName, "Smile Dental")
	fakeplatform.Default(&cfg.VanityName, "smile-dental")
	fakeplatform.Default(&cfg.Token, "li-token")
	fakeplatform.Default(&cfg.OldestVersion, "202509")
	fakeplatform.Default(&cfg.NewestVersion, "202609")
	fakeplatform.Default(&cfg.MaxCommentary, 3000)
	fakeplatform.DefaultNow(&cfg.Now)
	s := &Server{cfg: cfg, images: map[string]*Image{}, next: 7100000000000000000}
	rest := http.NewServeMux()
	rest.HandleFunc("POST /rest/images", s.initUpload)
	rest.HandleFunc("GET /rest/images/{urn}", s.image)
	rest.HandleFunc("POST /rest/posts", s.create)
	rest.HandleFunc("GET /rest/posts", s.list)
	rest.HandleFunc("DELETE /rest/posts/{urn}", s.delete)
	rest.HandleFunc("GET /rest/organizations/{id}", s.org)
	rest.HandleFunc("GET /rest/socialActions/{urn}/comments", s.socialActions(s.listComments))
	rest.HandleFunc("POST /rest/socialActions/{urn}/comments", s.socialActions(s.createComment))
	rest.HandleFunc("DELETE /rest/socialActions/{urn}/comments/{id}", s.socialActions(s.deleteComment))
	rest.HandleFunc("GET /rest/organizationalEntityShareStatistics", s.stats)
	rest.HandleFunc("GET /rest/networkSizes/{urn}", s.networkSize)
	mux := http.NewServeMux()
	mux.Handle("/rest/", s.headers(rest))
	mux.HandleFunc("PUT /dms-uploads/{id}", s.put)
	s.Start(mux, s.writeFault)
	return s
}

// OrgURN is the organisation's URN.
func (s *Server) OrgURN() string { return "urn:li:organization:" + s.cfg.OrgID }

// Posts returns copies of every post ever created, deleted ones included.
func (s *Server) Posts() []Post {
	s.mu.Lock()
	defer s.mu.Unlock()
	return fakeplatform.Copies(s.posts)
}

// Image returns a copy of an image upload.
func (s *Server) Image(urn string) (Image, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return fakeplatform.Copy(s.images[urn])
}

// RESTHeaders returns the headers of every /rest/ request, in order.
func (s *Server) RESTHeaders() []http.Header {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]http.Header(nil), s.requests...)
}

// RevokeToken answers 401 serviceErrorCode 65601 from now on.
func (s *Server) RevokeToken() { s.setToken(65601) }

// ExpireToken answers 401 "The token used in the request has expired".
func (s *Server) ExpireToken() { s.setToken(65600) }

func (s *Server) setToken(code int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokenErr = code
}

// SetEngagement sets the counters the statistics endpoint reports.
func (s *Server) SetEngagement(urn string, likes, comments, shares, views, clicks int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range s.posts {
		if p.URN == urn {
			p.Likes, p.Comments, p.Shares, p.Views, p.Clicks = likes, comments, shares, views, clicks
		}
	}
}

func writeErr(w http.ResponseWriter, status, service int, code, msg string) {
	body := map[string]any{"status": status, "message": msg}
	if service != 0 {
		body["serviceErrorCode"] = service
	}
	if code != "" {
		body["code"] = code
	}
	writeJSON(w, status, body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	fakeplatform.JSON(w, "application/json", status, v)
}

// writeFault answers an injected fault in the platform's own shape. Status
// 429 answers the throttle body with no headers at all (Reset is ignored:
// LinkedIn tells nobody when its daily limits lift); 5xx answers LinkedIn's
// error body.
func (s *Server) writeFault(w http.ResponseWriter, r *http.Request, f fault.Fault) {
	if f.Status == http.StatusTooManyRequests {
		writeErr(w, f.Status, 101, "TOO_MANY_REQUESTS", "Resource level throttle APPLICATION DAY limit for calls to this resource is reached.")
		return
	}
	if f.Status == http.StatusForbidden {
		writeErr(w, f.Status, 100, "ACCESS_DENIED", "Not enough permissions to access: partnerApiPostsExternal.CREATE.20260801")
		return
	}
	writeErr(w, f.Status, 0, "INTERNAL_SERVER_ERROR", "Internal Server Error")
}

var versionRE = regexp.MustCompile(`^\d{6}(\.\d{2})?$`)

// headers enforces what every /rest/ call must carry: the bearer token,
// Linkedin-Version (an active YYYYMM) and X-Restli-Protocol-Version 2.0.0.
func (s *Server) headers(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.requests = append(s.requests, r.Header.Clone())
		tokErr := s.tokenErr
		s.mu.Unlock()
		if !s.token(w, r, tokErr) {
			return
		}
		v := r.Header.Get("Linkedin-Version")
		switch {
		case v == "":
			writeErr(w, http.StatusBadRequest, 0, "VERSION_MISSING", "A version must be present. Please specify a version by adding the LinkedIn-Version header.")
			return
		case !versionRE.MatchString(v):
			writeErr(w, http.StatusBadRequest, 0, "INVALID_VERSION", "The provided version "+v+" is not in the correct format.")
			return
		case v[:6] < s.cfg.OldestVersion || v[:6] > s.cfg.NewestVersion:
			writeErr(w, http.StatusUpgradeRequired, 0, "NONEXISTENT_VERSION", "Requested version "+v+" is not active")
			return
		}
		if r.Header.Get("X-Restli-Protocol-Version") != "2.0.0" {
			writeErr(w, http.StatusBadRequest, 0, "", "X-Restli-Protocol-Version 2.0.0 is required for this resource")
			return
		}
		h.ServeHTTP(w, r)
	})
}

func (s *Server) token(w http.ResponseWriter, r *http.Request, tokErr int) bool {
	switch {
	case r.Header.Get("Authorization") != "Bearer "+s.cfg.Token:
		writeErr(w, http.StatusUnauthorized, 65600, "INVALID_ACCESS_TOKEN", "Invalid access token")
	case tokErr == 65601:
		writeErr(w, http.StatusUnauthorized, 65601, "REVOKED_ACCESS_TOKEN", "The token used in the request has been revoked by the user")
	case tokErr == 65600:
		writeErr(w, http.StatusUnauthorized, 65600, "EXPIRED_ACCESS_TOKEN", "The token used in the request has expired")
	default:
		return true
	}
	return false
}

func (s *Server) newID() string {
	s.next += 3 + s.next%11
	return strconv.FormatInt(s.next, 10)
}

func (s *Server) initUpload(w http.ResponseWriter, r *http.Request) {
	if r.URL.Query().Get("action") != "initializeUpload" {
		writeErr(w, http.StatusBadRequest, 0, "", "Unsupported action")
		return
	}
	var in struct {
		Req struct {
			Owner string `json:"owner"`
		} `json:"initializeUploadRequest"`
	}
	if json.NewDecoder(r.Body).Decode(&in) != nil || in.Req.Owner == "" {
		writeErr(w, http.StatusUnprocessableEntity, 0, "", "/initializeUploadRequest/owner :: field is required but not found and has no default value")
		return
	}
	if in.Req.Owner != s.OrgURN() {
		writeErr(w, http.StatusForbidden, 100, "ACCESS_DENIED", "Not enough permissions to access: images.CREATE")
		return
	}
	s.mu.Lock()
	id := s.newID()
	im := &Image{URN: "urn:li:image:D4E10AQ" + id}
	s.images[im.URN] = im
	s.mu.Unlock()
	writeJSON(w, 200, map[string]any{"value": map[string]any{
		"uploadUrlExpiresAt": s.cfg.Now().Add(24 * time.Hour).UnixMilli(),
		"uploadUrl":          s.URL + "/dms-uploads/" + id + "?ca=vector_feedshare&cn=uploads&m=AQJ&app=201&sync=0&v=beta&ut=2",
		"image":              im.URN,
	}})
}

func (s *Server) put(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	tokErr := s.tokenErr
	s.mu.Unlock()
	if !s.token(w, r, tokErr) {
		return
	}
	data, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	defer s.mu.Unlock()
	im, ok := s.images["urn:li:image:D4E10AQ"+r.PathValue("id")]
	if !ok || im.Uploaded {
		// The upload URL takes one PUT.
		writeErr(w, http.StatusBadRequest, 0, "", "Upload URL is invalid or was already used")
		return
	}
	im.Data, im.Uploaded = data, true
	im.Failed = !strings.HasPrefix(http.DetectContentType(data), "image/")
	w.WriteHeader(http.StatusCreated)
}

// encoded checks that the URN in the path arrived URL-encoded, as Rest.li
// 2.0 requires.
func encoded(w http.ResponseWriter, r *http.Request) bool {
	if !strings.Contains(r.URL.EscapedPath(), "%3A") {
		writeErr(w, http.StatusBadRequest, 0, "", "Invalid URN syntax in path: URNs must be URL-encoded")
		return false
	}
	return true
}

func (s *Server) image(w http.ResponseWriter, r *http.Request) {
	if !encoded(w, r) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	im, ok := s.images[r.PathValue("urn")]
	if !ok {
		writeErr(w, http.StatusNotFound, 0, "", "Not Found")
		return
	}
	status := "WAITING_UPLOAD"
	if im.Uploaded {
		im.Polls++
		switch {
		case im.Failed:
			status = "PROCESSING_FAILED"
		case im.Polls > s.cfg.ProcessingPolls:
			status = "AVAILABLE"
		default:
			status = "PROCESSING"
		}
	}
	writeJSON(w, 200, map[string]any{"owner": s.OrgURN(), "id": im.URN, "status": status})
}

// Truncate is what LinkedIn keeps of commentary: everything before the
// first reserved character of the little text format not escaped with a
// backslash. (Real LinkedIn accepts well-formed mention and hashtag
// templates; PracticePost sends none, so the fake treats every unescaped
// reserved character as the cut.)
func Truncate(commentary string) string {
	esc := false
	for i, r := range commentary {
		if esc {
			esc = false
			continue
		}
		if r == '\\' {
			esc = true
			continue
		}
		if strings.ContainsRune(`|{}@[]()<>#*_~`, r) {
			return commentary[:i]
		}
	}
	return commentary
}

func (s *Server) create(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Author       string `json:"author"`
		Commentary   string `json:"commentary"`
		Visibility   string `json:"visibility"`
		Lifecycle    string `json:"lifecycleState"`
		Distribution *struct {
			Feed string `json:"feedDistribution"`
		} `json:"distribution"`
		Content *struct {
			Media *struct {
				ID      string `json:"id"`
				AltText string `json:"altText"`
			} `json:"media"`
		} `json:"content"`
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		writeErr(w, http.StatusBadRequest, 0, "", "Invalid JSON")
		return
	}
	switch {
	case in.Author == "", in.Visibility == "", in.Lifecycle == "", in.Distribution == nil:
		writeErr(w, http.StatusUnprocessableEntity, 0, "", "/author, /visibility, /distribution and /lifecycleState are required")
		return
	case in.Author != s.OrgURN():
		writeErr(w, http.StatusForbidden, 100, "ACCESS_DENIED", "Not enough permissions to access: partnerApiPostsExternal.CREATE.20260801")
		return
	case len([]rune(littletext.Unescape(in.Commentary))) > s.cfg.MaxCommentary:
		// Counted as the reader sees it, escapes aside (unverified).
		writeErr(w, http.StatusUnprocessableEntity, 0, "", fmt.Sprintf("/commentary :: length %d exceeds maximum allowed %d", len([]rune(littletext.Unescape(in.Commentary))), s.cfg.MaxCommentary))
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p := &Post{Author: in.Author, Sent: in.Commentary, Commentary: Truncate(in.Commentary), CreatedAt: s.cfg.Now()}
	if in.Content != nil && in.Content.Media != nil {
		im, ok := s.images[in.Content.Media.ID]
		switch {
		case !ok:
			writeErr(w, http.StatusUnprocessableEntity, 0, "", "/content/media/id :: "+in.Content.Media.ID+" does not exist")
			return
		case !im.Uploaded || im.Failed || im.Polls <= s.cfg.ProcessingPolls:
			writeErr(w, http.StatusBadRequest, 0, "", "Media asset "+im.URN+" is not in AVAILABLE state")
			return
		}
		p.ImageURN, p.AltText = im.URN, in.Content.Media.AltText
	}
	for _, q := range s.posts {
		if !q.Deleted && q.Commentary == p.Commentary && p.Commentary != "" && p.CreatedAt.Sub(q.CreatedAt) < 24*time.Hour {
			writeErr(w, http.StatusUnprocessableEntity, 0, "", "Content is a duplicate of "+q.URN)
			return
		}
	}
	p.URN = "urn:li:share:" + s.newID()
	s.posts = append(s.posts, p)
	w.Header().Set("x-restli-id", p.URN)
	w.WriteHeader(http.StatusCreated)
}

func (s *Server) list(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("q") != "author" || q.Get("author") != s.OrgURN() {
		writeErr(w, http.StatusBadRequest, 0, "", "Finder requires q=author and an author you administer")
		return
	}
	count := fakeplatform.PageSize(r, "count", 10, 100)
	s.mu.Lock()
	var sel []*Post
	for _, p := range s.posts {
		if !p.Deleted {
			sel = append(sel, p)
		}
	}
	s.mu.Unlock()
	sort.SliceStable(sel, func(i, j int) bool { return sel[i].CreatedAt.After(sel[j].CreatedAt) })
	if len(sel) > count {
		sel = sel[:count]
	}
	els := make([]map[string]any, 0, len(sel))
	for _, p := range sel {
		els = append(els, map[string]any{"id": p.URN, "author": p.Author, "commentary": p.Commentary,
			"createdAt": p.CreatedAt.UnixMilli(), "lastModifiedAt": p.CreatedAt.UnixMilli(), "lifecycleState": "PUBLISHED", "visibility": "PUBLIC"})
	}
	writeJSON(w, 200, map[string]any{"elements": els, "paging": map[string]any{"start": 0, "count": count, "links": []any{}}})
}

func (s *Server) find(urn string) *Post {
	return fakeplatform.Find(s.posts, func(p *Post) bool { return p.URN == urn && !p.Deleted })
}

func (s *Server) delete(w http.ResponseWriter, r *http.Request) {
	if !encoded(w, r) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.find(r.PathValue("urn"))
	if p == nil {
		writeErr(w, http.StatusNotFound, 0, "", "Not Found")
		return
	}
	p.Deleted = true
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) org(w http.ResponseWriter, r *http.Request) {
	if r.PathValue("id") != s.cfg.OrgID {
		writeErr(w, http.StatusForbidden, 100, "ACCESS_DENIED", "Not enough permissions to access: organizations.GET")
		return
	}
	id, _ := strconv.ParseInt(s.cfg.OrgID, 10, 64)
	writeJSON(w, 200, map[string]any{"id": id, "localizedName": s.cfg.OrgName, "vanityName": s.cfg.VanityName})
}

var listRE = regexp.MustCompile(`^List\((.*)\)$`)

func (s *Server) stats(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("q") != "organizationalEntity" || q.Get("organizationalEntity") != s.OrgURN() {
		writeErr(w, http.StatusBadRequest, 0, "", "q=organizationalEntity with your organisation is required")
		return
	}
	if strings.Contains(r.URL.RawQuery, "List(urn:") {
		writeErr(w, http.StatusBadRequest, 0, "", "Invalid Rest.li list syntax: URNs inside List() must be URL-encoded")
		return
	}
	arg := q.Get("shares")
	if arg == "" {
		arg = q.Get("ugcPosts")
	}
	m := listRE.FindStringSubmatch(arg)
	if m == nil {
		writeErr(w, http.StatusBadRequest, 0, "", "Invalid Rest.li list syntax: "+arg)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var els []map[string]any
	for _, enc := range strings.Split(m[1], ",") {
		urn, err := url.QueryUnescape(enc)
		if err != nil {
			continue
		}
		if p := s.find(urn); p != nil {
			els = append(els, map[string]any{"share": p.URN, "organizationalEntity": s.OrgURN(), "totalShareStatistics": map[string]any{
				"impressionCount": p.Views, "uniqueImpressionsCount": p.Views, "clickCount": p.Clicks, "likeCount": p.Likes,
				"commentCount": p.Comments, "shareCount": p.Shares, "engagement": 0.01,
			}})
		}
	}
	writeJSON(w, 200, map[string]any{"elements": els, "paging": map[string]any{"start": 0, "count": 10, "links": []any{}}})
}
