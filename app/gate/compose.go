package gate

import (
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"practicepost/app"
	"practicepost/app/guard"
	"practicepost/app/studio"
)

// utmSource is what each platform is called in analytics.
var utmSource = map[guard.Channel]string{
	guard.Facebook: "facebook", guard.Instagram: "instagram", guard.LinkedIn: "linkedin", guard.GoogleBusiness: "google_business",
	guard.Mastodon: "mastodon", guard.Bluesky: "bluesky", guard.X: "x",
}

var campaignUnsafe = regexp.MustCompile(`[^a-z0-9]+`)

// TaggedLink adds utm_source, utm_medium=social and utm_campaign to link,
// keeping its other parameters. ok is false when link is not a web address.
func TaggedLink(link string, ch guard.Channel, campaign string) (string, bool) {
	raw := strings.TrimSpace(link)
	if raw == "" {
		return "", true
	}
	if !strings.Contains(raw, "://") {
		raw = "https://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || !strings.Contains(u.Hostname(), ".") || strings.ContainsAny(raw, " \t\n") {
		return link, false
	}
	q := u.Query()
	q.Set("utm_source", utmSource[ch])
	q.Set("utm_medium", "social")
	if c := strings.Trim(campaignUnsafe.ReplaceAllString(strings.ToLower(campaign), "-"), "-"); c != "" {
		q.Set("utm_campaign", c)
	}
	u.RawQuery = q.Encode()
	return u.String(), true
}

// NeutralCampaign is the utm_campaign a post gets when the user typed no
// campaign name: its content pillar and number ("education-post-42"), never
// its title. The title is marked "only for you" and is often a patient's
// name or a reminder ("sarah-okafor"); a tagged link is public, so the
// title must not leave the computer unless the user types it as the campaign.
func NeutralCampaign(d app.Draft) string {
	c := "post"
	if d.ID > 0 {
		c += "-" + strconv.FormatInt(d.ID, 10)
	}
	if d.Pillar != "" {
		c = string(d.Pillar) + "-" + c
	}
	return c
}

// Compose is the text that goes out on ch: the channel's own version (or
// the main text), then hashtags not already in it, then the link (tagged
// per channel when UTM is on). Instagram makes no link clickable in a
// caption, so it gets none. The text comes first so offsets into it are
// offsets into the editor's text.
func Compose(d app.Draft, ch guard.Channel) (text, link, note string, linkOK bool) {
	base, own := d.Versions[string(ch)]
	if !own {
		base = d.Body
	}
	text = strings.TrimRight(base, " \n\t")
	var tags []string
	lower := strings.ToLower(text)
	for _, h := range d.Hashtags {
		if !regexp.MustCompile(`(?i)(^|\s)` + regexp.QuoteMeta(h) + `\b`).MatchString(lower) {
			tags = append(tags, h)
		}
	}
	if len(tags) > 0 {
		text += "\n\n" + strings.Join(tags, " ")
	}
	linkOK = true
	if d.Link != "" {
		campaign := d.Campaign
		if campaign == "" {
			campaign = NeutralCampaign(d)
		}
		link = strings.TrimSpace(d.Link)
		if d.UTM {
			link, linkOK = TaggedLink(d.Link, ch, campaign)
		} else if _, ok := TaggedLink(d.Link, ch, ""); !ok {
			linkOK = false
		}
		if ch == guard.Instagram {
			note = "Instagram does not make links in captions clickable, so the link is left out; mention \"link in bio\" if you need it."
			link = ""
		} else if !strings.Contains(text, link) {
			text += "\n\n" + link
		}
	}
	return text, link, note, linkOK
}

// DraftPosts are a draft's posts as they will be sent, one per chosen
// channel, with the composed text and tagged link, and the images that
// channel's platform gets: a design in the size it takes, chosen from sets
// (the designs' kept sizes by set id; see app.Draft.ImagesFor). Notes and
// linkOK per channel are for the editor; images per channel for its
// preview and the publish panel.
func DraftPosts(d app.Draft, sets map[string][]app.Media) (posts []Post, notes map[guard.Channel]string, linkOK map[guard.Channel]bool, images map[guard.Channel][]app.PostImage) {
	notes, linkOK, images = map[guard.Channel]string{}, map[guard.Channel]bool{}, map[guard.Channel][]app.PostImage{}
	for _, name := range d.Channels {
		ch := guard.Channel(name)
		text, link, note, ok := Compose(d, ch)
		notes[ch], linkOK[ch] = note, ok
		imgs := d.ImagesFor(app.PlatformOf(app.ConsentChannel(ch)), sets)
		images[ch] = imgs
		post := Post{Channel: ch, Text: text, Link: link, Images: make([]Image, 0, len(imgs)), Testimonials: d.Testimonials, Paid: d.Paid}
		for _, m := range imgs {
			post.Images = append(post.Images, Image{SHA256: m.SHA256, MediaID: m.MediaID, Alt: m.AltText})
		}
		posts = append(posts, post)
	}
	return posts, notes, linkOK, images
}

// SizeNote says, when a design goes to a channel in a size other than the
// one its platform takes (the design has not kept that size), which size
// goes instead; "" when every image goes as it should.
func SizeNote(ch guard.Channel, imgs []app.PostImage) string {
	p := app.PlatformOf(app.ConsentChannel(ch))
	for _, m := range imgs {
		if m.Wanted == "" {
			continue
		}
		// Sizes are named by their pixels: the Studio's names say what the
		// size was made for ("X post"), which reads wrongly under Mastodon.
		want := m.Wanted + " size"
		if s, ok := studio.SizeByID(m.Wanted); ok {
			want = fmt.Sprintf("%d×%d size", s.Width, s.Height)
		}
		crop := ""
		if d, ok := p.Info(); ok {
			crop = " (" + d.FeedAspectLabel + ")"
		}
		return fmt.Sprintf("This design has no %s kept, so %s gets its %d×%d size instead%s. To send the size %s takes, make the design again in the Studio and keep it.",
			want, p.Title(), m.Width, m.Height, crop, p.Title())
	}
	return ""
}

// linkWords turns a link into the words a reader could take from it: the
// path and query decoded, punctuation as spaces, so a name typed into a
// title ("margaret-okafor-whitening") is scanned like any text.
func linkWords(link string) string {
	s := link
	if u, err := url.Parse(link); err == nil {
		s = u.Host + " " + u.Path
		for k, vs := range u.Query() {
			s += " " + k + " " + strings.Join(vs, " ")
		}
		if u.Fragment != "" {
			s += " " + u.Fragment
		}
	}
	if d, err := url.QueryUnescape(s); err == nil {
		s = d
	}
	return strings.Map(func(r rune) rune {
		switch r {
		case '-', '_', '+', '/', '=', '&', '?', '#':
			return ' '
		}
		return r
	}, s)
}
