package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"practicepost/app"
)

// EnsureTemplates stores each shipped form whose wording is not stored yet.
// Versions are never edited: when a newer release ships new wording under a
// version number the practice's own edit already holds, the shipped text
// becomes the next free version, and the practice's wording stays in the
// history to restore.
func (d *DB) EnsureTemplates(ctx context.Context, ts []app.ConsentTemplate) error {
	return d.Tx(ctx, func(tx *Tx) error {
		for _, t := range ts {
			var stored, taken, newest int
			err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FILTER (WHERE sha256 = ?), COUNT(*) FILTER (WHERE version = ?), COALESCE(MAX(version), 0)
				FROM consent_templates WHERE key = ?`, t.SHA256, t.Version, t.Key).Scan(&stored, &taken, &newest)
			if err != nil {
				return app.Internal(err, "PracticePost could not read the consent forms.")
			}
			if stored > 0 {
				continue
			}
			if taken > 0 {
				t.Version = newest + 1
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO consent_templates (key, version, country, title, review_notice, body, sha256, created_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, t.Key, t.Version, t.Country, t.Title, t.ReviewNotice, t.Body, t.SHA256, formatTime(tx.now)); err != nil {
				return app.Internal(err, "PracticePost could not save the consent forms.")
			}
			if err := tx.Audit(ctx, "system", "consent.template.add", "consent form "+t.VersionID(), map[string]string{"sha256": t.SHA256}); err != nil {
				return err
			}
		}
		return nil
	})
}

// AddTemplateVersion stores a practice's edit as the next version of its
// form. The version must follow the newest stored one exactly, so two
// saves racing from stale screens cannot both claim the same place.
func (d *DB) AddTemplateVersion(ctx context.Context, t app.ConsentTemplate, actor string) error {
	return d.Tx(ctx, func(tx *Tx) error {
		var newest int
		if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) FROM consent_templates WHERE key = ?", t.Key).Scan(&newest); err != nil {
			return app.Internal(err, "PracticePost could not read the consent forms.")
		}
		if newest == 0 {
			return app.Errorf(app.ENOTFOUND, "The consent form %s is not in PracticePost.", t.Key)
		}
		if t.Version != newest+1 {
			return app.Errorf(app.ECONFLICT, "The consent wording was changed in the meantime (now version %d). Reload it and make your change again.", newest)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO consent_templates (`+templateCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			t.Key, t.Version, t.Country, t.Title, t.ReviewNotice, t.Body, t.SHA256, formatTime(tx.now)); err != nil {
			return app.Internal(err, "PracticePost could not save the consent wording.")
		}
		return tx.Audit(ctx, actor, "consent.template.add", "consent form "+t.VersionID(), map[string]string{"sha256": t.SHA256})
	})
}

const templateCols = "key, version, country, title, review_notice, body, sha256, created_at"

// Templates lists every stored form version, newest version of each key first.
func (d *DB) Templates(ctx context.Context) ([]app.ConsentTemplate, error) {
	return readAll(ctx, d, "PracticePost could not read the consent forms.", scanTemplate, "SELECT "+templateCols+" FROM consent_templates ORDER BY key, version DESC")
}

// Template reads one version by its id, e.g. "uk-gdpr-explicit@1".
func (d *DB) Template(ctx context.Context, versionID string) (app.ConsentTemplate, error) {
	var t app.ConsentTemplate
	key, v, ok := strings.Cut(versionID, "@")
	n, err := strconv.Atoi(v)
	if !ok || err != nil {
		return t, app.Errorf(app.ENOTFOUND, "The consent form version %q is not known.", versionID)
	}
	return readOne(ctx, d, "The consent form version "+versionID+" is not in PracticePost.",
		"PracticePost could not read the consent form.", scanTemplate, "SELECT "+templateCols+" FROM consent_templates WHERE key = ? AND version = ?", key, n)
}

