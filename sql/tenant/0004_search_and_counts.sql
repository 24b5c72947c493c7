-- Search in titles and descriptions: a plain LIKE on one lowercased text of
-- both (ILIKE would fold the case of every row it looks at, several times
-- slower), served by a trigram index on that expression. An expression index
-- rather than a stored column: adding a column with a value rewrites every
-- tasks table and takes the slow path of sql/tenant/README.md, and the export's
-- COPY would read the copy too. A line break joins the two: the search box
-- sends none.
CREATE INDEX tasks_search_trgm_idx ON tasks
    USING gin (lower(title || E'\n' || coalesce(description, '')) public.gin_trgm_ops);

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
