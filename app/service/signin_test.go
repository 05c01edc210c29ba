package service_test

import (
	"net"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"practicepost/app"
	"practicepost/app/auth"
	"practicepost/app/auth/authfake"
	"practicepost/app/internal/loopback"
	"practicepost/app/internal/testimage"
	gbpfake "practicepost/app/publish/gbp/gbptest"
	hostfake "practicepost/app/publish/hosting/hostingtest"
	igfake "practicepost/app/publish/instagram/instagramtest"
	lifake "practicepost/app/publish/linkedin/linkedintest"
	xfake "practicepost/app/publish/x/xtest"
	"practicepost/app/service"
)

func addJPEG(t *testing.T, w *world) string {
	t.Helper()
	return keepDeclared(t, w, testimage.NoisyJPEG(t, 400, 320), "image/jpeg", 400, 320)
}

// oauthFake is a provider's sign-in server issuing the one access token the
// platform fake accepts.
func oauthFake(t *testing.T, access string, expiresIn int) *authfake.Server {
	t.Helper()
	s := authfake.New()
	s.AccessToken, s.ExpiresIn = access, expiresIn
	t.Cleanup(s.Close)
	return s
}

func app2(a *authfake.Server, port int) service.OAuthApp {
	return service.OAuthApp{ClientID: a.ClientID, AuthURL: a.URL + "/authorize", TokenURL: a.URL + "/token", Port: port}
}

func bucketInput(b *hostfake.Server) service.HostingInput {
	return service.HostingInput{Provider: "minio", Endpoint: b.URL, Bucket: b.Bucket(), AccessKeyID: b.AccessKey(), SecretAccessKey: b.SecretKey()}
}

func TestLinkedInOrganization(t *testing.T) {
	cases := []struct{ in, want string }{
		{"12345678", "12345678"},
		{"https://www.linkedin.com/company/12345678/admin/", "12345678"},
		{"linkedin.com/company/2414183/admin/feed/posts/", "2414183"},
		{"urn:li:organization:2414183", "2414183"},
		{"https://www.linkedin.com/company/smile-dental/", ""},
		{"", ""},
		{"12", ""},
	}
	for _, c := range cases {
		got, err := service.LinkedInOrganization(c.in)
		if got != c.want || (c.want == "") != (err != nil) {
			t.Errorf("LinkedInOrganization(%q) = %q, %v; want %q", c.in, got, err, c.want)
		}
		if err != nil && app.ErrorField(err) != "organization" {
			t.Errorf("%q: error not on the organization field: %v", c.in, err)
		}
	}
}

