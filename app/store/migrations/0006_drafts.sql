-- Drafts and the content calendar, and the practice's own ideas library.
-- A scheduled draft keeps both the instant (UTC) and the wall-clock time in
-- its zone, so a 09:00 post stays at 09:00 across clock changes.

CREATE TABLE drafts (
    id            INTEGER PRIMARY KEY,
    title         TEXT NOT NULL DEFAULT '',
    body          TEXT NOT NULL DEFAULT '',
    versions      TEXT NOT NULL DEFAULT '{}', -- JSON {channel: text}
    channels      TEXT NOT NULL DEFAULT '[]', -- JSON array of channel ids
    hashtags      TEXT NOT NULL DEFAULT '[]',
    link          TEXT NOT NULL DEFAULT '',
    utm           INTEGER NOT NULL DEFAULT 1,
    campaign      TEXT NOT NULL DEFAULT '',
    pillar        TEXT NOT NULL DEFAULT '',
    media         TEXT NOT NULL DEFAULT '[]', -- JSON [{mediaId, sha256, altText}]
    testimonials  TEXT NOT NULL DEFAULT '[]', -- JSON array of testimonial ids
    status        TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'scheduled', 'published')),
    scheduled_at  TEXT,                       -- UTC instant; NULL unless scheduled
    local_time    TEXT NOT NULL DEFAULT '',   -- "2026-03-30T09:00" in zone; '' when no day is planned
    zone          TEXT NOT NULL DEFAULT '',
    awareness_id  TEXT NOT NULL DEFAULT '',
    deleted_at    TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    CHECK (status != 'scheduled' OR (scheduled_at IS NOT NULL AND local_time != '' AND zone != ''))
);
CREATE INDEX drafts_local_time ON drafts(local_time) WHERE deleted_at IS NULL;
CREATE INDEX drafts_updated ON drafts(updated_at DESC) WHERE deleted_at IS NULL;

-- The ideas library starts as a copy of the bundled ideas; the practice edits
-- its copy. source_id names the bundled idea a row came from.
CREATE TABLE ideas (
    id          INTEGER PRIMARY KEY,
    source_id   TEXT NOT NULL DEFAULT '',
    specialty   TEXT NOT NULL,
    pillar      TEXT NOT NULL,
    title       TEXT NOT NULL,
    text        TEXT NOT NULL,
    hashtags    TEXT NOT NULL DEFAULT '[]',
    position    INTEGER NOT NULL DEFAULT 0,
    updated_at  TEXT NOT NULL
);
