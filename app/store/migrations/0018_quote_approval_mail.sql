-- Email requests may also ask a patient to approve the edited words of their
-- signed testimonial (kind 'quote_approval'). SQLite cannot change a CHECK in
-- place, so the table is rebuilt with the same columns and rows. Ids stay the
-- same, which keeps the sealed name, address and detail (bound to table,
-- column and id) readable and the replies' request_id pointing at the right
-- row. The line below makes the store run this with foreign keys off and
-- check them before committing (store.go, migration.rebuild): with them on,
-- dropping the old table would delete its rows first and every reply
-- pointing at one would fail the commit.
-- practicepost: rebuild

CREATE TABLE mail_requests_0018 (
    id            INTEGER PRIMARY KEY,
    token         TEXT NOT NULL UNIQUE,
    kind          TEXT NOT NULL CHECK (kind IN ('consent', 'testimonial', 'quote_approval')),
    patient_id    INTEGER NOT NULL REFERENCES patients (id),
    patient_name  TEXT NOT NULL,  -- as addressed, for matching the typed name
    patient_email TEXT NOT NULL,
    message_id    TEXT NOT NULL,
    scope         TEXT NOT NULL DEFAULT '[]', -- JSON []mail.ScopeOption offered
    detail        TEXT NOT NULL DEFAULT '{}', -- JSON: what the consent will cover, or the words to approve
    state         TEXT NOT NULL CHECK (state IN ('sending', 'sent', 'failed', 'answered')),
    error         TEXT NOT NULL DEFAULT '',
    sent_sha256   TEXT REFERENCES blobs (sha256), -- the email exactly as sent
    created_at    TEXT NOT NULL,
    sent_at       TEXT,
    updated_at    TEXT NOT NULL
);
INSERT INTO mail_requests_0018 (id, token, kind, patient_id, patient_name, patient_email, message_id, scope, detail, state,
    error, sent_sha256, created_at, sent_at, updated_at)
SELECT id, token, kind, patient_id, patient_name, patient_email, message_id, scope, detail, state,
    error, sent_sha256, created_at, sent_at, updated_at FROM mail_requests;
DROP TABLE mail_requests;
ALTER TABLE mail_requests_0018 RENAME TO mail_requests;
CREATE INDEX mail_requests_by_patient ON mail_requests (patient_id);
