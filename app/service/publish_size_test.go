package service_test

import (
	"bytes"
	"context"
	"image"
	"strconv"
	"strings"
	"testing"

	"practicepost/app"
	"practicepost/app/service"
)

func pixelSize(data []byte) string {
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return "unreadable"
	}
	return dims(cfg.Width, cfg.Height)
}

func dims(w, h int) string { return strconv.Itoa(w) + "x" + strconv.Itoa(h) }

// A design attached to a post goes to each channel in the size its platform
// takes; one the design has not kept goes in the closest shape, and the
// check says so on that channel. A plain photo goes everywhere as it is.
func TestPublishDesignInEachPlatformsSize(t *testing.T) {
	w, masto, bs, fb := threePlatforms(t)
	// A design kept in two sizes: the square, and the 1.91:1 link image,
	// but not the 16:9 Mastodon and Bluesky take.
	db, _ := w.c.DB()
	var items []app.NewMedia
	for _, s := range []struct {
		id   string
		w, h int
	}{{"square", 120, 120}, {"link", 191, 100}} {
		items = append(items, app.NewMedia{Data: pngBytes(t, s.w, s.h), MIME: "image/png", Template: "caption", SizeID: s.id, Width: s.w, Height: s.h,
			Sources: []app.ImageSource{{Kind: app.SourceDeclared, Declared: "premises"}}, SourcesKnown: true})
	}
	kept, err := db.KeepMedia(context.Background(), "design-1", "Our new treatment room", items)
	if err != nil {
		t.Fatal(err)
	}
	sq := kept[0]
	id := newDraft(t, w, service.DraftInput{Title: "Room", Body: "Our treatment room is ready.", Channels: []string{"facebook", "mastodon", "bluesky"},
		Media: []app.DraftMedia{{MediaID: sq.ID, SHA256: sq.SHA256, AltText: "A bright treatment room", SetID: "design-1"}}})

	v, err := w.drafts.Get(id)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"facebook": "120x120", "mastodon": "191x100", "bluesky": "191x100"}
	for _, c := range v.Check.Channels {
		if len(c.Images) != 1 || dims(c.Images[0].Width, c.Images[0].Height) != want[c.Channel] || c.Images[0].AltText != "A bright treatment room" {
			t.Errorf("%s's check images = %+v, want %s", c.Channel, c.Images, want[c.Channel])
		}
		if (c.Channel == "facebook") != (c.SizeNote == "") {
			t.Errorf("%s size note %q", c.Channel, c.SizeNote)
		}
		if c.Channel == "mastodon" && !strings.Contains(c.SizeNote, "no 1600×900 size") {
			t.Errorf("Mastodon's note does not name the size it takes: %q", c.SizeNote)
		}
	}
	if v.Check.Blocked {
		t.Fatalf("blocked: %v", v.Check.Reasons)
	}
	if _, err := w.pub.Publish(service.PublishInput{DraftID: id}); err != nil {
		t.Fatal(err)
	}
	waitJobs(t, w, id, "every channel published", allIn(app.JobPublished, 3))
	if p := fb.Posts(); len(p) != 1 || pixelSize(p[0].Photo) != "120x120" {
		t.Errorf("Facebook did not get the square")
	}
	st := masto.Statuses()
	if len(st) != 1 || len(st[0].MediaIDs) != 1 {
		t.Fatalf("mastodon: %+v", st)
	}
	if m, _ := masto.Media(st[0].MediaIDs[0]); pixelSize(m.Data) != "191x100" || m.Description != "A bright treatment room" {
		t.Errorf("Mastodon got %s (%q), want the link image", pixelSize(m.Data), m.Description)
	}
	recs := bs.Records()
	if len(recs) != 1 || !strings.Contains(string(recs[0].Value), `"alt":"A bright treatment room"`) {
		t.Fatalf("bluesky: %+v", recs)
	}

	// A plain photo (no design) goes to every channel as it is.
	photo := keepDeclared(t, w, pngBytes(t, 150, 100), "image/png", 150, 100)
	pid := newDraft(t, w, service.DraftInput{Title: "Photo", Body: "Reception has new chairs.", Channels: []string{"facebook", "mastodon"},
		Media: []app.DraftMedia{{SHA256: photo, AltText: "New chairs at reception"}}})
	pv, err := w.drafts.Get(pid)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range pv.Check.Channels {
		if len(c.Images) != 1 || c.Images[0].SHA256 != photo || c.SizeNote != "" {
			t.Errorf("%s: the plain photo became %+v (note %q)", c.Channel, c.Images, c.SizeNote)
		}
	}
	if _, err := w.pub.Publish(service.PublishInput{DraftID: pid}); err != nil {
		t.Fatal(err)
	}
	waitJobs(t, w, pid, "the photo published", allIn(app.JobPublished, 2))
	if p := fb.Posts(); len(p) != 2 || pixelSize(p[1].Photo) != "150x100" {
		t.Errorf("Facebook did not get the photo as it is")
	}
	if st := masto.Statuses(); len(st) != 2 {
		t.Fatalf("mastodon: %d statuses", len(st))
	} else if m, _ := masto.Media(st[1].MediaIDs[0]); pixelSize(m.Data) != "150x100" {
		t.Errorf("Mastodon got %s, want the photo as it is", pixelSize(m.Data))
	}
}
