package auth

import (
	"context"
	"sync"

	"golang.org/x/oauth2"

	"practicepost/app"
)

// Sources keeps one TokenSource per stored token (one per channel). X and
// others hand out single-use refresh tokens: two sources for the same
// channel, each refreshing on its own, would spend the same refresh token
// twice and the loser would find the channel "needs reconnecting". With
// one source per key every publisher, test post and queue run shares one
// refresh (TokenSource serialises its own).
type Sources struct {
	mu sync.Mutex
	m  map[string]*TokenSource
}

func NewSources() *Sources { return &Sources{m: map[string]*TokenSource{}} }

// Open returns the one TokenSource for key, making it from the stored token
// the first time, or afresh when the stored token was replaced by someone
// else since (the channel was reconnected). A stored token the source
// itself wrote keeps the source.
func (r *Sources) Open(ctx context.Context, provider string, cfg *oauth2.Config, store SecretStore, key string, clock app.Clock) (*TokenSource, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if ts := r.m[key]; ts != nil {
		stored, own, err := ts.holds(store, key)
		switch {
		case err != nil:
			delete(r.m, key) // disconnected, or the keychain entry is gone
			return nil, err
		case own:
			return ts, nil
		}
		ts = NewTokenSource(ctx, provider, cfg, store, key, stored, clock)
		r.m[key] = ts
		return ts, nil
	}
	ts, err := OpenTokenSource(ctx, provider, cfg, store, key, clock)
	if err != nil {
		return nil, err
	}
	r.m[key] = ts
	return ts, nil
}

// holds reads the stored token and says whether it is this source's own:
// the same tokens, or older ones while it has refreshed ones still unsaved.
// It first waits for a refresh in flight, which saves what it got before
// letting go, so the store is read after that save.
func (s *TokenSource) holds(store SecretStore, key string) (Token, bool, error) {
	s.refreshMu.Lock()
	defer s.refreshMu.Unlock()
	stored, err := LoadToken(store, key)
	if err != nil {
		return Token{}, false, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	return stored, s.unsaved || (s.tok.AccessToken == stored.AccessToken && s.tok.RefreshToken == stored.RefreshToken), nil
}
