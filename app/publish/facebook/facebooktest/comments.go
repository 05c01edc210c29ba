package facebooktest

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"practicepost/app/publish/internal/fakeplatform"
	"practicepost/app/publish/internal/graph/graphtest"
)

// Comment is a comment the fake holds (platform-contracts.md §13.1).
type Comment struct {
	ID        string
	PostID    string
	ParentID  string // "" for top level
	FromID    string // the Page's id for the Page's own replies
	FromName  string
	Message   string
	CreatedAt time.Time
	Hidden    bool
	Deleted   bool
	CanRemove bool
}

// AddComment puts a comment from someone under a post (or, with parentID,
// under a comment) and returns its id.
func (s *Server) AddComment(postID, parentID, fromName, message string, at time.Time) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.next++
	id := fmt.Sprintf("%s_%d", postID, s.next)
	s.comments = append(s.comments, &Comment{ID: id, PostID: postID, ParentID: parentID, FromID: fmt.Sprint(900000 + s.next),
		FromName: fromName, Message: message, CreatedAt: at, CanRemove: true})
	return id
}

// Comments returns a copy of every comment, deleted ones included.
func (s *Server) Comments() []Comment {
	s.mu.Lock()
	defer s.mu.Unlock()
	return fakeplatform.Copies(s.comments)
}

// DeleteCommentAfterPage makes the comment that a page of the listing
// ends on vanish right after that page is served, as when its author
// deletes it mid-sync: the next page's cursor then points at nothing.
func (s *Server) DeleteCommentAfterPage() {
	s.mu.Lock()
	s.deleteAfterPage = true
	s.mu.Unlock()
}

// WithholdCommentIDs answers comment lists without ids, as Graph does for a
// token without the Page's MODERATE task.
func (s *Server) WithholdCommentIDs() {
	s.mu.Lock()
	s.noModerate = true
	s.mu.Unlock()
}

func (s *Server) comment(id string) *Comment {
	return fakeplatform.Find(s.comments, func(c *Comment) bool { return c.ID == id && !c.Deleted })
}

// withComment runs f on comment {node} under the fake's lock; a missing or
// deleted one is answered as Graph answers a POST to an unknown node.
func (s *Server) withComment(w http.ResponseWriter, r *http.Request, f func(*Comment)) {
	node := r.PathValue("node")
	fakeplatform.Locked(&s.mu, func() *Comment { return s.comment(node) }, f, func() { graphtest.Unknown(w, r, node) })
}

// listComments serves GET /{post}/comments?filter=stream: every level in one
// flat list with parent, pages of limit (default 25) keyed by an "after"
// cursor that names the last comment served.
func (s *Server) listComments(w http.ResponseWriter, r *http.Request) {
	if !s.auth(w, r) {
		return
	}
	if !s.granted(w, "pages_read_user_content", 283, "(#283) Requires pages_read_user_content permission") {
		return
	}
	node := r.PathValue("node")
	q := r.URL.Query()
	limit := fakeplatform.PageSize(r, "limit", 25, 100)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.find(node) == nil && s.comment(node) == nil {
		graphtest.Unknown(w, r, node)
		return
	}
	var all []*Comment
	for _, c := range s.comments {
		if c.Deleted {
			continue
		}
		if c.PostID == node && (q.Get("filter") == "stream" || c.ParentID == "") || c.ParentID == node {
			all = append(all, c)
		}
	}
	start, ok := fakeplatform.After(all, q.Get("after"), func(c *Comment) string { return c.ID })
	if !ok {
		// The cursor's comment is gone (contracts §13.0.3).
		graphtest.Unknown(w, r, q.Get("after"))
		return
	}
	end := min(start+limit, len(all))
	data := []map[string]any{}
	for _, c := range all[start:end] {
		m := map[string]any{"message": c.Message, "created_time": c.CreatedAt.UTC().Format("2006-01-02T15:04:05-0700"),
			"from": map[string]any{"id": c.FromID, "name": c.FromName}, "is_hidden": c.Hidden,
			"can_hide": c.FromID != s.cfg.PageID, "can_remove": c.CanRemove, "can_comment": true,
			"permalink_url": "https://www.facebook.com/" + c.PostID + "?comment_id=" + c.ID}
		if !s.noModerate {
			m["id"] = c.ID
		}
		if c.ParentID != "" {
			m["parent"] = map[string]any{"id": c.ParentID}
		}
		data = append(data, m)
	}
	body := map[string]any{"data": data, "summary": map[string]any{"order": "chronological", "total_count": len(all), "can_comment": true}}
	if end < len(all) {
		last := all[end-1]
		base := "http://" + r.Host + r.URL.Path
		body["paging"] = map[string]any{"cursors": map[string]any{"before": all[start].ID, "after": last.ID},
			"next": base + "?after=" + last.ID + "&limit=" + strconv.Itoa(limit)}
		if s.deleteAfterPage {
			s.deleteAfterPage = false
			last.Deleted = true
		}
	}
	graphtest.JSON(w, body)
}

// replyComment serves POST /{comment}/comments with form message.
func (s *Server) replyComment(w http.ResponseWriter, r *http.Request) {
	if !s.auth(w, r) {
		return
	}
	if !s.granted(w, "pages_manage_engagement", 200, "(#200) Requires pages_manage_engagement permission to manage the object") {
		return
	}
	msg := strings.TrimSpace(r.FormValue("message"))
	s.withComment(w, r, func(parent *Comment) {
		if msg == "" {
			graphtest.Write(w, graphtest.Error{Message: "(#100) Missing message or attachment", Code: 100})
			return
		}
		s.next++
		id := fmt.Sprintf("%s_%d", parent.PostID, s.next)
		s.comments = append(s.comments, &Comment{ID: id, PostID: parent.PostID, ParentID: parent.ID, FromID: s.cfg.PageID,
			FromName: s.cfg.PageName, Message: msg, CreatedAt: s.cfg.Now(), CanRemove: true})
		graphtest.JSON(w, map[string]any{"id": id})
	})
}

// updateComment serves POST /{comment} with is_hidden.
func (s *Server) updateComment(w http.ResponseWriter, r *http.Request) {
	if !s.auth(w, r) {
		return
	}
	s.withComment(w, r, func(c *Comment) {
		switch r.FormValue("is_hidden") {
		case "true":
			if c.FromID == s.cfg.PageID {
				graphtest.Write(w, graphtest.Error{Message: "(#100) The Page's own comments cannot be hidden", Code: 100})
				return
			}
			c.Hidden = true
		case "false":
			c.Hidden = false
		default:
			graphtest.Write(w, graphtest.Error{Message: "(#100) Unsupported update", Code: 100})
			return
		}
		graphtest.JSON(w, map[string]any{"success": true})
	})
}
