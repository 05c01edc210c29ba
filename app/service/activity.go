package service

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"time"

	"practicepost/app"
	"practicepost/app/release"
	"practicepost/app/store"
)

// ActivityService shows the activity log and checks its chain.
type ActivityService struct{ c *Core }

func NewActivityService(c *Core) *ActivityService { return &ActivityService{c: c} }

// List returns one page of the log, newest first.
func (s *ActivityService) List(page, pageSize int) (app.AuditPage, error) {
	return withDB(s.c, func(ctx context.Context, db *store.DB) (app.AuditPage, error) {
		if pageSize <= 0 || pageSize > 500 {
			pageSize = 50
		}
		if page < 0 {
			return app.AuditPage{}, app.Errorf(app.EINVALID, "There is no page %d.", page)
		}
		return db.ListAudit(ctx, pageSize, page*pageSize)
	})
}

// Verify walks the whole log, checks every link (the sealed ones with the
// key in this computer's password store) and compares its newest entry with
// the record kept there; Summary says the outcome in words.
func (s *ActivityService) Verify() (store.VerifyResult, error) {
	return withDB(s.c, func(ctx context.Context, db *store.DB) (store.VerifyResult, error) {
		return db.VerifyAudit(ctx)
	})
}

// ExportLog writes the technical log (the rotated files oldest first, then
// the current one) as one text file in dir, for the user to send to support.
// The log holds ids and codes only, never patient details or tokens.
func (s *ActivityService) ExportLog(dir string) (string, error) {
	if err := s.c.manager(); err != nil {
		return "", err
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return "", app.Errorf(app.EINVALID, "The folder %q does not exist. Choose another folder.", dir)
	}
	files, _ := filepath.Glob(filepath.Join(filepath.Dir(LogFile(s.c.Home)), "practicepost*.log"))
	if len(files) == 0 {
		return "", app.Errorf(app.ENOTFOUND, "There is no log yet: PracticePost writes one as it runs.")
	}
	// lumberjack names old files practicepost-<time>.log; "-" sorts before
	// ".", so name order is age order with the current practicepost.log last.
	sort.Strings(files)
	name := filepath.Join(dir, "PracticePost-log-"+s.c.Clock.Now().Local().Format("2006-01-02-1504")+".txt")
	// The log holds no patient details, but it is the practice's own record
	// of what happened: private like every file PracticePost writes.
	out, err := store.CreatePrivate(name)
	if err != nil {
		return "", app.Errorf(app.EINVALID, "PracticePost could not write to %s (%v). Choose another folder.", dir, err)
	}
	fmt.Fprintf(out, "PracticePost %s log, saved %s\n\n", release.Version, s.c.Clock.Now().Local().Format(time.RFC3339))
	for _, f := range files {
		in, err := os.Open(f)
		if err != nil {
			continue
		}
		_, err = io.Copy(out, in)
		in.Close()
		if err != nil {
			out.Close()
			os.Remove(name)
			return "", app.Internal(err, "PracticePost could not copy its log. Check there is space on the disk and try again.")
		}
	}
	if err := out.Close(); err != nil {
		os.Remove(name)
		return "", app.Internal(err, "PracticePost could not finish saving its log. Check there is space on the disk and try again.")
	}
	return name, nil
}

// SaveLog asks where to save the log, then saves it. "" means cancelled.
func (s *ActivityService) SaveLog() (string, error) {
	if err := s.c.manager(); err != nil {
		return "", err
	}
	if s.c.Dialogs == nil {
		return "", app.Errorf(app.EUNAVAILABLE, "Folder picking is not available here.")
	}
	home, _ := os.UserHomeDir()
	dir, err := s.c.Dialogs.ChooseFolder("Choose where to save the log for support", home)
	if err != nil || dir == "" {
		return "", err
	}
	return s.ExportLog(dir)
}
