//go:build dev

package main

import (
	"testing"
	"time"

	"practicepost/app"
)

func TestAppClockOffset(t *testing.T) {
	for _, tc := range []struct {
		env  string
		want time.Duration
	}{{"", 0}, {"15m", 15 * time.Minute}, {"-2h", -2 * time.Hour}, {"soon", 0}} {
		t.Run(tc.env, func(t *testing.T) {
			t.Setenv("PRACTICEPOST_CLOCK_OFFSET", tc.env)
			before := time.Now().UTC()
			got := appClock().Now()
			after := time.Now().UTC()
			if got.Before(before.Add(tc.want)) || got.After(after.Add(tc.want)) {
				t.Errorf("now %v, want between %v and %v", got, before.Add(tc.want), after.Add(tc.want))
			}
			if _, ok := appClock().(app.SystemClock); ok != (tc.want == 0) {
				t.Errorf("system clock used: %v", ok)
			}
		})
	}
}
