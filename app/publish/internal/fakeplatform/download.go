package fakeplatform

import (
	"io"
	"net/http"
	"sync"
)

// Fetch records one download of an image a platform fetches from a public
// URL (Instagram's image_url, Google's sourceUrl).
type Fetch struct {
	URL    string
	Status int // 0 when no response
	Bytes  int
	Err    string
}

// Downloads fetches images as a platform's servers do and keeps a record of
// each download. Embedded in a fake's Server, it gives it Fetches; it has
// its own lock, so a handler may download without holding the fake's.
type Downloads struct {
	mu      sync.Mutex
	fetches []Fetch
}

// Fetches lists every download, in order.
func (d *Downloads) Fetches() []Fetch {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]Fetch(nil), d.fetches...)
}

// Download gets u with hc and reads at most max+1 bytes of the answer, so
// that the caller can tell an image larger than max. err is a request or a
// read that failed; the caller judges the status and the bytes, in its
// platform's words.
func (d *Downloads) Download(hc *http.Client, u string, max int) (data []byte, status int, err error) {
	rec := Fetch{URL: u}
	defer func() {
		if err != nil {
			rec.Err = err.Error()
		}
		d.mu.Lock()
		d.fetches = append(d.fetches, rec)
		d.mu.Unlock()
	}()
	resp, err := hc.Get(u)
	if err != nil {
		return nil, 0, err
	}
	defer resp.Body.Close()
	rec.Status = resp.StatusCode
	data, err = io.ReadAll(io.LimitReader(resp.Body, int64(max)+1))
	rec.Bytes = len(data)
	return data, resp.StatusCode, err
}
