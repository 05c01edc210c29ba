package service

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"practicepost/app"
	"practicepost/app/calendar"
	"practicepost/app/publish"
	"practicepost/app/publish/queue"
	"practicepost/app/store"
)

// PublishInput is "send this draft now" or "at this time".
type PublishInput struct {
	DraftID int64 `json:"draftId"`
	// Channels are connected channel ids; empty: every connected account
	// on each platform the draft is for.
	Channels []string `json:"channels"`
	// Date and Clock ("2026-03-30", "09:00", practice time) schedule the
	// post; both empty: publish now.
	Date  string `json:"date"`
	Clock string `json:"clock"`
	// Google makes the Google Business Profile post an event or offer;
	// nil: a plain update. Other platforms ignore it.
	Google *GoogleTopic `json:"google"`
	// GoogleTextOnly sends the post to Google without its photo, for a
	// practice without a storage bucket (see HostingService).
	GoogleTextOnly bool `json:"googleTextOnly"`
}

// JobView is one post on one channel, for the progress list and calendar.
// It lists its fields rather than embedding the stored job, so the post's
// raw answers never leave the backend and the bindings stay simple.
type JobView struct {
	ID                int64            `json:"id"`
	RequestID         int64            `json:"requestId"`
	DraftID           string           `json:"draftId"`
	Channel           string           `json:"channel"`
	Platform          string           `json:"platform"`
	State             app.PublishState `json:"state"`
	Text              string           `json:"text"`
	ScheduledAt       time.Time        `json:"scheduledAt"`
	Zone              string           `json:"zone"`
	NextAt            time.Time        `json:"nextAt"`
	Native            bool             `json:"native"`
	Attempts          int              `json:"attempts"`
	ErrorKind         string           `json:"errorKind"`
	ErrorCode         string           `json:"errorCode"`
	ErrorMessage      string           `json:"errorMessage"`
	PlatformMessage   string           `json:"platformMessage"`
	RemoteID          string           `json:"remoteId"`
	RemoteURL         string           `json:"remoteUrl"`
	RemoteScheduledAt time.Time        `json:"remoteScheduledAt"`
	PublishedAt       time.Time        `json:"publishedAt"`
	Takedown          string           `json:"takedown"`
	TakedownError     string           `json:"takedownError"`

	ChannelName string `json:"channelName"`
	Title       string `json:"title"` // "Mastodon"
	// NativeNote explains a Facebook post that Facebook itself holds.
	NativeNote string `json:"nativeNote"`
}

func jobView(j queue.Job) JobView {
	return JobView{ID: j.ID, RequestID: j.RequestID, DraftID: j.DraftID, Channel: j.Channel, Platform: j.Platform, State: j.State, Text: j.Text,
		ScheduledAt: j.ScheduledAt, Zone: j.Zone, NextAt: j.NextAt, Native: j.Native, Attempts: j.Attempts,
		ErrorKind: j.ErrorKind, ErrorCode: j.ErrorCode, ErrorMessage: j.ErrorMessage, PlatformMessage: j.PlatformMessage,
		RemoteID: j.RemoteID, RemoteURL: j.RemoteURL, RemoteScheduledAt: j.RemoteScheduledAt, PublishedAt: j.PublishedAt,
		Takedown: j.Takedown, TakedownError: j.TakedownError, Title: publish.Platform(j.Platform).Title()}
}

// PublishResult is what Publish started.
type PublishResult struct {
	RequestID int64      `json:"requestId"`
	Jobs      []JobView  `json:"jobs"`
	Check     DraftCheck `json:"check"`
	Draft     DraftView  `json:"draft"`
}

// NativeNote is shown for a Facebook post handed to Facebook's scheduler.
const NativeNote = "Scheduled on Facebook: it goes out even if this computer is off."

func (s *PublishService) views(ctx context.Context, db *store.DB, jobs []queue.Job) []JobView {
	names := map[string]string{}
	if cs, err := db.Channels(ctx); err == nil {
		for _, c := range cs {
			names[c.ID] = c.Name
			if c.Handle != "" {
				names[c.ID] = c.Handle
			}
		}
	}
	out := make([]JobView, 0, len(jobs))
	for _, j := range jobs {
		v := jobView(j)
		v.ChannelName = names[j.Channel]
		if v.ChannelName == "" {
			v.ChannelName = v.Title + " (disconnected)"
		}
		if j.Native && (j.State == app.JobScheduledRemote || j.State == app.JobQueued) {
			v.NativeNote = NativeNote
		}
		out = append(out, v)
	}
	return out
}

// targets picks the connected channels a draft goes to.
func targets(d app.Draft, connected []app.Channel, picked []string) ([]app.Channel, error) {
	var out []app.Channel
	if len(picked) > 0 {
		for _, id := range picked {
			i := slices.IndexFunc(connected, func(c app.Channel) bool { return c.ID == id })
			if i < 0 {
				return nil, app.FieldError("channels", "One of the chosen channels is not connected any more. Pick the channels again.")
			}
			if !slices.Contains(d.Channels, draftChannel(connected[i].Platform)) {
				return nil, app.FieldError("channels", "The post is not written for %s. Tick %s in the editor first, so the checks cover it.", publish.Platform(connected[i].Platform).Title(), publish.Platform(connected[i].Platform).Title())
			}
			out = append(out, connected[i])
		}
		return out, nil
	}
	var missing []string
	for _, p := range d.Channels {
		n := 0
		for _, c := range connected {
			if draftChannel(c.Platform) == p {
				out = append(out, c)
				n++
			}
		}
		if n == 0 {
			missing = append(missing, publish.Platform(platformOf(p)).Title())
		}
	}
	if len(missing) > 0 {
		return nil, app.FieldError("channels", "Connect %s under Channels first, or untick it in the post.", strings.Join(missing, " and "))
	}
	return out, nil
}

