package service

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/url"
	"regexp"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"practicepost/app"
	"practicepost/app/auth"
	"practicepost/app/publish"
	"practicepost/app/publish/gbp"
	"practicepost/app/publish/instagram"
	"practicepost/app/publish/linkedin"
	"practicepost/app/publish/x"
	"practicepost/app/release"
)

// CancelSignIn stops a Mastodon sign-in that is waiting for the browser.
func (s *ChannelService) CancelSignIn() error {
	if err := s.c.manager(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.signIn != nil {
		s.signIn()
		s.signIn = nil
	}
	return nil
}

// OAuthApp is one provider's sign-in endpoints and PracticePost's client.
type OAuthApp struct {
	ClientID     string
	ClientSecret string
	AuthURL      string
	TokenURL     string
	// Port is the fixed loopback port registered with the provider; 0 for
	// any free port where the provider accepts that (Google).
	Port int
}

// XLoopbackPort is the redirect port registered with X: X matches callback
// URLs exactly (contracts §7.4).
const XLoopbackPort = 53682

// ProviderOptions are where the Instagram, LinkedIn, Google and X APIs live
// and how to sign in to them.
type ProviderOptions struct {
	InstagramGraphURL string
	LinkedInURL       string
	XURL              string
	GoogleURL         string // local posts (v4)
	GoogleInfoURL     string // Business Information (locations)
	GoogleAccountsURL string // Account Management (accounts)
	GooglePerfURL     string // Business Profile Performance (location daily metrics)
	X, Google         OAuthApp
	LinkedIn          OAuthApp
}

// defaultProviders uses this build's registrations with the providers
// (app/release; empty in a build without them).
func defaultProviders() ProviderOptions {
	return ProviderOptions{
		InstagramGraphURL: instagram.DefaultBaseURL,
		LinkedInURL:       linkedin.DefaultBaseURL,
		XURL:              x.DefaultBaseURL,
		GoogleURL:         gbp.DefaultBaseURL,
		GoogleInfoURL:     gbp.DefaultInfoURL,
		GoogleAccountsURL: gbp.DefaultAccountsURL,
		GooglePerfURL:     gbp.DefaultPerformanceURL,
		X: OAuthApp{ClientID: release.XClientID, AuthURL: "https://x.com/i/oauth2/authorize", TokenURL: "https://api.x.com/2/oauth2/token",
			Port: XLoopbackPort},
		Google: OAuthApp{ClientID: release.GoogleClientID, ClientSecret: release.GoogleClientSecret,
			AuthURL: "https://accounts.google.com/o/oauth2/v2/auth", TokenURL: "https://oauth2.googleapis.com/token"},
		LinkedIn: OAuthApp{ClientID: release.LinkedInClientID, AuthURL: "https://www.linkedin.com/oauth/v2/authorization",
			TokenURL: "https://www.linkedin.com/oauth/v2/accessToken"},
	}
}

// LinkedInScopes are asked for when signing in to LinkedIn.
var LinkedInScopes = []string{"w_organization_social", "r_organization_social"}

// LinkedInTokenDays is how long a LinkedIn access token lasts; LinkedIn
// gives most apps no refresh token, so the practice reconnects by then.
const LinkedInTokenDays = 60

func (a OAuthApp) config(scopes []string) *oauth2.Config {
	return &oauth2.Config{ClientID: a.ClientID, ClientSecret: a.ClientSecret, Scopes: scopes,
		Endpoint: oauth2.Endpoint{AuthURL: a.AuthURL, TokenURL: a.TokenURL, AuthStyle: oauth2.AuthStyleInParams}}
}

// SignInOptions tells the Channels screen which browser sign-ins this copy
// of PracticePost can offer.
type SignInOptions struct {
	X        bool `json:"x"`
	Google   bool `json:"google"`
	LinkedIn bool `json:"linkedin"` // browser sign-in; a pasted token always works
	// MediaHosting is set when a storage bucket is connected, which
	// Instagram always and Google for photos need.
	MediaHosting bool `json:"mediaHosting"`
}

// SignInOptions reports what the Channels screen can offer.
func (s *ChannelService) SignInOptions() (SignInOptions, error) {
	if err := s.c.manager(); err != nil {
		return SignInOptions{}, err
	}
	return SignInOptions{X: s.Providers.X.ClientID != "", Google: s.Providers.Google.ClientID != "", LinkedIn: s.Providers.LinkedIn.ClientID != "",
		MediaHosting: s.mediaHost() != nil}, nil
}

// beginSignIn makes this the one browser sign-in in progress (a newer
// click wins over a forgotten browser tab).
func (s *ChannelService) beginSignIn() (context.Context, func()) {
	ctx, cancel := context.WithCancel(context.Background())
	s.mu.Lock()
	if s.signIn != nil {
		s.signIn()
	}
	s.signIn = cancel
	s.mu.Unlock()
	return ctx, func() {
		cancel()
		s.mu.Lock()
		s.signIn = nil
		s.mu.Unlock()
	}
}

var linkedInOrgRe = regexp.MustCompile(`(?:^|/company/)([0-9]{3,15})(?:/|$)`)

// LinkedInOrganization reads the organisation id from what the practice
// pastes: the number itself, or its page's admin address
// (https://www.linkedin.com/company/12345678/admin/).
func LinkedInOrganization(in string) (string, error) {
	in = strings.TrimSpace(in)
	in = strings.TrimPrefix(in, "urn:li:organization:")
	if u, err := url.Parse(in); err == nil && u.Host != "" {
		in = u.Path
	}
	if m := linkedInOrgRe.FindStringSubmatch(in); m != nil {
		return m[1], nil
	}
	return "", app.FieldError("organization", "Enter the page's number: open your LinkedIn page as an admin and copy the address (it looks like linkedin.com/company/12345678/admin).")
}

// ConnectLinkedInToken connects a LinkedIn organisation page with an access
// token the practice created in LinkedIn's developer portal (its token
// generator). LinkedIn tokens last 60 days and most apps get no refresh
// token, so the channel counts down to a reconnect from today.
func (s *ChannelService) ConnectLinkedInToken(organization, token string) (ChannelView, error) {
	if err := s.c.manager(); err != nil {
		return ChannelView{}, err
	}
	org, err := LinkedInOrganization(organization)
	if err != nil {
		return ChannelView{}, err
	}
	token = strings.TrimSpace(token)
	if token == "" || strings.ContainsAny(token, " \t\r\n") {
		return ChannelView{}, app.FieldError("token", "Paste the whole access token from LinkedIn's token generator (one long line, no spaces).")
	}
	expiry := s.c.Clock.Now().Add(LinkedInTokenDays * 24 * time.Hour).UTC()
	return s.connectLinkedIn(context.Background(), org, auth.Token{AccessToken: token, AccountID: org, Expiry: expiry, Scopes: LinkedInScopes})
}

// ConnectLinkedIn signs in to LinkedIn in the browser (PKCE with a
// loopback redirect, where LinkedIn has enabled it for PracticePost) and
// connects the organisation page.
func (s *ChannelService) ConnectLinkedIn(organization string) (ChannelView, error) {
	if err := s.c.manager(); err != nil {
		return ChannelView{}, err
	}
	org, err := LinkedInOrganization(organization)
	if err != nil {
		return ChannelView{}, err
	}
	if s.Providers.LinkedIn.ClientID == "" {
		return ChannelView{}, app.Errorf(app.EUNAVAILABLE, "Signing in to LinkedIn in the browser is not available in this copy of PracticePost. Use “Paste a token” instead.")
	}
	ctx, done := s.beginSignIn()
	defer done()
	flow := &auth.Flow{Config: s.Providers.LinkedIn.config(LinkedInScopes), Provider: "LinkedIn", OpenBrowser: s.openBrowser,
		Timeout: s.SignInTimeout, Port: s.Providers.LinkedIn.Port}
	tok, err := flow.Run(context.WithValue(ctx, oauth2.HTTPClient, s.hc()))
	if err != nil {
		return ChannelView{}, platformErr(err)
	}
	t := s.oauthToken(tok, org, LinkedInScopes)
	if t.Expiry.IsZero() {
		t.Expiry = s.c.Clock.Now().Add(LinkedInTokenDays * 24 * time.Hour).UTC()
	}
	return s.connectLinkedIn(ctx, org, t)
}

func (s *ChannelService) connectLinkedIn(ctx context.Context, org string, tok auth.Token) (ChannelView, error) {
	db, err := s.c.open(ctx)
	if err != nil {
		return ChannelView{}, err
	}
	base := s.Providers.LinkedInURL
	acct, err := linkedin.NewClient(base, org, tok.AccessToken, linkedin.Options{HTTP: s.hc(), Clock: s.c.Clock, TokenExpiresAt: tok.Expiry}).Verify(ctx)
	if err != nil {
		return ChannelView{}, connectErr(err)
	}
	c := app.Channel{ID: "linkedin:" + org, Platform: string(publish.LinkedIn), AccountID: org, Name: acct.Name, Handle: acct.Handle, BaseURL: base}
	if tok.RefreshToken == "" {
		c.ExpiresAt = tok.Expiry
	}
	if c.Name == "" {
		c.Name = "LinkedIn page " + org
	}
	b, _ := json.Marshal(tok)
	return s.saveConnected(ctx, db, c, string(b))
}

// GoogleSignIn is the outcome of signing in to Google: the channel when
// the account manages exactly one location, else the locations to pick
// from with ChooseGoogleLocation.
type GoogleSignIn struct {
	Channel   *ChannelView   `json:"channel"`
	Pending   string         `json:"pending"`
	Locations []gbp.Location `json:"locations"`
}

type pendingGoogle struct {
	tok       auth.Token
	locations []gbp.Location
	expires   time.Time
}

// ConnectGoogle signs in to Google in the browser (PKCE, loopback, offline
// access so PracticePost can renew the hour-long token by itself) and
// lists the Business Profile locations the account manages.
func (s *ChannelService) ConnectGoogle() (GoogleSignIn, error) {
	if err := s.c.manager(); err != nil {
		return GoogleSignIn{}, err
	}
	if s.Providers.Google.ClientID == "" {
		return GoogleSignIn{}, notRegistered("Google")
	}
	ctx, done := s.beginSignIn()
	defer done()
	if _, err := s.c.open(ctx); err != nil {
		return GoogleSignIn{}, err
	}
	flow := &auth.Flow{Config: s.Providers.Google.config([]string{gbp.Scope}), Provider: "Google", OpenBrowser: s.openBrowser,
		Timeout: s.SignInTimeout, Port: s.Providers.Google.Port,
		// Offline access and a fresh consent make Google hand out a
		// refresh token every time, also on a reconnect.
		AuthOptions: []oauth2.AuthCodeOption{oauth2.AccessTypeOffline, oauth2.ApprovalForce}}
	otok, err := flow.Run(context.WithValue(ctx, oauth2.HTTPClient, s.hc()))
	if err != nil {
		return GoogleSignIn{}, platformErr(err)
	}
	tok := s.oauthToken(otok, "", []string{gbp.Scope})
	if tok.RefreshToken == "" {
		return GoogleSignIn{}, app.Errorf(app.EUNAVAILABLE, "Google signed in but did not allow PracticePost to stay signed in. Click Connect again and allow offline access.")
	}
	locs, err := gbp.Discover(ctx, s.Providers.GoogleAccountsURL, s.Providers.GoogleInfoURL, tok.AccessToken, gbp.Options{HTTP: s.hc(), Clock: s.c.Clock})
	if err != nil {
		return GoogleSignIn{}, platformErr(err)
	}
	if len(locs) == 0 {
		return GoogleSignIn{}, app.Errorf(app.ENOTFOUND, "This Google account does not manage any Business Profile. Sign in with the Google account that owns or manages the practice's profile on Google Maps.")
	}
	if len(locs) == 1 {
		v, err := s.saveGoogle(ctx, tok, locs[0])
		if err != nil {
			return GoogleSignIn{}, err
		}
		return GoogleSignIn{Channel: &v, Locations: locs}, nil
	}
	var id [12]byte
	rand.Read(id[:])
	pending := hex.EncodeToString(id[:])
	s.mu.Lock()
	if s.googlePending == nil {
		s.googlePending = map[string]pendingGoogle{}
	}
	// The sign-in waits in memory only, for a short while: the keychain
	// holds it once a location is chosen.
	s.googlePending[pending] = pendingGoogle{tok: tok, locations: locs, expires: s.c.Clock.Now().Add(15 * time.Minute)}
	s.mu.Unlock()
	return GoogleSignIn{Pending: pending, Locations: locs}, nil
}

// ChooseGoogleLocation connects the location picked after ConnectGoogle.
func (s *ChannelService) ChooseGoogleLocation(pending, locationID string) (ChannelView, error) {
	if err := s.c.manager(); err != nil {
		return ChannelView{}, err
	}
	s.mu.Lock()
	p, ok := s.googlePending[pending]
	if ok && !s.c.Clock.Now().Before(p.expires) {
		delete(s.googlePending, pending)
		ok = false
	}
	s.mu.Unlock()
	if !ok {
		return ChannelView{}, app.Errorf(app.ENOTFOUND, "That Google sign-in is no longer waiting. Click Connect Google again.")
	}
	for _, l := range p.locations {
		if l.LocationID == locationID {
			v, err := s.saveGoogle(context.Background(), p.tok, l)
			if err == nil {
				s.mu.Lock()
				delete(s.googlePending, pending)
				s.mu.Unlock()
			}
			return v, err
		}
	}
	return ChannelView{}, app.FieldError("location", "Pick one of the listed locations.")
}

func (s *ChannelService) saveGoogle(ctx context.Context, tok auth.Token, l gbp.Location) (ChannelView, error) {
	db, err := s.c.open(ctx)
	if err != nil {
		return ChannelView{}, err
	}
	base := s.Providers.GoogleURL
	acct, err := gbp.NewClient(base, l.AccountID, l.LocationID, tok.AccessToken, gbp.Options{HTTP: s.hc(), Clock: s.c.Clock, InfoURL: s.Providers.GoogleInfoURL}).Verify(ctx)
	if err != nil {
		return ChannelView{}, connectErr(err)
	}
	c := app.Channel{ID: "google:" + l.LocationID, Platform: string(publish.Google), AccountID: l.AccountID + "/" + l.LocationID,
		Name: acct.Name, Handle: l.Address, BaseURL: base}
	if c.Name == "" {
		c.Name = l.Title
	}
	tok.AccountID = c.AccountID
	b, _ := json.Marshal(tok)
	return s.saveConnected(ctx, db, c, string(b))
}

// ConnectX signs in to X in the browser (PKCE with the registered
// loopback port). X access tokens last two hours; PracticePost renews them
// with the refresh token and keeps the newest one, since X may retire a
// refresh token once used.
func (s *ChannelService) ConnectX() (ChannelView, error) {
	if err := s.c.manager(); err != nil {
		return ChannelView{}, err
	}
	if s.Providers.X.ClientID == "" {
		return ChannelView{}, notRegistered("X")
	}
	ctx, done := s.beginSignIn()
	defer done()
	db, err := s.c.open(ctx)
	if err != nil {
		return ChannelView{}, err
	}
	flow := &auth.Flow{Config: s.Providers.X.config(x.Scopes), Provider: "X", OpenBrowser: s.openBrowser, Timeout: s.SignInTimeout, Port: s.Providers.X.Port}
	otok, err := flow.Run(context.WithValue(ctx, oauth2.HTTPClient, s.hc()))
	if err != nil {
		return ChannelView{}, platformErr(err)
	}
	base := s.Providers.XURL
	acct, err := x.NewClient(base, otok.AccessToken, x.Options{HTTP: s.hc(), Clock: s.c.Clock}).Verify(ctx)
	if err != nil {
		return ChannelView{}, platformErr(err)
	}
	tok := s.oauthToken(otok, acct.ID, x.Scopes)
	if tok.RefreshToken == "" {
		return ChannelView{}, app.Errorf(app.EUNAVAILABLE, "X signed in but did not allow PracticePost to stay signed in (offline access). Click Connect X again and approve every permission.")
	}
	c := app.Channel{ID: "x:" + acct.ID, Platform: string(publish.X), AccountID: acct.ID, Name: acct.Name, Handle: acct.Handle, BaseURL: base}
	if c.Name == "" {
		c.Name = acct.Handle
	}
	b, _ := json.Marshal(tok)
	return s.saveConnected(ctx, db, c, string(b))
}

// oauthToken keeps a provider's token with its expiry counted on the
// app's clock (x/oauth2 stamps it from the wall clock).
func (s *ChannelService) oauthToken(t *oauth2.Token, account string, scopes []string) auth.Token {
	tok := auth.TokenFromOAuth2(t, account, scopes)
	if t.ExpiresIn > 0 {
		tok.Expiry = s.c.Clock.Now().Add(time.Duration(t.ExpiresIn) * time.Second).UTC()
	}
	return tok
}

// notRegistered explains a build without the provider's app registration.
func notRegistered(provider string) error {
	return app.Errorf(app.EUNAVAILABLE, "This copy of PracticePost was built without a %s app registration, so it cannot sign in to %s in the browser. Install the official PracticePost release, or ask your IT support.", provider, provider)
}
