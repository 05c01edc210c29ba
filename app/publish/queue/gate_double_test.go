package queue_test

import (
	"context"
	"sync"
	"time"

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
}

type gateCall struct {
	JobID  int64
	State  store.PublishState // as the gate's reader saw the job
	Moment time.Time
}

func (g *openGate) Job(ctx context.Context, r gate.Reader, j store.PublishJob, now, moment time.Time) (gate.Result, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	seen := j.State
	if db, ok := r.(*store.DB); ok && j.ID != 0 {
		if cur, err := db.PublishJob(ctx, j.ID); err == nil {
			seen = cur.State
		}
	}
	g.calls = append(g.calls, gateCall{JobID: j.ID, State: seen, Moment: moment})
	res := gate.Result{Report: guard.Report{Channel: gate.ChannelOf(j.Platform), Findings: []guard.Finding{}}}
	if why, ok := g.block[j.ID]; ok {
		res.Report.Findings = append(res.Report.Findings, guard.Finding{Kind: "test", Severity: guard.Block, Message: why})
		res.Report.Blocked = true
	}
	return res, nil
}
