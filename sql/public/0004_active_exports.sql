-- Every tenant's exports that are pending or processing, by id only (no tenant
-- data): the sweeper that runs every few seconds in each consumer reads this
-- one table to find exports whose worker died, instead of visiting every schema.
-- A processing export's worker holds pg_advisory_xact_lock(<exports namespace>, lock_key)
-- in the transaction that streams its COPY; PostgreSQL frees it when that
-- worker's connection dies, and the sweeper queues such an export again.
CREATE TABLE active_exports (
    export_id   uuid PRIMARY KEY,
    schema_name text NOT NULL,
    queue       text,         -- the Huey queue its job went to, whose consumers sweep it (NULL: any)
    attempt     integer,      -- the attempt that claimed it; NULL while pending
    lock_key    integer,      -- that attempt's advisory lock
    claimed_at  timestamptz,
    queued_at   timestamptz NOT NULL DEFAULT now()
);

-- Exports already waiting or running in existing tenants.
DO $$
DECLARE
    org record;
BEGIN
    FOR org IN SELECT schema_name FROM organizations LOOP
        BEGIN
            EXECUTE format(
                'INSERT INTO public.active_exports (export_id, schema_name, attempt, lock_key, claimed_at, queued_at)
                 SELECT id, %L, CASE WHEN status = ''processing'' THEN attempts END,
                        CASE WHEN status = ''processing'' THEN hashtext(id::text || ''/'' || attempts) END,
                        CASE WHEN status = ''processing'' THEN started_at END, queued_at
                 FROM %I.exports WHERE status IN (''pending'', ''processing'')',
                org.schema_name, org.schema_name);
        EXCEPTION WHEN undefined_table OR invalid_schema_name OR undefined_column THEN
            NULL;  -- a schema being dropped, or one older than its export lifecycle
        END;
    END LOOP;
END
$$;
