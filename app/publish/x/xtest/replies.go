package xtest

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// AddReply puts a reply from another account under parentID. summons says
// whether it tags the practice's account, which X (since 23 Feb 2026)
// requires before a self-serve account may reply (contracts §13.0.1).
func (s *Server) AddReply(parentID, authorID, username, text string, summons bool) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	parent := s.find(parentID)
	conv := parentID
	if parent != nil && parent.ConversationID != "" {
		conv = parent.ConversationID
	}
	p := &Post{ID: s.newID(), Text: text, CreatedAt: s.cfg.Now(), AuthorID: authorID, AuthorUsername: username,
		InReplyTo: parentID, ConversationID: conv, Summons: summons}
	s.posts = append(s.posts, p)
	return p.ID
}

// DeleteReply deletes any post, as its author would.
func (s *Server) DeleteReply(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p := s.find(id); p != nil {
		p.Deleted = true
	}
}

// DeleteAfterFirstPage deletes the post id right after the next page of
// a conversation search is served: the later pages shift under the
// listing (contracts §13.8, deletions mid-sync).
func (s *Server) DeleteAfterFirstPage(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.deleteAfterPage = id
}

// replyAllowed applies the reply restriction: a post by someone else may
// be answered only when it tagged the account. The error wording is ours
// (the real body is unverified, contracts §13.7).
func (s *Server) replyAllowed(w http.ResponseWriter, id string) bool {
	parent := s.find(id)
	switch {
	case parent == nil:
		problem(w, http.StatusForbidden, "about:blank", "Forbidden", "You attempted to reply to a Tweet that is deleted or not visible to you.")
		return false
	case parent.AuthorID != "" && !parent.Summons:
		problem(w, http.StatusForbidden, "https://api.x.com/2/problems/reply-not-allowed", "Forbidden",
			"Reply to this conversation is not allowed because you have not been mentioned or otherwise engaged by the author of the post you are replying to.")
		return false
	}
	return true
}

// searchRecent serves GET /2/tweets/search/recent?query=conversation_id:N,
// 10..100 a page with next_token, only the last 7 days.
func (s *Server) searchRecent(w http.ResponseWriter, r *http.Request) {
	if !s.auth(w, r, "tweet.read") {
		return
	}
	q := r.URL.Query()
	conv, ok := strings.CutPrefix(q.Get("query"), "conversation_id:")
	if !ok {
		invalid(w, "Only conversation_id queries are supported by this fake.")
		return
	}
	size, _ := strconv.Atoi(q.Get("max_results"))
	if size == 0 {
		size = 10
	}
	if size < 10 || size > 100 {
		invalid(w, "The `max_results` query parameter value ["+q.Get("max_results")+"] is not between 10 and 100")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.cfg.Now()
	var hits []*Post
	for _, p := range s.posts {
		if !p.Deleted && p.ConversationID == conv && now.Sub(p.CreatedAt) <= 7*24*time.Hour {
			hits = append(hits, p)
		}
	}
	start, _ := strconv.Atoi(q.Get("next_token"))
	start = min(max(start, 0), len(hits))
	end := min(start+size, len(hits))
	data := []map[string]any{}
	users := []map[string]any{}
	seen := map[string]bool{}
	for _, p := range hits[start:end] {
		author := p.AuthorID
		if author == "" {
			author = s.cfg.UserID
		}
		d := map[string]any{"id": p.ID, "text": p.Text, "author_id": author, "conversation_id": p.ConversationID,
			"created_at": p.CreatedAt.UTC().Format("2006-01-02T15:04:05.000Z"), "edit_history_tweet_ids": []string{p.ID}}
		if p.InReplyTo != "" {
			d["referenced_tweets"] = []map[string]any{{"type": "replied_to", "id": p.InReplyTo}}
		}
		data = append(data, d)
		if !seen[author] {
			seen[author] = true
			name, user := p.AuthorUsername, p.AuthorUsername
			if p.AuthorID == "" {
				name, user = s.cfg.Name, s.cfg.Username
			}
			users = append(users, map[string]any{"id": author, "name": name, "username": user})
		}
	}
	meta := map[string]any{"result_count": len(data)}
	if end < len(hits) {
		meta["next_token"] = strconv.Itoa(end)
		if p := s.find(s.deleteAfterPage); p != nil {
			p.Deleted = true
			s.deleteAfterPage = ""
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"data": data, "includes": map[string]any{"users": users}, "meta": meta})
}

// hide serves PUT /2/tweets/:id/hidden for replies in the account's
// conversations; it needs tweet.moderate.write.
func (s *Server) hide(w http.ResponseWriter, r *http.Request) {
	if !s.auth(w, r, "tweet.moderate.write") {
		return
	}
	var in struct {
		Hidden *bool `json:"hidden"`
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil || in.Hidden == nil {
		invalid(w, "`hidden` is required.")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.find(r.PathValue("id"))
	if p == nil || p.AuthorID == "" {
		problem(w, http.StatusForbidden, "about:blank", "Forbidden", "You can only hide or unhide replies to conversations you authored.")
		return
	}
	p.Hidden = *in.Hidden
	writeJSON(w, http.StatusOK, map[string]any{"data": map[string]any{"hidden": p.Hidden}})
}
