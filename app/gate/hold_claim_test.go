package gate_test

import (
	"net/http"
	"testing"
	"time"

	"practicepost/app"
	"practicepost/app/publish/fault"
	"practicepost/app/store"
)

// An emailed withdrawal (a hold) committed during the reconcile look-up,
// before the claim and before the queue is told of it, is in force at the
// claim: the gate judges at the claim's instant, not the attempt's start.
func TestHoldCommittedDuringTheLookUpStopsTheClaim(t *testing.T) {
	r := newRig(t)
	_, c, tm := quoted(r, terms{})
	jobs, err := r.enqueue(testimonialPost(tm, time.Time{}, chFB))
	if err != nil {
		t.Fatal(err)
	}
	if err := r.db.Tx(ctx, func(tx *store.Tx) error {
		j, err := tx.PublishJob(ctx, jobs[0].ID)
		if err != nil {
			return err
		}
		j.Reconcile, j.State = true, app.JobWaiting
		return tx.SavePublishJob(ctx, &j, "test")
	}); err != nil {
		t.Fatal(err)
	}
	r.fb.Faults.Add(fault.Fault{Method: http.MethodGet, Path: "feed", Latency: 400 * time.Millisecond, Times: 1})
	done := make(chan struct{})
	go func() {
		defer close(done)
		time.Sleep(100 * time.Millisecond)
		r.clock.Set(r.clock.Now().Add(time.Minute))
		now := r.clock.Now()
		// The reply is recorded with its hold (as store.RecordReply does);
		// OnHold -> queue.Hold has not run yet.
		if err := r.db.Tx(ctx, func(tx *store.Tx) error {
			return tx.PutHold(ctx, c.Consent.ID, 0, now, "The patient asked by email to withdraw.")
		}); err != nil {
			t.Error(err)
		}
	}()
	r.run()
	<-done
	j := r.job(jobs[0].ID)
	if n := r.wentLive(); n != 0 {
		t.Fatalf("sent although the hold was committed before the claim: %d post(s) live, job %s", n, j.State)
	}
	if j.State != app.JobBlocked {
		t.Fatalf("job %s (%s), not blocked by the hold", j.State, j.ErrorMessage)
	}
}
