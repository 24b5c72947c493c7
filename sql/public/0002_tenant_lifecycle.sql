-- Each tenant's schema version, kept in step with its schema_migrations by
-- every migration, so that one query finds the schemas that need work; and
-- the last migration failure, for `flask tenants status`.
ALTER TABLE organizations
    ADD COLUMN schema_version      integer NOT NULL DEFAULT 0,
    ADD COLUMN migration_error     text,
    ADD COLUMN migration_failed_at timestamptz;

CREATE INDEX organizations_schema_version_idx ON organizations (schema_version);

-- Existing tenants: read the version each one records.
DO $$
DECLARE
    org record;
    found integer;
BEGIN
    FOR org IN SELECT id, schema_name FROM organizations LOOP
        BEGIN
            EXECUTE format('SELECT coalesce(max(version), 0) FROM %I.schema_migrations', org.schema_name)
                INTO found;
        EXCEPTION WHEN undefined_table OR invalid_schema_name THEN
            found := 0;
        END;
        UPDATE organizations SET schema_version = found WHERE id = org.id;
    END LOOP;
END
$$;

-- Schemas of deleted organizations whose tables are still being dropped
-- (`flask tenants purge` finishes a drop that was interrupted).
CREATE TABLE schema_drops (
    schema_name  text PRIMARY KEY,
    requested_at timestamptz NOT NULL DEFAULT now()
);
