package service

import (
	"context"
	"strings"
	"time"

	"practicepost/app"
	"practicepost/app/calendar"
	"practicepost/app/consent"
	"practicepost/app/guard"
	"practicepost/app/store"
)

// DraftService is the post editor: autosave, the live pre-publish check,
// scheduling and moving posts on the calendar.
type DraftService struct {
	c    *Core
	lock *LockService

	// OnScheduleChange, when set, runs after a post was moved or taken off
	// the schedule, so posts already queued follow (PublishService).
	OnScheduleChange func(ctx context.Context, d app.Draft) error
	// QueuedDiffers, when set, says whether the posts queued for a
	// scheduled draft would send other words or images than chk, the
	// check of the draft as now saved (PublishService).
	QueuedDiffers func(ctx context.Context, d app.Draft, chk DraftCheck) (bool, error)
	// PublishBlocker, when set, says why the post cannot be published now
	// ("" when it can), apart from the guard's reasons.
	PublishBlocker func(ctx context.Context, db *store.DB, d app.Draft) string
}

func NewDraftService(c *Core, lock *LockService) *DraftService {
	return &DraftService{c: c, lock: lock}
}

// PublishUnavailable is why Publish is disabled until publishing is wired.
const PublishUnavailable = "Connect a channel first (coming with publishing)."

// DraftInput is the editor's content. Status and schedule change only
// through Schedule, Unschedule and Move.
type DraftInput struct {
	ID           int64             `json:"id"`
	Title        string            `json:"title"`
	Body         string            `json:"body"`
	Versions     map[string]string `json:"versions"`
	Channels     []string          `json:"channels"`
	Hashtags     []string          `json:"hashtags"`
	Link         string            `json:"link"`
	UTM          bool              `json:"utm"`
	Campaign     string            `json:"campaign"`
	Pillar       app.Pillar        `json:"pillar"`
	Media        []app.DraftMedia  `json:"media"`
	Testimonials []int64           `json:"testimonials"`
	// Paid: the post will be promoted as a paid advert.
	Paid bool `json:"paid"`
	// Only when creating: a planned day ("2026-03-30T09:00") and the
	// awareness day the post is for.
	LocalTime   string `json:"localTime"`
	AwarenessID string `json:"awarenessId"`
}

// FindingView is a guard finding merged across the channels it applies to.
// Target says which text its offsets point into: "body", a channel whose own
// version it is in, or "" (the hashtags or link the app adds, or the post
// as a whole).
type FindingView struct {
	guard.Finding
	Channels []string `json:"channels"`
	Target   string   `json:"target"`
}

// ChannelCheck is one platform's view of the draft.
type ChannelCheck struct {
	Channel  string          `json:"channel"`
	Label    string          `json:"label"`
	Text     string          `json:"text"` // exactly what would be posted
	Link     string          `json:"link"` // the link with its tags, "" when none
	Counters []guard.Counter `json:"counters"`
	Blocked  bool            `json:"blocked"`
	Note     string          `json:"note"`
	// Images are what this channel's post carries: an attached design in
	// the size its platform takes. SizeNote says when a design goes in
	// another size because it has not kept that one ("" otherwise).
	Images   []ChannelImage `json:"images"`
	SizeNote string         `json:"sizeNote"`
}

// ChannelImage is one image of one channel's post, with the URL the
// preview shows it from.
type ChannelImage struct {
	app.PostImage
	URL string `json:"url"`
}

// DraftCheck is the outcome of the guard over every chosen channel.
type DraftCheck struct {
	Moment   time.Time      `json:"moment"`
	Channels []ChannelCheck `json:"channels"`
	Findings []FindingView  `json:"findings"`
	Blocked  bool           `json:"blocked"`
	Reasons  []string       `json:"reasons"` // what blocks, listed beside the buttons
}

// DraftView is a draft with its check.
type DraftView struct {
	Draft         app.Draft  `json:"draft"`
	Check         DraftCheck `json:"check"`
	Zone          string     `json:"zone"`      // the practice's zone
	WhenLabel     string     `json:"whenLabel"` // "Mon 30 Mar 2026, 09:00 BST"; "" when not planned
	CanSchedule   bool       `json:"canSchedule"`
	PublishReason string     `json:"publishReason"` // why Publish is disabled
	Notice        string     `json:"notice"`        // set when a save took the post off the schedule
}

