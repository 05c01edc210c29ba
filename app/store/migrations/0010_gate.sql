-- The one consent gate judges a queued post as it will be sent, at the
-- moment it is claimed for sending. It needs, besides the job's text, link
-- and images, what the post relies on: the testimonials it quotes and
-- whether it will be promoted as a paid advert. Both are kept with the
-- request, so an edit to the draft after queueing changes nothing sent.
ALTER TABLE drafts ADD COLUMN paid INTEGER NOT NULL DEFAULT 0;
ALTER TABLE publish_requests ADD COLUMN testimonials TEXT NOT NULL DEFAULT '[]'; -- JSON array of testimonial ids
ALTER TABLE publish_requests ADD COLUMN paid INTEGER NOT NULL DEFAULT 0;

-- Requests queued before this version: the draft still says which
-- testimonials it quotes.
UPDATE publish_requests SET testimonials = COALESCE(
    (SELECT d.testimonials FROM drafts d WHERE CAST(d.id AS TEXT) = publish_requests.draft_id), '[]')
WHERE draft_id != '';
