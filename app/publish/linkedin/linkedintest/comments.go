package linkedintest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"practicepost/app/publish/internal/fakeplatform"
)

// Comment is a comment on a post, or a reply under one (contracts §13.3).
type Comment struct {
	URN      string // urn:li:comment:(urn:li:activity:A,C)
	ID       string // C
	Object   string // the activity URN, which differs from the share URN queried
	PostURN  string // the share the comment belongs to
	Parent   string // the parent comment's URN for replies
	Actor    string // urn:li:person:… or the organisation
	Text     string
	Created  time.Time
	Modified time.Time
	Deleted  bool
}

// AddComment puts a member's comment on post (or, with parentURN, a reply)
// and returns its URN.
func (s *Server) AddComment(postURN, parentURN, person, text string, at time.Time) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addComment(postURN, parentURN, "urn:li:person:"+person, text, at).URN
}

func (s *Server) addComment(postURN, parentURN, actor, text string, at time.Time) *Comment {
	s.next++
	activity := "urn:li:activity:" + strconv.FormatInt(7000000000000000000+int64(len(postURN))*1000+int64(len(s.comments)), 10)
	for _, c := range s.comments {
		if c.PostURN == postURN {
			activity = c.Object // one activity per post
			break
		}
	}
	id := strconv.FormatInt(s.next, 10)
	c := &Comment{URN: fmt.Sprintf("urn:li:comment:(%s,%s)", activity, id), ID: id, Object: activity, PostURN: postURN, Parent: parentURN,
		Actor: actor, Text: text, Created: at, Modified: at}
	s.comments = append(s.comments, c)
	return c
}

// DeleteComment deletes the comment urn as its author would.
func (s *Server) DeleteComment(urn string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.markDeleted(urn)
}

// markDeleted deletes comment urn; the caller holds the fake's lock.
func (s *Server) markDeleted(urn string) {
	for _, c := range s.comments {
		if c.URN == urn {
			c.Deleted = true
		}
	}
}

// DeleteAfterFirstPage deletes the comment urn right after the first page
// of the next listing is served: paging.total shrinks between pages
// (contracts §13.8).
func (s *Server) DeleteAfterFirstPage(urn string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.deleteAfterPage = urn
}

// EditComment changes a comment's words, as its author would.
func (s *Server) EditComment(urn, text string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range s.comments {
		if c.URN == urn {
			c.Text, c.Modified = text, s.cfg.Now()
		}
	}
}

// Comments returns copies of every comment.
func (s *Server) Comments() []Comment {
	s.mu.Lock()
	defer s.mu.Unlock()
	return fakeplatform.Copies(s.comments)
}

func (s *Server) commentJSON(c *Comment) map[string]any {
	m := map[string]any{"$URN": c.URN, "id": c.ID, "actor": c.Actor, "object": c.Object,
		"message":      map[string]any{"text": c.Text, "attributes": []any{}},
		"created":      map[string]any{"actor": c.Actor, "time": c.Created.UnixMilli()},
		"lastModified": map[string]any{"actor": c.Actor, "time": c.Modified.UnixMilli()}}
	if c.Parent != "" {
		m["parentComment"] = c.Parent
	}
	n := 0
	for _, r := range s.comments {
		if r.Parent == c.URN && !r.Deleted {
			n++
		}
	}
	m["commentsSummary"] = map[string]any{"totalFirstLevelComments": n, "aggregatedTotalComments": n, "selectedComments": []any{}}
	return m
}

func (s *Server) postExists(urn string) bool { return s.find(urn) != nil }

// target resolves the {urn} of /rest/socialActions/{urn}/comments: a post
// (its top-level comments) or a comment (its replies).
func (s *Server) target(urn string) (post, parent string, ok bool) {
	if strings.HasPrefix(urn, "urn:li:comment:") {
		for _, c := range s.comments {
			if c.URN == urn && !c.Deleted {
				return c.PostURN, c.URN, s.postExists(c.PostURN)
			}
		}
		return "", "", false
	}
	return urn, "", s.postExists(urn)
}

