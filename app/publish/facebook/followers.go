package facebook

import (
	"context"
	"net/http"
	"net/url"
	"time"

	"practicepost/app/publish"
)

// Followers reads the Page's follower count (the Page node's
// followers_count field, read with the Page token), the figure Insights
// shows as followers and growth, and the rate basis for Pages too small
// for Facebook to report reach. Not in platform-contracts.md §1.6, which
// lists per-post metrics only; the field is Meta's Page reference.
func (c *Client) Followers(ctx context.Context) (int, error) {
	var page struct {
		Followers *int `json:"followers_count"`
	}
	raw, err := c.do(ctx, http.MethodGet, "/"+c.pageID, url.Values{"fields": {"followers_count"}}, nil, "", &page)
	if err != nil {
		return 0, err
	}
	if page.Followers == nil {
		// Graph leaves out fields the token may not read; no count is not zero followers.
		return 0, publish.NewError(publish.Facebook, publish.KindRejected, http.StatusOK, "no_followers_count", "", raw, c.clock.Now(), time.Time{})
	}
	return *page.Followers, nil
}
