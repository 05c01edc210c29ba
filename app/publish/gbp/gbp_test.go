package gbp_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"practicepost/app"
	"practicepost/app/internal/testimage"
	"practicepost/app/publish"
	"practicepost/app/publish/fault"
	"practicepost/app/publish/gbp"
	"practicepost/app/publish/gbp/gbptest"
	"practicepost/app/publish/hosting"
	hostfake "practicepost/app/publish/hosting/hostingtest"
	"practicepost/app/publish/internal/publishtest"
)

var now = time.Date(2026, 9, 14, 9, 30, 0, 0, time.UTC)

type env struct {
	c      *gbp.Client
	g      *gbptest.Server
	bucket *hostfake.Server
	host   *hosting.Bucket
	clock  *app.FixedClock
}

func setup(t *testing.T, cfg gbptest.Config, timeout time.Duration) env {
	t.Helper()
	g, clock := start(t, cfg)
	bucket, host := publishtest.MediaHost(t, clock)
	c := client(g, gbp.Options{HTTP: &http.Client{Timeout: timeout}, Clock: clock, Host: host, PollInterval: time.Millisecond})
	return env{c: c, g: g, bucket: bucket, host: host, clock: clock}
}

// start runs the fake until the test ends, on a clock set at now that
// the client is given too.
func start(t *testing.T, cfg gbptest.Config) (*gbptest.Server, *app.FixedClock) {
	t.Helper()
	return publishtest.StartFake(t, now, func(clockNow func() time.Time) *gbptest.Server { cfg.Now = clockNow; return gbptest.New(cfg) })
}

// client connects to the fake's location as the tests do: its account and
// location IDs and token, with the fake answering the Business Information
// API too.
func client(g *gbptest.Server, opt gbp.Options) *gbp.Client {
	opt.InfoURL = g.URL
	return gbp.NewClient(g.URL, "1122334455", "9988776655", "g-token", opt)
}

func TestUpdateWithPhotoAndButton(t *testing.T) {
	e := setup(t, gbptest.Config{ProcessingPolls: 2}, 5*time.Second)
	ctx := context.Background()
	acct, err := e.c.Verify(ctx)
	if err != nil || acct.Name != "Smile Dental Clinic" {
		t.Fatalf("%+v %v", acct, err)
	}
	data := testimage.NoisyJPEG(t, 400, 300)
	ref, err := e.c.UploadImage(ctx, publish.Image{Data: data, MIME: "image/jpeg"})
	if err != nil {
		t.Fatal(err)
	}
	res, err := e.c.CreatePost(ctx, publish.Post{Text: "New evening appointments on Thursdays.", Link: "https://smiledental.example/book", Media: []publish.MediaRef{ref}})
	if err != nil {
		t.Fatal(err)
	}
	posts := e.g.Posts()
	if len(posts) != 1 || posts[0].Name != res.ID || posts[0].Summary != "New evening appointments on Thursdays." || posts[0].Topic != "STANDARD" ||
		posts[0].Action != "LEARN_MORE" || posts[0].ActionURL != "https://smiledental.example/book" || !bytes.Equal(posts[0].Photo, data) {
		t.Fatalf("%+v vs %+v", posts, res)
	}
	if posts[0].Polls != 2 || !strings.HasPrefix(res.URL, "https://local.google.com/") {
		t.Errorf("polls %d url %q: wait out PROCESSING, link the LIVE post", posts[0].Polls, res.URL)
	}
	if f := e.g.Fetches(); len(f) != 1 || f[0].Status != 200 || e.bucket.Gets(ref.ID) != 1 {
		t.Errorf("fetches %+v", f)
	}
	if objs := e.bucket.Objects(); len(objs) != 0 {
		t.Errorf("photo left in the bucket: %v", objs)
	}
	if _, err := e.c.Metrics(ctx, res.ID); !errors.Is(err, publish.ErrNoMetrics) {
		t.Errorf("metrics: %v", err)
	}
	if err := e.c.DeletePost(ctx, res.ID); err != nil || e.g.Live() != 0 {
		t.Fatalf("delete %v, live %d", err, e.g.Live())
	}
	if err := e.c.DeletePost(ctx, res.ID); err != nil {
		t.Errorf("second delete: %v", err)
	}
}

