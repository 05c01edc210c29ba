package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"reflect"
	"sort"
	"strings"

	"practicepost/app"
)

// BrandKit reads the practice's brand kit.
func (d *DB) BrandKit(ctx context.Context) (app.BrandKit, error) {
	b, err := readWith(d, func(db querier) (app.BrandKit, error) { return readBrandKit(ctx, db) })
	if err != nil {
		return b, app.Internal(err, "PracticePost could not read the brand kit.")
	}
	return b, nil
}

// querier is what a read needs: the open handle, or a transaction.
type querier interface {
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
}

func readBrandKit(ctx context.Context, q querier) (app.BrandKit, error) {
	var b app.BrandKit
	var tags, updated string
	var logo sql.NullString
	err := q.QueryRowContext(ctx, `SELECT practice_name, address, phone, email, website, country, disclaimer, hashtags,
		color_primary, color_secondary, color_accent, color_text, color_background, heading_font, body_font, logo_sha256, updated_at
		FROM brand_kit WHERE id = 1`).Scan(&b.PracticeName, &b.Address, &b.Phone, &b.Email, &b.Website, &b.Country, &b.Disclaimer, &tags,
		&b.Colors.Primary, &b.Colors.Secondary, &b.Colors.Accent, &b.Colors.Text, &b.Colors.Background, &b.HeadingFont, &b.BodyFont, &logo, &updated)
	if err != nil {
		return b, err
	}
	b.LogoSHA256 = logo.String
	if err := json.Unmarshal([]byte(tags), &b.Hashtags); err != nil {
		return b, err
	}
	if b.UpdatedAt, err = parseTime(updated); err != nil {
		return b, err
	}
	rows, err := q.QueryContext(ctx, "SELECT name, role, regulator, number, specialist FROM clinicians ORDER BY position")
	if err != nil {
		return b, err
	}
	defer rows.Close()
	b.Clinicians = []app.Clinician{}
	for rows.Next() {
		var c app.Clinician
		if err := rows.Scan(&c.Name, &c.Role, &c.Regulator, &c.Number, &c.Specialist); err != nil {
			return b, err
		}
		b.Clinicians = append(b.Clinicians, c)
	}
	return b, rows.Err()
}

// SaveBrandKit replaces the brand kit (the logo is kept: see SetLogo) and
// records which fields changed. b must already be validated.
func (d *DB) SaveBrandKit(ctx context.Context, b app.BrandKit) (app.BrandKit, error) {
	var saved app.BrandKit
	err := d.Tx(ctx, func(tx *Tx) error {
		old, err := readBrandKit(ctx, tx)
		if err != nil {
			return app.Internal(err, "PracticePost could not read the brand kit.")
		}
		b.LogoSHA256 = old.LogoSHA256
		changed := changedFields(old, b)
		if len(changed) == 0 {
			saved = old
			return nil
		}
		if err := tx.putBrandKit(ctx, b); err != nil {
			return err
		}
		if err := tx.Audit(ctx, "practice manager", "brand.update", "brand kit", map[string]string{"fields": strings.Join(changed, ", ")}); err != nil {
			return err
		}
		saved, err = readBrandKit(ctx, tx)
		return err
	})
	return saved, err
}

// SetLogo stores a checked logo image and points the brand kit at it.
func (d *DB) SetLogo(ctx context.Context, data []byte, info app.ImageInfo) (app.BrandKit, error) {
	var saved app.BrandKit
	err := d.Tx(ctx, func(tx *Tx) error {
		sha, err := tx.PutBlob(ctx, data, info.MIME, info.Width, info.Height)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE brand_kit SET logo_sha256 = ?, updated_at = ? WHERE id = 1", sha, formatTime(tx.now)); err != nil {
			return app.Internal(err, "PracticePost could not save the logo.")
		}
		if err := tx.Audit(ctx, "practice manager", "brand.logo", "brand kit", map[string]string{
			"sha256": sha, "size": itoa(info.Width) + "×" + itoa(info.Height)}); err != nil {
			return err
		}
		saved, err = readBrandKit(ctx, tx)
		return err
	})
	return saved, err
}

// RemoveLogo clears the logo; the blob stays for backups and old posts.
func (d *DB) RemoveLogo(ctx context.Context) (app.BrandKit, error) {
	var saved app.BrandKit
	err := d.Tx(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, "UPDATE brand_kit SET logo_sha256 = NULL, updated_at = ? WHERE id = 1", formatTime(tx.now)); err != nil {
			return app.Internal(err, "PracticePost could not remove the logo.")
		}
		if err := tx.Audit(ctx, "practice manager", "brand.logo.remove", "brand kit", nil); err != nil {
			return err
		}
		var err error
		saved, err = readBrandKit(ctx, tx)
		return err
	})
	return saved, err
}

func (tx *Tx) putBrandKit(ctx context.Context, b app.BrandKit) error {
	tags, _ := json.Marshal(nonNil(b.Hashtags))
	var logo any
	if b.LogoSHA256 != "" {
		logo = b.LogoSHA256
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO brand_kit (id, practice_name, address, phone, email, website, country, disclaimer, hashtags,
		color_primary, color_secondary, color_accent, color_text, color_background, heading_font, body_font, logo_sha256, updated_at)
		VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT(id) DO UPDATE SET practice_name=excluded.practice_name, address=excluded.address, phone=excluded.phone,
		email=excluded.email, website=excluded.website, country=excluded.country, disclaimer=excluded.disclaimer, hashtags=excluded.hashtags,
		color_primary=excluded.color_primary, color_secondary=excluded.color_secondary, color_accent=excluded.color_accent,
		color_text=excluded.color_text, color_background=excluded.color_background, heading_font=excluded.heading_font,
		body_font=excluded.body_font, logo_sha256=excluded.logo_sha256, updated_at=excluded.updated_at`,
		b.PracticeName, b.Address, b.Phone, b.Email, b.Website, b.Country, b.Disclaimer, string(tags),
		b.Colors.Primary, b.Colors.Secondary, b.Colors.Accent, b.Colors.Text, b.Colors.Background, b.HeadingFont, b.BodyFont, logo, formatTime(tx.now))
	if err != nil {
		return app.Internal(err, "PracticePost could not save the brand kit.")
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM clinicians"); err != nil {
		return app.Internal(err, "PracticePost could not save the clinicians.")
	}
	for i, c := range b.Clinicians {
		if _, err := tx.ExecContext(ctx, "INSERT INTO clinicians (position, name, role, regulator, number, specialist) VALUES (?, ?, ?, ?, ?, ?)",
			i, c.Name, c.Role, c.Regulator, c.Number, c.Specialist); err != nil {
			return app.Internal(err, "PracticePost could not save the clinicians.")
		}
	}
	return nil
}

// changedFields names the JSON fields that differ, for the activity log.
// Values are not logged: a clinician's details are staff data.
func changedFields(a, b app.BrandKit) []string {
	a.UpdatedAt = b.UpdatedAt
	va, vb := reflect.ValueOf(a), reflect.ValueOf(b)
	t := va.Type()
	var out []string
	for i := range t.NumField() {
		if !reflect.DeepEqual(nilToEmpty(va.Field(i).Interface()), nilToEmpty(vb.Field(i).Interface())) {
			out = append(out, strings.Split(t.Field(i).Tag.Get("json"), ",")[0])
		}
	}
	sort.Strings(out)
	return out
}

func nilToEmpty(v any) any {
	switch x := v.(type) {
	case []string:
		if x == nil {
			return []string{}
		}
	case []app.Clinician:
		if x == nil {
			return []app.Clinician{}
		}
	}
	return v
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}
