package mastodon_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"practicepost/app/publish"
	"practicepost/app/publish/fault"
	"practicepost/app/publish/internal/publishtest"
	"practicepost/app/publish/mastodon"
	"practicepost/app/publish/mastodon/mastodontest"
)

func TestMastodonRepliesThreadAndAnswer(t *testing.T) {
	e := setup(t, mastodontest.Config{}, 0)
	ctx := context.Background()
	post, err := e.cli.CreatePost(ctx, publish.Post{Text: "Open day on Saturday", Key: "p1"})
	if err != nil {
		t.Fatal(err)
	}
	a := e.srv.AddReply(post.ID, "sarah", "Sarah J", "Can I bring my kids?")
	b := e.srv.AddReply(a, "tom", "", "Same question")
	gone := e.srv.AddReply(post.ID, "spam", "Spam", "Buy followers")
	e.srv.DeleteStatus(gone)
	cs, err := e.cli.Comments(ctx, post.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 2 {
		t.Fatalf("%d replies: %+v", len(cs), cs)
	}
	if cs[0].ID != a || cs[0].ParentID != "" || cs[0].Author != "Sarah J" || cs[0].Text != "Can I bring my kids?" || cs[0].FromPage {
		t.Errorf("top-level reply %+v", cs[0])
	}
	if cs[1].ParentID != a || cs[1].Author != "tom@elsewhere.example" {
		t.Errorf("nested reply %+v", cs[1])
	}
	res, err := e.cli.Reply(ctx, cs[0], "Of course! Call us on 0117 496 0123.", "inbox-key-1")
	if err != nil || res.ID == "" {
		t.Fatalf("reply %+v %v", res, err)
	}
	var req struct {
		method, path string
		hdr          http.Header
		body         []byte
	}
	for _, s := range e.rec.All() {
		if s.Method == http.MethodPost && s.Path == "/api/v1/statuses" {
			req.method, req.path, req.hdr, req.body = s.Method, s.Path, s.Header, s.Body
		}
	}
	var body map[string]any
	json.Unmarshal(req.body, &body)
	if body["in_reply_to_id"] != a || body["visibility"] != "public" || req.hdr.Get("Idempotency-Key") != "inbox-key-1" || req.hdr.Get("Authorization") != "Bearer masto-token" {
		t.Errorf("reply request %v %v", body, req.hdr)
	}
	// Sent again with the same key (a retry after a timeout): no second reply.
	again, err := e.cli.Reply(ctx, cs[0], "Of course! Call us on 0117 496 0123.", "inbox-key-1")
	if err != nil || again.ID != res.ID {
		t.Errorf("retry made %q, first %q (%v)", again.ID, res.ID, err)
	}
	after, _ := e.cli.Comments(ctx, post.ID)
	if len(after) != 3 || !after[2].FromPage || after[2].ParentID != a {
		t.Errorf("after reply %+v", after)
	}
	// Replying to a deleted reply is refused with a clear message.
	e.srv.DeleteStatus(b)
	_, err = e.cli.Reply(ctx, cs[1], "Hello", "inbox-key-2")
	if pe := publishtest.Err(t, err); pe.Kind != publish.KindNotFound || !strings.Contains(pe.Message, "no longer on Mastodon") {
		t.Errorf("%s %s", pe.Kind, pe.Message)
	}
	// Others' replies cannot be hidden or deleted on Mastodon.
	if err := e.cli.Hide(ctx, cs[0], true); publishtest.Err(t, err).Kind != publish.KindRejected {
		t.Error("hide offered")
	}
	if err := e.cli.DeleteComment(ctx, cs[0]); publishtest.Err(t, err).Kind != publish.KindRejected {
		t.Error("delete of another's reply offered")
	}
	if err := e.cli.DeleteComment(ctx, after[2]); err != nil {
		t.Errorf("delete own reply: %v", err)
	}
}

func TestMastodonCommentsRefusals(t *testing.T) {
	e := setup(t, mastodontest.Config{}, 0)
	ctx := context.Background()
	post, _ := e.cli.CreatePost(ctx, publish.Post{Text: "Hello", Key: "p"})
	e.srv.Faults.Add(fault.Fault{Path: "/context", Status: http.StatusTooManyRequests, Reset: 3 * time.Minute, Times: 1})
	_, err := e.cli.Comments(ctx, post.ID)
	if pe := publishtest.Err(t, err); pe.Kind != publish.KindRateLimited {
		t.Errorf("rate limit: %s", pe.Kind)
	}
	e.srv.DeleteStatus(post.ID)
	_, err = e.cli.Comments(ctx, post.ID)
	if pe := publishtest.Err(t, err); pe.Kind != publish.KindNotFound {
		t.Errorf("deleted post: %s", pe.Kind)
	}
	e.srv.RevokeToken("masto-token")
	_, err = e.cli.Comments(ctx, "1")
	if pe := publishtest.Err(t, err); pe.Kind != publish.KindAuth {
		t.Errorf("revoked: %s", pe.Kind)
	}
}

// A sign-in without write:statuses can read replies but not answer them.
func TestMastodonReplyWithoutWriteScope(t *testing.T) {
	e := setup(t, mastodontest.Config{}, 0)
	ctx := context.Background()
	post, _ := e.cli.CreatePost(ctx, publish.Post{Text: "Hello", Key: "p"})
	e.srv.AddReply(post.ID, "ann", "Ann", "Hi!")
	e.srv.AddToken("read-only", "read:accounts", "read:statuses")
	ro := mastodon.NewClient(e.srv.URL, "read-only", mastodon.Options{Clock: e.clock})
	cs, err := ro.Comments(ctx, post.ID)
	if err != nil || len(cs) != 1 {
		t.Fatalf("%+v %v", cs, err)
	}
	_, err = ro.Reply(ctx, cs[0], "Thanks!", "k")
	if pe := publishtest.Err(t, err); pe.Kind != publish.KindPermission || pe.Status != http.StatusForbidden {
		t.Errorf("%s %d", pe.Kind, pe.Status)
	}
}
