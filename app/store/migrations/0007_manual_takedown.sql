-- A post removed by hand on its platform (Instagram's API cannot delete
-- media, so the practice manager deletes it in the Instagram app and marks
-- it removed here). Such a row keeps takedown = 'deleted' (the post is
-- down) and names who recorded it in takedown_by; the Go code reports it as
-- 'removed_manually'. Widening the CHECK on takedown instead would mean
-- rebuilding publish_jobs, which publish_attempts references.
ALTER TABLE publish_jobs ADD COLUMN takedown_by TEXT NOT NULL DEFAULT '';
-- The manager's own words about the removal; shown on the takedown list,
-- never written to the activity log.
ALTER TABLE publish_jobs ADD COLUMN takedown_note TEXT NOT NULL DEFAULT '';
