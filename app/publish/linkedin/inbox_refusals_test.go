package linkedin_test

import (
	"context"
	"strings"
	"testing"

	"practicepost/app/publish"
	"practicepost/app/publish/internal/publishtest"
	"practicepost/app/publish/linkedin"
	"practicepost/app/publish/linkedin/linkedintest"
)

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
