// Package mastodontest is a Mastodon instance that follows
// docs/platform-contracts.md §5: runtime app registration, OAuth with PKCE
// S256, v2 media with 202 and 206 polling, Idempotency-Key replay for an
// hour, scheduled statuses, X-RateLimit-* headers and Mastodon's error
// shapes. Tests only; the app never imports it.
package mastodontest

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/rivo/uniseg"

	"practicepost/app/publish/fault"
	"practicepost/app/publish/internal/fakeplatform"
)

// Config sets up the instance. Zero values get the defaults noted.
type Config struct {
	Token          string // a valid access token with every scope; "masto-token"
	MaxChars       int    // 500
	ImageSizeLimit int    // bytes; 16 MiB
	// ProcessingPolls > 0 makes media uploads answer 202 and GET media
	// answer 206 that many times before 200.
	ProcessingPolls int
	RateLimit       int              // requests per 5 minutes; 300
	Now             func() time.Time // time.Now
}

// App is a registered OAuth application.
type App struct {
	ID, Name, ClientID, ClientSecret string
	RedirectURIs                     []string
	Scopes                           []string
}

// Media is an uploaded attachment.
type Media struct {
	ID          string
	MIME        string
	Data        []byte
	Description string
	StatusID    string
	pollsLeft   int
}

// Status is a published status.
type Status struct {
	ID          string
	Text        string
	Visibility  string
	Language    string
	MediaIDs    []string
	CreatedAt   time.Time
	Deleted     bool
	Favourites  int
	Reblogs     int
	Replies     int
	Idempotency string
	// InReplyToID is the status this answers; "" for a top-level post.
	InReplyToID string
	// Author is another account's username for replies from other people
	// (AddReply); "" for the practice's own statuses.
	Author     string
	AuthorName string
}

// Scheduled is a status waiting for its time.
type Scheduled struct {
	ID          string
	Text        string
	Visibility  string
	Language    string
	MediaIDs    []string
	ScheduledAt time.Time
	Deleted     bool
	StatusID    string // set once it went out
}

type grant struct {
	clientID, redirect, challenge, method string
	scopes                                []string
}

type idem struct {
	kind string // "status" or "scheduled"
	id   string
	at   time.Time
}

// Server is a running fake.
type Server struct {
	fakeplatform.Server
	fakeplatform.Followers // the account's followers_count (SetFollowers)

	cfg Config

	mu        sync.Mutex
	seq       int64
	apps      map[string]*App
	grants    map[string]grant
	tokens    map[string][]string // token -> scopes
	media     map[string]*Media
	statuses  []*Status
	scheduled []*Scheduled
	idem      map[string]idem
	replays   int
	window    time.Time
	used      int
}

const accountID = "109000000000000001"

// New starts a fake; call Close when done.
func New(cfg Config) *Server {
	fakeplatform.Default(&cfg.Token, "masto-token")
	fakeplatform.Default(&cfg.MaxChars, 500)
	fakeplatform.Default(&cfg.ImageSizeLimit, 16<<20)
	fakeplatform.Default(&cfg.RateLimit, 300)
	fakeplatform.DefaultNow(&cfg.Now)
	s := &Server{
		cfg: cfg, seq: 113000000000000000,
		apps: map[string]*App{}, grants: map[string]grant{}, media: map[string]*Media{}, idem: map[string]idem{},
		tokens: map[string][]string{cfg.Token: {"read", "write"}},
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/v1/apps", s.registerApp)
	mux.HandleFunc("GET /oauth/authorize", s.authorize)
	mux.HandleFunc("POST /oauth/token", s.token)
	mux.HandleFunc("GET /api/v1/accounts/verify_credentials", s.verify)
	mux.HandleFunc("GET /api/v2/instance", s.instance)
	mux.HandleFunc("POST /api/v2/media", s.upload)
	mux.HandleFunc("GET /api/v1/media/{id}", s.getMedia)
	mux.HandleFunc("POST /api/v1/statuses", s.createStatus)
	mux.HandleFunc("GET /api/v1/statuses/{id}", s.getStatus)
	mux.HandleFunc("GET /api/v1/statuses/{id}/context", s.statusContext)
	mux.HandleFunc("DELETE /api/v1/statuses/{id}", s.deleteStatus)
	mux.HandleFunc("GET /api/v1/accounts/{id}/statuses", s.accountStatuses)
	mux.HandleFunc("GET /api/v1/scheduled_statuses", s.listScheduled)
	mux.HandleFunc("DELETE /api/v1/scheduled_statuses/{id}", s.deleteScheduled)
	s.Start(s.limits(mux), s.writeFault)
	return s
}

// Statuses returns copies of every status created, deleted ones included.
func (s *Server) Statuses() []Status {
	s.mu.Lock()
	defer s.mu.Unlock()
	return fakeplatform.Copies(s.statuses, func(c *Status) { c.MediaIDs = slices.Clone(c.MediaIDs) })
}

// ScheduledStatuses returns copies of every scheduled status.
func (s *Server) ScheduledStatuses() []Scheduled {
	s.mu.Lock()
	defer s.mu.Unlock()
	return fakeplatform.Copies(s.scheduled)
}

// Media returns a copy of an uploaded attachment.
func (s *Server) Media(id string) (Media, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return fakeplatform.Copy(s.media[id])
}

// Apps returns the registered applications.
func (s *Server) Apps() []App {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []App
	for _, a := range s.apps {
		out = append(out, *a)
	}
	return out
}

// Replays counts status creations answered from the idempotency cache.
func (s *Server) Replays() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.replays
}