// Publish runs the guard for the draft at its moment (now, or the chosen
// time) and, when nothing blocks it, queues one job per channel. Progress
// arrives as EventPublishProgress events.
func (s *PublishService) Publish(in PublishInput) (PublishResult, error) {
	return withQueue(s, func(ctx context.Context, db *store.DB, q *queue.Queue) (PublishResult, error) {
		d, err := db.Draft(ctx, in.DraftID)
		if err != nil {
			return PublishResult{}, err
		}
		if len(d.Channels) == 0 {
			return PublishResult{}, app.FieldError("channels", "Choose at least one platform for the post.")
		}
		connected, err := db.Channels(ctx)
		if err != nil {
			return PublishResult{}, err
		}
		tgts, err := targets(d, connected, in.Channels)
		if err != nil {
			return PublishResult{}, err
		}
		day := practiceDay(ctx, db)
		for _, c := range tgts {
			if v := s.ch.view(c, day); v.State == "needs_reconnect" {
				return PublishResult{}, app.Errorf(app.EFORBIDDEN, "%s (%s) needs reconnecting before PracticePost can post there. Open Channels and click Reconnect.", v.Title, v.ChannelName())
			}
		}

		loc, zone := practiceZone(ctx, db)
		topic, err := in.Google.topic(loc)
		if err != nil {
			return PublishResult{}, err
		}
		if err := s.checkHosting(tgts, d, in.GoogleTextOnly); err != nil {
			return PublishResult{}, err
		}
		now := s.c.Clock.Now()
		var at time.Time
		var local calendar.LocalTime
		shifted := false
		if in.Date != "" || in.Clock != "" {
			l, err := calendar.ParseDateClock(in.Date, in.Clock)
			if err != nil {
				return PublishResult{}, err
			}
			at, shifted = calendar.Resolve(l, loc)
			if !at.After(now) {
				return PublishResult{}, app.FieldError("time", "That time has already passed. Choose a time in the future, or Publish now.")
			}
			local = l
			if shifted {
				local = calendar.LocalOf(at, loc)
			}
		}
		moment := now
		if !at.IsZero() {
			moment = at
		}
		chk, err := s.drafts.check(ctx, db, d, moment)
		if err != nil {
			return PublishResult{}, err
		}
		if chk.Blocked {
			verb := "published"
			if !at.IsZero() {
				verb = "scheduled"
			}
			return PublishResult{Check: chk}, app.Errorf(app.EINVALID, "The post cannot be %s yet: %s", verb, strings.Join(chk.Reasons, " "))
		}
		texts := map[string]string{}
		images := map[string][]queue.Media{}
		for _, cc := range chk.Channels {
			texts[cc.Channel] = cc.Text
			// Each channel carries the images the check judged for it: an
			// attached design in the size its platform takes.
			images[cc.Channel] = []queue.Media{}
			for _, m := range cc.Images {
				images[cc.Channel] = append(images[cc.Channel], queue.Media{SHA256: m.SHA256, Alt: m.AltText, MediaID: m.MediaID})
			}
		}

		// The queue runs the gate again on each job inside the transaction that
		// stores it, and links every consent the gate found the post relies on
		// (its testimonials', its images' and those clearing a name), so a
		// withdrawal blocks the queued jobs whatever the use.
		req := queue.Request{DraftID: strconv.FormatInt(d.ID, 10), Text: d.Body, At: at, Zone: zone, Testimonials: d.Testimonials, Paid: d.Paid}
		textOnly := req
		for _, c := range tgts {
			// The composed text already carries the hashtags and the link
			// tagged for this platform, exactly as the guard checked it.
			ch := draftChannel(c.Platform)
			t := queue.Target{Channel: c.ID, Platform: publish.Platform(c.Platform), Text: texts[ch], OwnText: true, Media: images[ch]}
			if t.Platform == publish.Google && in.GoogleTextOnly && len(t.Media) > 0 {
				t.Media = []queue.Media{}
				textOnly.Targets = append(textOnly.Targets, t)
				continue
			}
			req.Targets = append(req.Targets, t)
		}
		req.Topic, textOnly.Topic = topic, topic
		var r app.PublishRequest
		var jobs []queue.Job
		if len(req.Targets) > 0 {
			if r, jobs, err = q.Enqueue(ctx, req); err != nil {
				return PublishResult{}, err
			}
		}
		if len(textOnly.Targets) > 0 {
			// Google without its photo goes as a request of its own, so
			// that the post's own request shows what went with images.
			r2, more, err := q.Enqueue(ctx, textOnly)
			if err != nil {
				return PublishResult{}, err
			}
			if r.ID == 0 {
				r = r2
			}
			jobs = append(jobs, more...)
		}
		if !at.IsZero() {
			if _, err := db.SetDraftSchedule(ctx, d.ID, app.Schedule{Status: app.DraftScheduled, ScheduledAt: &at, LocalTime: local.String(), Zone: zone}, "draft.schedule"); err != nil {
				logError("mark draft scheduled", err)
			}
			s.c.Emit.Emit(EventDraftsChanged, nil)
		}
		d, err = db.Draft(ctx, d.ID)
		if err != nil {
			return PublishResult{}, err
		}
		dv, err := s.drafts.view(ctx, db, d, "")
		if err != nil {
			return PublishResult{}, err
		}
		return PublishResult{RequestID: r.ID, Jobs: s.views(ctx, db, jobs), Check: chk, Draft: dv}, nil
	})
}

// ChannelName is how a channel is named in messages.
func (v ChannelView) ChannelName() string {
	if v.Handle != "" {
		return v.Handle
	}
	return v.Name
}