func TestTopics(t *testing.T) {
	ctx := context.Background()
	start := time.Date(2026, 10, 3, 9, 0, 0, 0, time.UTC)
	cases := []struct {
		name   string
		post   publish.Post
		check  func(t *testing.T, body map[string]any, p gbptest.Post)
		reject string
	}{
		{name: "event with booking button", post: publish.Post{Text: "Open day: meet the team.", Topic: &publish.Topic{Type: "EVENT", Title: "Practice open day", Start: start, End: start.Add(6 * time.Hour), Action: "BOOK", ActionURL: "https://smiledental.example/openday"}},
			check: func(t *testing.T, body map[string]any, p gbptest.Post) {
				ev := body["event"].(map[string]any)
				sch := ev["schedule"].(map[string]any)
				if ev["title"] != "Practice open day" || sch["startDate"].(map[string]any)["day"] != 3.0 || sch["endTime"].(map[string]any)["hours"] != 15.0 || p.Action != "BOOK" {
					t.Errorf("%v", body)
				}
			}},
		{name: "all-day event has no times", post: publish.Post{Text: "Charity bake sale", Topic: &publish.Topic{Type: "EVENT", Title: "Bake sale", Start: start, End: start, AllDay: true}},
			check: func(t *testing.T, body map[string]any, _ gbptest.Post) {
				if _, ok := body["event"].(map[string]any)["schedule"].(map[string]any)["startTime"]; ok {
					t.Errorf("%v", body)
				}
			}},
		{name: "offer drops the button", post: publish.Post{Text: "20% off whitening in October.", Link: "https://smiledental.example/offer", Topic: &publish.Topic{Type: "OFFER", Title: "Whitening offer", Start: start, End: start.Add(28 * 24 * time.Hour), CouponCode: "SMILE20", Terms: "New patients only.", RedeemURL: "https://smiledental.example/offer", Action: "BOOK"}},
			check: func(t *testing.T, body map[string]any, p gbptest.Post) {
				o := body["offer"].(map[string]any)
				if o["couponCode"] != "SMILE20" || o["termsConditions"] != "New patients only." || body["callToAction"] != nil || p.Action != "" {
					t.Errorf("%v", body)
				}
				if !strings.HasSuffix(p.Summary, "https://smiledental.example/offer") {
					t.Errorf("the link must stay in the text when it is not on a button: %q", p.Summary)
				}
			}},
		{name: "call button has no URL", post: publish.Post{Text: "Toothache? Ring us.", Topic: &publish.Topic{Action: "CALL"}},
			check: func(t *testing.T, body map[string]any, p gbptest.Post) {
				if p.Action != "CALL" || body["callToAction"].(map[string]any)["url"] != nil {
					t.Errorf("%v", body)
				}
			}},
		{name: "event without title", post: publish.Post{Text: "x", Topic: &publish.Topic{Type: "EVENT", Start: start, End: start}}, reject: "needs a title"},
		{name: "event ends before it starts", post: publish.Post{Text: "x", Topic: &publish.Topic{Type: "EVENT", Title: "t", Start: start, End: start.Add(-time.Hour)}}, reject: "ends before it starts"},
		{name: "unknown button", post: publish.Post{Text: "x", Topic: &publish.Topic{Action: "DONATE", ActionURL: "https://x.example"}}, reject: "no \"DONATE\" button"},
		{name: "button without address", post: publish.Post{Text: "x", Topic: &publish.Topic{Action: "SIGN_UP"}}, reject: "needs a web address"},
		{name: "1,501 characters", post: publish.Post{Text: strings.Repeat("a", 1501)}, reject: "Google takes 1500"},
		{name: "alert", post: publish.Post{Text: "x", Topic: &publish.Topic{Type: "ALERT"}}, reject: "does not make Google \"ALERT\" posts"},
		{name: "scheduled", post: publish.Post{Text: "x", ScheduledAt: now.Add(time.Hour)}, reject: "does not schedule"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := setup(t, gbptest.Config{}, 5*time.Second)
			_, err := e.c.CreatePost(ctx, tc.post)
			if tc.reject != "" {
				pe := publishtest.Err(t, err)
				if pe.Kind != publish.KindRejected || !strings.Contains(pe.Message, tc.reject) || len(e.g.Posts()) != 0 {
					t.Fatalf("%s %q", pe.Kind, pe.Message)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			p := e.g.Posts()[0]
			tc.check(t, p.Body, p)
		})
	}
}

func TestRejectedOn200IsNotPublished(t *testing.T) {
	for _, polls := range []int{0, 3} {
		e := setup(t, gbptest.Config{RejectWords: []string{"guaranteed"}, ProcessingPolls: polls}, 5*time.Second)
		ctx := context.Background()
		ref, err := e.c.UploadImage(ctx, publish.Image{Data: testimage.NoisyJPEG(t, 300, 300), MIME: "image/jpeg"})
		if err != nil {
			t.Fatal(err)
		}
		p := publish.Post{Text: "Guaranteed pain-free implants!", Media: []publish.MediaRef{ref}}
		res, err := e.c.CreatePost(ctx, p)
		pe := publishtest.Err(t, err)
		if pe.Kind != publish.KindRejected || pe.Code != "REJECTED" || pe.Status != 200 || res.ID != "" || !strings.Contains(pe.Message, "not on the profile") {
			t.Fatalf("polls %d: %+v %+v", polls, pe, res)
		}
		// Looking it up again (after a lost answer) gives the rejection,
		// never "found" and never "absent", which would send it again.
		if _, ok, err := e.c.FindPost(ctx, p, now); ok || publish.KindOf(err) != publish.KindRejected {
			t.Errorf("a rejected post was looked up as ok=%v err=%v", ok, err)
		}
		if objs := e.bucket.Objects(); len(objs) != 0 {
			t.Errorf("bucket %v", objs)
		}
	}
}

func TestErrors(t *testing.T) {
	ctx := context.Background()
	text := func(e env) error {
		_, err := e.c.CreatePost(ctx, publish.Post{Text: "hello"})
		return err
	}
	cases := []struct {
		name  string
		cfg   gbptest.Config
		prep  func(env)
		call  func(env) error
		kind  publish.Kind
		msg   string
		reset time.Duration
		retry bool
	}{
		{name: "429 per-minute quota", prep: func(e env) { e.g.Faults.Add(fault.Fault{Status: 429, Times: 1}) }, call: text,
			kind: publish.KindRateLimited, reset: time.Minute, retry: true},
		{name: "quota 0: not approved", cfg: gbptest.Config{QuotaZero: true}, call: text, kind: publish.KindPermission, msg: "has not approved"},
		{name: "quota 0 on verify", cfg: gbptest.Config{QuotaZero: true}, call: func(e env) error { _, err := e.c.Verify(ctx); return err },
			kind: publish.KindPermission, msg: "quota is 0"},
		{name: "expired token", prep: func(e env) { e.g.ExpireToken() }, call: text, kind: publish.KindAuth, msg: "reconnect Google", retry: false},
		{name: "server error", prep: func(e env) { e.g.Faults.Add(fault.Fault{Status: 503, Times: 1}) }, call: text, kind: publish.KindTransient, retry: true},
		{name: "wrong location", call: func(e env) error {
			_, err := gbp.NewClient(e.g.URL, "1122334455", "1", "g-token", gbp.Options{}).CreatePost(ctx, publish.Post{Text: "x"})
			return err
		}, kind: publish.KindPermission, msg: "owner or manager"},
		{name: "photo URL expired before Google fetched it", call: func(e env) error {
			ref, err := e.c.UploadImage(ctx, publish.Image{Data: testimage.NoisyJPEG(t, 300, 300), MIME: "image/jpeg"})
			if err != nil {
				return err
			}
			e.clock.Advance(20 * time.Minute)
			_, err = e.c.CreatePost(ctx, publish.Post{Text: "with photo", Media: []publish.MediaRef{ref}})
			return err
		}, kind: publish.KindRejected, msg: "could not download the photo"},
		{name: "photo too light for Google", call: func(e env) error {
			h, err := e.host.Put(ctx, publish.Image{Data: testimage.NoisyJPEG(t, 20, 20), MIME: "image/jpeg"})
			if err != nil {
				return err
			}
			_, err = e.c.CreatePost(ctx, publish.Post{Text: "tiny", Media: []publish.MediaRef{{ID: h.Key, URL: h.URL}}})
			return err
		}, kind: publish.KindRejected, msg: "Photo is too small"},
		{name: "photo under 250 px refused before upload", call: func(e env) error {
			_, err := e.c.UploadImage(ctx, publish.Image{Data: testimage.NoisyJPEG(t, 1000, 200), MIME: "image/jpeg"})
			return err
		}, kind: publish.KindRejected, msg: "at least 250×250"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := setup(t, tc.cfg, 5*time.Second)
			if tc.prep != nil {
				tc.prep(e)
			}
			err := tc.call(e)
			pe := publishtest.Err(t, err)
			if pe.Kind != tc.kind || !strings.Contains(pe.Message, tc.msg) {
				t.Fatalf("%s %s %q", pe.Kind, pe.Code, pe.Message)
			}
			d, ok := publish.RetryDelay(err, now, 1)
			if ok != tc.retry || (tc.reset != 0 && d != tc.reset) {
				t.Errorf("retry %v after %v", ok, d)
			}
			if e.g.Live() != 0 {
				t.Error("a post went live")
			}
			if objs := e.bucket.Objects(); len(objs) != 0 {
				t.Errorf("bucket %v", objs)
			}
		})
	}
}

