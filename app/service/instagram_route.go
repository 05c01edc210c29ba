package service

import (
	"context"
	"strings"

	"practicepost/app"
	"practicepost/app/auth"
	"practicepost/app/publish"
	"practicepost/app/publish/instagram"
	"practicepost/app/store"
)

// Instagram downloads its images, so they must be somewhere public for a
// moment: an unpublished photo on the linked Facebook Page (no bucket
// needed; docs/meta.md §4.2) or the practice's storage bucket. The Page is
// the default wherever the token allows it; the bucket is used when it is
// the only route, or chosen.

const (
	routePage   = "page"
	routeBucket = "bucket"
)

// ImageRouteView tells the Channels card which way an Instagram channel's
// images go, in words, and whether the practice can choose.
type ImageRouteView struct {
	Route     string `json:"route"`     // "page", "bucket", or "" when neither is set up
	Note      string `json:"note"`      // what the card says
	CanChoose bool   `json:"canChoose"` // both routes are available
}

// pageRouteOpen reports whether the channel's Page token may host images.
func pageRouteOpen(c app.Channel, tok auth.Token) bool {
	return c.PageID != "" && len(instagram.PageRouteMissing(tok.Scopes)) == 0
}

func (s *ChannelService) imageRoute(c app.Channel) ImageRouteView {
	if c.Platform != string(publish.Instagram) {
		return ImageRouteView{}
	}
	tok, err := auth.LoadToken(s.secrets, c.SecretKey())
	page := err == nil && pageRouteOpen(c, tok)
	bucket := s.mediaHost() != nil
	perms := strings.Join(instagram.PageRouteScopes, " and ")
	switch {
	case page && (!bucket || c.ImageRoute != routeBucket):
		return ImageRouteView{Route: routePage, CanChoose: bucket,
			Note: "Images go through your Facebook Page — no storage bucket needed. They are uploaded as unpublished photos (never shown on the Page) and deleted as soon as Instagram has them."}
	case page:
		return ImageRouteView{Route: routeBucket, CanChoose: true,
			Note: "Images go through the practice's storage bucket (Settings → Media hosting), as chosen here."}
	case bucket:
		why := "To send them through the Facebook Page instead (no bucket needed), connect Instagram again (Connect Instagram, below) with a Page token that has " + perms + "."
		return ImageRouteView{Route: routeBucket, Note: "Images go through the practice's storage bucket (Settings → Media hosting). " + why}
	}
	return ImageRouteView{Note: "Instagram cannot take images yet. Connect Instagram again (Connect Instagram, below) with a Page token that has " + perms +
		" (images then go through your Facebook Page, no bucket needed), or connect a storage bucket in Settings → Media hosting."}
}

// instagramImages reports whether some connected Instagram channel can
// take images now, through its Page or the bucket.
func (s *ChannelService) instagramImages(ctx context.Context, db *store.DB) bool {
	cs, err := db.Channels(ctx)
	if err != nil {
		return s.mediaHost() != nil
	}
	for _, c := range cs {
		if c.Platform == string(publish.Instagram) && s.imageRoute(c).Route != "" {
			return true
		}
	}
	return false
}

// SetImageRoute chooses how an Instagram channel's images reach
// Instagram: "page" (through the linked Facebook Page) or "bucket".
func (s *ChannelService) SetImageRoute(id, route string) (ChannelView, error) {
	if err := s.c.manager(); err != nil {
		return ChannelView{}, err
	}
	if route != routePage && route != routeBucket {
		return ChannelView{}, app.FieldError("route", "Choose “through the Facebook Page” or “through the storage bucket”.")
	}
	return withDB(s.c, func(ctx context.Context, db *store.DB) (ChannelView, error) {
		c, err := db.Channel(ctx, id)
		if err != nil {
			return ChannelView{}, err
		}
		if c.Platform != string(publish.Instagram) {
			return ChannelView{}, app.FieldError("route", "Only Instagram needs a way to host its images.")
		}
		if v := s.imageRoute(c); route == routeBucket && s.mediaHost() == nil || route == routePage && !v.CanChoose && v.Route != routePage {
			return ChannelView{}, app.FieldError("route", "%s", v.Note)
		}
		saved, err := db.UpdateChannel(ctx, id, "practice manager", func(c *app.Channel) {
			c.ImageRoute = ""
			if route == routeBucket {
				c.ImageRoute = routeBucket
			}
		})
		if err != nil {
			return ChannelView{}, err
		}
		s.forget(id)
		s.c.Emit.Emit(EventChannelsChanged, nil)
		return s.view(saved, practiceDay(ctx, db)), nil
	})
}
