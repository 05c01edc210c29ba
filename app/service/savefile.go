package service

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"

	"practicepost/app"
	"practicepost/app/store"
)

// saveChosen writes b to path, a file the practice manager chose in the
// save dialog, readable by them alone. It writes a temporary file beside
// it and renames that into place, so a failure (the folder gone, no
// permission, the disk full) leaves neither half a file nor a spoilt older
// one. The error says what went wrong in words and what to do next: again
// says where, e.g. "On Insights, click Export CSV again". The path is
// shown to the person but not logged (the error wraps no cause).
func saveChosen(path string, b []byte, what, again string) error {
	tmp := path + ".part"
	f, err := store.CreatePrivate(tmp)
	if err == nil {
		_, err = f.Write(b)
		if serr := f.Sync(); err == nil {
			err = serr
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err == nil {
			err = os.Rename(tmp, path)
		}
		if err != nil {
			os.Remove(tmp)
		}
	}
	if err == nil {
		return nil
	}
	return app.Errorf(app.EUNAVAILABLE, "The %s could not be saved in %s: %s. %s and choose a folder you can save to, such as Documents.",
		what, filepath.Dir(path), saveProblem(err), again)
}

// saveProblem says in a few words why a file could not be written.
func saveProblem(err error) string {
	switch {
	case errors.Is(err, fs.ErrPermission):
		return "this computer does not let PracticePost save files there"
	case errors.Is(err, fs.ErrNotExist), errors.Is(err, syscall.ENOTDIR):
		return "that folder does not exist any more"
	case errors.Is(err, syscall.ENOSPC):
		return "the disk is full"
	case errors.Is(err, syscall.EROFS):
		return "that disk is read-only"
	}
	return "the file could not be written there"
}
