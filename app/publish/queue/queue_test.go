package queue_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"practicepost/app"
	"practicepost/app/publish"
	"practicepost/app/publish/bluesky"
	bsfake "practicepost/app/publish/bluesky/blueskytest"
	"practicepost/app/publish/facebook"
	fbfake "practicepost/app/publish/facebook/facebooktest"
	"practicepost/app/publish/fault"
	"practicepost/app/publish/mastodon"
	mafake "practicepost/app/publish/mastodon/mastodontest"
	"practicepost/app/publish/queue"
	"practicepost/app/store"
)

var (
	ctx = context.Background()
	t0  = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
)

// clock is a settable clock safe to read from the fakes' goroutines.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time          { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// recorder keeps every emitted progress event.
type recorder struct {
	mu sync.Mutex
	ev []queue.Progress
}

func (r *recorder) Emit(name string, data any) {
	if name != queue.EventProgress {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.ev = append(r.ev, data.(queue.Progress))
}

func (r *recorder) steps(job int64) []queue.Step {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []queue.Step
	for _, e := range r.ev {
		if e.JobID == job {
			out = append(out, e.Step)
		}
	}
	return out
}

func (r *recorder) last(job int64) queue.Progress {
	r.mu.Lock()
	defer r.mu.Unlock()
	var p queue.Progress
	for _, e := range r.ev {
		if e.JobID == job {
			p = e
		}
	}
	return p
}

// creds are what the resolver connects with; tests swap them to simulate
// a connection that was withdrawn and then reconnected.
type creds struct {
	mu                     sync.Mutex
	fbToken, maToken, bsPW string
}

type env struct {
	t      testing.TB
	clock  *clock
	path   string
	db     *store.DB
	q      *queue.Queue
	opt    queue.Options
	fb     *fbfake.Server
	ma     *mafake.Server
	bs     *bsfake.Server
	ev     *recorder
	creds  *creds
	hc     *http.Client
	pubs   map[string]publish.Publisher
	pubsMu sync.Mutex
	recon  []string
}

const (
	chFB = "fb-page"
	chMA = "mastodon-main"
	chBS = "bluesky-main"
)

func newEnv(t testing.TB, mod func(*queue.Options)) *env {
	t.Helper()
	e := &env{t: t, clock: &clock{t: t0}, ev: &recorder{}, creds: &creds{fbToken: "page-token", maToken: "masto-token", bsPW: "abcd-efgh-ijkl-mnop"},
		hc: &http.Client{Timeout: 2 * time.Second}}
	e.fb = fbfake.New(fbfake.Config{Now: e.clock.Now})
	e.ma = mafake.New(mafake.Config{Now: e.clock.Now})
	e.bs = bsfake.New(bsfake.Config{Now: e.clock.Now})
	t.Cleanup(func() { e.fb.Close(); e.ma.Close(); e.bs.Close() })
	e.path = filepath.Join(t.TempDir(), store.FileName)
	db, err := store.Open(ctx, e.path, e.clock)
	if err != nil {
		t.Fatal(err)
	}
	e.db = db
	t.Cleanup(func() { e.db.Close() })
	e.opt = queue.Options{Clock: e.clock, Emitter: e.ev, Rand: func() float64 { return 0.5 }, Gate: &openGate{},
		OnNeedsReconnect: func(ch string) { e.pubsMu.Lock(); e.recon = append(e.recon, ch); e.pubsMu.Unlock() }}
	if mod != nil {
		mod(&e.opt)
	}
	e.pubs = map[string]publish.Publisher{}
	e.q = queue.New(db, queue.ResolverFunc(e.resolve), e.opt)
	return e
}

func (e *env) resolve(_ context.Context, ch string) (publish.Publisher, error) {
	e.pubsMu.Lock()
	defer e.pubsMu.Unlock()
	if p, ok := e.pubs[ch]; ok {
		return p, nil
	}
	e.creds.mu.Lock()
	defer e.creds.mu.Unlock()
	var p publish.Publisher
	switch ch {
	case chFB:
		p = facebook.NewClient(e.fb.URL, "100200300", e.creds.fbToken, facebook.Options{HTTP: e.hc, Clock: e.clock})
	case chMA:
		p = mastodon.NewClient(e.ma.URL, e.creds.maToken, mastodon.Options{HTTP: e.hc, Clock: e.clock, PollInterval: 10 * time.Millisecond})
	case chBS:
		p = bluesky.NewClient(e.bs.URL, "smiledental.bsky.social", e.creds.bsPW, bluesky.Options{HTTP: e.hc, Clock: e.clock})
	default:
		return nil, app.Errorf(app.ENOTFOUND, "That channel is not connected.")
	}
	e.pubs[ch] = p
	return p, nil
}

// reconnect drops cached clients so the next resolve uses the current creds.
func (e *env) reconnect() {
	e.pubsMu.Lock()
	e.pubs = map[string]publish.Publisher{}
	e.pubsMu.Unlock()
}

// restart is PracticePost quitting and starting again on the same file.
func (e *env) restart() {
	e.t.Helper()
	e.q.Wait()
	e.db.Close()
	db, err := store.Open(ctx, e.path, e.clock)
	if err != nil {
		e.t.Fatal(err)
	}
	e.db = db
	e.reconnect()
	e.q = queue.New(db, queue.ResolverFunc(e.resolve), e.opt)
}

func (e *env) run() {
	e.t.Helper()
	if err := e.q.RunDue(ctx); err != nil {
		e.t.Fatal(err)
	}
}

func (e *env) job(id int64) queue.Job {
	e.t.Helper()
	j, err := e.q.Job(ctx, id)
	if err != nil {
		e.t.Fatal(err)
	}
	return j
}

func (e *env) image(w, h int, alt string) queue.Media {
	e.t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), 200, 255})
		}
	}
	var buf bytes.Buffer
	png.Encode(&buf, img)
	var sha string
	err := e.db.Tx(ctx, func(tx *store.Tx) error {
		var err error
		sha, err = tx.PutBlob(ctx, buf.Bytes(), "image/png", w, h)
		return err
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return queue.Media{SHA256: sha, Alt: alt}
}

// live counts the posts on a fake that are up (or held for later) and not deleted.
func (e *env) live(ch string) int {
	n := 0
	switch ch {
	case chFB:
		for _, p := range e.fb.Posts() {
			if !p.Deleted && p.ID != "" {
				n++
			}
		}
	case chMA:
		for _, s := range e.ma.Statuses() {
			if !s.Deleted {
				n++
			}
		}
		for _, s := range e.ma.ScheduledStatuses() {
			if !s.Deleted && s.StatusID == "" {
				n++
			}
		}
	case chBS:
		for _, r := range e.bs.Records() {
			if !r.Deleted {
				n++
			}
		}
	}
	return n
}

func (e *env) faults(ch string) interface{ Add(fault.Fault) } {
	switch ch {
	case chFB:
		return e.fb.Faults
	case chMA:
		return e.ma.Faults
	}
	return e.bs.Faults
}

var all = []struct {
	ch       string
	platform publish.Platform
	create   string // path of the create call, for faults
}{
	{chFB, publish.Facebook, "/100200300/feed"},
	{chMA, publish.Mastodon, "/api/v1/statuses"},
	{chBS, publish.Bluesky, "createRecord"},
}

func targets(chs ...string) []queue.Target {
	var out []queue.Target
	for _, c := range all {
		for _, ch := range chs {
			if c.ch == ch {
				out = append(out, queue.Target{Channel: c.ch, Platform: c.platform})
			}
		}
	}
	return out
}

func (e *env) enqueue(r queue.Request) []queue.Job {
	e.t.Helper()
	_, jobs, err := e.q.Enqueue(ctx, r)
	if err != nil {
		e.t.Fatal(err)
	}
	return jobs
}

func hasStep(steps []queue.Step, s queue.Step) bool {
	for _, x := range steps {
		if x == s {
			return true
		}
	}
	return false
}

func TestHappyPathPerPlatform(t *testing.T) {
	e := newEnv(t, nil)
	img := e.image(64, 48, "A bright treatment room")
	jobs := e.enqueue(queue.Request{DraftID: "draft-1", Text: "Our new hygiene clinic opens on Monday #smiles", Link: "https://smiledental.example/hygiene",
		Media: []queue.Media{img}, ConsentIDs: []string{"consent-7"}, Targets: targets(chFB, chMA, chBS)})
	if len(jobs) != 3 {
		t.Fatalf("%d jobs, want one per channel", len(jobs))
	}
	for _, j := range jobs {
		if j.State != app.JobQueued || j.IdemKey == "" {
			t.Fatalf("new job %+v", j)
		}
	}
	e.run()
	for _, j0 := range jobs {
		j := e.job(j0.ID)
		t.Run(j.Platform, func(t *testing.T) {
			if j.State != app.JobPublished || j.RemoteID == "" || j.RemoteURL == "" || j.PublishedAt.IsZero() {
				t.Fatalf("job after run: %+v", j)
			}
			if n := e.live(j.Channel); n != 1 {
				t.Errorf("%d posts on %s, want 1", n, j.Platform)
			}
			steps := e.ev.steps(j.ID)
			for _, s := range []queue.Step{queue.StepQueued, queue.StepUploading, queue.StepCreating, queue.StepConfirming, queue.StepPublished} {
				if !hasStep(steps, s) {
					t.Errorf("no %s event; got %v", s, steps)
				}
			}
			if last := e.ev.last(j.ID); last.URL != j.RemoteURL || last.State != app.JobPublished {
				t.Errorf("last event %+v", last)
			}
			atts, err := e.q.Attempts(ctx, j.ID)
			if err != nil || len(atts) != 1 || atts[0].Outcome != "ok" || len(atts[0].Raw) == 0 || atts[0].IdemKey != j.IdemKey {
				t.Errorf("attempts %+v %v", atts, err)
			}
			raw, _ := e.db.PublishJobRaw(ctx, j.ID)
			if !bytes.Contains(raw, []byte(lastSegment(j.RemoteID))) {
				t.Errorf("raw response kept with the job does not mention its id: %s", raw)
			}
		})
	}
	// The image and its alt text reached every platform.
	fbp := e.fb.Posts()[0]
	if len(fbp.Photo) == 0 || !strings.Contains(fbp.Message, "https://smiledental.example/hygiene") {
		t.Errorf("facebook post %+v", fbp.Message)
	}
	st := e.ma.Statuses()[0]
	if m, ok := e.ma.Media(st.MediaIDs[0]); !ok || m.Description != "A bright treatment room" {
		t.Errorf("mastodon media %+v", m)
	}
	if rec := e.bs.Records()[0]; !bytes.Contains(rec.Value, []byte(`"alt":"A bright treatment room"`)) {
		t.Errorf("bluesky record without alt text: %s", rec.Value)
	}
	// The activity log has each state change, by id, and no post text.
	page, _ := e.db.ListAudit(ctx, 100, 0)
	actions := map[string]int{}
	for _, a := range page.Entries {
		actions[a.Action]++
		for _, v := range a.Detail {
			if strings.Contains(v, "hygiene") {
				t.Errorf("post text in the activity log: %+v", a)
			}
		}
	}
	if actions["publish.queue"] != 3 || actions["publish.attempting"] != 3 || actions["publish.published"] != 3 {
		t.Errorf("audit actions %v", actions)
	}
	if res, _ := e.db.VerifyAudit(ctx); !res.OK {
		t.Errorf("audit chain %+v", res)
	}
	// Nothing is due any more: running again sends nothing.
	e.run()
	for _, c := range all {
		if n := e.live(c.ch); n != 1 {
			t.Errorf("%s: %d posts after a second run", c.ch, n)
		}
	}
}

func lastSegment(id string) string {
	if i := strings.LastIndexAny(id, "/_:"); i >= 0 {
		return id[i+1:]
	}
	return id
}

func TestRateLimitWaitsForResetThenPosts(t *testing.T) {
	for _, c := range all {
		t.Run(c.ch, func(t *testing.T) {
			e := newEnv(t, nil)
			e.faults(c.ch).Add(fault.Fault{Method: "POST", Path: c.create, Status: 429, Reset: 9 * time.Minute, Times: 1})
			j := e.enqueue(queue.Request{Text: "Half-term opening hours for " + c.ch, Targets: targets(c.ch)})[0]
			e.run()
			j = e.job(j.ID)
			if j.State != app.JobWaiting || j.ErrorKind != string(publish.KindRateLimited) {
				t.Fatalf("after 429: %s %s %s", j.State, j.ErrorKind, j.ErrorMessage)
			}
			wait := j.NextAt.Sub(t0)
			if wait < 9*time.Minute || wait > 9*time.Minute+3*time.Second {
				t.Errorf("waits %v, want the reset (9 min) plus a moment", wait)
			}
			if ev := e.ev.last(j.ID); ev.Step != queue.StepWaiting || !ev.RetryAt.Equal(j.NextAt) || ev.Message == "" {
				t.Errorf("waiting event %+v", ev)
			}
			e.clock.Advance(5 * time.Minute)
			e.run()
			if n := e.live(c.ch); n != 0 {
				t.Fatalf("posted before the reset: %d", n)
			}
			e.clock.Advance(5 * time.Minute)
			e.run()
			j = e.job(j.ID)
			if j.State != app.JobPublished || e.live(c.ch) != 1 || j.Waits != 0 {
				t.Fatalf("after reset: %s, %d posts", j.State, e.live(c.ch))
			}
		})
	}
}

func TestServerErrorBacksOffAndPostsOnce(t *testing.T) {
	for _, c := range all {
		t.Run(c.ch, func(t *testing.T) {
			e := newEnv(t, nil)
			e.faults(c.ch).Add(fault.Fault{Method: "POST", Path: c.create, Status: 503, Times: 2})
			j := e.enqueue(queue.Request{Text: "Flu clinic dates for " + c.ch, Targets: targets(c.ch)})[0]
			e.run()
			j = e.job(j.ID)
			// 5xx may have gone through: look before posting again.
			if j.State != app.JobWaiting || j.ErrorKind != string(publish.KindTransient) || !j.Reconcile {
				t.Fatalf("after 503: %+v", j)
			}
			if d := j.NextAt.Sub(t0); d != 30*time.Second {
				t.Errorf("first backoff %v, want 30 s (jitter pinned to the middle)", d)
			}
			e.clock.Advance(30 * time.Second)
			e.run()
			j = e.job(j.ID)
			if j.State != app.JobWaiting || j.Retries != 2 {
				t.Fatalf("after second 503: %s retries %d", j.State, j.Retries)
			}
			if d := j.NextAt.Sub(e.clock.Now()); d != time.Minute {
				t.Errorf("second backoff %v, want 1 min", d)
			}
			e.clock.Advance(time.Minute)
			e.run()
			j = e.job(j.ID)
			if j.State != app.JobPublished || e.live(c.ch) != 1 {
				t.Fatalf("after recovery: %s, %d posts", j.State, e.live(c.ch))
			}
			atts, _ := e.q.Attempts(ctx, j.ID)
			var reconciles int
			for _, a := range atts {
				if a.Action == "reconcile" {
					reconciles++
				}
			}
			if c.ch != chMA && reconciles != 2 {
				t.Errorf("%d look-ups before retrying, want 2: %+v", reconciles, atts)
			}
		})
	}
}

func TestTransientGivesUpAfterMaxRetries(t *testing.T) {
	e := newEnv(t, func(o *queue.Options) { o.MaxRetries = 2 })
	e.faults(chBS).Add(fault.Fault{Method: "POST", Path: "createRecord", Status: 502})
	j := e.enqueue(queue.Request{Text: "Down all day", Targets: targets(chBS)})[0]
	for i := 0; i < 4; i++ {
		e.run()
		e.clock.Advance(time.Hour)
	}
	j = e.job(j.ID)
	if j.State != app.JobFailed || j.ErrorKind != string(publish.KindTransient) || !strings.Contains(j.ErrorMessage, "3 tries") {
		t.Fatalf("%s %s %q", j.State, j.ErrorKind, j.ErrorMessage)
	}
	if e.live(chBS) != 0 {
		t.Fatal("posted although every create failed")
	}
}

func TestLostResponseIsReconciledNotRepeated(t *testing.T) {
	for _, c := range all {
		t.Run(c.ch, func(t *testing.T) {
			e := newEnv(t, nil)
			e.hc.Timeout = 300 * time.Millisecond
			e.faults(c.ch).Add(fault.Fault{Method: "POST", Path: c.create, AfterCommit: fault.Hang, Times: 1})
			j := e.enqueue(queue.Request{Text: "Lost answer on " + c.ch, Targets: targets(c.ch)})[0]
			e.run()
			j = e.job(j.ID)
			if j.State != app.JobWaiting || !j.Reconcile || e.live(c.ch) != 1 {
				t.Fatalf("after a lost answer: %s reconcile=%v posts=%d", j.State, j.Reconcile, e.live(c.ch))
			}
			e.clock.Advance(time.Minute)
			e.run()
			j = e.job(j.ID)
			if j.State != app.JobPublished || e.live(c.ch) != 1 {
				t.Fatalf("after reconciling: %s %s, %d posts", j.State, j.ErrorMessage, e.live(c.ch))
			}
			if c.ch == chMA && e.ma.Replays() != 1 {
				t.Errorf("mastodon replays %d, want the same Idempotency-Key answered once", e.ma.Replays())
			}
			if err := e.pubs[c.ch].DeletePost(ctx, j.RemoteID); err != nil || e.live(c.ch) != 0 {
				t.Errorf("the reconciled id is not the post's: %v", err)
			}
		})
	}
}

func TestAuthFailureStopsChannelUntilReconnected(t *testing.T) {
	e := newEnv(t, nil)
	e.creds.fbToken, e.creds.maToken, e.creds.bsPW = "withdrawn", "withdrawn", "old-password"
	first := e.enqueue(queue.Request{Text: "First post", Targets: targets(chFB, chMA, chBS)})
	second := e.enqueue(queue.Request{Text: "Second post", Targets: targets(chFB, chMA, chBS)})
	fbCalls := len(e.fb.Requests())
	e.run()
	for _, j0 := range append(first, second...) {
		j := e.job(j0.ID)
		if j.State != app.JobFailed || j.ErrorKind != string(publish.KindAuth) || !strings.Contains(j.ErrorMessage, "onnect") {
			t.Errorf("%s: %s %s %q", j.Platform, j.State, j.ErrorKind, j.ErrorMessage)
		}
		if !j.NextAt.IsZero() {
			t.Errorf("%s: an auth failure is retried at %v", j.Platform, j.NextAt)
		}
	}
	// One refused call per channel, not one per job.
	if n := len(e.fb.Requests()) - fbCalls; n != 1 {
		t.Errorf("%d calls to Facebook with a refused token, want 1", n)
	}
	if len(e.recon) != 3 {
		t.Errorf("needs-reconnect told for %v", e.recon)
	}
	e.creds.fbToken, e.creds.maToken, e.creds.bsPW = "page-token", "masto-token", "abcd-efgh-ijkl-mnop"
	e.reconnect()
	for _, ch := range []string{chFB, chMA, chBS} {
		resumed, err := e.q.ResumeChannel(ctx, ch)
		if err != nil || len(resumed) != 2 {
			t.Fatalf("resume %s: %d jobs, %v", ch, len(resumed), err)
		}
	}
	e.run()
	for _, j0 := range append(first, second...) {
		if j := e.job(j0.ID); j.State != app.JobPublished {
			t.Errorf("%s after reconnecting: %s %q", j.Platform, j.State, j.ErrorMessage)
		}
	}
	for _, c := range all {
		if n := e.live(c.ch); n != 2 {
			t.Errorf("%s: %d posts, want 2", c.ch, n)
		}
	}
}

func TestRejectedContentFailsWithPlatformMessage(t *testing.T) {
	long := strings.Repeat("Teeth whitening explained. ", 30)
	cases := []struct {
		ch, text string
		prepare  func(e *env)
		want     string // in the platform's own message or ours
	}{
		{chFB, "Same words twice", func(e *env) {
			e.enqueue(queue.Request{Text: "Same words twice", Targets: targets(chFB)})
			e.run()
		}, "identical"},
		{chMA, long, nil, "character limit"},
		{chBS, long, nil, "300"},
	}
	for _, c := range cases {
		t.Run(c.ch, func(t *testing.T) {
			e := newEnv(t, nil)
			if c.prepare != nil {
				c.prepare(e)
			}
			before := e.live(c.ch)
			j := e.enqueue(queue.Request{Text: c.text, Targets: targets(c.ch)})[0]
			e.run()
			j = e.job(j.ID)
			if j.State != app.JobFailed || j.ErrorKind != string(publish.KindRejected) || !j.NextAt.IsZero() {
				t.Fatalf("%s %s next %v", j.State, j.ErrorKind, j.NextAt)
			}
			if !strings.Contains(j.ErrorMessage+" "+j.PlatformMessage, c.want) {
				t.Errorf("message %q / platform %q lacks %q", j.ErrorMessage, j.PlatformMessage, c.want)
			}
			if ev := e.ev.last(j.ID); ev.Step != queue.StepFailed || ev.Message == "" || ev.Kind != publish.KindRejected {
				t.Errorf("failed event %+v", ev)
			}
			e.clock.Advance(time.Hour)
			e.run()
			if n := e.live(c.ch); n != before {
				t.Errorf("a refused post was retried: %d posts", n)
			}
		})
	}
}

func TestEnqueueRefusesBadRequests(t *testing.T) {
	e := newEnv(t, nil)
	cases := []struct {
		name, field string
		r           queue.Request
	}{
		{"no channels", "targets", queue.Request{Text: "x"}},
		{"unknown platform", "targets", queue.Request{Text: "x", Targets: []queue.Target{{Channel: "x1", Platform: "myspace"}}}},
		{"empty post", "text", queue.Request{Targets: targets(chMA)}},
		{"bad zone", "zone", queue.Request{Text: "x", Zone: "Mars/Olympus", At: t0.Add(time.Hour), Targets: targets(chMA)}},
		{"time passed", "at", queue.Request{Text: "x", Zone: "Europe/London", At: t0.Add(-time.Hour), Targets: targets(chMA)}},
		{"missing image", "media", queue.Request{Text: "x", Media: []queue.Media{{SHA256: strings.Repeat("ab", 32)}}, Targets: targets(chMA)}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := e.q.Enqueue(ctx, c.r)
			var ae *app.Error
			if !errors.As(err, &ae) || ae.Code != app.EINVALID || ae.Field != c.field || ae.Message == "" {
				t.Fatalf("err %v, want invalid on %s", err, c.field)
			}
		})
	}
	if jobs, _ := e.q.Jobs(ctx, queue.Filter{}); len(jobs) != 0 {
		t.Errorf("%d jobs stored from refused requests", len(jobs))
	}
}

