package instagram_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/png"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"practicepost/app"
	"practicepost/app/insights/collect"
	"practicepost/app/publish"
	"practicepost/app/publish/fault"
	"practicepost/app/publish/hosting"
	hostfake "practicepost/app/publish/hosting/hostingtest"
	"practicepost/app/publish/instagram"
	"practicepost/app/publish/instagram/instagramtest"
	"practicepost/app/publish/internal/publishtest"
)

var now = time.Date(2026, 9, 14, 9, 30, 0, 0, time.UTC)

type env struct {
	c      *instagram.Client
	ig     *instagramtest.Server
	bucket *hostfake.Server
	host   *hosting.Bucket
	clock  *app.FixedClock
}

func setup(t *testing.T, cfg instagramtest.Config, timeout time.Duration) env {
	t.Helper()
	ig, clock := publishtest.StartFake(t, now, func(clockNow func() time.Time) *instagramtest.Server {
		if cfg.Now == nil { // a case may run the fake on a clock of its own
			cfg.Now = clockNow
		}
		return instagramtest.New(cfg)
	})
	bucket, host := publishtest.MediaHost(t, clock)
	c := instagram.NewClient(ig.URL, "17841400000000001", "ig-token", instagram.Options{
		HTTP: &http.Client{Timeout: timeout}, Clock: clock, Host: host, PollInterval: time.Millisecond, PollTimeout: 2 * time.Second,
	})
	return env{c: c, ig: ig, bucket: bucket, host: host, clock: clock}
}

func TestPublishThroughTheBucket(t *testing.T) {
	e := setup(t, instagramtest.Config{ProcessingPolls: 2}, 5*time.Second)
	ctx := context.Background()
	acct, err := e.c.Verify(ctx)
	if err != nil || acct.Handle != "@smiledental" {
		t.Fatalf("%+v %v", acct, err)
	}
	img := publishtest.JPEG(t, 1080, 1350)
	ref, err := e.c.UploadImage(ctx, publish.Image{Data: img, MIME: "image/jpeg", Alt: "Smiling patient in the chair"})
	if err != nil {
		t.Fatal(err)
	}
	if objs := e.bucket.Objects(); len(objs) != 1 || objs[0] != ref.ID || !strings.Contains(ref.URL, "X-Amz-Signature=") {
		t.Fatalf("objects %v ref %+v", objs, ref)
	}
	res, err := e.c.CreatePost(ctx, publish.Post{Text: "Thank you, Sam! #smile", Media: []publish.MediaRef{ref}})
	if err != nil {
		t.Fatal(err)
	}
	media := e.ig.Media()
	if len(media) != 1 || media[0].ID != res.ID || media[0].Caption != "Thank you, Sam! #smile" || media[0].AltText != "Smiling patient in the chair" {
		t.Fatalf("%+v vs %+v", media, res)
	}
	if !bytes.Equal(media[0].Image, img) {
		t.Error("Instagram's copy differs from the rendered image")
	}
	if !strings.HasPrefix(res.URL, "https://www.instagram.com/p/") {
		t.Errorf("url %q", res.URL)
	}
	if f := e.ig.Fetches(); len(f) != 1 || f[0].Status != 200 || f[0].URL != ref.URL {
		t.Errorf("fetches %+v", f)
	}
	if e.bucket.Gets(ref.ID) != 1 {
		t.Errorf("the bucket served the image %d times", e.bucket.Gets(ref.ID))
	}
	if objs := e.bucket.Objects(); len(objs) != 0 {
		t.Errorf("the image is still in the bucket after Instagram confirmed: %v", objs)
	}
	if c := e.ig.Containers(); len(c) != 1 || c[0].Polls < 3 || e.ig.EarlyPublishes() != 0 {
		t.Errorf("containers %+v early %d: publish only when FINISHED", c, e.ig.EarlyPublishes())
	}

	e.ig.SetEngagement(res.ID, 40, 5, 2, 900)
	m, err := e.c.Metrics(ctx, res.ID)
	if err != nil || m.Reactions != 40 || m.Comments != 5 || m.Shares != 2 || m.Views == nil || *m.Views != 900 {
		t.Errorf("metrics %+v %v", m, err)
	}
	e.ig.EmptyInsights()
	if m, err := e.c.Metrics(ctx, res.ID); err != nil || m.Views != nil || m.Reactions != 0 {
		t.Errorf("empty insights must not invent numbers: %+v %v", m, err)
	}

	err = e.c.DeletePost(ctx, res.ID)
	pe := publishtest.Err(t, err)
	if pe.Kind != publish.KindPermission || !errors.Is(err, instagram.ErrDeleteInApp) || !strings.Contains(pe.Message, "Delete it yourself in the Instagram app") {
		t.Errorf("%+v", pe)
	}
}

