package service

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"practicepost/app"
	"practicepost/app/consent"
	"practicepost/app/store"
)

// RevokeResult is what the manager sees after recording a withdrawal.
type RevokeResult struct {
	Consent           ConsentView       `json:"consent"`
	InWritingRequired bool              `json:"inWritingRequired"`
	Takedown          []app.Publication `json:"takedown"`
}

// Revoke records that the patient withdrew consent on the given day
// (YYYY-MM-DD, practice time; today if empty) and how it reached the practice.
func (s *ConsentService) Revoke(id int64, on, receivedBy, note string) (RevokeResult, error) {
	return withDB(s.c, func(ctx context.Context, db *store.DB) (RevokeResult, error) {
		e, err := db.Consent(ctx, id)
		if err != nil {
			return RevokeResult{}, err
		}
		if e.Revocation != nil {
			return RevokeResult{}, app.Errorf(app.ECONFLICT, "This consent was already withdrawn on %s.", e.Revocation.At.In(zoneOf(e.Consent)).Format(consent.DateLayout(e.Consent.Country)))
		}
		if utf8.RuneCountInString(note) > 1000 {
			return RevokeResult{}, app.FieldError("note", "Keep the note to 1,000 characters.")
		}
		now := s.c.Clock.Now()
		loc := zoneOf(e.Consent)
		at := now
		if on = strings.TrimSpace(on); on != "" {
			day, err := app.ParseCivilDate(on)
			if err != nil {
				return RevokeResult{}, app.FieldError("at", "Enter the date the withdrawal reached the practice: the day, month and year in the order shown under the field.")
			}
			if n := now.In(loc); day != (app.CivilDate{Year: n.Year(), Month: n.Month(), Day: n.Day()}) {
				at = time.Date(day.Year, day.Month, day.Day, 0, 0, 0, 0, loc)
				// A withdrawal logged for the signing day itself counts from the signature.
				if at.Before(e.Consent.SignedAt) && day == civilIn(e.Consent.SignedAt, loc) {
					at = e.Consent.SignedAt
				}
			}
		}
		r, err := consent.Revoke(e.Consent, at, receivedBy, note, now)
		if err != nil {
			return RevokeResult{}, err
		}
		if err := db.RevokeConsent(ctx, r); err != nil {
			return RevokeResult{}, err
		}
		if s.AfterRevoke != nil {
			if err := s.AfterRevoke(ctx, id); err != nil {
				logError("after withdrawal", err)
			}
		}
		e, err = db.Consent(ctx, id)
		if err != nil {
			return RevokeResult{}, err
		}
		t, err := db.TakedownList(ctx, id)
		if err != nil {
			return RevokeResult{}, err
		}
		s.c.Emit.Emit(EventConsentChanged, nil)
		return RevokeResult{Consent: s.view(e, now), InWritingRequired: consent.InWritingRequired(e.Consent.Country, receivedBy), Takedown: t}, nil
	})
}
