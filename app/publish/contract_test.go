package publish_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"practicepost/app"
	"practicepost/app/auth"
	"practicepost/app/internal/testimage"
	"practicepost/app/publish"
	"practicepost/app/publish/bluesky"
	bsfake "practicepost/app/publish/bluesky/blueskytest"
	"practicepost/app/publish/facebook"
	fbfake "practicepost/app/publish/facebook/facebooktest"
	"practicepost/app/publish/fault"
	"practicepost/app/publish/gbp"
	gbpfake "practicepost/app/publish/gbp/gbptest"
	hostfake "practicepost/app/publish/hosting/hostingtest"
	"practicepost/app/publish/instagram"
	igfake "practicepost/app/publish/instagram/instagramtest"
	"practicepost/app/publish/internal/publishtest"
	"practicepost/app/publish/linkedin"
	lifake "practicepost/app/publish/linkedin/linkedintest"
	"practicepost/app/publish/mastodon"
	mafake "practicepost/app/publish/mastodon/mastodontest"
	"practicepost/app/publish/x"
	xfake "practicepost/app/publish/x/xtest"
)

// platform is one connector wired to its fake, seen only through the
// Publisher interface, as the queue will see it. Every fake shares one
// fault type (app/publish/fault).
type platform struct {
	name       string
	pub        publish.Publisher
	createPath string
	addFault   func(fault.Fault)
	count      func() int // posts live on the fake
	canDelete  bool
	// withImage: the post goes with a photo, uploaded afresh for every
	// attempt (Instagram cannot post without one; Google and Instagram
	// take it through the bucket).
	withImage bool
	// limited is how long a 429 (with a 9-minute reset where the platform
	// sends one) holds the channel: Meta's Instagram limits and Google's
	// per-minute quota carry no reset time, LinkedIn's is the day (UTC).
	limited time.Duration
}

// platforms wires all seven connectors to their fakes, and Instagram and
// Google to one bucket.
func platforms(t *testing.T, clock *app.FixedClock, timeout time.Duration) ([]platform, *hostfake.Server) {
	hc := &http.Client{Timeout: timeout}
	bucket, host := publishtest.MediaHost(t, clock)
	fb := fbfake.New(fbfake.Config{Now: clock.Now})
	ma := mafake.New(mafake.Config{Now: clock.Now})
	bs := bsfake.New(bsfake.Config{Now: clock.Now})
	ig := igfake.New(igfake.Config{Now: clock.Now, ProcessingPolls: 1})
	li := lifake.New(lifake.Config{Now: clock.Now, ProcessingPolls: 1})
	gb := gbpfake.New(gbpfake.Config{Now: clock.Now})
	xs := xfake.New(xfake.Config{Now: clock.Now})
	t.Cleanup(func() {
		fb.Close()
		ma.Close()
		bs.Close()
		ig.Close()
		li.Close()
		gb.Close()
		xs.Close()
	})
	live := func(n int, deleted func(int) bool) int {
		c := 0
		for i := 0; i < n; i++ {
			if !deleted(i) {
				c++
			}
		}
		return c
	}
	return []platform{
		{
			name: "facebook", limited: 9 * time.Minute, pub: facebook.NewClient(fb.URL, "100200300", "page-token", facebook.Options{HTTP: hc, Clock: clock}),
			createPath: "/feed", addFault: func(f fault.Fault) { fb.Faults.Add(f) }, canDelete: true,
			count: func() int { p := fb.Posts(); return live(len(p), func(i int) bool { return p[i].Deleted }) },
		},
		{
			name: "mastodon", limited: 9 * time.Minute, pub: mastodon.NewClient(ma.URL, "masto-token", mastodon.Options{HTTP: hc, Clock: clock}),
			createPath: "/api/v1/statuses", addFault: func(f fault.Fault) { ma.Faults.Add(f) }, canDelete: true,
			count: func() int { s := ma.Statuses(); return live(len(s), func(i int) bool { return s[i].Deleted }) },
		},
		{
			name: "bluesky", limited: 9 * time.Minute, pub: bluesky.NewClient(bs.URL, "smiledental.bsky.social", "abcd-efgh-ijkl-mnop", bluesky.Options{HTTP: hc, Clock: clock}),
			createPath: "createRecord", addFault: func(f fault.Fault) { bs.Faults.Add(f) }, canDelete: true,
			count: func() int { r := bs.Records(); return live(len(r), func(i int) bool { return r[i].Deleted }) },
		},
		{
			name: "instagram", limited: time.Hour, createPath: "media_publish", addFault: func(f fault.Fault) { ig.Faults.Add(f) }, withImage: true,
			pub:   instagram.NewClient(ig.URL, "17841400000000001", "ig-token", instagram.Options{HTTP: hc, Clock: clock, Host: host, PollInterval: time.Millisecond}),
			count: func() int { return len(ig.Media()) },
		},
		{
			name: "linkedin", limited: 15 * time.Hour, createPath: "/rest/posts", addFault: func(f fault.Fault) { li.Faults.Add(f) }, canDelete: true, withImage: true,
			pub:   linkedin.NewClient(li.URL, "2414183", "li-token", linkedin.Options{HTTP: hc, Clock: clock, PollInterval: time.Millisecond}),
			count: func() int { p := li.Posts(); return live(len(p), func(i int) bool { return p[i].Deleted }) },
		},
		{
			name: "google", limited: time.Minute, createPath: "/localPosts", addFault: func(f fault.Fault) { gb.Faults.Add(f) }, canDelete: true, withImage: true,
			pub:   gbp.NewClient(gb.URL, "1122334455", "9988776655", "g-token", gbp.Options{HTTP: hc, Clock: clock, Host: host, InfoURL: gb.URL, PollInterval: time.Millisecond}),
			count: gb.Live,
		},
		{
			name: "x", limited: 9 * time.Minute, createPath: "/2/tweets", addFault: func(f fault.Fault) { xs.Faults.Add(f) }, canDelete: true, withImage: true,
			pub:   x.NewClient(xs.URL, "x-token", x.Options{HTTP: hc, Clock: clock}),
			count: func() int { p := xs.Posts(); return live(len(p), func(i int) bool { return p[i].Deleted }) },
		},
	}, bucket
}

