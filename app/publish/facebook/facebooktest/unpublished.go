package facebooktest

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image"
	_ "image/jpeg" // the images field states the photo's size
	_ "image/png"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// The unpublished-photo route (docs/meta.md §4.2, contracts §1.1 and
// §2.4 option 3): POST /{page}/photos with published=false keeps a photo
// object that never shows on the Page; GET /{photo}?fields=images names
// the sizes Facebook made of it, each at a signed, expiring CDN address
// that this fake really serves (on a host of its own, as scontent…fbcdn.net
// is not graph.facebook.com), so Instagram's fake can download it;
// DELETE /{photo} removes it, and a second DELETE answers 100/33.

// CDNTTL is how long an images address works, like fbcdn's oe= expiry.
const CDNTTL = 2 * time.Hour

// cdnKey signs the fake CDN's addresses; a changed or stale link is refused.
var cdnKey = []byte("facebooktest-cdn")

// startCDN serves the photos' CDN addresses beside the Graph server.
func (s *Server) startCDN() {
	s.cdn = s.Serve(http.HandlerFunc(s.serveCDN), s.writeFault)
}

// Close stops the Graph server and its CDN.
func (s *Server) Close() {
	s.cdn.Close()
	s.Server.Close()
}

// CDNURL is the base of the photo addresses the images field hands out.
func (s *Server) CDNURL() string { return s.cdn.URL }

// UnpublishedPhotos lists the ids of unpublished photos not deleted yet:
// what a test expects to be empty once an Instagram post is done.
func (s *Server) UnpublishedPhotos() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var ids []string
	for _, p := range s.posts {
		if p.ID == "" && !p.Published && p.ScheduledAt.IsZero() && !p.Deleted {
			ids = append(ids, p.PhotoID)
		}
	}
	return ids
}

// CDNFetches counts the downloads the CDN answered with a photo.
func (s *Server) CDNFetches() int { return int(s.cdnHits.Load()) }

func cdnSig(photoID string, oe int64) string {
	m := hmac.New(sha256.New, cdnKey)
	fmt.Fprintf(m, "%s/%d", photoID, oe)
	return hex.EncodeToString(m.Sum(nil))[:24]
}

// addImages answers fields=images for a photo object; false means an
// error was written. Reading the photo takes pages_read_engagement, as
// reading any Page content does.
func (s *Server) addImages(w http.ResponseWriter, r *http.Request, p Post, out map[string]any) bool {
	if p.ID == "" {
		// An unpublished photo has no story: its id is the photo's.
		out["id"] = p.PhotoID
	}
	if !strings.Contains(r.URL.Query().Get("fields"), "images") || p.PhotoID == "" {
		return true
	}
	if !s.granted(w, "pages_read_engagement", 10, "(#10) This endpoint requires the 'pages_read_engagement' permission.") {
		return false
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(p.Photo))
	if err != nil {
		cfg.Width, cfg.Height = 0, 0
	}
	oe := s.cfg.Now().Add(CDNTTL).Unix()
	src := fmt.Sprintf("%s/v/t39.30808-6/%s_n.jpg?oh=%s&oe=%x", s.cdn.URL, p.PhotoID, cdnSig(p.PhotoID, oe), oe)
	// Graph lists the sizes largest first; the fake keeps the original only,
	// with a smaller one beside it so the connector has to choose.
	out["images"] = []map[string]any{
		{"height": cfg.Height, "width": cfg.Width, "source": src},
		{"height": cfg.Height / 2, "width": cfg.Width / 2, "source": src + "&stp=dst-jpg_s50"},
	}
	return true
}

// serveCDN hands out a photo's bytes for a valid, unexpired signature, and
// 404 once the photo is deleted.
func (s *Server) serveCDN(w http.ResponseWriter, r *http.Request) {
	file := r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:]
	photoID, ok := strings.CutSuffix(file, "_n.jpg")
	oe, err := strconv.ParseInt(r.URL.Query().Get("oe"), 16, 64)
	if !ok || err != nil || !hmac.Equal([]byte(r.URL.Query().Get("oh")), []byte(cdnSig(photoID, oe))) {
		http.Error(w, "Bad URL hash", http.StatusForbidden)
		return
	}
	if s.cfg.Now().Unix() > oe {
		http.Error(w, "URL signature expired", http.StatusForbidden)
		return
	}
	s.mu.Lock()
	p := s.find(photoID)
	var data []byte
	var mt string
	if p != nil {
		data, mt = p.Photo, p.PhotoMIME
	}
	s.mu.Unlock()
	if p == nil || len(data) == 0 {
		http.NotFound(w, r)
		return
	}
	s.cdnHits.Add(1)
	w.Header().Set("Content-Type", mt)
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	w.Write(data)
}

// HasPhoto reports whether id is a photo this fake ever made, deleted ones
// included: a server standing in for graph.facebook.com as a whole routes
// a photo's requests here and the rest to Instagram's fake.
func (s *Server) HasPhoto(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range s.posts {
		if p.PhotoID != "" && p.PhotoID == id {
			return true
		}
	}
	return false
}
