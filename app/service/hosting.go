package service

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"practicepost/app"
	"practicepost/app/auth"
	"practicepost/app/publish"
	"practicepost/app/publish/hosting"
	"practicepost/app/store"
)

// EventHostingChanged tells Settings and the publish panel to reload.
const EventHostingChanged = "hosting:changed"

const (
	hostingStateKey  = "media_hosting"
	hostingSecretKey = "hosting:bucket"
)

// HostingService connects the practice's own S3-compatible bucket, which
// Instagram (always) and Google (for photos) download images from. The
// secret key lives in the keychain; the data file keeps the rest.
type HostingService struct {
	c       *Core
	lock    *LockService
	secrets auth.SecretStore
	ch      *ChannelService
	// HTTP is used for the bucket; nil: a client with a 60 s timeout.
	HTTP *http.Client

	mu     sync.Mutex
	bucket *hosting.Bucket // nil: none connected or not loaded yet
	loaded bool
}

// NewHostingService hands the channels their media host and sweeps the
// bucket of images left behind when the data file opens.
func NewHostingService(c *Core, lock *LockService, secrets auth.SecretStore, ch *ChannelService) *HostingService {
	s := &HostingService{c: c, lock: lock, secrets: secrets, ch: ch}
	if ch != nil {
		ch.Hosting = s.host
	}
	c.Attach(s.start, s.stop)
	return s
}

// HostingInput is what the practice enters in Settings → Media hosting.
type HostingInput struct {
	// Provider is the preset chosen: aws, r2, b2, minio or other. It only
	// picks defaults (path-style addressing for MinIO).
	Provider    string `json:"provider"`
	Endpoint    string `json:"endpoint"`
	Region      string `json:"region"`
	Bucket      string `json:"bucket"`
	AccessKeyID string `json:"accessKeyId"`
	// SecretAccessKey may be left empty to keep the saved one.
	SecretAccessKey string `json:"secretAccessKey"`
	PathStyle       bool   `json:"pathStyle"`
}

// HostingSettings is the saved bucket, without its secret.
type HostingSettings struct {
	Connected   bool      `json:"connected"`
	Provider    string    `json:"provider"`
	Endpoint    string    `json:"endpoint"`
	Region      string    `json:"region"`
	Bucket      string    `json:"bucket"`
	AccessKeyID string    `json:"accessKeyId"`
	PathStyle   bool      `json:"pathStyle"`
	HasSecret   bool      `json:"hasSecret"`
	CheckedAt   time.Time `json:"checkedAt"`
	Warnings    []string  `json:"warnings"`
	// Message says what the bucket is for, or what is wrong with it.
	Message string `json:"message"`
}

// HostingCheck is the outcome of "Test connection".
type HostingCheck struct {
	OK       bool            `json:"ok"`
	Warnings []string        `json:"warnings"`
	Message  string          `json:"message"`
	Settings HostingSettings `json:"settings"`
}

type savedHosting struct {
	Provider    string    `json:"provider"`
	Endpoint    string    `json:"endpoint"`
	Region      string    `json:"region"`
	Bucket      string    `json:"bucket"`
	AccessKeyID string    `json:"accessKeyId"`
	PathStyle   bool      `json:"pathStyle"`
	CheckedAt   time.Time `json:"checkedAt"`
	Warnings    []string  `json:"warnings"`
}

func (s *HostingService) hc() *http.Client {
	if s.HTTP != nil {
		return s.HTTP
	}
	return &http.Client{Timeout: 60 * time.Second}
}

func (s *HostingService) read(ctx context.Context, db *store.DB) (savedHosting, bool, error) {
	return readState[savedHosting](ctx, db, hostingStateKey, "The saved media hosting settings are damaged. Enter the bucket again in Settings → Media hosting.")
}

func (h savedHosting) config(secret string) hosting.Config {
	return hosting.Config{Endpoint: h.Endpoint, Region: h.Region, Bucket: h.Bucket, AccessKeyID: h.AccessKeyID, SecretAccessKey: secret, PathStyle: h.PathStyle}
}

