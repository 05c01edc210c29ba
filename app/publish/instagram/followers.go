package instagram

import (
	"context"
	"net/http"
	"net/url"
	"time"

	"practicepost/app/publish"
)

// Followers reads the account's follower count (the IG user node's
// followers_count field), the figure Insights shows as followers and
// growth. Not in platform-contracts.md §2.6, which lists media insights
// only; the field is Meta's IG User reference.
func (c *Client) Followers(ctx context.Context) (int, error) {
	var u struct {
		Followers *int `json:"followers_count"`
	}
	raw, err := c.do(ctx, http.MethodGet, "/"+c.userID, url.Values{"fields": {"followers_count"}}, &u)
	if err != nil {
		return 0, err
	}
	if u.Followers == nil {
		// Graph leaves out fields it will not give; no count is not zero followers.
		return 0, publish.NewError(publish.Instagram, publish.KindRejected, http.StatusOK, "no_followers_count", "", raw, c.now(), time.Time{})
	}
	return *u.Followers, nil
}
