package service

import (
	"context"
	"encoding/json"
	"log/slog"
	"strings"

	"golang.org/x/oauth2"

	"practicepost/app"
	"practicepost/app/auth"
	"practicepost/app/publish"
	"practicepost/app/publish/bluesky"
	"practicepost/app/publish/facebook"
	"practicepost/app/publish/gbp"
	"practicepost/app/publish/instagram"
	"practicepost/app/publish/linkedin"
	"practicepost/app/publish/mastodon"
	"practicepost/app/publish/x"
)

// blueskySecret is what the keychain keeps for a Bluesky channel: the app
// password (to sign in again once the refresh token runs out) and the
// current session.
type blueskySecret struct {
	Identifier  string           `json:"identifier"`
	AppPassword string           `json:"appPassword"`
	Session     *bluesky.Session `json:"session,omitempty"`
}

// clientFactory builds the connector for one saved channel from its
// keychain entry (raw); damaged is the error to return when that entry
// cannot be used.
type clientFactory func(s *ChannelService, c app.Channel, raw string, damaged error) (publish.Publisher, error)

// clientFactories holds one factory per platform PracticePost posts to.
var clientFactories = map[publish.Platform]clientFactory{
	publish.Mastodon:  mastodonClient,
	publish.Facebook:  facebookClient,
	publish.Bluesky:   blueskyClient,
	publish.Instagram: instagramClient,
	publish.LinkedIn:  linkedInClient,
	publish.Google:    googleClient,
	publish.X:         xClient,
}

func (s *ChannelService) client(c app.Channel, raw string) (publish.Publisher, error) {
	damaged := app.Errorf(app.EFORBIDDEN, "The saved sign-in for %s is damaged. Open Channels and click Reconnect.", publish.Platform(c.Platform).Title())
	f, ok := clientFactories[publish.Platform(c.Platform)]
	if !ok {
		return nil, app.Errorf(app.ENOTFOUND, "PracticePost cannot post to %q.", c.Platform)
	}
	return f(s, c, raw, damaged)
}

func mastodonClient(s *ChannelService, c app.Channel, _ string, damaged error) (publish.Publisher, error) {
	tok, err := auth.LoadToken(s.secrets, c.SecretKey())
	if err != nil {
		return nil, damaged
	}
	return mastodon.NewClient(c.BaseURL, tok.AccessToken, mastodon.Options{HTTP: s.hc(), Clock: s.c.Clock}), nil
}

func facebookClient(s *ChannelService, c app.Channel, _ string, damaged error) (publish.Publisher, error) {
	tok, err := auth.LoadToken(s.secrets, c.SecretKey())
	if err != nil {
		return nil, damaged
	}
	return facebook.NewClient(c.BaseURL, c.AccountID, tok.AccessToken, facebook.Options{HTTP: s.hc(), Clock: s.c.Clock}), nil
}

func blueskyClient(s *ChannelService, c app.Channel, raw string, damaged error) (publish.Publisher, error) {
	var sec blueskySecret
	if err := json.Unmarshal([]byte(raw), &sec); err != nil || sec.AppPassword == "" {
		return nil, damaged
	}
	key := c.SecretKey()
	return bluesky.NewClient(c.BaseURL, sec.Identifier, sec.AppPassword, bluesky.Options{HTTP: s.hc(), Clock: s.c.Clock, Session: sec.Session,
		OnSession: func(ss bluesky.Session) {
			// Refresh tokens are single use: keep the newest or the next
			// start has to sign in with the app password again.
			sec.Session = &ss
			b, _ := json.Marshal(sec)
			if err := s.secrets.Set(key, string(b)); err != nil {
				slog.Warn("channels: could not save the Bluesky session", "channel", c.ID, "code", app.ErrorCode(err))
			}
		}}), nil
}

func instagramClient(s *ChannelService, c app.Channel, _ string, damaged error) (publish.Publisher, error) {
	tok, err := auth.LoadToken(s.secrets, c.SecretKey())
	if err != nil {
		return nil, damaged
	}
	opt := instagram.Options{HTTP: s.hc(), Clock: s.c.Clock, Host: s.mediaHost(), PreferBucket: c.ImageRoute == routeBucket}
	if pageRouteOpen(c, tok) {
		opt.Page = instagram.NewPageHost(c.BaseURL, c.PageID, tok.AccessToken, opt)
	}
	return instagram.NewClient(c.BaseURL, c.AccountID, tok.AccessToken, opt), nil
}

func linkedInClient(s *ChannelService, c app.Channel, _ string, damaged error) (publish.Publisher, error) {
	tok, err := auth.LoadToken(s.secrets, c.SecretKey())
	if err != nil {
		return nil, damaged
	}
	return linkedin.NewClient(c.BaseURL, c.AccountID, tok.AccessToken, linkedin.Options{HTTP: s.hc(), Clock: s.c.Clock, TokenExpiresAt: tok.Expiry}), nil
}

// oauthContext makes token refreshes use the service's HTTP client.
func (s *ChannelService) oauthContext() context.Context {
	return context.WithValue(context.Background(), oauth2.HTTPClient, s.hc())
}

func googleClient(s *ChannelService, c app.Channel, _ string, damaged error) (publish.Publisher, error) {
	acct, loc, ok := strings.Cut(c.AccountID, "/")
	if !ok {
		return nil, damaged
	}
	ts, err := s.tokens.Open(s.oauthContext(), publish.Google.Title(), s.Providers.Google.config([]string{gbp.Scope}), s.secrets, c.SecretKey(), s.c.Clock)
	if err != nil {
		return nil, damaged
	}
	return gbp.NewClient(c.BaseURL, acct, loc, "", gbp.Options{HTTP: s.hc(), Clock: s.c.Clock, Tokens: ts, Host: s.mediaHost(), InfoURL: s.Providers.GoogleInfoURL,
		PerformanceURL: s.Providers.GooglePerfURL}), nil
}

func xClient(s *ChannelService, c app.Channel, _ string, damaged error) (publish.Publisher, error) {
	ts, err := s.tokens.Open(s.oauthContext(), publish.X.Title(), s.Providers.X.config(x.Scopes), s.secrets, c.SecretKey(), s.c.Clock)
	if err != nil {
		return nil, damaged
	}
	return x.NewClient(c.BaseURL, "", x.Options{HTTP: s.hc(), Clock: s.c.Clock, Tokens: ts}), nil
}

// Platforms is the platform descriptor table (app.PlatformInfo) for the
// UI, so titles, limits and feed shapes are stated once, in Go.
func (s *ChannelService) Platforms() ([]app.PlatformInfo, error) {
	if _, err := s.c.open(context.Background()); err != nil {
		return nil, err
	}
	return app.Platforms(), nil
}
