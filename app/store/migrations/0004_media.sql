-- The media library: images made in the Studio and kept for drafts. The
-- pixels live in blobs (one copy per distinct image); a row says what the
-- image is, which size it was made for and the alt text screen readers speak.

CREATE TABLE media (
    id          INTEGER PRIMARY KEY,
    set_id      TEXT NOT NULL,                 -- the sizes made by one "Render all sizes" share it
    blob_sha256 TEXT NOT NULL REFERENCES blobs(sha256),
    mime        TEXT NOT NULL,
    template    TEXT NOT NULL,
    layout      TEXT NOT NULL DEFAULT '',
    size_id     TEXT NOT NULL,
    width       INTEGER NOT NULL,
    height      INTEGER NOT NULL,
    bytes       INTEGER NOT NULL,
    alt_text    TEXT NOT NULL CHECK (length(trim(alt_text)) > 0),
    created_at  TEXT NOT NULL
);
CREATE INDEX media_created ON media(created_at DESC, id DESC);
CREATE INDEX media_set ON media(set_id);
CREATE INDEX media_blob ON media(blob_sha256);
