package store

import (
	"context"
	"slices"
	"time"

	"practicepost/app"
)

// StoppedConsents lists by id the consents withdrawn and, apart from
// those, the ones whose newest hold stands at moment: what the publishing
// queue replays when it starts. It reads no consent record, so a practice
// with thousands of consents pays no unsealing for it at every start
// (reading them all took most of a second of a cold start).
func (d *DB) StoppedConsents(ctx context.Context, moment time.Time) (withdrawn, held []int64, err error) {
	err = d.read(func(q querier) error {
		var err error
		if withdrawn, err = queryIDs(ctx, q, "SELECT consent_id FROM consent_revocations ORDER BY consent_id"); err != nil {
			return err
		}
		holds, err := d.latestHolds(ctx, q, nil)
		if err != nil {
			return err
		}
		// A set, so a practice with many withdrawals does not search the
		// list once per hold.
		gone := make(map[int64]bool, len(withdrawn))
		for _, id := range withdrawn {
			gone[id] = true
		}
		for id, h := range holds {
			if h.Active(moment) && !gone[id] {
				held = append(held, id)
			}
		}
		slices.Sort(held)
		return nil
	})
	if err != nil {
		return nil, nil, app.Internal(err, "PracticePost could not read which consents are withdrawn or on hold.")
	}
	return withdrawn, held, nil
}
