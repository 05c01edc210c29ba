package bluesky_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"practicepost/app"
	"practicepost/app/insights/collect"
	"practicepost/app/publish"
	"practicepost/app/publish/bluesky"
	"practicepost/app/publish/bluesky/blueskytest"
	"practicepost/app/publish/fault"
	"practicepost/app/publish/internal/publishtest"
)

var t0 = time.Date(2026, 9, 1, 9, 0, 0, 0, time.UTC)

type env struct {
	srv      *blueskytest.Server
	cli      *bluesky.Client
	clock    *app.FixedClock
	rec      *publishtest.Recorder
	sessions []bluesky.Session
}

func setup(t *testing.T, cfg blueskytest.Config, timeout time.Duration, resume *bluesky.Session) *env {
	t.Helper()
	srv, clock := publishtest.StartFake(t, t0, func(clockNow func() time.Time) *blueskytest.Server { cfg.Now = clockNow; return blueskytest.New(cfg) })
	e := &env{srv: srv, clock: clock, rec: &publishtest.Recorder{}}
	e.cli = bluesky.NewClient(srv.URL, "@smiledental.bsky.social", "abcd-efgh-ijkl-mnop", bluesky.Options{
		HTTP: publishtest.HTTP(timeout, e.rec), Clock: clock, Session: resume,
		OnSession: func(s bluesky.Session) { e.sessions = append(e.sessions, s) },
	})
	return e
}

func TestFacets(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string // the byte ranges' text, in order: links first, then tags
		tags []string
	}{
		{name: "ascii link", text: "Book at https://smile.example/book today", want: []string{"https://smile.example/book"}},
		{name: "emoji before link", text: "🦷✨ See https://smile.example/a.", want: []string{"https://smile.example/a"}},
		{name: "parenthesised", text: "(see https://smile.example/x) and https://en.wikipedia.org/wiki/Tooth_(human)", want: []string{"https://smile.example/x", "https://en.wikipedia.org/wiki/Tooth_(human)"}},
		{name: "hashtags after accents", text: "Café crème #SmileWeek! #santé #2026 #", want: []string{"#SmileWeek", "#santé"}, tags: []string{"SmileWeek", "santé"}},
		{name: "fragment is not a tag", text: "https://smile.example/#team #Team", want: []string{"https://smile.example/#team", "#Team"}, tags: []string{"Team"}},
		{name: "nothing", text: "Plain words only", want: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := bluesky.Facets(tt.text)
			if len(got) != len(tt.want) {
				t.Fatalf("%d facets %+v, want %d", len(got), got, len(tt.want))
			}
			ti := 0
			for i, f := range got {
				s := tt.text[f.Index.ByteStart:f.Index.ByteEnd]
				if s != tt.want[i] {
					t.Errorf("facet %d covers %q, want %q", i, s, tt.want[i])
				}
				ft := f.Features[0]
				switch ft.Type {
				case "app.bsky.richtext.facet#link":
					if ft.URI != s {
						t.Errorf("uri %q", ft.URI)
					}
				case "app.bsky.richtext.facet#tag":
					if ft.Tag != tt.tags[ti] {
						t.Errorf("tag %q, want %q", ft.Tag, tt.tags[ti])
					}
					ti++
				default:
					t.Errorf("type %s", ft.Type)
				}
			}
		})
	}
	// Byte, not rune, offsets: "🦷✨ See " is 4+3+5 = 12 bytes.
	if f := bluesky.Facets("🦷✨ See https://a.example")[0]; f.Index.ByteStart != 12 {
		t.Errorf("byteStart = %d, want 12", f.Index.ByteStart)
	}
}

