package service

import (
	"time"

	"practicepost/app/auth"
)

// Deps are what the bound services need from the running app shell.
type Deps struct {
	Secrets auth.SecretStore
	// Save is the native save-file picker (consent PDFs).
	Save SaveDialog
	// OpenBrowser opens a sign-in page in the system browser.
	OpenBrowser func(url string) error
	// QuitApp ends the process (the Wails runtime's Quit).
	QuitApp func()
	// Started is the process start, for the cold-start figure.
	Started time.Time
	// OnReady runs after the frontend's first render.
	OnReady func(time.Duration)
}

// Services are every service the frontend calls. main binds exactly
// Bind(), and the lock test walks the same list, so a service added here
// is checked against the lock without anyone remembering to.
type Services struct {
	Brand        *BrandService
	Backup       *BackupService
	Activity     *ActivityService
	Studio       *StudioService
	System       *SystemService
	Lock         *LockService
	Patients     *PatientService
	Consents     *ConsentService
	Mail         *MailService
	Testimonials *TestimonialService
	Drafts       *DraftService
	Channels     *ChannelService
	Publishing   *PublishService
	Hosting      *HostingService
	Calendar     *CalendarService
	Recovery     *RecoveryService
	Inbox        *InboxService
	Insights     *InsightsService
}

// NewServices builds and wires the services. It does no I/O: `wails
// generate` runs main() to read the bindings, before any OnStartup.
func NewServices(c *Core, d Deps) *Services {
	lock := NewLockService(c)
	consents := NewConsentService(c, lock, d.Save)
	drafts := NewDraftService(c, lock)
	channels := NewChannelService(c, lock, d.Secrets)
	if d.OpenBrowser != nil {
		channels.OpenBrowser = d.OpenBrowser
	}
	publishing := NewPublishService(c, lock, channels, drafts)
	publishing.QuitApp = d.QuitApp
	consents.AfterRevoke = publishing.consentRevoked
	// The activity log is sealed with a key kept in the keychain.
	c.Secrets = d.Secrets
	mail := NewMailService(c, lock, consents, d.Secrets)
	mail.OpenBrowser = d.OpenBrowser
	// An emailed withdrawal stops the posts relying on the patient's
	// consents at once, Facebook's held ones included.
	mail.OnHold = publishing.consentsHeld
	system := NewSystemService(c, d.Started, d.OnReady)
	// Install now quits like the menu's Quit, even with posts waiting.
	system.Release.Quit = publishing.quit
	return &Services{
		Brand:        NewBrandService(c),
		Backup:       NewBackupService(c),
		Activity:     NewActivityService(c),
		Studio:       NewStudioService(c),
		System:       system,
		Lock:         lock,
		Patients:     NewPatientService(c, lock),
		Consents:     consents,
		Mail:         mail,
		Testimonials: NewTestimonialService(c, lock),
		Drafts:       drafts,
		Channels:     channels,
		Publishing:   publishing,
		Hosting:      NewHostingService(c, lock, d.Secrets, channels),
		Calendar:     NewCalendarService(c, lock),
		Recovery:     NewRecoveryService(c, lock, d.Save),
		Inbox:        NewInboxService(c, lock, channels),
		Insights:     NewInsightsService(c, lock, channels, d.Save),
	}
}

// Bind is the list handed to Wails: every exported method of each of these
// is callable from the webview.
func (s *Services) Bind() []any {
	return []any{
		s.Brand, s.Backup, s.Activity, s.Studio, s.System, s.Lock, s.Patients, s.Consents,
		s.Mail, s.Testimonials, s.Drafts, s.Channels, s.Publishing, s.Hosting, s.Calendar, s.Recovery, s.Inbox, s.Insights,
	}
}

// KeepRunning is for the window's close button (not bound): whether
// closing should hide the window because posts are waiting (unless the
// manager chose in Settings that closing quits). It must answer while
// locked too, so it is not the bound method's lock check.
func (s *Services) KeepRunning() bool { return !s.System.closeQuits() && s.Publishing.keepRunning() }

// StillRunning is the notification shown when closing the window hid it:
// that PracticePost runs on for the waiting posts, and how to quit.
func (s *Services) StillRunning() (title, body string) {
	b, err := s.Publishing.background()
	if err != nil {
		b.Waiting = 0
	}
	return stillRunning(b.Waiting)
}

// MenuQuit is the application menu's Quit (not bound): the manager's own
// keyboard shortcut works even while the screen is locked.
func (s *Services) MenuQuit() { s.Publishing.quit() }
