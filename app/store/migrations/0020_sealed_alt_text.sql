-- From this version alt text is sealed too (and, below, a testimonial's
-- source and file names): it is the manager's own words
-- about an image, and it names whoever the image shows as readily as a
-- caption does ("Margaret after her whitening"). A draft's and a publish
-- request's images are JSON that the store reads in SQL (which drafts use a
-- design, whether a request still needs a blob), so their alt texts move
-- out of that JSON into a column of their own, in the images' order. The
-- library's alt_text is sealed where it is; its CHECK that the text is not
-- blank cannot read a sealed value, so the table is rebuilt without it (the
-- store checks the words before sealing them, app.CheckAltText) with the
-- same ids, which keeps image_text, sealed to its id, readable. Sealing
-- needs the data key, so the store seals these values when it opens a file
-- from before this step (sealedColumns in sealed.go names the columns and
-- this version).
-- practicepost: rebuild

ALTER TABLE drafts ADD COLUMN alt_texts BLOB NOT NULL DEFAULT '[]'; -- JSON array, one per image in media
UPDATE drafts SET
    alt_texts = (SELECT json_group_array(COALESCE(json_extract(j.value, '$.altText'), '') ORDER BY j.key) FROM json_each(drafts.media) j),
    media = (SELECT json_group_array(json(json_remove(j.value, '$.altText')) ORDER BY j.key) FROM json_each(drafts.media) j);

ALTER TABLE publish_requests ADD COLUMN alts BLOB NOT NULL DEFAULT '[]'; -- JSON array, one per image in media
UPDATE publish_requests SET
    alts = (SELECT json_group_array(COALESCE(json_extract(j.value, '$.alt'), '') ORDER BY j.key) FROM json_each(publish_requests.media) j),
    media = (SELECT json_group_array(json(json_remove(j.value, '$.alt')) ORDER BY j.key) FROM json_each(publish_requests.media) j);

-- A testimonial's media labels are the names its files came with (an
-- emailed photo's "jane_smith_before.jpg"): they move to a column of their
-- own as alt text does, since the store finds a blob's testimonials in SQL;
-- the free-text source ("Where it came from") is sealed where it is.
ALTER TABLE testimonials ADD COLUMN media_labels BLOB NOT NULL DEFAULT '[]'; -- JSON array, one per file in media
UPDATE testimonials SET
    media_labels = (SELECT json_group_array(COALESCE(json_extract(j.value, '$.label'), '') ORDER BY j.key) FROM json_each(testimonials.media) j),
    media = (SELECT json_group_array(json(json_remove(j.value, '$.label')) ORDER BY j.key) FROM json_each(testimonials.media) j);

CREATE TABLE media_0020 (
    id             INTEGER PRIMARY KEY,
    set_id         TEXT NOT NULL,                 -- the sizes made by one "Render all sizes" share it
    blob_sha256    TEXT NOT NULL REFERENCES blobs(sha256),
    mime           TEXT NOT NULL,
    template       TEXT NOT NULL,
    layout         TEXT NOT NULL DEFAULT '',
    size_id        TEXT NOT NULL,
    width          INTEGER NOT NULL,
    height         INTEGER NOT NULL,
    bytes          INTEGER NOT NULL,
    alt_text       BLOB NOT NULL,                 -- sealed; not blank (checked before sealing)
    created_at     TEXT NOT NULL,
    testimonial_id INTEGER REFERENCES testimonials (id),
    identity       TEXT NOT NULL DEFAULT ''
        CHECK (identity IN ('', 'full_name', 'first_name', 'initials', 'anonymous')),
    image_text     TEXT,
    sources        TEXT NOT NULL DEFAULT '[]'
        CHECK (json_valid(sources) AND json_type(sources) = 'array'),
    sources_known  INTEGER NOT NULL DEFAULT 0
        CHECK (sources_known IN (0, 1) AND (sources_known = 1 OR sources = '[]')),
    attribution    TEXT NOT NULL DEFAULT ''
        CHECK (attribution IN ('', 'testimonial', 'not_patient')
           AND (attribution != 'testimonial' OR testimonial_id IS NOT NULL))
);
INSERT INTO media_0020 (id, set_id, blob_sha256, mime, template, layout, size_id, width, height, bytes, alt_text, created_at,
    testimonial_id, identity, image_text, sources, sources_known, attribution)
SELECT id, set_id, blob_sha256, mime, template, layout, size_id, width, height, bytes, alt_text, created_at,
    testimonial_id, identity, image_text, sources, sources_known, attribution FROM media;
DROP TABLE media;
ALTER TABLE media_0020 RENAME TO media;
CREATE INDEX media_created ON media(created_at DESC, id DESC);
CREATE INDEX media_set ON media(set_id);
CREATE INDEX media_blob ON media(blob_sha256);
CREATE INDEX media_testimonial ON media (testimonial_id) WHERE testimonial_id IS NOT NULL;
CREATE INDEX media_sources_unknown ON media (created_at DESC, id DESC) WHERE sources_known = 0;
