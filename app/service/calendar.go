package service

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"practicepost/app"
	"practicepost/app/calendar"
	"practicepost/app/consent"
	"practicepost/app/store"
)

// CalendarService is the content calendar: the practice's time zone and
// specialties, the month or week of posts and awareness days, and the
// ideas library.
type CalendarService struct {
	c    *Core
	lock *LockService
}

func NewCalendarService(c *Core, lock *LockService) *CalendarService {
	return &CalendarService{c: c, lock: lock}
}

// EventDraftsChanged tells open calendars and draft lists to reload.
const EventDraftsChanged = "drafts:changed"

const (
	keyPracticeZone = "practice.zone"
	keySpecialties  = "practice.specialties"
)

// CalendarSettings are the practice's zone and the specialties that pick
// its awareness days.
type CalendarSettings struct {
	Zone        string       `json:"zone"`
	ZoneLabel   string       `json:"zoneLabel"` // "Europe/London (GMT now)"
	OSZone      string       `json:"osZone"`    // what this computer is set to; "" when unknown
	Zones       []string     `json:"zones"`
	Specialties []string     `json:"specialties"`
	Choices     []ChoiceView `json:"specialtyChoices"`
	Country     string       `json:"country"`
}

var commonZones = []string{"Europe/London", "Europe/Dublin", "America/New_York", "America/Chicago", "America/Denver",
	"America/Phoenix", "America/Los_Angeles", "America/Anchorage", "Pacific/Honolulu"}

var specialtyLabels = map[string]string{"dental": "Dental", "physio": "Physiotherapy", "gp": "GP / general practice", "aesthetics": "Aesthetics"}

// osZone is the computer's IANA zone: $TZ, or where /etc/localtime points
// (Linux, macOS). Windows names its zones differently, so it gives "" and
// the practice's country decides.
func osZone() string {
	if tz := strings.TrimPrefix(os.Getenv("TZ"), ":"); tz != "" {
		if _, err := time.LoadLocation(tz); err == nil && placeZone(tz) {
			return tz
		}
	}
	if target, err := filepath.EvalSymlinks("/etc/localtime"); err == nil {
		if i := strings.Index(target, "zoneinfo/"); i >= 0 {
			z := target[i+len("zoneinfo/"):]
			if _, err := time.LoadLocation(z); err == nil && placeZone(z) {
				return z
			}
		}
	}
	return ""
}

// placeZone reports whether a zone names a place. A computer set to UTC is
// usually a server or a fresh virtual machine, not a clue to where the
// practice is.
func placeZone(z string) bool {
	return strings.Contains(z, "/") && !strings.HasPrefix(z, "Etc/") && z != "Local"
}

// practiceZone is the zone posts are planned in: the one chosen in
// Settings, else the computer's, else the consent settings', else the
// country's main zone.
func practiceZone(ctx context.Context, db *store.DB) (*time.Location, string) {
	try := func(name string) (*time.Location, bool) {
		if !placeZone(name) {
			return nil, false
		}
		l, err := time.LoadLocation(name)
		return l, err == nil
	}
	if z, _ := db.State(ctx, keyPracticeZone); z != "" {
		if l, ok := try(z); ok {
			return l, z
		}
	}
	if z := osZone(); z != "" {
		if l, ok := try(z); ok {
			return l, z
		}
	}
	country := "GB"
	if kit, err := db.BrandKit(ctx); err == nil && kit.Country != "" {
		country = kit.Country
	}
	if st, err := loadSettings(ctx, db, country); err == nil {
		if l, ok := try(st.Zone); ok {
			return l, st.Zone
		}
	}
	if country == "US" {
		l, _ := time.LoadLocation("America/New_York")
		return l, "America/New_York"
	}
	l, _ := time.LoadLocation("Europe/London")
	return l, "Europe/London"
}

// practiceDay writes an instant's day as the practice reads it: in its
// zone (a sign-in that ran out at 02:00 UTC ran out the evening before in
// New York) and in its country's order ("9 December 2026" in the UK,
// "December 9, 2026" in the US), whatever the computer's settings.
// The settings are read on the first call only: most views write no date.
// The function must be called while db is open.
func practiceDay(ctx context.Context, db *store.DB) func(time.Time) string {
	var loc *time.Location
	var layout string
	return func(t time.Time) string {
		if loc == nil {
			loc, _ = practiceZone(ctx, db)
			country := ""
			if kit, err := db.BrandKit(ctx); err == nil {
				country = kit.Country
			}
			layout = consent.DateLayout(country)
		}
		return t.In(loc).Format(layout)
	}
}

