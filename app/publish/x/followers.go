package x

import (
	"context"
	"net/http"
	"time"

	"practicepost/app/publish"
)

// Followers reads the account's follower count (public_metrics of the
// signed-in user, GET /2/users/me), the figure Insights shows as followers
// and growth. Not in platform-contracts.md §7.5, which lists post metrics
// only; user.fields=public_metrics is X's user lookup reference. An owned
// read, so one per collection run costs about $0.001.
func (c *Client) Followers(ctx context.Context) (int, error) {
	var out struct {
		Data struct {
			PublicMetrics *struct {
				Followers *int `json:"followers_count"`
			} `json:"public_metrics"`
		} `json:"data"`
	}
	_, raw, err := c.do(ctx, http.MethodGet, "/2/users/me?user.fields=public_metrics", nil, "", &out)
	if err != nil {
		return 0, err
	}
	if out.Data.PublicMetrics == nil || out.Data.PublicMetrics.Followers == nil {
		// No count is not zero followers.
		return 0, publish.NewError(publish.X, publish.KindRejected, http.StatusOK, "no_followers_count", "", raw, c.now(), time.Time{})
	}
	return *out.Data.PublicMetrics.Followers, nil
}
