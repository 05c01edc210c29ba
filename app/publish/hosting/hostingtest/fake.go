// Package hostingtest is an in-process S3-compatible bucket for tests: gofakes3
// with its in-memory backend, behind a gate that does what gofakes3 leaves
// out and the real services do: every request must carry a valid AWS
// Signature V4 (header or presigned query) for the configured key, and a
// presigned URL stops working when X-Amz-Expires has passed on the
// injected clock. Anonymous reads are refused: the bucket is private.
// Tests only; the app never imports it.
package hostingtest

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"practicepost/app/publish/fault"
	"practicepost/app/publish/internal/fakeplatform"
)

// Config sets up the bucket. Zero values get the defaults noted.
type Config struct {
	Bucket    string           // "practice-media"
	AccessKey string           // "AKIAPRACTICEPOST"
	SecretKey string           // "practicepost-secret"
	Region    string           // "us-east-1"
	Now       func() time.Time // time.Now
}

// Server is a running bucket.
type Server struct {
	fakeplatform.Server
	cfg Config

	mu      sync.Mutex
	gets    map[string]int // successful presigned GETs per key
	refused []string       // why requests were refused, in order
	deletes []string
}

type clock struct{ now func() time.Time }

func (c clock) Now() time.Time                  { return c.now() }
func (c clock) Since(t time.Time) time.Duration { return c.now().Sub(t) }

// New starts a bucket; call Close when done.
func New(cfg Config) *Server {
	fakeplatform.Default(&cfg.Bucket, "practice-media")
	fakeplatform.Default(&cfg.AccessKey, "AKIAPRACTICEPOST")
	fakeplatform.Default(&cfg.SecretKey, "practicepost-secret")
	fakeplatform.Default(&cfg.Region, "us-east-1")
	fakeplatform.DefaultNow(&cfg.Now)
	ts := clock{cfg.Now}
	backend := s3mem.New(s3mem.WithTimeSource(ts))
	if err := backend.CreateBucket(cfg.Bucket); err != nil {
		panic(err)
	}
	faker := gofakes3.New(backend, gofakes3.WithTimeSource(ts), gofakes3.WithTimeSkewLimit(15*time.Minute))
	s := &Server{cfg: cfg, gets: map[string]int{}}
	s.Start(s.gate(faker.Server()), s.writeFault)
	return s
}

// Bucket, AccessKey, SecretKey and Region are what the client needs.
func (s *Server) Bucket() string    { return s.cfg.Bucket }
func (s *Server) AccessKey() string { return s.cfg.AccessKey }
func (s *Server) SecretKey() string { return s.cfg.SecretKey }
func (s *Server) Region() string    { return s.cfg.Region }

// Gets is how often key was downloaded through a valid presigned URL.
func (s *Server) Gets(key string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.gets[key]
}

// Fetched lists every key downloaded through a presigned URL.
func (s *Server) Fetched() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for k := range s.gets {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Refused lists why requests were turned away ("expired", "signature", ...).
func (s *Server) Refused() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.refused...)
}

// Deleted lists the keys DELETE was called for.
func (s *Server) Deleted() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.deletes...)
}

// Objects lists the keys in the bucket now, read through the S3 API with
// the configured credentials (so the listing is what a client would see).
func (s *Server) Objects() []string {
	req, _ := http.NewRequest(http.MethodGet, s.URL+"/"+s.cfg.Bucket+"?list-type=2", nil)
	s.sign(req)
	resp, err := s.Client().Do(req)
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	var out struct {
		Contents []struct {
			Key string `xml:"Key"`
		} `xml:"Contents"`
	}
	if err := decodeXML(resp.Body, &out); err != nil {
		panic(err)
	}
	keys := make([]string, 0, len(out.Contents))
	for _, c := range out.Contents {
		keys = append(keys, c.Key)
	}
	return keys
}

