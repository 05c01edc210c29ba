package store

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Files PracticePost writes hold patient data, so they are private to the
// user who runs it: folders 0700 and files 0600 on macOS and Linux (set
// explicitly, so the umask cannot widen or narrow them), and on Windows a
// protected ACL granting only the current user (private_windows.go).

// PrivateDir creates dir (and its parents) if needed and makes it private.
func PrivateDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	return restrict(dir, true)
}

// PrivateFile makes an existing file private.
func PrivateFile(path string) error { return restrict(path, false) }

// CreatePrivate creates (or truncates) path for writing, private from the
// first byte: there is no moment at which another user could open it.
func CreatePrivate(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return nil, err
	}
	if err := restrict(path, false); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// privateDataFile creates the data file empty and private if it is missing
// (SQLite then gives its -wal and -shm files the same mode), and makes an
// existing file and its companions private, for files made by older
// versions with the default 0644.
func privateDataFile(path string) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err == nil {
		f.Close()
	} else if !errors.Is(err, fs.ErrExist) {
		return err
	}
	for _, p := range []string{path, path + "-wal", path + "-shm", path + "-journal"} {
		if err := restrict(p, false); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return nil
}

// SyncedFolder names the file-syncing service whose folder holds path
// ("OneDrive", "iCloud Drive", "Dropbox", "Google Drive"), or "" if none is
// recognised. It goes by the folder names those services create, which is
// all a desktop app can rely on without their own tools.
func SyncedFolder(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	parts := strings.FieldsFunc(abs, func(r rune) bool { return r == '/' || r == '\\' })
	for i, p := range parts {
		l := strings.ToLower(p)
		// macOS File Provider folders: ~/Library/CloudStorage/<Service>-<account>.
		inCloudStorage := i > 0 && strings.EqualFold(parts[i-1], "CloudStorage")
		switch {
		// OneDrive: "OneDrive", "OneDrive - Harbour Dental" (business);
		// on macOS ~/Library/CloudStorage/OneDrive-Personal.
		case l == "onedrive" || strings.HasPrefix(l, "onedrive - ") || (inCloudStorage && strings.HasPrefix(l, "onedrive")):
			return "OneDrive"
		// iCloud Drive: ~/Library/Mobile Documents/com~apple~CloudDocs;
		// on Windows %USERPROFILE%\iCloudDrive.
		case l == "icloud drive" || l == "iclouddrive" || l == "com~apple~clouddocs" ||
			(l == "mobile documents" && i > 0 && strings.EqualFold(parts[i-1], "Library")):
			return "iCloud Drive"
		// Dropbox: "Dropbox", "Dropbox (Harbour Dental)", CloudStorage/Dropbox-….
		case l == "dropbox" || strings.HasPrefix(l, "dropbox (") || (inCloudStorage && strings.HasPrefix(l, "dropbox")):
			return "Dropbox"
		// Google Drive: "Google Drive", "My Drive" (the G: drive),
		// CloudStorage/GoogleDrive-….
		case l == "google drive" || l == "googledrive" || l == "my drive" || (inCloudStorage && strings.HasPrefix(l, "googledrive")):
			return "Google Drive"
		}
	}
	return ""
}
