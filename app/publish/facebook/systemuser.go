package facebook

import (
	"context"
	"net/http"
	"net/url"
	"time"

	"practicepost/app/publish"
	"practicepost/app/publish/internal/graph"
)

// PageToken returns the Page's own token for a pasted token. A Page token
// is returned as it is. A system user's token, made in Meta Business
// Settings without any developer tools (docs/meta.md §2), is exchanged for
// the Page's token with GET /{page-id}?fields=access_token; both never
// expire. Any other token is returned as it is, for Verify to explain.
func PageToken(ctx context.Context, baseURL, pageID, token string, opt Options) (string, error) {
	c := NewClient(baseURL, pageID, token, opt)
	var dt struct {
		Data graph.TokenInfo `json:"data"`
	}
	if _, err := c.do(ctx, http.MethodGet, "/debug_token", url.Values{"input_token": {token}}, nil, "", &dt); err != nil {
		return "", err
	}
	if !dt.Data.IsValid || dt.Data.Type != "SYSTEM_USER" {
		return token, nil
	}
	var page struct {
		AccessToken string `json:"access_token"`
	}
	raw, err := c.do(ctx, http.MethodGet, "/"+url.PathEscape(pageID), url.Values{"fields": {"id,name,access_token"}}, nil, "", &page)
	if err != nil {
		return "", err
	}
	if page.AccessToken == "" {
		e := publish.NewError(publish.Facebook, publish.KindPermission, http.StatusOK, "no_page_token", "no access_token for the Page", raw, c.clock.Now(), time.Time{})
		return "", e.WithMessage("This token cannot manage the Page. In Meta Business Settings → Users → System users, choose the system user, click Assign assets, " +
			"give it the Page with full control, then generate the token again and paste it here.")
	}
	return page.AccessToken, nil
}
