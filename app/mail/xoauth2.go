package mail

import (
	"context"
	"errors"

	"practicepost/app"
)

// XOAUTH2 is the SASL mechanism Google and Microsoft use for IMAP and SMTP
// with an OAuth 2.0 access token. go-sasl offers OAUTHBEARER only, and
// Microsoft 365 takes XOAUTH2, so this is a small client of our own.
const XOAUTH2 = "XOAUTH2"

// xoauth2Client sends "user=<name>^Aauth=Bearer <token>^A^A". A server that
// refuses the token answers with a challenge (a JSON error); the client
// replies with an empty response so the server can finish with its error.
type xoauth2Client struct {
	user, token string
	refused     string // the server's error challenge, if any
	// cancel ends the exchange at the error challenge instead of
	// answering it (IMAP: go-imap cannot send the empty line).
	cancel bool
}

// errTokenRefused is the server's error challenge to an XOAUTH2 token.
var errTokenRefused = errors.New("mail: the server refused the access token")

func (c *xoauth2Client) Start() (string, []byte, error) {
	return XOAUTH2, []byte("user=" + c.user + "\x01auth=Bearer " + c.token + "\x01\x01"), nil
}

func (c *xoauth2Client) Next(challenge []byte) ([]byte, error) {
	if c.refused != "" {
		return nil, errors.New("mail: XOAUTH2 server sent a second challenge")
	}
	c.refused = string(challenge)
	if c.cancel {
		return nil, errTokenRefused
	}
	return []byte{}, nil
}

// OAuthFunc returns an access token for the mailbox. refused is "" for a
// first attempt, or the token a server has just refused (expired or
// revoked): the function must then return a fresh one (refreshing it), or
// an error saying the practice must sign in again. Tokens live in the OS
// keychain; this is called at the moment one is needed.
type OAuthFunc func(ctx context.Context, refused string) (string, error)

// oauthToken asks for a token and turns a failure into one the manager can
// act on.
func (a *Account) oauthToken(ctx context.Context, refused string) (string, error) {
	tok, err := a.OAuth(ctx, refused)
	if err != nil {
		var ae *app.Error
		if errors.As(err, &ae) {
			return "", err
		}
		return "", &app.Error{Code: app.EUNAVAILABLE, Err: err, Message: "PracticePost could not get a sign-in for the mailbox. Check this computer is online; if it keeps happening, sign in to the mailbox again in Settings → Mailbox."}
	}
	if tok == "" {
		return "", app.FieldError("password", "Sign in to the mailbox again in Settings → Mailbox.")
	}
	return tok, nil
}