func TestTextOnlyWithoutHost(t *testing.T) {
	g := gbptest.New(gbptest.Config{Now: func() time.Time { return now }})
	defer g.Close()
	c := gbp.NewClient(g.URL, "1122334455", "9988776655", "g-token", gbp.Options{Clock: &app.FixedClock{T: now}})
	_, err := c.UploadImage(context.Background(), publish.Image{Data: make([]byte, 20000), MIME: "image/jpeg"})
	if pe := publishtest.Err(t, err); !errors.Is(err, publish.ErrNoMediaHost) || !strings.Contains(pe.Message, "without the photo") {
		t.Errorf("%+v", pe)
	}
	if _, err := c.CreatePost(context.Background(), publish.Post{Text: "Text-only works without a bucket."}); err != nil || g.Live() != 1 {
		t.Errorf("%v %d", err, g.Live())
	}
}

func TestLostResponseFoundBySummary(t *testing.T) {
	e := setup(t, gbptest.Config{}, 300*time.Millisecond)
	ctx := context.Background()
	p := publish.Post{Text: "Flu season: we are open as usual.", Link: "https://smiledental.example/"}
	e.g.Faults.Add(fault.Fault{Method: "POST", Path: "/localPosts", AfterCommit: fault.Hang, Times: 1})
	_, err := e.c.CreatePost(ctx, p)
	if pe := publishtest.Err(t, err); !pe.Uncertain {
		t.Fatalf("%+v", pe)
	}
	res, ok, err := e.c.FindPost(ctx, p, now)
	if err != nil || !ok || res.ID != e.g.Posts()[0].Name {
		t.Fatalf("%+v %v %v", res, ok, err)
	}
	if e.g.Live() != 1 {
		t.Errorf("%d live", e.g.Live())
	}
}

