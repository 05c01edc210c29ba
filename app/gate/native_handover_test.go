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

// A post Facebook holds for later is judged again until its time: a
// patient added after the hand-over, whom the post names, has it deleted
// from Facebook before it goes out. One that still passes goes out.
func TestAPostFacebookHoldsIsJudgedAgainBeforeItsTime(t *testing.T) {
	r := newRig(t)
	at := t0.Add(48 * time.Hour)
	named, err := r.enqueue(request("Congratulations to Ada Quinn on finishing her first marathon!", at, chFB))
	if err != nil {
		t.Fatal(err)
	}
	plain, err := r.enqueue(request("Our Christmas opening hours are on the website.", at, chFB))
	if err != nil {
		t.Fatal(err)
	}
	r.run()
	if j := r.job(named[0].ID); j.State != app.JobScheduledRemote {
		t.Fatalf("not handed to Facebook: %s (%s)", j.State, j.ErrorMessage)
	}
	r.advance(3 * time.Hour)
	r.patient("Ada Quinn", app.CivilDate{Year: 1990, Month: 5, Day: 6})
	r.advance(2 * time.Hour)
	if j := r.job(named[0].ID); j.State != app.JobBlocked || j.Takedown != app.TakedownDeleted {
		t.Fatalf("the post naming a patient added since: %s, takedown %q (%s)", j.State, j.Takedown, j.ErrorMessage)
	}
	r.advance(48 * time.Hour)
	if j := r.job(plain[0].ID); j.State != app.JobPublished || r.wentLive() != 1 {
		t.Fatalf("the plain post: %s; %d went live", j.State, r.wentLive())
	}
}
