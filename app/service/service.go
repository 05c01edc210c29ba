// Package service is the thin layer bound to the frontend: one service per
// area, each method returning (DTO, error). It translates between the UI and
// the domain and emits events through app.Emitter; it never calls the Wails
// runtime itself, so every service runs under plain `go test`.
package service

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"regexp"
	"sync"
	"time"

	"practicepost/app"
	"practicepost/app/audit"
	"practicepost/app/auth"
	"practicepost/app/gate"
	"practicepost/app/seal"
	"practicepost/app/store"
)

// Dialogs are the native file pickers. Wails provides them in the app;
// tests and the browser-driven end-to-end suite type paths instead.
type Dialogs interface {
	ChooseFolder(title, start string) (string, error)
	ChooseFile(title, start, patternName, pattern string) (string, error)
}

// Core is what every service shares: the data file and the app's folders.
// The data file is opened in Start, not at construction, because Wails runs
// main() to generate bindings and nothing may touch the disk then.
type Core struct {
	Home    string
	Emit    app.Emitter
	Dialogs Dialogs
	Clock   app.Clock
	// Gate is the one consent and privacy check, shared by the editor and
	// the publishing queue so its patient-name matcher is built once.
	Gate *gate.Gate
	// Secrets is the OS keychain. When set before Start, the activity log
	// is sealed with a key kept there and its newest entry anchored there.
	Secrets auth.SecretStore

	mu      sync.RWMutex
	lock    *LockService // set by NewLockService; guard asks it about idleness
	db      *store.DB
	openErr error
	cancel  context.CancelFunc
	wg      sync.WaitGroup
	stops   []func()
	starts  []func(context.Context)
}

// Attach runs start once the data file is open (at once if it already is)
// and stop in Stop, before the data file closes. Services with background
// work (the mailbox watcher) use it so that work lives exactly as long as
// the open data file.
func (c *Core) Attach(start func(context.Context), stop func()) {
	c.mu.Lock()
	c.starts = append(c.starts, start)
	c.stops = append(c.stops, stop)
	open := c.db != nil
	c.mu.Unlock()
	if open {
		start(context.Background())
	}
}

// worker is one background loop that lives while the data file is open
// (see Attach): the publishing queue, the insights collector.
type worker struct {
	mu     sync.Mutex
	cancel context.CancelFunc
	done   chan struct{}
}

// start runs run in the background until stop.
func (w *worker) start(bg context.Context, run func(ctx context.Context)) {
	ctx, cancel := context.WithCancel(bg)
	done := make(chan struct{})
	w.mu.Lock()
	w.cancel, w.done = cancel, done
	w.mu.Unlock()
	go func() {
		defer close(done)
		run(ctx)
	}()
}

// stop cancels the loop and waits for it to return; it does nothing when
// the loop is not running.
func (w *worker) stop() {
	w.mu.Lock()
	cancel, done := w.cancel, w.done
	w.cancel, w.done = nil, nil
	w.mu.Unlock()
	if cancel != nil {
		cancel()
		<-done
	}
}

// NewCore prepares the shared state; call Start to open the data file.
func NewCore(home string, emit app.Emitter, dialogs Dialogs, clock app.Clock) *Core {
	if emit == nil {
		emit = app.NopEmitter{}
	}
	if clock == nil {
		clock = app.SystemClock{}
	}
	return &Core{Home: home, Emit: emit, Dialogs: dialogs, Clock: clock, Gate: gate.New()}
}

// Start opens the data file and starts background work (daily backups).
// An open failure is kept and shown by the UI rather than crashing.
func (c *Core) Start(ctx context.Context) error {
	opts := store.Options{Clock: c.Clock}
	if c.Secrets != nil {
		opts.Audit = audit.NewKeeper(c.Secrets)
		opts.Seal = seal.NewKeyring(c.Secrets)
	}
	t0 := time.Now()
	db, err := store.OpenWith(ctx, filepath.Join(c.Home, store.FileName), opts)
	// Part of the cold start; the figure helps tell a slow disk or keychain
	// from a slow window when a practice says PracticePost starts slowly.
	slog.Info("data file opened", "ms", time.Since(t0).Milliseconds())
	c.mu.Lock()
	c.db, c.openErr = db, err
	c.mu.Unlock()
	if err != nil {
		logError("open data file", err)
		return err
	}
	bg, cancel := context.WithCancel(context.Background())
	c.cancel = cancel
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		c.autoBackupLoop(bg)
	}()
	c.mu.RLock()
	starts := c.starts
	c.mu.RUnlock()
	for _, start := range starts {
		start(bg)
	}
	return nil
}

