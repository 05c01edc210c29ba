package publishtest

import (
	"context"
	"testing"

	"practicepost/app/publish"
)

// CommentsByID lists the comments on postID (every page: want is more
// than one page holds in the tests that use it), fails the test unless
// there are exactly want, and returns them by ID.
func CommentsByID(t testing.TB, in publish.Inboxer, postID string, want int) map[string]publish.Comment {
	t.Helper()
	cs, err := in.Comments(context.Background(), postID)
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != want {
		t.Fatalf("%d comments, want %d", len(cs), want)
	}
	byID := map[string]publish.Comment{}
	for _, c := range cs {
		byID[c.ID] = c
	}
	return byID
}
