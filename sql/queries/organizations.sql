-- name: list_organizations
SELECT id, name, schema_name AS "schemaName", created_at AS "createdAt"
FROM public.organizations
ORDER BY created_at, id;

-- name: insert_organization^
INSERT INTO public.organizations (name, schema_name, schema_version)
VALUES (:name, :schema_name, :schema_version)
RETURNING id, name, schema_name AS "schemaName", created_at AS "createdAt";

-- name: tenant_schemas
SELECT schema_name FROM public.organizations ORDER BY schema_name;

-- name: organization_schema$
SELECT schema_name FROM public.organizations WHERE id = :id;

-- name: schema_by_id_or_name$
SELECT schema_name FROM public.organizations WHERE id::text = :key OR schema_name = :key;

-- name: lock_organization^
SELECT id, name, schema_name AS "schemaName", created_at AS "createdAt"
FROM public.organizations
WHERE id = :id
FOR UPDATE;

-- name: unregister_organization!
DELETE FROM public.organizations WHERE id = :id;
INSERT INTO public.schema_drops (schema_name) VALUES (:schema_name);