func TestImageRulesBeforeUpload(t *testing.T) {
	var pngBuf bytes.Buffer
	png.Encode(&pngBuf, image.NewRGBA(image.Rect(0, 0, 1080, 1080)))
	cases := []struct {
		name string
		data []byte
		code string
		msg  string
	}{
		{"4:5 exactly", publishtest.JPEG(t, 1080, 1350), "", ""},
		{"1.91:1 exactly", publishtest.JPEG(t, 1910, 1000), "", ""},
		{"square", publishtest.JPEG(t, 1080, 1080), "", ""},
		{"a pixel too tall", publishtest.JPEG(t, 1080, 1351), "image_aspect", "1080×1351 pixels, too tall"},
		{"story 9:16", publishtest.JPEG(t, 1080, 1920), "image_aspect", "too tall for Instagram"},
		{"2:1 banner", publishtest.JPEG(t, 2000, 1000), "image_aspect", "too wide for Instagram"},
		{"png", pngBuf.Bytes(), "image_not_jpeg", "The image is a PNG; Instagram posts need a JPEG"},
		{"not an image", []byte("GIF89a but not really"), "image_unreadable", "could not be read"},
		{"over 8 MB", append(publishtest.JPEG(t, 100, 100), make([]byte, 8<<20)...), "image_too_large", "at most 8 MB"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := setup(t, instagramtest.Config{}, 5*time.Second)
			_, err := e.c.UploadImage(context.Background(), publish.Image{Data: tc.data, MIME: "image/jpeg"})
			if tc.code == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			pe := publishtest.Err(t, err)
			if pe.Kind != publish.KindRejected || pe.Code != tc.code || !strings.Contains(pe.Message, tc.msg) {
				t.Errorf("%s %s %q", pe.Kind, pe.Code, pe.Message)
			}
			if objs := e.bucket.Objects(); len(objs) != 0 {
				t.Errorf("a refused image was uploaded: %v", objs)
			}
		})
	}
}

func TestNoMediaHost(t *testing.T) {
	c := instagram.NewClient("http://127.0.0.1:1", "1", "t", instagram.Options{})
	_, err := c.UploadImage(context.Background(), publish.Image{Data: publishtest.JPEG(t, 1080, 1080), MIME: "image/jpeg"})
	if pe := publishtest.Err(t, err); !errors.Is(err, publish.ErrNoMediaHost) || pe.Kind != publish.KindRejected || !strings.Contains(pe.Message, "Settings → Media hosting") {
		t.Errorf("%+v", pe)
	}
}

