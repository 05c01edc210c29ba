package hosting_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"practicepost/app"
	"practicepost/app/publish"
	"practicepost/app/publish/fault"
	"practicepost/app/publish/hosting"
	"practicepost/app/publish/hosting/hostingtest"
)

var start = time.Date(2026, 9, 14, 9, 30, 0, 0, time.UTC)

func setup(t *testing.T, mod func(*hosting.Config)) (*hosting.Bucket, *hostingtest.Server, *app.FixedClock) {
	t.Helper()
	clock := &app.FixedClock{T: start}
	srv := hostingtest.New(hostingtest.Config{Now: clock.Now})
	t.Cleanup(srv.Close)
	cfg := hosting.Config{Endpoint: srv.URL, Bucket: srv.Bucket(), AccessKeyID: srv.AccessKey(), SecretAccessKey: srv.SecretKey(), Region: srv.Region(), PathStyle: true}
	if mod != nil {
		mod(&cfg)
	}
	b, err := hosting.New(cfg, hosting.Options{Clock: clock, HTTP: &http.Client{Timeout: 5 * time.Second}})
	if err != nil {
		t.Fatal(err)
	}
	return b, srv, clock
}

func fetch(t *testing.T, u string) (int, []byte) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

var jpeg = append([]byte{0xFF, 0xD8, 0xFF, 0xE0}, bytes.Repeat([]byte("pixels"), 100)...)

