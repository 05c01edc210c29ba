package app

import "time"

// Platform is a social platform PracticePost publishes to, by the name its
// channels and publish jobs store ("google" for Google Business Profile).
type Platform string

const (
	PlatformFacebook  Platform = "facebook"
	PlatformInstagram Platform = "instagram"
	PlatformLinkedIn  Platform = "linkedin"
	PlatformGoogle    Platform = "google"
	PlatformMastodon  Platform = "mastodon"
	PlatformBluesky   Platform = "bluesky"
	PlatformX         Platform = "x"
)

// TextCounting says how a platform counts a post's length.
type TextCounting string

const (
	CountRunes     TextCounting = "runes"     // Unicode code points
	CountGraphemes TextCounting = "graphemes" // user-perceived characters (Bluesky)
	CountWeighted  TextCounting = "weighted"  // X: wide characters count twice, a URL 23
	CountMastodon  TextCounting = "mastodon"  // a URL counts as the instance's reserved length
)

// PlatformInfo is everything PracticePost knows about a platform in one
// place: the connectors, the guard, the UI and the consent channels read
// it from here.
type PlatformInfo struct {
	Name Platform `json:"name"`
	// Channel is the spelling consent records and drafts use. Google's
	// differs ("google_business") and stays so: signed consent records
	// must verify as they were signed.
	Channel  ConsentChannel `json:"channel"`
	Title    string         `json:"title"`
	Counting TextCounting   `json:"counting"`
	// MaxText is the text limit in Counting units; 0: the Mastodon
	// instance says.
	MaxText      int `json:"maxText"`
	MaxTextBytes int `json:"maxTextBytes"` // 0: no byte limit
	MaxImages    int `json:"maxImages"`
	// MaxImageBytes is the largest image file the platform takes; 0: the
	// Mastodon instance says. Where sources disagree (LinkedIn: 5–8 MB,
	// platform-contracts.md §3.1) it is the lowest, so that what the guard
	// passes the connector does not refuse. Not sent to the UI: the guard
	// checks it in Go and the UI shows the guard's findings.
	MaxImageBytes int `json:"-"`
	// FeedCut is how much of a post the feed shows before "see more".
	FeedCut int `json:"feedCut"`
	// FeedAspect is the shape (width/height) the feed crops an image to,
	// and how the Studio describes it.
	FeedAspect      float64 `json:"feedAspect"`
	FeedAspectLabel string  `json:"feedAspectLabel"`
	// Size is the Studio size (an id in studio.Sizes) a design goes to the
	// platform in: the one compliance.md §5 recommends for its feed, the
	// shape of FeedAspect, so nothing is cropped away. DesignSize reads it.
	Size string `json:"size"`
	// What the platform supports.
	AltText        bool `json:"altText"`
	NativeSchedule bool `json:"nativeSchedule"`
	// DeleteByHand, when set, says the platform's API cannot delete a post
	// and how the manager deletes it instead; the takedown list shows it
	// before anyone tries (the connector answers a delete with the same
	// refusal).
	DeleteByHand string `json:"deleteByHand,omitempty"`
	// PostMetrics is false where the platform gives no numbers per post
	// (Google: daily totals for the location only), so Insights counts its
	// channel totals but never a post's.
	PostMetrics bool `json:"postMetrics"`
	// Replies is what the inbox answers on the platform: "comments" on
	// posts, or "reviews" of the business (Google).
	Replies string `json:"replies"`
	// ReplyMaxBytes, when set, is the limit of a reply instead of a post's
	// (Google takes review replies of up to 4,096 bytes, platform-contracts
	// §13, where a local post has 1,500 characters); 0: a reply is limited
	// as a post is.
	ReplyMaxBytes int `json:"replyMaxBytes"`
	// CommentsReach is how far back the platform's comment listing reaches
	// (X's recent search: 7 days, platform-contracts §13.7); 0: all of a
	// post's comments. An older comment missing from a listing is out of
	// reach, not gone.
	CommentsReach time.Duration `json:"-"`
}

// Deletes reports whether PracticePost can delete a post on the platform itself.
func (d PlatformInfo) Deletes() bool { return d.DeleteByHand == "" }

