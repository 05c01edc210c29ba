package service_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"practicepost/app"
	"practicepost/app/auth"
	mafake "practicepost/app/publish/mastodon/mastodontest"
	"practicepost/app/service"
)

// scheduledOnMastodon is a post made from in, scheduled for tomorrow at
// 09:00 on a connected Mastodon account, with its job queued.
func scheduledOnMastodon(t *testing.T, in service.DraftInput) (*world, *mafake.Server, int64) {
	t.Helper()
	clock := &safeClock{t: time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)}
	masto := mafake.New(mafake.Config{Now: clock.Now})
	t.Cleanup(masto.Close)
	w := newWorld(t, t.TempDir(), clock, auth.NewMemoryStore())
	connectMastodon(t, w, masto)
	id := newDraft(t, w, in)
	if _, err := w.pub.Publish(service.PublishInput{DraftID: id, Date: "2026-11-23", Clock: "09:00"}); err != nil {
		t.Fatal(err)
	}
	waitJobs(t, w, id, "queued", allIn(app.JobQueued, 1))
	return w, masto, id
}

// An edit the check refuses takes a scheduled post off the schedule, and
// so off the queue: the version queued before the edit is cancelled, not
// sent at its time while the editor says it will not go out.
func TestABlockedEditTakesTheQueuedPostOffTheQueue(t *testing.T) {
	w, masto, id := scheduledOnMastodon(t, service.DraftInput{Body: "Christmas opening hours are on our website.", Channels: []string{"mastodon"}})
	addPatient(t, w.c, "Ada Quinn") // a patient with no consent

	v, err := w.drafts.Save(service.DraftInput{ID: id, Body: "Christmas opening hours are on our website. Ada Quinn's crown came out great!", Channels: []string{"mastodon"}})
	if err != nil || v.Draft.Status == app.DraftScheduled || !strings.Contains(v.Notice, "taken off the schedule") {
		t.Fatalf("after the blocked edit: status %s notice %q %v", v.Draft.Status, v.Notice, err)
	}
	waitJobs(t, w, id, "cancelled", allIn(app.JobCancelled, 1))
	if len(masto.Statuses()) != 0 {
		t.Fatal("the old version went out")
	}
}

// An edit to a scheduled post's words takes it off the queue too: the post
// queued before the edit would send the old words at its time. Saving what
// is already queued (the autosave after a pause) changes nothing.
func TestAnEditedScheduledPostIsNotSentWithItsOldWords(t *testing.T) {
	in := service.DraftInput{Body: "Our Christmas opening hours are on the website.", Channels: []string{"mastodon"}}
	w, _, id := scheduledOnMastodon(t, in)

	in.ID = id
	v, err := w.drafts.Save(in)
	if err != nil || v.Draft.Status != app.DraftScheduled || v.Notice != "" {
		t.Fatalf("saving the same words: status %s notice %q %v", v.Draft.Status, v.Notice, err)
	}
	in.Body = "Our Christmas opening hours are on our website."
	v, err = w.drafts.Save(in)
	if err != nil || v.Draft.Status == app.DraftScheduled || !strings.Contains(v.Notice, "Press Schedule to send this version") || v.Draft.LocalTime == "" {
		t.Fatalf("after the edit: status %s time %q notice %q %v", v.Draft.Status, v.Draft.LocalTime, v.Notice, err)
	}
	waitJobs(t, w, id, "cancelled", allIn(app.JobCancelled, 1))

	// Scheduled again, the new words are what waits to go out.
	if _, err := w.pub.Publish(service.PublishInput{DraftID: id, Date: "2026-11-23", Clock: "09:00"}); err != nil {
		t.Fatal(err)
	}
	jobs := waitJobs(t, w, id, "queued again", func(js []service.JobView) bool {
		return slices.ContainsFunc(js, func(j service.JobView) bool { return j.State == app.JobQueued })
	})
	for _, j := range jobs {
		if j.State == app.JobQueued && !strings.Contains(j.Text, "on our website") {
			t.Fatalf("queued %q", j.Text)
		}
	}
}
