// Package blueskytest is a Bluesky entryway plus personal data server (PDS) that
// follows docs/platform-contracts.md §6: app-password sessions whose access
// tokens expire (ExpiredToken) and refresh with rotation, a didDoc naming
// the PDS, blob upload, createRecord validation of app.bsky.feed.post
// (300 graphemes, 1,000,000-byte images, alt required), listRecords,
// deleteRecord, getPosts, RateLimit-* headers and XRPC error bodies.
//
// The entryway answers only the session calls, so a client that ignores the
// PDS in the didDoc fails. Tests only; the app never imports it.
package blueskytest

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/rivo/uniseg"

	"practicepost/app/publish/fault"
	"practicepost/app/publish/internal/fakeplatform"
)

// Collection is the only record collection the fake stores.
const Collection = "app.bsky.feed.post"

// Config sets up the account. Zero values get the defaults noted.
type Config struct {
	Handle       string           // "smiledental.bsky.social"
	DID          string           // "did:plc:fakesmiledental"
	AppPassword  string           // "abcd-efgh-ijkl-mnop"
	AccessTTL    time.Duration    // 2 h
	RefreshTTL   time.Duration    // 90 days
	MaxBlob      int              // PDS upload cap in bytes; 50,000,000
	SessionLimit int              // createSession calls per 5 minutes; 30
	Now          func() time.Time // time.Now
}

// Record is a stored post record.
type Record struct {
	URI, CID, RKey string
	Value          json.RawMessage
	Text           string
	CreatedAt      string
	Deleted        bool
	Likes          int
	Reposts        int
	Replies        int
	Quotes         int
	// Replies (contracts §13.6): the strong refs the record answers, and
	// for replies by other accounts (AddReply) their DID and handle.
	ParentURI, RootURI      string
	AuthorDID, AuthorHandle string
	AuthorName              string
}

// Blob is an uploaded blob.
type Blob struct {
	CID, MIME string
	Data      []byte
}

// Server is a running fake: the embedded server is the entryway.
type Server struct {
	fakeplatform.Server
	PDS *httptest.Server

	fakeplatform.Followers // getProfile's followersCount (SetFollowers)

	cfg Config

	mu        sync.Mutex
	access    map[string]time.Time // token -> expiry
	refresh   map[string]time.Time
	blobs     map[string]*Blob
	records   []*Record
	seq       int
	sessions  []time.Time
	refreshes int
	gates     map[string]json.RawMessage // threadgate records by rkey
}

// New starts a fake; call Close when done.
func New(cfg Config) *Server {
	fakeplatform.Default(&cfg.Handle, "smiledental.bsky.social")
	fakeplatform.Default(&cfg.DID, "did:plc:fakesmiledental")
	fakeplatform.Default(&cfg.AppPassword, "abcd-efgh-ijkl-mnop")
	fakeplatform.Default(&cfg.AccessTTL, 2*time.Hour)
	fakeplatform.Default(&cfg.RefreshTTL, 90*24*time.Hour)
	fakeplatform.Default(&cfg.MaxBlob, 50_000_000)
	fakeplatform.Default(&cfg.SessionLimit, 30)
	fakeplatform.DefaultNow(&cfg.Now)
	s := &Server{cfg: cfg, access: map[string]time.Time{}, refresh: map[string]time.Time{}, blobs: map[string]*Blob{}, gates: map[string]json.RawMessage{}}

	entry := http.NewServeMux()
	entry.HandleFunc("POST /xrpc/com.atproto.server.createSession", s.createSession)
	entry.HandleFunc("POST /xrpc/com.atproto.server.refreshSession", s.refreshSession)
	entry.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeErr(w, http.StatusNotImplemented, "MethodNotImplemented", "Method Not Implemented")
	})
	pds := http.NewServeMux()
	pds.HandleFunc("POST /xrpc/com.atproto.server.createSession", s.createSession)
	pds.HandleFunc("POST /xrpc/com.atproto.server.refreshSession", s.refreshSession)
	pds.HandleFunc("POST /xrpc/com.atproto.repo.uploadBlob", s.authed(s.uploadBlob))
	pds.HandleFunc("POST /xrpc/com.atproto.repo.createRecord", s.authed(s.createRecord))
	pds.HandleFunc("POST /xrpc/com.atproto.repo.deleteRecord", s.authed(s.deleteRecord))
	pds.HandleFunc("GET /xrpc/com.atproto.repo.listRecords", s.listRecords)
	pds.HandleFunc("GET /xrpc/app.bsky.feed.getPosts", s.authed(s.getPosts))
	pds.HandleFunc("GET /xrpc/app.bsky.feed.getPostThread", s.authed(s.getPostThread))
	pds.HandleFunc("POST /xrpc/com.atproto.repo.putRecord", s.authed(s.putRecord))
	pds.HandleFunc("GET /xrpc/com.atproto.repo.getRecord", s.authed(s.getRecord))
	pds.HandleFunc("GET /xrpc/app.bsky.actor.getProfile", s.authed(s.getProfile))
	pds.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeErr(w, http.StatusNotImplemented, "MethodNotImplemented", "Method Not Implemented")
	})
	s.PDS = s.Serve(s.limits(pds), s.writeFault)
	s.Start(s.limits(entry), s.writeFault)
	return s
}

