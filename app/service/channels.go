package service

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"practicepost/app"
	"practicepost/app/auth"
	"practicepost/app/gate"
	"practicepost/app/publish"
	"practicepost/app/publish/bluesky"
	"practicepost/app/publish/facebook"
	"practicepost/app/publish/instagram"
	"practicepost/app/store"
)

// EventChannelsChanged tells the Channels screen to reload.
const EventChannelsChanged = "channels:changed"

// ChannelService connects the practice's social accounts and hands the
// publishing queue a ready client for each. Credentials live only in the
// SecretStore (the OS keychain); the data file keeps who the account is.
type ChannelService struct {
	c       *Core
	lock    *LockService
	secrets auth.SecretStore

	// OpenBrowser shows a sign-in page in the system browser (Wails:
	// runtime.BrowserOpenURL). Never an embedded webview.
	OpenBrowser func(url string) error
	// HTTP is used for every platform call; nil: a client with a 60 s timeout.
	HTTP *http.Client
	// FacebookGraphURL is the Graph API root; default facebook.DefaultBaseURL.
	FacebookGraphURL string
	// BlueskyService is where Bluesky sign-ins start by default.
	BlueskyService string
	// SignInTimeout bounds a browser sign-in; default auth.DefaultSignInTimeout.
	SignInTimeout time.Duration
	// Providers locates Instagram, LinkedIn, Google and X and their sign-ins (signin.go).
	Providers ProviderOptions
	// Hosting returns the practice's storage bucket, or nil when none is
	// connected (HostingService sets it).
	Hosting func() publish.MediaHost

	mu      sync.Mutex
	clients map[string]publish.Publisher // channel id -> client, so Bluesky sessions are reused
	// tokens keeps one refreshing token source per channel, even when a
	// client above is dropped and rebuilt while another still publishes.
	tokens *auth.Sources
	signIn context.CancelFunc
	// googlePending holds Google sign-ins waiting for a location choice.
	googlePending map[string]pendingGoogle
	// onConnected is told when a channel was (re)connected, so posts that
	// waited for it carry on (the publishing queue's ResumeChannel).
	onConnected func(ctx context.Context, channel string)
}

// NewChannelService needs the keychain-backed secret store (auth.NewKeyringStore
// in the app; in-memory in tests and the dev build).
func NewChannelService(c *Core, lock *LockService, secrets auth.SecretStore) *ChannelService {
	s := &ChannelService{c: c, lock: lock, secrets: secrets, clients: map[string]publish.Publisher{}, tokens: auth.NewSources(),
		FacebookGraphURL: facebook.DefaultBaseURL, BlueskyService: bluesky.DefaultService, Providers: defaultProviders()}
	devChannelDefaults(s)
	return s
}

var errNoBrowser = errors.New("service: no browser opener configured")

// ChannelView is one channel as the Channels screen shows it.
type ChannelView struct {
	app.Channel
	Title string `json:"title"` // "Mastodon"
	// State: connected, expiring_soon, needs_reconnect, unavailable.
	State    string `json:"state"`
	DaysLeft int    `json:"daysLeft"` // whole days until ExpiresAt; -1 when it has no date
	Message  string `json:"message"`
	// Instagram only: how its images reach Instagram (see instagram_route.go).
	Images ImageRouteView `json:"images"`
}

func (s *ChannelService) hc() *http.Client {
	if s.HTTP != nil {
		return s.HTTP
	}
	return &http.Client{Timeout: 60 * time.Second}
}

// List returns every connected channel with its state. It reads the
// keychain (a missing secret means "needs reconnecting") but never the
// network.
func (s *ChannelService) List() ([]ChannelView, error) {
	return withDB(s.c, func(ctx context.Context, db *store.DB) ([]ChannelView, error) {
		cs, err := db.Channels(ctx)
		if err != nil {
			return nil, err
		}
		out := make([]ChannelView, 0, len(cs))
		day := practiceDay(ctx, db)
		for _, c := range cs {
			out = append(out, s.view(c, day))
		}
		return out, nil
	})
}

