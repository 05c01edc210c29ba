package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"practicepost/app"
)

var sha256Hex = regexp.MustCompile(`^[0-9a-f]{64}$`)

// sourceShows are the parts of a patient a photo can show that a consent
// scopes; anything else on a source is a mistake in the caller.
var sourceShows = []app.IdentityElement{app.IdentityFace, app.IdentityBeforeAfter}

// checkAttribution says whose words an image about to be kept carries. A
// card made from a testimonial quotes that patient, whatever the caller said.
func checkAttribution(it app.NewMedia) (string, error) {
	switch {
	case it.TestimonialID != 0 && (it.Attribution == "" || it.Attribution == app.AttributionTestimonial):
		return app.AttributionTestimonial, nil
	case it.TestimonialID != 0:
		return "", app.Errorf(app.EINVALID, "A card made from a testimonial carries that patient's words; it cannot also be marked as someone else's. Render it again.")
	case it.Attribution == app.AttributionTestimonial:
		return "", app.Errorf(app.EINVALID, "The card says it quotes a testimonial but names none. Choose the testimonial under “From a testimonial” and render again.")
	case it.Attribution == "" || it.Attribution == app.AttributionNotPatient:
		return it.Attribution, nil
	}
	return "", app.Errorf(app.EINVALID, "Say whose words the quote card carries: a patient's testimonial, or a team member or public figure. Then render again.")
}

// checkSources validates the provenance of the photos in an image and
// returns it as stored. A consent source must name media its consent
// covers, so a photo cannot claim a consent that never included it.
func (tx *Tx) checkSources(ctx context.Context, srcs []app.ImageSource, known bool) (string, error) {
	if !known {
		if len(srcs) > 0 {
			return "", app.Errorf(app.EINVALID, "PracticePost has the photos' sources but not whether they are complete. Render the sizes again.")
		}
		return "[]", nil
	}
	redo := "Choose the photo again in the Studio, from its consent or saying what it shows, and render again."
	for _, s := range srcs {
		switch s.Kind {
		case app.SourceConsent:
			if s.ConsentID <= 0 || !sha256Hex.MatchString(s.MediaSHA256) || s.Declared != "" {
				return "", app.Errorf(app.EINVALID, "A photo's consent is not recorded properly. %s", redo)
			}
			for _, e := range s.Shows {
				if !slices.Contains(sourceShows, e) {
					return "", app.Errorf(app.EINVALID, "A photo is recorded as showing %q of the patient; only the face and before-and-after are recorded. %s", e, redo)
				}
			}
			var record string
			err := tx.QueryRowContext(ctx, "SELECT record FROM consents WHERE id = ?", s.ConsentID).Scan(tx.db.text("consents", "record", &s.ConsentID, &record))
			if errors.Is(err, sql.ErrNoRows) {
				return "", app.Errorf(app.ENOTFOUND, "The consent a photo was chosen from is no longer in PracticePost. %s", redo)
			} else if err != nil {
				return "", app.Internal(err, "PracticePost could not read the consent behind a photo.")
			}
			var c app.Consent
			if err := json.Unmarshal([]byte(record), &c); err != nil {
				return "", app.Internal(err, "PracticePost could not read the consent behind a photo.")
			}
			if !slices.ContainsFunc(c.Media, func(m app.ConsentMedia) bool {
				return m.SHA256 == s.MediaSHA256 && (m.Kind == "photo" || m.Kind == "before_after")
			}) {
				return "", app.Errorf(app.EINVALID, "The photo is not one of the photos that consent covers. %s", redo)
			}
		case app.SourceDeclared:
			if !slices.Contains(app.SourceDeclarations, s.Declared) || s.ConsentID != 0 || s.MediaSHA256 != "" || len(s.Shows) > 0 {
				return "", app.Errorf(app.EINVALID, "Say what a photo that shows no patient is: the team, the premises, a stock photo or an illustration. %s", redo)
			}
		default:
			return "", app.Errorf(app.EINVALID, "A photo has no source. %s", redo)
		}
	}
	b, err := json.Marshal(cloneSources(srcs))
	if err != nil {
		return "", app.Internal(err, "PracticePost could not record where the photos came from.")
	}
	return string(b), nil
}

func cloneSources(srcs []app.ImageSource) []app.ImageSource {
	out := make([]app.ImageSource, 0, len(srcs))
	for _, s := range srcs {
		s.Shows = slices.Clone(s.Shows)
		out = append(out, s)
	}
	return out
}

// sourceDetail describes the sources for the activity log by consent
// number and declaration only: never a patient's name or a file name.
func sourceDetail(srcs []app.ImageSource, known bool) map[string]string {
	if !known {
		return map[string]string{"photos": "source not recorded"}
	}
	if len(srcs) == 0 {
		return map[string]string{"photos": "none"}
	}
	var parts []string
	for _, s := range srcs {
		if s.Kind == app.SourceConsent {
			p := "consent " + strconv.FormatInt(s.ConsentID, 10)
			if len(s.Shows) > 0 {
				var shows []string
				for _, e := range s.Shows {
					shows = append(shows, string(e))
				}
				p += " (shows " + strings.Join(shows, ", ") + ")"
			}
			parts = append(parts, p)
		} else {
			parts = append(parts, "declared "+s.Declared)
		}
	}
	return map[string]string{"photos": strings.Join(parts, "; ")}
}

// MediaSet reads every size of one design, in the order they were kept. A
// declaration or a post's check applies to the whole set.
func (d *DB) MediaSet(ctx context.Context, setID string) ([]app.Media, error) {
	return readAll(ctx, d, "PracticePost could not read the media library.", d.scanMedia,
		"SELECT "+mediaColumns+" FROM media WHERE set_id = ? ORDER BY id", setID)
}

