//go:build dev

package main

import (
	"log/slog"
	"os"
	"time"

	"practicepost/app"
)

// appClock in the development build honours PRACTICEPOST_CLOCK_OFFSET
// ("12m", "-1h"), so the end-to-end suite can restart the app as if it had
// been closed for that long: a post due meanwhile must come back as missed.
// The release build ignores the variable (main_clock.go).
func appClock() app.Clock {
	v := os.Getenv("PRACTICEPOST_CLOCK_OFFSET")
	if v == "" {
		return app.SystemClock{}
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		slog.Warn("PRACTICEPOST_CLOCK_OFFSET ignored", "value", v, "err", err)
		return app.SystemClock{}
	}
	return offsetClock{d}
}

// offsetClock is the real time shifted by a fixed amount.
type offsetClock struct{ d time.Duration }

func (c offsetClock) Now() time.Time { return time.Now().UTC().Add(c.d) }
