// Package mail sends consent and testimonial requests by email and reads the
// patients' replies back from the practice's mailbox (SMTP out, IMAP in).
//
// It owns no database: the caller implements Store over its own storage.
package mail

import (
	"context"
	"crypto/tls"
	"net"
	"net/mail"
	"strconv"
	"strings"
	"time"

	"practicepost/app"
)

// Security is how a connection to a mail server is protected.
type Security string

const (
	// SecurityTLS is implicit TLS from the first byte (IMAP 993, SMTP 465).
	SecurityTLS Security = "tls"
	// SecuritySTARTTLS upgrades a plain connection before login (IMAP 143, SMTP 587).
	SecuritySTARTTLS Security = "starttls"
	// SecurityNone sends the password in the clear; allowed only to this
	// computer (a local bridge such as Proton Mail Bridge or a test server).
	SecurityNone Security = "none"
)

// Server is one mail server endpoint.
type Server struct {
	Host     string   `json:"host"`
	Port     int      `json:"port"`
	Security Security `json:"security"`
}

func (s Server) addr() string { return net.JoinHostPort(s.Host, strconv.Itoa(s.Port)) }

// Settings describe the practice mailbox. The password is not here: it lives
// in the OS keychain and is handed over through a PasswordFunc.
type Settings struct {
	IMAP        Server `json:"imap"`
	SMTP        Server `json:"smtp"`
	Username    string `json:"username"`
	FromAddress string `json:"fromAddress"` // the practice's address patients reply to
	FromName    string `json:"fromName"`    // e.g. "Riverside Dental"
	// Mailbox is watched for replies; "" means INBOX.
	Mailbox string `json:"mailbox"`
	// MoveProcessed moves recorded replies out of the watched mailbox into
	// ProcessedMailbox ("" means PracticePost/Processed), created when missing.
	// Servers offering neither MOVE nor UIDPLUS keep them where they are
	// (see canMoveSafely); SyncState.Note then says so.
	MoveProcessed    bool   `json:"moveProcessed"`
	ProcessedMailbox string `json:"processedMailbox"`
	// AuthServID names the practice's mail provider in the
	// Authentication-Results headers it writes (comma-separated when it uses
	// several); "" derives it from the IMAP host (see ProviderIDs).
	AuthServID string `json:"authServId,omitempty"`
	// ConnectedAt is when the mailbox was first set up: the first sync reads
	// nothing older, unless the practice asks to look further back.
	ConnectedAt time.Time `json:"connectedAt,omitzero"`
	// SignIn is how PracticePost signs in: "" with the password, or
	// SignInMicrosoft / SignInGoogle with an OAuth 2.0 token (XOAUTH2).
	SignIn string `json:"signIn,omitempty"`
}

// Account names the mailbox account s signs in to: its IMAP server and
// user name. The sync bookmark is only good in the account it was made in.
func (s Settings) Account() string {
	return strings.ToLower(s.IMAP.Host) + ":" + strconv.Itoa(s.IMAP.Port) + "/" + strings.ToLower(s.Username)
}

// OAuth sign-in providers for Settings.SignIn.
const (
	SignInMicrosoft = "microsoft"
	SignInGoogle    = "google"
)

// DefaultProcessedMailbox is where recorded replies go when MoveProcessed is on.
const DefaultProcessedMailbox = "PracticePost/Processed"

func (s Settings) mailbox() string {
	if s.Mailbox == "" {
		return "INBOX"
	}
	return s.Mailbox
}

func (s Settings) processedMailbox() string {
	if s.ProcessedMailbox == "" {
		return DefaultProcessedMailbox
	}
	return s.ProcessedMailbox
}

// PasswordFunc returns the mailbox password, read from the secret store at
// the moment it is needed so that it is never kept in a long-lived struct.
type PasswordFunc func(ctx context.Context) (string, error)

// Account is a configured mailbox plus what is needed to connect to it.
type Account struct {
	Settings Settings
	Password PasswordFunc
	// OAuth, when set, signs in with an OAuth 2.0 access token (XOAUTH2)
	// instead of the password: Microsoft 365, Outlook.com, Google.
	OAuth OAuthFunc
	// TLSConfig is cloned for each connection; nil uses the system roots.
	// Tests set RootCAs here.
	TLSConfig *tls.Config
	// DialTimeout bounds connecting and the TLS handshake; 0 means 20 s.
	DialTimeout time.Duration
	// ReadTimeout bounds how long an IMAP server may stay silent while a
	// command waits for its answer; 0 means 90 s.
	ReadTimeout time.Duration
	// Resolver looks up host names; nil uses the system resolver.
	Resolver *net.Resolver
}

// Validate checks the settings before any connection is tried.
func (s Settings) Validate() error {
	if err := s.IMAP.validate("imap"); err != nil {
		return err
	}
	if err := s.SMTP.validate("smtp"); err != nil {
		return err
	}
	if strings.TrimSpace(s.Username) == "" {
		return app.FieldError("username", "Enter the user name for the mailbox. It is usually the full email address.")
	}
	if s.FromAddress == "" {
		return app.FieldError("fromAddress", "Enter the practice email address that patients will reply to.")
	}
	if a, err := mail.ParseAddress(s.FromAddress); err != nil || a.Address != s.FromAddress {
		return app.FieldError("fromAddress", "%q is not an email address. Enter it as name@example.com.", s.FromAddress)
	}
	if strings.ContainsAny(s.FromName, "\r\n") {
		return app.FieldError("fromName", "The sender name must be on one line.")
	}
	switch s.SignIn {
	case "", SignInMicrosoft, SignInGoogle:
	default:
		return app.FieldError("signIn", "Choose how PracticePost signs in: with the password, with Microsoft or with Google.")
	}
	return nil
}

func (s Server) validate(prefix string) error {
	label := strings.ToUpper(prefix)
	host := strings.TrimSpace(s.Host)
	if host == "" {
		return app.FieldError(prefix+".host", "Enter the %s server name, for example %s.", label, exampleHost(prefix))
	}
	if host != s.Host || strings.ContainsAny(host, " /:@") && net.ParseIP(host) == nil {
		return app.FieldError(prefix+".host", "The %s server name %q is not valid. Enter only the name, for example %s, without spaces, \"https://\" or a port.", label, s.Host, exampleHost(prefix))
	}
	if s.Port < 1 || s.Port > 65535 {
		return app.FieldError(prefix+".port", "The %s port must be a number between 1 and 65535 (usually %s).", label, usualPorts(prefix))
	}
	switch s.Security {
	case SecurityTLS, SecuritySTARTTLS:
	case SecurityNone:
		if !isLoopback(host) {
			return app.FieldError(prefix+".security", "An unencrypted connection would send the mailbox password over the network in the clear, so PracticePost only allows it to this computer (localhost). Choose TLS or STARTTLS for %s.", host)
		}
	default:
		return app.FieldError(prefix+".security", "Choose how the %s connection is secured: TLS or STARTTLS.", label)
	}
	return nil
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}

func exampleHost(prefix string) string {
	if prefix == "imap" {
		return "imap.example.com"
	}
	return "smtp.example.com"
}

func usualPorts(prefix string) string {
	if prefix == "imap" {
		return "993 with TLS or 143 with STARTTLS"
	}
	return "465 with TLS or 587 with STARTTLS"
}