func (s *CalendarService) settings(ctx context.Context, db *store.DB) (CalendarSettings, error) {
	loc, name := practiceZone(ctx, db)
	st := CalendarSettings{Zone: name, OSZone: osZone(), Country: "GB", Specialties: []string{}}
	abbr, _ := s.c.Clock.Now().In(loc).Zone()
	st.ZoneLabel = name + " (" + abbr + " now)"
	st.Zones = slices.Clone(commonZones)
	for _, z := range []string{name, st.OSZone} {
		if z != "" && !slices.Contains(st.Zones, z) {
			st.Zones = append(st.Zones, z)
		}
	}
	if kit, err := db.BrandKit(ctx); err == nil && kit.Country != "" {
		st.Country = kit.Country
	}
	raw, err := db.State(ctx, keySpecialties)
	if err != nil {
		return st, err
	}
	if raw != "" {
		if err := json.Unmarshal([]byte(raw), &st.Specialties); err != nil {
			st.Specialties = []string{}
		}
	}
	for _, sp := range calendar.Specialties {
		st.Choices = append(st.Choices, ChoiceView{sp, specialtyLabels[sp]})
	}
	return st, nil
}

// Settings returns the practice's zone and specialties.
func (s *CalendarService) Settings() (CalendarSettings, error) {
	return withDB(s.c, func(ctx context.Context, db *store.DB) (CalendarSettings, error) {
		return s.settings(ctx, db)
	})
}

// SaveSettings sets the practice's time zone and specialties. Posts
// already scheduled keep their wall-clock time in the zone they were
// scheduled in.
func (s *CalendarService) SaveSettings(zone string, specialties []string) (CalendarSettings, error) {
	ctx := context.Background()
	db, err := s.c.open(context.Background())
	if err != nil {
		return CalendarSettings{}, err
	}
	zone = strings.TrimSpace(zone)
	if _, err := time.LoadLocation(zone); err != nil || zone == "" || zone == "Local" || !strings.Contains(zone, "/") {
		return CalendarSettings{}, app.FieldError("zone", "Choose the practice's time zone from the list, for example Europe/London.")
	}
	clean := []string{}
	for _, sp := range specialties {
		if !slices.Contains(calendar.Specialties, sp) {
			return CalendarSettings{}, app.FieldError("specialties", "Choose specialties from the list.")
		}
		if !slices.Contains(clean, sp) {
			clean = append(clean, sp)
		}
	}
	tags, _ := json.Marshal(clean)
	err = db.Tx(ctx, func(tx *store.Tx) error {
		if err := tx.SetState(ctx, keyPracticeZone, zone); err != nil {
			return app.Internal(err, "PracticePost could not save the time zone.")
		}
		if err := tx.SetState(ctx, keySpecialties, string(tags)); err != nil {
			return app.Internal(err, "PracticePost could not save the specialties.")
		}
		return tx.Audit(ctx, "practice manager", "calendar.settings", "calendar", map[string]string{"zone": zone, "specialties": strings.Join(clean, ",")})
	})
	if err != nil {
		return CalendarSettings{}, err
	}
	s.c.Emit.Emit(EventDraftsChanged, nil)
	return s.settings(ctx, db)
}

// CalendarPost is one draft on the calendar.
type CalendarPost struct {
	ID        int64           `json:"id"`
	Title     string          `json:"title"`
	Start     string          `json:"start"` // wall-clock time in the practice's zone, "2026-03-30T09:00"
	Status    app.DraftStatus `json:"status"`
	Pillar    app.Pillar      `json:"pillar"`
	Channels  []string        `json:"channels"`
	Zone      string          `json:"zone"`
	LocalNote string          `json:"localNote"` // set when the post was planned in another zone
}

// AwarenessView is an awareness day in the range shown.
type AwarenessView struct {
	calendar.Occurrence
	Relevant bool `json:"relevant"` // matches the practice's specialties (or none are set)
}

// CalendarRange is what a month or week view shows.
type CalendarRange struct {
	Zone      string          `json:"zone"`
	Posts     []CalendarPost  `json:"posts"`
	Awareness []AwarenessView `json:"awareness"`
}

// draftTitle is what a calendar tile or list row shows for a draft.
func draftTitle(d app.Draft) string {
	if t := strings.TrimSpace(d.Title); t != "" {
		return t
	}
	body := strings.Join(strings.Fields(d.Body), " ")
	if body == "" {
		return "Untitled post"
	}
	if utf8.RuneCountInString(body) > 40 {
		r := []rune(body)
		return string(r[:40]) + "…"
	}
	return body
}