// Close releases hanging requests and stops both servers.
func (s *Server) Close() {
	s.Server.Close()
	s.PDS.Close()
}

// Records returns copies of every post record, deleted ones included.
func (s *Server) Records() []Record {
	s.mu.Lock()
	defer s.mu.Unlock()
	return fakeplatform.Copies(s.records)
}

// Blob returns an uploaded blob by CID.
func (s *Server) Blob(cid string) (Blob, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return fakeplatform.Copy(s.blobs[cid])
}

// Sessions counts createSession successes; Refreshes counts refreshSession successes.
func (s *Server) Sessions() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.sessions)
}

// Refreshes counts successful refreshSession calls.
func (s *Server) Refreshes() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.refreshes
}

// ExpireAccessTokens makes every access token issued so far expired.
func (s *Server) ExpireAccessTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for k := range s.access {
		s.access[k] = time.Time{}
	}
}

// ExpireRefreshTokens makes every refresh token issued so far expired.
func (s *Server) ExpireRefreshTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for k := range s.refresh {
		s.refresh[k] = time.Time{}
	}
}

// ChangePassword revokes the app password: sessions keep working until
// their tokens expire, new logins fail.
func (s *Server) ChangePassword(pw string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cfg.AppPassword = pw
}

// SetCounts sets what getPosts reports for a post.
func (s *Server) SetCounts(uri string, likes, reposts, replies, quotes int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range s.records {
		if r.URI == uri {
			r.Likes, r.Reposts, r.Replies, r.Quotes = likes, reposts, replies, quotes
		}
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	fakeplatform.JSON(w, "application/json; charset=utf-8", status, v)
}

func writeErr(w http.ResponseWriter, status int, name, msg string) {
	writeJSON(w, status, map[string]string{"error": name, "message": msg})
}

func (s *Server) limits(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		now := s.cfg.Now()
		w.Header().Set("RateLimit-Limit", "3000")
		w.Header().Set("RateLimit-Remaining", "2999")
		w.Header().Set("RateLimit-Reset", strconv.FormatInt(now.Add(5*time.Minute).Unix(), 10))
		w.Header().Set("RateLimit-Policy", "3000;w=300")
		h.ServeHTTP(w, r)
	})
}

// writeFault answers an injected fault in the platform's own shape. Status
// 429 answers RateLimitExceeded with RateLimit-Reset (Unix seconds) at
// now+Reset; 5xx answers InternalServerError. Faults apply to both entryway
// and PDS.
func (s *Server) writeFault(w http.ResponseWriter, r *http.Request, f fault.Fault) {
	if f.Status == http.StatusTooManyRequests {
		w.Header().Set("RateLimit-Limit", "3000")
		w.Header().Set("RateLimit-Remaining", "0")
		w.Header().Set("RateLimit-Reset", strconv.FormatInt(s.cfg.Now().Add(f.Reset).Unix(), 10))
		w.Header().Set("RateLimit-Policy", "3000;w=300")
		writeErr(w, http.StatusTooManyRequests, "RateLimitExceeded", "Rate Limit Exceeded")
		return
	}
	writeErr(w, f.Status, "InternalServerError", "Internal Server Error")
}

