package service

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"time"

	"practicepost/app"
	"practicepost/app/audit"
	"practicepost/app/consent"
	"practicepost/app/seal"
	"practicepost/app/store"
)

// RecoveryService shows the practice its recovery key once, saves the sheet
// to print, and opens the data with the key on a new computer (or after the
// keychain was reset).
type RecoveryService struct {
	c    *Core
	lock *LockService
	save SaveDialog
}

func NewRecoveryService(c *Core, lock *LockService, save SaveDialog) *RecoveryService {
	return &RecoveryService{c: c, lock: lock, save: save}
}

// RecoveryStatus is what Getting started, Settings and the start-up screen
// need to know about the recovery key.
type RecoveryStatus struct {
	// NeedsKey: the data file is sealed with keys this computer lacks; the
	// start-up screen asks for the recovery key.
	NeedsKey bool       `json:"needsKey"`
	Made     bool       `json:"made"`
	MadeAt   *time.Time `json:"madeAt"`
}

// Status answers while locked and while the data is closed: the start-up
// screen needs it before anything else can open.
func (s *RecoveryService) Status() (RecoveryStatus, error) {
	db, err := s.c.DB()
	if app.ErrorCode(err) == app.ERECOVERY {
		return RecoveryStatus{NeedsKey: true}, nil
	} else if err != nil {
		return RecoveryStatus{}, err
	}
	at, ok, err := db.RecoveryMadeAt(context.Background())
	if err != nil || !ok {
		return RecoveryStatus{}, err
	}
	return RecoveryStatus{Made: true, MadeAt: &at}, nil
}

// RecoveryKeyView is a new recovery key, shown once.
type RecoveryKeyView struct {
	Words  []string  `json:"words"`
	MadeAt time.Time `json:"madeAt"`
}

// Make makes a new recovery key, replacing any earlier one for this data
// and its new backups, and returns its words. PracticePost keeps no copy:
// the screen shows them once.
func (s *RecoveryService) Make() (RecoveryKeyView, error) {
	return withDB(s.c, func(ctx context.Context, db *store.DB) (RecoveryKeyView, error) {
		rk, err := db.MakeRecoveryKey(ctx)
		if err != nil {
			return RecoveryKeyView{}, err
		}
		at, _, _ := db.RecoveryMadeAt(ctx)
		return RecoveryKeyView{Words: rk.Words(), MadeAt: at}, nil
	})
}

// SaveSheet writes the sheet to print with the words just shown. The words
// must be this data's current recovery key, so a mistyped or old key is
// never printed as if it were the one to keep.
func (s *RecoveryService) SaveSheet(words string) (string, error) {
	return withDB(s.c, func(ctx context.Context, db *store.DB) (string, error) {
		rk, err := seal.ParseRecoveryKey(words)
		if err != nil {
			return "", err
		}
		raw, err := db.State(ctx, "seal.envelope")
		if err != nil {
			return "", err
		}
		var env seal.Envelope
		if raw == "" || json.Unmarshal([]byte(raw), &env) != nil {
			return "", app.Errorf(app.ENOTFOUND, "There is no recovery key yet. Make one in Settings → Backup → Recovery key.")
		}
		if _, err := seal.Unwrap(rk, env); err != nil {
			return "", app.FieldError("recoveryKey", "These words are not your current recovery key. Make a new recovery key in Settings → Backup → Recovery key and print its sheet.")
		}
		kit, err := db.BrandKit(ctx)
		if err != nil {
			return "", err
		}
		at, _, _ := db.RecoveryMadeAt(ctx)
		made := at.Local().Format(consent.DateLayout(kit.Country))
		pdf, err := consent.RecoverySheet(kit.PracticeName, kit.Country, rk.Words(), made, consent.PDFOptions{})
		if err != nil {
			return "", err
		}
		if s.save == nil {
			return "", app.Errorf(app.EUNAVAILABLE, "Saving files is not available here. Write the words down by hand instead.")
		}
		path, err := savePath(s.save, "Save the recovery key sheet to print", "PracticePost recovery key.pdf", "PDF documents (*.pdf)", "*.pdf")
		if err != nil || path == "" {
			return "", err
		}
		f, err := store.CreatePrivate(path)
		if err == nil {
			_, err = f.Write(pdf)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
		}
		if err != nil {
			os.Remove(path)
			return "", app.Errorf(app.EUNAVAILABLE, "The sheet could not be saved to %s. Choose a folder you can write to.", filepath.Dir(path))
		}
		return path, db.Tx(ctx, func(tx *store.Tx) error {
			return tx.Audit(ctx, "practice manager", "recovery.sheet", "data file", nil)
		})
	})
}

// Unlock opens a data file sealed with keys this computer lacks, with the
// practice's recovery key: the keys it carries go into this computer's
// keychain and the data opens.
func (s *RecoveryService) Unlock(words string) error {
	if _, err := s.c.DB(); app.ErrorCode(err) != app.ERECOVERY {
		if err == nil {
			return app.Errorf(app.ECONFLICT, "Your data is already open on this computer.")
		}
		return err
	}
	rk, err := seal.ParseRecoveryKey(words)
	if err != nil {
		return err
	}
	if s.c.Secrets == nil {
		return app.Errorf(app.EUNAVAILABLE, "PracticePost cannot reach this computer's password store, so it cannot keep the key. Restart the computer and try again.")
	}
	ctx := context.Background()
	path := filepath.Join(s.c.Home, store.FileName)
	if err := store.Recover(ctx, path, rk, seal.NewKeyring(s.c.Secrets), audit.NewKeeper(s.c.Secrets)); err != nil {
		return err
	}
	if err := s.c.Start(ctx); err != nil {
		return err
	}
	s.c.Emit.Emit(app.EventDataReplaced, nil)
	return nil
}