func TestLoginUsesPDSFromDidDoc(t *testing.T) {
	e := setup(t, blueskytest.Config{}, 0, nil)
	ctx := context.Background()
	acct, err := e.cli.Verify(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if acct.ID != "did:plc:fakesmiledental" || acct.Handle != "@smiledental.bsky.social" {
		t.Errorf("account %+v", acct)
	}
	s, _ := e.cli.Session()
	if s.PDS != e.srv.PDS.URL || len(e.sessions) != 1 || e.sessions[0].RefreshJWT == "" {
		t.Fatalf("session %+v, stored %d", s, len(e.sessions))
	}
	var login struct{ Identifier, Password string }
	json.Unmarshal(find(e.rec, "com.atproto.server.createSession")[0].Body, &login)
	if login.Identifier != "smiledental.bsky.social" || login.Password != "abcd-efgh-ijkl-mnop" {
		t.Errorf("login body %+v", login)
	}
	res := publishtest.Post(t, e.cli, "Hello from the PDS")
	pdsHost := strings.TrimPrefix(e.srv.PDS.URL, "http://")
	if r := find(e.rec, "com.atproto.repo.createRecord"); len(r) != 1 || r[0].Host != pdsHost || r[0].Header.Get("Authorization") != "Bearer "+s.AccessJWT {
		t.Errorf("createRecord went to %+v", r)
	}
	if !strings.HasPrefix(res.ID, "at://did:plc:fakesmiledental/app.bsky.feed.post/") || !strings.HasPrefix(res.URL, "https://bsky.app/profile/smiledental.bsky.social/post/") {
		t.Errorf("result %+v", res)
	}
}

func TestLoginRefused(t *testing.T) {
	e := setup(t, blueskytest.Config{AppPassword: "other"}, 0, nil)
	_, err := e.cli.Verify(context.Background())
	pe := publishtest.Err(t, err)
	if pe.Kind != publish.KindAuth || pe.Code != "AuthenticationRequired" || pe.Status != 401 || !strings.Contains(pe.Message, "app password") {
		t.Errorf("got %+v", pe)
	}
}

func TestExpiredTokenRefreshesOnce(t *testing.T) {
	tests := []struct {
		name          string
		expireRefresh bool
		newPassword   string
		wantRefreshes int
		wantSessions  int
		kind          publish.Kind
	}{
		{name: "refresh", wantRefreshes: 1, wantSessions: 1},
		{name: "refresh expired: log in again", expireRefresh: true, wantRefreshes: 0, wantSessions: 2},
		{name: "refresh expired and password revoked", expireRefresh: true, newPassword: "changed", wantSessions: 1, kind: publish.KindAuth},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := setup(t, blueskytest.Config{}, 0, nil)
			ctx := context.Background()
			if _, err := e.cli.Verify(ctx); err != nil {
				t.Fatal(err)
			}
			before, _ := e.cli.Session()
			e.srv.ExpireAccessTokens()
			if tt.expireRefresh {
				e.srv.ExpireRefreshTokens()
			}
			if tt.newPassword != "" {
				e.srv.ChangePassword(tt.newPassword)
			}
			_, err := e.cli.CreatePost(ctx, publish.Post{Text: "after expiry"})
			if tt.kind != "" {
				if pe := publishtest.Err(t, err); pe.Kind != tt.kind {
					t.Errorf("got %+v", pe)
				}
				if n := len(e.srv.Records()); n != 0 {
					t.Errorf("%d records", n)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if e.srv.Refreshes() != tt.wantRefreshes || e.srv.Sessions() != tt.wantSessions || len(e.srv.Records()) != 1 {
				t.Errorf("refreshes %d sessions %d records %d", e.srv.Refreshes(), e.srv.Sessions(), len(e.srv.Records()))
			}
			after, _ := e.cli.Session()
			if after.AccessJWT == before.AccessJWT || after.RefreshJWT == before.RefreshJWT || len(e.sessions) != 2 {
				t.Error("new session not kept and reported")
			}
			if n := len(find(e.rec, "com.atproto.repo.createRecord")); n != 2 {
				t.Errorf("createRecord sent %d times, want 2 (refused, then retried)", n)
			}
		})
	}
}

func TestResumeStoredSession(t *testing.T) {
	first := setup(t, blueskytest.Config{}, 0, nil)
	if _, err := first.cli.CreatePost(context.Background(), publish.Post{Text: "one"}); err != nil {
		t.Fatal(err)
	}
	s, _ := first.cli.Session()
	resumed := bluesky.NewClient(first.srv.URL, "smiledental.bsky.social", "", bluesky.Options{Session: &s, Clock: first.clock})
	if _, err := resumed.CreatePost(context.Background(), publish.Post{Text: "two"}); err != nil {
		t.Fatal(err)
	}
	if first.srv.Sessions() != 1 {
		t.Errorf("%d logins, want the stored session reused", first.srv.Sessions())
	}
}

func TestTextLimit(t *testing.T) {
	tests := []struct {
		name string
		text string
		ok   bool
	}{
		{name: "300 combining graphemes", text: strings.Repeat("e\u0301", 300), ok: true},
		{name: "300 skin-tone emoji (2,400 bytes)", text: strings.Repeat("👍🏽", 300), ok: true},
		{name: "301 graphemes", text: strings.Repeat("e\u0301", 301)},
		{name: "over 3000 bytes in 300 graphemes", text: strings.Repeat("👩‍👩‍👧‍👦", 200)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := setup(t, blueskytest.Config{}, 0, nil)
			_, err := e.cli.CreatePost(context.Background(), publish.Post{Text: tt.text})
			if tt.ok {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			pe := publishtest.Err(t, err)
			if pe.Kind != publish.KindRejected || pe.Code != "text_too_long" || len(find(e.rec, "com.atproto.repo.createRecord")) != 0 {
				t.Errorf("got %+v", pe)
			}
		})
	}
}

// rawCreate sends a record straight to the fake, bypassing the client's
// checks, to show the fake enforces the lexicon itself.
func rawCreate(t *testing.T, e *env, record map[string]any) (int, map[string]string) {
	t.Helper()
	s, _ := e.cli.Session()
	body, _ := json.Marshal(map[string]any{"repo": s.DID, "collection": "app.bsky.feed.post", "record": record})
	var out map[string]string
	return rawPDS(t, e, "com.atproto.repo.createRecord", "application/json", body, &out), out
}

// rawPDS posts body to an XRPC method of the account's PDS with the
// session's token, bypassing the client, and decodes the JSON answer into
// out; it returns the status.
func rawPDS(t *testing.T, e *env, method, contentType string, body []byte, out any) int {
	t.Helper()
	s, _ := e.cli.Session()
	req, _ := http.NewRequest("POST", s.PDS+"/xrpc/"+method, bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+s.AccessJWT)
	req.Header.Set("Content-Type", contentType)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	json.NewDecoder(resp.Body).Decode(out)
	return resp.StatusCode
}

func TestFakeEnforcesLexicon(t *testing.T) {
	e := setup(t, blueskytest.Config{}, 0, nil)
	if _, err := e.cli.Verify(context.Background()); err != nil {
		t.Fatal(err)
	}
	ts := "2026-09-01T09:00:00.000Z"
	tests := []struct {
		name   string
		record map[string]any
		status int
	}{
		{"ok", map[string]any{"$type": "app.bsky.feed.post", "text": strings.Repeat("x", 300), "createdAt": ts}, 200},
		{"301 graphemes", map[string]any{"$type": "app.bsky.feed.post", "text": strings.Repeat("x", 301), "createdAt": ts}, 400},
		{"no createdAt", map[string]any{"$type": "app.bsky.feed.post", "text": "x"}, 400},
		{"image without alt", map[string]any{"$type": "app.bsky.feed.post", "text": "x", "createdAt": ts,
			"embed": map[string]any{"$type": "app.bsky.embed.images", "images": []any{map[string]any{"image": map[string]any{"$type": "blob", "ref": map[string]string{"$link": "bafkreimissing"}, "mimeType": "image/png", "size": 1}}}}}, 400},
	}
	for _, tt := range tests {
		status, body := rawCreate(t, e, tt.record)
		if status != tt.status || (status == 400 && body["error"] != "InvalidRequest") {
			t.Errorf("%s: %d %v", tt.name, status, body)
		}
	}
}

func TestImages(t *testing.T) {
	e := setup(t, blueskytest.Config{}, 0, nil)
	ctx := context.Background()
	jpeg := append([]byte{0xFF, 0xD8, 0xFF, 0xE0}, make([]byte, 5000)...)

	res, err := publishtest.Send(ctx, e.cli, publish.Post{Text: "Two rooms #NewSurgery"},
		publish.Image{Data: jpeg, MIME: "image/jpeg", Alt: "Treatment room one", Width: 1280, Height: 760},
		publish.Image{Data: jpeg[:4000], MIME: "image/jpeg"})
	if err != nil {
		t.Fatal(err)
	}
	up := find(e.rec, "com.atproto.repo.uploadBlob")
	if len(up) != 2 || up[0].Header.Get("Content-Type") != "image/jpeg" || !bytes.Equal(up[0].Body, jpeg) {
		t.Fatalf("uploads %d", len(up))
	}
	var stored struct {
		Facets []bluesky.Facet
		Embed  struct {
			Images []map[string]json.RawMessage
		}
	}
	rec := e.srv.Records()[0]
	json.Unmarshal(rec.Value, &stored)
	imgs := stored.Embed.Images
	if len(imgs) != 2 || string(imgs[0]["alt"]) != `"Treatment room one"` || string(imgs[0]["aspectRatio"]) != `{"width":1280,"height":760}` {
		t.Fatalf("embed %s", rec.Value)
	}
	if alt, ok := imgs[1]["alt"]; !ok || string(alt) != `""` || imgs[1]["aspectRatio"] != nil {
		t.Errorf("second image: alt must be sent even when empty, aspectRatio left out when unknown: %s", rec.Value)
	}
	if len(stored.Facets) != 1 || stored.Facets[0].Features[0].Tag != "NewSurgery" {
		t.Errorf("facets %+v", stored.Facets)
	}
	if res.ID != rec.URI {
		t.Errorf("id %s vs %s", res.ID, rec.URI)
	}

	// Over 1,000,000 bytes: refused before any upload.
	n := len(find(e.rec, "com.atproto.repo.uploadBlob"))
	_, err = e.cli.UploadImage(ctx, publish.Image{Data: make([]byte, 1_000_001), MIME: "image/jpeg"})
	pe := publishtest.Err(t, err)
	if pe.Kind != publish.KindRejected || pe.Code != "image_too_large" || !strings.Contains(pe.Message, "1,000,000") || len(find(e.rec, "com.atproto.repo.uploadBlob")) != n {
		t.Errorf("got %+v", pe)
	}
}

// The PDS takes a big blob but the post that uses it is refused; the client
// turns that into a rejected-content error.
func TestOversizeBlobRefusedAtCreateRecord(t *testing.T) {
	e := setup(t, blueskytest.Config{}, 0, nil)
	if _, err := e.cli.Verify(context.Background()); err != nil {
		t.Fatal(err)
	}
	big := append([]byte{0xFF, 0xD8, 0xFF}, make([]byte, 1_000_000)...)
	var out struct{ Blob json.RawMessage }
	if status := rawPDS(t, e, "com.atproto.repo.uploadBlob", "image/jpeg", big, &out); status != 200 {
		t.Fatalf("upload %d", status)
	}
	_, err := e.cli.CreatePost(context.Background(), publish.Post{Text: "big", Media: []publish.MediaRef{{Blob: out.Blob, Alt: "x"}}})
	pe := publishtest.Err(t, err)
	if pe.Kind != publish.KindRejected || pe.Code != "InvalidRequest" || !strings.Contains(pe.PlatformMessage, "too large") {
		t.Errorf("got %+v", pe)
	}
	if len(e.srv.Records()) != 0 {
		t.Error("record stored")
	}
}

func TestErrors(t *testing.T) {
	tests := []struct {
		name      string
		fault     fault.Fault
		kind      publish.Kind
		code      string
		reset     time.Duration
		uncertain bool
	}{
		{name: "rate limited", fault: fault.Fault{Status: 429, Reset: 4 * time.Minute, Path: "createRecord"}, kind: publish.KindRateLimited, code: "RateLimitExceeded", reset: 4 * time.Minute},
		{name: "server error", fault: fault.Fault{Status: 500, Path: "createRecord"}, kind: publish.KindTransient, code: "InternalServerError", uncertain: true},
		{name: "login rate limited", fault: fault.Fault{Status: 429, Reset: 5 * time.Minute, Path: "createSession"}, kind: publish.KindRateLimited, code: "RateLimitExceeded", reset: 5 * time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := setup(t, blueskytest.Config{}, 0, nil)
			e.srv.Faults.Add(tt.fault)
			_, err := e.cli.CreatePost(context.Background(), publish.Post{Text: "hello"})
			pe := publishtest.Err(t, err)
			if pe.Kind != tt.kind || pe.Code != tt.code || pe.Uncertain != tt.uncertain {
				t.Fatalf("got %+v", pe)
			}
			if tt.reset != 0 && !pe.ResetAt.Equal(t0.Add(tt.reset)) {
				t.Errorf("ResetAt %v", pe.ResetAt)
			}
		})
	}
	e := setup(t, blueskytest.Config{}, 0, nil)
	_, err := e.cli.CreatePost(context.Background(), publish.Post{Text: "later", ScheduledAt: t0.Add(time.Hour)})
	if pe := publishtest.Err(t, err); pe.Code != "schedule_unsupported" || len(find(e.rec, "com.atproto.repo.createRecord")) != 0 {
		t.Errorf("scheduled: %+v", pe)
	}
}

