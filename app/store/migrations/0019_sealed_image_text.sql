-- From this version the words drawn into a Studio image (media.image_text:
-- the quote, the patient's name as attributed, the caption) are sealed like
-- the testimonial they came from. Sealing needs the data key, so the store
-- seals the values already kept when it opens a file from before this step
-- (sealedColumns in sealed.go names the column and this version). The step
-- changes no table: its number is what tells an older PracticePost that it
-- cannot read this file, rather than let it show sealed bytes as words and
-- scan them for names it can no longer see.
SELECT 1;
