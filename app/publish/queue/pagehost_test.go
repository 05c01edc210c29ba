package queue_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"practicepost/app"
	"practicepost/app/internal/testimage"
	"practicepost/app/publish"
	fbfake "practicepost/app/publish/facebook/facebooktest"
	"practicepost/app/publish/fault"
	"practicepost/app/publish/instagram"
	igfake "practicepost/app/publish/instagram/instagramtest"
	"practicepost/app/publish/queue"
	"practicepost/app/store"
)

// Instagram through the Facebook Page (no bucket): the upload to the Page
// is itself a send of the patient's photo, so it follows the gate, and the
// unpublished photo it leaves is removed however the attempt ends,
// restarts included.

const (
	chIGPage     = "instagram-page"
	envPageChild = "PP_QUEUE_PAGE_CHILD"
	envPageKill  = "PP_QUEUE_PAGE_KILL_AT"
)

// pageFakes are the Page and its Instagram account, one Page token for both.
func pageFakes(t *testing.T, now func() time.Time) (*fbfake.Server, *igfake.Server) {
	fb := fbfake.New(fbfake.Config{Now: now})
	ig := igfake.New(igfake.Config{Token: "page-token", ProcessingPolls: 1, Now: now})
	t.Cleanup(func() { fb.Close(); ig.Close() })
	return fb, ig
}

func pageClient(fbURL, igURL string, hc *http.Client, clock app.Clock) *instagram.Client {
	opt := instagram.Options{HTTP: hc, Clock: clock, PollInterval: 5 * time.Millisecond}
	opt.Page = instagram.NewPageHost(fbURL, "100200300", "page-token", opt)
	return instagram.NewClient(igURL, "17841400000000001", "page-token", opt)
}

