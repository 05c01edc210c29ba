package service

import (
	"io"
	"log/slog"
	"os"
	"path/filepath"

	"gopkg.in/natefinch/lumberjack.v2"

	"practicepost/app/store"
)

// LogFile is where the app writes its log.
func LogFile(home string) string { return filepath.Join(home, "logs", "practicepost.log") }

// SetupLogging sends slog to a rotating file in the data folder (and to
// stderr when asked, for development). Nothing logged names a patient or
// holds a token or message body: callers log ids and codes only.
func SetupLogging(home string, alsoStderr bool) io.Closer {
	// lumberjack creates new files 0600 and rotated files keep their mode;
	// files left by older versions (0644) are made private here.
	store.PrivateDir(filepath.Dir(LogFile(home)))
	if old, err := filepath.Glob(filepath.Join(filepath.Dir(LogFile(home)), "practicepost*.log")); err == nil {
		for _, f := range old {
			store.PrivateFile(f)
		}
	}
	lj := &lumberjack.Logger{Filename: LogFile(home), MaxSize: 5, MaxBackups: 5, MaxAge: 90}
	var w io.Writer = lj
	if alsoStderr {
		w = io.MultiWriter(lj, os.Stderr)
	}
	slog.SetDefault(slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelInfo})))
	return lj
}