// The post is written but the answer is lost; listRecords finds it by
// text and createdAt, so the queue does not post it again.
func TestTimeoutAfterCommitThenReconcile(t *testing.T) {
	for _, loss := range []fault.Loss{fault.Hang, fault.Drop} {
		e := setup(t, blueskytest.Config{}, 300*time.Millisecond, nil)
		ctx := context.Background()
		created := t0.Add(1234 * time.Millisecond)
		post := publish.Post{Text: "Same words", Link: "https://smile.example", CreatedAt: created}
		// An older post with the same words but another createdAt must not match.
		if _, err := e.cli.CreatePost(ctx, publish.Post{Text: "Same words", Link: "https://smile.example", CreatedAt: t0}); err != nil {
			t.Fatal(err)
		}
		e.srv.Faults.Add(fault.Fault{Path: "createRecord", AfterCommit: loss, Times: 1})
		_, err := e.cli.CreatePost(ctx, post)
		pe := publishtest.Err(t, err)
		if !pe.Uncertain || pe.Kind != publish.KindTransient {
			t.Fatalf("loss %d: %+v", loss, pe)
		}
		recs := e.srv.Records()
		if len(recs) != 2 {
			t.Fatalf("%d records", len(recs))
		}
		found, ok, err := e.cli.FindPost(ctx, post, t0)
		if err != nil || !ok || found.ID != recs[1].URI {
			t.Fatalf("FindPost = %+v %v %v, want %s", found, ok, err, recs[1].URI)
		}
		if _, ok, _ := e.cli.FindPost(ctx, publish.Post{Text: "Same words", Link: "https://smile.example", CreatedAt: t0.Add(time.Hour)}, t0); ok {
			t.Error("matched a post with another createdAt")
		}
	}
}

