package autostart

import (
	"fmt"
	"os"
	"path/filepath"
)

// System is the XDG autostart entry in $XDG_CONFIG_HOME/autostart (by
// default ~/.config/autostart), which GNOME, KDE, Xfce and others read.
func System() (Login, error) {
	dir := os.Getenv("XDG_CONFIG_HOME")
	if dir == "" || !filepath.IsAbs(dir) {
		home, err := os.UserHomeDir()
		if err != nil {
			return nil, fmt.Errorf("no home folder to put the login entry in: %w", err)
		}
		dir = filepath.Join(home, ".config")
	}
	return fileLogin{path: filepath.Join(dir, "autostart", "practicepost.desktop"), content: DesktopEntry, exec: ExecFromDesktopEntry}, nil
}
