package service

import (
	"bytes"
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"practicepost/app"
	"practicepost/app/insights"
	"practicepost/app/insights/collect"
	"practicepost/app/insights/report"
	"practicepost/app/publish"
	"practicepost/app/store"
)

// Insights events: a channel's reading progress, and "numbers changed".
const (
	EventInsightsProgress = collect.EventProgress
	EventInsightsUpdated  = "insights:updated"
)

// InsightsService shows what the published posts did, reads their numbers
// in the background while the app runs, and exports them.
type InsightsService struct {
	c    *Core
	lock *LockService
	ch   *ChannelService
	save SaveDialog

	// Options tune the collector; Clock, Emitter and OnNeedsReconnect are
	// filled in.
	Options collect.Options

	mu  sync.Mutex
	col *collect.Collector
	run worker
	wg  sync.WaitGroup
}

// NewInsightsService starts collecting when the data file opens.
func NewInsightsService(c *Core, lock *LockService, ch *ChannelService, save SaveDialog) *InsightsService {
	s := &InsightsService{c: c, lock: lock, ch: ch, save: save}
	c.Attach(s.start, s.stop)
	return s
}

func (s *InsightsService) start(bg context.Context) {
	db, err := s.c.DB()
	if err != nil {
		return
	}
	opt := s.Options
	if opt.Clock == nil {
		opt.Clock = s.c.Clock
	}
	opt.Emitter = insightsEmitter{s.c.Emit}
	opt.OnNeedsReconnect = s.ch.markNeedsReconnect
	if opt.Practice == nil {
		// Asked on every pass: a change of zone in Settings files the readings again.
		opt.Practice = func(ctx context.Context) (*time.Location, string) {
			loc, _ := practiceZone(ctx, db)
			country := "GB"
			if kit, err := db.BrandKit(ctx); err == nil && kit.Country != "" {
				country = kit.Country
			}
			return loc, country
		}
	}
	col := collect.New(db, s.ch, opt)
	s.mu.Lock()
	s.col = col
	s.mu.Unlock()
	s.run.start(bg, col.Run)
}

func (s *InsightsService) stop() {
	s.mu.Lock()
	s.col = nil
	s.mu.Unlock()
	s.run.stop()
	s.wg.Wait()
}

// insightsEmitter passes progress on and says "updated" when a channel is done.
type insightsEmitter struct{ e app.Emitter }

func (e insightsEmitter) Emit(name string, data any) {
	e.e.Emit(name, data)
	if p, ok := data.(collect.Progress); ok && p.Step != "reading" {
		e.e.Emit(EventInsightsUpdated, p.Channel)
	}
}

// InsightsQuery is the period and channels the page asks for.
type InsightsQuery struct {
	// Period: "7d", "30d", "90d" (ending today), "month" (Month), "custom" (From..To).
	Period   string   `json:"period"`
	Month    string   `json:"month"` // "2026-11"
	From     string   `json:"from"`  // "2026-11-01"
	To       string   `json:"to"`
	Channels []string `json:"channels"` // empty: all
}

// InsightsChannel is one channel on the page: its name, what its rate is
// divided by, and how reading its numbers went.
type InsightsChannel struct {
	ID        string    `json:"id"`
	Platform  string    `json:"platform"`
	Title     string    `json:"title"` // "Facebook"
	Name      string    `json:"name"`
	BasisNote string    `json:"basisNote"`
	LastOKAt  time.Time `json:"lastOkAt"` // zero: never read
	NextAt    time.Time `json:"nextAt"`
	Problem   string    `json:"problem"` // the last failure and what to do; "" when fine
	ErrorKind string    `json:"errorKind"`
	Note      string    `json:"note"`    // why some numbers are missing
	Reading   bool      `json:"reading"` // its numbers are being read now
}

// InsightsView is the Insights page.
type InsightsView struct {
	// Dashboard is a named field, not embedded: the binding generator
	// leaves out the types of an embedded struct's fields.
	Dashboard insights.Dashboard `json:"dashboard"`
	Label     string             `json:"label"` // "Last 30 days", "November 2026"
	Zone      string             `json:"zone"`
	Country   string             `json:"country"`
	Available []InsightsChannel  `json:"available"` // every connected channel, for the filter and status
	UpdatedAt time.Time          `json:"updatedAt"` // the newest successful reading; zero: none yet
	Now       time.Time          `json:"now"`
}

