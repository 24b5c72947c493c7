-- A tenant request's first statement: SELECT public.enter_tenant(<x-tenant-id>).
-- It reads the organization's registry row once, through a statement whose plan
-- plpgsql keeps for the connection from its sixth call on (the same lookup
-- written in the request's SQL was planned anew on every request, the table
-- and all seven of its indexes, twice with the check), and sets until the
-- transaction ends (set_config(..., true), like SET LOCAL):
--   search_path               the organization's schema, quoted; pg_catalog for an
--                             unknown one, where its tables are missing
--   taskflask.schema_name     what the tenant check reads instead of the registry;
--   taskflask.schema_version  both empty when the organization is gone
-- No SET clause: one would put the caller's search_path back when the function
-- returns. So the function first sets the path to pg_catalog, where its own
-- statement's operators resolve, whatever path it was called with; every name
-- in it is qualified too. Not STRICT: a NULL id finds no organization and gets
-- pg_catalog, instead of leaving the caller's path in place.
CREATE FUNCTION public.enter_tenant(tenant_id uuid) RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY INVOKER AS $$
DECLARE
    found_schema  text;
    found_version integer;
BEGIN
    PERFORM pg_catalog.set_config('search_path', 'pg_catalog', true);
    SELECT o.schema_name, o.schema_version INTO found_schema, found_version
    FROM public.organizations AS o
    WHERE o.id = tenant_id;
    PERFORM pg_catalog.set_config('taskflask.schema_name', coalesce(found_schema, ''), true);
    PERFORM pg_catalog.set_config('taskflask.schema_version', coalesce(found_version::text, ''), true);
    PERFORM pg_catalog.set_config('search_path', coalesce(pg_catalog.quote_ident(found_schema), 'pg_catalog'), true);
END
$$;
