package service

import "os/exec"

// runInstaller starts the checked installer and leaves it running after
// PracticePost quits; Windows asks the user to allow it (UAC).
func runInstaller(path string) error { return exec.Command(path).Start() }