func TestConnectInstagramThroughItsPage(t *testing.T) {
	clock := startClock()
	good := igfake.New(igfake.Config{TokenExpires: clock.Now().Add(50 * 24 * time.Hour)})
	defer good.Close()
	short := igfake.New(igfake.Config{TokenExpires: clock.Now().Add(90 * time.Minute)})
	defer short.Close()
	noScope := igfake.New(igfake.Config{TokenScopes: []string{"instagram_basic", "pages_show_list"}})
	defer noScope.Close()
	otherPage := igfake.New(igfake.Config{PageID: "555666777"})
	defer otherPage.Close()
	w := newWorld(t, t.TempDir(), clock, auth.NewMemoryStore())

	w.ch.Providers.InstagramGraphURL = good.URL
	if _, err := w.ch.ConnectInstagram("my page", "ig-token"); app.ErrorField(err) != "pageId" {
		t.Fatalf("bad page id: %v", err)
	}
	if _, err := w.ch.ConnectInstagram("100200300", "wrong-token"); app.ErrorCode(err) != app.EFORBIDDEN {
		t.Fatalf("wrong token: %v", err)
	}
	w.ch.Providers.InstagramGraphURL = noScope.URL
	if _, err := w.ch.ConnectInstagram("100200300", "ig-token"); app.ErrorCode(err) != app.EFORBIDDEN || !strings.Contains(app.ErrorMessage(err), "instagram_content_publish") {
		t.Fatalf("token without publishing permission: %v", err)
	}
	w.ch.Providers.InstagramGraphURL = otherPage.URL
	if _, err := w.ch.ConnectInstagram("100200300", "ig-token"); app.ErrorCode(err) != app.EFORBIDDEN || !strings.Contains(app.ErrorMessage(err), "different Facebook Page") {
		t.Fatalf("token of another Page: %v", err)
	}
	if w.secrets.Len() != 0 {
		t.Fatal("a refused token was kept")
	}

	w.ch.Providers.InstagramGraphURL = short.URL
	sv, err := w.ch.ConnectInstagram("100200300", "ig-token")
	if err != nil {
		t.Fatal(err)
	}
	if sv.State != "expiring_soon" || sv.DaysLeft != 0 || !strings.Contains(sv.Message, "today") {
		t.Fatalf("a short-lived token must warn at once: %+v", sv)
	}

	w.ch.Providers.InstagramGraphURL = good.URL
	v, err := w.ch.ConnectInstagram("100200300", "ig-token")
	if err != nil {
		t.Fatal(err)
	}
	if v.ID != "instagram:17841400000000001" || v.Handle != "@smiledental" || v.State != "connected" || v.DaysLeft != 50 {
		t.Fatalf("instagram: %+v", v)
	}
	// Instagram has no text-only posts: the test checks, and posts nothing.
	res, err := w.ch.TestPost(v.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(good.Media()) != 0 || !strings.Contains(res.Message, "100 posts") || res.URL != "" {
		t.Fatalf("instagram test: %+v (media %d)", res, len(good.Media()))
	}
	// The reminder comes when fewer than a week is left.
	clock.Advance(44 * 24 * time.Hour)
	list, _ := w.ch.List()
	if list[0].State != "expiring_soon" || list[0].DaysLeft != 6 {
		t.Fatalf("reminder: %+v", list[0])
	}
}

func TestConnectLinkedInByTokenAndBySignIn(t *testing.T) {
	clock := startClock()
	li := lifake.New(lifake.Config{})
	defer li.Close()
	w := newWorld(t, t.TempDir(), clock, auth.NewMemoryStore())
	w.ch.Providers.LinkedInURL = li.URL

	if _, err := w.ch.ConnectLinkedInToken("https://www.linkedin.com/company/2414183/admin/", "expired-token"); app.ErrorCode(err) != app.EFORBIDDEN {
		t.Fatalf("a token LinkedIn refuses: %v", err)
	}
	if _, err := w.ch.ConnectLinkedInToken("2414183", "li token"); app.ErrorField(err) != "token" {
		t.Fatalf("token with a space: %v", err)
	}
	// Without PracticePost's LinkedIn registration the browser sign-in is
	// not offered, and says what to do instead.
	w.ch.Providers.LinkedIn = service.OAuthApp{}
	if signInOptions(t, w.ch).LinkedIn {
		t.Fatal("LinkedIn sign-in offered without a client id")
	}
	if _, err := w.ch.ConnectLinkedIn("2414183"); app.ErrorCode(err) != app.EUNAVAILABLE || !strings.Contains(app.ErrorMessage(err), "Paste a token") {
		t.Fatalf("sign-in without registration: %v", err)
	}

	v, err := w.ch.ConnectLinkedInToken("https://www.linkedin.com/company/2414183/admin/", "li-token")
	if err != nil {
		t.Fatal(err)
	}
	if v.ID != "linkedin:2414183" || v.Name != "Smile Dental" || v.DaysLeft != 60 || v.State != "connected" || !strings.Contains(v.Message, "reconnect before then") {
		t.Fatalf("linkedin: %+v", v)
	}
	res, err := w.ch.TestPost(v.ID)
	if err != nil || res.URL == "" || len(li.Posts()) != 1 {
		t.Fatalf("test post: %+v %v", res, err)
	}
	clock.Advance(54 * 24 * time.Hour)
	list, _ := w.ch.List()
	if list[0].State != "expiring_soon" || list[0].DaysLeft != 6 {
		t.Fatalf("60-day reminder: %+v", list[0])
	}
	clock.Advance(7 * 24 * time.Hour)
	list, _ = w.ch.List()
	if list[0].State != "needs_reconnect" {
		t.Fatalf("after 60 days: %+v", list[0])
	}

	// Where LinkedIn enabled native PKCE: the browser sign-in, loopback.
	provider := oauthFake(t, "li-token", 60*24*3600)
	provider.NoRefresh = true
	w.ch.Providers.LinkedIn = app2(provider, 0)
	v2, err := w.ch.ConnectLinkedIn("2414183")
	if err != nil {
		t.Fatal(err)
	}
	if err := <-w.browser.errs; err != nil {
		t.Fatal(err)
	}
	if v2.ID != v.ID || v2.State != "connected" || v2.DaysLeft != 59 && v2.DaysLeft != 60 {
		t.Fatalf("reconnected by sign-in: %+v", v2)
	}
	if redirects := provider.RedirectURIs(); len(redirects) != 1 || !strings.HasPrefix(redirects[0], "http://127.0.0.1:") {
		t.Fatalf("redirects %v", redirects)
	}
}

func TestConnectGooglePicksALocationAndRenewsItsToken(t *testing.T) {
	clock := startClock()
	g := gbpfake.New(gbpfake.Config{OtherLocations: []gbpfake.Location{{ID: "7766554433", Title: "Smile Dental Clifton", Address: "3 Princess Victoria Street"}}})
	defer g.Close()
	bucket := hostfake.New(hostfake.Config{Now: clock.Now})
	defer bucket.Close()
	provider := oauthFake(t, "g-token", 3600)
	w := newWorld(t, t.TempDir(), clock, auth.NewMemoryStore())
	w.ch.Providers.GoogleURL, w.ch.Providers.GoogleInfoURL, w.ch.Providers.GoogleAccountsURL = g.URL, g.URL, g.URL
	w.ch.Providers.Google = app2(provider, 0)
	hosting := service.NewHostingService(w.c, nil, w.secrets, w.ch)

	in, err := w.ch.ConnectGoogle()
	if err != nil {
		t.Fatal(err)
	}
	<-w.browser.errs
	if in.Channel != nil || in.Pending == "" || len(in.Locations) != 2 || in.Locations[1].Title != "Smile Dental Clifton" || in.Locations[0].Address != "12 High Street, Bristol" {
		t.Fatalf("locations: %+v", in)
	}
	opened, _ := url.Parse(w.browser.opened[0])
	if q := opened.Query(); q.Get("access_type") != "offline" || q.Get("code_challenge_method") != "S256" || q.Get("scope") != "https://www.googleapis.com/auth/business.manage" {
		t.Fatalf("sign-in page: %s", opened)
	}
	if w.secrets.Len() != 0 {
		t.Fatal("the sign-in reached the keychain before a location was chosen")
	}
	if _, err := w.ch.ChooseGoogleLocation(in.Pending, "123"); app.ErrorField(err) != "location" {
		t.Fatalf("unknown location: %v", err)
	}
	v, err := w.ch.ChooseGoogleLocation(in.Pending, "9988776655")
	if err != nil {
		t.Fatal(err)
	}
	if v.ID != "google:9988776655" || v.Name != "Smile Dental Clinic" || v.State != "connected" || v.DaysLeft != -1 {
		t.Fatalf("google: %+v", v)
	}
	if _, err := w.ch.ChooseGoogleLocation(in.Pending, "9988776655"); app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatalf("a used sign-in must not connect twice: %v", err)
	}
	first, _ := auth.LoadToken(w.secrets, v.SecretKey())

	// An event with a photo, with no bucket: refused up front with the way out.
	sha := addJPEG(t, w)
	id := newDraft(t, w, service.DraftInput{Title: "Open day", Body: "Come and meet the team at our open day.", Channels: []string{"google_business"},
		Media: []app.DraftMedia{{SHA256: sha, AltText: "The practice's front door"}}})
	event := &service.GoogleTopic{Type: "EVENT", Title: "Open day", StartDate: "2030-05-02", StartClock: "10:00", EndDate: "2030-05-02", EndClock: "14:00", Action: "CALL"}
	if needs, _ := w.pub.HostingNeeds(id); needs.Connected || needs.Google == "" {
		t.Fatalf("needs without a bucket: %+v", needs)
	}
	if _, err := w.pub.Publish(service.PublishInput{DraftID: id, Google: event}); app.ErrorField(err) != "googleTextOnly" {
		t.Fatalf("photo without a bucket: %v", err)
	}
	bad := *event
	bad.EndDate = "2030-05-01"
	if _, err := w.pub.Publish(service.PublishInput{DraftID: id, Google: &bad, GoogleTextOnly: true}); app.ErrorField(err) != "google" || !strings.Contains(app.ErrorMessage(err), "ends before it starts") {
		t.Fatalf("event ending before it starts: %v", err)
	}
	if _, err := hosting.Save(bucketInput(bucket)); err != nil {
		t.Fatal(err)
	}

	// Two hours on, the access token has run out: it is renewed on the way.
	clock.Advance(2 * time.Hour)
	if _, err := w.pub.Publish(service.PublishInput{DraftID: id, Google: event}); err != nil {
		t.Fatal(err)
	}
	jobs := waitJobs(t, w, id, "google published", allIn(app.JobPublished, 1))
	posts := g.Posts()
	if len(posts) != 1 || posts[0].Topic != "EVENT" || !strings.Contains(jobs[0].RemoteURL, "http") {
		t.Fatalf("google post: %+v %+v", posts, jobs)
	}
	body := posts[0].Body
	if ev, _ := body["event"].(map[string]any); ev == nil || ev["title"] != "Open day" {
		t.Fatalf("event not sent: %v", body)
	}
	if media, _ := body["media"].([]any); len(media) != 1 {
		t.Fatalf("photo not sent: %v", body)
	}
	if cta, _ := body["callToAction"].(map[string]any); cta == nil || cta["actionType"] != "CALL" {
		t.Fatalf("button not sent: %v", body)
	}
	if objs := bucket.Objects(); len(objs) != 0 {
		t.Fatalf("images left in the bucket: %v", objs)
	}
	if _, refreshes := provider.Counts(); refreshes != 1 {
		t.Fatalf("%d refreshes, want 1", refreshes)
	}
	now, _ := auth.LoadToken(w.secrets, v.SecretKey())
	if !now.Expiry.After(first.Expiry) || now.RefreshToken == "" {
		t.Fatalf("the renewed token was not saved: %v → %v", first, now)
	}

	// Google refuses the refresh token (the practice removed access): the
	// channel asks to be reconnected, and the post waits.
	provider.Revoke(now.RefreshToken)
	clock.Advance(2 * time.Hour)
	if _, err := w.pub.Publish(service.PublishInput{DraftID: id}); err != nil {
		t.Fatal(err)
	}
	waitJobs(t, w, id, "second post waiting for a reconnect", func(js []service.JobView) bool {
		return len(js) == 2 && js[0].ErrorKind == "auth"
	})
	// The job's error and the channel's flag are written one after the other.
	waitFor(t, "the channel to ask for a reconnect", func() bool {
		list, _ := w.ch.List()
		return len(list) == 1 && list[0].State == "needs_reconnect"
	})
}

