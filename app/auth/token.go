package auth

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"practicepost/app"
)

// Token is what PracticePost keeps for one connected account. It is saved
// as JSON through a SecretStore and never logged: String and LogValue
// redact the secrets.
type Token struct {
	AccessToken  string    `json:"access_token"`
	RefreshToken string    `json:"refresh_token,omitempty"`
	TokenType    string    `json:"token_type,omitempty"`
	Expiry       time.Time `json:"expiry,omitzero"` // zero: no expiry (Mastodon, FB page tokens)
	Scopes       []string  `json:"scopes,omitempty"`
	AccountID    string    `json:"account_id"`
	// NeedsReconnect is set once the provider has refused the refresh token
	// (or the API said the token was revoked), so after a restart the app
	// shows "needs reconnecting" without hammering the provider again.
	NeedsReconnect bool `json:"needs_reconnect,omitempty"`
}

// TokenFromOAuth2 converts a token from the provider. Scopes come from the
// response's "scope" field when the provider sends one (it may grant fewer
// than asked), else from requested.
func TokenFromOAuth2(t *oauth2.Token, accountID string, requested []string) Token {
	tok := Token{AccessToken: t.AccessToken, RefreshToken: t.RefreshToken, TokenType: t.TokenType, Expiry: t.Expiry, AccountID: accountID}
	if s, ok := t.Extra("scope").(string); ok && strings.TrimSpace(s) != "" {
		tok.Scopes = strings.Fields(strings.ReplaceAll(s, ",", " "))
	} else if len(requested) > 0 {
		tok.Scopes = append([]string(nil), requested...)
	}
	return tok
}

// OAuth2 returns the token in golang.org/x/oauth2's shape.
func (t Token) OAuth2() *oauth2.Token {
	return &oauth2.Token{AccessToken: t.AccessToken, RefreshToken: t.RefreshToken, TokenType: t.TokenType, Expiry: t.Expiry}
}

// HasScope reports whether the provider granted scope.
func (t Token) HasScope(scope string) bool {
	for _, s := range t.Scopes {
		if s == scope {
			return true
		}
	}
	return false
}

// String keeps tokens out of fmt output and error messages.
func (t Token) String() string {
	return fmt.Sprintf("auth.Token{account=%q expiry=%s refresh=%t access=[redacted]}", t.AccountID, t.Expiry.Format(time.RFC3339), t.RefreshToken != "")
}

// GoString covers %#v, which would otherwise print every field.
func (t Token) GoString() string { return t.String() }

// LogValue keeps tokens out of slog output.
func (t Token) LogValue() slog.Value {
	return slog.GroupValue(slog.String("account", t.AccountID), slog.Time("expiry", t.Expiry), slog.Bool("has_refresh", t.RefreshToken != ""), slog.Bool("needs_reconnect", t.NeedsReconnect))
}

// SaveToken stores t as JSON under key.
func SaveToken(s SecretStore, key string, t Token) error {
	b, err := json.Marshal(t)
	if err != nil {
		return app.Internal(err, "PracticePost couldn't save this sign-in.")
	}
	return s.Set(key, string(b))
}

// LoadToken reads the token saved under key. A missing token is
// app.ENOTFOUND; a damaged one wraps ErrUnreadable.
func LoadToken(s SecretStore, key string) (Token, error) {
	raw, err := s.Get(key)
	if err != nil {
		return Token{}, err
	}
	var t Token
	if err := json.Unmarshal([]byte(raw), &t); err != nil || t.AccessToken == "" {
		if err == nil {
			err = fmt.Errorf("no access token")
		}
		// The json error can quote the input; keep only its type.
		return Token{}, unreadable(key, fmt.Errorf("auth: token JSON invalid (%T)", err))
	}
	return t, nil
}

// State is a connection's condition as the Channels screen shows it.
type State string

const (
	StateConnected      State = "connected"
	StateExpiringSoon   State = "expiring_soon"   // no refresh token and ≤ ExpiringSoonDays left
	StateUnavailable    State = "unavailable"     // refresh failed transiently; will retry
	StateNeedsReconnect State = "needs_reconnect" // the user must sign in again
)

// ExpiringSoonDays is when a non-renewable sign-in starts nagging.
const ExpiringSoonDays = 7

// Status is a connection's state plus a sentence for the practice manager.
// ExpiresAt is set only when the sign-in itself (not just the short-lived
// access token, which is renewed silently) will run out.
type Status struct {
	State     State     `json:"state"`
	ExpiresAt time.Time `json:"expiresAt,omitzero"`
	DaysLeft  int       `json:"daysLeft"` // whole days until ExpiresAt; 0 when none or < 1 day
	Message   string    `json:"message"`
}

// StatusOf derives a connection's status from its saved token. provider is
// the display name ("LinkedIn").
func StatusOf(provider string, t Token, now time.Time) Status {
	switch {
	case t.NeedsReconnect || t.AccessToken == "":
		return needsReconnect(provider)
	case t.RefreshToken != "" || t.Expiry.IsZero():
		return Status{State: StateConnected, Message: fmt.Sprintf("Connected to %s.", provider)}
	case !now.Before(t.Expiry):
		return needsReconnect(provider)
	}
	left := t.Expiry.Sub(now)
	days := int(left / (24 * time.Hour))
	st := Status{State: StateConnected, ExpiresAt: t.Expiry, DaysLeft: days}
	if days <= ExpiringSoonDays {
		st.State = StateExpiringSoon
	}
	switch days {
	case 0:
		st.Message = fmt.Sprintf("Your %s sign-in runs out today. Reconnect %s on the Channels screen (in the sidebar) to keep posting.", provider, provider)
	case 1:
		st.Message = fmt.Sprintf("Connected to %s. The sign-in runs out tomorrow; reconnect before then to keep posting.", provider)
	default:
		st.Message = fmt.Sprintf("Connected to %s. The sign-in runs out in %d days; %s doesn't renew it automatically, so reconnect before then.", provider, days, provider)
	}
	return st
}

func needsReconnect(provider string) Status {
	return Status{State: StateNeedsReconnect, Message: fmt.Sprintf("%s needs reconnecting: the sign-in has expired or was withdrawn. Click Reconnect on the Channels screen (in the sidebar); scheduled posts for %s wait until then.", provider, provider)}
}