func TestPutFetchDelete(t *testing.T) {
	b, srv, clock := setup(t, nil)
	ctx := context.Background()
	h, err := b.Put(ctx, publish.Image{Data: jpeg, MIME: "image/jpeg"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h.Key, "practicepost/20260914/") || !strings.HasSuffix(h.Key, ".jpg") || len(h.Key) != len("practicepost/20260914/")+32+4 {
		t.Errorf("key %q: want a random name under the prefix", h.Key)
	}
	if !h.Expires.Equal(clock.Now().Add(hosting.DefaultTTL)) {
		t.Errorf("expires %v", h.Expires)
	}
	if !strings.Contains(h.URL, "X-Amz-Signature=") || !strings.Contains(h.URL, "X-Amz-Expires=900") {
		t.Errorf("not a presigned URL: %s", h.URL)
	}
	status, body := fetch(t, h.URL)
	if status != 200 || !bytes.Equal(body, jpeg) {
		t.Fatalf("presigned GET: %d, %d bytes", status, len(body))
	}
	if srv.Gets(h.Key) != 1 {
		t.Errorf("gets %d", srv.Gets(h.Key))
	}
	if objs := srv.Objects(); len(objs) != 1 || objs[0] != h.Key {
		t.Errorf("objects %v", objs)
	}
	if err := b.Delete(ctx, h.Key); err != nil {
		t.Fatal(err)
	}
	if objs := srv.Objects(); len(objs) != 0 {
		t.Errorf("objects after delete %v", objs)
	}
	if status, _ := fetch(t, h.URL); status != http.StatusNotFound {
		t.Errorf("GET after delete: %d", status)
	}
	// Deleting again is not an error: the platform may confirm twice.
	if err := b.Delete(ctx, h.Key); err != nil {
		t.Errorf("second delete: %v", err)
	}
}

func TestPresignedURLRefusals(t *testing.T) {
	b, srv, clock := setup(t, nil)
	h, err := b.Put(context.Background(), publish.Image{Data: jpeg, MIME: "image/jpeg"})
	if err != nil {
		t.Fatal(err)
	}
	plain := h.URL[:strings.Index(h.URL, "?")]
	if status, _ := fetch(t, plain); status != http.StatusForbidden {
		t.Errorf("anonymous GET: %d, want 403 (the bucket is private)", status)
	}
	tampered := strings.Replace(h.URL, "X-Amz-Expires=900", "X-Amz-Expires=604800", 1)
	if status, _ := fetch(t, tampered); status != http.StatusForbidden {
		t.Errorf("tampered expiry: %d, want 403", status)
	}
	clock.Advance(hosting.DefaultTTL - time.Second)
	if status, _ := fetch(t, h.URL); status != 200 {
		t.Errorf("just before expiry: %d", status)
	}
	clock.Advance(time.Second)
	status, body := fetch(t, h.URL)
	if status != http.StatusForbidden || !strings.Contains(string(body), "Request has expired") {
		t.Errorf("expired URL: %d %s", status, body)
	}
	if got := strings.Join(srv.Refused(), ","); got != "anonymous,signature,expired" {
		t.Errorf("refusals %q", got)
	}
}

func TestShortTTL(t *testing.T) {
	b, _, clock := setup(t, func(c *hosting.Config) { c.TTL = 2 * time.Minute })
	h, err := b.Put(context.Background(), publish.Image{Data: jpeg, MIME: "image/png"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(h.Key, ".png") || !strings.Contains(h.URL, "X-Amz-Expires=120") {
		t.Errorf("%s %s", h.Key, h.URL)
	}
	clock.Advance(2 * time.Minute)
	if status, _ := fetch(t, h.URL); status != http.StatusForbidden {
		t.Errorf("after 2 min: %d", status)
	}
}

func TestBadSettings(t *testing.T) {
	ctx := context.Background()
	img := publish.Image{Data: jpeg, MIME: "image/jpeg"}
	cases := []struct {
		name string
		mod  func(*hosting.Config)
		code string
		msg  string
	}{
		{"wrong secret", func(c *hosting.Config) { c.SecretAccessKey = "not-the-secret" }, app.EFORBIDDEN, "SignatureDoesNotMatch"},
		{"unknown key", func(c *hosting.Config) { c.AccessKeyID = "AKIAWRONG" }, app.EFORBIDDEN, "InvalidAccessKeyId"},
		{"no such bucket", func(c *hosting.Config) { c.Bucket = "someone-elses" }, app.ENOTFOUND, "There is no bucket called “someone-elses”"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b, srv, _ := setup(t, tc.mod)
			_, err := b.Put(ctx, img)
			if app.ErrorCode(err) != tc.code {
				t.Fatalf("code %q: %v", app.ErrorCode(err), err)
			}
			var ae *app.Error
			if !errors.As(err, &ae) || !strings.Contains(ae.Message, tc.msg) {
				t.Errorf("message %q", ae.Message)
			}
			if len(srv.Objects()) != 0 {
				t.Error("an object was stored")
			}
		})
	}
	for _, cfg := range []hosting.Config{
		{Endpoint: "s3.amazonaws.com", Bucket: "b", AccessKeyID: "k", SecretAccessKey: "s"},
		{Endpoint: "https://s3.amazonaws.com", AccessKeyID: "k", SecretAccessKey: "s"},
		{Endpoint: "https://s3.amazonaws.com", Bucket: "b", AccessKeyID: "k"},
	} {
		if _, err := hosting.New(cfg, hosting.Options{}); app.ErrorCode(err) != app.EINVALID {
			t.Errorf("%+v: %v", cfg, err)
		}
	}
}

func TestServerTroubleIsUnavailable(t *testing.T) {
	b, srv, _ := setup(t, nil)
	srv.Faults.Add(fault.Fault{Method: "PUT", Status: 503})
	_, err := b.Put(context.Background(), publish.Image{Data: jpeg, MIME: "image/jpeg"})
	if app.ErrorCode(err) != app.EUNAVAILABLE {
		t.Fatalf("%v", err)
	}
	if srv.Faults.Hits() != 2 {
		t.Errorf("%d tries, want 2 (one SDK retry)", srv.Faults.Hits())
	}
}

func TestDeleteOnlyOwnPrefix(t *testing.T) {
	b, srv, _ := setup(t, nil)
	if err := b.Delete(context.Background(), "invoices/2026.pdf"); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("%v", err)
	}
	if len(srv.Deleted()) != 0 {
		t.Error("a foreign key reached the bucket")
	}
}

func TestSweepRemovesLeftovers(t *testing.T) {
	b, srv, clock := setup(t, nil)
	ctx := context.Background()
	old, err := b.Put(ctx, publish.Image{Data: jpeg, MIME: "image/jpeg"})
	if err != nil {
		t.Fatal(err)
	}
	clock.Advance(3 * time.Hour)
	fresh, err := b.Put(ctx, publish.Image{Data: jpeg, MIME: "image/jpeg"})
	if err != nil {
		t.Fatal(err)
	}
	n, err := b.Sweep(ctx, time.Hour)
	if err != nil || n != 1 {
		t.Fatalf("swept %d: %v", n, err)
	}
	if objs := srv.Objects(); len(objs) != 1 || objs[0] != fresh.Key {
		t.Errorf("left %v, want only %s (not %s)", objs, fresh.Key, old.Key)
	}
}

func TestCheck(t *testing.T) {
	b, srv, _ := setup(t, nil)
	warnings, err := b.Check(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(warnings) != 2 || !strings.Contains(warnings[0], "https") || !strings.Contains(warnings[1], "cannot reach it") {
		t.Errorf("warnings %q", warnings)
	}
	if len(srv.Objects()) != 0 || len(srv.Fetched()) != 1 {
		t.Errorf("objects %v fetched %v: the probe must be fetched once and removed", srv.Objects(), srv.Fetched())
	}

	bad, _, _ := setup(t, func(c *hosting.Config) { c.SecretAccessKey = "wrong" })
	if _, err := bad.Check(context.Background()); app.ErrorCode(err) != app.EFORBIDDEN {
		t.Errorf("bad keys: %v", err)
	}
}

func TestEndpointMustBeHTTPSExceptLoopback(t *testing.T) {
	cfg := func(endpoint string) hosting.Config {
		return hosting.Config{Endpoint: endpoint, Bucket: "b", AccessKeyID: "k", SecretAccessKey: "s"}
	}
	for _, ok := range []string{
		"https://s3.eu-west-2.amazonaws.com", "https://minio.local:9000", "https://192.168.1.5",
		"http://localhost:9000", "http://LOCALHOST", "http://127.0.0.1:9000", "http://127.9.8.7", "http://[::1]:9000",
	} {
		if _, err := hosting.New(cfg(ok), hosting.Options{}); err != nil {
			t.Errorf("%s refused: %v", ok, err)
		}
	}
	for _, bad := range []string{
		"http://s3.eu-west-2.amazonaws.com", "http://minio.local:9000", "http://192.168.1.5:9000", "http://10.0.0.2",
		"http://localhost.example.com", "http://127.0.0.1.nip.io", "http://[fe80::1]:9000", "http://0.0.0.0:9000",
	} {
		_, err := hosting.New(cfg(bad), hosting.Options{})
		if app.ErrorCode(err) != app.EINVALID || app.ErrorField(err) != "endpoint" || !strings.Contains(app.ErrorMessage(err), "only for a bucket on this computer") {
			t.Errorf("%s: %v", bad, err)
		}
	}
}
