// Package hosting makes rendered images reachable for the platforms that
// only take a public URL (Instagram image_url, Google sourceUrl), through
// the practice's own S3-compatible bucket (AWS S3, Cloudflare R2, Backblaze
// B2, MinIO): upload, hand out a short-lived presigned GET URL, delete the
// object once the platform has it (docs/platform-contracts.md §2.4).
//
// The bucket stays private: only the presigned URL opens an object, and
// object names are random, so nothing about the patient or the post shows
// in them.
package hosting

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"

	"practicepost/app"
	"practicepost/app/publish"
)

// DefaultTTL is how long a presigned URL works. Meta and Google download
// the image while the container (or post) is created, within seconds; a
// short window keeps a leaked link from staying useful.
const DefaultTTL = 15 * time.Minute

// Config is what the practice enters in Settings → Media hosting.
type Config struct {
	// Endpoint is the S3 API address, e.g. "https://s3.eu-west-2.amazonaws.com",
	// "https://<account>.r2.cloudflarestorage.com",
	// "https://s3.us-west-004.backblazeb2.com"; http only on loopback
	// ("http://127.0.0.1:9000").
	Endpoint        string
	Region          string // "auto" for R2; default "us-east-1"
	Bucket          string
	AccessKeyID     string
	SecretAccessKey string
	// PathStyle puts the bucket in the path (endpoint/bucket/key) instead of
	// the host name; MinIO and most self-hosted servers need it.
	PathStyle bool
	Prefix    string        // object name prefix; default "practicepost/"
	TTL       time.Duration // presigned URL lifetime; default DefaultTTL
}

// Options are optional collaborators; zero values get defaults.
type Options struct {
	HTTP  *http.Client // default: 60 s timeout
	Clock app.Clock    // default: app.SystemClock; signs requests and URLs
}

// Bucket is a configured bucket. It implements publish.MediaHost.
type Bucket struct {
	cfg     Config
	opt     Options
	s3      *s3.Client
	presign *s3.PresignClient
}

var _ publish.MediaHost = (*Bucket)(nil)

// New checks cfg and returns a Bucket; it makes no network call (see Check).
func New(cfg Config, opt Options) (*Bucket, error) {
	cfg.Endpoint = strings.TrimRight(strings.TrimSpace(cfg.Endpoint), "/")
	cfg.Bucket = strings.TrimSpace(cfg.Bucket)
	u, err := url.Parse(cfg.Endpoint)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, app.FieldError("endpoint", "Enter the bucket's S3 address, starting with https:// (for example https://s3.eu-west-2.amazonaws.com).")
	}
	// The keys sign every request and patient images travel in them: plain
	// http is for a test bucket on this very computer only.
	if u.Scheme == "http" && !loopbackHost(u.Hostname()) {
		return nil, app.FieldError("endpoint", "The bucket address must start with https://, so the keys and the images are encrypted on their way. Plain http:// is accepted only for a bucket on this computer (localhost, 127.0.0.1 or ::1).")
	}
	if cfg.Bucket == "" {
		return nil, app.FieldError("bucket", "Enter the bucket name.")
	}
	if cfg.AccessKeyID == "" || cfg.SecretAccessKey == "" {
		return nil, app.FieldError("accessKeyId", "Enter the access key and its secret.")
	}
	if cfg.Region == "" {
		cfg.Region = "us-east-1"
	}
	if cfg.Prefix == "" {
		cfg.Prefix = "practicepost/"
	}
	if cfg.TTL <= 0 {
		cfg.TTL = DefaultTTL
	}
	publish.ClientDefaults(&opt.HTTP, &opt.Clock)
	signer := v4.NewSigner(func(o *v4.SignerOptions) { o.DisableURIPathEscaping = true })
	clocked := clockSigner{s: signer, clock: opt.Clock}
	client := s3.New(s3.Options{
		BaseEndpoint: aws.String(cfg.Endpoint),
		Region:       cfg.Region,
		UsePathStyle: cfg.PathStyle,
		Credentials:  credentials.NewStaticCredentialsProvider(cfg.AccessKeyID, cfg.SecretAccessKey, ""),
		HTTPClient:   opt.HTTP,
		HTTPSignerV4: clocked,
		// R2, B2 and older MinIO reject the SDK's default trailing checksums.
		RequestChecksumCalculation: aws.RequestChecksumCalculationWhenRequired,
		ResponseChecksumValidation: aws.ResponseChecksumValidationWhenRequired,
		RetryMaxAttempts:           2,
	})
	pc := s3.NewPresignClient(client, func(o *s3.PresignOptions) {
		o.Presigner = clocked
		o.Expires = cfg.TTL
	})
	return &Bucket{cfg: cfg, opt: opt, s3: client, presign: pc}, nil
}

