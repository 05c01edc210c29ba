package service

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"practicepost/app"
	"practicepost/app/auth"
	"practicepost/app/store"
)

// Every setting and every hand-over kept as JSON in the data file is read
// by readState: nothing kept reads as "not there yet", and a damaged value
// is refused with the message of the screen that reads it, and left as it
// is for the manager to enter again.
// keptStateWorld is a started app on a fresh data file with the services
// that read settings kept in app_state.
type keptStateWorld struct {
	db           *store.DB
	consents     *ConsentService
	mail         *MailService
	hosting      *HostingService
	testimonials *TestimonialService
}

func newKeptStateWorld(t *testing.T) keptStateWorld {
	t.Helper()
	c := NewCore(t.TempDir(), app.NopEmitter{}, nil, &app.FixedClock{T: time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)})
	if err := c.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Stop)
	db, err := c.DB()
	if err != nil {
		t.Fatal(err)
	}
	lock := NewLockService(c)
	consents := NewConsentService(c, lock, nil)
	secrets := auth.NewMemoryStore()
	return keptStateWorld{db: db, consents: consents, mail: NewMailService(c, lock, consents, secrets),
		hosting: NewHostingService(c, lock, secrets, NewChannelService(c, lock, secrets)), testimonials: NewTestimonialService(c, lock)}
}

func TestKeptStateDamaged(t *testing.T) {
	ctx := context.Background()
	w := newKeptStateWorld(t)
	db, consents, mailSvc, hosting, testimonials := w.db, w.consents, w.mail, w.hosting, w.testimonials

	if v, ok, err := readState[ConsentSettings](ctx, db, keySettings, "unused"); ok || err != nil || v.Zone != "" {
		t.Fatalf("nothing kept: %+v %v %v, want the zero value, not ok, no error", v, ok, err)
	}

	const damaged = `{"damaged":`
	for _, tc := range []struct {
		key, want string
		read      func() error
	}{
		{keyMailSettings, "Enter them again in Settings → Mailbox", func() error { _, _, err := mailSvc.loadSettings(ctx, db); return err }},
		{hostingStateKey, "Enter the bucket again in Settings → Media hosting", func() error { _, _, err := hosting.read(ctx, db); return err }},
		{keySettings, "Enter them again in Consents → Consent settings", func() error { _, err := loadSettings(ctx, db, "GB"); return err }},
		{keyPending, "The consent form on screen could not be read", func() error { _, err := consents.Signing(); return err }},
		{keyQuotePending, "The words on screen could not be read", func() error { _, err := testimonials.ApprovalScreen(); return err }},
	} {
		t.Run(tc.key, func(t *testing.T) {
			if err := db.Tx(ctx, func(tx *store.Tx) error { return tx.SetState(ctx, tc.key, damaged) }); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() {
				db.Tx(ctx, func(tx *store.Tx) error { return tx.SetState(ctx, tc.key, "") })
			})
			err := tc.read()
			if app.ErrorCode(err) != app.EINTERNAL || !strings.Contains(app.ErrorMessage(err), tc.want) {
				t.Fatalf("reading a damaged %s: %v, want an internal error saying %q", tc.key, err, tc.want)
			}
			if raw, err := db.State(ctx, tc.key); err != nil || raw != damaged {
				t.Errorf("reading changed what was kept: %q %v", raw, err)
			}
		})
	}
}

// Damaged settings do not close the screen where they are entered:
// Consents → Consent settings opens with them empty, says why, and saving new ones replaces what
// could not be read.
func TestDamagedSettingsCanBeEnteredAgain(t *testing.T) {
	ctx := context.Background()
	w := newKeptStateWorld(t)
	db, consents, mailSvc, hosting := w.db, w.consents, w.mail, w.hosting
	const damaged = `{"privacyNoticeUrl":`
	if err := db.Tx(ctx, func(tx *store.Tx) error { return tx.SetState(ctx, keySettings, damaged) }); err != nil {
		t.Fatal(err)
	}
	setup, err := consents.Setup()
	if err != nil {
		t.Fatalf("Ask for consent with damaged settings: %v", err)
	}
	if !slices.Contains(setup.Missing, "The consent settings saved before could not be read. Enter them again below.") || setup.Settings.PrivacyNoticeURL != "" || setup.Settings.Zone != "Europe/London" {
		t.Fatalf("setup: %+v", setup)
	}
	if raw, _ := db.State(ctx, keySettings); raw != damaged {
		t.Fatalf("opening the screen changed what was kept: %q", raw)
	}
	st := setup.Settings
	st.PrivacyNoticeURL, st.WithdrawalMethod = "https://smile.example/privacy", "email us"
	after, err := consents.SaveSettings(st)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range after.Missing {
		if strings.Contains(m, "could not be read") {
			t.Fatalf("still damaged after saving: %+v", after.Missing)
		}
	}
	if got, err := loadSettings(ctx, db, "GB"); err != nil || got.PrivacyNoticeURL != "https://smile.example/privacy" {
		t.Fatalf("saved settings: %+v %v", got, err)
	}

	// The same for the two Settings tabs that are the only place their
	// values are entered: Mailbox and Media hosting open empty, saying why.
	for _, key := range []string{keyMailSettings, hostingStateKey} {
		if err := db.Tx(ctx, func(tx *store.Tx) error { return tx.SetState(ctx, key, damaged) }); err != nil {
			t.Fatal(err)
		}
	}
	mv, err := mailSvc.Settings()
	if err != nil || mv.Configured || !strings.Contains(mv.Notice, "could not be read. Enter them again below") || mv.Settings.IMAP.Port != 993 {
		t.Fatalf("Mailbox with damaged settings: %+v %v", mv, err)
	}
	hv, err := hosting.Get()
	if err != nil || hv.Connected || hv.Bucket != "" || !strings.Contains(hv.Message, "could not be read, so no bucket is in use. Enter the bucket again below") {
		t.Fatalf("Media hosting with damaged settings: %+v %v", hv, err)
	}
	for _, key := range []string{keyMailSettings, hostingStateKey} {
		if raw, _ := db.State(ctx, key); raw != damaged {
			t.Errorf("opening the tab changed what was kept under %s: %q", key, raw)
		}
	}
}
