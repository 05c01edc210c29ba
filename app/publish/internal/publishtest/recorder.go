package publishtest

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// Params returns the request's query parameters.
func (s Sent) Params() url.Values {
	v, _ := url.ParseQuery(s.Query)
	return v
}

// HTTP is the client a connector under test sends through rt (a
// recorder); timeout 0 means 5 s, long enough for a loopback fake.
func HTTP(timeout time.Duration, rt http.RoundTripper) *http.Client {
	if timeout == 0 {
		timeout = 5 * time.Second
	}
	return &http.Client{Timeout: timeout, Transport: rt}
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
