package x_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"practicepost/app/publish"
	"practicepost/app/publish/fault"
	"practicepost/app/publish/internal/publishtest"
	"practicepost/app/publish/x"
	"practicepost/app/publish/x/xtest"
)

// conversation is a post with n replies ("+1" from user0, user1, …, none
// tagging the practice) on a fresh fake; it returns their IDs in order.
func conversation(t *testing.T, n int) (*x.Client, *xtest.Server, publish.Result, []string) {
	t.Helper()
	c, srv, _ := setup(t, xtest.Config{}, 5*time.Second)
	post := publishtest.Post(t, c, "Open day on Saturday")
	var ids []string
	for i := 0; i < n; i++ {
		ids = append(ids, srv.AddReply(post.ID, fmt.Sprint(800+i), fmt.Sprintf("user%d", i), "+1", false))
	}
	return c, srv, post, ids
}

func TestXConversationRepliesAndRefusals(t *testing.T) {
	c, srv, post, _ := conversation(t, 120)
	ctx := context.Background()
	tagged := srv.AddReply(post.ID, "777", "sarahj", "@smiledental can I bring my kids?", true)
	untagged := srv.AddReply(post.ID, "778", "tomk", "Nice", false)
	nested := srv.AddReply(tagged, "779", "ann", "Me too", false)
	byID := publishtest.CommentsByID(t, c, post.ID, 123)
	if cm := byID[tagged]; cm.ParentID != "" || cm.Author != "sarahj" || cm.URL != "https://x.com/sarahj/status/"+tagged || !cm.CanHide || cm.FromPage {
		t.Errorf("tagged %+v", cm)
	}
	if byID[nested].ParentID != tagged {
		t.Errorf("nested %+v", byID[nested])
	}
	// A reply to someone who tagged the practice goes out.
	if _, err := c.Reply(ctx, byID[tagged], "Of course! Call us on 0117 496 0123.", "k"); err != nil {
		t.Fatalf("summoned reply: %v", err)
	}
	// One who did not tag it: X refuses, and the message says to reply on X.
	_, err := c.Reply(ctx, byID[untagged], "Thank you!", "k2")
	if pe := publishtest.Err(t, err); pe.Kind != publish.KindRejected || pe.Message != x.ReplyRefused {
		t.Errorf("unsummoned: %s %s", pe.Kind, pe.Message)
	}
	// Hide someone's reply; delete is not offered for others' replies.
	if err := c.Hide(ctx, byID[untagged], true); err != nil {
		t.Fatalf("hide: %v", err)
	}
	hidden := false
	for _, p := range srv.Posts() {
		if p.ID == untagged {
			hidden = p.Hidden
		}
	}
	if !hidden {
		t.Error("not hidden on X")
	}
	if err := c.DeleteComment(ctx, byID[untagged]); publishtest.Err(t, err).Kind != publish.KindRejected {
		t.Error("delete of another's reply offered")
	}
	// Reply to a deleted reply.
	srv.DeleteReply(nested)
	_, err = c.Reply(ctx, byID[nested], "Hello", "k3")
	if pe := publishtest.Err(t, err); pe.Kind != publish.KindNotFound {
		t.Errorf("deleted: %s %s", pe.Kind, pe.Message)
	}
}

func TestXHideNeedsModeratePermission(t *testing.T) {
	c, srv, _ := setup(t, xtest.Config{Scopes: []string{"tweet.read", "tweet.write", "users.read"}}, 5*time.Second)
	ctx := context.Background()
	post, _ := c.CreatePost(ctx, publish.Post{Text: "Hello"})
	id := srv.AddReply(post.ID, "9", "z", "spam", false)
	cs, err := c.Comments(ctx, post.ID)
	if err != nil || len(cs) != 1 || cs[0].ID != id {
		t.Fatalf("%+v %v", cs, err)
	}
	if pe := publishtest.Err(t, c.Hide(ctx, cs[0], true)); pe.Kind != publish.KindPermission || pe.Status != http.StatusForbidden {
		t.Errorf("%s %d %s", pe.Kind, pe.Status, pe.Message)
	}
	srv.Faults.Add(fault.Fault{Path: "/search/recent", Status: http.StatusTooManyRequests, Reset: time.Minute, Times: 1})
	if _, err := c.Comments(ctx, post.ID); publishtest.Err(t, err).Kind != publish.KindRateLimited {
		t.Error("rate limit not reported")
	}
}

// A reply deleted while the conversation is being listed: the later pages
// shift under the listing, which still ends without an error and lists
// nothing twice; at most the one reply that moved across the page boundary
// waits for the next sync, which lists every live reply.
func TestXReplyDeletedDuringListing(t *testing.T) {
	c, srv, post, ids := conversation(t, 150)
	ctx := context.Background()
	srv.DeleteAfterFirstPage(ids[10])
	cs, err := c.Comments(ctx, post.ID)
	if err != nil {
		t.Fatal(err)
	}
	publishtest.Once(t, cs)
	if len(cs) < 148 || len(cs) > 150 {
		t.Errorf("%d listed, want 148 to 150", len(cs))
	}
	again, err := c.Comments(ctx, post.ID)
	if err != nil || len(again) != 149 {
		t.Fatalf("next sync: %d %v, want the 149 live replies", len(again), err)
	}
	for _, cm := range again {
		if cm.ID == ids[10] {
			t.Error("the deleted reply is still listed")
		}
	}
}
