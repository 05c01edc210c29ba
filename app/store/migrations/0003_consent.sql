-- Patients, consent form versions, signed consents and their withdrawals,
-- testimonials, and the link from a consent to the posts that relied on it.

CREATE TABLE patients (
    id                   INTEGER PRIMARY KEY,
    ref                  TEXT NOT NULL DEFAULT '',
    full_name            TEXT NOT NULL,
    date_of_birth        TEXT NOT NULL, -- YYYY-MM-DD
    email                TEXT NOT NULL DEFAULT '',
    phone                TEXT NOT NULL DEFAULT '',
    needs_representative INTEGER NOT NULL DEFAULT 0,
    created_at           TEXT NOT NULL
);
CREATE INDEX patients_by_name ON patients (full_name COLLATE NOCASE);

-- A form version is never edited: a change of wording is a new version.
CREATE TABLE consent_templates (
    key           TEXT NOT NULL,
    version       INTEGER NOT NULL,
    country       TEXT NOT NULL,
    title         TEXT NOT NULL,
    review_notice TEXT NOT NULL DEFAULT '',
    body          TEXT NOT NULL,
    sha256        TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    PRIMARY KEY (key, version)
);
CREATE TRIGGER consent_templates_no_update BEFORE UPDATE ON consent_templates
BEGIN SELECT RAISE(ABORT, 'consent form versions are never edited; add a new version'); END;
CREATE TRIGGER consent_templates_no_delete BEFORE DELETE ON consent_templates
BEGIN SELECT RAISE(ABORT, 'consent form versions are kept for the consents signed on them'); END;

-- A signed consent is immutable. record is the full app.Consent as JSON (its
-- evidence hash proves it unchanged); the other columns are copies for queries.
CREATE TABLE consents (
    id               INTEGER PRIMARY KEY,
    patient_id       INTEGER NOT NULL REFERENCES patients (id),
    template_version TEXT NOT NULL,
    method           TEXT NOT NULL,
    signed_at        TEXT NOT NULL,
    expires_at       TEXT NOT NULL,
    evidence_hash    TEXT NOT NULL,
    record           TEXT NOT NULL,
    signature_sha256 TEXT REFERENCES blobs (sha256),
    scan_sha256      TEXT REFERENCES blobs (sha256),
    pdf_sha256       TEXT NOT NULL REFERENCES blobs (sha256),
    created_at       TEXT NOT NULL
);
CREATE INDEX consents_by_patient ON consents (patient_id);
CREATE INDEX consents_by_expiry ON consents (expires_at);
CREATE TRIGGER consents_no_update BEFORE UPDATE ON consents
BEGIN SELECT RAISE(ABORT, 'a signed consent cannot be changed; revoke it and ask for a new one'); END;
CREATE TRIGGER consents_no_delete BEFORE DELETE ON consents
BEGIN SELECT RAISE(ABORT, 'signed consents are kept as evidence'); END;

-- At most one withdrawal per consent; it is stored beside the consent, never in it.
CREATE TABLE consent_revocations (
    consent_id  INTEGER PRIMARY KEY REFERENCES consents (id),
    at          TEXT NOT NULL,
    received_by TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    recorded_at TEXT NOT NULL
);
CREATE TRIGGER consent_revocations_no_update BEFORE UPDATE ON consent_revocations
BEGIN SELECT RAISE(ABORT, 'a recorded withdrawal cannot be changed'); END;
CREATE TRIGGER consent_revocations_no_delete BEFORE DELETE ON consent_revocations
BEGIN SELECT RAISE(ABORT, 'a recorded withdrawal cannot be removed'); END;

CREATE TABLE testimonials (
    id         INTEGER PRIMARY KEY,
    patient_id INTEGER NOT NULL REFERENCES patients (id),
    consent_id INTEGER REFERENCES consents (id),
    quote      TEXT NOT NULL DEFAULT '',
    source     TEXT NOT NULL DEFAULT '',
    said_on    TEXT NOT NULL DEFAULT '',
    name_as    TEXT NOT NULL DEFAULT 'anonymous',
    shows_face INTEGER NOT NULL DEFAULT 0,
    media      TEXT NOT NULL DEFAULT '[]', -- JSON array of app.ConsentMedia
    created_at TEXT NOT NULL
);
CREATE INDEX testimonials_by_consent ON testimonials (consent_id);

-- Filled by publishing: every post that relied on a consent (compliance 3.6
-- point 10), so a withdrawal can list what to take down.
CREATE TABLE consent_publications (
    id           INTEGER PRIMARY KEY,
    consent_id   INTEGER NOT NULL REFERENCES consents (id),
    post_id      INTEGER NOT NULL DEFAULT 0,
    platform     TEXT NOT NULL,
    remote_id    TEXT NOT NULL DEFAULT '',
    url          TEXT NOT NULL DEFAULT '',
    published_at TEXT NOT NULL,
    removed_at   TEXT
);
CREATE INDEX consent_publications_by_consent ON consent_publications (consent_id);
