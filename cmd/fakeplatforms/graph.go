//go:build fakes

package main

import (
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"

	fbfake "practicepost/app/publish/facebook/facebooktest"
	igfake "practicepost/app/publish/instagram/instagramtest"
)

// oneGraph serves the Facebook and Instagram fakes on one origin, as
// graph.facebook.com serves both: an Instagram channel connected with a
// Page token sends its images through the Page (POST /{page}/photos, then
// GET and DELETE /{photo}) at the same root as its Instagram calls. Those
// go to the Facebook fake, everything else to Instagram's.
func oneGraph(fb *fbfake.Server, ig *igfake.Server) *httptest.Server {
	toFB := httputil.NewSingleHostReverseProxy(mustURL(fb.URL))
	toIG := httputil.NewSingleHostReverseProxy(mustURL(ig.URL))
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		node, rest, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
		if rest == "photos" || (rest == "" && fb.HasPhoto(node)) {
			toFB.ServeHTTP(w, r)
			return
		}
		toIG.ServeHTTP(w, r)
	}))
}

func mustURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic(err)
	}
	return u
}
