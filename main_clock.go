//go:build !dev

package main

import "practicepost/app"

// appClock is the clock the whole app runs on: the real one. Only the
// development build (main_clock_dev.go) can be told to run ahead.
func appClock() app.Clock { return app.SystemClock{} }
