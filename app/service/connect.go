package service

import (
	"context"
	"encoding/json"
	"net"
	"net/url"
	"regexp"
	"strings"

	"golang.org/x/oauth2"

	"practicepost/app"
	"practicepost/app/auth"
	"practicepost/app/publish"
	"practicepost/app/publish/bluesky"
	"practicepost/app/publish/facebook"
	"practicepost/app/publish/instagram"
	"practicepost/app/publish/mastodon"
	"practicepost/app/store"
)

// InstanceURL turns what a person types for a Mastodon server ("mastodon.social",
// "@me@mastodon.social", "https://mastodon.social/about") into its base URL.
// Plain http is accepted only on this computer (test servers).
func InstanceURL(in string) (string, error) {
	in = strings.TrimSpace(in)
	bad := app.FieldError("instance", "Enter the address of your Mastodon server, for example mastodon.social.")
	if in == "" {
		return "", bad
	}
	if strings.HasPrefix(in, "@") || (!strings.Contains(in, "://") && strings.Count(in, "@") == 1) {
		in = in[strings.LastIndex(in, "@")+1:]
	}
	if !strings.Contains(in, "://") {
		in = "https://" + in
	}
	u, err := url.Parse(in)
	if err != nil || u.Host == "" || u.User != nil || strings.ContainsAny(u.Host, " /\\") {
		return "", bad
	}
	host := u.Hostname()
	switch u.Scheme {
	case "https":
	case "http":
		if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
			return "", app.FieldError("instance", "Use the server's https:// address; PracticePost does not send your sign-in over an unencrypted connection.")
		}
	default:
		return "", bad
	}
	if !strings.Contains(host, ".") && host != "localhost" && net.ParseIP(host) == nil {
		return "", bad
	}
	return u.Scheme + "://" + strings.ToLower(u.Host), nil
}

// ConnectMastodon registers PracticePost on the server, opens the server's
// sign-in page in the system browser and waits (up to five minutes) for the
// practice manager to approve it there.
func (s *ChannelService) ConnectMastodon(instance string) (ChannelView, error) {
	if err := s.c.manager(); err != nil {
		return ChannelView{}, err
	}
	base, err := InstanceURL(instance)
	if err != nil {
		return ChannelView{}, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	db, err := s.c.open(ctx)
	if err != nil {
		return ChannelView{}, err
	}
	s.mu.Lock()
	if s.signIn != nil {
		s.signIn() // a newer click wins over a forgotten browser tab
	}
	s.signIn = cancel
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.signIn = nil
		s.mu.Unlock()
	}()

	hc := s.hc()
	flow := &auth.Flow{
		Config: &oauth2.Config{
			Scopes:   strings.Fields(mastodon.Scopes),
			Endpoint: oauth2.Endpoint{AuthURL: base + "/oauth/authorize", TokenURL: base + "/oauth/token", AuthStyle: oauth2.AuthStyleInParams},
		},
		Provider:    "Mastodon",
		OpenBrowser: s.openBrowser,
		Timeout:     s.SignInTimeout,
		Prepare: func(ctx context.Context, redirect string, cfg *oauth2.Config) error {
			a, err := mastodon.RegisterApp(ctx, hc, base, "PracticePost", redirect, "")
			if err != nil {
				return platformErr(err)
			}
			cfg.ClientID, cfg.ClientSecret = a.ClientID, a.ClientSecret
			return nil
		},
	}
	tok, err := flow.Run(context.WithValue(ctx, oauth2.HTTPClient, hc))
	if err != nil {
		return ChannelView{}, platformErr(err)
	}
	client := mastodon.NewClient(base, tok.AccessToken, mastodon.Options{HTTP: hc, Clock: s.c.Clock})
	acct, err := client.Verify(ctx)
	if err != nil {
		return ChannelView{}, connectErr(err)
	}
	c := app.Channel{ID: "mastodon:" + acct.Handle, Platform: string(publish.Mastodon), AccountID: acct.ID, Name: acct.Name, Handle: acct.Handle, BaseURL: base}
	if c.Name == "" {
		c.Name = acct.Handle
	}
	secret, err := json.Marshal(auth.TokenFromOAuth2(tok, acct.ID, strings.Fields(mastodon.Scopes)))
	if err != nil {
		return ChannelView{}, app.Internal(err, "PracticePost couldn't save this sign-in.")
	}
	return s.saveConnected(ctx, db, c, string(secret))
}

var appPasswordRe = regexp.MustCompile(`^[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}$`)

// ConnectBluesky signs in with a handle (or email) and an app password.
// service is the server the account lives on; "" is Bluesky's own.
func (s *ChannelService) ConnectBluesky(handle, appPassword, service string) (ChannelView, error) {
	if err := s.c.manager(); err != nil {
		return ChannelView{}, err
	}
	ctx := context.Background()
	handle = strings.TrimPrefix(strings.TrimSpace(handle), "@")
	appPassword = strings.TrimSpace(appPassword)
	if handle == "" {
		return ChannelView{}, app.FieldError("handle", "Enter the account's handle, for example smiledental.bsky.social.")
	}
	if !appPasswordRe.MatchString(appPassword) {
		return ChannelView{}, app.FieldError("appPassword", "Paste an app password (four groups of four letters, like abcd-efgh-ijkl-mnop), not the account's own password. Create one in Bluesky under Settings → Privacy and security → App passwords.")
	}
	base := s.BlueskyService
	if strings.TrimSpace(service) != "" {
		u, err := InstanceURL(service)
		if err != nil {
			return ChannelView{}, app.FieldError("service", "Enter the address of the server the account lives on, or leave it empty for Bluesky's own.")
		}
		base = u
	}
	db, err := s.c.open(ctx)
	if err != nil {
		return ChannelView{}, err
	}
	var sess *bluesky.Session
	client := bluesky.NewClient(base, handle, appPassword, bluesky.Options{HTTP: s.hc(), Clock: s.c.Clock,
		OnSession: func(ss bluesky.Session) { sess = &ss }})
	acct, err := client.Verify(ctx)
	if err != nil {
		return ChannelView{}, platformErr(err)
	}
	c := app.Channel{ID: "bluesky:" + acct.ID, Platform: string(publish.Bluesky), AccountID: acct.ID, Name: acct.Name, Handle: acct.Handle, BaseURL: base}
	if c.Name == "" {
		c.Name = acct.Handle
	}
	if c.Handle == "" {
		c.Handle = handle
	}
	b, _ := json.Marshal(blueskySecret{Identifier: handle, AppPassword: appPassword, Session: sess})
	return s.saveConnected(ctx, db, c, string(b))
}