// clockSigner signs with the injected clock instead of the SDK's own
// time.Now, so tests (and a clock-pinned app) agree on what is expired.
type clockSigner struct {
	s     *v4.Signer
	clock app.Clock
}

func (c clockSigner) SignHTTP(ctx context.Context, cr aws.Credentials, r *http.Request, payloadHash, service, region string, _ time.Time, optFns ...func(*v4.SignerOptions)) error {
	return c.s.SignHTTP(ctx, cr, r, payloadHash, service, region, c.clock.Now(), optFns...)
}

func (c clockSigner) PresignHTTP(ctx context.Context, cr aws.Credentials, r *http.Request, payloadHash, service, region string, _ time.Time, optFns ...func(*v4.SignerOptions)) (string, http.Header, error) {
	return c.s.PresignHTTP(ctx, cr, r, payloadHash, service, region, c.clock.Now(), optFns...)
}

// Put uploads img under a random name and returns a presigned GET URL.
func (b *Bucket) Put(ctx context.Context, img publish.Image) (publish.Hosted, error) {
	if len(img.Data) == 0 {
		return publish.Hosted{}, app.Errorf(app.EINVALID, "The image to host is empty. Render the image again.")
	}
	key := b.newKey(img.MIME)
	_, err := b.s3.PutObject(ctx, &s3.PutObjectInput{
		Bucket:        aws.String(b.cfg.Bucket),
		Key:           aws.String(key),
		Body:          bytes.NewReader(img.Data),
		ContentLength: aws.Int64(int64(len(img.Data))),
		ContentType:   aws.String(img.MIME),
		// Platforms' fetchers cache aggressively; the object is short-lived.
		CacheControl: aws.String("private, max-age=0, no-store"),
	})
	if err != nil {
		return publish.Hosted{}, b.classify(err, "upload the image to")
	}
	return b.url(ctx, key)
}

func (b *Bucket) url(ctx context.Context, key string) (publish.Hosted, error) {
	now := b.opt.Clock.Now()
	req, err := b.presign.PresignGetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(b.cfg.Bucket), Key: aws.String(key)})
	if err != nil {
		// The object is up but unusable: take it down again.
		b.Delete(context.WithoutCancel(ctx), key)
		return publish.Hosted{}, b.classify(err, "create a download link in")
	}
	return publish.Hosted{Key: key, URL: req.URL, Expires: now.Add(b.cfg.TTL)}, nil
}

func (b *Bucket) newKey(mime string) string {
	var r [16]byte
	rand.Read(r[:])
	ext := ".jpg"
	switch mime {
	case "image/png":
		ext = ".png"
	case "image/gif":
		ext = ".gif"
	case "image/webp":
		ext = ".webp"
	}
	return b.cfg.Prefix + b.opt.Clock.Now().UTC().Format("20060102") + "/" + hex.EncodeToString(r[:]) + ext
}

// Delete removes an object; S3 answers a missing key with success too.
func (b *Bucket) Delete(ctx context.Context, key string) error {
	if !strings.HasPrefix(key, b.cfg.Prefix) {
		// Never touch objects PracticePost did not put there.
		return app.Errorf(app.EINVALID, "PracticePost only removes images it uploaded itself.")
	}
	_, err := b.s3.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(b.cfg.Bucket), Key: aws.String(key)})
	var nsk interface{ ErrorCode() string }
	if errors.As(err, &nsk) && nsk.ErrorCode() == "NoSuchKey" {
		return nil
	}
	if err != nil {
		return b.classify(err, "remove the image from")
	}
	return nil
}

