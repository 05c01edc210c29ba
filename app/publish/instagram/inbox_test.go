package instagram_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"practicepost/app/publish"
	"practicepost/app/publish/fault"
	"practicepost/app/publish/instagram/instagramtest"
	"practicepost/app/publish/internal/publishtest"
)

func TestInstagramCommentsReplyHideDelete(t *testing.T) {
	e := setup(t, instagramtest.Config{}, 5*time.Second)
	ctx := context.Background()
	media := e.ig.Seed("Our new chairs", now.Add(-time.Hour))
	var ids []string
	for i := 0; i < 60; i++ {
		ids = append(ids, e.ig.AddComment(media, "", fmt.Sprintf("user%d", i), fmt.Sprintf("Comment %d", i), now.Add(time.Duration(i)*time.Minute)))
	}
	r1 := e.ig.AddComment(media, ids[0], "ann", "Me too", now)
	// A reply to a reply is attached to the top-level comment.
	r2 := e.ig.AddComment(media, r1, "bob", "Same", now)
	byID := publishtest.CommentsByID(t, e.c, media, 62)
	if byID[r2].ParentID != ids[0] || byID[r1].ParentID != ids[0] || byID[ids[0]].Author != "user0" || !byID[ids[0]].CanHide {
		t.Errorf("threading %+v %+v", byID[r1], byID[r2])
	}
	res, err := e.c.Reply(ctx, byID[ids[1]], "Thank you!", "k")
	if err != nil || res.ID == "" {
		t.Fatalf("reply %v", err)
	}
	stored := e.ig.Comments()
	if last := stored[len(stored)-1]; last.ParentID != ids[1] || last.Text != "Thank you!" || !last.Own {
		t.Errorf("stored reply %+v", last)
	}
	if err := e.c.Hide(ctx, byID[ids[2]], true); err != nil {
		t.Fatal(err)
	}
	cs, _ := e.c.Comments(ctx, media)
	for _, c := range cs {
		if c.ID == ids[2] && (!c.Hidden || c.CanReply) {
			t.Errorf("hidden comment %+v", c)
		}
		if c.ID == res.ID && (!c.FromPage || c.CanHide) {
			t.Errorf("own reply %+v", c)
		}
	}
	// Hidden comments cannot be replied to (refused before any call).
	hidden := byID[ids[2]]
	hidden.Hidden = true
	if _, err := e.c.Reply(ctx, hidden, "Hi", "k2"); publish.KindOf(err) != publish.KindRejected {
		t.Errorf("reply to hidden: %v", err)
	}
	if err := e.c.DeleteComment(ctx, byID[ids[3]]); err != nil {
		t.Fatal(err)
	}
	// Reply to a comment its author deleted.
	e.ig.DeleteCommentByAuthor(ids[4])
	_, err = e.c.Reply(ctx, byID[ids[4]], "Hi", "k3")
	if pe, ok := err.(*publish.Error); !ok || pe.Kind != publish.KindNotFound || !strings.Contains(pe.Message, "no longer on Instagram") {
		t.Errorf("reply to deleted: %v", err)
	}
}

func TestInstagramCommentsWithoutPermissionOrRate(t *testing.T) {
	e := setup(t, instagramtest.Config{TokenScopes: []string{"instagram_basic", "instagram_content_publish", "pages_show_list", "pages_read_engagement"}}, 5*time.Second)
	ctx := context.Background()
	media := e.ig.Seed("Hello", now)
	e.ig.AddComment(media, "", "ann", "Hi", now)
	_, err := e.c.Comments(ctx, media)
	if pe, ok := err.(*publish.Error); !ok || pe.Kind != publish.KindPermission || !strings.Contains(pe.Message, "reconnect Instagram") {
		t.Errorf("no usernames: %v", err)
	}
	e2 := setup(t, instagramtest.Config{}, 5*time.Second)
	m2 := e2.ig.Seed("Hello", now)
	e2.ig.Faults.Add(fault.Fault{Path: "/comments", Status: http.StatusTooManyRequests, Times: 1})
	if _, err := e2.c.Comments(ctx, m2); publish.KindOf(err) != publish.KindRateLimited {
		t.Errorf("rate limit: %v", err)
	}
}
