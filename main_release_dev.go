//go:build dev

package main

import (
	"os"

	"practicepost/app/release"
)

// releaseOverrides lets the development build check a local update feed
// (PRACTICEPOST_UPDATE_FEED_URL and PRACTICEPOST_UPDATE_PUBLIC_KEY), so the
// end-to-end suite can drive Settings → Updates; and pretend to be a
// release (PRACTICEPOST_VERSION). The release build ignores them
// (main_release.go): its feed and key are fixed at build time.
func releaseOverrides() {
	if v := os.Getenv("PRACTICEPOST_UPDATE_FEED_URL"); v != "" {
		release.UpdateFeedURL = v
	}
	if v := os.Getenv("PRACTICEPOST_UPDATE_PUBLIC_KEY"); v != "" {
		release.UpdatePublicKey = v
	}
	if v := os.Getenv("PRACTICEPOST_VERSION"); v != "" {
		release.Version = v
	}
}
