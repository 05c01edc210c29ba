package queue_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"practicepost/app"
	"practicepost/app/devkeys"
	"practicepost/app/internal/testimage"
	"practicepost/app/publish"
	"practicepost/app/publish/bluesky"
	bsfake "practicepost/app/publish/bluesky/blueskytest"
	"practicepost/app/publish/facebook"
	fbfake "practicepost/app/publish/facebook/facebooktest"
	"practicepost/app/publish/fault"
	"practicepost/app/publish/gbp"
	gbpfake "practicepost/app/publish/gbp/gbptest"
	"practicepost/app/publish/hosting"
	hostfake "practicepost/app/publish/hosting/hostingtest"
	"practicepost/app/publish/instagram"
	igfake "practicepost/app/publish/instagram/instagramtest"
	"practicepost/app/publish/linkedin"
	lifake "practicepost/app/publish/linkedin/linkedintest"
	"practicepost/app/publish/mastodon"
	mafake "practicepost/app/publish/mastodon/mastodontest"
	"practicepost/app/publish/queue"
	"practicepost/app/publish/x"
	xfake "practicepost/app/publish/x/xtest"
	"practicepost/app/seal"
	"practicepost/app/store"
)

// The crash test runs PracticePost's queue in a child process (this test
// binary again) against fakes living in the parent, so the fakes and
// their post counters outlive the child's death.
const (
	envChild   = "PP_QUEUE_CHILD"
	envKillAt  = "PP_QUEUE_KILL_AT"
	envEnqueue = "PP_QUEUE_ENQUEUE"
	envFB      = "PP_QUEUE_FB"
	envMA      = "PP_QUEUE_MA"
	envBS      = "PP_QUEUE_BS"
	envIG      = "PP_QUEUE_IG"
	envLI      = "PP_QUEUE_LI"
	envGB      = "PP_QUEUE_GB"
	envX       = "PP_QUEUE_X"
	envBucket  = "PP_QUEUE_BUCKET"
)

// The crash test posts to all seven platforms; Instagram and Google take
// the image from the bucket.
const (
	chIG = "instagram-main"
	chLI = "linkedin-page"
	chGB = "google-location"
	chX  = "x-main"
)

var crashPlatforms = []string{"facebook", "mastodon", "bluesky", "instagram", "linkedin", "google", "x"}

func crashTargets() []queue.Target {
	return []queue.Target{{Channel: chFB, Platform: publish.Facebook}, {Channel: chMA, Platform: publish.Mastodon}, {Channel: chBS, Platform: publish.Bluesky},
		{Channel: chIG, Platform: publish.Instagram}, {Channel: chLI, Platform: publish.LinkedIn}, {Channel: chGB, Platform: publish.Google}, {Channel: chX, Platform: publish.X}}
}

