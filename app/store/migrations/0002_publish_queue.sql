-- Publishing: a request (one draft, one time) fans out to one job per channel.
-- Every attempt is written down before its request leaves, so a crash or a
-- timeout is reconciled against the platform instead of retried blind.

CREATE TABLE publish_requests (
    id           INTEGER PRIMARY KEY,
    draft_id     TEXT NOT NULL DEFAULT '',
    text         TEXT NOT NULL DEFAULT '',
    link         TEXT NOT NULL DEFAULT '',
    media        TEXT NOT NULL DEFAULT '[]', -- JSON [{"sha256","alt"}] into blobs
    scheduled_at TEXT,                       -- NULL: publish now
    zone         TEXT NOT NULL DEFAULT 'UTC', -- IANA zone the time was chosen in
    created_at   TEXT NOT NULL
);

-- The consents a request relies on; revoked_at blocks what has not gone out yet.
CREATE TABLE publish_consents (
    request_id INTEGER NOT NULL REFERENCES publish_requests(id),
    consent_id TEXT NOT NULL,
    revoked_at TEXT,
    PRIMARY KEY (request_id, consent_id)
);
CREATE INDEX publish_consents_consent ON publish_consents(consent_id);

CREATE TABLE publish_jobs (
    id                  INTEGER PRIMARY KEY,
    request_id          INTEGER NOT NULL REFERENCES publish_requests(id),
    channel             TEXT NOT NULL,
    platform            TEXT NOT NULL,
    state               TEXT NOT NULL CHECK (state IN ('queued', 'attempting', 'published', 'failed', 'waiting',
                                                       'missed', 'scheduled_remote', 'blocked', 'cancelled')),
    text                TEXT NOT NULL DEFAULT '',
    link                TEXT NOT NULL DEFAULT '',
    scheduled_at        TEXT,              -- NULL: publish now
    zone                TEXT NOT NULL DEFAULT 'UTC',
    next_at             TEXT,              -- when the scheduler acts on the job next; NULL: it waits for the user
    native              INTEGER NOT NULL DEFAULT 0, -- the platform holds the post until scheduled_at
    attempts            INTEGER NOT NULL DEFAULT 0,
    retries             INTEGER NOT NULL DEFAULT 0, -- transient failures since the last success or user action
    waits               INTEGER NOT NULL DEFAULT 0, -- rate-limit waits, likewise
    idem_key            TEXT NOT NULL,              -- stable for the job's life: Mastodon's Idempotency-Key
    sent_created_at     TEXT,                       -- created_at sent with the last create (Bluesky record)
    attempt_started_at  TEXT,
    reconcile           INTEGER NOT NULL DEFAULT 0, -- the post may exist: look before posting
    error_kind          TEXT NOT NULL DEFAULT '',
    error_code          TEXT NOT NULL DEFAULT '',
    error_message       TEXT NOT NULL DEFAULT '',
    platform_message    TEXT NOT NULL DEFAULT '',
    remote_id           TEXT NOT NULL DEFAULT '',
    remote_url          TEXT NOT NULL DEFAULT '',
    remote_scheduled_at TEXT,
    published_at        TEXT,
    raw                 BLOB,                       -- last platform response, for support; never logged
    takedown            TEXT NOT NULL DEFAULT '' CHECK (takedown IN ('', 'pending', 'deleted', 'failed')),
    takedown_at         TEXT,
    takedown_error      TEXT NOT NULL DEFAULT '',
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    UNIQUE (request_id, channel)
);
CREATE INDEX publish_jobs_due ON publish_jobs(next_at);
CREATE INDEX publish_jobs_request ON publish_jobs(request_id);

-- One row per call that could change something on a platform (create,
-- reconcile, confirm, delete), opened before the call and closed after.
CREATE TABLE publish_attempts (
    id          INTEGER PRIMARY KEY,
    job_id      INTEGER NOT NULL REFERENCES publish_jobs(id),
    n           INTEGER NOT NULL,
    action      TEXT NOT NULL CHECK (action IN ('create', 'reconcile', 'confirm', 'delete')),
    idem_key    TEXT NOT NULL DEFAULT '',
    created_at_sent TEXT,
    started_at  TEXT NOT NULL,
    ended_at    TEXT,
    outcome     TEXT NOT NULL DEFAULT '', -- '' while in flight; ok, found, absent, error
    error_kind  TEXT NOT NULL DEFAULT '',
    status      INTEGER NOT NULL DEFAULT 0,
    error_code  TEXT NOT NULL DEFAULT '',
    raw         BLOB
);
CREATE INDEX publish_attempts_job ON publish_attempts(job_id);
