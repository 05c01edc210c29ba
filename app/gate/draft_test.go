package gate_test

import (
	"testing"
	"time"

	"practicepost/app"
	"practicepost/app/gate"
	"practicepost/app/guard"
	"practicepost/app/store"
	"practicepost/app/store/storetest"
)

// practiceDB is a fresh data file, its clock at t0, holding a UK
// practice's brand kit with kit's name and contact details.
func practiceDB(t *testing.T, kit app.BrandKit) *store.DB {
	t.Helper()
	db := storetest.Open(t, &app.FixedClock{T: t0})
	kit.Country, kit.HeadingFont, kit.BodyFont, kit.Colors = "GB", "Inter", "Inter", app.DefaultBrandKit().Colors
	if _, err := db.SaveBrandKit(ctx, kit); err != nil {
		t.Fatal(err)
	}
	return db
}

// TestDraft: the editor's verdict is one result per chosen channel in the
// draft's order; no channel blocks the draft as a whole, and a link that
// cannot be tagged warns on every post.
func TestDraft(t *testing.T) {
	db := practiceDB(t, app.BrandKit{PracticeName: "Harbour Dental", Email: "hello@harbour.example"})
	g, moment := gate.New(), t0.Add(time.Hour)
	kinds := func(fs []guard.Finding) map[guard.Kind]guard.Severity {
		out := map[guard.Kind]guard.Severity{}
		for _, f := range fs {
			out[f.Kind] = f.Severity
		}
		return out
	}

	r, err := g.Draft(ctx, db, app.Draft{Body: "Whitening tips"}, t0, moment)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Posts) != 0 || len(r.Results) != 0 || kinds(r.Whole)["no_channel"] != guard.Block {
		t.Fatalf("no channel: posts %d, whole %+v", len(r.Posts), r.Whole)
	}

	for _, c := range []struct {
		link    string
		warned  bool
		channel []string
	}{
		{"not a web address", true, []string{"facebook", "linkedin"}},
		{"https://harbour.example/tips", false, []string{"facebook", "instagram"}},
	} {
		r, err := g.Draft(ctx, db, app.Draft{ID: 7, Body: "Whitening tips", Link: c.link, UTM: true, Channels: c.channel}, t0, moment)
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Whole) != 0 || len(r.Posts) != len(c.channel) || len(r.Results) != len(c.channel) {
			t.Fatalf("%q: whole %+v, %d posts, %d results", c.link, r.Whole, len(r.Posts), len(r.Results))
		}
		for i, p := range r.Posts {
			if string(p.Channel) != c.channel[i] {
				t.Errorf("post %d is on %s, want %s", i, p.Channel, c.channel[i])
			}
			sev, warned := kinds(r.Results[i].Report.Findings)["link_invalid"]
			if warned != c.warned || (warned && sev != guard.Warn) {
				t.Errorf("%q on %s: link_invalid %v (%s), want %v", c.link, p.Channel, warned, sev, c.warned)
			}
		}
		if !c.warned && r.Notes[guard.Instagram] == "" {
			t.Errorf("Instagram leaves the link out without a note: %+v", r.Notes)
		}
	}
}
