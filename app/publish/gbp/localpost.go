package gbp

import (
	"net/url"
	"slices"
	"strings"
	"time"

	"practicepost/app/publish"
)

// LocalPost is the v4 LocalPost resource, as far as PracticePost uses it.
type LocalPost struct {
	Name         string        `json:"name,omitempty"`
	LanguageCode string        `json:"languageCode,omitempty"`
	Summary      string        `json:"summary,omitempty"`
	TopicType    string        `json:"topicType,omitempty"`
	CallToAction *CallToAction `json:"callToAction,omitempty"`
	Event        *Event        `json:"event,omitempty"`
	Offer        *Offer        `json:"offer,omitempty"`
	Media        []Media       `json:"media,omitempty"`
	State        string        `json:"state,omitempty"`
	SearchURL    string        `json:"searchUrl,omitempty"`
	CreateTime   string        `json:"createTime,omitempty"`
}

// CallToAction is a post's button.
type CallToAction struct {
	ActionType string `json:"actionType"`
	URL        string `json:"url,omitempty"`
}

// Event is an event's (or offer's) title and period.
type Event struct {
	Title    string   `json:"title"`
	Schedule Schedule `json:"schedule"`
}

// Schedule is a period in the location's local time.
type Schedule struct {
	StartDate Date       `json:"startDate"`
	StartTime *TimeOfDay `json:"startTime,omitempty"`
	EndDate   Date       `json:"endDate"`
	EndTime   *TimeOfDay `json:"endTime,omitempty"`
}

// Date is google.type.Date.
type Date struct {
	Year  int `json:"year"`
	Month int `json:"month"`
	Day   int `json:"day"`
}

// TimeOfDay is google.type.TimeOfDay.
type TimeOfDay struct {
	Hours   int `json:"hours"`
	Minutes int `json:"minutes"`
	Seconds int `json:"seconds"`
	Nanos   int `json:"nanos"`
}

// Offer holds an offer's details.
type Offer struct {
	CouponCode      string `json:"couponCode,omitempty"`
	RedeemOnlineURL string `json:"redeemOnlineUrl,omitempty"`
	TermsConditions string `json:"termsConditions,omitempty"`
}

// Media is a photo Google downloads from SourceURL.
type Media struct {
	MediaFormat string `json:"mediaFormat"`
	SourceURL   string `json:"sourceUrl"`
}

// Build turns a post into the LocalPost Google takes, checking what
// Google would refuse: summary length, event and offer details, buttons.
func Build(p publish.Post, language string) (LocalPost, error) {
	lp := LocalPost{LanguageCode: language, Summary: strings.TrimSpace(p.Text), TopicType: "STANDARD"}
	t := p.Topic
	if t == nil {
		t = &publish.Topic{}
	}
	if t.Type != "" {
		lp.TopicType = t.Type
	}
	if n := len([]rune(lp.Summary)); n > Limits.MaxText {
		return lp, publish.Problemf("The post is %d characters; Google takes %d. Shorten it and send again.", n, Limits.MaxText)
	}
	switch lp.TopicType {
	case "STANDARD":
		if lp.Summary == "" && len(p.Media) == 0 {
			return lp, publish.Problem("The post has no text and no photo.")
		}
	case "EVENT", "OFFER":
		what := strings.ToLower(lp.TopicType)
		if strings.TrimSpace(t.Title) == "" {
			return lp, publish.Problemf("An %s post needs a title.", what)
		}
		if n := len([]rune(t.Title)); n > 58 {
			return lp, publish.Problemf("The %s title is %d characters; Google takes 58.", what, n)
		}
		if t.Start.IsZero() || t.End.IsZero() {
			return lp, publish.Problemf("An %s post needs a start and an end.", what)
		}
		if t.End.Before(t.Start) {
			return lp, publish.Problemf("The %s ends before it starts. Check the dates.", what)
		}
		sch := Schedule{StartDate: date(t.Start), EndDate: date(t.End)}
		if !t.AllDay {
			sch.StartTime, sch.EndTime = clock(t.Start), clock(t.End)
		}
		lp.Event = &Event{Title: strings.TrimSpace(t.Title), Schedule: sch}
		if lp.TopicType == "OFFER" && (t.CouponCode != "" || t.RedeemURL != "" || t.Terms != "") {
			lp.Offer = &Offer{CouponCode: t.CouponCode, RedeemOnlineURL: t.RedeemURL, TermsConditions: t.Terms}
		}
	default:
		return lp, publish.Problemf("PracticePost does not make Google %q posts.", lp.TopicType)
	}
	action, target := t.Action, t.ActionURL
	if action == "" && p.Link != "" {
		action, target = "LEARN_MORE", p.Link
	}
	if action != "" && lp.TopicType != "OFFER" {
		// Google ignores buttons on offers; the redeem link serves instead.
		if !slices.Contains(Actions, action) {
			return lp, publish.Problemf("Google has no %q button.", action)
		}
		if action == "CALL" {
			target = ""
		} else if target == "" {
			target = p.Link
		}
		if action != "CALL" {
			if u, err := url.Parse(target); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
				return lp, publish.Problem("The button needs a web address starting with https://.")
			}
		}
		lp.CallToAction = &CallToAction{ActionType: action, URL: target}
	}
	if p.Link != "" && (lp.CallToAction == nil || lp.CallToAction.URL != p.Link) {
		// The link is not on the button: keep it in the text.
		lp.Summary = publish.ComposeText(lp.Summary, p.Link)
		if n := len([]rune(lp.Summary)); n > Limits.MaxText {
			return lp, publish.Problemf("The post with its link is %d characters; Google takes %d. Shorten it and send again.", n, Limits.MaxText)
		}
	}
	for _, m := range p.Media {
		lp.Media = append(lp.Media, Media{MediaFormat: "PHOTO", SourceURL: m.URL})
	}
	return lp, nil
}

func date(t time.Time) Date { return Date{Year: t.Year(), Month: int(t.Month()), Day: t.Day()} }

func clock(t time.Time) *TimeOfDay { return &TimeOfDay{Hours: t.Hour(), Minutes: t.Minute()} }
