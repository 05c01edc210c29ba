package service

import (
	"errors"
	"io/fs"
	"os"
	"syscall"
	"testing"
)

// Each way a save fails is said in the manager's words.
func TestSaveProblem(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want string
	}{
		{&fs.PathError{Op: "open", Path: "/x", Err: syscall.EACCES}, "this computer does not let PracticePost save files there"},
		{&fs.PathError{Op: "open", Path: "/x", Err: syscall.EPERM}, "this computer does not let PracticePost save files there"},
		{&fs.PathError{Op: "open", Path: "/x", Err: syscall.ENOENT}, "that folder does not exist any more"},
		{&fs.PathError{Op: "open", Path: "/x", Err: syscall.ENOTDIR}, "that folder does not exist any more"},
		{&fs.PathError{Op: "write", Path: "/x", Err: syscall.ENOSPC}, "the disk is full"},
		{&os.LinkError{Op: "rename", Old: "/x.part", New: "/x", Err: syscall.EROFS}, "that disk is read-only"},
		{errors.New("something else"), "the file could not be written there"},
	} {
		if got := saveProblem(tc.err); got != tc.want {
			t.Errorf("%v: %q, want %q", tc.err, got, tc.want)
		}
	}
}
