package instagram

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"practicepost/app/publish"
	"practicepost/app/publish/internal/graph"
)

// RequiredScopes are the permissions a token needs to publish for an
// Instagram account linked to a Facebook Page (Facebook Login variant).
var RequiredScopes = []string{"instagram_basic", "instagram_content_publish"}

// Linked is the Instagram professional account behind a Facebook Page.
type Linked struct {
	PageID    string
	PageName  string
	UserID    string // the instagram_business_account id publishing uses
	Username  string
	ExpiresAt time.Time // zero: the token has no expiry date
	Scopes    []string
}

// FindAccount checks a pasted token with debug_token (valid, unexpired,
// with the publishing permissions) and reads the Instagram account linked
// to the Page. Meta's long-lived tokens need the app secret, which a
// desktop app cannot hold, so the practice pastes a Page token it made
// itself (contracts §0.2).
func FindAccount(ctx context.Context, baseURL, pageID, token string, opt Options) (Linked, error) {
	c := NewClient(baseURL, "", token, opt)
	now := c.now()
	var dt struct {
		Data graph.TokenInfo `json:"data"`
	}
	raw, err := c.do(ctx, http.MethodGet, "/debug_token", url.Values{"input_token": {token}}, &dt)
	if err != nil {
		return Linked{}, err
	}
	fail := func(kind publish.Kind, msg string) error {
		return publish.NewError(publish.Instagram, kind, http.StatusOK, "debug_token", "", raw, now, time.Time{}).WithMessage(msg)
	}
	d := dt.Data
	if !d.IsValid {
		return Linked{}, fail(publish.KindAuth, "Facebook says this access token is not valid. Create the Page token again and paste all of it.")
	}
	if d.ProfileID != "" && d.ProfileID != pageID {
		return Linked{}, fail(publish.KindAuth, "This token belongs to a different Facebook Page. Paste the token of the Page the Instagram account is linked to.")
	}
	var missing []string
	for _, want := range RequiredScopes {
		if !slices.Contains(d.Scopes, want) {
			missing = append(missing, want)
		}
	}
	if len(missing) > 0 {
		return Linked{}, fail(publish.KindPermission, "The token is missing permissions Instagram publishing needs ("+strings.Join(missing, ", ")+"). Create it again with them ticked.")
	}
	l := Linked{PageID: pageID, Scopes: d.Scopes}
	if d.ExpiresAt > 0 {
		l.ExpiresAt = time.Unix(d.ExpiresAt, 0).UTC()
		if !l.ExpiresAt.After(now) {
			return Linked{}, fail(publish.KindAuth, "This token has already expired. Create a new Page token and paste it.")
		}
	}
	var page struct {
		Name    string `json:"name"`
		Account *struct {
			ID       string `json:"id"`
			Username string `json:"username"`
		} `json:"instagram_business_account"`
	}
	if _, err := c.do(ctx, http.MethodGet, "/"+url.PathEscape(pageID), url.Values{"fields": {"name,instagram_business_account{id,username}"}}, &page); err != nil {
		return Linked{}, err
	}
	if page.Account == nil || page.Account.ID == "" {
		return Linked{}, fail(publish.KindPermission, "This Facebook Page has no Instagram professional account linked to it. In the Instagram app switch the account to a professional (business or creator) account and link it to this Page, then try again.")
	}
	l.PageName, l.UserID, l.Username = page.Name, page.Account.ID, page.Account.Username
	return l, nil
}