// period turns a query into practice-local days.
func (q InsightsQuery) period(now time.Time, loc *time.Location) (insights.Period, string, error) {
	today := now.In(loc)
	day := func(t time.Time) string { return t.Format(time.DateOnly) }
	last := func(n int) insights.Period {
		return insights.Period{From: day(today.AddDate(0, 0, -(n - 1))), To: day(today)}
	}
	switch q.Period {
	case "7d":
		return last(7), "Last 7 days", nil
	case "30d", "":
		return last(30), "Last 30 days", nil
	case "90d":
		return last(90), "Last 90 days", nil
	case "month":
		m, err := time.ParseInLocation("2006-01", q.Month, loc)
		if err != nil {
			return insights.Period{}, "", app.FieldError("month", "Choose a month from the list.")
		}
		return insights.Period{From: day(m), To: day(m.AddDate(0, 1, -1))}, m.Format("January 2006"), nil
	case "custom":
		f, err1 := time.ParseInLocation(time.DateOnly, q.From, loc)
		t, err2 := time.ParseInLocation(time.DateOnly, q.To, loc)
		if err1 != nil || err2 != nil {
			return insights.Period{}, "", app.FieldError("from", "Pick both a first and a last day.")
		}
		if t.Before(f) {
			return insights.Period{}, "", app.FieldError("to", "The last day is before the first day. Swap them.")
		}
		if t.Sub(f) > 3*366*24*time.Hour {
			return insights.Period{}, "", app.FieldError("from", "Pick a period of three years or less.")
		}
		return insights.Period{From: q.From, To: q.To}, "", nil
	}
	return insights.Period{}, "", app.Errorf(app.EINVALID, "Choose a period: last 7, 30 or 90 days, a month, or your own dates.")
}

// data is everything a dashboard or an export is computed from.
type insightsData struct {
	loc      *time.Location
	zone     string
	period   insights.Period
	label    string
	channels []app.Channel
	states   map[string]app.CollectState
	posts    []insights.Post
	snaps    []insights.Snapshot
	days     []insights.ChannelDay
	gains    []insights.DayPoint // nil for the export, which reads every reading
}

func (s *InsightsService) load(ctx context.Context, db *store.DB, q InsightsQuery, every bool) (insightsData, error) {
	var d insightsData
	d.loc, d.zone = practiceZone(ctx, db)
	var err error
	if d.period, d.label, err = q.period(s.c.Clock.Now(), d.loc); err != nil {
		return d, err
	}
	if d.label == "" {
		d.label = d.period.From + " to " + d.period.To
	}
	if d.channels, err = db.Channels(ctx); err != nil {
		return d, err
	}
	known := map[string]bool{}
	for _, c := range d.channels {
		known[c.ID] = true
	}
	for _, id := range q.Channels {
		if !known[id] {
			return d, app.Errorf(app.EINVALID, "A channel in the filter is not connected any more. Reload Insights.")
		}
	}
	states, err := db.CollectStates(ctx)
	if err != nil {
		return d, err
	}
	d.states = map[string]app.CollectState{}
	for _, st := range states {
		d.states[st.Channel] = st
	}
	if d.posts, err = db.InsightPosts(ctx); err != nil {
		return d, err
	}
	// The page needs each post's last reading before and in the period
	// (the period before's totals come from the first) and the daily gains;
	// the export needs every reading.
	if every {
		d.snaps, err = db.MetricSnapshots(ctx, d.period.From, d.period.To)
	} else {
		d.snaps, err = db.MetricLatest(ctx, d.period.From, d.period.To)
		if err == nil {
			d.gains, err = db.MetricDailyGains(ctx, d.period.From, d.period.To)
		}
	}
	if err != nil {
		return d, err
	}
	d.days, err = db.ChannelDays(ctx, d.period.To)
	return d, err
}

