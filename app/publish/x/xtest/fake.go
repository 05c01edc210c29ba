// Package xtest is an X API v2 server for one account that follows
// docs/platform-contracts.md §7: one-shot multipart media upload, 201 with
// data.id on post creation, weighted text length, duplicate refusal (403),
// problem+json and legacy error shapes, x-rate-limit-* headers, links
// shortened to t.co in what it hands back. Tests only.
package xtest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"practicepost/app/publish/fault"
	"practicepost/app/publish/internal/fakeplatform"
	"practicepost/app/textcount"
)

// Config sets up the account. Zero values get the defaults noted.
type Config struct {
	Token       string           // "x-token"
	UserID      string           // "1500100900"
	Username    string           // "smiledental"
	Name        string           // "Smile Dental"
	Scopes      []string         // tweet.read tweet.write users.read media.write offline.access
	MaxWeighted int              // 280
	MaxImage    int              // bytes; 5 MB
	RateLimit   int              // x-rate-limit-limit for POST /2/tweets; 100
	Now         func() time.Time // time.Now
	// ProcessingPolls keeps uploaded media "in_progress" for this many
	// status reads before it succeeds (0: ready at once, as for most images).
	ProcessingPolls int
}

// Post is a post the fake holds.
type Post struct {
	ID        string
	Text      string
	MediaIDs  []string
	CreatedAt time.Time
	Deleted   bool
	Likes     int
	Replies   int
	Reposts   int
	Quotes    int
	Views     int
	// Replies from others (AddReply): who wrote it, what it answers, the
	// conversation's root, and whether it tags the practice's account.
	AuthorID       string
	AuthorUsername string
	InReplyTo      string
	ConversationID string
	Summons        bool
	Hidden         bool
}

// Media is an uploaded image.
type Media struct {
	ID       string
	Category string
	MIME     string
	Data     []byte
	Alt      string
	Uploaded time.Time
	polls    int
}

// Server is a running fake.
type Server struct {
	fakeplatform.Server
	cfg Config

	mu         sync.Mutex
	posts      []*Post
	media      map[string]*Media
	next       int64
	expired    bool
	noCredits  bool
	postsCalls int
	// deleteAfterPage is deleted right after the next search page is
	// served, as when its author deletes it mid-sync.
	deleteAfterPage string

	fakeplatform.Followers // public_metrics.followers_count (SetFollowers)
}

// New starts a fake; call Close when done.
func New(cfg Config) *Server {
	fakeplatform.Default(&cfg.Token, "x-token")
	fakeplatform.Default(&cfg.UserID, "1500100900")
	fakeplatform.Default(&cfg.Username, "smiledental")
	fakeplatform.Default(&cfg.Name, "Smile Dental")
	if cfg.Scopes == nil {
		cfg.Scopes = []string{"tweet.read", "tweet.write", "users.read", "media.write", "offline.access", "tweet.moderate.write"}
	}
	fakeplatform.Default(&cfg.MaxWeighted, 280)
	fakeplatform.Default(&cfg.MaxImage, 5<<20)
	fakeplatform.Default(&cfg.RateLimit, 100)
	fakeplatform.DefaultNow(&cfg.Now)
	s := &Server{cfg: cfg, media: map[string]*Media{}, next: 1845000000000000000}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /2/users/me", s.me)
	mux.HandleFunc("POST /2/media/upload", s.upload)
	mux.HandleFunc("GET /2/media/upload", s.uploadStatus)
	mux.HandleFunc("POST /2/media/metadata", s.metadata)
	mux.HandleFunc("POST /2/tweets", s.create)
	mux.HandleFunc("GET /2/tweets/search/recent", s.searchRecent)
	mux.HandleFunc("PUT /2/tweets/{id}/hidden", s.hide)
	mux.HandleFunc("GET /2/tweets/{id}", s.get)
	mux.HandleFunc("DELETE /2/tweets/{id}", s.delete)
	mux.HandleFunc("GET /2/users/{id}/tweets", s.timeline)
	s.Start(mux, s.writeFault)
	return s
}

// Posts returns copies of every post ever created, deleted ones included.
func (s *Server) Posts() []Post {
	s.mu.Lock()
	defer s.mu.Unlock()
	return fakeplatform.Copies(s.posts, func(c *Post) { c.MediaIDs = slices.Clone(c.MediaIDs) })
}

// Media returns a copy of an uploaded image.
func (s *Server) Media(id string) (Media, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return fakeplatform.Copy(s.media[id])
}

// ExpireToken makes the access token fail with 401 from now on.
func (s *Server) ExpireToken() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.expired = true
}

// RunOutOfCredits makes post creation fail as a pay-per-use account
// without credits does (402 with a credits problem; the exact shape is
// unverified, the connector keys on the status).
func (s *Server) RunOutOfCredits() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.noCredits = true
}