// view is a channel as the Channels screen shows it; day writes a date in
// the practice's order (practiceDay).
func (s *ChannelService) view(c app.Channel, day func(time.Time) string) ChannelView {
	title := publish.Platform(c.Platform).Title()
	v := ChannelView{Channel: c, Title: title, DaysLeft: -1, State: string(auth.StateConnected), Images: s.imageRoute(c)}
	now := s.c.Clock.Now()
	if !c.NeedsReconnect {
		if _, err := s.secrets.Get(c.SecretKey()); err != nil {
			if auth.IsNotFound(err) {
				c.NeedsReconnect = true
				c.ProblemMessage = fmt.Sprintf("The sign-in for this %s account is not on this computer (a backup restored elsewhere, or the keychain entry was removed).", title)
			} else {
				v.State, v.Message = string(auth.StateUnavailable), app.ErrorMessage(err)
				return v
			}
		}
	}
	if !c.ExpiresAt.IsZero() && !now.Before(c.ExpiresAt) {
		c.NeedsReconnect = true
		c.ProblemMessage = fmt.Sprintf("The %s sign-in ran out on %s.", title, day(c.ExpiresAt))
	}
	if c.NeedsReconnect {
		v.State = string(auth.StateNeedsReconnect)
		v.Message = strings.TrimSpace(c.ProblemMessage + " Reconnect it to keep posting; posts waiting for it stay in the queue.")
		return v
	}
	if !c.ExpiresAt.IsZero() {
		v.DaysLeft = int(c.ExpiresAt.Sub(now) / (24 * time.Hour))
		if v.DaysLeft <= auth.ExpiringSoonDays {
			v.State = string(auth.StateExpiringSoon)
		}
		switch v.DaysLeft {
		case 0:
			v.Message = fmt.Sprintf("Connected. The %s sign-in runs out today: reconnect to keep posting.", title)
		case 1:
			v.Message = fmt.Sprintf("Connected. The %s sign-in runs out tomorrow: reconnect before then.", title)
		default:
			v.Message = fmt.Sprintf("Connected. Expires in %d days; %s does not renew it by itself, so reconnect before then.", v.DaysLeft, title)
		}
		return v
	}
	v.Message = fmt.Sprintf("Ready to post. This sign-in has no expiry date; it lasts until access is removed on %s.", title)
	return v
}

// Publisher implements queue.Resolver: a client for the channel, or an
// app error coded forbidden / not_found when it needs (re)connecting.
func (s *ChannelService) Publisher(ctx context.Context, id string) (publish.Publisher, error) {
	db, err := s.c.DB()
	if err != nil {
		return nil, err
	}
	c, err := db.Channel(ctx, id)
	if err != nil {
		return nil, err
	}
	title := publish.Platform(c.Platform).Title()
	if c.NeedsReconnect {
		return nil, app.Errorf(app.EFORBIDDEN, "%s needs reconnecting before PracticePost can post there. Open Channels and click Reconnect; the post waits until then.", title)
	}
	s.mu.Lock()
	p, ok := s.clients[id]
	s.mu.Unlock()
	if ok {
		return p, nil
	}
	raw, err := s.secrets.Get(c.SecretKey())
	if err != nil {
		if auth.IsNotFound(err) {
			return nil, app.Errorf(app.EFORBIDDEN, "The sign-in for %s is not on this computer. Open Channels and click Reconnect.", title)
		}
		return nil, err
	}
	p, err = s.client(c, raw)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.clients[id] = p
	s.mu.Unlock()
	return p, nil
}

// markNeedsReconnect records that a platform refused the channel's
// credentials; the queue calls it (not bound: the webview cannot).
func (s *ChannelService) markNeedsReconnect(id string) {
	s.forget(id)
	db, err := s.c.DB()
	if err != nil {
		return
	}
	_, err = db.UpdateChannel(context.Background(), id, "system", func(c *app.Channel) {
		c.NeedsReconnect = true
		c.ProblemMessage = fmt.Sprintf("%s no longer accepts PracticePost's sign-in (it expired, the password changed or access was removed).", publish.Platform(c.Platform).Title())
	})
	if err != nil && app.ErrorCode(err) != app.ENOTFOUND {
		logError("mark channel needs reconnecting", err)
	}
	s.c.Emit.Emit(EventChannelsChanged, nil)
}

func (s *ChannelService) forget(id string) {
	s.mu.Lock()
	delete(s.clients, id)
	s.mu.Unlock()
}

