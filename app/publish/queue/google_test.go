package queue_test

import (
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"practicepost/app"
	"practicepost/app/gate"
	"practicepost/app/publish"
	"practicepost/app/publish/fault"
	"practicepost/app/publish/gbp"
	gbpfake "practicepost/app/publish/gbp/gbptest"
	"practicepost/app/publish/queue"
	"practicepost/app/store"
)

// withGoogle connects a Google location whose client gives up waiting
// after two status reads, so a post outlives the wait inside CreatePost.
func (e *env) withGoogle(cfg gbpfake.Config) *gbpfake.Server {
	e.t.Helper()
	cfg.Now = e.clock.Now
	g := gbpfake.New(cfg)
	e.t.Cleanup(g.Close)
	e.pubsMu.Lock()
	e.pubs[chGB] = gbp.NewClient(g.URL, "1122334455", "9988776655", "g-token", gbp.Options{
		HTTP: e.hc, Clock: e.clock, InfoURL: g.URL, PollInterval: time.Millisecond, PollTimeout: 2 * time.Millisecond,
	})
	e.pubsMu.Unlock()
	return g
}

func googleTarget() []queue.Target { return []queue.Target{{Channel: chGB, Platform: publish.Google}} }

// next moves the clock to the job's next look and runs the queue.
func (e *env) next(id int64) queue.Job {
	e.t.Helper()
	j := e.job(id)
	if j.NextAt.IsZero() {
		e.t.Fatalf("job %d has nothing planned: %s %q", id, j.State, j.ErrorMessage)
	}
	e.clock.Advance(j.NextAt.Sub(e.clock.Now()))
	e.run()
	return e.job(id)
}

func (e *env) published(id int64) int {
	n := 0
	for _, s := range e.ev.steps(id) {
		if s == queue.StepPublished {
			n++
		}
	}
	return n
}

func TestGoogleProcessingPastTheWaitWaitsUntilLive(t *testing.T) {
	e := newEnv(t, nil)
	// CreatePost reads twice; the post turns LIVE on the fifth read.
	g := e.withGoogle(gbpfake.Config{ProcessingPolls: 5})
	j := e.enqueue(queue.Request{Text: "Saturday clinic this week.", Targets: googleTarget()})[0]
	e.run()
	j = e.job(j.ID)
	for looks := 0; j.State != app.JobPublished; looks++ {
		if looks > 4 {
			t.Fatalf("never published: %s %q", j.State, j.ErrorMessage)
		}
		if j.State != app.JobWaiting || !j.Reconcile || j.RemoteID != "" || j.ErrorCode != "PROCESSING" || e.published(j.ID) != 0 {
			t.Fatalf("look %d, while Google processes: %s reconcile=%v id=%q code=%q", looks, j.State, j.Reconcile, j.RemoteID, j.ErrorCode)
		}
		if ev := e.ev.last(j.ID); ev.Step != queue.StepWaiting || !strings.Contains(ev.Message, "still checking") {
			t.Fatalf("look %d: the manager is told %+v", looks, ev)
		}
		j = e.next(j.ID)
	}
	posts := g.Posts()
	if len(posts) != 1 || j.RemoteID != posts[0].Name || !strings.Contains(j.RemoteURL, "lpsid=") || e.published(j.ID) != 1 {
		t.Fatalf("%d posts, job %q %q, published %d times", len(posts), j.RemoteID, j.RemoteURL, e.published(j.ID))
	}
	e.clock.Advance(time.Hour)
	e.run()
	if j = e.job(j.ID); j.State != app.JobPublished || len(g.Posts()) != 1 || e.published(j.ID) != 1 {
		t.Fatalf("after: %s, %d posts", j.State, len(g.Posts()))
	}
}