// Sweep deletes PracticePost's objects older than age: the ones left behind
// when the app stopped between upload and the platform's confirmation.
// Run it at start-up; a bucket lifecycle rule on the prefix is the backstop.
func (b *Bucket) Sweep(ctx context.Context, age time.Duration) (int, error) {
	cutoff := b.opt.Clock.Now().Add(-age)
	n := 0
	p := s3.NewListObjectsV2Paginator(b.s3, &s3.ListObjectsV2Input{Bucket: aws.String(b.cfg.Bucket), Prefix: aws.String(b.cfg.Prefix)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return n, b.classify(err, "list the images in")
		}
		for _, o := range page.Contents {
			if o.Key == nil || o.LastModified == nil || !o.LastModified.Before(cutoff) {
				continue
			}
			if err := b.Delete(ctx, *o.Key); err != nil {
				return n, err
			}
			n++
		}
	}
	return n, nil
}

// Check is Settings' "Test connection": upload a tiny file, fetch it back
// through its presigned URL without credentials, and delete it. Warnings
// name settings that work from this computer but not for Instagram or Google.
func (b *Bucket) Check(ctx context.Context) (warnings []string, err error) {
	probe := []byte("PracticePost media hosting check\n")
	h, err := b.Put(ctx, publish.Image{Data: probe, MIME: "text/plain"})
	if err != nil {
		return nil, err
	}
	defer b.Delete(context.WithoutCancel(ctx), h.Key)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, h.URL, nil)
	if err != nil {
		return nil, app.Internal(err, "PracticePost could not build the test download.")
	}
	resp, err := b.opt.HTTP.Do(req)
	if err != nil {
		return nil, &app.Error{Code: app.EUNAVAILABLE, Err: err, Message: "PracticePost uploaded a test file but could not download it again through its link. Check the bucket address."}
	}
	got, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<10))
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !bytes.Equal(got, probe) {
		return nil, app.Errorf(app.EUNAVAILABLE, "The bucket took a test file but would not hand it out through a download link (HTTP %d). Check the region setting and that the keys may read objects.", resp.StatusCode)
	}
	u, _ := url.Parse(b.cfg.Endpoint)
	if u.Scheme != "https" {
		warnings = append(warnings, "The bucket address is not https://. Instagram and Google only download images over https.")
	}
	if privateHost(u.Hostname()) {
		warnings = append(warnings, "The bucket is on this computer or the practice network. Instagram and Google download images from the internet, so they cannot reach it.")
	}
	return warnings, nil
}

// loopbackHost is this computer: localhost, 127.0.0.0/8 or ::1.
func loopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func privateHost(host string) bool {
	if host == "localhost" || strings.HasSuffix(host, ".local") || strings.HasSuffix(host, ".lan") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && (ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast())
}

// classify turns an SDK error into a message for the practice manager.
// Credentials and bucket problems need the user; the rest may pass.
func (b *Bucket) classify(err error, doing string) error {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		switch ae.ErrorCode() {
		case "InvalidAccessKeyId", "SignatureDoesNotMatch", "AccessDenied", "InvalidToken", "ExpiredToken":
			return &app.Error{Code: app.EFORBIDDEN, Err: err, Message: fmt.Sprintf("The storage bucket refused PracticePost's keys when trying to %s it (%s). Check the access key, its secret and that the key may write to bucket “%s” in Settings → Media hosting.", doing, ae.ErrorCode(), b.cfg.Bucket)}
		case "NoSuchBucket":
			return &app.Error{Code: app.ENOTFOUND, Err: err, Message: fmt.Sprintf("There is no bucket called “%s” at %s. Check the bucket name and address in Settings → Media hosting.", b.cfg.Bucket, b.cfg.Endpoint)}
		case "RequestTimeTooSkewed":
			return &app.Error{Code: app.EINVALID, Err: err, Message: "The storage bucket refused the request because this computer's clock is wrong. Set the date and time automatically in the system settings, then try again."}
		case "EntityTooLarge":
			return &app.Error{Code: app.EINVALID, Err: err, Message: "The storage bucket refused the image as too large."}
		}
	}
	return &app.Error{Code: app.EUNAVAILABLE, Err: err, Message: fmt.Sprintf("PracticePost could not %s the storage bucket (is the internet connection working?). It will try again.", doing)}
}
