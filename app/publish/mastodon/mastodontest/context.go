package mastodontest

import (
	"net/http"
	"strings"
)

// AddReply puts a reply by another account (username, display name) under
// status parentID and returns its id.
func (s *Server) AddReply(parentID, username, displayName, text string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := &Status{ID: s.nextID(), Text: text, Visibility: "public", CreatedAt: s.cfg.Now(), InReplyToID: parentID, Author: username, AuthorName: displayName}
	s.statuses = append(s.statuses, st)
	return st.ID
}

// DeleteStatus deletes any status, as its author would.
func (s *Server) DeleteStatus(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if st := s.findStatus(id); st != nil {
		st.Deleted = true
	}
}

func (s *Server) authorJSON(st *Status) map[string]any {
	if st.Author == "" {
		return s.account()
	}
	return map[string]any{"id": "2" + strings.Repeat("0", 5) + st.ID[len(st.ID)-6:], "username": st.Author, "acct": st.Author + "@elsewhere.example",
		"display_name": st.AuthorName, "url": "https://elsewhere.example/@" + st.Author}
}

// statusContext serves GET /api/v1/statuses/:id/context: ancestors and
// descendants (any depth), 404 "Record not found" when the status is gone.
func (s *Server) statusContext(w http.ResponseWriter, r *http.Request) {
	if !s.auth(w, r, "read:statuses") {
		return
	}
	s.withStatus(w, r, func(root *Status) {
		in := map[string]bool{root.ID: true}
		desc := []any{}
		for changed := true; changed; {
			changed = false
			for _, st := range s.statuses {
				if !st.Deleted && !in[st.ID] && in[st.InReplyToID] {
					in[st.ID] = true
					desc = append(desc, s.statusJSON(st))
					changed = true
				}
			}
		}
		anc := []any{}
		for p := s.findStatus(root.InReplyToID); p != nil; p = s.findStatus(p.InReplyToID) {
			anc = append([]any{s.statusJSON(p)}, anc...)
		}
		writeJSON(w, http.StatusOK, map[string]any{"ancestors": anc, "descendants": desc})
	})
}

// AddToken makes tok a valid access token with only these scopes (a sign-in
// that granted less than PracticePost asked for).
func (s *Server) AddToken(tok string, scopes ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokens[tok] = scopes
}