// The fake really downloads image_url; each way the download can go wrong
// fails the container, and the object leaves the bucket all the same.
func TestContainerFailsWhenTheFetchFails(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name  string
		cfg   instagramtest.Config
		image []byte
		// prep runs between upload and post, e.g. to let the URL expire.
		prep func(e env, ref publish.MediaRef)
		code string
		msg  string
	}{
		{name: "presigned URL expired", image: publishtest.JPEG(t, 1080, 1080),
			prep: func(e env, _ publish.MediaRef) { e.clock.Advance(hosting.DefaultTTL + time.Second) },
			code: "ERROR/2207052", msg: "could not download the image from the practice's storage bucket"},
		{name: "object gone", image: publishtest.JPEG(t, 1080, 1080),
			prep: func(e env, ref publish.MediaRef) { e.host.Delete(ctx, ref.ID) },
			code: "ERROR/2207052", msg: "Test connection"},
		{name: "too big for the fetcher", cfg: instagramtest.Config{MaxBytes: 2000}, image: publishtest.JPEG(t, 1080, 1080),
			code: "ERROR/2207004", msg: "larger than 8 MB"},
		{name: "wrong aspect found on download", image: publishtest.JPEG(t, 1080, 1920),
			code: "ERROR/2207009", msg: "between 4:5 portrait and 1.91:1 landscape"},
		{name: "wrong aspect, synchronous error", cfg: instagramtest.Config{SyncErrors: true}, image: publishtest.JPEG(t, 1080, 1920),
			code: "36003/2207009", msg: "between 4:5 portrait and 1.91:1 landscape"},
		{name: "expired URL, synchronous error", cfg: instagramtest.Config{SyncErrors: true}, image: publishtest.JPEG(t, 1080, 1080),
			prep: func(e env, _ publish.MediaRef) { e.clock.Advance(time.Hour) },
			code: "-2/2207052", msg: "could not download the image"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := setup(t, tc.cfg, 5*time.Second)
			// Upload straight to the host so the fake, not the client's own
			// check, judges the image.
			h, err := e.host.Put(ctx, publish.Image{Data: tc.image, MIME: "image/jpeg"})
			if err != nil {
				t.Fatal(err)
			}
			ref := publish.MediaRef{ID: h.Key, URL: h.URL}
			if tc.prep != nil {
				tc.prep(e, ref)
			}
			_, err = e.c.CreatePost(ctx, publish.Post{Text: "Caption", Media: []publish.MediaRef{ref}})
			pe := publishtest.Err(t, err)
			if pe.Kind != publish.KindRejected || pe.Code != tc.code || !strings.Contains(pe.Message, tc.msg) || pe.Uncertain {
				t.Fatalf("%s %s uncertain=%v %q", pe.Kind, pe.Code, pe.Uncertain, pe.Message)
			}
			if len(e.ig.Media()) != 0 || e.ig.EarlyPublishes() != 0 {
				t.Error("a failed container was published")
			}
			if objs := e.bucket.Objects(); len(objs) != 0 {
				t.Errorf("the image stayed in the bucket after the failure: %v", objs)
			}
		})
	}
	t.Run("expired URL is refused by the bucket", func(t *testing.T) {
		e := setup(t, instagramtest.Config{}, 5*time.Second)
		ref, err := e.c.UploadImage(ctx, publish.Image{Data: publishtest.JPEG(t, 1080, 1080), MIME: "image/jpeg"})
		if err != nil {
			t.Fatal(err)
		}
		e.clock.Advance(16 * time.Minute)
		e.c.CreatePost(ctx, publish.Post{Text: "x", Media: []publish.MediaRef{ref}})
		if f := e.ig.Fetches(); len(f) != 1 || f[0].Status != http.StatusForbidden {
			t.Errorf("fetches %+v", f)
		}
		if r := e.bucket.Refused(); len(r) != 1 || r[0] != "expired" {
			t.Errorf("refused %v", r)
		}
	})
}

// tick is a clock that moves an hour every time it is read, so a container
// polled long enough outlives Instagram's 24 hours.
type tick struct {
	mu sync.Mutex
	t  time.Time
}

func (k *tick) Now() time.Time {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.t = k.t.Add(time.Hour)
	return k.t
}

