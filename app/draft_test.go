package app_test

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"practicepost/app"
	"practicepost/app/guard"
)

func TestDraftNormalize(t *testing.T) {
	sha := strings.Repeat("a", 64)
	d := app.Draft{Title: "  Spring tips ", Body: "one\r\ntwo", Versions: map[string]string{"x": "a\r\nb"},
		Channels: []string{"x", "bluesky", "x"}, Hashtags: []string{" smile ", "", "#Smile", "#teeth", "Teeth", "  "},
		Link: " https://example.com/a ", Campaign: " spring ", Media: []app.DraftMedia{{SHA256: sha, AltText: "  a chair "}},
		Testimonials: []int64{3, 1, 3}}
	d.Normalize()
	if d.Title != "Spring tips" || d.Body != "one\ntwo" || d.Link != "https://example.com/a" || d.Campaign != "spring" {
		t.Errorf("text fields %q %q %q %q", d.Title, d.Body, d.Link, d.Campaign)
	}
	if !maps.Equal(d.Versions, map[string]string{"x": "a\nb"}) {
		t.Errorf("versions %v", d.Versions)
	}
	if !slices.Equal(d.Channels, []string{"x", "bluesky"}) || !slices.Equal(d.Testimonials, []int64{3, 1}) {
		t.Errorf("repeats kept: %v %v", d.Channels, d.Testimonials)
	}
	if !slices.Equal(d.Hashtags, []string{"#smile", "#teeth"}) {
		t.Errorf("hashtags %q", d.Hashtags)
	}
	if len(d.Media) != 1 || d.Media[0].AltText != "a chair" {
		t.Errorf("media %+v", d.Media)
	}
	// The editor reads empty lists, never null.
	var e app.Draft
	e.Normalize()
	if e.Versions == nil || e.Channels == nil || e.Hashtags == nil || e.Media == nil || e.Testimonials == nil {
		t.Errorf("empty draft normalized to %+v", e)
	}
}

func TestDraftValidate(t *testing.T) {
	sha := strings.Repeat("a", 64)
	cases := []struct {
		name  string
		d     app.Draft
		field string // "" when the draft can be stored
		msg   string
	}{
		{"empty", app.Draft{}, "", ""},
		{"everything", app.Draft{Title: strings.Repeat("t", 120), Body: strings.Repeat("é", 70_000), Pillar: app.PillarTip,
			Channels: []string{"facebook", "instagram", "linkedin", "google_business", "mastodon", "bluesky", "x"},
			Versions: map[string]string{"x": "short"}, Hashtags: []string{"smile", "#Zähne_2"}, Media: []app.DraftMedia{{SHA256: sha}}}, "", ""},
		{"long title", app.Draft{Title: strings.Repeat("é", 121)}, "title", "Keep the title to 120 characters; it is only for you."},
		{"long body", app.Draft{Body: strings.Repeat("é", 70_001)}, "body", "The post is longer than any platform accepts (70,000 characters)."},
		{"unknown pillar", app.Draft{Pillar: "gossip"}, "pillar", "Choose a content pillar from the list."},
		{"unknown channel", app.Draft{Channels: []string{"x", "myspace"}}, "channels", `PracticePost does not post to "myspace".`},
		{"platform name for a channel", app.Draft{Channels: []string{"google"}}, "channels", `PracticePost does not post to "google".`},
		{"consent-only channel", app.Draft{Channels: []string{"newsletter"}}, "channels", `PracticePost does not post to "newsletter".`},
		{"unknown version", app.Draft{Versions: map[string]string{"myspace": "hi"}}, "versions", `PracticePost does not post to "myspace".`},
		{"hashtag with a space", app.Draft{Hashtags: []string{"#ok", "bad tag"}}, "hashtags", `"bad tag" is not a hashtag: use letters and numbers only, with no spaces.`},
		{"hashtag of digits", app.Draft{Hashtags: []string{"2026"}}, "hashtags", `"2026" is not a hashtag`},
		{"image not from the library", app.Draft{Media: []app.DraftMedia{{SHA256: sha}, {SHA256: "abc"}}}, "media", "Image 2 is not from the Studio library. Choose it again."},
		{"title before body", app.Draft{Title: strings.Repeat("t", 121), Body: strings.Repeat("b", 70_001)}, "title", ""},
		{"channels before hashtags", app.Draft{Channels: []string{"myspace"}, Hashtags: []string{"bad tag"}}, "channels", ""},
	}
	for _, c := range cases {
		c.d.Normalize()
		err := c.d.Validate()
		if app.ErrorField(err) != c.field || (c.field == "" && err != nil) {
			t.Errorf("%s: got %v, want a %q error", c.name, err, c.field)
			continue
		}
		if err != nil && !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%s: %q does not say %q", c.name, err, c.msg)
		}
	}
}

func TestHashtags(t *testing.T) {
	got, err := app.Hashtags([]string{" smile", "#Smile", "", "teeth"})
	if err != nil || !slices.Equal(got, []string{"#smile", "#teeth"}) {
		t.Errorf("Hashtags = %q, %v", got, err)
	}
	if _, err := app.Hashtags([]string{"fine", "not fine"}); app.ErrorField(err) != "hashtags" || !strings.Contains(err.Error(), `"not fine"`) {
		t.Errorf("a bad hashtag: %v", err)
	}
}

// A draft may choose exactly the channels the guard checks posts for.
func TestPostedChannelsArePlatforms(t *testing.T) {
	for _, ch := range guard.Channels {
		if !app.ConsentChannel(ch).Posted() {
			t.Errorf("the guard checks %q, which a draft cannot choose", ch)
		}
	}
	if len(guard.Channels) != len(app.Platforms()) {
		t.Errorf("the guard checks %d channels, there are %d platforms", len(guard.Channels), len(app.Platforms()))
	}
	for _, c := range []app.ConsentChannel{app.ChannelWebsite, app.ChannelNewsletter, app.ChannelPrint, app.ChannelPaidAds, app.ChannelReviewSites, "google", ""} {
		if c.Posted() {
			t.Errorf("%q is posted", c)
		}
	}
}

func TestDefaultChannelsFollowConnectedAccounts(t *testing.T) {
	ch := func(p string, broken bool) app.Channel {
		return app.Channel{ID: p + ":1", Platform: p, NeedsReconnect: broken}
	}
	for _, tc := range []struct {
		name      string
		connected []app.Channel
		want      []string
	}{
		{"nothing connected: planned for Facebook and Instagram", nil, []string{"facebook", "instagram"}},
		{"descriptor order, Google by its consent spelling, one entry per platform",
			[]app.Channel{ch("x", false), ch("google", false), ch("mastodon", false), ch("mastodon", false)},
			[]string{"google_business", "mastodon", "x"}},
		{"an account that needs reconnecting is left out", []app.Channel{ch("bluesky", false), ch("facebook", true)}, []string{"bluesky"}},
		{"only broken accounts: as if none", []app.Channel{ch("linkedin", true)}, []string{"facebook", "instagram"}},
	} {
		if got := app.DefaultChannels(tc.connected); !slices.Equal(got, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}
