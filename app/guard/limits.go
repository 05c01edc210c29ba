package guard

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"practicepost/app"
	"practicepost/app/textcount"
)

// Channel is a platform a post goes to. The values match app.ConsentChannel.
type Channel string

const (
	Facebook       Channel = "facebook"
	Instagram      Channel = "instagram"
	LinkedIn       Channel = "linkedin"
	GoogleBusiness Channel = "google_business"
	Mastodon       Channel = "mastodon"
	Bluesky        Channel = "bluesky"
	X              Channel = "x"
)

// Channels lists every platform PracticePost publishes to.
var Channels = []Channel{Facebook, Instagram, LinkedIn, GoogleBusiness, Mastodon, Bluesky, X}

// Image is what the header of a rendered image says (see app.InspectImage).
type Image struct {
	Bytes  int
	Width  int
	Height int
	Format string // as image.DecodeConfig names it: "jpeg", "png", "gif", "webp"
}

// MastodonInstance holds the limits an instance reports in GET /api/v2/instance
// (configuration.statuses and configuration.media_attachments). Zero fields
// take Mastodon's defaults.
type MastodonInstance struct {
	MaxCharacters            int
	CharactersReservedPerURL int
	MaxMediaAttachments      int
	ImageSizeLimit           int // bytes
	ImageMatrixLimit         int // width × height
}

func (m MastodonInstance) withDefaults() MastodonInstance {
	if m.MaxCharacters <= 0 {
		m.MaxCharacters = 500
	}
	if m.CharactersReservedPerURL <= 0 {
		m.CharactersReservedPerURL = 23
	}
	if m.MaxMediaAttachments <= 0 {
		m.MaxMediaAttachments = 4
	}
	if m.ImageSizeLimit <= 0 {
		m.ImageSizeLimit = 16 << 20
	}
	if m.ImageMatrixLimit <= 0 {
		m.ImageMatrixLimit = 33_177_600
	}
	return m
}

// Counter is one live count for the editor, e.g. 212 of 280 characters.
type Counter struct {
	Name  string `json:"name"` // "characters", "bytes", "hashtags", "mentions"
	Used  int    `json:"used"`
	Limit int    `json:"limit"`
}

// rules are one platform's hard limits (platform-contracts.md §1.2–7.2 and
// compliance.md §5).
type rules struct {
	label        string
	textLimit    int
	maxImages    int
	imageNeeded  bool
	maxBytes     int
	minBytes     int
	minSide      int     // shortest side, pixels
	minAspect    float64 // width/height; 0 = no limit
	maxAspect    float64
	formats      []string // accepted formats; empty = any
	preferFormat string   // warn when another accepted format is used
}

// imageRules are the image limits the guard checks beyond the descriptor.
var imageRules = map[Channel]rules{
	Facebook:       {formats: []string{"jpeg", "png", "gif"}},
	Instagram:      {imageNeeded: true, minAspect: 0.8, maxAspect: 1.91, formats: []string{"jpeg", "png"}, preferFormat: "jpeg"},
	LinkedIn:       {formats: []string{"jpeg", "png", "gif"}},
	GoogleBusiness: {minBytes: 10 << 10, minSide: 250, formats: []string{"jpeg", "png"}},
	Mastodon:       {},
	Bluesky:        {},
	X:              {formats: []string{"jpeg", "png", "gif", "webp"}},
}

// channelRules joins each platform's descriptor (app.PlatformInfo: title,
// text and image counts, image size) with its image rules.
var channelRules = func() map[Channel]rules {
	m := map[Channel]rules{}
	for _, d := range app.Platforms() {
		r := imageRules[Channel(d.Channel)]
		r.label, r.textLimit, r.maxImages, r.maxBytes = d.Title, d.MaxText, d.MaxImages, d.MaxImageBytes
		m[Channel(d.Channel)] = r
	}
	return m
}()

const (
	instagramMaxTags = 30
	instagramMaxAts  = 20
)

// Measure returns the counters the editor shows for a channel, the main
// text counter first. Unknown channels get none.
func Measure(ch Channel, text string, inst MastodonInstance) []Counter {
	r, ok := channelRules[ch]
	if !ok {
		return nil
	}
	switch ch {
	case X:
		return []Counter{{"characters", textcount.X(text), r.textLimit}}
	case Bluesky:
		return []Counter{{"characters", textcount.Graphemes(text), r.textLimit}, {"bytes", len(text), blueskyMaxBytes()}}
	case Mastodon:
		inst = inst.withDefaults()
		return []Counter{{"characters", textcount.Mastodon(text, inst.CharactersReservedPerURL), inst.MaxCharacters}}
	case Instagram:
		return []Counter{
			{"characters", utf8.RuneCountInString(text), r.textLimit},
			{"hashtags", len(hashtagRe.FindAllStringIndex(text, -1)), instagramMaxTags},
			{"mentions", len(findMentions(text)), instagramMaxAts},
		}
	default:
		return []Counter{{"characters", utf8.RuneCountInString(text), r.textLimit}}
	}
}

