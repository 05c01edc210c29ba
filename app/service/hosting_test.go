package service_test

import (
	"strings"
	"testing"

	"practicepost/app"
	"practicepost/app/auth"
	bsfake "practicepost/app/publish/bluesky/blueskytest"
	"practicepost/app/publish/fault"
	gbpfake "practicepost/app/publish/gbp/gbptest"
	hostfake "practicepost/app/publish/hosting/hostingtest"
	igfake "practicepost/app/publish/instagram/instagramtest"
	"practicepost/app/service"
)

func TestHostingSettingsKeepTheSecretInTheKeychain(t *testing.T) {
	clock := startClock()
	bucket := hostfake.New(hostfake.Config{Now: clock.Now})
	defer bucket.Close()
	w := newWorld(t, t.TempDir(), clock, auth.NewMemoryStore())
	h := service.NewHostingService(w.c, nil, w.secrets, w.ch)

	got, err := h.Get()
	if err != nil || got.Connected || !strings.Contains(got.Message, "Instagram cannot take posts") || !strings.Contains(got.Message, "Facebook Page") {
		t.Fatalf("before: %+v %v", got, err)
	}
	in := bucketInput(bucket)
	wrong := in
	wrong.SecretAccessKey = "not-the-secret"
	if _, err := h.Save(wrong); app.ErrorCode(err) != app.EFORBIDDEN || !strings.Contains(app.ErrorMessage(err), "refused PracticePost's keys") {
		t.Fatalf("wrong secret: %v", err)
	}
	noBucket := in
	noBucket.Bucket = "someone-elses"
	if _, err := h.Test(noBucket); app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatalf("missing bucket: %v", err)
	}
	missing := in
	missing.SecretAccessKey = ""
	if _, err := h.Test(missing); app.ErrorField(err) != "secretAccessKey" {
		t.Fatalf("no secret: %v", err)
	}
	if got, _ := h.Get(); got.Connected || w.secrets.Len() != 0 {
		t.Fatal("a failed check saved the bucket")
	}

	chk, err := h.Save(in)
	if err != nil {
		t.Fatal(err)
	}
	// The fake bucket is plain http on this computer: both warnings show.
	if !chk.OK || len(chk.Warnings) != 2 || !strings.Contains(strings.Join(chk.Warnings, " "), "https") || !chk.Settings.Connected {
		t.Fatalf("check: %+v", chk)
	}
	if !chk.Settings.PathStyle {
		t.Fatal("MinIO needs path-style addressing")
	}
	if len(bucket.Objects()) != 0 || len(bucket.Fetched()) != 1 {
		t.Fatalf("the check must fetch its file through the link and remove it: objects %v fetched %v", bucket.Objects(), bucket.Fetched())
	}
	got, _ = h.Get()
	if !got.Connected || !got.HasSecret || got.AccessKeyID != bucket.AccessKey() || got.CheckedAt.IsZero() {
		t.Fatalf("saved: %+v", got)
	}
	db, _ := w.c.DB()
	raw, _ := db.State(t.Context(), "media_hosting")
	if strings.Contains(raw, bucket.SecretKey()) {
		t.Fatal("the secret key is in the data file")
	}
	if s, _ := w.secrets.Get("hosting:bucket"); s != bucket.SecretKey() {
		t.Fatal("the secret key is not in the keychain")
	}
	// Saving again with the secret left empty keeps the saved one.
	if _, err := h.Save(missing); err != nil {
		t.Fatalf("resave without retyping the secret: %v", err)
	}
	if !signInOptions(t, w.ch).MediaHosting {
		t.Fatal("channels do not see the bucket")
	}
	if err := h.Disconnect(); err != nil {
		t.Fatal(err)
	}
	if got, _ := h.Get(); got.Connected || w.secrets.Len() != 0 || signInOptions(t, w.ch).MediaHosting {
		t.Fatalf("after disconnect: %+v, %d secrets", got, w.secrets.Len())
	}
}