func TestGoogleProcessingThenRejectedIsNeverPublished(t *testing.T) {
	e := newEnv(t, nil)
	g := e.withGoogle(gbpfake.Config{ProcessingPolls: 3, RejectWords: []string{"guaranteed"}})
	j := e.enqueue(queue.Request{Text: "Guaranteed whiter teeth in a week.", Targets: googleTarget()})[0]
	e.run()
	if j = e.job(j.ID); j.State != app.JobWaiting || !j.Reconcile {
		t.Fatalf("while processing: %s reconcile=%v", j.State, j.Reconcile)
	}
	j = e.next(j.ID)
	if j.State != app.JobFailed || j.ErrorKind != string(publish.KindRejected) || j.ErrorCode != "REJECTED" ||
		!strings.Contains(j.ErrorMessage, "Google rejected this post") || j.RemoteID != "" || j.Reconcile || !j.NextAt.IsZero() {
		t.Fatalf("after Google's review: %s %s %s %q id=%q reconcile=%v next=%v", j.State, j.ErrorKind, j.ErrorCode, j.ErrorMessage, j.RemoteID, j.Reconcile, j.NextAt)
	}
	if ev := e.ev.last(j.ID); ev.Step != queue.StepFailed || ev.Kind != publish.KindRejected || !strings.Contains(ev.Message, "Google rejected") {
		t.Errorf("the manager is told %+v", ev)
	}
	if raw, err := e.db.PublishJobRaw(ctx, j.ID); err != nil || !strings.Contains(string(raw), `"REJECTED"`) {
		t.Errorf("Google's answer is not kept for support: %s %v", raw, err)
	}
	looks := func() int {
		atts, err := e.q.Attempts(ctx, j.ID)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, a := range atts {
			if a.Action == "reconcile" {
				n++
			}
		}
		return n
	}
	before := looks()
	e.clock.Advance(24 * time.Hour)
	e.run()
	if j = e.job(j.ID); j.State != app.JobFailed || looks() != before {
		t.Fatalf("a settled rejection is looked up again: %s, %d looks (was %d)", j.State, looks(), before)
	}
	if e.published(j.ID) != 0 || g.Live() != 0 || len(g.Posts()) != 1 {
		t.Fatalf("published %d, live %d, posts %d", e.published(j.ID), g.Live(), len(g.Posts()))
	}
}

func TestGoogleStatusReadFailingKeepsWaiting(t *testing.T) {
	e := newEnv(t, nil)
	g := e.withGoogle(gbpfake.Config{ProcessingPolls: 1})
	// The read by name fails inside CreatePost and again at the next look.
	g.Faults.Add(fault.Fault{Method: "GET", Path: "/localPosts/", Status: 503, Times: 2})
	j := e.enqueue(queue.Request{Text: "Parking is free after 5 pm.", Targets: googleTarget()})[0]
	e.run()
	if j = e.job(j.ID); j.State != app.JobWaiting || !j.Reconcile || j.RemoteID != "" {
		t.Fatalf("status unknown after create: %s reconcile=%v", j.State, j.Reconcile)
	}
	j = e.next(j.ID)
	if j.State != app.JobWaiting || !j.Reconcile || j.ErrorKind != string(publish.KindTransient) || e.published(j.ID) != 0 {
		t.Fatalf("status read failed again: %s %s reconcile=%v", j.State, j.ErrorKind, j.Reconcile)
	}
	j = e.next(j.ID)
	if j.State != app.JobPublished || len(g.Posts()) != 1 || e.published(j.ID) != 1 {
		t.Fatalf("once readable and LIVE: %s, %d posts", j.State, len(g.Posts()))
	}
}

// Google taking longer than the queue's patience: the job stops with a
// message that says what is known, and Publish now looks before sending.
func TestGoogleProcessingOutlastsRetries(t *testing.T) {
	e := newEnv(t, func(o *queue.Options) { o.MaxRetries = 2 })
	g := e.withGoogle(gbpfake.Config{ProcessingPolls: 6})
	j := e.enqueue(queue.Request{Text: "New hygienist joins in May.", Targets: googleTarget()})[0]
	e.run()
	j = e.next(j.ID) // third read
	j = e.next(j.ID) // fourth read: out of retries
	if j.State != app.JobFailed || !strings.Contains(j.ErrorMessage, "could not confirm whether this post is on Google") || e.published(j.ID) != 0 {
		t.Fatalf("%s %q", j.State, j.ErrorMessage)
	}
	e.clock.Advance(time.Hour)
	e.run() // fifth read, the last look on its own
	if j = e.job(j.ID); j.State != app.JobFailed || !j.NextAt.IsZero() {
		t.Fatalf("%s next=%v", j.State, j.NextAt)
	}
	if _, err := e.q.PublishNow(ctx, j.ID); err != nil {
		t.Fatal(err)
	}
	e.run() // sixth read: LIVE
	if j = e.job(j.ID); j.State != app.JobPublished || len(g.Posts()) != 1 {
		t.Fatalf("Publish now: %s, %d posts", j.State, len(g.Posts()))
	}
}

