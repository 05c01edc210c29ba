package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"practicepost/app"
	"practicepost/app/audit"
	"practicepost/app/seal"
)

// MakeRecoveryKey makes a new recovery key for this data file and stores
// the envelope it opens (the data key and the activity log's key) in the
// file, replacing the previous one: from now on only the new key opens this
// file and its new backups. Backups made before keep the envelope they were
// made with, so the earlier key still opens those. The key itself is
// returned once and kept nowhere.
func (d *DB) MakeRecoveryKey(ctx context.Context) (seal.RecoveryKey, error) {
	rk, err := seal.NewRecoveryKey()
	if err != nil {
		return rk, app.Internal(err, "PracticePost could not make a recovery key.")
	}
	data, ok, err := d.keys.DataKey()
	if err != nil {
		return rk, err
	}
	if !ok {
		return rk, needRecovery(errors.New("no data key"))
	}
	keys := seal.Keys{Data: data}
	if d.keeper != nil {
		if keys.Audit, err = d.keeper.Key(); err != nil {
			return rk, err
		}
	}
	env, err := seal.Wrap(rk, keys)
	if err != nil {
		return rk, app.Internal(err, "PracticePost could not make a recovery key.")
	}
	b, _ := json.Marshal(env)
	err = d.Tx(ctx, func(tx *Tx) error {
		if err := tx.SetState(ctx, sealEnvelopeKey, string(b)); err != nil {
			return app.Internal(err, "PracticePost could not save the recovery key.")
		}
		if err := tx.SetState(ctx, sealRecoveryKey, formatTime(tx.now)); err != nil {
			return app.Internal(err, "PracticePost could not save the recovery key.")
		}
		return tx.Audit(ctx, "practice manager", "recovery.create", "data file", nil)
	})
	return rk, err
}

// RecoveryMadeAt is when the current recovery key was made; false when
// the practice has none yet.
func (d *DB) RecoveryMadeAt(ctx context.Context) (time.Time, bool, error) {
	v, err := d.State(ctx, sealRecoveryKey)
	if err != nil || v == "" {
		return time.Time{}, false, err
	}
	t, err := parseTime(v)
	return t, err == nil, err
}

// wrongRecoveryKey is the message for words that do not open a file.
func wrongRecoveryKey(what string) error {
	return app.FieldError("recoveryKey", "This recovery key does not open %s. Check each word against your recovery key sheet. If you have made a new recovery key since, use the one that was current when %s was made.", what, what)
}

// OpenKeys turns the recovery key into the keys of the data file or backup
// at path, checking that they open it. Nothing is changed.
func OpenKeys(ctx context.Context, path, what string, rk seal.RecoveryKey) (seal.Keys, error) {
	env, ok, err := RecoveryEnvelope(ctx, path)
	if err != nil {
		return seal.Keys{}, &app.Error{Code: app.EINVALID, Err: err, Message: what + " is not a PracticePost data file, or it is damaged."}
	}
	if !ok {
		return seal.Keys{}, app.Errorf(app.ENOTFOUND, "No recovery key was ever made for %s, so it cannot be opened on another computer. Open it on the computer it was made on.", what)
	}
	keys, err := seal.Unwrap(rk, env)
	if err != nil {
		return seal.Keys{}, wrongRecoveryKey(what)
	}
	if err := checkDataKey(ctx, path, keys.Data); err != nil {
		return seal.Keys{}, &app.Error{Code: app.EINVALID, Err: err, Message: what + " was changed after its recovery key was made, so PracticePost will not open it."}
	}
	return keys, nil
}

// checkDataKey reports whether key is the one the file at path is sealed
// with (a file from before sealing has no check and passes).
func checkDataKey(ctx context.Context, path string, key []byte) error {
	sdb, err := sql.Open("sqlite", candidateDSN(path))
	if err != nil {
		return err
	}
	defer sdb.Close()
	var check string
	err = sdb.QueryRowContext(ctx, "SELECT value FROM app_state WHERE key = ?", sealCheckKey).Scan(&check)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	} else if err != nil {
		return err
	}
	s, err := seal.New(key)
	if err != nil {
		return err
	}
	return verifyCheck(s, check)
}

// Recover puts the keys that the recovery key opens into this computer's
// keychain, so the data file at path (sealed on another computer, or with
// a keychain since reset) opens here. The activity log's anchor moves to
// the file's newest entry: from here on, this computer watches it.
func Recover(ctx context.Context, path string, rk seal.RecoveryKey, keys *seal.Keyring, keeper *audit.Keeper) error {
	k, err := OpenKeys(ctx, path, "your practice's data file", rk)
	if err != nil {
		return err
	}
	return adoptKeys(ctx, path, k, keys, keeper)
}

func adoptKeys(ctx context.Context, path string, k seal.Keys, keys *seal.Keyring, keeper *audit.Keeper) error {
	if err := keys.Set(k.Data); err != nil {
		return err
	}
	if keeper == nil || len(k.Audit) == 0 {
		return nil
	}
	if err := keeper.ImportKey(k.Audit); err != nil {
		return err
	}
	sdb, err := sql.Open("sqlite", candidateDSN(path))
	if err != nil {
		return err
	}
	defer sdb.Close()
	var a audit.Anchor
	err = sdb.QueryRowContext(ctx, "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1").Scan(&a.ID, &a.Hash)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	if err := sdb.QueryRowContext(ctx, "SELECT COALESCE(MIN(id), 0) FROM audit_log WHERE action = ?", audit.ActionKeyed).Scan(&a.KeyedFrom); err != nil {
		return err
	}
	return keeper.Reset(a)
}
