// Package update checks PracticePost's signed release feed. The feed is a
// small JSON file: the release (version, notes, installer address and its
// SHA-256) exactly as signed, and an ed25519 signature over those bytes
// made with the key whose public half is embedded in the build. A feed or
// installer that does not check out is refused; an older or equal version
// is never offered, so a replayed old feed cannot downgrade a practice.
package update

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"

	"practicepost/app/release"
)

// Release is one published version, as the feed signs it.
type Release struct {
	Version string `json:"version"`
	// Notes is "what's new", a few plain sentences.
	Notes string `json:"notes"`
	// Page is the release's web page, for the link in Settings.
	Page string `json:"page"`
	// Installer is where the Windows installer is downloaded from, and
	// SHA256 its hash in hex.
	Installer string `json:"installer"`
	SHA256    string `json:"sha256"`
}

// Feed is the file at the feed URL.
type Feed struct {
	// Release is kept as the bytes that were signed.
	Release   json.RawMessage `json:"release"`
	Signature string          `json:"signature"` // base64 ed25519 over Release
}

// Sign makes a feed; the release tooling and the tests use it.
func Sign(r Release, key ed25519.PrivateKey) ([]byte, error) {
	body, err := json.Marshal(r)
	if err != nil {
		return nil, err
	}
	// Not indented: the release must stay the very bytes that were signed.
	return json.Marshal(Feed{Release: body, Signature: base64.StdEncoding.EncodeToString(ed25519.Sign(key, body))})
}

// Errors the caller tells apart: offline is silent, the others are shown.
var (
	ErrOffline   = errors.New("the update feed could not be reached")
	ErrSignature = errors.New("the update feed's signature does not match this copy of PracticePost's key")
	ErrHash      = errors.New("the downloaded installer is not the one the feed signed")
)

// Checker reads one feed with one key.
type Checker struct {
	FeedURL   string
	PublicKey string // base64 ed25519
	Client    *http.Client
	// MaxBytes bounds the feed and installer downloads.
	MaxFeed, MaxInstaller int64
}

// Result says whether a newer version exists.
type Result struct {
	Current   string  `json:"current"`
	Available bool    `json:"available"`
	Release   Release `json:"release"`
}

func (c Checker) client() *http.Client {
	if c.Client != nil {
		return c.Client
	}
	return http.DefaultClient
}

func (c Checker) key() (ed25519.PublicKey, error) {
	k, err := base64.StdEncoding.DecodeString(strings.TrimSpace(c.PublicKey))
	if err != nil || len(k) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("the update key built into PracticePost is not an ed25519 public key")
	}
	return ed25519.PublicKey(k), nil
}

// Check fetches the feed, verifies it and compares its version with
// current.
func (c Checker) Check(ctx context.Context, current string) (Result, error) {
	res := Result{Current: current}
	key, err := c.key()
	if err != nil {
		return res, err
	}
	cur, err := release.ParseSemver(current)
	if err != nil {
		return res, err
	}
	max := c.MaxFeed
	if max == 0 {
		max = 64 << 10
	}
	body, err := c.get(ctx, c.FeedURL, max)
	if err != nil {
		return res, err
	}
	var f Feed
	if err := json.Unmarshal(body, &f); err != nil || len(f.Release) == 0 {
		return res, fmt.Errorf("the update feed is not a PracticePost feed")
	}
	sig, err := base64.StdEncoding.DecodeString(f.Signature)
	if err != nil || !ed25519.Verify(key, f.Release, sig) {
		return res, ErrSignature
	}
	var r Release
	if err := json.Unmarshal(f.Release, &r); err != nil {
		return res, fmt.Errorf("the update feed's release is unreadable: %w", err)
	}
	v, err := release.ParseSemver(r.Version)
	if err != nil {
		return res, fmt.Errorf("the update feed names no version: %w", err)
	}
	res.Release = r
	res.Available = release.Compare(v, cur) > 0
	return res, nil
}

// Download fetches the release's installer into dir and checks it against
// the signed hash; the file is removed again when it does not match.
func (c Checker) Download(ctx context.Context, r Release, dir string) (string, error) {
	want, err := hex.DecodeString(r.SHA256)
	if err != nil || len(want) != sha256.Size {
		return "", ErrHash
	}
	u, err := url.Parse(r.Installer)
	if err != nil || u.Scheme != "https" && u.Scheme != "http" {
		return "", fmt.Errorf("the update feed's installer address is not a web address")
	}
	name := path.Base(u.Path)
	if name == "." || name == "/" || strings.ContainsAny(name, `\:`) {
		name = "PracticePost-installer.exe"
	}
	max := c.MaxInstaller
	if max == 0 {
		max = 512 << 20
	}
	body, err := c.get(ctx, r.Installer, max)
	if err != nil {
		return "", err
	}
	got := sha256.Sum256(body)
	if !bytes.Equal(got[:], want) {
		return "", ErrHash
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, body, 0o600); err != nil {
		return "", err
	}
	return p, nil
}

func (c Checker) get(ctx context.Context, u string, max int64) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.client().Do(req)
	if err != nil {
		var ne net.Error
		var ue *url.Error
		if errors.As(err, &ne) || errors.As(err, &ue) {
			return nil, fmt.Errorf("%w: %v", ErrOffline, err)
		}
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("the update server answered %s", resp.Status)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, max+1))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrOffline, err)
	}
	if int64(len(body)) > max {
		return nil, fmt.Errorf("the update server sent more than expected")
	}
	return body, nil
}
