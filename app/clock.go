package app

import "time"

// Clock is injected wherever the current time matters (expiry, schedules,
// audit timestamps) so tests can pin it.
type Clock interface {
	Now() time.Time
}

// SystemClock reads the real time, always in UTC.
type SystemClock struct{}

func (SystemClock) Now() time.Time { return time.Now().UTC() }

// FixedClock is a settable clock for tests.
type FixedClock struct{ T time.Time }

func (c *FixedClock) Now() time.Time          { return c.T }
func (c *FixedClock) Advance(d time.Duration) { c.T = c.T.Add(d) }
