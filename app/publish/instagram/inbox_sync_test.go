package instagram_test

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"practicepost/app"
	"practicepost/app/publish/instagram"
	"practicepost/app/publish/instagram/instagramtest"
	"practicepost/app/publish/internal/publishtest"
)

// pages records the comment listings a client asks for.
type pages struct {
	mu    sync.Mutex
	after []string // the after cursor of each /comments request, "" for the first page
	limit []string
}

func (p *pages) RoundTrip(r *http.Request) (*http.Response, error) {
	p.mu.Lock()
	p.after = append(p.after, r.URL.Query().Get("after"))
	p.limit = append(p.limit, r.URL.Query().Get("limit"))
	p.mu.Unlock()
	return http.DefaultTransport.RoundTrip(r)
}

func listingClient(t *testing.T) (*instagram.Client, *instagramtest.Server, *pages) {
	t.Helper()
	clock := &app.FixedClock{T: now}
	ig := instagramtest.New(instagramtest.Config{Now: clock.Now})
	t.Cleanup(ig.Close)
	rec := &pages{}
	c := instagram.NewClient(ig.URL, "17841400000000001", "ig-token", instagram.Options{HTTP: &http.Client{Timeout: 5 * time.Second, Transport: rec}, Clock: clock})
	return c, ig, rec
}

// 120 comments come in pages of 50 (the limit the client asks for), each
// next page from the previous page's after cursor; replies ride along with
// their comment.
func TestInstagramCommentsFollowEveryPage(t *testing.T) {
	c, ig, rec := listingClient(t)
	media := ig.Seed("Open day on Saturday", now)
	var ids []string
	for i := 0; i < 120; i++ {
		ids = append(ids, ig.AddComment(media, "", fmt.Sprintf("person%d", i), "Comment", now.Add(time.Duration(i)*time.Minute)))
	}
	reply := ig.AddComment(media, ids[99], "person99", "And another thing", now.Add(3*time.Hour))
	got, err := c.Comments(context.Background(), media)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 121 {
		t.Fatalf("%d comments, want 120 and one reply", len(got))
	}
	if cm, ok := publishtest.Once(t, got)[reply]; ok && cm.ParentID != ids[99] {
		t.Errorf("reply parent %q, want %q", cm.ParentID, ids[99])
	}
	if want := []string{"", ids[49], ids[99]}; fmt.Sprint(rec.after) != fmt.Sprint(want) {
		t.Errorf("cursors %v, want %v", rec.after, want)
	}
	for _, l := range rec.limit {
		if l != "50" {
			t.Errorf("limit %q", l)
		}
	}
}

// The comment a page's cursor names is deleted before the next page is
// asked for: Graph refuses the dead cursor, the listing starts again once,
// and every live comment is listed exactly once.
func TestInstagramCommentDeletedDuringListing(t *testing.T) {
	c, ig, rec := listingClient(t)
	media := ig.Seed("Open day on Saturday", now)
	var ids []string
	for i := 0; i < 75; i++ {
		ids = append(ids, ig.AddComment(media, "", fmt.Sprintf("person%d", i), "Comment", now))
	}
	ig.DeleteCommentAfterPage()
	got, err := c.Comments(context.Background(), media)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 74 {
		t.Fatalf("%d comments, want 74 (one deleted mid-listing)", len(got))
	}
	if _, ok := publishtest.Once(t, got)[ids[49]]; ok {
		t.Fatalf("%s listed after its deletion", ids[49])
	}
	// First page, the refused cursor, then the listing again from the start.
	if want := []string{"", ids[49], "", ids[50]}; fmt.Sprint(rec.after) != fmt.Sprint(want) {
		t.Errorf("cursors %v, want %v", rec.after, want)
	}
}
