package publishtest

import (
	"context"
	"testing"

	"practicepost/app/publish"
)

// CommentsByID lists the comments on postID (every page: want is more
// than one page holds in the tests that use it), fails the test unless
// there are exactly want or one is listed twice, and returns them by ID.
func CommentsByID(t testing.TB, in publish.Inboxer, postID string, want int) map[string]publish.Comment {
	t.Helper()
	cs, err := in.Comments(context.Background(), postID)
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != want {
		t.Fatalf("%d comments, want %d", len(cs), want)
	}
	return Once(t, cs)
}

// Once returns the comments by ID, failing the test when one is listed
// twice (a listing whose pages shifted under it must not repeat itself).
func Once(t testing.TB, cs []publish.Comment) map[string]publish.Comment {
	t.Helper()
	byID := map[string]publish.Comment{}
	for _, c := range cs {
		if _, dup := byID[c.ID]; dup {
			t.Fatalf("%s listed twice", c.ID)
		}
		byID[c.ID] = c
	}
	return byID
}
