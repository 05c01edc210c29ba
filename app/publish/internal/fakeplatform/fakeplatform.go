// Package fakeplatform is what the fake platform servers (the mastodontest,
// xtest, … packages beside each connector) share: a loopback server behind
// the injected faults, closing it without leaving hung requests behind,
// config defaults, the follower count, the downloads of images a platform
// fetches from a public URL, copies of what a fake holds and writing a JSON
// answer. Each fake keeps its platform's own routes, errors, quirks and
// Content-Type. Tests and the fakeplatforms command only.
package fakeplatform

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"practicepost/app/publish/fault"
)

// Server is a fake's HTTP side: the httptest server and the faults
// injected into it.
type Server struct {
	*httptest.Server
	Faults *fault.Set
	stop   chan struct{}
}

// Start serves h on loopback behind s.Faults; writeFault answers an
// injected status in the platform's own error shape.
func (s *Server) Start(h http.Handler, writeFault func(http.ResponseWriter, *http.Request, fault.Fault)) {
	s.Server = s.Serve(h, writeFault)
}

// Serve starts one more server behind the same faults, for a platform
// that answers on two hosts; Close does not stop it.
func (s *Server) Serve(h http.Handler, writeFault func(http.ResponseWriter, *http.Request, fault.Fault)) *httptest.Server {
	if s.Faults == nil {
		s.Faults = &fault.Set{}
		s.stop = make(chan struct{})
	}
	return httptest.NewServer(fault.Handler(s.Faults, h, writeFault, s.stop))
}

// Close releases hanging requests and stops the server.
func (s *Server) Close() {
	close(s.stop)
	s.Server.Close()
}

// Followers is the follower count a fake serves: set by the test while
// handlers read it, so an atomic, which a handler may read while holding
// the fake's lock. Embedded in a fake's Server, it gives it SetFollowers.
type Followers struct{ n atomic.Int64 }

// SetFollowers sets the follower count; below zero, the platform leaves
// the count out of its answer, as for a field the token may not read.
func (f *Followers) SetFollowers(n int) { f.n.Store(int64(n)) }

// Count returns the follower count, and false when the answer leaves it out.
func (f *Followers) Count() (int64, bool) {
	n := f.n.Load()
	return n, n >= 0
}

// Default sets *v to def when it is still the zero value.
func Default[T comparable](v *T, def T) {
	var zero T
	if *v == zero {
		*v = def
	}
}

// DefaultNow sets *now to time.Now when the config left it nil; tests set
// a fixed clock, the fakeplatforms command runs on the real one.
func DefaultNow(now *func() time.Time) {
	if *now == nil {
		*now = time.Now
	}
}

// Find returns the first item match accepts, nil when none does. The
// caller holds the fake's lock.
func Find[T any](items []*T, match func(*T) bool) *T {
	for _, it := range items {
		if match(it) {
			return it
		}
	}
	return nil
}

// Locked is a handler's lookup of one item: under mu it runs f on what
// find returns, or missing (the platform's own not-found answer) when find
// returns nil.
func Locked[T any](mu *sync.Mutex, find func() *T, f func(*T), missing func()) {
	mu.Lock()
	defer mu.Unlock()
	if it := find(); it != nil {
		f(it)
		return
	}
	missing()
}

// After is where a cursor-paged listing resumes: just past the item whose
// id is after, 0 with no cursor, and ok false when the cursor's item is no
// longer in the list.
func After[T any](items []*T, after string, id func(*T) string) (start int, ok bool) {
	if after == "" {
		return 0, true
	}
	for i, it := range items {
		if id(it) == after {
			return i + 1, true
		}
	}
	return 0, false
}

// PageSize reads a listing's page-size parameter: def when it is absent,
// not a number or not positive, and def too above most (0: no limit), as
// the platforms fall back rather than refuse.
func PageSize(r *http.Request, name string, def, most int) int {
	n, _ := strconv.Atoi(r.URL.Query().Get(name))
	if n <= 0 || (most > 0 && n > most) {
		return def
	}
	return n
}

// JSON answers status with v encoded as JSON, labelled contentType: each
// fake passes its platform's own label ("application/json; charset=utf-8",
// "application/problem+json", …), which the fake keeps as the platform
// sends it.
func JSON(w http.ResponseWriter, contentType string, status int, v any) {
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// Copies returns copies of what items point to, each passed through fix
// (when given) to unshare what a shallow copy would share, such as slices.
// The caller holds the fake's lock.
func Copies[T any](items []*T, fix ...func(*T)) []T {
	out := make([]T, len(items))
	for i, it := range items {
		out[i] = *it
		for _, f := range fix {
			f(&out[i])
		}
	}
	return out
}

// Copy returns a copy of what p points to, and false for nil. The caller
// holds the fake's lock.
func Copy[T any](p *T) (T, bool) {
	if p == nil {
		var zero T
		return zero, false
	}
	return *p, true
}
