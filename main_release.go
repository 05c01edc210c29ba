//go:build !dev

package main

// releaseOverrides does nothing in a release build: its update feed is the
// one built in (main_release_dev.go lets the development build use a test
// feed).
func releaseOverrides() {}
