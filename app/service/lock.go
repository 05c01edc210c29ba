package service

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"

	"golang.org/x/crypto/bcrypt"

	"practicepost/app"
	"practicepost/app/store"
)

// LockService guards the app while a patient holds the screen. The lock
// lives in the data file, so a reload or a restart still shows the signing
// screen; only the manager's PIN (kept as a bcrypt hash) opens it again.
type LockService struct {
	c  *Core
	mu sync.Mutex
	// cost is bcrypt's work factor; tests lower it.
	cost int

	// lastActive is when the manager last used the app (an activity ping
	// from the UI, an unlock, or the start). It lives in memory only: a
	// restart counts as activity, and the lock itself is in the data file.
	idleMu     sync.Mutex
	lastActive time.Time
}

// NewLockService makes the one lock of this Core: from now on every
// manager-only call (Core.open) also checks whether the app has been idle
// too long, and a watcher locks it on time even when nothing calls.
func NewLockService(c *Core) *LockService {
	s := &LockService{c: c, cost: bcrypt.DefaultCost, lastActive: c.Clock.Now()}
	c.mu.Lock()
	c.lock = s
	c.mu.Unlock()
	stop := make(chan struct{})
	var once sync.Once
	c.Attach(func(ctx context.Context) {
		go s.watchIdle(ctx, stop)
	}, func() { once.Do(func() { close(stop) }) })
	return s
}

// OpenWhileLocked names the only bound methods that answer while the app
// is locked: the lock's status and unlock, the signing screen reading and
// submitting the pending form, and the version and start-up handshake
// (Info says which version runs and why a data file failed to open; Ready
// only times the first render and reads nothing). Every other method of
// every bound service refuses with app.ELOCKED; a test calls them all.
var OpenWhileLocked = []string{
	"LockService.Status",
	"LockService.Unlock",
	"ConsentService.Signing",
	"ConsentService.Preview",
	"ConsentService.Sign",
	// The same for a patient approving the edited words of a testimonial.
	"TestimonialService.ApprovalScreen",
	"TestimonialService.ApproveQuote",
	"TestimonialService.DeclineQuote",
	"SystemService.Info",
	"SystemService.Ready",
	// The start-up screen asks for the recovery key when the data cannot be
	// opened on this computer; nothing else is open then.
	"RecoveryService.Status",
	"RecoveryService.Unlock",
}

// LockStatus is what the app shell needs to decide what to show.
type LockStatus struct {
	Locked bool `json:"locked"`
	PinSet bool `json:"pinSet"`
	// WaitSeconds > 0 means too many wrong PINs: the next try is refused
	// until then.
	WaitSeconds int `json:"waitSeconds"`
	// SignedConsentID is set by Unlock when the patient signed while the
	// app was locked, so the manager lands on the new consent.
	SignedConsentID int64 `json:"signedConsentId"`
	// QuoteOutcome is set by Unlock when a patient was shown edited words
	// to approve: "approved", "declined", or "" when they did not answer;
	// QuoteTestimonialID says whose.
	QuoteOutcome       string `json:"quoteOutcome"`
	QuoteTestimonialID int64  `json:"quoteTestimonialId"`
	// IdleMinutes is how long the app may sit unused before it locks
	// itself (Settings → Lock). It applies once a PIN is set: without one
	// nobody could unlock.
	IdleMinutes int `json:"idleMinutes"`
}

const (
	keyPIN       = "lock.pin"
	keyLocked    = "lock.locked"
	keyFailures  = "lock.failures"
	keyWaitUntil = "lock.wait_until"
	keyPending   = store.PendingConsentState // sealed: the words and health details on the form
	keyIdle      = "lock.idle_minutes"

	// The idle lock cannot be switched off: a front-desk PC left unattended
	// is the case it exists for. Two hours is the longest a practice may
	// choose; the OS screen lock is theirs to add on top.
	defaultIdleMinutes = 10
	maxIdleMinutes     = 120
	idleWatchEvery     = 15 * time.Second

	freeAttempts = 5
	firstWait    = 30 * time.Second
	maxWait      = 15 * time.Minute
)

// errLocked is what every manager-only call returns while the app is
// locked, whether a patient holds the screen or it was left idle.
var errLocked = app.Errorf(app.ELOCKED, "PracticePost is locked. Unlock it with the manager PIN on the lock screen first.")

// Status reports whether the app is locked and whether a PIN exists.
func (s *LockService) Status() (LockStatus, error) {
	db, err := s.c.DB()
	if err != nil {
		return LockStatus{}, err
	}
	return s.status(context.Background(), db)
}

