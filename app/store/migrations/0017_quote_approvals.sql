-- A patient's approval of an edited quote (compliance §3.5 E5, §3.6 item 7):
-- the hash of the words approved, when and how, and the evidence. Like a
-- signed consent it is never changed or removed: a mistaken approval is
-- outweighed by asking again, never by editing this record.
--
-- evidence is app.QuoteEvidence as JSON, sealed (app/store/sealed.go): it
-- holds the exact words shown to the patient and the typed name.
-- testimonial_id names the testimonial the edit was made on, for the record
-- only (a testimonial may later be deleted; the approval stays).
CREATE TABLE quote_approvals (
    id               INTEGER PRIMARY KEY,
    consent_id       INTEGER NOT NULL REFERENCES consents (id),
    testimonial_id   INTEGER NOT NULL,
    sha256           TEXT NOT NULL,
    approved_at      TEXT NOT NULL,
    how              TEXT NOT NULL CHECK (how IN ('on_screen', 'email')),
    evidence         BLOB NOT NULL,
    signature_sha256 TEXT REFERENCES blobs (sha256),
    reply_id         INTEGER REFERENCES mail_replies (id),
    created_at       TEXT NOT NULL,
    CHECK ((how = 'on_screen') = (signature_sha256 IS NOT NULL)),
    CHECK ((how = 'email') = (reply_id IS NOT NULL))
);
CREATE INDEX quote_approvals_by_consent ON quote_approvals (consent_id, id);
CREATE TRIGGER quote_approvals_no_update BEFORE UPDATE ON quote_approvals
BEGIN SELECT RAISE(ABORT, 'an approval of new words cannot be changed'); END;
CREATE TRIGGER quote_approvals_no_delete BEFORE DELETE ON quote_approvals
BEGIN SELECT RAISE(ABORT, 'an approval of new words is kept as evidence'); END;