// UnplacedImages lists the designs waiting for their provenance, newest
// first (Home's "Images waiting for their source").
func (d *DB) UnplacedImages(ctx context.Context) ([]app.UnplacedImage, error) {
	return readAll(ctx, d, "PracticePost could not read the media library.", d.scanUnplaced, `
		SELECT m.set_id, MIN(m.template), MIN(m.id),
			(SELECT s.alt_text FROM media s WHERE s.set_id = m.set_id ORDER BY s.id LIMIT 1),
			(SELECT s.blob_sha256 FROM media s WHERE s.set_id = m.set_id ORDER BY s.width * s.height, s.id LIMIT 1),
			COUNT(*), MIN(m.created_at), MAX(m.sources_known = 0), MAX(m.identity != '' AND m.attribution = ''),
			(SELECT COUNT(DISTINCT d.id) FROM drafts d, json_each(d.media) j
			 WHERE d.deleted_at IS NULL AND d.status != 'published'
			   AND (json_extract(j.value, '$.mediaId') IN (SELECT s.id FROM media s WHERE s.set_id = m.set_id)
			    OR json_extract(j.value, '$.sha256') IN (SELECT s.blob_sha256 FROM media s WHERE s.set_id = m.set_id)))
		FROM media m
		WHERE m.sources_known = 0 OR (m.identity != '' AND m.attribution = '')
		GROUP BY m.set_id
		ORDER BY MIN(m.created_at) DESC, MIN(m.id) DESC`)
}

// scanUnplaced reads a design's row; its alt text is the first size's,
// sealed to that row's id (every size of a design is kept with one).
func (d *DB) scanUnplaced(r scanner) (app.UnplacedImage, error) {
	var u app.UnplacedImage
	var created string
	var first int64
	if err := r.Scan(&u.SetID, &u.Template, &first, d.text("media", "alt_text", &first, &u.AltText), &u.SHA256, &u.Sizes, &created, &u.SourcesUnknown, &u.WordsUnknown, &u.Drafts); err != nil {
		return u, err
	}
	var err error
	u.CreatedAt, err = parseTime(created)
	return u, err
}

// DeclareImage records the manager's declaration for every size of a
// design and writes it to the activity log. Only what is unknown can be
// declared: a photo recorded as a consent's can never be re-labelled as
// showing no patient, and a card made from a testimonial stays the
// patient's words.
func (d *DB) DeclareImage(ctx context.Context, setID string, dec app.ImageDeclaration) error {
	if dec.Declared != "" && !slices.Contains(app.SourceDeclarations, dec.Declared) {
		return app.FieldError("declared", "Say what the photo shows: the team, the premises, a stock photo or an illustration.")
	}
	if dec.Declared == "" && !dec.NotPatientWords {
		return app.FieldError("declared", "Choose what the image shows, or whose words it carries, before saving.")
	}
	return d.Tx(ctx, func(tx *Tx) error {
		var n, unknown, unattributed int
		var tpl sql.NullString
		err := tx.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(sources_known = 0), 0), COALESCE(SUM(identity != '' AND attribution = ''), 0), MIN(template)
			FROM media WHERE set_id = ?`, setID).Scan(&n, &unknown, &unattributed, &tpl)
		if err != nil {
			return app.Internal(err, "PracticePost could not read the media library.")
		}
		if n == 0 {
			return app.Errorf(app.ENOTFOUND, "That image is no longer in the library.")
		}
		detail := map[string]string{"set": setID, "images": strconv.Itoa(n)}
		if dec.Declared != "" {
			if unknown == 0 {
				return app.Errorf(app.ECONFLICT, "Where this image's photos came from is already recorded, so it cannot be declared again. To use a different photo, make the image again in the Studio.")
			}
			src, _ := json.Marshal([]app.ImageSource{{Kind: app.SourceDeclared, Declared: dec.Declared}})
			if _, err := tx.ExecContext(ctx, "UPDATE media SET sources = ?, sources_known = 1 WHERE set_id = ? AND sources_known = 0", string(src), setID); err != nil {
				return app.Internal(err, "PracticePost could not record the declaration.")
			}
			detail["declared"] = dec.Declared
		}
		if dec.NotPatientWords {
			if unattributed == 0 {
				return app.Errorf(app.ECONFLICT, "Whose words this image carries is already recorded. To change them, make the card again in the Studio.")
			}
			if _, err := tx.ExecContext(ctx, "UPDATE media SET attribution = ? WHERE set_id = ? AND identity != '' AND attribution = ''", app.AttributionNotPatient, setID); err != nil {
				return app.Internal(err, "PracticePost could not record the declaration.")
			}
			detail["words"] = app.AttributionNotPatient
		}
		return tx.Audit(ctx, "practice manager", "media.declare", "design "+tpl.String, detail)
	})
}

// PatientMediaUses counts the consents and testimonials that hold a file
// with this sha256 as a patient's media (or signature), so a patient's photo
// added again from a folder is recognised as theirs.
func (d *DB) PatientMediaUses(ctx context.Context, sha string) (int, error) {
	if !sha256Hex.MatchString(sha) {
		return 0, nil
	}
	// Consent records are sealed, so they are opened and searched here.
	n := 0
	err := d.read(func(db querier) error {
		if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM testimonials WHERE instr(media, ?) > 0", sha).Scan(&n); err != nil {
			return err
		}
		rows, err := db.QueryContext(ctx, "SELECT id, record FROM consents")
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var rec string
			if err := rows.Scan(&id, d.text("consents", "record", &id, &rec)); err != nil {
				return err
			}
			if strings.Contains(rec, sha) {
				n++
			}
		}
		return rows.Err()
	})
	if err != nil {
		return 0, app.Internal(err, "PracticePost could not read the consents.")
	}
	return n, nil
}
