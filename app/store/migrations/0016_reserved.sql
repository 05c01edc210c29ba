-- Placeholder: number 16 belongs to a change being made on another branch.
-- Migrations must be numbered without gaps, so this empty step stands in
-- for it until that branch lands; the merge replaces this file with the
-- real 0016. A data file made on this branch alone is for development only.
SELECT 1;
