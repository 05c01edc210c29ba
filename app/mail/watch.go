package mail

import (
	"context"
	"sync"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"practicepost/app"
)

// Watcher keeps the mailbox under watch while the app runs: it syncs, then
// waits for the server to announce new mail (IDLE) or, where IDLE is not
// offered, polls.
type Watcher struct {
	Syncer *Syncer
	// PollInterval is the wait between syncs without IDLE; 0 means 2 min.
	PollInterval time.Duration
	// IdleRefresh re-syncs under IDLE even without news; 0 means 5 min.
	IdleRefresh time.Duration
	// RetryDelay is the first wait after a failure, doubled up to 5 min;
	// 0 means 10 s.
	RetryDelay time.Duration
	// OnSync, if set, is called after every sync attempt (from the
	// watcher's goroutine), e.g. to emit a UI event.
	OnSync func(Report, error)

	mu      sync.Mutex
	cancel  context.CancelFunc
	done    chan struct{}
	status  WatchStatus
	trigger chan struct{}
}

// WatchStatus is what the status line shows.
type WatchStatus struct {
	Running   bool      `json:"running"`
	UsingIdle bool      `json:"usingIdle"`
	LastSync  time.Time `json:"lastSync"`
	LastError string    `json:"lastError"` // plain-language
	Last      Report    `json:"last"`
}

// Start begins watching in the background. It returns an EINVALID error if
// the watcher is already running or the settings are incomplete.
func (w *Watcher) Start(ctx context.Context) error {
	if err := w.Syncer.Account.Settings.Validate(); err != nil {
		return err
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.cancel != nil {
		return app.Errorf(app.ECONFLICT, "Email replies are already being watched.")
	}
	ctx, cancel := context.WithCancel(ctx)
	w.cancel = cancel
	w.done = make(chan struct{})
	w.trigger = make(chan struct{}, 1)
	w.status.Running = true
	go w.run(ctx)
	return nil
}

// Stop ends watching and waits for the background work to finish.
func (w *Watcher) Stop() {
	w.mu.Lock()
	cancel, done := w.cancel, w.done
	w.mu.Unlock()
	if cancel == nil {
		return
	}
	cancel()
	<-done
	w.mu.Lock()
	w.cancel = nil
	w.status.Running = false
	w.mu.Unlock()
}

// SyncNow asks a running watcher to sync at once ("Check for replies").
func (w *Watcher) SyncNow() {
	w.mu.Lock()
	t := w.trigger
	w.mu.Unlock()
	if t != nil {
		select {
		case t <- struct{}{}:
		default:
		}
	}
}

// Status returns the current state.
func (w *Watcher) Status() WatchStatus {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.status
}

func orDuration(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

func (w *Watcher) run(ctx context.Context) {
	defer close(w.done)
	retry := orDuration(w.RetryDelay, 10*time.Second)
	for ctx.Err() == nil {
		err := w.session(ctx)
		if ctx.Err() != nil {
			return
		}
		w.finish(Report{}, err, false)
		if app.ErrorCode(err) == app.EFORBIDDEN {
			// A refused sign-in is not retried on a timer: a mail server
			// locks the mailbox or bans the practice's address after a few
			// failures (fail2ban, cPHulk), which cuts off the whole
			// office's email. New settings restart the watcher; "Check for
			// replies" tries once more.
			w.mu.Lock()
			w.status.LastError += " " + signInPaused
			w.mu.Unlock()
			select {
			case <-ctx.Done():
				return
			case <-w.trigger:
			}
			continue
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(retry):
		case <-w.trigger:
		}
		retry = min(retry*2, 5*time.Minute)
	}
}

// defaultIdleRefresh ends IDLE and starts it again this often: well inside
// the 29 minutes RFC 2177 allows, and short enough that a connection a
// router dropped in silence is found within minutes.
const defaultIdleRefresh = 5 * time.Minute

// signInPaused tells the manager why replies are not being read.
const signInPaused = "PracticePost has stopped trying, so your email provider does not lock the mailbox: it tries again when you save Settings → Mailbox or press Check for replies."

func (w *Watcher) finish(rep Report, err error, idle bool) {
	w.mu.Lock()
	if err == nil {
		w.status.LastSync = w.Syncer.Clock.Now()
		w.status.LastError = ""
		w.status.Last = rep
	} else {
		w.status.LastError = app.ErrorMessage(err)
	}
	w.status.UsingIdle = idle
	w.mu.Unlock()
	if w.OnSync != nil {
		w.OnSync(rep, err)
	}
}

// session runs one connection: sync, wait, sync, ... until an error.
func (w *Watcher) session(ctx context.Context) error {
	news := make(chan struct{}, 1)
	handler := &imapclient.UnilateralDataHandler{
		Mailbox: func(d *imapclient.UnilateralDataMailbox) {
			if d.NumMessages != nil {
				select {
				case news <- struct{}{}:
				default:
				}
			}
		},
	}
	sess, err := w.Syncer.Account.connectIMAP(ctx, handler)
	if err != nil {
		return err
	}
	defer sess.Close()
	idle := sess.c.Caps().Has(imap.CapIdle)
	for {
		rep, err := w.Syncer.syncOn(ctx, sess)
		if err != nil {
			return err
		}
		w.finish(rep, nil, idle)
		if idle {
			if err := w.idle(ctx, sess, news); err != nil {
				return err
			}
		} else {
			// Nothing is asked between polls, so the server is silent.
			poll := orDuration(w.PollInterval, 2*time.Minute)
			sess.quiet.allowSilence(poll)
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(poll):
			case <-w.trigger:
			}
			sess.quiet.expectAnswers()
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
}

func (w *Watcher) idle(ctx context.Context, sess *imapSession, news chan struct{}) error {
	// Some servers report mail that arrived during the last sync only with
	// the next command, and not when IDLE starts; a NOOP collects that news
	// so a reply is never left waiting for the refresh.
	if err := sess.c.Noop().Wait(); err != nil {
		return w.Syncer.Account.classify("imap", w.Syncer.Account.Settings.IMAP, stageCommand, ctxErr(ctx, err))
	}
	select {
	case <-news:
		return ctx.Err()
	default:
	}
	// While idling the server may be silent until the refresh; after it,
	// the answer to DONE must come as any other.
	refresh := orDuration(w.IdleRefresh, defaultIdleRefresh)
	sess.quiet.allowSilence(refresh)
	cmd, err := sess.c.Idle()
	if err != nil {
		return w.Syncer.Account.classify("imap", w.Syncer.Account.Settings.IMAP, stageCommand, ctxErr(ctx, err))
	}
	select {
	case <-ctx.Done():
	case <-news:
	case <-w.trigger:
	case <-sess.c.Closed():
	case <-time.After(refresh):
	}
	sess.quiet.expectAnswers()
	if err := cmd.Close(); err != nil {
		return w.Syncer.Account.classify("imap", w.Syncer.Account.Settings.IMAP, stageCommand, ctxErr(ctx, err))
	}
	if err := cmd.Wait(); err != nil {
		return w.Syncer.Account.classify("imap", w.Syncer.Account.Settings.IMAP, stageCommand, ctxErr(ctx, err))
	}
	return ctx.Err()
}
