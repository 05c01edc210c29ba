package service

import (
	"log/slog"
	"time"

	"practicepost/app"
	"practicepost/app/release"
	"practicepost/app/store"
)

// SystemService reports how the app is running.
type SystemService struct {
	c       *Core
	started time.Time
	onReady func(firstRender time.Duration)
	// Release holds start at login and the update check
	// (system_release.go); tests replace its parts.
	Release ReleaseOptions
}

// NewSystemService takes the process start time so cold start can be measured.
func NewSystemService(c *Core, started time.Time, onReady func(time.Duration)) *SystemService {
	return &SystemService{c: c, started: started, onReady: onReady, Release: defaultReleaseOptions()}
}

// SystemInfo is shown in Settings and used by the start-up screen.
type SystemInfo struct {
	Version   string `json:"version"`
	Commit    string `json:"commit"`
	BuildDate string `json:"buildDate"`
	DataDir   string `json:"dataDir"`
	LogFile   string `json:"logFile"`
	OpenError string `json:"openError"` // why the data file could not be opened, for a full-screen message
	// OpenErrorCode is the error's code: "recovery" means the start-up
	// screen asks for the recovery key.
	OpenErrorCode string `json:"openErrorCode"`
	// DataFolderSync names the syncing service (OneDrive, iCloud Drive,
	// Dropbox, Google Drive) whose folder holds the data folder, or "".
	DataFolderSync string `json:"dataFolderSync"`
	// DataFolderWarning says in words why that is a problem and what to do.
	DataFolderWarning string `json:"dataFolderWarning"`
}

// Info describes the running app.
func (s *SystemService) Info() (SystemInfo, error) {
	info := SystemInfo{Version: release.Version, Commit: release.Commit, BuildDate: release.BuildDate, DataDir: s.c.Home, LogFile: LogFile(s.c.Home)}
	info.DataFolderSync, info.DataFolderWarning = DataFolderWarning(s.c.Home)
	if _, err := s.c.DB(); err != nil {
		info.OpenError, info.OpenErrorCode = app.ErrorMessage(err), app.ErrorCode(err)
	}
	return info, nil
}

// Ready is called by the frontend after its first render.
func (s *SystemService) Ready() error {
	d := time.Since(s.started)
	slog.Info("first render", "ms", d.Milliseconds())
	if s.onReady != nil {
		s.onReady(d)
	}
	return nil
}

// DataFolderWarning reports whether the data folder is inside a folder a
// syncing service copies, and says why that matters. A live database synced
// while it is written can be corrupted and copied half-written to other
// computers; sealed backups in such a folder are fine.
func DataFolderWarning(home string) (service, warning string) {
	service = store.SyncedFolder(home)
	if service == "" {
		return "", ""
	}
	return service, "PracticePost's data folder (" + home + ") is inside your " + service + " folder. " + service +
		" copies files while PracticePost is writing them, which can damage your data file and copy patient records to other devices. " +
		"Move the data folder out of " + service + " (start PracticePost with PRACTICEPOST_HOME set to a folder on this computer, or ask your IT support), " +
		"and keep backups there instead: backups are sealed and safe to sync."
}