// shortWait is a client that gives up waiting after two status reads.
func shortWait(e env) *gbp.Client {
	return client(e.g, gbp.Options{HTTP: &http.Client{Timeout: 5 * time.Second}, Clock: e.clock, Host: e.host,
		PollInterval: time.Millisecond, PollTimeout: 2 * time.Millisecond})
}

// stillProcessing checks the answer for a post Google holds undecided:
// not published, retried later, and looked up before anything is sent.
func stillProcessing(t *testing.T, res publish.Result, err error) {
	t.Helper()
	pe := publishtest.Err(t, err)
	if res.ID != "" || pe.Kind != publish.KindTransient || !pe.Uncertain || pe.Code != "PROCESSING" || !strings.Contains(pe.Message, "not on the profile yet") {
		t.Fatalf("want still processing, got %+v (result %+v)", pe, res)
	}
	if _, ok := publish.RetryDelay(err, now, 1); !ok {
		t.Fatal("a post still processing must be looked at again")
	}
}

func TestProcessingPastTheWaitIsNotPublishedUntilLive(t *testing.T) {
	// Two reads inside CreatePost, then two more lookups still PROCESSING.
	e := setup(t, gbptest.Config{ProcessingPolls: 5}, 5*time.Second)
	c := shortWait(e)
	ctx := context.Background()
	ref, err := c.UploadImage(ctx, publish.Image{Data: testimage.NoisyJPEG(t, 300, 300), MIME: "image/jpeg"})
	if err != nil {
		t.Fatal(err)
	}
	p := publish.Post{Text: "Saturday clinic this week.", Media: []publish.MediaRef{ref}}
	res, err := c.CreatePost(ctx, p)
	stillProcessing(t, res, err)
	if objs := e.bucket.Objects(); len(objs) != 1 {
		t.Errorf("Google may still be fetching the photo, the bucket must keep it: %v", objs)
	}
	for i := 0; i < 2; i++ {
		res, ok, err := c.FindPost(ctx, p, now)
		if ok {
			t.Fatalf("lookup %d: a PROCESSING post was found as published", i)
		}
		stillProcessing(t, res, err)
	}
	res, ok, err := c.FindPost(ctx, p, now)
	posts := e.g.Posts()
	if err != nil || !ok || len(posts) != 1 || res.ID != posts[0].Name || !strings.Contains(res.URL, "lpsid=") {
		t.Fatalf("once LIVE: %+v ok=%v err=%v, %d posts", res, ok, err, len(posts))
	}
}