func TestContainerExpiry(t *testing.T) {
	k := &tick{t: now}
	e := setup(t, instagramtest.Config{ProcessingPolls: 1000, Now: k.Now}, 5*time.Second)
	ctx := context.Background()
	ref, err := e.c.UploadImage(ctx, publish.Image{Data: publishtest.JPEG(t, 1080, 1080), MIME: "image/jpeg"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.c.CreatePost(ctx, publish.Post{Text: "Expiring", Media: []publish.MediaRef{ref}})
	pe := publishtest.Err(t, err)
	if pe.Kind != publish.KindTransient || pe.Code != "EXPIRED" || pe.Uncertain || !strings.Contains(pe.Message, "expire") {
		t.Fatalf("%s %s %v %q", pe.Kind, pe.Code, pe.Uncertain, pe.Message)
	}
	if c := e.ig.Containers(); len(c) != 1 || c[0].Polls < 23 || c[0].Published {
		t.Errorf("container %+v", c)
	}
	if len(e.ig.Media()) != 0 || e.ig.EarlyPublishes() != 0 {
		t.Error("published an unfinished container")
	}
	if objs := e.bucket.Objects(); len(objs) != 0 {
		t.Errorf("bucket %v", objs)
	}
}

func TestQuotaIsReadNotAssumed(t *testing.T) {
	ctx := context.Background()
	post := func(e env, text string) error {
		ref, err := e.c.UploadImage(ctx, publish.Image{Data: publishtest.JPEG(t, 1080, 1080), MIME: "image/jpeg"})
		if err != nil {
			return err
		}
		_, err = e.c.CreatePost(ctx, publish.Post{Text: text, Media: []publish.MediaRef{ref}})
		return err
	}
	e := setup(t, instagramtest.Config{QuotaTotal: 3}, 5*time.Second)
	e.ig.Seed("old enough to have left the window", now.Add(-25*time.Hour))
	e.ig.Seed("one", now.Add(-20*time.Hour))
	e.ig.Seed("two", now.Add(-1*time.Hour))
	q, err := e.c.Quota(ctx)
	if err != nil || q != (instagram.Quota{Used: 2, Total: 3, Window: 24 * time.Hour}) {
		t.Fatalf("%+v %v", q, err)
	}
	if err := post(e, "third of three"); err != nil {
		t.Fatal(err)
	}
	err = post(e, "fourth")
	pe := publishtest.Err(t, err)
	if pe.Kind != publish.KindRateLimited || !pe.ResetAt.Equal(now.Add(4*time.Hour)) || !strings.Contains(pe.Message, "3 posts per day") {
		t.Fatalf("%s reset %v %q", pe.Kind, pe.ResetAt, pe.Message)
	}
	if d, ok := publish.RetryDelay(err, now, 1); !ok || d != 4*time.Hour {
		t.Errorf("retry after %v", d)
	}
	if n := len(e.ig.Containers()); n != 1 {
		t.Errorf("%d containers: no container should be made once the quota is used", n)
	}
	if objs := e.bucket.Objects(); len(objs) != 0 {
		t.Errorf("bucket %v", objs)
	}

	// The limit met at media_publish itself (another app posted meanwhile).
	e2 := setup(t, instagramtest.Config{}, 5*time.Second)
	e2.ig.Faults.Add(fault.Fault{Path: "media_publish", Status: 403, Code: 9, Times: 1})
	if pe := publishtest.Err(t, post(e2, "raced")); pe.Kind != publish.KindRateLimited {
		t.Errorf("%+v", pe)
	}
}

func TestLostPublishAnswerIsReadBack(t *testing.T) {
	e := setup(t, instagramtest.Config{}, 300*time.Millisecond)
	ctx := context.Background()
	ref, err := e.c.UploadImage(ctx, publish.Image{Data: publishtest.JPEG(t, 1080, 1080), MIME: "image/jpeg"})
	if err != nil {
		t.Fatal(err)
	}
	e.ig.Faults.Add(fault.Fault{Method: "POST", Path: "media_publish", AfterCommit: fault.Hang, Times: 1})
	res, err := e.c.CreatePost(ctx, publish.Post{Text: "Live despite the timeout", Media: []publish.MediaRef{ref}})
	if err != nil {
		t.Fatalf("a live post was reported as failed: %v", err)
	}
	if m := e.ig.Media(); len(m) != 1 || m[0].ID != res.ID {
		t.Fatalf("%+v %+v", m, res)
	}
}

func TestPublishServerErrorIsUncertainThenRetried(t *testing.T) {
	e := setup(t, instagramtest.Config{}, 5*time.Second)
	ctx := context.Background()
	p := publish.Post{Text: "After a 500"}
	since := e.clock.Now()
	ref, _ := e.c.UploadImage(ctx, publish.Image{Data: publishtest.JPEG(t, 1080, 1080), MIME: "image/jpeg"})
	p.Media = []publish.MediaRef{ref}
	e.ig.Faults.Add(fault.Fault{Path: "media_publish", Status: 500, Times: 1})
	_, err := e.c.CreatePost(ctx, p)
	if pe := publishtest.Err(t, err); pe.Kind != publish.KindTransient || !pe.Uncertain {
		t.Fatalf("%+v", pe)
	}
	if _, ok, err := e.c.FindPost(ctx, p, since); ok || err != nil {
		t.Fatalf("found a post that was never made: %v", err)
	}
	ref, _ = e.c.UploadImage(ctx, publish.Image{Data: publishtest.JPEG(t, 1080, 1080), MIME: "image/jpeg"})
	p.Media = []publish.MediaRef{ref}
	if _, err := e.c.CreatePost(ctx, p); err != nil {
		t.Fatal(err)
	}
	if n := len(e.ig.Media()); n != 1 {
		t.Errorf("%d posts", n)
	}
	if objs := e.bucket.Objects(); len(objs) != 0 {
		t.Errorf("bucket %v", objs)
	}
}

func TestPostChecks(t *testing.T) {
	ctx := context.Background()
	e := setup(t, instagramtest.Config{}, 5*time.Second)
	cases := []struct {
		name string
		post publish.Post
		code string
	}{
		{"no image", publish.Post{Text: "text only"}, "image_required"},
		{"caption 2,201", publish.Post{Text: strings.Repeat("a", 2201), Media: []publish.MediaRef{{ID: "practicepost/x.jpg", URL: "http://example.invalid/x.jpg"}}}, "caption_too_long"},
		{"scheduled", publish.Post{Text: "later", ScheduledAt: now.Add(time.Hour), Media: []publish.MediaRef{{ID: "k", URL: "u"}}}, "no_native_schedule"},
	}
	for _, tc := range cases {
		_, err := e.c.CreatePost(ctx, tc.post)
		if pe := publishtest.Err(t, err); pe.Kind != publish.KindRejected || pe.Code != tc.code {
			t.Errorf("%s: %s %s", tc.name, pe.Kind, pe.Code)
		}
	}
	e.ig.ExpireToken()
	_, err := e.c.Verify(ctx)
	if pe := publishtest.Err(t, err); pe.Kind != publish.KindAuth || pe.Code != "190/463" {
		t.Errorf("%+v", pe)
	}
}

// The collector reads followers from any connector that can give them.
var _ collect.FollowerCounter = (*instagram.Client)(nil)

// TestFollowers is the account's follower count against the fake Graph
// API, and the ways it is not given: a token without instagram_basic
// (permission: no count this time, the collector goes on), the field left
// out (no count is not zero), Meta's throttling (the channel waits for
// the reset) and an expired token (reconnect).
func TestFollowers(t *testing.T) {
	publishtest.Followers(t, publishtest.FollowersRig[instagramtest.Config, *instagramtest.Server]{
		Want: 2048,
		Start: func(t *testing.T, cfg instagramtest.Config) (publishtest.FollowerCounter, *instagramtest.Server) {
			e := setup(t, cfg, 5*time.Second)
			e.ig.SetFollowers(2048)
			return e.c, e.ig
		},
		Cases: []publishtest.FollowersCase[instagramtest.Config, *instagramtest.Server]{
			{Name: "missing permission", Config: instagramtest.Config{TokenScopes: []string{"instagram_content_publish", "pages_show_list"}}, Kind: publish.KindPermission, Code: "10"},
			{Name: "count left out", Prep: func(_ *testing.T, s *instagramtest.Server) { s.SetFollowers(-1) }, Kind: publish.KindRejected, Code: "no_followers_count"},
			// The connector waits Graph's rolling hour on Instagram, whatever the usage header says.
			{Name: "throttled", Prep: func(_ *testing.T, s *instagramtest.Server) {
				s.Faults.Add(fault.Fault{Status: 429, Code: 4, Reset: 12 * time.Minute, Times: 1})
			}, Kind: publish.KindRateLimited, Code: "4", Reset: now.Add(time.Hour)},
			{Name: "token expired", Prep: func(_ *testing.T, s *instagramtest.Server) { s.ExpireToken() }, Kind: publish.KindAuth, Code: "190/463"},
		},
	})
}
