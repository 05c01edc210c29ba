-- Email consent that cannot be misread: holds from emailed withdrawals, and
-- how the manager resolved a reply that needed it.

-- A reply in withdrawal words puts every current consent of the patient on
-- hold in the same transaction that records the reply. The hold blocks
-- every post relying on the consent until the manager confirms the
-- withdrawal (outcome 'withdrawn': a consent_revocations row says the
-- rest) or releases it with a note (outcome 'released'). At most one hold
-- per consent stands at a time.
CREATE TABLE consent_holds (
    id           INTEGER PRIMARY KEY,
    consent_id   INTEGER NOT NULL REFERENCES consents (id),
    reply_id     INTEGER REFERENCES mail_replies (id),
    at           TEXT NOT NULL,            -- when the hold began (UTC)
    reason       TEXT NOT NULL,            -- for the manager; never the message body
    released_at  TEXT,                     -- NULL while the hold stands
    release_note TEXT NOT NULL DEFAULT '',
    outcome      TEXT NOT NULL DEFAULT '' CHECK (outcome IN ('', 'withdrawn', 'released')),
    created_at   TEXT NOT NULL,
    CHECK ((released_at IS NULL) = (outcome = ''))
);
CREATE INDEX consent_holds_by_consent ON consent_holds (consent_id, id);
CREATE UNIQUE INDEX consent_holds_one_standing ON consent_holds (consent_id) WHERE released_at IS NULL;

-- JSON: how the manager resolved an unclear reading (how, who, when) and
-- how they verified a doubtful sender, recorded before the consent is
-- stored; '' when the reply needed neither.
ALTER TABLE mail_replies ADD COLUMN resolution TEXT NOT NULL DEFAULT '';
