package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"
	"time"
	"unicode/utf8"

	"practicepost/app"
	"practicepost/app/insights"
)

// Insights storage: metric snapshots per post per day, each channel's own
// daily figures, and the collector's state per channel. Counts and dates
// only; no patient data.

// MetricsKeepDaily is how long daily rows are kept before they are rolled
// up to one row per month.
const MetricsKeepDaily = 2 // years

// SaveMetricSnapshot stores a post's reading for its day, replacing an
// earlier reading of the same day (the counters are cumulative, so the
// day's last reading is the day's figure). The day is the practice's: s.Day,
// or else the day of s.At in At's own zone, so the collector passes At in
// the practice's zone (a New York evening reading is that evening's, not
// the next UTC day's).
func (tx *Tx) SaveMetricSnapshot(ctx context.Context, s insights.Snapshot) error {
	if s.At.IsZero() {
		s.At = tx.now
	}
	if s.Day == "" {
		s.Day = s.At.Format(time.DateOnly)
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO metric_snapshots (job_id, day, grain, at, reactions, comments, shares, quotes, saves, views, reach, clicks)
		VALUES (?, ?, 'day', ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (job_id, day) DO UPDATE SET at = excluded.at, reactions = excluded.reactions, comments = excluded.comments,
			shares = excluded.shares, quotes = excluded.quotes, saves = excluded.saves, views = excluded.views,
			reach = excluded.reach, clicks = excluded.clicks`,
		s.JobID, s.Day, formatTime(s.At), s.Reactions, s.Comments, s.Shares, s.Quotes, s.Saves, nullInt(s.Views), nullInt(s.Reach), nullInt(s.Clicks))
	if err != nil {
		return app.Internal(err, "PracticePost could not save the numbers it read for a post.")
	}
	// This day's gain, and the later readings' should any be stored already
	// (a late reading can raise the highest they are measured against).
	if err := tx.setGains(ctx, "s.job_id = ?2 AND s.day >= ?3", s.JobID, s.Day); err != nil {
		return app.Internal(err, "PracticePost could not save the numbers it read for a post.")
	}
	return nil
}

// setGains works out the gain of the daily readings matching where (over
// metric_snapshots s; its arguments from ?2 on) by the rule of insights'
// daily series: the rise above the post's highest earlier reading, so a
// fall counts as 0 and a recount down and back up is not counted twice (a
// missing views figure counts as 0); a post's first reading counts whole
// only within insights.FirstReadingGain of the post going out, else 0.
func (tx *Tx) setGains(ctx context.Context, where string, args ...any) error {
	_, err := tx.ExecContext(ctx, `UPDATE metric_snapshots AS s SET
			gain = COALESCE(
				MAX(s.reactions + s.comments + s.shares + s.quotes + s.saves - (SELECT MAX(reactions + comments + shares + quotes + saves)
					FROM metric_snapshots e WHERE e.job_id = s.job_id AND e.day < s.day), 0),
				IIF(`+firstFresh+`, s.reactions + s.comments + s.shares + s.quotes + s.saves, 0)),
			gain_views = COALESCE(
				MAX(COALESCE(s.views, 0) - (SELECT MAX(COALESCE(views, 0)) FROM metric_snapshots e WHERE e.job_id = s.job_id AND e.day < s.day), 0),
				IIF(`+firstFresh+`, COALESCE(s.views, 0), 0))
		WHERE s.grain = 'day' AND `+where, append([]any{insights.FirstReadingGain.Hours() / 24}, args...)...)
	return err
}

// firstFresh: reading s came within ?1 days of its post going out.
const firstFresh = `julianday(s.at) - julianday((SELECT published_at FROM publish_jobs WHERE id = s.job_id)) <= ?1`

// SaveChannelDay stores a channel's figures for one day. Fields left nil
// keep what an earlier reading that day stored.
func (tx *Tx) SaveChannelDay(ctx context.Context, d insights.ChannelDay, at time.Time) error {
	if at.IsZero() {
		at = tx.now
	}
	if d.Day == "" {
		d.Day = at.Format(time.DateOnly) // the practice's day: see SaveMetricSnapshot
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO channel_metrics (channel, day, grain, at, followers, views, clicks, calls, directions)
		VALUES (?, ?, 'day', ?, ?, ?, ?, ?, ?)
		ON CONFLICT (channel, day) DO UPDATE SET at = excluded.at,
			followers = COALESCE(excluded.followers, followers), views = COALESCE(excluded.views, views),
			clicks = COALESCE(excluded.clicks, clicks), calls = COALESCE(excluded.calls, calls),
			directions = COALESCE(excluded.directions, directions)`,
		d.Channel, d.Day, formatTime(at), nullInt(d.Followers), nullInt(d.Views), nullInt(d.Clicks), nullInt(d.Calls), nullInt(d.Directions))
	if err != nil {
		return app.Internal(err, "PracticePost could not save a channel's numbers.")
	}
	return nil
}

const snapshotColumns = "job_id, day, grain, at, reactions, comments, shares, quotes, saves, views, reach, clicks"

func scanSnapshot(sc scanner) (insights.Snapshot, error) {
	var s insights.Snapshot
	var grain, at string
	var views, reach, clicks sql.NullInt64
	if err := sc.Scan(&s.JobID, &s.Day, &grain, &at, &s.Reactions, &s.Comments, &s.Shares, &s.Quotes, &s.Saves, &views, &reach, &clicks); err != nil {
		return s, err
	}
	var err error
	if s.At, err = parseTime(at); err != nil {
		return s, err
	}
	s.Month = grain == "month"
	s.Views, s.Reach, s.Clicks = intPtr(views), intPtr(reach), intPtr(clicks)
	return s, nil
}

// MetricSnapshots returns what a dashboard for the days from..to needs:
// every reading in that range, and each post's last reading before it (the
// first day's gain, the period before's totals, posts quiet in the range).
// Days are "2006-01-02". At is left zero (the aggregation and the export
// work by day), and the rows come in no particular order: both sort what
// they need, and sorting two years of readings here would double the
// export's time.
func (d *DB) MetricSnapshots(ctx context.Context, from, to string) ([]insights.Snapshot, error) {
	return readAll(ctx, d, "PracticePost could not read the Insights numbers.", scanDaySnapshot,
		// NOT INDEXED: one pass over the table beats a primary-key seek for
		// every row the day index finds, when the range is most of it (exports).
		// The last readings before are looked up once per post (materialized),
		// not once per reading.
		`WITH l AS MATERIALIZED (
			SELECT j.id AS jid, (SELECT day FROM metric_snapshots WHERE job_id = j.id AND day < ?1 ORDER BY job_id DESC, day DESC LIMIT 1) AS d
			FROM publish_jobs j)
		SELECT `+daySnapshotColumns+` FROM metric_snapshots NOT INDEXED WHERE day >= ?1 AND day <= ?2
		UNION ALL
		SELECT `+daySnapshotColumns+` FROM l JOIN metric_snapshots s ON s.job_id = l.jid AND s.day = l.d`, from, to)
}

// MetricLatest returns, for every post, its last reading before from and
// its last reading from..to: all a dashboard needs besides the daily gains.
func (d *DB) MetricLatest(ctx context.Context, from, to string) ([]insights.Snapshot, error) {
	return readAll(ctx, d, "PracticePost could not read the Insights numbers.", scanDaySnapshot,
		// One primary-key seek per post for its last reading up to to. Most
		// posts of two years were last read before the period, and then that
		// reading is also their last before it; only the posts read in the
		// period need a second seek, for the reading before it.
		// CROSS JOIN keeps that order: left to itself, SQLite (no statistics
		// in the file) scans every reading and looks each up in the list,
		// which was most of the dashboard's time.
		`WITH l AS MATERIALIZED (
			-- ordered by the primary key so each lookup walks one post's readings, not the day index
			SELECT j.id AS jid, (SELECT day FROM metric_snapshots WHERE job_id = j.id AND day <= ?2 ORDER BY job_id DESC, day DESC LIMIT 1) AS d FROM publish_jobs j)
		SELECT `+daySnapshotColumns+` FROM (
			SELECT jid, d FROM l
			UNION ALL
			SELECT jid, (SELECT day FROM metric_snapshots WHERE job_id = l.jid AND day < ?1 ORDER BY job_id DESC, day DESC LIMIT 1) FROM l WHERE d >= ?1) b
		CROSS JOIN metric_snapshots s ON s.job_id = b.jid AND s.day = b.d
		ORDER BY job_id, day`, from, to)
}

// MetricDailyGains is what each channel gained each day from..to: the rise
// of every post's counters since its reading before, a fall counting as 0
// (the rule of insights' own daily series, which a test holds it to). The
// gains are kept with each reading as it is saved, and summed per channel
// and day by triggers (migration 0015), so a 90-day dashboard reads one row
// per channel and day instead of every reading of the period.
func (d *DB) MetricDailyGains(ctx context.Context, from, to string) ([]insights.DayPoint, error) {
	return readAll(ctx, d, "PracticePost could not read the Insights numbers.", func(sc scanner) (insights.DayPoint, error) {
		var p insights.DayPoint
		err := sc.Scan(&p.Day, &p.Channel, &p.Interactions, &p.Views)
		return p, err
	}, `SELECT day, channel, gain, gain_views FROM metric_channel_gains
		WHERE day >= ? AND day <= ? ORDER BY day, channel`, from, to)
}

const daySnapshotColumns = "job_id, day, grain, reactions, comments, shares, quotes, saves, views, reach, clicks"

func scanDaySnapshot(sc scanner) (insights.Snapshot, error) {
	var s insights.Snapshot
	var grain string
	var views, reach, clicks sql.NullInt64
	err := sc.Scan(&s.JobID, &s.Day, &grain, &s.Reactions, &s.Comments, &s.Shares, &s.Quotes, &s.Saves, &views, &reach, &clicks)
	s.Month = grain == "month"
	s.Views, s.Reach, s.Clicks = intPtr(views), intPtr(reach), intPtr(clicks)
	return s, err
}

// PostSnapshots returns every reading of the given publish jobs, oldest first.
func (d *DB) PostSnapshots(ctx context.Context, jobIDs ...int64) ([]insights.Snapshot, error) {
	if len(jobIDs) == 0 {
		return []insights.Snapshot{}, nil
	}
	args := make([]any, len(jobIDs))
	for i, id := range jobIDs {
		args[i] = id
	}
	return readAll(ctx, d, "PracticePost could not read this post's numbers.", scanSnapshot,
		`SELECT `+snapshotColumns+` FROM metric_snapshots WHERE job_id IN (?`+strings.Repeat(",?", len(jobIDs)-1)+`) ORDER BY job_id, day`, args...)
}

// ChannelDays returns every channel's daily figures up to and including to.
func (d *DB) ChannelDays(ctx context.Context, to string) ([]insights.ChannelDay, error) {
	return readAll(ctx, d, "PracticePost could not read the channels' numbers.", func(sc scanner) (insights.ChannelDay, error) {
		var c insights.ChannelDay
		var f, v, cl, ca, di sql.NullInt64
		err := sc.Scan(&c.Channel, &c.Day, &f, &v, &cl, &ca, &di)
		c.Followers, c.Views, c.Clicks, c.Calls, c.Directions = intPtr(f), intPtr(v), intPtr(cl), intPtr(ca), intPtr(di)
		return c, err
	}, `SELECT channel, day, followers, views, clicks, calls, directions FROM channel_metrics WHERE day <= ? ORDER BY channel, day`, to)
}

// InsightPosts lists the posts that went out (published, with the
// platform's id), with what the draft says about them: title, pillar,
// awareness day, whether a testimonial is in it, its first image.
func (d *DB) InsightPosts(ctx context.Context) ([]insights.Post, error) {
	return readAll(ctx, d, "PracticePost could not read the published posts.", func(sc scanner) (insights.Post, error) {
		var p insights.Post
		var published sql.NullString
		var text, media, tids string
		var title, pillar, awareness sql.NullString
		var takedown string
		var draft int64 // 0 when the post came from no draft, or one no longer kept
		if err := sc.Scan(&p.JobID, &p.DraftID, &p.Channel, &p.Platform, &p.URL, &p.RemoteID, &takedown, &published,
			d.text("publish_jobs", "text", &p.JobID, &text), &media, &tids,
			&draft, d.nullText("drafts", "title", &draft, &title), &pillar, &awareness); err != nil {
			return p, err
		}
		if published.Valid {
			t, err := parseTime(published.String)
			if err != nil {
				return p, err
			}
			p.PublishedAt = t
		}
		p.Title = postTitle(title.String, text)
		p.Removed = takedown != ""
		p.Pillar, p.AwarenessID = app.Pillar(pillar.String), awareness.String
		var ids []int64
		if json.Unmarshal([]byte(tids), &ids) == nil && len(ids) > 0 {
			p.Testimonial = true
		}
		var ms []app.PublishMedia
		if json.Unmarshal([]byte(media), &ms) == nil {
			// The thumbnail is the image this post carried, in its platform's size.
			if ms = app.MediaFor(ms, p.Platform); len(ms) > 0 {
				p.Thumb = ms[0].SHA256
			}
		}
		return p, nil
	}, `SELECT j.id, r.draft_id, j.channel, j.platform, j.remote_url, j.remote_id, j.takedown, j.published_at, j.text, r.media, r.testimonials,
			COALESCE(d.id, 0), d.title, d.pillar, d.awareness_id
		FROM publish_jobs j JOIN publish_requests r ON r.id = j.request_id
		LEFT JOIN drafts d ON r.draft_id != '' AND d.id = CAST(r.draft_id AS INTEGER)
		WHERE j.state = 'published' AND j.remote_id != '' ORDER BY j.published_at`)
}

// postTitle is the draft's title, else the start of the text as sent.
func postTitle(title, text string) string {
	if t := strings.TrimSpace(title); t != "" {
		return t
	}
	t := strings.Join(strings.Fields(text), " ")
	if utf8.RuneCountInString(t) > 60 {
		r := []rune(t)
		t = strings.TrimSpace(string(r[:57])) + "…"
	}
	if t == "" {
		return "Post without text"
	}
	return t
}

// CollectStates lists the collector's record of every channel it has read.
func (d *DB) CollectStates(ctx context.Context) ([]app.CollectState, error) {
	return readAll(ctx, d, "PracticePost could not read when the Insights numbers were last updated.", func(sc scanner) (app.CollectState, error) {
		var c app.CollectState
		var next, ok, try sql.NullString
		var updated string
		if err := sc.Scan(&c.Channel, &c.Platform, &next, &ok, &try, &c.ErrorKind, &c.ErrorCode, &c.ErrorMessage, &c.Note, &c.Failures, &c.PostsRead, &updated); err != nil {
			return c, err
		}
		var err error
		for _, f := range []struct {
			s sql.NullString
			t *time.Time
		}{{next, &c.NextAt}, {ok, &c.LastOKAt}, {try, &c.LastTryAt}} {
			if f.s.Valid {
				if *f.t, err = parseTime(f.s.String); err != nil {
					return c, err
				}
			}
		}
		c.UpdatedAt, err = parseTime(updated)
		return c, err
	}, `SELECT channel, platform, next_at, last_ok_at, last_try_at, error_kind, error_code, error_message, note, failures, posts_read, updated_at
		FROM metric_collection ORDER BY channel`)
}

// SaveCollectState writes the collector's record of one channel.
func (tx *Tx) SaveCollectState(ctx context.Context, c app.CollectState) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO metric_collection (channel, platform, next_at, last_ok_at, last_try_at, error_kind, error_code,
			error_message, note, failures, posts_read, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (channel) DO UPDATE SET platform = excluded.platform, next_at = excluded.next_at, last_ok_at = excluded.last_ok_at,
			last_try_at = excluded.last_try_at, error_kind = excluded.error_kind, error_code = excluded.error_code,
			error_message = excluded.error_message, note = excluded.note, failures = excluded.failures,
			posts_read = excluded.posts_read, updated_at = excluded.updated_at`,
		c.Channel, c.Platform, nullTime(c.NextAt), nullTime(c.LastOKAt), nullTime(c.LastTryAt), c.ErrorKind, c.ErrorCode,
		c.ErrorMessage, c.Note, c.Failures, c.PostsRead, formatTime(tx.now))
	if err != nil {
		return app.Internal(err, "PracticePost could not save how reading the Insights numbers went.")
	}
	return nil
}

// RollupMetrics keeps daily rows for MetricsKeepDaily years before now and
// rolls older ones up to one row per month: a post keeps its month's last
// reading (its counters are cumulative); a channel keeps its month's last
// follower count and the sums of its daily location counts. Only whole
// months are rolled up, so a month is never half daily, half monthly. It
// returns how many rows were folded away.
func (tx *Tx) RollupMetrics(ctx context.Context, now time.Time) (int64, error) {
	y, m, _ := now.UTC().AddDate(-MetricsKeepDaily, 0, 0).Date()
	cutoff := time.Date(y, m, 1, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
	fail := func(err error) (int64, error) {
		return 0, app.Internal(err, "PracticePost could not tidy up old Insights numbers.")
	}
	var folded int64
	// The kept (last) reading of each month carries the month's gains.
	if _, err := tx.ExecContext(ctx, `UPDATE metric_snapshots AS keep SET
			gain = (SELECT SUM(gain) FROM metric_snapshots m WHERE m.job_id = keep.job_id AND substr(m.day, 1, 7) = substr(keep.day, 1, 7)),
			gain_views = (SELECT SUM(gain_views) FROM metric_snapshots m WHERE m.job_id = keep.job_id AND substr(m.day, 1, 7) = substr(keep.day, 1, 7))
		WHERE grain = 'day' AND day < ?1 AND day = (SELECT MAX(day) FROM metric_snapshots l WHERE l.job_id = keep.job_id AND substr(l.day, 1, 7) = substr(keep.day, 1, 7))`, cutoff); err != nil {
		return fail(err)
	}
	res, err := tx.ExecContext(ctx, `DELETE FROM metric_snapshots WHERE grain = 'day' AND day < ?1 AND day < (
			SELECT MAX(day) FROM metric_snapshots l WHERE l.job_id = metric_snapshots.job_id AND substr(l.day, 1, 7) = substr(metric_snapshots.day, 1, 7))`, cutoff)
	if err != nil {
		return fail(err)
	}
	n, _ := res.RowsAffected()
	folded += n
	if _, err := tx.ExecContext(ctx, `UPDATE metric_snapshots SET grain = 'month' WHERE grain = 'day' AND day < ?`, cutoff); err != nil {
		return fail(err)
	}

	// Channels: sum a month's daily counts into its last row, then drop the rest.
	if _, err := tx.ExecContext(ctx, `UPDATE channel_metrics AS keep SET
			views = (SELECT SUM(views) FROM channel_metrics m WHERE m.channel = keep.channel AND substr(m.day, 1, 7) = substr(keep.day, 1, 7)),
			clicks = (SELECT SUM(clicks) FROM channel_metrics m WHERE m.channel = keep.channel AND substr(m.day, 1, 7) = substr(keep.day, 1, 7)),
			calls = (SELECT SUM(calls) FROM channel_metrics m WHERE m.channel = keep.channel AND substr(m.day, 1, 7) = substr(keep.day, 1, 7)),
			directions = (SELECT SUM(directions) FROM channel_metrics m WHERE m.channel = keep.channel AND substr(m.day, 1, 7) = substr(keep.day, 1, 7)),
			followers = (SELECT followers FROM channel_metrics m WHERE m.channel = keep.channel AND substr(m.day, 1, 7) = substr(keep.day, 1, 7)
				AND m.followers IS NOT NULL ORDER BY m.day DESC LIMIT 1),
			grain = 'month'
		WHERE grain = 'day' AND day < ?1 AND day = (SELECT MAX(day) FROM channel_metrics l WHERE l.channel = keep.channel AND substr(l.day, 1, 7) = substr(keep.day, 1, 7))`, cutoff); err != nil {
		return fail(err)
	}
	res, err = tx.ExecContext(ctx, `DELETE FROM channel_metrics WHERE grain = 'day' AND day < ?`, cutoff)
	if err != nil {
		return fail(err)
	}
	n, _ = res.RowsAffected()
	return folded + n, nil
}

func nullInt(p *int) any {
	if p == nil {
		return nil
	}
	return *p
}

func intPtr(n sql.NullInt64) *int {
	if !n.Valid {
		return nil
	}
	v := int(n.Int64)
	return &v
}