func (s *LockService) status(ctx context.Context, db *store.DB) (LockStatus, error) {
	var st LockStatus
	pin, err := db.State(ctx, keyPIN)
	if err != nil {
		return st, err
	}
	locked, err := db.State(ctx, keyLocked)
	if err != nil {
		return st, err
	}
	st.PinSet, st.Locked = pin != "", locked == "1"
	if st.IdleMinutes, err = idleMinutes(ctx, db); err != nil {
		return st, err
	}
	if until, _ := db.State(ctx, keyWaitUntil); until != "" {
		if t, err := time.Parse(time.RFC3339Nano, until); err == nil {
			if d := t.Sub(s.c.Clock.Now()); d > 0 {
				st.WaitSeconds = int((d + time.Second - 1) / time.Second)
			}
		}
	}
	return st, nil
}

// checkPIN explains what a PIN must look like.
func checkPIN(pin, confirm string) error {
	if len(pin) < 4 || len(pin) > 12 || strings.IndexFunc(pin, func(r rune) bool { return !unicode.IsDigit(r) || r > '9' }) >= 0 {
		return app.FieldError("pin", "Choose a PIN of 4 to 12 digits (numbers only).")
	}
	if pin != confirm {
		return app.FieldError("confirm", "The two PINs are not the same. Type the same PIN twice.")
	}
	if strings.Count(pin, pin[:1]) == len(pin) || strings.Contains("0123456789012", pin) || strings.Contains("9876543210987", pin) {
		return app.FieldError("pin", "That PIN is too easy to guess (all the same digit, or digits in a row). Choose another.")
	}
	return nil
}

// SetPIN sets the manager PIN the first time. Changing it needs the old one.
func (s *LockService) SetPIN(pin, confirm string) (LockStatus, error) {
	return s.setPIN("", pin, confirm, false)
}

// ChangePIN replaces the PIN after checking the current one.
func (s *LockService) ChangePIN(current, pin, confirm string) (LockStatus, error) {
	return s.setPIN(current, pin, confirm, true)
}

func (s *LockService) setPIN(current, pin, confirm string, change bool) (LockStatus, error) {
	// The lock check comes before s.mu: an idle lock takes s.mu itself.
	if _, err := s.c.open(context.Background()); err != nil {
		return LockStatus{}, err
	}
	return s.serial(func(ctx context.Context, db *store.DB) (LockStatus, error) {
		old, err := db.State(ctx, keyPIN)
		if err != nil {
			return LockStatus{}, err
		}
		if locked, _ := db.State(ctx, keyLocked); locked == "1" {
			return LockStatus{}, errLocked
		}
		switch {
		case !change && old != "":
			return LockStatus{}, app.Errorf(app.ECONFLICT, "A manager PIN is already set. Use “Change PIN” and give the current one.")
		case change && old == "":
			return LockStatus{}, app.Errorf(app.ECONFLICT, "No manager PIN is set yet. Set one first.")
		case change && bcrypt.CompareHashAndPassword([]byte(old), []byte(current)) != nil:
			return LockStatus{}, app.FieldError("current", "The current PIN is not right.")
		}
		if err := checkPIN(pin, confirm); err != nil {
			return LockStatus{}, err
		}
		hash, err := bcrypt.GenerateFromPassword([]byte(pin), s.cost)
		if err != nil {
			return LockStatus{}, app.Internal(err, "PracticePost could not save the PIN.")
		}
		action := "lock.pin.set"
		if change {
			action = "lock.pin.change"
		}
		err = db.Tx(ctx, func(tx *store.Tx) error {
			if err := tx.SetState(ctx, keyPIN, string(hash)); err != nil {
				return app.Internal(err, "PracticePost could not save the PIN.")
			}
			return tx.Audit(ctx, "practice manager", action, "manager PIN", nil)
		})
		if err != nil {
			return LockStatus{}, err
		}
		s.touch() // the manager is here: idle time counts from now
		return s.status(ctx, db)
	})
}

// lock hands the screen to a patient. It needs a PIN, or nobody could
// unlock again.
func (s *LockService) lock(ctx context.Context, db *store.DB, reason string, also func(*store.Tx) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	pin, err := db.State(ctx, keyPIN)
	if err != nil {
		return err
	}
	if pin == "" {
		return app.Errorf(app.ECONFLICT, "Set a manager PIN first: it is needed to unlock PracticePost after the patient has signed.")
	}
	err = db.Tx(ctx, func(tx *store.Tx) error {
		if err := tx.SetState(ctx, keyLocked, "1"); err != nil {
			return app.Internal(err, "PracticePost could not lock the screen.")
		}
		if also != nil {
			if err := also(tx); err != nil {
				return err
			}
		}
		return tx.Audit(ctx, "practice manager", "lock.lock", "screen", map[string]string{"reason": reason})
	})
	if err == nil {
		s.c.Emit.Emit(app.EventLocked, nil)
	}
	return err
}

