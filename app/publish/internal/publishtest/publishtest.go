// Package publishtest holds what the connectors' tests share: reading a
// connector's error, test images, a transport that records what a
// connector sends, and the token-refresh failure table every OAuth
// connector must pass. Tests only.
package publishtest

import (
	"bytes"
	"errors"
	"image"
	"image/jpeg"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

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

// JPEG encodes a blank w×h image (default quality).
func JPEG(t testing.TB, w, h int) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, image.NewRGBA(image.Rect(0, 0, w, h)), nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// Sent is one request a connector made, its body read out.
type Sent struct {
	Method, Host, Path, Query string
	Header                    http.Header
	Body                      []byte
}

// Recorder is an http.RoundTripper that keeps every request it passes on
// to http.DefaultTransport.
type Recorder struct {
	mu   sync.Mutex
	reqs []Sent
}

// RoundTrip records req and sends it.
func (r *Recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		body, _ = io.ReadAll(req.Body)
		req.Body.Close()
		req.Body = io.NopCloser(bytes.NewReader(body))
	}
	r.mu.Lock()
	r.reqs = append(r.reqs, Sent{req.Method, req.URL.Host, req.URL.Path, req.URL.RawQuery, req.Header.Clone(), body})
	r.mu.Unlock()
	return http.DefaultTransport.RoundTrip(req)
}

// All returns the requests sent so far, in order.
func (r *Recorder) All() []Sent {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Sent(nil), r.reqs...)
}

// Count counts the requests with this method whose path starts with prefix.
func (r *Recorder) Count(method, prefix string) int {
	n := 0
	for _, s := range r.All() {
		if s.Method == method && strings.HasPrefix(s.Path, prefix) {
			n++
		}
	}
	return n
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