func scanTemplate(s scanner) (app.ConsentTemplate, error) {
	var t app.ConsentTemplate
	var created string
	if err := s.Scan(&t.Key, &t.Version, &t.Country, &t.Title, &t.ReviewNotice, &t.Body, &t.SHA256, &created); err != nil {
		return t, err
	}
	var err error
	t.CreatedAt, err = parseTime(created)
	return t, err
}

// InsertConsent stores a signed consent, its evidence blobs and its PDF in
// one transaction, and logs it. There is no way to change it afterwards.
func (d *DB) InsertConsent(ctx context.Context, n app.NewConsent) (app.ConsentEntry, error) {
	c := n.Consent
	if c.ID != 0 || c.EvidenceHash == "" {
		return app.ConsentEntry{}, app.Errorf(app.EINVALID, "Only a newly signed consent can be stored.")
	}
	if len(n.PDF) == 0 {
		return app.ConsentEntry{}, app.Errorf(app.EINVALID, "The signed copy (PDF) is missing, so the consent was not stored.")
	}
	if n.Testimonial != nil && n.Link != nil {
		return app.ConsentEntry{}, app.Errorf(app.EINVALID, "A consent is either for a waiting testimonial or for a new one, not both.")
	}
	var entry app.ConsentEntry
	var held bool
	err := d.Tx(ctx, func(tx *Tx) error {
		var sigSHA, scanSHA any
		if len(n.SignaturePNG) > 0 {
			s, err := tx.PutBlob(ctx, n.SignaturePNG, "image/png", 0, 0)
			if err != nil {
				return err
			}
			if s != c.Signature.ImageSHA256 {
				return app.Errorf(app.ECONFLICT, "The signature image does not match the one the consent records.")
			}
			sigSHA = s
		}
		if len(n.Scan) > 0 {
			s, err := tx.PutBlob(ctx, n.Scan, n.ScanMIME, 0, 0)
			if err != nil {
				return err
			}
			if s != c.Signature.ScanSHA256 {
				return app.Errorf(app.ECONFLICT, "The scanned form does not match the one the consent records.")
			}
			scanSHA = s
		}
		pdfSHA, err := tx.PutBlob(ctx, n.PDF, "application/pdf", 0, 0)
		if err != nil {
			return err
		}
		rec, err := json.Marshal(c)
		if err != nil {
			return app.Internal(err, "PracticePost could not save the consent.")
		}
		// The id is chosen before the insert because the sealed record is
		// bound to it.
		if err := tx.nextID(ctx, "consents", &c.ID); err != nil {
			return app.Internal(err, "PracticePost could not save the consent.")
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO consents (id, patient_id, template_version, method, signed_at, expires_at, evidence_hash,
			record, signature_sha256, scan_sha256, pdf_sha256, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			c.ID, c.PatientID, c.TemplateVersion, string(c.Method), formatTime(c.SignedAt), formatTime(c.ExpiresAt), c.EvidenceHash,
			tx.seal("consents", "record", rowID(c.ID), rec), sigSHA, scanSHA, pdfSHA, formatTime(tx.now))
		if err != nil {
			if constraint(err) == constraintForeignKey {
				return app.Errorf(app.ENOTFOUND, "That patient is not in PracticePost, so the consent was not stored.")
			}
			return app.Internal(err, "PracticePost could not save the consent.")
		}
		subject := "consent:" + strconv.FormatInt(c.ID, 10)
		if err := tx.Audit(ctx, "practice manager", "consent.sign", subject, map[string]string{
			"patient": strconv.FormatInt(c.PatientID, 10), "method": string(c.Method), "form": c.TemplateVersion,
			"evidence": c.EvidenceHash, "pdf": pdfSHA,
		}); err != nil {
			return err
		}
		if n.Testimonial != nil {
			t := *n.Testimonial
			t.ConsentID, t.PatientID = c.ID, c.PatientID
			if _, err := tx.insertTestimonial(ctx, t); err != nil {
				return err
			}
		}
		if n.Link != nil {
			if _, err := tx.linkTestimonial(ctx, c, *n.Link); err != nil {
				return err
			}
		}
		if held, err = tx.holdForLaterWithdrawal(ctx, c); err != nil {
			return app.Internal(err, "PracticePost could not save the consent.")
		}
		entry = app.ConsentEntry{Consent: c, PDFSHA256: pdfSHA, CreatedAt: formatTime(tx.now)}
		return nil
	})
	if err == nil && held {
		es := []app.ConsentEntry{entry}
		err = d.withHolds(ctx, es)
		entry = es[0]
	}
	return entry, err
}

// ListConsents returns stored consents, newest first, with any withdrawal.
func (d *DB) ListConsents(ctx context.Context, f app.ConsentFilter) ([]app.ConsentEntry, error) {
	q := `SELECT c.id, c.record, c.pdf_sha256, c.created_at, r.at, r.received_by, r.note, r.recorded_at
		FROM consents c LEFT JOIN consent_revocations r ON r.consent_id = c.id`
	q += " WHERE (? = 0 OR c.patient_id = ?) AND c.signed_at >= ?"
	args := []any{f.PatientID, f.PatientID, formatTime(f.SignedSince)}
	q += " ORDER BY c.signed_at DESC, c.id DESC"
	es, err := readAll(ctx, d, "PracticePost could not read the consents.", d.scanConsent, q, args...)
	if err != nil {
		return nil, err
	}
	if err := d.withQuoteApprovals(ctx, es); err != nil {
		return nil, err
	}
	return es, d.withHolds(ctx, es)
}

// Consent reads one stored consent with any withdrawal.
func (d *DB) Consent(ctx context.Context, id int64) (app.ConsentEntry, error) {
	e, err := readOne(ctx, d, "That consent is not in PracticePost.",
		"PracticePost could not read the consent.", d.scanConsent, `SELECT c.id, c.record, c.pdf_sha256, c.created_at, r.at, r.received_by, r.note, r.recorded_at
		FROM consents c LEFT JOIN consent_revocations r ON r.consent_id = c.id WHERE c.id = ?`, id)
	if err != nil {
		return e, err
	}
	es := []app.ConsentEntry{e}
	if err := d.withQuoteApprovals(ctx, es); err != nil {
		return e, err
	}
	err = d.withHolds(ctx, es)
	return es[0], err
}

func (d *DB) scanConsent(s scanner) (app.ConsentEntry, error) {
	var e app.ConsentEntry
	var id int64
	var rec string
	var at, by, recorded sql.NullString
	var note sql.NullString
	if err := s.Scan(&id, d.text("consents", "record", &id, &rec), &e.PDFSHA256, &e.CreatedAt, &at, &by,
		d.nullText("consent_revocations", "note", &id, &note), &recorded); err != nil {
		return e, err
	}
	if err := json.Unmarshal([]byte(rec), &e.Consent); err != nil {
		return e, fmt.Errorf("consent %d: unreadable record: %w", id, err)
	}
	e.Consent.ID = id
	if at.Valid {
		r := app.ConsentRevocation{ConsentID: id, ReceivedBy: by.String, Note: note.String}
		var err error
		if r.At, err = parseTime(at.String); err != nil {
			return e, err
		}
		if r.RecordedAt, err = parseTime(recorded.String); err != nil {
			return e, err
		}
		e.Revocation = &r
	}
	return e, nil
}

// RevokeConsent records a withdrawal (built by consent.Revoke). A consent
// can be withdrawn once; a second attempt is a conflict.
func (d *DB) RevokeConsent(ctx context.Context, r app.ConsentRevocation) error {
	return d.Tx(ctx, func(tx *Tx) error {
		var exists int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM consents WHERE id = ?", r.ConsentID).Scan(&exists); err != nil {
			return app.Internal(err, "PracticePost could not read the consent.")
		}
		if exists == 0 {
			return app.Errorf(app.ENOTFOUND, "That consent is not in PracticePost.")
		}
		var already int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM consent_revocations WHERE consent_id = ?", r.ConsentID).Scan(&already); err != nil {
			return app.Internal(err, "PracticePost could not read the consent.")
		}
		if already > 0 {
			return app.Errorf(app.ECONFLICT, "This consent has already been withdrawn.")
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO consent_revocations (consent_id, at, received_by, note, recorded_at) VALUES (?, ?, ?, ?, ?)",
			r.ConsentID, formatTime(r.At), r.ReceivedBy, tx.sealText("consent_revocations", "note", rowID(r.ConsentID), r.Note), formatTime(tx.now)); err != nil {
			return app.Internal(err, "PracticePost could not record the withdrawal.")
		}
		// In the same transaction, so no queued post relying on it can
		// start sending after the withdrawal is on record.
		if _, err := tx.RevokePublishConsent(ctx, strconv.FormatInt(r.ConsentID, 10)); err != nil {
			return err
		}
		return tx.Audit(ctx, "practice manager", "consent.revoke", "consent:"+strconv.FormatInt(r.ConsentID, 10),
			map[string]string{"receivedBy": r.ReceivedBy, "at": formatTime(r.At)})
	})
}