// socialActions refuses the comment endpoints to an app without the
// Community Management API product.
func (s *Server) socialActions(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.cfg.NoCommunityManagement {
			writeErr(w, http.StatusForbidden, 100, "ACCESS_DENIED", "Not enough permissions to access: partnerApiSocialActions."+r.Method+".20260801")
			return
		}
		h(w, r)
	}
}

// withTarget runs f under the fake's lock on the post and parent comment
// that {urn} names, or answers 404 when it names nothing live.
func (s *Server) withTarget(w http.ResponseWriter, r *http.Request, f func(post, parent string)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	post, parent, ok := s.target(r.PathValue("urn"))
	if !ok {
		writeErr(w, http.StatusNotFound, 0, "NOT_FOUND", "Not Found")
		return
	}
	f(post, parent)
}

// listComments serves GET /rest/socialActions/{urn}/comments?start=&count=.
func (s *Server) listComments(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	start, _ := strconv.Atoi(q.Get("start"))
	count := fakeplatform.PageSize(r, "count", 10, 100)
	s.withTarget(w, r, func(post, parent string) {
		var all []*Comment
		for _, c := range s.comments {
			if c.PostURN == post && c.Parent == parent && !c.Deleted {
				all = append(all, c)
			}
		}
		start = min(max(start, 0), len(all))
		end := min(start+count, len(all))
		els := []any{}
		for _, c := range all[start:end] {
			els = append(els, s.commentJSON(c))
		}
		links := []any{}
		if end < len(all) {
			links = append(links, map[string]any{"rel": "next", "href": fmt.Sprintf("%s?start=%d&count=%d", r.URL.Path, end, count)})
			if s.deleteAfterPage != "" {
				s.markDeleted(s.deleteAfterPage)
				s.deleteAfterPage = ""
			}
		}
		writeJSON(w, http.StatusOK, map[string]any{"elements": els, "paging": map[string]any{"start": start, "count": count, "total": len(all), "links": links}})
	})
}

// createComment serves POST /rest/socialActions/{urn}/comments as the
// organisation: 201 with x-restli-id.
func (s *Server) createComment(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Actor         string `json:"actor"`
		Object        string `json:"object"`
		ParentComment string `json:"parentComment"`
		Message       struct {
			Text string `json:"text"`
		} `json:"message"`
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil || strings.TrimSpace(in.Message.Text) == "" {
		writeErr(w, http.StatusUnprocessableEntity, 0, "", "message.text is required")
		return
	}
	if in.Actor != s.OrgURN() {
		writeErr(w, http.StatusForbidden, 100, "ACCESS_DENIED", "Not enough permissions to comment as "+in.Actor)
		return
	}
	s.withTarget(w, r, func(post, parent string) {
		if parent != in.ParentComment {
			writeErr(w, http.StatusUnprocessableEntity, 0, "", "parentComment must be the comment in the path")
			return
		}
		c := s.addComment(post, parent, in.Actor, in.Message.Text, s.cfg.Now())
		w.Header().Set("x-restli-id", c.ID)
		writeJSON(w, http.StatusCreated, s.commentJSON(c))
	})
}

// deleteComment serves DELETE /rest/socialActions/{urn}/comments/{id}?actor=:
// the organisation may delete only its own comments here.
func (s *Server) deleteComment(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range s.comments {
		if c.ID != r.PathValue("id") || c.Deleted {
			continue
		}
		if c.Actor != r.URL.Query().Get("actor") {
			writeErr(w, http.StatusForbidden, 100, "ACCESS_DENIED", "Not enough permissions to delete this comment")
			return
		}
		c.Deleted = true
		w.WriteHeader(http.StatusNoContent)
		return
	}
	writeErr(w, http.StatusNotFound, 0, "NOT_FOUND", "Not Found")
}
