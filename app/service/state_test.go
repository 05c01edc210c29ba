package service

import (
	"context"
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
func TestKeptStateDamaged(t *testing.T) {
	ctx := context.Background()
	c := NewCore(t.TempDir(), app.NopEmitter{}, nil, &app.FixedClock{T: time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)})
	if err := c.Start(ctx); err != nil {
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
	mailSvc := NewMailService(c, lock, consents, secrets)
	hosting := NewHostingService(c, lock, secrets, NewChannelService(c, lock, secrets))
	testimonials := NewTestimonialService(c, lock)

	if v, ok, err := readState[ConsentSettings](ctx, db, keySettings, "unused"); ok || err != nil || v.Zone != "" {
		t.Fatalf("nothing kept: %+v %v %v, want the zero value, not ok, no error", v, ok, err)
	}

	const damaged = `{"damaged":`
	for _, tc := range []struct {
		key, want string
		read      func() error
	}{
		{keyMailSettings, "Enter them again in Settings → Mailbox", func() error { _, err := mailSvc.Settings(); return err }},
		{hostingStateKey, "Enter the bucket again in Settings → Media hosting", func() error { _, err := hosting.Get(); return err }},
		{keySettings, "The consent settings could not be read", func() error { _, err := consents.Setup(); return err }},
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