func token(prefix string) string {
	b := make([]byte, 16)
	rand.Read(b)
	return prefix + hex.EncodeToString(b)
}

func (s *Server) issue() map[string]any {
	now := s.cfg.Now()
	a, r := token("acc-"), token("ref-")
	s.access[a] = now.Add(s.cfg.AccessTTL)
	s.refresh[r] = now.Add(s.cfg.RefreshTTL)
	return map[string]any{
		"accessJwt": a, "refreshJwt": r, "handle": s.cfg.Handle, "did": s.cfg.DID, "active": true,
		"didDoc": map[string]any{
			"@context":    []string{"https://www.w3.org/ns/did/v1"},
			"id":          s.cfg.DID,
			"alsoKnownAs": []string{"at://" + s.cfg.Handle},
			"service": []map[string]any{
				{"id": "#atproto_pds", "type": "AtprotoPersonalDataServer", "serviceEndpoint": s.PDS.URL},
			},
		},
	}
}

func (s *Server) createSession(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Identifier string `json:"identifier"`
		Password   string `json:"password"`
	}
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<16)).Decode(&in); err != nil || in.Identifier == "" {
		writeErr(w, http.StatusBadRequest, "InvalidRequest", "Input must have the property \"identifier\"")
		return
	}
	now := s.cfg.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	recent := 0
	for _, t := range s.sessions {
		if now.Sub(t) < 5*time.Minute {
			recent++
		}
	}
	if recent >= s.cfg.SessionLimit {
		w.Header().Set("RateLimit-Remaining", "0")
		w.Header().Set("RateLimit-Reset", strconv.FormatInt(s.sessions[len(s.sessions)-s.cfg.SessionLimit].Add(5*time.Minute).Unix(), 10))
		writeErr(w, http.StatusTooManyRequests, "RateLimitExceeded", "Rate Limit Exceeded")
		return
	}
	id := strings.TrimPrefix(in.Identifier, "@")
	if (id != s.cfg.Handle && id != s.cfg.DID) || in.Password != s.cfg.AppPassword {
		writeErr(w, http.StatusUnauthorized, "AuthenticationRequired", "Invalid identifier or password")
		return
	}
	s.sessions = append(s.sessions, now)
	writeJSON(w, http.StatusOK, s.issue())
}

func bearer(r *http.Request) string {
	t, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	return t
}

func (s *Server) refreshSession(w http.ResponseWriter, r *http.Request) {
	tok := bearer(r)
	s.mu.Lock()
	defer s.mu.Unlock()
	exp, ok := s.refresh[tok]
	if s.refused(w, tok, false, ok, exp) {
		return
	}
	// Refresh tokens are single use: rotation.
	delete(s.refresh, tok)
	s.refreshes++
	writeJSON(w, http.StatusOK, s.issue())
}

// refused answers a token the PDS does not take, in the order it checks:
// none, the wrong kind (a refresh token where an access token belongs),
// unknown, expired; it reports whether it answered.
func (s *Server) refused(w http.ResponseWriter, tok string, wrongKind, known bool, exp time.Time) bool {
	switch {
	case tok == "":
		writeErr(w, http.StatusUnauthorized, "AuthenticationRequired", "Authentication Required")
	case wrongKind:
		writeErr(w, http.StatusBadRequest, "InvalidToken", "Bad token scope")
	case !known:
		writeErr(w, http.StatusBadRequest, "InvalidToken", "Token could not be verified")
	case !s.cfg.Now().Before(exp):
		writeErr(w, http.StatusBadRequest, "ExpiredToken", "Token has expired")
	default:
		return false
	}
	return true
}

// authed checks the access token the way the PDS does.
func (s *Server) authed(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		tok := bearer(r)
		s.mu.Lock()
		exp, ok := s.access[tok]
		_, isRefresh := s.refresh[tok]
		s.mu.Unlock()
		if !s.refused(w, tok, isRefresh, ok, exp) {
			h(w, r)
		}
	}
}

