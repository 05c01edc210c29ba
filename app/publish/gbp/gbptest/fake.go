// Package gbptest is a Google Business Profile server for one location that
// follows docs/platform-contracts.md §4: v4 localPosts (STANDARD, EVENT,
// OFFER) with the field checks Google applies, photos really downloaded
// from media[].sourceUrl (and the post refused when the download fails, is
// too big or too small), posts that come back PROCESSING and become LIVE or
// REJECTED (a 200 either way), the Google error envelope, 429
// RESOURCE_EXHAUSTED, and a project whose quota is 0 because Google has
// not approved it. Tests only.
package gbptest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	_ "image/jpeg" // the fetched photo's header is decoded
	_ "image/png"
	"io"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"practicepost/app/publish/fault"
	"practicepost/app/publish/internal/fakeplatform"
)

// Config sets up the location. Zero values get the defaults noted.
type Config struct {
	AccountID  string // "1122334455"
	LocationID string // "9988776655"
	Title      string // "Smile Dental Clinic"
	Token      string // "g-token"
	// QuotaZero answers every call as a project Google has not approved.
	QuotaZero  bool
	MaxSummary int // 1500
	MinBytes   int // photo; 10 KB
	MaxBytes   int // photo; 5 MB
	MinSide    int // photo; 250 px
	// ProcessingPolls is how many reads a new post stays PROCESSING.
	ProcessingPolls int
	// RejectWords: a summary containing one ends REJECTED (Google's policy
	// review), still answered with HTTP 200.
	RejectWords []string
	Fetch       *http.Client     // downloads sourceUrl; 10 s timeout
	Now         func() time.Time // time.Now
	// AccountName names the account in discovery; "Smile Dental".
	AccountName string
	// OtherLocations are further locations discovery lists under the
	// account (a practice with two sites); posting to them is refused.
	OtherLocations []Location
	// MetricsSeed makes the location's daily metrics: each day's value of
	// each metric follows from the seed, so a test or a demo sees the same
	// figures every run. Days from today on have none yet.
	MetricsSeed uint64
}

// Location is one business location as discovery lists it.
type Location struct {
	ID, Title, Address string
}

// Post is a local post the fake holds.
type Post struct {
	Name      string
	Body      map[string]any // as received
	Summary   string
	Topic     string
	Action    string
	ActionURL string
	Photo     []byte
	SourceURL string
	Created   time.Time
	Polls     int
	Rejected  bool
	Deleted   bool
}

// Fetch records one download of a sourceUrl.
type Fetch = fakeplatform.Fetch

// Server is a running fake.
type Server struct {
	fakeplatform.Server
	cfg Config

	mu      sync.Mutex
	posts   []*Post
	next    int64
	expired bool
	reviews []*Review
	// removeAfterPage is a review to remove once a listing's first page is out.
	removeAfterPage string

	fakeplatform.Downloads // of every sourceUrl (Fetches)
}

// New starts a fake; call Close when done.
func New(cfg Config) *Server {
	fakeplatform.Default(&cfg.AccountID, "1122334455")
	fakeplatform.Default(&cfg.LocationID, "9988776655")
	fakeplatform.Default(&cfg.Title, "Smile Dental Clinic")
	fakeplatform.Default(&cfg.AccountName, "Smile Dental")
	fakeplatform.Default(&cfg.Token, "g-token")
	fakeplatform.Default(&cfg.MaxSummary, 1500)
	fakeplatform.Default(&cfg.MinBytes, 10<<10)
	fakeplatform.Default(&cfg.MaxBytes, 5<<20)
	fakeplatform.Default(&cfg.MinSide, 250)
	if cfg.Fetch == nil {
		cfg.Fetch = &http.Client{Timeout: 10 * time.Second}
	}
	fakeplatform.DefaultNow(&cfg.Now)
	s := &Server{cfg: cfg, next: 3000000000000000000}
	parent := "/v4/accounts/{a}/locations/{l}/localPosts"
	mux := http.NewServeMux()
	mux.HandleFunc("POST "+parent, s.create)
	mux.HandleFunc("GET "+parent, s.list)
	mux.HandleFunc("GET "+parent+"/{p}", s.get)
	mux.HandleFunc("DELETE "+parent+"/{p}", s.delete)
	mux.HandleFunc("GET /v4/accounts/{a}/locations/{l}/reviews", s.listReviews)
	mux.HandleFunc("GET /v4/accounts/{a}/locations/{l}/reviews/{r}", s.getReview)
	mux.HandleFunc("PUT /v4/accounts/{a}/locations/{l}/reviews/{r}/reply", s.putReply)
	mux.HandleFunc("DELETE /v4/accounts/{a}/locations/{l}/reviews/{r}/reply", s.deleteReply)
	mux.HandleFunc("GET /v1/locations/{l}", s.location)
	// Discovery: accounts (Account Management API) and their locations
	// (Business Information API), one host here as the fake serves both.
	mux.HandleFunc("GET /v1/accounts", s.accounts)
	mux.HandleFunc("GET /v1/accounts/{a}/locations", s.locations)
	s.Start(s.gate(mux), s.writeFault)
	return s
}

