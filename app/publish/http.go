package publish

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptrace"
	"net/textproto"
	"net/url"
	"time"

	"practicepost/app"
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

// Decode reads a 2xx answer raw into out; a nil out reads nothing. An
// answer that does not parse is a transient error, and Uncertain: the
// platform took the request, but its answer cannot say whether it acted.
func Decode(p Platform, status int, raw []byte, out any, now time.Time) error {
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(raw, out); err != nil {
		e := NewError(p, KindTransient, status, "", "unreadable response", raw, now, time.Time{})
		e.Err, e.Uncertain = err, true
		return e
	}
	return nil
}

// Pause waits d between two polls of a platform still processing an
// upload or a post, and returns ctx's error when ctx ends first.
func Pause(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// ImageForm is a multipart/form-data body carrying fields as plain parts
// and img as the file part named field, the way the platforms' upload
// endpoints take an image. It returns the body and its Content-Type.
func ImageForm(field string, img Image, fields url.Values) (*bytes.Buffer, string, error) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, vs := range fields {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="`+field+`"; filename="image`+imageExt(img.MIME)+`"`)
	h.Set("Content-Type", img.MIME)
	part, err := mw.CreatePart(h)
	if err != nil {
		return nil, "", err
	}
	part.Write(img.Data)
	if err := mw.Close(); err != nil {
		return nil, "", err
	}
	return &buf, mw.FormDataContentType(), nil
}

func imageExt(mime string) string {
	switch mime {
	case "image/png":
		return ".png"
	case "image/gif":
		return ".gif"
	case "image/webp":
		return ".webp"
	}
	return ".jpg"
}

// ClientDefaults fills in what a connector's Options leave out: an HTTP
// client with a 60-second timeout and the system clock.
func ClientDefaults(hc **http.Client, clock *app.Clock) {
	if *hc == nil {
		*hc = &http.Client{Timeout: 60 * time.Second}
	}
	if *clock == nil {
		*clock = app.SystemClock{}
	}
}