func TestConnectXKeepsTheRotatedRefreshToken(t *testing.T) {
	clock := startClock()
	xs := xfake.New(xfake.Config{})
	defer xs.Close()
	provider := oauthFake(t, "x-token", 7200)
	provider.Rotate = true
	w := newWorld(t, t.TempDir(), clock, auth.NewMemoryStore())
	w.ch.Providers.XURL = xs.URL
	port := loopback.FreePort(t)
	w.ch.Providers.X = app2(provider, port)

	v, err := w.ch.ConnectX()
	if err != nil {
		t.Fatal(err)
	}
	<-w.browser.errs
	if redirects := provider.RedirectURIs(); len(redirects) != 1 || redirects[0] != "http://127.0.0.1:"+itoa(port)+"/callback" {
		t.Fatalf("X needs its registered loopback port: %v", redirects)
	}
	if v.ID != "x:1500100900" || v.Handle != "@smiledental" || v.State != "connected" {
		t.Fatalf("x: %+v", v)
	}
	first, _ := auth.LoadToken(w.secrets, v.SecretKey())

	clock.Advance(3 * time.Hour)
	id := newDraft(t, w, service.DraftInput{Title: "Hours", Body: "We are open on Saturday mornings from next week.", Channels: []string{"x"}})
	if _, err := w.pub.Publish(service.PublishInput{DraftID: id}); err != nil {
		t.Fatal(err)
	}
	jobs := waitJobs(t, w, id, "x published", allIn(app.JobPublished, 1))
	if !strings.Contains(jobs[0].RemoteURL, "/status/") || len(xs.Posts()) != 1 {
		t.Fatalf("x post: %+v", jobs)
	}
	now, _ := auth.LoadToken(w.secrets, v.SecretKey())
	if now.RefreshToken == first.RefreshToken || provider.RefreshValid(first.RefreshToken) || !provider.RefreshValid(now.RefreshToken) {
		t.Fatal("the rotated refresh token must replace the used one in the keychain")
	}

	// A second sign-in while the port is taken says so.
	ln, err := net.Listen("tcp", "127.0.0.1:"+itoa(port))
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	if _, err := w.ch.ConnectX(); app.ErrorCode(err) != app.EUNAVAILABLE || !strings.Contains(app.ErrorMessage(err), "port") {
		t.Fatalf("port in use: %v", err)
	}
	// Without PracticePost's X registration the button explains itself.
	w.ch.Providers.X = service.OAuthApp{}
	if _, err := w.ch.ConnectX(); app.ErrorCode(err) != app.EUNAVAILABLE || !strings.Contains(app.ErrorMessage(err), "app registration") {
		t.Fatalf("no registration: %v", err)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