func TestProcessingThenRejectedIsNeverPublished(t *testing.T) {
	e := setup(t, gbptest.Config{ProcessingPolls: 3, RejectWords: []string{"guaranteed"}}, 5*time.Second)
	c := shortWait(e)
	ctx := context.Background()
	p := publish.Post{Text: "Guaranteed whiter teeth in a week."}
	res, err := c.CreatePost(ctx, p)
	stillProcessing(t, res, err)
	// The third read is Google's decision.
	for i := 0; i < 2; i++ {
		_, ok, err := c.FindPost(ctx, p, now)
		pe := publishtest.Err(t, err)
		if ok || pe.Kind != publish.KindRejected || pe.Code != "REJECTED" || pe.Uncertain || !strings.Contains(pe.Message, "Google rejected this post") {
			t.Fatalf("lookup %d: ok=%v %+v", i, ok, pe)
		}
		if publish.KindOf(err) == publish.KindRejected && len(pe.Raw) == 0 {
			t.Error("Google's answer is not kept for support")
		}
	}
	if e.g.Live() != 0 || len(e.g.Posts()) != 1 {
		t.Fatalf("%d live of %d", e.g.Live(), len(e.g.Posts()))
	}
}

func TestStatusReadFailingLeavesThePostUndecided(t *testing.T) {
	e := setup(t, gbptest.Config{ProcessingPolls: 1}, 5*time.Second)
	ctx := context.Background()
	p := publish.Post{Text: "Parking is free after 5 pm."}
	// Reading the post by name fails; the list still works.
	e.g.Faults.Add(fault.Fault{Method: "GET", Path: "/localPosts/", Status: 503, Times: 1})
	res, err := e.c.CreatePost(ctx, p)
	stillProcessing(t, res, err)

	e.g.Faults.Add(fault.Fault{Method: "GET", Path: "/localPosts/", Status: 503, Times: 1})
	_, ok, err := e.c.FindPost(ctx, p, now)
	if pe := publishtest.Err(t, err); ok || pe.Kind != publish.KindTransient {
		t.Fatalf("a failed status read must leave it waiting: ok=%v %+v", ok, pe)
	}
	res, ok, err = e.c.FindPost(ctx, p, now)
	if err != nil || !ok || res.ID != e.g.Posts()[0].Name {
		t.Fatalf("%+v %v %v", res, ok, err)
	}
}

// cancelAfterCreate stops the caller's context as soon as Google's answer
// to the create is in hand, as quitting PracticePost would mid-wait.
type cancelAfterCreate struct {
	cancel context.CancelFunc
}

func (c cancelAfterCreate) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(r)
	if err != nil || r.Method != http.MethodPost {
		return resp, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	c.cancel()
	return resp, err
}

func TestCancelledWhileProcessingIsNotPublished(t *testing.T) {
	e := setup(t, gbptest.Config{ProcessingPolls: 100}, 5*time.Second)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c := client(e.g, gbp.Options{HTTP: &http.Client{Timeout: 5 * time.Second, Transport: cancelAfterCreate{cancel}}, Clock: e.clock,
		PollInterval: time.Hour, PollTimeout: 2 * time.Hour})
	res, err := c.CreatePost(ctx, publish.Post{Text: "Closed for training on Friday."})
	stillProcessing(t, res, err)
	if pe := publishtest.Err(t, err); !errors.Is(pe, context.Canceled) || len(e.g.Posts()) != 1 {
		t.Errorf("cause %v, %d posts", pe.Err, len(e.g.Posts()))
	}
}