// enqueuePagePost queues one Instagram post with a photo for chIGPage.
func enqueuePagePost(t *testing.T, db *store.DB, q *queue.Queue) []queue.Job {
	t.Helper()
	var sha string
	if err := db.Tx(ctx, func(tx *store.Tx) error {
		var err error
		sha, err = tx.PutBlob(ctx, testimage.NoisyJPEG(t, 400, 320), "image/jpeg", 400, 320)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	_, jobs, err := q.Enqueue(ctx, queue.Request{Text: "Thank you, Sam!", Media: []queue.Media{{SHA256: sha, Alt: "Sam smiling"}}, ConsentIDs: []string{"9"},
		Targets: []queue.Target{{Channel: chIGPage, Platform: publish.Instagram}}})
	if err != nil {
		t.Fatal(err)
	}
	return jobs
}

func photoUploads(fb *fbfake.Server) int {
	n := 0
	for _, r := range fb.Requests() {
		if strings.HasPrefix(r, "POST ") && strings.HasSuffix(r, "/photos") {
			n++
		}
	}
	return n
}

// A post the gate refuses uploads nothing to the Page; once it passes, it
// goes out through the Page and leaves nothing there.
func TestBlockedInstagramPostUploadsNothingToThePage(t *testing.T) {
	g := &openGate{block: map[int64]string{}}
	e := newEnv(t, func(o *queue.Options) { o.Gate = g })
	fb, ig := pageFakes(t, e.clock.Now)
	e.pubs[chIGPage] = pageClient(fb.URL, ig.URL, e.hc, e.clock)
	jobs := enqueuePagePost(t, e.db, e.q)
	g.mu.Lock()
	g.block[jobs[0].ID] = "The patient's consent does not cover Instagram."
	g.mu.Unlock()
	e.run()
	if j := e.job(jobs[0].ID); j.State != app.JobBlocked {
		t.Fatalf("state %s", j.State)
	}
	if n := photoUploads(fb); n != 0 || len(fb.Posts()) != 0 || len(ig.Media()) != 0 {
		t.Fatalf("a blocked post reached Meta: %d Page uploads, %d Page photos, %d Instagram posts", n, len(fb.Posts()), len(ig.Media()))
	}

	g.mu.Lock()
	delete(g.block, jobs[0].ID)
	g.mu.Unlock()
	if _, err := e.q.PublishNow(ctx, jobs[0].ID); err != nil {
		t.Fatal(err)
	}
	e.run()
	if j := e.job(jobs[0].ID); j.State != app.JobPublished || len(ig.Media()) != 1 {
		t.Fatalf("after the fix: %s, %d Instagram posts", j.State, len(ig.Media()))
	}
	if f := ig.Fetches(); len(f) != 1 || !strings.HasPrefix(f[0].URL, fb.CDNURL()) {
		t.Errorf("Instagram did not fetch through the Page: %+v", f)
	}
	if n := photoUploads(fb); n != 1 {
		t.Errorf("%d uploads to the Page", n)
	}
	if left := fb.UnpublishedPhotos(); len(left) != 0 {
		t.Errorf("photos left on the Page: %v", left)
	}
	if h, err := e.db.HostedMedia(ctx, 0); err != nil || len(h) != 0 {
		t.Errorf("hosted records left: %+v %v", h, err)
	}
}

// PracticePost killed with the photo on the Page: the next start removes
// it before anything else, and posts exactly once. Killed after the
// connector had removed it but before the queue knew: the second removal
// finds it gone, which is not an error.
func TestPagePhotoLeftByCrashIsRemovedOnResume(t *testing.T) {
	for _, p := range []struct {
		name   string
		killAt queue.Step
		onPage int // unpublished photos on the Page when the child dies
	}{
		{"between upload and container", queue.StepUploaded, 1},
		{"post made, removal not yet recorded", queue.StepCreated, 0},
	} {
		t.Run(p.name, func(t *testing.T) {
			fb, ig := pageFakes(t, nil)
			path := filepath.Join(t.TempDir(), store.FileName)
			env := []string{envPageChild + "=" + path, envFB + "=" + fb.URL, envIG + "=" + ig.URL}

			cmd, lines, stderr := startChild(t, append(env, envEnqueue+"=1", envPageKill+"="+string(p.killAt)), "^TestQueuePageCrashChild$")
			select {
			case l, ok := <-lines:
				if !ok || l != "at instagram" {
					t.Fatalf("child: %q\n%s", l, stderr)
				}
			case <-time.After(30 * time.Second):
				t.Fatalf("child did not reach %s:\n%s", p.killAt, stderr)
			}
			cmd.Process.Kill()
			cmd.Wait()
			if left := fb.UnpublishedPhotos(); len(left) != p.onPage {
				t.Fatalf("photos on the Page when the child died: %v, want %d", left, p.onPage)
			}
			db := openSealed(t, path)
			if h, err := db.HostedMedia(ctx, 0); err != nil || len(h) != 1 || !strings.HasPrefix(h[0].Key, "page-photo:") {
				t.Fatalf("the photo was not recorded before the crash: %+v %v", h, err)
			}
			db.Close()
			cmd, lines, stderr = startChild(t, append(env, envPageKill+"="), "^TestQueuePageCrashChild$")
			var out []string
			for l := range lines {
				out = append(out, l)
			}
			if err := cmd.Wait(); err != nil || !contains(out, "done") {
				t.Fatalf("restarted child: %v %v\n%s", err, out, stderr)
			}
			if left := fb.UnpublishedPhotos(); len(left) != 0 {
				t.Errorf("photos left on the Page after the restart: %v", left)
			}
			if n := len(ig.Media()); n != 1 {
				t.Errorf("%d Instagram posts, want exactly one", n)
			}
			db = openSealed(t, path)
			defer db.Close()
			if h, err := db.HostedMedia(ctx, 0); err != nil || len(h) != 0 {
				t.Errorf("hosted records after the restart: %+v %v", h, err)
			}
			jobs, _ := db.PublishJobs(ctx, app.PublishJobFilter{})
			if len(jobs) != 1 || jobs[0].State != app.JobPublished || jobs[0].RemoteID != ig.Media()[0].ID {
				t.Errorf("job %+v", jobs)
			}
		})
	}
}

// TestQueuePageCrashChild is the child half of TestPagePhotoLeftByCrashIsRemovedOnResume.
func TestQueuePageCrashChild(t *testing.T) {
	db := openAsChild(t, envPageChild)
	if db == nil {
		return // only meaningful as the child process
	}
	defer db.Close()
	ig := pageClient(os.Getenv(envFB), os.Getenv(envIG), &http.Client{Timeout: time.Minute}, app.SystemClock{})
	killAt := queue.Step(os.Getenv(envPageKill))
	q := queue.New(db, queue.ResolverFunc(func(context.Context, string) (publish.Publisher, error) { return ig, nil }), queue.Options{
		Gate: &openGate{},
		Hook: waitToBeKilledAt(killAt),
	})
	if _, err := q.Recover(ctx); err != nil {
		t.Fatal(err)
	}
	if os.Getenv(envEnqueue) == "1" {
		enqueuePagePost(t, db, q)
	}
	if err := q.RunDue(ctx); err != nil {
		t.Fatal(err)
	}
	fmt.Println("done")
}

// Facebook refuses the delete after the post is made (both the connector's
// and the queue's): the post stands, the photo stays recorded, and the
// next start removes it although its job is long finished.
func TestFailedPhotoDeleteIsRetriedAtTheNextStart(t *testing.T) {
	e := newEnv(t, nil)
	fb, ig := pageFakes(t, e.clock.Now)
	e.pubs[chIGPage] = pageClient(fb.URL, ig.URL, e.hc, e.clock)
	fb.Faults.Add(fault.Fault{Method: "DELETE", Status: http.StatusInternalServerError, Times: 2})
	jobs := enqueuePagePost(t, e.db, e.q)
	e.run()
	if j := e.job(jobs[0].ID); j.State != app.JobPublished {
		t.Fatalf("a failed cleanup must not fail the post: %s %s", j.State, j.ErrorMessage)
	}
	h, err := e.db.HostedMedia(ctx, 0)
	if err != nil || len(h) != 1 || h[0].Tries != 1 || len(fb.UnpublishedPhotos()) != 1 {
		t.Fatalf("after the failed delete: %+v %v, on the Page %v", h, err, fb.UnpublishedPhotos())
	}

	e.restart()
	e.pubs[chIGPage] = pageClient(fb.URL, ig.URL, e.hc, e.clock)
	e.clock.Advance(time.Minute)
	rctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- e.q.Run(rctx) }()
	deadline := time.Now().Add(10 * time.Second)
	for len(fb.UnpublishedPhotos()) != 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if left := fb.UnpublishedPhotos(); len(left) != 0 {
		t.Fatalf("the start did not remove the photo: %v", left)
	}
	if h, err := e.db.HostedMedia(ctx, 0); err != nil || len(h) != 0 {
		t.Errorf("records after the start: %+v %v", h, err)
	}
	if n := len(ig.Media()); n != 1 {
		t.Errorf("%d Instagram posts", n)
	}
}

// A photo the Page refuses to delete stays recorded and is listed for the
// manager (with how often removal failed); trying again once the Page
// answers removes it and empties the list.
func TestPagePhotoThatWillNotGoIsListedAndRemovedOnRequest(t *testing.T) {
	e := newEnv(t, nil)
	fb, ig := pageFakes(t, e.clock.Now)
	e.pubs[chIGPage] = pageClient(fb.URL, ig.URL, e.hc, e.clock)
	fb.Faults.Add(fault.Fault{Method: "DELETE", Status: 500})
	jobs := enqueuePagePost(t, e.db, e.q)
	if left, err := e.q.Leftovers(ctx); err != nil || len(left) != 0 {
		t.Fatalf("before posting: %+v %v", left, err)
	}
	e.run()
	if j := e.job(jobs[0].ID); j.State != app.JobPublished {
		t.Fatalf("a failed clean-up must not fail the post: %s", j.State)
	}
	left, err := e.q.Leftovers(ctx)
	if err != nil || len(left) != 1 {
		t.Fatalf("leftovers %+v %v", left, err)
	}
	if h := left[0]; h.JobID != jobs[0].ID || h.Channel != chIGPage || h.Tries < 1 || !strings.HasPrefix(h.Key, "page-photo:") {
		t.Errorf("leftover %+v", h)
	}
	if n := len(fb.UnpublishedPhotos()); n != 1 {
		t.Fatalf("%d photos on the Page", n)
	}

	// Still refused: listed again, one more try counted.
	again, err := e.q.RemoveLeftovers(ctx)
	if err != nil || len(again) != 1 || again[0].Tries != left[0].Tries+1 {
		t.Fatalf("second try: %+v %v (first %+v)", again, err, left)
	}

	fb.Faults.Clear()
	again, err = e.q.RemoveLeftovers(ctx)
	if err != nil || len(again) != 0 {
		t.Fatalf("after the Page answers: %+v %v", again, err)
	}
	if n := len(fb.UnpublishedPhotos()); n != 0 {
		t.Errorf("%d photos still on the Page", n)
	}
	if h, err := e.db.HostedMedia(ctx, 0); err != nil || len(h) != 0 {
		t.Errorf("hosted records left: %+v %v", h, err)
	}
}