// Dashboard computes the Insights page for a period and channels.
func (s *InsightsService) Dashboard(q InsightsQuery) (InsightsView, error) {
	return withDB(s.c, func(ctx context.Context, db *store.DB) (InsightsView, error) {
		d, err := s.load(ctx, db, q, false)
		if err != nil {
			return InsightsView{}, err
		}
		in := insights.Input{Period: d.period, Loc: d.loc, Posts: d.posts, Snapshots: d.snaps, Days: d.days, Gains: d.gains}
		want := map[string]bool{}
		for _, id := range q.Channels {
			want[id] = true
		}
		v := InsightsView{Label: d.label, Zone: d.zone, Country: "GB", Available: []InsightsChannel{}, Now: s.c.Clock.Now()}
		if kit, err := db.BrandKit(ctx); err == nil && kit.Country != "" {
			v.Country = kit.Country
		}
		busy := map[string]bool{}
		s.mu.Lock()
		if s.col != nil {
			for _, id := range s.col.Busy() {
				busy[id] = true
			}
		}
		s.mu.Unlock()
		for _, c := range d.channels {
			st := d.states[c.ID]
			ic := InsightsChannel{ID: c.ID, Platform: c.Platform, Title: publish.Platform(c.Platform).Title(), Name: c.Name,
				BasisNote: insights.RateBasis[c.Platform].Note, LastOKAt: st.LastOKAt, NextAt: st.NextAt,
				Problem: st.ErrorMessage, ErrorKind: st.ErrorKind, Note: st.Note, Reading: busy[c.ID]}
			if c.NeedsReconnect && ic.Problem == "" {
				ic.Problem = fmt.Sprintf("%s needs reconnecting before its numbers can be read. Open Channels and click Reconnect.", ic.Title)
			}
			v.Available = append(v.Available, ic)
			if st.LastOKAt.After(v.UpdatedAt) {
				v.UpdatedAt = st.LastOKAt
			}
			if len(want) == 0 || want[c.ID] {
				in.Channels = append(in.Channels, insights.Channel{ID: c.ID, Platform: c.Platform, Name: ic.Title + " · " + c.Name})
			}
		}
		if len(want) == 0 {
			// A channel disconnected since keeps its history on the page.
			seen := map[string]bool{}
			for _, c := range in.Channels {
				seen[c.ID] = true
			}
			for _, p := range d.posts {
				if !seen[p.Channel] {
					seen[p.Channel] = true
					in.Channels = append(in.Channels, insights.Channel{ID: p.Channel, Platform: p.Platform,
						Name: publish.Platform(p.Platform).Title() + " · no longer connected"})
				}
			}
		}
		v.Dashboard = insights.Compute(in)
		return v, nil
	})
}

// Refresh reads every channel whose numbers are older than half an hour,
// in the background (opening Insights calls it). Progress arrives as
// insights:progress events, and insights:updated as each channel is done.
func (s *InsightsService) Refresh() error {
	if err := s.c.manager(); err != nil {
		return err
	}
	s.mu.Lock()
	col := s.col
	if col != nil {
		s.wg.Add(1)
	}
	s.mu.Unlock()
	if col == nil {
		return app.Errorf(app.EUNAVAILABLE, "PracticePost is still starting. Try again in a moment.")
	}
	go func() {
		defer s.wg.Done()
		if _, err := col.Collect(context.Background(), true); err != nil {
			logError("insights refresh", err)
		}
	}()
	return nil
}

// ExportCSV saves every metric of the period and channels as a CSV file
// where the practice manager chooses. "" when the dialog was cancelled.
func (s *InsightsService) ExportCSV(q InsightsQuery) (string, error) {
	return withDB(s.c, func(ctx context.Context, db *store.DB) (string, error) {
		d, err := s.load(ctx, db, q, true)
		if err != nil {
			return "", err
		}
		var buf bytes.Buffer
		if err := insights.WriteCSV(&buf, d.posts, d.snaps, d.days, q.Channels, d.period, d.loc); err != nil {
			return "", app.Internal(err, "PracticePost could not write the CSV file.")
		}
		if s.save == nil {
			return "", app.Errorf(app.EUNAVAILABLE, "Saving files is not available in this window. Restart PracticePost and try again.")
		}
		name := fmt.Sprintf("PracticePost insights %s to %s.csv", d.period.From, d.period.To)
		path, err := savePath(s.save, "Save the Insights numbers", name, "CSV files (*.csv)", "*.csv")
		if err != nil || path == "" {
			return "", err
		}
		if err := saveChosen(path, buf.Bytes(), "CSV file", "On Insights, click Export CSV again"); err != nil {
			return "", err
		}
		return path, nil
	})
}

