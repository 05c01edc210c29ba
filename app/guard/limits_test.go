package guard

import (
	"slices"
	"strings"
	"testing"
)

func kindsOfFindings(fs []Finding) []Kind {
	var ks []Kind
	for _, f := range fs {
		ks = append(ks, f.Kind)
	}
	return ks
}

func TestCheckLimits(t *testing.T) {
	jpeg := func(w, h, b int) Image { return Image{Width: w, Height: h, Bytes: b, Format: "jpeg"} }
	ok := jpeg(1080, 1350, 400_000)
	tests := []struct {
		name   string
		ch     Channel
		text   string
		images []Image
		inst   MastodonInstance
		want   []Kind
		sev    Severity
	}{
		{"x fits", X, strings.Repeat("a", 280), nil, MastodonInstance{}, nil, ""},
		{"x one over", X, strings.Repeat("a", 281), nil, MastodonInstance{}, []Kind{KindTooLong}, Block},
		{"x cjk counts double", X, strings.Repeat("日", 141), nil, MastodonInstance{}, []Kind{KindTooLong}, Block},
		{"x five images", X, "hi", []Image{ok, ok, ok, ok, ok}, MastodonInstance{}, []Kind{KindTooManyImages}, Block},
		{"x 6 MB image", X, "hi", []Image{jpeg(1600, 900, 6<<20)}, MastodonInstance{}, []Kind{KindImageTooLarge}, Block},
		{"bluesky 300 graphemes of emoji ok", Bluesky, strings.Repeat("🦷", 300), nil, MastodonInstance{}, nil, ""},
		{"bluesky bytes", Bluesky, strings.Repeat("👩‍⚕️", 250), nil, MastodonInstance{}, []Kind{KindTooLong}, Block},
		{"bluesky graphemes", Bluesky, strings.Repeat("a", 301), nil, MastodonInstance{}, []Kind{KindTooLong}, Block},
		{"bluesky 1 MB image", Bluesky, "hi", []Image{jpeg(2000, 2000, 1_000_001)}, MastodonInstance{}, []Kind{KindImageTooLarge}, Block},
		{"mastodon default 500", Mastodon, strings.Repeat("a", 501), nil, MastodonInstance{}, []Kind{KindTooLong}, Block},
		{"mastodon instance 1000", Mastodon, strings.Repeat("a", 900), nil, MastodonInstance{MaxCharacters: 1000}, nil, ""},
		{"mastodon link counts 23", Mastodon, strings.Repeat("a", 470) + " https://example.com/" + strings.Repeat("x", 100), nil, MastodonInstance{}, nil, ""},
		{"mastodon matrix", Mastodon, "hi", []Image{jpeg(8000, 8000, 1<<20)}, MastodonInstance{}, []Kind{KindImageTooLarge}, Block},
		{"instagram needs image", Instagram, "hi", nil, MastodonInstance{}, []Kind{KindImageRequired}, Block},
		{"instagram 31 hashtags", Instagram, strings.Repeat("#smile ", 31), []Image{ok}, MastodonInstance{}, []Kind{KindTooManyHashtags}, Block},
		{"instagram 21 mentions", Instagram, strings.Repeat("@dentist ", 21), []Image{ok}, MastodonInstance{}, []Kind{KindTooManyMentions}, Block},
		{"instagram emails are not mentions", Instagram, strings.Repeat("a@b.com ", 25), []Image{ok}, MastodonInstance{}, nil, ""},
		{"instagram 2201 chars", Instagram, strings.Repeat("é", 2201), []Image{ok}, MastodonInstance{}, []Kind{KindTooLong}, Block},
		{"instagram too tall", Instagram, "hi", []Image{jpeg(1080, 1920, 500_000)}, MastodonInstance{}, []Kind{KindImageAspect}, Block},
		{"instagram too wide", Instagram, "hi", []Image{jpeg(2000, 1000, 500_000)}, MastodonInstance{}, []Kind{KindImageAspect}, Block},
		{"instagram 1.91:1 ok", Instagram, "hi", []Image{jpeg(1080, 566, 500_000)}, MastodonInstance{}, nil, ""},
		{"instagram png warned", Instagram, "hi", []Image{{Width: 1080, Height: 1080, Bytes: 1 << 20, Format: "png"}}, MastodonInstance{}, []Kind{KindImageFormat}, Warn},
		{"instagram two images", Instagram, "hi", []Image{ok, ok}, MastodonInstance{}, []Kind{KindTooManyImages}, Block},
		{"gbp 1501 chars", GoogleBusiness, strings.Repeat("a", 1501), nil, MastodonInstance{}, []Kind{KindTooLong}, Block},
		{"gbp tiny image", GoogleBusiness, "hi", []Image{jpeg(200, 200, 5000)}, MastodonInstance{}, []Kind{KindImageTooSmall, KindImageTooSmall}, Block},
		{"gbp webp", GoogleBusiness, "hi", []Image{{Width: 1200, Height: 900, Bytes: 300_000, Format: "webp"}}, MastodonInstance{}, []Kind{KindImageFormat}, Block},
		{"linkedin 3001", LinkedIn, strings.Repeat("a", 3001), nil, MastodonInstance{}, []Kind{KindTooLong}, Block},
		{"facebook fits long text", Facebook, strings.Repeat("a", 63_206), nil, MastodonInstance{}, nil, ""},
		{"facebook too long", Facebook, strings.Repeat("a", 63_207), nil, MastodonInstance{}, []Kind{KindTooLong}, Block},
		{"facebook two images", Facebook, "hi", []Image{ok, ok}, MastodonInstance{}, []Kind{KindTooManyImages}, Block},
		{"empty post", LinkedIn, "  ", nil, MastodonInstance{}, []Kind{KindEmptyPost}, Block},
		{"unknown channel", Channel("myspace"), "hi", nil, MastodonInstance{}, []Kind{KindTooLong}, Block},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := CheckLimits(tt.ch, tt.text, tt.images, tt.inst)
			if got := kindsOfFindings(fs); !slices.Equal(got, tt.want) {
				t.Fatalf("kinds %v, want %v (%v)", got, tt.want, fs)
			}
			for _, f := range fs {
				if f.Severity != tt.sev || f.Message == "" || f.Fix == "" || f.Channel != tt.ch {
					t.Errorf("finding %+v: want severity %s, a message, a fix and the channel", f, tt.sev)
				}
			}
		})
	}
}

func TestMeasureCounters(t *testing.T) {
	c := Measure(Instagram, "Smile! #teeth #dental @harbour", MastodonInstance{})
	want := []Counter{{"characters", 30, 2200}, {"hashtags", 2, 30}, {"mentions", 1, 20}}
	if !slices.Equal(c, want) {
		t.Errorf("instagram counters %v, want %v", c, want)
	}
	if c := Measure(Bluesky, "é", MastodonInstance{}); !slices.Equal(c, []Counter{{"characters", 1, 300}, {"bytes", 2, 3000}}) {
		t.Errorf("bluesky counters %v", c)
	}
	if c := Measure(Mastodon, "hi", MastodonInstance{MaxCharacters: 5000}); c[0].Limit != 5000 {
		t.Errorf("mastodon limit %v", c)
	}
	if Measure("nowhere", "hi", MastodonInstance{}) != nil {
		t.Error("unknown channel should have no counters")
	}
}
