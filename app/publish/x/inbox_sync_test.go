package x_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"practicepost/app/publish/internal/publishtest"
	"practicepost/app/publish/x/xtest"
)

// A reply deleted while the conversation is being listed: the later pages
// shift under the listing, which still ends without an error and lists
// nothing twice; at most the one reply that moved across the page boundary
// waits for the next sync, which lists every live reply.
func TestXReplyDeletedDuringListing(t *testing.T) {
	c, srv, _ := setup(t, xtest.Config{}, 5*time.Second)
	ctx := context.Background()
	post := publishtest.Post(t, c, "Open day on Saturday")
	var ids []string
	for i := 0; i < 150; i++ {
		ids = append(ids, srv.AddReply(post.ID, fmt.Sprint(800+i), fmt.Sprintf("user%d", i), "+1", false))
	}
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