// deliver is the rule the queue follows: upload any photo afresh for every
// attempt and, after an uncertain failure, look before trying again.
func deliver(ctx context.Context, pub publish.Publisher, p publish.Post, img *publish.Image, since time.Time, attempts int) (publish.Result, error) {
	var err error
	for i := 0; i < attempts; i++ {
		if img != nil {
			var ref publish.MediaRef
			if ref, err = pub.UploadImage(ctx, *img); err != nil {
				return publish.Result{}, err
			}
			p.Media = []publish.MediaRef{ref}
		}
		var res publish.Result
		if res, err = pub.CreatePost(ctx, p); err == nil {
			return res, nil
		}
		var pe *publish.Error
		if !errors.As(err, &pe) || !pe.Retryable() {
			return publish.Result{}, err
		}
		if pe.Uncertain {
			found, ok, ferr := pub.FindPost(ctx, p, since)
			if ferr != nil {
				return publish.Result{}, ferr
			}
			if ok {
				return found, nil
			}
		}
	}
	return publish.Result{}, err
}

func photoFor(t *testing.T, pl platform) *publish.Image {
	if !pl.withImage {
		return nil
	}
	return &publish.Image{Data: testimage.NoisyJPEG(t, 400, 400), MIME: "image/jpeg", Alt: "The practice's front door", Width: 400, Height: 400}
}

// eachPlatform runs f as a subtest for every platform wired to its fake,
// all on one fixed clock; it returns the bucket Instagram and Google host
// their images in.
func eachPlatform(t *testing.T, timeout time.Duration, f func(t *testing.T, pl platform, clock *app.FixedClock)) *hostfake.Server {
	clock := &app.FixedClock{T: now}
	pls, bucket := platforms(t, clock, timeout)
	for _, pl := range pls {
		t.Run(pl.name, func(t *testing.T) { f(t, pl, clock) })
	}
	return bucket
}

// noneLeft fails the test when a hosted image outlived its delivery: the
// connectors delete what they hosted once the platform has fetched it.
func noneLeft(t *testing.T, bucket *hostfake.Server) {
	t.Helper()
	if objs := bucket.Objects(); len(objs) != 0 {
		t.Errorf("hosted images left behind: %v", objs)
	}
}

