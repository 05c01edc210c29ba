package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"slices"
	"strconv"

	"practicepost/app"
)

// mediaIdentities are the name forms an image can show (or "" for none).
var mediaIdentities = []app.IdentityElement{"", app.IdentityFullName, app.IdentityFirstName, app.IdentityInitials, app.IdentityAnonymous}

// KeepMedia stores a set of images (the sizes of one design) with one alt
// text, and records it in the activity log. Either all are kept or none.
func (d *DB) KeepMedia(ctx context.Context, setID, alt string, items []app.NewMedia) ([]app.Media, error) {
	alt, err := app.CheckAltText(alt)
	if err != nil {
		return nil, err
	}
	if setID == "" || len(items) == 0 {
		return nil, app.Errorf(app.EINVALID, "There are no images to keep. Render the sizes first.")
	}
	var out []app.Media
	err = d.Tx(ctx, func(tx *Tx) error {
		out = out[:0]
		for _, it := range items {
			if len(it.Data) == 0 || it.Width <= 0 || it.Height <= 0 {
				return app.Errorf(app.EINVALID, "One of the images is empty. Render the sizes again.")
			}
			if !slices.Contains(mediaIdentities, it.Identity) {
				return app.Errorf(app.EINVALID, "The image names the patient in a way PracticePost does not know (%q). Choose full name, first name, initials or anonymous, and render again.", it.Identity)
			}
			attribution, err := checkAttribution(it)
			if err != nil {
				return err
			}
			sources, err := tx.checkSources(ctx, it.Sources, it.SourcesKnown)
			if err != nil {
				return err
			}
			var tid sql.NullInt64
			if it.TestimonialID != 0 {
				var n int
				if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM testimonials WHERE id = ?", it.TestimonialID).Scan(&n); err != nil {
					return app.Internal(err, "PracticePost could not add the images to the library.")
				}
				if n == 0 {
					return app.Errorf(app.ENOTFOUND, "The testimonial this image was made from is no longer in PracticePost. Choose another testimonial and render again.")
				}
				tid = sql.NullInt64{Int64: it.TestimonialID, Valid: true}
			}
			sum, err := tx.PutBlob(ctx, it.Data, it.MIME, it.Width, it.Height)
			if err != nil {
				return err
			}
			// The id is chosen first: the sealed words are bound to it.
			var id int64
			if err := tx.nextID(ctx, "media", &id); err != nil {
				return app.Internal(err, "PracticePost could not add the images to the library.")
			}
			_, err = tx.ExecContext(ctx, `INSERT INTO media (id, set_id, blob_sha256, mime, template, layout, size_id, width, height, bytes, alt_text, created_at,
				testimonial_id, identity, image_text, sources, sources_known, attribution)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, id, setID, sum, it.MIME, it.Template, it.Layout, it.SizeID, it.Width, it.Height, len(it.Data), tx.sealText("media", "alt_text", rowID(id), alt), formatTime(tx.now),
				tid, string(it.Identity), tx.sealText("media", "image_text", rowID(id), it.ImageText), sources, it.SourcesKnown, attribution)
			if err != nil {
				return app.Internal(err, "PracticePost could not add the images to the library.")
			}
			out = append(out, app.Media{ID: id, SetID: setID, SHA256: sum, MIME: it.MIME, Template: it.Template, Layout: it.Layout,
				SizeID: it.SizeID, Width: it.Width, Height: it.Height, Bytes: len(it.Data), AltText: alt, CreatedAt: tx.now,
				TestimonialID: it.TestimonialID, Identity: it.Identity, ImageText: it.ImageText, TextRecorded: true,
				Sources: cloneSources(it.Sources), SourcesKnown: it.SourcesKnown, Attribution: attribution})
		}
		// The detail names the design, never its words: a quote can name a patient.
		detail := map[string]string{"images": strconv.Itoa(len(items)), "set": setID}
		if id := items[0].TestimonialID; id != 0 {
			detail["testimonial"] = strconv.FormatInt(id, 10)
		}
		for k, v := range sourceDetail(items[0].Sources, items[0].SourcesKnown) {
			detail[k] = v
		}
		return tx.Audit(ctx, "practice manager", "media.keep", "design "+items[0].Template, detail)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

const mediaColumns = `id, set_id, blob_sha256, mime, template, layout, size_id, width, height, bytes, alt_text, created_at, testimonial_id, identity, image_text,
	sources, sources_known, attribution`

// ListMedia returns the library newest first.
func (d *DB) ListMedia(ctx context.Context, limit, offset int) (app.MediaPage, error) {
	p := app.MediaPage{Items: []app.Media{}}
	if limit <= 0 || limit > 500 {
		limit = 500
	}
	err := d.read(func(db querier) error {
		if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM media").Scan(&p.Total); err != nil {
			return err
		}
		rows, err := db.QueryContext(ctx, "SELECT "+mediaColumns+" FROM media ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?", limit, offset)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			m, err := d.scanMedia(rows)
			if err != nil {
				return err
			}
			p.Items = append(p.Items, m)
		}
		return rows.Err()
	})
	if err != nil {
		return p, app.Internal(err, "PracticePost could not read the media library.")
	}
	return p, nil
}

// MediaByID reads one library image.
func (d *DB) MediaByID(ctx context.Context, id int64) (app.Media, error) {
	return readOne(ctx, d, "That image is no longer in the library.",
		"PracticePost could not read the media library.", d.scanMedia, "SELECT "+mediaColumns+" FROM media WHERE id = ?", id)
}

// MediaByBlob reads the newest library image with these pixels, for a
// draft whose image row was removed while the same picture was kept again.
func (d *DB) MediaByBlob(ctx context.Context, sha string) (app.Media, error) {
	return readOne(ctx, d, "That image is no longer in the library.",
		"PracticePost could not read the media library.", d.scanMedia, "SELECT "+mediaColumns+" FROM media WHERE blob_sha256 = ? ORDER BY created_at DESC, id DESC LIMIT 1", sha)
}

func (d *DB) scanMedia(r scanner) (app.Media, error) {
	var m app.Media
	var created, identity string
	var tid sql.NullInt64
	var text sql.NullString
	var sources string
	if err := r.Scan(&m.ID, &m.SetID, &m.SHA256, &m.MIME, &m.Template, &m.Layout, &m.SizeID, &m.Width, &m.Height, &m.Bytes, d.text("media", "alt_text", &m.ID, &m.AltText), &created,
		&tid, &identity, d.nullText("media", "image_text", &m.ID, &text), &sources, &m.SourcesKnown, &m.Attribution); err != nil {
		return m, err
	}
	if err := json.Unmarshal([]byte(sources), &m.Sources); err != nil {
		return m, err
	}
	if m.Sources == nil {
		m.Sources = []app.ImageSource{}
	}
	m.TestimonialID, m.Identity, m.ImageText, m.TextRecorded = tid.Int64, app.IdentityElement(identity), text.String, text.Valid
	var err error
	m.CreatedAt, err = parseTime(created)
	return m, err
}

// DeleteMedia removes an image from the library. Its pixels go too unless
// something else still uses them (another library row, the logo, signed
// consent evidence or a queued post), so a removed draft does not linger.
func (d *DB) DeleteMedia(ctx context.Context, id int64) error {
	return d.Tx(ctx, func(tx *Tx) error {
		var sum, tpl string
		err := tx.QueryRowContext(ctx, "SELECT blob_sha256, template FROM media WHERE id = ?", id).Scan(&sum, &tpl)
		if errors.Is(err, sql.ErrNoRows) {
			return app.Errorf(app.ENOTFOUND, "That image is no longer in the library.")
		} else if err != nil {
			return app.Internal(err, "PracticePost could not read the media library.")
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM media WHERE id = ?", id); err != nil {
			return app.Internal(err, "PracticePost could not remove the image.")
		}
		used, err := tx.blobInUse(ctx, sum)
		if err != nil {
			return app.Internal(err, "PracticePost could not remove the image.")
		}
		if !used {
			if _, err := tx.ExecContext(ctx, "DELETE FROM blobs WHERE sha256 = ?", sum); err != nil {
				return app.Internal(err, "PracticePost could not remove the image.")
			}
		}
		return tx.Audit(ctx, "practice manager", "media.delete", "design "+tpl, map[string]string{"id": strconv.FormatInt(id, 10)})
	})
}

// blobInUse looks for any reference to a blob: library rows, the logo,
// columns that reference blobs by foreign key, and queued posts, which list
// their media as JSON.
func (tx *Tx) blobInUse(ctx context.Context, sum string) (bool, error) {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM media WHERE blob_sha256 = ?) +
		(SELECT COUNT(*) FROM brand_kit WHERE logo_sha256 = ?)`, sum, sum).Scan(&n); err != nil || n > 0 {
		return n > 0, err
	}
	rows, err := tx.QueryContext(ctx, `SELECT m.name, f."from" FROM sqlite_master m, pragma_foreign_key_list(m.name) f
		WHERE m.type = 'table' AND f."table" = 'blobs' AND m.name NOT IN ('media', 'brand_kit')`)
	if err != nil {
		return false, err
	}
	var refs [][2]string
	for rows.Next() {
		var t, c string
		if err := rows.Scan(&t, &c); err != nil {
			rows.Close()
			return false, err
		}
		refs = append(refs, [2]string{t, c})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return false, err
	}
	for _, r := range refs {
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM "`+r[0]+`" WHERE "`+r[1]+`" = ?`, sum).Scan(&n); err != nil || n > 0 {
			return n > 0, err
		}
	}
	var queue int
	if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'publish_requests'").Scan(&queue); err != nil {
		return false, err
	}
	if queue > 0 {
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM publish_requests WHERE instr(media, ?) > 0", sum).Scan(&n); err != nil {
			return false, err
		}
	}
	return n > 0, nil
}