// DraftSummary is one row of the drafts list.
type DraftSummary struct {
	ID        int64           `json:"id"`
	Title     string          `json:"title"`
	Status    app.DraftStatus `json:"status"`
	Pillar    app.Pillar      `json:"pillar"`
	Channels  []string        `json:"channels"`
	LocalTime string          `json:"localTime"`
	UpdatedAt time.Time       `json:"updatedAt"`
}

// ChannelChoices are the platforms a draft can go to, with labels.
func (s *DraftService) ChannelChoices() ([]ChoiceView, error) {
	if err := s.c.manager(); err != nil {
		return nil, err
	}
	out := make([]ChoiceView, len(guard.Channels))
	for i, ch := range guard.Channels {
		out[i] = ChoiceView{string(ch), channelLabel(ch)}
	}
	return out, nil
}

// PillarChoices are the content pillars, with labels.
func (s *DraftService) PillarChoices() ([]ChoiceView, error) {
	if err := s.c.manager(); err != nil {
		return nil, err
	}
	out := make([]ChoiceView, len(app.Pillars))
	for i, p := range app.Pillars {
		out[i] = ChoiceView{string(p), pillarLabels[p]}
	}
	return out, nil
}

var pillarLabels = map[app.Pillar]string{
	app.PillarTip: "Tip", app.PillarMythFact: "Myth / fact", app.PillarTeam: "Team", app.PillarTestimonial: "Testimonial",
	app.PillarEvent: "Event", app.PillarNews: "News",
}

func channelLabel(ch guard.Channel) string {
	return consent.ChannelLabel(app.ConsentChannel(ch))
}

// draft reads the editor's content as a draft: app.Draft's Normalize is
// lenient with half-typed input, its Validate strict with what cannot be
// stored.
func (in DraftInput) draft() (app.Draft, error) {
	d := app.Draft{ID: in.ID, Title: in.Title, Body: in.Body, Versions: in.Versions, Channels: in.Channels, Hashtags: in.Hashtags,
		Link: in.Link, UTM: in.UTM, Campaign: in.Campaign, Pillar: in.Pillar, Media: in.Media, Testimonials: in.Testimonials,
		AwarenessID: in.AwarenessID, Paid: in.Paid}
	d.Normalize()
	return d, d.Validate()
}

// openInput opens the data file and reads the editor's content as a draft.
func (s *DraftService) openInput(in DraftInput) (context.Context, *store.DB, app.Draft, error) {
	ctx := context.Background()
	db, err := s.c.open(ctx)
	if err != nil {
		return ctx, nil, app.Draft{}, err
	}
	d, err := in.draft()
	return ctx, db, d, err
}

// openDraft opens the data file and reads draft id from it.
func (s *DraftService) openDraft(id int64) (context.Context, *store.DB, app.Draft, error) {
	ctx := context.Background()
	db, err := s.c.open(ctx)
	if err != nil {
		return ctx, nil, app.Draft{}, err
	}
	d, err := db.Draft(ctx, id)
	return ctx, db, d, err
}

// Create starts a new draft, optionally planned for a day.
func (s *DraftService) Create(in DraftInput) (DraftView, error) {
	ctx, db, d, err := s.openInput(in)
	if err != nil {
		return DraftView{}, err
	}
	_, zone := practiceZone(ctx, db)
	if in.LocalTime != "" {
		l, err := calendar.ParseLocal(in.LocalTime)
		if err != nil {
			return DraftView{}, err
		}
		d.LocalTime, d.Zone = l.String(), zone
	}
	if len(d.Channels) == 0 {
		connected, err := db.Channels(ctx)
		if err != nil {
			return DraftView{}, err
		}
		d.Channels = app.DefaultChannels(connected)
	}
	d.UTM = true // links are tagged by default; the editor can switch it off
	d, err = db.CreateDraft(ctx, d)
	if err != nil {
		return DraftView{}, err
	}
	s.c.Emit.Emit(EventDraftsChanged, nil)
	return s.view(ctx, db, d, "")
}

