package service

import (
	"context"

	"practicepost/app"
	"practicepost/app/store"
)

// ActivityService shows the activity log and checks its chain.
type ActivityService struct{ c *Core }

func NewActivityService(c *Core) *ActivityService { return &ActivityService{c: c} }

// List returns one page of the log, newest first.
func (s *ActivityService) List(page, pageSize int) (store.AuditPage, error) {
	db, err := s.c.DB()
	if err != nil {
		return store.AuditPage{}, err
	}
	if pageSize <= 0 || pageSize > 500 {
		pageSize = 50
	}
	if page < 0 {
		return store.AuditPage{}, app.Errorf(app.EINVALID, "There is no page %d.", page)
	}
	return db.ListAudit(context.Background(), pageSize, page*pageSize)
}

// Verify walks the whole log and reports the first broken link.
func (s *ActivityService) Verify() (store.VerifyResult, error) {
	db, err := s.c.DB()
	if err != nil {
		return store.VerifyResult{}, err
	}
	return db.VerifyAudit(context.Background())
}
