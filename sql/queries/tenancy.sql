-- name: check_tenant^
-- Runs right after SET LOCAL search_path, in the same round trip. The
-- registry's schema_version is NULL when the organization is gone.
SELECT (SELECT schema_version FROM public.organizations WHERE id = :tenant_id) AS schema_version,
       (SELECT role FROM users WHERE id = :user_id) AS role;

-- name: check_organization^
-- The same check for a request without x-user-id, which has no user to look up
-- (so no users table to plan): for a read that carries the check, whose own
-- tables fail the same way when the schema is gone.
SELECT (SELECT schema_version FROM public.organizations WHERE id = :tenant_id) AS schema_version,
       NULL::text AS role;
