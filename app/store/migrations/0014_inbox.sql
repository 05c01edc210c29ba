-- The inbox (issue 18): comments, replies and reviews collected from the
-- practice's channels, and every reply, hide and delete it made.
--
-- author and body are personal data (people write about their own health
-- in comments): app/store/inbox.go is the one place that reads and writes
-- them, so they are sealed there like other personal data. Facebook gives
-- no edit time (platform-contracts.md §13.1): an edit shows as a changed
-- body, compared there after opening.
CREATE TABLE inbox_items (
    id            INTEGER PRIMARY KEY,
    platform      TEXT NOT NULL,
    channel       TEXT NOT NULL DEFAULT '', -- the connected channel it came from
    remote_id     TEXT NOT NULL,
    parent_id     TEXT NOT NULL DEFAULT '',
    post_id       TEXT NOT NULL DEFAULT '',
    post_url      TEXT NOT NULL DEFAULT '',
    url           TEXT NOT NULL DEFAULT '',
    kind          TEXT NOT NULL CHECK (kind IN ('comment', 'reply', 'review')),
    author        BLOB NOT NULL DEFAULT '',
    author_id     TEXT NOT NULL DEFAULT '',
    from_practice INTEGER NOT NULL DEFAULT 0,
    body          BLOB NOT NULL DEFAULT '',
    stars         INTEGER NOT NULL DEFAULT 0 CHECK (stars BETWEEN 0 AND 5),
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    hidden        INTEGER NOT NULL DEFAULT 0,
    gone          INTEGER NOT NULL DEFAULT 0,
    can_reply     INTEGER NOT NULL DEFAULT 0,
    can_hide      INTEGER NOT NULL DEFAULT 0,
    can_delete    INTEGER NOT NULL DEFAULT 0,
    -- The practice's own reply held on the item (Google reviews): the
    -- practice's words, public, not sealed.
    reply_text    TEXT NOT NULL DEFAULT '',
    replied_at    TEXT NOT NULL DEFAULT '',
    reply_state   TEXT NOT NULL DEFAULT '',
    seen_at       TEXT NOT NULL,
    UNIQUE (platform, remote_id)
);
CREATE INDEX inbox_items_post ON inbox_items (platform, post_id);

-- One row per reply, hide, unhide or delete, written 'attempting' in the
-- transaction that checks the reply (reply guard and the one gate) before
-- anything is sent, so a crash leaves a record to reconcile, never a
-- blind retry.
CREATE TABLE inbox_actions (
    id          INTEGER PRIMARY KEY,
    item_id     INTEGER NOT NULL REFERENCES inbox_items (id) ON DELETE CASCADE,
    action      TEXT NOT NULL CHECK (action IN ('reply', 'hide', 'unhide', 'delete')),
    text        TEXT NOT NULL DEFAULT '', -- the reply as sent: the practice's public words
    key         TEXT NOT NULL UNIQUE,
    state       TEXT NOT NULL CHECK (state IN ('attempting', 'done', 'failed', 'uncertain')),
    remote_id   TEXT NOT NULL DEFAULT '',
    error       TEXT NOT NULL DEFAULT '',
    verdict     TEXT NOT NULL DEFAULT '[]', -- the checks' findings (JSON) when it was sent
    created_at  TEXT NOT NULL,
    finished_at TEXT NOT NULL DEFAULT ''
);
CREATE INDEX inbox_actions_item ON inbox_actions (item_id);