func TestScheduledPostGoesOutOnTime(t *testing.T) {
	e := newEnv(t, nil)
	at := t0.Add(30 * time.Minute)
	// Facebook only 8 minutes ahead: too close for its own scheduling.
	jobs := e.enqueue(queue.Request{Text: "Open evening tonight", At: at, Zone: "Europe/London", Targets: targets(chMA, chBS)})
	fbJob := e.enqueue(queue.Request{Text: "Open evening soon", At: t0.Add(8 * time.Minute), Zone: "Europe/London", Targets: targets(chFB)})[0]
	if fbJob.Native {
		t.Fatal("8 minutes ahead handed to Facebook's scheduling")
	}
	e.run()
	e.clock.Advance(29 * time.Minute)
	e.run()
	for _, c := range all[1:] {
		if n := e.live(c.ch); n != 0 {
			t.Fatalf("%s posted a minute early", c.ch)
		}
	}
	if j := e.job(fbJob.ID); j.State != app.JobPublished || e.live(chFB) != 1 {
		t.Fatalf("facebook job at its time: %s", j.State)
	}
	e.clock.Advance(time.Minute)
	e.run()
	for _, j0 := range jobs {
		j := e.job(j0.ID)
		if j.State != app.JobPublished || !j.PublishedAt.Equal(at) || j.Zone != "Europe/London" {
			t.Errorf("%s: %s at %v zone %s", j.Platform, j.State, j.PublishedAt, j.Zone)
		}
	}
}

