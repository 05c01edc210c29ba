package service

import (
	"context"
	"strings"
	"time"

	"practicepost/app"
	"practicepost/app/calendar"
	"practicepost/app/store"
)

// Schedule puts the post on the calendar at date and clock in the
// practice's zone, after the guard passes at that moment. Anything marked
// block refuses it, with the reasons.
func (s *DraftService) Schedule(id int64, date, clock string) (DraftView, error) {
	return withDB(s.c, func(ctx context.Context, db *store.DB) (DraftView, error) {
		l, err := calendar.ParseDateClock(date, clock)
		if err != nil {
			return DraftView{}, err
		}
		loc, zone := practiceZone(ctx, db)
		return s.schedule(ctx, db, id, l, loc, zone, "draft.schedule")
	})
}

func (s *DraftService) schedule(ctx context.Context, db *store.DB, id int64, l calendar.LocalTime, loc *time.Location, zone, action string) (DraftView, error) {
	d, err := db.Draft(ctx, id)
	if err != nil {
		return DraftView{}, err
	}
	at, shifted := calendar.Resolve(l, loc)
	if !at.After(s.c.Clock.Now()) {
		return DraftView{}, app.FieldError("time", "That time has already passed. Choose a time in the future.")
	}
	if len(d.Channels) == 0 {
		return DraftView{}, app.FieldError("channels", "Choose at least one platform for the post.")
	}
	chk, err := s.check(ctx, db, d, at)
	if err != nil {
		return DraftView{}, err
	}
	if chk.Blocked {
		return DraftView{}, app.Errorf(app.EINVALID, "The post cannot be scheduled yet: %s", strings.Join(chk.Reasons, " "))
	}
	if shifted {
		l = calendar.LocalOf(at, loc) // the clocks skip that time; keep what it really is
	}
	d, err = db.SetDraftSchedule(ctx, id, app.Schedule{Status: app.DraftScheduled, ScheduledAt: &at, LocalTime: l.String(), Zone: zone}, action)
	if err != nil {
		return DraftView{}, err
	}
	s.c.Emit.Emit(EventDraftsChanged, nil)
	s.scheduleChanged(ctx, d)
	notice := ""
	if shifted {
		notice = "The clocks go forward that night, so the post is set for " + l.Clock() + " instead."
	}
	return s.view(ctx, db, d, notice)
}

func (s *DraftService) scheduleChanged(ctx context.Context, d app.Draft) {
	if s.OnScheduleChange == nil {
		return
	}
	if err := s.OnScheduleChange(ctx, d); err != nil {
		logError("queued posts follow the schedule", err)
	}
}

// Unschedule takes a post off the schedule and keeps its planned day.
func (s *DraftService) Unschedule(id int64) (DraftView, error) {
	ctx, db, d, err := s.openDraft(id)
	if err != nil {
		return DraftView{}, err
	}
	d, err = db.SetDraftSchedule(ctx, id, app.Schedule{Status: app.DraftEditing, LocalTime: d.LocalTime, Zone: d.Zone}, "draft.unschedule")
	if err != nil {
		return DraftView{}, err
	}
	s.c.Emit.Emit(EventDraftsChanged, nil)
	s.scheduleChanged(ctx, d)
	return s.view(ctx, db, d, "")
}

// Move puts a post on another day at the same wall-clock time (a 09:00
// post stays 09:00 across a clock change). A scheduled post is checked
// again for the new moment; if it would be blocked then, it is not moved.
// clock, when not empty, also changes the time ("09:30").
func (s *DraftService) Move(id int64, date, clock string) (DraftView, error) {
	ctx, db, d, err := s.openDraft(id)
	if err != nil {
		return DraftView{}, err
	}
	loc, zone := practiceZone(ctx, db)
	cur := calendar.LocalTime{Hour: 9}
	if d.LocalTime != "" {
		if cur, err = calendar.ParseLocal(d.LocalTime); err != nil {
			return DraftView{}, err
		}
		if d.ScheduledAt != nil && d.Zone != zone {
			cur = calendar.LocalOf(*d.ScheduledAt, loc)
		}
	}
	if clock == "" {
		clock = cur.Clock()
	}
	l, err := calendar.ParseDateClock(date, clock)
	if err != nil {
		return DraftView{}, err
	}
	if d.Status == app.DraftScheduled {
		return s.schedule(ctx, db, id, l, loc, zone, "draft.move")
	}
	d, err = db.SetDraftSchedule(ctx, id, app.Schedule{Status: app.DraftEditing, LocalTime: l.String(), Zone: zone}, "draft.plan")
	if err != nil {
		return DraftView{}, err
	}
	s.c.Emit.Emit(EventDraftsChanged, nil)
	return s.view(ctx, db, d, "")
}

// view checks d at its moment (its scheduled or planned time if still
// ahead, else now) and adds what the editor shows beside the buttons.
// whenLayout is how a post's planned time is written for the practice's
// country: "Mon 30 Mar 2026, 09:00 BST" in the UK, "Mon Mar 30, 2026, 9:00 AM
// EDT" in the US.
func whenLayout(ctx context.Context, db *store.DB) string {
	if kit, err := db.BrandKit(ctx); err == nil && kit.Country == "US" {
		return "Mon Jan 2, 2006, 3:04 PM MST"
	}
	return "Mon 2 Jan 2006, 15:04 MST"
}
