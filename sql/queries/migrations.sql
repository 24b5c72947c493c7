-- name: record_migrations!
INSERT INTO schema_migrations (version, name)
SELECT * FROM unnest(:versions::integer[], :names::text[]);

-- name: record_tenant_version!
-- In the migrating transaction: the registry's copy moves with the schema.
UPDATE public.organizations
SET schema_version = :version, migration_error = NULL, migration_failed_at = NULL
WHERE schema_name = :schema;

-- name: record_migration_failure!
UPDATE public.organizations
SET migration_error = :error, migration_failed_at = now()
WHERE schema_name = :schema;

-- name: schemas_behind
-- The one query that decides which schemas a migrate run visits.
SELECT schema_name FROM public.organizations
WHERE schema_version < :version
ORDER BY schema_name;

-- name: migration_status
SELECT o.schema_name AS schema, o.name, o.schema_version AS version,
       o.migration_error AS error, o.migration_failed_at AS failed_at
FROM public.organizations o
ORDER BY o.schema_name;

-- name: lock_schema!
-- Two processes migrating one schema wait for each other (released at commit).
SELECT pg_advisory_xact_lock(:namespace, hashtext(:schema));

-- name: version_table_missing$
SELECT to_regclass('schema_migrations') IS NULL AS missing;

-- name: create_version_table#
CREATE TABLE IF NOT EXISTS schema_migrations (
    version    integer PRIMARY KEY,
    name       text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
);

-- name: applied_versions
SELECT version FROM schema_migrations;

-- name: set_lock_timeout!
SET LOCAL lock_timeout = :timeout;

-- name: try_run_lock
-- Sent right after BEGIN in the same round trip; true when this run holds the lock.
SELECT pg_try_advisory_xact_lock(:namespace, :key);
