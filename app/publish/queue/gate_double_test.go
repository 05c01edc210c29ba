package queue_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"practicepost/app"
	"practicepost/app/publish/queue"

	"practicepost/app/gate"
	"practicepost/app/guard"
	"practicepost/app/store"
)

// openGate passes every job: the tests of the queue's sending, retrying and
// crash recovery judge those, not consent. It records each call with the
// job's state as the calling transaction sees it, so tests can tell the
// gate ran inside the transaction that stores or claims the job. The real
// gate is driven through the queue in app/service's gate suite.
type openGate struct {
	mu    sync.Mutex
	calls []gateCall
	block map[int64]string // job id → a reason to refuse it
	// probe, when set, tries a write from outside while the gate runs: it
	// can only fail if the caller holds the write transaction.
	probe *store.DB
}

type gateCall struct {
	JobID  int64
	State  app.PublishState // as the gate's reader saw the job
	Moment time.Time
	Locked bool // a write from outside could not start: the caller's transaction was open
	// Details are the words the job sends beside its text, as judged.
	Details []gate.Detail
}

func (g *openGate) Job(ctx context.Context, r gate.Reader, j app.PublishJob, details []gate.Detail, now, moment time.Time) (gate.Result, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	seen := j.State
	if db, ok := r.(*store.DB); ok && j.ID != 0 {
		if cur, err := db.PublishJob(ctx, j.ID); err == nil {
			seen = cur.State
		}
	}
	locked := false
	if g.probe != nil {
		pctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 300*time.Millisecond)
		err := g.probe.Tx(pctx, func(tx *store.Tx) error { return tx.SetState(pctx, "probe", "x") })
		cancel()
		locked = err != nil
	}
	g.calls = append(g.calls, gateCall{JobID: j.ID, State: seen, Moment: moment, Locked: locked, Details: details})
	res := gate.Result{Report: guard.Report{Channel: gate.ChannelOf(j.Platform), Findings: []guard.Finding{}}}
	if why, ok := g.block[j.ID]; ok {
		res.Report.Findings = append(res.Report.Findings, guard.Finding{Kind: "test", Severity: guard.Block, Message: why})
		res.Report.Blocked = true
	}
	return res, nil
}

// The gate runs inside the transaction that stores a job and inside the
// one that claims it: it sees the job row the enqueue has not committed
// yet, and while it runs no other write can start. A job it refuses at the
// claim becomes blocked with its reason and nothing is sent.
func TestGateRunsInsideTheTransactions(t *testing.T) {
	g := &openGate{block: map[int64]string{}}
	e := newEnv(t, func(o *queue.Options) { o.Gate = g })
	g.probe = e.db
	jobs := e.enqueue(queue.Request{Text: "Open late on Thursday", Targets: targets(chMA, chBS)})
	if len(g.calls) != 2 {
		t.Fatalf("gate calls at enqueue: %+v", g.calls)
	}
	for _, c := range g.calls {
		if c.JobID == 0 || c.State != app.JobQueued || !c.Locked {
			t.Errorf("enqueue: the gate ran outside the transaction: %+v", c)
		}
	}
	g.mu.Lock()
	g.calls = nil
	g.block[jobs[1].ID] = "A patient consent this post relies on has expired."
	g.mu.Unlock()
	e.run()
	if len(g.calls) != 2 {
		t.Fatalf("gate calls at the claim: %+v", g.calls)
	}
	for _, c := range g.calls {
		if !c.Locked || c.State != app.JobQueued {
			t.Errorf("claim: the gate ran outside the transaction: %+v", c)
		}
	}
	if j := e.job(jobs[0].ID); j.State != app.JobPublished {
		t.Errorf("the job the gate passed: %s", j.State)
	}
	j := e.job(jobs[1].ID)
	if j.State != app.JobBlocked || j.ErrorKind != "gate_blocked" || !strings.Contains(j.ErrorMessage, "has expired") {
		t.Errorf("the job the gate refused: %s %s %q", j.State, j.ErrorKind, j.ErrorMessage)
	}
	if n := e.live(chBS); n != 0 {
		t.Errorf("a refused job reached Bluesky: %d posts", n)
	}
	// Publish now asks the gate again; refused, it stays blocked and says why.
	if _, err := e.q.PublishNow(ctx, jobs[1].ID); app.ErrorCode(err) != app.EFORBIDDEN || !strings.Contains(app.ErrorMessage(err), "has expired") {
		t.Errorf("publish now on a refused job: %v", err)
	}
	g.mu.Lock()
	delete(g.block, jobs[1].ID)
	g.mu.Unlock()
	if _, err := e.q.PublishNow(ctx, jobs[1].ID); err != nil {
		t.Fatalf("publish now once the gate passes: %v", err)
	}
	e.run()
	if j := e.job(jobs[1].ID); j.State != app.JobPublished || e.live(chBS) != 1 {
		t.Errorf("after the fix: %s, %d on Bluesky", j.State, e.live(chBS))
	}
}

// A post Facebook held, taken down there when its consent was put on hold,
// is not sent again from its old record when the hold is released: Publish
// now says to publish the post again, and Facebook gets nothing new.
func TestHeldPostTakenDownIsNotResentFromItsRecord(t *testing.T) {
	e := newEnv(t, nil)
	j := e.enqueue(queue.Request{Text: "Saturday clinic", At: t0.Add(2 * time.Hour), Zone: "Europe/London", ConsentIDs: []string{"c9"}, Targets: targets(chFB)})[0]
	e.run()
	if j = e.job(j.ID); j.State != app.JobScheduledRemote {
		t.Fatalf("not handed to Facebook: %s", j.State)
	}
	if _, err := e.q.Hold(ctx, "c9"); err != nil {
		t.Fatal(err)
	}
	e.run()
	if j = e.job(j.ID); j.State != app.JobBlocked || j.Takedown != app.TakedownDeleted {
		t.Fatalf("after the hold: %s, takedown %q", j.State, j.Takedown)
	}
	if _, err := e.q.PublishNow(ctx, j.ID); app.ErrorCode(err) != app.ECONFLICT || !strings.Contains(app.ErrorMessage(err), "publish it again") {
		t.Fatalf("publish now on a post taken down: %v", err)
	}
	e.run()
	if posts := e.fb.Posts(); len(posts) != 1 || !posts[0].Deleted {
		t.Fatalf("Facebook: %+v", posts)
	}
}
