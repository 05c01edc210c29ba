package queue_test

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"testing"
	"time"

	"practicepost/app"
	"practicepost/app/publish/fault"
	"practicepost/app/publish/queue"
)

// BenchmarkFanOut publishes one request to channels whose create calls
// each take 100 ms. With channels in parallel, three cost about what one
// does, not three times as much.
func BenchmarkFanOut(b *testing.B) {
	for _, n := range []int{1, 3} {
		b.Run(fmt.Sprintf("%d channels x 100ms", n), func(b *testing.B) {
			e := newEnv(b, nil)
			for _, c := range all {
				e.faults(c.ch).Add(fault.Fault{Method: "POST", Path: c.create, Latency: 100 * time.Millisecond})
			}
			chs := []string{chFB, chMA, chBS}[:n]
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				jobs := e.enqueue(queue.Request{Text: fmt.Sprintf("Fan-out %d", i), Targets: targets(chs...)})
				e.run()
				b.StopTimer()
				for _, j := range jobs {
					if j := e.job(j.ID); j.State != app.JobPublished {
						b.Fatalf("%s: %s %s", j.Platform, j.State, j.ErrorMessage)
					}
				}
				b.StartTimer()
			}
		})
	}
}

// TestMain keeps the queue's logging out of test output unless -v.
func TestMain(m *testing.M) {
	flag.Parse()
	if !testing.Verbose() {
		slog.SetDefault(slog.New(slog.NewTextHandler(io.Discard, nil)))
	}
	os.Exit(m.Run())
}