// SetEngagement sets the counters Metrics reads back.
func (s *Server) SetEngagement(id string, likes, replies, reposts, quotes, views int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range s.posts {
		if p.ID == id {
			p.Likes, p.Replies, p.Reposts, p.Quotes, p.Views = likes, replies, reposts, quotes, views
		}
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	fakeplatform.JSON(w, "application/json; charset=utf-8", status, v)
}

func problem(w http.ResponseWriter, status int, typ, title, detail string) {
	fakeplatform.JSON(w, "application/problem+json", status, map[string]any{"type": typ, "title": title, "detail": detail, "status": status})
}

func invalid(w http.ResponseWriter, msg string) {
	fakeplatform.JSON(w, "application/problem+json", http.StatusBadRequest, map[string]any{
		"errors": []map[string]any{{"message": msg}},
		"title":  "Invalid Request", "detail": "One or more parameters to your request was invalid.",
		"type": "https://api.x.com/2/problems/invalid-request",
	})
}

func (s *Server) rateHeaders(w http.ResponseWriter, limit, remaining int, reset time.Time) {
	w.Header().Set("x-rate-limit-limit", strconv.Itoa(limit))
	w.Header().Set("x-rate-limit-remaining", strconv.Itoa(remaining))
	w.Header().Set("x-rate-limit-reset", strconv.FormatInt(reset.Unix(), 10))
}

// writeFault answers an injected fault in the platform's own shape. Status
// 429 answers the v2 problem shape with x-rate-limit-reset at now+Reset
// (Code 88: the legacy {"errors":[{"code":88}]} shape instead); 5xx answers
// a problem with that status.
func (s *Server) writeFault(w http.ResponseWriter, r *http.Request, f fault.Fault) {
	if f.Status == http.StatusTooManyRequests {
		s.rateHeaders(w, s.cfg.RateLimit, 0, s.cfg.Now().Add(f.Reset))
		if f.Code == 88 {
			writeJSON(w, http.StatusTooManyRequests, map[string]any{"errors": []map[string]any{{"code": 88, "message": "Rate limit exceeded"}}})
			return
		}
		problem(w, http.StatusTooManyRequests, "about:blank", "Too Many Requests", "Too Many Requests")
		return
	}
	if f.Status == http.StatusForbidden {
		problem(w, f.Status, "https://api.x.com/2/problems/client-forbidden", "Client Forbidden", "This request must be made using an approved developer account that is enrolled in the requested endpoint.")
		return
	}
	problem(w, f.Status, "about:blank", http.StatusText(f.Status), http.StatusText(f.Status))
}

// auth checks the bearer token; scope, when set, must have been granted.
func (s *Server) auth(w http.ResponseWriter, r *http.Request, scope string) bool {
	s.mu.Lock()
	expired := s.expired
	s.mu.Unlock()
	if r.Header.Get("Authorization") != "Bearer "+s.cfg.Token || expired {
		problem(w, http.StatusUnauthorized, "about:blank", "Unauthorized", "Unauthorized")
		return false
	}
	if scope != "" && !slices.Contains(s.cfg.Scopes, scope) {
		problem(w, http.StatusForbidden, "https://api.x.com/2/problems/client-forbidden", "Forbidden",
			"You are not permitted to perform this action. Missing scope: "+scope)
		return false
	}
	return true
}

func (s *Server) newID() string {
	s.next += 1 + s.next%7
	return strconv.FormatInt(s.next, 10)
}

func (s *Server) me(w http.ResponseWriter, r *http.Request) {
	if !s.auth(w, r, "users.read") {
		return
	}
	u := map[string]any{"id": s.cfg.UserID, "name": s.cfg.Name, "username": s.cfg.Username}
	if n, ok := s.Followers.Count(); ok && strings.Contains(r.URL.Query().Get("user.fields"), "public_metrics") {
		u["public_metrics"] = map[string]any{"followers_count": n, "following_count": 180, "tweet_count": 420, "listed_count": 3}
	}
	writeJSON(w, 200, map[string]any{"data": u})
}

func (s *Server) upload(w http.ResponseWriter, r *http.Request) {
	if !s.auth(w, r, "media.write") {
		return
	}
	if err := r.ParseMultipartForm(int64(s.cfg.MaxImage) + 1<<20); err != nil || r.MultipartForm.File["media"] == nil {
		invalid(w, "The `media` field is required and must be a file.")
		return
	}
	cat := r.FormValue("media_category")
	if cat != "tweet_image" && cat != "dm_image" && cat != "subtitles" {
		invalid(w, fmt.Sprintf("`%s` is not one of [tweet_image, dm_image, subtitles]", cat))
		return
	}
	f, err := r.MultipartForm.File["media"][0].Open()
	if err != nil {
		invalid(w, "The `media` field could not be read.")
		return
	}
	data, _ := io.ReadAll(f)
	f.Close()
	mt := http.DetectContentType(data)
	if !slices.Contains([]string{"image/jpeg", "image/png", "image/gif", "image/webp"}, mt) {
		invalid(w, "media type unrecognized.")
		return
	}
	if len(data) > s.cfg.MaxImage {
		invalid(w, "File size exceeds 5242880 bytes.")
		return
	}
	s.mu.Lock()
	m := &Media{ID: s.newID(), Category: cat, MIME: mt, Data: data, Uploaded: s.cfg.Now()}
	s.media[m.ID] = m
	s.mu.Unlock()
	writeJSON(w, 200, map[string]any{"data": s.mediaJSON(m)})
}

func (s *Server) mediaJSON(m *Media) map[string]any {
	out := map[string]any{"id": m.ID, "media_key": "3_" + m.ID, "size": len(m.Data), "expires_after_secs": 86400,
		"image": map[string]any{"image_type": m.MIME, "w": 1080, "h": 1080}}
	if m.polls < s.cfg.ProcessingPolls {
		out["processing_info"] = map[string]any{"state": "in_progress", "check_after_secs": 1, "progress_percent": 50}
	}
	return out
}

func (s *Server) uploadStatus(w http.ResponseWriter, r *http.Request) {
	if !s.auth(w, r, "media.write") {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.media[r.URL.Query().Get("media_id")]
	if !ok {
		invalid(w, "media_id is invalid.")
		return
	}
	m.polls++
	writeJSON(w, 200, map[string]any{"data": s.mediaJSON(m)})
}

func (s *Server) metadata(w http.ResponseWriter, r *http.Request) {
	if !s.auth(w, r, "media.write") {
		return
	}
	var in struct {
		ID       string `json:"id"`
		Metadata struct {
			AltText struct {
				Text string `json:"text"`
			} `json:"alt_text"`
		} `json:"metadata"`
	}
	if json.NewDecoder(r.Body).Decode(&in) != nil {
		invalid(w, "Request body is not valid JSON.")
		return
	}
	if n := len([]rune(in.Metadata.AltText.Text)); n > 1000 {
		invalid(w, "alt_text.text must be at most 1000 characters.")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.media[in.ID]
	if !ok {
		invalid(w, "The `id` query parameter value ["+in.ID+"] is not valid.")
		return
	}
	m.Alt = in.Metadata.AltText.Text
	writeJSON(w, 200, map[string]any{"data": map[string]any{"id": in.ID, "associated_metadata": true}})
}

func (s *Server) create(w http.ResponseWriter, r *http.Request) {
	if !s.auth(w, r, "tweet.write") {
		return
	}
	var in struct {
		Text  *string `json:"text"`
		Media *struct {
			MediaIDs []string `json:"media_ids"`
		} `json:"media"`
		Reply *struct {
			InReplyTo string `json:"in_reply_to_tweet_id"`
		} `json:"reply"`
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		invalid(w, "Request body is not valid JSON.")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.cfg.Now()
	s.postsCalls++
	s.rateHeaders(w, s.cfg.RateLimit, max(0, s.cfg.RateLimit-s.postsCalls), now.Add(15*time.Minute))
	if s.noCredits {
		problem(w, http.StatusPaymentRequired, "https://api.x.com/2/problems/credits-depleted", "CreditsDepleted", "Your enrolled account does not have any credits to fulfill this request.")
		return
	}
	text := ""
	if in.Text != nil {
		text = *in.Text
	}
	var ids []string
	if in.Media != nil {
		ids = in.Media.MediaIDs
		if len(ids) < 1 || len(ids) > 4 {
			invalid(w, "`media.media_ids` must contain between 1 and 4 items.")
			return
		}
		for _, id := range ids {
			m, ok := s.media[id]
			if !ok || m.Category != "tweet_image" || now.Sub(m.Uploaded) > 24*time.Hour || m.polls < s.cfg.ProcessingPolls {
				invalid(w, "Your media IDs are invalid.")
				return
			}
		}
	}
	if strings.TrimSpace(text) == "" && len(ids) == 0 {
		invalid(w, "You must provide either text or media.")
		return
	}
	if n := textcount.X(text); n > s.cfg.MaxWeighted {
		problem(w, http.StatusForbidden, "about:blank", "Forbidden", "Your Tweet text is too long. For more information on how X determines text length see https://github.com/twitter/twitter-text.")
		return
	}
	for _, p := range s.posts {
		if !p.Deleted && p.Text == text && text != "" && now.Sub(p.CreatedAt) < 24*time.Hour {
			problem(w, http.StatusForbidden, "about:blank", "Forbidden", "You are not allowed to create a Tweet with duplicate content.")
			return
		}
	}
	p := &Post{ID: s.newID(), Text: text, MediaIDs: slices.Clone(ids), CreatedAt: now}
	if in.Reply != nil {
		if !s.replyAllowed(w, in.Reply.InReplyTo) {
			return
		}
		parent := s.find(in.Reply.InReplyTo)
		p.InReplyTo, p.ConversationID = parent.ID, parent.ConversationID
		if p.ConversationID == "" {
			p.ConversationID = parent.ID
		}
	}
	s.posts = append(s.posts, p)
	writeJSON(w, http.StatusCreated, map[string]any{"data": map[string]any{"id": p.ID, "text": s.shown(p), "edit_history_tweet_ids": []string{p.ID}}})
}

var linkRE = regexp.MustCompile(`https?://\S+`)

// shown is the text as X hands it back: links wrapped in t.co, and a t.co
// link to the photo appended when the post has media.
func (s *Server) shown(p *Post) string {
	n := 0
	t := linkRE.ReplaceAllStringFunc(p.Text, func(string) string {
		n++
		return fmt.Sprintf("https://t.co/%s%02d", p.ID[len(p.ID)-8:], n)
	})
	if len(p.MediaIDs) > 0 {
		if t != "" {
			t += " "
		}
		t += "https://t.co/m" + p.ID[len(p.ID)-9:]
	}
	return t
}

func (s *Server) find(id string) *Post {
	return fakeplatform.Find(s.posts, func(p *Post) bool { return p.ID == id && !p.Deleted })
}

func (s *Server) get(w http.ResponseWriter, r *http.Request) {
	if !s.auth(w, r, "tweet.read") {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	id := r.PathValue("id")
	p := s.find(id)
	if p == nil {
		// v2 lookups answer a missing resource with 200 and a partial error.
		writeJSON(w, 200, map[string]any{"errors": []map[string]any{{
			"value": id, "detail": "Could not find tweet with id: [" + id + "].", "title": "Not Found Error",
			"resource_type": "tweet", "parameter": "id", "resource_id": id,
			"type": "https://api.x.com/2/problems/resource-not-found",
		}}})
		return
	}
	data := map[string]any{"id": p.ID, "text": s.shown(p), "edit_history_tweet_ids": []string{p.ID}}
	if strings.Contains(r.URL.Query().Get("tweet.fields"), "public_metrics") {
		data["public_metrics"] = map[string]any{"retweet_count": p.Reposts, "reply_count": p.Replies, "like_count": p.Likes,
			"quote_count": p.Quotes, "bookmark_count": 0, "impression_count": p.Views}
	}
	writeJSON(w, 200, map[string]any{"data": data})
}

func (s *Server) delete(w http.ResponseWriter, r *http.Request) {
	if !s.auth(w, r, "tweet.write") {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.find(r.PathValue("id"))
	if p == nil {
		writeJSON(w, 200, map[string]any{"data": map[string]any{"deleted": false}})
		return
	}
	p.Deleted = true
	writeJSON(w, 200, map[string]any{"data": map[string]any{"deleted": true}})
}

func (s *Server) timeline(w http.ResponseWriter, r *http.Request) {
	if !s.auth(w, r, "tweet.read") {
		return
	}
	if r.PathValue("id") != s.cfg.UserID {
		problem(w, http.StatusForbidden, "https://api.x.com/2/problems/not-authorized-for-resource", "Forbidden", "Sorry, you are not authorized to see this user's posts.")
		return
	}
	q := r.URL.Query()
	n, _ := strconv.Atoi(q.Get("max_results"))
	if n < 5 || n > 100 {
		invalid(w, "The `max_results` query parameter value ["+q.Get("max_results")+"] is not between 5 and 100")
		return
	}
	var since time.Time
	if v := q.Get("start_time"); v != "" {
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			invalid(w, "Invalid start_time")
			return
		}
		since = t
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var sel []*Post
	for _, p := range s.posts {
		if !p.Deleted && !p.CreatedAt.Before(since) {
			sel = append(sel, p)
		}
	}
	sort.SliceStable(sel, func(i, j int) bool { return sel[i].CreatedAt.After(sel[j].CreatedAt) })
	if len(sel) > n {
		sel = sel[:n]
	}
	data := make([]map[string]any, 0, len(sel))
	for _, p := range sel {
		data = append(data, map[string]any{"id": p.ID, "text": s.shown(p), "created_at": p.CreatedAt.UTC().Format("2006-01-02T15:04:05.000Z"), "edit_history_tweet_ids": []string{p.ID}})
	}
	out := map[string]any{"meta": map[string]any{"result_count": len(data)}}
	if len(data) > 0 {
		// X leaves data out entirely when there is nothing to show.
		out["data"] = data
	}
	writeJSON(w, 200, out)
}