// Posts returns copies of every post ever created.
func (s *Server) Posts() []Post {
	s.mu.Lock()
	defer s.mu.Unlock()
	return fakeplatform.Copies(s.posts)
}

// Live counts posts that are on the profile (not rejected, not deleted).
func (s *Server) Live() int {
	n := 0
	for _, p := range s.Posts() {
		if !p.Rejected && !p.Deleted {
			n++
		}
	}
	return n
}

// ExpireToken answers 401 UNAUTHENTICATED from now on.
func (s *Server) ExpireToken() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.expired = true
}

func writeErr(w http.ResponseWriter, code int, status, msg string, details ...map[string]any) {
	e := map[string]any{"code": code, "message": msg, "status": status}
	if len(details) > 0 {
		e["details"] = details
	}
	fakeplatform.JSON(w, "application/json; charset=UTF-8", code, map[string]any{"error": e})
}

func invalid(w http.ResponseWriter, field, desc string) {
	writeErr(w, http.StatusBadRequest, "INVALID_ARGUMENT", "Request contains an invalid argument.", map[string]any{
		"@type":           "type.googleapis.com/google.rpc.BadRequest",
		"fieldViolations": []map[string]any{{"field": field, "description": desc}},
	})
}

func quotaErr(w http.ResponseWriter, limit string) {
	writeErr(w, http.StatusTooManyRequests, "RESOURCE_EXHAUSTED",
		"Quota exceeded for quota metric 'Requests' and limit 'Requests per minute' of service 'mybusiness.googleapis.com' for consumer 'project_number:448812345678'.",
		map[string]any{
			"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "RATE_LIMIT_EXCEEDED", "domain": "googleapis.com",
			"metadata": map[string]string{"quota_limit": "RequestsPerMinutePerProject", "quota_limit_value": limit,
				"quota_metric": "mybusiness.googleapis.com/default_requests", "service": "mybusiness.googleapis.com", "consumer": "projects/448812345678"},
		})
}

// writeFault answers an injected fault in the platform's own shape. Status
// 429 answers RESOURCE_EXHAUSTED (per-minute quota, no headers); 5xx
// answers INTERNAL/UNAVAILABLE in Google's envelope.
func (s *Server) writeFault(w http.ResponseWriter, r *http.Request, f fault.Fault) {
	switch {
	case f.Status == http.StatusTooManyRequests:
		quotaErr(w, "300")
	case f.Status == http.StatusServiceUnavailable:
		writeErr(w, f.Status, "UNAVAILABLE", "The service is currently unavailable.")
	case f.Status >= 500:
		writeErr(w, f.Status, "INTERNAL", "Internal error encountered.")
	case f.Status == http.StatusForbidden:
		writeErr(w, f.Status, "PERMISSION_DENIED", "The caller does not have permission")
	default:
		writeErr(w, f.Status, "FAILED_PRECONDITION", http.StatusText(f.Status))
	}
}

func (s *Server) gate(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		expired := s.expired
		s.mu.Unlock()
		if r.Header.Get("Authorization") != "Bearer "+s.cfg.Token || expired {
			writeErr(w, http.StatusUnauthorized, "UNAUTHENTICATED", "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.")
			return
		}
		if s.cfg.QuotaZero {
			quotaErr(w, "0")
			return
		}
		h.ServeHTTP(w, r)
	})
}

func (s *Server) mine(w http.ResponseWriter, r *http.Request) bool {
	if r.PathValue("a") != s.cfg.AccountID || r.PathValue("l") != s.cfg.LocationID {
		writeErr(w, http.StatusForbidden, "PERMISSION_DENIED", "The caller does not have permission")
		return false
	}
	return true
}

