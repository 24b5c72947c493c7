-- name: backup_tables
-- A tenant's data tables (partitions are read through their parent).
SELECT c.relname AS name
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = :schema AND c.relkind IN ('r', 'p') AND NOT c.relispartition
  AND c.relname <> 'schema_migrations'
ORDER BY c.relname;

-- name: backup_references
-- Which table references which inside the schema, to load referenced ones first.
SELECT c.relname AS name, r.relname AS referenced
FROM pg_catalog.pg_constraint k
JOIN pg_catalog.pg_class c ON c.oid = k.conrelid
JOIN pg_catalog.pg_class r ON r.oid = k.confrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE k.contype = 'f' AND n.nspname = :schema AND r.relnamespace = n.oid AND k.conrelid <> k.confrelid;

-- name: backup_columns
SELECT a.attname AS name
FROM pg_catalog.pg_attribute a
JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = :schema AND c.relname = :table
  AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
ORDER BY a.attnum;

-- name: backup_organization$
SELECT name FROM public.organizations WHERE schema_name = :schema;

-- name: backup_version$
SELECT coalesce(max(version), 0) AS version FROM schema_migrations;
