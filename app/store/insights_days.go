package store

import (
	"context"
	"time"

	"practicepost/app"
)

// keyMetricsZone is the zone the daily metric rows are filed in: readings
// are filed under the practice's day (they were once filed under the UTC
// day: unset), so a change of zone files them again.
const keyMetricsZone = "insights.days_zone"

// FileMetricsIn files every daily reading under its day in loc, the
// practice's zone, if they are not filed so already, and works out every
// daily gain again by the current rule (see setGains). Only a row filed by
// the rule of the time (its reading's day in the zone filed in before,
// UTC at first) moves; readings that land on the same day keep the day's
// last; a post's monthly rollups and Google's location days (which carry
// the platform's own day) stay as they are. It reports whether anything
// was to do. Idempotent, one transaction.
func (tx *Tx) FileMetricsIn(ctx context.Context, loc *time.Location) (bool, error) {
	zone := loc.String()
	was, err := tx.State(ctx, keyMetricsZone)
	if err != nil || was == zone {
		return false, err
	}
	before := time.UTC
	if l, err := time.LoadLocation(was); was != "" && err == nil {
		before = l
	}
	fail := func(err error) (bool, error) {
		return false, app.Internal(err, "PracticePost could not file the Insights numbers under your practice's days.")
	}
	// Posts' readings.
	if err := tx.refile(ctx, before, loc, `SELECT job_id, day, at, grain = 'day' FROM metric_snapshots`, "metric_snapshots", "job_id"); err != nil {
		return fail(err)
	}
	if err := tx.setGains(ctx, "1"); err != nil {
		return fail(err)
	}
	// Channels' follower counts (a row with location figures is Google's own day).
	if err := tx.refile(ctx, before, loc, `SELECT channel, day, at, grain = 'day' AND followers IS NOT NULL AND views IS NULL
			AND clicks IS NULL AND calls IS NULL AND directions IS NULL FROM channel_metrics`, "channel_metrics", "channel"); err != nil {
		return fail(err)
	}
	if err := tx.SetState(ctx, keyMetricsZone, zone); err != nil {
		return fail(err)
	}
	return true, nil
}

// refile moves the movable rows of table (query lists key, day, at,
// movable) filed under their at's day in before to its day in loc. Of movable rows landing on one
// day, the last read stays; a row landing on a day a fixed row holds stays
// where it is.
func (tx *Tx) refile(ctx context.Context, before, loc *time.Location, query, table, key string) error {
	type row struct {
		key     string // job_id as text, or channel
		day, to string
		at      time.Time
		movable bool
	}
	rows, err := tx.QueryContext(ctx, query)
	if err != nil {
		return err
	}
	var all []row
	for rows.Next() {
		var r row
		var at string
		if err := rows.Scan(&r.key, &r.day, &at, &r.movable); err != nil {
			rows.Close()
			return err
		}
		if r.at, err = parseTime(at); err != nil {
			rows.Close()
			return err
		}
		r.movable = r.movable && r.day == r.at.In(before).Format(time.DateOnly)
		r.to = r.day
		if r.movable {
			r.to = r.at.In(loc).Format(time.DateOnly)
		}
		all = append(all, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	type slot struct{ key, day string }
	fixed := map[slot]bool{}
	for _, r := range all {
		if !r.movable {
			fixed[slot{r.key, r.day}] = true
		}
	}
	keep := map[slot]int{} // the movable row staying at each slot
	for i, r := range all {
		if !r.movable {
			continue
		}
		s := slot{r.key, r.to}
		if fixed[s] {
			all[i].to = r.day // stays
			s = slot{r.key, r.day}
		}
		if j, ok := keep[s]; !ok || all[j].at.Before(r.at) {
			keep[s] = i
		}
	}
	del := `DELETE FROM ` + table + ` WHERE ` + key + ` = ? AND day = ?`
	mov := `UPDATE ` + table + ` SET day = ? WHERE ` + key + ` = ? AND day = ?`
	for i, r := range all {
		if !r.movable {
			continue
		}
		if keep[slot{r.key, r.to}] != i {
			if _, err := tx.ExecContext(ctx, del, r.key, r.day); err != nil {
				return err
			}
		} else if r.to != r.day {
			// Through a day no row has, so no move meets a row yet to move.
			if _, err := tx.ExecContext(ctx, mov, "~"+r.to, r.key, r.day); err != nil {
				return err
			}
		}
	}
	_, err = tx.ExecContext(ctx, `UPDATE `+table+` SET day = substr(day, 2) WHERE day LIKE '~%'`)
	return err
}