func cidOf(b []byte) string {
	sum := sha256.Sum256(b)
	return "bafkrei" + hex.EncodeToString(sum[:])[:52]
}

func (s *Server) uploadBlob(w http.ResponseWriter, r *http.Request) {
	mt := r.Header.Get("Content-Type")
	if mt == "" {
		writeErr(w, http.StatusBadRequest, "InvalidRequest", "Request encoding (Content-Type) required but not provided")
		return
	}
	data, err := io.ReadAll(io.LimitReader(r.Body, int64(s.cfg.MaxBlob)+1))
	if err != nil {
		writeErr(w, http.StatusBadRequest, "InvalidRequest", "could not read body")
		return
	}
	if len(data) > s.cfg.MaxBlob {
		writeErr(w, http.StatusRequestEntityTooLarge, "PayloadTooLarge", "request entity too large")
		return
	}
	b := &Blob{CID: cidOf(data), MIME: mt, Data: data}
	s.mu.Lock()
	s.blobs[b.CID] = b
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"blob": map[string]any{"$type": "blob", "ref": map[string]string{"$link": b.CID}, "mimeType": mt, "size": len(data)}})
}

type blobRef struct {
	Type string `json:"$type"`
	Ref  struct {
		Link string `json:"$link"`
	} `json:"ref"`
	MimeType string `json:"mimeType"`
	Size     int    `json:"size"`
}

type postRecord struct {
	Type      string   `json:"$type"`
	Text      *string  `json:"text"`
	CreatedAt string   `json:"createdAt"`
	Langs     []string `json:"langs"`
	Facets    []struct {
		Index struct {
			ByteStart *int `json:"byteStart"`
			ByteEnd   *int `json:"byteEnd"`
		} `json:"index"`
		Features []map[string]any `json:"features"`
	} `json:"facets"`
	Embed *struct {
		Type   string `json:"$type"`
		Images []struct {
			Alt         *string  `json:"alt"`
			Image       *blobRef `json:"image"`
			AspectRatio *struct {
				Width  int `json:"width"`
				Height int `json:"height"`
			} `json:"aspectRatio"`
		} `json:"images"`
	} `json:"embed"`
}

// validate applies the app.bsky.feed.post lexicon; "" means valid.
func (s *Server) validate(p postRecord) string {
	bad := func(f string, a ...any) string { return "Invalid app.bsky.feed.post record: " + fmt.Sprintf(f, a...) }
	if p.Type != Collection {
		return fmt.Sprintf("Invalid $type: expected %s, got %s", Collection, p.Type)
	}
	if p.Text == nil {
		return bad(`Record must have the property "text"`)
	}
	text := *p.Text
	if n := uniseg.GraphemeClusterCount(text); n > 300 {
		return bad("Record/text must not be longer than 300 graphemes")
	}
	if len(text) > 3000 {
		return bad("Record/text must not be longer than 3000 characters")
	}
	if _, err := time.Parse(time.RFC3339Nano, p.CreatedAt); err != nil {
		return bad("Record/createdAt must be an valid atproto datetime (both RFC-3339 and ISO-8601)")
	}
	if len(p.Langs) > 3 {
		return bad("Record/langs must not have more than 3 elements")
	}
	for i, f := range p.Facets {
		if f.Index.ByteStart == nil || f.Index.ByteEnd == nil || *f.Index.ByteStart < 0 || *f.Index.ByteEnd < *f.Index.ByteStart {
			return bad("Record/facets/%d/index is invalid", i)
		}
		if len(f.Features) == 0 {
			return bad("Record/facets/%d/features must not be empty", i)
		}
		for _, ft := range f.Features {
			switch ft["$type"] {
			case "app.bsky.richtext.facet#link":
				if u, _ := ft["uri"].(string); u == "" {
					return bad(`Record/facets/%d/features must have the property "uri"`, i)
				}
			case "app.bsky.richtext.facet#tag":
				tag, _ := ft["tag"].(string)
				if tag == "" || strings.HasPrefix(tag, "#") || uniseg.GraphemeClusterCount(tag) > 64 {
					return bad("Record/facets/%d/features/tag is invalid", i)
				}
			case "app.bsky.richtext.facet#mention":
			default:
				return bad("Record/facets/%d/features has an unknown $type", i)
			}
		}
	}
	if p.Embed == nil {
		return ""
	}
	switch p.Embed.Type {
	case "app.bsky.embed.images":
	case "app.bsky.embed.external":
		return ""
	default:
		return bad("Record/embed $type %s is not supported here", p.Embed.Type)
	}
	if len(p.Embed.Images) > 4 {
		return bad("Record/embed/images must not have more than 4 elements")
	}
	for i, im := range p.Embed.Images {
		if im.Alt == nil {
			return bad(`Record/embed/images/%d must have the property "alt"`, i)
		}
		if im.Image == nil || im.Image.Type != "blob" {
			return bad(`Record/embed/images/%d must have the property "image"`, i)
		}
		if !strings.HasPrefix(im.Image.MimeType, "image/") {
			return bad("Record/embed/images/%d/image mimeType (%s) does not match accepted types: image/*", i, im.Image.MimeType)
		}
		if im.AspectRatio != nil && (im.AspectRatio.Width < 1 || im.AspectRatio.Height < 1) {
			return bad("Record/embed/images/%d/aspectRatio/width can not be less than 1", i)
		}
		b := s.blobs[im.Image.Ref.Link]
		if b == nil {
			return "Could not find blob: " + im.Image.Ref.Link
		}
		if len(b.Data) > 1_000_000 {
			return bad("Record/embed/images/%d/image file too large. %d bytes, max 1000000", i, len(b.Data))
		}
	}
	return ""
}