func (s *Server) location(w http.ResponseWriter, r *http.Request) {
	if id, ok := strings.CutSuffix(r.PathValue("l"), ":fetchMultiDailyMetricsTimeSeries"); ok {
		s.dailyMetrics(w, r, id)
		return
	}
	if r.URL.Query().Get("readMask") == "" {
		writeErr(w, http.StatusBadRequest, "INVALID_ARGUMENT", "Request contains an invalid argument: read_mask is required.")
		return
	}
	json.NewEncoder(w).Encode(map[string]any{"name": "locations/" + s.cfg.LocationID, "title": s.cfg.Title})
}

func (s *Server) accounts(w http.ResponseWriter, r *http.Request) {
	json.NewEncoder(w).Encode(map[string]any{"accounts": []map[string]any{{
		"name": "accounts/" + s.cfg.AccountID, "accountName": s.cfg.AccountName, "type": "PERSONAL",
		"verificationState": "VERIFIED", "vettedState": "NOT_VETTED",
	}}})
}

func (s *Server) locations(w http.ResponseWriter, r *http.Request) {
	if r.PathValue("a") != s.cfg.AccountID {
		writeErr(w, http.StatusForbidden, "PERMISSION_DENIED", "The caller does not have permission")
		return
	}
	if r.URL.Query().Get("readMask") == "" {
		writeErr(w, http.StatusBadRequest, "INVALID_ARGUMENT", "Request contains an invalid argument: read_mask is required.")
		return
	}
	all := append([]Location{{ID: s.cfg.LocationID, Title: s.cfg.Title, Address: "12 High Street"}}, s.cfg.OtherLocations...)
	out := make([]map[string]any, 0, len(all))
	for _, l := range all {
		out = append(out, map[string]any{"name": "locations/" + l.ID, "title": l.Title,
			"storefrontAddress": map[string]any{"addressLines": []string{l.Address}, "locality": "Bristol", "regionCode": "GB"}})
	}
	json.NewEncoder(w).Encode(map[string]any{"locations": out})
}

