package linkedin_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"practicepost/app/publish"
	"practicepost/app/publish/fault"
	"practicepost/app/publish/internal/publishtest"
	"practicepost/app/publish/linkedin"
	"practicepost/app/publish/linkedin/linkedintest"
)

func TestLinkedInCommentsAndReplies(t *testing.T) {
	c, srv, _ := setup(t, linkedintest.Config{}, linkedin.Options{})
	ctx := context.Background()
	post := publishtest.Post(t, c, "Open day on Saturday")
	var urns []string
	for i := 0; i < 130; i++ {
		urns = append(urns, srv.AddComment(post.ID, "", fmt.Sprintf("p%d", i), fmt.Sprintf("Comment %d", i), now))
	}
	reply := srv.AddComment(post.ID, urns[0], "ann", "Me too", now)
	srv.EditComment(urns[1], "Comment 1 (edited)")
	byID := publishtest.CommentsByID(t, c, post.ID, 131)
	if byID[reply].ParentID != urns[0] || byID[urns[0]].AuthorID != "urn:li:person:p0" || byID[urns[0]].FromPage {
		t.Errorf("threading %+v", byID[reply])
	}
	if e := byID[urns[1]]; e.Text != "Comment 1 (edited)" || e.UpdatedAt.IsZero() {
		t.Errorf("edit %+v", e)
	}
	// Reply to a reply: LinkedIn threads one level, so it goes under the top comment.
	res, err := c.Reply(ctx, byID[reply], "Thank you!", "k")
	if err != nil || !strings.HasPrefix(res.ID, "urn:li:comment:") {
		t.Fatalf("reply %+v %v", res, err)
	}
	stored := srv.Comments()
	last := stored[len(stored)-1]
	if last.Parent != urns[0] || last.Actor != srv.OrgURN() || last.Text != "Thank you!" {
		t.Errorf("stored %+v", last)
	}
	cs, _ := c.Comments(ctx, post.ID)
	var own publish.Comment
	for _, x := range cs {
		if x.ID == res.ID {
			own = x
		}
	}
	if !own.FromPage || !own.CanDelete {
		t.Fatalf("own reply %+v", own)
	}
	if err := c.Hide(ctx, byID[urns[2]], true); publish.KindOf(err) != publish.KindRejected {
		t.Error("hide offered")
	}
	if err := c.DeleteComment(ctx, byID[urns[2]]); publish.KindOf(err) != publish.KindRejected {
		t.Error("deleting a member's comment offered")
	}
	if err := c.DeleteComment(ctx, own); err != nil {
		t.Fatalf("delete own: %v", err)
	}
	if !srv.Comments()[len(srv.Comments())-1].Deleted {
		t.Error("not deleted")
	}
}

func TestLinkedInCommentRefusals(t *testing.T) {
	c, srv, _ := setup(t, linkedintest.Config{}, linkedin.Options{})
	ctx := context.Background()
	post, _ := c.CreatePost(ctx, publish.Post{Text: "Hello"})
	urn := srv.AddComment(post.ID, "", "p1", "Hi", now)
	srv.Faults.Add(fault.Fault{Path: "/socialActions", Status: http.StatusTooManyRequests, Times: 1})
	if _, err := c.Comments(ctx, post.ID); publish.KindOf(err) != publish.KindRateLimited {
		t.Errorf("rate limit: %v", err)
	}
	cs, err := c.Comments(ctx, post.ID)
	if err != nil || len(cs) != 1 || cs[0].ID != urn {
		t.Fatalf("%+v %v", cs, err)
	}
	if err := c.DeletePost(ctx, post.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Comments(ctx, post.ID); publish.KindOf(err) != publish.KindNotFound {
		t.Errorf("deleted post: %v", err)
	}
	if _, err := c.Reply(ctx, cs[0], "Hello", "k"); err == nil {
		t.Error("replied on a deleted post")
	}
}

// A comment deleted while the comments are being listed: the total shrinks
// between pages, nothing is listed twice and the listing still ends.
func TestLinkedInCommentDeletedDuringListing(t *testing.T) {
	c, srv, _ := setup(t, linkedintest.Config{}, linkedin.Options{})
	ctx := context.Background()
	post, _ := c.CreatePost(ctx, publish.Post{Text: "Hello"})
	var urns []string
	for i := 0; i < 150; i++ {
		urns = append(urns, srv.AddComment(post.ID, "", fmt.Sprintf("p%d", i), "Hi", now))
	}
	srv.DeleteAfterFirstPage(urns[10])
	cs, err := c.Comments(ctx, post.ID)
	if err != nil {
		t.Fatal(err)
	}
	publishtest.Once(t, cs)
	// Start counts from what was read, so one comment may be skipped this
	// time (the next collection reads it); never more.
	if len(cs) < 148 {
		t.Errorf("%d listed", len(cs))
	}
	again, err := c.Comments(ctx, post.ID)
	if err != nil || len(again) != 149 {
		t.Errorf("next listing %d %v", len(again), err)
	}
}

// An app without LinkedIn's Community Management API gets 403
// partnerApiSocialActions on every comment call: the message says that
// comments cannot be shown, that the practice cannot fix it, and that
// posting still works; posting does.
func TestLinkedInCommentsWithoutCommunityManagement(t *testing.T) {
	c, srv, _ := setup(t, linkedintest.Config{NoCommunityManagement: true}, linkedin.Options{})
	ctx := context.Background()
	post, err := c.CreatePost(ctx, publish.Post{Text: "Hello"})
	if err != nil {
		t.Fatalf("posting must not need the comments product: %v", err)
	}
	srv.AddComment(post.ID, "", "p1", "Hi", now)
	_, err = c.Comments(ctx, post.ID)
	pe := publishtest.Err(t, err)
	if pe.Kind != publish.KindPermission || !strings.Contains(pe.Message, "Community Management API") || !strings.Contains(pe.Message, "Posting to LinkedIn is not affected") {
		t.Errorf("%s: %s", pe.Kind, pe.Message)
	}
	_, err = c.Reply(ctx, publish.Comment{ID: "urn:li:comment:(urn:li:activity:1,2)", PostID: post.ID}, "Thank you", "k")
	if pe := publishtest.Err(t, err); pe.Kind != publish.KindPermission {
		t.Errorf("reply: %s %s", pe.Kind, pe.Message)
	}
}

// A reply to a comment its author deleted (the post still there): LinkedIn
// answers 404 and the message says the comment is gone.
func TestLinkedInReplyToDeletedComment(t *testing.T) {
	c, srv, _ := setup(t, linkedintest.Config{}, linkedin.Options{})
	ctx := context.Background()
	post, _ := c.CreatePost(ctx, publish.Post{Text: "Hello"})
	srv.AddComment(post.ID, "", "p1", "Hi", now)
	cs, err := c.Comments(ctx, post.ID)
	if err != nil || len(cs) != 1 {
		t.Fatalf("%+v %v", cs, err)
	}
	srv.DeleteComment(cs[0].ID)
	_, err = c.Reply(ctx, cs[0], "Thank you", "k")
	pe := publishtest.Err(t, err)
	if pe.Kind != publish.KindNotFound || !strings.Contains(pe.Message, "no longer on LinkedIn") {
		t.Errorf("%s: %s", pe.Kind, pe.Message)
	}
	for _, x := range srv.Comments() {
		if x.Parent != "" {
			t.Errorf("a reply was stored under the deleted comment: %+v", x)
		}
	}
}
