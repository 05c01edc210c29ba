package service

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"practicepost/app"
	"practicepost/app/autostart"
	"practicepost/app/release"
	"practicepost/app/store"
	"practicepost/app/update"
)

// ReleaseOptions are what start at login and the update check use: this
// system's login items and this build's feed, replaced in tests.
type ReleaseOptions struct {
	Login      func() (autostart.Login, error)
	Executable func() (string, error)
	Feed       update.Checker
	// RunInstaller starts a downloaded, checked installer; nil where
	// PracticePost cannot install its own updates (not Windows).
	RunInstaller func(path string) error
	// Quit ends PracticePost once the installer runs (set by NewServices).
	Quit func()
}

func defaultReleaseOptions() ReleaseOptions {
	return ReleaseOptions{Login: autostart.System, Executable: autostart.Executable, RunInstaller: runInstaller,
		Feed: update.Checker{FeedURL: release.UpdateFeedURL, PublicKey: release.UpdatePublicKey,
			Client: &http.Client{Timeout: 20 * time.Second}}}
}

// MissingSignIns lists the sign-ins this copy of PracticePost was built
// without, on one screen ("Channels" or "Mailbox"), each with what to do
// instead, so the screen says so before anyone clicks.
func (s *SystemService) MissingSignIns(screen string) ([]release.SignIn, error) {
	if err := s.c.manager(); err != nil {
		return nil, err
	}
	if screen != "Channels" && screen != "Mailbox" {
		return nil, app.FieldError("screen", "Ask for the Channels or the Mailbox screen.")
	}
	return release.Missing(screen), nil
}

const (
	keyCloseQuits   = "system.close_quits"
	keyUpdateResult = "system.update_result"
)

// BackgroundView is Settings → Running in the background.
type BackgroundView struct {
	// CloseKeepsRunning: closing the window hides it while posts wait
	// (the default); off, closing quits and posts due meanwhile are missed.
	CloseKeepsRunning bool `json:"closeKeepsRunning"`
	StartAtLogin      bool `json:"startAtLogin"`
	// StartAtLoginNote says why start at login cannot be changed, or that
	// it starts another copy of PracticePost than this one.
	StartAtLoginNote string `json:"startAtLoginNote"`
	CanStartAtLogin  bool   `json:"canStartAtLogin"`
}

// Background reads the settings for running with the window closed.
func (s *SystemService) Background() (BackgroundView, error) {
	return withDB(s.c, func(ctx context.Context, db *store.DB) (BackgroundView, error) {
		return s.background(ctx, db)
	})
}

func (s *SystemService) background(ctx context.Context, db *store.DB) (BackgroundView, error) {
	v := BackgroundView{}
	quits, err := db.State(ctx, keyCloseQuits)
	if err != nil {
		return v, err
	}
	v.CloseKeepsRunning = quits != "1"
	login, err := s.Release.Login()
	if err != nil {
		v.StartAtLoginNote = "This computer's system does not let PracticePost start itself when you sign in."
		return v, nil
	}
	v.CanStartAtLogin = true
	on, exe, err := login.Enabled()
	if err != nil {
		v.StartAtLoginNote = "PracticePost could not read this computer's login items. Try again, or restart the computer."
		return v, nil
	}
	v.StartAtLogin = on
	if self, err := s.Release.Executable(); on && err == nil && exe != self {
		v.StartAtLoginNote = "At sign-in the computer starts PracticePost from " + exe + ", not this copy. Turn the setting off and on again to start this one."
	}
	return v, nil
}

// SetCloseKeepsRunning chooses what closing the window does.
func (s *SystemService) SetCloseKeepsRunning(keep bool) (BackgroundView, error) {
	return withDB(s.c, func(ctx context.Context, db *store.DB) (BackgroundView, error) {
		v := "0"
		if !keep {
			v = "1"
		}
		if err := db.Tx(ctx, func(tx *store.Tx) error { return tx.SetState(ctx, keyCloseQuits, v) }); err != nil {
			return BackgroundView{}, err
		}
		return s.background(ctx, db)
	})
}

