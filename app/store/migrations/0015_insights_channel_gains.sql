-- What each channel's posts gained each day, summed from metric_snapshots'
-- per-reading gains: a 90-day dashboard reads some 630 rows here instead of
-- every reading of the period joined to its post (issue 17's 50 ms budget).
-- Counts only, like the table it sums: no patient data.
--
-- Kept by triggers, so every path that writes a reading (a new one, one
-- replaced the same day, the next reading's gain recomputed, the monthly
-- rollup) keeps it right without remembering to. readings counts the rows
-- summed, so a day whose readings were all rolled away is dropped, as the
-- query it replaces would not have returned it.
CREATE TABLE metric_channel_gains (
    day        TEXT NOT NULL,
    channel    TEXT NOT NULL,
    gain       INTEGER NOT NULL DEFAULT 0,
    gain_views INTEGER NOT NULL DEFAULT 0,
    readings   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (day, channel)
) WITHOUT ROWID;

INSERT INTO metric_channel_gains (day, channel, gain, gain_views, readings)
SELECT s.day, j.channel, SUM(s.gain), SUM(s.gain_views), COUNT(*)
FROM metric_snapshots s JOIN publish_jobs j ON j.id = s.job_id
GROUP BY s.day, j.channel;

CREATE TRIGGER metric_channel_gains_insert AFTER INSERT ON metric_snapshots
BEGIN
    INSERT INTO metric_channel_gains (day, channel, gain, gain_views, readings)
    VALUES (NEW.day, (SELECT channel FROM publish_jobs WHERE id = NEW.job_id), NEW.gain, NEW.gain_views, 1)
    ON CONFLICT (day, channel) DO UPDATE SET gain = gain + excluded.gain,
        gain_views = gain_views + excluded.gain_views, readings = readings + 1;
END;

CREATE TRIGGER metric_channel_gains_update AFTER UPDATE OF job_id, day, gain, gain_views ON metric_snapshots
BEGIN
    UPDATE metric_channel_gains SET gain = gain - OLD.gain, gain_views = gain_views - OLD.gain_views, readings = readings - 1
    WHERE day = OLD.day AND channel = (SELECT channel FROM publish_jobs WHERE id = OLD.job_id);
    INSERT INTO metric_channel_gains (day, channel, gain, gain_views, readings)
    VALUES (NEW.day, (SELECT channel FROM publish_jobs WHERE id = NEW.job_id), NEW.gain, NEW.gain_views, 1)
    ON CONFLICT (day, channel) DO UPDATE SET gain = gain + excluded.gain,
        gain_views = gain_views + excluded.gain_views, readings = readings + 1;
    DELETE FROM metric_channel_gains WHERE day = OLD.day AND readings = 0;
END;

CREATE TRIGGER metric_channel_gains_delete AFTER DELETE ON metric_snapshots
BEGIN
    UPDATE metric_channel_gains SET gain = gain - OLD.gain, gain_views = gain_views - OLD.gain_views, readings = readings - 1
    WHERE day = OLD.day AND channel = (SELECT channel FROM publish_jobs WHERE id = OLD.job_id);
    DELETE FROM metric_channel_gains WHERE day = OLD.day AND readings = 0;
END;

-- A post's channel is fixed when it is queued; should that ever change, its
-- readings' gains move with it.
CREATE TRIGGER metric_channel_gains_job_channel AFTER UPDATE OF channel ON publish_jobs
WHEN OLD.channel != NEW.channel AND EXISTS (SELECT 1 FROM metric_snapshots WHERE job_id = NEW.id)
BEGIN
    DELETE FROM metric_channel_gains WHERE channel IN (OLD.channel, NEW.channel);
    INSERT INTO metric_channel_gains (day, channel, gain, gain_views, readings)
    SELECT s.day, j.channel, SUM(s.gain), SUM(s.gain_views), COUNT(*)
    FROM metric_snapshots s JOIN publish_jobs j ON j.id = s.job_id
    WHERE j.channel IN (OLD.channel, NEW.channel)
    GROUP BY s.day, j.channel;
END;
