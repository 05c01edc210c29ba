package studio

import (
	"context"
	"os"
	"runtime"
	"runtime/metrics"
	"sync/atomic"
	"testing"
	"time"
)

// benchInput is a deterministic photo-like 12 MP JPEG (4032×3024, grain
// for realistic entropy). STUDIO_BENCH_INPUT saves it for
// scripts/studio-compare.sh, so ImageMagick and libvips read the same file.
func benchInput(b *testing.B) []byte {
	b.Helper()
	data := encodeJPEG(b, photoLike(4032, 3024, true), 90)
	if p := os.Getenv("STUDIO_BENCH_INPUT"); p != "" {
		if err := os.WriteFile(p, data, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	return data
}

// loopWithPeakHeap is the benchmark loop over op, failing on its first
// error, with allocations and the heap's high-water mark reported; what
// came before it is not timed.
func loopWithPeakHeap(b *testing.B, op func() error) {
	b.ReportAllocs()
	b.ResetTimer()
	peakHeap(b, func() {
		for b.Loop() {
			if err := op(); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// peakHeap samples the heap while f runs and reports the high-water mark.
func peakHeap(b *testing.B, f func()) {
	runtime.GC()
	var peak atomic.Uint64
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		// runtime/metrics, unlike ReadMemStats, does not stop the world,
		// so sampling does not slow the code being measured.
		sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		t := time.NewTicker(2 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				metrics.Read(sample)
				if v := sample[0].Value.Uint64(); v > peak.Load() {
					peak.Store(v)
				}
			}
		}
	}()
	f()
	close(stop)
	<-done
	b.ReportMetric(float64(peak.Load())/(1<<20), "peak-heap-MB")
}

// BenchmarkRenderAllVariants12MP is the whole export: decode a 12 MP JPEG,
// then all six sizes with a blurred caption band, logo and text, JPEG q88.
func BenchmarkRenderAllVariants12MP(b *testing.B) {
	data := benchInput(b)
	e := mustEngine(b)
	logo := testLogo(b)
	b.SetBytes(int64(len(data)))
	loopWithPeakHeap(b, func() error {
		src, err := Load(data)
		if err != nil {
			return err
		}
		spec := goldenSpec(b, "caption", src)
		spec.Logo = logo
		_, err = e.Render(context.Background(), spec, Sizes, ExportFor("instagram"))
		return err
	})
}

// editing is an editing session: the engine and a caption design over the
// benchmark photo, already decoded.
func editing(b *testing.B) (*Engine, Spec) {
	return mustEngine(b), goldenSpec(b, "caption", mustLoad(b, benchInput(b)))
}

// BenchmarkRenderAllVariantsDecoded is the same export within an editing
// session, where the photo is already decoded.
func BenchmarkRenderAllVariantsDecoded(b *testing.B) {
	e, spec := editing(b)
	loopWithPeakHeap(b, func() error {
		_, err := e.Render(context.Background(), spec, Sizes, ExportFor("instagram"))
		return err
	})
}

// BenchmarkLoad12MP is decode + working copy alone, the floor under the
// full export.
func BenchmarkLoad12MP(b *testing.B) {
	data := benchInput(b)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := Load(data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPreview540 is one preview re-render after an edit: 540 px long
// side, from the working copy, encoded for the UI.
func BenchmarkPreview540(b *testing.B) {
	e, spec := editing(b)
	loopWithPeakHeap(b, func() error {
		_, err := e.Preview(context.Background(), spec, Sizes[1], 540)
		return err
	})
}
