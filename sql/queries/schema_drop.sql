-- name: some_tables
-- Partitions before their parents, so that each DROP locks only what it names.
SELECT c.relname AS name
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = %(schema)s AND c.relkind IN ('r', 'p', 'f')
ORDER BY c.relispartition DESC, c.relname
LIMIT %(limit)s;

-- name: finish
-- What is left (views, types, functions) is small; the queue entry goes with it.
DELETE FROM public.schema_drops WHERE schema_name = %(schema)s;

-- name: pending
SELECT schema_name FROM public.schema_drops ORDER BY requested_at;