// CheckLimits reports what a platform would refuse (block) or handle badly
// (warn) about a post's text and images.
func CheckLimits(ch Channel, text string, images []Image, inst MastodonInstance) []Finding {
	r, ok := channelRules[ch]
	if !ok {
		return []Finding{{Kind: KindTooLong, Severity: Block, Channel: ch, Message: fmt.Sprintf("PracticePost does not know the platform %q.", string(ch)), Fix: "Choose one of the connected platforms."}}
	}
	inst = inst.withDefaults()
	if ch == Mastodon {
		r.maxImages = inst.MaxMediaAttachments
		r.maxBytes = inst.ImageSizeLimit
	}
	var fs []Finding
	add := func(k Kind, sev Severity, img int, msg, fix string) {
		fs = append(fs, Finding{Kind: k, Severity: sev, Channel: ch, Image: img, Message: msg, Fix: fix})
	}

	if strings.TrimSpace(text) == "" && len(images) == 0 {
		add(KindEmptyPost, Block, 0, "The post for "+r.label+" has no text and no image.", "Write some text or add an image.")
	}
	for _, c := range Measure(ch, text, inst) {
		if c.Used <= c.Limit {
			continue
		}
		switch c.Name {
		case "hashtags":
			add(KindTooManyHashtags, Block, 0, fmt.Sprintf("%s allows %d hashtags; this post has %d.", r.label, c.Limit, c.Used), fmt.Sprintf("Remove %d hashtags.", c.Used-c.Limit))
		case "mentions":
			add(KindTooManyMentions, Block, 0, fmt.Sprintf("%s allows %d @mentions; this post has %d.", r.label, c.Limit, c.Used), fmt.Sprintf("Remove %d mentions.", c.Used-c.Limit))
		case "bytes":
			add(KindTooLong, Block, 0, fmt.Sprintf("%s allows %d bytes of text; this post uses %d (emoji and accented letters take several bytes each).", r.label, c.Limit, c.Used), "Shorten the text or use fewer emoji.")
		default:
			add(KindTooLong, Block, 0, fmt.Sprintf("%s allows %d characters; this post has %d.", r.label, c.Limit, c.Used), fmt.Sprintf("Shorten the text by %d characters.", c.Used-c.Limit))
		}
	}

	if r.imageNeeded && len(images) == 0 {
		add(KindImageRequired, Block, 0, r.label+" posts need an image.", "Add an image from the Studio.")
	}
	if len(images) > r.maxImages {
		add(KindTooManyImages, Block, 0, fmt.Sprintf("%s takes at most %d %s per post here; this post has %d.", r.label, r.maxImages, app.Plural(r.maxImages, "image", "images"), len(images)), fmt.Sprintf("Remove %d %s.", len(images)-r.maxImages, app.Plural(len(images)-r.maxImages, "image", "images")))
	}
	for i, im := range images {
		n := i + 1
		if r.maxBytes > 0 && im.Bytes > r.maxBytes {
			add(KindImageTooLarge, Block, n, fmt.Sprintf("Image %d is %s; %s accepts up to %s.", n, sizeText(im.Bytes), r.label, sizeText(r.maxBytes)), "Export it again at a smaller size or as JPEG.")
		}
		if r.minBytes > 0 && im.Bytes < r.minBytes {
			add(KindImageTooSmall, Block, n, fmt.Sprintf("Image %d is only %s; %s needs at least %s.", n, sizeText(im.Bytes), r.label, sizeText(r.minBytes)), "Use a larger, sharper image.")
		}
		if r.minSide > 0 && (im.Width < r.minSide || im.Height < r.minSide) {
			add(KindImageTooSmall, Block, n, fmt.Sprintf("Image %d is %d×%d pixels; %s needs at least %d×%d.", n, im.Width, im.Height, r.label, r.minSide, r.minSide), "Use a larger image.")
		}
		if ch == Mastodon && im.Width*im.Height > inst.ImageMatrixLimit {
			add(KindImageTooLarge, Block, n, fmt.Sprintf("Image %d has %d pixels; this Mastodon server accepts up to %d.", n, im.Width*im.Height, inst.ImageMatrixLimit), "Resize the image.")
		}
		if r.minAspect > 0 && im.Width > 0 && im.Height > 0 {
			ar := float64(im.Width) / float64(im.Height)
			// Allow for rounding in pixel sizes such as 1080×566.
			if ar < r.minAspect-0.005 || ar > r.maxAspect+0.005 {
				add(KindImageAspect, Block, n, fmt.Sprintf("Image %d is %d×%d; %s only takes shapes from 4:5 (portrait) to 1.91:1 (landscape).", n, im.Width, im.Height, r.label), "Use the 1080×1350 or 1080×1080 variant from the Studio.")
			}
		}
		if len(r.formats) > 0 && im.Format != "" && !slices.Contains(r.formats, im.Format) {
			add(KindImageFormat, Block, n, fmt.Sprintf("Image %d is a %s file; %s accepts %s.", n, strings.ToUpper(im.Format), r.label, strings.ToUpper(strings.Join(r.formats, ", "))), "Export it as JPEG.")
		} else if r.preferFormat != "" && im.Format != "" && im.Format != r.preferFormat {
			add(KindImageFormat, Warn, n, fmt.Sprintf("Image %d is a %s file; %s documents only JPEG.", n, strings.ToUpper(im.Format), r.label), "Export it as JPEG to be safe.")
		}
	}
	return fs
}

func sizeText(b int) string {
	if b >= 1<<20 {
		return fmt.Sprintf("%.1f MB", float64(b)/(1<<20))
	}
	return fmt.Sprintf("%d KB", (b+1023)>>10)
}

// ---- counting ----

var (
	hashtagRe = regexp.MustCompile(`(?:^|[^\p{L}\p{N}_&#])#[\p{L}\p{N}_]*\p{L}[\p{L}\p{N}_]*`)
	mentionRe = textcount.MentionRe
)

// findMentions returns @handles, leaving out email addresses.
func findMentions(text string) [][]int {
	return mentionRe.FindAllStringSubmatchIndex(text, -1)
}

func blueskyMaxBytes() int {
	d, _ := app.PlatformBluesky.Info()
	return d.MaxTextBytes
}