// host is the ChannelService's view: the bucket, or nil.
func (s *HostingService) host() publish.MediaHost {
	b := s.current(context.Background())
	if b == nil {
		return nil
	}
	return b
}

// current loads the bucket once per data file; nil when none is usable.
func (s *HostingService) current(ctx context.Context) *hosting.Bucket {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.loaded {
		return s.bucket
	}
	db, err := s.c.DB()
	if err != nil {
		return nil
	}
	h, ok, err := s.read(ctx, db)
	if err != nil || !ok {
		s.loaded = err == nil
		return nil
	}
	secret, err := s.secrets.Get(hostingSecretKey)
	if err != nil {
		// A missing secret (backup restored elsewhere) means no bucket; a
		// locked keychain may come back, so it is asked again next time.
		s.loaded = auth.IsNotFound(err)
		return nil
	}
	b, err := hosting.New(h.config(secret), hosting.Options{HTTP: s.hc(), Clock: s.c.Clock})
	if err != nil {
		s.loaded = true
		return nil
	}
	s.bucket, s.loaded = b, true
	return b
}

func (s *HostingService) start(ctx context.Context) {
	go func() {
		b := s.current(ctx)
		if b == nil {
			return
		}
		// Objects older than a presigned link's life are of no use to any
		// platform: they were left when PracticePost stopped between upload
		// and confirmation. Younger ones may belong to another computer of
		// the practice that is posting right now.
		n, err := b.Sweep(ctx, hosting.DefaultTTL+time.Minute)
		if err != nil {
			slog.Warn("media hosting: sweep failed", "code", app.ErrorCode(err))
			return
		}
		if n > 0 {
			slog.Info("media hosting: removed images left behind", "count", n)
		}
	}()
}

func (s *HostingService) stop() {
	s.mu.Lock()
	s.bucket, s.loaded = nil, false
	s.mu.Unlock()
}

// Get returns the saved bucket settings (never the secret).
func (s *HostingService) Get() (HostingSettings, error) {
	return withDB(s.c, func(ctx context.Context, db *store.DB) (HostingSettings, error) {
		h, ok, err := s.read(ctx, db)
		switch {
		case errors.Is(err, errDamagedState):
			// The one screen where the bucket is entered stays open, empty,
			// saying why; what is kept stays until Test and save replaces it.
			return HostingSettings{Message: damagedBucketMessage, Warnings: []string{}}, nil
		case err != nil:
			return HostingSettings{}, err
		case !ok:
			return HostingSettings{Message: noBucketMessage, Warnings: []string{}}, nil
		}
		return s.settings(h), nil
	})
}

const damagedBucketMessage = "The media hosting settings saved before could not be read, so no bucket is in use. Enter the bucket again below and press Test and save."

const noBucketMessage = "No storage bucket is connected. Instagram still takes posts where its images can go through the linked Facebook Page (Channels shows which route each Instagram channel uses); without that, Instagram cannot take posts, and Google posts go out without their photo."

func (s *HostingService) settings(h savedHosting) HostingSettings {
	out := HostingSettings{Connected: true, Provider: h.Provider, Endpoint: h.Endpoint, Region: h.Region, Bucket: h.Bucket, AccessKeyID: h.AccessKeyID,
		PathStyle: h.PathStyle, CheckedAt: h.CheckedAt, Warnings: h.Warnings,
		Message: "Instagram and Google images go through the bucket " + h.Bucket + ". Change the details below and press Test and save to check them again."}
	if out.Warnings == nil {
		out.Warnings = []string{}
	}
	if _, err := s.secrets.Get(hostingSecretKey); err == nil {
		out.HasSecret = true
	} else {
		out.Connected = false
		out.Message = "The bucket's secret key is not on this computer. Enter it again and save."
	}
	return out
}