func TestMissedWhileClosedWaitsForUser(t *testing.T) {
	e := newEnv(t, nil)
	at := t0.Add(time.Hour)
	missed := e.enqueue(queue.Request{Text: "Morning post", At: at, Zone: "Europe/London", Targets: targets(chFB, chMA, chBS)})
	// Within the grace period: still goes out.
	onTime := e.enqueue(queue.Request{Text: "Later post", At: at.Add(57 * time.Minute), Zone: "Europe/London", Targets: targets(chMA)})[0]
	// Publish now, but PracticePost quit before sending it.
	now := e.enqueue(queue.Request{Text: "Right now post", Targets: targets(chBS)})[0]

	e.restart()
	e.clock.Advance(2 * time.Hour) // closed from 09:00 to 11:00
	rec, err := e.q.Recover(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.Missed) != 4 || len(rec.Reconciling) != 0 {
		t.Fatalf("recovery %+v", rec)
	}
	e.run()
	for _, j0 := range append(missed, now) {
		j := e.job(j0.ID)
		if j.State != app.JobMissed || !j.NextAt.IsZero() || j.ErrorMessage == "" {
			t.Errorf("%d %s: %s next %v", j.ID, j.Platform, j.State, j.NextAt)
		}
		if ev := e.ev.last(j.ID); ev.Step != queue.StepMissed {
			t.Errorf("last event %+v", ev)
		}
	}
	if j := e.job(onTime.ID); j.State != app.JobPublished {
		t.Errorf("job due 3 minutes before the restart: %s", j.State)
	}
	for _, c := range all {
		want := 0
		if c.ch == chMA {
			want = 1
		}
		if n := e.live(c.ch); n != want {
			t.Errorf("%s: %d posts after a missed time, want %d", c.ch, n, want)
		}
	}
	// The user decides: publish one now, give another a new time.
	if _, err := e.q.PublishNow(ctx, missed[0].ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.q.Reschedule(ctx, missed[1].ID, e.clock.Now().Add(time.Hour), "America/New_York"); err != nil {
		t.Fatal(err)
	}
	e.run()
	if j := e.job(missed[0].ID); j.State != app.JobPublished {
		t.Errorf("publish now: %s", j.State)
	}
	if j := e.job(missed[1].ID); j.State != app.JobQueued || j.Zone != "America/New_York" {
		t.Errorf("rescheduled: %s %s", j.State, j.Zone)
	}
	if _, err := e.q.Reschedule(ctx, missed[2].ID, t0, ""); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("a new time in the past: %v", err)
	}
}