// platforms is the descriptor table, in the order the UI lists them.
var platforms = []PlatformInfo{
	{Name: PlatformFacebook, Channel: ChannelFacebook, Title: "Facebook", Counting: CountRunes, MaxText: 63_206, MaxImages: 1, MaxImageBytes: 4 << 20, FeedCut: 480, FeedAspect: 1, FeedAspectLabel: "1:1 in the feed", Size: "square", PostMetrics: true, Replies: "comments"},
	{Name: PlatformInstagram, Channel: ChannelInstagram, Title: "Instagram", Counting: CountRunes, MaxText: 2_200, MaxImages: 1, MaxImageBytes: 8 << 20, FeedCut: 125, FeedAspect: 4.0 / 5, FeedAspectLabel: "4:5 in the feed", Size: "portrait", PostMetrics: true, Replies: "comments",
		DeleteByHand: "Instagram does not let apps delete posts. Delete it yourself in the Instagram app: open the post, tap ⋯ and choose Delete. Then mark it as removed here."},
	{Name: PlatformLinkedIn, Channel: ChannelLinkedIn, Title: "LinkedIn", Counting: CountRunes, MaxText: 3_000, MaxImages: 1, MaxImageBytes: 5 << 20, FeedCut: 210, FeedAspect: 1.91, FeedAspectLabel: "1.91:1 in the feed", Size: "link", AltText: true, PostMetrics: true, Replies: "comments"},
	{Name: PlatformGoogle, Channel: ChannelGoogleBusiness, Title: "Google Business Profile", Counting: CountRunes, MaxText: 1_500, MaxImages: 1, MaxImageBytes: 5 << 20, FeedCut: 300, FeedAspect: 4.0 / 3, FeedAspectLabel: "4:3 on the profile", Size: "landscape", Replies: "reviews", ReplyMaxBytes: 4096},
	{Name: PlatformMastodon, Channel: ChannelMastodon, Title: "Mastodon", Counting: CountMastodon, MaxImages: 4, FeedCut: 500, FeedAspect: 16.0 / 9, FeedAspectLabel: "16:9 in most apps", Size: "wide", PostMetrics: true, Replies: "comments"},
	{Name: PlatformBluesky, Channel: ChannelBluesky, Title: "Bluesky", Counting: CountGraphemes, MaxText: 300, MaxTextBytes: 3000, MaxImages: 4, MaxImageBytes: 1_000_000, FeedCut: 300, FeedAspect: 16.0 / 9, FeedAspectLabel: "16:9 in the feed", Size: "wide", AltText: true, PostMetrics: true, Replies: "comments"},
	{Name: PlatformX, Channel: ChannelX, Title: "X", Counting: CountWeighted, MaxText: 280, MaxImages: 4, MaxImageBytes: 5 << 20, FeedCut: 280, FeedAspect: 16.0 / 9, FeedAspectLabel: "16:9 in the timeline", Size: "wide", PostMetrics: true, Replies: "comments", CommentsReach: 7 * 24 * time.Hour},
}

// Platforms returns the descriptor table.
func Platforms() []PlatformInfo { return append([]PlatformInfo(nil), platforms...) }

// Info returns the platform's descriptor; ok is false for an unknown name.
func (p Platform) Info() (PlatformInfo, bool) {
	for _, d := range platforms {
		if d.Name == p {
			return d, true
		}
	}
	return PlatformInfo{}, false
}

// Title is the platform's name as the practice manager knows it; an
// unknown name is shown as stored.
func (p Platform) Title() string {
	if d, ok := p.Info(); ok {
		return d.Title
	}
	return string(p)
}

// Channel is the consent channel a post to p needs; an unknown name is
// taken as spelled.
func (p Platform) Channel() ConsentChannel {
	if d, ok := p.Info(); ok {
		return d.Channel
	}
	return ConsentChannel(p)
}

// PlatformOf is the platform posts for a consent channel go to; a channel
// that is no platform is taken as spelled.
func PlatformOf(c ConsentChannel) Platform {
	for _, d := range platforms {
		if d.Channel == c {
			return d.Name
		}
	}
	return Platform(c)
}

// Posted reports whether c is the channel of a platform PracticePost
// publishes to, the only channels a draft may choose. Unlike PlatformOf it
// takes no name as spelled: "google" is a platform, not a channel.
func (c ConsentChannel) Posted() bool {
	for _, d := range platforms {
		if d.Channel == c {
			return true
		}
	}
	return false
}
