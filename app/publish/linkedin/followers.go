package linkedin

import (
	"context"
	"net/http"
	"time"

	"practicepost/app/publish"
)

// Followers reads how many members follow the organisation page
// (networkSizes with edgeType COMPANY_FOLLOWED_BY_MEMBER, answered as
// firstDegreeSize), the figure Insights shows as followers and growth.
// Not in platform-contracts.md §3.5, which lists share statistics only;
// the call is Microsoft's Community Management "organization follower
// count". The edge type's spelling has changed before (it was
// CompanyFollowedByMember), so a missing count is reported, not taken as 0.
func (c *Client) Followers(ctx context.Context) (int, error) {
	var out struct {
		Size *int `json:"firstDegreeSize"`
	}
	_, raw, err := c.do(ctx, http.MethodGet, "/rest/networkSizes/"+encodeURN(c.orgURN)+"?edgeType=COMPANY_FOLLOWED_BY_MEMBER", nil, nil, &out)
	if err != nil {
		return 0, err
	}
	if out.Size == nil {
		return 0, publish.NewError(publish.LinkedIn, publish.KindRejected, http.StatusOK, "no_followers_count", "", raw, c.now(), time.Time{})
	}
	return *out.Size, nil
}
