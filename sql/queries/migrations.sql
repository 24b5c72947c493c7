-- name: record_migrations
INSERT INTO schema_migrations (version, name)
SELECT * FROM unnest(%(versions)s::integer[], %(names)s::text[]);

-- name: record_tenant_version
-- In the migrating transaction: the registry's copy moves with the schema.
UPDATE public.organizations
SET schema_version = %(version)s, migration_error = NULL, migration_failed_at = NULL
WHERE schema_name = %(schema)s;

-- name: record_failure
UPDATE public.organizations
SET migration_error = %(error)s, migration_failed_at = now()
WHERE schema_name = %(schema)s;

-- name: schemas_behind
-- The one query that decides which schemas a migrate run visits.
SELECT schema_name FROM public.organizations
WHERE schema_version < %(version)s
ORDER BY schema_name;

-- name: status
SELECT o.schema_name AS schema, o.name, o.schema_version AS version,
       o.migration_error AS error, o.migration_failed_at AS failed_at
FROM public.organizations o
ORDER BY o.schema_name;