// RevokeToken makes tok invalid, as when the user revokes the app.
func (s *Server) RevokeToken(tok string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.tokens, tok)
}

// SetCounts sets the public counters of a status.
func (s *Server) SetCounts(id string, favourites, reblogs, replies int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, st := range s.statuses {
		if st.ID == id {
			st.Favourites, st.Reblogs, st.Replies = favourites, reblogs, replies
		}
	}
}

func (s *Server) nextID() string {
	s.seq++
	return strconv.FormatInt(s.seq, 10)
}

// limits sends the X-RateLimit-* headers and refuses past the limit.
func (s *Server) limits(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		now := s.cfg.Now()
		s.mu.Lock()
		s.publishDue(now)
		if s.window.IsZero() || !now.Before(s.window.Add(5*time.Minute)) {
			s.window, s.used = now, 0
		}
		s.used++
		remaining := s.cfg.RateLimit - s.used
		reset := s.window.Add(5 * time.Minute)
		s.mu.Unlock()
		setLimitHeaders(w, s.cfg.RateLimit, max(remaining, 0), reset)
		if remaining < 0 {
			writeJSON(w, http.StatusTooManyRequests, map[string]string{"error": "Too many requests"})
			return
		}
		h.ServeHTTP(w, r)
	})
}

func setLimitHeaders(w http.ResponseWriter, limit, remaining int, reset time.Time) {
	w.Header().Set("X-RateLimit-Limit", strconv.Itoa(limit))
	w.Header().Set("X-RateLimit-Remaining", strconv.Itoa(remaining))
	w.Header().Set("X-RateLimit-Reset", reset.UTC().Format("2006-01-02T15:04:05.000000Z"))
}

// writeFault answers an injected fault in the platform's own shape. Status
// 429 answers {"error":"Too many requests"} with X-RateLimit-Reset at
// now+Reset; 5xx answers an HTML error page as Mastodon's proxy does.
func (s *Server) writeFault(w http.ResponseWriter, r *http.Request, f fault.Fault) {
	if f.Status == http.StatusTooManyRequests {
		setLimitHeaders(w, s.cfg.RateLimit, 0, s.cfg.Now().Add(f.Reset))
		writeJSON(w, http.StatusTooManyRequests, map[string]string{"error": "Too many requests"})
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(f.Status)
	io.WriteString(w, "<!DOCTYPE html><html><body><h1>We're sorry, but something went wrong on our end.</h1></body></html>")
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	fakeplatform.JSON(w, "application/json; charset=utf-8", status, v)
}

func writeErr(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}

// params reads a form, multipart or JSON body into url.Values; JSON arrays
// become repeated "name[]" values as Rails sees them.
func params(r *http.Request) url.Values {
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch ct {
	case "application/json":
		var m map[string]any
		if json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&m) != nil {
			return url.Values{}
		}
		v := url.Values{}
		for k, x := range m {
			switch x := x.(type) {
			case []any:
				for _, e := range x {
					v.Add(k+"[]", fmt.Sprint(e))
				}
			case nil:
			default:
				v.Set(k, fmt.Sprint(x))
			}
		}
		return v
	case "multipart/form-data":
		r.ParseMultipartForm(64 << 20)
	default:
		r.ParseForm()
	}
	v := url.Values{}
	for k, x := range r.Form {
		v[k] = x
	}
	if r.MultipartForm != nil {
		for k, x := range r.MultipartForm.Value {
			v[k] = x
		}
	}
	return v
}

