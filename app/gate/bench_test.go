package gate_test

import (
	"fmt"
	"testing"
	"time"

	"practicepost/app"
	"practicepost/app/gate"
	"practicepost/app/store"
)

// BenchmarkGateJob is the gate as the queue runs it when it claims a job,
// inside a write transaction, on a practice with 1,000 patients who each
// signed a consent: load everything a post may rely on, then judge it.
func BenchmarkGateJob(b *testing.B) {
	r := newRig(b)
	var tm app.Testimonial
	for i := 0; i < 1000; i++ {
		p := r.patient(fmt.Sprintf("Patient%04d Example%04d", i, i), adult)
		c := r.consent(p, terms{})
		if i == 0 {
			tm = r.testimonial(p, c, app.IdentityInitials)
		}
	}
	jobs, err := r.enqueue(testimonialPost(tm, t0.Add(time.Hour), chMA))
	if err != nil {
		b.Fatalf("setup: %v", err)
	}
	g := gate.New()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		err := r.db.Tx(ctx, func(tx *store.Tx) error {
			j, err := tx.PublishJob(ctx, jobs[0].ID)
			if err != nil {
				return err
			}
			res, err := g.Job(ctx, tx.Reader(), j, nil, t0, gate.JobMoment(j, t0))
			if err == nil && res.Blocked() {
				err = fmt.Errorf("blocked: %v", res.Reasons())
			}
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}
