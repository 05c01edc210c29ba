package publish

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
)

// MaxBody bounds how much of a platform response connectors read.
const MaxBody = 4 << 20

// Do sends req and reads the whole response body. A failure without a
// usable response comes back as a NetworkError, Uncertain when the request
// had been fully written. The caller closes nothing.
func Do(hc *http.Client, req *http.Request, p Platform) (*http.Response, []byte, error) {
	var sent bool
	trace := &httptrace.ClientTrace{WroteRequest: func(i httptrace.WroteRequestInfo) {
		if i.Err == nil {
			sent = true
		}
	}}
	req = req.WithContext(httptrace.WithClientTrace(req.Context(), trace))
	resp, err := hc.Do(req)
	if err != nil {
		return nil, nil, NetworkError(p, err, sent)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, MaxBody+1))
	if err != nil {
		return nil, nil, NetworkError(p, err, true)
	}
	if len(body) > MaxBody {
		return nil, nil, NetworkError(p, fmt.Errorf("response larger than %d bytes", MaxBody), true)
	}
	return resp, body, nil
}
