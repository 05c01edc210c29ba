package app

import (
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Pillar is the kind of content a post is, used to balance the calendar.
type Pillar string

const (
	PillarTip         Pillar = "tip"
	PillarMythFact    Pillar = "myth_fact"
	PillarTeam        Pillar = "team"
	PillarTestimonial Pillar = "testimonial"
	PillarEvent       Pillar = "event"
	PillarNews        Pillar = "news"
)

// Pillars lists the content pillars in the order the editor offers them.
var Pillars = []Pillar{PillarTip, PillarMythFact, PillarTeam, PillarTestimonial, PillarEvent, PillarNews}

// DraftStatus is where a post is on its way out.
type DraftStatus string

const (
	DraftEditing   DraftStatus = "draft"     // being written; may have a planned day
	DraftScheduled DraftStatus = "scheduled" // passed the guard; waits for its time
	DraftPublished DraftStatus = "published"
)

// DraftMedia is a Studio library image attached to a draft, with the alt
// text posted beside it.
type DraftMedia struct {
	MediaID int64  `json:"mediaId"`
	SHA256  string `json:"sha256"`
	AltText string `json:"altText"`
	// SetID, when set, attaches the whole Studio design rather than one
	// file: MediaID and SHA256 are the size the editor shows, and each
	// channel gets the size its platform takes (Draft.ImagesFor). Empty: a
	// plain image that goes to every channel as it is.
	SetID string `json:"setId,omitempty"`
}

// Draft is a post being written: one text, optional per-channel versions,
// and what the calendar needs to place it. ScheduledAt is the instant;
// LocalTime and Zone are the wall-clock time the practice chose, kept so a
// 09:00 post stays at 09:00 when the clocks change or the zone's rules do.
type Draft struct {
	ID           int64             `json:"id"`
	Title        string            `json:"title"`
	Body         string            `json:"body"`
	Versions     map[string]string `json:"versions"` // channel → its own text; missing means Body
	Channels     []string          `json:"channels"`
	Hashtags     []string          `json:"hashtags"`
	Link         string            `json:"link"`
	UTM          bool              `json:"utm"`
	Campaign     string            `json:"campaign"`
	Pillar       Pillar            `json:"pillar"`
	Media        []DraftMedia      `json:"media"`
	Testimonials []int64           `json:"testimonials"`
	// Paid says the post will be promoted as a paid advert: the consent
	// gate then needs the paid-ads scope and applies the advert rules.
	Paid        bool        `json:"paid"`
	Status      DraftStatus `json:"status"`
	ScheduledAt *time.Time  `json:"scheduledAt"`
	LocalTime   string      `json:"localTime"` // "2026-03-30T09:00" in Zone; "" when no day is planned
	Zone        string      `json:"zone"`
	AwarenessID string      `json:"awarenessId"`
	CreatedAt   time.Time   `json:"createdAt"`
	UpdatedAt   time.Time   `json:"updatedAt"`
}

// Normalize tidies what the editor sent, leniently: text keeps what was
// typed (line ends made "\n", titles and links trimmed; a link still being
// typed is kept and flagged by the guard), repeated channels and
// testimonials go, and hashtags get their "#" and lose repeats that differ
// only in case. A hashtag that is not one is kept as typed for Validate.
func (d *Draft) Normalize() {
	d.Title, d.Link, d.Campaign = strings.TrimSpace(d.Title), strings.TrimSpace(d.Link), strings.TrimSpace(d.Campaign)
	d.Body = strings.ReplaceAll(d.Body, "\r\n", "\n")
	versions := make(map[string]string, len(d.Versions))
	for ch, v := range d.Versions {
		versions[ch] = strings.ReplaceAll(v, "\r\n", "\n")
	}
	d.Versions = versions
	d.Channels = unique(d.Channels, func(a, b string) bool { return a == b })
	d.Testimonials = unique(d.Testimonials, func(a, b int64) bool { return a == b })
	d.Hashtags = normalizeHashtags(d.Hashtags)
	media := []DraftMedia{}
	for _, m := range d.Media {
		m.AltText = strings.TrimSpace(m.AltText)
		media = append(media, m)
	}
	d.Media = media
}

// unique keeps the first of each run of equal items, in order, and never
// returns nil: the editor reads an empty list, not null.
func unique[T any](in []T, eq func(a, b T) bool) []T {
	out := []T{}
	for _, v := range in {
		if !slices.ContainsFunc(out, func(o T) bool { return eq(o, v) }) {
			out = append(out, v)
		}
	}
	return out
}

var hashtagWord = regexp.MustCompile(`^#?[\p{L}\p{N}_]*\p{L}[\p{L}\p{N}_]*$`)

// Hashtags reads hashtags as typed for a draft or an idea: blanks go, each
// gets its "#", repeats that differ only in case go, and anything that is
// not a hashtag is refused.
func Hashtags(in []string) ([]string, error) {
	tags := normalizeHashtags(in)
	return tags, checkHashtags(tags)
}

// normalizeHashtags tidies typed hashtags, keeping one that is not a
// hashtag as typed, so that checkHashtags names it as the manager wrote it.
func normalizeHashtags(in []string) []string {
	tags := []string{}
	for _, h := range in {
		if h = strings.TrimSpace(h); h == "" {
			continue
		}
		if hashtagWord.MatchString(h) && !strings.HasPrefix(h, "#") {
			h = "#" + h
		}
		tags = append(tags, h)
	}
	return unique(tags, strings.EqualFold)
}

func checkHashtags(tags []string) error {
	for _, h := range tags {
		if !hashtagWord.MatchString(h) {
			return FieldError("hashtags", "%q is not a hashtag: use letters and numbers only, with no spaces.", h)
		}
	}
	return nil
}

// Validate reports the first thing in a draft that cannot be stored, with
// how to fix it: limits no platform would take, and names PracticePost does
// not know. What a platform would refuse is the guard's to say. Call
// Normalize first.
func (d *Draft) Validate() error {
	if utf8.RuneCountInString(d.Title) > 120 {
		return FieldError("title", "Keep the title to 120 characters; it is only for you.")
	}
	if utf8.RuneCountInString(d.Body) > 70_000 {
		return FieldError("body", "The post is longer than any platform accepts (70,000 characters).")
	}
	if d.Pillar != "" && !slices.Contains(Pillars, d.Pillar) {
		return FieldError("pillar", "Choose a content pillar from the list.")
	}
	for _, ch := range d.Channels {
		if !ConsentChannel(ch).Posted() {
			return FieldError("channels", "PracticePost does not post to %q.", ch)
		}
	}
	for ch := range d.Versions {
		if !ConsentChannel(ch).Posted() {
			return FieldError("versions", "PracticePost does not post to %q.", ch)
		}
	}
	if err := checkHashtags(d.Hashtags); err != nil {
		return err
	}
	for i, m := range d.Media {
		if len(m.SHA256) != 64 {
			return FieldError("media", "Image %d is not from the Studio library. Choose it again.", i+1)
		}
	}
	return nil
}

// DefaultChannels are the channels a new post starts with: those of the
// accounts the practice has connected (and that still work), in the
// descriptor's order, so a practice on Mastodon and Bluesky is not handed a
// post for Facebook and Instagram that it must untick before it can be
// scheduled. Before any account is connected, a post is planned for
// Facebook and Instagram, the platforms most practices start with, so the
// editor can show their limits.
func DefaultChannels(connected []Channel) []string {
	var out []string
	for _, d := range platforms {
		for _, c := range connected {
			if Platform(c.Platform) == d.Name && !c.NeedsReconnect {
				out = append(out, string(d.Channel))
				break
			}
		}
	}
	if len(out) == 0 {
		return []string{string(ChannelFacebook), string(ChannelInstagram)}
	}
	return out
}
