-- The rows an export expects to write, counted when its attempt starts: the
-- total of the progress that GET /exports/<id> shows while it runs.
ALTER TABLE exports ADD COLUMN rows_expected bigint;