func list(v url.Values, name string) []string {
	if xs := v[name+"[]"]; len(xs) > 0 {
		return xs
	}
	if x := v.Get(name); x != "" {
		return strings.Fields(x)
	}
	return nil
}

func (s *Server) registerApp(w http.ResponseWriter, r *http.Request) {
	v := params(r)
	name := v.Get("client_name")
	if strings.TrimSpace(name) == "" {
		writeErr(w, http.StatusUnprocessableEntity, "Validation failed: Application name can't be blank")
		return
	}
	uris := list(v, "redirect_uris")
	if len(uris) == 0 {
		writeErr(w, http.StatusUnprocessableEntity, "Validation failed: Redirect URI can't be blank")
		return
	}
	for _, u := range uris {
		pu, err := url.Parse(u)
		if u != "urn:ietf:wg:oauth:2.0:oob" && (err != nil || !pu.IsAbs() || pu.Fragment != "") {
			writeErr(w, http.StatusUnprocessableEntity, "Validation failed: Redirect URI must be an absolute URI.")
			return
		}
	}
	scopes := strings.Fields(v.Get("scopes"))
	if len(scopes) == 0 {
		scopes = []string{"read"}
	}
	a := &App{Name: name, RedirectURIs: uris, Scopes: scopes, ClientID: randHex(16), ClientSecret: randHex(16)}
	s.mu.Lock()
	a.ID = s.nextID()
	s.apps[a.ClientID] = a
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{
		"id": a.ID, "name": a.Name, "website": v.Get("website"), "scopes": a.Scopes,
		"redirect_uri": strings.Join(uris, "\n"), "redirect_uris": uris,
		"client_id": a.ClientID, "client_secret": a.ClientSecret, "client_secret_expires_at": 0,
	})
}

func randHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func subset(want, have []string) bool {
	for _, w := range want {
		ok := false
		for _, h := range have {
			// "write" covers "write:statuses".
			if w == h || strings.HasPrefix(w, h+":") {
				ok = true
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// authorize plays the user approving the app: it redirects straight back
// with a code, or answers 400 as Doorkeeper's error page does.
func (s *Server) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	s.mu.Lock()
	a := s.apps[q.Get("client_id")]
	s.mu.Unlock()
	fail := func(msg string) { http.Error(w, msg, http.StatusBadRequest) }
	switch {
	case q.Get("response_type") != "code":
		fail("The authorization server does not support this response type.")
	case a == nil:
		fail("Client authentication failed due to unknown client.")
	case !slices.Contains(a.RedirectURIs, q.Get("redirect_uri")):
		fail("The redirect uri included is not valid.")
	case q.Get("code_challenge") != "" && q.Get("code_challenge_method") != "S256":
		fail("The code challenge method must be S256.")
	case !subset(strings.Fields(q.Get("scope")), a.Scopes):
		fail("The requested scope is invalid, unknown, or malformed.")
	default:
		code := randHex(12)
		scopes := strings.Fields(q.Get("scope"))
		if len(scopes) == 0 {
			scopes = a.Scopes
		}
		s.mu.Lock()
		s.grants[code] = grant{clientID: a.ClientID, redirect: q.Get("redirect_uri"), challenge: q.Get("code_challenge"), method: q.Get("code_challenge_method"), scopes: scopes}
		s.mu.Unlock()
		u, _ := url.Parse(q.Get("redirect_uri"))
		rq := u.Query()
		rq.Set("code", code)
		if st := q.Get("state"); st != "" {
			rq.Set("state", st)
		}
		u.RawQuery = rq.Encode()
		http.Redirect(w, r, u.String(), http.StatusFound)
	}
}

func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	v := params(r)
	id, secret := v.Get("client_id"), v.Get("client_secret")
	if u, p, ok := r.BasicAuth(); ok {
		id, secret = u, p
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.apps[id]
	if a == nil || a.ClientSecret != secret {
		writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "invalid_client", "error_description": "Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method."})
		return
	}
	invalidGrant := func() {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_grant", "error_description": "The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client."})
	}
	if v.Get("grant_type") != "authorization_code" {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "unsupported_grant_type", "error_description": "The authorization grant type is not supported by the authorization server."})
		return
	}
	g, ok := s.grants[v.Get("code")]
	if !ok || g.clientID != id || g.redirect != v.Get("redirect_uri") {
		invalidGrant()
		return
	}
	if g.challenge != "" {
		sum := sha256.Sum256([]byte(v.Get("code_verifier")))
		if base64.RawURLEncoding.EncodeToString(sum[:]) != g.challenge {
			invalidGrant()
			return
		}
	}
	delete(s.grants, v.Get("code"))
	tok := randHex(20)
	s.tokens[tok] = g.scopes
	writeJSON(w, http.StatusOK, map[string]any{"access_token": tok, "token_type": "Bearer", "scope": strings.Join(g.scopes, " "), "created_at": s.cfg.Now().Unix()})
}

