-- Where the photos in a Studio image came from, so the consent gate knows
-- whether a patient is shown and under which consent, and whose words a
-- quote card carries.
--
-- sources: JSON array of app.ImageSource, one per photo placed in the
-- design: made from a consent's media (consent id, the media's sha256, what
-- the image shows of the patient) or declared by the manager as showing no
-- patient (team, premises, stock, illustration). '[]' with sources_known = 1
-- means the design holds no photo at all.
ALTER TABLE media ADD COLUMN sources TEXT NOT NULL DEFAULT '[]'
    CHECK (json_valid(sources) AND json_type(sources) = 'array');
-- sources_known: 0 for images kept before PracticePost asked where photos
-- come from, until the manager declares them (Home lists them). The gate
-- blocks a post that uses one.
ALTER TABLE media ADD COLUMN sources_known INTEGER NOT NULL DEFAULT 0
    CHECK (sources_known IN (0, 1) AND (sources_known = 1 OR sources = '[]'));
-- attribution: whose words a quote card carries. 'testimonial': a patient's
-- testimonial (testimonial_id names it; its consent applies); 'not_patient':
-- a team member or public figure; '' for a design that quotes no one, and
-- for a hand-typed card made before PracticePost asked (identity names a
-- form but attribution is empty: unknown).
ALTER TABLE media ADD COLUMN attribution TEXT NOT NULL DEFAULT ''
    CHECK (attribution IN ('', 'testimonial', 'not_patient')
       AND (attribution != 'testimonial' OR testimonial_id IS NOT NULL));

-- What the data already shows. These layouts draw no photo whatever the
-- form held (their only background is a brand colour), so an image made
-- with them shows no one: known, with no sources. The list is the bundled
-- templates as they have always been (assets/templates; a test checks it
-- against the engine). Every other image was made with a layout that can
-- draw a photo and nothing recorded whether it did: it stays unknown.
UPDATE media SET sources_known = 1
WHERE template = 'myth'
   OR (template, layout) IN (VALUES ('testimonial', 'classic'), ('tip', 'card'), ('event', 'poster'));

-- A card made from a testimonial quotes that patient.
UPDATE media SET attribution = 'testimonial' WHERE testimonial_id IS NOT NULL;

CREATE INDEX media_sources_unknown ON media (created_at DESC, id DESC) WHERE sources_known = 0;
