package service

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"practicepost/app"
	"practicepost/app/seal"
	"practicepost/app/store"
)

// BackupService makes and restores one-file backups.
type BackupService struct {
	c    *Core
	busy sync.Mutex
}

func NewBackupService(c *Core) *BackupService { return &BackupService{c: c} }

// BackupOverview is what Settings → Backup shows.
type BackupOverview struct {
	Folder        string           `json:"folder"`
	FolderIsSet   bool             `json:"folderIsSet"`
	AutoFolder    string           `json:"autoFolder"`
	SafetyFolder  string           `json:"safetyFolder"`
	DataFile      string           `json:"dataFile"`
	Backups       []app.BackupFile `json:"backups"`
	LastBackup    *time.Time       `json:"lastBackup"`
	AutomaticKeep int              `json:"automaticKeep"`
}

const folderKey = "backup.folder"

// DefaultBackupFolder suggests Documents/PracticePost Backups.
func DefaultBackupFolder() string {
	home, err := os.UserHomeDir()
	if err != nil {
		return ""
	}
	docs := filepath.Join(home, "Documents")
	if st, err := os.Stat(docs); err == nil && st.IsDir() {
		return filepath.Join(docs, "PracticePost Backups")
	}
	return filepath.Join(home, "PracticePost Backups")
}

// Overview lists the chosen folder's backups and the automatic ones.
func (s *BackupService) Overview() (BackupOverview, error) {
	return withDB(s.c, func(ctx context.Context, db *store.DB) (BackupOverview, error) {
		folder, err := db.State(ctx, folderKey)
		if err != nil {
			return BackupOverview{}, err
		}
		ov := BackupOverview{Folder: folder, FolderIsSet: folder != "", AutoFolder: s.c.AutoBackupDir(),
			SafetyFolder: s.c.SafetyDir(), DataFile: db.Path(), AutomaticKeep: autoBackupKeep}
		if folder == "" {
			ov.Folder = DefaultBackupFolder()
		}
		manual, err := store.ListBackups(ov.Folder)
		if err != nil {
			return ov, err
		}
		auto, err := store.ListBackups(s.c.AutoBackupDir())
		if err != nil {
			return ov, err
		}
		ov.Backups = append(manual, auto...)
		sort.Slice(ov.Backups, func(i, j int) bool { return ov.Backups[i].Modified.After(ov.Backups[j].Modified) })
		if len(ov.Backups) > 0 {
			t := ov.Backups[0].Modified
			ov.LastBackup = &t
		}
		return ov, nil
	})
}

// SetFolder remembers where manual backups go. The folder must exist.
func (s *BackupService) SetFolder(folder string) (BackupOverview, error) {
	return withDB(s.c, func(ctx context.Context, db *store.DB) (BackupOverview, error) {
		folder = strings.TrimSpace(folder)
		if folder == "" {
			return BackupOverview{}, app.FieldError("folder", "Choose a folder to back up to.")
		}
		if !filepath.IsAbs(folder) {
			return BackupOverview{}, app.FieldError("folder", "Choose a folder with the Choose… button, or type its full path.")
		}
		if st, err := os.Stat(folder); err != nil || !st.IsDir() {
			return BackupOverview{}, app.FieldError("folder", "The folder %s does not exist. Choose another folder, or plug in the drive it is on.", folder)
		}
		err := db.Tx(ctx, func(tx *store.Tx) error {
			if err := tx.SetState(ctx, folderKey, folder); err != nil {
				return app.Internal(err, "PracticePost could not remember the backup folder.")
			}
			return tx.Audit(ctx, "practice manager", "backup.folder", "settings", nil)
		})
		if err != nil {
			return BackupOverview{}, err
		}
		return s.Overview()
	})
}