// guard refuses manager-only work while the app is locked, locking it
// first when it has been idle too long.
func (c *Core) guard(ctx context.Context, db *store.DB) error {
	c.mu.RLock()
	lock := c.lock
	c.mu.RUnlock()
	if lock != nil {
		if err := lock.lockIfIdle(ctx, db); err != nil {
			return err
		}
	}
	v, err := db.State(ctx, keyLocked)
	if err != nil {
		return err
	}
	if v == "1" {
		return errLocked
	}
	return nil
}

// open returns the data file for manager-only work: open, and not locked.
// Every bound method outside OpenWhileLocked starts here, most through
// withDB, some with manager. The check reads the lock from the data file
// itself, so it holds even for a service built without a LockService.
func (c *Core) open(ctx context.Context) (*store.DB, error) {
	db, err := c.DB()
	if err != nil {
		return nil, err
	}
	if err := c.guard(ctx, db); err != nil {
		return nil, err
	}
	return db, nil
}

// withDB runs f on the data file for manager-only work: the opening and
// lock check of open, once for every method that needs them, then f's
// answer as is.
func withDB[T any](c *Core, f func(ctx context.Context, db *store.DB) (T, error)) (T, error) {
	ctx := context.Background()
	db, err := c.open(ctx)
	if err != nil {
		var zero T
		return zero, err
	}
	return f(ctx, db)
}

// withDB is the generic withDB for methods that answer only an error.
func (c *Core) withDB(f func(ctx context.Context, db *store.DB) error) error {
	_, err := withDB(c, func(ctx context.Context, db *store.DB) (struct{}, error) { return struct{}{}, f(ctx, db) })
	return err
}

// manager is the lock check for bound methods that do not otherwise touch
// the data file (pickers, previews, choice lists): they refuse while
// locked too.
func (c *Core) manager() error {
	_, err := c.open(context.Background())
	return err
}

// idleMinutes is the practice's idle-lock setting, or the default.
func idleMinutes(ctx context.Context, db *store.DB) (int, error) {
	v, err := db.State(ctx, keyIdle)
	if err != nil {
		return 0, err
	}
	if n, err := strconv.Atoi(v); err == nil && n >= 1 && n <= maxIdleMinutes {
		return n, nil
	}
	return defaultIdleMinutes, nil
}

func (s *LockService) touch() {
	s.idleMu.Lock()
	s.lastActive = s.c.Clock.Now()
	s.idleMu.Unlock()
}

// lockIfIdle locks the app when nobody has used it for the practice's idle
// minutes. Without a PIN there is nothing to unlock with, so it waits.
func (s *LockService) lockIfIdle(ctx context.Context, db *store.DB) error {
	s.idleMu.Lock()
	last := s.lastActive
	s.idleMu.Unlock()
	n, err := idleMinutes(ctx, db)
	if err != nil {
		return err
	}
	if s.c.Clock.Now().Sub(last) < time.Duration(n)*time.Minute {
		return nil
	}
	st, err := s.status(ctx, db)
	if err != nil || st.Locked || !st.PinSet {
		return err
	}
	return s.lock(ctx, db, "idle", nil)
}

// watchIdle locks on time even when the UI calls nothing, and tells the
// frontend (EventLocked) so the lock screen appears at once.
func (s *LockService) watchIdle(ctx context.Context, stop <-chan struct{}) {
	t := time.NewTicker(idleWatchEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-stop:
			return
		case <-t.C:
		}
		if db, err := s.c.DB(); err == nil {
			if err := s.lockIfIdle(ctx, db); err != nil && ctx.Err() == nil {
				logError("idle lock", err)
			}
		}
	}
}

// Active is the UI's activity ping, sent on the manager's keys, clicks
// and touches (at most twice a minute). It refuses once the idle time has
// passed: a late ping must lock, not extend.
func (s *LockService) Active() (LockStatus, error) {
	return withDB(s.c, func(ctx context.Context, db *store.DB) (LockStatus, error) {
		s.touch()
		return s.status(ctx, db)
	})
}

// SetIdleMinutes sets how long the app may sit unused before it locks
// itself: 1 to 120 minutes.
func (s *LockService) SetIdleMinutes(minutes int) (LockStatus, error) {
	return withDB(s.c, func(ctx context.Context, db *store.DB) (LockStatus, error) {
		if minutes < 1 || minutes > maxIdleMinutes {
			return LockStatus{}, app.FieldError("idleMinutes", "Choose between 1 and %d minutes.", maxIdleMinutes)
		}
		err := db.Tx(ctx, func(tx *store.Tx) error {
			if err := tx.SetState(ctx, keyIdle, strconv.Itoa(minutes)); err != nil {
				return app.Internal(err, "PracticePost could not save the lock setting.")
			}
			return tx.Audit(ctx, "practice manager", "lock.idle.set", "screen", map[string]string{"minutes": strconv.Itoa(minutes)})
		})
		if err != nil {
			return LockStatus{}, err
		}
		s.touch()
		return s.status(ctx, db)
	})
}

