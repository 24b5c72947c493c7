-- name: enter_tenant
-- The first statement of a tenant request, in the round trip of its check: the
-- search_path becomes the organization's schema, read from the registry and
-- quoted here, until the transaction ends (like SET LOCAL). An unknown
-- organization gets pg_catalog only, where its tables are missing.
SELECT set_config('search_path',
                  coalesce((SELECT quote_ident(schema_name) FROM public.organizations WHERE id = :tenant_id),
                           'pg_catalog'),
                  true);

-- name: check_tenant^
-- Runs right after enter_tenant, in the same round trip. The registry's
-- schema_version (and schema_name) is NULL when the organization is gone: the
-- row is always there. The registry is read once (two scalar subqueries of it
-- cost the planner ~70 us more per request, beside a page).
SELECT o.schema_name, o.schema_version, (SELECT role FROM users WHERE id = :user_id) AS role
FROM (VALUES (1)) AS one
LEFT JOIN public.organizations o ON o.id = :tenant_id;

-- name: check_organization^
-- The same check for a request without x-user-id, which has no user to look up
-- (so no users table to plan): for a read that carries the check, whose own
-- tables fail the same way when the schema is gone.
SELECT o.schema_name, o.schema_version, NULL::text AS role
FROM (VALUES (1)) AS one
LEFT JOIN public.organizations o ON o.id = :tenant_id;
