//go:build !linux && !darwin && !windows

package autostart

import "errors"

// System has no login items on this system.
func System() (Login, error) {
	return nil, errors.New("PracticePost cannot start itself at login on this system")
}
