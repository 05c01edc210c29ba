package instagramtest

import (
	"net/http"
	"slices"
	"time"

	"practicepost/app/publish/internal/fakeplatform"
	"practicepost/app/publish/internal/graph/graphtest"
)

// Comment is a comment on a media item (platform-contracts.md §13.2): one
// level of replies; a reply to a reply is attached to its top-level comment.
type Comment struct {
	ID, MediaID, ParentID string
	Username, FromID      string
	Text                  string
	Timestamp             time.Time
	Hidden, Deleted       bool
	Own                   bool // written by the account itself
}

// AddComment puts a comment by username on media (or, with parentID, a
// reply under that comment) and returns its id.
func (s *Server) AddComment(mediaID, parentID, username, text string, at time.Time) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := &Comment{ID: s.newID(), MediaID: mediaID, ParentID: s.topLevel(parentID), Username: username, FromID: "9" + s.newID(), Text: text, Timestamp: at}
	s.comments = append(s.comments, c)
	return c.ID
}

// Comments returns copies of every comment.
func (s *Server) Comments() []Comment {
	s.mu.Lock()
	defer s.mu.Unlock()
	return fakeplatform.Copies(s.comments)
}

// DeleteCommentByAuthor deletes a comment as its author would.
func (s *Server) DeleteCommentByAuthor(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c := s.comment(id); c != nil {
		c.Deleted = true
	}
}

// DeleteCommentAfterPage makes the comment that the next page of a listing
// ends on vanish right after that page is served: the next page's cursor
// then names a deleted comment, and Graph refuses it (contracts §13.8).
func (s *Server) DeleteCommentAfterPage() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.deleteAfterPage = true
}

func (s *Server) comment(id string) *Comment {
	return fakeplatform.Find(s.comments, func(c *Comment) bool { return c.ID == id && !c.Deleted })
}

// topLevel re-parents a reply to a reply onto the top-level comment.
func (s *Server) topLevel(id string) string {
	if c := s.comment(id); c != nil && c.ParentID != "" {
		return c.ParentID
	}
	return id
}

func (s *Server) hasScope(sc string) bool {
	return slices.Contains(s.cfg.TokenScopes, sc)
}

func (s *Server) commentView(c *Comment) map[string]any {
	m := map[string]any{"id": c.ID, "text": c.Text, "timestamp": c.Timestamp.UTC().Format("2006-01-02T15:04:05-0700"), "hidden": c.Hidden, "like_count": 0}
	// Without the comment-management permission (Facebook Login:
	// instagram_manage_comments; Instagram Login: its business_ form), no
	// username (contracts §13.2).
	if s.hasScope("instagram_manage_comments") || s.hasScope("instagram_business_manage_comments") {
		m["username"] = c.Username
		m["from"] = map[string]any{"id": c.FromID, "username": c.Username}
	}
	if c.ParentID != "" {
		m["parent_id"] = c.ParentID
	}
	return m
}

// listComments serves GET /{media}/comments: top-level comments with their
// replies nested, pages of limit (default 25) with an after cursor.
func (s *Server) listComments(w http.ResponseWriter, r *http.Request) {
	if !s.auth(w, r) {
		return
	}
	node := r.PathValue("node")
	q := r.URL.Query()
	limit := fakeplatform.PageSize(r, "limit", 25, 100)
	s.mu.Lock()
	defer s.mu.Unlock()
	var top []*Comment
	for _, c := range s.comments {
		if c.MediaID == node && c.ParentID == "" && !c.Deleted {
			top = append(top, c)
		}
	}
	if s.comment(node) != nil {
		// GET /{comment}/comments is not the replies edge.
		graphtest.Write(w, graphtest.Error{Message: "(#100) Tried accessing nonexisting field (comments)", Code: 100})
		return
	}
	start, ok := fakeplatform.After(top, q.Get("after"), func(c *Comment) string { return c.ID })
	if !ok {
		graphtest.Write(w, graphtest.Error{Message: "(#100) Invalid cursor", Code: 100})
		return
	}
	end := min(start+limit, len(top))
	data := []map[string]any{}
	for _, c := range top[start:end] {
		v := s.commentView(c)
		replies := []map[string]any{}
		for _, rc := range s.comments {
			if rc.ParentID == c.ID && !rc.Deleted {
				replies = append(replies, s.commentView(rc))
			}
		}
		v["replies"] = map[string]any{"data": replies}
		data = append(data, v)
	}
	body := map[string]any{"data": data}
	if end < len(top) {
		body["paging"] = map[string]any{"cursors": map[string]any{"after": top[end-1].ID}, "next": "http://" + r.Host + r.URL.Path + "?after=" + top[end-1].ID}
		if s.deleteAfterPage {
			s.deleteAfterPage = false
			top[end-1].Deleted = true
		}
	}
	graphtest.JSON(w, body)
}

// replyComment serves POST /{comment}/replies message=…: hidden comments
// cannot be replied to; a reply to a reply lands on the top-level comment.
func (s *Server) replyComment(w http.ResponseWriter, r *http.Request) {
	if !s.auth(w, r) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.comment(r.PathValue("node"))
	switch {
	case c == nil:
		graphtest.Unknown(w, r, r.PathValue("node"))
		return
	case c.Hidden:
		graphtest.Write(w, graphtest.Error{Message: "(#100) Cannot reply to a hidden comment", Code: 100})
		return
	case r.FormValue("message") == "":
		graphtest.Write(w, graphtest.Error{Message: "(#100) The parameter message is required", Code: 100})
		return
	}
	rc := &Comment{ID: s.newID(), MediaID: c.MediaID, ParentID: s.topLevel(c.ID), Username: s.cfg.Username, FromID: s.cfg.UserID, Text: r.FormValue("message"), Timestamp: s.cfg.Now(), Own: true}
	s.comments = append(s.comments, rc)
	graphtest.JSON(w, map[string]any{"id": rc.ID})
}

// updateComment serves POST /{comment} hide=true|false.
func (s *Server) updateComment(w http.ResponseWriter, r *http.Request) {
	if !s.auth(w, r) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.comment(r.PathValue("node"))
	if c == nil {
		graphtest.Write(w, graphtest.Error{Message: "Unsupported post request.", Code: 100, Subcode: 33})
		return
	}
	if c.Own {
		graphtest.Write(w, graphtest.Error{Message: "(#100) The account's own comments cannot be hidden", Code: 100})
		return
	}
	c.Hidden = r.FormValue("hide") == "true"
	graphtest.JSON(w, map[string]any{"success": true})
}
