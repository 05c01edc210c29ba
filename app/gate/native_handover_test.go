package gate_test

import (
	"sync"
	"testing"
	"time"

	"practicepost/app"
	"practicepost/app/publish/queue"
)

// A withdrawal recorded while a post is being handed to Facebook to hold
// for later finds the job in flight; the hand-over's own record judges it
// again, so Facebook's copy is deleted before its time, not published.
func TestWithdrawalDuringTheHandOverToFacebookDeletesIt(t *testing.T) {
	r := newRig(t)
	_, c, tm := quoted(r, terms{})
	at := t0.Add(48 * time.Hour) // far enough ahead: Facebook holds it
	jobs, err := r.enqueue(testimonialPost(tm, at, chFB))
	if err != nil {
		t.Fatal(err)
	}
	var once sync.Once
	r.hook = func(j queue.Job, s queue.Step) {
		if s == queue.StepAttempting {
			// After the claim committed, before Facebook answered.
			once.Do(func() { r.withdraw(c) })
		}
	}
	r.run()
	r.hook = nil
	r.run()
	j := r.job(jobs[0].ID)
	if j.State != app.JobBlocked || j.RemoteID == "" || j.Takedown != app.TakedownDeleted {
		t.Fatalf("after the hand-over: state %s takedown %q remote %q (%s)", j.State, j.Takedown, j.RemoteID, j.ErrorMessage)
	}
	r.advance(49 * time.Hour)
	if n := r.wentLive(); n != 0 {
		t.Fatalf("the withdrawn consent's post went live on Facebook %d time(s); job %s", n, r.job(jobs[0].ID).State)
	}
}
