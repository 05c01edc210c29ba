package service

import (
	"context"
	"slices"
	"strconv"

	"practicepost/app"
	"practicepost/app/gate"
	"practicepost/app/store"
)

// DraftConsentIDs lists the consents the gate finds a draft's posts rely
// on, on any of its channels, for the package's external tests.
func DraftConsentIDs(ctx context.Context, db *store.DB, d app.Draft) ([]string, error) {
	now := db.Clock.Now()
	dr, err := gate.New().Draft(ctx, db, d, now, now)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, r := range dr.Results {
		for _, id := range r.Relied {
			if s := strconv.FormatInt(id, 10); !slices.Contains(out, s) {
				out = append(out, s)
			}
		}
	}
	return out, nil
}