// auth checks the bearer token and that it carries scope.
func (s *Server) auth(w http.ResponseWriter, r *http.Request, scope string) bool {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	s.mu.Lock()
	scopes, valid := s.tokens[tok]
	s.mu.Unlock()
	switch {
	case !ok || tok == "":
		writeErr(w, http.StatusUnauthorized, "The access token is invalid")
	case !valid:
		writeErr(w, http.StatusUnauthorized, "The access token is invalid")
	case !subset([]string{scope}, scopes):
		writeErr(w, http.StatusForbidden, "This action is outside the authorized scopes")
	default:
		return true
	}
	return false
}

func (s *Server) account() map[string]any {
	// Not under mu: statusJSON calls this with mu held.
	followers, _ := s.Followers.Count()
	return map[string]any{"id": accountID, "username": "smiledental", "acct": "smiledental", "display_name": "Smile Dental",
		"url": s.URL + "/@smiledental", "created_at": "2024-01-01T00:00:00.000Z", "locked": false, "bot": false,
		"followers_count": followers, "following_count": 12, "statuses_count": 40}
}

func (s *Server) verify(w http.ResponseWriter, r *http.Request) {
	if !s.auth(w, r, "read:accounts") {
		return
	}
	a := s.account()
	a["source"] = map[string]any{"privacy": "public", "sensitive": false, "language": "en", "note": ""}
	writeJSON(w, http.StatusOK, a)
}

var mimes = []string{"image/jpeg", "image/png", "image/gif", "image/heic", "image/heif", "image/webp", "image/avif", "video/mp4", "audio/mpeg"}

func (s *Server) instance(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{
		"domain": strings.TrimPrefix(s.URL, "http://"), "title": "Fake Mastodon", "version": "4.4.0",
		"configuration": map[string]any{
			"urls":     map[string]any{"streaming": "wss://example"},
			"accounts": map[string]any{"max_featured_tags": 10},
			"statuses": map[string]any{"max_characters": s.cfg.MaxChars, "max_media_attachments": 4, "characters_reserved_per_url": 23},
			"media_attachments": map[string]any{"supported_mime_types": mimes, "image_size_limit": s.cfg.ImageSizeLimit,
				"image_matrix_limit": 33177600, "video_size_limit": 103809024, "description_limit": 1500},
		},
	})
}

