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

	"practicepost/app/publish"
	"practicepost/app/publish/gbp"
	"practicepost/app/publish/gbp/gbptest"
	"practicepost/app/publish/internal/publishtest"
)

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
	ref, err := c.UploadImage(ctx, publish.Image{Data: photo(t, 300, 300), MIME: "image/jpeg"})
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
	e.g.Faults.Add(gbptest.Fault{Method: "GET", Path: "/localPosts/", Status: 503, Times: 1})
	res, err := e.c.CreatePost(ctx, p)
	stillProcessing(t, res, err)

	e.g.Faults.Add(gbptest.Fault{Method: "GET", Path: "/localPosts/", Status: 503, Times: 1})
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