// fetch downloads a photo as Google does and checks it.
func (s *Server) fetch(u string) ([]byte, string) {
	data, status, err := s.Download(s.cfg.Fetch, u, s.cfg.MaxBytes)
	switch {
	case status == 0:
		return nil, "Could not fetch media from the provided URL."
	case err != nil || status != http.StatusOK:
		return nil, fmt.Sprintf("Could not fetch media from the provided URL (HTTP %d).", status)
	case len(data) > s.cfg.MaxBytes:
		return nil, "Photo is too large. The maximum size is 5 MB."
	case len(data) < s.cfg.MinBytes:
		return nil, "Photo is too small. The minimum size is 10 KB."
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil || (format != "jpeg" && format != "png") {
		return nil, "Unsupported photo format. Use JPG or PNG."
	}
	if cfg.Width < s.cfg.MinSide || cfg.Height < s.cfg.MinSide {
		return nil, fmt.Sprintf("Photo is %dx%d; the minimum is 250x250.", cfg.Width, cfg.Height)
	}
	return data, ""
}

type date struct{ Year, Month, Day int }

func (d date) valid() bool {
	return d.Year > 0 && d.Month >= 1 && d.Month <= 12 && d.Day >= 1 && d.Day <= 31
}

func (s *Server) create(w http.ResponseWriter, r *http.Request) {
	if !s.mine(w, r) {
		return
	}
	raw, _ := io.ReadAll(r.Body)
	var in struct {
		Summary      string `json:"summary"`
		TopicType    string `json:"topicType"`
		CallToAction *struct {
			ActionType string `json:"actionType"`
			URL        string `json:"url"`
		} `json:"callToAction"`
		Event *struct {
			Title    string `json:"title"`
			Schedule *struct {
				StartDate date `json:"startDate"`
				EndDate   date `json:"endDate"`
			} `json:"schedule"`
		} `json:"event"`
		Media []struct {
			MediaFormat string `json:"mediaFormat"`
			SourceURL   string `json:"sourceUrl"`
		} `json:"media"`
	}
	var body map[string]any
	if json.Unmarshal(raw, &in) != nil || json.Unmarshal(raw, &body) != nil {
		writeErr(w, http.StatusBadRequest, "INVALID_ARGUMENT", "Invalid JSON payload received.")
		return
	}
	switch in.TopicType {
	case "STANDARD", "EVENT", "OFFER", "ALERT":
	case "":
		invalid(w, "topic_type", "Topic type is required.")
		return
	default:
		invalid(w, "topic_type", "Invalid value for topic_type: "+in.TopicType)
		return
	}
	if n := len([]rune(in.Summary)); n > s.cfg.MaxSummary {
		invalid(w, "summary", fmt.Sprintf("Summary is %d characters; the maximum is %d.", n, s.cfg.MaxSummary))
		return
	}
	if in.TopicType == "EVENT" || in.TopicType == "OFFER" {
		if in.Event == nil || in.Event.Title == "" || in.Event.Schedule == nil || !in.Event.Schedule.StartDate.valid() || !in.Event.Schedule.EndDate.valid() {
			invalid(w, "event", "Event title and schedule are required for "+in.TopicType+" posts.")
			return
		}
	}
	action, target := "", ""
	if in.CallToAction != nil && in.TopicType != "OFFER" {
		action, target = in.CallToAction.ActionType, in.CallToAction.URL
		if !slices.Contains([]string{"BOOK", "ORDER", "SHOP", "LEARN_MORE", "SIGN_UP", "CALL"}, action) {
			invalid(w, "call_to_action.action_type", "Invalid action type: "+action)
			return
		}
		if action != "CALL" && !strings.HasPrefix(target, "http") {
			invalid(w, "call_to_action.url", "A URL is required for this action type.")
			return
		}
	}
	if in.Summary == "" && len(in.Media) == 0 && in.TopicType == "STANDARD" {
		invalid(w, "summary", "Summary or media is required.")
		return
	}
	p := &Post{Body: body, Summary: in.Summary, Topic: in.TopicType, Action: action, ActionURL: target}
	if len(in.Media) > 0 {
		if in.Media[0].MediaFormat != "PHOTO" || in.Media[0].SourceURL == "" {
			invalid(w, "media[0]", "media_format PHOTO with a source_url is required.")
			return
		}
		data, why := s.fetch(in.Media[0].SourceURL)
		if why != "" {
			invalid(w, "media[0].source_url", why)
			return
		}
		p.Photo, p.SourceURL = data, in.Media[0].SourceURL
	}
	lower := strings.ToLower(in.Summary)
	for _, word := range s.cfg.RejectWords {
		if strings.Contains(lower, strings.ToLower(word)) {
			p.Rejected = true
		}
	}
	s.mu.Lock()
	s.next += 7
	p.Name = "accounts/" + s.cfg.AccountID + "/locations/" + s.cfg.LocationID + "/localPosts/" + strconv.FormatInt(s.next, 10)
	p.Created = s.cfg.Now()
	s.posts = append(s.posts, p)
	out := s.view(p)
	s.mu.Unlock()
	json.NewEncoder(w).Encode(out)
}

func (s *Server) state(p *Post) string {
	switch {
	case p.Polls < s.cfg.ProcessingPolls:
		return "PROCESSING"
	case p.Rejected:
		return "REJECTED"
	}
	return "LIVE"
}

func (s *Server) view(p *Post) map[string]any {
	out := map[string]any{}
	for k, v := range p.Body {
		out[k] = v
	}
	out["name"] = p.Name
	out["state"] = s.state(p)
	out["createTime"] = p.Created.UTC().Format(time.RFC3339Nano)
	out["updateTime"] = p.Created.UTC().Format(time.RFC3339Nano)
	if out["state"] == "LIVE" {
		out["searchUrl"] = "https://local.google.com/place?id=" + s.cfg.LocationID + "&use=posts&lpsid=" + p.Name[strings.LastIndex(p.Name, "/")+1:]
	}
	if p.SourceURL != "" {
		// Google serves its own copy; the sourceUrl is not echoed.
		out["media"] = []map[string]any{{"mediaFormat": "PHOTO", "googleUrl": "https://lh3.googleusercontent.com/p/" + strconv.Itoa(len(p.Photo))}}
	}
	return out
}

func (s *Server) find(name string) *Post {
	return fakeplatform.Find(s.posts, func(p *Post) bool { return p.Name == name && !p.Deleted })
}

// withPost runs f on the local post the path names under the fake's lock;
// a missing or deleted one is answered 404 NOT_FOUND.
func (s *Server) withPost(w http.ResponseWriter, r *http.Request, f func(*Post)) {
	fakeplatform.Locked(&s.mu, func() *Post { return s.find(strings.TrimPrefix(r.URL.Path, "/v4/")) }, f, func() { notFound(w) })
}

// notFound is Google's answer for a missing or deleted entity.
func notFound(w http.ResponseWriter) {
	writeErr(w, http.StatusNotFound, "NOT_FOUND", "Requested entity was not found.")
}

func (s *Server) get(w http.ResponseWriter, r *http.Request) {
	if !s.mine(w, r) {
		return
	}
	s.withPost(w, r, func(p *Post) {
		p.Polls++
		json.NewEncoder(w).Encode(s.view(p))
	})
}

func (s *Server) list(w http.ResponseWriter, r *http.Request) {
	if !s.mine(w, r) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var sel []*Post
	for _, p := range s.posts {
		if !p.Deleted {
			sel = append(sel, p)
		}
	}
	sort.SliceStable(sel, func(i, j int) bool { return sel[i].Created.After(sel[j].Created) })
	out := make([]map[string]any, 0, len(sel))
	for _, p := range sel {
		out = append(out, s.view(p))
	}
	if len(out) == 0 {
		// Google sends {} for an empty list.
		json.NewEncoder(w).Encode(map[string]any{})
		return
	}
	json.NewEncoder(w).Encode(map[string]any{"localPosts": out})
}

func (s *Server) delete(w http.ResponseWriter, r *http.Request) {
	if !s.mine(w, r) {
		return
	}
	s.withPost(w, r, func(p *Post) {
		p.Deleted = true
		json.NewEncoder(w).Encode(map[string]any{})
	})
}

// dailyMetrics answers locations.fetchMultiDailyMetricsTimeSeries as the
// Business Profile Performance API does: one series per metric asked for,
// int64 values as strings, and the value left out on a day with zero.
func (s *Server) dailyMetrics(w http.ResponseWriter, r *http.Request, location string) {
	if location != s.cfg.LocationID {
		writeErr(w, http.StatusForbidden, "PERMISSION_DENIED", "The caller does not have permission")
		return
	}
	q := r.URL.Query()
	date := func(which string) (time.Time, bool) {
		y, err1 := strconv.Atoi(q.Get("dailyRange." + which + ".year"))
		m, err2 := strconv.Atoi(q.Get("dailyRange." + which + ".month"))
		d, err3 := strconv.Atoi(q.Get("dailyRange." + which + ".day"))
		return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC), err1 == nil && err2 == nil && err3 == nil
	}
	from, ok1 := date("startDate")
	to, ok2 := date("endDate")
	metrics := q["dailyMetrics"]
	if !ok1 || !ok2 || to.Before(from) || len(metrics) == 0 {
		writeErr(w, http.StatusBadRequest, "INVALID_ARGUMENT", "Request contains an invalid argument.")
		return
	}
	today := s.cfg.Now().UTC().Truncate(24 * time.Hour)
	var series []map[string]any
	for _, m := range metrics {
		var values []map[string]any
		for d := from; !d.After(to) && d.Before(today); d = d.AddDate(0, 0, 1) {
			dv := map[string]any{"date": map[string]int{"year": d.Year(), "month": int(d.Month()), "day": d.Day()}}
			if v := s.metricValue(m, d); v != 0 {
				dv["value"] = strconv.Itoa(v)
			}
			values = append(values, dv)
		}
		series = append(series, map[string]any{"dailyMetric": m, "timeSeries": map[string]any{"datedValues": values}})
	}
	json.NewEncoder(w).Encode(map[string]any{"multiDailyMetricTimeSeries": []map[string]any{{"dailyMetricTimeSeries": series}}})
}

// DailyValue is the seeded figure of one metric on one day: 0..19 for
// impressions series, 0..4 for actions (some days are zero).
func (s *Server) DailyValue(metric string, d time.Time) int { return s.metricValue(metric, d) }

func (s *Server) metricValue(metric string, d time.Time) int {
	h := s.cfg.MetricsSeed ^ uint64(d.Unix()/86400)*0x9E3779B97F4A7C15
	for _, c := range metric {
		h = (h ^ uint64(c)) * 0x100000001B3
	}
	if strings.HasPrefix(metric, "BUSINESS_IMPRESSIONS") {
		return int(h % 20)
	}
	return int(h % 5)
}