func (s *Server) refuse(w http.ResponseWriter, r *http.Request, why, code, msg string) {
	s.mu.Lock()
	s.refused = append(s.refused, why)
	s.mu.Unlock()
	writeS3Error(w, http.StatusForbidden, code, msg, r.URL.Path)
}

// writeFault answers an injected fault in the platform's own shape. Status
// answers in S3's XML error shape (503 SlowDown, 500 InternalError, 403
// AccessDenied).
func (s *Server) writeFault(w http.ResponseWriter, r *http.Request, f fault.Fault) {
	switch {
	case f.Status == http.StatusServiceUnavailable:
		writeS3Error(w, f.Status, "SlowDown", "Please reduce your request rate.", r.URL.Path)
	case f.Status == http.StatusForbidden:
		writeS3Error(w, f.Status, "AccessDenied", "Access Denied", r.URL.Path)
	case f.Status == http.StatusNotFound:
		writeS3Error(w, f.Status, "NoSuchKey", "The specified key does not exist.", r.URL.Path)
	default:
		writeS3Error(w, f.Status, "InternalError", "We encountered an internal error. Please try again.", r.URL.Path)
	}
}

func writeS3Error(w http.ResponseWriter, status int, code, msg, resource string) {
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(status)
	fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>%s</Code><Message>%s</Message><Resource>%s</Resource><RequestId>4442587FB7D0A2F9</RequestId></Error>`, code, msg, resource)
}

// gate checks the Signature V4 of every request before gofakes3 sees it.
func (s *Server) gate(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		presigned := q.Get("X-Amz-Signature") != ""
		var credential, signedHeaders, signature, amzDate, payloadHash string
		switch {
		case presigned:
			if q.Get("X-Amz-Algorithm") != "AWS4-HMAC-SHA256" {
				s.refuse(w, r, "algorithm", "AuthorizationQueryParametersError", "X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"")
				return
			}
			credential, signedHeaders, signature, amzDate = q.Get("X-Amz-Credential"), q.Get("X-Amz-SignedHeaders"), q.Get("X-Amz-Signature"), q.Get("X-Amz-Date")
			payloadHash = "UNSIGNED-PAYLOAD"
			t, err := time.Parse("20060102T150405Z", amzDate)
			secs, err2 := strconv.Atoi(q.Get("X-Amz-Expires"))
			if err != nil || err2 != nil || secs <= 0 || secs > 604800 {
				s.refuse(w, r, "query", "AuthorizationQueryParametersError", "X-Amz-Date and X-Amz-Expires must be present and valid.")
				return
			}
			if now := s.cfg.Now(); !now.Before(t.Add(time.Duration(secs) * time.Second)) {
				s.refuse(w, r, "expired", "AccessDenied", "Request has expired")
				return
			}
		case strings.HasPrefix(r.Header.Get("Authorization"), "AWS4-HMAC-SHA256 "):
			for _, part := range strings.Split(strings.TrimPrefix(r.Header.Get("Authorization"), "AWS4-HMAC-SHA256 "), ",") {
				k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
				switch k {
				case "Credential":
					credential = v
				case "SignedHeaders":
					signedHeaders = v
				case "Signature":
					signature = v
				}
			}
			amzDate, payloadHash = r.Header.Get("X-Amz-Date"), r.Header.Get("X-Amz-Content-Sha256")
			if payloadHash == "" {
				payloadHash = "UNSIGNED-PAYLOAD"
			}
		default:
			s.refuse(w, r, "anonymous", "AccessDenied", "Access Denied")
			return
		}
		parts := strings.Split(credential, "/")
		if len(parts) != 5 || parts[4] != "aws4_request" {
			s.refuse(w, r, "credential", "AuthorizationHeaderMalformed", "The authorization header is malformed.")
			return
		}
		if parts[0] != s.cfg.AccessKey {
			s.refuse(w, r, "access-key", "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.")
			return
		}
		if parts[2] != s.cfg.Region {
			s.refuse(w, r, "region", "AuthorizationHeaderMalformed", fmt.Sprintf("The authorization header is malformed; the region '%s' is wrong; expecting '%s'", parts[2], s.cfg.Region))
			return
		}
		want := signV4(r, s.cfg.SecretKey, parts[1], parts[2], parts[3], amzDate, signedHeaders, payloadHash, presigned)
		if !hmac.Equal([]byte(want), []byte(signature)) {
			s.refuse(w, r, "signature", "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided. Check your key and signing method.")
			return
		}
		if r.Method == http.MethodDelete {
			s.mu.Lock()
			s.deletes = append(s.deletes, s.key(r))
			s.mu.Unlock()
		}
		if presigned && r.Method == http.MethodGet {
			rec := &statusRecorder{ResponseWriter: w}
			h.ServeHTTP(rec, r)
			if rec.status == 0 || rec.status == http.StatusOK {
				s.mu.Lock()
				s.gets[s.key(r)]++
				s.mu.Unlock()
			}
			return
		}
		h.ServeHTTP(w, r)
	})
}

func (s *Server) key(r *http.Request) string {
	return strings.TrimPrefix(r.URL.Path, "/"+s.cfg.Bucket+"/")
}

// sign signs a request with the configured key, for the fake's own reads.
func (s *Server) sign(r *http.Request) {
	now := s.cfg.Now().UTC()
	date := now.Format("20060102T150405Z")
	r.Header.Set("X-Amz-Date", date)
	r.Header.Set("X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD")
	signed := "host;x-amz-content-sha256;x-amz-date"
	r.Host = r.URL.Host
	sig := signV4(r, s.cfg.SecretKey, date[:8], s.cfg.Region, "s3", date, signed, "UNSIGNED-PAYLOAD", false)
	r.Header.Set("Authorization", fmt.Sprintf("AWS4-HMAC-SHA256 Credential=%s/%s/%s/s3/aws4_request,SignedHeaders=%s,Signature=%s", s.cfg.AccessKey, date[:8], s.cfg.Region, signed, sig))
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

// signV4 computes the Signature V4 of r as AWS documents it for S3
// (single URI encoding, sorted query, signed headers as listed).
func signV4(r *http.Request, secret, day, region, service, amzDate, signedHeaders, payloadHash string, presigned bool) string {
	q := r.URL.Query()
	if presigned {
		q.Del("X-Amz-Signature")
	}
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var cq []string
	for _, k := range keys {
		vs := append([]string(nil), q[k]...)
		sort.Strings(vs)
		for _, v := range vs {
			cq = append(cq, awsEscape(k)+"="+awsEscape(v))
		}
	}
	var ch strings.Builder
	for _, name := range strings.Split(signedHeaders, ";") {
		var v string
		switch name {
		case "host":
			v = r.Host
		case "content-length":
			v = strconv.FormatInt(r.ContentLength, 10)
		default:
			v = strings.Join(r.Header.Values(name), ",")
		}
		ch.WriteString(name + ":" + strings.Join(strings.Fields(v), " ") + "\n")
	}
	canonical := strings.Join([]string{r.Method, r.URL.EscapedPath(), strings.Join(cq, "&"), ch.String(), signedHeaders, payloadHash}, "\n")
	sum := sha256.Sum256([]byte(canonical))
	scope := day + "/" + region + "/" + service + "/aws4_request"
	toSign := "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n" + hex.EncodeToString(sum[:])
	k := hmacSHA256([]byte("AWS4"+secret), day)
	k = hmacSHA256(k, region)
	k = hmacSHA256(k, service)
	k = hmacSHA256(k, "aws4_request")
	return hex.EncodeToString(hmacSHA256(k, toSign))
}

func hmacSHA256(key []byte, msg string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(msg))
	return m.Sum(nil)
}

// awsEscape is RFC 3986 encoding: everything but unreserved characters.
func awsEscape(s string) string {
	return strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
}

func decodeXML(r io.Reader, v any) error { return xml.NewDecoder(r).Decode(v) }
