-- A tenant read's first statement once its process knows the tenant's schema:
-- SELECT public.enter_tenant_checked(<x-tenant-id>, <the code's tenant version>, <x-user-id or NULL>).
-- It enters the schema as public.enter_tenant (0007) does, and makes the tenant
-- check itself: instead of leaving settings for a check that rides beside the
-- read (its columns on every row cost the read more than entering did), it
-- refuses with an error, and the message's read never runs:
--   TF404  no such organization (or it was deleted)
--   TF503  its schema is older than min_version (being upgraded)
--   TF403  user_id is given and names no user of it
-- The users lookup runs in the tenant's schema, set just before it. Nothing is
-- left behind but the transaction-local search_path (set_config(..., true)).
-- Same rules as enter_tenant: no SET clause (it would restore the caller's path
-- on return), the path is pg_catalog while the registry is read, every name
-- there is qualified, and it is not STRICT (a NULL id is refused as unknown).
CREATE FUNCTION public.enter_tenant_checked(tenant_id uuid, min_version integer, user_id uuid) RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY INVOKER AS $$
DECLARE
    found_schema  text;
    found_version integer;
    found_role    text;
BEGIN
    PERFORM pg_catalog.set_config('search_path', 'pg_catalog', true);
    SELECT o.schema_name, o.schema_version INTO found_schema, found_version
    FROM public.organizations AS o
    WHERE o.id = tenant_id;
    IF found_version IS NULL THEN
        RAISE EXCEPTION 'no such organization' USING ERRCODE = 'TF404';
    END IF;
    IF found_version < min_version THEN
        RAISE EXCEPTION 'the organization''s schema is being upgraded' USING ERRCODE = 'TF503';
    END IF;
    PERFORM pg_catalog.set_config('search_path', pg_catalog.quote_ident(found_schema), true);
    IF user_id IS NOT NULL THEN
        SELECT u.role INTO found_role FROM users AS u WHERE u.id OPERATOR(pg_catalog.=) user_id;
        IF found_role IS NULL THEN
            RAISE EXCEPTION 'no such user in this organization' USING ERRCODE = 'TF403';
        END IF;
    END IF;
END
$$;