// SetStartAtLogin makes this copy of PracticePost start (minimised) when
// the user signs in to the computer, or stops it.
func (s *SystemService) SetStartAtLogin(on bool) (BackgroundView, error) {
	return withDB(s.c, func(ctx context.Context, db *store.DB) (BackgroundView, error) {
		login, err := s.Release.Login()
		if err != nil {
			return BackgroundView{}, app.Errorf(app.EUNAVAILABLE, "This computer's system does not let PracticePost start itself when you sign in. Open PracticePost yourself after each restart.")
		}
		if on {
			exe, err := s.Release.Executable()
			if err == nil {
				err = login.Enable(exe)
			}
			if err != nil {
				slog.Warn("start at login", "err", err)
				return BackgroundView{}, app.Errorf(app.EUNAVAILABLE, "PracticePost could not add itself to this computer's login items. Try again in Settings → Running in the background; if it keeps failing, ask your IT support to allow it.")
			}
		} else if err := login.Disable(); err != nil {
			slog.Warn("start at login off", "err", err)
			return BackgroundView{}, app.Errorf(app.EUNAVAILABLE, "PracticePost could not remove itself from this computer's login items. Try again in Settings → Running in the background.")
		}
		return s.background(ctx, db)
	})
}

// closeQuits is for the window's close button (not bound): the manager
// chose that closing the window quits even with posts waiting. It reads
// the setting without the lock, as the close button works locked too.
func (s *SystemService) closeQuits() bool {
	db, err := s.c.DB()
	if err != nil {
		return false
	}
	v, err := db.State(context.Background(), keyCloseQuits)
	return err == nil && v == "1"
}

func stillRunning(waiting int) (title, body string) {
	posts := "scheduled posts"
	if waiting == 1 {
		posts = "a scheduled post"
	} else if waiting > 1 {
		posts = fmt.Sprintf("%d scheduled posts", waiting)
	}
	return "PracticePost is still running",
		"It keeps running to send " + posts + ". To stop it, open PracticePost and choose PracticePost → Quit PracticePost (Ctrl+Q; ⌘Q on a Mac). Settings → Running in the background changes what closing the window does."
}

// UpdateView is Settings → Updates.
type UpdateView struct {
	// Configured is false in a build without an update feed: no check.
	Configured bool      `json:"configured"`
	Current    string    `json:"current"`
	Available  bool      `json:"available"`
	Version    string    `json:"version"`
	Notes      string    `json:"notes"`
	Page       string    `json:"page"`
	CheckedAt  time.Time `json:"checkedAt"` // zero: never checked
	// Message is what Settings says: no feed, offline, or a refused feed.
	Message string `json:"message"`
	// CanInstall: Install now can download and run the installer here.
	CanInstall bool `json:"canInstall"`
	// release is the signed release found, kept for Install now.
	release update.Release
}

// lastUpdate is what the last successful check stored.
type lastUpdate struct {
	CheckedAt time.Time      `json:"checkedAt"`
	Release   update.Release `json:"release"`
}

// updateEvery is how often PracticePost looks for a new version by itself.
const updateEvery = 24 * time.Hour

// Updates is what the last update check found; when it is more than a day
// old it checks again first, quietly: offline is not an error here.
func (s *SystemService) Updates() (UpdateView, error) {
	return s.updates(false)
}

// CheckForUpdates checks the feed now (the Check now button).
func (s *SystemService) CheckForUpdates() (UpdateView, error) {
	return s.updates(true)
}

