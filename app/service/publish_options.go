package service

import (
	"context"
	"strings"
	"time"

	"practicepost/app"
	"practicepost/app/publish"
	"practicepost/app/publish/gbp"
	"practicepost/app/publish/instagram"
)

// GoogleTopic is the event or offer part of a Google Business Profile
// post, as the publish panel sends it. Dates and clock times are the
// practice's wall-clock ("2026-05-02", "09:30").
type GoogleTopic struct {
	Type       string `json:"type"` // STANDARD, EVENT or OFFER
	Title      string `json:"title"`
	StartDate  string `json:"startDate"`
	StartClock string `json:"startClock"`
	EndDate    string `json:"endDate"`
	EndClock   string `json:"endClock"`
	AllDay     bool   `json:"allDay"`
	CouponCode string `json:"couponCode"`
	RedeemURL  string `json:"redeemUrl"`
	Terms      string `json:"terms"`
	Action     string `json:"action"` // BOOK, ORDER, SHOP, LEARN_MORE, SIGN_UP, CALL or ""
	ActionURL  string `json:"actionUrl"`
}

// topic checks the details with the connector's own rules, so a mistake
// shows in the panel instead of as a failed post later.
func (g *GoogleTopic) topic(loc *time.Location) (*publish.Topic, error) {
	if g == nil || (g.Type == "" || g.Type == "STANDARD") && g.Action == "" {
		return nil, nil
	}
	t := &publish.Topic{Type: g.Type, Title: strings.TrimSpace(g.Title), AllDay: g.AllDay, CouponCode: strings.TrimSpace(g.CouponCode),
		RedeemURL: strings.TrimSpace(g.RedeemURL), Terms: strings.TrimSpace(g.Terms), Action: g.Action, ActionURL: strings.TrimSpace(g.ActionURL)}
	if t.Type == "" {
		t.Type = "STANDARD"
	}
	parse := func(field, day, clock string) (time.Time, error) {
		if day == "" {
			return time.Time{}, nil
		}
		if g.AllDay || clock == "" {
			clock = "00:00"
		}
		v, err := time.ParseInLocation("2006-01-02 15:04", day+" "+clock, loc)
		if err != nil {
			return time.Time{}, app.FieldError(field, "Enter the date as day, month and year, and the time as hours and minutes.")
		}
		return v, nil
	}
	var err error
	if t.Start, err = parse("google.start", g.StartDate, g.StartClock); err != nil {
		return nil, err
	}
	if t.End, err = parse("google.end", g.EndDate, g.EndClock); err != nil {
		return nil, err
	}
	if _, err := gbp.Build(publish.Post{Text: "check", Topic: t}, "en-GB"); err != nil {
		return nil, app.FieldError("google", "Google: %s", err.Error())
	}
	return t, nil
}

// checkHosting says before anything is queued why Instagram or Google
// cannot take the post's image without a storage bucket.
func (s *PublishService) checkHosting(tgts []app.Channel, d app.Draft, googleTextOnly bool) error {
	hasHost := s.ch.mediaHost() != nil
	for _, c := range tgts {
		switch c.Platform {
		case string(publish.Instagram):
			if len(d.Media) == 0 {
				return app.FieldError("channels", "Instagram posts need an image. Add one in the editor, or untick Instagram.")
			}
			if s.ch.imageRoute(c).Route == "" {
				return app.FieldError("channels", "Instagram only takes images it can download from the internet, and this Instagram channel has no way to host them: its token may not upload to the Facebook Page (%s) and no storage bucket is connected. Reconnect Instagram in Channels with those permissions, or connect the practice's own bucket in Settings → Media hosting, or untick Instagram for this post. Instagram has no text-only posts.", strings.Join(instagram.PageRouteScopes, ", "))
			}
		case string(publish.Google):
			if len(d.Media) > 0 && !hasHost && !googleTextOnly {
				return app.FieldError("googleTextOnly", "Google only takes photos it can download from the internet, and no storage bucket is connected. Connect one in Settings → Media hosting, or tick “Send to Google without the photo”.")
			}
		}
	}
	return nil
}

// HostingNeeds tells the publish panel what the channels of a draft need
// from media hosting, without publishing.
type HostingNeeds struct {
	Connected bool   `json:"connected"`
	Instagram string `json:"instagram"` // why Instagram cannot take this post; "" when it can
	Google    string `json:"google"`    // why Google cannot take the photo; "" when it can
}

// HostingNeeds reports what Instagram and Google need for the draft.
func (s *PublishService) HostingNeeds(draftID int64) (HostingNeeds, error) {
	ctx := context.Background()
	db, err := s.c.open(context.Background())
	if err != nil {
		return HostingNeeds{}, err
	}
	d, err := db.Draft(ctx, draftID)
	if err != nil {
		return HostingNeeds{}, err
	}
	n := HostingNeeds{Connected: s.ch.mediaHost() != nil}
	for _, p := range d.Channels {
		switch p {
		case string(publish.Instagram):
			if len(d.Media) == 0 {
				n.Instagram = "Instagram posts need an image. Add one in the editor, or untick Instagram."
			} else if !s.ch.instagramImages(ctx, db) {
				n.Instagram = "Instagram downloads images from the internet, and neither the Facebook Page route nor a storage bucket is set up, so it cannot take this post (Instagram has no text-only posts). Reconnect Instagram in Channels with a Page token that has " + strings.Join(instagram.PageRouteScopes, " and ") + ", or connect the practice's bucket in Settings → Media hosting."
			}
		case draftChannel(string(publish.Google)):
			if len(d.Media) > 0 && !n.Connected {
				n.Google = "Google downloads photos from the internet and no storage bucket is connected. Connect one in Settings → Media hosting, or send the post to Google without its photo."
			}
		}
	}
	return n, nil
}

// draftChannel is the name a draft (and the guard) uses for a platform:
// Google Business Profile is "google_business" there (app.PlatformInfo).
func draftChannel(platform string) string { return string(app.Platform(platform).Channel()) }

// platformOf is the publishing platform of a draft's channel name.
func platformOf(draftCh string) string { return string(app.PlatformOf(app.ConsentChannel(draftCh))) }