var pageIDRe = regexp.MustCompile(`^[0-9]{5,25}$`)

// ConnectFacebook checks a pasted Page access token with Facebook's
// debug_token (valid, a Page token for this Page, with posting permission)
// and connects the Page.
func (s *ChannelService) ConnectFacebook(pageID, token string) (ChannelView, error) {
	return s.connectPage(pageID, token, "Enter the Page ID: the long number under your Page's About → Page transparency (for example 100200300400500).",
		func(ctx context.Context, db *store.DB, pageID, token string) (ChannelView, error) {
			base := s.FacebookGraphURL
			// A system user's token from Business Settings becomes the Page's own token.
			token, err := facebook.PageToken(ctx, base, pageID, token, facebook.Options{HTTP: s.hc(), Clock: s.c.Clock})
			if err != nil {
				return ChannelView{}, connectErr(err)
			}
			client := facebook.NewClient(base, pageID, token, facebook.Options{HTTP: s.hc(), Clock: s.c.Clock})
			acct, err := client.Verify(ctx)
			if err != nil {
				return ChannelView{}, connectErr(err)
			}
			c := app.Channel{ID: "facebook:" + pageID, Platform: string(publish.Facebook), AccountID: pageID, Name: acct.Name, BaseURL: base, ExpiresAt: acct.ExpiresAt}
			if c.Name == "" {
				c.Name = "Facebook Page " + pageID
			}
			b, _ := json.Marshal(auth.Token{AccessToken: token, AccountID: pageID, Expiry: acct.ExpiresAt, Scopes: acct.Scopes})
			return s.saveConnected(ctx, db, c, string(b))
		})
}

// connectPage checks a pasted Page ID and Page access token, the pair both
// Facebook and Instagram connect with (pageHelp says where the ID is), and
// connects with them.
func (s *ChannelService) connectPage(pageID, token, pageHelp string, connect func(ctx context.Context, db *store.DB, pageID, token string) (ChannelView, error)) (ChannelView, error) {
	if err := s.c.manager(); err != nil {
		return ChannelView{}, err
	}
	pageID, token = strings.TrimSpace(pageID), strings.TrimSpace(token)
	if !pageIDRe.MatchString(pageID) {
		return ChannelView{}, app.FieldError("pageId", "%s", pageHelp)
	}
	if token == "" || strings.ContainsAny(token, " \t\r\n") {
		return ChannelView{}, app.FieldError("token", "Paste the whole access token (a long run of letters and digits, no spaces).")
	}
	return withDB(s.c, func(ctx context.Context, db *store.DB) (ChannelView, error) {
		return connect(ctx, db, pageID, token)
	})
}

// ConnectInstagram connects the Instagram professional account linked to a
// Facebook Page. As for Facebook, Meta's long-lived tokens need an app
// secret a desktop app cannot keep, so the practice pastes a Page token
// (the in-app guide shows how); debug_token checks it and the Page tells
// which Instagram account is linked.
func (s *ChannelService) ConnectInstagram(pageID, token string) (ChannelView, error) {
	return s.connectPage(pageID, token, "Enter the ID of the Facebook Page the Instagram account is linked to: the long number under the Page's About → Page transparency.",
		func(ctx context.Context, db *store.DB, pageID, token string) (ChannelView, error) {
			base := s.Providers.InstagramGraphURL
			opt := instagram.Options{HTTP: s.hc(), Clock: s.c.Clock}
			// A system user's token from Business Settings becomes the Page's own token.
			token, err := facebook.PageToken(ctx, base, pageID, token, facebook.Options{HTTP: s.hc(), Clock: s.c.Clock})
			if err != nil {
				return ChannelView{}, connectErr(err)
			}
			l, err := instagram.FindAccount(ctx, base, pageID, token, opt)
			if err != nil {
				return ChannelView{}, platformErr(err)
			}
			acct, err := instagram.NewClient(base, l.UserID, token, opt).Verify(ctx)
			if err != nil {
				return ChannelView{}, connectErr(err)
			}
			c := app.Channel{ID: "instagram:" + l.UserID, Platform: string(publish.Instagram), AccountID: l.UserID, Name: acct.Name,
				Handle: acct.Handle, BaseURL: base, ExpiresAt: l.ExpiresAt, PageID: pageID}
			if old, err := db.Channel(ctx, c.ID); err == nil {
				c.ImageRoute = old.ImageRoute // a reconnect keeps the practice's choice
			}
			if c.Name == "" {
				c.Name = l.PageName
			}
			b, _ := json.Marshal(auth.Token{AccessToken: token, AccountID: l.UserID, Expiry: l.ExpiresAt, Scopes: l.Scopes})
			return s.saveConnected(ctx, db, c, string(b))
		})
}
