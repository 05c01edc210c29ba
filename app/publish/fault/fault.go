// Package fault is the fault injection shared by the fake platform servers:
// latency, error statuses, and losing the response after the server has
// committed the action (the case that tempts a client to post twice).
// Tests and the fakeplatforms command inject a Fault into any fake's
// Faults; each fake answers its status in its platform's own error shape.
// Not internal, so that tests outside app/publish and the fakeplatforms
// command can name a Fault without every fake re-exporting it.
package fault

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"
)

// Loss says how a response is lost after the handler has run.
type Loss int

const (
	// Hang keeps the connection open without answering until the client
	// gives up (its timeout or context), so the client sees a timeout.
	Hang Loss = iota + 1
	// Drop closes the connection without answering.
	Drop
)

// Fault is one injected misbehaviour.
type Fault struct {
	Method string // "" matches any method
	Path   string // the request path contains this; "" matches any path
	// Status, when set, answers with this status in the platform's error
	// shape instead of handling the request (nothing is committed).
	Status int
	// Code is a platform error code for Status (Facebook: 4, 17, 32, 1, 2).
	Code int
	// Reset is how far ahead the rate limit resets, for 429 and throttling.
	Reset time.Duration
	// AfterCommit handles the request (the post is created) and then loses
	// the response.
	AfterCommit Loss
	// Latency delays the request before anything else happens.
	Latency time.Duration
	// Times is how many matching requests the fault affects; 0: all of them.
	Times int
}

// Set holds the active faults of one fake server.
type Set struct {
	mu     sync.Mutex
	faults []*Fault
	hits   int
}

// Add activates f.
func (s *Set) Add(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &f)
}

// Clear removes every fault.
func (s *Set) Clear() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}

// Hits counts the requests a fault has been applied to.
func (s *Set) Hits() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits
}

func (s *Set) take(r *http.Request) (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, f := range s.faults {
		if (f.Method != "" && f.Method != r.Method) || !strings.Contains(r.URL.Path, f.Path) {
			continue
		}
		out := *f
		if f.Times > 0 {
			f.Times--
			if f.Times == 0 {
				s.faults = append(s.faults[:i], s.faults[i+1:]...)
			}
		}
		s.hits++
		return out, true
	}
	return Fault{}, false
}

// Handler wraps a fake's handler with the faults in set. writeStatus
// answers a Status fault in the platform's error shape. Hanging requests are
// released when stop is closed.
func Handler(set *Set, h http.Handler, writeStatus func(http.ResponseWriter, *http.Request, Fault), stop <-chan struct{}) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f, ok := set.take(r)
		if !ok {
			h.ServeHTTP(w, r)
			return
		}
		if f.Latency > 0 {
			t := time.NewTimer(f.Latency)
			select {
			case <-t.C:
			case <-r.Context().Done():
				t.Stop()
				return
			case <-stop:
				t.Stop()
				return
			}
		}
		switch {
		case f.Status != 0:
			writeStatus(w, r, f)
		case f.AfterCommit != 0:
			h.ServeHTTP(httptest.NewRecorder(), r)
			if f.AfterCommit == Hang {
				select {
				case <-r.Context().Done():
				case <-stop:
				}
			}
			if hj, ok := w.(http.Hijacker); ok {
				if conn, _, err := hj.Hijack(); err == nil {
					conn.Close()
					return
				}
			}
			panic(http.ErrAbortHandler)
		default:
			h.ServeHTTP(w, r)
		}
	})
}
