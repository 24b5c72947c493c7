-- name: check_tenant^
-- Runs right after SET LOCAL search_path, in the same round trip. The
-- registry's schema_version is NULL when the organization is gone.
SELECT (SELECT schema_version FROM public.organizations WHERE id = :tenant_id) AS schema_version,
       (SELECT role FROM users WHERE id = :user_id) AS role;
