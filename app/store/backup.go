package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"practicepost/app"
	"practicepost/app/audit"
	"practicepost/app/seal"
)

// BackupExt marks PracticePost backups. The file is a plain SQLite database.
const BackupExt = ".ppbackup"

// Backup writes a consistent copy of the whole data file into dir and
// returns it. progress, if set, receives fractions in [0,1] while it runs.
// The copy appears under its final name only when complete.
func (d *DB) Backup(ctx context.Context, dir string, progress func(float64)) (app.BackupFile, error) {
	name := "PracticePost " + d.Clock.Now().Local().Format("2006-01-02 15.04.05") + BackupExt
	f, err := d.backupTo(ctx, dir, name, progress)
	if err != nil {
		return f, err
	}
	err = d.Tx(ctx, func(tx *Tx) error {
		return tx.Audit(ctx, "practice manager", "backup.create", "data file", map[string]string{"file": f.Name, "bytes": fmt.Sprint(f.Size)})
	})
	return f, err
}

func (d *DB) backupTo(ctx context.Context, dir, name string, progress func(float64)) (app.BackupFile, error) {
	if dir == "" {
		return app.BackupFile{}, app.FieldError("folder", "Choose a folder to back up to.")
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return app.BackupFile{}, app.FieldError("folder", "The folder %s does not exist. Choose another folder, or plug in the drive it is on.", dir)
	}
	dest := filepath.Join(dir, name)
	if _, err := os.Stat(dest); err == nil {
		return app.BackupFile{}, app.Errorf(app.ECONFLICT, "A backup called %s already exists in that folder. Wait a second and try again.", name)
	}
	partial := dest + ".partial"
	os.Remove(partial)
	os.Remove(partial + "-journal")

	var total int64
	d.read(func(db querier) error {
		var pages, size int64
		db.QueryRowContext(ctx, "PRAGMA page_count").Scan(&pages)
		db.QueryRowContext(ctx, "PRAGMA page_size").Scan(&size)
		total = pages * size
		return nil
	})
	// VACUUM INTO is one statement with no progress callback; the size of
	// the growing file against the database's size is an honest estimate.
	stop := make(chan struct{})
	var wg sync.WaitGroup
	if progress != nil {
		progress(0)
		wg.Add(1)
		go func() {
			defer wg.Done()
			t := time.NewTicker(100 * time.Millisecond)
			defer t.Stop()
			for {
				select {
				case <-stop:
					return
				case <-t.C:
					if st, err := os.Stat(partial); err == nil && total > 0 {
						progress(min(0.99, float64(st.Size())/float64(total)))
					}
				}
			}
		}()
	}
	err := d.vacuumInto(ctx, partial)
	if err == nil {
		err = PrivateFile(partial)
	}
	close(stop)
	wg.Wait()
	if err != nil {
		os.Remove(partial)
		return app.BackupFile{}, &app.Error{Code: app.EUNAVAILABLE, Err: err, Message: "The backup could not be written to " + dir + ". Check there is free space and that you can save files there, then try again."}
	}
	if err := syncFile(partial); err != nil {
		os.Remove(partial)
		return app.BackupFile{}, &app.Error{Code: app.EUNAVAILABLE, Err: err, Message: "The backup could not be saved completely to " + dir + ". Check the drive and try again."}
	}
	if err := os.Rename(partial, dest); err != nil {
		os.Remove(partial)
		return app.BackupFile{}, &app.Error{Code: app.EUNAVAILABLE, Err: err, Message: "The backup could not be saved in " + dir + "."}
	}
	if progress != nil {
		progress(1)
	}
	st, err := os.Stat(dest)
	if err != nil {
		return app.BackupFile{}, app.Internal(err, "The backup was written but cannot be read back.")
	}
	return app.BackupFile{Path: dest, Name: name, Size: st.Size(), Modified: st.ModTime().UTC(), Automatic: strings.HasPrefix(name, autoPrefix)}, nil
}

func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

