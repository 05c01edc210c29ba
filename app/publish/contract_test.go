package publish_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"practicepost/app"
	"practicepost/app/publish"
	"practicepost/app/publish/bluesky"
	bsfake "practicepost/app/publish/bluesky/fake"
	"practicepost/app/publish/facebook"
	fbfake "practicepost/app/publish/facebook/fake"
	"practicepost/app/publish/mastodon"
	mafake "practicepost/app/publish/mastodon/fake"
)

// platform is one connector wired to its fake, seen only through the
// Publisher interface, as the queue will see it.
type platform struct {
	name       string
	pub        publish.Publisher
	createPath string
	addFault   func(bsfake.Fault)
	count      func() int
}

func platforms(t *testing.T, clock *app.FixedClock, timeout time.Duration) []platform {
	hc := &http.Client{Timeout: timeout}
	fb := fbfake.New(fbfake.Config{Now: clock.Now})
	ma := mafake.New(mafake.Config{Now: clock.Now})
	bs := bsfake.New(bsfake.Config{Now: clock.Now})
	t.Cleanup(func() { fb.Close(); ma.Close(); bs.Close() })
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
			name: "facebook", pub: facebook.NewClient(fb.URL, "100200300", "page-token", facebook.Options{HTTP: hc, Clock: clock}),
			createPath: "/feed", addFault: func(f bsfake.Fault) { fb.Faults.Add(f) },
			count: func() int { p := fb.Posts(); return live(len(p), func(i int) bool { return p[i].Deleted }) },
		},
		{
			name: "mastodon", pub: mastodon.NewClient(ma.URL, "masto-token", mastodon.Options{HTTP: hc, Clock: clock}),
			createPath: "/api/v1/statuses", addFault: func(f bsfake.Fault) { ma.Faults.Add(f) },
			count: func() int { s := ma.Statuses(); return live(len(s), func(i int) bool { return s[i].Deleted }) },
		},
		{
			name: "bluesky", pub: bluesky.NewClient(bs.URL, "smiledental.bsky.social", "abcd-efgh-ijkl-mnop", bluesky.Options{HTTP: hc, Clock: clock}),
			createPath: "createRecord", addFault: func(f bsfake.Fault) { bs.Faults.Add(f) },
			count: func() int { r := bs.Records(); return live(len(r), func(i int) bool { return r[i].Deleted }) },
		},
	}
}

// deliver is the reconciliation rule the queue follows: after an uncertain
// failure, look before trying again.
func deliver(ctx context.Context, pub publish.Publisher, p publish.Post, since time.Time, attempts int) (publish.Result, error) {
	var err error
	for i := 0; i < attempts; i++ {
		var res publish.Result
		res, err = pub.CreatePost(ctx, p)
		if err == nil {
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

func TestExactlyOnePostAfterLostResponse(t *testing.T) {
	clock := &app.FixedClock{T: now}
	for _, pl := range platforms(t, clock, 300*time.Millisecond) {
		t.Run(pl.name, func(t *testing.T) {
			ctx := context.Background()
			post := publish.Post{Text: "Lost answer from " + pl.name, Key: "pub-" + pl.name, CreatedAt: clock.Now()}
			pl.addFault(bsfake.Fault{Method: "POST", Path: pl.createPath, AfterCommit: bsfake.Hang, Times: 1})
			res, err := deliver(ctx, pl.pub, post, clock.Now(), 3)
			if err != nil {
				t.Fatal(err)
			}
			if n := pl.count(); n != 1 {
				t.Fatalf("%d posts, want exactly one", n)
			}
			if err := pl.pub.DeletePost(ctx, res.ID); err != nil {
				t.Fatalf("the id reconciliation returned cannot be deleted: %v", err)
			}
			if n := pl.count(); n != 0 {
				t.Errorf("%d posts after takedown", n)
			}
		})
	}
}

func TestServerErrorThenSuccess(t *testing.T) {
	clock := &app.FixedClock{T: now}
	for _, pl := range platforms(t, clock, 5*time.Second) {
		t.Run(pl.name, func(t *testing.T) {
			ctx := context.Background()
			pl.addFault(bsfake.Fault{Method: "POST", Path: pl.createPath, Status: 503, Times: 1})
			post := publish.Post{Text: "After a 503 on " + pl.name, Key: "k-" + pl.name, CreatedAt: clock.Now()}
			if _, err := deliver(ctx, pl.pub, post, clock.Now(), 3); err != nil {
				t.Fatal(err)
			}
			if n := pl.count(); n != 1 {
				t.Errorf("%d posts", n)
			}
		})
	}
}

func TestRateLimitCarriesReset(t *testing.T) {
	clock := &app.FixedClock{T: now}
	for _, pl := range platforms(t, clock, 5*time.Second) {
		t.Run(pl.name, func(t *testing.T) {
			pl.addFault(bsfake.Fault{Status: 429, Reset: 9 * time.Minute, Times: 1})
			_, err := pl.pub.CreatePost(context.Background(), publish.Post{Text: "too fast"})
			d, ok := publish.RetryDelay(err, now, 1)
			if publish.KindOf(err) != publish.KindRateLimited || !ok || d != 9*time.Minute {
				t.Errorf("err %v: delay %v %v", err, d, ok)
			}
		})
	}
}