const tidChars = "234567abcdefghijklmnopqrstuvwxyz"

// tid makes a sortable 13-character record key.
func tid(n int) string {
	b := []byte("3l22222222222")
	for i := len(b) - 1; i >= 2 && n > 0; i-- {
		b[i] = tidChars[n%32]
		n /= 32
	}
	return string(b)
}

func (s *Server) createRecord(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Repo       string          `json:"repo"`
		Collection string          `json:"collection"`
		Record     json.RawMessage `json:"record"`
	}
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&in); err != nil {
		writeErr(w, http.StatusBadRequest, "InvalidRequest", "Request body is not valid JSON")
		return
	}
	if in.Repo != s.cfg.DID && in.Repo != s.cfg.Handle {
		writeErr(w, http.StatusBadRequest, "InvalidRequest", "Could not find repo: "+in.Repo)
		return
	}
	if in.Collection != Collection {
		writeErr(w, http.StatusBadRequest, "InvalidRequest", "Unsupported collection: "+in.Collection)
		return
	}
	var p postRecord
	if err := json.Unmarshal(in.Record, &p); err != nil {
		writeErr(w, http.StatusBadRequest, "InvalidRequest", "Invalid app.bsky.feed.post record: Record must be an object")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if msg := s.validate(p); msg != "" {
		writeErr(w, http.StatusBadRequest, "InvalidRequest", msg)
		return
	}
	var reply struct {
		Reply *struct {
			Root, Parent struct{ URI, CID string }
		} `json:"reply"`
	}
	json.Unmarshal(in.Record, &reply)
	if reply.Reply != nil && (reply.Reply.Root.URI == "" || reply.Reply.Root.CID == "" || reply.Reply.Parent.URI == "" || reply.Reply.Parent.CID == "") {
		writeErr(w, http.StatusBadRequest, "InvalidRequest", "Invalid app.bsky.feed.post record: Record/reply must have the properties \"root\" and \"parent\" with uri and cid")
		return
	}
	s.seq++
	rec := &Record{RKey: tid(s.seq), Value: in.Record, Text: *p.Text, CreatedAt: p.CreatedAt}
	if reply.Reply != nil {
		rec.ParentURI, rec.RootURI = reply.Reply.Parent.URI, reply.Reply.Root.URI
	}
	rec.URI = "at://" + s.cfg.DID + "/" + Collection + "/" + rec.RKey
	rec.CID = "bafyrei" + cidOf(in.Record)[7:]
	s.records = append(s.records, rec)
	writeJSON(w, http.StatusOK, map[string]any{"uri": rec.URI, "cid": rec.CID,
		"commit": map[string]string{"cid": cidOf([]byte(rec.URI)), "rev": rec.RKey}, "validationStatus": "valid"})
}

