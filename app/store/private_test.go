//go:build !windows

package store_test

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"practicepost/app/store"
)

func mode(t *testing.T, path string) os.FileMode {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return st.Mode().Perm()
}

// The modes hold whatever the umask: a permissive one (0) cannot widen
// them and a strict one cannot make the files unusable.
func TestPermFilesArePrivate(t *testing.T) {
	for _, umask := range []int{0, 0o022, 0o077} {
		old := syscall.Umask(umask)
		t.Cleanup(func() { syscall.Umask(old) })

		home := filepath.Join(t.TempDir(), "PracticePost")
		db, err := store.Open(ctx, filepath.Join(home, store.FileName), nil)
		if err != nil {
			t.Fatal(err)
		}
		rename(t, db, "Private Practice") // a write, so the WAL exists
		backups := filepath.Join(t.TempDir(), "backups")
		os.Mkdir(backups, 0o755)
		b, err := db.Backup(ctx, backups, nil)
		if err != nil {
			t.Fatal(err)
		}
		auto := filepath.Join(home, "backups")
		if _, err := db.AutoBackup(ctx, auto, 7); err != nil {
			t.Fatal(err)
		}
		autos, _ := store.ListBackups(auto)
		safety, err := db.Restore(ctx, b.Path, filepath.Join(home, "safety copies"))
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]os.FileMode{
			home:                 0o700,
			db.Path():            0o600,
			db.Path() + "-wal":   0o600,
			db.Path() + "-shm":   0o600,
			b.Path:               0o600,
			auto:                 0o700,
			autos[0].Path:        0o600,
			filepath.Dir(safety): 0o700,
			safety:               0o600,
		}
		for p, m := range want {
			if got := mode(t, p); got != m {
				t.Errorf("umask %03o: %s is %v, want %v", umask, p, got, m)
			}
		}
		db.Close()
	}
}

func TestPermOpenMakesAnOlderFilePrivate(t *testing.T) {
	home := filepath.Join(t.TempDir(), "PracticePost")
	db, err := store.Open(ctx, filepath.Join(home, store.FileName), nil)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	// As an older version left them.
	os.Chmod(home, 0o755)
	os.Chmod(filepath.Join(home, store.FileName), 0o644)
	db, err = store.Open(ctx, filepath.Join(home, store.FileName), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rename(t, db, "Now Private")
	for p, m := range map[string]os.FileMode{home: 0o700, db.Path(): 0o600, db.Path() + "-wal": 0o600, db.Path() + "-shm": 0o600} {
		if got := mode(t, p); got != m {
			t.Errorf("%s is %v, want %v", p, got, m)
		}
	}
}

func TestPermSyncedFolder(t *testing.T) {
	for path, want := range map[string]string{
		`/Users/ann/Library/Mobile Documents/com~apple~CloudDocs/PracticePost`: "iCloud Drive",
		`/Users/ann/Library/CloudStorage/OneDrive-Personal/PracticePost`:       "OneDrive",
		`/Users/ann/Library/CloudStorage/GoogleDrive-ann@example.com/My Drive`: "Google Drive",
		`/home/ann/Dropbox (Quay Dental)/PracticePost`:                         "Dropbox",
		`C:\Users\ann\OneDrive - Quay Dental\Documents\PracticePost`:           "OneDrive",
		`C:\Users\ann\iCloudDrive\PracticePost`:                                "iCloud Drive",
		`G:\My Drive\PracticePost`:                                             "Google Drive",
		`/Users/ann/Library/Application Support/PracticePost`:                  "",
		`C:\Users\ann\AppData\Roaming\PracticePost`:                            "",
		`/home/ann/Documents/dropbox-notes-old/PracticePost`:                   "",
		`/home/ann/Documents/Dropboxes/PracticePost`:                           "",
	} {
		if got := store.SyncedFolder(path); got != want {
			t.Errorf("%s: got %q, want %q", path, got, want)
		}
	}
}