// saveConnected stores a freshly verified channel and its secret, then lets
// waiting posts carry on.
func (s *ChannelService) saveConnected(ctx context.Context, db *store.DB, c app.Channel, secret string) (ChannelView, error) {
	if err := s.secrets.Set(c.SecretKey(), secret); err != nil {
		return ChannelView{}, err
	}
	saved, err := db.SaveChannel(ctx, c, "practice manager")
	if err != nil {
		return ChannelView{}, err
	}
	s.forget(c.ID)
	if s.onConnected != nil {
		s.onConnected(ctx, c.ID)
	}
	s.c.Emit.Emit(EventChannelsChanged, nil)
	return s.view(saved, practiceDay(ctx, db)), nil
}

// platformErr gives a connector's error the coded shape the UI shows.
// connectErr is platformErr for a first connection: a platform refusing
// the sign-in itself is told as "did not accept what you entered here",
// not as an old connection that stopped working (which would send the
// manager to reconnect something never connected). Refusals with their own
// explanation (a user token, a missing permission) keep it.
func connectErr(err error) error {
	var pe *publish.Error
	if errors.As(err, &pe) && pe.Kind == publish.KindAuth && strings.Contains(pe.Message, "no longer accepts") {
		c := *pe
		name := pe.Platform.Title()
		switch pe.Platform {
		case publish.Facebook:
			c.Message = "Facebook did not accept this token for the Page. Check that you copied the whole Page access token for this Page (not a user or app token, and not one that has since been replaced), paste it again here and choose Connect."
		default:
			c.Message = name + " did not accept the sign-in. Choose Connect again here and sign in to " + name + " in the browser window that opens, approving every permission."
		}
		return c.AppError()
	}
	return platformErr(err)
}

func platformErr(err error) error {
	var pe *publish.Error
	if errors.As(err, &pe) {
		return pe.AppError()
	}
	return err
}

// Disconnect forgets a channel and removes its sign-in from the keychain.
// Posts already made stay on the platform.
func (s *ChannelService) Disconnect(id string) error {
	return s.c.withDB(func(ctx context.Context, db *store.DB) error {
		c, err := db.Channel(ctx, id)
		if err != nil {
			return err
		}
		if err := s.secrets.Delete(c.SecretKey()); err != nil && !auth.IsNotFound(err) {
			return err
		}
		s.forget(id)
		if err := db.DeleteChannel(ctx, id, "practice manager"); err != nil {
			return err
		}
		s.c.Emit.Emit(EventChannelsChanged, nil)
		return nil
	})
}

// TestPostResult is what "Send a test post" did.
type TestPostResult struct {
	URL     string      `json:"url"`
	Message string      `json:"message"`
	Channel ChannelView `json:"channel"`
}

// TestPostText is the text of a test post.
const TestPostText = "Testing the connection from PracticePost. This post can be deleted."

// TestPost checks the connection and publishes a short text post, so the
// practice manager sees the account really works. It does not go through
// the queue: nothing depends on it, and a rare double is harmless.
func (s *ChannelService) TestPost(id string) (TestPostResult, error) {
	return withDB(s.c, func(ctx context.Context, db *store.DB) (TestPostResult, error) {
		pub, err := s.Publisher(ctx, id)
		if err != nil {
			return TestPostResult{}, err
		}
		if pub.Platform() == publish.Instagram {
			return s.checkInstagram(ctx, db, id, pub)
		}
		if _, err := pub.Verify(ctx); err != nil {
			if publish.KindOf(err) == publish.KindAuth {
				s.markNeedsReconnect(id)
			}
			return TestPostResult{}, platformErr(err)
		}
		now := s.c.Clock.Now()
		text := TestPostText + " (" + now.Format("2 Jan 15:04") + ")"
		subject := "channel:" + id
		detail := map[string]string{"platform": string(pub.Platform()), "text_sha256": textDigest(text)}
		// Even PracticePost's own test post passes the one gate, judged in the
		// transaction that records the attempt: nothing leaves by a door that
		// does not, and a patient added a moment ago is in the list it reads.
		var refused error
		err = db.Tx(ctx, func(tx *store.Tx) error {
			chk, err := s.c.Gate.Check(ctx, tx.Reader(), []gate.Post{{Channel: gate.ChannelOf(string(pub.Platform())), Text: text}}, tx.Now(), tx.Now())
			if err != nil {
				return err
			}
			if chk[0].Blocked() {
				refused = app.Errorf(app.EFORBIDDEN, "The test post cannot go out: %s", strings.Join(chk[0].Reasons(), " "))
				return tx.Audit(ctx, "practice manager", "channel.test_post_blocked", subject, detail)
			}
			return tx.Audit(ctx, "practice manager", "channel.test_post_attempt", subject, detail)
		})
		if err != nil {
			return TestPostResult{}, err
		}
		if refused != nil {
			return TestPostResult{}, refused
		}
		res, err := pub.CreatePost(ctx, publish.Post{Text: text, Key: newTestKey(now), CreatedAt: now})
		if err != nil {
			if publish.KindOf(err) == publish.KindAuth {
				s.markNeedsReconnect(id)
			}
			return TestPostResult{}, platformErr(err)
		}
		c, err := db.UpdateChannel(ctx, id, "practice manager", func(c *app.Channel) {
			c.LastTestAt, c.LastTestURL, c.LastTestID = now, res.URL, res.ID
		})
		if err != nil {
			return TestPostResult{}, err
		}
		s.c.Emit.Emit(EventChannelsChanged, nil)
		return TestPostResult{URL: res.URL, Channel: s.view(c, practiceDay(ctx, db)),
			Message: fmt.Sprintf("The test post is live on %s. Delete it there (or here) whenever you like.", publish.Platform(c.Platform).Title())}, nil
	})
}