// Range lists the posts and awareness days between two dates (from
// inclusive, to exclusive, "2026-03-01"), in the practice's zone.
func (s *CalendarService) Range(from, to string) (CalendarRange, error) {
	return withDB(s.c, func(ctx context.Context, db *store.DB) (CalendarRange, error) {
		f, err1 := app.ParseCivilDate(from)
		t, err2 := app.ParseCivilDate(to)
		if err1 != nil || err2 != nil || !f.Before(t) {
			return CalendarRange{}, app.Errorf(app.EINVALID, "The calendar asked for an impossible date range. Reload the calendar.")
		}
		loc, zone := practiceZone(ctx, db)
		// Posts planned in another zone are placed by their instant (or their
		// wall-clock time if only planned), so the wider window catches them.
		drafts, err := db.ListDrafts(ctx, app.DraftFilter{From: calendar.AddDays(f, -1).String(), To: calendar.AddDays(t, 1).String(), Limit: 2000})
		if err != nil {
			return CalendarRange{}, err
		}
		out := CalendarRange{Zone: zone, Posts: []CalendarPost{}, Awareness: []AwarenessView{}}
		for _, d := range drafts {
			p := CalendarPost{ID: d.ID, Title: draftTitle(d), Start: d.LocalTime, Status: d.Status, Pillar: d.Pillar, Channels: d.Channels, Zone: d.Zone}
			if d.Zone != "" && d.Zone != zone && d.ScheduledAt != nil {
				p.Start = calendar.LocalOf(*d.ScheduledAt, loc).String()
				p.LocalNote = "Planned as " + strings.Replace(d.LocalTime, "T", " ", 1) + " " + d.Zone
			}
			if p.Start < f.String() || p.Start >= t.String() {
				continue
			}
			out.Posts = append(out.Posts, p)
		}
		st, err := s.settings(ctx, db)
		if err != nil {
			return CalendarRange{}, err
		}
		days, err := calendar.ShippedDays()
		if err != nil {
			return CalendarRange{}, app.Internal(err, "The awareness-day calendar in this copy of PracticePost is damaged. Reinstall it.")
		}
		for _, o := range calendar.Between(calendar.Filter(days, st.Country, nil), f, calendar.AddDays(t, -1)) {
			rel := len(st.Specialties) == 0 || slices.ContainsFunc(o.Specialties, func(sp string) bool { return slices.Contains(st.Specialties, sp) })
			out.Awareness = append(out.Awareness, AwarenessView{Occurrence: o, Relevant: rel})
		}
		return out, nil
	})
}

// AwarenessYear lists the year's awareness days for the practice's country.
func (s *CalendarService) AwarenessYear(year int) ([]AwarenessView, error) {
	if err := s.c.manager(); err != nil {
		return nil, err
	}
	if year < 2000 || year > 2100 {
		return nil, app.Errorf(app.EINVALID, "Choose a year between 2000 and 2100.")
	}
	r, err := s.Range(app.CivilDate{Year: year, Month: 1, Day: 1}.String(), app.CivilDate{Year: year + 1, Month: 1, Day: 1}.String())
	if err != nil {
		return nil, err
	}
	out := []AwarenessView{}
	for _, a := range r.Awareness {
		if a.Start.Year == year {
			out = append(out, a)
		}
	}
	return out, nil
}

// ideaSeeds turns the bundled ideas into library rows.
func ideaSeeds() ([]app.Idea, error) {
	ideas, err := calendar.StarterIdeas()
	if err != nil {
		return nil, app.Internal(err, "The ideas library in this copy of PracticePost is damaged. Reinstall it.")
	}
	out := make([]app.Idea, len(ideas))
	for i, x := range ideas {
		out[i] = app.Idea{SourceID: x.ID, Specialty: x.Specialty, Pillar: x.Pillar, Title: x.Title, Text: x.Text, Hashtags: x.Hashtags}
	}
	return out, nil
}

// Ideas returns the ideas library, creating it from the bundled starter
// posts the first time.
func (s *CalendarService) Ideas() ([]app.Idea, error) {
	ctx := context.Background()
	db, err := s.c.open(context.Background())
	if err != nil {
		return nil, err
	}
	seeds, err := ideaSeeds()
	if err != nil {
		return nil, err
	}
	if err := db.EnsureIdeas(ctx, seeds); err != nil {
		return nil, err
	}
	return db.Ideas(ctx)
}

// SaveIdea adds (ID 0) or edits an idea.
func (s *CalendarService) SaveIdea(i app.Idea) (app.Idea, error) {
	return withDB(s.c, func(ctx context.Context, db *store.DB) (app.Idea, error) {
		i.Title, i.Text = strings.TrimSpace(i.Title), strings.TrimSpace(i.Text)
		switch {
		case !slices.Contains(calendar.Specialties, i.Specialty):
			return i, app.FieldError("specialty", "Choose which kind of practice the idea is for.")
		case !slices.Contains(app.Pillars, i.Pillar):
			return i, app.FieldError("pillar", "Choose a content pillar.")
		case i.Title == "" || utf8.RuneCountInString(i.Title) > 120:
			return i, app.FieldError("title", "Give the idea a short title (up to 120 characters).")
		case i.Text == "" || utf8.RuneCountInString(i.Text) > 5000:
			return i, app.FieldError("text", "Write the starter text (up to 5,000 characters).")
		}
		tags, err := app.Hashtags(i.Hashtags)
		if err != nil {
			return i, err
		}
		i.Hashtags = tags
		return db.SaveIdea(ctx, i)
	})
}

// DeleteIdea removes an idea from the library.
func (s *CalendarService) DeleteIdea(id int64) error {
	return s.c.withDB(func(ctx context.Context, db *store.DB) error {
		return db.DeleteIdea(ctx, id)
	})
}