// PostNumbers are one post's readings on each channel it went to.
type PostNumbers struct {
	Channel  string              `json:"channel"`
	Platform string              `json:"platform"`
	Title    string              `json:"title"` // "Facebook"
	URL      string              `json:"url"`
	Note     string              `json:"note"` // "Google gives no numbers per post" etc.
	Readings []insights.Snapshot `json:"readings"`
	Latest   *insights.Snapshot  `json:"latest"`
}

// Post returns the numbers of a draft's published posts, per channel.
func (s *InsightsService) Post(draftID int64) ([]PostNumbers, error) {
	return withDB(s.c, func(ctx context.Context, db *store.DB) ([]PostNumbers, error) {
		posts, err := db.InsightPosts(ctx)
		if err != nil {
			return nil, err
		}
		id := fmt.Sprint(draftID)
		out := []PostNumbers{}
		var jobs []int64
		for _, p := range posts {
			if p.DraftID == id {
				jobs = append(jobs, p.JobID)
				out = append(out, PostNumbers{Channel: p.Channel, Platform: p.Platform, Title: publish.Platform(p.Platform).Title(), URL: p.URL, Readings: []insights.Snapshot{}})
			}
		}
		snaps, err := db.PostSnapshots(ctx, jobs...)
		if err != nil {
			return nil, err
		}
		for i, job := range jobs {
			for _, sn := range snaps {
				if sn.JobID == job {
					out[i].Readings = append(out[i].Readings, sn)
				}
			}
			if n := len(out[i].Readings); n > 0 {
				last := out[i].Readings[n-1]
				out[i].Latest = &last
			} else if d, _ := app.Platform(out[i].Platform).Info(); !d.PostMetrics {
				out[i].Note = d.Title + " gives no numbers per post; see the location totals on the Insights page."
			} else {
				out[i].Note = "No numbers yet. They are read every few hours while PracticePost is open."
			}
		}
		sort.SliceStable(out, func(i, j int) bool { return out[i].Title < out[j].Title })
		return out, nil
	})
}

// MonthlyReport saves the one-page PDF for a calendar month ("2026-11")
// where the practice manager chooses: headline numbers against the month
// before, the charts, the best posts and what to try next. "" when the
// dialog was cancelled.
func (s *InsightsService) MonthlyReport(month string) (string, error) {
	return withDB(s.c, func(ctx context.Context, db *store.DB) (string, error) {
		v, err := s.Dashboard(InsightsQuery{Period: "month", Month: month})
		if err != nil {
			return "", err
		}
		loc, _ := practiceZone(ctx, db)
		m, _ := time.ParseInLocation("2006-01", month, loc)
		name := "Your practice"
		if kit, err := db.BrandKit(ctx); err == nil && strings.TrimSpace(kit.PracticeName) != "" {
			name = kit.PracticeName
		}
		b, err := report.PDF(report.Input{Practice: name, Country: v.Country, Month: m, Made: s.c.Clock.Now(), Zone: loc, D: v.Dashboard})
		if err != nil {
			return "", err
		}
		if s.save == nil {
			return "", app.Errorf(app.EUNAVAILABLE, "Saving files is not available in this window. Restart PracticePost and try again.")
		}
		path, err := savePath(s.save, "Save the monthly report", fmt.Sprintf("PracticePost report %s.pdf", month), "PDF documents (*.pdf)", "*.pdf")
		if err != nil || path == "" {
			return "", err
		}
		if err := saveChosen(path, b, "report", "On Insights, click Monthly report again"); err != nil {
			return "", err
		}
		return path, nil
	})
}