func (s *Server) mediaJSON(m *Media) map[string]any {
	out := map[string]any{"id": m.ID, "type": "image", "url": nil, "preview_url": s.URL + "/media/" + m.ID + "/small",
		"remote_url": nil, "text_url": nil, "description": nullable(m.Description), "blurhash": "UFBWY:8_0Jxv%MozRjWB",
		"meta": map[string]any{"focus": map[string]any{"x": 0.0, "y": 0.0}}}
	if m.pollsLeft == 0 {
		out["url"] = s.URL + "/media/" + m.ID + "/original"
		out["meta"] = map[string]any{"original": map[string]any{"width": 640, "height": 480, "size": "640x480", "aspect": 1.3333333333333333},
			"small": map[string]any{"width": 461, "height": 346, "size": "461x346", "aspect": 1.3323699421965318}, "focus": map[string]any{"x": 0.0, "y": 0.0}}
	}
	return out
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func (s *Server) upload(w http.ResponseWriter, r *http.Request) {
	if !s.auth(w, r, "write:media") {
		return
	}
	if err := r.ParseMultipartForm(64 << 20); err != nil || r.MultipartForm == nil || len(r.MultipartForm.File["file"]) == 0 {
		writeErr(w, http.StatusUnprocessableEntity, "Validation failed: File can't be blank")
		return
	}
	fh := r.MultipartForm.File["file"][0]
	f, err := fh.Open()
	if err != nil {
		writeErr(w, http.StatusUnprocessableEntity, "Validation failed: File is invalid")
		return
	}
	data, _ := io.ReadAll(f)
	f.Close()
	declared := fh.Header.Get("Content-Type")
	sniffed := http.DetectContentType(data)
	if !slices.Contains(mimes, declared) || !slices.Contains(mimes, sniffed) {
		writeErr(w, http.StatusUnprocessableEntity, "Validation failed: File content type is invalid, File is invalid")
		return
	}
	if len(data) > s.cfg.ImageSizeLimit {
		writeErr(w, http.StatusUnprocessableEntity, fmt.Sprintf("Validation failed: File file size must be less than %d MB", s.cfg.ImageSizeLimit>>20))
		return
	}
	desc := r.FormValue("description")
	if uniseg.GraphemeClusterCount(desc) > 1500 {
		writeErr(w, http.StatusUnprocessableEntity, "Validation failed: Description is too long (maximum is 1500 characters)")
		return
	}
	s.mu.Lock()
	m := &Media{ID: s.nextID(), MIME: sniffed, Data: data, Description: desc, pollsLeft: s.cfg.ProcessingPolls}
	s.media[m.ID] = m
	body := s.mediaJSON(m)
	s.mu.Unlock()
	status := http.StatusOK
	if m.pollsLeft > 0 {
		status = http.StatusAccepted
	}
	writeJSON(w, status, body)
}

func (s *Server) getMedia(w http.ResponseWriter, r *http.Request) {
	if !s.auth(w, r, "write:media") {
		return
	}
	s.mu.Lock()
	m := s.media[r.PathValue("id")]
	if m == nil {
		s.mu.Unlock()
		writeErr(w, http.StatusNotFound, "Record not found")
		return
	}
	status := http.StatusOK
	if m.pollsLeft > 0 {
		m.pollsLeft--
		status = http.StatusPartialContent
	}
	body := s.mediaJSON(m)
	if status == http.StatusPartialContent {
		body["url"] = nil
	}
	s.mu.Unlock()
	writeJSON(w, status, body)
}

var urlRe = regexp.MustCompile(`https?://[^\s<>"]+`)

// length counts as Mastodon does: graphemes, each URL as 23.
func length(text string) int {
	return uniseg.GraphemeClusterCount(urlRe.ReplaceAllString(text, strings.Repeat("x", 23)))
}

// render turns plain text into Mastodon's HTML content.
func render(text string) string {
	var b strings.Builder
	for _, para := range strings.Split(strings.TrimSpace(text), "\n\n") {
		esc := html.EscapeString(para)
		esc = urlRe.ReplaceAllStringFunc(esc, func(u string) string {
			scheme, rest, _ := strings.Cut(u, "://")
			return `<a href="` + u + `" target="_blank" rel="nofollow noopener" translate="no"><span class="invisible">` + scheme + `://</span><span class="">` + rest + `</span><span class="invisible"></span></a>`
		})
		b.WriteString("<p>" + strings.ReplaceAll(esc, "\n", "<br />") + "</p>")
	}
	return b.String()
}

func (s *Server) statusJSON(st *Status) map[string]any {
	media := []any{}
	for _, id := range st.MediaIDs {
		if m := s.media[id]; m != nil {
			media = append(media, s.mediaJSON(m))
		}
	}
	return map[string]any{
		"id": st.ID, "created_at": st.CreatedAt.UTC().Format("2006-01-02T15:04:05.000Z"), "content": render(st.Text),
		"url": s.URL + "/@smiledental/" + st.ID, "uri": s.URL + "/users/smiledental/statuses/" + st.ID,
		"visibility": st.Visibility, "language": nullable(st.Language), "sensitive": false, "spoiler_text": "",
		"media_attachments": media, "replies_count": st.Replies, "reblogs_count": st.Reblogs, "favourites_count": st.Favourites,
		"account": s.authorJSON(st), "mentions": []any{}, "tags": []any{}, "emojis": []any{},
		"in_reply_to_id": nullable(st.InReplyToID), "edited_at": nil,
	}
}

func (s *Server) scheduledJSON(sc *Scheduled) map[string]any {
	media := []any{}
	for _, id := range sc.MediaIDs {
		if m := s.media[id]; m != nil {
			media = append(media, s.mediaJSON(m))
		}
	}
	return map[string]any{"id": sc.ID, "scheduled_at": sc.ScheduledAt.UTC().Format("2006-01-02T15:04:05.000Z"),
		"params": map[string]any{"text": sc.Text, "visibility": sc.Visibility, "language": nullable(sc.Language), "media_ids": sc.MediaIDs,
			"scheduled_at": nil, "idempotency": nil, "poll": nil, "spoiler_text": nil, "sensitive": nil, "in_reply_to_id": nil, "application_id": 1, "with_rate_limit": false},
		"media_attachments": media}
}

// publishDue turns scheduled statuses whose time has come into statuses
// (with new ids), as Mastodon's scheduler does.
func (s *Server) publishDue(now time.Time) {
	for _, sc := range s.scheduled {
		if sc.Deleted || sc.StatusID != "" || now.Before(sc.ScheduledAt) {
			continue
		}
		st := &Status{ID: s.nextID(), Text: sc.Text, Visibility: sc.Visibility, Language: sc.Language, MediaIDs: sc.MediaIDs, CreatedAt: sc.ScheduledAt}
		sc.StatusID = st.ID
		s.statuses = append(s.statuses, st)
	}
}

func (s *Server) createStatus(w http.ResponseWriter, r *http.Request) {
	if !s.auth(w, r, "write:statuses") {
		return
	}
	v := params(r)
	key := r.Header.Get("Idempotency-Key")
	now := s.cfg.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	if key != "" {
		if c, ok := s.idem[key]; ok && now.Sub(c.at) < time.Hour {
			s.replays++
			if c.kind == "scheduled" {
				for _, sc := range s.scheduled {
					if sc.ID == c.id {
						writeJSON(w, http.StatusOK, s.scheduledJSON(sc))
						return
					}
				}
			}
			for _, st := range s.statuses {
				if st.ID == c.id {
					writeJSON(w, http.StatusOK, s.statusJSON(st))
					return
				}
			}
		}
	}
	text := v.Get("status")
	mediaIDs := list(v, "media_ids")
	visibility := v.Get("visibility")
	if visibility == "" {
		visibility = "public"
	}
	fail := func(msg string) { writeErr(w, http.StatusUnprocessableEntity, msg) }
	switch {
	case strings.TrimSpace(text) == "" && len(mediaIDs) == 0:
		fail("Validation failed: Text can't be blank")
		return
	case length(text) > s.cfg.MaxChars:
		fail(fmt.Sprintf("Validation failed: Text character limit of %d exceeded", s.cfg.MaxChars))
		return
	case !slices.Contains([]string{"public", "unlisted", "private", "direct"}, visibility):
		fail("Validation failed: Visibility is not included in the list")
		return
	case len(mediaIDs) > 4:
		fail("Validation failed: Media attachments must not be more than 4")
		return
	}
	for _, id := range mediaIDs {
		m := s.media[id]
		if m == nil || m.StatusID != "" {
			fail("Media with IDs " + id + " not found or already attached to another post")
			return
		}
		if m.pollsLeft != 0 {
			fail("Cannot attach files that have not finished processing. Try again in a moment!")
			return
		}
	}
	if at := v.Get("scheduled_at"); at != "" {
		t, err := time.Parse(time.RFC3339Nano, at)
		if err != nil || t.Before(now.Add(5*time.Minute)) {
			fail("Validation failed: Scheduled at The scheduled date must be in the future")
			return
		}
		sc := &Scheduled{ID: s.nextID(), Text: text, Visibility: visibility, Language: v.Get("language"), MediaIDs: mediaIDs, ScheduledAt: t.UTC()}
		s.scheduled = append(s.scheduled, sc)
		for _, id := range mediaIDs {
			s.media[id].StatusID = "scheduled:" + sc.ID
		}
		if key != "" {
			s.idem[key] = idem{kind: "scheduled", id: sc.ID, at: now}
		}
		writeJSON(w, http.StatusOK, s.scheduledJSON(sc))
		return
	}
	parent := v.Get("in_reply_to_id")
	if parent != "" && s.findStatus(parent) == nil {
		writeErr(w, http.StatusNotFound, "The post you are trying to reply to does not appear to exist.")
		return
	}
	st := &Status{ID: s.nextID(), Text: text, Visibility: visibility, Language: v.Get("language"), MediaIDs: mediaIDs, CreatedAt: now, Idempotency: key, InReplyToID: parent}
	s.statuses = append(s.statuses, st)
	for _, id := range mediaIDs {
		s.media[id].StatusID = st.ID
	}
	if key != "" {
		s.idem[key] = idem{kind: "status", id: st.ID, at: now}
	}
	writeJSON(w, http.StatusOK, s.statusJSON(st))
}

func (s *Server) findStatus(id string) *Status {
	return fakeplatform.Find(s.statuses, func(st *Status) bool { return st.ID == id && !st.Deleted })
}

// withStatus runs f on status {id} under the fake's lock; a missing or
// deleted one is answered 404 "Record not found".
func (s *Server) withStatus(w http.ResponseWriter, r *http.Request, f func(*Status)) {
	fakeplatform.Locked(&s.mu, func() *Status { return s.findStatus(r.PathValue("id")) }, f,
		func() { writeErr(w, http.StatusNotFound, "Record not found") })
}

func (s *Server) getStatus(w http.ResponseWriter, r *http.Request) {
	if !s.auth(w, r, "read:statuses") {
		return
	}
	s.withStatus(w, r, func(st *Status) {
		writeJSON(w, http.StatusOK, s.statusJSON(st))
	})
}

func (s *Server) deleteStatus(w http.ResponseWriter, r *http.Request) {
	if !s.auth(w, r, "write:statuses") {
		return
	}
	s.withStatus(w, r, func(st *Status) {
		st.Deleted = true
		out := s.statusJSON(st)
		out["text"] = st.Text
		writeJSON(w, http.StatusOK, out)
	})
}

func (s *Server) accountStatuses(w http.ResponseWriter, r *http.Request) {
	if !s.auth(w, r, "read:statuses") {
		return
	}
	if r.PathValue("id") != accountID {
		writeErr(w, http.StatusNotFound, "Record not found")
		return
	}
	limit := fakeplatform.PageSize(r, "limit", 20, 40)
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []any{}
	for i := len(s.statuses) - 1; i >= 0 && len(out) < limit; i-- {
		if !s.statuses[i].Deleted {
			out = append(out, s.statusJSON(s.statuses[i]))
		}
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) listScheduled(w http.ResponseWriter, r *http.Request) {
	if !s.auth(w, r, "read:statuses") {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []any{}
	for _, sc := range s.scheduled {
		if !sc.Deleted && sc.StatusID == "" {
			out = append(out, s.scheduledJSON(sc))
		}
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) deleteScheduled(w http.ResponseWriter, r *http.Request) {
	if !s.auth(w, r, "write:statuses") {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, sc := range s.scheduled {
		if sc.ID == r.PathValue("id") && !sc.Deleted && sc.StatusID == "" {
			sc.Deleted = true
			writeJSON(w, http.StatusOK, map[string]any{})
			return
		}
	}
	writeErr(w, http.StatusNotFound, "Record not found")
}