// LinkPublication records that a published post relied on a consent. The
// publishing code calls it once the platform has confirmed the post.
func (tx *Tx) LinkPublication(ctx context.Context, p app.Publication) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO consent_publications (consent_id, post_id, platform, remote_id, url, published_at)
		VALUES (?, ?, ?, ?, ?, ?)`, p.ConsentID, p.PostID, p.Platform, p.RemoteID, p.URL, p.PublishedAt)
	if err != nil {
		return app.Internal(err, "PracticePost could not link the post to its consent.")
	}
	return nil
}

// TakedownList is every live post (not yet removed) that relied on the consent.
func (d *DB) TakedownList(ctx context.Context, consentID int64) ([]app.Publication, error) {
	return readAll(ctx, d, "PracticePost could not read the posts that used this consent.", scanPublication,
		`SELECT consent_id, post_id, platform, remote_id, url, published_at
		FROM consent_publications WHERE consent_id = ? AND removed_at IS NULL ORDER BY published_at`, consentID)
}

func scanPublication(s scanner) (app.Publication, error) {
	var p app.Publication
	err := s.Scan(&p.ConsentID, &p.PostID, &p.Platform, &p.RemoteID, &p.URL, &p.PublishedAt)
	return p, err
}

// ConsentsKey changes whenever a consent, a withdrawal, a hold, an approval
// of new words or a form version is added, or a hold ends: consents and withdrawals can be neither
// changed nor deleted, so counts and sizes tell. The consent gate keeps the
// decoded consents between checks while it stays the same. The largest
// evidence hash keeps a restored file with the same counts from passing for
// this one, without reading the records themselves.
func (d *DB) ConsentsKey(ctx context.Context) (string, error) {
	var k string
	err := d.read(func(db querier) error {
		return db.QueryRowContext(ctx, `SELECT
			(SELECT COUNT(*) || ':' || COALESCE(MAX(id), 0) || ':' || COALESCE(MAX(evidence_hash), '') FROM consents) || '|' ||
			(SELECT COUNT(*) || ':' || COALESCE(SUM(length(at) + length(note)), 0) FROM consent_revocations) || '|' ||
			(SELECT COUNT(*) || ':' || COALESCE(MAX(id), 0) || ':' || COUNT(released_at) FROM consent_holds) || '|' ||
			(SELECT COUNT(*) FROM consent_templates) || '|' ||
			(SELECT COUNT(*) || ':' || COALESCE(MAX(id), 0) FROM quote_approvals)`).Scan(&k)
	})
	if err != nil {
		return "", app.Internal(err, "PracticePost could not read the consents.")
	}
	return k, nil
}
