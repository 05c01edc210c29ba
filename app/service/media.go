package service

import (
	"bytes"
	"context"
	"net/http"
	"regexp"
	"strings"
	"time"

	"practicepost/app/store"
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
			ctx := context.Background()
			// While locked only the photos of the form on the signing
			// screen are shown; every other blob is as absent as it looks.
			if c.guard(ctx, db) != nil && !onSigningScreen(ctx, db, sha) {
				http.NotFound(w, r)
				return
			}
			b, err := db.Blob(ctx, sha)
			if err != nil {
				http.NotFound(w, r)
				return
			}
			w.Header().Set("Content-Type", b.MIME)
			// Patient photos, videos and signed forms must not be kept in
			// the webview's disk cache, outside the data file.
			w.Header().Set("Cache-Control", "no-store")
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

// onSigningScreen says whether sha is one of the media the pending consent
// form lists (the patient sees them beside their lines while locked).
func onSigningScreen(ctx context.Context, db *store.DB, sha string) bool {
	p, err := readPending(ctx, db)
	if err != nil || p == nil {
		return false
	}
	for _, m := range p.Request.Media {
		if m.SHA256 == sha {
			return true
		}
	}
	return false
}
