package service

import (
	"log/slog"
	"time"

	"practicepost/app"
)

// Version is set at build time with -ldflags "-X practicepost/app/service.Version=...".
var Version = "0.1.0-dev"

// SystemService reports how the app is running.
type SystemService struct {
	c       *Core
	started time.Time
	onReady func(firstRender time.Duration)
}

// NewSystemService takes the process start time so cold start can be measured.
func NewSystemService(c *Core, started time.Time, onReady func(time.Duration)) *SystemService {
	return &SystemService{c: c, started: started, onReady: onReady}
}

// SystemInfo is shown in Settings and used by the start-up screen.
type SystemInfo struct {
	Version   string `json:"version"`
	DataDir   string `json:"dataDir"`
	LogFile   string `json:"logFile"`
	OpenError string `json:"openError"` // why the data file could not be opened, for a full-screen message
}

// Info describes the running app.
func (s *SystemService) Info() (SystemInfo, error) {
	info := SystemInfo{Version: Version, DataDir: s.c.Home, LogFile: LogFile(s.c.Home)}
	if _, err := s.c.DB(); err != nil {
		info.OpenError = app.ErrorMessage(err)
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
