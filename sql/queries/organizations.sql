-- name: list
SELECT id, name, schema_name AS "schemaName", created_at AS "createdAt"
FROM public.organizations
ORDER BY created_at, id;

-- name: insert
INSERT INTO public.organizations (name, schema_name, schema_version)
VALUES (%(name)s, %(schema_name)s, %(schema_version)s)
RETURNING id, name, schema_name AS "schemaName", created_at AS "createdAt";

-- name: schema_of
SELECT schema_name FROM public.organizations WHERE id = %(id)s;

-- name: schema_by_id_or_name
SELECT schema_name FROM public.organizations WHERE id::text = %(key)s OR schema_name = %(key)s;

-- name: lock
SELECT id, name, schema_name AS "schemaName", created_at AS "createdAt"
FROM public.organizations
WHERE id = %(id)s
FOR UPDATE;

-- name: unregister
DELETE FROM public.organizations WHERE id = %(id)s;
INSERT INTO public.schema_drops (schema_name) VALUES (%(schema_name)s);