// input turns the form into a bucket config, keeping the saved secret when
// the field was left empty.
func (s *HostingService) input(ctx context.Context, db *store.DB, in HostingInput) (savedHosting, string, error) {
	h := savedHosting{Provider: strings.TrimSpace(in.Provider), Endpoint: strings.TrimSpace(in.Endpoint), Region: strings.TrimSpace(in.Region),
		Bucket: strings.TrimSpace(in.Bucket), AccessKeyID: strings.TrimSpace(in.AccessKeyID), PathStyle: in.PathStyle}
	switch h.Provider {
	case "r2":
		if h.Region == "" {
			h.Region = "auto"
		}
	case "minio":
		h.PathStyle = true
	case "aws", "b2", "other", "":
	default:
		return h, "", app.FieldError("provider", "Choose where the bucket is.")
	}
	secret := strings.TrimSpace(in.SecretAccessKey)
	if secret == "" {
		if old, ok, _ := s.read(ctx, db); ok && old.AccessKeyID == h.AccessKeyID {
			if saved, err := s.secrets.Get(hostingSecretKey); err == nil {
				secret = saved
			}
		}
	}
	if h.AccessKeyID == "" {
		return h, "", app.FieldError("accessKeyId", "Enter the access key ID.")
	}
	if secret == "" {
		return h, "", app.FieldError("secretAccessKey", "Enter the secret access key that belongs to this access key.")
	}
	return h, secret, nil
}

// Test checks the bucket without saving: upload a tiny file, download it
// through a presigned link without credentials, delete it.
func (s *HostingService) Test(in HostingInput) (HostingCheck, error) {
	return withDB(s.c, func(ctx context.Context, db *store.DB) (HostingCheck, error) {
		h, secret, err := s.input(ctx, db, in)
		if err != nil {
			return HostingCheck{}, err
		}
		b, err := hosting.New(h.config(secret), hosting.Options{HTTP: s.hc(), Clock: s.c.Clock})
		if err != nil {
			return HostingCheck{}, err
		}
		warnings, err := b.Check(ctx)
		if err != nil {
			return HostingCheck{}, err
		}
		if warnings == nil {
			warnings = []string{}
		}
		msg := "The bucket works: PracticePost uploaded a test file, downloaded it through a private link and removed it."
		if len(warnings) > 0 {
			msg = "The bucket works from this computer, but read the warnings below."
		}
		return HostingCheck{OK: true, Warnings: warnings, Message: msg}, nil
	})
}

// Save tests the bucket and, when it works, keeps it: the secret in the
// keychain, the rest in the data file.
func (s *HostingService) Save(in HostingInput) (HostingCheck, error) {
	if err := s.c.manager(); err != nil {
		return HostingCheck{}, err
	}
	chk, err := s.Test(in)
	if err != nil {
		return HostingCheck{}, err
	}
	ctx := context.Background()
	db, err := s.c.open(ctx)
	if err != nil {
		return HostingCheck{}, err
	}
	h, secret, err := s.input(ctx, db, in)
	if err != nil {
		return HostingCheck{}, err
	}
	h.CheckedAt, h.Warnings = s.c.Clock.Now().UTC(), chk.Warnings
	if err := s.secrets.Set(hostingSecretKey, secret); err != nil {
		return HostingCheck{}, err
	}
	b, _ := json.Marshal(h)
	if err := db.Tx(ctx, func(tx *store.Tx) error { return tx.SetState(ctx, hostingStateKey, string(b)) }); err != nil {
		return HostingCheck{}, err
	}
	s.changed()
	chk.Settings = s.settings(h)
	chk.Message = "Saved. " + chk.Message
	return chk, nil
}

// Disconnect forgets the bucket and its secret. Images already removed
// stay removed; nothing else in the bucket is touched.
func (s *HostingService) Disconnect() error {
	return s.c.withDB(func(ctx context.Context, db *store.DB) error {
		if err := s.secrets.Delete(hostingSecretKey); err != nil && !auth.IsNotFound(err) {
			return err
		}
		if err := db.Tx(ctx, func(tx *store.Tx) error { return tx.SetState(ctx, hostingStateKey, "") }); err != nil {
			return err
		}
		s.changed()
		return nil
	})
}

func (s *HostingService) changed() {
	s.mu.Lock()
	s.bucket, s.loaded = nil, false
	s.mu.Unlock()
	if s.ch != nil {
		s.ch.forgetPlatforms(publish.Instagram, publish.Google)
	}
	s.c.Emit.Emit(EventHostingChanged, nil)
}
