package store

import (
	"context"
	"database/sql"
	"errors"

	"practicepost/app"
)

// PutBlob stores data under its sha256 and returns the key. Storing the same
// bytes twice is a no-op.
func (tx *Tx) PutBlob(ctx context.Context, data []byte, mime string, width, height int) (string, error) {
	sum := app.SHA256Hex(data)
	_, err := tx.ExecContext(ctx, `INSERT INTO blobs (sha256, mime, size, width, height, data, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(sha256) DO NOTHING`, sum, mime, len(data), width, height,
		tx.seal("blobs", "data", sum, data), formatTime(tx.now))
	if err != nil {
		return "", app.Internal(err, "PracticePost could not store the file.")
	}
	return sum, nil
}

// Blob reads a stored blob.
func (d *DB) Blob(ctx context.Context, sha string) (app.Blob, error) {
	b := app.Blob{SHA256: sha}
	var sealed []byte
	err := d.read(func(db querier) error {
		return db.QueryRowContext(ctx, "SELECT mime, size, width, height, data FROM blobs WHERE sha256 = ?", sha).
			Scan(&b.MIME, &b.Size, &b.Width, &b.Height, &sealed)
	})
	if err == nil {
		b.Data, err = d.open("blobs", "data", sha, sealed)
	}
	if errors.Is(err, sql.ErrNoRows) {
		return b, app.Errorf(app.ENOTFOUND, "That file is no longer in PracticePost.")
	} else if err != nil {
		return b, app.Internal(err, "PracticePost could not read the file.")
	}
	return b, nil
}

// BlobInfo is Blob without the bytes: what checks need to know about a file.
func (d *DB) BlobInfo(ctx context.Context, sha string) (app.Blob, error) {
	b := app.Blob{SHA256: sha}
	err := d.read(func(db querier) error {
		return db.QueryRowContext(ctx, "SELECT mime, size, width, height FROM blobs WHERE sha256 = ?", sha).
			Scan(&b.MIME, &b.Size, &b.Width, &b.Height)
	})
	if errors.Is(err, sql.ErrNoRows) {
		return b, app.Errorf(app.ENOTFOUND, "That file is no longer in PracticePost.")
	} else if err != nil {
		return b, app.Internal(err, "PracticePost could not read the file.")
	}
	return b, nil
}