func TestExactlyOnePostAfterLostResponse(t *testing.T) {
	bucket := eachPlatform(t, 300*time.Millisecond, func(t *testing.T, pl platform, clock *app.FixedClock) {
		ctx := context.Background()
		post := publish.Post{Text: "Lost answer from " + pl.name, Key: "pub-" + pl.name, CreatedAt: clock.Now()}
		pl.addFault(fault.Fault{Method: "POST", Path: pl.createPath, AfterCommit: fault.Hang, Times: 1})
		res, err := deliver(ctx, pl.pub, post, photoFor(t, pl), clock.Now(), 3)
		if err != nil {
			t.Fatal(err)
		}
		if n := pl.count(); n != 1 {
			t.Fatalf("%d posts, want exactly one", n)
		}
		err = pl.pub.DeletePost(ctx, res.ID)
		if d, _ := pl.pub.Platform().Info(); d.Deletes() != pl.canDelete {
			t.Errorf("the platform descriptor says deletes=%v; the connector's contract says %v", d.Deletes(), pl.canDelete)
		}
		if !pl.canDelete {
			if publish.KindOf(err) != publish.KindPermission {
				t.Errorf("delete where the platform allows none: %v", err)
			}
			return
		}
		if err != nil || pl.count() != 0 {
			t.Errorf("takedown of the reconciled id: %v, %d left", err, pl.count())
		}
	})
	noneLeft(t, bucket)
}

func TestServerErrorThenSuccess(t *testing.T) {
	bucket := eachPlatform(t, 5*time.Second, func(t *testing.T, pl platform, clock *app.FixedClock) {
		pl.addFault(fault.Fault{Method: "POST", Path: pl.createPath, Status: 503, Times: 1})
		post := publish.Post{Text: "After a 503 on " + pl.name, Key: "k-" + pl.name, CreatedAt: clock.Now()}
		if _, err := deliver(context.Background(), pl.pub, post, photoFor(t, pl), clock.Now(), 3); err != nil {
			t.Fatal(err)
		}
		if n := pl.count(); n != 1 {
			t.Errorf("%d posts", n)
		}
	})
	noneLeft(t, bucket)
}

func TestRateLimitCarriesReset(t *testing.T) {
	eachPlatform(t, 5*time.Second, func(t *testing.T, pl platform, clock *app.FixedClock) {
		pl.addFault(fault.Fault{Status: 429, Reset: 9 * time.Minute, Times: 1})
		_, err := deliver(context.Background(), pl.pub, publish.Post{Text: "too fast"}, photoFor(t, pl), clock.Now(), 1)
		d, ok := publish.RetryDelay(err, now, 1)
		if publish.KindOf(err) != publish.KindRateLimited || !ok || d != pl.limited {
			t.Errorf("err %v: delay %v %v", err, d, ok)
		}
	})
}

// TestRefreshFailureDuringPublish runs the token-refresh failure table
// against each connector that signs in with OAuth and refreshes its token.
func TestRefreshFailureDuringPublish(t *testing.T) {
	for _, rig := range []publishtest.RefreshRig{
		{Name: "Google", Provider: "Google Business Profile", Scopes: []string{gbp.Scope},
			Key: "channel:google:1122334455/9988776655", AccountID: "1122334455/9988776655", AccessToken: "g-token", Now: now, Start: refreshingGoogle},
		{Name: "X", Provider: "X", Scopes: x.Scopes,
			Key: "channel:x:1500100900", AccountID: "1500100900", AccessToken: "x-token", Now: now, Start: refreshingX},
	} {
		t.Run(rig.Name, func(t *testing.T) { publishtest.RefreshFailures(t, rig) })
	}
}

func refreshingGoogle(t *testing.T, clock *app.FixedClock, ts *auth.TokenSource, hc *http.Client) (publish.Publisher, func() int) {
	srv := gbpfake.New(gbpfake.Config{Now: clock.Now})
	t.Cleanup(srv.Close)
	return gbp.NewClient(srv.URL, "1122334455", "9988776655", "", gbp.Options{HTTP: hc, Clock: clock, Tokens: ts, InfoURL: srv.URL}), srv.Live
}

func refreshingX(t *testing.T, clock *app.FixedClock, ts *auth.TokenSource, hc *http.Client) (publish.Publisher, func() int) {
	srv := xfake.New(xfake.Config{Now: clock.Now})
	t.Cleanup(srv.Close)
	return x.NewClient(srv.URL, "", x.Options{HTTP: hc, Clock: clock, Tokens: ts}), func() int { return len(srv.Posts()) }
}
