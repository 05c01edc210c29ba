package autostart

import (
	"fmt"
	"os"
	"path/filepath"
)

// System is a LaunchAgent in ~/Library/LaunchAgents, which launchd starts
// when the user logs in (RunAtLoad).
func System() (Login, error) {
	home, err := os.UserHomeDir()
	if err != nil {
		return nil, fmt.Errorf("no home folder to put the login item in: %w", err)
	}
	return fileLogin{path: filepath.Join(home, "Library", "LaunchAgents", LaunchAgentLabel+".plist"), content: LaunchAgent, exec: ExecFromLaunchAgent}, nil
}