// DeleteTestPost removes the last test post from the platform.
func (s *ChannelService) DeleteTestPost(id string) (ChannelView, error) {
	return withDB(s.c, func(ctx context.Context, db *store.DB) (ChannelView, error) {
		c, err := db.Channel(ctx, id)
		if err != nil {
			return ChannelView{}, err
		}
		if c.LastTestID == "" {
			return s.view(c, practiceDay(ctx, db)), nil
		}
		pub, err := s.Publisher(ctx, id)
		if err != nil {
			return ChannelView{}, err
		}
		if err := pub.DeletePost(ctx, c.LastTestID); err != nil {
			return ChannelView{}, platformErr(err)
		}
		c, err = db.UpdateChannel(ctx, id, "practice manager", func(c *app.Channel) {
			c.LastTestID, c.LastTestURL = "", ""
		})
		if err != nil {
			return ChannelView{}, err
		}
		s.c.Emit.Emit(EventChannelsChanged, nil)
		return s.view(c, practiceDay(ctx, db)), nil
	})
}

func newTestKey(now time.Time) string {
	return fmt.Sprintf("pp-test-%d", now.UnixNano())
}

func (s *ChannelService) mediaHost() publish.MediaHost {
	if s.Hosting == nil {
		return nil
	}
	return s.Hosting()
}

// forgetPlatforms drops cached clients so they pick up a changed bucket.
func (s *ChannelService) forgetPlatforms(platforms ...publish.Platform) {
	db, err := s.c.DB()
	if err != nil {
		return
	}
	cs, err := db.Channels(context.Background())
	if err != nil {
		return
	}
	for _, c := range cs {
		for _, p := range platforms {
			if c.Platform == string(p) {
				s.forget(c.ID)
			}
		}
	}
}

// checkInstagram stands in for a test post: Instagram has no text-only
// posts, so the connection and the day's publishing allowance are checked
// instead.
func (s *ChannelService) checkInstagram(ctx context.Context, db *store.DB, id string, pub publish.Publisher) (TestPostResult, error) {
	if _, err := pub.Verify(ctx); err != nil {
		if publish.KindOf(err) == publish.KindAuth {
			s.markNeedsReconnect(id)
		}
		return TestPostResult{}, platformErr(err)
	}
	msg := "Instagram accepts PracticePost's connection. Instagram has no text-only posts, so no test post was made."
	if ig, ok := pub.(*instagram.Client); ok {
		if q, err := ig.Quota(ctx); err == nil && q.Total > 0 {
			msg += fmt.Sprintf(" %d of %d posts from apps are left for today.", max(q.Total-q.Used, 0), q.Total)
		}
	}
	c, err := db.Channel(ctx, id)
	if err != nil {
		return TestPostResult{}, err
	}
	return TestPostResult{Message: msg, Channel: s.view(c, practiceDay(ctx, db))}, nil
}