func TestFacebookNativeScheduling(t *testing.T) {
	e := newEnv(t, nil)
	at := t0.Add(2 * time.Hour)
	img := e.image(32, 32, "Smile")
	j := e.enqueue(queue.Request{Text: "Saturday clinic", Media: []queue.Media{img}, At: at, Zone: "Europe/London", Targets: targets(chFB)})[0]
	if !j.Native || !j.NextAt.Equal(t0) {
		t.Fatalf("2 h ahead: native=%v next=%v", j.Native, j.NextAt)
	}
	e.run()
	j = e.job(j.ID)
	if j.State != app.JobScheduledRemote || j.RemoteID == "" || !j.RemoteScheduledAt.Equal(at) {
		t.Fatalf("after handing over: %+v", j)
	}
	posts := e.fb.Posts()
	if len(posts) != 1 || posts[0].Published || !posts[0].ScheduledAt.Equal(at) {
		t.Fatalf("facebook holds %+v", posts)
	}
	if ev := e.ev.last(j.ID); ev.Step != queue.StepScheduledRemote {
		t.Errorf("event %+v", ev)
	}

	// The computer is off at the time; Facebook posts anyway.
	e.restart()
	e.clock.Advance(3 * time.Hour)
	rec, err := e.q.Recover(ctx)
	if err != nil || len(rec.Missed) != 0 {
		t.Fatalf("a post Facebook holds counted as missed: %+v %v", rec, err)
	}
	e.run()
	j = e.job(j.ID)
	if j.State != app.JobPublished || !strings.HasPrefix(j.RemoteURL, "https://www.facebook.com/") || e.live(chFB) != 1 {
		t.Fatalf("after the time: %s %q", j.State, j.RemoteURL)
	}

	t.Run("beyond the window waits", func(t *testing.T) {
		far := e.clock.Now().Add(45 * 24 * time.Hour)
		j := e.enqueue(queue.Request{Text: "Christmas hours", At: far, Zone: "Europe/London", Targets: targets(chFB)})[0]
		e.run()
		if j = e.job(j.ID); j.State != app.JobQueued || !j.Native {
			t.Fatalf("45 days ahead: %s", j.State)
		}
		e.clock.Advance(20 * 24 * time.Hour)
		e.run()
		if j = e.job(j.ID); j.State != app.JobScheduledRemote {
			t.Fatalf("25 days ahead: %s %s", j.State, j.ErrorMessage)
		}
	})

	t.Run("closed until just before", func(t *testing.T) {
		soon := e.clock.Now().Add(time.Hour)
		j := e.enqueue(queue.Request{Text: "Lunchtime talk", At: soon, Zone: "Europe/London", Targets: targets(chFB)})[0]
		e.restart()
		e.clock.Advance(55 * time.Minute)
		if _, err := e.q.Recover(ctx); err != nil {
			t.Fatal(err)
		}
		e.run()
		if j = e.job(j.ID); j.State != app.JobQueued || j.Native || !j.NextAt.Equal(soon) {
			t.Fatalf("5 min ahead: %s native=%v next=%v", j.State, j.Native, j.NextAt)
		}
		e.clock.Advance(5 * time.Minute)
		e.run()
		if j = e.job(j.ID); j.State != app.JobPublished {
			t.Fatalf("at its time: %s", j.State)
		}
	})
}

