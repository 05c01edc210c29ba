-- Email: requests sent to patients (consent or a testimonial), the bookmark
-- of the watched mailbox, and the replies waiting for a person to review.
-- The mailbox password is never here: it lives in the OS keychain.

-- A request is written as 'sending' before the email leaves, so a reply that
-- arrives after a crash still finds it.
CREATE TABLE mail_requests (
    id            INTEGER PRIMARY KEY,
    token         TEXT NOT NULL UNIQUE,
    kind          TEXT NOT NULL CHECK (kind IN ('consent', 'testimonial')),
    patient_id    INTEGER NOT NULL REFERENCES patients (id),
    patient_name  TEXT NOT NULL,  -- as addressed, for matching the typed name
    patient_email TEXT NOT NULL,
    message_id    TEXT NOT NULL,
    scope         TEXT NOT NULL DEFAULT '[]', -- JSON []mail.ScopeOption offered
    detail        TEXT NOT NULL DEFAULT '{}', -- JSON: what the consent will cover (form, quote, media, ...)
    state         TEXT NOT NULL CHECK (state IN ('sending', 'sent', 'failed', 'answered')),
    error         TEXT NOT NULL DEFAULT '',
    sent_sha256   TEXT REFERENCES blobs (sha256), -- the email exactly as sent
    created_at    TEXT NOT NULL,
    sent_at       TEXT,
    updated_at    TEXT NOT NULL
);
CREATE INDEX mail_requests_by_patient ON mail_requests (patient_id);

CREATE TABLE mail_sync_state (
    mailbox TEXT PRIMARY KEY,
    state   TEXT NOT NULL -- JSON mail.SyncState
);

-- One row per reply (key: Message-ID or hash of the bytes), so the same
-- message seen twice is never recorded twice.
CREATE TABLE mail_replies (
    id             INTEGER PRIMARY KEY,
    key            TEXT NOT NULL UNIQUE,
    request_id     INTEGER REFERENCES mail_requests (id),
    mailbox        TEXT NOT NULL,
    uid_validity   INTEGER NOT NULL,
    uid            INTEGER NOT NULL,
    item           TEXT NOT NULL,  -- JSON mail.ReviewItem (files by sha256)
    raw_sha256     TEXT NOT NULL REFERENCES blobs (sha256), -- the message as the server held it: evidence
    status         TEXT NOT NULL CHECK (status IN ('pending', 'confirmed', 'rejected', 'ignored')),
    consent_id     INTEGER REFERENCES consents (id),
    testimonial_id INTEGER REFERENCES testimonials (id),
    note           TEXT NOT NULL DEFAULT '',
    received_at    TEXT NOT NULL,
    decided_at     TEXT,
    created_at     TEXT NOT NULL
);
CREATE INDEX mail_replies_by_status ON mail_replies (status, received_at);
CREATE INDEX mail_replies_by_raw ON mail_replies (raw_sha256);
