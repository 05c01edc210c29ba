package service_test

import (
	"testing"

	"practicepost/app"
	"practicepost/app/auth"
	mafake "practicepost/app/publish/mastodon/mastodontest"
	"practicepost/app/service"
)

// A channel version left empty on purpose (image only) goes out as the
// editor checked and previewed it, not with the main text swapped in.
func TestAnImageOnlyVersionGoesOutWithoutTheMainText(t *testing.T) {
	masto := mafake.New(mafake.Config{})
	defer masto.Close()
	w := newWorld(t, t.TempDir(), startClock(), auth.NewMemoryStore())
	connectMastodon(t, w, masto)
	sha := addImage(t, w)
	id := newDraft(t, w, service.DraftInput{Body: "Facebook-only wording: see our new patient offer at the front desk.",
		Versions: map[string]string{"mastodon": ""}, Channels: []string{"mastodon"},
		Media: []app.DraftMedia{{SHA256: sha, AltText: "A bright, empty treatment room"}}})
	res, err := w.pub.Publish(service.PublishInput{DraftID: id})
	if err != nil {
		t.Fatal(err)
	}
	checked := res.Check.Channels[0].Text
	if checked != "" {
		t.Fatalf("the check read %q for an image-only version", checked)
	}
	waitJobs(t, w, id, "published", allIn(app.JobPublished, 1))
	sent := masto.Statuses()[0].Text
	if sent != checked {
		t.Fatalf("checked/previewed text %q, sent %q", checked, sent)
	}
}