// serial runs f holding s.mu with the data file: PIN changes and unlock
// attempts go one at a time, so two wrong PINs at once both count.
func (s *LockService) serial(f func(ctx context.Context, db *store.DB) (LockStatus, error)) (LockStatus, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	db, err := s.c.DB()
	if err != nil {
		return LockStatus{}, err
	}
	return f(context.Background(), db)
}

// Unlock checks the PIN. After five wrong tries each further wrong one makes
// the next wait longer (30 s, 1 min, 2 min … up to 15 min), so a patient
// cannot guess a 4-digit PIN in any useful time.
func (s *LockService) Unlock(pin string) (LockStatus, error) {
	return s.serial(func(ctx context.Context, db *store.DB) (LockStatus, error) {
		st, err := s.status(ctx, db)
		if err != nil {
			return st, err
		}
		if !st.Locked {
			return st, nil
		}
		if st.WaitSeconds > 0 {
			return st, app.Errorf(app.EFORBIDDEN, "Too many wrong PINs. Wait %s, then try again.", seconds(st.WaitSeconds))
		}
		hash, err := db.State(ctx, keyPIN)
		if err != nil {
			return st, err
		}
		if hash == "" || bcrypt.CompareHashAndPassword([]byte(hash), []byte(pin)) != nil {
			return s.refuse(ctx, db)
		}
		var signed, quoted int64
		var outcome string
		err = db.Tx(ctx, func(tx *store.Tx) error {
			var err error
			if outcome, quoted, err = endPendingQuote(ctx, db, tx); err != nil {
				return err
			}
			if p, err := readPending(ctx, db); err == nil && p != nil {
				signed = p.SignedConsentID
				if signed == 0 {
					if err := tx.Audit(ctx, "practice manager", "consent.request.cancel", "patient:"+strconv.FormatInt(p.Request.PatientID, 10), nil); err != nil {
						return err
					}
				}
			}
			for _, k := range []string{keyLocked, keyFailures, keyWaitUntil, keyPending} {
				if err := tx.SetState(ctx, k, ""); err != nil {
					return app.Internal(err, "PracticePost could not unlock.")
				}
			}
			return tx.Audit(ctx, "practice manager", "lock.unlock", "screen", nil)
		})
		if err != nil {
			return st, err
		}
		s.touch()
		st, err = s.status(ctx, db)
		st.SignedConsentID = signed
		st.QuoteOutcome, st.QuoteTestimonialID = outcome, quoted
		return st, err
	})
}

func (s *LockService) refuse(ctx context.Context, db *store.DB) (LockStatus, error) {
	v, _ := db.State(ctx, keyFailures)
	n, _ := strconv.Atoi(v)
	n++
	var wait time.Duration
	if n >= freeAttempts {
		wait = firstWait << min(n-freeAttempts, 10)
		wait = min(wait, maxWait)
	}
	err := db.Tx(ctx, func(tx *store.Tx) error {
		if err := tx.SetState(ctx, keyFailures, strconv.Itoa(n)); err != nil {
			return err
		}
		until := ""
		if wait > 0 {
			until = s.c.Clock.Now().Add(wait).UTC().Format(time.RFC3339Nano)
		}
		if err := tx.SetState(ctx, keyWaitUntil, until); err != nil {
			return err
		}
		return tx.Audit(ctx, "unknown", "lock.unlock.refused", "screen", map[string]string{"attempt": strconv.Itoa(n)})
	})
	if err != nil {
		return LockStatus{}, app.Internal(err, "PracticePost could not check the PIN.")
	}
	st, _ := s.status(ctx, db)
	switch left := freeAttempts - n; {
	case wait > 0:
		return st, app.FieldError("pin", "That PIN is not right. Too many wrong tries: wait %s before the next one.", seconds(int(wait/time.Second)))
	case left == 1:
		return st, app.FieldError("pin", "That PIN is not right. One more try before a short wait.")
	default:
		return st, app.FieldError("pin", "That PIN is not right. %d more tries before a short wait.", left)
	}
}

func seconds(n int) string {
	if n < 90 {
		if n == 1 {
			return "1 second"
		}
		return fmt.Sprintf("%d seconds", n)
	}
	return fmt.Sprintf("%d minutes", (n+59)/60)
}
