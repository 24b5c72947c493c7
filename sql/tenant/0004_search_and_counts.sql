-- Search in titles and descriptions. The text is kept lowercased beside them,
-- so that a search is a plain LIKE on it (ILIKE would fold the case of every
-- row it looks at, several times slower), served by a trigram index.
-- A line break joins the two: the search box sends none.
ALTER TABLE tasks ADD COLUMN search_text text
    GENERATED ALWAYS AS (lower(title || E'\n' || coalesce(description, ''))) STORED;
CREATE INDEX tasks_search_trgm_idx ON tasks USING gin (search_text public.gin_trgm_ops);

-- The filter pills' counts, kept by every statement that adds, deletes or
-- changes the status of a task, in its transaction: a count(*) of a million
-- tasks takes far longer than a page. One row, so that those statements lock
-- nothing else and cannot deadlock each other. It is created by the first
-- change (an upsert): a schema made empty for a restore has none, and takes the
-- backup's row.
CREATE TABLE task_counts (
    only_row  boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    pending   bigint NOT NULL,
    completed bigint NOT NULL
);

-- The tasks a tenant already has.
INSERT INTO task_counts (pending, completed)
SELECT count(*) FILTER (WHERE status = 'pending'), count(*) FILTER (WHERE status = 'completed')
FROM tasks
HAVING count(*) > 0;
