-- Images a publish attempt put on a host for the platform to download
-- (Instagram's unpublished Facebook Page photo, or an object in the
-- practice's bucket), recorded as soon as they are placed and deleted once
-- the host confirms their removal. A row left here after a crash is what
-- the queue removes on its next start: a patient photo must not stay on
-- Meta's or the bucket's servers because PracticePost stopped.
-- key is the host's own name (a photo id, a random object name): no
-- patient data.
CREATE TABLE publish_hosted (
    id         INTEGER PRIMARY KEY,
    job_id     INTEGER NOT NULL REFERENCES publish_jobs(id),
    attempt_id INTEGER NOT NULL REFERENCES publish_attempts(id),
    key        TEXT NOT NULL,
    placed_at  TEXT NOT NULL,
    tries      INTEGER NOT NULL DEFAULT 0,
    UNIQUE (job_id, key)
);
CREATE INDEX publish_hosted_job ON publish_hosted(job_id);
