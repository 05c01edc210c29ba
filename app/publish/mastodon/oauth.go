package mastodon

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"practicepost/app/publish"
)

// Scopes PracticePost asks for: post with media, read its own posts back
// for reconciliation and metrics, and read the account for Verify.
const Scopes = "read:accounts read:statuses write:media write:statuses"

// App is an OAuth application registered on one instance. Mastodon issues
// it at run time, so each instance gets its own; store it with the
// connection (ClientSecret in the keychain).
type App struct {
	Instance     string `json:"instance"`
	ClientID     string `json:"client_id"`
	ClientSecret string `json:"client_secret"`
	RedirectURI  string `json:"redirect_uri"`
	Scopes       string `json:"scopes"`
}

// RegisterApp registers PracticePost on the instance with redirectURI,
// normally the loopback address the caller is already listening on
// (http://127.0.0.1:PORT/callback).
func RegisterApp(ctx context.Context, hc *http.Client, instanceURL, clientName, redirectURI, website string) (App, error) {
	if hc == nil {
		hc = &http.Client{Timeout: 30 * time.Second}
	}
	instanceURL = strings.TrimRight(instanceURL, "/")
	body, _ := json.Marshal(map[string]string{
		// A single string, not an array: arrays need Mastodon 4.3+.
		"client_name": clientName, "redirect_uris": redirectURI, "scopes": Scopes, "website": website,
	})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, instanceURL+"/api/v1/apps", bytes.NewReader(body))
	if err != nil {
		return App{}, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, raw, err := publish.Do(hc, req, publish.Mastodon)
	if err != nil {
		return App{}, err
	}
	if resp.StatusCode != http.StatusOK {
		return App{}, classify(resp, raw, time.Now())
	}
	var out struct {
		ClientID     string `json:"client_id"`
		ClientSecret string `json:"client_secret"`
	}
	if err := json.Unmarshal(raw, &out); err != nil || out.ClientID == "" {
		e := publish.NewError(publish.Mastodon, publish.KindTransient, resp.StatusCode, "", "unreadable app registration", raw, time.Now(), time.Time{})
		e.Message = "This server did not answer like a Mastodon server. Check the address (for example https://mastodon.social) and try again."
		return App{}, e
	}
	return App{Instance: instanceURL, ClientID: out.ClientID, ClientSecret: out.ClientSecret, RedirectURI: redirectURI, Scopes: Scopes}, nil
}

func (a App) config() *oauth2.Config {
	return &oauth2.Config{
		ClientID:     a.ClientID,
		ClientSecret: a.ClientSecret,
		RedirectURL:  a.RedirectURI,
		Scopes:       strings.Fields(a.Scopes),
		Endpoint: oauth2.Endpoint{
			AuthURL:   a.Instance + "/oauth/authorize",
			TokenURL:  a.Instance + "/oauth/token",
			AuthStyle: oauth2.AuthStyleInParams,
		},
	}
}

// AuthCodeURL is the page to open in the system browser. verifier comes
// from oauth2.GenerateVerifier and is kept for Exchange; state is checked by
// the loopback handler.
func (a App) AuthCodeURL(state, verifier string) string {
	return a.config().AuthCodeURL(state, oauth2.S256ChallengeOption(verifier))
}

// Exchange trades the code from the redirect for an access token. Mastodon
// tokens do not expire; they last until the user revokes them.
func (a App) Exchange(ctx context.Context, hc *http.Client, code, verifier string) (string, error) {
	if hc != nil {
		ctx = context.WithValue(ctx, oauth2.HTTPClient, hc)
	}
	tok, err := a.config().Exchange(ctx, code, oauth2.VerifierOption(verifier))
	if err == nil {
		return tok.AccessToken, nil
	}
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) {
		return "", publish.NetworkError(publish.Mastodon, err, true)
	}
	kind := publish.KindAuth
	if re.Response != nil && re.Response.StatusCode >= 500 {
		kind = publish.KindTransient
	}
	status := 0
	if re.Response != nil {
		status = re.Response.StatusCode
	}
	e := publish.NewError(publish.Mastodon, kind, status, re.ErrorCode, re.ErrorDescription, re.Body, time.Now(), time.Time{})
	if kind == publish.KindAuth {
		e.Message = "Mastodon did not accept the sign-in (it may have taken too long, or been cancelled). Start connecting Mastodon again."
	}
	e.Err = err
	return "", e
}
