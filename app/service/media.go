package service

import (
	"bytes"
	"context"
	"net/http"
	"regexp"
	"strings"
	"time"

	"practicepost/assets"
)

// MediaURL is where the UI loads a stored image, video or recording from.
func MediaURL(sha string) string { return "/media/" + sha }

var shaPath = regexp.MustCompile(`^/media/([0-9a-f]{64})$`)

// AssetHandler serves what the built frontend does not contain: bundled
// fonts (for previews in the brand kit) and stored media. It is reached only
// through the app's own asset server, never over the network.
func AssetHandler(c *Core) http.Handler {
	fonts := http.StripPrefix("/fonts/", http.FileServerFS(assets.Fonts()))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.HasPrefix(r.URL.Path, "/fonts/"):
			w.Header().Set("Cache-Control", "max-age=86400")
			fonts.ServeHTTP(w, r)
		case shaPath.MatchString(r.URL.Path):
			db, err := c.DB()
			if err != nil {
				http.Error(w, "not available", http.StatusServiceUnavailable)
				return
			}
			sha := shaPath.FindStringSubmatch(r.URL.Path)[1]
			b, err := db.Blob(context.Background(), sha)
			if err != nil {
				http.NotFound(w, r)
				return
			}
			// Content-addressed: the bytes behind a URL never change.
			w.Header().Set("Content-Type", b.MIME)
			w.Header().Set("Cache-Control", "max-age=31536000, immutable")
			w.Header().Set("X-Content-Type-Options", "nosniff")
			w.Header().Set("ETag", `"`+sha+`"`)
			// ServeContent answers Range requests, which <video> and <audio>
			// need to seek; the type set above stops it sniffing.
			http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(b.Data))
		default:
			http.NotFound(w, r)
		}
	})
}