func TestFindPostPages(t *testing.T) {
	e := setup(t, blueskytest.Config{}, 0, nil)
	ctx := context.Background()
	for i := 0; i < 60; i++ {
		if _, err := e.cli.CreatePost(ctx, publish.Post{Text: fmt.Sprintf("post %d", i), CreatedAt: t0.Add(time.Duration(i) * time.Second)}); err != nil {
			t.Fatal(err)
		}
	}
	found, ok, err := e.cli.FindPost(ctx, publish.Post{Text: "post 3", CreatedAt: t0.Add(3 * time.Second)}, time.Time{})
	if err != nil || !ok || found.ID != e.srv.Records()[3].URI {
		t.Errorf("FindPost = %+v %v %v", found, ok, err)
	}
	if n := len(find(e.rec, "com.atproto.repo.listRecords")); n != 2 {
		t.Errorf("%d pages read", n)
	}
}

func TestDeleteAndMetrics(t *testing.T) {
	e := setup(t, blueskytest.Config{}, 0, nil)
	ctx := context.Background()
	res := publishtest.Post(t, e.cli, "Count me")
	e.srv.SetCounts(res.ID, 7, 3, 2, 1)
	e.srv.SetFollowers(412)
	if n, err := e.cli.Followers(ctx); err != nil || n != 412 {
		t.Errorf("followers %d %v", n, err)
	}
	m, err := e.cli.Metrics(ctx, res.ID)
	if err != nil || m.Reactions != 7 || m.Shares != 3 || m.Comments != 2 || m.Quotes != 1 || m.Views != nil {
		t.Errorf("metrics %+v %v", m, err)
	}
	if err := e.cli.DeletePost(ctx, res.ID); err != nil {
		t.Fatal(err)
	}
	if !e.srv.Records()[0].Deleted {
		t.Error("not deleted")
	}
	if err := e.cli.DeletePost(ctx, res.ID); err != nil {
		t.Errorf("second delete: %v", err)
	}
	if _, err := e.cli.Metrics(ctx, res.ID); publish.KindOf(err) != publish.KindNotFound {
		t.Errorf("metrics of deleted post: %v", err)
	}
	if err := e.cli.DeletePost(ctx, "not-a-uri"); publish.KindOf(err) != publish.KindRejected {
		t.Errorf("bad id: %v", err)
	}
}

