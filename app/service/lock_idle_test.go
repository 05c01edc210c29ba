package service_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"practicepost/app"
	"practicepost/app/service"
)

func lockedNow(t *testing.T, svc *service.Services) bool {
	t.Helper()
	st, err := svc.Lock.Status()
	if err != nil {
		t.Fatal(err)
	}
	return st.Locked
}

func TestLockIdleLocksAfterTheSetMinutes(t *testing.T) {
	svc, clock, rec := boundWorld(t)
	ctx := context.Background()

	// Without a PIN nobody could unlock, so idleness never locks.
	clock.Advance(3 * time.Hour)
	if err := service.IdleCheck(svc.Lock, ctx); err != nil || lockedNow(t, svc) {
		t.Fatalf("locked without a PIN (err %v)", err)
	}
	if _, err := svc.Lock.SetPIN("2580", "2580"); err != nil {
		t.Fatal(err)
	}
	st, err := svc.Lock.Active()
	if err != nil || st.IdleMinutes != 10 {
		t.Fatalf("default idle minutes: %+v %v", st, err)
	}

	// Pings from the UI keep it open; the watcher locks 10 minutes after
	// the last one, not after the first.
	clock.Advance(9 * time.Minute)
	if _, err := svc.Lock.Active(); err != nil {
		t.Fatal(err)
	}
	clock.Advance(9*time.Minute + 59*time.Second)
	if err := service.IdleCheck(svc.Lock, ctx); err != nil || lockedNow(t, svc) {
		t.Fatalf("locked before 10 idle minutes (err %v)", err)
	}
	// Background polls are not activity: a manager call does not reset it.
	if _, err := svc.Brand.Get(); err != nil {
		t.Fatal(err)
	}
	clock.Advance(time.Second)
	if err := service.IdleCheck(svc.Lock, ctx); err != nil {
		t.Fatal(err)
	}
	if !lockedNow(t, svc) || !slices.Contains(rec.events, app.EventLocked) {
		t.Fatalf("not locked after 10 idle minutes (events %v)", rec.events)
	}
	if _, err := svc.Brand.Get(); app.ErrorCode(err) != app.ELOCKED {
		t.Fatalf("Brand.Get while idle-locked: %v", err)
	}
	if _, err := svc.Lock.Active(); app.ErrorCode(err) != app.ELOCKED {
		t.Fatalf("a ping does not unlock: %v", err)
	}

	// Unlocking counts as activity: the ten minutes start again.
	if _, err := svc.Lock.Unlock("2580"); err != nil {
		t.Fatal(err)
	}
	clock.Advance(9 * time.Minute)
	if _, err := svc.Brand.Get(); err != nil {
		t.Fatalf("relocked too soon after unlock: %v", err)
	}

	// A ping that arrives late locks instead of extending, and so does any
	// manager call: the watcher need not have ticked.
	clock.Advance(2 * time.Minute)
	if _, err := svc.Patients.List(""); app.ErrorCode(err) != app.ELOCKED || !lockedNow(t, svc) {
		t.Fatalf("late call after 11 idle minutes: %v", err)
	}
}

func TestLockIdleMinutesSetting(t *testing.T) {
	svc, clock, _ := boundWorld(t)
	ctx := context.Background()
	if _, err := svc.Lock.SetPIN("2580", "2580"); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []int{0, -5, 121} {
		if _, err := svc.Lock.SetIdleMinutes(bad); app.ErrorCode(err) != app.EINVALID || app.ErrorField(err) != "idleMinutes" {
			t.Fatalf("SetIdleMinutes(%d): %v", bad, err)
		}
	}
	if st, _ := svc.Lock.Status(); st.IdleMinutes != 10 {
		t.Fatalf("a refused value changed the setting: %d", st.IdleMinutes)
	}
	st, err := svc.Lock.SetIdleMinutes(2)
	if err != nil || st.IdleMinutes != 2 {
		t.Fatalf("SetIdleMinutes(2): %+v %v", st, err)
	}
	clock.Advance(119 * time.Second)
	if err := service.IdleCheck(svc.Lock, ctx); err != nil || lockedNow(t, svc) {
		t.Fatalf("locked before 2 minutes (err %v)", err)
	}
	clock.Advance(time.Second)
	if err := service.IdleCheck(svc.Lock, ctx); err != nil || !lockedNow(t, svc) {
		t.Fatalf("not locked after 2 minutes (err %v)", err)
	}
	// The setting itself is manager-only.
	if _, err := svc.Lock.SetIdleMinutes(30); app.ErrorCode(err) != app.ELOCKED {
		t.Fatalf("SetIdleMinutes while locked: %v", err)
	}
	if st, _ := svc.Lock.Status(); st.IdleMinutes != 2 {
		t.Fatalf("changed while locked: %d", st.IdleMinutes)
	}
}

// busyClock is the clock of tests about other things than idleness: time
// moves on while the manager keeps working, so the idle lock stays away.
type busyClock struct {
	*app.FixedClock
	lock *service.LockService
}

func (c *busyClock) Advance(d time.Duration) { c.Set(c.T.Add(d)) }

func (c *busyClock) Set(t time.Time) {
	c.T = t
	if c.lock != nil {
		service.KeepActive(c.lock)
	}
}
