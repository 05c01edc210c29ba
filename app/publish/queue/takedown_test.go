package queue_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"practicepost/app"
	"practicepost/app/internal/testimage"
	"practicepost/app/publish"
	"practicepost/app/publish/fault"
	"practicepost/app/publish/hosting"
	hostfake "practicepost/app/publish/hosting/hostingtest"
	"practicepost/app/publish/instagram"
	igfake "practicepost/app/publish/instagram/instagramtest"
	"practicepost/app/publish/queue"
	"practicepost/app/store"
)

const chIGT = "instagram-takedown"

// withInstagram adds an Instagram channel (fake Graph API and a fake
// bucket it fetches the image from) to e, and returns the fake.
func withInstagram(t *testing.T, e *env) *igfake.Server {
	t.Helper()
	bucket := hostfake.New(hostfake.Config{Now: e.clock.Now})
	t.Cleanup(bucket.Close)
	host, err := hosting.New(hosting.Config{Endpoint: bucket.URL, Bucket: bucket.Bucket(), AccessKeyID: bucket.AccessKey(),
		SecretAccessKey: bucket.SecretKey(), PathStyle: true}, hosting.Options{Clock: e.clock})
	if err != nil {
		t.Fatal(err)
	}
	ig := igfake.New(igfake.Config{Now: e.clock.Now})
	t.Cleanup(ig.Close)
	e.pubsMu.Lock()
	e.pubs[chIGT] = instagram.NewClient(ig.URL, "17841400000000001", "ig-token", instagram.Options{HTTP: &http.Client{Timeout: 5 * time.Second},
		Clock: e.clock, Host: host, PollInterval: time.Millisecond, PollTimeout: 2 * time.Second})
	e.pubsMu.Unlock()
	return ig
}

