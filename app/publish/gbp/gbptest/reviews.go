package gbptest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"practicepost/app/publish/internal/fakeplatform"
)

// Review is a review of the location (platform-contracts.md §13.4).
type Review struct {
	ID          string
	Reviewer    string // display name; "" when anonymous
	Stars       int    // 1..5
	Comment     string // "" for a rating-only review
	Created     time.Time
	Updated     time.Time
	Reply       string
	ReplyAt     time.Time
	ReplyState  string // "" until a reply exists; then PENDING/APPROVED/REJECTED
	Removed     bool
	RejectReply bool // moderation rejects the next reply after accepting it
}

var starNames = []string{"STAR_RATING_UNSPECIFIED", "ONE", "TWO", "THREE", "FOUR", "FIVE"}

// AddReview puts a review on the location and returns its id.
func (s *Server) AddReview(reviewer string, stars int, comment string, at time.Time) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.next++
	id := "AbFvOq" + strconv.FormatInt(s.next, 36)
	s.reviews = append(s.reviews, &Review{ID: id, Reviewer: reviewer, Stars: stars, Comment: comment, Created: at, Updated: at})
	return id
}

// Reviews returns copies of every review, removed ones included.
func (s *Server) Reviews() []Review {
	s.mu.Lock()
	defer s.mu.Unlock()
	return fakeplatform.Copies(s.reviews)
}

// EditReview is the reviewer changing their review: new stars and words,
// and its updateTime moves on to at.
func (s *Server) EditReview(id string, stars int, comment string, at time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r := s.review(id); r != nil {
		r.Stars, r.Comment, r.Updated = stars, comment, at
	}
}

// RemoveReview takes a review off the profile (its author deleted it, or
// Google removed it), as between two pages of a listing.
func (s *Server) RemoveReview(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r := s.review(id); r != nil {
		r.Removed = true
	}
}

// RemoveAfterFirstPage removes review id right after the first page of the
// next listing is served (contracts §13.8: a review vanishes between
// pageTokens).
func (s *Server) RemoveAfterFirstPage(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.removeAfterPage = id
}

// RejectNextReply makes moderation reject the next reply to review id after
// the API accepted it (contracts §13.0.2).
func (s *Server) RejectNextReply(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r := s.review(id); r != nil {
		r.RejectReply = true
	}
}

func (s *Server) review(id string) *Review {
	return fakeplatform.Find(s.reviews, func(r *Review) bool { return r.ID == id && !r.Removed })
}

// withReview runs f on review {r} under the fake's lock; a missing or
// removed one is answered 404 NOT_FOUND.
func (s *Server) withReview(w http.ResponseWriter, r *http.Request, f func(*Review)) {
	fakeplatform.Locked(&s.mu, func() *Review { return s.review(r.PathValue("r")) }, f, func() { notFound(w) })
}

func (s *Server) reviewView(r *Review) map[string]any {
	name := fmt.Sprintf("accounts/%s/locations/%s/reviews/%s", s.cfg.AccountID, s.cfg.LocationID, r.ID)
	m := map[string]any{"name": name, "reviewId": r.ID, "starRating": starNames[r.Stars],
		"createTime": r.Created.UTC().Format(time.RFC3339Nano), "updateTime": r.Updated.UTC().Format(time.RFC3339Nano),
		"reviewer":       map[string]any{"displayName": r.Reviewer, "isAnonymous": r.Reviewer == ""},
		"reviewReplyUrl": "https://search.google.com/local/reviews?placeid=fake&review=" + r.ID}
	if r.Reviewer == "" {
		m["reviewer"] = map[string]any{"isAnonymous": true}
	}
	if r.Comment != "" {
		m["comment"] = r.Comment
	}
	if r.Reply != "" {
		m["reviewReply"] = map[string]any{"comment": r.Reply, "updateTime": r.ReplyAt.UTC().Format(time.RFC3339Nano), "replyState": r.ReplyState}
	}
	return m
}

// listReviews serves reviews.list: pageSize ≤ 50 (larger is refused), a
// pageToken that is the index of the next review, newest update first.
func (s *Server) listReviews(w http.ResponseWriter, r *http.Request) {
	if !s.mine(w, r) {
		return
	}
	q := r.URL.Query()
	size := 50
	if v := q.Get("pageSize"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 50 {
			invalid(w, "page_size", "Page size must be between 1 and 50.")
			return
		}
		size = n
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var live []*Review
	for i := len(s.reviews) - 1; i >= 0; i-- {
		if !s.reviews[i].Removed {
			live = append(live, s.reviews[i])
		}
	}
	start := 0
	if t := q.Get("pageToken"); t != "" {
		n, err := strconv.Atoi(t)
		if err != nil || n < 0 {
			invalid(w, "page_token", "Invalid page token.")
			return
		}
		start = min(n, len(live))
	}
	end := min(start+size, len(live))
	out := []map[string]any{}
	sum := 0
	for _, rv := range live {
		sum += rv.Stars
	}
	for _, rv := range live[start:end] {
		out = append(out, s.reviewView(rv))
	}
	body := map[string]any{"reviews": out, "totalReviewCount": len(live)}
	if len(live) > 0 {
		body["averageRating"] = float64(sum) / float64(len(live))
	}
	if end < len(live) {
		body["nextPageToken"] = strconv.Itoa(end)
		if id := s.removeAfterPage; id != "" {
			s.removeAfterPage = ""
			if rv := s.review(id); rv != nil {
				rv.Removed = true
			}
		}
	}
	writeJSON(w, body)
}

// getReview serves reviews.get.
func (s *Server) getReview(w http.ResponseWriter, r *http.Request) {
	if !s.mine(w, r) {
		return
	}
	s.withReview(w, r, func(rv *Review) {
		writeJSON(w, s.reviewView(rv))
	})
}

// putReply serves PUT …/reviews/{r}/reply {"comment"}: creates or replaces.
func (s *Server) putReply(w http.ResponseWriter, r *http.Request) {
	if !s.mine(w, r) {
		return
	}
	var body struct {
		Comment string `json:"comment"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil || body.Comment == "" {
		invalid(w, "comment", "Reply comment is required.")
		return
	}
	if len(body.Comment) > 4096 {
		invalid(w, "comment", "Reply comment is too long.")
		return
	}
	s.withReview(w, r, func(rv *Review) {
		rv.Reply, rv.ReplyAt, rv.ReplyState = body.Comment, s.cfg.Now(), "PENDING"
		resp := map[string]any{"comment": rv.Reply, "updateTime": rv.ReplyAt.UTC().Format(time.RFC3339Nano), "replyState": "PENDING"}
		if rv.RejectReply {
			rv.RejectReply = false
			rv.ReplyState = "REJECTED"
		} else {
			rv.ReplyState = "APPROVED"
		}
		writeJSON(w, resp)
	})
}

// deleteReply serves DELETE …/reviews/{r}/reply.
func (s *Server) deleteReply(w http.ResponseWriter, r *http.Request) {
	if !s.mine(w, r) {
		return
	}
	s.withReview(w, r, func(rv *Review) {
		rv.Reply, rv.ReplyState = "", ""
		writeJSON(w, map[string]any{})
	})
}

func writeJSON(w http.ResponseWriter, v any) {
	fakeplatform.JSON(w, "application/json; charset=UTF-8", http.StatusOK, v)
}
