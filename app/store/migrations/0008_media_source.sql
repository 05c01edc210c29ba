-- Where a Studio image came from, so the pre-publish guard can check the
-- consent behind it. A quote card with a patient's words and name baked in
-- is as much a use of their testimonial as quoting it in the post text.
--
-- testimonial_id: the testimonial the image was made from; NULL when the
-- text was typed by hand. Deleting a testimonial an image still shows is
-- refused rather than silently cutting the link the guard relies on.
ALTER TABLE media ADD COLUMN testimonial_id INTEGER REFERENCES testimonials (id);
-- identity: how the image names the patient, as an identity element
-- ('full_name', 'first_name', 'initials', 'anonymous'); '' when the design
-- names no one.
ALTER TABLE media ADD COLUMN identity TEXT NOT NULL DEFAULT ''
    CHECK (identity IN ('', 'full_name', 'first_name', 'initials', 'anonymous'));
-- image_text: every word drawn into the image (quote, attribution, caption,
-- headline, practice details), one text element per line, for the
-- identifier scan. NULL for images kept before this was recorded: the
-- guard cannot read those and says so.
ALTER TABLE media ADD COLUMN image_text TEXT;
CREATE INDEX media_testimonial ON media (testimonial_id) WHERE testimonial_id IS NOT NULL;
