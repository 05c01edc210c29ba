package facebook_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"practicepost/app/publish"
	"practicepost/app/publish/facebook"
	"practicepost/app/publish/facebook/facebooktest"
	"practicepost/app/publish/fault"
	"practicepost/app/publish/internal/publishtest"
)

func postWithComments(t *testing.T, e env, n int) (string, []string) {
	t.Helper()
	res, err := e.cli.CreatePost(context.Background(), publish.Post{Text: "Open day on Saturday"})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for i := 0; i < n; i++ {
		ids = append(ids, e.srv.AddComment(res.ID, "", fmt.Sprintf("Person %d", i), fmt.Sprintf("Comment %d", i), t0.Add(time.Duration(i)*time.Minute)))
	}
	return res.ID, ids
}

func TestCommentsFollowsEveryPageAndThreads(t *testing.T) {
	e := setup(t, facebooktest.Config{}, 0)
	post, ids := postWithComments(t, e, 230)
	e.srv.AddComment(post, ids[0], "Person 0", "Replying to myself", t0.Add(time.Hour*5))
	got, err := e.cli.Comments(context.Background(), post)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 231 {
		t.Fatalf("%d comments, want 231", len(got))
	}
	last := got[len(got)-1]
	if last.ParentID != ids[0] || last.Author != "Person 0" || last.Text != "Replying to myself" || !last.CanHide || !last.CanDelete {
		t.Errorf("reply: %+v", last)
	}
	if !got[0].CreatedAt.Equal(t0) {
		t.Errorf("created %v", got[0].CreatedAt)
	}
	var pages int
	for _, r := range e.rec.All() {
		if !strings.HasSuffix(r.Path, "/comments") {
			continue
		}
		pages++
		q := r.Params()
		if q.Get("filter") != "stream" || q.Get("limit") != "100" || !strings.Contains(q.Get("fields"), "parent{id}") {
			t.Errorf("query %s", r.Query)
		}
		if r.Header.Get("Authorization") != "Bearer page-token" {
			t.Errorf("auth header %q", r.Header.Get("Authorization"))
		}
		// Cursors are followed on our own base URL, never the next link's host.
		if r.Host != strings.TrimPrefix(e.srv.URL, "http://") {
			t.Errorf("followed %s", r.Host)
		}
	}
	if pages != 3 {
		t.Errorf("%d pages fetched, want 3", pages)
	}
}

func TestCommentDeletedDuringListingStartsAgain(t *testing.T) {
	e := setup(t, facebooktest.Config{}, 0)
	post, _ := postWithComments(t, e, 150)
	e.srv.DeleteCommentAfterPage()
	got, err := e.cli.Comments(context.Background(), post)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 149 {
		t.Fatalf("%d comments, want 149 (one deleted mid-listing)", len(got))
	}
	publishtest.Once(t, got)
}

func TestCommentsRefusals(t *testing.T) {
	t.Run("missing permission", func(t *testing.T) {
		e := setup(t, facebooktest.Config{Scopes: []string{"pages_manage_posts", "pages_read_engagement"}}, 0)
		post, _ := postWithComments(t, e, 1)
		_, err := e.cli.Comments(context.Background(), post)
		if pe := publishtest.Err(t, err); pe.Kind != publish.KindPermission {
			t.Errorf("kind %s", pe.Kind)
		}
	})
	t.Run("ids withheld without MODERATE", func(t *testing.T) {
		e := setup(t, facebooktest.Config{}, 0)
		post, _ := postWithComments(t, e, 2)
		e.srv.WithholdCommentIDs()
		_, err := e.cli.Comments(context.Background(), post)
		pe := publishtest.Err(t, err)
		if pe.Kind != publish.KindPermission || !strings.Contains(pe.Message, "Page access") {
			t.Errorf("%s: %s", pe.Kind, pe.Message)
		}
	})
	t.Run("rate limited", func(t *testing.T) {
		e := setup(t, facebooktest.Config{}, 0)
		post, _ := postWithComments(t, e, 2)
		e.srv.Faults.Add(fault.Fault{Path: "/comments", Status: http.StatusTooManyRequests, Code: 32, Reset: 20 * time.Minute, Times: 1})
		_, err := e.cli.Comments(context.Background(), post)
		pe := publishtest.Err(t, err)
		if pe.Kind != publish.KindRateLimited || !pe.ResetAt.Equal(t0.Add(20*time.Minute)) {
			t.Errorf("%s reset %v", pe.Kind, pe.ResetAt)
		}
	})
	t.Run("expired token", func(t *testing.T) {
		e := setup(t, facebooktest.Config{}, 0)
		post, _ := postWithComments(t, e, 1)
		e.srv.ExpireToken()
		_, err := e.cli.Comments(context.Background(), post)
		if pe := publishtest.Err(t, err); pe.Kind != publish.KindAuth {
			t.Errorf("kind %s", pe.Kind)
		}
	})
}

func TestReplyHideDelete(t *testing.T) {
	e := setup(t, facebooktest.Config{}, 0)
	post, ids := postWithComments(t, e, 2)
	ctx := context.Background()
	cs, err := e.cli.Comments(ctx, post)
	if err != nil {
		t.Fatal(err)
	}
	res, err := e.cli.Reply(ctx, cs[0], "Thank you! Call us on 0117 496 0123.", "k1")
	if err != nil || res.ID == "" {
		t.Fatalf("reply: %v %+v", err, res)
	}
	var sent *publishtest.Sent
	for _, r := range e.rec.All() {
		if r.Method == http.MethodPost && r.Path == "/"+ids[0]+"/comments" {
			sent = &r
		}
	}
	if sent == nil || sent.Header.Get("Content-Type") != "application/x-www-form-urlencoded" {
		t.Fatalf("reply request %+v", sent)
	}
	stored := e.srv.Comments()
	if r := stored[len(stored)-1]; r.ParentID != ids[0] || r.FromID != "100200300" || r.Message != "Thank you! Call us on 0117 496 0123." {
		t.Errorf("stored reply %+v", r)
	}
	after, _ := e.cli.Comments(ctx, post)
	if !after[2].FromPage || after[2].CanHide {
		t.Errorf("the Page's own reply: %+v", after[2])
	}
	// The Page's own reply cannot be hidden: refused before any call.
	if err := e.cli.Hide(ctx, after[2], true); publishtest.Err(t, err).Kind != publish.KindRejected {
		t.Error("hid the Page's own reply")
	}
	if err := e.cli.Hide(ctx, cs[1], true); err != nil {
		t.Fatal(err)
	}
	if !e.srv.Comments()[1].Hidden {
		t.Error("not hidden")
	}
	if err := e.cli.DeleteComment(ctx, cs[1]); err != nil {
		t.Fatal(err)
	}
	if !e.srv.Comments()[1].Deleted {
		t.Error("not deleted")
	}
	// Deleting again is not an error; replying to it is, with a clear message.
	if err := e.cli.DeleteComment(ctx, cs[1]); err != nil {
		t.Errorf("second delete: %v", err)
	}
	_, err = e.cli.Reply(ctx, cs[1], "Hello", "k2")
	pe := publishtest.Err(t, err)
	if pe.Kind != publish.KindNotFound || !strings.Contains(pe.Message, "deleted") {
		t.Errorf("reply to deleted: %s %s", pe.Kind, pe.Message)
	}
}

var _ publish.Inboxer = (*facebook.Client)(nil)