// ChooseFolder opens the native folder picker and remembers the choice.
// An empty answer means the user cancelled.
func (s *BackupService) ChooseFolder() (BackupOverview, error) {
	if err := s.c.manager(); err != nil {
		return BackupOverview{}, err
	}
	if s.c.Dialogs == nil {
		return BackupOverview{}, app.Errorf(app.EUNAVAILABLE, "Folder picking is not available here; type the folder's full path instead.")
	}
	ov, err := s.Overview()
	if err != nil {
		return ov, err
	}
	dir, err := s.c.Dialogs.ChooseFolder("Choose where to keep PracticePost backups", ov.Folder)
	if err != nil || dir == "" {
		return ov, err
	}
	return s.SetFolder(dir)
}

// BackupNow writes a backup to the chosen folder, emitting progress events.
func (s *BackupService) BackupNow() (app.BackupFile, error) {
	if err := s.c.manager(); err != nil {
		return app.BackupFile{}, err
	}
	if !s.busy.TryLock() {
		return app.BackupFile{}, app.Errorf(app.ECONFLICT, "A backup or restore is already running. Wait for it to finish.")
	}
	defer s.busy.Unlock()
	db, err := s.c.DB()
	if err != nil {
		return app.BackupFile{}, err
	}
	ov, err := s.Overview()
	if err != nil {
		return app.BackupFile{}, err
	}
	if !ov.FolderIsSet {
		// The suggested default is ours to create; a chosen folder must already exist.
		if err := store.PrivateDir(ov.Folder); err != nil {
			return app.BackupFile{}, app.FieldError("folder", "PracticePost could not create %s. Choose another folder.", ov.Folder)
		}
	}
	return db.Backup(context.Background(), ov.Folder, func(p float64) {
		s.c.Emit.Emit(app.EventBackupProgress, map[string]any{"fraction": p})
	})
}

// ChooseRestoreFile opens the native file picker for a backup; "" if cancelled.
func (s *BackupService) ChooseRestoreFile() (string, error) {
	if err := s.c.manager(); err != nil {
		return "", err
	}
	if s.c.Dialogs == nil {
		return "", app.Errorf(app.EUNAVAILABLE, "File picking is not available here.")
	}
	ov, err := s.Overview()
	if err != nil {
		return "", err
	}
	return s.c.Dialogs.ChooseFile("Choose a PracticePost backup to restore", ov.Folder, "PracticePost backups", "*"+store.BackupExt)
}

// RestoreResult says where the replaced data was kept.
type RestoreResult struct {
	SafetyCopy string `json:"safetyCopy"`
}

// Restore replaces all data with the backup at path, keeping a safety copy.
func (s *BackupService) Restore(path string) (RestoreResult, error) {
	if err := s.c.manager(); err != nil {
		return RestoreResult{}, err
	}
	return s.restore(func(ctx context.Context, db *store.DB) (string, error) {
		return db.Restore(ctx, path, s.c.SafetyDir())
	})
}

// RestoreWithRecovery restores a backup made on another computer (or before
// this computer's keys changed) with the recovery key that was current when
// it was made; its keys become this computer's.
func (s *BackupService) RestoreWithRecovery(path, words string) (RestoreResult, error) {
	if err := s.c.manager(); err != nil {
		return RestoreResult{}, err
	}
	rk, err := seal.ParseRecoveryKey(words)
	if err != nil {
		return RestoreResult{}, err
	}
	return s.restore(func(ctx context.Context, db *store.DB) (string, error) {
		return db.RestoreWithRecovery(ctx, path, s.c.SafetyDir(), rk)
	})
}

// restore runs one restore at a time (not beside a backup either) and has
// the UI reload everything once the data is replaced; do answers where the
// safety copy went.
func (s *BackupService) restore(do func(ctx context.Context, db *store.DB) (string, error)) (RestoreResult, error) {
	if !s.busy.TryLock() {
		return RestoreResult{}, app.Errorf(app.ECONFLICT, "A backup or restore is already running. Wait for it to finish.")
	}
	defer s.busy.Unlock()
	db, err := s.c.DB()
	if err != nil {
		return RestoreResult{}, err
	}
	safety, err := do(context.Background(), db)
	if err != nil {
		return RestoreResult{}, err
	}
	s.c.Emit.Emit(app.EventDataReplaced, nil)
	return RestoreResult{SafetyCopy: safety}, nil
}
