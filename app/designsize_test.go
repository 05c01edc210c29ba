package app_test

import (
	"testing"

	"practicepost/app"
	"practicepost/app/studio"
)

func sized(id string, w, h int) app.Media {
	return app.Media{ID: int64(w*10000 + h), SetID: "d1", SHA256: id, SizeID: id, Width: w, Height: h}
}

// Every size the Studio renders, as Render keeps them.
var allSizes = []app.Media{sized("square", 1080, 1080), sized("portrait", 1080, 1350), sized("link", 1200, 630),
	sized("story", 1080, 1920), sized("landscape", 1200, 900), sized("wide", 1600, 900)}

func TestDesignSize(t *testing.T) {
	without := func(ids ...string) []app.Media {
		var out []app.Media
		for _, m := range allSizes {
			keep := true
			for _, id := range ids {
				keep = keep && m.SizeID != id
			}
			if keep {
				out = append(out, m)
			}
		}
		return out
	}
	cases := []struct {
		name     string
		platform app.Platform
		sizes    []app.Media
		want     string
		exact    bool
	}{
		{"Facebook takes the square", app.PlatformFacebook, allSizes, "square", true},
		{"Instagram takes the 4:5 portrait", app.PlatformInstagram, allSizes, "portrait", true},
		{"LinkedIn takes the 1.91:1 link image", app.PlatformLinkedIn, allSizes, "link", true},
		{"Google takes the 4:3 landscape", app.PlatformGoogle, allSizes, "landscape", true},
		{"Mastodon takes the 16:9 wide", app.PlatformMastodon, allSizes, "wide", true},
		{"Bluesky takes the 16:9 wide", app.PlatformBluesky, allSizes, "wide", true},
		{"X takes the 16:9 wide", app.PlatformX, allSizes, "wide", true},
		{"no square: Facebook gets the closest shape, the 4:5 portrait", app.PlatformFacebook, without("square"), "portrait", false},
		{"no portrait: Instagram gets the square, not the story", app.PlatformInstagram, without("portrait"), "square", false},
		{"no wide: Mastodon gets the link image (1.9:1) over the 4:3", app.PlatformMastodon, without("wide"), "link", false},
		{"no link: LinkedIn gets the wide", app.PlatformLinkedIn, without("link"), "wide", false},
		{"no landscape: Google (4:3) gets the wide, as close as the square and larger", app.PlatformGoogle, without("landscape"), "wide", false},
		{"a design kept in one size goes in it", app.PlatformInstagram, []app.Media{sized("wide", 1600, 900)}, "wide", false},
		{"an unknown platform gets the square", app.Platform("myspace"), allSizes, "square", true},
		{"same shape: the larger wins", app.PlatformFacebook, []app.Media{sized("a", 500, 500), sized("b", 1000, 1000), sized("wide", 1600, 900)}, "b", false},
	}
	for _, c := range cases {
		m, exact, ok := app.DesignSize(c.platform, c.sizes)
		if !ok || m.SizeID != c.want || exact != c.exact {
			t.Errorf("%s: got %q exact=%v ok=%v, want %q exact=%v", c.name, m.SizeID, exact, ok, c.want, c.exact)
		}
	}
	if _, _, ok := app.DesignSize(app.PlatformFacebook, nil); ok {
		t.Error("a design with no size kept gave one")
	}
}

// Every platform names a size the Studio renders, of the shape its feed shows.
func TestDescriptorSizes(t *testing.T) {
	for _, d := range app.Platforms() {
		s, ok := studio.SizeByID(d.Size)
		if !ok {
			t.Errorf("%s names size %q, which the Studio does not render", d.Name, d.Size)
			continue
		}
		if r := float64(s.Width) / float64(s.Height); r/d.FeedAspect > 1.02 || d.FeedAspect/r > 1.02 {
			t.Errorf("%s: size %q is %.2f:1, its feed shows %.2f:1", d.Name, d.Size, r, d.FeedAspect)
		}
	}
	// The test's copy of the Studio's sizes is the Studio's.
	if len(allSizes) != len(studio.Sizes) {
		t.Fatalf("the Studio renders %d sizes, the test knows %d", len(studio.Sizes), len(allSizes))
	}
	for i, s := range studio.Sizes {
		if m := allSizes[i]; m.SizeID != s.ID || m.Width != s.Width || m.Height != s.Height {
			t.Errorf("size %d: test has %s %d×%d, the Studio %s %d×%d", i, m.SizeID, m.Width, m.Height, s.ID, s.Width, s.Height)
		}
	}
}

func TestImagesFor(t *testing.T) {
	sets := map[string][]app.Media{"d1": allSizes[:3]} // square, portrait, link
	d := app.Draft{Media: []app.DraftMedia{
		{MediaID: allSizes[0].ID, SHA256: "square", AltText: "Our team", SetID: "d1"},
		{MediaID: 99, SHA256: "plain-photo", AltText: "The waiting room"},
		{MediaID: 5, SHA256: "gone", AltText: "A design since deleted", SetID: "d2"},
	}}
	ig := d.ImagesFor(app.PlatformInstagram, sets)
	if len(ig) != 3 || ig[0].SHA256 != "portrait" || ig[0].AltText != "Our team" || ig[0].Width != 1080 || ig[0].Height != 1350 || ig[0].Wanted != "" {
		t.Errorf("Instagram's design = %+v, want the portrait with the draft's alt text", ig[0])
	}
	if ig[1].SHA256 != "plain-photo" || ig[1].MediaID != 99 || ig[1].SizeID != "" {
		t.Errorf("a plain photo changed on its way to Instagram: %+v", ig[1])
	}
	if ig[2].SHA256 != "gone" || ig[2].Wanted != "" {
		t.Errorf("a design none of whose sizes is kept = %+v, want it as chosen", ig[2])
	}
	ma := d.ImagesFor(app.PlatformMastodon, sets)
	if ma[0].SHA256 != "link" || ma[0].Wanted != "wide" {
		t.Errorf("Mastodon without the wide size = %+v, want the link image, wanted wide", ma[0])
	}
	if ma[1].SHA256 != "plain-photo" {
		t.Errorf("the plain photo does not go to Mastodon as it is: %+v", ma[1])
	}
}

func TestMediaFor(t *testing.T) {
	all := []app.PublishMedia{{SHA256: "sq", Platform: "facebook"}, {SHA256: "photo"}, {SHA256: "wide", Platform: "mastodon"}, {SHA256: "photo", Platform: "mastodon"}}
	got := app.MediaFor(all, "mastodon")
	if len(got) != 3 || got[0].SHA256 != "photo" || got[1].SHA256 != "wide" {
		t.Errorf("mastodon = %+v", got)
	}
	if got := app.MediaFor(all, "facebook"); len(got) != 2 || got[0].SHA256 != "sq" {
		t.Errorf("facebook = %+v", got)
	}
	if got := app.MediaFor(nil, "x"); got == nil || len(got) != 0 {
		t.Errorf("no media = %#v, want an empty list", got)
	}
}
