// Package release is what a release build of PracticePost knows about
// itself: its version and commit, and PracticePost's registrations with the
// sign-in providers and the update feed. Every value is set at build time
// with -ldflags -X (cmd/releaseflags prints the flags from the release
// configuration); a development build has none of the registrations.
package release

// Build identity, set by cmd/releaseflags from the git tag and commit.
var (
	// Version is the semantic version: 1.2.0 on the tag v1.2.0,
	// 1.2.0+3.abc1234 three commits after it, 0.0.0-dev+abc1234 without a tag.
	Version = "0.0.0-dev"
	// Commit is the short commit the build was made from.
	Commit = ""
	// BuildDate is when the build was made, RFC 3339 in UTC.
	BuildDate = ""
)

// PracticePost's registrations with the providers. They identify the app,
// not the practice: desktop clients are public and sign in with PKCE, so
// none of them is a secret (Google documents its "desktop app" secret as
// not confidential).
var (
	XClientID          string
	GoogleClientID     string
	GoogleClientSecret string
	// LinkedInClientID is set only once LinkedIn has enabled native PKCE
	// for the app (contracts §0.3); without it LinkedIn takes a pasted token.
	LinkedInClientID      string
	MicrosoftMailClientID string
	// MetaAppID is PracticePost's Meta app, for Facebook Login for
	// Business once it is built (docs/meta.md).
	MetaAppID string
	// UpdateFeedURL is where the signed release feed lives; empty: no
	// update check (Settings says so).
	UpdateFeedURL string
	// UpdatePublicKey is the base64 ed25519 key the feed is signed with.
	UpdatePublicKey string
)

// Setting is one value of the release configuration: the environment
// variable (or release.env line) it comes from, the Go variable -ldflags
// sets, and what the app can do only with it.
type Setting struct {
	Env string // PRACTICEPOST_X_CLIENT_ID
	Var string // practicepost/app/release.XClientID
	// Required is false for the values that go with another (Google's
	// secret) or that only some releases have.
	Required bool
	// Enables names what a build without it lacks, in the manager's words.
	Enables []SignIn
	value   *string
}

// Value is what this build holds for the setting.
func (s Setting) Value() string { return *s.value }

// SignIn is one sign-in a setting enables, and where the manager meets it.
type SignIn struct {
	// Key is the platform or mail provider it belongs to: the Channels
	// screen's x, google, linkedin; the Mailbox's google, microsoft.
	Key    string `json:"key"`
	Name   string `json:"name"`   // "X", "Gmail or Google Workspace"
	Screen string `json:"screen"` // "Channels", "Mailbox"
	// Otherwise says what the manager can do in a build without it.
	Otherwise string `json:"otherwise"`
}

const pkg = "practicepost/app/release."

// Settings is the one list of the release configuration.
func Settings() []Setting {
	return []Setting{
		{Env: "PRACTICEPOST_X_CLIENT_ID", Var: pkg + "XClientID", Required: true, value: &XClientID,
			Enables: []SignIn{{Key: "x", Name: "X", Screen: "Channels", Otherwise: "X can be connected only in a copy of PracticePost that has X sign-in."}}},
		{Env: "PRACTICEPOST_GOOGLE_CLIENT_ID", Var: pkg + "GoogleClientID", Required: true, value: &GoogleClientID,
			Enables: []SignIn{
				{Key: "google", Name: "Google Business Profile", Screen: "Channels", Otherwise: "Google Business Profile can be connected only in a copy of PracticePost that has Google sign-in."},
				{Key: "google", Name: "Gmail or Google Workspace", Screen: "Mailbox", Otherwise: "Connect the mailbox with an app password instead (Google account → Security → App passwords), or use another mailbox."},
			}},
		{Env: "PRACTICEPOST_GOOGLE_CLIENT_SECRET", Var: pkg + "GoogleClientSecret", value: &GoogleClientSecret},
		{Env: "PRACTICEPOST_LINKEDIN_CLIENT_ID", Var: pkg + "LinkedInClientID", Required: true, value: &LinkedInClientID,
			Enables: []SignIn{{Key: "linkedin", Name: "LinkedIn (browser sign-in)", Screen: "Channels", Otherwise: "Connect LinkedIn with a pasted access token instead: the LinkedIn form shows how."}}},
		{Env: "PRACTICEPOST_MICROSOFT_CLIENT_ID", Var: pkg + "MicrosoftMailClientID", Required: true, value: &MicrosoftMailClientID,
			Enables: []SignIn{{Key: "microsoft", Name: "Microsoft 365 or Outlook.com", Screen: "Mailbox", Otherwise: "Microsoft mailboxes accept only Microsoft's sign-in: use another mailbox that takes a password, or the released app."}}},
		// No sign-in uses it yet: Facebook Login for Business is researched
		// in docs/meta.md, and until it is built Facebook and Instagram take
		// a long-lived token in every build.
		{Env: "PRACTICEPOST_META_APP_ID", Var: pkg + "MetaAppID", value: &MetaAppID},
		{Env: "PRACTICEPOST_UPDATE_FEED_URL", Var: pkg + "UpdateFeedURL", value: &UpdateFeedURL},
		{Env: "PRACTICEPOST_UPDATE_PUBLIC_KEY", Var: pkg + "UpdatePublicKey", value: &UpdatePublicKey},
	}
}

// Missing lists the sign-ins this build lacks on one screen ("" for all),
// each with what the manager can do instead.
func Missing(screen string) []SignIn {
	out := []SignIn{}
	for _, s := range Settings() {
		if s.Value() != "" {
			continue
		}
		for _, e := range s.Enables {
			if screen == "" || e.Screen == screen {
				out = append(out, e)
			}
		}
	}
	return out
}
