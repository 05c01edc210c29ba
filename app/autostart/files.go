//go:build linux || darwin

package autostart

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
)

// fileLogin is a login item that is one file: the XDG autostart entry or
// the LaunchAgent.
type fileLogin struct {
	path    string
	content func(exe string) string
	exec    func(text string) string
}

func (f fileLogin) Enabled() (bool, string, error) {
	b, err := os.ReadFile(f.path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, "", nil
	}
	if err != nil {
		return false, "", err
	}
	return true, f.exec(string(b)), nil
}

func (f fileLogin) Enable(exe string) error {
	if err := os.MkdirAll(filepath.Dir(f.path), 0o755); err != nil {
		return err
	}
	// Written whole, then renamed: the system never reads half an entry.
	tmp := f.path + ".tmp"
	if err := os.WriteFile(tmp, []byte(f.content(exe)), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, f.path)
}

func (f fileLogin) Disable() error {
	if err := os.Remove(f.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}
