package auth

import (
	"sync"
	"testing"
	"time"
)

// Two publishers for one X channel, each asking for a token at the same
// moment with the access token expired, against a server whose refresh
// tokens work once: both get the same fresh token, one refresh is spent,
// and the channel stays connected.
func TestSourcesOnePerChannelSurvivesSingleUseRefresh(t *testing.T) {
	f := newFixture(t)
	f.srv.Rotate = true
	f.srv.TokenDelay = 50 * time.Millisecond
	old := f.expiredToken(t)
	reg := NewSources()
	cfg := f.srv.Config("tweet.write")

	var wg sync.WaitGroup
	var got [2]string
	var errs [2]error
	var srcs [2]*TokenSource
	for i := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ts, err := reg.Open(t.Context(), "X", cfg, f.store, testKey, f.clock)
			if err != nil {
				errs[i] = err
				return
			}
			srcs[i] = ts
			tk, err := ts.Token()
			errs[i] = err
			if tk != nil {
				got[i] = tk.AccessToken
			}
		}()
	}
	wg.Wait()
	for i := range 2 {
		if errs[i] != nil {
			t.Fatalf("publisher %d: %v", i, errs[i])
		}
	}
	if srcs[0] != srcs[1] || got[0] != got[1] || got[0] == old.AccessToken {
		t.Fatalf("sources same %t, tokens %q %q", srcs[0] == srcs[1], got[0], got[1])
	}
	if _, r := f.srv.Counts(); r != 1 {
		t.Fatalf("refreshes = %d, want 1", r)
	}
	saved := f.saved(t)
	if saved.NeedsReconnect || saved.RefreshToken == old.RefreshToken || !f.srv.RefreshValid(saved.RefreshToken) || f.srv.RefreshValid(old.RefreshToken) {
		t.Fatalf("after the race: needs reconnect %t, rotated %t, new valid %t", saved.NeedsReconnect, saved.RefreshToken != old.RefreshToken, f.srv.RefreshValid(saved.RefreshToken))
	}
	// Its own rotated token in the store keeps the same source.
	if ts, err := reg.Open(t.Context(), "X", cfg, f.store, testKey, f.clock); err != nil || ts != srcs[0] {
		t.Fatalf("reopen after its own refresh: new source %t, %v", ts != srcs[0], err)
	}
}

// The race the registry prevents: two separate sources for one channel
// spend the same single-use refresh token, and one of them is refused.
func TestSeparateSourcesLoseTheSingleUseRefreshRace(t *testing.T) {
	f := newFixture(t)
	f.srv.Rotate = true
	f.srv.TokenDelay = 50 * time.Millisecond
	f.expiredToken(t)
	a, b := f.source(t), f.source(t)
	var wg sync.WaitGroup
	var errs [2]error
	for i, ts := range []*TokenSource{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = ts.Token()
		}()
	}
	wg.Wait()
	if (errs[0] == nil) == (errs[1] == nil) {
		t.Fatalf("expected exactly one refusal, got %v / %v", errs[0], errs[1])
	}
}

// Reconnecting writes a new token under the same key: the next Open
// starts from it instead of the old source's spent one.
func TestSourcesFollowAReconnect(t *testing.T) {
	f := newFixture(t)
	f.expiredToken(t)
	reg := NewSources()
	cfg := f.srv.Config("tweet.write")
	first, err := reg.Open(t.Context(), "X", cfg, f.store, testKey, f.clock)
	if err != nil {
		t.Fatal(err)
	}
	fresh := Token{AccessToken: "at-reconnected", RefreshToken: f.srv.IssueRefreshToken(), TokenType: "Bearer", Expiry: f.clock.T.Add(time.Hour), AccountID: "1001"}
	if err := SaveToken(f.store, testKey, fresh); err != nil {
		t.Fatal(err)
	}
	second, err := reg.Open(t.Context(), "X", cfg, f.store, testKey, f.clock)
	if err != nil || second == first {
		t.Fatalf("after reconnect: same source %t, %v", second == first, err)
	}
	if tk, err := second.Token(); err != nil || tk.AccessToken != "at-reconnected" {
		t.Fatalf("token after reconnect: %v %v", tk, err)
	}
	// Disconnected: the secret is gone and so is the source.
	if err := f.store.Delete(testKey); err != nil {
		t.Fatal(err)
	}
	if _, err := reg.Open(t.Context(), "X", cfg, f.store, testKey, f.clock); err == nil {
		t.Fatal("opened a source for a deleted token")
	}
}
