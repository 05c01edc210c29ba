package service_test

import (
	"strings"
	"testing"

	"practicepost/app"
	"practicepost/app/auth"
	hostfake "practicepost/app/publish/hosting/hostingtest"
	igfake "practicepost/app/publish/instagram/instagramtest"
	"practicepost/app/service"
)

// The Channels card says which way an Instagram channel's images go: the
// Facebook Page when the token allows (no bucket needed), the bucket
// otherwise or when chosen. Bad choices are refused and change nothing.
func TestInstagramImageRoute(t *testing.T) {
	publishing := []string{"instagram_basic", "instagram_content_publish", "pages_show_list", "pages_read_engagement"}
	for _, tc := range []struct {
		name      string
		scopes    []string
		bucket    bool
		route     string
		note      string
		canChoose bool
	}{
		{"page token with the Page permissions, no bucket", append(publishing, "pages_manage_posts"), false, "page", "no storage bucket needed", false},
		{"page token with the Page permissions and a bucket", append(publishing, "pages_manage_posts"), true, "page", "no storage bucket needed", true},
		{"no pages_manage_posts, bucket", publishing, true, "bucket", "pages_manage_posts", false},
		{"no pages_manage_posts, no bucket", publishing, false, "", "Settings → Media hosting", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clock := startClock()
			ig := igfake.New(igfake.Config{TokenScopes: tc.scopes})
			defer ig.Close()
			w := newWorld(t, t.TempDir(), clock, auth.NewMemoryStore())
			h := service.NewHostingService(w.c, nil, w.secrets, w.ch)
			if tc.bucket {
				bucket := hostfake.New(hostfake.Config{Now: clock.Now})
				defer bucket.Close()
				if _, err := h.Save(bucketInput(bucket)); err != nil {
					t.Fatal(err)
				}
			}
			w.ch.Providers.InstagramGraphURL = ig.URL
			v, err := w.ch.ConnectInstagram("100200300", "ig-token")
			if err != nil {
				t.Fatal(err)
			}
			if v.PageID != "100200300" || v.Images.Route != tc.route || v.Images.CanChoose != tc.canChoose || !strings.Contains(v.Images.Note, tc.note) {
				t.Fatalf("view %+v", v.Images)
			}
			id := newDraft(t, w, service.DraftInput{Title: "Chairs", Body: "Our new treatment chairs have arrived.", Channels: []string{"instagram"},
				Media: []app.DraftMedia{{SHA256: addJPEG(t, w), AltText: "Two blue treatment chairs"}}})
			needs, err := w.pub.HostingNeeds(id)
			if err != nil || (needs.Instagram == "") != (tc.route != "") {
				t.Fatalf("needs %+v %v", needs, err)
			}

			// Choosing the bucket works only where there is one; anything
			// else is refused and changes nothing.
			for _, bad := range []string{"", "cdn"} {
				if _, err := w.ch.SetImageRoute(v.ID, bad); app.ErrorField(err) != "route" {
					t.Errorf("route %q: %v", bad, err)
				}
			}
			got, err := w.ch.SetImageRoute(v.ID, "bucket")
			if !tc.bucket {
				if app.ErrorField(err) != "route" {
					t.Fatalf("bucket without one: %v", err)
				}
				if list, _ := w.ch.List(); list[0].ImageRoute != "" {
					t.Errorf("refused choice was saved: %+v", list[0])
				}
				return
			}
			if err != nil || got.Images.Route != "bucket" {
				t.Fatalf("bucket chosen: %+v %v", got.Images, err)
			}
			if tc.route == "page" {
				if got, err = w.ch.SetImageRoute(v.ID, "page"); err != nil || got.Images.Route != "page" {
					t.Fatalf("back to the Page: %+v %v", got.Images, err)
				}
			}
		})
	}
}
