//go:build !dev

package main

// fileDialogs are the native Open, Choose folder and Save as windows. Only
// the development build (main_dialogs_dev.go) can be told to answer them
// without a window.
func fileDialogs(native *wailsDialogs) filePickers { return native }
