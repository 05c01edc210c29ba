-- Foundation: the practice's brand kit, media blobs, the activity log and app state.

CREATE TABLE brand_kit (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    practice_name TEXT NOT NULL DEFAULT '',
    address       TEXT NOT NULL DEFAULT '',
    phone         TEXT NOT NULL DEFAULT '',
    email         TEXT NOT NULL DEFAULT '',
    website       TEXT NOT NULL DEFAULT '',
    country       TEXT NOT NULL DEFAULT 'GB',
    disclaimer    TEXT NOT NULL DEFAULT '',
    hashtags      TEXT NOT NULL DEFAULT '[]', -- JSON array of strings
    color_primary    TEXT NOT NULL,
    color_secondary  TEXT NOT NULL,
    color_accent     TEXT NOT NULL,
    color_text       TEXT NOT NULL,
    color_background TEXT NOT NULL,
    heading_font  TEXT NOT NULL,
    body_font     TEXT NOT NULL,
    logo_sha256   TEXT REFERENCES blobs(sha256),
    updated_at    TEXT NOT NULL
);

CREATE TABLE clinicians (
    id         INTEGER PRIMARY KEY,
    position   INTEGER NOT NULL,
    name       TEXT NOT NULL,
    role       TEXT NOT NULL DEFAULT '',
    regulator  TEXT NOT NULL DEFAULT '',
    number     TEXT NOT NULL DEFAULT '',
    specialist INTEGER NOT NULL DEFAULT 0
);

-- Media are content-addressed so a backup is one file and the same photo is stored once.
CREATE TABLE blobs (
    sha256     TEXT PRIMARY KEY,
    mime       TEXT NOT NULL,
    size       INTEGER NOT NULL,
    width      INTEGER NOT NULL DEFAULT 0,
    height     INTEGER NOT NULL DEFAULT 0,
    data       BLOB NOT NULL,
    created_at TEXT NOT NULL
);

-- Append-only: the triggers refuse edits and deletions; the hash chain catches
-- anything done to the file from outside the app.
CREATE TABLE audit_log (
    id        INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    subject   TEXT NOT NULL,
    detail    TEXT NOT NULL DEFAULT '{}',
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the activity log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the activity log is append-only'); END;

CREATE TABLE app_state (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