func (e *env) jpeg() queue.Media {
	e.t.Helper()
	var sha string
	err := e.db.Tx(ctx, func(tx *store.Tx) error {
		var err error
		sha, err = tx.PutBlob(ctx, testimage.NoisyJPEG(e.t, 400, 320), "image/jpeg", 400, 320)
		return err
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return queue.Media{SHA256: sha, Alt: "A smile after whitening"}
}

func auditDetails(t *testing.T, db *store.DB) (actions map[string]int, all string) {
	t.Helper()
	page, err := db.ListAudit(ctx, 500, 0)
	if err != nil {
		t.Fatal(err)
	}
	actions = map[string]int{}
	var b strings.Builder
	for _, a := range page.Entries {
		actions[a.Action]++
		d, _ := json.Marshal(a.Detail)
		b.WriteString(a.Action + " " + a.Subject + " " + string(d) + "\n")
	}
	return actions, b.String()
}

func TestMarkRemovedAfterInstagramRefusesTheDelete(t *testing.T) {
	e := newEnv(t, nil)
	ig := withInstagram(t, e)
	const text = "Jane Harper's whitening: before and after"
	const note = "Deleted in the app by Sam at reception"
	jobs := e.enqueue(queue.Request{Text: text, Media: []queue.Media{e.jpeg()}, ConsentIDs: []string{"c7"},
		Targets: []queue.Target{{Channel: chIGT, Platform: publish.Instagram}, {Channel: chMA, Platform: publish.Mastodon}}})
	e.run()
	igJob, maJob := e.job(jobs[0].ID), e.job(jobs[1].ID)
	if igJob.State != app.JobPublished || maJob.State != app.JobPublished || len(ig.Media()) != 1 {
		t.Fatalf("not live: %s %s, %d on Instagram", igJob.State, maJob.State, len(ig.Media()))
	}
	if _, err := e.q.Revoke(ctx, "c7"); err != nil {
		t.Fatal(err)
	}

	// Before anyone tries, the list already says Instagram needs a hand.
	tds, err := e.q.Takedowns(ctx, "c7")
	if err != nil || len(tds) != 2 {
		t.Fatalf("takedowns %+v %v", tds, err)
	}
	byJob := map[int64]queue.Takedown{tds[0].JobID: tds[0], tds[1].JobID: tds[1]}
	if td := byJob[igJob.ID]; !td.Manual || !strings.Contains(td.Instructions, "Instagram app") || td.URL == "" {
		t.Errorf("instagram takedown %+v", td)
	}
	if td := byJob[maJob.ID]; td.Manual || td.Instructions != "" {
		t.Errorf("mastodon can delete by itself: %+v", td)
	}

	// Mastodon can delete: marking it removed by hand is refused.
	if _, err := e.q.MarkRemoved(ctx, maJob.ID, ""); app.ErrorCode(err) != app.ECONFLICT || !strings.Contains(app.ErrorMessage(err), "choose Delete") {
		t.Errorf("mark removed on a deletable post: %v", err)
	}

	// Delete on Instagram: the connector refuses, the failure is recorded.
	j, err := e.q.Takedown(ctx, igJob.ID)
	if err != nil || j.Takedown != app.TakedownFailed || !strings.Contains(j.TakedownError, "Instagram app") {
		t.Fatalf("instagram delete: %q %q %v", j.Takedown, j.TakedownError, err)
	}
	atts, _ := e.db.PublishAttempts(ctx, igJob.ID)
	if last := atts[len(atts)-1]; last.Action != "delete" || last.ErrorKind != string(publish.KindPermission) || last.ErrorCode != "delete_unsupported" {
		t.Fatalf("delete attempt %+v", last)
	}
	if kind, code, err := e.db.LastDeleteError(ctx, igJob.ID); err != nil || kind != "permission" || code != "delete_unsupported" {
		t.Errorf("last delete error %q %q %v", kind, code, err)
	}
	if tds, _ = e.q.Takedowns(ctx, "c7"); tds[0].Takedown != app.TakedownFailed || !tds[0].Manual || tds[0].Error != "" {
		t.Errorf("after the refusal %+v", tds[0])
	}

	// A note that long is refused before anything is recorded.
	if _, err := e.q.MarkRemoved(ctx, igJob.ID, strings.Repeat("x", 501)); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("long note: %v", err)
	}
	e.clock.Advance(10 * time.Minute)
	j, err = e.q.MarkRemoved(ctx, igJob.ID, "  "+note+" ")
	if err != nil {
		t.Fatal(err)
	}
	if j.Takedown != app.TakedownRemovedManually || !j.TakedownAt.Equal(t0.Add(10*time.Minute)) || j.TakedownBy != "practice manager" ||
		j.TakedownNote != note || j.TakedownError != "" || j.State != app.JobPublished {
		t.Fatalf("marked %+v", j)
	}
	if ev := e.ev.last(igJob.ID); ev.Step != queue.StepRemovedManually {
		t.Errorf("event %+v", ev)
	}
	// It stays on the list, shown as removed by hand, after a restart too.
	e.restart()
	tds, _ = e.q.Takedowns(ctx, "c7")
	byJob = map[int64]queue.Takedown{}
	for _, td := range tds {
		byJob[td.JobID] = td
	}
	if td := byJob[igJob.ID]; td.Takedown != app.TakedownRemovedManually || !td.RemovedAt.Equal(t0.Add(10*time.Minute)) ||
		td.Note != note || td.RemovedBy != "practice manager" || td.Manual {
		t.Errorf("removed on the list %+v", td)
	}
	// Asking again changes nothing (no second log entry); Delete has nothing to do.
	if j2, err := e.q.MarkRemoved(ctx, igJob.ID, "other words"); err != nil || j2.TakedownNote != note || !j2.UpdatedAt.Equal(j.UpdatedAt) {
		t.Errorf("second mark: %+v %v", j2, err)
	}
	if j2, err := e.q.Takedown(ctx, igJob.ID); err != nil || j2.Takedown != app.TakedownRemovedManually {
		t.Errorf("delete after manual removal: %q %v", j2.Takedown, err)
	}
	if n := len(ig.Media()); n != 1 {
		t.Errorf("instagram media %d", n)
	}

	actions, details := auditDetails(t, e.db)
	if actions["publish.takedown_removed_manually"] != 1 || actions["publish.takedown_failed"] != 1 {
		t.Errorf("audit actions %v", actions)
	}
	if !strings.Contains(details, "publish.takedown_removed_manually publish_job:"+strconv.FormatInt(igJob.ID, 10)) {
		t.Errorf("the manual removal is not logged against the job:\n%s", details)
	}
	for _, secret := range []string{text, note, "Jane", "reception"} {
		if strings.Contains(details, secret) {
			t.Errorf("the activity log holds %q:\n%s", secret, details)
		}
	}
}

func TestMarkRemovedRefusals(t *testing.T) {
	e := newEnv(t, nil)
	withInstagram(t, e)
	// Instagram refuses the image (PNG) so that job never goes out.
	failed := e.enqueue(queue.Request{Text: "Open day", Media: []queue.Media{e.image(400, 320, "Reception")}, ConsentIDs: []string{"c8"},
		Targets: []queue.Target{{Channel: chIGT, Platform: publish.Instagram}}})[0]
	later := e.enqueue(queue.Request{Text: "Open day, later", Media: []queue.Media{e.jpeg()}, At: t0.Add(3 * time.Hour), Zone: "UTC",
		ConsentIDs: []string{"c8"}, Targets: []queue.Target{{Channel: chIGT, Platform: publish.Instagram}}})[0]
	e.run()
	if j := e.job(failed.ID); j.State != app.JobFailed || j.RemoteID != "" {
		t.Fatalf("png on instagram: %s %q", j.State, j.RemoteID)
	}
	cases := []struct {
		name string
		id   int64
		code string
		msg  string
	}{
		{"failed, never live", failed.ID, app.ECONFLICT, "not live on Instagram"},
		{"queued for later", later.ID, app.ECONFLICT, "not live on Instagram"},
		{"no such job", 9999, app.ENOTFOUND, "no longer"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := e.q.MarkRemoved(ctx, c.id, "")
			var ae *app.Error
			if !errors.As(err, &ae) || ae.Code != c.code || !strings.Contains(ae.Message, c.msg) {
				t.Fatalf("got %v, want %s %q", err, c.code, c.msg)
			}
		})
	}
	if j := e.job(later.ID); j.Takedown != "" || j.State != app.JobQueued {
		t.Errorf("a refused mark changed the job: %+v", j)
	}

	// Facebook's delete fails (token withdrawn): a failed delete on a
	// platform that can delete may be marked, the list shows it as a plain
	// failure (not a refusal), and a pending retry may not.
	fbJob := e.enqueue(queue.Request{Text: "Team photo", ConsentIDs: []string{"c9"}, Targets: targets(chFB, chMA)})
	e.run()
	if _, err := e.q.Revoke(ctx, "c9"); err != nil {
		t.Fatal(err)
	}
	e.fb.RevokeToken()
	if j, err := e.q.Takedown(ctx, fbJob[0].ID); err != nil || j.Takedown != app.TakedownFailed {
		t.Fatalf("facebook delete: %+v %v", j, err)
	}
	e.ma.Faults.Add(fault.Fault{Method: http.MethodDelete, Status: http.StatusBadGateway, Times: 1})
	if j, err := e.q.Takedown(ctx, fbJob[1].ID); err != nil || j.Takedown != app.TakedownPending {
		t.Fatalf("mastodon delete during an outage: %q %v", j.Takedown, err)
	}
	if _, err := e.q.MarkRemoved(ctx, fbJob[1].ID, ""); app.ErrorCode(err) != app.ECONFLICT || !strings.Contains(app.ErrorMessage(err), "still deleting") {
		t.Errorf("mark while a retry is pending: %v", err)
	}
	tds, _ := e.q.Takedowns(ctx, "c9")
	for _, td := range tds {
		if td.Manual {
			t.Errorf("an outage or an expired token is not a refusal to delete: %+v", td)
		}
	}
	if j, err := e.q.MarkRemoved(ctx, fbJob[0].ID, ""); err != nil || j.Takedown != app.TakedownRemovedManually {
		t.Errorf("mark after a failed facebook delete: %+v %v", j, err)
	}
	pubs, _ := e.db.PublishJobs(ctx, app.PublishJobFilter{ConsentID: "c9"})
	if pubs[0].Takedown != app.TakedownRemovedManually || pubs[1].Takedown != app.TakedownPending {
		t.Errorf("jobs after: %q %q", pubs[0].Takedown, pubs[1].Takedown)
	}
}