// Google deciding after the queue stopped checking on its own: the last
// look finds the rejection, and that is what the manager sees.
func TestGoogleRejectedAfterRetriesRanOut(t *testing.T) {
	e := newEnv(t, func(o *queue.Options) { o.MaxRetries = 2 })
	g := e.withGoogle(gbpfake.Config{ProcessingPolls: 5, RejectWords: []string{"guaranteed"}})
	j := e.enqueue(queue.Request{Text: "Guaranteed results or your money back.", Targets: googleTarget()})[0]
	e.run()
	j = e.next(j.ID)
	j = e.next(j.ID)
	if j.State != app.JobFailed || !j.Reconcile || !strings.Contains(j.ErrorMessage, "could not confirm") {
		t.Fatalf("out of retries: %s reconcile=%v %q", j.State, j.Reconcile, j.ErrorMessage)
	}
	j = e.next(j.ID) // the last look on its own: REJECTED
	if j.State != app.JobFailed || j.ErrorKind != string(publish.KindRejected) || !strings.Contains(j.ErrorMessage, "Google rejected this post") || j.Reconcile || !j.NextAt.IsZero() {
		t.Fatalf("after the rejection: %s %s %q reconcile=%v next=%v", j.State, j.ErrorKind, j.ErrorMessage, j.Reconcile, j.NextAt)
	}
	if ev := e.ev.last(j.ID); ev.Step != queue.StepFailed || !strings.Contains(ev.Message, "Google rejected") {
		t.Errorf("the manager is told %+v", ev)
	}
	if e.published(j.ID) != 0 || g.Live() != 0 {
		t.Fatal("a rejected post counted as published")
	}
}

// A Google event's details go out beside the text: the gate judges them
// when the job is stored and again inside the transaction that claims it,
// and what the platform receives is exactly what it judged at the claim.
func TestGoogleTopicIsJudgedAndSentAsJudged(t *testing.T) {
	g := &openGate{block: map[int64]string{}}
	e := newEnv(t, func(o *queue.Options) { o.Gate = g })
	gb := e.withGoogle(gbpfake.Config{})
	start := t0.AddDate(0, 0, 7)
	topic := &publish.Topic{Type: "OFFER", Title: "Spring whitening", Start: start, End: start.Add(72 * time.Hour),
		CouponCode: "SMILE10", RedeemURL: "https://harbour.example/offer?ref=spring", Terms: "One per patient."}
	_, jobs, err := e.q.Enqueue(ctx, queue.Request{DraftID: "1", Text: "10% off whitening this spring.", Zone: "Europe/London",
		At: t0.Add(time.Hour), Targets: googleTarget(), Topic: topic})
	if err != nil {
		t.Fatal(err)
	}
	want := []gate.Detail{{What: "offer's title", Text: "Spring whitening"}, {What: "offer's voucher code", Text: "SMILE10"},
		{What: "offer's redeem link", Text: "https://harbour.example/offer?ref=spring", Link: true}, {What: "offer's terms", Text: "One per patient."}}
	e.clock.Advance(time.Hour)
	e.run()
	if j := e.job(jobs[0].ID); j.State != app.JobPublished {
		t.Fatalf("job %s %q, want published", j.State, j.ErrorMessage)
	}
	g.mu.Lock()
	calls := slices.Clone(g.calls)
	g.mu.Unlock()
	if len(calls) != 2 {
		t.Fatalf("the gate ran %d times, want at the enqueue and at the claim", len(calls))
	}
	for i, c := range calls {
		if !reflect.DeepEqual(c.Details, want) {
			t.Errorf("call %d judged details %+v, want %+v", i, c.Details, want)
		}
	}
	posts := gb.Posts()
	if len(posts) != 1 {
		t.Fatalf("%d posts on Google, want 1", len(posts))
	}
	offer, _ := posts[0].Body["offer"].(map[string]any)
	event, _ := posts[0].Body["event"].(map[string]any)
	if offer["couponCode"] != "SMILE10" || offer["termsConditions"] != "One per patient." || event["title"] != "Spring whitening" {
		t.Errorf("Google received %v, not the details judged", posts[0].Body)
	}
}

// Details saved with a post that can no longer be read block it with a
// message that says what to do, and nothing is sent: an event would
// otherwise go out as a plain update, its details unjudged.
func TestGoogleDamagedTopicBlocksWithoutSending(t *testing.T) {
	e := newEnv(t, nil)
	gb := e.withGoogle(gbpfake.Config{})
	start := t0.AddDate(0, 0, 7)
	req, jobs, err := e.q.Enqueue(ctx, queue.Request{DraftID: "1", Text: "Open morning.", Zone: "Europe/London", At: t0.Add(time.Hour),
		Targets: googleTarget(), Topic: &publish.Topic{Type: "EVENT", Title: "Open morning", Start: start, End: start.Add(time.Hour)}})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.db.Tx(ctx, func(tx *store.Tx) error {
		return tx.SetSealedState(ctx, app.PublishTopicStatePrefix+strconv.FormatInt(req.ID, 10), "{not json")
	}); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(time.Hour)
	e.run()
	j := e.job(jobs[0].ID)
	if j.State != app.JobBlocked || !strings.Contains(j.ErrorMessage, "event or offer details saved with this post are damaged") {
		t.Fatalf("job %s %q, want blocked for its damaged details", j.State, j.ErrorMessage)
	}
	if n := len(gb.Posts()); n != 0 {
		t.Fatalf("%d posts reached Google", n)
	}
}
