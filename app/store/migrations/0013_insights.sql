-- Insights: what each post did on each channel, read back from the platforms.
-- Counts and dates only: no patient data, no comment text, no post text.

-- One row per post (publish job) per day: the post's cumulative counters at
-- the day's last reading. Rows older than two years are rolled up to the
-- last reading of each month (grain 'month'), which keeps the month's end
-- total, since the counters are cumulative.
CREATE TABLE metric_snapshots (
    job_id    INTEGER NOT NULL REFERENCES publish_jobs(id),
    day       TEXT NOT NULL, -- UTC day of the reading, "2026-12-06"
    grain     TEXT NOT NULL DEFAULT 'day' CHECK (grain IN ('day', 'month')),
    at        TEXT NOT NULL, -- the reading's instant
    reactions INTEGER NOT NULL DEFAULT 0,
    comments  INTEGER NOT NULL DEFAULT 0,
    shares    INTEGER NOT NULL DEFAULT 0,
    quotes    INTEGER NOT NULL DEFAULT 0,
    saves     INTEGER NOT NULL DEFAULT 0,
    views     INTEGER, -- NULL: the platform does not report it (not zero)
    reach     INTEGER,
    clicks    INTEGER,
    -- What the day added since the reading before (a fall counts as 0),
    -- kept at write time so a dashboard sums days instead of comparing
    -- every reading with the one before it.
    gain       INTEGER NOT NULL DEFAULT 0, -- interactions
    gain_views INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (job_id, day)
) WITHOUT ROWID;
CREATE INDEX metric_snapshots_day ON metric_snapshots(day, job_id, gain, gain_views);

-- A channel's own figures per day: followers at the reading, and Google
-- Business Profile's daily location counts (Google has no per-post numbers).
-- Rolled up like the snapshots: followers keep the month's last reading,
-- daily counts are summed.
CREATE TABLE channel_metrics (
    channel    TEXT NOT NULL,
    day        TEXT NOT NULL,
    grain      TEXT NOT NULL DEFAULT 'day' CHECK (grain IN ('day', 'month')),
    at         TEXT NOT NULL,
    followers  INTEGER,
    views      INTEGER,
    clicks     INTEGER,
    calls      INTEGER,
    directions INTEGER,
    PRIMARY KEY (channel, day)
) WITHOUT ROWID;

-- The collector's state per channel, so a restart carries on where it was and
-- a platform's rate limit is still respected after one.
CREATE TABLE metric_collection (
    channel       TEXT PRIMARY KEY,
    platform      TEXT NOT NULL,
    next_at       TEXT,                      -- when this channel is read next; NULL: at once
    last_ok_at    TEXT,                      -- the last reading that worked
    last_try_at   TEXT,
    error_kind    TEXT NOT NULL DEFAULT '',  -- publish.Kind of the last failure; '' when fine
    error_code    TEXT NOT NULL DEFAULT '',
    error_message TEXT NOT NULL DEFAULT '',  -- for the practice manager: what happened, what to do
    note          TEXT NOT NULL DEFAULT '',  -- e.g. posts Instagram has no numbers for yet
    failures      INTEGER NOT NULL DEFAULT 0,
    posts_read    INTEGER NOT NULL DEFAULT 0, -- in the last run
    updated_at    TEXT NOT NULL
);
