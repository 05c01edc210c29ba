package mastodon_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"practicepost/app/insights/collect"
	"practicepost/app/publish"
	"practicepost/app/publish/internal/publishtest"
	"practicepost/app/publish/mastodon"
	"practicepost/app/publish/mastodon/mastodontest"
)

// The collector reads followers from any connector that can give them.
var _ collect.FollowerCounter = (*mastodon.Client)(nil)

// TestFollowers is the account's follower count (verify_credentials)
// against the fake instance, and the ways it is not given: a token
// without read:accounts (403: no count this time, the collector goes on),
// a 429 (the channel waits for X-RateLimit-Reset) and a revoked token
// (reconnect).
func TestFollowers(t *testing.T) {
	ctx := context.Background()
	e := setup(t, mastodontest.Config{}, 0)
	e.srv.SetFollowers(431)
	if n, err := e.cli.Followers(ctx); err != nil || n != 431 {
		t.Fatalf("followers = %d, %v; want 431", n, err)
	}

	t.Run("missing permission", func(t *testing.T) {
		tok := narrowToken(t, e.srv.URL, "write:statuses")
		_, err := mastodon.NewClient(e.srv.URL, tok, mastodon.Options{}).Followers(ctx)
		if pe := publishtest.Err(t, err); pe.Kind != publish.KindPermission || pe.Status != http.StatusForbidden {
			t.Fatalf("got kind=%s status=%d", pe.Kind, pe.Status)
		}
	})
	t.Run("429 with reset", func(t *testing.T) {
		e := setup(t, mastodontest.Config{}, 0)
		e.srv.Faults.Add(mastodontest.Fault{Status: 429, Reset: 7 * time.Minute, Times: 1})
		_, err := e.cli.Followers(ctx)
		pe := publishtest.Err(t, err)
		if pe.Kind != publish.KindRateLimited || !pe.ResetAt.Equal(t0.Add(7*time.Minute)) {
			t.Fatalf("got kind=%s reset=%v", pe.Kind, pe.ResetAt)
		}
	})
	t.Run("revoked token", func(t *testing.T) {
		e := setup(t, mastodontest.Config{}, 0)
		e.srv.RevokeToken("masto-token")
		_, err := e.cli.Followers(ctx)
		if pe := publishtest.Err(t, err); pe.Kind != publish.KindAuth || pe.Status != http.StatusUnauthorized {
			t.Fatalf("got kind=%s status=%d", pe.Kind, pe.Status)
		}
	})
}

// narrowToken signs in through the fake's OAuth flow asking for scope only.
func narrowToken(t *testing.T, base, scope string) string {
	t.Helper()
	ctx := context.Background()
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	a, err := mastodon.RegisterApp(ctx, nil, base, "PracticePost", "urn:ietf:wg:oauth:2.0:oob", "")
	if err != nil {
		t.Fatal(err)
	}
	verifier := oauth2.GenerateVerifier()
	u := strings.Replace(a.AuthCodeURL("s", verifier), url.QueryEscape(mastodon.Scopes), url.QueryEscape(scope), 1)
	resp, err := noRedirect.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, _ := url.Parse(resp.Header.Get("Location"))
	tok, err := a.Exchange(ctx, nil, loc.Query().Get("code"), verifier)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}