func (s *SystemService) updates(now bool) (UpdateView, error) {
	return withDB(s.c, func(ctx context.Context, db *store.DB) (UpdateView, error) {
		v := UpdateView{Current: release.Version, Configured: s.Release.Feed.FeedURL != "" && s.Release.Feed.PublicKey != ""}
		if !v.Configured {
			v.Message = "This copy of PracticePost does not look for new versions by itself (it was built without an update feed). Ask whoever gave you PracticePost for the newest installer."
			return v, nil
		}
		if raw, err := db.State(ctx, keyUpdateResult); err == nil && raw != "" {
			var last lastUpdate
			if json.Unmarshal([]byte(raw), &last) == nil {
				v.CheckedAt, v.release = last.CheckedAt, last.Release
			}
		}
		clock := s.c.Clock.Now()
		if now || v.CheckedAt.IsZero() || clock.Sub(v.CheckedAt) >= updateEvery {
			cctx, cancel := context.WithTimeout(ctx, 30*time.Second)
			res, err := s.Release.Feed.Check(cctx, release.Version)
			cancel()
			switch {
			case errors.Is(err, update.ErrOffline):
				if now {
					v.Message = "PracticePost could not reach the update server. Check this computer's internet connection and try again."
				}
			case err != nil:
				slog.Warn("update check", "err", err)
				v.Message = "The update server's answer did not check out, so it was ignored (" + err.Error() + "). Try again later; if it keeps happening, tell whoever supports PracticePost."
			default:
				v.CheckedAt, v.release = clock, res.Release
				b, _ := json.Marshal(lastUpdate{CheckedAt: clock, Release: res.Release})
				if err := db.Tx(ctx, func(tx *store.Tx) error { return tx.SetState(ctx, keyUpdateResult, string(b)) }); err != nil {
					return UpdateView{}, err
				}
			}
		}
		v.Version, v.Notes, v.Page = v.release.Version, v.release.Notes, v.release.Page
		// Compared with this build every time: after an update the stored
		// result no longer offers the version now running.
		if v.Version != "" {
			cur, err1 := release.ParseSemver(release.Version)
			got, err2 := release.ParseSemver(v.Version)
			v.Available = err1 == nil && err2 == nil && release.Compare(got, cur) > 0
		}
		v.CanInstall = v.Available && v.release.Installer != "" && s.Release.RunInstaller != nil
		return v, nil
	})
}

// InstallUpdate downloads the newer version's installer, checks it against
// the signed feed (checked again now, not from the stored result), starts
// it and quits so it can replace PracticePost. It runs only when the
// manager clicks Install now.
func (s *SystemService) InstallUpdate() (UpdateView, error) {
	v, err := s.updates(true)
	if err != nil {
		return v, err
	}
	if !v.Configured || v.Message != "" {
		return v, app.Errorf(app.EUNAVAILABLE, "%s", orDefault(v.Message, "This copy of PracticePost cannot update itself. Download the new version from its web page."))
	}
	if !v.Available {
		return v, app.Errorf(app.ECONFLICT, "You already have the newest version (%s).", v.Current)
	}
	if !v.CanInstall {
		return v, app.Errorf(app.EUNAVAILABLE, "PracticePost installs its own updates only on Windows. Download version %s from its web page (Settings → Updates & about) and install it over this copy.", v.Version)
	}
	dir := filepath.Join(s.c.Home, "updates")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return v, app.Errorf(app.EUNAVAILABLE, "PracticePost could not make a folder for the download in its data folder (%s). Check the disk has space and try again.", dir)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	path, err := s.Release.Feed.Download(ctx, v.release, dir)
	switch {
	case errors.Is(err, update.ErrHash):
		slog.Warn("update installer refused", "version", v.Version)
		return v, app.Errorf(app.EUNAVAILABLE, "The downloaded installer is not the one the update feed signed, so it was deleted and not run. Try again later; if it keeps happening, download version %s from its web page.", v.Version)
	case errors.Is(err, update.ErrOffline):
		return v, app.Errorf(app.EUNAVAILABLE, "The download stopped: check this computer's internet connection and press Install now again.")
	case err != nil:
		slog.Warn("update download", "err", err)
		return v, app.Errorf(app.EUNAVAILABLE, "The new version could not be downloaded (%s). Try again later, or download it from its web page.", err.Error())
	}
	if err := s.Release.RunInstaller(path); err != nil {
		slog.Warn("update installer did not start", "err", err)
		return v, app.Errorf(app.EUNAVAILABLE, "The installer for version %s was downloaded to %s but did not start. Open it from there yourself.", v.Version, path)
	}
	slog.Info("update installer started", "version", v.Version)
	if s.Release.Quit != nil {
		s.Release.Quit()
	}
	return v, nil
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
