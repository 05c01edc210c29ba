//go:build dev

package main

import (
	"log/slog"
	"os"
	"path/filepath"
	"slices"
)

// fileDialogs in the development build honours PRACTICEPOST_SAVE_DIR: the
// file dialogs answer from that folder without opening a window, so the
// end-to-end suite, which drives the app from a browser, can export and
// read what was saved. The release build ignores the variable
// (main_dialogs.go): its dialogs are always the native ones.
func fileDialogs(native *wailsDialogs) filePickers {
	dir := os.Getenv("PRACTICEPOST_SAVE_DIR")
	if dir == "" {
		return native
	}
	slog.Warn("file dialogs answered from PRACTICEPOST_SAVE_DIR, without a window")
	return folderDialogs{dir}
}

// folderDialogs answers every file dialog from one folder. A file named
// "cancel" in it makes each dialog answer as if the person pressed Cancel,
// so a test can cancel without restarting the app.
type folderDialogs struct{ dir string }

func (d folderDialogs) cancelled() bool {
	_, err := os.Stat(filepath.Join(d.dir, "cancel"))
	return err == nil
}

// SaveFile answers the folder and the suggested name, as pressing Save at
// once would.
func (d folderDialogs) SaveFile(title, defaultName, patternName, pattern string) (string, error) {
	if d.cancelled() {
		return "", nil
	}
	return filepath.Join(d.dir, filepath.Base(defaultName)), nil
}

// ChooseFolder answers the folder itself.
func (d folderDialogs) ChooseFolder(title, start string) (string, error) {
	if d.cancelled() {
		return "", nil
	}
	return d.dir, nil
}

// ChooseFile answers the first file in the folder, by name, that matches
// pattern ("*.ppbackup"); "" when none does, as a person finding nothing
// to pick would cancel.
func (d folderDialogs) ChooseFile(title, start, patternName, pattern string) (string, error) {
	if d.cancelled() {
		return "", nil
	}
	matches, err := filepath.Glob(filepath.Join(d.dir, pattern))
	if err != nil {
		return "", err
	}
	slices.Sort(matches)
	for _, m := range matches {
		if fi, err := os.Stat(m); err == nil && fi.Mode().IsRegular() {
			return m, nil
		}
	}
	return "", nil
}
