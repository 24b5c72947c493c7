-- name: check
-- Runs right after SET LOCAL search_path, in the same round trip.
SELECT EXISTS (SELECT 1 FROM public.organizations WHERE id = %(tenant_id)s) AS tenant_exists,
       (SELECT role FROM users WHERE id = %(user_id)s) AS role;