// Stop ends background work and closes the data file.
func (c *Core) Stop() {
	c.mu.RLock()
	stops := c.stops
	c.mu.RUnlock()
	for _, stop := range stops {
		stop()
	}
	if c.cancel != nil {
		c.cancel()
	}
	c.wg.Wait()
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.db != nil {
		c.db.Close()
		c.db = nil
	}
}

// DB returns the open data file or the reason it is not open.
func (c *Core) DB() (*store.DB, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.db == nil {
		if c.openErr != nil {
			return nil, c.openErr
		}
		return nil, app.Errorf(app.EUNAVAILABLE, "PracticePost is still starting. Try again in a moment.")
	}
	return c.db, nil
}

// AutoBackupDir holds the daily automatic backups.
func (c *Core) AutoBackupDir() string { return filepath.Join(c.Home, "backups") }

// SafetyDir holds the data files replaced by a restore.
func (c *Core) SafetyDir() string { return filepath.Join(c.Home, "safety copies") }

const autoBackupKeep = 7

func (c *Core) autoBackupLoop(ctx context.Context) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		if db, err := c.DB(); err == nil {
			if _, err := db.AutoBackup(ctx, c.AutoBackupDir(), autoBackupKeep); err != nil && ctx.Err() == nil {
				logError("automatic backup", err)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// FormatError turns any error from a bound method into the JSON string the
// frontend's error helper parses. Internal causes go to the log, not the UI.
func FormatError(err error) any {
	if err == nil {
		return nil
	}
	logError("request failed", err)
	b, _ := json.Marshal(struct {
		Code    string `json:"code"`
		Message string `json:"message"`
		Field   string `json:"field,omitempty"`
	}{app.ErrorCode(err), app.ErrorMessage(err), app.ErrorField(err)})
	return string(b)
}

// logError logs what failed for whoever reads the log file: the code and
// the cause, never the message shown to the user, which may name a
// patient's address ("The email server refused the patient's address …").
// Addresses in the cause (an SMTP server's "<tom@…>: no such user") are
// blanked too.
func logError(what string, err error) {
	var e *app.Error
	if errors.As(err, &e) && e.Code != app.EINTERNAL && e.Err == nil {
		slog.Info(what, "code", e.Code)
		return
	}
	cause := err.Error()
	if e != nil {
		cause = "(no cause)"
		if e.Err != nil {
			cause = e.Err.Error()
		}
	}
	slog.Error(what, "code", app.ErrorCode(err), "err", addressInLog.ReplaceAllString(cause, "<address>"))
}

// addressInLog is an email address as servers and libraries print them.
var addressInLog = regexp.MustCompile(`[^\s<>"'(),;:]+@[^\s<>"'(),;:]+`)

// errDamagedState is under every error readState returns for a kept value
// it cannot read, so a screen that can ask for the value again tells it
// from a data file it cannot reach.
var errDamagedState = errors.New("kept value cannot be read")

// readState reads a value kept as JSON in the data file's app_state under
// key: ok false when nothing is kept there yet, and damaged (which names the
// screen and the next step) when what is kept cannot be read. One reader,
// so every kept setting fails the same way.
func readState[T any](ctx context.Context, db *store.DB, key, damaged string) (v T, ok bool, err error) {
	raw, err := db.State(ctx, key)
	if err != nil {
		return v, false, err
	}
	return decodeState[T](raw, damaged)
}

// readSealedState is readState for a value kept sealed (store.SealedState):
// one that does not open is damaged, as one that does not parse.
func readSealedState[T any](ctx context.Context, db *store.DB, key, damaged string) (v T, ok bool, err error) {
	raw, err := db.SealedState(ctx, key)
	if err != nil {
		return v, false, app.Internal(fmt.Errorf("%w: %w", errDamagedState, err), damaged)
	}
	return decodeState[T](raw, damaged)
}

func decodeState[T any](raw, damaged string) (v T, ok bool, err error) {
	if raw == "" {
		return v, false, nil
	}
	if err := json.Unmarshal([]byte(raw), &v); err != nil {
		var zero T
		return zero, false, app.Internal(fmt.Errorf("%w: %w", errDamagedState, err), damaged)
	}
	return v, true, nil
}
