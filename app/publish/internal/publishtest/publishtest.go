// Package publishtest holds what the connectors' tests share: reading a
// connector's error, test images, a transport that records what a
// connector sends, and the token-refresh failure table every OAuth
// connector must pass, the follower-count contract, a fake started on a
// fixed clock, the client a connector under test sends through, the
// comments it lists by ID, and Send, which posts without the queue. Tests
// only.
package publishtest

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/jpeg"
	"testing"
	"time"

	"practicepost/app"
	"practicepost/app/publish"
	"practicepost/app/publish/hosting"
	"practicepost/app/publish/hosting/hostingtest"
)

// Err returns err as a *publish.Error, failing the test when it is not one.
func Err(t testing.TB, err error) *publish.Error {
	t.Helper()
	var pe *publish.Error
	if !errors.As(err, &pe) {
		t.Fatalf("want *publish.Error, got %T %v", err, err)
	}
	return pe
}

// Post sends a text-only post through p, failing the test when it cannot:
// the first step of the tests that then read, reply to or take down a post.
func Post(t testing.TB, p publish.Publisher, text string) publish.Result {
	t.Helper()
	res, err := p.CreatePost(context.Background(), publish.Post{Text: text})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// JPEG encodes a blank w×h image (default quality).
func JPEG(t testing.TB, w, h int) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, image.NewRGBA(image.Rect(0, 0, w, h)), nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// StartFake starts a platform's fake on a clock set at start, for the test
// and the connector under test to share, and closes the fake when the test
// ends. newFake starts the fake with its Config's Now set to now.
func StartFake[S interface{ Close() }](t testing.TB, start time.Time, newFake func(now func() time.Time) S) (S, *app.FixedClock) {
	t.Helper()
	clock := &app.FixedClock{T: start}
	srv := newFake(clock.Now)
	t.Cleanup(srv.Close)
	return srv, clock
}

// MediaHost starts a fake bucket on clock's time and returns it with the
// hosting client that puts images there.
func MediaHost(t testing.TB, clock *app.FixedClock) (*hostingtest.Server, *hosting.Bucket) {
	t.Helper()
	bucket := hostingtest.New(hostingtest.Config{Now: clock.Now})
	t.Cleanup(bucket.Close)
	host, err := hosting.New(hosting.Config{Endpoint: bucket.URL, Bucket: bucket.Bucket(), AccessKeyID: bucket.AccessKey(), SecretAccessKey: bucket.SecretKey(), PathStyle: true},
		hosting.Options{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	return bucket, host
}

// Send uploads the images and creates the post, as the queue's attempt does
// once the consent gate has passed the job. It lives here, in test tooling,
// so the app has no way to send that skips the gate (app/doors_test.go).
func Send(ctx context.Context, pub publish.Publisher, p publish.Post, images ...publish.Image) (publish.Result, error) {
	for _, img := range images {
		ref, err := pub.UploadImage(ctx, img)
		if err != nil {
			return publish.Result{}, err
		}
		p.Media = append(p.Media, ref)
	}
	return pub.CreatePost(ctx, p)
}