func (s *Server) deleteRecord(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Repo       string `json:"repo"`
		Collection string `json:"collection"`
		RKey       string `json:"rkey"`
	}
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<16)).Decode(&in); err != nil || in.RKey == "" {
		writeErr(w, http.StatusBadRequest, "InvalidRequest", `Input must have the property "rkey"`)
		return
	}
	if in.Repo != s.cfg.DID && in.Repo != s.cfg.Handle {
		writeErr(w, http.StatusBadRequest, "InvalidRequest", "Could not find repo: "+in.Repo)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	// Deleting a record that does not exist succeeds, as on a real PDS.
	for _, rec := range s.records {
		if rec.RKey == in.RKey && in.Collection == Collection {
			rec.Deleted = true
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"commit": map[string]string{"cid": cidOf([]byte(in.RKey)), "rev": in.RKey}})
}

func (s *Server) listRecords(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("repo") != s.cfg.DID && q.Get("repo") != s.cfg.Handle {
		writeErr(w, http.StatusBadRequest, "InvalidRequest", "Could not find repo: "+q.Get("repo"))
		return
	}
	limit := fakeplatform.PageSize(r, "limit", 50, 0)
	if limit > 100 {
		writeErr(w, http.StatusBadRequest, "InvalidRequest", "limit can not be greater than 100")
		return
	}
	cursor := q.Get("cursor")
	s.mu.Lock()
	defer s.mu.Unlock()
	var live []*Record
	if q.Get("collection") == Collection {
		for _, rec := range s.records {
			if !rec.Deleted {
				live = append(live, rec)
			}
		}
	}
	// Newest first (descending rkey), as the PDS lists by default.
	slices.SortFunc(live, func(a, b *Record) int { return strings.Compare(b.RKey, a.RKey) })
	out := []map[string]any{}
	next := ""
	for _, rec := range live {
		if cursor != "" && rec.RKey >= cursor {
			continue
		}
		if len(out) == limit {
			break
		}
		out = append(out, map[string]any{"uri": rec.URI, "cid": rec.CID, "value": rec.Value})
		next = rec.RKey
	}
	resp := map[string]any{"records": out}
	if len(out) == limit {
		resp["cursor"] = next
	}
	writeJSON(w, http.StatusOK, resp)
}

func (s *Server) getPosts(w http.ResponseWriter, r *http.Request) {
	uris := r.URL.Query()["uris"]
	if len(uris) > 25 {
		writeErr(w, http.StatusBadRequest, "InvalidRequest", "uris must not have more than 25 elements")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	posts := []map[string]any{}
	for _, u := range uris {
		for _, rec := range s.records {
			if rec.URI == u && !rec.Deleted {
				posts = append(posts, map[string]any{
					"uri": rec.URI, "cid": rec.CID, "record": rec.Value, "indexedAt": rec.CreatedAt,
					"author":    s.author(rec),
					"likeCount": rec.Likes, "repostCount": rec.Reposts, "replyCount": rec.Replies, "quoteCount": rec.Quotes,
				})
			}
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"posts": posts})
}

// getProfile answers app.bsky.actor.getProfile for the account itself.
func (s *Server) getProfile(w http.ResponseWriter, r *http.Request) {
	actor := r.URL.Query().Get("actor")
	if actor != s.cfg.DID && actor != s.cfg.Handle {
		writeErr(w, http.StatusBadRequest, "InvalidRequest", "Profile not found")
		return
	}
	s.mu.Lock()
	n, _ := s.Followers.Count()
	posts := 0
	for _, rec := range s.records {
		if !rec.Deleted {
			posts++
		}
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"did": s.cfg.DID, "handle": s.cfg.Handle, "followersCount": n, "followsCount": 3, "postsCount": posts})
}
