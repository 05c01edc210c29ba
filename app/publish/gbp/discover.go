package gbp

import (
	"context"
	"net/http"
	"net/url"
	"strings"
)

// DefaultAccountsURL is the Account Management API host.
const DefaultAccountsURL = "https://mybusinessaccountmanagement.googleapis.com"

// Location is one business location the signed-in Google account manages.
type Location struct {
	AccountID   string `json:"accountId"`
	AccountName string `json:"accountName"`
	LocationID  string `json:"locationId"`
	Title       string `json:"title"`
	Address     string `json:"address"`
}

// Discover lists every location of every account the token can manage
// (contracts §4.1), so the practice picks one instead of typing ids.
// accountsURL and infoURL default to Google's hosts; opt.Tokens may supply
// the token.
func Discover(ctx context.Context, accountsURL, infoURL, token string, opt Options) ([]Location, error) {
	if accountsURL == "" {
		accountsURL = DefaultAccountsURL
	}
	opt.InfoURL = infoURL
	c := NewClient(DefaultBaseURL, "", "", token, opt)
	accountsURL = strings.TrimRight(accountsURL, "/")
	var out []Location
	page := ""
	for {
		var accts struct {
			Accounts []struct {
				Name        string `json:"name"`
				AccountName string `json:"accountName"`
			} `json:"accounts"`
			Next string `json:"nextPageToken"`
		}
		u := accountsURL + "/v1/accounts"
		if page != "" {
			u += "?pageToken=" + url.QueryEscape(page)
		}
		if _, err := c.do(ctx, http.MethodGet, u, nil, &accts); err != nil {
			return nil, err
		}
		for _, a := range accts.Accounts {
			locs, err := c.locations(ctx, a.Name)
			if err != nil {
				return nil, err
			}
			for _, l := range locs {
				l.AccountName = a.AccountName
				out = append(out, l)
			}
		}
		if accts.Next == "" {
			return out, nil
		}
		page = accts.Next
	}
}

func (c *Client) locations(ctx context.Context, account string) ([]Location, error) {
	var out []Location
	page := ""
	for {
		var res struct {
			Locations []struct {
				Name    string `json:"name"`
				Title   string `json:"title"`
				Address *struct {
					Lines    []string `json:"addressLines"`
					Locality string   `json:"locality"`
				} `json:"storefrontAddress"`
			} `json:"locations"`
			Next string `json:"nextPageToken"`
		}
		q := url.Values{"readMask": {"name,title,storefrontAddress"}, "pageSize": {"100"}}
		if page != "" {
			q.Set("pageToken", page)
		}
		if _, err := c.do(ctx, http.MethodGet, c.opt.InfoURL+"/v1/"+account+"/locations?"+q.Encode(), nil, &res); err != nil {
			return nil, err
		}
		for _, l := range res.Locations {
			loc := Location{AccountID: strings.TrimPrefix(account, "accounts/"), LocationID: strings.TrimPrefix(l.Name, "locations/"), Title: l.Title}
			if l.Address != nil {
				loc.Address = strings.Join(append(append([]string(nil), l.Address.Lines...), l.Address.Locality), ", ")
			}
			out = append(out, loc)
		}
		if res.Next == "" {
			return out, nil
		}
		page = res.Next
	}
}
