package instagram_test

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"practicepost/app"
	"practicepost/app/publish"
	fbfake "practicepost/app/publish/facebook/facebooktest"
	"practicepost/app/publish/fault"
	hostfake "practicepost/app/publish/hosting/hostingtest"
	"practicepost/app/publish/instagram"
	"practicepost/app/publish/instagram/instagramtest"
	"practicepost/app/publish/internal/publishtest"
)

// pageEnv is an Instagram account linked to a Facebook Page, each with its
// own fake (in production both answer on graph.facebook.com), sharing the
// one Page token the channel was connected with.
type pageEnv struct {
	c      *instagram.Client
	fb     *fbfake.Server
	ig     *instagramtest.Server
	bucket *hostfake.Server // nil without a bucket
}

const pageToken = "page-token"

func setupPage(t *testing.T, fbScopes []string, withBucket, preferBucket bool) pageEnv {
	t.Helper()
	clock := &app.FixedClock{T: now}
	fb := fbfake.New(fbfake.Config{Token: pageToken, Scopes: fbScopes, Now: clock.Now})
	t.Cleanup(fb.Close)
	ig := instagramtest.New(instagramtest.Config{Token: pageToken, ProcessingPolls: 1, Now: clock.Now})
	t.Cleanup(ig.Close)
	opt := instagram.Options{HTTP: &http.Client{Timeout: 5 * time.Second}, Clock: clock, PollInterval: time.Millisecond, PollTimeout: 2 * time.Second, PreferBucket: preferBucket}
	e := pageEnv{fb: fb, ig: ig}
	if withBucket {
		b, host := publishtest.MediaHost(t, clock)
		e.bucket, opt.Host = b, host
	}
	opt.Page = instagram.NewPageHost(fb.URL, "100200300", pageToken, opt)
	e.c = instagram.NewClient(ig.URL, "17841400000000001", pageToken, opt)
	return e
}

// fbPosts counts what the Page shows: posts with a story.
func (e pageEnv) fbPosts() int {
	n := 0
	for _, p := range e.fb.Posts() {
		if p.ID != "" && !p.Deleted {
			n++
		}
	}
	return n
}

func TestPageRoute(t *testing.T) {
	all := []string{"pages_manage_posts", "pages_read_engagement", "pages_show_list", "instagram_basic", "instagram_content_publish"}
	without := func(drop string) []string {
		return slices.DeleteFunc(slices.Clone(all), func(s string) bool { return s == drop })
	}
	cases := []struct {
		name         string
		scopes       []string
		bucket       bool
		preferBucket bool
		fault        *fault.Fault
		igFault      *fault.Fault
		route        string // "page", "bucket" or "" (nothing published)
		kind         publish.Kind
		msg          []string // the error message names these
	}{
		{name: "happy path through the Page", scopes: all, route: "page"},
		{name: "bucket chosen although the Page could", scopes: all, bucket: true, preferBucket: true, route: "bucket"},
		{name: "no pages_manage_posts, bucket configured: falls back", scopes: without("pages_manage_posts"), bucket: true, route: "bucket"},
		{name: "no pages_manage_posts, no bucket: names screen and permission", scopes: without("pages_manage_posts"),
			kind: publish.KindPermission, msg: []string{"Channels", "pages_manage_posts", "Settings → Media hosting"}},
		{name: "no pages_read_engagement, no bucket: uploaded photo taken back", scopes: without("pages_read_engagement"),
			kind: publish.KindPermission, msg: []string{"Channels", "pages_read_engagement"}},
		{name: "no pages_read_engagement, bucket configured: falls back", scopes: without("pages_read_engagement"), bucket: true, route: "bucket"},
		{name: "Page rate limit", scopes: all, bucket: true, fault: &fault.Fault{Method: "POST", Path: "/photos", Status: http.StatusTooManyRequests, Code: 32, Reset: 10 * time.Minute},
			kind: publish.KindRateLimited},
		{name: "container creation fails: photo still removed", scopes: all, igFault: &fault.Fault{Method: "POST", Path: "/17841400000000001/media", Status: http.StatusInternalServerError, Times: 1},
			kind: publish.KindTransient},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := setupPage(t, tc.scopes, tc.bucket, tc.preferBucket)
			if tc.fault != nil {
				e.fb.Faults.Add(*tc.fault)
			}
			if tc.igFault != nil {
				e.ig.Faults.Add(*tc.igFault)
			}
			img := publishtest.JPEG(t, 1080, 1350)
			res, err := publishtest.Send(context.Background(), e.c, publish.Post{Text: "Thank you, Sam! #smile"}, publish.Image{Data: img, MIME: "image/jpeg", Alt: "A smile"})

			if tc.route == "" {
				pe := publishtest.Err(t, err)
				if pe.Kind != tc.kind {
					t.Fatalf("kind %s, want %s: %s", pe.Kind, tc.kind, pe.Message)
				}
				for _, m := range tc.msg {
					if !strings.Contains(pe.Message, m) {
						t.Errorf("message %q does not name %q", pe.Message, m)
					}
				}
				if n := len(e.ig.Media()); n != 0 {
					t.Errorf("%d Instagram posts after a failure", n)
				}
			} else {
				if err != nil {
					t.Fatal(err)
				}
				media := e.ig.Media()
				if len(media) != 1 || media[0].ID != res.ID {
					t.Fatalf("media %+v res %+v", media, res)
				}
				f := e.ig.Fetches()
				if len(f) != 1 || f[0].Status != http.StatusOK {
					t.Fatalf("fetches %+v", f)
				}
				viaPage := strings.HasPrefix(f[0].URL, e.fb.CDNURL())
				if viaPage != (tc.route == "page") {
					t.Errorf("Instagram fetched %s, want the %s route", f[0].URL, tc.route)
				}
				if tc.route == "page" && e.fb.CDNFetches() != 1 {
					t.Errorf("CDN served %d downloads", e.fb.CDNFetches())
				}
			}
			// Whatever happened: nothing on the Page's timeline, nothing left
			// on the Page or in the bucket.
			if n := e.fbPosts(); n != 0 {
				t.Errorf("%d posts visible on the Facebook Page", n)
			}
			if left := e.fb.UnpublishedPhotos(); len(left) != 0 {
				t.Errorf("unpublished photos left on the Page: %v", left)
			}
			if e.bucket != nil {
				if objs := e.bucket.Objects(); len(objs) != 0 {
					t.Errorf("objects left in the bucket: %v", objs)
				}
			}
		})
	}
}

