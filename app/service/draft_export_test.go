package service

import (
	"context"

	"practicepost/app"
	"practicepost/app/store"
)

// DraftConsentIDs exposes draftConsentIDs to the package's external tests.
func DraftConsentIDs(ctx context.Context, db *store.DB, d app.Draft) ([]string, error) {
	return draftConsentIDs(ctx, db, d)
}
