//go:build !windows

package service

// runInstaller is nil off Windows: macOS and Linux copies are updated by
// downloading the new version from its page.
var runInstaller func(path string) error