// The Page's photo is gone after the container is done, but deleting it a
// second time (a retry after a lost answer, a restart) is no error; a key
// that is not a Page photo is refused without a request.
func TestPageHostDeleteIsIdempotent(t *testing.T) {
	e := setupPage(t, nil, false, false)
	ctx := context.Background()
	ref, err := e.c.UploadImage(ctx, publish.Image{Data: publishtest.JPEG(t, 1080, 1080), MIME: "image/jpeg"})
	if err != nil {
		t.Fatal(err)
	}
	if left := e.fb.UnpublishedPhotos(); len(left) != 1 || !strings.HasSuffix(ref.ID, left[0]) {
		t.Fatalf("photos %v ref %q", left, ref.ID)
	}
	for i := range 2 {
		if err := e.c.RemoveHosted(ctx, ref.ID); err != nil {
			t.Fatalf("delete %d: %v", i+1, err)
		}
	}
	if left := e.fb.UnpublishedPhotos(); len(left) != 0 {
		t.Fatalf("left %v", left)
	}
	// The CDN address dies with the photo.
	resp, err := http.Get(ref.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("deleted photo still served: %d", resp.StatusCode)
	}
	before := len(e.fb.Requests())
	if err := instagram.NewPageHost(e.fb.URL, "100200300", pageToken, instagram.Options{}).Delete(ctx, "practicepost/20260914/abc.jpg"); err == nil {
		t.Error("a bucket key was accepted as a Page photo")
	}
	if len(e.fb.Requests()) != before {
		t.Error("refused key still reached Facebook")
	}
}

// A token that was revoked meanwhile: the Page answers 190, which is the
// channel's sign-in, not a missing permission, so there is no fallback.
func TestPageRouteExpiredTokenIsAuth(t *testing.T) {
	e := setupPage(t, nil, true, false)
	e.fb.ExpireToken()
	_, err := e.c.UploadImage(context.Background(), publish.Image{Data: publishtest.JPEG(t, 1080, 1080), MIME: "image/jpeg"})
	pe := publishtest.Err(t, err)
	if pe.Kind != publish.KindAuth || errors.Is(err, instagram.ErrPagePermission) {
		t.Fatalf("%s %v", pe.Kind, err)
	}
	if objs := e.bucket.Objects(); len(objs) != 0 {
		t.Errorf("fell back to the bucket on an auth failure: %v", objs)
	}
}
