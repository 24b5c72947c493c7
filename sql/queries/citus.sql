-- name: is_distributed$
SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_dist_partition WHERE logicalrelid = :table::regclass) AS distributed;

-- name: create_reference_table$
SELECT create_reference_table(:table);

-- name: undistributed_schemas
-- Registered tenants whose schema exists but is not a distributed schema yet.
SELECT o.schema_name
FROM public.organizations o
WHERE to_regnamespace(o.schema_name) IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_dist_schema d WHERE d.schemaid = to_regnamespace(o.schema_name))
ORDER BY o.schema_name;

-- name: distribute_schema$
SELECT citus_schema_distribute(:schema);

-- name: drop_local_copies!
-- citus_schema_distribute copies each table's rows to the worker and leaves the
-- coordinator's copy on disk, unseen; this empties it.
SELECT truncate_local_data_after_distributing_table(c.oid::regclass)
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = :schema AND c.relkind IN ('r', 'p') AND NOT c.relispartition;