func TestCrashAtEveryStepPostsExactlyOnce(t *testing.T) {
	points := []struct {
		name   string
		killAt queue.Step // the child stops itself here and waits to be killed
		hang   bool       // the fakes create the post, then never answer
		posted bool       // the posts exist when the child dies
	}{
		{"attempt recorded, nothing sent", queue.StepAttempting, false, false},
		{"after image upload", queue.StepUploaded, false, false},
		{"create received, no answer yet", "", true, true},
		{"answer in hand, not yet saved", queue.StepCreated, false, true},
	}
	for _, p := range points {
		t.Run(p.name, func(t *testing.T) {
			fb := fbfake.New(fbfake.Config{})
			ma := mafake.New(mafake.Config{})
			bs := bsfake.New(bsfake.Config{})
			bucket := hostfake.New(hostfake.Config{})
			ig := igfake.New(igfake.Config{ProcessingPolls: 1})
			li := lifake.New(lifake.Config{ProcessingPolls: 1})
			gb := gbpfake.New(gbpfake.Config{})
			xs := xfake.New(xfake.Config{})
			defer func() {
				fb.Close()
				ma.Close()
				bs.Close()
				ig.Close()
				li.Close()
				gb.Close()
				xs.Close()
				bucket.Close()
			}()
			// The Mastodon fake sets its URL field after its server started;
			// a request from this process orders that write before the
			// handlers read it (the child's requests are invisible to the
			// race detector).
			if r, err := http.Get(ma.URL + "/api/v2/instance"); err == nil {
				r.Body.Close()
			}
			path := filepath.Join(t.TempDir(), store.FileName)
			live := func() [7]int {
				var n [7]int
				for _, x := range fb.Posts() {
					if !x.Deleted && x.ID != "" {
						n[0]++
					}
				}
				for _, x := range ma.Statuses() {
					if !x.Deleted {
						n[1]++
					}
				}
				for _, x := range bs.Records() {
					if !x.Deleted {
						n[2]++
					}
				}
				n[3] = len(ig.Media()) // Instagram media cannot be deleted
				for _, x := range li.Posts() {
					if !x.Deleted {
						n[4]++
					}
				}
				n[5] = gb.Live()
				for _, x := range xs.Posts() {
					if !x.Deleted {
						n[6]++
					}
				}
				return n
			}
			one := [7]int{1, 1, 1, 1, 1, 1, 1}
			if p.hang {
				fb.Faults.Add(fault.Fault{Method: "POST", Path: "/photos", AfterCommit: fault.Hang, Times: 1})
				ma.Faults.Add(fault.Fault{Method: "POST", Path: "/api/v1/statuses", AfterCommit: fault.Hang, Times: 1})
				bs.Faults.Add(fault.Fault{Method: "POST", Path: "createRecord", AfterCommit: fault.Hang, Times: 1})
				ig.Faults.Add(fault.Fault{Method: "POST", Path: "media_publish", AfterCommit: fault.Hang, Times: 1})
				li.Faults.Add(fault.Fault{Method: "POST", Path: "/rest/posts", AfterCommit: fault.Hang, Times: 1})
				gb.Faults.Add(fault.Fault{Method: "POST", Path: "/localPosts", AfterCommit: fault.Hang, Times: 1})
				xs.Faults.Add(fault.Fault{Method: "POST", Path: "/2/tweets", AfterCommit: fault.Hang, Times: 1})
			}
			env := []string{envChild + "=" + path, envFB + "=" + fb.URL, envMA + "=" + ma.URL, envBS + "=" + bs.URL,
				envIG + "=" + ig.URL, envLI + "=" + li.URL, envGB + "=" + gb.URL, envX + "=" + xs.URL, envBucket + "=" + bucket.URL}

			// First life: publish, and die at the kill point.
			cmd, lines, stderr := startChild(t, append(env, envEnqueue+"=1", envKillAt+"="+string(p.killAt)))
			deadline := time.After(30 * time.Second)
			if p.killAt != "" {
				got := map[string]bool{}
				for len(got) < len(crashPlatforms) {
					select {
					case l, ok := <-lines:
						if !ok {
							t.Fatalf("child ended before reaching %s on every channel (saw %v):\n%s", p.killAt, got, stderr)
						}
						if rest, ok := strings.CutPrefix(l, "at "); ok {
							got[rest] = true
						}
					case <-deadline:
						t.Fatalf("child did not reach %s on every channel (saw %v):\n%s", p.killAt, got, stderr)
					}
				}
			} else {
				for live() != one {
					select {
					case <-deadline:
						t.Fatalf("the fakes never received every create (have %v):\n%s", live(), stderr)
					case <-time.After(5 * time.Millisecond):
					}
				}
			}
			cmd.Process.Kill()
			cmd.Wait()
			want := [7]int{}
			if p.posted {
				want = one
			}
			if n := live(); n != want {
				t.Fatalf("posts when the child died: %v, want %v", n, want)
			}
			if objs := bucket.Objects(); p.killAt == queue.StepUploaded && len(objs) != 2 {
				t.Fatalf("killed after upload, the bucket should hold Instagram's and Google's image: %v", objs)
			}
			for _, f := range []interface{ Clear() }{fb.Faults, ma.Faults, bs.Faults, ig.Faults, li.Faults, gb.Faults, xs.Faults} {
				f.Clear()
			}

			// Second life: start on the same file and finish.
			cmd, lines, stderr = startChild(t, append(env, envKillAt+"="))
			var out []string
			for l := range lines {
				out = append(out, l)
			}
			if err := cmd.Wait(); err != nil || !contains(out, "done") {
				t.Fatalf("restarted child: %v %v\n%s", err, out, stderr)
			}
			if n := live(); n != one {
				t.Fatalf("posts after restart: %v (%v), want exactly one each", n, crashPlatforms)
			}
			// Images left by the killed life were swept at the restart; the
			// rest were removed once Instagram and Google had them.
			if objs := bucket.Objects(); len(objs) != 0 {
				t.Fatalf("images left in the bucket: %v", objs)
			}

			db := openSealed(t, path)
			defer db.Close()
			jobs, err := db.PublishJobs(ctx, app.PublishJobFilter{})
			if err != nil || len(jobs) != len(crashPlatforms) {
				t.Fatalf("jobs %d %v", len(jobs), err)
			}
			remote := map[string]string{
				"facebook":  fb.Posts()[0].ID,
				"mastodon":  ma.Statuses()[0].ID,
				"bluesky":   bs.Records()[0].URI,
				"instagram": ig.Media()[0].ID,
				"linkedin":  li.Posts()[0].URN,
				"google":    gb.Posts()[0].Name,
				"x":         xs.Posts()[0].ID,
			}
			for _, j := range jobs {
				if j.State != app.JobPublished || j.RemoteID != remote[j.Platform] || j.Reconcile {
					t.Errorf("%s: %s remote %q (fake has %q) reconcile=%v %s", j.Platform, j.State, j.RemoteID, remote[j.Platform], j.Reconcile, j.ErrorMessage)
				}
				atts, _ := db.PublishAttempts(ctx, j.ID)
				var creates, looks int
				for _, a := range atts {
					switch a.Action {
					case "create":
						creates++
					case "reconcile":
						looks++
					}
				}
				// Every restart after a started attempt looks before it sends
				// again; Mastodon repeats its Idempotency-Key instead.
				if j.Platform == "mastodon" {
					if creates != 2 || looks != 0 {
						t.Errorf("mastodon: %d creates, %d look-ups", creates, looks)
					}
				} else if looks != 1 || (p.posted && creates != 1) || (!p.posted && creates != 2) {
					t.Errorf("%s: %d creates, %d look-ups: %+v", j.Platform, creates, looks, atts)
				}
			}
			if p.posted && ma.Replays() != 1 {
				t.Errorf("mastodon answered %d replays, want 1", ma.Replays())
			}
			if res, _ := db.VerifyAudit(ctx); !res.OK {
				t.Errorf("audit chain after a kill: %+v", res)
			}
		})
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// startChild re-runs this test binary as the child (TestQueueCrashChild,
// or the test run names); lines carries its standard output line by line
// and closes when it ends.
func startChild(t *testing.T, env []string, run ...string) (*exec.Cmd, <-chan string, *bytes.Buffer) {
	t.Helper()
	run = append(run, "^TestQueueCrashChild$")
	cmd := exec.Command(os.Args[0], "-test.run="+run[0])
	cmd.Env = append(os.Environ(), env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill() })
	lines := make(chan string, 16)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()
	return cmd, lines, &stderr
}

// TestQueueCrashChild is the child half of TestCrashAtEveryStepPostsExactlyOnce.
func TestQueueCrashChild(t *testing.T) {
	db := openAsChild(t, envChild)
	if db == nil {
		return // only meaningful as the child process
	}
	defer db.Close()
	hc := &http.Client{Timeout: time.Minute}
	clock := app.SystemClock{}
	bucketCfg := hostfake.New(hostfake.Config{}) // only for its default keys
	bucketCfg.Close()
	host, err := hosting.New(hosting.Config{Endpoint: os.Getenv(envBucket), Bucket: bucketCfg.Bucket(), AccessKeyID: bucketCfg.AccessKey(),
		SecretAccessKey: bucketCfg.SecretKey(), PathStyle: true}, hosting.Options{HTTP: hc, Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	// As at the app's start: nothing is in flight yet, so what is in the
	// bucket was left behind by the life that was killed.
	if _, err := host.Sweep(ctx, 0); err != nil {
		t.Fatal(err)
	}
	poll := 5 * time.Millisecond
	pubs := map[string]publish.Publisher{
		chFB: facebook.NewClient(os.Getenv(envFB), "100200300", "page-token", facebook.Options{HTTP: hc, Clock: clock}),
		chMA: mastodon.NewClient(os.Getenv(envMA), "masto-token", mastodon.Options{HTTP: hc, Clock: clock}),
		chBS: bluesky.NewClient(os.Getenv(envBS), "smiledental.bsky.social", "abcd-efgh-ijkl-mnop", bluesky.Options{HTTP: hc, Clock: clock}),
		chIG: instagram.NewClient(os.Getenv(envIG), "17841400000000001", "ig-token", instagram.Options{HTTP: hc, Clock: clock, Host: host, PollInterval: poll}),
		chLI: linkedin.NewClient(os.Getenv(envLI), "2414183", "li-token", linkedin.Options{HTTP: hc, Clock: clock, PollInterval: poll}),
		chGB: gbp.NewClient(os.Getenv(envGB), "1122334455", "9988776655", "g-token", gbp.Options{HTTP: hc, Clock: clock, Host: host,
			InfoURL: os.Getenv(envGB), PollInterval: poll}),
		chX: x.NewClient(os.Getenv(envX), "x-token", x.Options{HTTP: hc, Clock: clock}),
	}
	killAt := queue.Step(os.Getenv(envKillAt))
	q := queue.New(db, queue.ResolverFunc(func(_ context.Context, ch string) (publish.Publisher, error) { return pubs[ch], nil }), queue.Options{
		Clock: clock,
		Gate:  &openGate{},
		Hook:  waitToBeKilledAt(killAt),
	})
	if _, err := q.Recover(ctx); err != nil {
		t.Fatal(err)
	}
	if os.Getenv(envEnqueue) == "1" {
		var sha string
		err := db.Tx(ctx, func(tx *store.Tx) error {
			var err error
			sha, err = tx.PutBlob(ctx, testimage.NoisyJPEG(t, 400, 320), "image/jpeg", 400, 320)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		img := queue.Media{SHA256: sha, Alt: "The new reception desk"}
		if _, _, err := q.Enqueue(ctx, queue.Request{Text: "We have moved to 12 High Street #newhome", Link: "https://smiledental.example/move",
			Media: []queue.Media{img}, ConsentIDs: []string{"9"}, Targets: crashTargets()}); err != nil {
			t.Fatal(err)
		}
	}
	if err := q.RunDue(ctx); err != nil {
		t.Fatal(err)
	}
	fmt.Println("done")
}

// waitToBeKilledAt is a child's hook: at step killAt it says which
// platform it reached (the parent reads that line) and waits to be killed.
func waitToBeKilledAt(killAt queue.Step) func(queue.Job, queue.Step) {
	return func(j queue.Job, s queue.Step) {
		if s == killAt {
			fmt.Printf("at %s\n", j.Platform)
			select {} // wait here to be killed
		}
	}
}

// openAsChild opens the data file a crash test's parent named in env, or
// returns nil when this process is not such a child.
func openAsChild(t *testing.T, env string) *store.DB {
	path := os.Getenv(env)
	if path == "" {
		return nil
	}
	return openSealed(t, path)
}

// openSealed opens the data file at path sealed with the development keys
// kept beside it, as both lives of a crash test's child and its parent's
// checks read the same file.
func openSealed(t *testing.T, path string) *store.DB {
	t.Helper()
	db, err := store.OpenWith(ctx, path, store.Options{Seal: seal.NewKeyring(devkeys.In(filepath.Dir(path)))})
	if err != nil {
		t.Fatal(err)
	}
	return db
}
