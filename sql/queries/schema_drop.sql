-- name: is_pending_drop$
-- Queued for dropping and not registered (again): the schema of a deleted organization.
SELECT EXISTS (SELECT 1 FROM public.schema_drops WHERE schema_name = :schema)
       AND NOT EXISTS (SELECT 1 FROM public.organizations WHERE schema_name = :schema) AS pending;

-- name: some_tables
-- Partitions before their parents, so that each DROP locks only what it names.
SELECT c.relname AS name
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = :schema AND c.relkind IN ('r', 'p', 'f')
ORDER BY c.relispartition DESC, c.relname
LIMIT :limit;

-- name: next_object^
-- For a distributed schema (Citus), one object at a time: a foreign key, then an
-- index no constraint needs, then a table (partitions before their parents).
SELECT kind, table_name, name FROM (
    SELECT 1 AS step, 'foreign key' AS kind, c.relname AS table_name, k.conname AS name, false AS partition
    FROM pg_catalog.pg_constraint k
    JOIN pg_catalog.pg_class c ON c.oid = k.conrelid
    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = :schema AND k.contype = 'f' AND k.conparentid = 0
    UNION ALL
    SELECT 2, 'index', c.relname, i.relname, false
    FROM pg_catalog.pg_index x
    JOIN pg_catalog.pg_class i ON i.oid = x.indexrelid
    JOIN pg_catalog.pg_class c ON c.oid = x.indrelid
    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = :schema AND NOT i.relispartition
      AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint k WHERE k.conindid = x.indexrelid)
    UNION ALL
    SELECT 3, 'table', c.relname, c.relname, c.relispartition
    FROM pg_catalog.pg_class c
    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = :schema AND c.relkind IN ('r', 'p', 'f')
) AS objects
ORDER BY step, partition DESC, table_name, name
LIMIT 1;

-- name: finish_drop!
-- What is left (views, types, functions) is small; the queue entry goes with it.
DELETE FROM public.schema_drops WHERE schema_name = :schema;

-- name: pending_drops
SELECT schema_name FROM public.schema_drops ORDER BY requested_at;