func TestInstagramAndGoogleWithoutAndWithABucket(t *testing.T) {
	clock := startClock()
	bucket := hostfake.New(hostfake.Config{Now: clock.Now})
	defer bucket.Close()
	ig := igfake.New(igfake.Config{ProcessingPolls: 1})
	defer ig.Close()
	g := gbpfake.New(gbpfake.Config{})
	defer g.Close()
	bs := bsfake.New(bsfake.Config{})
	defer bs.Close()
	w := newWorld(t, t.TempDir(), clock, auth.NewMemoryStore())
	h := service.NewHostingService(w.c, nil, w.secrets, w.ch)
	w.ch.Providers.InstagramGraphURL = ig.URL
	w.ch.Providers.GoogleURL, w.ch.Providers.GoogleInfoURL, w.ch.Providers.GoogleAccountsURL = g.URL, g.URL, g.URL
	w.ch.Providers.Google = app2(oauthFake(t, "g-token", 3600), 0)
	if _, err := w.ch.ConnectInstagram("100200300", "ig-token"); err != nil {
		t.Fatal(err)
	}
	if in, err := w.ch.ConnectGoogle(); err != nil || in.Channel == nil {
		t.Fatalf("google: %+v %v", in, err)
	}
	<-w.browser.errs
	if _, err := w.ch.ConnectBluesky("smiledental.bsky.social", "abcd-efgh-ijkl-mnop", bs.URL); err != nil {
		t.Fatal(err)
	}

	// Instagram without an image is stopped in the editor already.
	textID := newDraft(t, w, service.DraftInput{Title: "Text", Body: "Our phones are back on.", Channels: []string{"instagram"}})
	v, err := w.drafts.Get(textID)
	if err != nil || !strings.Contains(v.PublishReason, "Instagram posts need an image") {
		t.Fatalf("blocker: %+v %v", v.PublishReason, err)
	}

	sha := addJPEG(t, w)
	id := newDraft(t, w, service.DraftInput{Title: "Chairs", Body: "Our new treatment chairs have arrived.", Channels: []string{"instagram", "google_business", "bluesky"},
		Media: []app.DraftMedia{{SHA256: sha, AltText: "Two blue treatment chairs"}}})
	needs, err := w.pub.HostingNeeds(id)
	if err != nil || needs.Connected || !strings.Contains(needs.Instagram, "no text-only posts") || needs.Google == "" {
		t.Fatalf("needs: %+v %v", needs, err)
	}
	if _, err := w.pub.Publish(service.PublishInput{DraftID: id, GoogleTextOnly: true}); app.ErrorField(err) != "channels" || !strings.Contains(app.ErrorMessage(err), "Settings → Media hosting") {
		t.Fatalf("instagram without a bucket: %v", err)
	}

	// Google text-only, Bluesky with the photo; Instagram left out.
	res, err := w.pub.Publish(service.PublishInput{DraftID: id, GoogleTextOnly: true, Channels: []string{"google:9988776655", bsChannel(t, w)}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Jobs) != 2 {
		t.Fatalf("jobs: %+v", res.Jobs)
	}
	waitJobs(t, w, id, "google and bluesky published", allIn(app.JobPublished, 2))
	if posts := g.Posts(); len(posts) != 1 || posts[0].Body["media"] != nil {
		t.Fatalf("google must go without the photo: %+v", posts)
	}
	if recs := bs.Records(); len(recs) != 1 {
		t.Fatalf("bluesky: %+v", recs)
	}

	// With the bucket: Instagram fetches the image through its link, and the
	// image leaves the bucket once Instagram has it.
	if _, err := h.Save(bucketInput(bucket)); err != nil {
		t.Fatal(err)
	}
	if needs, _ := w.pub.HostingNeeds(id); !needs.Connected || needs.Instagram != "" || needs.Google != "" {
		t.Fatalf("needs with a bucket: %+v", needs)
	}
	if _, err := w.pub.Publish(service.PublishInput{DraftID: id, Channels: []string{"instagram:17841400000000001"}}); err != nil {
		t.Fatal(err)
	}
	jobs := waitJobs(t, w, id, "instagram published", func(js []service.JobView) bool {
		return len(js) == 3 && js[0].Platform == "instagram" && js[0].State == app.JobPublished
	})
	media := ig.Media()
	if len(media) != 1 || media[0].AltText != "Two blue treatment chairs" || !strings.HasPrefix(jobs[0].RemoteURL, "https://www.instagram.com/p/") {
		t.Fatalf("instagram: %+v %+v", media, jobs[0])
	}
	if f := ig.Fetches(); len(f) != 1 || f[0].Status != 200 || !strings.HasPrefix(f[0].URL, bucket.URL) {
		t.Fatalf("instagram must download the image from the bucket: %+v", f)
	}
	if objs := bucket.Objects(); len(objs) != 0 {
		t.Fatalf("left in the bucket: %v", objs)
	}

	// Takedown: Instagram's API cannot delete; the list says what to do.
	_, err = w.pub.Takedown(jobs[0].ID)
	if err == nil || !strings.Contains(app.ErrorMessage(err), "Instagram app") {
		t.Fatalf("instagram takedown: %v", err)
	}

	// A bucket that will not delete: the post still goes out, and Home's
	// list names the channel, the place and what to do; Try again removes
	// it once the bucket answers.
	if left, err := w.pub.Leftovers(); err != nil || len(left) != 0 {
		t.Fatalf("leftovers before: %+v %v", left, err)
	}
	bucket.Faults.Add(fault.Fault{Method: "DELETE", Status: 503})
	if _, err := w.pub.Publish(service.PublishInput{DraftID: id, Channels: []string{"instagram:17841400000000001"}}); err != nil {
		t.Fatal(err)
	}
	waitJobs(t, w, id, "second instagram post published", func(js []service.JobView) bool {
		return len(js) == 4 && js[0].Platform == "instagram" && js[0].State == app.JobPublished
	})
	left, err := w.pub.Leftovers()
	if err != nil || len(left) != 1 {
		t.Fatalf("leftovers: %+v %v", left, err)
	}
	if l := left[0]; l.Count != 1 || l.Where != "bucket" || !strings.HasPrefix(l.Title, "Instagram") || !strings.Contains(l.Advice, "Settings → Media hosting") || l.Since.IsZero() {
		t.Errorf("leftover view %+v", l)
	}
	if objs := bucket.Objects(); len(objs) != 1 {
		t.Fatalf("the bucket should still hold the image: %v", objs)
	}
	bucket.Faults.Clear()
	if left, err := w.pub.RemoveLeftovers(); err != nil || len(left) != 0 {
		t.Fatalf("after try again: %+v %v", left, err)
	}
	if objs := bucket.Objects(); len(objs) != 0 {
		t.Fatalf("left in the bucket after try again: %v", objs)
	}
}

func bsChannel(t *testing.T, w *world) string {
	t.Helper()
	list, _ := w.ch.List()
	for _, c := range list {
		if c.Platform == "bluesky" {
			return c.ID
		}
	}
	t.Fatal("no bluesky channel")
	return ""
}

func signInOptions(t *testing.T, ch *service.ChannelService) service.SignInOptions {
	t.Helper()
	o, err := ch.SignInOptions()
	if err != nil {
		t.Fatal(err)
	}
	return o
}
