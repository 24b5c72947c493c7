-- name: enter_tenant
-- The first statement of a tenant request, in the round trip of its check: the
-- search_path becomes the organization's schema, read from the registry by
-- public.enter_tenant (public migration 0007), which also leaves the schema's
-- name and version for the check, all until the transaction ends (like SET
-- LOCAL). An unknown organization gets pg_catalog only, where its tables are missing.
-- JIT goes off for the transaction too: a request's statements do bounded work,
-- but their plans cost every phase they might run, growing with the table (a
-- search's 19,450-27,016 at 1,000,000 tasks, 58,875-66,641 at 4,000,000), so a
-- few million more pass jit_above_cost (100,000), and compiling took 30-55 ms of
-- a 3-12 ms search (bench/bench_search.py prints the costs).
SELECT public.enter_tenant(:tenant_id), set_config('jit', 'off', true);

-- name: enter_tenant_checked
-- A read's first statement once the process knows the tenant's schema (see
-- data.tenancy): enters it and makes the check itself, refusing with an error
-- (public migration 0008), so the read after it carries no check; JIT off as above.
SELECT public.enter_tenant_checked(:tenant_id, :min_version, :user_id), set_config('jit', 'off', true);

-- name: check_tenant^
-- Runs right after enter_tenant, in the same round trip, and reads what it left
-- instead of the registry: a schema_version (and schema_name) of NULL means the
-- organization is gone.
SELECT nullif(current_setting('taskflask.schema_name', true), '') AS schema_name,
       nullif(current_setting('taskflask.schema_version', true), '')::integer AS schema_version,
       (SELECT role FROM users WHERE id = :user_id) AS role;

-- name: check_organization^
-- The same check for a request without x-user-id, which has no user to look up
-- (so no users table to plan): for a read that carries the check, whose own
-- tables fail the same way when the schema is gone.
SELECT nullif(current_setting('taskflask.schema_name', true), '') AS schema_name,
       nullif(current_setting('taskflask.schema_version', true), '')::integer AS schema_version,
       NULL::text AS role;

-- name: check_tenant_in_registry^
-- check_tenant on Citus: a statement naming a tenant table runs on the tenant's
-- worker node, where what enter_tenant set on the coordinator is unset, so the
-- check joins the registry there (a reference table, with a copy on every node).
-- The row is always there: schema_version (and schema_name) is NULL when the
-- organization is gone.
SELECT o.schema_name, o.schema_version, (SELECT role FROM users WHERE id = :user_id) AS role
FROM (VALUES (1)) AS one
LEFT JOIN public.organizations o ON o.id = :tenant_id;

-- name: check_organization_in_registry^
-- check_organization on Citus, for the same reason.
SELECT o.schema_name, o.schema_version, NULL::text AS role
FROM (VALUES (1)) AS one
LEFT JOIN public.organizations o ON o.id = :tenant_id;
