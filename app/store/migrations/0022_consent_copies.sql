-- The patient's copy of their signed consent (HIPAA 164.508(c)(4); the form
-- promises "I will receive a copy of this signed form"): each time it was
-- emailed from the practice mailbox, or handed over in person as the
-- manager records. The address it went to and why sending failed (a refused
-- address is the patient's) are sealed (sealedColumns in sealed.go).
CREATE TABLE consent_copies (
    id          INTEGER PRIMARY KEY,
    consent_id  INTEGER NOT NULL REFERENCES consents (id),
    method      TEXT NOT NULL CHECK (method IN ('email', 'in_person')),
    sent_to     TEXT NOT NULL,
    state       TEXT NOT NULL CHECK (state IN ('sending', 'sent', 'failed')),
    error       TEXT NOT NULL,
    sent_sha256 TEXT REFERENCES blobs (sha256), -- the email exactly as sent
    created_at  TEXT NOT NULL,
    sent_at     TEXT,
    updated_at  TEXT NOT NULL
);
CREATE INDEX consent_copies_by_consent ON consent_copies (consent_id);
