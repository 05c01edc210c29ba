package blueskytest

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
)

// ThreadgateCollection is where a thread's reply rules and hidden replies live.
const ThreadgateCollection = "app.bsky.feed.threadgate"

// AddReply puts a reply by another account under the post parentURI (its
// root follows the parent's) and returns its URI.
func (s *Server) AddReply(parentURI, handle, displayName, text string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	root := parentURI
	for _, r := range s.records {
		if r.URI == parentURI && r.RootURI != "" {
			root = r.RootURI
		}
	}
	s.seq++
	did := "did:plc:" + strings.ReplaceAll(handle, ".", "")
	rec := &Record{RKey: tid(s.seq), Text: text, CreatedAt: s.cfg.Now().UTC().Format("2006-01-02T15:04:05.000Z"),
		ParentURI: parentURI, RootURI: root, AuthorDID: did, AuthorHandle: handle, AuthorName: displayName}
	rec.URI = "at://" + did + "/" + Collection + "/" + rec.RKey
	rec.Value, _ = json.Marshal(map[string]any{"$type": Collection, "text": text, "createdAt": rec.CreatedAt,
		"reply": map[string]any{"root": map[string]string{"uri": root, "cid": "bafyroot"}, "parent": map[string]string{"uri": parentURI, "cid": "bafyparent"}}})
	rec.CID = "bafyrei" + cidOf(rec.Value)[7:]
	s.records = append(s.records, rec)
	return rec.URI
}

// DeleteURI deletes any record, as its author would.
func (s *Server) DeleteURI(uri string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range s.records {
		if r.URI == uri {
			r.Deleted = true
		}
	}
}

// Threadgate returns the threadgate record stored under rkey, if any.
func (s *Server) Threadgate(rkey string) (json.RawMessage, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	g, ok := s.gates[rkey]
	return g, ok
}

func (s *Server) author(r *Record) map[string]any {
	if r.AuthorDID == "" {
		return map[string]any{"did": s.cfg.DID, "handle": s.cfg.Handle, "displayName": "Smile Dental"}
	}
	return map[string]any{"did": r.AuthorDID, "handle": r.AuthorHandle, "displayName": r.AuthorName}
}

func (s *Server) view(r *Record) map[string]any {
	return map[string]any{"uri": r.URI, "cid": r.CID, "record": r.Value, "indexedAt": r.CreatedAt, "author": s.author(r),
		"likeCount": r.Likes, "repostCount": r.Reposts, "replyCount": r.Replies, "quoteCount": r.Quotes}
}

// threadView is the #threadViewPost union member for r with its replies; a
// deleted reply that still has live replies shows as #notFoundPost.
func (s *Server) threadView(r *Record, depth int) map[string]any {
	if r.Deleted {
		return map[string]any{"$type": "app.bsky.feed.defs#notFoundPost", "uri": r.URI, "notFound": true}
	}
	v := map[string]any{"$type": "app.bsky.feed.defs#threadViewPost", "post": s.view(r)}
	if depth <= 0 {
		return v
	}
	replies := []any{}
	for _, c := range s.records {
		if c.ParentURI != r.URI {
			continue
		}
		if c.Deleted && !slices.ContainsFunc(s.records, func(x *Record) bool { return x.ParentURI == c.URI && !x.Deleted }) {
			continue
		}
		replies = append(replies, s.threadView(c, depth-1))
	}
	v["replies"] = replies
	return v
}

// getPostThread serves app.bsky.feed.getPostThread: 400 NotFound when the
// post is gone, the threadgate beside the thread when there is one.
func (s *Server) getPostThread(w http.ResponseWriter, r *http.Request) {
	uri := r.URL.Query().Get("uri")
	s.mu.Lock()
	defer s.mu.Unlock()
	var root *Record
	for _, rec := range s.records {
		if rec.URI == uri && !rec.Deleted {
			root = rec
		}
	}
	if root == nil {
		writeErr(w, http.StatusBadRequest, "NotFound", "Post not found: "+uri)
		return
	}
	out := map[string]any{"thread": s.threadView(root, 1000)}
	if g, ok := s.gates[root.RKey]; ok && root.AuthorDID == "" {
		out["threadgate"] = map[string]any{"uri": "at://" + s.cfg.DID + "/" + ThreadgateCollection + "/" + root.RKey, "record": g}
	}
	writeJSON(w, http.StatusOK, out)
}

// putRecord stores a threadgate: rkey must be the root post's rkey, the
// post the account's own, hiddenReplies at most 300 (contracts §13.6).
func (s *Server) putRecord(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Repo       string `json:"repo"`
		Collection string `json:"collection"`
		RKey       string `json:"rkey"`
		Record     struct {
			Post          string   `json:"post"`
			HiddenReplies []string `json:"hiddenReplies"`
		} `json:"record"`
	}
	var raw struct {
		Record json.RawMessage `json:"record"`
	}
	var body json.RawMessage
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil || json.Unmarshal(body, &in) != nil {
		writeErr(w, http.StatusBadRequest, "InvalidRequest", "Request body is not valid JSON")
		return
	}
	json.Unmarshal(body, &raw)
	switch {
	case in.Repo != s.cfg.DID && in.Repo != s.cfg.Handle:
		writeErr(w, http.StatusBadRequest, "InvalidRequest", "Could not find repo: "+in.Repo)
		return
	case in.Collection != ThreadgateCollection:
		writeErr(w, http.StatusBadRequest, "InvalidRequest", "Unsupported collection: "+in.Collection)
		return
	case len(in.Record.HiddenReplies) > 300:
		writeErr(w, http.StatusBadRequest, "InvalidRequest", "Invalid app.bsky.feed.threadgate record: Record/hiddenReplies must not have more than 300 elements")
		return
	case in.Record.Post != "at://"+s.cfg.DID+"/"+Collection+"/"+in.RKey:
		writeErr(w, http.StatusBadRequest, "InvalidRequest", "Invalid app.bsky.feed.threadgate record: the rkey must be the post's and the post the account's own")
		return
	}
	s.mu.Lock()
	s.gates[in.RKey] = raw.Record
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"uri": in.Record.Post, "cid": cidOf(raw.Record)})
}

// getRecord serves com.atproto.repo.getRecord for threadgates.
func (s *Server) getRecord(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	s.mu.Lock()
	g, ok := s.gates[q.Get("rkey")]
	s.mu.Unlock()
	if q.Get("collection") != ThreadgateCollection || !ok {
		writeErr(w, http.StatusBadRequest, "RecordNotFound", "Could not locate record: at://"+q.Get("repo")+"/"+q.Get("collection")+"/"+q.Get("rkey"))
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"uri": "at://" + s.cfg.DID + "/" + ThreadgateCollection + "/" + q.Get("rkey"), "cid": cidOf(g), "value": g})
}