// find returns the XRPC calls to nsid, in order.
func find(r *publishtest.Recorder, nsid string) []publishtest.Sent {
	var out []publishtest.Sent
	for _, s := range r.All() {
		if s.Path == "/xrpc/"+nsid {
			out = append(out, s)
		}
	}
	return out
}

// The collector reads followers from any connector that can give them.
var _ collect.FollowerCounter = (*bluesky.Client)(nil)

// TestFollowers is getProfile's follower count, and the ways it is not
// given: the PDS's 429 (the channel waits for RateLimit-Reset, and the
// count comes once it has passed) and a session that can no longer be
// refreshed, with the app password changed (reconnect). An app password
// has no read scopes to lack, so there is no missing-permission case on
// Bluesky.
func TestFollowers(t *testing.T) {
	publishtest.Followers(t, publishtest.FollowersRig[blueskytest.Config, *env]{
		Want: 412,
		Start: func(t *testing.T, cfg blueskytest.Config) (publishtest.FollowerCounter, *env) {
			e := setup(t, cfg, 0, nil)
			e.srv.SetFollowers(412)
			return e.cli, e
		},
		Cases: []publishtest.FollowersCase[blueskytest.Config, *env]{
			{Name: "rate limited", Prep: func(_ *testing.T, e *env) {
				e.srv.Faults.Add(fault.Fault{Status: 429, Reset: 4 * time.Minute, Path: "getProfile", Times: 1})
			}, Kind: publish.KindRateLimited, Reset: t0.Add(4 * time.Minute), Recovers: true},
			{Name: "session gone", Prep: func(t *testing.T, e *env) {
				if _, err := e.cli.Verify(context.Background()); err != nil {
					t.Fatal(err)
				}
				e.srv.ExpireAccessTokens()
				e.srv.ExpireRefreshTokens()
				e.srv.ChangePassword("new-pass-word-here")
			}, Kind: publish.KindAuth},
		},
	})
}
