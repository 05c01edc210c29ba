package bluesky_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"practicepost/app/publish"
	"practicepost/app/publish/bluesky/blueskytest"
	"practicepost/app/publish/fault"
	"practicepost/app/publish/internal/publishtest"
)

func TestBlueskyThreadReplyAndHide(t *testing.T) {
	e := setup(t, blueskytest.Config{}, 0, nil)
	ctx := context.Background()
	post := publishtest.Post(t, e.cli, "Open day on Saturday")
	a := e.srv.AddReply(post.ID, "sarah.bsky.social", "Sarah J", "Can I bring my kids?")
	b := e.srv.AddReply(a, "tom.bsky.social", "", "Same question")
	e.srv.AddReply(b, "ann.bsky.social", "Ann", "+1")
	// Tom's reply is deleted: the thread shows a #notFoundPost in its place,
	// which carries no replies (lexicon), so Ann's reply drops out of view.
	e.srv.DeleteURI(b)
	cs, err := e.cli.Comments(ctx, post.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 1 || cs[0].ID != a || cs[0].ParentID != "" || cs[0].Author != "Sarah J" || !cs[0].CanHide || cs[0].FromPage {
		t.Fatalf("thread %+v", cs)
	}
	if cs[0].URL != "https://bsky.app/profile/sarah.bsky.social/post/"+a[strings.LastIndex(a, "/")+1:] {
		t.Errorf("url %s", cs[0].URL)
	}

	// Reply to Sarah: root is the practice's post, parent her reply.
	res, err := e.cli.Reply(ctx, cs[0], "Of course! Call us on 0117 496 0123.", "k")
	if err != nil || res.ID == "" {
		t.Fatalf("reply %+v %v", res, err)
	}
	var body struct {
		Record struct {
			Reply struct{ Root, Parent struct{ URI, CID string } } `json:"reply"`
		} `json:"record"`
	}
	reqs := find(e.rec, "com.atproto.repo.createRecord")
	json.Unmarshal(reqs[len(reqs)-1].Body, &body)
	if body.Record.Reply.Root.URI != post.ID || body.Record.Reply.Parent.URI != a || body.Record.Reply.Root.CID == "" || body.Record.Reply.Parent.CID == "" {
		t.Errorf("reply refs %+v", body.Record.Reply)
	}
	if !strings.HasPrefix(reqs[len(reqs)-1].Header.Get("Authorization"), "Bearer ") {
		t.Error("no bearer token")
	}
	after, _ := e.cli.Comments(ctx, post.ID)
	if len(after) != 2 || !after[1].FromPage || after[1].ParentID != a || after[1].CanHide {
		t.Fatalf("after reply %+v", after)
	}

	// Hide Sarah's reply with a threadgate on the root; show it again.
	if err := e.cli.Hide(ctx, cs[0], true); err != nil {
		t.Fatal(err)
	}
	rkey := post.ID[strings.LastIndex(post.ID, "/")+1:]
	g, ok := e.srv.Threadgate(rkey)
	if !ok || !strings.Contains(string(g), a) || strings.Contains(string(g), `"allow"`) {
		t.Fatalf("threadgate %s", g)
	}
	after, _ = e.cli.Comments(ctx, post.ID)
	if !after[0].Hidden {
		t.Error("not shown as hidden")
	}
	if err := e.cli.Hide(ctx, cs[0], false); err != nil {
		t.Fatal(err)
	}
	if g, _ := e.srv.Threadgate(rkey); strings.Contains(string(g), a) {
		t.Errorf("still hidden: %s", g)
	}
	// The practice's own reply cannot be hidden; others' cannot be deleted.
	if err := e.cli.Hide(ctx, after[1], true); err == nil {
		t.Error("hid its own reply")
	}
	if err := e.cli.DeleteComment(ctx, cs[0]); err == nil {
		t.Error("deleted another's reply")
	}
	if err := e.cli.DeleteComment(ctx, after[1]); err != nil {
		t.Errorf("delete own reply: %v", err)
	}
	// A deleted reply cannot be answered.
	e.srv.DeleteURI(a)
	_, err = e.cli.Reply(ctx, cs[0], "Hello", "k2")
	if pe, ok := err.(*publish.Error); !ok || pe.Kind != publish.KindNotFound || !strings.Contains(pe.Message, "no longer on Bluesky") {
		t.Errorf("reply to deleted: %v", err)
	}
	// A deleted post: NotFound.
	e.srv.DeleteURI(post.ID)
	if _, err := e.cli.Comments(ctx, post.ID); publish.KindOf(err) != publish.KindNotFound {
		t.Errorf("deleted post: %v", err)
	}
}

func TestBlueskyThreadRateLimited(t *testing.T) {
	e := setup(t, blueskytest.Config{}, 0, nil)
	ctx := context.Background()
	post, _ := e.cli.CreatePost(ctx, publish.Post{Text: "Hello"})
	e.srv.Faults.Add(fault.Fault{Path: "getPostThread", Status: 429, Times: 1})
	if _, err := e.cli.Comments(ctx, post.ID); publish.KindOf(err) != publish.KindRateLimited {
		t.Errorf("rate limit: %v", err)
	}
	// Only the thread's own author can gate it.
	other := e.srv.AddReply(post.ID, "sam.bsky.social", "Sam", "Hi")
	if err := e.cli.Hide(ctx, publish.Comment{ID: other, PostID: other, CanHide: true}, true); publish.KindOf(err) != publish.KindRejected {
		t.Errorf("gating someone else's thread: %v", err)
	}
}