func TestRevocationBlocksAndTakesDown(t *testing.T) {
	e := newEnv(t, nil)
	e.enqueue(queue.Request{Text: "Before and after: Jane's new smile", ConsentIDs: []string{"c1"}, Targets: targets(chFB, chMA, chBS)})
	e.run()
	later := e.enqueue(queue.Request{Text: "Jane's story, part two", At: t0.Add(3 * time.Hour), ConsentIDs: []string{"c1", "c9"}, Zone: "UTC", Targets: targets(chMA, chBS)})
	held := e.enqueue(queue.Request{Text: "Jane's story, on Facebook later", At: t0.Add(2 * time.Hour), ConsentIDs: []string{"c1"}, Zone: "UTC", Targets: targets(chFB)})[0]
	other := e.enqueue(queue.Request{Text: "Practice news", At: t0.Add(time.Hour), ConsentIDs: []string{"c2"}, Zone: "UTC", Targets: targets(chMA)})[0]
	e.run()
	if j := e.job(held.ID); j.State != app.JobScheduledRemote {
		t.Fatalf("held: %s", j.State)
	}

	rev, err := e.q.Revoke(ctx, "c1")
	if err != nil {
		t.Fatal(err)
	}
	if len(rev.Blocked) != 3 || len(rev.Takedowns) != 4 || len(rev.InFlight) != 0 {
		t.Fatalf("revocation %+v", rev)
	}
	var liveTD []queue.Takedown
	for _, td := range rev.Takedowns {
		j := e.job(td.JobID)
		if td.RemoteID != j.RemoteID || td.Platform != publish.Platform(j.Platform) {
			t.Errorf("takedown %+v for %+v", td, j)
		}
		if td.Scheduled != (td.JobID == held.ID) {
			t.Errorf("takedown %+v: scheduled flag wrong", td)
		}
		if td.Scheduled {
			if td.Takedown != app.TakedownPending {
				t.Errorf("held copy not queued for withdrawal: %+v", td)
			}
			continue
		}
		if td.URL == "" {
			t.Errorf("takedown without a link: %+v", td)
		}
		liveTD = append(liveTD, td)
	}
	if len(liveTD) != 3 {
		t.Fatalf("%d live posts to take down, want 3", len(liveTD))
	}
	for _, j0 := range later {
		if j := e.job(j0.ID); j.State != app.JobBlocked || !j.NextAt.IsZero() {
			t.Errorf("later job %s next %v", j.State, j.NextAt)
		}
	}
	// Facebook's held copy is withdrawn without asking.
	e.run()
	if j := e.job(held.ID); j.State != app.JobBlocked || j.Takedown != app.TakedownDeleted {
		t.Errorf("held after revocation: %s takedown %q", j.State, j.Takedown)
	}
	if n := e.live(chFB); n != 1 {
		t.Errorf("facebook has %d posts, want only the live one", n)
	}
	// The user confirms the takedown of each live post.
	for _, td := range liveTD {
		j, err := e.q.Takedown(ctx, td.JobID)
		if err != nil || j.Takedown != app.TakedownDeleted || j.TakedownAt.IsZero() {
			t.Fatalf("takedown %s: %+v %v", td.Platform, j, err)
		}
		if ev := e.ev.last(j.ID); ev.Step != queue.StepDeleted {
			t.Errorf("event %+v", ev)
		}
	}
	for _, c := range all {
		if n := e.live(c.ch); n != 0 {
			t.Errorf("%s still has %d posts", c.ch, n)
		}
	}
	if left, _ := e.q.Takedowns(ctx, "c1"); len(left) != 0 {
		t.Errorf("takedown list after deleting: %+v", left)
	}
	// Blocked jobs never go out, and cannot be pushed out.
	e.clock.Advance(time.Hour)
	e.run()
	e.clock.Advance(3 * time.Hour)
	e.run()
	if _, err := e.q.PublishNow(ctx, later[0].ID); app.ErrorCode(err) != app.EFORBIDDEN {
		t.Errorf("publish now on a blocked job: %v", err)
	}
	if j := e.job(other.ID); j.State != app.JobPublished {
		t.Errorf("a post on another consent: %s", j.State)
	}
	if n := e.live(chMA); n != 1 {
		t.Errorf("mastodon has %d posts, want only the other consent's", n)
	}
	// Revoking again changes nothing.
	rev2, err := e.q.Revoke(ctx, "c1")
	if err != nil || len(rev2.Blocked) != 0 || len(rev2.Takedowns) != 0 {
		t.Errorf("second revocation %+v %v", rev2, err)
	}
	page, _ := e.db.ListAudit(ctx, 200, 0)
	var blocked, deleted int
	for _, a := range page.Entries {
		switch a.Action {
		case "publish.blocked":
			blocked++
		case "publish.takedown_deleted":
			deleted++
		}
	}
	if blocked != 3 || deleted != 4 {
		t.Errorf("audit: %d blocked, %d takedowns, want 3 and 4", blocked, deleted)
	}
}