// Save stores the editor's content (autosave) and checks it. A scheduled
// post whose new text no longer passes the guard is taken off the schedule
// and Notice says so; so is one whose queued posts would still send the
// words or images from before the edit, so those never go out unseen.
func (s *DraftService) Save(in DraftInput) (DraftView, error) {
	ctx, db, d, err := s.openInput(in)
	if err != nil {
		return DraftView{}, err
	}
	d, err = db.SaveDraft(ctx, d)
	if err != nil {
		return DraftView{}, err
	}
	notice := ""
	if d.Status == app.DraftScheduled && d.ScheduledAt != nil {
		chk, err := s.check(ctx, db, d, *d.ScheduledAt)
		if err != nil {
			return DraftView{}, err
		}
		if chk.Blocked {
			d, err = db.SetDraftSchedule(ctx, d.ID, app.Schedule{Status: app.DraftEditing, LocalTime: d.LocalTime, Zone: d.Zone}, "draft.unschedule")
			if err != nil {
				return DraftView{}, err
			}
			notice = "The post was taken off the schedule because the changes need fixing first. Fix the problems listed, then schedule it again."
			// Off the schedule means off the queue: the version queued
			// before the edit must not go out at its time either.
			s.scheduleChanged(ctx, d)
			s.c.Emit.Emit(EventDraftsChanged, nil)
		} else if s.QueuedDiffers != nil {
			differs, err := s.QueuedDiffers(ctx, d, chk)
			if err != nil {
				return DraftView{}, err
			}
			if differs {
				d, err = db.SetDraftSchedule(ctx, d.ID, app.Schedule{Status: app.DraftEditing, LocalTime: d.LocalTime, Zone: d.Zone}, "draft.unschedule")
				if err != nil {
					return DraftView{}, err
				}
				s.scheduleChanged(ctx, d)
				notice = "Your change is saved. The post was taken off the schedule so that the words and images scheduled before the change do not go out. Press Schedule to send this version; its planned time is kept."
				s.c.Emit.Emit(EventDraftsChanged, nil)
			}
		}
	}
	return s.view(ctx, db, d, notice)
}

// Get reads a draft with its check.
func (s *DraftService) Get(id int64) (DraftView, error) {
	ctx, db, d, err := s.openDraft(id)
	if err != nil {
		return DraftView{}, err
	}
	return s.view(ctx, db, d, "")
}

// List returns drafts not on the calendar and those from today on.
func (s *DraftService) List() ([]DraftSummary, error) {
	return withDB(s.c, func(ctx context.Context, db *store.DB) ([]DraftSummary, error) {
		loc, _ := practiceZone(ctx, db)
		today := calendar.LocalOf(s.c.Clock.Now(), loc).Date.String()
		unplanned, err := db.ListDrafts(ctx, app.DraftFilter{Unplanned: true, Limit: 200})
		if err != nil {
			return nil, err
		}
		planned, err := db.ListDrafts(ctx, app.DraftFilter{From: today, Limit: 200})
		if err != nil {
			return nil, err
		}
		out := []DraftSummary{}
		for _, d := range append(unplanned, planned...) {
			out = append(out, DraftSummary{ID: d.ID, Title: draftTitle(d), Status: d.Status, Pillar: d.Pillar, Channels: d.Channels, LocalTime: d.LocalTime, UpdatedAt: d.UpdatedAt})
		}
		return out, nil
	})
}

// Delete removes a draft.
func (s *DraftService) Delete(id int64) error {
	return s.c.withDB(func(ctx context.Context, db *store.DB) error {
		if err := db.DeleteDraft(ctx, id); err != nil {
			return err
		}
		s.c.Emit.Emit(EventDraftsChanged, nil)
		return nil
	})
}

func (s *DraftService) view(ctx context.Context, db *store.DB, d app.Draft, notice string) (DraftView, error) {
	loc, zone := practiceZone(ctx, db)
	now := s.c.Clock.Now()
	moment := now
	v := DraftView{Draft: d, Zone: zone, Notice: notice}
	if d.LocalTime != "" {
		dl := loc
		if d.Zone != "" {
			if z, err := time.LoadLocation(d.Zone); err == nil {
				dl = z
			}
		}
		at := time.Time{}
		if d.ScheduledAt != nil {
			at = *d.ScheduledAt
		} else if l, err := calendar.ParseLocal(d.LocalTime); err == nil {
			at, _ = calendar.Resolve(l, dl)
		}
		if !at.IsZero() {
			v.WhenLabel = at.In(loc).Format(whenLayout(ctx, db))
			if at.After(now) {
				moment = at
			}
		}
	}
	chk, err := s.check(ctx, db, d, moment)
	if err != nil {
		return DraftView{}, err
	}
	v.Check = chk
	v.CanSchedule = !chk.Blocked && len(d.Channels) > 0
	v.PublishReason = PublishUnavailable
	if s.PublishBlocker != nil {
		v.PublishReason = s.PublishBlocker(ctx, db, d)
	}
	if chk.Blocked {
		v.PublishReason = strings.Join(chk.Reasons, " ")
	}
	return v, nil
}