// ListBackups lists the backups in dir, newest first. A missing folder is an empty list.
func ListBackups(dir string) ([]app.BackupFile, error) {
	out := []app.BackupFile{}
	if dir == "" {
		return out, nil
	}
	ents, err := os.ReadDir(dir)
	if os.IsNotExist(err) {
		return out, nil
	} else if err != nil {
		return nil, app.Errorf(app.EUNAVAILABLE, "PracticePost cannot read the folder %s.", dir)
	}
	for _, e := range ents {
		if e.IsDir() || !strings.HasSuffix(e.Name(), BackupExt) {
			continue
		}
		info, err := e.Info()
		if err != nil {
			continue
		}
		out = append(out, app.BackupFile{Path: filepath.Join(dir, e.Name()), Name: e.Name(), Size: info.Size(),
			Modified: info.ModTime().UTC(), Automatic: strings.HasPrefix(e.Name(), autoPrefix)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Modified.After(out[j].Modified) })
	return out, nil
}

const autoPrefix = "auto "

// AutoBackup makes today's automatic backup in dir unless one exists, and
// keeps only the newest keep automatic backups. It reports whether it wrote one.
func (d *DB) AutoBackup(ctx context.Context, dir string, keep int) (bool, error) {
	if err := PrivateDir(dir); err != nil {
		return false, app.Internal(err, "PracticePost could not create its automatic backup folder.")
	}
	today := d.Clock.Now().Local().Format("2006-01-02")
	name := autoPrefix + today + BackupExt
	wrote := false
	if _, err := os.Stat(filepath.Join(dir, name)); os.IsNotExist(err) {
		f, err := d.backupTo(ctx, dir, name, nil)
		if err != nil {
			return false, err
		}
		wrote = true
		if err := d.Tx(ctx, func(tx *Tx) error {
			return tx.Audit(ctx, "system", "backup.auto", "data file", map[string]string{"file": f.Name, "bytes": fmt.Sprint(f.Size)})
		}); err != nil {
			return true, err
		}
	}
	all, err := ListBackups(dir)
	if err != nil {
		return wrote, err
	}
	var autos []app.BackupFile
	for _, b := range all {
		if b.Automatic {
			autos = append(autos, b)
		}
	}
	// Names carry the date, so sort by name rather than trusting file times.
	sort.Slice(autos, func(i, j int) bool { return autos[i].Name > autos[j].Name })
	for _, old := range autos[min(keep, len(autos)):] {
		if err := os.Remove(old.Path); err != nil {
			slog.Warn("could not remove old automatic backup", "file", old.Name, "err", err)
		}
	}
	return wrote, nil
}

// Restore replaces the open data file with the backup at src. The backup is
// checked first (a PracticePost file, intact, not from a newer version); the
// data file it replaces is kept in safetyDir under a dated name.
func (d *DB) Restore(ctx context.Context, src, safetyDir string) (string, error) {
	return d.restore(ctx, src, safetyDir, nil)
}

// RestoreWithRecovery is Restore for a backup made on another computer (or
// before this computer's keys changed): the recovery key that was current
// when it was made opens its keys, which then become this computer's.
func (d *DB) RestoreWithRecovery(ctx context.Context, src, safetyDir string, rk seal.RecoveryKey) (string, error) {
	return d.restore(ctx, src, safetyDir, &rk)
}

func (d *DB) restore(ctx context.Context, src, safetyDir string, rk *seal.RecoveryKey) (string, error) {
	if !strings.HasSuffix(src, BackupExt) && !strings.HasSuffix(src, ".db") {
		return "", app.Errorf(app.EINVALID, "%s is not a PracticePost backup (they end in %s).", filepath.Base(src), BackupExt)
	}
	home := filepath.Dir(d.path)
	incoming := filepath.Join(home, "restore-incoming.tmp")
	os.Remove(incoming)
	defer os.Remove(incoming)
	defer os.Remove(incoming + "-wal")
	defer os.Remove(incoming + "-shm")
	if err := copyFile(src, incoming); err != nil {
		return "", &app.Error{Code: app.EINVALID, Err: err, Message: "PracticePost could not read the backup " + filepath.Base(src) + ". Check the file is still there and try again."}
	}
	name := filepath.Base(src)
	var foreign *seal.Keys
	if rk != nil {
		k, err := OpenKeys(ctx, incoming, name, *rk)
		if err != nil {
			slog.Info("restore refused", "code", app.ErrorCode(err))
			return "", err
		}
		foreign = &k
	} else if current, ok, err := d.keys.DataKey(); err != nil {
		return "", err
	} else if !ok || errors.Is(checkDataKey(ctx, incoming, current), seal.ErrOpen) {
		slog.Info("restore refused", "code", app.ERECOVERY)
		return "", app.Errorf(app.ERECOVERY, "%s was made on another computer, or before this computer's keys changed, so it is locked with other keys. To restore it, type the recovery key that was current when it was made. Your current data is unchanged.", name)
	}
	if err := d.checkBackup(ctx, incoming, name, foreign); err != nil {
		slog.Info("restore refused", "code", app.ErrorCode(err))
		return "", err
	}
	if err := PrivateDir(safetyDir); err != nil {
		return "", app.Internal(err, "PracticePost could not create its safety-copy folder.")
	}
	safety := filepath.Join(safetyDir, "before restore "+d.Clock.Now().Local().Format("2006-01-02 15.04.05")+BackupExt)

	d.mu.Lock()
	defer d.mu.Unlock()
	if d.db == nil {
		return "", app.Errorf(app.EUNAVAILABLE, "The data file is closed. Restart PracticePost.")
	}
	// A consistent, sealed safety copy first, while the current file is still open.
	if err := d.copyLocked(ctx, safety); err != nil {
		os.Remove(safety)
		return "", app.Internal(err, "PracticePost could not keep a safety copy of your current data, so nothing was restored. Check free disk space.")
	}
	var before audit.Anchor
	if d.keeper != nil {
		before, _, _ = d.keeper.Anchor()
	}
	if err := d.db.Close(); err != nil {
		slog.Warn("closing data file before restore", "err", err)
	}
	d.db = nil
	os.Remove(d.path + "-wal")
	os.Remove(d.path + "-shm")
	if err := os.Rename(incoming, d.path); err != nil {
		// Nothing was replaced: reopen the current file.
		return "", d.reopenAfter(ctx, &app.Error{Code: app.EUNAVAILABLE, Err: err, Message: "PracticePost could not put the backup in place. Your current data is unchanged."})
	}
	// A backup from another computer brings its keys: they become this
	// computer's, and this computer's go back if it does not open.
	var putBack func()
	if foreign != nil {
		oldData, _, _ := d.keys.DataKey()
		var oldAudit []byte
		if d.keeper != nil {
			oldAudit, _, _ = d.keeper.ExistingKey()
		}
		putBack = func() {
			if oldData != nil {
				d.keys.Set(oldData)
			}
			if oldAudit != nil {
				d.keeper.ImportKey(oldAudit)
			}
		}
		if err := d.keys.Set(foreign.Data); err != nil {
			d.putSafetyBack(safety)
			return "", d.reopenAfter(ctx, err)
		}
		if d.keeper != nil && len(foreign.Audit) > 0 {
			if err := d.keeper.ImportKey(foreign.Audit); err != nil {
				putBack()
				d.putSafetyBack(safety)
				return "", d.reopenAfter(ctx, err)
			}
		}
	}
	// The restored log ends before the anchor on purpose: hold the anchor
	// still (quietly) until the restore entry below moves it.
	d.chain.setRestoring(true)
	if err := d.reopenAfter(ctx, nil); err != nil {
		// The restored file would not open: put the safety copy back.
		d.chain.setRestoring(false)
		if putBack != nil {
			putBack()
		}
		d.putSafetyBack(safety)
		return "", d.reopenAfter(ctx, &app.Error{Code: app.EINVALID, Err: err,
			Message: fmt.Sprintf("%s could not be brought up to this version of PracticePost, so it was not restored. Your current data is unchanged. Choose another backup in Settings → Backup, or contact support.", name)})
	}
	d.chain.setRestoring(false)
	err := d.txLocked(ctx, func(tx *Tx) error {
		// The seal belonged to the backup file, not to the live data.
		if _, err := tx.ExecContext(ctx, "DELETE FROM app_state WHERE key = ?", backupSealKey); err != nil {
			return err
		}
		// The restored log is older than the anchor on purpose: the anchor
		// moves back to it, and this entry keeps where the log had reached.
		tx.resetAnchor = true
		return tx.Audit(ctx, "practice manager", "backup.restore", "data file", map[string]string{
			"from": name, "fromAnotherComputer": fmt.Sprint(foreign != nil), "safetyCopy": filepath.Base(safety), "replacedLogEnd": fmt.Sprint(before.ID)})
	})
	return safety, err
}

// putSafetyBack puts the safety copy back in place of a restored file that
// did not open. The restored file's connection, if one is open (its
// migration failed), is closed and its WAL and shared-memory files removed
// first: left, they would be read, or replayed, over the copy put back,
// and the data kept would look empty or be damaged.
func (d *DB) putSafetyBack(safety string) {
	if d.db != nil {
		if err := d.db.Close(); err != nil {
			slog.Warn("closing the restored file before putting the safety copy back", "err", err)
		}
		d.db = nil
	}
	os.Remove(d.path + "-wal")
	os.Remove(d.path + "-shm")
	if err := copyFile(safety, d.path); err != nil {
		slog.Error("putting the safety copy back", "err", err)
	}
}

func (d *DB) reopenAfter(ctx context.Context, cause error) error {
	sdb, err := openSQL(ctx, d.path)
	if err != nil {
		return err
	}
	d.db = sdb
	if d.index != nil {
		d.index.mu.Lock()
		d.index.key = ""
		d.index.mu.Unlock()
	}
	if err := d.migrate(ctx); err != nil {
		return err
	}
	return cause
}

// txLocked is Tx for callers that already hold d.mu.
func (d *DB) txLocked(ctx context.Context, fn func(*Tx) error) error {
	stx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	tx := &Tx{Tx: stx, db: d, now: d.Clock.Now().UTC()}
	if err := fn(tx); err != nil {
		stx.Rollback()
		return err
	}
	if err := stx.Commit(); err != nil {
		return err
	}
	d.anchor(tx.head, tx.resetAnchor)
	return nil
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := CreatePrivate(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// vacuumInto writes a consistent, sealed, private copy of the open file to path.
func (d *DB) vacuumInto(ctx context.Context, path string) error {
	if d.view != nil {
		return errors.New("backup through a read view")
	}
	d.mu.RLock()
	defer d.mu.RUnlock()
	if d.db == nil {
		return app.Errorf(app.EUNAVAILABLE, "The data file is closed. Restart PracticePost.")
	}
	return d.copyLocked(ctx, path)
}

// copyLocked is vacuumInto for callers holding d.mu. The file is created
// empty and private first (VACUUM INTO accepts an empty file), so the copy
// is never readable by others, not even while it is written.
func (d *DB) copyLocked(ctx context.Context, path string) error {
	f, err := CreatePrivate(path)
	if err != nil {
		return err
	}
	f.Close()
	if _, err := d.db.ExecContext(ctx, "VACUUM INTO ?", path); err != nil {
		return err
	}
	if err := d.sealCopy(ctx, path); err != nil {
		return err
	}
	return PrivateFile(path)
}

// sealCopy writes the copy's seal into it: the newest (id, hash) of the
// copy's own activity log, MAC'd with the chain key, so a restore can tell a
// log cut short or rewritten after the backup was made.
func (d *DB) sealCopy(ctx context.Context, path string) error {
	if d.keeper == nil {
		return nil
	}
	key, err := d.keeper.Key()
	if err != nil {
		return err
	}
	q := url.Values{}
	q.Add("_pragma", "journal_mode(DELETE)")
	q.Add("_pragma", "synchronous(FULL)")
	sdb, err := sql.Open("sqlite", "file:"+filepath.ToSlash(path)+"?"+q.Encode())
	if err != nil {
		return err
	}
	defer sdb.Close()
	sdb.SetMaxOpenConns(1)
	var s audit.BackupSeal
	if err := sdb.QueryRowContext(ctx, "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1").Scan(&s.ID, &s.Hash); err != nil {
		return err
	}
	if err := sdb.QueryRowContext(ctx, "SELECT COALESCE(MIN(id), 0) FROM audit_log WHERE action = ?", audit.ActionKeyed).Scan(&s.KeyedFrom); err != nil {
		return err
	}
	if err := sdb.QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&s.SchemaVersion); err != nil {
		return err
	}
	s.MadeAt = d.Clock.Now().UTC()
	s.Sign(key)
	b, _ := json.Marshal(s)
	if _, err := sdb.ExecContext(ctx, "INSERT INTO app_state (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", backupSealKey, string(b)); err != nil {
		return err
	}
	return sdb.Close()
}