func TestTakedownFailureIsRecorded(t *testing.T) {
	e := newEnv(t, nil)
	j := e.enqueue(queue.Request{Text: "To be removed", ConsentIDs: []string{"c3"}, Targets: targets(chFB)})[0]
	e.run()
	e.fb.RevokeToken()
	if _, err := e.q.Revoke(ctx, "c3"); err != nil {
		t.Fatal(err)
	}
	j, err := e.q.Takedown(ctx, j.ID)
	if err != nil {
		t.Fatal(err)
	}
	if j.Takedown != app.TakedownFailed || !strings.Contains(j.TakedownError, "Facebook") {
		t.Fatalf("%q %q", j.Takedown, j.TakedownError)
	}
	left, _ := e.q.Takedowns(ctx, "c3")
	if len(left) != 1 || left[0].Takedown != app.TakedownFailed || left[0].Error == "" {
		t.Errorf("takedown list keeps the failed one with its reason: %+v", left)
	}
}

func TestCancel(t *testing.T) {
	e := newEnv(t, nil)
	q := e.enqueue(queue.Request{Text: "Maybe not", At: t0.Add(time.Hour), Zone: "UTC", Targets: targets(chMA)})[0]
	held := e.enqueue(queue.Request{Text: "Held then cancelled", At: t0.Add(time.Hour), Zone: "UTC", Targets: targets(chFB)})[0]
	e.run()
	for _, id := range []int64{q.ID, held.ID} {
		if _, err := e.q.Cancel(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	e.run()
	e.clock.Advance(2 * time.Hour)
	e.run()
	if j := e.job(q.ID); j.State != app.JobCancelled {
		t.Errorf("cancelled job: %s", j.State)
	}
	if j := e.job(held.ID); j.State != app.JobCancelled || j.Takedown != app.TakedownDeleted {
		t.Errorf("cancelled held job: %s %q", j.State, j.Takedown)
	}
	if e.live(chMA)+e.live(chFB) != 0 {
		t.Error("a cancelled post went out")
	}
}

func TestSlowChannelDoesNotHoldOthers(t *testing.T) {
	e := newEnv(t, func(o *queue.Options) { o.Interval = 20 * time.Millisecond })
	e.hc.Timeout = 30 * time.Second
	e.fb.Faults.Add(fault.Fault{Method: "POST", Path: "/feed", Latency: 20 * time.Second, Times: 1})
	jobs := e.enqueue(queue.Request{Text: "Parallel", Targets: targets(chFB, chMA, chBS)})
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error)
	go func() { done <- e.q.Run(runCtx) }()
	deadline := time.Now().Add(10 * time.Second)
	// On a busy machine Facebook's worker may claim its job after the
	// others finished; what matters is that they finish while it hangs.
	for {
		fb, ma, bs := e.job(jobs[0].ID), e.job(jobs[1].ID), e.job(jobs[2].ID)
		if fb.State == app.JobAttempting && ma.State == app.JobPublished && bs.State == app.JobPublished {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("facebook %s, mastodon %s, bluesky %s: the others should publish while facebook hangs", fb.State, ma.State, bs.State)
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	<-done
	// Stopping mid-request leaves a job to reconcile, not to repeat.
	if j := e.job(jobs[0].ID); j.State != app.JobWaiting || !j.Reconcile {
		t.Errorf("facebook after stop: %s reconcile=%v", j.State, j.Reconcile)
	}
}

func TestRunLoopFollowsInjectedClock(t *testing.T) {
	e := newEnv(t, func(o *queue.Options) { o.Interval = 5 * time.Millisecond })
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error)
	go func() { done <- e.q.Run(runCtx) }()
	defer func() { cancel(); <-done }()
	waitFor := func(id int64, want app.PublishState) queue.Job {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for {
			j := e.job(id)
			if j.State == want {
				return j
			}
			if time.Now().After(deadline) {
				t.Fatalf("job %d stayed %s, want %s", id, j.State, want)
			}
			time.Sleep(2 * time.Millisecond)
		}
	}
	onTime := e.enqueue(queue.Request{Text: "On the hour", At: t0.Add(time.Hour), Zone: "Europe/London", Targets: targets(chMA)})[0]
	now := e.enqueue(queue.Request{Text: "Straight away", Targets: targets(chBS)})[0]
	waitFor(now.ID, app.JobPublished)
	if j := e.job(onTime.ID); j.State != app.JobQueued || e.live(chMA) != 0 {
		t.Fatalf("the scheduled job went before its time: %s", j.State)
	}
	e.clock.Advance(time.Hour)
	j := waitFor(onTime.ID, app.JobPublished)
	if !j.PublishedAt.Equal(t0.Add(time.Hour)) {
		t.Errorf("published at %v", j.PublishedAt)
	}
	// The computer sleeps through a job's time: on waking it is missed,
	// not posted late.
	slept := e.enqueue(queue.Request{Text: "During the nap", At: e.clock.Now().Add(10 * time.Minute), Zone: "Europe/London", Targets: targets(chMA)})[0]
	e.clock.Advance(2 * time.Hour)
	waitFor(slept.ID, app.JobMissed)
	if n := e.live(chMA); n != 1 {
		t.Errorf("%d mastodon posts, want only the on-time one", n)
	}
	if _, err := e.q.Recover(ctx); app.ErrorCode(err) != app.ECONFLICT {
		t.Errorf("recover while running: %v", err)
	}
}
